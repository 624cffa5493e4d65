"""Section 13 of the contract, the back office at GET /: served by the real binary on a --demo
catalogue and driven in headless Chromium (browser.py). An admin signs in, creates a category
and a product with variants and an image, adjusts stock, imports a CSV file, ships a paid order
with a tracking number, refunds part of another, receives a return, creates a discount, a
shipping zone with a rate, a tax rate, a webhook endpoint (its secret shown once) and an API key
(the key shown once). Every API error's detail appears beside the field it names. Each page is
checked with axe-core (no serious or critical violation) and at 360 px; screenshots are kept
(SHOPD_ARTIFACTS, else a shopd-artifacts folder in the temp dir), and SHOPD_UPDATE_SCREENSHOT=1
copies the README's picture to docs/backoffice.png."""
import os
import re
import shutil
import uuid

import pytest

from browser import artifact_dir, axe_violations, browser
from browser import wait_for as wait_in_page
from shopd import ADMIN_EMAIL, ADMIN_PASSWORD, admin_env, admin_token, new_customer
from test_orders import make_product, order
from test_payments import pay
from test_returns import ask, deliver
from test_storefront import tee_png

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "..", "docs")


@pytest.fixture(scope="module")
def shop():
    from shopd import Server
    # Webhook endpoints on loopback are allowed here, so one can be registered (its deliveries fail).
    server = Server(env=dict(admin_env(), SHOPD_WEBHOOK_ALLOW_PRIVATE="true"), args=["--demo"]).start(timeout=30)
    try:
        yield {"server": server, "admin": admin_token(server), "base": f"http://127.0.0.1:{server.port}"}
    finally:
        server.close()


@pytest.fixture
def d(shop):
    drv, profile = browser()
    try:
        sign_in(drv, shop["base"])
        yield drv
        # The policy blocked nothing and no script failed (refused requests are logged as
        # failed loads: those are the API errors the tests provoke on purpose).
        logs = drv.get_log("browser")
        blocked = [e for e in logs if "Content Security Policy" in e.get("message", "")]
        assert blocked == [], blocked
        errors = [e for e in logs if e.get("level") == "SEVERE" and "Failed to load resource" not in e.get("message", "")]
        assert errors == [], errors
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


# --- helpers ---
def wait_for(d, predicate, what, timeout=20):
    """browser.wait_for, whose failure shows the view's text rather than the page's head."""
    try:
        return wait_in_page(d, predicate, what, timeout)
    except AssertionError:
        view = d.execute_script("const v = document.getElementById('view'); return v ? v.innerText : ''")
        raise AssertionError(f"timed out waiting for {what}; the view says:\n{view[:3000]}") from None


def css(d, selector):
    from selenium.webdriver.common.by import By
    return d.find_element(By.CSS_SELECTOR, selector)


def all_css(d, selector):
    from selenium.webdriver.common.by import By
    return d.find_elements(By.CSS_SELECTOR, selector)


def sign_in(d, base):
    d.get(base + "/")
    wait_for(d, lambda: css(d, "#email").is_displayed(), "the sign-in form")
    css(d, "#email").send_keys(ADMIN_EMAIL)
    css(d, "#password").send_keys(ADMIN_PASSWORD)
    css(d, "#login-submit").click()
    wait_for(d, lambda: css(d, "body").get_attribute("data-loaded") == "true", "the dashboard")


def loaded(d, route):
    wait_for(d, lambda: css(d, "body").get_attribute("data-route") == route
             and css(d, "body").get_attribute("data-loaded") == "true", f"the view {route}")


def go(d, shop, route):
    d.get(f"{shop['base']}/{route}")
    loaded(d, route)


def fill(d, selector, text, root=None):
    el = (root.find_element("css selector", selector) if root else css(d, selector))
    el.clear()
    el.send_keys(text)
    return el


def confirm(d, button):
    """A two-step button: press it, then its 'Yes, …' button."""
    box = button.find_element("xpath", "./..")
    button.click()
    yes = wait_for(d, lambda: next(b for b in box.find_elements("css selector", "button") if b.text.startswith("Yes")),
                   "the confirmation button")
    yes.click()


def error_for(form, field):
    return form.find_element("css selector", f'[data-error-for="{field}"]').text


def check(d, name, seen):
    """axe-core finds no serious or critical violation; the screenshot is kept."""
    violations = axe_violations(d)
    assert violations == [], (name, violations)
    d.save_screenshot(os.path.join(artifact_dir(), f"backoffice-{name}.png"))
    seen.append(name)


def narrow(d):
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})


def fits(d, route):
    width = d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (route, width)


# --- tests ---
def test_page_and_assets_are_served_with_a_strict_policy_and_etags(shop):
    server = shop["server"]
    page = server.get("/")
    assert page.status == 200 and page.header("content-type") == "text/html; charset=utf-8"
    csp = page.header("content-security-policy")
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe" not in csp
    assert "<script>" not in page.body and "<style" not in page.body and " style=" not in page.body
    # Every module the page loads, and every module they import, is served.
    names, todo = set(), re.findall(r'/admin/assets/([\w.-]+)', page.body)
    while todo:
        name = todo.pop()
        if name in names:
            continue
        names.add(name)
        r = server.get(f"/admin/assets/{name}")
        assert r.status == 200, (name, r)
        assert r.header("content-type") == ("text/css; charset=utf-8" if name.endswith(".css") else "text/javascript; charset=utf-8")
        assert r.header("content-security-policy") == csp and r.header("x-content-type-options") == "nosniff"
        # Nothing is loaded from elsewhere: no absolute script, style or import address.
        assert not re.search(r"""(src|href)=["']https?:|url\(\s*["']?https?:|from ["']https?:|@import""", r.body), name
        etag = r.header("etag")
        again = server.get(f"/admin/assets/{name}", headers={"If-None-Match": etag})
        assert again.status == 304 and again.header("etag") == etag
        todo += re.findall(r"from '\./([\w.-]+)'", r.body)
    assert {"app.js", "api.js", "ui.js", "admin.css", "view-products.js", "view-orders.js"} <= names
    assert server.get("/admin/assets/index.html").status == 404
    assert server.get("/admin/assets/nope.js").status == 404
    assert server.get("/", headers={"If-None-Match": page.header("etag")}).status == 304


def test_catalogue_category_product_with_variants_image_stock_and_csv(shop, d, tmp_path, capsys):
    server, admin, seen = shop["server"], shop["admin"], []
    check(d, "dashboard", seen)

    # A category.
    go(d, shop, "#/categories")
    name = "Outerwear " + uuid.uuid4().hex[:6]
    fill(d, "#category-name", name)
    css(d, "#category-form button[type=submit]").click()
    wait_for(d, lambda: name in css(d, "#categories-table").text, "the new category")
    check(d, "categories", seen)

    # A product with a Size option: the variants listed, one price that is not an amount first.
    go(d, shop, "#/products/new")
    sku = "JACKET-" + uuid.uuid4().hex[:6].upper()
    fill(d, "#new-name", "Rain Jacket")
    fill(d, "#new-sku", sku)
    from selenium.webdriver.support.ui import Select
    Select(css(d, "#new-category")).select_by_visible_text(name)
    css(d, "#has-options").click()
    fill(d, "#opt-name-0", "Size")
    fill(d, "#opt-values-0", "S, M, L")
    css(d, "#build-variants").click()
    wait_for(d, lambda: len(all_css(d, "#variants-table tbody tr")) == 3, "three variant rows")
    for i, price in enumerate(["59.00", "sixty", "64.00"]):
        fill(d, f"#v-price-{i}", price)
        fill(d, f"#v-stock-{i}", "5")
    form = css(d, "#product-form")
    css(d, "#create-product").click()
    wait_for(d, lambda: error_for(form, "variants[1].price"), "the error beside the bad price")
    assert css(d, "#v-price-1").get_attribute("aria-invalid") == "true"
    assert error_for(form, "variants[0].price") == ""
    check(d, "product-new", seen)
    fill(d, "#v-price-1", "59.00")
    css(d, "#create-product").click()
    wait_for(d, lambda: css(d, "body").get_attribute("data-view") == "product"
             and css(d, "body").get_attribute("data-loaded") == "true", "the new product's page")
    product_id = d.execute_script("return location.hash").split("/")[-1]
    product = server.get(f"/api/v1/products/{product_id}").json
    assert product["sku"] == sku and product["category_id"]
    assert sorted((v["options"]["Size"], v["price"], v["stock"]) for v in product["variants"]) == \
        [("L", 6400, 5), ("M", 5900, 5), ("S", 5900, 5)]

    # Its image, uploaded with a progress bar.
    png = tmp_path / "jacket.png"
    png.write_bytes(tee_png((30, 90, 160), (240, 240, 240)))
    css(d, "#image-form input[type=file]").send_keys(str(png))
    css(d, "#upload-image").click()
    wait_for(d, lambda: all_css(d, "#images img"), "the uploaded image")
    bar = css(d, "#image-form progress")
    assert bar.get_attribute("value") == "100" and "Uploaded jacket.png" in css(d, "#image-form .progress-text").text
    assert len(server.get(f"/api/v1/products/{product_id}").json["images"]) == 1
    wait_for(d, lambda: d.execute_script("return document.querySelector('#images img').naturalWidth") == 240, "the image to show")

    # Stock of size M: 5 + 3; taking away more than there is says so beside the field.
    m = next(v for v in product["variants"] if v["options"]["Size"] == "M")
    row = css(d, f'tr[data-variant-id="{m["id"]}"]')
    stock_form = row.find_element("css selector", "form.stock-form")
    fill(d, '[data-field="delta"]', "-50", stock_form)
    stock_form.find_element("css selector", "button[type=submit]").click()
    wait_for(d, lambda: error_for(stock_form, "delta"), "the insufficient-stock error beside the change")
    fill(d, '[data-field="delta"]', "3", stock_form)
    fill(d, '[data-field="reason"]', "restock", stock_form)
    stock_form.find_element("css selector", "button[type=submit]").click()
    wait_for(d, lambda: css(d, f'tr[data-variant-id="{m["id"]}"] td.num').text == "8", "the new stock")
    check(d, "product", seen)

    # A duplicate sku on a new product: the detail beside the SKU field.
    go(d, shop, "#/products/new")
    fill(d, "#new-name", "Copy")
    fill(d, "#new-sku", sku)
    fill(d, "#new-price", "10")
    form = css(d, "#product-form")
    css(d, "#create-product").click()
    wait_for(d, lambda: error_for(form, "sku"), "the sku_taken detail beside the SKU")

    # The list, and a CSV import: a bad row named by its number, then a good file.
    go(d, shop, "#/products")
    assert "Rain Jacket" in css(d, "#products-table").text
    header = "product_id,variant_id,sku,name,description,category_id,price,stock,status"
    mug = "MUG-" + uuid.uuid4().hex[:6].upper()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{header}\n,,{mug},Mug,A mug,,-5,3,active\n")
    css(d, "#import-form input[type=file]").send_keys(str(bad))
    css(d, "#import-form button[type=submit]").click()
    wait_for(d, lambda: "Row 1" in css(d, "#import-form [data-form-error]").text, "the bad row's error")
    good = tmp_path / "good.csv"
    good.write_text(f"{header}\n,,{mug},Stoneware Mug,A mug,,1200,7,active\n")
    fill(d, "#import-form input[type=file]", str(good))
    css(d, "#import-form button[type=submit]").click()
    wait_for(d, lambda: "1 created" in css(d, "#import-form .progress-text").text, "the import result")
    wait_for(d, lambda: "Stoneware Mug" in css(d, "#products-table").text, "the imported product in the list")
    check(d, "products", seen)

    # At 360 px wide nothing overflows the screen.
    narrow(d)
    for route, name in (("#/", "dashboard"), ("#/products", "products"), (f"#/products/{product_id}", "product"),
                        ("#/products/new", "product-new"), ("#/categories", "categories")):
        go(d, shop, route)
        fits(d, route)
        check(d, f"360px-{name}", seen)
    with capsys.disabled():
        print(f"\nback-office screenshots ({len(seen)}) in {artifact_dir()}")


def test_orders_ship_with_tracking_refund_and_receive_a_return(shop, d, capsys):
    server, admin, seen = shop["server"], shop["admin"], []
    _, customer, _, _ = new_customer(server, "Ada Buyer")
    lamp = make_product(server, admin, price=2500, stock=10, name="Desk Lamp")
    paid = order(server, customer, [(lamp["id"], 2)]).json
    assert pay(server, customer, paid["id"]).status == 201
    refundable = order(server, customer, [(lamp["id"], 1)]).json
    assert pay(server, customer, refundable["id"]).status == 201

    go(d, shop, "#/orders")
    assert paid["id"] in css(d, "#orders-list").text
    check(d, "orders", seen)

    # Shipping without a carrier: the API's word for it beside the carrier field.
    go(d, shop, f"#/orders/{paid['id']}")
    form = css(d, "#shipment-form")
    fill(d, "#ship-tracking", "1Z999AA10123456784")
    css(d, "#ship-submit").click()
    wait_for(d, lambda: error_for(form, "carrier"), "the error beside the carrier")
    assert css(d, "#ship-carrier").get_attribute("aria-invalid") == "true"
    check(d, "order-error", seen)
    fill(d, "#ship-carrier", "UPS")
    fill(d, "#ship-url", "https://www.ups.com/track?tracknum=1Z999AA10123456784")
    css(d, "#ship-submit").click()
    wait_for(d, lambda: "1Z999AA10123456784" in css(d, "#shipments-table").text, "the shipment's tracking number")
    o = server.get(f"/api/v1/orders/{paid['id']}", token=admin).json
    assert o["status"] == "shipped"
    assert [(s["carrier"], s["tracking_number"]) for s in o["shipments"]] == [("UPS", "1Z999AA10123456784")]
    assert "shipped" in css(d, "#order-status").text
    check(d, "order", seen)
    css(d, "#deliver").click()
    wait_for(d, lambda: "delivered" in css(d, "#order-status").text, "the delivered state")

    # A partial refund of the other order.
    go(d, shop, f"#/orders/{refundable['id']}")
    refund_form = css(d, "form.refund-form")
    fill(d, '[data-field="amount"]', "500", refund_form)  # more than was paid
    refund_form.find_element("css selector", "button[type=submit]").click()
    wait_for(d, lambda: error_for(refund_form, "amount"), "the refund_exceeds_payment detail beside the amount")
    fill(d, '[data-field="amount"]', "5.00", refund_form)
    refund_form.find_element("css selector", "button[type=submit]").click()
    wait_for(d, lambda: "partially refunded" in css(d, ".payment").text, "the partial refund")
    payment = server.get(f"/api/v1/orders/{refundable['id']}/payments", token=admin).json["items"][0]
    assert payment["amount_refunded"] == 500

    # The customer sends one lamp back; the admin receives it and puts it back in stock.
    r = ask(server, paid["id"], [(lamp["id"], 1)], token=customer)
    assert r.status == 201, r
    ret = r.json
    stock_before = server.get(f"/api/v1/products/{lamp['id']}").json["stock"]
    go(d, shop, "#/returns")
    row = css(d, f'tr[data-return-id="{ret["id"]}"]')
    check(d, "returns", seen)
    confirm(d, next(b for b in row.find_elements("css selector", "button") if b.text == "Receive and restock"))
    wait_for(d, lambda: not all_css(d, f'tr[data-return-id="{ret["id"]}"]'), "the return to leave the requested list")
    got = server.get(f"/api/v1/returns/{ret['id']}", token=admin).json
    assert got["status"] == "received" and got["refund_amount"] == 2500
    assert server.get(f"/api/v1/products/{lamp['id']}").json["stock"] == stock_before + 1

    # A second return, rejected from the order's page.
    second = ask(server, paid["id"], [(lamp["id"], 1)], token=customer).json
    go(d, shop, f"#/orders/{paid['id']}")
    row = css(d, f'tr[data-return-id="{second["id"]}"]')
    confirm(d, next(b for b in row.find_elements("css selector", "button") if b.text == "Reject"))
    wait_for(d, lambda: "rejected" in css(d, f'tr[data-return-id="{second["id"]}"]').text, "the rejected return")

    narrow(d)
    for route, name in (("#/orders", "orders"), (f"#/orders/{paid['id']}", "order"), ("#/returns", "returns")):
        go(d, shop, route)
        fits(d, route)
        check(d, f"360px-{name}", seen)


def test_a_damaged_return_is_refunded_without_restocking(shop, d):
    """"Receive, no restock": the buyer gets the money back, the stock stays as it was (the
    unit is not fit to sell again). "Receive and restock" is the test above."""
    server, admin, seen = shop["server"], shop["admin"], []
    _, customer, _, _ = new_customer(server, "Dan Damaged")
    vase = make_product(server, admin, price=3200, stock=10, name="Glass Vase")
    o = order(server, customer, [(vase["id"], 2)]).json
    assert pay(server, customer, o["id"]).status == 201
    deliver(server, admin, o["id"])
    ret = ask(server, o["id"], [(vase["id"], 1)], token=customer, reason="Arrived broken").json
    stock_before = server.get(f"/api/v1/products/{vase['id']}").json["stock"]
    assert stock_before == 8

    go(d, shop, "#/returns")
    row = css(d, f'tr[data-return-id="{ret["id"]}"]')
    assert "Arrived broken" in row.text
    confirm(d, next(b for b in row.find_elements("css selector", "button") if b.text == "Receive, no restock"))
    wait_for(d, lambda: not all_css(d, f'tr[data-return-id="{ret["id"]}"]'), "the return to leave the requested list")
    check(d, "returns-no-restock", seen)
    got = server.get(f"/api/v1/returns/{ret['id']}", token=admin).json
    assert got["status"] == "received" and got["restocked"] is False and got["refund_amount"] == 3200
    payment = server.get(f"/api/v1/orders/{o['id']}/payments", token=admin).json["items"][0]
    assert payment["amount_refunded"] == 3200
    assert server.get(f"/api/v1/products/{vase['id']}").json["stock"] == stock_before

    # The order's page shows it received, with the refund.
    go(d, shop, f"#/orders/{o['id']}")
    wait_for(d, lambda: "received" in css(d, f'tr[data-return-id="{ret["id"]}"]').text, "the received return")


def test_discounts_shipping_tax_webhooks_and_api_keys(shop, d, capsys):
    server, admin, seen = shop["server"], shop["admin"], []
    code = "SPRING" + uuid.uuid4().hex[:4].upper()

    go(d, shop, "#/discounts")
    fill(d, "#discount-code", code)
    fill(d, "#discount-value", "20")
    css(d, "#create-discount").click()
    wait_for(d, lambda: code in css(d, "#discounts-table").text, "the new discount")
    assert "20 %" in css(d, "#discounts-table").text
    fill(d, "#discount-code", code.lower())
    fill(d, "#discount-value", "20")
    css(d, "#create-discount").click()
    form = css(d, "#discount-form")
    wait_for(d, lambda: error_for(form, "code"), "the code_taken detail beside the code")
    check(d, "discounts", seen)

    go(d, shop, "#/shipping")
    country = "DE"
    fill(d, "#zone-name", "Germany")
    fill(d, "#zone-countries", country)
    css(d, "#zone-form button[type=submit]").click()
    def germany():
        return next(z for z in all_css(d, "section.zone") if z.get_attribute("aria-label") == "Zone Germany")
    zone = wait_for(d, germany, "the new zone")
    rate_form = zone.find_elements("css selector", "form")[1]
    fill(d, '[data-field="name"]', "Standard", rate_form)
    fill(d, '[data-field="price"]', "4.90", rate_form)
    rate_form.find_element("css selector", "button[type=submit]").click()
    rate = wait_for(d, lambda: germany().find_element("css selector", "tr[data-rate-id]"), "the new rate")
    assert "Standard" in rate.text and "$4.90" in rate.text
    fill(d, "#zone-name", "Again")
    fill(d, "#zone-countries", country)
    css(d, "#zone-form button[type=submit]").click()
    wait_for(d, lambda: error_for(css(d, "#zone-form"), "countries"), "the country_in_another_zone detail")
    check(d, "shipping", seen)

    go(d, shop, "#/tax")
    fill(d, "#tax-country", "DE")
    fill(d, '#tax-form [data-field="name"]', "VAT")
    fill(d, '#tax-form [data-field="rate_bp"]', "19")
    css(d, "#tax-form button[type=submit]").click()
    wait_for(d, lambda: "19 %" in css(d, "#tax-table").text, "the new tax rate")
    check(d, "tax", seen)

    # A webhook endpoint: the secret shown once, then its delivery log.
    go(d, shop, "#/webhooks")
    fill(d, "#webhook-url", "ftp://127.0.0.1/hook")
    css(d, "#create-webhook").click()
    wait_for(d, lambda: error_for(css(d, "#webhook-form"), "url"), "the error beside the url")
    fill(d, "#webhook-url", "http://127.0.0.1:9/hook")
    css(d, "#create-webhook").click()
    secret = wait_for(d, lambda: css(d, "#webhook-secret").text, "the signing secret")
    assert secret.startswith("whsec_")
    check(d, "webhooks", seen)
    endpoint = server.get("/api/v1/webhook-endpoints", token=admin).json["items"][0]
    make_product(server, admin, name="Webhook Trigger")  # product.created goes to it (and fails)
    d.refresh()
    loaded(d, "#/webhooks")
    assert not all_css(d, "#webhook-secret")  # shown once
    go(d, shop, f"#/webhooks/{endpoint['id']}")

    def a_delivery():
        css(d, "#refresh").click()
        loaded(d, f"#/webhooks/{endpoint['id']}")
        return all_css(d, "#deliveries-table tr[data-delivery-id]")
    rows = wait_for(d, a_delivery, "a delivery in the log", timeout=30)
    rows[-1].find_element("css selector", "button").click()
    wait_for(d, lambda: css(d, "#announce").text == "Sent again", "the retry")
    check(d, "deliveries", seen)

    # An API key: shown once, and it works.
    go(d, shop, "#/api-keys")
    fill(d, "#api-key-name", "Warehouse sync")
    css(d, "#api-key-form button[type=submit]").click()
    form = css(d, "#api-key-form")
    wait_for(d, lambda: error_for(form, "scopes"), "the error beside the scopes")
    css(d, "#scope-catalog-read").click()
    css(d, "#api-key-form button[type=submit]").click()
    key = wait_for(d, lambda: css(d, "#api-key-secret").text, "the new key")
    assert key.startswith("sk_")
    assert "Warehouse sync" in css(d, "#api-keys-table").text
    assert server.get("/api/v1/products/export", token=key).status == 200  # catalog:read
    assert server.get("/api/v1/orders", token=key).status == 403  # not orders:read
    check(d, "api-keys", seen)
    d.refresh()
    loaded(d, "#/api-keys")
    assert not all_css(d, "#api-key-secret")
    if os.environ.get("SHOPD_UPDATE_SCREENSHOT"):  # the README's picture, after the orders above
        d.set_window_size(1280, 900)
        go(d, shop, "#/")
        d.save_screenshot(os.path.join(DOCS, "backoffice.png"))

    narrow(d)
    for route in ("#/discounts", "#/shipping", "#/tax", "#/webhooks", "#/api-keys"):
        go(d, shop, route)
        fits(d, route)
        check(d, "360px-" + route[2:], seen)
    with capsys.disabled():
        print(f"\nback-office screenshots ({len(seen)}) in {artifact_dir()}")

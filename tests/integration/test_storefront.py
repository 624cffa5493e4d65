"""Section 13 of the contract: the storefront at /shop, served by the real binary on a --demo
catalogue and driven in headless Chromium (browser.py). A guest buys a T-shirt in size M with
a discount code, shipping and tax; a customer registers, buys and finds the order in their
history. Each page is checked with axe-core (no serious or critical violation) and its
screenshot is kept (SHOPD_ARTIFACTS, else a shopd-artifacts folder in the temp dir);
SHOPD_UPDATE_SCREENSHOT=1 copies the README's screenshots into docs/."""
import gzip
import json
import os
import re
import shutil
import struct
import urllib.parse
import zlib

import pytest

from browser import artifact_dir, axe_violations, browser, wait_for
from shopd import admin_env, admin_token, new_customer

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "..", "docs")
GOOD_CARD, DECLINED_CARD = "4242424242424242", "4000000000000002"
ADDRESS = {"name": "Grace Hopper", "line1": "1 Capitol Mall", "city": "Sacramento", "postal_code": "95814",
           "country": "US", "region": "US-CA"}


def tee_png(shirt, background, size=240):
    """A PNG of a T-shirt's outline in the colour `shirt` (r, g, b) on `background`."""
    def inside(x, y):
        body = 72 <= x < size - 72 and 60 <= y < 212
        sleeves = 60 <= y < 112 and 24 <= x < size - 24 and y - 60 < 52 - abs(x - size // 2) // 4
        neck = (x - size // 2) ** 2 + (y - 56) ** 2 < 24 ** 2
        return (body or sleeves) and not neck
    rows = b"".join(b"\x00" + b"".join(bytes(shirt if inside(x, y) else background) for x in range(size))
                    for y in range(size))

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def shop():
    """A --demo shop (which has the code WELCOME10) with what the README's walkthrough sets
    up: a US shipping zone with two rates, California sales tax, and a T-shirt sold in sizes
    and colours."""
    from shopd import Server
    server = Server(env=admin_env(), args=["--demo"]).start(timeout=30)
    try:
        admin = admin_token(server)

        def post(path, body):
            r = server.post(path, body, token=admin)
            assert r.status == 201, (path, r)
            return r.json

        zone = post("/api/v1/shipping/zones", {"name": "US", "countries": ["US"]})
        standard = post(f"/api/v1/shipping/zones/{zone['id']}/rates", {"name": "Standard", "price": 500, "free_over": 10000})
        express = post(f"/api/v1/shipping/zones/{zone['id']}/rates", {"name": "Express", "price": 1500})
        post("/api/v1/tax/rates", {"country": "US", "region": "US-CA", "name": "CA sales tax", "rate_bp": 725,
                                   "shipping_taxable": False})
        clothing = next(c for c in server.get("/api/v1/categories?limit=100").json["items"] if c["name"] == "Clothing")
        tee = post("/api/v1/products", {
            "sku": "TEE", "name": "Organic T-shirt", "description": "A soft tee of organic cotton.",
            "category_id": clothing["id"],
            "options": [{"name": "Size", "values": ["S", "M", "L"]}, {"name": "Colour", "values": ["Black", "White"]}],
            "variants": [
                {"sku": "TEE-S-BLK", "options": {"Size": "S", "Colour": "Black"}, "price": 1900, "stock": 0},
                {"sku": "TEE-M-BLK", "options": {"Size": "M", "Colour": "Black"}, "price": 1900, "stock": 10},
                {"sku": "TEE-M-WHT", "options": {"Size": "M", "Colour": "White"}, "price": 1900, "stock": 4},
                {"sku": "TEE-L-WHT", "options": {"Size": "L", "Colour": "White"}, "price": 2100, "stock": 5}]})
        for colours in (((34, 38, 48), (226, 232, 240)), ((250, 250, 250), (148, 163, 184))):
            r = server.request("POST", f"/api/v1/products/{tee['id']}/images", raw=tee_png(*colours), token=admin,
                               headers={"Content-Type": "image/png"})
            assert r.status == 201, r
        yield {"server": server, "admin": admin, "tee": tee, "clothing": clothing,
               "rates": {"Standard": standard, "Express": express},
               "variant": {v["sku"]: v for v in tee["variants"]}}
    finally:
        server.close()


@pytest.fixture
def driver(capsys):
    d, profile = browser()
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


# --- helpers ---
def by_css(d, css):
    from selenium.webdriver.common.by import By
    return d.find_element(By.CSS_SELECTOR, css)


def all_css(d, css):
    from selenium.webdriver.common.by import By
    return d.find_elements(By.CSS_SELECTOR, css)


def loaded(d, heading=None):
    """Waits for the view to finish drawing (main not busy, an h1 there)."""
    def ready():
        main = by_css(d, "main")
        h1 = by_css(d, "main h1")
        return main.get_attribute("aria-busy") is None and (heading is None or heading in h1.text)
    wait_for(d, ready, f"the page {heading or ''}")


def shot(d, name, capsys=None):
    path = os.path.join(artifact_dir(), f"storefront-{name}.png")
    d.save_screenshot(path)
    if capsys:
        with capsys.disabled():
            print(f"\nstorefront screenshot: {path}")
    return path


def doc_shot(d, name):
    """With SHOPD_UPDATE_SCREENSHOT=1, the README's picture docs/storefront-NAME.png."""
    if not os.environ.get("SHOPD_UPDATE_SCREENSHOT"):
        return
    size = d.get_window_size()
    d.set_window_size(1280, 900)
    d.execute_script("scrollTo(0, 0)")
    d.save_screenshot(os.path.join(DOCS, f"storefront-{name}.png"))
    d.set_window_size(size["width"], size["height"])


def check_page(d, name, seen):
    """axe-core finds no serious or critical violation; the policy blocked nothing."""
    violations = axe_violations(d)
    assert violations == [], f"{name}: {violations}"
    logs = d.get_log("browser")
    blocked = [e for e in logs if "Content Security Policy" in e.get("message", "")]
    assert blocked == [], blocked
    # Errors other than the API answers a step provoked on purpose (4xx) are failures.
    errors = [e for e in logs if e.get("level") == "SEVERE" and not re.search(r"status of 4\d\d", e.get("message", ""))]
    assert errors == [], errors
    # Nothing the page drew came out as a JavaScript value's name.
    text = by_css(d, "body").text
    assert not re.search(r"\b(null|undefined|NaN)\b|\[object", text), text
    seen.append(name)
    shot(d, name)


def field(d, name):
    return by_css(d, f'[data-field="{name}"]')


def error_beside(d, name):
    return by_css(d, f'[data-error-for="{name}"]').text


def fill(d, values):
    for name, value in values.items():
        el = field(d, name)
        el.clear()
        el.send_keys(value)


def fill_address(d):
    fill(d, {f"shipping_address.{k}": v for k, v in ADDRESS.items()})


def money(cents):
    return f"${cents // 100:,}.{cents % 100:02d}"


def order_id_from(d):
    path = urllib.parse.urlparse(d.current_url).path
    assert path.startswith("/shop/orders/"), d.current_url
    return urllib.parse.unquote(path.rsplit("/", 1)[1])


def total_text(d):
    return by_css(d, "#total-row dd").text


# --- HTTP: the routes, headers, gzip and caching ---
def test_demo_has_the_walkthroughs_tshirt_and_welcome10_and_leaves_shipping_and_tax_to_the_admin(make_server):
    """`serve --demo` adds the code WELCOME10 (10 % off), once, so the storefront can be tried
    with a code and no admin step. It adds no shipping zone or tax rate: with a zone every order
    must name a rate, which would break the v1 order a demo shop's clients send."""
    server = make_server(env=admin_env(), args=["--demo"])
    admin = admin_token(server)
    [welcome] = server.get("/api/v1/discounts", token=admin).json["items"]
    assert (welcome["code"], welcome["type"], welcome["value"], welcome["active"]) == ("WELCOME10", "percentage", 10, True)
    assert server.get("/api/v1/shipping/zones", token=admin).json["items"] == []
    assert server.get("/api/v1/tax/rates", token=admin).json["items"] == []

    # The walkthrough's T-shirt is there, in size M, found by a search as a shopper would.
    found = server.get("/api/v1/search?q=t-shirt").json["items"]
    tee = server.get(f"/api/v1/products/{next(p['id'] for p in found if p['sku'] == 'DEMO-TEE')}").json
    medium = next(v for v in tee["variants"] if v["options"] == {"Size": "M", "Colour": "Navy"})
    assert medium["stock"] > 0 and medium["price"] == 1900
    q = server.post("/api/v1/checkout/quote", {"email": "demo@example.com", "shipping_address": ADDRESS,
                                               "items": [{"variant_id": medium["id"], "quantity": 1}],
                                               "discount_code": "WELCOME10"})
    assert q.status == 200 and q.json["total"] == 1900 - 190, q

    product = next(p for p in server.get("/api/v1/products?limit=100").json["items"]
                   if not p.get("options") and 1000 <= p["price"] <= 5000 and p["stock"] > 0)
    item = {"product_id": product["id"], "quantity": 1}
    q = server.post("/api/v1/checkout/quote", {"email": "demo@example.com", "items": [item],
                                               "shipping_address": ADDRESS, "discount_code": "welcome10"})
    assert q.status == 200, q
    assert q.json["discount"]["code"] == "WELCOME10" and q.json["discount_total"] == round(product["price"] / 10) > 0
    assert q.json["shipping_total"] == 0 and q.json["tax_total"] == 0
    # The v1 order (no rate, no code) still goes through on a demo shop.
    _, customer, _, _ = new_customer(server)
    r = server.post("/api/v1/orders", {"items": [item], "shipping_address": ADDRESS}, token=customer)
    assert r.status == 201 and r.json["total"] == product["price"], r

    # A restart adds no second code, and an admin's own codes are left alone.
    server.stop()
    server.start(timeout=30)
    assert [d["code"] for d in server.get("/api/v1/discounts", token=admin_token(server)).json["items"]] == ["WELCOME10"]


def test_pages_and_assets_are_served_with_policy_gzip_and_etags(shop):
    server = shop["server"]
    page = server.get("/shop")
    assert page.status == 200, page
    assert page.header("content-type") == "text/html; charset=utf-8"
    csp = page.header("content-security-policy")
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp
    assert page.header("x-content-type-options") == "nosniff"
    assert page.header("x-frame-options") == "DENY"
    assert "http://" not in page.body and "https://" not in page.body
    # Every client-side route answers the same page, so a deep link loads it.
    for path in ("/shop/", "/shop/cart", "/shop/checkout", "/shop/search?q=tee", "/shop/signin", "/shop/register",
                 "/shop/account", "/shop/forgot-password", "/shop/reset-password", f"/shop/products/{shop['tee']['id']}", "/shop/products/prod_nope",
                 f"/shop/categories/{shop['clothing']['id']}", "/shop/orders/ord_01nonexistent000000000000"):
        r = server.get(path)
        assert r.status == 200 and r.body == page.body, (path, r)
    for path in ("/shop/admin", "/shop/assets/nope.js", "/shop/assets/index.html", "/shop/products"):
        r = server.get(path)
        assert r.status == 404 and r.json["code"] == "not_found", (path, r)
    assert server.request("HEAD", "/shop").status == 200

    js = server.get("/shop/assets/app.js")
    assert js.status == 200 and js.header("content-type") == "text/javascript; charset=utf-8"
    assert js.header("content-encoding") is None
    assert js.header("cache-control") == "no-cache" and js.header("vary") == "Accept-Encoding"
    assert server.get("/shop/assets/app.css").header("content-type") == "text/css; charset=utf-8"
    zipped = server.get("/shop/assets/app.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.header("content-encoding") == "gzip"
    assert gzip.decompress(zipped.content) == js.content
    assert len(zipped.content) < len(js.content) / 2
    assert zipped.header("etag") != js.header("etag")
    assert server.get("/shop/assets/app.js", headers={"Accept-Encoding": "gzip;q=0"}).header("content-encoding") is None
    # Revalidation: the current tag gives 304 with no body; a stale one the file.
    again = server.get("/shop/assets/app.js", headers={"If-None-Match": js.header("etag")})
    assert again.status == 304 and again.content == b"" and again.header("etag") == js.header("etag")
    assert server.get("/shop", headers={"If-None-Match": page.header("etag")}).status == 304
    assert server.get("/shop/assets/app.js", headers={"If-None-Match": '"stale"'}).status == 200


def imports_of(server, name, seen):
    """The storefront files a module loads, itself included (static imports, transitively)."""
    if name in seen:
        return seen
    seen.add(name)
    body = server.get(f"/shop/assets/{name}").body
    for dep in re.findall(r"""^import [^;]*? from '\./([\w.-]+)';""", body, re.M):
        imports_of(server, dep, seen)
    return seen


def test_a_product_page_weighs_at_most_100_kb_before_compression(shop):
    server = shop["server"]
    files = imports_of(server, "app.js", set()) | imports_of(server, "view-product.js", set())
    assert {"api.js", "ui.js", "cart.js"} <= files
    sizes = {f: len(server.get(f"/shop/assets/{f}").content) for f in files | {"app.css"}}
    total = len(server.get("/shop").content) + sum(sizes.values())
    assert total <= 100 * 1024, (total, sizes)
    # Gzipped, it is a fraction of that.
    zipped = sum(len(server.get(f"/shop/assets/{f}", headers={"Accept-Encoding": "gzip"}).content) for f in sizes)
    assert zipped < total / 2, (zipped, total)


# --- the browser ---
def test_guest_buys_a_tshirt_in_size_m_with_a_discount_code(shop, driver, capsys):
    from selenium.webdriver.common.keys import Keys
    server, admin, tee = shop["server"], shop["admin"], shop["tee"]
    base = f"http://127.0.0.1:{server.port}"
    d, seen = driver, []

    # Home: categories and featured products.
    d.get(base + "/shop")
    loaded(d, "Welcome")
    assert "Clothing" in by_css(d, "#categories").text
    assert len(all_css(d, "#featured .card")) >= 4
    check_page(d, "home", seen)

    # Search, with suggestions as you type, chosen with the keyboard.
    box = by_css(d, "#q")
    box.send_keys("organic t-sh")
    wait_for(d, lambda: "Organic T-shirt" in [o.text for o in all_css(d, "#suggestions [role=option]")],
             "the suggestion")
    assert box.get_attribute("aria-expanded") == "true"
    check_page(d, "search-suggestions", seen)
    options = [o.text for o in all_css(d, "#suggestions [role=option]")]
    for _ in range(options.index("Organic T-shirt") + 1):
        box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    wait_for(d, lambda: "/shop/search?q=Organic" in d.current_url, "the search page")
    loaded(d, "Results for")
    results = all_css(d, "#results a")
    assert any("Organic T-shirt" in a.text for a in results)
    assert by_css(d, "#results mark").text.lower() in ("organic", "t", "shirt")
    check_page(d, "search", seen)

    # Product page: the variant picker shows each variant's price and availability.
    next(a for a in results if "Organic T-shirt" in a.text).click()
    loaded(d, "Organic T-shirt")
    assert by_css(d, "#price").text == "$19.00"
    # Its two pictures: the first shown, the other a button away.
    images = server.get(f"/api/v1/products/{tee['id']}").json["images"]
    picture = by_css(d, ".gallery img.main")
    wait_for(d, lambda: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", picture) == 240,
             "the picture to load")
    thumbs = all_css(d, ".gallery .thumbs button")
    assert len(thumbs) == 2 and thumbs[0].get_attribute("aria-pressed") == "true"
    thumbs[1].click()
    assert picture.get_attribute("src").endswith(images[1]) and thumbs[1].get_attribute("aria-pressed") == "true"
    thumbs[0].click()
    by_css(d, "summary").click()
    rows = {r.get_attribute("data-variant-id"): r.text for r in all_css(d, "#variants tbody tr")}
    assert len(rows) == 4
    assert "Out of stock" in rows[shop["variant"]["TEE-S-BLK"]["id"]]
    assert "$21.00" in rows[shop["variant"]["TEE-L-WHT"]["id"]]
    assert "Only 4 left" in rows[shop["variant"]["TEE-M-WHT"]["id"]]
    size_s = by_css(d, 'input[data-option="Size"][value="S"]').find_element("xpath", "..")
    assert "sold out" in size_s.text
    by_css(d, 'input[data-option="Size"][value="M"]').find_element("xpath", "..").click()
    assert by_css(d, 'input[data-option="Size"][value="M"]').is_selected()
    assert by_css(d, 'input[data-option="Colour"][value="Black"]').is_selected()
    assert "In stock" in by_css(d, "#availability").text and "TEE-M-BLK" in by_css(d, "#availability").text
    check_page(d, "product", seen)
    doc_shot(d, "product")
    by_css(d, "#add-to-cart").click()
    wait_for(d, lambda: "Added 1" in by_css(d, "#added").text, "the added message")
    assert by_css(d, "#cart-count").text == "1"

    # Cart (in this browser's localStorage) and on to checkout.
    by_css(d, "#nav-cart").click()
    loaded(d, "Your cart")
    line = by_css(d, "#cart .line")
    assert "Organic T-shirt" in line.text and "Size: M" in line.text and "Colour: Black" in line.text
    assert by_css(d, "#cart-total").text == "$19.00"
    stored = json.loads(d.execute_script("return localStorage.getItem('shop.cart')"))
    assert [(l["variant_id"], l["quantity"]) for l in stored] == [(shop["variant"]["TEE-M-BLK"]["id"], 1)]
    check_page(d, "cart", seen)
    by_css(d, "#to-checkout").click()
    loaded(d, "Checkout")

    # Address, then the quote's shipping options and tax.
    email = "grace@example.com"
    fill(d, {"email": email})
    fill_address(d)
    by_css(d, "#get-quote").click()
    wait_for(d, lambda: len(all_css(d, "#shipping-options input[type=radio]")) == 2, "two shipping options")
    express = by_css(d, f'#rate-{shop["rates"]["Express"]["id"]}')
    express.click()
    wait_for(d, lambda: total_text(d) == money(1900 + 1500 + 138), "the Express total")  # 7.25 % of 19.00 is 1.3775
    by_css(d, f'#rate-{shop["rates"]["Standard"]["id"]}').click()
    wait_for(d, lambda: total_text(d) == money(1900 + 500 + 138), "the Standard total")

    # The code: its discount in the totals, tax on the discounted line.
    fill(d, {"discount_code": "welcome10"})
    by_css(d, "#apply-discount").click()
    wait_for(d, lambda: "WELCOME10" in by_css(d, "#discount-row").text, "the discount line")
    quote_body = {"email": email, "items": [{"variant_id": shop["variant"]["TEE-M-BLK"]["id"], "quantity": 1}],
                  "shipping_address": ADDRESS, "shipping_rate_id": shop["rates"]["Standard"]["id"]}
    quote = server.post("/api/v1/checkout/quote", dict(quote_body, discount_code="WELCOME10")).json
    assert quote["total"] == 1900 - 190 + 500 + 124  # tax on the discounted line: 7.25 % of 17.10
    assert total_text(d) == money(quote["total"])
    assert by_css(d, "#tax-row dd").text == money(quote["tax_total"])
    assert by_css(d, "#discount-row dd").text == "−" + money(quote["discount_total"])
    assert "WELCOME10 applied" in by_css(d, "#discount-ok").text

    # A code that does not exist: the API's detail beside the code field, and the totals
    # drop the earlier code's discount rather than show one the order would not get.
    fill(d, {"discount_code": "NOPE"})
    by_css(d, "#apply-discount").click()
    wait_for(d, lambda: error_beside(d, "discount_code"), "the discount error")
    refused = server.post("/api/v1/checkout/quote", dict(quote_body, discount_code="NOPE"))
    assert refused.status == 422 and refused.json["code"] == "discount_invalid"
    assert error_beside(d, "discount_code") == refused.json["detail"]
    assert field(d, "discount_code").get_attribute("aria-invalid") == "true"
    wait_for(d, lambda: total_text(d) == money(1900 + 500 + 138), "the total without a discount")
    assert not all_css(d, "#discount-row") and not all_css(d, "#discount-ok")
    check_page(d, "checkout-discount-error", seen)

    fill(d, {"discount_code": "WELCOME10"})
    by_css(d, "#apply-discount").click()
    wait_for(d, lambda: total_text(d) == money(quote["total"]), "the discounted total again")
    assert error_beside(d, "discount_code") == ""
    check_page(d, "checkout", seen)
    doc_shot(d, "checkout")

    # A declined card: the order is placed, the failure shown beside the card number.
    fill(d, {"card.number": DECLINED_CARD, "card.exp_month": "12", "card.exp_year": "2031", "card.cvc": "123"})
    by_css(d, "#place-order").click()
    wait_for(d, lambda: "declined" in error_beside(d, "card.number"), "the declined card")
    assert by_css(d, "#order-placed").is_displayed()
    assert not field(d, "shipping_address.city").is_enabled()
    # Then a good card pays that same order.
    fill(d, {"card.number": GOOD_CARD})
    by_css(d, "#place-order").click()
    wait_for(d, lambda: "/shop/orders/" in d.current_url, "the order page")
    loaded(d, "Order")
    order_id = order_id_from(d)
    assert "Thank you" in by_css(d, "#confirmation").text
    assert "keeps the key" in by_css(d, "#confirmation").text
    assert by_css(d, "#order-status").text == "paid"
    tokens = json.loads(d.execute_script("return localStorage.getItem('shop.orders')"))
    assert set(tokens) == {order_id}
    assert d.execute_script("return localStorage.getItem('shop.cart')") is None
    assert by_css(d, "#cart-count").text == "0"
    check_page(d, "confirmation", seen)

    # The order is exactly what the page showed.
    order = server.get(f"/api/v1/orders/{order_id}", token=admin).json
    assert order["status"] == "paid" and order["email"] == email and order["user_id"] is None
    assert [(i["sku"], i["quantity"]) for i in order["items"]] == [("TEE-M-BLK", 1)]
    assert order["discount"]["code"] == "WELCOME10" and order["shipping"]["name"] == "Standard"
    assert order["total"] == quote["total"]
    assert server.get(f"/api/v1/orders/{order_id}", headers={"X-Order-Token": tokens[order_id]}).status == 200

    # The admin ships it with tracking; the status page shows the shipment.
    r = server.post(f"/api/v1/orders/{order_id}/shipments",
                    {"carrier": "UPS", "tracking_number": "1Z999AA10123456784",
                     "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784"}, token=admin)
    assert r.status == 201, r
    d.get(f"{base}/shop/orders/{order_id}")
    loaded(d, "Order")
    assert by_css(d, "#order-status").text == "shipped"
    shipments = by_css(d, "#shipments").text
    assert "UPS" in shipments and "1Z999AA10123456784" in shipments and "1 × Organic T-shirt (Colour: Black, Size: M)" in shipments
    assert by_css(d, "#shipments a").get_attribute("href").startswith("https://www.ups.com/")
    check_page(d, "order-status", seen)

    # Without the kept token (another browser), the page says how to get in, and shows nothing.
    d.execute_script("localStorage.removeItem('shop.orders')")
    d.refresh()
    loaded(d, "Your order")
    assert "no key" in by_css(d, "main").text and "UPS" not in by_css(d, "main").text

    # At 360 px wide nothing scrolls sideways.
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    for path, heading in ((f"/shop/products/{tee['id']}", "Organic T-shirt"), ("/shop/cart", "Your cart"),
                          ("/shop/checkout", "Checkout"), (f"/shop/categories/{shop['clothing']['id']}", "Clothing"),
                          (f"/shop/search?q=shirt", "Results")):
        d.get(base + path)
        loaded(d, heading)
        if path.startswith("/shop/products/"):
            by_css(d, "#add-to-cart").click()
            wait_for(d, lambda: by_css(d, "#cart-count").text == "1", "the cart count")
        if path == "/shop/checkout":
            assert by_css(d, "#place-order").is_displayed()
        width = d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (path, width)
        check_page(d, f"360px-{path.split('/')[2].split('?')[0]}", seen)
    with capsys.disabled():
        print(f"\nstorefront screenshots ({len(seen)}) in {artifact_dir()}")


def test_category_filters_narrow_the_list_and_say_what_is_wrong(shop, driver):
    server, clothing = shop["server"], shop["clothing"]
    base = f"http://127.0.0.1:{server.port}"
    d, seen = driver, []
    d.get(f"{base}/shop/categories/{clothing['id']}")
    loaded(d, "Clothing")
    # Option filters come from the category's products.
    by_css(d, 'input[value="Size:M"]').click()
    by_css(d, '[data-field="in_stock"]').click()
    fill(d, {"max_price": "20"})
    by_css(d, ".filters button[type=submit]").click()
    wait_for(d, lambda: "option=Size%3AM" in d.current_url and "max_price=2000" in d.current_url, "the filtered URL")
    loaded(d, "Clothing")
    wait_for(d, lambda: all_css(d, "#results a") or "No products" in by_css(d, "main").text, "the results")
    names = [a.text for a in all_css(d, "#results a")]
    api = server.get(f"/api/v1/products?category={clothing['id']}&option=Size:M&in_stock=true&max_price=2000&limit=24").json
    assert len(names) == len(api["items"]) and any("Organic T-shirt" in n for n in names)
    assert by_css(d, 'input[value="Size:M"]').is_selected()
    assert field(d, "max_price").get_attribute("value") == "20"
    check_page(d, "category-filtered", seen)
    # Below its price, the T-shirt is gone.
    fill(d, {"max_price": "18.99"})
    by_css(d, ".filters button[type=submit]").click()
    wait_for(d, lambda: "max_price=1899" in d.current_url, "the new URL")
    loaded(d, "Clothing")
    wait_for(d, lambda: not any("Organic T-shirt" in a.text for a in all_css(d, "#results a")), "the T-shirt to go")
    # A price the API refuses (From above To) is shown beside the field it names.
    fill(d, {"min_price": "50", "max_price": "10"})
    by_css(d, ".filters button[type=submit]").click()
    loaded(d, "Clothing")
    refused = server.get(f"/api/v1/products?category={clothing['id']}&min_price=5000&max_price=1000")
    assert refused.status == 422
    wait_for(d, lambda: error_beside(d, refused.json["errors"][0]["field"]) == refused.json["errors"][0]["message"],
             "the API's message beside the price")
    # Text that is not an amount is caught before asking.
    fill(d, {"min_price": "abc"})
    by_css(d, ".filters button[type=submit]").click()
    wait_for(d, lambda: "amount" in error_beside(d, "min_price"), "the amount message")
    check_page(d, "category-error", seen)
    # The check itself sees a violation: an input with no label is a critical one.
    d.execute_script("document.querySelector('main').append(document.createElement('input'))")
    assert any("critical label" in v for v in axe_violations(d))


def test_a_customer_registers_buys_and_finds_the_order_in_their_history(shop, driver):
    server, admin, tee = shop["server"], shop["admin"], shop["tee"]
    base = f"http://127.0.0.1:{server.port}"
    d, seen = driver, []
    email = "ada@example.com"

    # A guest puts a T-shirt in the browser's cart, then registers: the cart joins the account.
    d.get(f"{base}/shop/products/{tee['id']}")
    loaded(d, "Organic T-shirt")
    # Size L exists in White only: choosing it moves the colour there.
    by_css(d, 'input[data-option="Size"][value="L"]').find_element("xpath", "..").click()
    assert by_css(d, 'input[data-option="Colour"][value="White"]').is_selected()
    assert by_css(d, "#price").text == "$21.00"
    # By keyboard: from the quantity, Tab reaches the button and Enter adds.
    from selenium.webdriver.common.keys import Keys
    by_css(d, "#qty").click()
    d.switch_to.active_element.send_keys(Keys.TAB)
    assert d.switch_to.active_element.get_attribute("id") == "add-to-cart"
    d.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(d, lambda: by_css(d, "#cart-count").text == "1", "the cart count")

    d.get(f"{base}/shop/register")
    loaded(d, "Create an account")
    fill(d, {"name": "Ada", "email": email, "password": "short"})
    by_css(d, "#register-submit").click()
    wait_for(d, lambda: error_beside(d, "password"), "the password rule")
    refused = server.post("/api/v1/users", {"email": "x" + email, "password": "short", "name": "X"})
    assert refused.status == 422 and error_beside(d, "password") == refused.json["errors"][0]["message"]
    check_page(d, "register-error", seen)
    fill(d, {"password": "correct horse 42"})
    by_css(d, "#register-submit").click()
    wait_for(d, lambda: d.current_url.endswith("/shop/account"), "the account page")
    loaded(d, "Your account")
    assert email in by_css(d, "main").text
    wait_for(d, lambda: not by_css(d, "#order-history").find_elements("css selector", "tbody tr"), "an empty history")
    assert d.execute_script("return localStorage.getItem('shop.cart')") is None
    check_page(d, "account-empty", seen)

    # The API cart holds the guest's line.
    by_css(d, "#nav-cart").click()
    loaded(d, "Your cart")
    assert "Colour: White, Size: L" in by_css(d, "#cart").text
    by_css(d, "#to-checkout").click()
    loaded(d, "Checkout")
    assert not all_css(d, '[data-field="email"]')  # signed in: the account's e-mail
    fill_address(d)
    by_css(d, "#get-quote").click()
    wait_for(d, lambda: total_text(d) == money(2100 + 500 + 152), "the total")  # 7.25 % of 21.00 is 1.5225
    fill(d, {"card.number": GOOD_CARD, "card.exp_month": "1", "card.exp_year": "2032", "card.cvc": "999"})
    by_css(d, "#place-order").click()
    wait_for(d, lambda: "/shop/orders/" in d.current_url, "the order page")
    loaded(d, "Order")
    order_id = order_id_from(d)
    assert by_css(d, "#order-status").text == "paid"
    assert "your account" in by_css(d, "#confirmation").text
    assert d.execute_script("return localStorage.getItem('shop.orders')") is None  # no guest token needed

    # History lists it; the API agrees, the address was saved, the cart is empty.
    by_css(d, "#nav-account").click()
    loaded(d, "Your account")
    wait_for(d, lambda: all_css(d, f'#order-history tr[data-order-id="{order_id}"]'), "the order in the history")
    row = by_css(d, f'#order-history tr[data-order-id="{order_id}"]').text
    assert "paid" in row and money(2752) in row
    check_page(d, "account-history", seen)
    order = server.get(f"/api/v1/orders/{order_id}", token=admin).json
    assert order["user_id"] and order["total"] == 2752 and order["items"][0]["sku"] == "TEE-L-WHT"
    token = json.loads(d.execute_script("return localStorage.getItem('shop.session')"))["access_token"]
    assert server.get("/api/v1/cart", token=token).json["items"] == []
    assert [a["city"] for a in server.get("/api/v1/users/me/addresses", token=token).json["items"]] == ["Sacramento"]

    # Sign out, then a wrong password is told beside the password field, and the right one signs in.
    by_css(d, "#signout").click()
    wait_for(d, lambda: by_css(d, "#nav-account").text == "Sign in", "signed out")
    assert d.execute_script("return localStorage.getItem('shop.session')") is None
    d.get(f"{base}/shop/signin")
    loaded(d, "Sign in")
    fill(d, {"email": email, "password": "wrong horse 42"})
    by_css(d, "#signin-submit").click()
    wait_for(d, lambda: error_beside(d, "password"), "the sign-in error")
    wrong = server.post("/api/v1/auth/login", {"email": email, "password": "wrong horse 42"})
    assert wrong.status == 401 and error_beside(d, "password") == wrong.json["detail"]
    check_page(d, "signin-error", seen)
    fill(d, {"password": "correct horse 42"})
    by_css(d, "#signin-submit").click()
    wait_for(d, lambda: d.current_url.endswith("/shop/account"), "the account again")
    wait_for(d, lambda: all_css(d, f'#order-history tr[data-order-id="{order_id}"]'), "the history again")


def test_a_forgotten_password_is_reset_from_the_mails_link_and_signs_in(make_server, driver):
    """Sign-in's "Forgot password?" asks for the mail; the mail, read from a real SMTP
    conversation, links to /shop/reset-password#token=...; that page sets the password, and
    the new one signs in. The link's base is SHOPD_SHOP_URL (this server's port is chosen at
    start, so the link names a stand-in host and the browser opens its path here)."""
    from smtp_sink import SmtpSink, mail_env
    sink = SmtpSink().start()
    try:
        server = make_server(env={**admin_env(), **mail_env(sink), "SHOPD_SHOP_URL": "https://shop.example/"})
        _, _, email, password = new_customer(server, "Rosa")
        base = f"http://127.0.0.1:{server.port}"
        d, seen = driver, []

        d.get(f"{base}/shop/signin")
        loaded(d, "Sign in")
        by_css(d, "#forgot-password").click()
        wait_for(d, lambda: d.current_url.endswith("/shop/forgot-password"), "the reset request page")
        loaded(d, "Reset your password")
        fill(d, {"email": "not an address"})
        by_css(d, "#forgot-submit").click()
        wait_for(d, lambda: error_beside(d, "email"), "the e-mail rule")
        check_page(d, "forgot-password-error", seen)
        fill(d, {"email": email.upper()})
        by_css(d, "#forgot-submit").click()
        wait_for(d, lambda: all_css(d, "#forgot-sent"), "the request acknowledged")
        assert email.upper() in by_css(d, "#forgot-sent").text
        check_page(d, "forgot-password-sent", seen)

        mail = sink.wait_for(lambda m: m.to == email and m.subject == "Reset your password")
        link = re.search(r"^(https://shop\.example/shop/reset-password#token=(\S+))$", mail.text, re.M)
        assert link, mail.text
        assert f'href="{link.group(1)}"' in mail.html
        token = link.group(2)
        assert re.search(rf"^    {re.escape(token)}$", mail.text, re.M)  # the token, for API clients
        path = link.group(1)[len("https://shop.example"):]

        # The page drops the token from the address; a weak password is told beside the field.
        d.get(base + path)
        loaded(d, "Choose a new password")
        wait_for(d, lambda: d.current_url == f"{base}/shop/reset-password", "the token off the address")
        fill(d, {"password": "short"})
        by_css(d, "#reset-submit").click()
        wait_for(d, lambda: error_beside(d, "password"), "the password rule")
        check_page(d, "reset-password-error", seen)
        fill(d, {"password": "a brand new secret"})
        by_css(d, "#reset-submit").click()
        wait_for(d, lambda: all_css(d, "#reset-done"), "the password set")
        loaded(d, "Your password is set")
        check_page(d, "reset-password-done", seen)
        assert server.post("/api/v1/auth/login", {"email": email, "password": password}).status == 401

        by_css(d, "#reset-signin").click()
        loaded(d, "Sign in")
        fill(d, {"email": email, "password": "a brand new secret"})
        by_css(d, "#signin-submit").click()
        wait_for(d, lambda: d.current_url.endswith("/shop/account"), "the account page")
        loaded(d, "Your account")
        assert email in by_css(d, "main").text

        # The link works once: opened again, the page says so and offers a new one.
        d.get(base + path)
        loaded(d, "Choose a new password")
        fill(d, {"password": "yet another secret"})
        by_css(d, "#reset-submit").click()
        wait_for(d, lambda: by_css(d, "[data-form-error]").text, "the used link refused")
        used = server.post("/api/v1/auth/password-reset/confirm", {"token": token, "password": "yet another secret"})
        assert used.status == 400 and used.json["detail"] in by_css(d, "[data-form-error]").text
        assert by_css(d, '[data-form-error] a[href="/shop/forgot-password"]')
        check_page(d, "reset-password-used", seen)
        # Without a token at all, the page says what it needs.
        d.get(f"{base}/shop/reset-password")
        loaded(d, "Choose a new password")
        assert not all_css(d, "#reset-form") and "link from your reset mail" in by_css(d, "main").text
        check_page(d, "reset-password-no-token", seen)
    finally:
        sink.stop()


def test_a_cross_origin_request_varies_by_origin_and_encoding(make_server):
    server = make_server(env={"SHOPD_CORS_ORIGINS": "https://shop.example"})
    r = server.get("/shop/assets/app.js", headers={"Origin": "https://shop.example", "Accept-Encoding": "gzip"})
    assert r.status == 200 and r.header("access-control-allow-origin") == "https://shop.example"
    assert {v.strip() for v in r.header("vary").split(",")} == {"Accept-Encoding", "Origin"}


def test_a_lapsed_access_token_is_refreshed_and_the_page_carries_on(make_server, driver):
    # 3 s: long enough that a refreshed token (exp counted in whole seconds) outlives its retry.
    server = make_server(env={**admin_env(), "SHOPD_ACCESS_TTL": "3"})
    _, _, email, password = new_customer(server, "Lin")
    d, seen = driver, []
    d.get(f"http://127.0.0.1:{server.port}/shop/signin")
    loaded(d, "Sign in")
    fill(d, {"email": email, "password": password})
    by_css(d, "#signin-submit").click()
    wait_for(d, lambda: d.current_url.endswith("/shop/account"), "the account page")
    loaded(d, "Your account")
    first = json.loads(d.execute_script("return localStorage.getItem('shop.session')"))
    wait_for(d, lambda: server.get("/api/v1/users/me", token=first["access_token"]).status == 401,
             "the access token to lapse", timeout=10)
    # The next page's request is refused once, the session refreshed, and the request made again.
    by_css(d, "#nav-cart").click()
    loaded(d, "Your cart")
    assert by_css(d, "#cart-empty").is_displayed()
    now = json.loads(d.execute_script("return localStorage.getItem('shop.session')"))
    assert now["refresh_token"] != first["refresh_token"] and now["user"]["email"] == email
    assert by_css(d, "#nav-account").text == "Your account"
    check_page(d, "refreshed", seen)


def test_a_payment_still_processing_is_said_so_and_not_asked_for_again(shop, driver):
    server, tee = shop["server"], shop["tee"]
    base = f"http://127.0.0.1:{server.port}"
    d, seen = driver, []
    d.get(f"{base}/shop/products/{tee['id']}?variant={shop['variant']['TEE-M-WHT']['id']}")
    loaded(d, "Organic T-shirt")
    assert by_css(d, 'input[data-option="Colour"][value="White"]').is_selected()
    by_css(d, "#add-to-cart").click()
    wait_for(d, lambda: by_css(d, "#cart-count").text == "1", "the cart count")
    d.get(f"{base}/shop/checkout")
    loaded(d, "Checkout")
    fill(d, {"email": "pending@example.com"})
    fill_address(d)
    # Without a quote, the button first shows the total and places nothing.
    fill(d, {"card.number": "4000000000003220", "card.exp_month": "12", "card.exp_year": "2031", "card.cvc": "123"})
    by_css(d, "#place-order").click()
    wait_for(d, lambda: total_text(d) == money(1900 + 500 + 138), "the total")
    assert "press the button again" in by_css(d, "[data-form-error]").text
    assert "/shop/checkout" in d.current_url and not all_css(d, "#order-placed")
    by_css(d, "#place-order").click()
    wait_for(d, lambda: "/shop/orders/" in d.current_url, "the order page")
    loaded(d, "Order")
    assert by_css(d, "#order-status").text == "pending payment"
    assert "being processed" in by_css(d, "#processing").text
    assert not all_css(d, "#pay")
    check_page(d, "processing", seen)

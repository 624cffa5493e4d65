"""Section 9, options and variants: each variant its own sku, price and stock; a product
without options is one variant; carts, orders and stock work per variant."""
import uuid

import pytest

from shopd import Server, admin_env, admin_token, new_customer
from test_orders import ADDRESS, buy_concurrently, make_product, stock_of


def tee(server, token, sizes=("S", "M", "L"), colours=("Red", "Blue"), price=2000, stock=5, **extra):
    """A T-shirt with Size x Colour variants; M costs 100 more, Blue variants have 2 more in stock."""
    base = "TEE-" + uuid.uuid4().hex[:8]
    variants = [{"sku": f"{base}-{s}-{c}", "options": {"Size": s, "Colour": c},
                 "price": price + (100 if s == "M" else 0), "stock": stock + (2 if c == "Blue" else 0)}
                for s in sizes for c in colours]
    body = {"sku": base, "name": f"Tee {base}", "description": "Cotton",
            "options": [{"name": "Size", "values": list(sizes)}, {"name": "Colour", "values": list(colours)}],
            "variants": variants, **extra}
    r = server.post("/api/v1/products", body, token=token)
    assert r.status == 201, r
    return r.json


def variant(product, **options):
    return next(v for v in product["variants"] if v["options"] == options)


@pytest.fixture
def shop(server):
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    return server, admin, customer


def test_a_product_with_options_lists_its_variants_and_reads_price_and_stock_from_them(shop):
    server, admin, _ = shop
    p = tee(server, admin)
    assert p["options"] == [{"name": "Size", "values": ["S", "M", "L"]}, {"name": "Colour", "values": ["Red", "Blue"]}]
    assert len(p["variants"]) == 6
    for v in p["variants"]:
        assert set(v) == {"id", "sku", "options", "price", "stock", "status"} and v["status"] == "active"
        assert v["id"].startswith("var_")
    assert (p["price"], p["price_max"], p["stock"]) == (2000, 2100, 3 * 5 + 3 * 7)
    got = server.get(f"/api/v1/products/{p['id']}")
    assert got.status == 200 and got.json == p


def test_a_product_without_options_is_one_variant_with_the_products_id(shop):
    server, admin, _ = shop
    p = make_product(server, admin, price=1234, stock=9)
    assert p["options"] == [] and p["price_max"] == 1234
    assert p["variants"] == [{"id": p["id"], "sku": p["sku"], "options": {}, "price": 1234, "stock": 9,
                              "status": "active"}]
    # a price or sku change moves the one variant with it
    r = server.request("PATCH", f"/api/v1/products/{p['id']}", {"price": 1500, "sku": p["sku"] + "-X"}, token=admin)
    assert r.status == 200 and r.json["version"] == p["version"] + 1
    assert r.json["variants"][0]["price"] == 1500 and r.json["variants"][0]["sku"] == p["sku"] + "-X"
    assert r.json["price_max"] == 1500


def test_bad_options_and_variants_are_one_422_naming_every_field(shop):
    server, admin, _ = shop
    base = {"sku": "BAD-" + uuid.uuid4().hex[:6], "name": "Bad"}
    opts = [{"name": "Size", "values": ["S", "M"]}]
    cases = [
        (dict(base, options=opts, variants=[{"sku": "b1", "options": {"Size": "S"}, "price": 1}], price=5), {"price"}),
        (dict(base, options=opts, variants=[{"sku": "b1", "options": {"Size": "XL"}, "price": 1},
                                            {"sku": "b2", "options": {"Size": "S"}, "price": -1}]),
         {"variants[0].options", "variants[1].price"}),
        (dict(base, options=opts, variants=[{"sku": "b1", "options": {"Size": "S"}, "price": 1},
                                            {"sku": "b2", "options": {"Size": "S"}, "price": 1}]),
         {"variants[1].options"}),
        (dict(base, options=opts, variants=[{"sku": "b1", "options": {"Size": "S"}, "price": 1},
                                            {"sku": "b1", "options": {"Size": "M"}, "price": 1}]),
         {"variants[1].sku"}),
        (dict(base, options=[{"name": "A", "values": ["1"]}, {"name": "a", "values": ["2"]},
                             {"name": "C:D", "values": []}], variants=[]),
         {"options[1].name", "options[2].name", "options[2].values"}),
        (dict(base, options=[{"name": n, "values": ["1"]} for n in "ABCD"], variants=[]), {"options"}),
        (dict(base, options=opts), {"variants"}),
        (dict(base, price=1, variants=[{"sku": "b1", "options": {}, "price": 1}]), {"variants"}),
    ]
    for body, fields in cases:
        r = server.post("/api/v1/products", body, token=admin)
        assert r.status == 422, (body, r)
        assert r.json["code"] == "validation_failed"
        assert fields <= {e["field"] for e in r.json["errors"]}, (body, r.json["errors"])
    assert server.get("/api/v1/products?limit=100").json["items"] == []


def test_skus_are_unique_across_products_and_variants(shop):
    server, admin, _ = shop
    plain = make_product(server, admin)
    t = tee(server, admin)
    clash = dict(sku="NEW-" + uuid.uuid4().hex[:6], name="Clash", options=[{"name": "Size", "values": ["S"]}],
                 variants=[{"sku": plain["sku"], "options": {"Size": "S"}, "price": 1}])
    assert server.post("/api/v1/products", clash, token=admin).json["code"] == "sku_taken"
    r = server.post("/api/v1/products", {"sku": t["variants"][0]["sku"], "name": "x", "price": 1}, token=admin)
    assert r.status == 409 and r.json["code"] == "sku_taken"
    r = server.post(f"/api/v1/products/{t['id']}/variants",
                    {"sku": plain["sku"], "options": {"Size": "XL", "Colour": "Red"}, "price": 1}, token=admin)
    assert r.status in (409, 422)


def test_variant_routes_add_change_archive_and_adjust_stock(shop):
    server, admin, _ = shop
    p = tee(server, admin, sizes=("S", "M"), colours=("Red",))
    v = p["variants"][0]
    # add: a new combination needs a value of every option; a new value joins its option
    for options in ({"Size": "L"}, {"Size": "L", "Colour": "Red", "Fit": "Slim"}, {"Size": 3, "Colour": "Red"}):
        r = server.post(f"/api/v1/products/{p['id']}/variants",
                        {"sku": p["sku"] + "-L", "options": options, "price": 50, "stock": 1}, token=admin)
        assert r.status == 422 and r.json["errors"][0]["field"] == "options", (options, r)
    r = server.post(f"/api/v1/products/{p['id']}/variants",
                    {"sku": p["sku"] + "-L", "options": {"Size": "L", "Colour": "Red"}, "price": 2200, "stock": 0},
                    token=admin)
    assert r.status == 201, r
    grown = server.get(f"/api/v1/products/{p['id']}").json
    assert grown["options"][0] == {"name": "Size", "values": ["S", "M", "L"]}
    assert grown["version"] == p["version"] + 1 and grown["price_max"] == 2200
    server.request("DELETE", f"/api/v1/products/{p['id']}/variants/{r.json['id']}", token=admin)
    p = server.get(f"/api/v1/products/{p['id']}").json
    r = server.post(f"/api/v1/products/{p['id']}/variants",
                    {"sku": p["sku"] + "-S2", "options": {"Size": "S", "Colour": "Red"}, "price": 50}, token=admin)
    assert r.status == 422  # the combination is on sale already
    # archive S, then S may be sold again under a new sku
    assert server.request("DELETE", f"/api/v1/products/{p['id']}/variants/{v['id']}", token=admin).status == 204
    after = server.get(f"/api/v1/products/{p['id']}").json
    assert after["version"] == p["version"] + 1
    assert variant(after, Size="S", Colour="Red")["status"] == "archived"
    assert after["stock"] == 5 and after["price"] == 2100  # only M counts now
    r = server.post(f"/api/v1/products/{p['id']}/variants",
                    {"sku": p["sku"] + "-S2", "options": {"Size": "S", "Colour": "Red"}, "price": 50, "stock": 4},
                    token=admin)
    assert r.status == 201, r
    new = r.json
    assert new["sku"] == p["sku"] + "-S2" and new["options"] == {"Size": "S", "Colour": "Red"} and new["stock"] == 4
    after = server.get(f"/api/v1/products/{p['id']}").json
    assert (after["price"], after["price_max"], after["stock"], after["version"]) == (50, 2100, 9, p["version"] + 2)

    r = server.request("PATCH", f"/api/v1/products/{p['id']}/variants/{new['id']}", {"price": 3000}, token=admin)
    assert r.status == 200 and r.json["price"] == 3000
    after = server.get(f"/api/v1/products/{p['id']}").json
    assert (after["price"], after["price_max"]) == (2100, 3000)
    r = server.request("PATCH", f"/api/v1/products/{p['id']}/variants/{new['id']}", {"stock": 3}, token=admin)
    assert r.status == 422

    r = server.post(f"/api/v1/products/{p['id']}/variants/{new['id']}/stock", {"delta": -4, "reason": "count"},
                    token=admin)
    assert r.status == 200 and r.json == {"product_id": p["id"], "variant_id": new["id"], "stock": 0}
    r = server.post(f"/api/v1/products/{p['id']}/variants/{new['id']}/stock", {"delta": -1}, token=admin)
    assert r.status == 409 and r.json["code"] == "insufficient_stock"
    r = server.post(f"/api/v1/products/{p['id']}/stock", {"delta": 1}, token=admin)
    assert r.status == 422 and r.json["code"] == "variant_required"
    assert server.post(f"/api/v1/products/{p['id']}/variants/var_nope/stock", {"delta": 1},
                       token=admin).status == 404
    other = make_product(server, admin)
    assert server.post(f"/api/v1/products/{other['id']}/variants/{new['id']}/stock", {"delta": 1},
                       token=admin).status == 404


def test_cart_and_orders_take_a_variant_and_reserve_its_stock(shop):
    server, admin, customer = shop
    p = tee(server, admin, sizes=("S", "M"), colours=("Red",))
    m = variant(p, Size="M", Colour="Red")
    r = server.request("PUT", f"/api/v1/cart/items/{p['id']}", {"quantity": 1}, token=customer)
    assert r.status == 422 and r.json["code"] == "variant_required"
    r = server.request("PUT", f"/api/v1/cart/items/{m['id']}", {"quantity": 2}, token=customer)
    assert r.status == 200, r
    line = r.json["items"][0]
    assert (line["product_id"], line["variant_id"], line["sku"], line["options"], line["unit_price"]) == (
        p["id"], m["id"], m["sku"], {"Size": "M", "Colour": "Red"}, 2100)

    r = server.post("/api/v1/orders", {"items": [{"product_id": p["id"], "quantity": 1}],
                                       "shipping_address": ADDRESS}, token=customer)
    assert r.status == 422 and r.json["code"] == "variant_required"
    r = server.post("/api/v1/orders", {"from_cart": True, "shipping_address": ADDRESS}, token=customer)
    assert r.status == 201, r
    o = r.json
    assert o["items"][0]["variant_id"] == m["id"] and o["items"][0]["options"] == {"Size": "M", "Colour": "Red"}
    assert o["items"][0]["sku"] == m["sku"] and o["total"] == 4200
    after = server.get(f"/api/v1/products/{p['id']}").json
    assert variant(after, Size="M", Colour="Red")["stock"] == 3 and variant(after, Size="S", Colour="Red")["stock"] == 5
    assert after["stock"] == 8

    # too many of one variant: 409 naming the variant and its product, nothing taken
    r = server.post("/api/v1/orders", {"items": [{"variant_id": m["id"], "quantity": 4}],
                                       "shipping_address": ADDRESS}, token=customer)
    assert r.status == 409 and r.json["code"] == "insufficient_stock"
    assert r.json["variant_id"] == m["id"] and r.json["product_id"] == p["id"]
    # a variant of another product named beside its product_id
    other = make_product(server, admin)
    r = server.post("/api/v1/orders", {"items": [{"variant_id": m["id"], "product_id": other["id"], "quantity": 1}],
                                       "shipping_address": ADDRESS}, token=customer)
    assert r.status == 422

    assert server.post(f"/api/v1/orders/{o['id']}/cancel", token=customer).json["status"] == "cancelled"
    assert variant(server.get(f"/api/v1/products/{p['id']}").json, Size="M", Colour="Red")["stock"] == 5

    # an archived variant is no longer sold, and drops out of carts
    server.request("PUT", f"/api/v1/cart/items/{m['id']}", {"quantity": 1}, token=customer)
    server.request("DELETE", f"/api/v1/products/{p['id']}/variants/{m['id']}", token=admin)
    cart = server.get("/api/v1/cart", token=customer).json
    assert cart["items"] == [] and cart["notes"][0]["variant_id"] == m["id"]
    r = server.post("/api/v1/orders", {"items": [{"variant_id": m["id"], "quantity": 1}],
                                       "shipping_address": ADDRESS}, token=customer)
    assert r.status == 422


def test_listing_filters_by_option_and_stock(shop):
    server, admin, _ = shop
    a = tee(server, admin, sizes=("S", "M"), colours=("Red",))
    b = tee(server, admin, sizes=("M", "L"), colours=("Blue",))
    empty = make_product(server, admin, stock=0)
    # a's M goes out of stock: only b still has an M in stock
    m = variant(a, Size="M", Colour="Red")
    server.post(f"/api/v1/products/{a['id']}/variants/{m['id']}/stock", {"delta": -5}, token=admin)

    def ids(query):
        r = server.get("/api/v1/products?limit=100&" + query)
        assert r.status == 200, r
        return {p["id"] for p in r.json["items"]}

    assert ids("option=Size:M") == {b["id"]}
    assert ids("option=Size:S") == {a["id"]}
    assert ids("option=Size:M&option=Colour:Blue") == {b["id"]}
    assert ids("option=Size:S&option=Colour:Blue") == set()
    assert ids("in_stock=true") == {a["id"], b["id"]}
    assert ids("in_stock=false") == {empty["id"]}
    for bad in ("option=Size", "option=:M", "in_stock=yes"):
        r = server.get("/api/v1/products?" + bad)
        assert r.status == 422, bad


def test_three_processes_never_oversell_the_last_units_of_one_variant(tmp_path):
    db = str(tmp_path / "shared.db")
    env = dict(admin_env(), SHOPD_JWT_SECRET="a-shared-secret-for-three-replicas-0123456789",
               SHOPD_MAX_OPEN_ORDERS="0")
    servers = [Server(env=env, db=db).start() for _ in range(3)]
    try:
        admin = admin_token(servers[0])
        p = tee(servers[0], admin, sizes=("S", "M"), colours=("Red",), stock=8)
        m = variant(p, Size="M", Colour="Red")
        buyers = [new_customer(servers[i % 3])[1] for i in range(30)]
        statuses = buy_concurrently(servers, m["id"], buyers)
        assert statuses.count(201) == 8, statuses
        assert statuses.count(409) == 22
        for s in servers:
            got = s.get(f"/api/v1/products/{p['id']}").json
            assert variant(got, Size="M", Colour="Red")["stock"] == 0
            assert variant(got, Size="S", Colour="Red")["stock"] == 8 and got["stock"] == 8
    finally:
        for s in servers:
            s.close()


def test_copy_carries_options_variants_and_their_stock(tmp_path):
    from shopd import run_cli
    src = str(tmp_path / "src.db")
    s = Server(env=admin_env(), db=src, backend="sqlite").start()
    try:
        admin = admin_token(s)
        p = tee(s, admin, sizes=("S", "M"), colours=("Red",))
        m = variant(p, Size="M", Colour="Red")
        s.post(f"/api/v1/products/{p['id']}/variants/{m['id']}/stock", {"delta": -2}, token=admin)
        before = s.get(f"/api/v1/products/{p['id']}").json
        filtered = s.get("/api/v1/products?option=Size:M").json["items"]
    finally:
        s.close()
    dst = str(tmp_path / "dst.db")
    r = run_cli(["copy", "--from", src, "--to", dst])
    assert r.returncode == 0, r.stderr
    t = Server(env=admin_env(), db=dst, backend="sqlite").start()
    try:
        assert t.get(f"/api/v1/products/{p['id']}").json == before
        assert t.get("/api/v1/products?option=Size:M").json["items"] == filtered
        _, customer, _, _ = new_customer(t)
        r = t.post("/api/v1/orders", {"items": [{"variant_id": m["id"], "quantity": 1}],
                                      "shipping_address": ADDRESS}, token=customer)
        assert r.status == 201, r
    finally:
        t.close()

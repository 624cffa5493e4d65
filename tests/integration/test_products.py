"""Section 4 of the contract, products: every route, its status codes and error codes,
ETag / If-None-Match / If-Match, roles, pagination, and the --demo catalogue."""
import json
import re
import threading
import urllib.parse

import pytest

from shopd import admin_token, new_customer

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
FIELDS = {"id", "sku", "name", "description", "price", "currency", "stock", "category_id", "attributes",
          "images", "status", "version", "created_at", "updated_at",
          # section 9: a product without options has no options and one variant
          "options", "variants", "price_max"}

_sku = [0]


def next_sku():
    _sku[0] += 1
    return f"IT-{_sku[0]}"


@pytest.fixture
def admin(server):
    return admin_token(server)


def create(server, token, **fields):
    body = {"sku": next_sku(), "name": "Widget", "price": 1000, "stock": 10}
    body.update(fields)
    r = server.post("/api/v1/products", body, token=token)
    assert r.status == 201, r
    return r.json


def category(server, token, name, parent_id=None):
    body = {"name": name}
    if parent_id:
        body["parent_id"] = parent_id
    r = server.post("/api/v1/categories", body, token=token)
    assert r.status == 201, r
    return r.json


def patch(server, path, body, token, headers=None):
    return server.request("PATCH", path, body=body, token=token, headers=headers)


def delete(server, path, token, headers=None):
    return server.request("DELETE", path, token=token, headers=headers)


def problem(r, status, code):
    assert r.status == status, r
    assert r.header("content-type") == "application/problem+json", r.headers
    assert r.json["code"] == code, r
    assert r.json["status"] == status
    return r.json


def error_fields(r):
    return {e["field"] for e in r.json.get("errors", [])}


def list_url(**params):
    return "/api/v1/products?" + urllib.parse.urlencode(params)


def all_pages(server, max_pages=200, **params):
    """Follows next_cursor to the end; returns every item."""
    items, cursor = [], None
    for _ in range(max_pages):
        q = dict(params)
        if cursor:
            q["cursor"] = cursor
        r = server.get(list_url(**q))
        assert r.status == 200, r
        assert set(r.json) == {"items", "next_cursor"}
        items += r.json["items"]
        cursor = r.json["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


# --- create -----------------------------------------------------------------------------

def test_create_returns_the_whole_product(server, admin):
    cat = category(server, admin, "Kitchen")
    body = {"sku": "MUG-001", "name": "Enamel Mug", "description": "Holds 350 ml.", "price": 1299, "stock": 12,
            "category_id": cat["id"], "attributes": {"color": "blue", "capacity_ml": 350},
            "images": ["https://img.example.com/mug.jpg", "http://img.example.com/mug-2.jpg"]}
    r = server.post("/api/v1/products", body, token=admin)
    assert r.status == 201, r
    p = r.json
    assert set(p) == FIELDS
    for k, v in body.items():
        assert p[k] == v, k
    assert p["id"].startswith("prod_")
    assert p["currency"] == "USD"
    assert p["status"] == "active"
    assert p["version"] == 1
    assert RFC3339.match(p["created_at"]) and RFC3339.match(p["updated_at"])
    assert r.header("location") == f"/api/v1/products/{p['id']}"
    assert r.header("etag") == '"1"'
    got = server.get(f"/api/v1/products/{p['id']}")
    assert got.status == 200
    assert got.json == p


def test_create_defaults(server, admin):
    r = server.post("/api/v1/products", {"sku": "BARE-1", "name": "Bare", "price": 0}, token=admin)
    assert r.status == 201, r
    p = r.json
    assert p["price"] == 0 and p["stock"] == 0 and p["description"] == "" and p["category_id"] is None
    assert p["attributes"] == {} and p["images"] == [] and p["currency"] == "USD"


def test_create_needs_an_admin(server, admin):
    body = {"sku": "X-1", "name": "X", "price": 1}
    r = server.post("/api/v1/products", body)
    problem(r, 401, "unauthorized")
    assert r.header("www-authenticate").startswith("Bearer")
    problem(server.post("/api/v1/products", body, token="not-a-token"), 401, "unauthorized")
    _, customer, _, _ = new_customer(server)
    problem(server.post("/api/v1/products", body, token=customer), 403, "forbidden")
    # Nothing was created by the refused attempts.
    assert server.post("/api/v1/products", body, token=admin).status == 201


def test_every_write_route_needs_an_admin(server, admin):
    p = create(server, admin)
    _, customer, _, _ = new_customer(server)
    writes = [
        ("POST", "/api/v1/products", {"sku": "Z", "name": "Z", "price": 1}),
        ("PATCH", f"/api/v1/products/{p['id']}", {"name": "Hacked"}),
        ("DELETE", f"/api/v1/products/{p['id']}", None),
        ("POST", f"/api/v1/products/{p['id']}/stock", {"delta": 5, "reason": "x"}),
        ("POST", "/api/v1/categories", {"name": "Hacked"}),
    ]
    for method, path, body in writes:
        r = server.request(method, path, body=body)
        problem(r, 401, "unauthorized")
        assert r.header("www-authenticate").startswith("Bearer"), (method, path)
        problem(server.request(method, path, body=body, token=customer), 403, "forbidden")
    after = server.get(f"/api/v1/products/{p['id']}").json
    assert after == p


@pytest.mark.parametrize("field,value", [
    ("price", -1), ("price", 10.5), ("price", 10.0), ("price", "10"), ("price", None), ("price", True),
    ("stock", -1), ("stock", 2.5), ("stock", "3"),
    ("sku", ""), ("sku", "   "), ("sku", 12), ("name", ""), ("name", None), ("name", ["a"]),
    ("description", 5), ("attributes", []), ("attributes", "x"), ("images", "https://x.example/a.jpg"),
    ("images", ["ftp://x.example/a.jpg"]), ("images", ["not a url"]), ("images", [42]), ("images", ["https://"]),
    ("currency", "EUR"), ("currency", "usd"), ("category_id", "cat_missing"), ("category_id", 7),
])
def test_create_refuses_bad_fields(server, admin, field, value):
    body = {"sku": next_sku(), "name": "Thing", "price": 100, "stock": 1, field: value}
    if value is None:
        del body[field]  # a required field left out
    r = server.post("/api/v1/products", body, token=admin)
    problem(r, 422, "validation_failed")
    assert field in error_fields(r), r


@pytest.mark.parametrize("field", ["id", "version", "status", "created_at", "updated_at", "color"])
def test_create_refuses_fields_clients_do_not_set(server, admin, field):
    body = {"sku": next_sku(), "name": "Thing", "price": 100, field: "x"}
    r = server.post("/api/v1/products", body, token=admin)
    problem(r, 422, "validation_failed")
    assert field in error_fields(r)


def test_create_lists_every_bad_field_at_once(server, admin):
    r = server.post("/api/v1/products", {"sku": "", "price": -5, "stock": 1.5}, token=admin)
    problem(r, 422, "validation_failed")
    assert {"sku", "name", "price", "stock"} <= error_fields(r)


def test_create_accepts_the_shop_currency(server, admin):
    assert create(server, admin, currency="USD")["currency"] == "USD"


def test_malformed_json_is_400(server, admin):
    r = server.request("POST", "/api/v1/products", raw=b'{"sku": "x", ', token=admin,
                       headers={"Content-Type": "application/json"})
    problem(r, 400, "invalid_json")
    r = server.request("POST", "/api/v1/products", raw=b'[1, 2]', token=admin,
                       headers={"Content-Type": "application/json"})
    problem(r, 422, "validation_failed")


def test_sku_taken(server, admin):
    p = create(server, admin, sku="DUP-1")
    problem(server.post("/api/v1/products", {"sku": "DUP-1", "name": "Again", "price": 1}, token=admin),
            409, "sku_taken")
    # An archived product keeps its sku.
    assert delete(server, f"/api/v1/products/{p['id']}", admin).status == 204
    problem(server.post("/api/v1/products", {"sku": "DUP-1", "name": "Again", "price": 1}, token=admin),
            409, "sku_taken")


def test_concurrent_creates_with_one_sku_make_one_product(server, admin):
    results = []

    def attempt():
        r = server.post("/api/v1/products", {"sku": "RACE-1", "name": "Race", "price": 1}, token=admin)
        results.append(r.status)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [201] + [409] * 7


def test_text_round_trips_as_data(server, admin):
    names = ["'; DROP TABLE products; --", 'He said "hello"', "Ünïcødé 商品 🚀", "back\\slash %_ \n newline",
             "<script>alert(1)</script>"]
    made = []
    for name in names:
        p = create(server, admin, name=name, description=name, attributes={name: name})
        made.append(p)
        got = server.get(f"/api/v1/products/{p['id']}").json
        assert got["name"] == name.strip()
        assert got["description"] == name.strip()
        assert got["attributes"] == {name: name}
    p = create(server, admin, sku="'; DROP TABLE products; --")
    assert server.get(f"/api/v1/products/{p['id']}").json["sku"] == "'; DROP TABLE products; --"
    listed = {i["id"] for i in all_pages(server, limit=100)}
    assert {m["id"] for m in made} <= listed


# --- read, ETag -------------------------------------------------------------------------

def test_get_unknown_product_is_404(server):
    problem(server.get("/api/v1/products/prod_nope"), 404, "not_found")
    problem(server.get("/api/v1/products/'%20OR%201=1"), 404, "not_found")


def test_get_is_public_and_carries_an_etag(server, admin):
    p = create(server, admin)
    r = server.get(f"/api/v1/products/{p['id']}")
    assert r.status == 200
    assert r.header("etag") == '"1"'
    assert r.json["version"] == 1


def test_if_none_match_gives_304(server, admin):
    p = create(server, admin)
    path = f"/api/v1/products/{p['id']}"
    etag = server.get(path).header("etag")
    for value in [etag, "*", f'W/{etag}', f'"999", {etag}', f'"0",W/{etag}']:
        r = server.get(path, headers={"If-None-Match": value})
        assert r.status == 304, (value, r)
        assert r.body == ""
        assert r.header("etag") == etag
    for value in ['"999"', 'W/"999"', '"2", "3"']:
        r = server.get(path, headers={"If-None-Match": value})
        assert r.status == 200, value
        assert r.json["id"] == p["id"]
    # After a change the old tag no longer matches.
    assert patch(server, path, {"name": "Renamed"}, admin).status == 200
    r = server.get(path, headers={"If-None-Match": etag})
    assert r.status == 200
    assert r.header("etag") == '"2"'


# --- patch ------------------------------------------------------------------------------

def test_patch_updates_and_bumps_the_version(server, admin):
    p = create(server, admin, name="Lamp", price=2500, attributes={"watts": 8})
    path = f"/api/v1/products/{p['id']}"
    cat = category(server, admin, "Lighting")
    r = patch(server, path, {"name": "Desk Lamp", "price": 2700, "category_id": cat["id"],
                             "images": ["https://img.example.com/lamp.png"], "description": "Warm light."}, admin)
    assert r.status == 200, r
    u = r.json
    assert u["version"] == 2
    assert r.header("etag") == '"2"'
    assert (u["name"], u["price"], u["category_id"]) == ("Desk Lamp", 2700, cat["id"])
    assert u["images"] == ["https://img.example.com/lamp.png"]
    assert u["description"] == "Warm light."
    assert u["sku"] == p["sku"] and u["stock"] == p["stock"] and u["created_at"] == p["created_at"]
    assert server.get(path).json == u

    r = patch(server, path, {"category_id": None, "attributes": {}}, admin)
    assert r.status == 200
    assert r.json["category_id"] is None and r.json["attributes"] == {}
    assert r.json["version"] == 3


def test_patch_with_if_match(server, admin):
    p = create(server, admin, price=100)
    path = f"/api/v1/products/{p['id']}"
    r = patch(server, path, {"price": 200}, admin, headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["version"] == 2
    # A stale tag: nothing changes.
    r = patch(server, path, {"price": 300}, admin, headers={"If-Match": '"1"'})
    problem(r, 412, "precondition_failed")
    current = server.get(path).json
    assert current["price"] == 200 and current["version"] == 2
    r = patch(server, path, {"price": 300}, admin, headers={"If-Match": '"2"'})
    assert r.status == 200 and r.json["version"] == 3
    r = patch(server, path, {"price": 400}, admin, headers={"If-Match": "*"})
    assert r.status == 200 and r.json["version"] == 4
    # Without If-Match the change applies.
    r = patch(server, path, {"price": 500}, admin)
    assert r.status == 200 and r.json["version"] == 5


def test_patch_errors(server, admin):
    a = create(server, admin)
    b = create(server, admin)
    path = f"/api/v1/products/{b['id']}"
    problem(patch(server, path, {"sku": a["sku"]}, admin), 409, "sku_taken")
    for body, field in [({"price": -1}, "price"), ({"price": 9.99}, "price"), ({"stock": 5}, "stock"),
                        ({"id": "prod_x"}, "id"), ({"version": 9}, "version"), ({"status": "active"}, "status"),
                        ({"name": ""}, "name"), ({"name": None}, "name"), ({"category_id": "cat_nope"}, "category_id"),
                        ({"images": ["javascript:alert(1)"]}, "images"), ({"currency": "GBP"}, "currency")]:
        r = patch(server, path, body, admin)
        problem(r, 422, "validation_failed")
        assert field in error_fields(r), (body, r)
    assert server.get(path).json == b
    problem(patch(server, "/api/v1/products/prod_nope", {"name": "x"}, admin), 404, "not_found")
    problem(server.request("PATCH", path, raw=b"{nope", token=admin, headers={"Content-Type": "application/json"}),
            400, "invalid_json")


def test_patch_that_changes_nothing_keeps_the_version(server, admin):
    p = create(server, admin, name="Same")
    r = patch(server, f"/api/v1/products/{p['id']}", {"name": "Same"}, admin)
    assert r.status == 200 and r.json["version"] == 1
    r = patch(server, f"/api/v1/products/{p['id']}", {}, admin)
    assert r.status == 200 and r.json["version"] == 1


# --- archive ----------------------------------------------------------------------------

def test_delete_archives(server, admin):
    p = create(server, admin)
    path = f"/api/v1/products/{p['id']}"
    r = delete(server, path, admin)
    assert r.status == 204 and r.body == ""
    got = server.get(path)
    assert got.status == 200
    assert got.json["status"] == "archived"
    assert got.json["version"] == 2
    assert p["id"] not in {i["id"] for i in all_pages(server, limit=100)}
    # Archiving again changes nothing.
    assert delete(server, path, admin).status == 204
    assert server.get(path).json["version"] == 2
    problem(delete(server, "/api/v1/products/prod_nope", admin), 404, "not_found")


def test_delete_with_a_stale_if_match_is_412(server, admin):
    p = create(server, admin)
    path = f"/api/v1/products/{p['id']}"
    problem(delete(server, path, admin, headers={"If-Match": '"5"'}), 412, "precondition_failed")
    assert server.get(path).json["status"] == "active"
    assert delete(server, path, admin, headers={"If-Match": '"1"'}).status == 204


# --- stock ------------------------------------------------------------------------------

def test_stock_adjustments(server, admin):
    p = create(server, admin, stock=3)
    path = f"/api/v1/products/{p['id']}/stock"
    r = server.post(path, {"delta": 7, "reason": "restock"}, token=admin)
    assert r.status == 200, r
    assert r.json == {"product_id": p["id"], "stock": 10}
    r = server.post(path, {"delta": -10, "reason": "stocktake"}, token=admin)
    assert r.json == {"product_id": p["id"], "stock": 0}
    body = problem(server.post(path, {"delta": -1, "reason": "oops"}, token=admin), 409, "insufficient_stock")
    assert body["product_id"] == p["id"]
    got = server.get(f"/api/v1/products/{p['id']}").json
    assert got["stock"] == 0
    assert got["version"] == 3


def test_stock_adjustment_errors(server, admin):
    p = create(server, admin, stock=3)
    path = f"/api/v1/products/{p['id']}/stock"
    for body, field in [({"delta": 1.5, "reason": "x"}, "delta"), ({"reason": "x"}, "delta"),
                        ({"delta": "5", "reason": "x"}, "delta"), ({"delta": 0, "reason": "x"}, "delta"),
                        ({"delta": 1, "reason": 5}, "reason"), ({"delta": 1, "stock": 9}, "stock")]:
        r = server.post(path, body, token=admin)
        problem(r, 422, "validation_failed")
        assert field in error_fields(r), body
    problem(server.post("/api/v1/products/prod_nope/stock", {"delta": 1, "reason": "x"}, token=admin),
            404, "not_found")
    assert server.get(f"/api/v1/products/{p['id']}").json["stock"] == 3


def test_concurrent_stock_removals_never_go_below_zero(server, admin):
    p = create(server, admin, stock=15)
    path = f"/api/v1/products/{p['id']}/stock"
    statuses = []
    lock = threading.Lock()

    def take():
        for _ in range(5):
            r = server.post(path, {"delta": -1, "reason": "race"}, token=admin)
            with lock:
                statuses.append(r.status)

    threads = [threading.Thread(target=take) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses.count(200) == 15
    assert statuses.count(409) == 15
    assert server.get(f"/api/v1/products/{p['id']}").json["stock"] == 0


# --- list -------------------------------------------------------------------------------

def test_list_shape_default_sort_and_active_only(server, admin):
    made = [create(server, admin, name=f"P{i}") for i in range(4)]
    archived = create(server, admin, name="Gone")
    delete(server, f"/api/v1/products/{archived['id']}", admin)
    r = server.get("/api/v1/products")
    assert r.status == 200
    assert set(r.json) == {"items", "next_cursor"}
    assert r.json["next_cursor"] is None
    ids = [i["id"] for i in r.json["items"]]
    assert ids == [m["id"] for m in reversed(made)]  # newest first
    assert all(set(i) == FIELDS and i["status"] == "active" for i in r.json["items"])


def test_list_sorts(server, admin):
    specs = [("banana", 300), ("Apple", 100), ("cherry", 300), ("Äpfel", 200), ("apple", 150)]
    made = [create(server, admin, name=n, price=p) for n, p in specs]
    by_id = {m["id"]: m for m in made}

    def order(sort):
        return [by_id[i["id"]] for i in all_pages(server, sort=sort, limit=2)]

    assert [p["price"] for p in order("price")] == sorted(p for _, p in specs)
    assert [p["price"] for p in order("-price")] == sorted((p for _, p in specs), reverse=True)
    assert [p["name"] for p in order("name")] == sorted(n for n, _ in specs)  # code point order
    assert [p["id"] for p in order("created_at")] == [m["id"] for m in made]
    assert [p["id"] for p in order("-created_at")] == [m["id"] for m in reversed(made)]


@pytest.mark.parametrize("params,field", [
    ({"sort": "bogus"}, "sort"), ({"sort": "-name"}, "sort"), ({"sort": "price;DROP TABLE products"}, "sort"),
    ({"min_price": "abc"}, "min_price"), ({"min_price": "-1"}, "min_price"), ({"max_price": "1.5"}, "max_price"),
    ({"min_price": "500", "max_price": "100"}, "max_price"), ({"category": "cat_nope"}, "category"),
    ({"limit": "0"}, "limit"), ({"limit": "x"}, "limit"), ({"cursor": "!!!"}, "cursor"),
])
def test_list_refuses_bad_parameters(server, params, field):
    r = server.get(list_url(**params))
    problem(r, 422, "validation_failed")
    assert field in error_fields(r)


def test_list_filters_by_price(server, admin):
    for price in [100, 250, 500, 750, 1000]:
        create(server, admin, price=price)

    def prices(**params):
        return sorted(i["price"] for i in all_pages(server, **params))

    assert prices(min_price=250) == [250, 500, 750, 1000]
    assert prices(max_price=500) == [100, 250, 500]
    assert prices(min_price=250, max_price=750) == [250, 500, 750]
    assert prices(min_price=501, max_price=749) == []


def test_list_filters_by_max_stock(server, admin):
    for stock in [0, 3, 5, 6, 40]:
        create(server, admin, stock=stock)
    assert sorted(i["stock"] for i in all_pages(server, max_stock=5)) == [0, 3, 5]
    problem(server.get(list_url(max_stock=-1)), 422, "validation_failed")


def test_list_filters_by_category_with_descendants(server, admin):
    elec = category(server, admin, "Electronics")
    audio = category(server, admin, "Audio", elec["id"])
    head = category(server, admin, "Headphones", audio["id"])
    home = category(server, admin, "Home")
    tv = create(server, admin, category_id=elec["id"])
    speaker = create(server, admin, category_id=audio["id"])
    buds = create(server, admin, category_id=head["id"], price=50)
    create(server, admin, category_id=home["id"])
    create(server, admin)

    def ids(**params):
        return {i["id"] for i in all_pages(server, **params)}

    assert ids(category=elec["id"]) == {tv["id"], speaker["id"], buds["id"]}
    assert ids(category=audio["id"]) == {speaker["id"], buds["id"]}
    assert ids(category=head["id"]) == {buds["id"]}
    assert ids(category=elec["id"], max_price=100) == {buds["id"]}


def test_limit_default_and_cap(server, admin):
    for i in range(105):
        create(server, admin, name=f"N{i:03}")
    r = server.get("/api/v1/products")
    assert len(r.json["items"]) == 20 and r.json["next_cursor"]
    r = server.get("/api/v1/products?limit=1000")
    assert len(r.json["items"]) == 100 and r.json["next_cursor"]
    r = server.get("/api/v1/products?limit=7")
    assert len(r.json["items"]) == 7
    everything = all_pages(server, limit=10, sort="name")
    assert [i["name"] for i in everything] == [f"N{i:03}" for i in range(105)]


def test_pages_are_stable_while_products_are_added(server, admin):
    """Keyset pagination: inserts between pages cause no duplicates and no gaps."""
    for i in range(30):
        create(server, admin, price=(i % 4) * 100, name=f"Item {i % 6}")
    for sort in ["price", "-price", "name", "created_at", "-created_at"]:
        before = [i["id"] for i in all_pages(server, sort=sort, limit=100)]
        seen, cursor, n = [], None, 0
        for _ in range(100):
            q = {"sort": sort, "limit": 4}
            if cursor:
                q["cursor"] = cursor
            r = server.get(list_url(**q))
            assert r.status == 200, r
            seen += [i["id"] for i in r.json["items"]]
            cursor = r.json["next_cursor"]
            if cursor is None:
                break
            n += 1
            create(server, admin, price=0, name=f"A new {sort} {n}")
            create(server, admin, price=100000, name=f"Z new {sort} {n}")
        assert cursor is None
        assert len(seen) == len(set(seen)), sort
        old = set(before)
        assert [i for i in seen if i in old] == before, sort


def test_cursor_of_another_sort_is_refused(server, admin):
    for _ in range(3):
        create(server, admin)
    cursor = server.get("/api/v1/products?limit=1&sort=price").json["next_cursor"]
    assert cursor
    problem(server.get(list_url(limit=1, sort="name", cursor=cursor)), 422, "validation_failed")
    assert server.get(list_url(limit=1, sort="price", cursor=cursor)).status == 200


# --- demo catalogue, OpenAPI ------------------------------------------------------------

def assert_valid_png(data, width, height):
    """Every chunk's CRC holds, and the pixel rows inflate to the size IHDR gives."""
    import struct
    import zlib
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, ihdr = 8, b"", None
    while at < len(data):
        (n,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + n]
        (crc,) = struct.unpack(">I", data[at + 8 + n:at + 12 + n])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBB", body[:10])
        if kind == b"IDAT":
            idat += body
        at += 12 + n
    assert ihdr[:2] == (width, height)
    assert len(zlib.decompress(idat)) == height * (1 + width)  # 8-bit palette: a byte a pixel


def test_demo_fills_a_fresh_database(make_server):
    s = make_server(args=["--demo"])
    items = all_pages(s, limit=100)
    assert len(items) >= 1000
    assert len({i["sku"] for i in items}) == len(items)
    assert all(isinstance(i["price"], int) and i["price"] > 0 for i in items)
    assert all(i["currency"] == "USD" and i["name"] and i["description"] for i in items)
    cats = s.get("/api/v1/categories?limit=100").json["items"]
    assert 15 <= len(cats) <= 40
    assert any(c["parent_id"] for c in cats)
    # A top-level category with children lists products of its subtree.
    parents = {c["parent_id"] for c in cats if c["parent_id"]}
    root = next(c for c in cats if c["parent_id"] is None and c["id"] in parents)
    in_root = all_pages(s, limit=100, category=root["id"])
    assert {i["category_id"] for i in in_root} - {root["id"]}

    # Some products show a generated image, served from /media as a real PNG.
    imaged = [i for i in items if i["images"] and i["images"][0].startswith("/media/")]
    assert len(imaged) >= 2 * 15
    png = s.get(imaged[0]["images"][0])
    assert png.status == 200 and png.header("content-type") == "image/png"
    assert_valid_png(png.content, 64, 64)

    # Started again with --demo on the same database: nothing is added.
    s.stop()
    again = make_server(args=["--demo"], db=s.db)
    assert len(all_pages(again, limit=100)) == len(items)


def test_demo_is_left_out_without_the_flag(make_server):
    s = make_server()
    assert s.get("/api/v1/products").json == {"items": [], "next_cursor": None}


def test_openapi_documents_the_catalog(server):
    doc = server.get("/api/v1/openapi.json").json
    paths = doc["paths"]
    assert set(paths["/api/v1/products"]) >= {"get", "post"}
    assert set(paths["/api/v1/products/{id}"]) >= {"get", "patch", "delete"}
    assert "post" in paths["/api/v1/products/{id}/stock"]
    assert set(paths["/api/v1/categories"]) >= {"get", "post"}
    for name in ["Product", "Category", "ProductPage", "CategoryPage", "StockAdjustment"]:
        assert name in doc["components"]["schemas"]
    # Every $ref in the document resolves.
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', json.dumps(doc))):
        node = doc
        for part in ref.split("/"):
            node = node[part]


def test_reads_through_a_memory_map_see_every_write():
    # storage.mmap_mib maps the file for readers; the loop's own reader serves GET by id.
    from shopd import Server, admin_env
    s = Server(env=dict(admin_env(), SHOPD_DB_MMAP_MIB="64")).start()
    try:
        token = admin_token(s)
        ids = [create(s, token, name=f"Mapped {i}", stock=i)["id"] for i in range(30)]
        for i, pid in enumerate(ids):
            r = s.get(f"/api/v1/products/{pid}")
            assert r.status == 200 and r.json["stock"] == i, r
        r = patch(s, f"/api/v1/products/{ids[0]}", {"name": "Renamed"}, token)
        assert r.status == 200, r
        assert s.get(f"/api/v1/products/{ids[0]}").json["name"] == "Renamed"
        assert s.get("/api/v1/search?q=mapped").json["total"] == 29
    finally:
        s.stop()

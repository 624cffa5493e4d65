"""API keys (API.md section 12): an admin makes a key with a name and scopes; the key (`sk_`,
256 random bits) is shown once and never listed; sent as a bearer token it acts as an admin
limited to its scopes; a route outside them, any customer route, user roles and the key
routes themselves are 403 `insufficient_scope`; a revoked key is 401 at once, on every
process sharing the database; `last_used_at` records use."""
import re

from shopd import admin_env, admin_token, new_customer
from test_orders import make_product, order
from test_payments import pay

KEY = re.compile(r"^sk_[A-Za-z0-9_-]{43}$")
ALL_SCOPES = ["catalog:read", "catalog:write", "orders:read", "orders:write", "customers:read", "analytics:read",
              "webhooks:write", "settings:write"]

# Routes no key reaches whatever its scopes (API.md section 12): the customer routes...
CUSTOMER_ROUTES = {
    ("GET", "/api/v1/users/me"), ("PATCH", "/api/v1/users/me"),
    ("GET", "/api/v1/users/me/addresses"), ("POST", "/api/v1/users/me/addresses"),
    ("GET", "/api/v1/users/me/addresses/{id}"), ("DELETE", "/api/v1/users/me/addresses/{id}"),
    ("GET", "/api/v1/cart"), ("DELETE", "/api/v1/cart"),
    ("PUT", "/api/v1/cart/items/{id}"), ("DELETE", "/api/v1/cart/items/{id}"),
    ("POST", "/api/v1/checkout/quote"), ("POST", "/api/v1/orders"), ("POST", "/api/v1/payments"),
    ("POST", "/api/v1/orders/{id}/returns"),
}
# ...user roles and the API-key routes.
KEYLESS_ADMIN = {
    ("PATCH", "/api/v1/users/{id}"),
    ("POST", "/api/v1/api-keys"), ("GET", "/api/v1/api-keys"), ("DELETE", "/api/v1/api-keys/{id}"),
}


def make_key(server, admin, scopes, name="test key"):
    r = server.post("/api/v1/api-keys", {"name": name, "scopes": scopes}, token=admin)
    assert r.status == 201, r
    return r.json


def refused(r):
    return r.status == 403 and r.json["code"] == "insufficient_scope"


def bearer_operations(server):
    """(method, path template) of every operation the served document secures with a bearer token."""
    doc = server.get("/api/v1/openapi.json").json
    out = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and any("bearer" in s for s in op.get("security", [])):
                out.append((method.upper(), path))
    return out


def test_a_key_is_shown_once_and_never_listed(server):
    admin = admin_token(server)
    r = server.post("/api/v1/api-keys", {"name": "  Accounting  ", "scopes": ["orders:read", "catalog:read"]},
                    token=admin)
    assert r.status == 201, r
    k = r.json
    assert KEY.match(k["key"]), k
    assert k["id"].startswith("key_")
    assert k["name"] == "Accounting"
    assert k["scopes"] == ["catalog:read", "orders:read"]
    assert k["last_used_at"] is None
    assert r.header("Cache-Control") == "no-store"
    other = make_key(server, admin, ["analytics:read"], name="Dashboard")
    assert other["key"] != k["key"]

    listed = server.get("/api/v1/api-keys", token=admin)
    assert listed.status == 200
    assert [i["id"] for i in listed.json["items"]] == [other["id"], k["id"]]  # newest first
    assert all("key" not in i for i in listed.json["items"])
    assert k["key"] not in listed.body and other["key"] not in listed.body
    first = server.get("/api/v1/api-keys?limit=1", token=admin).json
    assert [i["id"] for i in first["items"]] == [other["id"]]
    second = server.get(f"/api/v1/api-keys?limit=1&cursor={first['next_cursor']}", token=admin).json
    assert [i["id"] for i in second["items"]] == [k["id"]] and second["next_cursor"] is None


def test_a_key_reaches_the_routes_of_its_scopes_and_no_others(server):
    admin = admin_token(server)
    _, customer, *_ = new_customer(server)
    p = make_product(server, admin)
    o = order(server, customer, [(p["id"], 1)]).json
    reader = make_key(server, admin, ["orders:read", "customers:read"])["key"]

    # orders:read reads any order, its payments and the order list as an admin would.
    got = server.get(f"/api/v1/orders/{o['id']}", token=reader)
    assert got.status == 200 and got.json["id"] == o["id"]
    assert o["id"] in [i["id"] for i in server.get("/api/v1/orders", token=reader).json["items"]]
    assert server.get(f"/api/v1/orders/{o['id']}/payments", token=reader).status == 200
    assert server.get("/api/v1/users", token=reader).status == 200

    # Outside its scopes: refused before anything happens.
    r = server.post("/api/v1/products", {"sku": "KEY-1", "name": "By key", "price": 100, "stock": 1}, token=reader)
    assert refused(r), r
    assert "catalog:write" in r.json["detail"]
    assert refused(server.post(f"/api/v1/orders/{o['id']}/cancel", token=reader))
    assert refused(server.get("/api/v1/analytics/summary", token=reader))
    assert refused(server.get("/api/v1/discounts", token=reader))
    assert refused(server.get("/api/v1/products/export", token=reader))
    assert server.get(f"/api/v1/orders/{o['id']}", token=customer).json["status"] == "pending_payment"

    writer = make_key(server, admin, ["catalog:write", "orders:write"])["key"]
    made = make_product(server, writer, price=300)
    assert server.get(f"/api/v1/products/{made['id']}").status == 200
    cancelled = server.post(f"/api/v1/orders/{o['id']}/cancel", token=writer)
    assert cancelled.status == 200 and cancelled.json["status"] == "cancelled"
    assert refused(server.get(f"/api/v1/orders/{o['id']}", token=writer))  # no orders:read


def test_keys_never_reach_customer_routes(server):
    admin = admin_token(server)
    _, customer, *_ = new_customer(server)
    p = make_product(server, admin)
    o = order(server, customer, [(p["id"], 1)]).json
    key = make_key(server, admin, ALL_SCOPES)["key"]
    assert refused(server.get("/api/v1/cart", token=key))
    assert refused(server.get("/api/v1/users/me", token=key))
    assert refused(server.request("PUT", f"/api/v1/cart/items/{p['id']}", {"quantity": 1}, token=key))
    assert refused(order(server, key, [(p["id"], 1)]))
    assert refused(pay(server, key, o["id"]))
    assert refused(server.post(f"/api/v1/orders/{o['id']}/returns",
                               {"items": [{"variant_id": p["id"], "quantity": 1}], "reason": "x"}, token=key))
    assert server.get(f"/api/v1/orders/{o['id']}", token=customer).json["status"] == "pending_payment"
    assert server.get(f"/api/v1/orders?limit=100", token=key).json["items"] == \
        server.get(f"/api/v1/orders?limit=100", token=admin).json["items"]  # no order made by the key


def test_keys_cannot_change_roles_or_manage_keys(server):
    admin = admin_token(server)
    u, *_ = new_customer(server)
    k = make_key(server, admin, ALL_SCOPES)
    key = k["key"]
    assert refused(server.request("PATCH", f"/api/v1/users/{u['id']}", {"role": "admin"}, token=key))
    assert refused(server.post("/api/v1/api-keys", {"name": "child", "scopes": ["orders:read"]}, token=key))
    assert refused(server.get("/api/v1/api-keys", token=key))
    assert refused(server.request("DELETE", f"/api/v1/api-keys/{k['id']}", token=key))
    users = server.get("/api/v1/users?limit=100", token=admin).json["items"]
    assert [x["role"] for x in users if x["id"] == u["id"]] == ["customer"]
    assert [i["id"] for i in server.get("/api/v1/api-keys", token=admin).json["items"]] == [k["id"]]
    assert server.get("/api/v1/users", token=key).status == 200  # still a live key


def test_every_bearer_route_names_the_scope_keys_need(server):
    """Swept over the served OpenAPI document: a key holding every scope is refused exactly on
    the customer and key-less routes, and a key holding none that a route needs is refused
    there, with the 403 the document describes."""
    admin = admin_token(server)
    every = make_key(server, admin, ALL_SCOPES)["key"]
    # No route of this build needs webhooks:write (the webhook-endpoint routes are skipped below).
    unrelated = make_key(server, admin, ["webhooks:write"])["key"]
    ops = bearer_operations(server)
    assert CUSTOMER_ROUTES | KEYLESS_ADMIN <= set(ops)
    swept = 0
    for method, path in ops:
        if path.startswith("/api/v1/webhook-endpoints"):
            continue
        target = re.sub(r"\{\w+\}", "x_nonexistent", path)
        r = server.request(method, target, body={}, token=unrelated)
        assert refused(r), (method, path, r)
        if (method, path) in CUSTOMER_ROUTES | KEYLESS_ADMIN:
            r = server.request(method, target, body={}, token=every)
            assert refused(r), (method, path, r)
        else:
            # Made-up ids and empty bodies get whatever answer the handler gives them (some
            # outside the contract's examples, say 400 idempotency_key_required beside 404):
            # what matters here is only that the gateway let the key through.
            r = server.request(method, target, body={}, token=every, check_contract=False)
            assert not refused(r), (method, path, r)
        swept += 1
    assert swept >= 60
    assert server.get("/api/v1/users/me", token=admin).json["role"] == "admin"


def test_a_revoked_key_is_refused_at_once(server):
    admin = admin_token(server)
    k = make_key(server, admin, ["orders:read"])
    assert server.get("/api/v1/orders", token=k["key"]).status == 200
    assert server.request("DELETE", f"/api/v1/api-keys/{k['id']}", token=admin).status == 204
    r = server.get("/api/v1/orders", token=k["key"])
    assert r.status == 401 and r.header("WWW-Authenticate").startswith("Bearer")
    again = server.request("DELETE", f"/api/v1/api-keys/{k['id']}", token=admin)
    assert again.status == 404 and again.json["code"] == "not_found"
    assert server.get("/api/v1/api-keys", token=admin).json["items"] == []


def test_revocation_reaches_every_process_sharing_the_database(make_server, tmp_path):
    db = str(tmp_path / "shared.db")
    a = make_server(env=admin_env(), db=db)
    b = make_server(env=admin_env(), db=db)
    admin = admin_token(a)
    k = make_key(a, admin, ["orders:read"])
    # Both processes have accepted the key (and would have cached it, had they cached keys).
    assert b.get("/api/v1/orders", token=k["key"]).status == 200
    assert a.get("/api/v1/orders", token=k["key"]).status == 200
    assert a.request("DELETE", f"/api/v1/api-keys/{k['id']}", token=admin).status == 204
    assert b.get("/api/v1/orders", token=k["key"]).status == 401
    assert a.get("/api/v1/orders", token=k["key"]).status == 401


def test_a_bad_name_or_scope_is_422_naming_the_field(server):
    admin = admin_token(server)
    cases = [
        ({"scopes": ["orders:read"]}, "name"),
        ({"name": "   ", "scopes": ["orders:read"]}, "name"),
        ({"name": "x" * 101, "scopes": ["orders:read"]}, "name"),
        ({"name": 7, "scopes": ["orders:read"]}, "name"),
        ({"name": "x"}, "scopes"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": "orders:read"}, "scopes"),
        ({"name": "x", "scopes": ["orders:read", "orders:delete"]}, "scopes[1]"),
        ({"name": "x", "scopes": ["ORDERS:READ"]}, "scopes[0]"),
        ({"name": "x", "scopes": ["orders:read", 3]}, "scopes[1]"),
        ({"name": "x", "scopes": ["orders:read", "orders:read"]}, "scopes[1]"),
        ({"name": "x", "scopes": ["orders:read"], "role": "admin"}, "role"),
    ]
    for body, field in cases:
        r = server.post("/api/v1/api-keys", body, token=admin)
        assert r.status == 422 and r.json["code"] == "validation_failed", (body, r)
        assert field in [e["field"] for e in r.json["errors"]], (body, r.json)
    assert server.get("/api/v1/api-keys", token=admin).json["items"] == []


def test_last_used_at_is_set_when_the_key_is_used(server):
    admin = admin_token(server)
    k = make_key(server, admin, ["catalog:read"])
    assert server.get("/api/v1/products/export", token=k["key"]).status == 200
    (item,) = server.get("/api/v1/api-keys", token=admin).json["items"]
    assert item["last_used_at"] is not None
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", item["last_used_at"])
    assert item["last_used_at"] >= item["created_at"]
    assert k["key"] not in server.log_text()  # the key never reaches the log


def test_only_admins_manage_keys(server):
    admin = admin_token(server)
    _, customer, *_ = new_customer(server)
    r = server.post("/api/v1/api-keys", {"name": "mine", "scopes": ["orders:read"]}, token=customer)
    assert r.status == 403 and r.json["code"] == "forbidden"
    assert server.get("/api/v1/api-keys", token=customer).status == 403
    assert server.get("/api/v1/api-keys").status == 401
    assert server.get("/api/v1/orders", token="sk_" + "A" * 43).status == 401  # not a key of this shop
    assert server.get("/api/v1/api-keys", token=admin).json["items"] == []

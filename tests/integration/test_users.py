"""Section 3 of the contract, accounts side: registration, the signed-in user's profile and
addresses, and the admin's list and role changes. Sign-in and tokens are in test_auth.py."""
import json
import re
import sqlite3

from shopd import ADMIN_EMAIL, ADMIN_PASSWORD, admin_token, login, new_customer

USER_KEYS = {"id", "email", "name", "role", "created_at"}
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
HOME = {"name": "Ann Lee", "line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"}


def register(server, email, password="password-123", name="Ann", **extra):
    return server.post("/api/v1/users", {"email": email, "password": password, "name": name, **extra})


def fields_of(r):
    assert r.header("content-type") == "application/problem+json", r
    return {e["field"] for e in r.json.get("errors", [])}


def patch(server, path, body, token):
    return server.request("PATCH", path, body=body, token=token)


def db_rows(server, sql, *args):
    con = sqlite3.connect(server.db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


# --- POST /api/v1/users ---

def test_register_returns_the_user_with_a_normalised_email(server):
    r = register(server, "  Ann.Lee@Example.COM ", name="Ann Lee")
    assert r.status == 201, r
    u = r.json
    assert set(u) == USER_KEYS
    assert u["email"] == "ann.lee@example.com"
    assert u["name"] == "Ann Lee"
    assert u["role"] == "customer"
    assert isinstance(u["id"], str) and u["id"].startswith("usr_")
    assert RFC3339.fullmatch(u["created_at"])
    assert "password-123" not in r.body and "argon2" not in r.body
    # The normalised address is the one to sign in with, in any case.
    assert login(server, "ANN.LEE@example.com", "password-123")


def test_register_email_taken_regardless_of_case(server):
    assert register(server, "bob@example.com").status == 201
    for spelling in ["bob@example.com", "BOB@EXAMPLE.COM", " Bob@Example.com "]:
        r = register(server, spelling)
        assert r.status == 409, r
        assert r.json["code"] == "email_taken"
    assert register(server, ADMIN_EMAIL.upper()).status == 409


def test_register_validation_names_each_bad_field(server):
    r = server.post("/api/v1/users", {"email": "not-an-email", "password": "short", "name": "X"})
    assert r.status == 422
    assert r.json["code"] == "validation_failed"
    assert fields_of(r) == {"email", "password"}

    for email in ["", "ann", "ann@", "@example.com", "ann@example", "ann @example.com", "ann@@example.com", 42, None]:
        r = register(server, email)
        assert r.status == 422, (email, r)
        assert fields_of(r) == {"email"}, email

    for password in ["1234567", "x" * 129, 12345678, None]:
        r = register(server, "pw@example.com", password=password)
        assert r.status == 422, (password, r)
        assert fields_of(r) == {"password"}
    # The bounds themselves are fine, and length is in characters, not bytes.
    assert register(server, "eight@example.com", password="12345678").status == 201
    assert register(server, "long@example.com", password="x" * 128).status == 201
    assert register(server, "accents@example.com", password="é" * 8).status == 201

    r = server.post("/api/v1/users", {})
    assert r.status == 422 and {"email", "password"} <= fields_of(r)
    r = register(server, "name@example.com", name=5)
    assert r.status == 422 and fields_of(r) == {"name"}


def test_register_refuses_unknown_fields_so_nobody_makes_themselves_admin(server):
    r = register(server, "mallory@example.com", role="admin")
    assert r.status == 422
    assert fields_of(r) == {"role"}
    # Nothing was created: the address is still free, and a clean request makes a customer.
    r = register(server, "mallory@example.com")
    assert r.status == 201 and r.json["role"] == "customer"


def test_register_bad_json(server):
    r = server.request("POST", "/api/v1/users", raw=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json["code"] == "invalid_json"
    r = server.post("/api/v1/users", ["a", "list"])
    assert r.status == 422 and r.json["code"] == "validation_failed"


def test_registration_emits_user_registered_and_stores_only_a_hash(server):
    u, _, _, password = new_customer(server)
    rows = db_rows(server, "SELECT data FROM events WHERE type = 'user.registered'")
    assert any(u["id"] in data for (data,) in rows)
    (stored,) = db_rows(server, "SELECT password_hash FROM users WHERE id = ?", u["id"])[0]
    assert stored.startswith("$argon2id$")
    assert password not in stored


# --- /api/v1/users/me ---

def test_me_needs_a_token(server):
    r = server.get("/api/v1/users/me")
    assert r.status == 401
    assert r.header("www-authenticate").startswith("Bearer")
    r = server.get("/api/v1/users/me", token="not.a.token")
    assert r.status == 401
    assert r.header("www-authenticate").startswith("Bearer")


def test_me_get_and_patch_name(server):
    u, token, _, _ = new_customer(server, name="Before")
    r = server.get("/api/v1/users/me", token=token)
    assert r.status == 200 and r.json == u
    r = patch(server, "/api/v1/users/me", {"name": "After"}, token)
    assert r.status == 200, r
    assert r.json["name"] == "After" and r.json["id"] == u["id"]
    assert server.get("/api/v1/users/me", token=token).json["name"] == "After"
    assert patch(server, "/api/v1/users/me", {}, token).status == 200
    r = patch(server, "/api/v1/users/me", {"name": 3}, token)
    assert r.status == 422 and fields_of(r) == {"name"}


def test_me_patch_refuses_role_and_other_fields(server):
    _, token, _, _ = new_customer(server)
    for body in [{"role": "admin"}, {"name": "x", "role": "admin"}, {"email": "new@example.com"}, {"id": "usr_x"}]:
        r = patch(server, "/api/v1/users/me", body, token)
        assert r.status == 422, (body, r)
        assert fields_of(r) == set(body) - {"name"}
    assert server.get("/api/v1/users/me", token=token).json["role"] == "customer"
    assert server.get("/api/v1/users", token=token).status == 403


def test_password_change_needs_the_current_password(server):
    _, token, email, password = new_customer(server)
    r = patch(server, "/api/v1/users/me", {"password": "new-password-1"}, token)
    assert r.status == 422 and r.json["code"] == "validation_failed"
    assert "current_password" in fields_of(r)
    r = patch(server, "/api/v1/users/me", {"password": "new-password-1", "current_password": "wrong-one-1"}, token)
    assert r.status == 422 and r.json["code"] == "validation_failed"
    assert fields_of(r) == {"current_password"}
    r = patch(server, "/api/v1/users/me", {"password": "short", "current_password": password}, token)
    assert r.status == 422 and fields_of(r) == {"password"}
    # Nothing changed so far.
    assert login(server, email, password)

    r = patch(server, "/api/v1/users/me", {"password": "new-password-1", "current_password": password}, token)
    assert r.status == 200, r
    assert "password" not in r.json
    assert server.post("/api/v1/auth/login", {"email": email, "password": password}).status == 401
    assert login(server, email, "new-password-1")


# --- /api/v1/users/me/addresses ---

def test_addresses_create_list_delete(server):
    _, token, _, _ = new_customer(server)
    r = server.get("/api/v1/users/me/addresses", token=token)
    assert r.status == 200 and r.json == {"items": [], "next_cursor": None}

    r = server.post("/api/v1/users/me/addresses", HOME, token=token)
    assert r.status == 201, r
    a = r.json
    assert a["id"].startswith("addr_")
    assert {k: a[k] for k in HOME} == HOME
    assert a.get("line2") is None

    r = server.post("/api/v1/users/me/addresses", {**HOME, "line2": "Apt 4", "country": "de"}, token=token)
    assert r.status == 201
    b = r.json
    assert b["line2"] == "Apt 4" and b["country"] == "DE"

    r = server.get("/api/v1/users/me/addresses", token=token)
    assert r.status == 200
    assert sorted(x["id"] for x in r.json["items"]) == sorted([a["id"], b["id"]])
    assert r.json["next_cursor"] is None
    assert server.get(f"/api/v1/users/me/addresses/{a['id']}", token=token).json == a

    r = server.request("DELETE", f"/api/v1/users/me/addresses/{a['id']}", token=token)
    assert r.status == 204 and r.body == ""
    r = server.request("DELETE", f"/api/v1/users/me/addresses/{a['id']}", token=token)
    assert r.status == 404 and r.json["code"] == "not_found"
    assert [x["id"] for x in server.get("/api/v1/users/me/addresses", token=token).json["items"]] == [b["id"]]


def test_addresses_page_with_cursor(server):
    _, token, _, _ = new_customer(server)
    made = [server.post("/api/v1/users/me/addresses", {**HOME, "name": f"A{i}"}, token=token).json["id"]
            for i in range(5)]
    whole = [x["id"] for x in server.get("/api/v1/users/me/addresses?limit=100", token=token).json["items"]]
    assert sorted(whole) == sorted(made)
    seen, cursor = [], None
    for _ in range(10):
        path = "/api/v1/users/me/addresses?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = server.get(path, token=token).json
        assert len(page["items"]) <= 2
        seen += [x["id"] for x in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # Pages walk the list in its order (oldest first; ids break ties within a millisecond).
    assert seen == whole
    r = server.get("/api/v1/users/me/addresses?cursor=garbage!", token=token)
    assert r.status == 422


def test_another_users_address_is_404(server):
    _, ann, _, _ = new_customer(server)
    _, bob, _, _ = new_customer(server)
    a = server.post("/api/v1/users/me/addresses", HOME, token=ann).json
    assert server.request("DELETE", f"/api/v1/users/me/addresses/{a['id']}", token=bob).status == 404
    assert server.get(f"/api/v1/users/me/addresses/{a['id']}", token=bob).status == 404
    assert server.get("/api/v1/users/me/addresses", token=bob).json["items"] == []
    assert server.get(f"/api/v1/users/me/addresses/{a['id']}", token=ann).status == 200


def test_address_validation(server):
    _, token, _, _ = new_customer(server)
    r = server.post("/api/v1/users/me/addresses", {}, token=token)
    assert r.status == 422
    assert fields_of(r) == {"name", "line1", "city", "postal_code", "country"}
    for bad in [{"country": "X"}, {"country": 49}, {"country": ""}, {"city": ""}, {"postal_code": 12345},
                {"line2": 7}]:
        r = server.post("/api/v1/users/me/addresses", {**HOME, **bad}, token=token)
        assert r.status == 422, (bad, r)
        assert fields_of(r) == set(bad)
    # A country name is kept as written; only two-letter codes are normalised.
    r = server.post("/api/v1/users/me/addresses", {**HOME, "country": "Germany"}, token=token)
    assert r.status == 201 and r.json["country"] == "Germany"
    r = server.post("/api/v1/users/me/addresses", {**HOME, "user_id": "usr_someone_else"}, token=token)
    assert r.status == 422 and fields_of(r) == {"user_id"}
    assert server.post("/api/v1/users/me/addresses", HOME).status == 401


def test_address_region_round_trips_and_a_bad_one_is_422(server):
    """Section 10: an optional ISO 3166-2 region of the address's country, upper-cased like the
    country; left out of the answer when not given, like line2."""
    _, token, _, _ = new_customer(server)
    r = server.post("/api/v1/users/me/addresses", {**HOME, "region": "US-CA"}, token=token)
    assert r.status == 201, r
    a = r.json
    assert a["region"] == "US-CA" and {k: a[k] for k in HOME} == HOME
    assert server.get(f"/api/v1/users/me/addresses/{a['id']}", token=token).json == a
    listed = server.get("/api/v1/users/me/addresses", token=token).json["items"]
    assert [x for x in listed if x["id"] == a["id"]] == [a]

    r = server.post("/api/v1/users/me/addresses", {**HOME, "country": "fr", "region": " fr-75c "}, token=token)
    assert r.status == 201, r
    assert r.json["country"] == "FR" and r.json["region"] == "FR-75C"
    for none in ["", None]:
        r = server.post("/api/v1/users/me/addresses", {**HOME, "region": none}, token=token)
        assert r.status == 201, (none, r)
        assert "region" not in r.json
        assert "region" not in server.get(f"/api/v1/users/me/addresses/{r.json['id']}", token=token).json

    for bad in [{"region": "CA"}, {"region": "US-"}, {"region": "US-CALI"}, {"region": "US_CA"},
                {"region": "CA-ON"}, {"region": "US-C@"}, {"region": 6}, {"region": ["US-CA"]},
                {"country": "Germany", "region": "DE-BE"}]:
        r = server.post("/api/v1/users/me/addresses", {**HOME, **bad}, token=token)
        assert r.status == 422, (bad, r)
        assert r.json["code"] == "validation_failed" and fields_of(r) == {"region"}, (bad, r.json)
    assert len(server.get("/api/v1/users/me/addresses", token=token).json["items"]) == 4


# --- admin: GET /api/v1/users, PATCH /api/v1/users/{id} ---

def test_admin_lists_users_in_pages(server):
    admin = admin_token(server)
    made = {new_customer(server)[0]["id"] for _ in range(4)}
    r = server.get("/api/v1/users", token=admin)
    assert r.status == 200
    assert set(r.json) == {"items", "next_cursor"}
    for u in r.json["items"]:
        assert set(u) == USER_KEYS
    seen, cursor = [], None
    for _ in range(20):
        page = server.get("/api/v1/users?limit=2" + (f"&cursor={cursor}" if cursor else ""), token=admin).json
        assert len(page["items"]) <= 2
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5  # four customers and the admin
    assert made <= set(seen)
    admin_id = server.post("/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).json["user"]["id"]
    assert seen[-1] == admin_id  # newest first, and the admin was made at start-up
    assert server.get("/api/v1/users?limit=0", token=admin).status == 422
    assert server.get("/api/v1/users?cursor=%%%", token=admin).status == 422


def test_admin_routes_refuse_customers_and_strangers(server):
    u, customer, _, _ = new_customer(server)
    for method, path, body in [("GET", "/api/v1/users", None), ("PATCH", f"/api/v1/users/{u['id']}", {"role": "admin"})]:
        r = server.request(method, path, body=body, token=customer)
        assert r.status == 403, r
        assert r.json["code"] == "forbidden"
        r = server.request(method, path, body=body)
        assert r.status == 401
        assert r.header("www-authenticate").startswith("Bearer")
    assert server.get("/api/v1/users/me", token=customer).json["role"] == "customer"


def test_admin_changes_a_role(server):
    admin = admin_token(server)
    u, _, email, password = new_customer(server)
    r = patch(server, f"/api/v1/users/{u['id']}", {"role": "admin"}, admin)
    assert r.status == 200, r
    assert r.json["role"] == "admin" and r.json["id"] == u["id"]
    assert set(r.json) == USER_KEYS
    # A token issued after the change carries the new role.
    promoted = login(server, email, password)
    assert server.get("/api/v1/users", token=promoted).status == 200
    rows = db_rows(server, "SELECT data FROM events WHERE type = 'user.role_changed'")
    assert any(u["id"] in data and '"admin"' in data for (data,) in rows)

    r = patch(server, f"/api/v1/users/{u['id']}", {"role": "customer"}, admin)
    assert r.status == 200 and r.json["role"] == "customer"
    assert server.get("/api/v1/users", token=login(server, email, password)).status == 403


def test_admin_role_change_errors(server):
    admin = admin_token(server)
    u, _, _, _ = new_customer(server)
    for body in [{"role": "root"}, {"role": ""}, {"role": 1}, {}, {"role": "admin", "email": "x@example.com"}]:
        r = patch(server, f"/api/v1/users/{u['id']}", body, admin)
        assert r.status == 422, (body, r)
        assert r.json["code"] == "validation_failed"
    r = patch(server, "/api/v1/users/usr_does_not_exist", {"role": "admin"}, admin)
    assert r.status == 404 and r.json["code"] == "not_found"


def test_openapi_documents_every_user_route(server):
    doc = server.get("/api/v1/openapi.json").json
    expected = {
        "/api/v1/users": {"get", "post"},
        "/api/v1/users/{id}": {"patch"},
        "/api/v1/users/me": {"get", "patch"},
        "/api/v1/users/me/addresses": {"get", "post"},
        "/api/v1/users/me/addresses/{id}": {"get", "delete"},
        "/api/v1/auth/login": {"post"},
        "/api/v1/auth/refresh": {"post"},
        "/api/v1/auth/logout": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(doc["paths"].get(path, {})), path
    assert doc["paths"]["/api/v1/users/me"]["get"]["security"] == [{"bearer": []}]
    assert "password_hash" not in json.dumps(doc)

    def refs(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    for ref in refs(doc):
        target = doc
        for part in ref.lstrip("#/").split("/"):
            target = target[part]  # KeyError: a dangling reference


def test_the_last_admin_cannot_be_demoted(server):
    admin = admin_token(server)
    me = server.get("/api/v1/users/me", token=admin).json
    r = server.request("PATCH", f"/api/v1/users/{me['id']}", body={"role": "customer"}, token=admin)
    assert r.status == 409 and r.json["code"] == "last_admin", r
    assert server.get("/api/v1/users/me", token=admin).json["role"] == "admin"
    other, _, _, _ = new_customer(server)
    assert server.request("PATCH", f"/api/v1/users/{other['id']}", body={"role": "admin"}, token=admin).status == 200
    r = server.request("PATCH", f"/api/v1/users/{me['id']}", body={"role": "customer"}, token=admin)
    assert r.status == 200 and r.json["role"] == "customer", r

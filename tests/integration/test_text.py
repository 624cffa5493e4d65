"""Text no backend can store is refused where requests are read, the same on SQLite and
PostgreSQL: 400 invalid_text, nothing written."""
from shopd import admin_token, new_customer


def test_nul_in_a_json_body_is_invalid_text_and_changes_nothing(server):
    r = server.request("POST", "/api/v1/users", raw=b'{"email":"nul@example.com","password":"password-1","name":"a\\u0000b"}',
                       headers={"Content-Type": "application/json"})
    assert r.status == 400, r
    assert r.json["code"] == "invalid_text"
    r = server.post("/api/v1/auth/login", {"email": "nul@example.com", "password": "password-1"})
    assert r.status == 401  # no account was made


def test_nul_in_a_nested_field_or_key_is_invalid_text(server):
    token = admin_token(server)
    for raw in [b'{"name":"ok","parent_id":null,"x\\u0000":1}', b'{"name":["\\u0000"]}']:
        r = server.request("POST", "/api/v1/categories", raw=raw, token=token,
                           headers={"Content-Type": "application/json"})
        assert r.status == 400, (raw, r)
        assert r.json["code"] == "invalid_text"
    assert server.get("/api/v1/categories").json["items"] == []


def test_nul_in_a_query_or_path_is_invalid_text(server):
    _, token, _, _ = new_customer(server)
    r = server.get("/api/v1/products?category=abc%00")
    assert r.status == 400 and r.json["code"] == "invalid_text", r
    r = server.get("/api/v1/products/prod_x%00y")
    assert r.status == 400 and r.json["code"] == "invalid_text", r
    r = server.get("/api/v1/orders/ord_%ff", token=token)
    assert r.status == 400 and r.json["code"] == "invalid_text", r


def test_free_text_search_still_takes_any_bytes(server):
    assert server.get("/api/v1/search?q=%00").status == 200

"""Section 4 of the contract, categories: {id, name, parent_id}; anyone lists, admins create."""
import urllib.parse

import pytest

from shopd import admin_token, new_customer


@pytest.fixture
def admin(server):
    return admin_token(server)


def problem(r, status, code):
    assert r.status == status, r
    assert r.header("content-type") == "application/problem+json"
    assert r.json["code"] == code, r
    return r.json


def fields(r):
    return {e["field"] for e in r.json.get("errors", [])}


def test_create_root_and_child(server, admin):
    r = server.post("/api/v1/categories", {"name": "Books"}, token=admin)
    assert r.status == 201, r
    root = r.json
    assert set(root) == {"id", "name", "parent_id"}
    assert root["id"].startswith("cat_")
    assert root["name"] == "Books" and root["parent_id"] is None

    r = server.post("/api/v1/categories", {"name": "Fiction", "parent_id": root["id"]}, token=admin)
    assert r.status == 201, r
    child = r.json
    assert child["parent_id"] == root["id"]

    r = server.post("/api/v1/categories", {"name": "Top", "parent_id": None}, token=admin)
    assert r.status == 201 and r.json["parent_id"] is None

    listed = server.get("/api/v1/categories")
    assert listed.status == 200
    assert set(listed.json) == {"items", "next_cursor"}
    assert listed.json["items"] == [root, child, r.json]
    assert listed.json["next_cursor"] is None


def test_list_is_public_and_paged(server, admin):
    made = [server.post("/api/v1/categories", {"name": f"C{i}"}, token=admin).json for i in range(25)]
    first = server.get("/api/v1/categories")
    assert len(first.json["items"]) == 20 and first.json["next_cursor"]
    seen, cursor = [], None
    for _ in range(20):
        q = {"limit": 4}
        if cursor:
            q["cursor"] = cursor
        r = server.get("/api/v1/categories?" + urllib.parse.urlencode(q))
        assert r.status == 200
        seen += r.json["items"]
        cursor = r.json["next_cursor"]
        if not cursor:
            break
    assert seen == made
    problem(server.get("/api/v1/categories?cursor=%21%21"), 422, "validation_failed")
    problem(server.get("/api/v1/categories?limit=-3"), 422, "validation_failed")


def test_unknown_parent_is_422(server, admin):
    r = server.post("/api/v1/categories", {"name": "Orphan", "parent_id": "cat_missing"}, token=admin)
    problem(r, 422, "validation_failed")
    assert "parent_id" in fields(r)
    assert server.get("/api/v1/categories").json["items"] == []


@pytest.mark.parametrize("body,field", [
    ({}, "name"), ({"name": ""}, "name"), ({"name": "   "}, "name"), ({"name": 5}, "name"),
    ({"name": "x" * 101}, "name"), ({"name": "X", "parent_id": 3}, "parent_id"), ({"name": "X", "id": "cat_1"}, "id"),
])
def test_bad_bodies_are_422(server, admin, body, field):
    r = server.post("/api/v1/categories", body, token=admin)
    problem(r, 422, "validation_failed")
    assert field in fields(r)


def test_malformed_json_is_400(server, admin):
    r = server.request("POST", "/api/v1/categories", raw=b'{"name":', token=admin,
                       headers={"Content-Type": "application/json"})
    problem(r, 400, "invalid_json")


def test_create_needs_an_admin(server):
    r = server.post("/api/v1/categories", {"name": "Nope"})
    problem(r, 401, "unauthorized")
    assert r.header("www-authenticate").startswith("Bearer")
    _, customer, _, _ = new_customer(server)
    problem(server.post("/api/v1/categories", {"name": "Nope"}, token=customer), 403, "forbidden")
    assert server.get("/api/v1/categories", token=customer).status == 200
    assert server.get("/api/v1/categories").json["items"] == []


def test_names_round_trip_as_data(server, admin):
    names = ["'; DROP TABLE categories; --", 'Say "cheese"', "Café & Crème — 日本", "🚲 Bikes"]
    made = [server.post("/api/v1/categories", {"name": n}, token=admin).json for n in names]
    assert [c["name"] for c in made] == names
    assert [c["name"] for c in server.get("/api/v1/categories").json["items"]] == names


def test_wrong_method_is_405(server):
    r = server.request("DELETE", "/api/v1/categories")
    problem(r, 405, "method_not_allowed")
    assert "GET" in r.header("allow") and "POST" in r.header("allow")

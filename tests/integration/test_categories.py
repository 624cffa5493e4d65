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


# --- section 9: get, rename, move, delete ---

def make(server, admin, name, parent=None):
    r = server.post("/api/v1/categories", {"name": name, "parent_id": parent}, token=admin)
    assert r.status == 201, r
    return r.json


def test_get_one_category_is_public(server, admin):
    c = make(server, admin, "Lamps")
    r = server.get(f"/api/v1/categories/{c['id']}")
    assert r.status == 200 and r.json == c
    problem(server.get("/api/v1/categories/cat_nosuch"), 404, "not_found")


def test_rename_and_move_and_back_to_the_top(server, admin):
    home = make(server, admin, "Home")
    garden = make(server, admin, "Garden")
    lamps = make(server, admin, "Lamps", home["id"])
    r = server.request("PATCH", f"/api/v1/categories/{lamps['id']}", body={"name": "Lighting"}, token=admin)
    assert r.status == 200 and r.json == {"id": lamps["id"], "name": "Lighting", "parent_id": home["id"]}, r
    r = server.request("PATCH", f"/api/v1/categories/{lamps['id']}", body={"parent_id": garden["id"]}, token=admin)
    assert r.status == 200 and r.json["parent_id"] == garden["id"], r
    assert server.get(f"/api/v1/categories/{lamps['id']}").json["parent_id"] == garden["id"]
    r = server.request("PATCH", f"/api/v1/categories/{lamps['id']}", body={"parent_id": None}, token=admin)
    assert r.status == 200 and r.json["parent_id"] is None, r
    types = [e["type"] for e in server.get("/api/v1/events?type=category.updated", token=admin).json["items"]]
    assert types == ["category.updated"] * 3


def test_a_move_that_makes_a_cycle_is_422_and_changes_nothing(server, admin):
    a = make(server, admin, "A")
    b = make(server, admin, "B", a["id"])
    c = make(server, admin, "C", b["id"])
    for target in (a["id"], b["id"], c["id"]):
        r = server.request("PATCH", f"/api/v1/categories/{a['id']}", body={"parent_id": target}, token=admin)
        problem(r, 422, "validation_failed")
        assert fields(r) == {"parent_id"}
    assert server.get(f"/api/v1/categories/{a['id']}").json["parent_id"] is None
    r = server.request("PATCH", f"/api/v1/categories/{b['id']}", body={"parent_id": "cat_nosuch"}, token=admin)
    problem(r, 422, "validation_failed")


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": None}, "name"),
    ({"name": 5}, "name"),
    ({"parent_id": 7}, "parent_id"),
    ({"colour": "red"}, "colour"),
])
def test_bad_patches_are_422(server, admin, body, field):
    c = make(server, admin, "Patched")
    r = server.request("PATCH", f"/api/v1/categories/{c['id']}", body=body, token=admin)
    problem(r, 422, "validation_failed")
    assert field in fields(r), r.json
    assert server.get(f"/api/v1/categories/{c['id']}").json == c


def test_only_an_empty_category_is_deleted(server, admin):
    parent = make(server, admin, "Parent")
    child = make(server, admin, "Child", parent["id"])
    problem(server.request("DELETE", f"/api/v1/categories/{parent['id']}", token=admin), 409, "category_not_empty")
    r = server.post("/api/v1/products", {"sku": "CAT-DEL-1", "name": "Lamp", "description": "d", "price": 100,
                                         "stock": 1, "category_id": child["id"]}, token=admin)
    assert r.status == 201, r
    assert server.request("DELETE", f"/api/v1/products/{r.json['id']}", token=admin).status == 204  # archived still counts
    problem(server.request("DELETE", f"/api/v1/categories/{child['id']}", token=admin), 409, "category_not_empty")
    empty = make(server, admin, "Empty", parent["id"])
    r = server.request("DELETE", f"/api/v1/categories/{empty['id']}", token=admin)
    assert r.status == 204, r
    problem(server.get(f"/api/v1/categories/{empty['id']}"), 404, "not_found")
    problem(server.request("DELETE", f"/api/v1/categories/{empty['id']}", token=admin), 404, "not_found")


def test_changing_categories_needs_an_admin(server, admin):
    c = make(server, admin, "Guarded")
    _, token, _, _ = new_customer(server)
    problem(server.request("PATCH", f"/api/v1/categories/{c['id']}", body={"name": "x"}, token=token), 403, "forbidden")
    problem(server.request("DELETE", f"/api/v1/categories/{c['id']}", token=token), 403, "forbidden")
    problem(server.request("PATCH", f"/api/v1/categories/{c['id']}", body={"name": "x"}), 401, "unauthorized")

"""Section 10 of the contract, the admin routes: shipping zones and their rates, tax rates and
discount codes, against the real binary."""
import threading
import urllib.parse
import uuid

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


def invalid(r, field):
    problem(r, 422, "validation_failed")
    assert field in fields(r), r


def patch(server, path, body, token):
    return server.request("PATCH", path, body, token=token)


def delete(server, path, token):
    return server.request("DELETE", path, token=token)


def make_product(server, token, price=1000):
    sku = "SKU-" + uuid.uuid4().hex[:12]
    r = server.post("/api/v1/products", {"sku": sku, "name": f"Widget {sku}", "description": "A widget",
                                         "price": price, "stock": 5}, token=token)
    assert r.status == 201, r
    return r.json


def walk(server, path, token, limit):
    """Every item of a cursor-paged list, `limit` at a time."""
    seen, cursor = [], None
    for _ in range(50):
        q = {"limit": limit}
        if cursor:
            q["cursor"] = cursor
        r = server.get(path + "?" + urllib.parse.urlencode(q), token=token)
        assert r.status == 200, r
        seen += r.json["items"]
        cursor = r.json["next_cursor"]
        if not cursor:
            return seen
    raise AssertionError("the list did not end")


# --- shipping zones and rates ---------------------------------------------------------------

ZONES = "/api/v1/shipping/zones"


def test_zone_lifecycle(server, admin):
    r = server.post(ZONES, {"name": "Europe", "countries": ["FR", "DE"]}, token=admin)
    assert r.status == 201, r
    zone = r.json
    assert set(zone) == {"id", "name", "countries", "rates", "created_at", "updated_at"}
    assert zone["countries"] == ["DE", "FR"] and zone["rates"] == [] and zone["name"] == "Europe"
    assert r.header("location") == f"{ZONES}/{zone['id']}"

    r = server.post(f"{ZONES}/{zone['id']}/rates", {"name": "Standard", "price": 500, "free_over": 5000}, token=admin)
    assert r.status == 201, r
    standard = r.json
    assert standard["zone_id"] == zone["id"] and standard["price"] == 500 and standard["free_over"] == 5000
    assert standard["min_subtotal"] is None and standard["max_subtotal"] is None
    assert standard["currency"] == "USD"
    r = server.post(f"{ZONES}/{zone['id']}/rates",
                    {"name": "Bulky", "price": 2500, "min_subtotal": 0, "max_subtotal": 10000}, token=admin)
    assert r.status == 201, r
    bulky = r.json

    got = server.get(f"{ZONES}/{zone['id']}", token=admin)
    assert got.status == 200
    assert [x["id"] for x in got.json["rates"]] == [standard["id"], bulky["id"]]
    assert server.get(ZONES, token=admin).json == {"items": [got.json], "next_cursor": None}

    r = patch(server, f"{ZONES}/{zone['id']}", {"name": "EU", "countries": ["IT", "ES", "FR"]}, token=admin)
    assert r.status == 200, r
    assert r.json["name"] == "EU" and r.json["countries"] == ["ES", "FR", "IT"]
    # DE left the zone, so another zone may take it.
    r = server.post(ZONES, {"name": "Germany", "countries": ["DE"]}, token=admin)
    assert r.status == 201, r

    r = patch(server, f"{ZONES}/{zone['id']}/rates/{bulky['id']}",
              {"price": 3000, "max_subtotal": None, "name": "Freight"}, token=admin)
    assert r.status == 200, r
    assert (r.json["price"], r.json["max_subtotal"], r.json["min_subtotal"], r.json["name"]) == (3000, None, 0, "Freight")
    assert delete(server, f"{ZONES}/{zone['id']}/rates/{bulky['id']}", token=admin).status == 204
    assert [x["id"] for x in server.get(f"{ZONES}/{zone['id']}", token=admin).json["rates"]] == [standard["id"]]
    problem(delete(server, f"{ZONES}/{zone['id']}/rates/{bulky['id']}", token=admin), 404, "not_found")

    # Deleting the zone takes its countries and rates with it.
    assert delete(server, f"{ZONES}/{zone['id']}", token=admin).status == 204
    problem(server.get(f"{ZONES}/{zone['id']}", token=admin), 404, "not_found")
    problem(patch(server, f"{ZONES}/{zone['id']}/rates/{standard['id']}", {"price": 1}, token=admin), 404, "not_found")
    r = server.post(ZONES, {"name": "France", "countries": ["FR"]}, token=admin)
    assert r.status == 201, r


def test_a_country_is_in_one_zone_only(server, admin):
    first = server.post(ZONES, {"name": "North America", "countries": ["US", "CA"]}, token=admin).json
    r = server.post(ZONES, {"name": "USA", "countries": ["MX", "US"]}, token=admin)
    body = problem(r, 409, "country_in_another_zone")
    assert body["country"] == "US" and body["zone_id"] == first["id"]
    second = server.post(ZONES, {"name": "Mexico", "countries": ["MX"]}, token=admin).json
    r = patch(server, f"{ZONES}/{second['id']}", {"countries": ["MX", "CA"]}, token=admin)
    assert problem(r, 409, "country_in_another_zone")["country"] == "CA"
    # Nothing was half-written.
    assert server.get(f"{ZONES}/{second['id']}", token=admin).json["countries"] == ["MX"]
    assert [z["name"] for z in server.get(ZONES, token=admin).json["items"]] == ["North America", "Mexico"]
    # A zone may keep its own countries when it changes them.
    r = patch(server, f"{ZONES}/{first['id']}", {"countries": ["US"]}, token=admin)
    assert r.status == 200 and r.json["countries"] == ["US"]


@pytest.mark.parametrize("body,field", [
    ({"countries": ["US"]}, "name"),
    ({"name": "", "countries": ["US"]}, "name"),
    ({"name": "Z"}, "countries"),
    ({"name": "Z", "countries": []}, "countries"),
    ({"name": "Z", "countries": "US"}, "countries"),
    ({"name": "Z", "countries": ["XX"]}, "countries[0]"),
    ({"name": "Z", "countries": ["US", "us"]}, "countries[1]"),
    ({"name": "Z", "countries": ["US", "USA"]}, "countries[1]"),
    ({"name": "Z", "countries": ["US", 1]}, "countries[1]"),
    ({"name": "Z", "countries": ["FR", "DE", "FR"]}, "countries[2]"),
    ({"name": "Z", "countries": ["US"], "rates": []}, "rates"),
])
def test_bad_zone_bodies_are_422(server, admin, body, field):
    invalid(server.post(ZONES, body, token=admin), field)
    assert server.get(ZONES, token=admin).json["items"] == []


@pytest.mark.parametrize("body,field", [
    ({"price": 100}, "name"),
    ({"name": "R"}, "price"),
    ({"name": "R", "price": -1}, "price"),
    ({"name": "R", "price": 10 ** 13 + 1}, "price"),
    ({"name": "R", "price": 1.5}, "price"),
    ({"name": "R", "price": 100, "free_over": -5}, "free_over"),
    ({"name": "R", "price": 100, "min_subtotal": 5000, "max_subtotal": 5000}, "max_subtotal"),
    ({"name": "R", "price": 100, "min_subtotal": 6000, "max_subtotal": 5000}, "max_subtotal"),
    ({"name": "R", "price": 100, "currency": "EUR"}, "currency"),
    ({"name": "R", "price": 100, "zone_id": "shz_x"}, "zone_id"),
])
def test_bad_rate_bodies_are_422(server, admin, body, field):
    zone = server.post(ZONES, {"name": "Z", "countries": ["US"]}, token=admin).json
    invalid(server.post(f"{ZONES}/{zone['id']}/rates", body, token=admin), field)
    assert server.get(f"{ZONES}/{zone['id']}", token=admin).json["rates"] == []


def test_rate_rules_hold_for_patches_and_foreign_zones(server, admin):
    a = server.post(ZONES, {"name": "A", "countries": ["US"]}, token=admin).json
    b = server.post(ZONES, {"name": "B", "countries": ["CA"]}, token=admin).json
    rate = server.post(f"{ZONES}/{a['id']}/rates", {"name": "R", "price": 100, "min_subtotal": 1000}, token=admin).json
    invalid(patch(server, f"{ZONES}/{a['id']}/rates/{rate['id']}", {"max_subtotal": 1000}, token=admin), "max_subtotal")
    invalid(patch(server, f"{ZONES}/{a['id']}/rates/{rate['id']}", {"price": None}, token=admin), "price")
    # Reached through another zone, the rate is not there.
    problem(patch(server, f"{ZONES}/{b['id']}/rates/{rate['id']}", {"price": 1}, token=admin), 404, "not_found")
    problem(delete(server, f"{ZONES}/{b['id']}/rates/{rate['id']}", token=admin), 404, "not_found")
    problem(server.post(f"{ZONES}/shz_01nonexistent000000000000/rates", {"name": "R", "price": 1}, token=admin),
            404, "not_found")
    assert server.get(f"{ZONES}/{a['id']}", token=admin).json["rates"] == [rate]


def test_zone_patches_and_unknown_ids(server, admin):
    zone = server.post(ZONES, {"name": "Z", "countries": ["US"]}, token=admin).json
    invalid(patch(server, f"{ZONES}/{zone['id']}", {"countries": []}, token=admin), "countries")
    invalid(patch(server, f"{ZONES}/{zone['id']}", {"name": None}, token=admin), "name")
    invalid(patch(server, f"{ZONES}/{zone['id']}", {"countries": ["gb"]}, token=admin), "countries[0]")
    ghost = f"{ZONES}/shz_01nonexistent000000000000"
    problem(server.get(ghost, token=admin), 404, "not_found")
    problem(patch(server, ghost, {"name": "x"}, token=admin), 404, "not_found")
    problem(delete(server, ghost, token=admin), 404, "not_found")
    assert server.get(f"{ZONES}/{zone['id']}", token=admin).json == zone


def test_zone_list_is_paged(server, admin):
    made = [server.post(ZONES, {"name": f"Z{i}", "countries": [c]}, token=admin).json
            for i, c in enumerate(["US", "CA", "MX", "FR", "DE"])]
    assert walk(server, ZONES, admin, 2) == made
    problem(server.get(ZONES + "?cursor=%21%21", token=admin), 422, "validation_failed")


# --- tax rates -----------------------------------------------------------------------------

TAX = "/api/v1/tax/rates"


def test_tax_rate_lifecycle(server, admin):
    r = server.post(TAX, {"country": "US", "region": "US-CA", "name": "California", "rate_bp": 725,
                          "shipping_taxable": True}, token=admin)
    assert r.status == 201, r
    ca = r.json
    assert set(ca) == {"id", "country", "region", "name", "rate_bp", "shipping_taxable", "created_at", "updated_at"}
    assert (ca["country"], ca["region"], ca["rate_bp"], ca["shipping_taxable"]) == ("US", "US-CA", 725, True)
    r = server.post(TAX, {"country": "GB", "name": "VAT", "rate_bp": 2000}, token=admin)
    assert r.status == 201, r
    vat = r.json
    assert vat["region"] is None and vat["shipping_taxable"] is False

    assert server.get(TAX, token=admin).json == {"items": [ca, vat], "next_cursor": None}
    assert walk(server, TAX, admin, 1) == [ca, vat]
    assert server.get(f"{TAX}/{vat['id']}", token=admin).json == vat

    r = patch(server, f"{TAX}/{ca['id']}", {"region": None, "rate_bp": 0}, token=admin)
    assert r.status == 200, r
    assert r.json["region"] is None and r.json["rate_bp"] == 0 and r.json["name"] == "California"
    r = patch(server, f"{TAX}/{vat['id']}", {"country": "DE", "shipping_taxable": True}, token=admin)
    assert r.status == 200 and (r.json["country"], r.json["shipping_taxable"]) == ("DE", True)

    assert delete(server, f"{TAX}/{vat['id']}", token=admin).status == 204
    problem(server.get(f"{TAX}/{vat['id']}", token=admin), 404, "not_found")
    problem(delete(server, f"{TAX}/{vat['id']}", token=admin), 404, "not_found")
    problem(patch(server, f"{TAX}/{vat['id']}", {"rate_bp": 1}, token=admin), 404, "not_found")


def test_one_tax_rate_per_country_and_region(server, admin):
    whole = server.post(TAX, {"country": "US", "name": "Federal", "rate_bp": 100}, token=admin).json
    problem(server.post(TAX, {"country": "US", "name": "Again", "rate_bp": 100}, token=admin), 409, "tax_rate_exists")
    problem(server.post(TAX, {"country": "US", "region": None, "name": "Again", "rate_bp": 1}, token=admin),
            409, "tax_rate_exists")
    ny = server.post(TAX, {"country": "US", "region": "US-NY", "name": "New York", "rate_bp": 400}, token=admin)
    assert ny.status == 201, ny
    problem(server.post(TAX, {"country": "US", "region": "US-NY", "name": "NY", "rate_bp": 1}, token=admin),
            409, "tax_rate_exists")
    # Moving the regional rate onto the country's own place collides too.
    problem(patch(server, f"{TAX}/{ny.json['id']}", {"region": None}, token=admin), 409, "tax_rate_exists")
    assert server.get(f"{TAX}/{ny.json['id']}", token=admin).json == ny.json
    assert [t["id"] for t in server.get(TAX, token=admin).json["items"]] == [whole["id"], ny.json["id"]]


@pytest.mark.parametrize("body,field", [
    ({"name": "T", "rate_bp": 1}, "country"),
    ({"country": "XX", "name": "T", "rate_bp": 1}, "country"),
    ({"country": "us", "name": "T", "rate_bp": 1}, "country"),
    ({"country": "USA", "name": "T", "rate_bp": 1}, "country"),
    ({"country": "US", "region": "CA", "name": "T", "rate_bp": 1}, "region"),
    ({"country": "US", "region": "GB-ENG", "name": "T", "rate_bp": 1}, "region"),
    ({"country": "US", "region": "US-CALI", "name": "T", "rate_bp": 1}, "region"),
    ({"country": "US", "region": "us-ca", "name": "T", "rate_bp": 1}, "region"),
    ({"country": "US", "region": "", "name": "T", "rate_bp": 1}, "region"),
    ({"country": "US", "rate_bp": 1}, "name"),
    ({"country": "US", "name": "T"}, "rate_bp"),
    ({"country": "US", "name": "T", "rate_bp": 10001}, "rate_bp"),
    ({"country": "US", "name": "T", "rate_bp": -1}, "rate_bp"),
    ({"country": "US", "name": "T", "rate_bp": 20.5}, "rate_bp"),
    ({"country": "US", "name": "T", "rate_bp": 1, "shipping_taxable": "yes"}, "shipping_taxable"),
    ({"country": "US", "name": "T", "rate_bp": 1, "id": "tax_1"}, "id"),
])
def test_bad_tax_bodies_are_422(server, admin, body, field):
    invalid(server.post(TAX, body, token=admin), field)
    assert server.get(TAX, token=admin).json["items"] == []


def test_a_tax_patch_is_checked_as_a_whole(server, admin):
    t = server.post(TAX, {"country": "US", "region": "US-TX", "name": "Texas", "rate_bp": 625}, token=admin).json
    # The region no longer fits the new country.
    invalid(patch(server, f"{TAX}/{t['id']}", {"country": "CA"}, token=admin), "region")
    invalid(patch(server, f"{TAX}/{t['id']}", {"rate_bp": 10001}, token=admin), "rate_bp")
    invalid(patch(server, f"{TAX}/{t['id']}", {"name": None}, token=admin), "name")
    r = patch(server, f"{TAX}/{t['id']}", {"country": "CA", "region": "CA-ON"}, token=admin)
    assert r.status == 200 and r.json["region"] == "CA-ON"


# --- discount codes --------------------------------------------------------------------------

DISCOUNTS = "/api/v1/discounts"
DISCOUNT_KEYS = {"id", "code", "type", "value", "min_subtotal", "currency", "starts_at", "ends_at", "usage_limit",
                 "per_customer_limit", "product_ids", "category_ids", "active", "usage_count", "created_at",
                 "updated_at"}


def test_discount_lifecycle(server, admin):
    p = make_product(server, admin)
    cat = server.post("/api/v1/categories", {"name": "Books"}, token=admin).json
    r = server.post(DISCOUNTS, {"code": "Summer-10", "type": "percentage", "value": 10, "min_subtotal": 2000,
                                "starts_at": "2026-06-01T00:00:00Z", "ends_at": "2026-09-01T00:00:00Z",
                                "usage_limit": 100, "per_customer_limit": 1, "product_ids": [p["id"]],
                                "category_ids": [cat["id"]]}, token=admin)
    assert r.status == 201, r
    d = r.json
    assert set(d) == DISCOUNT_KEYS
    assert (d["code"], d["type"], d["value"], d["min_subtotal"]) == ("Summer-10", "percentage", 10, 2000)
    assert (d["starts_at"], d["ends_at"]) == ("2026-06-01T00:00:00Z", "2026-09-01T00:00:00Z")
    assert (d["usage_limit"], d["per_customer_limit"], d["active"], d["usage_count"]) == (100, 1, True, 0)
    assert d["product_ids"] == [p["id"]] and d["category_ids"] == [cat["id"]]
    assert r.header("location") == f"{DISCOUNTS}/{d['id']}"

    ship = server.post(DISCOUNTS, {"code": "SHIPFREE", "type": "free_shipping", "value": None}, token=admin)
    assert ship.status == 201, ship
    assert ship.json["value"] is None and ship.json["starts_at"] is None and ship.json["product_ids"] == []
    fixed = server.post(DISCOUNTS, {"code": "FIVE_OFF", "type": "fixed", "value": 500}, token=admin).json
    assert fixed["value"] == 500

    assert server.get(DISCOUNTS, token=admin).json == {"items": [d, ship.json, fixed], "next_cursor": None}
    assert walk(server, DISCOUNTS, admin, 2) == [d, ship.json, fixed]
    assert server.get(f"{DISCOUNTS}/{d['id']}", token=admin).json == d

    r = patch(server, f"{DISCOUNTS}/{d['id']}", {"value": 15, "ends_at": None, "product_ids": None,
                                                 "usage_limit": None}, token=admin)
    assert r.status == 200, r
    assert (r.json["value"], r.json["ends_at"], r.json["product_ids"], r.json["usage_limit"]) == (15, None, [], None)
    assert r.json["category_ids"] == [cat["id"]] and r.json["code"] == "Summer-10"

    # The type may change: to a type with a value, the value comes along.
    r = patch(server, f"{DISCOUNTS}/{fixed['id']}", {"type": "free_shipping"}, token=admin)
    assert r.status == 200 and r.json["type"] == "free_shipping" and r.json["value"] is None
    invalid(patch(server, f"{DISCOUNTS}/{fixed['id']}", {"type": "percentage"}, token=admin), "value")
    r = patch(server, f"{DISCOUNTS}/{fixed['id']}", {"type": "percentage", "value": 20, "code": "TWENTY"}, token=admin)
    assert r.status == 200 and (r.json["type"], r.json["value"], r.json["code"]) == ("percentage", 20, "TWENTY")

    # DELETE deactivates and answers with the discount; PATCH revives it.
    r = delete(server, f"{DISCOUNTS}/{ship.json['id']}", token=admin)
    assert r.status == 200, r
    assert r.json["active"] is False and r.json["code"] == "SHIPFREE"
    assert server.get(f"{DISCOUNTS}/{ship.json['id']}", token=admin).json["active"] is False
    assert delete(server, f"{DISCOUNTS}/{ship.json['id']}", token=admin).json["active"] is False
    r = patch(server, f"{DISCOUNTS}/{ship.json['id']}", {"active": True}, token=admin)
    assert r.status == 200 and r.json["active"] is True
    assert len(server.get(DISCOUNTS, token=admin).json["items"]) == 3

    ghost = f"{DISCOUNTS}/dsc_01nonexistent000000000000"
    problem(server.get(ghost, token=admin), 404, "not_found")
    problem(patch(server, ghost, {"active": True}, token=admin), 404, "not_found")
    problem(delete(server, ghost, token=admin), 404, "not_found")


def test_codes_are_unique_in_any_case(server, admin):
    first = server.post(DISCOUNTS, {"code": "WELCOME", "type": "fixed", "value": 100}, token=admin).json
    problem(server.post(DISCOUNTS, {"code": "welcome", "type": "percentage", "value": 5}, token=admin),
            409, "code_taken")
    # Even a deactivated code keeps its name taken.
    delete(server, f"{DISCOUNTS}/{first['id']}", token=admin)
    problem(server.post(DISCOUNTS, {"code": "WelCome", "type": "percentage", "value": 5}, token=admin),
            409, "code_taken")
    other = server.post(DISCOUNTS, {"code": "OTHER", "type": "percentage", "value": 5}, token=admin).json
    problem(patch(server, f"{DISCOUNTS}/{other['id']}", {"code": "wElCoMe"}, token=admin), 409, "code_taken")
    # A code may change its own case.
    r = patch(server, f"{DISCOUNTS}/{first['id']}", {"code": "welcome"}, token=admin)
    assert r.status == 200 and r.json["code"] == "welcome"
    assert server.get(f"{DISCOUNTS}/{other['id']}", token=admin).json["code"] == "OTHER"


@pytest.mark.parametrize("body,field", [
    ({"type": "fixed", "value": 1}, "code"),
    ({"code": "", "type": "fixed", "value": 1}, "code"),
    ({"code": "HAS SPACE", "type": "fixed", "value": 1}, "code"),
    ({"code": "ÉTÉ", "type": "fixed", "value": 1}, "code"),
    ({"code": "X" * 65, "type": "fixed", "value": 1}, "code"),
    ({"code": "C"}, "type"),
    ({"code": "C", "type": "bogo", "value": 1}, "type"),
    ({"code": "C", "type": "percentage"}, "value"),
    ({"code": "C", "type": "percentage", "value": 0}, "value"),
    ({"code": "C", "type": "percentage", "value": 101}, "value"),
    ({"code": "C", "type": "percentage", "value": 10.5}, "value"),
    ({"code": "C", "type": "fixed", "value": 0}, "value"),
    ({"code": "C", "type": "fixed", "value": 10 ** 13 + 1}, "value"),
    ({"code": "C", "type": "free_shipping", "value": 0}, "value"),
    ({"code": "C", "type": "free_shipping", "value": 10}, "value"),
    ({"code": "C", "type": "fixed", "value": 1, "min_subtotal": -1}, "min_subtotal"),
    ({"code": "C", "type": "fixed", "value": 1, "starts_at": "tomorrow"}, "starts_at"),
    ({"code": "C", "type": "fixed", "value": 1, "starts_at": "2026-02-01T00:00:00Z",
      "ends_at": "2026-01-01T00:00:00Z"}, "ends_at"),
    ({"code": "C", "type": "fixed", "value": 1, "starts_at": "2026-02-01T00:00:00Z",
      "ends_at": "2026-02-01T00:00:00Z"}, "ends_at"),
    ({"code": "C", "type": "fixed", "value": 1, "usage_limit": 0}, "usage_limit"),
    ({"code": "C", "type": "fixed", "value": 1, "per_customer_limit": 0}, "per_customer_limit"),
    ({"code": "C", "type": "fixed", "value": 1, "product_ids": "prod_1"}, "product_ids"),
    ({"code": "C", "type": "fixed", "value": 1, "product_ids": [""]}, "product_ids[0]"),
    ({"code": "C", "type": "fixed", "value": 1, "product_ids": ["prod_01nonexistent000000000000"]}, "product_ids[0]"),
    ({"code": "C", "type": "fixed", "value": 1, "category_ids": ["cat_01nonexistent000000000000"]},
     "category_ids[0]"),
    ({"code": "C", "type": "fixed", "value": 1, "product_ids": [f"p{i}" for i in range(101)]}, "product_ids"),
    ({"code": "C", "type": "fixed", "value": 1, "currency": "EUR"}, "currency"),
    ({"code": "C", "type": "fixed", "value": 1, "usage_count": 5}, "usage_count"),
    ({"code": "C", "type": "fixed", "value": 1, "active": False}, "active"),
])
def test_bad_discount_bodies_are_422(server, admin, body, field):
    invalid(server.post(DISCOUNTS, body, token=admin), field)
    assert server.get(DISCOUNTS, token=admin).json["items"] == []


def test_known_and_unknown_ids_are_named_by_position(server, admin):
    p = make_product(server, admin)
    r = server.post(DISCOUNTS, {"code": "MIX", "type": "fixed", "value": 1,
                                "product_ids": [p["id"], "prod_01nonexistent000000000000"]}, token=admin)
    invalid(r, "product_ids[1]")
    assert "product_ids[0]" not in fields(r)
    invalid(server.post(DISCOUNTS, {"code": "DUP", "type": "fixed", "value": 1, "product_ids": [p["id"], p["id"]]},
                        token=admin), "product_ids[1]")
    d = server.post(DISCOUNTS, {"code": "OK", "type": "fixed", "value": 1}, token=admin).json
    invalid(patch(server, f"{DISCOUNTS}/{d['id']}", {"category_ids": ["cat_01nonexistent000000000000"]}, token=admin),
            "category_ids[0]")
    invalid(patch(server, f"{DISCOUNTS}/{d['id']}", {"value": 101, "type": "percentage"}, token=admin), "value")
    invalid(patch(server, f"{DISCOUNTS}/{d['id']}", {"value": 5, "type": "free_shipping"}, token=admin), "value")
    invalid(patch(server, f"{DISCOUNTS}/{d['id']}", {"value": None}, token=admin), "value")
    invalid(patch(server, f"{DISCOUNTS}/{d['id']}", {"starts_at": "2030-01-01T00:00:00Z",
                                                     "ends_at": "2029-01-01T00:00:00Z"}, token=admin), "ends_at")
    invalid(patch(server, f"{DISCOUNTS}/{d['id']}", {"code": None}, token=admin), "code")
    invalid(patch(server, f"{DISCOUNTS}/{d['id']}", {"usage_count": 0}, token=admin), "usage_count")
    assert server.get(f"{DISCOUNTS}/{d['id']}", token=admin).json == d


# --- races ----------------------------------------------------------------------------------

def race(n, fn):
    results = [None] * n
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, fn(i))) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_racing_writers_get_one_winner_and_clean_409s(server, admin):
    zones = race(8, lambda i: server.post(ZONES, {"name": f"Z{i}", "countries": ["JP"]}, token=admin))
    assert sorted(r.status for r in zones) == [201] + [409] * 7, zones
    assert all(r.json["code"] == "country_in_another_zone" for r in zones if r.status == 409)
    codes = race(8, lambda i: server.post(DISCOUNTS, {"code": "RACE" if i % 2 else "race", "type": "fixed",
                                                      "value": 1}, token=admin))
    assert sorted(r.status for r in codes) == [201] + [409] * 7, codes
    assert all(r.json["code"] == "code_taken" for r in codes if r.status == 409)
    taxes = race(8, lambda i: server.post(TAX, {"country": "JP", "name": f"T{i}", "rate_bp": i}, token=admin))
    assert sorted(r.status for r in taxes) == [201] + [409] * 7, taxes
    assert len(server.get(ZONES, token=admin).json["items"]) == 1
    assert len(server.get(DISCOUNTS, token=admin).json["items"]) == 1
    assert len(server.get(TAX, token=admin).json["items"]) == 1


# --- who may call ----------------------------------------------------------------------------

def admin_routes(zone, rate, tax, discount):
    return [
        ("GET", ZONES, None), ("POST", ZONES, {"name": "Z", "countries": ["NO"]}),
        ("GET", f"{ZONES}/{zone}", None), ("PATCH", f"{ZONES}/{zone}", {"name": "x"}),
        ("DELETE", f"{ZONES}/{zone}", None),
        ("POST", f"{ZONES}/{zone}/rates", {"name": "R", "price": 1}),
        ("PATCH", f"{ZONES}/{zone}/rates/{rate}", {"price": 2}), ("DELETE", f"{ZONES}/{zone}/rates/{rate}", None),
        ("GET", TAX, None), ("POST", TAX, {"country": "NO", "name": "T", "rate_bp": 1}),
        ("GET", f"{TAX}/{tax}", None), ("PATCH", f"{TAX}/{tax}", {"rate_bp": 2}), ("DELETE", f"{TAX}/{tax}", None),
        ("GET", DISCOUNTS, None), ("POST", DISCOUNTS, {"code": "NOPE", "type": "fixed", "value": 1}),
        ("GET", f"{DISCOUNTS}/{discount}", None), ("PATCH", f"{DISCOUNTS}/{discount}", {"value": 2}),
        ("DELETE", f"{DISCOUNTS}/{discount}", None),
    ]


def test_customers_get_403_and_strangers_401(server, admin):
    zone = server.post(ZONES, {"name": "Z", "countries": ["US"]}, token=admin).json
    rate = server.post(f"{ZONES}/{zone['id']}/rates", {"name": "R", "price": 1}, token=admin).json
    tax = server.post(TAX, {"country": "US", "name": "T", "rate_bp": 1}, token=admin).json
    discount = server.post(DISCOUNTS, {"code": "KEEP", "type": "fixed", "value": 1}, token=admin).json
    _, customer, *_ = new_customer(server)
    for method, path, body in admin_routes(zone["id"], rate["id"], tax["id"], discount["id"]):
        problem(server.request(method, path, body, token=customer), 403, "forbidden")
        r = server.request(method, path, body)
        problem(r, 401, "unauthorized")
        assert r.header("www-authenticate") == "Bearer", (method, path)
    # Nothing changed.
    assert server.get(f"{ZONES}/{zone['id']}", token=admin).json["rates"] == [rate]
    assert server.get(f"{TAX}/{tax['id']}", token=admin).json == tax
    assert server.get(f"{DISCOUNTS}/{discount['id']}", token=admin).json == discount
    assert len(server.get(ZONES, token=admin).json["items"]) == 1

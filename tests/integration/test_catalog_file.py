"""Section 9, catalogue files: CSV export one row per variant, import upserting by sku, all
rows or none, every bad row named."""
import csv
import io
import uuid

import pytest

from shopd import admin_token, new_customer
from test_orders import make_product
from test_variants import tee, variant

HEADER = ["product_id", "variant_id", "sku", "name", "description", "category_id", "price", "stock", "status"]


@pytest.fixture
def admin(server):
    return admin_token(server)


def export(server, token):
    r = server.get("/api/v1/products/export", token=token)
    assert r.status == 200, r
    assert r.header("content-type").startswith("text/csv")
    return r.content.decode("utf-8")


def rows_of(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def upload(server, token, text, content_type="text/csv"):
    return server.request("POST", "/api/v1/products/import", raw=text.encode("utf-8"), token=token,
                          headers={"Content-Type": content_type})


def to_csv(rows):
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def test_export_is_one_rfc4180_row_per_variant_with_option_columns(server, admin):
    tricky = 'Soft, warm "wool"\nline two'
    r = server.post("/api/v1/products", {"sku": "CSV-" + uuid.uuid4().hex[:6], "name": "Scarf, long",
                                         "description": tricky, "price": 1500, "stock": 3}, token=admin)
    plain = r.json
    t = tee(server, admin, sizes=("S", "M"), colours=("Red",))
    text = export(server, admin)
    assert text.endswith("\r\n")
    rows = rows_of(text)
    assert rows[0] == HEADER + ["option:Colour", "option:Size"]
    assert len(rows) == 1 + 1 + 2
    by_sku = {row[2]: dict(zip(rows[0], row)) for row in rows[1:]}
    p = by_sku[plain["sku"]]
    assert (p["product_id"], p["variant_id"], p["name"], p["description"], p["price"], p["stock"], p["status"]) == (
        plain["id"], plain["id"], "Scarf, long", tricky, "1500", "3", "active")
    assert p["option:Size"] == "" and p["option:Colour"] == ""
    m = by_sku[variant(t, Size="M", Colour="Red")["sku"]]
    assert (m["product_id"], m["option:Size"], m["option:Colour"], m["price"]) == (t["id"], "M", "Red", "2100")
    # only admins
    _, customer, _, _ = new_customer(server)
    assert server.get("/api/v1/products/export", token=customer).status == 403
    assert server.get("/api/v1/products/export").status == 401


def test_an_export_imported_back_changes_nothing(server, admin):
    make_product(server, admin)
    tee(server, admin)
    before = export(server, admin)
    r = upload(server, admin, before)
    assert r.status == 200 and r.json == {"created": 0, "updated": 0}, r
    assert export(server, admin) == before


def test_import_updates_by_sku_and_creates_new_products_and_variants(server, admin):
    plain = make_product(server, admin, price=1000, stock=4)
    t = tee(server, admin, sizes=("S", "M"), colours=("Red",))
    s = variant(t, Size="S", Colour="Red")
    cat = server.post("/api/v1/categories", {"name": "Imported"}, token=admin).json
    new_base = "HAT-" + uuid.uuid4().hex[:6]
    rows = [HEADER + ["option:Size", "option:Colour"],
            # an update: price and stock of a plain product, renamed
            [plain["id"], plain["id"], plain["sku"], "Renamed widget", "A widget", "", "1100", "6", "active", "", ""],
            # an update of one variant: its price; its archive
            [t["id"], s["id"], s["sku"], t["name"], "Cotton", "", "1999", "5", "archived", "S", "Red"],
            # a new variant of an existing product
            [t["id"], "", t["sku"] + "-L", t["name"], "Cotton", "", "2500", "2", "", "L", "Red"],
            # a new plain product, with quotes and commas
            ["", "", "MUG-" + new_base, 'Mug "big", blue', "", cat["id"], "800", "10", "", "", ""],
            # a new product with options: rows of one name make one product
            ["", "", new_base + "-S", "Hat", "Felt", cat["id"], "900", "1", "", "S", ""],
            ["", "", new_base + "-M", "Hat", "Felt", cat["id"], "950", "2", "", "M", ""]]
    r = upload(server, admin, to_csv(rows))
    assert r.status == 200, r
    assert r.json == {"created": 4, "updated": 2}

    p = server.get(f"/api/v1/products/{plain['id']}").json
    assert (p["name"], p["price"], p["stock"], p["variants"][0]["price"]) == ("Renamed widget", 1100, 6, 1100)
    t2 = server.get(f"/api/v1/products/{t['id']}").json
    assert variant(t2, Size="S", Colour="Red")["status"] == "archived"
    assert variant(t2, Size="L", Colour="Red")["price"] == 2500
    assert (t2["price"], t2["price_max"], t2["stock"]) == (2100, 2500, 5 + 2)
    listed = server.get("/api/v1/products?limit=100&category=" + cat["id"]).json["items"]
    mug = next(x for x in listed if x["sku"] == "MUG-" + new_base)
    assert mug["name"] == 'Mug "big", blue' and mug["options"] == [] and mug["stock"] == 10
    hat = next(x for x in listed if x["name"] == "Hat")
    assert hat["options"] == [{"name": "Size", "values": ["S", "M"]}]
    assert sorted(v["sku"] for v in hat["variants"]) == [new_base + "-M", new_base + "-S"]
    assert (hat["price"], hat["price_max"], hat["stock"], hat["sku"]) == (900, 950, 3, new_base + "-S")
    # the new products sell
    _, customer, _, _ = new_customer(server)
    v = variant(hat, Size="M")
    r = server.request("PUT", f"/api/v1/cart/items/{v['id']}", {"quantity": 2}, token=customer)
    assert r.status == 200 and r.json["total"] == 1900


def test_bad_rows_are_all_named_and_nothing_changes(server, admin):
    plain = make_product(server, admin, price=1000, stock=4)
    t = tee(server, admin, sizes=("S",), colours=("Red",))
    before = export(server, admin)
    rows = [HEADER + ["option:Size"],
            ["", "", "OK-" + uuid.uuid4().hex[:6], "Fine", "", "", "100", "1", "", ""],  # row 1 is good
            ["", "", "", "No sku", "", "", "100", "1", "", ""],                            # 2: sku
            ["", "", "X-" + uuid.uuid4().hex[:6], "Bad price", "", "", "12.50", "-1", "", ""],  # 3: price, stock
            ["", "", plain["sku"] + "-2", "x", "", "cat_nope", "1", "1", "sold", ""],      # 4: category, status
            ["prod_nope", "", "Y-" + uuid.uuid4().hex[:6], "x", "", "", "1", "1", "", "M"],  # 5: product_id
            ["", "", plain["sku"], "x", "", "", "1", "1", "", ""],                          # 6: fine alone...
            ["", "", plain["sku"], "x", "", "", "1", "1", "", ""],                          # 7: ...but twice
            [t["id"], "", "Z-" + uuid.uuid4().hex[:6], t["name"], "Cotton", "", "1", "1", "", "XL"],  # 8: value
            ["too", "few"]]                                                                # 9: width
    r = upload(server, admin, to_csv(rows))
    assert r.status == 422, r
    assert r.json["code"] == "validation_failed"
    named = {(e["row"], e["field"]) for e in r.json["errors"]}
    for want in [(2, "sku"), (3, "price"), (3, "stock"), (4, "category_id"), (4, "status"), (5, "product_id"),
                 (7, "sku"), (8, "options"), (9, "row")]:
        assert want in named, (want, r.json["errors"])
    assert not any(e["row"] == 1 for e in r.json["errors"])
    assert export(server, admin) == before


@pytest.mark.parametrize("text,row", [
    (",".join(HEADER) + "\r\n" + '"","","A","unterminated,1,1,active\r\n', 1),
    (",".join(HEADER) + "\r\n" + ',,B,ok,,,1,1,active\r\n,,C,x"y,,,1,1,active\r\n', 2),
    (",".join(HEADER) + ",colour\r\n" + ",,D,x,,,1,1,active,red\r\n", 0),
    ("sku,name\r\nE,x\r\n", 0),
    ("", 0),
])
def test_a_broken_file_is_422_naming_the_row(server, admin, text, row):
    before = export(server, admin)
    r = upload(server, admin, text)
    assert r.status == 422, r
    assert r.json["code"] == "validation_failed"
    assert r.json["errors"][0]["row"] == row, r.json
    assert export(server, admin) == before


def test_import_needs_csv_and_an_admin(server, admin):
    text = ",".join(HEADER) + "\r\n"
    assert upload(server, admin, text, "application/json").status == 415
    _, customer, _, _ = new_customer(server)
    assert upload(server, customer, text).status == 403

"""shopd serve --modules (SHOPD_MODULES): a process serves the routes and background jobs
of the modules it lists; the others keep their interfaces, migrations and event
subscriptions in-process but answer nothing (404 not_found)."""
import os
import time

from shopd import Server, admin_env, admin_token, run_cli, new_customer


def product_body(sku, name):
    return {"sku": sku, "name": name, "description": "for the module split", "price": 1234, "stock": 5}


def test_a_search_only_process_answers_search_and_404_on_orders():
    s = Server(env=admin_env(), args=["--modules=search"]).start()
    try:
        assert s.get("/api/v1/search?q=anything").status == 200
        r = s.post("/api/v1/orders", {"items": []})
        assert r.status == 404, r
        assert r.json["code"] == "not_found"
        assert s.get("/api/v1/products").status == 404
        assert s.get("/healthz").status == 200  # ops routes belong to the core
        paths = s.get("/api/v1/openapi.json").json["paths"]
        assert "/api/v1/search" in paths and "/api/v1/orders" not in paths
    finally:
        s.close()


def test_the_environment_variable_selects_modules_too():
    s = Server(env={**admin_env(), "SHOPD_MODULES": "user, product"}).start()
    try:
        assert s.get("/api/v1/products").status == 200
        assert s.get("/api/v1/search?q=x").status == 404
        assert admin_token(s)  # users are served
    finally:
        s.close()


def test_an_unknown_module_name_stops_start_up_with_one_line(tmp_path):
    r = run_cli(["serve", "--port", "0", "--db", str(tmp_path / "shop.db"), "--modules=search,checkout"])
    assert r.returncode == 2, r
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, r.stderr
    assert "checkout" in lines[0] and "modules" in lines[0]


def test_checkout_and_search_groups_share_one_database(tmp_path):
    """The shape of docs/deploy.md's path-prefix routing: one group serves checkout, the
    other search and analytics, on one database."""
    db = str(tmp_path / "shop.db")
    checkout = Server(env=admin_env(), args=["--modules=user,product,order,payment"], db=db).start()
    search = Server(env=admin_env(), args=["--modules=search,analytics"], db=db).start()
    try:
        admin = admin_token(checkout)
        word = f"modsplit{time.monotonic_ns()}"
        r = checkout.post("/api/v1/products", product_body(word.upper(), f"Lamp {word}"), token=admin)
        assert r.status == 201, r
        pid = r.json["id"]
        # A product written by the checkout group is found by the search group.
        deadline = time.time() + 5
        found = []
        while time.time() < deadline and not found:
            found = [i["id"] for i in search.get(f"/api/v1/search?q={word}").json["items"]]
            time.sleep(0.05)
        assert found == [pid]
        # Each group answers only its own routes.
        assert search.post("/api/v1/products", product_body("X-1", "x"), token=admin).status == 404
        assert checkout.get(f"/api/v1/search?q={word}").status == 404
        # A token issued by one group works on the other (the user module's verifier is in both).
        assert search.get("/api/v1/analytics/summary", token=admin).status == 200
        # An order placed and paid in the checkout group shows in the search group's analytics.
        _, token, _, _ = new_customer(checkout)
        order = checkout.post("/api/v1/orders", {"items": [{"product_id": pid, "quantity": 1}],
                                                 "shipping_address": {"name": "A", "line1": "1 St", "city": "C",
                                                                      "postal_code": "1", "country": "US"}},
                              token=token)
        assert order.status == 201, order
        paid = checkout.post("/api/v1/payments", {"order_id": order.json["id"], "card": {
            "number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}},
            token=token, headers={"Idempotency-Key": "mod-1"})
        assert paid.status == 201 and paid.json["status"] == "succeeded", paid
        events = search.get("/api/v1/events?type=order.paid", token=admin).json["items"]
        assert [e["data"]["order_id"] for e in events] == [order.json["id"]]
    finally:
        search.close()
        checkout.close()

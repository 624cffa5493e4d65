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


def test_a_bad_module_setting_stops_start_up_with_one_line(tmp_path):
    """Module settings (here the user module's auth section, the order module's hold and
    the payment module's provider) are read by their modules, and still stop start-up."""
    db = str(tmp_path / "shop.db")
    cases = [
        ({"SHOPD_ACCESS_TTL": "soon"}, None, "SHOPD_ACCESS_TTL"),
        ({"SHOPD_ORDER_TTL": "0"}, None, "SHOPD_ORDER_TTL"),
        ({"SHOPD_PAYMENT_PROVIDER": "nosuchpay"}, None, "nosuchpay"),
        ({}, {"auth": {"acess_ttl_s": 60}}, "auth.acess_ttl_s"),
        ({}, {"payments": {"provider": "sandbox", "secret": "x"}}, "payments.secret"),
    ]
    for env, config, expected in cases:
        args = ["serve", "--port", "0", "--db", db]
        if config is not None:
            path = tmp_path / "shopd.json"
            path.write_text(__import__("json").dumps(config))
            args += ["--config", str(path)]
        r = run_cli(args, env=env)
        assert r.returncode == 2, (env, config, r)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        assert len(lines) == 1 and expected in lines[0], (env, config, r.stderr)


def test_module_settings_from_a_file_take_effect(tmp_path):
    """The auth section in the settings file reaches the user module: a short access-token
    lifetime shows in the login answer."""
    path = tmp_path / "shopd.json"
    path.write_text('{"auth": {"access_ttl_s": 120}, "shop": {"order_ttl_s": 90}}')
    s = Server(env=admin_env(), args=["--config", str(path)]).start()
    try:
        r = s.post("/api/v1/auth/login", {"email": admin_env()["SHOPD_ADMIN_EMAIL"],
                                          "password": admin_env()["SHOPD_ADMIN_PASSWORD"]})
        assert r.status == 200, r
        assert r.json["expires_in"] == 120
    finally:
        s.close()


def test_copy_takes_the_tables_modules_declare_and_refuses_an_unknown_one(tmp_path):
    """shopd copy learns the tables from the modules (Module::tables): the declared ones
    are copied, the search index is rebuilt, and a table no module declares stops the copy
    before anything is written."""
    import sqlite3
    src = str(tmp_path / "src.db")
    s = Server(env=admin_env(), db=src, backend="sqlite").start()
    try:
        admin = admin_token(s)
        r = s.post("/api/v1/products", product_body("COPY-1", "Copied lamp"), token=admin)
        assert r.status == 201, r
    finally:
        s.close()
    r = run_cli(["copy", "--from", src, "--to", str(tmp_path / "one.db")])
    assert r.returncode == 0, r.stderr
    assert "row counts verified" in r.stdout
    copied = sqlite3.connect(str(tmp_path / "one.db"))
    assert copied.execute("SELECT COUNT(*) FROM products WHERE sku = 'COPY-1'").fetchone()[0] == 1
    assert copied.execute("SELECT COUNT(*) FROM data_watermarks WHERE consumer = 'search'").fetchone()[0] == 0
    copied.close()

    con = sqlite3.connect(src)
    con.execute("CREATE TABLE mystery (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    target = tmp_path / "two.db"
    r = run_cli(["copy", "--from", src, "--to", str(target)])
    assert r.returncode == 2, r
    last = r.stderr.strip().splitlines()[-1]  # after the target's migration log lines
    assert last.startswith("shopd copy:") and "mystery" in last, r.stderr

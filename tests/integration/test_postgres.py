"""PostgreSQL-only properties (SHOPD_TEST_DB=postgres, see scripts/test-stages/20-postgres):
replicas sharing one database, an outage and recovery of the server, the CLI on a URL,
and `shopd copy` between SQLite and PostgreSQL. The rest of the suite runs on PostgreSQL
through the same switch."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

from shopd import (ON_POSTGRES, PG_URL, Server, admin_env, admin_token, db_name, new_customer, pg_schema_for,
                   pg_url_for_schema, psql, run_cli)
from test_orders import make_product, order, stock_of

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs SHOPD_TEST_DB=postgres and SHOPD_TEST_PG_URL")

SHARED_SECRET = "a-shared-secret-for-three-replicas-0123456789"


def test_a_token_issued_by_one_replica_works_on_another(tmp_path):
    # No configured secret: the generated one is created once and shared through the database.
    db = str(tmp_path / "shared.db")
    a = Server(env=admin_env(), db=db).start()
    b = Server(env=admin_env(), db=db).start()
    try:
        token = admin_token(a)
        r = b.get("/api/v1/users/me", token=token)
        assert r.status == 200, r
        _, customer, _, _ = new_customer(b)
        assert a.get("/api/v1/users/me", token=customer).status == 200
        schema = pg_schema_for(db)
        assert psql(f"SELECT count(*) FROM {schema}.user_secrets").strip() == "1"
    finally:
        a.close()
        b.close()


def test_a_replica_killed_mid_run_loses_no_acknowledged_order(tmp_path):
    db = str(tmp_path / "kill.db")
    env = dict(admin_env(), SHOPD_JWT_SECRET=SHARED_SECRET)
    servers = [Server(env=env, db=db).start() for _ in range(3)]
    try:
        admin = admin_token(servers[0])
        p = make_product(servers[0], admin, stock=1000)
        buyers = [new_customer(servers[i % 3])[1] for i in range(12)]
        acknowledged = []
        lock = threading.Lock()
        stop = time.time() + 4

        def buy(i, token):
            s = servers[i % 3]
            while time.time() < stop:
                try:
                    r = order(s, token, [(p["id"], 1)])
                except OSError:
                    return  # its replica was killed
                if r.status == 201:
                    with lock:
                        acknowledged.append(r.json["id"])

        threads = [threading.Thread(target=buy, args=(i, t)) for i, t in enumerate(buyers)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        servers[2].proc.send_signal(signal.SIGKILL)
        for t in threads:
            t.join(30)
        assert len(acknowledged) > 10
        for n, oid in enumerate(acknowledged):
            r = servers[n % 2].get(f"/api/v1/orders/{oid}", token=admin)  # the two survivors
            assert r.status == 200, (oid, r)
        # Stock went down by exactly the orders that exist (acknowledged or not).
        orders = int(psql(f"SELECT count(*) FROM {pg_schema_for(db)}.orders").strip())
        assert orders >= len(acknowledged)
        assert stock_of(servers[0], p["id"]) == 1000 - orders
    finally:
        for s in servers:
            try:
                s.close()
            except Exception:
                pass


def test_migrate_is_idempotent_on_postgres(tmp_path):
    db = str(tmp_path / "m.db")
    for _ in range(2):
        r = run_cli(["migrate", "--db", db])
        assert r.returncode == 0, r.stderr
    rows = psql(f"SELECT module, version FROM {pg_schema_for(db)}.schema_migrations ORDER BY module, version")
    assert "core|1" in rows and "order|1" in rows and "data|2" in rows
    assert len(rows.split()) == len(set(rows.split()))


def test_backup_on_postgres_points_to_pg_dump(tmp_path):
    r = run_cli(["backup", "--db", str(tmp_path / "b.db"), "--out", str(tmp_path / "out.db")])
    assert r.returncode == 2
    out = (r.stdout + r.stderr).strip()
    assert "pg_dump" in out and len(out.splitlines()) == 1
    assert not (tmp_path / "out.db").exists()


def test_the_database_password_never_reaches_the_log(tmp_path):
    schema = pg_schema_for(str(tmp_path / "pw.db"))
    psql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    # The test cluster trusts loopback, so any password is accepted (and must stay hidden).
    url = pg_url_for_schema(schema).replace("://shop@", "://shop:hunter2-sesame@", 1)
    assert "hunter2-sesame" in url
    s = Server(env=admin_env(), db=url).start()
    try:
        assert s.get("/readyz").status == 200
        s.stop()
        assert "hunter2-sesame" not in s.log_text()
    finally:
        s.close()


# --- an outage of the server: a private cluster, so the shared one keeps running ---

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster in a temp folder, as the postgres user when root."""

    def __init__(self):
        self.bin = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
        self.dir = tempfile.mkdtemp(prefix="shopd-pg-outage-")
        os.chmod(self.dir, 0o755)
        self.as_pg = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        self.port = _free_port()
        self.data = os.path.join(self.dir, "data")
        subprocess.run(self.as_pg + [os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "shop", "--auth=trust",
                                     "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True, timeout=120)
        self.url = f"postgresql://shop@127.0.0.1:{self.port}/postgres"

    def start(self):
        subprocess.run(self.as_pg + [os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l",
                                     os.path.join(self.dir, "server.log"), "-w", "-t", "30", "start", "-o",
                                     f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"],
                       check=True, capture_output=True, timeout=60)

    def pid(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())

    def stop(self):
        pid = self.pid()
        os.kill(pid, signal.SIGINT)  # fast shutdown: open connections are cut
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        raise RuntimeError("postgres did not stop")

    def destroy(self):
        try:
            self.stop()
        except Exception:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    c = Cluster()
    c.start()
    psql("CREATE EXTENSION IF NOT EXISTS unaccent", url=c.url)
    yield c
    c.destroy()


def test_postgres_going_away_gives_503s_and_coming_back_serves_again(cluster):
    s = Server(env=dict(admin_env(), SHOPD_DB_WRITE_TIMEOUT_MS="2000"), db=cluster.url).start()
    try:
        admin = admin_token(s)
        p = make_product(s, admin, stock=5)
        assert s.get("/readyz").status == 200
        cluster.stop()
        r = s.get(f"/api/v1/products/{p['id']}")
        assert r.status == 503, r
        assert r.header("content-type").startswith("application/problem+json")
        assert r.json["code"] == "database_unavailable"
        assert r.header("retry-after")
        r = s.post("/api/v1/products", {"sku": "X-1", "name": "X", "price": 1, "stock": 1}, token=admin)
        assert r.status == 503 and r.json["code"] == "database_unavailable", r
        assert s.get("/readyz").status == 503
        assert s.proc.poll() is None
        cluster.start()
        deadline = time.time() + 10
        r = None
        while time.time() < deadline:
            r = s.get(f"/api/v1/products/{p['id']}")
            if r.status == 200:
                break
            time.sleep(0.2)
        assert r.status == 200, r
        assert s.get("/readyz").status == 200
        assert make_product(s, admin, stock=1)["stock"] == 1
    finally:
        s.close()


# --- shopd copy ---

def _shop_with_history(server):
    """Products, a category, customers, orders (paid, refunded, cancelled, open), events."""
    from test_payments import SECRET, pay  # noqa: F401  (SECRET: the server's webhook secret)
    admin = admin_token(server)
    cat = server.post("/api/v1/categories", {"name": "Crème & Mugs"}, token=admin).json
    products = []
    for i, (name, desc) in enumerate([("Blue Mug", "A blue ceramic mug"), ("Crème brûlée dish", "Oven-safe"),
                                      ("Tea Pot", "Holds a mug or two")]):
        r = server.post("/api/v1/products", {"sku": f"COPY-{i}", "name": name, "description": desc, "price": 1000 + i,
                                             "stock": 50, "category_id": cat["id"]}, token=admin)
        assert r.status == 201, r
        products.append(r.json)
    server.request("PATCH", f"/api/v1/products/{products[2]['id']}", body={"price": 1500}, token=admin,
                   headers={"If-Match": '"1"'})
    customers = [new_customer(server) for _ in range(3)]
    orders = []
    for n, (_, token, _, _) in enumerate(customers):
        o = order(server, token, [(products[n % 3]["id"], 2), (products[(n + 1) % 3]["id"], 1)])
        assert o.status == 201, o
        orders.append((o.json, token))
    p0 = pay(server, orders[0][1], orders[0][0]["id"])
    assert p0.status == 201, p0
    p1 = pay(server, orders[1][1], orders[1][0]["id"])
    assert server.post(f"/api/v1/payments/{p1.json['id']}/refunds", {"amount": 500}, token=admin).status == 201
    assert server.post(f"/api/v1/orders/{orders[2][0]['id']}/cancel", token=orders[2][1]).status == 200
    return admin, products, customers, orders


def _sample_reads(server, admin, products, customers, orders):
    """The same reads on either copy; volatile fields (request ids, scores) left out."""
    out = {}
    for p in products:
        out[p["id"]] = server.get(f"/api/v1/products/{p['id']}").json
    out["products"] = server.get("/api/v1/products?limit=100").json
    out["categories"] = server.get("/api/v1/categories").json
    for o, token in orders:
        out[o["id"]] = server.get(f"/api/v1/orders/{o['id']}", token=token).json
        out[o["id"] + "/payments"] = server.get(f"/api/v1/orders/{o['id']}/payments", token=token).json
    out["orders"] = server.get("/api/v1/orders?limit=100", token=admin).json
    out["users"] = server.get("/api/v1/users?limit=100", token=admin).json
    out["me"] = server.get("/api/v1/users/me", token=customers[0][1]).json
    out["events"] = server.get("/api/v1/events?limit=100", token=admin).json
    summary = server.get("/api/v1/analytics/summary", token=admin).json
    for period in ("today", "last_30_days"):
        summary[period].pop("to", None)  # "now"
    out["summary"] = summary
    hits = server.get("/api/v1/search?q=creme%20dis", token=admin).json
    out["search"] = [(h["id"], h["highlight"]) for h in hits["items"]]  # scores: BM25 vs ts_rank
    out["search_facets"] = hits["facets"]
    out["search_total"] = hits["total"]
    out["suggest"] = server.get("/api/v1/search/suggest?q=te").json
    return out


def test_copy_a_sqlite_shop_to_postgres_answers_the_same(tmp_path):
    from test_payments import SECRET
    env = dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET, SHOPD_JWT_SECRET=SHARED_SECRET)
    src = str(tmp_path / "src.db")
    a = Server(env=env, db=src, backend="sqlite").start()
    try:
        admin, products, customers, orders = _shop_with_history(a)
        before = _sample_reads(a, admin, products, customers, orders)
    finally:
        a.close()
    dst_path = str(tmp_path / "dst.db")
    dst = db_name(dst_path)
    r = subprocess.run([os.environ.get("SHOPD_BIN") or "shopd", "copy", "--from", src, "--to", dst],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "row counts verified" in r.stdout
    b = Server(env=env, db=dst_path).start()
    try:
        after = _sample_reads(b, admin_token(b), products, customers, orders)
        for key in before:
            assert after[key] == before[key], key
        # The copy continues the event log and the id sequences after the copied rows.
        _, token, _, _ = new_customer(b)
        o = order(b, token, [(products[0]["id"], 1)])
        assert o.status == 201, o
    finally:
        b.close()
    # A target that already holds a shop is refused, and left as it was.
    r = subprocess.run([os.environ.get("SHOPD_BIN") or "shopd", "copy", "--from", src, "--to", dst],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "already holds" in r.stderr
    # And back: PostgreSQL -> a new SQLite file.
    back = str(tmp_path / "back.db")
    r = subprocess.run([os.environ.get("SHOPD_BIN") or "shopd", "copy", "--from", dst, "--to", back],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    c = Server(env=env, db=back, backend="sqlite").start()
    try:
        assert c.get(f"/api/v1/orders/{orders[0][0]['id']}", token=orders[0][1]).json == before[orders[0][0]["id"]]
    finally:
        c.close()


def test_one_effect_per_idempotency_key_and_one_payment_per_order_across_replicas(tmp_path):
    from test_payments import SECRET, card
    db = str(tmp_path / "idem.db")
    env = dict(admin_env(), SHOPD_JWT_SECRET=SHARED_SECRET, SHOPD_WEBHOOK_SECRET=SECRET)
    servers = [Server(env=env, db=db).start() for _ in range(3)]
    try:
        admin = admin_token(servers[0])
        p = make_product(servers[0], admin, stock=100)
        _, token, _, _ = new_customer(servers[0])
        results = []
        lock = threading.Lock()

        def run(fn, n):
            barrier = threading.Barrier(n)

            def one(i):
                barrier.wait(10)
                r = fn(servers[i % 3])
                with lock:
                    results.append(r)

            threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)

        # Twelve copies of one order request, one key, on three replicas at once.
        run(lambda s: order(s, token, [(p["id"], 3)], headers={"Idempotency-Key": "same-order-key"}), 12)
        created = {r.json["id"] for r in results if r.status == 201}
        assert len(created) == 1, results
        assert all(r.status < 500 for r in results), results
        assert stock_of(servers[1], p["id"]) == 97
        assert servers[2].get("/api/v1/orders", token=token).json["items"].__len__() == 1
        oid = created.pop()

        # Twelve payments of that order with different keys: at most one succeeds.
        results.clear()
        run(lambda s: s.post("/api/v1/payments", {"order_id": oid, "card": card()}, token=token,
                             headers={"Idempotency-Key": "pay-" + os.urandom(6).hex()}), 12)
        assert all(r.status < 500 for r in results), results
        assert sum(1 for r in results if r.status == 201 and r.json["status"] == "succeeded") == 1, results
        listed = servers[0].get(f"/api/v1/orders/{oid}/payments", token=token).json["items"]
        assert sum(1 for x in listed if x["status"] == "succeeded") == 1
    finally:
        for s in servers:
            s.close()


def test_order_expiry_run_by_every_replica_releases_stock_once(tmp_path):
    db = str(tmp_path / "expiry.db")
    env = dict(admin_env(), SHOPD_JWT_SECRET=SHARED_SECRET, SHOPD_ORDER_TTL="1")
    servers = [Server(env=env, db=db).start() for _ in range(3)]
    try:
        admin = admin_token(servers[0])
        p = make_product(servers[0], admin, stock=20)
        ids = []
        for i in range(6):
            _, token, _, _ = new_customer(servers[i % 3])
            r = order(servers[i % 3], token, [(p["id"], 2)])
            assert r.status == 201, r
            ids.append(r.json["id"])
        assert stock_of(servers[0], p["id"]) == 8
        deadline = time.time() + 15
        statuses = []
        while time.time() < deadline:
            statuses = [servers[n % 3].get(f"/api/v1/orders/{oid}", token=admin).json["status"] for n, oid in enumerate(ids)]
            if all(s == "expired" for s in statuses):
                break
            time.sleep(0.3)
        assert all(s == "expired" for s in statuses), statuses
        assert stock_of(servers[1], p["id"]) == 20
        events = psql(f"SELECT count(*) FROM {pg_schema_for(db)}.events WHERE type = 'order.expired'").strip()
        assert events == "6", events
    finally:
        for s in servers:
            s.close()


def test_an_interrupted_copy_leaves_the_target_empty_and_a_rerun_completes(tmp_path):
    import sqlite3
    src = str(tmp_path / "big.db")
    r = subprocess.run([os.environ.get("SHOPD_BIN") or "shopd", "migrate", "--db", src], capture_output=True, text=True,
                       timeout=60)  # a SQLite source: not through run_cli, which maps --db to PostgreSQL
    assert r.returncode == 0, r.stderr
    # A long event log makes the copy take a while.
    con = sqlite3.connect(src)
    with con:
        con.executemany("INSERT INTO events(type, created_at, data) VALUES (?, ?, ?)",
                        (("thing.happened", 1700000000000 + i, '{"thing_id": %d, "pad": "%s"}' % (i, "x" * 200))
                         for i in range(150000)))
    con.close()
    dst_path = str(tmp_path / "target.db")
    dst = db_name(dst_path)
    schema = pg_schema_for(dst_path)
    bin_ = os.environ.get("SHOPD_BIN") or "shopd"
    proc = subprocess.Popen([bin_, "copy", "--from", src, "--to", dst], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Interrupt it once it is inserting (the target's schema exists), well before it ends.
    deadline = time.time() + 20
    while time.time() < deadline and proc.poll() is None:
        if psql(f"SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO \"events\"%'").strip() not in ("", "0"):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the copy ended before it could be interrupted"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    # Nothing of the shop arrived: every table is empty.
    time.sleep(0.5)
    assert psql(f"SELECT count(*) FROM {schema}.events").strip() == "0"
    r = subprocess.run([bin_, "copy", "--from", src, "--to", dst], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert psql(f"SELECT count(*) FROM {schema}.events").strip() == "150000"

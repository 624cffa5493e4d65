"""Scale-out on loopback (issue 9): nginx (Debian's package, deploy/nginx/shopd-proxy.conf)
in front of three shopd processes that share one database, driven by a bounded mixed
workload (browse, search, register, login, cart, order, pay) while one replica is killed
with SIGKILL and then all three are restarted one at a time.

What must hold:
  - a token issued by one replica works on the others, and every replica served traffic;
  - stock is never oversold: for every product, initial stock = stock left + units in orders;
  - every acknowledged order (a 201 from shopd) is there at the end, paid when its payment
    was acknowledged: the SIGKILL costs nothing that a client was told had happened;
  - idempotent requests never fail (nginx retries them on another replica);
  - a POST fails only with an answer made by nginx itself (502/504, no shopd X-Request-Id)
    after a connection error, which a client can safely retry with the same
    Idempotency-Key; the test retries it so and checks the effect happened exactly once.

The database is the SQLite file every replica opens; with SHOPD_TEST_DB=postgres (the
switch of shopd.py, used by scripts/test-stages/20-postgres) the three replicas share the
one PostgreSQL schema that shopd.py's db_name() gives the same path instead.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid

import pytest

import openapi_check
import shopd
from shopd import Response, Server, admin_env, admin_token
from test_orders import ADDRESS, make_product
from test_payments import card

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
PROXY_CONF = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "nginx", "shopd-proxy.conf"))
UPSTREAM_IN = os.path.join(os.path.dirname(PROXY_CONF), "upstream.conf.in")

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/install-deps adds it)")

DRAIN_MS = 5000
FAIL_TIMEOUT_S = 2
TIME_LIMIT_S = 150       # the whole workload stops by then whatever happens
WORKERS = 6
# Upper bound; the phases below end the run much earlier. It must outlast them even on an
# idle machine, where rounds run fast (400 a worker ran out before the rolling restart).
ROUNDS_PER_WORKER = 20000
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def shared_database(tmpdir):
    """One database for all replicas: a SQLite file, or under SHOPD_TEST_DB=postgres the
    PostgreSQL schema that shopd.py's switch (db_name) gives that same path."""
    path = os.path.join(tmpdir, "shop.db")
    if os.environ.get("SHOPD_TEST_DB", "sqlite") == "postgres":
        if not hasattr(shopd, "db_name"):
            pytest.fail("SHOPD_TEST_DB=postgres, but shopd.py has no db_name() to map a path to a database")
        db = shopd.db_name(path)
        assert db.startswith(("postgres://", "postgresql://")), db
        return db
    return path


class Replica(Server):
    """A shopd on a fixed port, so that a restarted replica takes its place in nginx's upstream."""

    def __init__(self, port, **kw):
        super().__init__(**kw)
        self.fixed_port = port

    def start(self, timeout=20):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [shopd.BIN, "serve", "--host", "127.0.0.1", "--port", str(self.fixed_port), "--db", self.db] + self.args,
            env=self.env, cwd=self.dir, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(line.get("msg") == "listening" for line in self.log_lines()):
                self.port = self.fixed_port
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"shopd exited with {self.proc.returncode}: {self.log_text()}")
            time.sleep(0.02)
        raise RuntimeError("shopd did not start: " + self.log_text())

    def close(self):
        try:
            if self.proc and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        finally:
            self.log.close()
            self.tmp.cleanup()


class Nginx:
    """nginx on 127.0.0.1 with its own config, pid, logs and temp dirs (never the system service)."""

    def __init__(self, upstream_ports, workdir):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(self.dir)
        self.port = free_port()
        self.conf = os.path.join(self.dir, "nginx.conf")
        servers = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;\n" for p in upstream_ports)
        with open(UPSTREAM_IN) as f:
            upstream = f.read().replace("@SERVERS@\n", servers)
        d = self.dir
        with open(self.conf, "w") as f:
            f.write(f"""
worker_processes 2;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format up '$request_method $uri $status up=$upstream_addr ust=$upstream_status';
    access_log {d}/access.log up;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{upstream}
    server {{
        listen 127.0.0.1:{self.port};
        include {PROXY_CONF};
    }}
}}
""")
        self.proc = None

    def start(self):
        check = subprocess.run([NGINX, "-t", "-p", self.dir, "-c", self.conf], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([NGINX, "-p", self.dir, "-c", self.conf, "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "stderr.log"), "wb"),
                                     stdin=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if self.get("/lb-healthz").status == 200:
                    return self
            except OSError:
                pass
            assert self.proc.poll() is None, open(os.path.join(self.dir, "stderr.log")).read()
            time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def access_log(self):
        with open(os.path.join(self.dir, "access.log")) as f:
            return f.read().splitlines()

    # the same HTTP helpers as a Server
    conn = Server.conn
    get = Server.get
    post = Server.post

    def request(self, method, path, check_contract=True, **kw):
        # nginx answers /lb-healthz itself, and makes its own 502/504 when an upstream dies
        # mid-request: not shopd's answers, so outside its OpenAPI document. Every answer
        # that comes from a replica (it carries X-Request-Id) is checked as usual.
        r = Server.request(self, method, path, check_contract=False, **kw)
        if check_contract and from_shopd(r):
            openapi_check.check(self, method, path, r, kw.get("headers"))
        return r


class Ledger:
    """What the workload was told, and every failure, for the checks at the end."""

    def __init__(self):
        self.lock = threading.Lock()
        self.orders = {}          # order id -> (customer token, {product: qty}, paid?)
        self.failures = []        # requests that failed in a way a client could not safely retry
        self.lb_errors = []       # nginx-made 502/504 on POSTs, retried with the same key
        self.counts = {}
        self.phase = "warm-up"

    def count(self, what):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def fail(self, what):
        with self.lock:
            self.failures.append(what)


def from_shopd(r):
    return r.header("x-request-id") is not None


def call(lb, ledger, method, path, body=None, token=None, headers=None, expect=(200,), after_retry=()):
    """One request through the balancer. An idempotent request must get a shopd answer
    in `expect`. A POST may get an nginx-made 502/504 (its upstream connection broke):
    that is safe to retry with the same headers (the same Idempotency-Key), up to 5 times;
    the answers in `after_retry` are then allowed too (a retried sign-up finds its account)."""
    for attempt in range(6):
        try:
            r = lb.request(method, path, body=body, token=token, headers=headers)
        except TimeoutError:  # socket.timeout: nothing came back within the client's 10 s
            ledger.fail(f"{method} {path}: no answer within 10 s")
            return None
        except OSError as e:  # the balancer itself must always answer
            ledger.fail(f"{method} {path}: connection to nginx failed: {e!r}")
            return None
        if from_shopd(r):
            allowed = expect + (after_retry if attempt > 0 else ())
            if r.status not in allowed or r.status >= 500:
                ledger.fail(f"{method} {path}: shopd answered {r.status} {r.body[:200]!r}")
            return r
        if method in IDEMPOTENT or r.status not in (502, 504) or attempt == 5:
            ledger.fail(f"{method} {path}: nginx answered {r.status} (attempt {attempt + 1})")
            return r
        with ledger.lock:
            ledger.lb_errors.append(f"{ledger.phase}: {method} {path.split('?')[0]} {r.status}")
        time.sleep(0.2)
    return None


def customer_round(lb, ledger, products, n, stop):
    """One shopper: browse, search, register, login, cart, order, pay."""
    tag = uuid.uuid4().hex[:10]
    call(lb, ledger, "GET", "/api/v1/products?limit=20")
    call(lb, ledger, "GET", "/api/v1/search?q=scale")
    pid = products[0] if n % 5 == 0 else products[1 + n % 3]
    call(lb, ledger, "GET", f"/api/v1/products/{pid}")
    email = f"scale.{tag}@shop.test"
    r = call(lb, ledger, "POST", "/api/v1/users", {"email": email, "password": "scale-password-1", "name": "Scale"},
             headers={"X-Forwarded-For": "203.0.113.9"}, expect=(201,), after_retry=(409,))
    if r is None or not from_shopd(r):
        return
    r = call(lb, ledger, "POST", "/api/v1/auth/login", {"email": email, "password": "scale-password-1"})
    if r is None or r.status != 200:
        return
    token = r.json["access_token"]
    ledger.count("login")
    call(lb, ledger, "GET", "/api/v1/users/me", token=token)
    qty = 1 + n % 2
    call(lb, ledger, "PUT", f"/api/v1/cart/items/{pid}", {"quantity": qty}, token=token)
    call(lb, ledger, "GET", "/api/v1/cart", token=token)
    key = "scale-order-" + tag
    body = {"items": [{"product_id": pid, "quantity": qty}], "shipping_address": ADDRESS}
    r = call(lb, ledger, "POST", "/api/v1/orders", body, token=token, headers={"Idempotency-Key": key},
             expect=(201, 409))
    if r is None or not from_shopd(r) or r.status != 201:
        if r is not None and r.status == 409:
            if r.json.get("code") != "insufficient_stock":
                ledger.fail(f"order 409 {r.body[:200]!r}")
            ledger.count("sold_out")
        return
    oid = r.json["id"]
    with ledger.lock:
        ledger.orders[oid] = [token, {pid: qty}, False]
    ledger.count("order")
    if n % 4 == 3:
        return  # some orders stay unpaid
    r = call(lb, ledger, "POST", "/api/v1/payments", {"order_id": oid, "card": card()}, token=token,
             headers={"Idempotency-Key": "scale-pay-" + tag}, expect=(201,))
    if r is not None and from_shopd(r) and r.status == 201:
        with ledger.lock:
            ledger.orders[oid][2] = True
        ledger.count("paid")
    call(lb, ledger, "GET", f"/api/v1/orders/{oid}", token=token)


def wait_until(cond, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def ready(port):
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=1)
        c.close()
    except OSError:
        return False
    r = Server.request(type("P", (), {"port": port, "conn": Server.conn})(), "GET", "/readyz")
    return r.status == 200


@pytest.fixture
def cluster():
    tmp = tempfile.TemporaryDirectory(prefix="shopd-scale-")
    db = shared_database(tmp.name)
    env = dict(admin_env(), SHOPD_TRUSTED_PROXIES="127.0.0.1", SHOPD_DRAIN_TIMEOUT_MS=str(DRAIN_MS))
    ports = [free_port() for _ in range(3)]
    started = []

    def replica(i):
        r = Replica(ports[i], env=env, db=db).start()
        started.append(r)
        return r

    lb = None
    try:
        replicas = [replica(0)]                            # the first one migrates
        replicas += [replica(1), replica(2)]
        lb = Nginx(ports, tmp.name).start()
        yield {"replicas": replicas, "lb": lb, "ports": ports, "replica": replica, "started": started, "db": db}
    finally:
        if lb:
            lb.stop()
        for r in started:
            r.close()
        tmp.cleanup()


def test_three_replicas_behind_nginx_survive_a_kill_and_a_rolling_restart(cluster):
    replicas, lb, replica = cluster["replicas"], cluster["lb"], cluster["replica"]
    t_start = time.time()
    on_postgres = cluster["db"].startswith(("postgres://", "postgresql://"))
    for r in replicas:  # all three on the one database, of the kind asked for
        [listening] = [line for line in r.log_lines() if line.get("msg") == "listening"]
        assert listening["db"] == ("postgres" if on_postgres else cluster["db"]), listening

    # A token issued by one replica works on the others; a write on one is seen by all.
    admin = admin_token(replicas[0])
    # One scarce product (sold out during the run, so stock is contended), three plentiful.
    stocks = [8, 500, 500, 500]
    run = uuid.uuid4().hex[:6]
    products = [make_product(replicas[1], admin, price=700 + 100 * i, stock=s, name=f"Scale widget {run} {i}")["id"]
                for i, s in enumerate(stocks)]
    initial = dict(zip(products, stocks))
    for r in replicas:
        assert r.get("/api/v1/users/me", token=admin).status == 200
        for p in products:
            assert r.get(f"/api/v1/products/{p}").status == 200
    found = replicas[2].get("/api/v1/search?q=scale+widget").json
    assert {p["id"] for p in found["items"]} >= set(products), found

    ledger = Ledger()
    stop = threading.Event()
    progress = [0]

    def worker(w):
        for n in range(ROUNDS_PER_WORKER):
            if stop.is_set() or time.time() - t_start > TIME_LIMIT_S:
                return
            try:
                customer_round(lb, ledger, products, w * ROUNDS_PER_WORKER + n, stop)
            except Exception as e:  # a bug in the workload or an unexpected answer
                ledger.fail(f"worker {w}: {e!r}")
            with ledger.lock:
                progress[0] += 1

    threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(WORKERS)]
    for t in threads:
        t.start()

    def rounds_after(n):
        start = progress[0]
        wait_until(lambda: progress[0] >= start + n or stop.is_set() or not any(t.is_alive() for t in threads), 60,
                   f"{n} more rounds")

    try:
        rounds_after(30)
        # SIGKILL one replica mid-run: nginx routes around it.
        ledger.phase = "kill"
        victim = replicas[1]
        victim.proc.send_signal(signal.SIGKILL)
        victim.proc.wait()
        killed_at = len(lb.access_log())
        rounds_after(20)
        replicas[1] = replica(1)
        wait_until(lambda: ready(replicas[1].port), 20, "the replaced replica")
        time.sleep(FAIL_TIMEOUT_S + 0.5)  # nginx takes it back after fail_timeout
        rounds_after(6)

        # Rolling restart of all three, one at a time: SIGTERM (drain), wait, start anew.
        for i in range(3):
            ledger.phase = f"rolling restart {i}"
            old = replicas[i]
            old.proc.send_signal(signal.SIGTERM)
            wait_until(lambda: old.proc.poll() is not None, DRAIN_MS / 1000 + 10, f"replica {i} to drain")
            assert old.proc.returncode == 0, old.log_text()[-2000:]
            assert any(line.get("msg") == "stopped" for line in old.log_lines())
            rounds_after(8)
            replicas[i] = replica(i)
            wait_until(lambda: ready(replicas[i].port), 20, f"restarted replica {i}")
            time.sleep(FAIL_TIMEOUT_S + 0.5)
            rounds_after(8)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert not any(t.is_alive() for t in threads), "workload did not stop"
    elapsed = time.time() - t_start

    # Nothing failed that a client could not safely retry.
    assert ledger.failures == [], ledger.failures[:20]
    assert ledger.counts.get("order", 0) >= 50 and ledger.counts.get("paid", 0) >= 30, ledger.counts

    # Every acknowledged order is there, paid when its payment was acknowledged.
    any_replica = replicas[0]
    for oid, (token, items, paid) in ledger.orders.items():
        r = any_replica.get(f"/api/v1/orders/{oid}", token=token)
        assert r.status == 200, (oid, r)
        assert {i["product_id"]: i["quantity"] for i in r.json["items"]} == items
        if paid:
            assert r.json["status"] == "paid", (oid, r.json["status"])
            pays = any_replica.get(f"/api/v1/orders/{oid}/payments", token=token).json["items"]
            assert [p["status"] for p in pays] == ["succeeded"], (oid, pays)  # charged once
        else:
            assert r.json["status"] in ("pending_payment", "paid"), (oid, r.json["status"])

    # Stock: never below zero, and what left the shelf is exactly what orders hold.
    r = any_replica.get("/api/v1/orders?limit=100", token=admin)
    assert r.status == 200, r
    in_orders = {p: 0 for p in products}
    seen = set()
    page = r.json
    while True:
        for o in page["items"]:
            if o["status"] in ("cancelled", "expired"):
                continue
            seen.add(o["id"])
            for i in o["items"]:
                if i["product_id"] in in_orders:
                    in_orders[i["product_id"]] += i["quantity"]
        if not page.get("next_cursor"):
            break
        page = any_replica.get(f"/api/v1/orders?limit=100&cursor={page['next_cursor']}", token=admin).json
    # Exactly once: every order in the database is one a client was told about (a retried
    # POST with its Idempotency-Key got the first order back instead of making another).
    assert seen == set(ledger.orders), (len(seen), len(ledger.orders))
    for p in products:
        left = any_replica.get(f"/api/v1/products/{p}").json["stock"]
        assert left >= 0
        assert left + in_orders[p] == initial[p], (p, left, in_orders[p])
    assert ledger.counts.get("sold_out", 0) > 0, "the workload never ran a product out of stock"

    # Every replica served traffic, through nginx, before and after the kill.
    log = lb.access_log()
    for port in cluster["ports"]:
        assert sum(f"up=127.0.0.1:{port}" in line for line in log) >= 10, port
    after_kill = log[killed_at:]
    assert any(" 201 " in line and "POST /api/v1/orders" in line for line in after_kill)
    served = {}
    for r in cluster["started"]:
        served[r.fixed_port] = served.get(r.fixed_port, 0) + sum(
            1 for line in r.log_lines() if line.get("route", "").startswith("/api/"))
    assert all(n > 0 for n in served.values()), served
    # nginx passed X-Forwarded-For and the replicas trusted it (SHOPD_TRUSTED_PROXIES).
    assert any(line.get("client") == "203.0.113.9" for r in cluster["started"] for line in r.log_lines())

    print(f"\nscale-out ({'postgres' if on_postgres else 'sqlite'}): {elapsed:.1f}s, {progress[0]} rounds, counts {ledger.counts}, "
          f"nginx-made POST errors retried: {ledger.lb_errors}, requests per replica port {served}")
    assert elapsed < TIME_LIMIT_S + 60

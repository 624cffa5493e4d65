"""Issue 21, items 1 and 2: work that costs the shop much and the caller little is bounded.
Password hashing has a bounded queue (503 with Retry-After past it) so a flood of
registrations cannot hold every worker thread; registrations, orders and payments have
their own, lower rate classes."""
import concurrent.futures
import http.client
import json
import threading
import time
import uuid

from shopd import admin_env, admin_token
from test_orders import ADDRESS, make_product


def post(server, path, body, token=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        c.request("POST", path, body=json.dumps(body), headers=headers)
        r = c.getresponse()
        r.read()
        return r.status, r.getheader("Retry-After")
    finally:
        c.close()


def test_reads_keep_answering_while_five_hundred_registrations_arrive(make_server):
    # Costly hashing, as in production, and no rate limit: only the hashing queue bounds it.
    server = make_server(env=dict(admin_env(), SHOPD_ARGON2_OPS="2", SHOPD_ARGON2_MEM_KIB="19456"))
    admin = admin_token(server)
    p = make_product(server, admin)
    stop = threading.Event()
    outcomes = []
    lock = threading.Lock()

    def register(i):
        if stop.is_set():
            return
        st, retry = post(server, "/api/v1/users", {"email": f"flood{i}.{uuid.uuid4().hex[:6]}@shop.test",
                                                   "password": "flood-password-1", "name": "Flood"})
        with lock:
            outcomes.append((st, retry))

    reads = []

    def read_while_flooding():
        # The list runs on a worker thread, like registrations; one product is read on the loop.
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline:
            for path in (f"/api/v1/products/{p['id']}", "/api/v1/products?limit=5"):
                c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
                try:
                    c.request("GET", path)
                    r = c.getresponse()
                    r.read()
                    reads.append(r.status)
                except OSError as e:  # a read that waited 5 s behind the flood
                    reads.append(repr(e))
                finally:
                    c.close()
            time.sleep(0.05)

    reader = threading.Thread(target=read_while_flooding)
    reader.start()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
            list(pool.map(register, range(500)))
    finally:
        stop.set()
        reader.join(70)
    statuses = [s for s, _ in outcomes]
    assert len(statuses) == 500
    assert set(statuses) <= {201, 503}, set(statuses)
    assert statuses.count(201) >= 1
    busy = [(s, r) for s, r in outcomes if s == 503]
    assert busy, "the hashing queue never filled: the test did not load it"
    assert all(r is not None and int(r) >= 1 for _, r in busy)
    assert len(reads) >= 4
    assert all(s == 200 for s in reads), reads


def test_registrations_orders_and_payments_have_their_own_lower_limits(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_RATE_LIMIT_RPS="100", SHOPD_RATE_LIMIT_BURST="200",
                                  SHOPD_RATE_LIMIT_SIGNUP_BURST="3", SHOPD_RATE_LIMIT_CHECKOUT_BURST="4",
                                  SHOPD_RATE_LIMIT_CHECKOUT_RPS="0.01"))
    statuses = [post(server, "/api/v1/users", {"email": f"s{i}.{uuid.uuid4().hex[:6]}@shop.test",
                                               "password": "signup-password-1", "name": "S"})[0]
                for i in range(5)]
    assert statuses[:3] == [201, 201, 201]
    assert statuses[3:] == [429, 429]
    # Other routes still answer: the general class is far from spent.
    assert server.get("/api/v1/products").status == 200

    admin = admin_token(server)
    p = make_product(server, admin, stock=100)
    r = server.post("/api/v1/users", {"email": "x@shop.test", "password": "signup-password-1", "name": "X"})
    assert r.status == 429 and r.header("retry-after")
    token = admin  # the signup class is spent for this address; an admin may order too
    orders = [server.post("/api/v1/orders", {"items": [{"product_id": p["id"], "quantity": 1}],
                                             "shipping_address": ADDRESS}, token=token).status for _ in range(6)]
    assert orders[:4] == [201] * 4
    assert 429 in orders[4:]
    assert server.request("PATCH", f"/api/v1/products/{p['id']}", {"name": "still writable"},
                          token=admin).status == 200

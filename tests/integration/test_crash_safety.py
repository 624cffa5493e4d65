"""Crash safety (issue 11): ten rounds of SIGKILL in the middle of a mixed write load
(orders, payments, refunds, cancels, shipping, stock changes), restarting on the same
database each time. After every kill, with the server down, the SQLite file is read
directly and must be intact and balanced:

* `pragma integrity_check` is ok;
* per product: stock + units in orders neither cancelled nor expired = stock put in
  (the initial stock plus every stock change that committed);
* every succeeded payment's order is paid or later, and no order is paid (or later)
  without exactly one captured payment;
* refunds never exceed payments: the refund rows of a payment never add up to more than
  its amount_refunded, which never exceeds its amount;
* everything the server acknowledged (201/200) before the kill is still there.

Each round is about 1.5 s of load; all loops are bounded in count and time.

A second test does the same to returns (section 11) being asked for, received and
rejected: after every kill no return is refunded without being claimed once, none is
received without its refund recorded, a rejected one holds no refund, restocks land with
their receive; and once every return left requested is received again after the last
kill, the money refunded is exactly the sum of the received returns, each refunded once."""
import http.client
import json
import os
import random
import signal
import sqlite3
import threading
import time

from shopd import ADMIN_EMAIL, ADMIN_PASSWORD, Server

ROUNDS = 10
LOAD_SECONDS = 1.5
THREADS = 6
PRODUCTS = 4
INITIAL_STOCK = 400
GOOD, DECLINED = "4242424242424242", "4000000000000002"
ADDRESS = {"name": "Crash Test", "line1": "1 Main St", "city": "Town", "postal_code": "12345", "country": "US"}
CAPTURED = ("succeeded", "partially_refunded", "refunded")
PAID_OR_LATER = ("paid", "shipped", "delivered")


class Client:
    """One HTTP connection per call, short timeouts; None when the server is gone."""

    def __init__(self, port):
        self.port = port

    def call(self, method, path, body=None, token=None, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            c.request(method, path, body=data, headers=h)
            r = c.getresponse()
            raw = r.read()
            return r.status, (json.loads(raw) if raw and raw[:1] in (b"{", b"[") else None)
        except (OSError, http.client.HTTPException, ValueError):
            return None, None
        finally:
            c.close()


class Books:
    """What the load did, as far as the client could tell."""

    def __init__(self):
        self.lock = threading.Lock()
        self.products = {}      # id -> initial stock
        self.stock_changes = []  # (reason, delta, "applied" | "refused" | "unknown")
        self.orders = {}        # id -> (token, acknowledged status)
        self.payments = {}      # id -> acknowledged payment body
        self.refunds = {}       # id -> payment id
        self.seq = 0

    def next(self):
        with self.lock:
            self.seq += 1
            return self.seq


def start(env, db):
    return Server(env=env, db=db).start(timeout=30)


def load(server_port, books, admin, customers, round_no, stop, seed):
    rng = random.Random(seed)
    c = Client(server_port)
    products = list(books.products)
    while not stop.is_set():
        op = rng.random()
        token = rng.choice(customers)
        n = books.next()
        if op < 0.35:
            items = [{"product_id": p, "quantity": rng.randint(1, 3)} for p in rng.sample(products, rng.randint(1, 2))]
            st, body = c.call("POST", "/api/v1/orders", {"items": items, "shipping_address": ADDRESS}, token,
                              {"Idempotency-Key": f"o-{round_no}-{n}"})
            if st == 201:
                with books.lock:
                    books.orders[body["id"]] = (token, body["status"])
        elif op < 0.6:
            with books.lock:
                mine = [o for o, (t, s) in books.orders.items() if t == token and s == "pending_payment"]
            if not mine:
                continue
            oid = rng.choice(mine)
            card = {"number": GOOD if rng.random() < 0.85 else DECLINED, "exp_month": 12, "exp_year": 2040,
                    "cvc": "123"}
            st, body = c.call("POST", "/api/v1/payments", {"order_id": oid, "card": card}, token,
                              {"Idempotency-Key": f"p-{round_no}-{n}"})
            if st == 201:
                with books.lock:
                    books.payments[body["id"]] = body
                    if body["status"] == "succeeded":
                        books.orders[oid] = (token, "paid")
        elif op < 0.7:
            with books.lock:
                mine = [o for o, (t, s) in books.orders.items() if t == token and s in ("pending_payment", "paid")]
            if mine:
                oid = rng.choice(mine)
                st, body = c.call("POST", f"/api/v1/orders/{oid}/cancel", None, token)
                if st == 200:
                    with books.lock:
                        books.orders[oid] = (token, "cancelled")
        elif op < 0.8:
            with books.lock:
                paid = [p for p, b in books.payments.items() if b["status"] in ("succeeded", "partially_refunded")]
            if paid:
                pid = rng.choice(paid)
                st, body = c.call("POST", f"/api/v1/payments/{pid}/refunds", {"amount": rng.randint(1, 700)}, admin,
                                  {"Idempotency-Key": f"r-{round_no}-{n}"})
                if st == 201:
                    with books.lock:
                        books.refunds[body["id"]] = pid
        elif op < 0.85:
            with books.lock:
                paid = [o for o, (t, s) in books.orders.items() if s == "paid"]
            if paid:
                oid = rng.choice(paid)
                st, _ = c.call("POST", f"/api/v1/orders/{oid}/ship", None, admin)
                if st == 200:
                    with books.lock:
                        books.orders[oid] = (books.orders[oid][0], "shipped")
        else:
            pid = rng.choice(products)
            delta = rng.choice([rng.randint(1, 20), -rng.randint(1, 10)])
            reason = f"crash-{round_no}-{n}"
            st, _ = c.call("POST", f"/api/v1/products/{pid}/stock", {"delta": delta, "reason": reason}, admin)
            outcome = "applied" if st == 200 else "refused" if st is not None and 400 <= st < 500 else "unknown"
            with books.lock:
                books.stock_changes.append((pid, reason, delta, outcome))


def check(db_path, books, round_no):
    con = sqlite3.connect(db_path, timeout=30)
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok", f"round {round_no}"
        assert con.execute("pragma foreign_key_check").fetchall() == [], f"round {round_no}"

        # Which stock changes committed: the client knows for most; for those cut off by the
        # kill, the stock.adjusted event written in the same transaction says.
        committed = {}
        for (data,) in con.execute("SELECT data FROM events WHERE type = 'stock.adjusted'"):
            d = json.loads(data)
            committed[d.get("reason")] = d
        put_in = dict(books.products)
        for pid, reason, delta, outcome in books.stock_changes:
            if outcome == "applied":
                assert reason in committed, (round_no, reason, "acknowledged but lost")
            if outcome == "refused":
                assert reason not in committed, (round_no, reason, "refused but applied")
            if reason in committed:
                assert committed[reason]["delta"] == delta and committed[reason]["product_id"] == pid
                put_in[pid] += delta
        for pid, expected in put_in.items():
            stock = con.execute("SELECT stock FROM products WHERE id = ?", (pid,)).fetchone()[0]
            sold = con.execute(
                "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id"
                " WHERE i.product_id = ? AND o.status NOT IN ('cancelled', 'expired')", (pid,)).fetchone()[0]
            assert stock >= 0
            assert stock + sold == expected, (round_no, pid, stock, sold, expected)

        orders = dict(con.execute("SELECT id, status FROM orders"))
        payments = {r[0]: r for r in con.execute(
            "SELECT id, order_id, status, amount, amount_refunded FROM payments")}
        for pid, order_id, status, amount, refunded in payments.values():
            if status == "succeeded":
                assert orders.get(order_id) in PAID_OR_LATER, (round_no, pid, status, orders.get(order_id))
            if status in CAPTURED:
                assert order_id in orders
        for oid, status in orders.items():
            captured = [p for p in payments.values() if p[1] == oid and p[2] in CAPTURED]
            if status in PAID_OR_LATER:
                assert len(captured) == 1, (round_no, oid, status, captured)
            assert len(captured) <= 1, (round_no, oid, captured)

        refunds = dict(con.execute("SELECT payment_id, sum(amount) FROM refunds GROUP BY payment_id"))
        for pid, order_id, status, amount, refunded in payments.values():
            assert 0 <= refunded <= amount, (round_no, pid, refunded, amount)
            # amount_refunded is reserved before the provider is asked and the refund row is
            # written after, so a kill in between leaves a reservation without its row (a
            # refund in doubt, see docs/security.md); the reverse would be money out unbooked.
            assert refunds.get(pid, 0) <= refunded, (round_no, pid, refunds.get(pid), refunded)
            if refunded == amount and amount > 0:
                assert status == "refunded", (round_no, pid, status)
            elif refunded > 0:
                assert status == "partially_refunded", (round_no, pid, status)

        # Acknowledged writes survive a kill.
        for oid, (_, ack_status) in list(books.orders.items()):
            assert oid in orders, (round_no, oid, "acknowledged order lost")
            if ack_status in PAID_OR_LATER:
                assert orders[oid] in PAID_OR_LATER + ("cancelled",), (round_no, oid, orders[oid])
        for pid, body in list(books.payments.items()):
            assert pid in payments, (round_no, pid, "acknowledged payment lost")
            if body["status"] == "succeeded":
                assert payments[pid][2] in CAPTURED, (round_no, pid, payments[pid][2])
        refund_ids = {r[0] for r in con.execute("SELECT id FROM refunds")}
        for rid in books.refunds:
            assert rid in refund_ids, (round_no, rid, "acknowledged refund lost")
    finally:
        con.close()


def test_ten_sigkills_under_mixed_write_load_leave_the_books_balanced(tmp_path):
    db = str(tmp_path / "crash.db")
    env = {"SHOPD_ADMIN_EMAIL": ADMIN_EMAIL, "SHOPD_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "SHOPD_JWT_SECRET": "crash-test-secret-0123456789abcdef0123", "SHOPD_ACCESS_TTL": "3600"}
    books = Books()

    s = start(env, db)
    c = Client(s.port)
    st, body = c.call("POST", "/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert st == 200, body
    admin = body["access_token"]
    customers = []
    for i in range(4):
        email = f"crash{i}@shop.test"
        assert c.call("POST", "/api/v1/users", {"email": email, "password": "customer-password-1", "name": "C"})[0] == 201
        st, body = c.call("POST", "/api/v1/auth/login", {"email": email, "password": "customer-password-1"})
        assert st == 200, body
        customers.append(body["access_token"])
    for i in range(PRODUCTS):
        st, body = c.call("POST", "/api/v1/products", {"sku": f"CRASH-{i}", "name": f"Crash {i}",
                                                       "price": 100 + 37 * i, "stock": INITIAL_STOCK}, admin)
        assert st == 201, body
        books.products[body["id"]] = INITIAL_STOCK

    try:
        for round_no in range(ROUNDS):
            if round_no > 0:
                s = start(env, db)
            stop = threading.Event()
            threads = [threading.Thread(target=load, args=(s.port, books, admin, customers, round_no, stop,
                                                           round_no * 100 + t))
                       for t in range(THREADS)]
            for t in threads:
                t.start()
            time.sleep(LOAD_SECONDS)
            os.kill(s.proc.pid, signal.SIGKILL)
            s.proc.wait()
            stop.set()
            for t in threads:
                t.join(30)
                assert not t.is_alive()
            s.log.close()
            s.tmp.cleanup()
            check(db, books, round_no)
    finally:
        if s.proc.poll() is None:
            s.kill()
    # The load did real work across the rounds.
    assert len(books.orders) > 50
    assert sum(1 for b in books.payments.values() if b["status"] == "succeeded") > 20
    assert books.refunds
    assert any(o == "applied" for *_, o in books.stock_changes)


# --- returns (section 11): receives killed mid-way refund each return exactly once ----------

RETURN_ROUNDS = 10
RETURN_LOAD_SECONDS = (0.15, 0.6)
RETURN_THREADS = 8
ORDERS_PER_ROUND = 40
# Ten rounds order about 1,500 units of three products, and how many come back restocked
# depends on how fast the server is (an ASan build receives fewer returns per round), so
# each product starts with more than every round could ever take.
RETURN_STOCK = RETURN_ROUNDS * ORDERS_PER_ROUND * 2 * 4


class ReturnBooks:
    def __init__(self):
        self.lock = threading.Lock()
        self.products = {}     # id -> initial stock
        self.orders = {}       # delivered order id -> {variant_id: units not yet asked back}
        self.returns = {}      # id -> "requested" | "received" (acknowledged) | "rejected"
        self.seq = 0

    def next(self):
        with self.lock:
            self.seq += 1
            return self.seq


def _delivered_orders(c, books, admin, customers, n, rng):
    products = list(books.products)
    for _ in range(n):
        token = rng.choice(customers)
        items = [{"product_id": p, "quantity": rng.randint(1, 4)} for p in rng.sample(products, rng.randint(1, 2))]
        st, o = c.call("POST", "/api/v1/orders", {"items": items, "shipping_address": ADDRESS}, token)
        assert st == 201, o
        card = {"number": GOOD, "exp_month": 12, "exp_year": 2040, "cvc": "123"}
        st, p = c.call("POST", "/api/v1/payments", {"order_id": o["id"], "card": card}, token,
                       {"Idempotency-Key": f"rp-{o['id']}"})
        assert st == 201 and p["status"] == "succeeded", p
        for step in ("ship", "deliver"):
            st, body = c.call("POST", f"/api/v1/orders/{o['id']}/{step}", None, admin)
            assert st == 200, body
        with books.lock:
            books.orders[o["id"]] = (token, {i["variant_id"]: i["quantity"] for i in o["items"]})


def _restock_of(return_id):
    return sum(map(ord, return_id)) % 2 == 0  # the same choice on every retry


def return_load(port, books, admin, stop, seed):
    rng = random.Random(seed)
    c = Client(port)
    while not stop.is_set():
        if rng.random() < 0.45:
            with books.lock:
                open_orders = [(o, t, left) for o, (t, left) in books.orders.items() if any(left.values())]
                if open_orders:
                    oid, token, left = rng.choice(open_orders)
                    variant = rng.choice([v for v, n in left.items() if n])
                    qty = rng.randint(1, left[variant])
                    left[variant] -= qty  # taken now: a request cut by the kill may or may not have made it
            if not open_orders:
                time.sleep(0.01)
                continue
            st, body = c.call("POST", f"/api/v1/orders/{oid}/returns",
                              {"items": [{"variant_id": variant, "quantity": qty}], "reason": "crash"}, token)
            if st == 201:
                with books.lock:
                    books.returns[body["id"]] = "requested"
        else:
            with books.lock:
                pending = [r for r, s in books.returns.items() if s == "requested"]
            if not pending:
                time.sleep(0.01)
                continue
            rid = rng.choice(pending)
            if rng.random() < 0.1:
                st, body = c.call("POST", f"/api/v1/returns/{rid}/reject", None, admin)
                if st == 200:
                    with books.lock:
                        books.returns[rid] = "rejected"
                continue
            st, body = c.call("POST", f"/api/v1/returns/{rid}/receive", {"restock": _restock_of(rid)}, admin)
            if st == 200:
                assert body["status"] == "received", body
                with books.lock:
                    books.returns[rid] = "received"


def check_returns(db_path, books, label, final=False):
    """The books of returns, read from the SQLite file with the server down. Returns how many
    receives the kill left half done: (marked as being received, refund claimed but not
    recorded: the window between the provider's answer and the commit)."""
    con = sqlite3.connect(db_path, timeout=30)
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok", label
        returns = {r[0]: r for r in con.execute(
            "SELECT id, order_id, status, refund_amount, restocked, receive_started_at FROM returns")}
        keys = {r[0]: r for r in con.execute("SELECT idempotency_key, payment_id, amount, refund_id FROM refund_keys")}
        refunds = {r[0]: r for r in con.execute("SELECT id, payment_id, amount FROM refunds")}
        payments = {r[0]: r for r in con.execute("SELECT id, order_id, amount, amount_refunded, status FROM payments")}
        received_events = {}
        for (data,) in con.execute("SELECT data FROM events WHERE type = 'return.received'"):
            d = json.loads(data)
            received_events[d["return_id"]] = received_events.get(d["return_id"], 0) + 1
            assert d["refund_amount"] == returns[d["return_id"]][3], (label, d)

        # Money: never more out than reserved, never reserved twice for one return.
        booked = {}
        for rid, pid, amount in refunds.values():
            booked[pid] = booked.get(pid, 0) + amount
        for pid, oid, amount, refunded, status in payments.values():
            assert booked.get(pid, 0) <= refunded <= amount, (label, pid, booked.get(pid), refunded, amount)
        marked_only, in_doubt = 0, 0
        for key, pid, amount, refund_id in keys.values():
            rid = key.split(":", 1)[1]
            assert rid in returns, (label, key)
            assert amount == returns[rid][3], (label, key, amount)
            assert payments[pid][1] == returns[rid][1], (label, key)
            if refund_id is None:
                in_doubt += 1
            else:
                assert refunds[refund_id][1:] == (pid, amount), (label, key)
        for rid, oid, status, amount, restocked, marked in returns.values():
            key = keys.get("return:" + rid)
            if status == "received":
                # Recorded received only after its refund was: settled, exactly its amount.
                assert amount == 0 or (key and key[3] is not None), (label, rid, key)
                assert received_events.get(rid) == 1, (label, rid, received_events.get(rid))
                assert marked is None and restocked in (0, 1)
            else:
                assert rid not in received_events, (label, rid)
            if status == "rejected":
                assert key is None, (label, rid, "rejected and refunded")
            if status == "requested" and marked is not None and key is None:
                marked_only += 1
            if status == "requested" and key is not None:
                assert marked is not None, (label, rid, "refund claimed for a return not marked")
        # Acknowledged outcomes survive.
        for rid, state in list(books.returns.items()):
            assert rid in returns, (label, rid, "acknowledged return lost")
            if state in ("received", "rejected"):
                assert returns[rid][2] == state, (label, rid, returns[rid][2], state)

        # Stock: what went in, less what is sold, plus what came back on received returns.
        for pid, initial in books.products.items():
            stock = con.execute("SELECT stock FROM products WHERE id = ?", (pid,)).fetchone()[0]
            sold = con.execute(
                "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id"
                " WHERE i.product_id = ? AND o.status NOT IN ('cancelled', 'expired')", (pid,)).fetchone()[0]
            back = con.execute(
                "SELECT coalesce(sum(i.quantity), 0) FROM return_items i JOIN returns r ON r.id = i.return_id"
                " WHERE i.product_id = ? AND r.status = 'received' AND r.restocked = 1", (pid,)).fetchone()[0]
            assert stock == initial - sold + back, (label, pid, stock, initial, sold, back)

        if final:
            # Every return received or rejected; every refund recorded; the money refunded is
            # exactly the sum of the received returns, each once.
            assert all(r[2] in ("received", "rejected") for r in returns.values()), label
            assert marked_only == in_doubt == 0, label
            received_total = sum(r[3] for r in returns.values() if r[2] == "received")
            assert sum(p[3] for p in payments.values()) == received_total
            assert sum(r[2] for r in refunds.values()) == received_total
            assert len(refunds) == sum(1 for r in returns.values() if r[2] == "received" and r[3] > 0)
            refunded_events = con.execute("SELECT count(*) FROM events WHERE type = 'payment.refunded'").fetchone()[0]
            assert refunded_events == len(refunds)
        return marked_only, in_doubt
    finally:
        con.close()


def test_sigkills_while_returns_are_received_refund_each_return_exactly_once(tmp_path):
    db = str(tmp_path / "returns-crash.db")
    env = {"SHOPD_ADMIN_EMAIL": ADMIN_EMAIL, "SHOPD_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "SHOPD_JWT_SECRET": "crash-test-secret-0123456789abcdef0123", "SHOPD_ACCESS_TTL": "3600",
           "SHOPD_MAX_OPEN_ORDERS": "0"}
    books = ReturnBooks()
    rng = random.Random(11)
    s = start(env, db)
    c = Client(s.port)
    st, body = c.call("POST", "/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert st == 200, body
    admin = body["access_token"]
    customers = []
    for i in range(3):
        email = f"returner{i}@shop.test"
        assert c.call("POST", "/api/v1/users", {"email": email, "password": "customer-password-1", "name": "R"})[0] == 201
        st, body = c.call("POST", "/api/v1/auth/login", {"email": email, "password": "customer-password-1"})
        customers.append(body["access_token"])
    for i in range(3):
        st, body = c.call("POST", "/api/v1/products", {"sku": f"RET-{i}", "name": f"Returnable {i}",
                                                       "price": 999 + 317 * i, "stock": RETURN_STOCK}, admin)
        assert st == 201, body
        books.products[body["id"]] = RETURN_STOCK

    marked_seen, in_doubt_seen = 0, 0
    try:
        for round_no in range(RETURN_ROUNDS):
            if round_no > 0:
                s = start(env, db)
            _delivered_orders(Client(s.port), books, admin, customers, ORDERS_PER_ROUND, rng)
            stop = threading.Event()
            threads = [threading.Thread(target=return_load, args=(s.port, books, admin, stop, round_no * 100 + t))
                       for t in range(RETURN_THREADS)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(*RETURN_LOAD_SECONDS))
            os.kill(s.proc.pid, signal.SIGKILL)
            s.proc.wait()
            stop.set()
            for t in threads:
                t.join(30)
                assert not t.is_alive()
            s.log.close()
            s.tmp.cleanup()
            marked, in_doubt = check_returns(db, books, f"round {round_no}")
            marked_seen += marked
            in_doubt_seen += in_doubt

        # Afterwards, every return still requested is received (or rejected) again: whatever
        # the kills left half done is finished, and nothing is refunded twice.
        s = start(env, db)
        c = Client(s.port)
        pending, cursor = [], None
        while True:
            st, page = c.call("GET", "/api/v1/returns?status=requested&limit=100" +
                              (f"&cursor={cursor}" if cursor else ""), None, admin)
            assert st == 200, page
            pending += [r["id"] for r in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        for rid in pending:
            st, body = c.call("POST", f"/api/v1/returns/{rid}/receive", {"restock": _restock_of(rid)}, admin)
            assert st == 200 and body["status"] == "received", (rid, st, body)
            books.returns[rid] = "received"
            # And again: the same answer, nothing more.
            st, again = c.call("POST", f"/api/v1/returns/{rid}/receive", {"restock": _restock_of(rid)}, admin)
            assert st == 200 and again == body
        s.stop()
        s.log.close()
        s.tmp.cleanup()
        check_returns(db, books, "after retrying", final=True)
    finally:
        if s.proc.poll() is None:
            s.kill()
    received = sum(1 for v in books.returns.values() if v == "received")
    print(f"returns: {len(books.returns)} acknowledged, {received} received; after the kills, "
          f"{marked_seen} receives were marked only and {in_doubt_seen} had their refund in doubt")
    assert len(books.returns) > 100 and received > 50

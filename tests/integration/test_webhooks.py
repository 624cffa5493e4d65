"""Section 12 of the contract, outbound webhooks: endpoints, signed deliveries from the
event log, retries with backoff, the delivery log, manual retry, disabling, the address
rules, and three replicas sharing one outbox. Receivers are loopback HTTP servers started
here (hence SHOPD_WEBHOOK_ALLOW_PRIVATE=true, but in the test of the refusal)."""
import hashlib
import hmac
import http.server
import json
import os
import tempfile
import threading
import time
import uuid

import pytest

from shopd import Server, admin_env, admin_token, new_customer

BASE_ENV = dict(admin_env(), SHOPD_WEBHOOK_ALLOW_PRIVATE="true", SHOPD_WEBHOOK_RETRY_BASE_MS="200",
                SHOPD_WEBHOOK_TIMEOUT_MS="1500")


class Receiver:
    """A loopback HTTP receiver. behave(path, attempt) -> "ok" | "fail" | "hang" | "huge" |
    "redirect"; every request is recorded with its verified signature."""

    def __init__(self, behave=None):
        self.behave = behave or (lambda path, n: "ok")
        self.lock = threading.Lock()
        self.requests = []  # (path, headers, body bytes, signature ok)
        self.secrets = {}   # path -> endpoint secret
        self.counts = {}
        self.release = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    n = receiver.counts.get(self.path, 0) + 1
                    receiver.counts[self.path] = n
                    ok = verify(receiver.secrets.get(self.path, ""), self.headers.get("Shop-Signature", ""), body)
                    receiver.requests.append((self.path, dict(self.headers), body, ok))
                mode = receiver.behave(self.path, n)
                if mode == "hang":
                    receiver.release.wait(10)
                    self.close_connection = True
                    return
                if mode == "huge":
                    self.send_response(200)
                    self.send_header("Content-Length", str(10 * 1024 * 1024))
                    self.end_headers()
                    chunk = b"x" * 65536
                    try:
                        for _ in range(160):
                            self.wfile.write(chunk)
                    except OSError:
                        pass
                    self.close_connection = True
                    return
                status = {"ok": 204, "fail": 500, "redirect": 302}[mode]
                self.send_response(status)
                if mode == "redirect":
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, path=None):
        with self.lock:
            return [r for r in self.requests if path is None or r[0] == path]

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def verify(secret, header, body, tolerance=300):
    """What docs/integrations.md shows a receiver doing."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if "t" not in parts or "v1" not in parts or abs(time.time() - int(parts["t"])) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def shop(make_server):
    server = make_server(env=BASE_ENV)
    return server, admin_token(server)


def create(server, admin, receiver, path, events=("*",), **extra):
    r = server.post("/api/v1/webhook-endpoints", dict({"url": receiver.url(path), "events": list(events)}, **extra),
                    token=admin)
    assert r.status == 201, r
    receiver.secrets[path] = r.json["secret"]
    return r.json


def category(server, admin, name=None):
    r = server.post("/api/v1/categories", {"name": name or f"Cat {uuid.uuid4().hex[:10]}"}, token=admin)
    assert r.status == 201, r
    return r.json


def wait_for(fn, timeout=20, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def deliveries(server, admin, endpoint_id, **params):
    q = "&".join(f"{k}={v}" for k, v in params.items())
    r = server.get(f"/api/v1/webhook-endpoints/{endpoint_id}/deliveries?{q}", token=admin)
    assert r.status == 200, r
    return r.json["items"]


def all_deliveries(server, admin, endpoint_id):
    items, cursor = [], ""
    for _ in range(20):
        r = server.get(f"/api/v1/webhook-endpoints/{endpoint_id}/deliveries?limit=100&cursor={cursor}", token=admin)
        assert r.status == 200, r
        items += r.json["items"]
        cursor = r.json.get("next_cursor")
        if not cursor:
            return items
    raise AssertionError("more than 2,000 deliveries")


def test_crud_and_the_secret_shown_once(shop, receiver):
    server, admin = shop
    ep = create(server, admin, receiver, "/a", events=["order.paid", "order.paid", "product.created"],
                description="warehouse")
    assert ep["secret"].startswith("whsec_") and len(ep["secret"]) > 30
    assert ep["events"] == ["order.paid", "product.created"] and ep["enabled"] is True
    assert ep["description"] == "warehouse"
    got = server.get(f"/api/v1/webhook-endpoints/{ep['id']}", token=admin)
    assert got.status == 200 and "secret" not in got.json and got.json["url"] == receiver.url("/a")
    listed = server.get("/api/v1/webhook-endpoints?limit=1", token=admin).json
    assert [e["id"] for e in listed["items"]] == [ep["id"]] and "secret" not in listed["items"][0]
    r = server.request("PATCH", f"/api/v1/webhook-endpoints/{ep['id']}",
                       {"events": ["*"], "enabled": False, "description": None}, token=admin)
    assert r.status == 200, r
    assert r.json["events"] == ["*"] and r.json["enabled"] is False and r.json["description"] is None
    assert server.request("DELETE", f"/api/v1/webhook-endpoints/{ep['id']}", token=admin).status == 204
    for method in ("GET", "PATCH", "DELETE"):
        r = server.request(method, f"/api/v1/webhook-endpoints/{ep['id']}", {} if method == "PATCH" else None,
                           token=admin)
        assert r.status == 404 and r.json["code"] == "not_found", (method, r)
    assert server.get(f"/api/v1/webhook-endpoints/{ep['id']}/deliveries", token=admin).status == 404


def test_customers_and_anonymous_callers_are_refused(shop, receiver):
    server, admin = shop
    _, customer, *_ = new_customer(server)
    assert server.get("/api/v1/webhook-endpoints").status == 401
    r = server.post("/api/v1/webhook-endpoints", {"url": receiver.url("/x"), "events": ["*"]}, token=customer)
    assert r.status == 403
    assert server.get("/api/v1/webhook-endpoints", token=admin).json["items"] == []


@pytest.mark.parametrize("body,field", [
    ({"url": "http://127.0.0.1:9/x", "events": ["order.nope"]}, "events[0]"),
    ({"url": "http://127.0.0.1:9/x", "events": ["order.paid", 7]}, "events[1]"),
    ({"url": "http://127.0.0.1:9/x", "events": []}, "events"),
    ({"url": "http://127.0.0.1:9/x"}, "events"),
    ({"url": "ftp://127.0.0.1/x", "events": ["*"]}, "url"),
    ({"url": "not a url", "events": ["*"]}, "url"),
    ({"url": "http://127.0.0.1:9/x", "events": ["*"], "secret": "mine"}, "secret"),
])
def test_bad_bodies_are_422_naming_the_field(shop, body, field):
    server, admin = shop
    r = server.post("/api/v1/webhook-endpoints", body, token=admin)
    assert r.status == 422 and r.json["code"] == "validation_failed", r
    assert field in [e["field"] for e in r.json["errors"]], r.json
    assert server.get("/api/v1/webhook-endpoints", token=admin).json["items"] == []


def test_private_addresses_are_refused_without_the_setting(make_server):
    server = make_server(env=admin_env())
    admin = admin_token(server)
    for url in ["http://127.0.0.1:8080/hook", "http://localhost/hook", "https://10.1.2.3/", "http://[::1]/",
                "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest", "http://[fe80::1]/",
                "http://0.0.0.0/", "http://224.0.0.1/", "http://192.168.1.1/", "http://[fd00::1]/"]:
        r = server.post("/api/v1/webhook-endpoints", {"url": url, "events": ["*"]}, token=admin)
        assert r.status == 422 and r.json["code"] == "url_not_allowed", (url, r)
    ok = server.post("/api/v1/webhook-endpoints", {"url": "https://192.0.2.10/hook", "events": ["*"]}, token=admin)
    assert ok.status == 201, ok
    r = server.request("PATCH", f"/api/v1/webhook-endpoints/{ok.json['id']}", {"url": "http://127.0.0.2/"},
                       token=admin)
    assert r.status == 422 and r.json["code"] == "url_not_allowed"
    assert server.get(f"/api/v1/webhook-endpoints/{ok.json['id']}", token=admin).json["url"] == "https://192.0.2.10/hook"


def test_subscribed_events_are_delivered_signed_once(shop, receiver):
    server, admin = shop
    ep = create(server, admin, receiver, "/cats", events=["category.created"])
    other = create(server, admin, receiver, "/all")
    cats = [category(server, admin) for _ in range(3)]
    got = wait_for(lambda: len(receiver.received("/cats")) >= 3 and receiver.received("/cats"), what="3 deliveries")
    time.sleep(0.5)  # room for a duplicate to show up
    got = receiver.received("/cats")
    assert len(got) == 3
    for path, headers, body, ok in got:
        assert ok, headers
        assert headers["Content-Type"] == "application/json"
        event = json.loads(body)
        assert set(event) == {"id", "type", "created_at", "data"} and event["type"] == "category.created"
        assert headers["Shop-Event-Id"] == event["id"]
        # The event as the log shows it.
        logged = server.get(f"/api/v1/events?type=category.created", token=admin).json["items"]
        assert event in logged
    assert sorted(json.loads(b)["data"]["category_id"] for _, _, b, _ in got) == sorted(c["id"] for c in cats)
    # Signed with that endpoint's own secret: the other's does not verify it.
    assert not verify(receiver.secrets["/all"], got[0][1]["Shop-Signature"], got[0][2])
    items = wait_for(lambda: all(d["status"] == "delivered" for d in deliveries(server, admin, ep["id"]))
                     and deliveries(server, admin, ep["id"]), what="delivered log")
    assert len(items) == 3
    for d in items:
        assert d["attempts"] == 1 and d["last_status_code"] == 204 and d["last_error"] is None
        assert d["delivered_at"] and d["next_attempt_at"] is None and d["id"].startswith("whd_")
    wait_for(lambda: len(receiver.received("/all")) >= 3, what="the catch-all endpoint")
    page = deliveries(server, admin, ep["id"], limit=2)
    assert len(page) == 2


def test_failures_are_retried_with_backoff_then_fail_and_can_be_retried_by_hand(make_server):
    # Always 500: 10 attempts, 200 ms doubling would take minutes, so the base is tiny here.
    rec = Receiver(lambda path, n: "fail" if path == "/down" else ("fail" if n < 3 else "ok"))
    try:
        server = make_server(env=dict(BASE_ENV, SHOPD_WEBHOOK_RETRY_BASE_MS="5"))
        admin = admin_token(server)
        down = create(server, admin, rec, "/down", events=["category.created"])
        flaky = create(server, admin, rec, "/flaky", events=["category.created"])
        category(server, admin)
        d = wait_for(lambda: [x for x in deliveries(server, admin, flaky["id"]) if x["status"] == "delivered"],
                     what="flaky delivered")[0]
        assert d["attempts"] == 3 and d["last_status_code"] == 204
        failed = wait_for(lambda: [x for x in deliveries(server, admin, down["id"]) if x["status"] == "failed"],
                          timeout=60, what="down failed")[0]
        assert failed["attempts"] == 10 and failed["last_status_code"] == 500 and failed["last_error"] == "HTTP 500"
        assert failed["next_attempt_at"] is None and failed["delivered_at"] is None
        assert len(rec.received("/down")) == 10
        # The receiver is back: a manual retry sends it again now.
        rec.behave = lambda path, n: "ok"
        r = server.post(f"/api/v1/webhook-endpoints/{down['id']}/deliveries/{failed['id']}/retry", token=admin)
        assert r.status == 202 and r.json["status"] == "pending", r
        again = wait_for(lambda: [x for x in deliveries(server, admin, down["id"]) if x["status"] == "delivered"],
                         what="retried delivery")[0]
        assert again["attempts"] == 11 and again["last_status_code"] == 204
        # Unknown deliveries, or another endpoint's, are 404.
        for path in (f"/api/v1/webhook-endpoints/{flaky['id']}/deliveries/{failed['id']}/retry",
                     f"/api/v1/webhook-endpoints/{down['id']}/deliveries/whd_999999/retry",
                     f"/api/v1/webhook-endpoints/{down['id']}/deliveries/nope/retry"):
            r = server.post(path, token=admin)
            assert r.status == 404 and r.json["code"] == "not_found", (path, r)
    finally:
        rec.close()


def test_a_hanging_receiver_times_out_and_slows_no_one_else(shop):
    rec = Receiver(lambda path, n: "hang" if path == "/hang" else ("huge" if path == "/huge" else
                                                                    ("redirect" if path == "/redirect" else "ok")))
    try:
        server, admin = shop
        hang = create(server, admin, rec, "/hang", events=["category.created"])
        huge = create(server, admin, rec, "/huge", events=["category.created"])
        redirect = create(server, admin, rec, "/redirect", events=["category.created"])
        create(server, admin, rec, "/fast", events=["category.created"])
        for _ in range(5):
            category(server, admin)
        # The fast receiver gets everything while the hanging one holds its transfers.
        wait_for(lambda: len(rec.received("/fast")) == 5, timeout=10, what="fast deliveries")
        assert len(rec.received("/hang")) >= 1
        d = wait_for(lambda: [x for x in deliveries(server, admin, hang["id"]) if x["last_error"]], what="timeout")[0]
        assert d["status"] == "pending" and "1500 ms" in d["last_error"] and d["last_status_code"] is None
        d = wait_for(lambda: [x for x in deliveries(server, admin, huge["id"]) if x["last_error"]], what="huge")[0]
        assert d["status"] == "pending" and "65536 bytes" in d["last_error"]
        d = wait_for(lambda: [x for x in deliveries(server, admin, redirect["id"]) if x["last_error"]],
                     what="redirect")[0]
        assert d["status"] == "pending" and d["last_status_code"] == 302 and "redirect" in d["last_error"]
        assert not any(p == "/elsewhere" for p, *_ in rec.received())
        # Retried: a second attempt comes.
        wait_for(lambda: len(rec.received("/redirect")) >= 2, what="a retry of the redirect")
    finally:
        rec.close()


def test_a_hanging_receivers_backlog_waits_in_the_outbox_while_another_gets_everything(shop):
    # 220 events: more than a receiver's transfers (32) and claimed queue (128) hold, so the
    # hanging receiver's queue fills, its scope is left out of the next claims, and its
    # transfers outlive the sender's time slice.
    rec = Receiver(lambda path, n: "hang" if path == "/hang" else "ok")
    try:
        server, admin = shop
        hang = create(server, admin, rec, "/hang", events=["category.created"])
        fast = create(server, admin, rec, "/fast", events=["category.created"])
        started = time.time()
        for _ in range(220):
            category(server, admin)
        # (The test receiver's accept queue is short: a few fast deliveries may need a retry.)
        wait_for(lambda: [d["status"] for d in all_deliveries(server, admin, fast["id"])] == ["delivered"] * 220,
                 timeout=5, what="every fast delivery")
        if time.time() - started < 1.4:  # before the first hanging transfer timed out
            assert len(rec.received("/hang")) <= 32
        # The hanging receiver's deliveries are all still pending: none given up, none lost.
        items = all_deliveries(server, admin, hang["id"])
        assert len(items) == 220 and all(d["status"] == "pending" for d in items)
    finally:
        rec.close()


def test_an_endpoint_gets_no_event_from_before_its_creation_even_after_a_restart(make_server, tmp_path):
    # On PostgreSQL the webhook projection's watermark lags (shop/events/projection.hpp), so
    # the restart applies the first shop's events again: the endpoint, newer, gets none.
    rec = Receiver()
    try:
        db = str(tmp_path / "shop.db")
        first = make_server(env=BASE_ENV, db=db)
        admin = admin_token(first)
        for _ in range(3):
            category(first, admin)
        time.sleep(0.01)
        create(first, admin, rec, "/late", events=["category.created"])
        first.stop()
        second = make_server(env=BASE_ENV, db=db)
        category(second, admin_token(second))
        wait_for(lambda: rec.received("/late"), what="the new category's delivery")
        time.sleep(1)
        assert len(rec.received("/late")) == 1
    finally:
        rec.close()


def test_an_event_of_a_disabled_spell_is_not_delivered_after_a_restart(make_server, tmp_path):
    # As above: the restart applies the first shop's events again on PostgreSQL; the
    # endpoint was disabled when the event happened, so it never gets it.
    rec = Receiver()
    try:
        db = str(tmp_path / "shop.db")
        first = make_server(env=BASE_ENV, db=db)
        admin = admin_token(first)
        ep = create(first, admin, rec, "/paused", events=["category.created"])
        r = first.request("PATCH", f"/api/v1/webhook-endpoints/{ep['id']}", {"enabled": False}, token=admin)
        assert r.status == 200, r
        category(first, admin)
        time.sleep(0.01)
        r = first.request("PATCH", f"/api/v1/webhook-endpoints/{ep['id']}", {"enabled": True}, token=admin)
        assert r.status == 200, r
        first.stop()
        second = make_server(env=BASE_ENV, db=db)
        category(second, admin_token(second))
        wait_for(lambda: rec.received("/paused"), what="the new category's delivery")
        time.sleep(1)
        assert len(rec.received("/paused")) == 1
    finally:
        rec.close()


def test_a_disabled_endpoint_gets_nothing_until_enabled(shop):
    rec = Receiver(lambda path, n: "fail" if n == 1 else "ok")
    try:
        server, admin = shop
        ep = create(server, admin, rec, "/d", events=["category.created"])
        category(server, admin)
        wait_for(lambda: rec.received("/d"), what="first attempt")
        r = server.request("PATCH", f"/api/v1/webhook-endpoints/{ep['id']}", {"enabled": False}, token=admin)
        assert r.status == 200 and r.json["enabled"] is False
        category(server, admin)  # while disabled: no delivery at all
        time.sleep(1.5)           # several retry periods of the pending one (base 200 ms)
        assert len(rec.received("/d")) == 1
        items = deliveries(server, admin, ep["id"])
        assert len(items) == 1 and items[0]["status"] == "pending"
        r = server.request("PATCH", f"/api/v1/webhook-endpoints/{ep['id']}", {"enabled": True}, token=admin)
        assert r.status == 200
        wait_for(lambda: deliveries(server, admin, ep["id"])[0]["status"] == "delivered", what="sent after enabling")
        assert len(rec.received("/d")) == 2
    finally:
        rec.close()


def test_a_delivery_to_a_name_now_resolving_to_loopback_is_refused_at_connect(make_server):
    """The delivery-time check: an endpoint saved with the setting on, served by a process
    without it, is refused on the address actually connected to, and never reached."""
    rec = Receiver()
    tmp = tempfile.TemporaryDirectory(prefix="shopd-wh-")
    try:
        db = os.path.join(tmp.name, "shop.db")
        first = make_server(env=BASE_ENV, db=db)
        admin = admin_token(first)
        ep = create(first, admin, rec, "/rebound", events=["category.created"])
        first.stop()
        second = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_RETRY_BASE_MS="60000"), db=db)
        admin = admin_token(second)
        category(second, admin)
        d = wait_for(lambda: [x for x in deliveries(second, admin, ep["id"]) if x["last_error"]], what="refusal")[0]
        assert "url_not_allowed" in d["last_error"] and d["status"] == "pending", d
        assert rec.received("/rebound") == []
    finally:
        rec.close()
        tmp.cleanup()


def test_three_replicas_deliver_a_thousand_events_once_each():
    rec = Receiver()
    tmp = tempfile.TemporaryDirectory(prefix="shopd-wh3-")
    servers = []
    try:
        db = os.path.join(tmp.name, "shop.db")
        # The contract's 10 s per attempt, not the 1.5 s the other tests use: with three
        # replicas sending at once to one Python receiver on two busy cores, an answer can
        # take longer than 1.5 s, and a timed-out attempt is rightly sent again. "Once" is
        # promised for normal operation, where receivers answer within the timeout.
        env = dict(BASE_ENV, SHOPD_WEBHOOK_TIMEOUT_MS="10000")
        servers.append(Server(env=env, db=db).start())  # the first one migrates
        servers += [Server(env=env, db=db).start() for _ in range(2)]
        admin = admin_token(servers[0])
        create(servers[0], admin, rec, "/three", events=["category.created"])
        errors = []

        def writer(i):
            try:
                for k in range(334 if i < 2 else 332):
                    category(servers[i], admin, name=f"R{i}-{k}-{uuid.uuid4().hex[:6]}")
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors[:3]
        wait_for(lambda: len(rec.received("/three")) >= 1000, timeout=120, what="1000 deliveries")
        time.sleep(1)  # room for a duplicate to arrive
        got = rec.received("/three")
        ids = [json.loads(body)["id"] for _, _, body, _ in got]
        assert len(ids) == 1000 and len(set(ids)) == 1000, (len(ids), len(set(ids)))
        assert all(ok for *_, ok in got)
        # Every replica sent some: the work was shared (not asserted: it depends on timing).
    finally:
        for s in servers:
            s.close()
        rec.close()
        tmp.cleanup()

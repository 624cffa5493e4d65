"""Reconciliation with the payment provider (issue 21, item 10). The process is killed
(SIGKILL, by the test-only SHOPD_TEST_CRASH_AT) right after the sandbox provider charged
or refunded and before shopd recorded it: the one window where money moved and the
database does not know. After a restart, with SHOPD_RECONCILE_AFTER=1, the reconciliation
job asks the provider and records what it did, exactly once, with no request from anyone.
The sandbox keeps its own books in tables of its own, so what it did survives the kill."""
import http.client
import signal
import time
import uuid

from shopd import ADMIN_EMAIL, ADMIN_PASSWORD, Server, admin_token, new_customer
from test_orders import make_product, order, stock_of
from test_payments import card

SECRET = "whsec_integration_test_secret_0123456789"


def crashing_server(crash_at):
    env = {"SHOPD_ADMIN_EMAIL": ADMIN_EMAIL, "SHOPD_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "SHOPD_WEBHOOK_SECRET": SECRET, "SHOPD_RECONCILE_AFTER": "1", "SHOPD_TEST_CRASH_AT": crash_at}
    return Server(env=env).start()


def cut(server, method, path, body, token, headers=None):
    """A request the server dies in the middle of: no answer, and the process SIGKILLed."""
    try:
        r = server.request(method, path, body, token=token, headers=headers, check_contract=False)
        raise AssertionError(f"expected the server to die, got {r}")
    except (OSError, http.client.HTTPException):
        pass
    assert server.proc.wait(10) == -signal.SIGKILL


def restart_without_crash(server):
    del server.env["SHOPD_TEST_CRASH_AT"]
    server.start()


def until(fn, what, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def events(server, admin, kind):
    r = server.get(f"/api/v1/events?type={kind}&limit=100", token=admin)
    assert r.status == 200, r
    return r.json["items"]


def paid_order(server, admin, customer, price=1500, quantity=2):
    p = make_product(server, admin, price=price, stock=10)
    o = order(server, customer, [(p["id"], quantity)])
    assert o.status == 201, o
    r = server.post("/api/v1/payments", {"order_id": o.json["id"], "card": card()}, token=customer,
                    headers={"Idempotency-Key": "pay-" + uuid.uuid4().hex})
    assert r.status == 201 and r.json["status"] == "succeeded", r
    return o.json, r.json, p


def test_a_charge_the_process_died_after_is_recorded_by_reconciliation():
    s = crashing_server("after_provider_charge")
    try:
        admin = admin_token(s)
        _, customer, _, _ = new_customer(s)
        p = make_product(s, admin, price=1500, stock=10)
        o = order(s, customer, [(p["id"], 2)]).json
        key = {"Idempotency-Key": "pay-" + uuid.uuid4().hex}
        cut(s, "POST", "/api/v1/payments", {"order_id": o["id"], "card": card()}, customer, key)

        restart_without_crash(s)
        # Nobody retries: the job finds the payment processing and asks the sandbox.
        until(lambda: s.get(f"/api/v1/orders/{o['id']}", token=customer).json["status"] == "paid", "the order is paid")
        payments = s.get(f"/api/v1/orders/{o['id']}/payments", token=customer).json["items"]
        assert [x["status"] for x in payments] == ["succeeded"]
        assert payments[0]["amount"] == o["total"]
        assert len(events(s, admin, "payment.succeeded")) == 1
        assert any(line.get("msg", "").startswith(f"reconciled payment {payments[0]['id']}") for line in s.log_lines())
        # The client's retry with its key gets that payment, not a second charge.
        r = s.post("/api/v1/payments", {"order_id": o["id"], "card": card()}, token=customer, headers=key)
        assert r.status in (200, 201) and r.json["id"] == payments[0]["id"] and r.json["status"] == "succeeded", r
        assert len(s.get(f"/api/v1/orders/{o['id']}/payments", token=customer).json["items"]) == 1
    finally:
        s.close()


def test_a_refund_the_process_died_after_is_recorded_once_by_reconciliation():
    s = crashing_server("after_provider_refund")
    try:
        admin = admin_token(s)
        _, customer, _, _ = new_customer(s)
        _, payment, _ = paid_order(s, admin, customer)
        cut(s, "POST", f"/api/v1/payments/{payment['id']}/refunds", {"amount": 700}, admin,
            {"Idempotency-Key": "re-" + uuid.uuid4().hex})

        restart_without_crash(s)
        refunded = until(lambda: events(s, admin, "payment.refunded"), "the refund is recorded")
        assert len(refunded) == 1 and refunded[0]["data"]["amount"] == 700
        got = s.get(f"/api/v1/payments/{payment['id']}", token=admin).json
        assert got["amount_refunded"] == 700 and got["status"] == "partially_refunded"
        # Later rounds find nothing more to do; the rest can still be refunded, once.
        time.sleep(2.5)
        assert len(events(s, admin, "payment.refunded")) == 1
        r = s.post(f"/api/v1/payments/{payment['id']}/refunds", {}, token=admin,
                   headers={"Idempotency-Key": "re-" + uuid.uuid4().hex})
        assert r.status == 201 and r.json["amount"] == payment["amount"] - 700, r
    finally:
        s.close()


def test_a_cancel_the_process_died_in_is_finished_refunded_once_and_restocked():
    s = crashing_server("after_provider_refund")
    try:
        admin = admin_token(s)
        _, customer, _, _ = new_customer(s)
        o, payment, p = paid_order(s, admin, customer, quantity=3)
        assert stock_of(s, p["id"]) == 7
        cut(s, "POST", f"/api/v1/orders/{o['id']}/cancel", None, admin)

        restart_without_crash(s)
        until(lambda: s.get(f"/api/v1/orders/{o['id']}", token=admin).json["status"] == "cancelled",
              "the cancel is finished")
        assert stock_of(s, p["id"]) == 10
        got = s.get(f"/api/v1/payments/{payment['id']}", token=admin).json
        assert got["status"] == "refunded" and got["amount_refunded"] == payment["amount"]
        assert len(events(s, admin, "payment.refunded")) == 1
        assert len(events(s, admin, "order.cancelled")) == 1
    finally:
        s.close()

"""Section 12, e-mail: the buyer's mails (order paid, each shipment with its tracking, a
received return with its refund) arrive at a real SMTP server on loopback
(tests/integration/smtp_sink.py) as text and HTML; a failing server (down, or answering
4xx or 5xx) is tried again until it takes the mail; without SHOPD_SMTP_URL nothing is
sent; a bad URL stops start-up."""
import time
import uuid

import pytest

from shopd import Server, admin_env, admin_token, new_customer, run_cli
from smtp_sink import SmtpSink, mail_env
from test_guest_checkout import as_guest, guest_body, pay_as_guest
from test_orders import make_product, order
from test_payments import pay
from test_returns import ask, deliver, receive
from test_shipments import UPS, ship

RESET = "/api/v1/auth/password-reset"
# A product name a template must escape in HTML, and keep as it is in text.
TRICKY = 'Mug <b>"Bold"</b> & Co'


@pytest.fixture
def sink():
    s = SmtpSink().start()
    yield s
    s.stop()


@pytest.fixture
def shop(make_server, sink):
    server = make_server(env=dict(admin_env(), **mail_env(sink)))
    return server, admin_token(server), sink


def amount(minor):
    return f"{minor // 100}.{minor % 100:02d} USD"


def test_order_paid_shipment_and_return_received_mails(shop):
    server, admin, sink = shop
    _, customer, email, _ = new_customer(server, name="Ada Buyer")
    mug = make_product(server, admin, price=1250, stock=10, name=TRICKY)
    pen = make_product(server, admin, price=199, stock=10)
    r = order(server, customer, [(mug["id"], 2), (pen["id"], 3)])
    assert r.status == 201, r
    o = r.json
    assert sink.received() == []  # an unpaid order mails nobody
    assert pay(server, customer, o["id"]).status == 201

    paid = sink.wait_for(lambda m: m.to == email and o["id"] in m.subject)
    assert paid.subject == f"Order {o['id']} is confirmed"
    assert paid.message.get_content_type() == "multipart/alternative"
    text, html = paid.text, paid.html
    assert "Hello Ada Buyer," in text
    assert f"2 x {TRICKY} ({mug['sku']})   {amount(2500)}" in text
    assert f"3 x {pen['name']} ({pen['sku']})   {amount(597)}" in text
    assert f"Total: {amount(o['total'])}" in text
    assert "Mug &lt;b&gt;&quot;Bold&quot;&lt;/b&gt; &amp; Co" in html and TRICKY not in html
    assert amount(o["total"]) in html and pen["sku"] in html

    # Two shipments, each its own mail with its tracking; the /ship shortcut has none.
    r = ship(server, admin, o["id"], items=[(mug["id"], 2)])
    assert r.status == 201, r
    first = sink.wait_for(lambda m: m.to == email and "shipped" in m.subject)
    assert first.subject == f"Order {o['id']} has shipped"
    assert f"Carrier: UPS\nTracking number: {UPS['tracking_number']}\nTrack it: {UPS['tracking_url']}" in first.text
    assert f"2 x {TRICKY}" in first.text and pen["name"] not in first.text
    assert UPS["tracking_number"] in first.html
    assert f'href="{UPS["tracking_url"]}"'.replace("&", "&amp;") in first.html
    assert server.post(f"/api/v1/orders/{o['id']}/ship", token=admin).status == 200
    sink.wait_for(lambda m: m.to == email and "shipped" in m.subject and m is not first)
    second = [m for m in sink.mails_to(email) if "shipped" in m.subject][1]
    assert f"3 x {pen['name']}" in second.text and "Tracking number" not in second.text

    # A received return, with its refund.
    assert server.post(f"/api/v1/orders/{o['id']}/deliver", token=admin).status == 200
    r = ask(server, o["id"], [(pen["id"], 1)], token=customer)
    assert r.status == 201, r
    ret = r.json
    assert receive(server, admin, ret["id"]).status == 200
    back = sink.wait_for(lambda m: m.to == email and ret["id"] in m.subject)
    assert back.subject == f"Your return {ret['id']} has arrived"
    assert f"We have refunded {amount(ret['refund_amount'])}" in back.text
    assert f"1 x {pen['name']}   {amount(ret['refund_amount'])}" in back.text
    assert amount(ret["refund_amount"]) in back.html

    # One mail per cause: confirmation, two shipments, one return.
    assert sorted(m.subject.split()[-1] for m in sink.mails_to(email)) == ["arrived", "confirmed", "shipped",
                                                                           "shipped"]


def test_a_guests_confirmation_goes_to_the_address_given_at_checkout(shop):
    server, admin, sink = shop
    p = make_product(server, admin, price=4200, stock=5)
    r = server.post("/api/v1/orders", guest_body(p["id"], quantity=1, email=" Guest.Mail@Example.COM "))
    assert r.status == 201, r
    o = r.json
    assert pay_as_guest(server, o["order_token"], o["id"], "k-" + uuid.uuid4().hex).status == 201
    mail = sink.wait_for(lambda m: o["id"] in m.subject)
    assert mail.rcpt_tos == ["guest.mail@example.com"]
    assert mail.text.startswith("Hello,\n")  # no account, no name
    assert amount(o["total"]) in mail.text


def wait_until(condition, what, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout}s: {what}")


def failures_logged(server):
    return [line["msg"] for line in server.log_lines() if " failed (" in line.get("msg", "")]


@pytest.mark.parametrize("reply", ["451 4.3.0 Try again later", "554 5.7.1 Not now"])
def test_a_server_answering_an_error_is_tried_again_until_it_takes_the_mail(shop, reply):
    server, _, sink = shop
    sink.fail_with(reply)
    _, _, email, _ = new_customer(server)
    assert server.post(RESET, {"email": email}).status == 202
    wait_until(lambda: sink.attempts >= 2, "refused, and tried again")
    assert sink.received() == []
    sink.accept()
    mail = sink.wait_for(lambda m: m.to == email)
    assert mail.subject == "Reset your password"
    assert len(sink.mails_to(email)) == 1
    assert any(reply.split()[0] in msg for msg in failures_logged(server)), server.log_text()


def test_a_server_that_is_down_gets_the_mail_once_it_is_back(make_server, sink):
    server = make_server(env=mail_env(sink))
    sink.stop()
    _, _, email, _ = new_customer(server)
    assert server.post(RESET, {"email": email}).status == 202
    wait_until(lambda: len(failures_logged(server)) >= 2, "two failed attempts logged")
    sink.start()
    mail = sink.wait_for(lambda m: m.to == email)
    assert mail.subject == "Reset your password"


def test_without_an_smtp_url_nothing_is_queued_or_sent(make_server, sink, tmp_path):
    db = str(tmp_path / "shop.db")
    quiet = make_server(env=admin_env(), db=db)
    notes = [line for line in quiet.log_lines() if "SHOPD_SMTP_URL" in line.get("msg", "")]
    assert len(notes) == 1 and "no e-mail is sent" in notes[0]["msg"]
    admin = admin_token(quiet)
    _, customer, email, _ = new_customer(quiet)
    p = make_product(quiet, admin, price=100)
    o = order(quiet, customer, [(p["id"], 1)]).json
    assert pay(quiet, customer, o["id"]).status == 201
    assert quiet.post(RESET, {"email": email}).status == 202
    quiet.stop()

    # The same shop with mail on: only what happens from now on is mailed.
    loud = make_server(env=dict(admin_env(), **mail_env(sink)), db=db)
    assert not any("no e-mail is sent" in line.get("msg", "") for line in loud.log_lines())
    _, _, marker, _ = new_customer(loud)
    assert loud.post(RESET, {"email": marker}).status == 202
    sink.wait_for(lambda m: m.to == marker)
    assert [m.to for m in sink.received()] == [marker]


@pytest.mark.parametrize("env, named", [
    ({"SHOPD_SMTP_URL": "http://127.0.0.1:25", "SHOPD_MAIL_FROM": "a@shop.test"}, "SHOPD_SMTP_URL"),
    ({"SHOPD_SMTP_URL": "smtp://", "SHOPD_MAIL_FROM": "a@shop.test"}, "SHOPD_SMTP_URL"),
    ({"SHOPD_SMTP_URL": "not a url", "SHOPD_MAIL_FROM": "a@shop.test"}, "SHOPD_SMTP_URL"),
    ({"SHOPD_SMTP_URL": "smtp://127.0.0.1:25/path?q=1", "SHOPD_MAIL_FROM": "a@shop.test"}, "SHOPD_SMTP_URL"),
    ({"SHOPD_SMTP_URL": "smtp://127.0.0.1:25"}, "SHOPD_MAIL_FROM"),
    ({"SHOPD_SMTP_URL": "smtps://127.0.0.1:465", "SHOPD_MAIL_FROM": "Shop <not an address>"}, "SHOPD_MAIL_FROM"),
])
def test_a_bad_mail_setting_stops_start_up_with_one_line_naming_it(tmp_path, env, named):
    r = run_cli(["serve", "--port", "0", "--db", str(tmp_path / "x.db")], env=env)
    assert r.returncode == 2, r
    assert named in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


# The test server takes AUTH in plain text on loopback, on purpose.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_urls_user_and_password_sign_in_and_the_password_never_reaches_the_log(make_server):
    sink = SmtpSink(credentials=("mailer", "s3cret-pw")).start()
    try:
        good = make_server(env=mail_env(sink, SHOPD_SMTP_URL=f"smtp://mailer:s3cret-pw@127.0.0.1:{sink.port}"))
        started = [line for line in good.log_lines() if line.get("msg", "").startswith("mail: sending through")]
        assert started and f"smtp://127.0.0.1:{sink.port}" in started[0]["msg"]
        _, _, email, _ = new_customer(good)
        assert good.post(RESET, {"email": email}).status == 202
        sink.wait_for(lambda m: m.to == email)
        assert "s3cret-pw" not in good.log_text()
    finally:
        sink.stop()

"""Section 12, password reset and ending access tokens early: the reset token read from a
real SMTP conversation (tests/integration/smtp_sink.py), single use, refresh tokens
revoked and older access tokens refused on every replica; a password change and a role
change end older access tokens too."""
import os
import re

import pytest

from shopd import Server, admin_env, admin_token, login, new_customer
from smtp_sink import SmtpSink, mail_env

RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"


@pytest.fixture
def sink():
    s = SmtpSink().start()
    yield s
    s.stop()


@pytest.fixture
def shop(make_server, sink):
    return make_server(env=dict(admin_env(), **mail_env(sink))), sink


def session(server, email, password):
    r = server.post("/api/v1/auth/login", {"email": email, "password": password})
    assert r.status == 200, r
    return r.json


def token_in(mail):
    """The reset token as the mail's text shows it, checked against the HTML part."""
    m = re.search(r"^    (\S+)$", mail.text, re.M)
    assert m, mail.text
    assert m.group(1) in mail.html
    return m.group(1)


def reset_mail_to(sink, email):
    return sink.wait_for(lambda m: m.to == email and m.subject == "Reset your password")


def fields_of(r):
    return {e["field"] for e in r.json.get("errors", [])}


def test_a_reset_read_from_the_smtp_conversation_sets_the_password_once(shop):
    server, sink = shop
    user, _, email, password = new_customer(server, name="Ann <Reset> & Co")
    before = session(server, email, password)
    assert server.get("/api/v1/users/me", token=before["access_token"]).status == 200

    r = server.post(RESET, {"email": "  " + email.upper() + " "})  # normalised like sign-in
    assert r.status == 202 and r.body == ""
    mail = reset_mail_to(sink, email)
    assert mail.mail_from == "shop@shop.test" and mail.rcpt_tos == [email]
    assert mail.message["From"].addresses[0].display_name == "Test Shop"
    assert "Hello Ann <Reset> & Co," in mail.text and "Hello Ann &lt;Reset&gt; &amp; Co," in mail.html
    token = token_in(mail)
    assert len(token) >= 43

    r = server.post(CONFIRM, {"token": token, "password": "brand-new-password"})
    assert r.status == 204 and r.body == ""
    # The access token from before is refused, the refresh token revoked, the old password gone.
    r = server.get("/api/v1/users/me", token=before["access_token"])
    assert r.status == 401 and r.header("WWW-Authenticate")
    assert server.post("/api/v1/auth/refresh", {"refresh_token": before["refresh_token"]}).status == 401
    assert server.post("/api/v1/auth/login", {"email": email, "password": password}).status == 401
    # The new password works, at once (a token issued in the second of the reset included).
    after = session(server, email, "brand-new-password")
    assert server.get("/api/v1/users/me", token=after["access_token"]).json["id"] == user["id"]

    # Single use.
    r = server.post(CONFIRM, {"token": token, "password": "another-password-1"})
    assert r.status == 400 and r.json["code"] == "invalid_token"
    assert session(server, email, "brand-new-password")


def test_an_unknown_address_gets_202_and_no_mail(shop):
    server, sink = shop
    r = server.post(RESET, {"email": "nobody.at.all@shop.test"})
    assert r.status == 202 and r.body == ""
    # Mail leaves in the order it was queued: once a later one has arrived, an earlier one
    # would have too.
    _, _, email, _ = new_customer(server)
    assert server.post(RESET, {"email": email}).status == 202
    reset_mail_to(sink, email)
    assert [m.to for m in sink.received()] == [email]


def test_bad_tokens_and_weak_passwords(shop):
    server, sink = shop
    _, _, email, password = new_customer(server)
    for token in ["not-a-token", "x" * 43, "a"]:
        r = server.post(CONFIRM, {"token": token, "password": "long-enough-1"})
        assert r.status == 400 and r.json["code"] == "invalid_token", r

    assert server.post(RESET, {"email": email}).status == 202
    token = token_in(reset_mail_to(sink, email))
    # A weak password is registration's 422, and leaves the token usable.
    r = server.post(CONFIRM, {"token": token, "password": "short"})
    assert r.status == 422 and r.json["code"] == "validation_failed" and fields_of(r) == {"password"}
    r = server.post(CONFIRM, {"token": token})
    assert r.status == 422 and fields_of(r) == {"password"}
    r = server.post(CONFIRM, {"token": token, "password": "long-enough-1", "email": email})
    assert r.status == 422 and fields_of(r) == {"email"}
    assert session(server, email, password)
    assert server.post(CONFIRM, {"token": token, "password": "long-enough-1"}).status == 204
    assert session(server, email, "long-enough-1")

    # A malformed address is 422 (it tells nothing about which accounts exist).
    for body in [{"email": "not-an-address"}, {}, {"email": 5}, {"email": email, "name": "x"}]:
        r = server.post(RESET, body)
        assert r.status == 422 and r.json["code"] == "validation_failed", (body, r)
    r = server.request("POST", RESET, raw=b"{oops", headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json["code"] == "invalid_json"


def test_a_second_reset_mail_stops_working_once_one_is_used(shop):
    server, sink = shop
    _, _, email, _ = new_customer(server)
    for _ in range(2):
        assert server.post(RESET, {"email": email}).status == 202
    sink.wait_for(lambda m: len(sink.mails_to(email)) == 2)
    first, second = (token_in(m) for m in sink.mails_to(email))
    assert first != second
    assert server.post(CONFIRM, {"token": second, "password": "second-password"}).status == 204
    r = server.post(CONFIRM, {"token": first, "password": "first-password"})
    assert r.status == 400 and r.json["code"] == "invalid_token"
    assert session(server, email, "second-password")


def test_at_most_five_reset_mails_an_hour_per_address(shop):
    server, sink = shop
    _, _, email, _ = new_customer(server)
    for _ in range(7):
        assert server.post(RESET, {"email": email}).status == 202
    _, _, marker, _ = new_customer(server)
    assert server.post(RESET, {"email": marker}).status == 202
    reset_mail_to(sink, marker)
    assert len(sink.mails_to(email)) == 5


# --- ending access tokens early without a reset ---

def test_a_password_change_ends_the_access_tokens_issued_before_it(server):
    _, token, email, password = new_customer(server)
    other = session(server, email, password)["access_token"]  # another device
    r = server.request("PATCH", "/api/v1/users/me", {"password": "changed-password-1", "current_password": password},
                       token=token)
    assert r.status == 200, r
    for old in (token, other):
        r = server.get("/api/v1/users/me", token=old)
        assert r.status == 401 and r.header("WWW-Authenticate")
    fresh = login(server, email, "changed-password-1")
    assert server.get("/api/v1/users/me", token=fresh).status == 200
    # A name change is not a password change: tokens live on.
    r = server.request("PATCH", "/api/v1/users/me", {"name": "Renamed"}, token=fresh)
    assert r.status == 200 and server.get("/api/v1/users/me", token=fresh).status == 200


def test_a_role_change_ends_the_users_access_tokens_on_every_replica(make_server, tmp_path):
    db = str(tmp_path / "shared.db")
    a = make_server(env=admin_env(), db=db)
    b = make_server(env=admin_env(), db=db)
    admin = admin_token(a)
    user, _, email, password = new_customer(a)
    s = session(a, email, password)
    for server in (a, b):
        assert server.get("/api/v1/users/me", token=s["access_token"]).json["role"] == "customer"

    r = a.request("PATCH", f"/api/v1/users/{user['id']}", {"role": "admin"}, token=admin)
    assert r.status == 200 and r.json["role"] == "admin"
    for server in (a, b):
        assert server.get("/api/v1/users/me", token=s["access_token"]).status == 401
        assert server.get("/api/v1/users", token=s["access_token"]).status == 401
    # The refresh token still works and gives a token with the new role, on either replica.
    r = b.post("/api/v1/auth/refresh", {"refresh_token": s["refresh_token"]})
    assert r.status == 200, r
    promoted = r.json["access_token"]
    for server in (a, b):
        assert server.get("/api/v1/users", token=promoted).status == 200
    # Setting the same role again ends nothing.
    assert a.request("PATCH", f"/api/v1/users/{user['id']}", {"role": "admin"}, token=admin).status == 200
    assert b.get("/api/v1/users", token=promoted).status == 200


def test_a_reset_on_one_replica_ends_tokens_on_another(make_server, sink, tmp_path):
    db = str(tmp_path / "shared.db")
    a = make_server(env=mail_env(sink), db=db)
    b = make_server(env=mail_env(sink), db=db)
    _, token, email, _ = new_customer(a)
    assert b.get("/api/v1/users/me", token=token).status == 200
    assert a.post(RESET, {"email": email}).status == 202
    reset_token = token_in(reset_mail_to(sink, email))
    assert len(sink.mails_to(email)) == 1  # two replicas, one mail
    assert b.post(CONFIRM, {"token": reset_token, "password": "replica-password"}).status == 204
    assert a.get("/api/v1/users/me", token=token).status == 401
    assert b.get("/api/v1/users/me", token=token).status == 401

"""Section 3 of the contract, sign-in side: login, refresh rotation and re-use, logout,
failed-login limits, the token secret (configured, generated and shared by replicas, or
too short), the admin bootstrap, `shopd user create`, and that no secret reaches the log."""
import base64
import hashlib
import hmac
import json
import sqlite3
import time

from shopd import ADMIN_EMAIL, ADMIN_PASSWORD, Server, admin_env, admin_token, login, new_customer, run_cli

CHEAP_KDF = {"SHOPD_ARGON2_OPS": "1", "SHOPD_ARGON2_MEM_KIB": "64"}
SECRET = "integration-test-secret-0123456789abcdef"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(claims, secret, header=None):
    """A JWT made outside shopd, as any HS256 library would make it."""
    h = b64url(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    p = b64url(json.dumps(claims).encode())
    digest = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}.get((header or {}).get("alg", "HS256"),
                                                                   hashlib.sha256)
    sig = hmac.new(secret.encode(), f"{h}.{p}".encode(), digest).digest()
    return f"{h}.{p}.{b64url(sig)}"


def claims_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def login_response(server, email, password, **extra):
    return server.post("/api/v1/auth/login", {"email": email, "password": password, **extra})


# --- POST /api/v1/auth/login ---

def test_login_returns_the_token_pair_and_user(server):
    u, _, email, password = new_customer(server)
    r = login_response(server, email.upper(), password)
    assert r.status == 200, r
    body = r.json
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "user"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["user"] == u
    assert r.header("cache-control") == "no-store"
    claims = claims_of(body["access_token"])
    assert claims["sub"] == u["id"] and claims["role"] == "customer"
    assert claims["exp"] - claims["iat"] == 900
    assert abs(claims["iat"] - time.time()) < 60
    assert claims["jti"]
    assert body["refresh_token"] and "." not in body["refresh_token"]  # opaque, not a JWT
    assert server.get("/api/v1/users/me", token=body["access_token"]).status == 200


def test_wrong_password_and_unknown_email_look_the_same(server):
    _, _, email, _ = new_customer(server)
    wrong = login_response(server, email, "not-the-password")
    unknown = login_response(server, "nobody@example.com", "not-the-password")
    for r in (wrong, unknown):
        assert r.status == 401
        assert r.json["code"] == "invalid_credentials"
        assert r.header("www-authenticate").startswith("Bearer")
    strip = lambda j: {k: v for k, v in j.items() if k != "request_id"}
    assert strip(wrong.json) == strip(unknown.json)


def test_login_validation(server):
    r = server.post("/api/v1/auth/login", {"email": "a@example.com"})
    assert r.status == 422 and {e["field"] for e in r.json["errors"]} == {"password"}
    r = server.post("/api/v1/auth/login", {"password": "whatever-1"})
    assert r.status == 422 and {e["field"] for e in r.json["errors"]} == {"email"}
    r = login_response(server, "a@example.com", "whatever-1", remember="yes")
    assert r.status == 422 and {e["field"] for e in r.json["errors"]} == {"remember"}
    r = server.request("POST", "/api/v1/auth/login", raw=b"nope", headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json["code"] == "invalid_json"


def test_admin_is_bootstrapped_from_the_environment(server):
    r = login_response(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert r.status == 200
    assert r.json["user"]["role"] == "admin"
    assert server.get("/api/v1/users", token=r.json["access_token"]).status == 200


def test_admin_bootstrap_is_idempotent_across_restarts(make_server, tmp_path):
    db = str(tmp_path / "shop.db")
    for _ in range(2):
        s = make_server(env=admin_env(), db=db)
        assert admin_token(s)
        s.stop()
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT COUNT(*) FROM users WHERE email = ?", (ADMIN_EMAIL,)).fetchone()[0] == 1
        assert con.execute("SELECT COUNT(*) FROM events WHERE type = 'user.registered'").fetchone()[0] == 1
    finally:
        con.close()


# --- POST /api/v1/auth/refresh and /logout ---

def test_refresh_rotates_the_pair(server):
    u, _, email, password = new_customer(server)
    first = login_response(server, email, password).json
    r = server.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert r.status == 200, r
    second = r.json
    assert second["token_type"] == "Bearer" and second["expires_in"] == 900
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["user"]["id"] == u["id"]
    assert server.get("/api/v1/users/me", token=second["access_token"]).status == 200
    # The old one stops working...
    r = server.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert r.status == 401
    # ...and because it had been rotated, its whole family is revoked, the new one included.
    r = server.post("/api/v1/auth/refresh", {"refresh_token": second["refresh_token"]})
    assert r.status == 401


def test_reuse_revokes_only_that_family(server):
    _, _, email, password = new_customer(server)
    laptop = login_response(server, email, password).json
    phone = login_response(server, email, password).json
    rotated = server.post("/api/v1/auth/refresh", {"refresh_token": laptop["refresh_token"]}).json
    assert server.post("/api/v1/auth/refresh", {"refresh_token": laptop["refresh_token"]}).status == 401
    assert server.post("/api/v1/auth/refresh", {"refresh_token": rotated["refresh_token"]}).status == 401
    r = server.post("/api/v1/auth/refresh", {"refresh_token": phone["refresh_token"]})
    assert r.status == 200


def test_refresh_errors(server):
    for body in [{"refresh_token": "never-issued"}, {"refresh_token": "x" * 500}]:
        r = server.post("/api/v1/auth/refresh", body)
        assert r.status == 401, (body, r)
    for body in [{}, {"refresh_token": ""}, {"refresh_token": 5}, {"refresh_token": "a", "other": 1}]:
        assert server.post("/api/v1/auth/refresh", body).status == 422, body
    _, access, _, _ = new_customer(server)
    assert server.post("/api/v1/auth/refresh", {"refresh_token": access}).status == 401  # an access token is not one


def test_logout_revokes_that_refresh_token(server):
    _, _, email, password = new_customer(server)
    a = login_response(server, email, password).json
    b = login_response(server, email, password).json
    r = server.post("/api/v1/auth/logout", {"refresh_token": a["refresh_token"]})
    assert r.status == 204 and r.body == ""
    assert server.post("/api/v1/auth/refresh", {"refresh_token": a["refresh_token"]}).status == 401
    assert server.post("/api/v1/auth/logout", {"refresh_token": a["refresh_token"]}).status == 204
    assert server.post("/api/v1/auth/logout", {"refresh_token": "unknown"}).status == 204
    assert server.post("/api/v1/auth/logout", {}).status == 422
    assert server.post("/api/v1/auth/refresh", {"refresh_token": b["refresh_token"]}).status == 200


def test_password_change_ends_refresh_sessions(server):
    _, token, email, password = new_customer(server)
    session = login_response(server, email, password).json
    r = server.request("PATCH", "/api/v1/users/me", body={"password": "brand-new-pass", "current_password": password},
                       token=token)
    assert r.status == 200
    assert server.post("/api/v1/auth/refresh", {"refresh_token": session["refresh_token"]}).status == 401


# --- failed-login limits ---

def test_thirty_wrong_passwords_get_limited_then_even_the_right_one_waits(server):
    _, _, email, password = new_customer(server)
    statuses = []
    for _ in range(30):
        r = login_response(server, email, "wrong-password")
        statuses.append(r.status)
        if r.status == 429:
            assert r.json["code"] == "rate_limited"
            wait = int(r.header("retry-after"))
            assert 1 <= wait <= 900
    assert statuses == [401] * 10 + [429] * 20
    r = login_response(server, email, password)
    assert r.status == 429
    assert r.json["code"] == "rate_limited"
    assert 1 <= int(r.header("retry-after")) <= 900
    # Other accounts are unaffected.
    _, _, other, other_password = new_customer(server)
    assert login_response(server, other, other_password).status == 200


def test_limit_per_client_address_across_emails(server):
    for i in range(100):
        r = login_response(server, f"guess{i // 10}@example.com", "wrong-password")
        assert r.status == 401, (i, r)
    r = login_response(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert r.status == 429
    assert r.json["code"] == "rate_limited"
    assert int(r.header("retry-after")) >= 1


def test_limit_lifts_when_the_window_passes(make_server):
    s = make_server(env={**admin_env(), "SHOPD_LOGIN_MAX_FAILURES_EMAIL": "2", "SHOPD_LOGIN_WINDOW": "2"})
    _, _, email, password = new_customer(s)
    assert [login_response(s, email, "wrong-password").status for _ in range(2)] == [401, 401]
    r = login_response(s, email, password)
    assert r.status == 429
    wait = int(r.header("retry-after"))
    assert 1 <= wait <= 2
    time.sleep(wait + 0.1)
    assert login_response(s, email, password).status == 200


# --- the token secret ---

def test_tokens_verify_with_the_configured_secret_only(make_server):
    s = make_server(env={**admin_env(), "SHOPD_JWT_SECRET": SECRET})
    admin = login_response(s, ADMIN_EMAIL, ADMIN_PASSWORD).json
    now = int(time.time())
    claims = {"sub": admin["user"]["id"], "role": "admin", "iat": now, "exp": now + 300, "jti": "it-1"}
    # Standard HS256 with the shared secret: what another replica (or a library) makes.
    assert s.get("/api/v1/users", token=forge(claims, SECRET)).status == 200
    assert claims_of(admin["access_token"])["sub"] == admin["user"]["id"]
    refused = {
        "another secret": forge(claims, "another-secret-0123456789abcdefghijkl"),
        "expired": forge({**claims, "iat": now - 1000, "exp": now - 10}, SECRET),
        "alg none": b64url(b'{"alg":"none"}') + "." + b64url(json.dumps(claims).encode()) + ".",
        "HS512": forge(claims, SECRET, header={"alg": "HS512", "typ": "JWT"}),
        "bad role": forge({**claims, "role": "root"}, SECRET),
        "garbage": "a.b.c",
        "not even dots": "x" * 40,
    }
    for name, token in refused.items():
        r = s.get("/api/v1/users/me", token=token)
        assert r.status == 401, name
        assert r.header("www-authenticate").startswith("Bearer"), name


def test_a_token_from_a_server_with_another_secret_is_refused(make_server):
    a = make_server(env={**admin_env(), "SHOPD_JWT_SECRET": SECRET})
    b = make_server(env={**admin_env(), "SHOPD_JWT_SECRET": SECRET[::-1]})
    token = admin_token(a)
    assert a.get("/api/v1/users/me", token=token).status == 200
    assert b.get("/api/v1/users/me", token=token).status == 401


def test_generated_secret_is_shared_by_replicas_on_one_database(make_server, tmp_path):
    db = str(tmp_path / "shared.db")
    a = make_server(env=admin_env(), db=db)
    b = make_server(env=admin_env(), db=db)
    u, token, email, password = new_customer(a)
    r = b.get("/api/v1/users/me", token=token)
    assert r.status == 200 and r.json["id"] == u["id"]
    # Refresh tokens live in the database: one server's works on the other.
    refresh = login_response(a, email, password).json["refresh_token"]
    assert b.post("/api/v1/auth/refresh", {"refresh_token": refresh}).status == 200
    assert a.post("/api/v1/auth/refresh", {"refresh_token": refresh}).status == 401
    # The secret survives a restart, so tokens do too.
    a.stop()
    c = make_server(env=admin_env(), db=db)
    assert c.get("/api/v1/users/me", token=token).status == 200
    con = sqlite3.connect(db)
    try:
        (secret,) = con.execute("SELECT value FROM user_secrets").fetchone()
    finally:
        con.close()
    assert len(secret) >= 32
    for s in (a, b, c):
        text = s.log_text()
        assert "SHOPD_JWT_SECRET" in text  # the warning that one was generated
        assert secret not in text


def test_short_secret_stops_start_up_with_exit_2(tmp_path):
    for cmd in (["serve", "--port", "0"], ["migrate"]):
        r = run_cli(cmd + ["--db", str(tmp_path / "x.db")], env={"SHOPD_JWT_SECRET": "too-short"})
        assert r.returncode == 2, r
        assert "SHOPD_JWT_SECRET" in r.stderr
        assert "too-short" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_bad_admin_settings_stop_start_up(tmp_path):
    r = run_cli(["serve", "--port", "0", "--db", str(tmp_path / "x.db")],
                env={**CHEAP_KDF, "SHOPD_ADMIN_EMAIL": "not-an-email", "SHOPD_ADMIN_PASSWORD": "long-enough-1"})
    assert r.returncode == 2 and "SHOPD_ADMIN_EMAIL" in r.stderr
    r = run_cli(["serve", "--port", "0", "--db", str(tmp_path / "y.db")],
                env={**CHEAP_KDF, "SHOPD_ADMIN_EMAIL": "root@example.com", "SHOPD_ADMIN_PASSWORD": "short"})
    assert r.returncode == 2 and "SHOPD_ADMIN_PASSWORD" in r.stderr and "short" not in r.stderr.split(":", 1)[0]


# --- shopd user create ---

def test_user_create_cli(make_server, tmp_path):
    db = str(tmp_path / "cli.db")
    r = run_cli(["user", "create", "--db", db, "--email", " Root@Example.com", "--password", "root-password-1",
                 "--admin"], env=CHEAP_KDF)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) == 1
    assert "root@example.com" in r.stdout and "admin" in r.stdout
    assert "root-password-1" not in r.stdout + r.stderr

    r = run_cli(["user", "create", "--db", db, "--email", "ROOT@example.com", "--password", "another-pass-1"],
                env=CHEAP_KDF)
    assert r.returncode == 2 and "exists" in r.stderr
    r = run_cli(["user", "create", "--db", db, "--email", "bad", "--password", "another-pass-1"], env=CHEAP_KDF)
    assert r.returncode == 2 and "email" in r.stderr
    r = run_cli(["user", "create", "--db", db, "--email", "ok@example.com", "--password", "short"], env=CHEAP_KDF)
    assert r.returncode == 2 and "password" in r.stderr
    r = run_cli(["user", "create", "--db", db, "--email", "ok@example.com"], env=CHEAP_KDF)
    assert r.returncode == 2
    r = run_cli(["user", "create", "--db", db, "--email", "plain@example.com", "--password", "plain-pass-1"],
                env=CHEAP_KDF)
    assert r.returncode == 0 and "customer" in r.stdout

    s = make_server(db=db)
    admin = login_response(s, "root@example.com", "root-password-1").json
    assert admin["user"]["role"] == "admin"
    assert s.get("/api/v1/users", token=admin["access_token"]).status == 200
    customer = login(s, "plain@example.com", "plain-pass-1")
    assert s.get("/api/v1/users", token=customer).status == 403


# --- what never reaches the log ---

def test_no_password_hash_or_token_in_the_log(server):
    secrets = [ADMIN_PASSWORD]
    u, token, email, password = new_customer(server)
    secrets += [token, password]
    pair = login_response(server, email, password).json
    secrets += [pair["access_token"], pair["refresh_token"]]
    refreshed = server.post("/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]}).json
    secrets += [refreshed["access_token"], refreshed["refresh_token"]]
    server.post("/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]})  # re-use: logged as a warning
    server.post("/api/v1/auth/logout", {"refresh_token": refreshed["refresh_token"]})
    login_response(server, email, "a-wrong-password-9")
    secrets.append("a-wrong-password-9")
    new_password = "a-new-password-7"
    server.request("PATCH", "/api/v1/users/me", body={"password": new_password, "current_password": password},
                   token=token)
    secrets.append(new_password)
    server.get("/api/v1/users/me", token=token + "tampered")
    admin_token(server)
    con = sqlite3.connect(server.db)
    try:
        hashes = [h for (h,) in con.execute("SELECT password_hash FROM users")]
        secrets += [h for (h,) in con.execute("SELECT token_hash FROM refresh_tokens")]
    finally:
        con.close()
    secrets += hashes
    text = server.log_text()
    assert "request" in text  # the log is being written
    assert "$argon2id$" not in text
    for s in secrets:
        assert s not in text, s[:12]

"""Section 2 of the contract: the ops endpoints, and section 1's conventions that every
endpoint shares (problem+json, request ids)."""
import json
import re


def test_healthz(server):
    r = server.get("/healthz")
    assert r.status == 200
    assert r.json == {"status": "ok"}
    assert r.header("content-type").startswith("application/json")


def test_readyz_when_migrated(server):
    r = server.get("/readyz")
    assert r.status == 200
    assert r.json["status"] == "ready"


def test_metrics_exposition(server):
    server.get("/healthz")
    server.get("/no/such/path")
    r = server.get("/metrics")
    assert r.status == 200
    assert r.header("content-type").startswith("text/plain")
    text = r.body
    assert re.search(r'shopd_http_requests_total\{route="/healthz",method="GET",status="200"\} [1-9]', text)
    assert re.search(r'shopd_http_requests_total\{route="unmatched",method="GET",status="404"\} [1-9]', text)
    assert "# TYPE shopd_http_request_duration_seconds histogram" in text
    assert 'shopd_http_request_duration_seconds_bucket{le="+Inf"}' in text
    assert "shopd_http_requests_in_flight" in text
    assert "shopd_db_busy_retries_total" in text


def test_openapi_document(server):
    r = server.get("/api/v1/openapi.json")
    assert r.status == 200
    doc = r.json
    assert doc["openapi"].startswith("3.1")
    for path in ["/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"]:
        assert path in doc["paths"], path
    assert "Problem" in doc["components"]["schemas"]


def test_openapi_lists_every_route(make_server):
    """Each route the gateway serves appears in the document (at debug level the log lists routes)."""
    server = make_server(env={"SHOPD_LOG_LEVEL": "debug"})
    doc = server.get("/api/v1/openapi.json").json
    methods = ("get", "post", "put", "patch", "delete")
    documented = {(m.upper(), path) for path, item in doc["paths"].items() for m in item if m in methods}
    for path, item in doc["paths"].items():
        for key in item:
            assert key in methods + ("parameters", "summary", "description"), (path, key)
    # Every route the server logs at start-up is documented.
    routes = [l for l in server.log_lines() if l.get("msg") == "route"]
    assert routes, "the server lists its routes at start-up"
    missing = [(r["method"], r["path"]) for r in routes if (r["method"], r["path"]) not in documented]
    assert not missing, missing


def test_openapi_fragments_do_not_redefine_each_others_components():
    """The server merges the modules' fragments into one components namespace
    (assemble_openapi in src/gateway/ops.cpp), a later fragment silently replacing an earlier
    one's entry of the same name: the order module's `Address` once replaced the user
    module's, and the document forbade the `id` every saved address has."""
    import glob
    import os
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    seen = {}
    clashes = []
    for path in [os.path.join(root, "src", "gateway", "openapi_core.json")] + sorted(
            glob.glob(os.path.join(root, "modules", "*", "openapi.json"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for kind, entries in (json.loads(text).get("components", {}) if text else {}).items():
            for name in entries:
                if (kind, name) in seen:
                    clashes.append((kind, name, seen[(kind, name)], os.path.relpath(path, root)))
                seen[(kind, name)] = os.path.relpath(path, root)
    assert not clashes, clashes


def test_each_openapi_fragment_refers_only_to_its_own_and_the_cores_components():
    """A process may serve any group of modules (--modules): a fragment that used another
    module's schema would leave that process's document with a dangling $ref (search once
    described its hits through the catalogue's Product)."""
    import glob
    import os
    import re
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    with open(os.path.join(root, "src", "gateway", "openapi_core.json"), encoding="utf-8") as f:
        core = json.load(f).get("components", {})
    dangling = []
    for path in sorted(glob.glob(os.path.join(root, "modules", "*", "openapi.json"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        own = json.loads(text).get("components", {})
        for kind, name in re.findall(r'"#/components/(\w+)/(\w+)"', text):
            if name not in own.get(kind, {}) and name not in core.get(kind, {}):
                dangling.append((os.path.relpath(path, root), kind, name))
    assert not dangling, dangling


def test_request_id_echoed_when_valid(server):
    r = server.get("/healthz", headers={"X-Request-Id": "abc-DEF_123.x:y"})
    assert r.header("x-request-id") == "abc-DEF_123.x:y"
    line = [l for l in server.log_lines() if l.get("id") == "abc-DEF_123.x:y"]
    assert line and line[0]["status"] == 200 and line[0]["route"] == "/healthz"
    assert {"ts", "method", "bytes", "us"} <= set(line[0])


def test_request_id_generated_when_missing_or_invalid(server):
    a = server.get("/healthz").header("x-request-id")
    b = server.get("/healthz").header("x-request-id")
    assert a and b and a != b
    for bad in ["", "x" * 129, "white space", "semi;colon", "é"]:
        rid = server.get("/healthz", headers={"X-Request-Id": bad}).header("x-request-id")
        assert rid and rid != bad
        assert re.fullmatch(r"[A-Za-z0-9\-_.:]{1,128}", rid)


def test_request_id_with_crlf_never_reaches_a_header(server):
    raw = server.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rX-Injected: 1\r\nConnection: close\r\n\r\n")
    assert b"X-Injected" not in raw.split(b"\r\n\r\n")[0].replace(b"X-Request-Id", b"")


def test_not_found_is_problem_json(server):
    r = server.get("/api/v1/nothing-here")
    assert r.status == 404
    assert r.header("content-type") == "application/problem+json"
    body = r.json
    assert body["code"] == "not_found"
    assert body["status"] == 404
    assert {"type", "title", "detail"} <= set(body)


def test_wrong_method_is_405_with_allow(server):
    r = server.request("DELETE", "/healthz")
    assert r.status == 405
    assert r.json["code"] == "method_not_allowed"
    assert "GET" in r.header("allow")
    r = server.post("/metrics", body={})
    assert r.status == 405


def test_head_is_served_without_body(server):
    c = server.conn()
    c.request("HEAD", "/healthz")
    r = c.getresponse()
    assert r.status == 200
    assert r.read() == b""
    assert int(r.getheader("Content-Length")) > 0
    c.close()


def test_ops_endpoints_are_never_rate_limited(make_server):
    s = make_server(env={"SHOPD_RATE_LIMIT_RPS": "1", "SHOPD_RATE_LIMIT_BURST": "2"})
    statuses = [s.get("/api/v1/products").status for _ in range(5)]
    assert 429 in statuses
    for path in ["/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"]:
        assert s.get(path).status == 200, path


def test_metrics_need_the_token_when_one_is_set(make_server):
    s = make_server(env={"SHOPD_METRICS_TOKEN": "scrape-token-0123456789"})
    r = s.get("/metrics")
    assert r.status == 401 and r.json["code"] == "unauthorized", r
    assert r.header("www-authenticate") == "Bearer"
    assert s.get("/metrics", headers={"Authorization": "Bearer wrong"}).status == 401
    r = s.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"})
    assert r.status == 200 and "shopd_http_requests_total" in r.body, r
    assert "scrape-token" not in s.log_text()


def test_the_database_file_is_for_its_owner_only(make_server):
    import os
    import stat
    from shopd import ON_POSTGRES
    if ON_POSTGRES:
        return  # a PostgreSQL server keeps its own files
    s = make_server()
    assert stat.S_IMODE(os.stat(s.db).st_mode) == 0o600


def test_placeholder_and_short_secrets_stop_start_up_with_one_line(tmp_path):
    from shopd import run_cli
    for env, named in [({"SHOPD_WEBHOOK_SECRET": "replace-me-webhook-secret"}, "SHOPD_WEBHOOK_SECRET"),
                       ({"SHOPD_WEBHOOK_SECRET": "too-short-secret"}, "SHOPD_WEBHOOK_SECRET"),
                       ({"SHOPD_ADMIN_EMAIL": "a@b.co", "SHOPD_ADMIN_PASSWORD": "replace-me-admin-password"},
                        "SHOPD_ADMIN_PASSWORD")]:
        r = run_cli(["serve", "--port", "0", "--db", str(tmp_path / "shop.db")], env=env)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        assert r.returncode == 2 and len(lines) == 1 and named in lines[0], (env, r.stderr)
        assert "replace-me" not in lines[0] and "too-short" not in lines[0]


def test_a_placeholder_password_in_a_postgres_url_stops_start_up_before_connecting(tmp_path):
    """The PostgreSQL overlay ships SHOPD_DB with the password `replace-me`: start-up refuses it
    with one line naming the setting and never its value, before any connection is tried (the
    port below has no server, so trying would end in exit 1 and "cannot connect")."""
    import socket
    from shopd import run_cli
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for url in [f"postgres://shop:replace-me@127.0.0.1:{port}/shop",
                f"postgresql://shop@127.0.0.1:{port}/shop?password=replace-me-db-password",
                f"postgres://shop:change-me-please@127.0.0.1:{port}/shop"]:
        r = run_cli(["serve", "--port", "0"], env={"SHOPD_DB": url}, cwd=tmp_path)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        assert r.returncode == 2 and len(lines) == 1 and "SHOPD_DB" in lines[0], (url, r.stderr)
        assert "replace-me" not in r.stderr and "change-me" not in r.stderr and "cannot connect" not in r.stderr
        assert r.stdout == ""


def test_the_compose_files_placeholder_admin_password_stops_start_up(tmp_path):
    from shopd import run_cli
    r = run_cli(["serve", "--port", "0", "--db", str(tmp_path / "shop.db")],
                env={"SHOPD_ADMIN_EMAIL": "a@b.co", "SHOPD_ADMIN_PASSWORD": "change-me-please"})
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert r.returncode == 2 and len(lines) == 1 and "SHOPD_ADMIN_PASSWORD" in lines[0], r.stderr
    assert "change-me" not in lines[0]

"""A contract clients can trust (issue 21): the served OpenAPI document names every operation
and says who may call it, Redocly's recommended rules find nothing in it, and a client
generated from it by tools nobody here wrote walks the README's flow against a real server.

The npm tools are pinned in package.json here and installed by scripts/install-deps
(`npm ci` into node_modules); tests/contract/ holds the walk (walk.ts) and its tsconfig."""
import json
import os
import re
import shutil
import subprocess

import pytest

from shopd import ADMIN_EMAIL, ADMIN_PASSWORD, admin_env, admin_token

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_MODULES = os.path.join(HERE, "node_modules")
CONTRACT = os.path.join(HERE, "..", "contract")
METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]*$")
# Every npm step is bounded; the slowest (tsc over the generated types) takes ~15 s on 2 cores.
STEP_TIMEOUT = 240


def operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield method, path, op


def tool(*relative):
    path = os.path.join(NODE_MODULES, *relative)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: run scripts/install-deps (npm ci in tests/integration)")
    return path


def node():
    found = shutil.which("node")
    if not found:
        pytest.fail("node is missing: run scripts/install-deps")
    return found


def run(args, cwd, env=None):
    """Runs one npm tool with Redocly's telemetry and update check off; its output on failure."""
    e = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true", NO_COLOR="1")
    e.update(env or {})
    r = subprocess.run([node()] + args, cwd=cwd, env=e, capture_output=True, text=True, timeout=STEP_TIMEOUT,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, f"{' '.join(args)} exited {r.returncode}:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    return r


def served_document(server, directory):
    r = server.get("/api/v1/openapi.json")
    assert r.status == 200
    path = os.path.join(directory, "openapi.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(r.body)
    return r.json, path


def test_every_operation_has_an_operation_id_and_a_security_entry(server):
    """A route added without them fails here (and in Redocly's lint below)."""
    doc = server.get("/api/v1/openapi.json").json
    schemes = set(doc["components"]["securitySchemes"])
    assert "security" not in doc, "no document-wide default: each operation says who may call it"
    seen = {}
    count = 0
    for method, path, op in operations(doc):
        where = f"{method.upper()} {path}"
        op_id = op.get("operationId")
        assert op_id and OPERATION_ID.match(op_id), f"{where}: operationId {op_id!r} is not camelCase"
        assert op_id not in seen, f"{where}: operationId {op_id} is also {seen[op_id]}'s"
        seen[op_id] = where
        assert isinstance(op.get("security"), list), f"{where}: no security entry (public ones say [])"
        for requirement in op["security"]:
            assert set(requirement) <= schemes, f"{where}: unknown scheme in {requirement}"
            assert all(v == [] for v in requirement.values()), where
        count += 1
    assert count >= 100


def test_security_entries_say_what_the_server_asks_for(server):
    """Without credentials, an operation whose security needs one answers 401, and one that is
    public (`[]`) or has an anonymous alternative (`{}`) does not answer 401 or 403."""
    doc = server.get("/api/v1/openapi.json").json
    checked = {"needs": 0, "open": 0}
    for method, path, op in operations(doc):
        target = re.sub(r"\{(\w+)\}", lambda m: f"nope_{m.group(1)}", path)
        security = op["security"]
        r = server.request(method.upper(), target, headers={"Idempotency-Key": "contract-" + op["operationId"]})
        if security and {} not in security:
            assert r.status == 401 and r.json["code"] == "unauthorized", (method, path, r)
            checked["needs"] += 1
        else:
            assert r.status not in (401, 403), (method, path, security, r)
            checked["open"] += 1
    assert checked["needs"] >= 60 and checked["open"] >= 25, checked


def test_a_metrics_token_is_the_metrics_token_scheme(make_server):
    """/metrics says `{}` or metricsToken: open without SHOPD_METRICS_TOKEN (above), 401
    without it when it is set, and an access token is not it."""
    server = make_server(env=dict(admin_env(), SHOPD_METRICS_TOKEN="m" * 40))
    doc = server.get("/api/v1/openapi.json").json
    assert doc["paths"]["/metrics"]["get"]["security"] == [{}, {"metricsToken": []}]
    assert doc["components"]["securitySchemes"]["metricsToken"]["scheme"] == "bearer"
    assert server.get("/metrics").status == 401
    assert server.get("/metrics", token=admin_token(server)).status == 401
    assert server.get("/metrics", token="m" * 40).status == 200


def test_redocly_finds_nothing_in_the_served_document(server, tmp_path):
    """`redocly lint --extends=recommended`: 0 errors and 0 warnings."""
    cli = tool("@redocly", "cli", "bin", "cli.js")
    _, path = served_document(server, tmp_path)
    r = run([cli, "lint", "--extends=recommended", "--format=json", path], cwd=tmp_path)
    report = json.loads(r.stdout)
    problems = [f"{p['severity']} {p['ruleId']}: {p['message']} at {p['location'][0].get('pointer')}"
                for p in report["problems"]]
    assert report["totals"]["errors"] == 0 and report["totals"]["warnings"] == 0, "\n".join(problems[:40])
    assert report["version"].startswith("1.34.")


def test_redocly_would_catch_an_operation_without_an_id_or_security(server, tmp_path):
    """The lint above can fail: the same document less one operationId and one security entry."""
    cli = tool("@redocly", "cli", "bin", "cli.js")
    doc, _ = served_document(server, tmp_path)
    del doc["paths"]["/api/v1/orders"]["post"]["operationId"]
    del doc["paths"]["/api/v1/search"]["get"]["security"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    e = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true", NO_COLOR="1")
    r = subprocess.run([node(), cli, "lint", "--extends=recommended", "--format=json", str(broken)], cwd=tmp_path,
                       env=e, capture_output=True, text=True, timeout=STEP_TIMEOUT, stdin=subprocess.DEVNULL)
    assert r.returncode != 0  # an error (security-defined) fails the lint
    rules = sorted(p["ruleId"] for p in json.loads(r.stdout)["problems"])
    assert rules == ["operation-operationId", "security-defined"], rules


def test_a_generated_typed_client_walks_the_readme_flow(server, tmp_path):
    """openapi-typescript generates schema.d.ts from the served document, `tsc --strict`
    compiles tests/contract/walk.ts (openapi-fetch) against it, and node runs it: register,
    sign in, an admin's product, shipping, tax and discount, cart, quote, order, payment with
    the sandbox card, the order read back; then a guest checkout with its X-Order-Token."""
    generate = tool("openapi-typescript", "bin", "cli.js")
    tsc = tool("typescript", "bin", "tsc")
    tool("openapi-fetch", "package.json")
    work = tmp_path / "walk"
    work.mkdir()
    for name in ("walk.ts", "tsconfig.json", "package.json"):
        shutil.copy(os.path.join(CONTRACT, name), work / name)
    os.symlink(NODE_MODULES, work / "node_modules")
    _, path = served_document(server, tmp_path)
    # Defaults make a field optional to send, not required: --default-non-nullable=false.
    run([generate, path, "--output", str(work / "schema.d.ts"), "--default-non-nullable=false"], cwd=work)
    run([tsc, "-p", str(work / "tsconfig.json"), "--strict", "--noEmit", "false"], cwd=work)
    r = run([str(work / "out" / "walk.js")], cwd=work, env={
        "SHOPD_URL": f"http://127.0.0.1:{server.port}",
        "SHOPD_ADMIN_EMAIL": ADMIN_EMAIL, "SHOPD_ADMIN_PASSWORD": ADMIN_PASSWORD})
    lines = r.stdout.splitlines()
    assert lines[-1].startswith("walk: ") and lines[-1].endswith(" passed, 0 failed"), r.stdout
    for step in ("createPayment (201)", "getOrder (200)", "createOrder (guest) (201)", "getOrder (guest) (200)"):
        assert f"ok {step}" in lines, (step, r.stdout)
    # The walk's orders are the server's: one paid order of the customer's, one of the guest's.
    orders = server.get("/api/v1/orders", token=admin_token(server)).json["items"]
    assert sorted(o["status"] for o in orders) == ["paid", "paid"], orders
    assert sorted(o["user_id"] is None for o in orders) == [False, True], orders


def test_every_pinned_npm_tool_runs_on_debian_12s_node(tmp_path):
    """CI installs Debian 12's nodejs (18.19); this machine may have a newer one, so a pin that
    needs Node 20 would pass here and break there: every package in the lock file must allow
    18.19 by its `engines`."""
    semver = tool("semver", "package.json")
    script = tmp_path / "engines.cjs"
    script.write_text(
        "const semver = require(process.argv[2]);\n"
        "const lock = require(process.argv[3]);\n"
        "const bad = Object.entries(lock.packages).filter(([, p]) => p.engines && p.engines.node\n"
        "  && !semver.satisfies('18.19.0', p.engines.node)).map(([k, p]) => `${k}@${p.version}: ${p.engines.node}`);\n"
        "console.log(JSON.stringify({count: Object.keys(lock.packages).length, bad}));\n", encoding="utf-8")
    r = run([str(script), os.path.dirname(semver), os.path.join(HERE, "package-lock.json")], cwd=tmp_path)
    out = json.loads(r.stdout)
    assert out["bad"] == [], out["bad"]
    assert out["count"] > 200

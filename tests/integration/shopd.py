"""Starts the real shopd binary on a free loopback port with a temp database, and speaks
HTTP/1.1 to it. Shared by every integration test."""
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

import openapi_check

BIN = os.environ.get("SHOPD_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "src", "shopd")

# The backend switch: SHOPD_TEST_DB=postgres runs every server on PostgreSQL at
# SHOPD_TEST_PG_URL instead of SQLite. A database path still names the database: the same
# path gives the same (fresh at first use) schema, so tests sharing a path share a shop.
ON_POSTGRES = os.environ.get("SHOPD_TEST_DB") == "postgres"
PG_URL = os.environ.get("SHOPD_TEST_PG_URL", "")
PSQL = os.path.join(os.environ["PG_BIN"], "psql") if os.environ.get("PG_BIN") and os.path.exists(
    os.path.join(os.environ["PG_BIN"], "psql")) else "psql"


def psql(sql, url=None):
    """Runs SQL on the test PostgreSQL server; returns stdout (unaligned, tuples only)."""
    r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url or PG_URL, "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"psql failed: {r.stderr}")
    return r.stdout


def pg_schema_for(path):
    return "it_" + hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:20]


def pg_url_for_schema(schema):
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}%2Cpublic"


_schemas = set()


def db_name(path):
    """What shopd's --db gets for a test database path: the path itself on SQLite, the URL
    of the path's own schema (created on first use) on PostgreSQL."""
    if not ON_POSTGRES or path is None or path.startswith(("postgres://", "postgresql://")):
        return path
    if not PG_URL:
        raise RuntimeError("SHOPD_TEST_DB=postgres needs SHOPD_TEST_PG_URL")
    schema = pg_schema_for(path)
    if schema not in _schemas:
        psql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        _schemas.add(schema)
    return pg_url_for_schema(schema)


class Response:
    def __init__(self, status, headers, body, content=None):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body
        self.content = content if content is not None else body.encode()  # the bytes as sent
        self._json = None

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def json(self):
        if self._json is None:
            self._json = json.loads(self.body)
        return self._json

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Server:
    """One shopd process. Logs go to a file (never a pipe nobody reads)."""

    def __init__(self, env=None, args=(), db=None, workdir=None, backend=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="shopd-it-")
        self.dir = workdir or self.tmp.name
        self.db = db or os.path.join(self.dir, "shop.db")
        # backend="sqlite": this server keeps its path a SQLite file even under the switch.
        self.backend = backend
        self.log_path = os.path.join(self.dir, f"shopd-{time.monotonic_ns()}.log")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPD_")}
        self.env.update({
            "SHOPD_LOG_LEVEL": "info",
            # Tests hammer one address; they switch limits on where they test them.
            "SHOPD_RATE_LIMIT_RPS": "0",
            # Fast password hashing keeps the suite quick; production defaults are stronger.
            "SHOPD_ARGON2_OPS": "1",
            "SHOPD_ARGON2_MEM_KIB": "64",
        })
        self.env.update(env or {})
        self.args = list(args)
        self.proc = None
        self.port = None

    # Generous: a --demo start on PostgreSQL while other test workers run takes seconds.
    def start(self, timeout=45):
        # A restart reads the port from this run's lines of the log, not the last run's.
        seen = len(self.log_lines()) if os.path.exists(self.log_path) else 0
        self.port = None
        if getattr(self, "log", None):
            self.log.close()
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--db", self.db if self.backend == "sqlite" else db_name(self.db)] + self.args,
            env=self.env, cwd=self.dir, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while time.time() < deadline:
            for line in self.log_lines()[seen:]:
                if line.get("msg") == "listening":
                    self.port = line["port"]
            if self.port:
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"shopd exited with {self.proc.returncode}: {self.log_text()}")
            time.sleep(0.02)
        raise RuntimeError("shopd did not start: " + self.log_text())

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def log_lines(self):
        out = []
        for raw in self.log_text().splitlines():
            try:
                out.append(json.loads(raw))
            except ValueError:
                pass
        return out

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        return self.proc.returncode

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def close(self):
        try:
            self.stop()
        finally:
            self.log.close()
            self.tmp.cleanup()

    # --- HTTP ---
    def conn(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, token=None, raw=None, check_contract=True):
        """One HTTP request. Unless check_contract=False, the answer must be one the served
        OpenAPI document describes (openapi_check.py), else the test fails here."""
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        if check_contract:
            openapi_check.prepare(self)
        c = self.conn()
        try:
            c.request(method, path, body=data, headers=headers)
            r = c.getresponse()
            content = r.read()
            res = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, content.decode(errors="replace"),
                           content)
        finally:
            c.close()
        if check_contract:
            openapi_check.check(self, method, path, res, headers)
        return res

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def raw(self, data, timeout=5):
        """Sends raw bytes on a fresh connection; returns all bytes read until close or timeout."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(data)
            chunks = []
            while True:
                try:
                    b = s.recv(65536)
                except (socket.timeout, ConnectionResetError):
                    break
                if not b:
                    break
                chunks.append(b)
            return b"".join(chunks)
        finally:
            s.close()


def run_cli(args, env=None, cwd=None, timeout=60):
    e = {k: v for k, v in os.environ.items() if not k.startswith("SHOPD_")}
    e.update(env or {})
    args = list(args)
    # On PostgreSQL, a --db path names the same schema a Server with that path uses.
    for i in range(len(args) - 1):
        if args[i] == "--db":
            args[i + 1] = db_name(str(args[i + 1]))
    return subprocess.run([BIN] + args, env=e, cwd=cwd, capture_output=True, text=True, timeout=timeout)


# --- accounts (API.md section 3) ---
ADMIN_EMAIL = "admin@shop.test"
ADMIN_PASSWORD = "admin-password-1"


def admin_env():
    """Environment that makes shopd create the first admin at start-up."""
    return {"SHOPD_ADMIN_EMAIL": ADMIN_EMAIL, "SHOPD_ADMIN_PASSWORD": ADMIN_PASSWORD}


def login(server, email, password):
    r = server.post("/api/v1/auth/login", {"email": email, "password": password})
    assert r.status == 200, r
    return r.json["access_token"]


def admin_token(server):
    """An access token of the bootstrap admin (start the server with admin_env())."""
    return login(server, ADMIN_EMAIL, ADMIN_PASSWORD)


_seq = [0]


def new_customer(server, name="Test Customer"):
    """Registers a fresh customer; returns (user, access_token, email, password)."""
    _seq[0] += 1
    email = f"customer{_seq[0]}.{time.monotonic_ns()}@shop.test"
    password = "customer-password-1"
    r = server.post("/api/v1/users", {"email": email, "password": password, "name": name})
    assert r.status == 201, r
    return r.json, login(server, email, password), email, password

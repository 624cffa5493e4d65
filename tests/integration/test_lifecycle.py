"""Section 9: the binary's CLI, configuration errors, SIGTERM draining, online backup."""
import json
import os
import signal
import socket
import sqlite3
import threading
import time

from shopd import Server, run_cli


def test_version_and_help():
    r = run_cli(["--version"])
    assert r.returncode == 0 and r.stdout.startswith("shopd ")
    r = run_cli(["--help"])
    assert r.returncode == 0
    for word in ["serve", "migrate", "backup", "--config", "--db"]:
        assert word in r.stdout


def test_bad_settings_exit_2_with_one_line_naming_them(tmp_path):
    r = run_cli(["serve", "--db", str(tmp_path / "x.db")], env={"SHOPD_PORT": "notaport"})
    assert r.returncode == 2
    assert "SHOPD_PORT" in r.stderr and len(r.stderr.strip().splitlines()) == 1

    cfg = tmp_path / "bad.json"
    cfg.write_text(json.dumps({"server": {"prot": 8080}}))
    r = run_cli(["serve", "--config", str(cfg), "--db", str(tmp_path / "x.db")])
    assert r.returncode == 2 and "server.prot" in r.stderr

    r = run_cli(["serve", "--port", "99999", "--db", str(tmp_path / "x.db")])
    assert r.returncode == 2

    r = run_cli(["frobnicate"])
    assert r.returncode == 2


def test_config_file_then_env_then_flags(tmp_path):
    cfg = tmp_path / "shop.json"
    cfg.write_text(json.dumps({"server": {"max_body": 100}, "shop": {"currency": "EUR"}}))
    s = Server(env={"SHOPD_MAX_BODY": "200"}, args=["--config", str(cfg)]).start()
    try:
        assert s.request("POST", "/x", raw=b"y" * 150).status != 413  # env beat the file
        assert s.request("POST", "/x", raw=b"y" * 250).status == 413
    finally:
        s.close()


def test_migrate_creates_and_is_idempotent(tmp_path):
    db = str(tmp_path / "m.db")
    counts = []
    for _ in range(2):
        r = run_cli(["migrate", "--db", db])
        assert r.returncode == 0, r.stderr
        con = sqlite3.connect(db)
        counts.append(con.execute("select count(*) from schema_migrations").fetchone()[0])
        con.close()
    assert counts[0] >= 1 and counts[0] == counts[1]


def test_default_database_path(tmp_path):
    r = run_cli(["migrate"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "data" / "shopd.db").exists()


def test_sigterm_finishes_the_request_in_flight_and_exits_0(server):
    # A request whose headers have started is in flight; so is one mid-body.
    a = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    a.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345")
    b = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    b.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n")
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    time.sleep(0.2)
    server.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    # While requests are in flight, a new probe is still answered: not ready, and goodbye.
    c = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    c.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
    rc = c.recv(65536)
    assert rc.startswith(b"HTTP/1.1 503") and b"draining" in rc and b"Connection: close" in rc, rc
    # So is a request on a keep-alive connection that was idle.
    idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    ri = idle.recv(65536)
    assert ri.startswith(b"HTTP/1.1 200") and b"Connection: close" in ri, ri
    b.sendall(b"\r\n")
    rb = b.recv(65536)
    assert rb.startswith(b"HTTP/1.1 503"), rb
    assert b"draining" in rb
    a.sendall(b"67890")
    ra = a.recv(65536)
    assert ra.startswith(b"HTTP/1.1 405"), ra
    assert b"Connection: close" in ra
    assert server.proc.wait(10) == 0
    # Once the last request is answered the listener is gone.
    try:
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        refused = False
    except OSError:
        refused = True
    assert refused


def test_sigint_also_exits_0(server):
    assert server.stop(signal.SIGINT) == 0


def test_backup_while_serving_passes_integrity_check(server, tmp_path):
    stop = threading.Event()

    def load():
        while not stop.is_set():
            server.get("/readyz")

    t = threading.Thread(target=load)
    t.start()
    try:
        out = tmp_path / "backup.db"
        r = run_cli(["backup", "--db", server.db, "--out", str(out)])
        assert r.returncode == 0, r.stderr
    finally:
        stop.set()
        t.join()
    con = sqlite3.connect(str(out))
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select count(*) from schema_migrations").fetchone()[0] >= 1
    con.close()
    assert server.get("/healthz").status == 200

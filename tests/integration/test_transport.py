"""The HTTP server's transport limits against the real binary: sizes, timeouts, garbage,
keep-alive and pipelining."""
import random
import socket
import threading
import time


def test_body_over_limit_is_413(make_server):
    s = make_server(env={"SHOPD_MAX_BODY": "1024"})
    r = s.request("POST", "/api/v1/anything", raw=b"x" * 5000, headers={"Content-Type": "application/json"})
    assert r.status == 413
    assert r.json["code"] == "payload_too_large"
    assert s.get("/healthz").status == 200


def test_default_body_limit_is_one_mebibyte(server):
    raw = server.raw(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 413")


def test_rejections_keep_a_valid_request_id(server):
    raw = server.raw(b"POST /x HTTP/1.1\r\nHost: x\r\nX-Request-Id: my-req-413\r\nContent-Length: 2000000\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 413") and b"X-Request-Id: my-req-413" in raw, raw[:300]


def test_headers_over_limit_are_431(server):
    r = server.get("/healthz", headers={"X-Big": "a" * 20000})
    assert r.status == 431
    assert r.json["code"] == "header_too_large"


def test_garbage_gets_400_or_close(server):
    raw = server.raw(b"\x00\x01\x02 garbage garbage\r\n\r\n")
    assert raw == b"" or raw.startswith(b"HTTP/1.1 400")
    raw = server.raw(b"GET / HTTP/9.9\r\n\r\n")
    assert raw == b"" or raw.startswith(b"HTTP/1.1 400")
    assert server.get("/healthz").status == 200


def test_two_hundred_garbage_or_truncated_requests_leave_it_serving(server):
    rng = random.Random(1234)
    valid = b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"email\": \"a@b.co\"}"
    for i in range(200):
        kind = i % 4
        if kind == 0:
            data = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300)))
        elif kind == 1:
            data = valid[: rng.randint(1, len(valid) - 1)]
        elif kind == 2:
            b = bytearray(valid)
            for _ in range(5):
                b[rng.randrange(len(b))] = rng.getrandbits(8)
            data = bytes(b)
        else:
            data = b"GET /" + bytes(rng.choice(b"abc/%?&=\x7f ") for _ in range(50)) + b" HTTP/1.1\r\n\r\n"
        out = server.raw(data, timeout=0.3)
        if out:
            status = int(out.split(b" ", 2)[1])
            assert status < 500, (data, out)
    assert server.get("/healthz").status == 200
    assert server.proc.poll() is None


def test_trickling_client_is_cut_off_while_others_are_served(make_server):
    s = make_server(env={"SHOPD_HEADER_TIMEOUT_MS": "700"})
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    closed_after = None
    start = time.time()
    try:
        for ch in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
            sock.sendall(bytes([ch]))
            # Others are served meanwhile.
            assert s.get("/healthz").status == 200
            time.sleep(0.05)
            if time.time() - start > 5:
                break
    except (BrokenPipeError, ConnectionResetError):
        closed_after = time.time() - start
    if closed_after is None:
        sock.settimeout(2)
        try:
            data = sock.recv(100)
            closed_after = time.time() - start if data == b"" else None
        except (ConnectionResetError, socket.timeout):
            closed_after = time.time() - start
    sock.close()
    assert closed_after is not None and closed_after < 4


def test_idle_keepalive_connection_is_closed(make_server):
    s = make_server(env={"SHOPD_IDLE_TIMEOUT_MS": "300"})
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=3)
    sock.settimeout(3)
    assert sock.recv(1) == b""
    sock.close()


def test_keepalive_and_pipelining(server):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    req = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: one\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nX-Request-Id: two\r\n\r\n"
    sock.sendall(req)
    data = b""
    deadline = time.time() + 5
    while data.count(b"HTTP/1.1 200") < 2 and time.time() < deadline:
        data += sock.recv(65536)
    assert data.count(b"HTTP/1.1 200") == 2
    assert data.index(b"one") < data.index(b"two")
    # The connection is still usable.
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b"HTTP/1.1 200" in sock.recv(65536)
    sock.close()


def test_expect_100_continue(server):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
    assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue")
    sock.sendall(b"{}")
    assert sock.recv(65536).startswith(b"HTTP/1.1 405")
    sock.close()


def test_connection_cap_holds(make_server):
    s = make_server(env={"SHOPD_MAX_CONNECTIONS": "20"})
    socks = []
    try:
        for _ in range(20):
            socks.append(socket.create_connection(("127.0.0.1", s.port), timeout=2))
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", s.port), timeout=2)
        extra.settimeout(2)
        try:
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            got = extra.recv(100)
        except (ConnectionResetError, BrokenPipeError):
            got = b""
        assert got == b""
        extra.close()
    finally:
        for x in socks:
            x.close()
    time.sleep(0.2)
    assert s.get("/healthz").status == 200
    metrics = s.get("/metrics").body
    assert "shopd_http_connections_refused_total" in metrics


def test_many_concurrent_clients(server):
    errors = []

    def client():
        try:
            for _ in range(20):
                assert server.get("/healthz").status == 200
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors

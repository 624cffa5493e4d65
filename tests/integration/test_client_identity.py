"""Issue 21, item 7: who a request comes from and which route it reaches cannot be steered
by the client: every X-Forwarded-For line is read, IPv6 clients are limited per /64, and an
encoded "/" (%2F) stays inside its path segment."""
import pytest

from shopd import admin_env, admin_token
from test_orders import make_product, stock_of


def limited_server(make_server):
    # The loopback peer is the trusted proxy; the limit is small enough to reach at once.
    return make_server(env=dict(admin_env(), SHOPD_TRUSTED_PROXIES="127.0.0.1", SHOPD_RATE_LIMIT_RPS="1",
                                SHOPD_RATE_LIMIT_BURST="3"))


def status_with_lines(server, lines):
    """GET /healthz-like public route with the given X-Forwarded-For header lines."""
    head = "".join(f"X-Forwarded-For: {line}\r\n" for line in lines)
    raw = server.raw(f"GET /api/v1/categories HTTP/1.1\r\nHost: x\r\n{head}Connection: close\r\n\r\n".encode())
    return int(raw.split(b" ", 2)[1])


def test_every_forwarded_for_line_counts_so_a_client_line_cannot_pose_as_another_client(make_server):
    server = limited_server(make_server)
    # A client sends a made-up line of its own each time; the proxy appends the real one.
    statuses = [status_with_lines(server, [f"198.51.100.{i}", "203.0.113.9"]) for i in range(6)]
    assert statuses[:3] == [200, 200, 200]
    assert 429 in statuses[3:], statuses  # all six were 203.0.113.9's


def test_ipv6_clients_are_limited_per_64(make_server):
    server = limited_server(make_server)
    same_64 = [status_with_lines(server, [f"2001:db8:1:2::{i:x}"]) for i in range(1, 7)]
    assert 429 in same_64[3:], same_64
    # Another /64 has its own allowance; IPv4 addresses stay separate.
    assert status_with_lines(server, ["2001:db8:1:3::1"]) == 200
    assert status_with_lines(server, ["192.0.2.1"]) == 200
    assert status_with_lines(server, ["192.0.2.2"]) == 200


def test_an_encoded_slash_never_reaches_another_route(server):
    admin = admin_token(server)
    p = make_product(server, admin, stock=5)
    # Decoded whole, this path would be the stock route of the product.
    r = server.post(f"/api/v1/products/{p['id']}%2Fstock", {"delta": 50, "reason": "x"}, token=admin)
    assert r.status in (404, 405), r
    assert stock_of(server, p["id"]) == 5
    r = server.get(f"/api/v1/products/{p['id']}%2Fstock")
    assert r.status == 404 and r.json["code"] == "not_found"
    # An encoded character that is not a separator still decodes within its segment.
    assert server.get("/api/v1/%70roducts").status == 200
    # A malformed escape is a bad request, as before.
    raw = server.raw(b"GET /api/v1/products/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert raw.split(b" ", 2)[1] == b"400"


def served(sock):
    """Sends a keep-alive request on the connection; True when an answer comes back."""
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        return sock.recv(100).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def test_one_address_cannot_hold_more_than_its_share_of_connections(make_server):
    import socket
    import time
    server = make_server(env=dict(admin_env(), SHOPD_MAX_CONNECTIONS_PER_ADDRESS="5"))
    held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(5)]
    try:
        assert all(served(s) for s in held)  # each one taken in and open
        extra = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        assert not served(extra)  # the sixth is closed at once
        extra.close()
        held.pop().close()
        # Once one is gone the address is welcome again.
        deadline = time.time() + 5
        ok = False
        while not ok and time.time() < deadline:
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            ok = served(s)
            s.close()
            time.sleep(0.05)
        assert ok
    finally:
        for s in held:
            s.close()
    assert "shopd_http_connections_refused_total" in server.get("/metrics").body

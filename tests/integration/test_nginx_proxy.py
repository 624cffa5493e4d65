"""The shipped nginx config (deploy/nginx/shopd-proxy.conf) in front of a real shopd (issue 21,
item 6): `/metrics` is for the scraper inside the network, so the balancer answers it with its
own 404 however the path is spelled, while everything else reaches shopd. nginx runs in the
foreground on loopback with its own config, as in test_scale_out.py."""
import pytest

from test_scale_out import NGINX, Nginx, from_shopd

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/install-deps adds it)")

# Spellings of shopd's /metrics: nginx normalises the query, doubled slashes, percent-encoding
# and dot segments before matching a location, and shopd drops empty segments, so a trailing
# slash is /metrics to it (a `location = /metrics` let that one through).
METRICS_SPELLINGS = ["/metrics", "/metrics?format=prometheus", "//metrics", "/%6Detrics", "/./metrics",
                     "/api/../metrics", "/metrics/", "/metrics//", "//metrics/", "/metrics%2F", "/metrics/x"]


@pytest.fixture
def lb(server, tmp_path):
    n = Nginx([server.port], str(tmp_path)).start()
    yield n
    n.stop()


def test_nginx_answers_metrics_itself_and_forwards_the_rest(server, lb):
    # shopd itself serves metrics (no token set): what the balancer must keep inside.
    assert server.get("/metrics").status == 200
    for path in METRICS_SPELLINGS:
        r = lb.get(path, check_contract=False)
        assert r.status == 404 and not from_shopd(r), (path, r)
        assert "shopd_http_requests_total" not in r.body, path
    r = lb.request("HEAD", "/metrics", check_contract=False)
    assert r.status == 404 and not from_shopd(r), r
    # Another spelling goes to shopd, which has no such route: still no metrics.
    r = lb.get("/METRICS")
    assert r.status == 404 and from_shopd(r) and "shopd_http_requests_total" not in r.body, r
    # Everything else is shopd's answer, passed through.
    r = lb.get("/healthz")
    assert r.status == 200 and r.json == {"status": "ok"} and from_shopd(r), r
    r = lb.get("/api/v1/products")
    assert r.status == 200 and from_shopd(r), r
    # nginx never asked the upstream for /metrics (its access log: `up=-` for those).
    metrics_lines = [l for l in lb.access_log() if l.split(" ")[1].startswith("/metrics")]
    assert len(metrics_lines) == len(METRICS_SPELLINGS) + 1, lb.access_log()
    assert all("up=-" in l for l in metrics_lines), metrics_lines

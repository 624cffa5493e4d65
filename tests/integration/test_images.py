"""Section 9, images: uploads checked from their bytes, kept in the database, served from
/media/{id} with a strong ETag and immutable caching."""
import struct
import zlib

import pytest

from shopd import Server, admin_env, admin_token, new_customer, run_cli
from test_orders import make_product


def png(w, h):
    """A real PNG, w x h black pixels."""
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * w for _ in range(h))

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg(w, h):
    """The header of a baseline JPEG: SOI, APP0, SOF0 with the size, EOI."""
    return (b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, h, w) + b"\x01" * 10 + b"\xff\xd9")


def webp(w, h):
    payload = b"\x30\x01\x00\x9d\x01\x2a" + struct.pack("<HH", w, h) + b"\x00" * 8
    return b"RIFF" + struct.pack("<I", 12 + len(payload)) + b"WEBPVP8 " + struct.pack("<I", len(payload)) + payload


def upload(server, token, product_id, data, content_type):
    return server.request("POST", f"/api/v1/products/{product_id}/images", raw=data, token=token,
                          headers={"Content-Type": content_type})


@pytest.fixture
def admin(server):
    return admin_token(server)


def test_upload_lists_the_image_and_media_serves_it_back(server, admin):
    p = make_product(server, admin)
    data = png(8, 5)
    r = upload(server, admin, p["id"], data, "image/png")
    assert r.status == 201, r
    img = r.json
    assert set(img) == {"id", "url", "content_type", "bytes", "width", "height"}
    assert img["url"] == f"/media/{img['id']}" and r.header("location") == img["url"]
    assert (img["content_type"], img["bytes"], img["width"], img["height"]) == ("image/png", len(data), 8, 5)
    product = server.get(f"/api/v1/products/{p['id']}").json
    assert product["images"] == [img["url"]] and product["version"] == p["version"] + 1

    m = server.get(img["url"])
    assert m.status == 200 and m.content == data
    assert m.header("content-type") == "image/png"
    assert m.header("cache-control") == "public, max-age=31536000, immutable"
    assert m.header("x-content-type-options") == "nosniff"
    etag = m.header("etag")
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 66
    again = server.get(img["url"], headers={"If-None-Match": etag})
    assert again.status == 304 and again.content == b"" and again.header("etag") == etag
    assert server.get("/media/img_nosuch").status == 404


def test_jpeg_and_webp_are_read_from_their_headers(server, admin):
    p = make_product(server, admin)
    for data, kind, size in [(jpeg(640, 480), "image/jpeg", (640, 480)), (webp(300, 200), "image/webp", (300, 200))]:
        r = upload(server, admin, p["id"], data, kind)
        assert r.status == 201, r
        assert (r.json["content_type"], r.json["width"], r.json["height"]) == (kind, *size)
        assert server.get(r.json["url"]).content == data


@pytest.mark.parametrize("data, claimed", [
    (png(2, 2), "image/jpeg"),          # not what it claims
    (jpeg(2, 2), "image/png"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    (b"not an image at all", "image/png"),
    (png(2, 2), "application/json"),
])
def test_an_image_that_is_not_what_it_claims_is_415_and_changes_nothing(server, admin, data, claimed):
    p = make_product(server, admin)
    r = upload(server, admin, p["id"], data, claimed)
    assert r.status == 415, r
    assert r.header("content-type") == "application/problem+json" and r.json["code"] == "unsupported_media_type"
    assert server.get(f"/api/v1/products/{p['id']}").json["version"] == p["version"]


def test_the_image_limit_replaces_the_body_limit_on_the_upload_route_only():
    s = Server(env={**admin_env(), "SHOPD_MAX_IMAGE_BYTES": "4096", "SHOPD_MAX_BODY": "2048"}).start()
    try:
        admin = admin_token(s)
        p = make_product(s, admin)
        big = png(40, 10)  # over 2048 bytes of pixels, compressed: pad past the body limit instead
        data = big + b"\x00" * (3000 - len(big))
        r = upload(s, admin, p["id"], data, "image/png")
        assert r.status == 201, r  # above SHOPD_MAX_BODY, within SHOPD_MAX_IMAGE_BYTES
        r = upload(s, admin, p["id"], data + b"\x00" * 2000, "image/png")
        assert r.status == 413 and r.json["code"] == "payload_too_large", r
        # Every other route keeps SHOPD_MAX_BODY.
        r = s.post("/api/v1/categories", {"name": "x" * 3000}, token=admin)
        assert r.status == 413, r
        assert len(s.get(f"/api/v1/products/{p['id']}").json["images"]) == 1
    finally:
        s.close()


def test_delete_removes_the_image_and_its_url(server, admin):
    p = make_product(server, admin)
    keep = upload(server, admin, p["id"], png(1, 1), "image/png").json
    gone = upload(server, admin, p["id"], png(2, 2), "image/png").json
    r = server.request("DELETE", f"/api/v1/products/{p['id']}/images/{gone['id']}", token=admin)
    assert r.status == 204, r
    assert server.get(f"/api/v1/products/{p['id']}").json["images"] == [keep["url"]]
    assert server.get(gone["url"]).status == 404
    r = server.request("DELETE", f"/api/v1/products/{p['id']}/images/{gone['id']}", token=admin)
    assert r.status == 404 and r.json["code"] == "not_found"
    # A PATCH may send the uploaded url back with the product's images.
    r = server.request("PATCH", f"/api/v1/products/{p['id']}",
                       body={"images": [keep["url"], "https://cdn.example.com/a.jpg"]}, token=admin)
    assert r.status == 200, r


def test_uploads_need_an_admin_and_a_known_product(server, admin):
    p = make_product(server, admin)
    _, token, _, _ = new_customer(server)
    assert upload(server, token, p["id"], png(1, 1), "image/png").status == 403
    assert upload(server, None, p["id"], png(1, 1), "image/png").status == 401
    r = upload(server, admin, "prod_nosuch", png(1, 1), "image/png")
    assert r.status == 404 and r.json["code"] == "not_found"


def test_copy_carries_the_images(tmp_path):
    src = str(tmp_path / "src.db")
    s = Server(env=admin_env(), db=src, backend="sqlite").start()
    try:
        admin = admin_token(s)
        p = make_product(s, admin)
        data = png(3, 3)
        url = upload(s, admin, p["id"], data, "image/png").json["url"]
    finally:
        s.close()
    dst = str(tmp_path / "dst.db")
    r = run_cli(["copy", "--from", src, "--to", dst])
    assert r.returncode == 0, r.stderr
    t = Server(env=admin_env(), db=dst, backend="sqlite").start()
    try:
        assert t.get(url).content == data
    finally:
        t.close()

"""Section 7 of the contract, search and suggest, against the real binary: response shape,
ranking, prefix and accent folding, filters, facets, paging, freshness after create /
update / archive, hostile queries, and 10,000 products."""
import concurrent.futures
import http.client
import json
import random
import re
import threading
import time
import urllib.parse
import uuid

import pytest

from shopd import Server, admin_env, admin_token

PRODUCT_FIELDS = {"id", "sku", "name", "description", "price", "currency", "stock", "category_id", "attributes",
                  "images", "status", "version", "created_at", "updated_at"}


@pytest.fixture(scope="module")
def shop():
    s = Server(env=admin_env()).start()
    try:
        yield s, admin_token(s)
    finally:
        s.close()


def word():
    """A word no other product has: letters only, so it is one search token."""
    return "w" + "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(10))


def product(server, token, name, description="", price=1000, stock=10, category_id=None):
    body = {"sku": "S-" + uuid.uuid4().hex[:12], "name": name, "description": description, "price": price,
            "stock": stock}
    if category_id:
        body["category_id"] = category_id
    r = server.post("/api/v1/products", body, token=token)
    assert r.status == 201, r
    return r.json


def category(server, token, name, parent_id=None):
    body = {"name": name}
    if parent_id:
        body["parent_id"] = parent_id
    r = server.post("/api/v1/categories", body, token=token)
    assert r.status == 201, r
    return r.json


def search(server, **params):
    r = server.get("/api/v1/search?" + urllib.parse.urlencode(params))
    assert r.status == 200, r
    return r.json


def ids(server, **params):
    return [p["id"] for p in search(server, **params)["items"]]


def suggest(server, q):
    r = server.get("/api/v1/search/suggest?" + urllib.parse.urlencode({"q": q}))
    assert r.status == 200, r
    return r.json["suggestions"]


def problem(r, status=422, code="validation_failed"):
    assert r.status == status, r
    assert r.header("content-type") == "application/problem+json"
    assert r.json["code"] == code
    return r.json


def test_response_shape(shop):
    server, admin = shop
    w = word()
    cat = category(server, admin, "Lamps " + w)
    p = product(server, admin, f"Desk lamp {w}", "A lamp for the desk", price=4200, category_id=cat["id"])
    r = server.get(f"/api/v1/search?q={w}")
    assert r.status == 200 and r.header("content-type") == "application/json"
    body = r.json
    assert set(body) == {"items", "facets", "total", "next_cursor"}
    assert body["total"] == 1 and body["next_cursor"] is None
    item = body["items"][0]
    assert PRODUCT_FIELDS | {"score", "highlight"} <= set(item)
    assert {k: item[k] for k in PRODUCT_FIELDS} == {k: p[k] for k in PRODUCT_FIELDS}
    assert isinstance(item["score"], (int, float)) and item["score"] > 0
    assert item["highlight"] == {"name": f"Desk lamp <mark>{w}</mark>", "description": "A lamp for the desk"}
    assert body["facets"] == {"category": [{"value": cat["id"], "name": "Lamps " + w, "count": 1}],
                              "options": [], "price": {"min": 4200, "max": 4200}}


def test_search_is_public_and_needs_q(shop):
    server, _ = shop
    problem(server.get("/api/v1/search"))
    for q in ["", "%20%20", "%22%2A%28%29-%3A%5E", "%E2%80%94"]:  # empty, spaces, "*()-:^, an em dash
        r = server.get(f"/api/v1/search?q={q}")
        assert r.status == 200, r
        assert r.json == {"items": [], "facets": {"category": [], "options": [], "price": None},
                          "total": 0, "next_cursor": None}


def test_name_match_ranks_above_description_match(shop):
    server, admin = shop
    w = word()
    in_desc = product(server, admin, "Plain thing", f"It goes with any {w}, really: {w} {w}")
    in_name = product(server, admin, f"The {w}", "Nothing else to say")
    assert ids(server, q=w) == [in_name["id"], in_desc["id"]]
    scores = [i["score"] for i in search(server, q=w)["items"]]
    assert scores[0] > scores[1]


def test_last_word_is_a_prefix_the_others_whole_words(shop):
    server, admin = shop
    w = word()
    p = product(server, admin, f"Running shoe {w}", "Light and quick")
    assert ids(server, q=w[:6]) == [p["id"]]
    assert ids(server, q=f"{w} runn") == [p["id"]]
    assert ids(server, q=f"runn {w}") == []  # only the last word is a prefix
    assert ids(server, q=f"{w} light qui") == [p["id"]]


def test_case_and_accents_are_folded(shop):
    server, admin = shop
    w = word()
    p = product(server, admin, f"Crème brûlée torch {w}", "Caramélise sugar")
    for q in [f"creme {w}", f"CRÈME {w}", f"Creme Brulee {w}", f"{w} caramelise", f"{w.upper()} BRÛL"]:
        assert ids(server, q=q) == [p["id"]], q


def test_created_updated_archived_show_on_the_next_request(shop):
    server, admin = shop
    old, new = word(), word()
    p = product(server, admin, f"Lantern {old}", "For camping")
    assert ids(server, q=old) == [p["id"]]
    assert suggest(server, old[:5]) == [f"Lantern {old}"]

    r = server.request("PATCH", f"/api/v1/products/{p['id']}", body={"name": f"Lantern {new}"}, token=admin)
    assert r.status == 200, r
    assert ids(server, q=old) == []
    hit = search(server, q=new)["items"]
    assert [i["id"] for i in hit] == [p["id"]] and hit[0]["version"] == 2
    assert suggest(server, new) == [f"Lantern {new}"]

    r = server.request("PATCH", f"/api/v1/products/{p['id']}", body={"price": 777}, token=admin)
    assert r.status == 200
    assert search(server, q=new)["items"][0]["price"] == 777
    assert ids(server, q=new, max_price=700) == []

    assert server.request("DELETE", f"/api/v1/products/{p['id']}", token=admin).status == 204
    assert ids(server, q=new) == []
    assert suggest(server, new) == []


def test_filters_category_subtree_and_price(shop):
    server, admin = shop
    w = word()
    home = category(server, admin, "Home " + w)
    kitchen = category(server, admin, "Kitchen " + w, home["id"])
    garden = category(server, admin, "Garden " + w)
    a = product(server, admin, f"{w} kettle", price=3000, category_id=kitchen["id"])
    b = product(server, admin, f"{w} rug", price=9000, category_id=home["id"])
    c = product(server, admin, f"{w} hose", price=1500, category_id=garden["id"])
    d = product(server, admin, f"{w} gift card", price=5000)

    assert set(ids(server, q=w, category=home["id"])) == {a["id"], b["id"]}
    assert ids(server, q=w, category=kitchen["id"]) == [a["id"]]
    assert ids(server, q=w, category=garden["id"]) == [c["id"]]
    assert set(ids(server, q=w, min_price=1500, max_price=5000)) == {a["id"], c["id"], d["id"]}
    assert set(ids(server, q=w, min_price=5000)) == {b["id"], d["id"]}
    assert ids(server, q=w, category=home["id"], max_price=3000) == [a["id"]]

    body = search(server, q=w, limit=1)
    assert body["total"] == 4 and len(body["items"]) == 1
    facets = {f["value"]: (f["name"], f["count"]) for f in body["facets"]["category"]}
    assert facets == {kitchen["id"]: ("Kitchen " + w, 1), home["id"]: ("Home " + w, 1),
                      garden["id"]: ("Garden " + w, 1)}
    assert search(server, q=w, category=home["id"])["total"] == 2


def sized(server, token, name, sku, colours, sizes, price=1000, archived=()):
    """A product with Colour and Size options: a variant per pair, sku SKU-COLOURSIZE (a
    word no other variant has), priced up by 100 a variant; the pairs in `archived`
    archived after creation."""
    variants = [{"sku": f"{sku}-{c}{s}".upper(), "options": {"Colour": c, "Size": s}, "price": price + 100 * i,
                 "stock": 5} for i, (c, s) in enumerate((c, s) for c in colours for s in sizes)]
    r = server.post("/api/v1/products", {"sku": sku, "name": name, "description": "Soft cotton",
                                         "options": [{"name": "Colour", "values": colours},
                                                     {"name": "Size", "values": sizes}],
                                         "variants": variants}, token=token)
    assert r.status == 201, r
    p = r.json
    for v in p["variants"]:
        if (v["options"]["Colour"], v["options"]["Size"]) in archived:
            r = server.request("DELETE", f"/api/v1/products/{p['id']}/variants/{v['id']}", token=token)
            assert r.status == 204, r
    return p


def test_variant_skus_and_option_values_are_found_and_counted(shop):
    """Section 9: search matches variant skus and option values, and its facets gain
    options and price."""
    server, admin = shop
    w = word()
    tee = sized(server, admin, f"Tee {w}", f"{w}-tee", ["Crimson", "Navy"], ["S", "M"], price=1500,
                archived={("Navy", "S")})
    polo = sized(server, admin, f"Polo {w}", f"{w}-polo", ["Crimson"], ["M", "L"], price=3000)
    assert ids(server, q=f"{w}-TEE-CRIMSONM") == [tee["id"]]
    assert ids(server, q=f"{w}-polo-crimsonl") == [polo["id"]]
    assert set(ids(server, q=f"{w} crimson")) == {tee["id"], polo["id"]}  # an option value
    assert ids(server, q=f"{w} navy") == [tee["id"]]                       # Navy M is still for sale
    assert ids(server, q=f"{w}-TEE-NAVYS") == []                            # an archived variant's sku
    assert ids(server, q=f"{w} colour") == []                               # option names are not searched
    item = search(server, q=f"{w} crimson")["items"][0]
    assert item["highlight"]["description"] == "Soft cotton"  # the variants are searched, not shown

    body = search(server, q=w, limit=1)
    assert body["total"] == 2 and len(body["items"]) == 1
    assert body["facets"]["options"] == [
        {"name": "Colour", "values": [{"value": "Crimson", "count": 2}, {"value": "Navy", "count": 1}]},
        {"name": "Size", "values": [{"value": "M", "count": 2}, {"value": "L", "count": 1},
                                    {"value": "S", "count": 1}]}]
    # The tee's variants cost 1500 (Crimson S) to 1800 (Navy M, its S archived); the polo's 3000 to 3100.
    assert body["facets"]["price"] == {"min": 1500, "max": 3100}
    assert search(server, q=w, min_price=2000)["facets"]["price"] == {"min": 3000, "max": 3100}

    # Archiving a variant is seen on the next request, in the matches and the facets.
    v = next(v for v in tee["variants"] if v["sku"] == f"{w}-TEE-CRIMSONS".upper())
    assert ids(server, q=v["sku"]) == [tee["id"]]
    assert server.request("DELETE", f"/api/v1/products/{tee['id']}/variants/{v['id']}", token=admin).status == 204
    assert ids(server, q=v["sku"]) == []
    sizes = search(server, q=w)["facets"]["options"][1]
    assert sizes == {"name": "Size", "values": [{"value": "M", "count": 2}, {"value": "L", "count": 1}]}


def test_bad_parameters_are_422(shop):
    server, _ = shop
    for query in ["q=a&limit=0", "q=a&limit=x", "q=a&cursor=garbage", "q=a&min_price=-1", "q=a&max_price=1.5",
                  "q=a&min_price=10&max_price=5", "q=a&category=cat_does_not_exist", "q=%FF%FE",
                  "q=" + "a" * 501]:
        problem(server.get("/api/v1/search?" + query))
    problem(server.get("/api/v1/search/suggest"))
    assert server.request("POST", "/api/v1/search?q=a").status == 405


def test_hostile_queries_are_text_never_errors(shop):
    server, admin = shop
    w = word()
    p = product(server, admin, f"Quoted {w}", 'Said "hello" & <b>bold</b>')
    for q in ['"', '""', "*", "**", "^", ":", "(", ")", "-", "+", "NEAR", "AND", "OR", "NOT", f'"{w}', f"{w}*",
              f"NEAR({w} x)", f"{w} AND", f"OR {w}", f"-{w}", f"name:{w}", f"{{name}}:{w}", f"^{w}", f"({w}",
              f"{w})", f"'; DROP TABLE data_search_fts; --{w}", "\\", "%", "_", "\x00", "\x01\x02", "😀", "— …",
              f"{w} \"hello\"", "a" * 500]:
        r = server.get("/api/v1/search?" + urllib.parse.urlencode({"q": q}))
        assert r.status == 200, (q, r)
        r = server.get("/api/v1/search/suggest?" + urllib.parse.urlencode({"q": q}))
        assert r.status == 200, (q, r)
    assert ids(server, q=f'"{w}" "hello"') == [p["id"]]
    assert ids(server, q=f"-{w}") == [p["id"]]  # not a negation
    assert ids(server, q=f"{w} NOT") == []      # NOT is a word to find
    hl = search(server, q=f"{w} hello")["items"][0]["highlight"]
    assert hl["description"] == "Said &quot;<mark>hello</mark>&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"


def test_markup_in_names_is_escaped_in_highlights(shop):
    server, admin = shop
    w = word()
    product(server, admin, f"<script>alert(1)</script> {w}", "<img src=x onerror=alert(2)>")
    item = search(server, q=w)["items"][0]
    assert item["highlight"]["name"] == f"&lt;script&gt;alert(1)&lt;/script&gt; <mark>{w}</mark>"
    assert item["highlight"]["description"] == "&lt;img src=x onerror=alert(2)&gt;"
    assert item["name"] == f"<script>alert(1)</script> {w}"  # the product itself is data, as stored


def test_cursor_pages_cover_every_match_once(shop):
    server, admin = shop
    w = word()
    made = {product(server, admin, f"{w} item {i}", price=100 + i)["id"] for i in range(23)}
    seen, cursor, pages = [], None, 0
    while pages < 10:
        params = {"q": w, "limit": 5}
        if cursor:
            params["cursor"] = cursor
        body = search(server, **params)
        assert body["total"] == 23
        seen += [i["id"] for i in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 5
    assert len(seen) == 23 and set(seen) == made
    assert len(ids(server, q=w, limit=100)) == 23
    assert len(ids(server, q=w, limit=1000)) == 23  # capped at 100, which is more than 23


def test_suggest(shop):
    server, admin = shop
    w = word()
    for i in range(14):
        product(server, admin, f"{w} mug {i:02}")
    product(server, admin, f"{w} mug 00")  # the same name twice is one suggestion
    gone = product(server, admin, f"{w} mugwort")
    server.request("DELETE", f"/api/v1/products/{gone['id']}", token=admin)
    got = suggest(server, f"{w} mu")
    assert len(got) == 10 and len(set(got)) == 10
    assert all(s.startswith(f"{w} mug ") for s in got)
    assert suggest(server, f"{w} mugw") == []
    assert suggest(server, "") == []
    r = server.get("/api/v1/search/suggest?q=" + w[:4])
    assert r.status == 200 and set(r.json) == {"suggestions"}


# --- 10,000 products ---------------------------------------------------------------

ADJ = ["red", "blue", "green", "black", "white", "silver", "golden", "compact", "deluxe", "rugged", "classic",
       "modern", "vintage", "portable", "wireless", "organic", "bamboo", "steel", "wooden", "ceramic"]
NOUN = ["lamp", "kettle", "jacket", "backpack", "speaker", "blender", "notebook", "bottle", "tent", "chair",
        "helmet", "watch", "scarf", "skillet", "drone", "keyboard", "pillow", "mirror", "candle", "sneaker"]
BRAND = ["Acme", "Northwind", "Pinecrest", "Meridian", "Corvid", "Everly", "Quill", "Sola", "Maple", "Harbor"]
FILL = ["made to last", "easy to clean", "ships fast", "a customer favourite", "great as a gift", "built for travel",
        "with a two year warranty", "in recycled packaging"]


def tokens(text):
    return re.findall(r"[a-z0-9]+", text.lower())


class Loader:
    """Creates products through the admin API over keep-alive connections, one per thread."""

    def __init__(self, server, token):
        self.server, self.token = server, token
        self.local = threading.local()

    def post(self, path, body):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("POST", path, body=json.dumps(body),
                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        r = conn.getresponse()
        data = r.read()
        assert r.status == 201, (r.status, data[:300])
        return json.loads(data)


@pytest.fixture(scope="module")
def big_shop():
    s = Server(env=admin_env()).start()
    try:
        token = admin_token(s)
        loader = Loader(s, token)
        cats = [loader.post("/api/v1/categories", {"name": f"Dept {i}"})["id"] for i in range(8)]
        rng = random.Random(7)
        specs = []
        for i in range(10_000):
            name = f"{rng.choice(BRAND)} {rng.choice(ADJ)} {rng.choice(NOUN)} {i}"
            desc = f"A {rng.choice(ADJ)} {rng.choice(NOUN)}, {rng.choice(FILL)}."
            specs.append({"sku": f"BIG-{i}", "name": name, "description": desc, "price": rng.randint(100, 50_000),
                          "stock": rng.randint(0, 100), "category_id": cats[i % len(cats)]})
        # Products a search must find on page one, hidden among the others.
        specs[1234]["name"] = "Meridian Quasar kettle"
        specs[5678]["name"] = "Harbor Borealis lamp"
        specs[6000]["description"] = "A lamp with a borealis glow, made to last."
        specs[9001]["name"] = "Corvid Zephyrine backpack"
        # A guard against a hang, not a speed test: three pytest workers share two cores
        # with PostgreSQL here.
        deadline = time.monotonic() + 900
        made = [None] * len(specs)

        def make(i):
            assert time.monotonic() < deadline, "loading 10,000 products took too long"
            made[i] = loader.post("/api/v1/products", specs[i])

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(make, range(len(specs))))
        yield s, made, cats
    finally:
        s.close()


def test_ten_thousand_products_find_the_given_ones_on_page_one(big_shop):
    server, made, _ = big_shop
    assert ids(server, q="quasar") == [made[1234]["id"]]
    assert ids(server, q="kettle quas") == [made[1234]["id"]]
    assert ids(server, q="zephyr")[0] == made[9001]["id"]
    assert ids(server, q="corvid zephyrine backpack") == [made[9001]["id"]]
    # The name match first, then the description match.
    assert ids(server, q="borealis") == [made[5678]["id"], made[6000]["id"]]
    assert ids(server, q="lamp borealis")[:2] == [made[5678]["id"], made[6000]["id"]]
    assert ids(server, q="BORÉALIS LAMP")[0] == made[5678]["id"]


def test_ten_thousand_products_totals_and_facets_are_exact(big_shop):
    server, made, cats = big_shop
    for q in ["kettle", "wireless lamp", "acme ste", "golden"]:
        words = tokens(q)

        def matches(p):  # the sku is the product's one variant's: searched too
            toks = tokens(p["name"]) + tokens(p["description"]) + tokens(p["sku"])
            return all(w in toks for w in words[:-1]) and any(t.startswith(words[-1]) for t in toks)

        expected = [p for p in made if matches(p)]
        body = search(server, q=q, limit=20)
        assert body["total"] == len(expected), q
        assert len(body["items"]) == min(20, len(expected))
        assert {i["id"] for i in body["items"]} <= {p["id"] for p in expected}
        facets = {f["value"]: f["count"] for f in body["facets"]["category"]}
        want = {}
        for p in expected:
            want[p["category_id"]] = want.get(p["category_id"], 0) + 1
        assert facets == want, q
        assert sum(facets.values()) == body["total"]
        assert body["facets"]["options"] == []
        assert body["facets"]["price"] == ({"min": min(p["price"] for p in expected),
                                            "max": max(p["price"] for p in expected)} if expected else None)
        in_cat = search(server, q=q, category=cats[3])
        assert in_cat["total"] == want.get(cats[3], 0)
        priced = search(server, q=q, min_price=1000, max_price=20_000)
        assert priced["total"] == sum(1 for p in expected if 1000 <= p["price"] <= 20_000)

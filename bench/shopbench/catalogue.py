"""The bench's shop, made through shopd's public API as a shop would make it: categories by
POST, the catalogue by CSV import (issue 22's: a third of the products with two options,
3 colours x 4 sizes), customers by registration, and the checkout settings (a shipping
zone and rate, a tax rate, a percentage code). Writes the files the wrk scripts read."""
import csv
import io
import os
import random
import struct
import time
import zlib

from .common import ADMIN, PASSWORD, RARE_WORD, log
from .shopd import parallel

MATERIALS = ["cotton", "wool", "leather", "steel", "ceramic", "bamboo", "walnut", "linen", "copper", "glass",
             "silk", "oak", "marble", "porcelain", "canvas", "denim", "rubber", "titanium", "cashmere", "velvet"]
ADJECTIVES = ["organic", "classic", "compact", "wireless", "vintage", "modern", "rugged", "slim", "deluxe", "eco",
              "premium", "portable", "heritage", "urban", "coastal", "alpine", "nordic", "studio", "travel", "daily"]
NOUNS = ["shirt", "mug", "lamp", "backpack", "chair", "kettle", "speaker", "wallet", "blanket", "watch", "bowl",
         "jacket", "notebook", "bottle", "headphones", "scarf", "knife", "vase", "sneakers", "desk"]
PARENTS = ["Apparel", "Home", "Kitchen", "Electronics", "Outdoors", "Office", "Beauty", "Toys", "Garden", "Sports"]
COLOURS = ["Black", "White", "Navy"]
SIZES = ["S", "M", "L", "XL"]
HEADER = ["sku", "name", "description", "category_id", "price", "stock", "option:Colour", "option:Size"]
IMPORT_ROWS = 10000  # the import route's limit per file
ADDRESS = {"name": "Bench", "line1": "1 Load St", "city": "Loopback", "postal_code": "127", "country": "US"}


def admin_token(shop):
    _, login = shop.request("POST", "/api/v1/auth/login", {"email": ADMIN[0], "password": ADMIN[1]})
    return login["access_token"]


def write_lines(out_dir, name, lines):
    with open(os.path.join(out_dir, name), "w") as f:
        f.write("\n".join(lines) + "\n")


def categories(shop, admin):
    """Ten parents with one child each, and a small leaf (about 1 % of the products) under
    Garden Essentials: a category page with few hits."""
    cats = []
    for name in PARENTS:
        _, parent = shop.request("POST", "/api/v1/categories", {"name": name}, admin)
        cats.append(parent["id"])
        _, child = shop.request("POST", "/api/v1/categories", {"name": name + " Essentials", "parent_id": parent["id"]},
                                admin)
        cats.append(child["id"])
    _, small = shop.request("POST", "/api/v1/categories", {"name": "Bonsai", "parent_id": cats[17]}, admin)
    return cats + [small["id"]]


def import_rows(shop, admin, rows):
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADER)
    w.writerows(rows)
    status, body = shop.request("POST", "/api/v1/products/import", out.getvalue().encode(), admin,
                                headers={"Content-Type": "text/csv"})
    assert status == 200, (status, body)


def products(shop, admin, n, cats, out_dir):
    """n products, every third with 12 variants; a corpus file of their texts for the FTS5
    ceiling. Returns the number of variants."""
    rng = random.Random(42)
    rows, variants = [], 0
    corpus = open(os.path.join(out_dir, "corpus.tsv"), "w")
    t0 = time.monotonic()
    for i in range(n):
        adj, mat, noun = rng.choice(ADJECTIVES), rng.choice(MATERIALS), rng.choice(NOUNS)
        extra = f" {RARE_WORD}" if i % 10000 == 7 else ""
        # Rows of one new product with options are grouped by name: names are unique.
        name = f"{adj.title()} {mat.title()} {noun.title()} {i}{extra}"
        desc = f"A {adj} {noun} made of {mat}. Item {i} of the bench catalogue."
        corpus.write(f"{name}\t{desc}\n")
        cat = cats[-1] if i % 100 == 99 else cats[i % (len(cats) - 1)]
        price = rng.randint(199, 49999)
        own = []
        if i % 3 == 0:
            for ci, colour in enumerate(COLOURS):
                for si, size in enumerate(SIZES):
                    own.append([f"BENCH-{i:07d}-{ci}{si}", name, desc, cat, price + 100 * si, 1000000, colour, size])
        else:
            own.append([f"BENCH-{i:07d}", name, desc, cat, price, 1000000, "", ""])
        if len(rows) + len(own) > IMPORT_ROWS:
            import_rows(shop, admin, rows)
            rows = []
        rows += own
        variants += len(own)
    if rows:
        import_rows(shop, admin, rows)
    corpus.close()
    log(f"{n} products ({variants} variants) imported in {time.monotonic() - t0:.1f} s")
    return variants


def id_files(shop, admin, out_dir):
    """From the catalogue export: every product id, the ids of products without options (the
    v1 order lines) and every variant id (the v1.1 ones)."""
    status, _, data = shop.request("GET", "/api/v1/products/export", token=admin, raw=True)
    assert status == 200, status
    by_product = {}
    for row in csv.DictReader(io.StringIO(data.decode())):
        by_product.setdefault(row["product_id"], []).append(row)
    plain = [p for p, vs in by_product.items() if not vs[0].get("option:Colour")]
    write_lines(out_dir, "product_ids.txt", list(by_product))
    write_lines(out_dir, "plain_product_ids.txt", plain)
    write_lines(out_dir, "variant_ids.txt", [v["variant_id"] for vs in by_product.values() for v in vs])
    return list(by_product)


def customers(shop, users, out_dir):
    def register(i, conn):
        for _ in range(100):  # 503 busy: the password hasher's queue is full; it says to retry
            status, body = shop.request("POST", "/api/v1/users", {"email": f"user{i}@bench.test",
                                                                    "password": PASSWORD, "name": f"Bench User {i}"},
                                        None, conn)
            if status != 503:
                break
            time.sleep(0.05)
        assert status == 201, (status, body)

    t0 = time.monotonic()
    parallel(shop.port, users, register)
    log(f"{users} users in {time.monotonic() - t0:.1f} s (cheap argon2 while loading; see login users)")
    tokens = []
    for i in range(min(64, users)):
        _, b = shop.request("POST", "/api/v1/auth/login", {"email": f"user{i}@bench.test", "password": PASSWORD})
        tokens.append(b["access_token"])
    write_lines(out_dir, "tokens.txt", tokens)


def generate(shop, n_products, users, out_dir):
    """The whole shop; writes category_ids, product_ids, plain_product_ids, variant_ids,
    tokens and corpus.tsv into out_dir. Returns (products, variants)."""
    admin = admin_token(shop)
    cats = categories(shop, admin)
    write_lines(out_dir, "category_ids.txt", cats)
    variants = products(shop, admin, n_products, cats, out_dir)
    id_files(shop, admin, out_dir)
    customers(shop, users, out_dir)
    return n_products, variants


def checkout_settings(shop):
    """A US zone with one flat rate, US tax at 8 % with shipping taxed, and a 10 % code:
    after this every order must name the rate. Returns what the checkout scripts read."""
    admin = admin_token(shop)
    status, zone = shop.request("POST", "/api/v1/shipping/zones", {"name": "US", "countries": ["US"]}, admin)
    assert status == 201, (status, zone)
    status, rate = shop.request("POST", f"/api/v1/shipping/zones/{zone['id']}/rates",
                                {"name": "Standard", "price": 500}, admin)
    assert status == 201, (status, rate)
    status, tax = shop.request("POST", "/api/v1/tax/rates", {"country": "US", "name": "Sales tax", "rate_bp": 800,
                                                              "shipping_taxable": True}, admin)
    assert status == 201, (status, tax)
    status, code = shop.request("POST", "/api/v1/discounts", {"code": "BENCH10", "type": "percentage", "value": 10},
                                admin)
    assert status == 201, (status, code)
    return {"BENCH_RATE": rate["id"], "BENCH_CODE": "BENCH10"}


def png(side, seed=7):
    """An RGB PNG of noise, side x side: noise does not compress, so 128 px is ~49 KB."""
    rng = random.Random(seed)
    raw = b"".join(b"\0" + bytes(rng.getrandbits(8) for _ in range(side * 3)) for _ in range(side))

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def upload_image(shop, product_id, data):
    status, image = shop.request("POST", f"/api/v1/products/{product_id}/images", data, admin_token(shop),
                                 headers={"Content-Type": "image/png"})
    assert status == 201, (status, image)
    return image

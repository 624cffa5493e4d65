#include "order_schema.hpp"

#include <fmt/format.h>

#include <array>
#include <random>

#include "shop_ids.hpp"

namespace shop::bench {

void create_order_tables(Db& db) {
    // Copied from the schema `shopd migrate` leaves (src/db/open_backend.cpp, modules/*/migrations.cpp).
    db.exec(
        "CREATE TABLE events ( seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, created_at INTEGER NOT "
        "NULL, data TEXT NOT NULL);"
        "CREATE INDEX events_type_seq ON events(type, seq);"
        "CREATE TABLE idempotency_keys ( user_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status "
        "INTEGER, response_body TEXT, response_headers TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (user_id, key));"
        "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);"
        "CREATE TABLE data_watermarks (consumer TEXT PRIMARY KEY, seq INTEGER NOT NULL);"
        "CREATE TABLE users ( id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT "
        "NULL CHECK (role IN ('customer', 'admin')), password_hash TEXT NOT NULL, created_at BIGINT NOT NULL, "
        "updated_at BIGINT NOT NULL, token_generation BIGINT NOT NULL DEFAULT 0);"
        "CREATE INDEX users_created ON users(created_at, id);"
        "CREATE TABLE categories ( seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT NOT "
        "NULL, parent_id TEXT REFERENCES categories(id), created_at INTEGER NOT NULL);"
        "CREATE INDEX categories_parent ON categories(parent_id);"
        "CREATE TABLE products ( seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, sku TEXT NOT NULL, "
        "name TEXT NOT NULL, description TEXT NOT NULL, price INTEGER NOT NULL CHECK (price >= 0), currency TEXT NOT "
        "NULL, stock INTEGER NOT NULL CHECK (stock >= 0), category_id TEXT REFERENCES categories(id), attributes TEXT "
        "NOT NULL, images TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('active', 'archived')), version "
        "INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, options TEXT NOT NULL DEFAULT "
        "'[]', price_max INTEGER NOT NULL DEFAULT 0);"
        "CREATE UNIQUE INDEX products_sku ON products(sku);"
        "CREATE INDEX products_status_created ON products(status, created_at, seq);"
        "CREATE INDEX products_status_price ON products(status, price, seq);"
        "CREATE INDEX products_status_name ON products(status, name, seq);"
        "CREATE INDEX products_category_created ON products(category_id, status, created_at, seq);"
        "CREATE INDEX products_category_price ON products(category_id, status, price, seq);"
        "CREATE TABLE product_variants ( seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, product_id "
        "TEXT NOT NULL REFERENCES products(id), sku TEXT NOT NULL, options TEXT NOT NULL, option_key TEXT NOT NULL, "
        "price INTEGER NOT NULL CHECK (price >= 0), stock INTEGER NOT NULL CHECK (stock >= 0), status TEXT NOT NULL "
        "CHECK (status IN ('active', 'archived')), created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
        "CREATE UNIQUE INDEX product_variants_sku ON product_variants(sku);"
        "CREATE INDEX product_variants_product ON product_variants(product_id, seq);"
        "CREATE UNIQUE INDEX product_variants_combination ON product_variants(product_id, option_key) WHERE status = "
        "'active';"
        "CREATE TABLE orders ( id TEXT PRIMARY KEY, user_id TEXT NOT NULL, status TEXT NOT NULL, total INTEGER NOT "
        "NULL CHECK (total >= 0), currency TEXT NOT NULL, shipping_address TEXT NOT NULL, created_at INTEGER NOT "
        "NULL, updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, payment_id TEXT, cancel_started_at INTEGER, "
        "subtotal INTEGER NOT NULL DEFAULT 0, discount_total INTEGER NOT NULL DEFAULT 0, shipping_total INTEGER NOT "
        "NULL DEFAULT 0, tax_total INTEGER NOT NULL DEFAULT 0, shipping TEXT, discount TEXT, discount_id TEXT, "
        "customer TEXT, email TEXT, token_hash TEXT, delivered_at INTEGER);"
        "CREATE INDEX orders_user_created ON orders(user_id, created_at, id);"
        "CREATE INDEX orders_created ON orders(created_at, id);"
        "CREATE INDEX orders_status_expires ON orders(status, expires_at);"
        "CREATE INDEX orders_guest_email ON orders(email, status) WHERE user_id = '';"
        "CREATE INDEX orders_cancelling ON orders(cancel_started_at) WHERE cancel_started_at IS NOT NULL;"
        "CREATE TABLE order_items ( order_id TEXT NOT NULL REFERENCES orders(id), line INTEGER NOT NULL, product_id "
        "TEXT NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL, unit_price INTEGER NOT NULL CHECK (unit_price >= 0), "
        "quantity INTEGER NOT NULL CHECK (quantity > 0), line_total INTEGER NOT NULL, variant_id TEXT NOT NULL "
        "DEFAULT '', options TEXT NOT NULL DEFAULT '{}', discount INTEGER NOT NULL DEFAULT 0, tax INTEGER NOT NULL "
        "DEFAULT 0, PRIMARY KEY (order_id, line));"
        "CREATE TABLE shipping_zones ( id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL, "
        "updated_at INTEGER NOT NULL);"
        "CREATE TABLE tax_rates ( id TEXT PRIMARY KEY, country TEXT NOT NULL, region TEXT NOT NULL DEFAULT '', name "
        "TEXT NOT NULL, rate_bp INTEGER NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000), shipping_taxable INTEGER "
        "NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
        "CREATE UNIQUE INDEX tax_rates_place ON tax_rates(country, region);"
        "CREATE TABLE webhook_endpoints ( id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, description "
        "TEXT, secret TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL, updated_at "
        "INTEGER NOT NULL);"
        "CREATE INDEX webhook_endpoints_created ON webhook_endpoints(created_at, id);");
}

namespace {

// bench/run's word lists.
constexpr std::array<const char*, 20> kMaterials{"cotton", "wool",   "leather", "steel",     "ceramic",
                                                 "bamboo", "walnut", "linen",   "copper",    "glass",
                                                 "silk",   "oak",    "marble",  "porcelain", "canvas",
                                                 "denim",  "rubber", "titanium", "cashmere", "velvet"};
constexpr std::array<const char*, 20> kAdjectives{"organic", "classic", "compact", "wireless", "vintage",
                                                  "modern",  "rugged",  "slim",    "deluxe",   "eco",
                                                  "premium", "portable", "heritage", "urban",  "coastal",
                                                  "alpine",  "nordic",  "studio",  "travel",   "daily"};
constexpr std::array<const char*, 20> kNouns{"shirt",  "mug",     "lamp",   "backpack",   "chair",
                                             "kettle", "speaker", "wallet", "blanket",    "watch",
                                             "bowl",   "jacket",  "notebook", "bottle",   "headphones",
                                             "scarf",  "knife",   "vase",   "sneakers",   "desk"};
constexpr std::array<const char*, 4> kSizes{"S", "M", "L", "XL"};
constexpr std::array<const char*, 3> kColours{"Red", "Blue", "Green"};
constexpr std::int64_t kStock = 1000000;
constexpr int kUsers = 10000;
constexpr int kBuyers = 64;

std::string title(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

struct Seeder {
    Db& db;
    IdMaker ids;
    std::mt19937_64 rng;
    Stmt category{db, "INSERT INTO categories(id, name, parent_id, created_at) VALUES (?, ?, ?, ?)"};
    Stmt product{db,
                 "INSERT INTO products (id, sku, name, description, price, price_max, currency, stock, category_id, "
                 "attributes, images, status, version, created_at, updated_at, options) VALUES (?, ?, ?, ?, ?, ?, "
                 "'USD', ?, ?, '{}', '[]', 'active', 1, ?, ?, ?)"};
    Stmt variant{db,
                 "INSERT INTO product_variants (id, product_id, sku, options, option_key, price, stock, status, "
                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)"};
    Stmt user{db,
              "INSERT INTO users(id, email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, "
              "'customer', ?, ?, ?)"};
    Stmt event{db, "INSERT INTO events(type, created_at, data) VALUES (?, ?, ?)"};

    Seeder(Db& d, std::uint64_t seed) : db(d), ids(seed), rng(seed ^ 0x5eed) {}

    void add_event(const char* type, std::int64_t t, const std::string& data) {
        Binds{event}(type)(t)(data);
        event.run();
    }
};

}  // namespace

Catalogue seed_catalogue(Db& db, std::int64_t variants, std::uint64_t seed) {
    Seeder s(db, seed);
    Catalogue out;
    std::int64_t t = now_ms() - 86400000;  // a day ago, one millisecond per row created
    std::vector<std::string> cats;
    for (int i = 0; i < 20; ++i) {
        std::string id = s.ids.make("cat", ++t);
        auto name = fmt::format("Category {}", i);
        Binds b(s.category);
        b(id)(name);
        if (i % 2) b(cats.back());
        else b(nullptr);
        b(t);
        s.category.run();
        s.add_event("category.created", t, fmt::format(R"({{"category_id":"{}","name":"{}"}})", id, name));
        cats.push_back(std::move(id));
    }
    const std::string options_json =
        R"([{"name":"Size","values":["S","M","L","XL"]},{"name":"Colour","values":["Red","Blue","Green"]}])";
    std::uniform_int_distribution<int> word(0, 19), price_of(199, 49999);
    for (std::int64_t i = 0; static_cast<std::int64_t>(out.variant_ids.size()) < variants; ++i) {
        const bool with_options = i % 3 == 2;
        std::string adj = kAdjectives[static_cast<std::size_t>(word(s.rng))];
        std::string mat = kMaterials[static_cast<std::size_t>(word(s.rng))];
        std::string noun = kNouns[static_cast<std::size_t>(word(s.rng))];
        std::string id = s.ids.make("prod", ++t);
        std::string sku = fmt::format("BENCH-{:07d}", i);
        std::string name = fmt::format("{} {} {}", title(adj), title(mat), title(noun));
        std::string description = fmt::format("A {} {} made of {}. Item {} of the bench catalogue.", adj, noun, mat, i);
        std::int64_t price = price_of(s.rng);
        const std::string& category = cats[static_cast<std::size_t>(i) % cats.size()];
        Binds{s.product}(id)(sku)(name)(description)(price)(price)(with_options ? kStock * 12 : kStock)(category)(t)(t)(
            with_options ? std::string_view(options_json) : std::string_view("[]"));
        s.product.run();
        if (!with_options) {
            Binds{s.variant}(id)(id)(sku)("{}")("")(price)(kStock)(t)(t);
            s.variant.run();
            out.variant_ids.push_back(id);
        } else {
            for (const char* size : kSizes) {
                for (const char* colour : kColours) {
                    std::string vid = s.ids.make("var", t);
                    std::string vsku = fmt::format("{}-{}-{}", sku, size, colour);
                    // nlohmann orders members by name: this is the option_key shopd stores.
                    std::string combo = fmt::format(R"({{"Colour":"{}","Size":"{}"}})", colour, size);
                    Binds{s.variant}(vid)(id)(vsku)(combo)(combo)(price)(kStock)(t)(t);
                    s.variant.run();
                    out.variant_ids.push_back(std::move(vid));
                }
            }
        }
        s.add_event("product.created", t,
                    fmt::format(R"({{"category_id":"{}","name":"{}","price":{},"product_id":"{}","sku":"{}"}})",
                                category, name, price, id, sku));
        ++out.products;
    }
    for (int i = 0; i < kUsers; ++i) {
        std::string id = s.ids.make("usr", ++t);
        auto email = fmt::format("user{}@bench.test", i);
        // An argon2id PHC string's length; its content is never read by an order.
        auto hash = fmt::format("$argon2id$v=19$m=65536,t=2,p=1${:022d}${:043d}", i, i);
        auto name = fmt::format("Bench User {}", i);
        Binds{s.user}(id)(email)(name)(hash)(t)(t);
        s.user.run();
        s.add_event("user.registered", t, fmt::format(R"({{"email":"{}","user_id":"{}"}})", email, id));
        if (i < kBuyers) out.buyer_ids.push_back(std::move(id));
        ++out.users;
    }
    // The webhooks projection has seen every event so far, as in a shop that has been running.
    out.events = sqlite3_last_insert_rowid(db.get());
    Stmt mark(db, "INSERT INTO data_watermarks(consumer, seq) VALUES ('webhooks', ?)");
    Binds{mark}(out.events);
    mark.run();
    return out;
}

}  // namespace shop::bench

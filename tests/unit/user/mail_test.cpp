#include <catch2/catch.hpp>
#include <sodium.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "shop/core/outbox.hpp"
#include "shop/core/time.hpp"
#include "shop/events/order_events.hpp"
#include "temp_dir.hpp"
#include "test_db.hpp"
#include "user/mail_content.hpp"
#include "user/mail_mime.hpp"
#include "user/mail_projection.hpp"
#include "user/mail_sender.hpp"
#include "user/mail_settings.hpp"
#include "user/mail_template.hpp"
#include "user/migrations.hpp"

using namespace shop;
using nlohmann::json;

namespace {

std::string decode_base64(std::string text) {
    std::string clean;
    for (char c : text)
        if (c != '\r' && c != '\n') clean += c;
    std::string out(clean.size(), '\0');
    std::size_t len = 0;
    REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), clean.data(), clean.size(),
                              nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
    out.resize(len);
    return out;
}

// The body of the MIME part of `type` in a message build_mime made.
std::string part_body(const std::string& mime, const std::string& boundary, const std::string& type) {
    auto at = mime.find("Content-Type: " + type);
    REQUIRE(at != std::string::npos);
    auto start = mime.find("\r\n\r\n", at) + 4;
    auto end = mime.find("--" + boundary, start);
    return decode_base64(mime.substr(start, end - start));
}

user::MailMessage sample_message() {
    return {"Shop <shop@example.com>", "ann@example.com", "Order ord_1 is confirmed", "Hello,\nline two\n",
            "<p>Hello</p>\n",          "abc@example.com", 1'800'000'000'000};
}

}  // namespace

TEST_CASE("a message is RFC 5322 with a multipart/alternative body of text and HTML") {
    const std::string b = "=_shopd_test";
    const std::string mime = user::build_mime(sample_message(), b);
    CHECK(mime.starts_with("From: Shop <shop@example.com>\r\nTo: ann@example.com\r\n"
                           "Subject: Order ord_1 is confirmed\r\nDate: Fri, 15 Jan 2027 08:00:00 +0000\r\n"
                           "Message-ID: <abc@example.com>\r\nMIME-Version: 1.0\r\n"
                           "Content-Type: multipart/alternative; boundary=\"=_shopd_test\"\r\n\r\n"));
    // Every line ends in CRLF and none is longer than 78 characters.
    std::size_t pos = 0;
    while (pos < mime.size()) {
        auto eol = mime.find("\r\n", pos);
        REQUIRE(eol != std::string::npos);
        std::string line = mime.substr(pos, eol - pos);
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.size() <= 78);
        pos = eol + 2;
    }
    // Text first (what a reader without MIME shows), in canonical CRLF form, then HTML.
    CHECK(mime.find("text/plain") < mime.find("text/html"));
    CHECK(part_body(mime, b, "text/plain") == "Hello,\r\nline two\r\n");
    CHECK(part_body(mime, b, "text/html") == "<p>Hello</p>\r\n");
    CHECK(mime.ends_with("--=_shopd_test--\r\n"));
}

TEST_CASE("header values cannot add headers, and non-ASCII ones are RFC 2047 encoded words") {
    auto m = sample_message();
    m.subject = "Hi\r\nBcc: victim@example.com";
    m.from = "Zoë's Shop <shop@example.com>";
    const std::string mime = user::build_mime(m, "b");
    CHECK(mime.find("\r\nBcc:") == std::string::npos);
    CHECK(mime.find("Subject: Hi  Bcc: victim@example.com\r\n") != std::string::npos);
    CHECK(mime.find("From: =?UTF-8?B?Wm/DqydzIFNob3A=?= <shop@example.com>\r\n") != std::string::npos);

    // A long non-ASCII value becomes several words, each within 75 characters, and no
    // UTF-8 sequence is split between two.
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += "é";
    const std::string encoded = user::header_text(long_text);
    std::string joined;
    std::size_t start = 0;
    for (;;) {
        auto end = encoded.find("\r\n ", start);
        std::string word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
        CHECK(word.size() <= 75);
        REQUIRE(word.starts_with("=?UTF-8?B?"));
        REQUIRE(word.ends_with("?="));
        std::string bytes = decode_base64(word.substr(10, word.size() - 12));
        CHECK(bytes.size() % 2 == 0);  // whole two-byte characters
        joined += bytes;
        if (end == std::string::npos) break;
        start = end + 3;
    }
    CHECK(joined == long_text);
    CHECK(user::header_text("plain ascii") == "plain ascii");
}

TEST_CASE("templates: values, HTML escaping, sections, lists and inverted sections") {
    using user::Markup;
    using user::render_template;
    const json data = {{"name", "<Ann> & \"Bo\""},
                       {"count", 3},
                       {"empty", ""},
                       {"flag", true},
                       {"lines", {{{"name", "A"}, {"n", 1}}, {{"name", "B"}, {"n", 2}}}}};
    CHECK(render_template("Hi {{name}}!", data, Markup::Text) == "Hi <Ann> & \"Bo\"!");
    CHECK(render_template("Hi {{name}}!", data, Markup::Html) == "Hi &lt;Ann&gt; &amp; &quot;Bo&quot;!");
    CHECK(render_template("{{count}} items", data, Markup::Text) == "3 items");
    CHECK(render_template("{{#lines}}[{{n}} {{name}}]{{/lines}}", data, Markup::Text) == "[1 A][2 B]");
    CHECK(render_template("{{#flag}}yes{{/flag}}{{^flag}}no{{/flag}}", data, Markup::Text) == "yes");
    CHECK(render_template("{{#empty}}yes{{/empty}}{{^empty}}no{{/empty}}", data, Markup::Text) == "no");
    CHECK(render_template("{{#missing}}yes{{/missing}}{{^missing}}no{{/missing}}", data, Markup::Text) == "no");
    // Outer names are seen from inside a list; nested sections of one name close properly.
    CHECK(render_template("{{#lines}}{{count}}{{/lines}}", data, Markup::Text) == "33");
    CHECK(render_template("{{#flag}}a{{#flag}}b{{/flag}}c{{/flag}}", data, Markup::Text) == "abc");

    CHECK_THROWS_AS(render_template("{{nmae}}", data, Markup::Text), std::invalid_argument);
    CHECK_THROWS_AS(render_template("{{#flag}}open", data, Markup::Text), std::invalid_argument);
    CHECK_THROWS_AS(render_template("{{name", data, Markup::Text), std::invalid_argument);
    CHECK_THROWS_AS(render_template("{{/flag}}", data, Markup::Text), std::invalid_argument);
    CHECK_THROWS_AS(render_template("{{lines}}", data, Markup::Text), std::invalid_argument);
    CHECK(user::escape_html("'<&>\"") == "&#39;&lt;&amp;&gt;&quot;");
}

TEST_CASE("money is shown in the currency's minor units") {
    CHECK(user::format_money(123456, "USD") == "1234.56 USD");
    CHECK(user::format_money(5, "EUR") == "0.05 EUR");
    CHECK(user::format_money(0, "EUR") == "0.00 EUR");
    CHECK(user::format_money(-50, "EUR") == "-0.50 EUR");
    CHECK(user::format_money(1200, "JPY") == "1200 JPY");
    CHECK(user::format_money(1234, "KWD") == "1.234 KWD");
    CHECK(user::format_money(INT64_MIN, "USD") == "-92233720368547758.08 USD");
}

namespace {
api::OrderReceipt receipt() {
    return {"ord_1", "usr_1", "ann@example.com", "USD", 4700, 500, 800, 0, 5000,
            {{"var_a", "Mug <b>", "MUG-1", 2, 1250, 2500}, {"var_b", "Pen", "PEN-1", 2, 1100, 2200}}};
}
}  // namespace

TEST_CASE("every mail renders from its template with its subject, text and HTML") {
    const auto o = receipt();
    events::ShipmentCreated ship{"ord_1", "usr_1", "shp_1", "UPS", "1Z9", "https://ups.example/t?a=1&b=2",
                                 {{"var_a", 2}}};
    events::ReturnReceived ret{"ret_1", "ord_1", "usr_1", 1100, "USD", true, {{"var_b", 1, 1100}}};
    const user::MailJob jobs[] = {
        user::order_paid_mail(o, "ann@example.com", "Ann"),
        user::shipment_mail(o, ship, "ann@example.com", "Ann"),
        user::return_mail(o, ret, "ann@example.com", ""),
        user::reset_mail("ann@example.com", "Ann", "tok123", "digest", 1'800'000'000'000),
    };
    CHECK(jobs[0].key == "order_paid:ord_1");
    CHECK(jobs[1].key == "shipment_created:shp_1");
    CHECK(jobs[2].key == "return_received:ret_1");
    CHECK(jobs[3].key == "password_reset:digest");
    std::map<std::string, user::RenderedMail> out;
    for (const auto& j : jobs) {
        CHECK(j.payload["to"] == "ann@example.com");
        auto m = user::render_mail(j.payload["template"].get<std::string>(), j.payload["data"]);
        CHECK(m.text.find("{{") == std::string::npos);
        CHECK(m.html.find("{{") == std::string::npos);
        CHECK(m.html.starts_with("<!DOCTYPE html>"));
        out[j.payload["template"].get<std::string>()] = m;
    }
    const auto& paid = out["order_paid"];
    CHECK(paid.subject == "Order ord_1 is confirmed");
    CHECK(paid.text.starts_with("Hello Ann,\n\n"));
    CHECK(paid.text.find("  2 x Mug <b> (MUG-1)   25.00 USD\n  2 x Pen (PEN-1)   22.00 USD\n") != std::string::npos);
    CHECK(paid.text.find("Subtotal: 47.00 USD\nDiscount: -5.00 USD\nShipping: 8.00 USD\nTotal: 50.00 USD") !=
          std::string::npos);
    CHECK(paid.text.find("Tax:") == std::string::npos);  // none charged, none shown
    CHECK(paid.html.find("Mug &lt;b&gt;") != std::string::npos);
    CHECK(paid.html.find("Mug <b>") == std::string::npos);

    const auto& shipped = out["shipment_created"];
    CHECK(shipped.subject == "Order ord_1 has shipped");
    CHECK(shipped.text.find("Carrier: UPS\nTracking number: 1Z9\nTrack it: https://ups.example/t?a=1&b=2\n") !=
          std::string::npos);
    CHECK(shipped.text.find("  2 x Mug <b>\n") != std::string::npos);
    CHECK(shipped.text.find("Pen") == std::string::npos);
    CHECK(shipped.html.find("href=\"https://ups.example/t?a=1&amp;b=2\"") != std::string::npos);

    const auto& returned = out["return_received"];
    CHECK(returned.subject == "Your return ret_1 has arrived");
    CHECK(returned.text.starts_with("Hello,\n"));  // no name
    CHECK(returned.text.find("We have refunded 11.00 USD") != std::string::npos);
    CHECK(returned.text.find("  1 x Pen   11.00 USD") != std::string::npos);

    const auto& reset = out["password_reset"];
    CHECK(reset.subject == "Reset your password");
    CHECK(reset.text.find("\n    tok123\n") != std::string::npos);
    CHECK(reset.text.find("2027-01-15T08:00:00Z") != std::string::npos);
    CHECK(reset.html.find("tok123") != std::string::npos);

    CHECK_THROWS_AS(user::render_mail("no_such_mail", json::object()), std::invalid_argument);
    CHECK_THROWS_AS(user::render_mail("order_paid", json::object()), std::invalid_argument);
}

namespace {
std::string setting_error(const core::Environment& env) {
    try {
        core::Settings s(std::nullopt, "test", env, {});
        user::read_mail_settings(s);
    } catch (const core::ConfigError& e) {
        return e.setting();
    }
    return "no error";
}
}  // namespace

TEST_CASE("mail settings: off by default; a bad URL or sender names its setting") {
    core::Settings none;
    auto d = user::read_mail_settings(none);
    CHECK_FALSE(d.enabled());
    CHECK(d.retry_base_ms == 60000);
    CHECK(d.max_attempts == 10);

    core::Settings good(std::nullopt, "test",
                        {{"SHOPD_SMTP_URL", "smtps://user:pa%40ss@mail.example.com:465"},
                         {"SHOPD_MAIL_FROM", "Shop <Shop@Example.com>"}},
                        {});
    auto m = user::read_mail_settings(good);
    CHECK(m.enabled());
    CHECK(m.from_address() == "Shop@Example.com");
    CHECK(m.safe_url() == "smtps://mail.example.com:465");
    CHECK(setting_error({{"SHOPD_SMTP_URL", "smtp://127.0.0.1"}, {"SHOPD_MAIL_FROM", "a@b.example"}}) == "no error");

    const std::string url = "mail.smtp_url (SHOPD_SMTP_URL)";
    const std::string from = "mail.from (SHOPD_MAIL_FROM)";
    for (const char* bad : {"http://mail.example.com", "smtp://", "mail.example.com:25", "smtp://h:25/x",
                            "smtp://h:25?x=1", "smtp://h:99999", "ftp://h"})
        CHECK(setting_error({{"SHOPD_SMTP_URL", bad}, {"SHOPD_MAIL_FROM", "a@b.example"}}) == url);
    CHECK(setting_error({{"SHOPD_SMTP_URL", "smtp://h:25"}}) == from);
    for (const char* bad : {"not an address", "Shop <nope>", "a@b", "<>"})
        CHECK(setting_error({{"SHOPD_SMTP_URL", "smtp://h:25"}, {"SHOPD_MAIL_FROM", bad}}) == from);
    CHECK(setting_error({{"SHOPD_MAIL_RETRY_BASE_MS", "0"}}) == "mail.retry_base_ms (SHOPD_MAIL_RETRY_BASE_MS)");
}

TEST_CASE("a reset mail links to the storefront's reset page when the shop's address is set") {
    core::Settings none;
    CHECK(user::read_mail_settings(none).reset_link("tok").empty());
    core::Settings set(std::nullopt, "test", {{"SHOPD_SHOP_URL", "https://shop.example.com/store/"}}, {});
    const auto m = user::read_mail_settings(set);
    CHECK(m.shop_url == "https://shop.example.com/store");
    const auto link = m.reset_link("tok123");
    CHECK(link == "https://shop.example.com/store/shop/reset-password#token=tok123");

    auto mail = user::reset_mail("ann@example.com", "Ann", "tok123", "digest", 1'800'000'000'000, link);
    auto r = user::render_mail("password_reset", mail.payload["data"]);
    CHECK(r.text.find("\n" + link + "\n") != std::string::npos);
    CHECK(r.text.find("\n    tok123\n") != std::string::npos);  // the token still there for API clients
    CHECK(r.html.find("href=\"" + link + "\"") != std::string::npos);
    auto plain = user::render_mail("password_reset", user::reset_mail("a@b.example", "", "t", "d", 0).payload["data"]);
    CHECK(plain.text.find("/shop/reset-password") == std::string::npos);
    CHECK(plain.html.find("href") == std::string::npos);

    const std::string shop = "mail.shop_url (SHOPD_SHOP_URL)";
    CHECK(setting_error({{"SHOPD_SHOP_URL", "http://127.0.0.1:8080"}}) == "no error");
    for (const char* bad : {"shop.example.com", "ftp://shop.example.com", "https://", "https://h/?a=1", "https://h/#x",
                            "https://u:p@h"})
        CHECK(setting_error({{"SHOPD_SHOP_URL", bad}}) == shop);
}

namespace {
user::MailSettings mail_settings(core::Environment env) {
    env.emplace("SHOPD_MAIL_FROM", "a@b.example");
    core::Settings s(std::nullopt, "test", env, {});
    return user::read_mail_settings(s);
}
}  // namespace

TEST_CASE("mail TLS: smtps:// from the start; smtp:// requires STARTTLS except on loopback, unless off") {
    using T = user::SmtpTls;
    auto tls = [](const char* url, const char* starttls = nullptr) {
        core::Environment env{{"SHOPD_SMTP_URL", url}};
        if (starttls) env.emplace("SHOPD_SMTP_STARTTLS", starttls);
        return mail_settings(env).tls();
    };
    CHECK(tls("smtps://mail.example.com:465") == T::Implicit);
    CHECK(tls("smtps://127.0.0.1:465") == T::Implicit);
    CHECK(tls("smtps://mail.example.com:465", "required") == T::Implicit);
    CHECK(tls("smtp://mail.example.com:587") == T::Required);
    CHECK(tls("smtp://10.0.0.5:25") == T::Required);  // private is not loopback: the wire is shared
    CHECK(tls("smtp://127.0.0.1:25") == T::WhenOffered);
    CHECK(tls("smtp://127.8.9.10:25") == T::WhenOffered);
    CHECK(tls("smtp://LocalHost:25") == T::WhenOffered);
    CHECK(tls("smtp://[::1]:25") == T::WhenOffered);
    CHECK(tls("smtp://[::2]:25") == T::Required);
    CHECK(tls("smtp://localhost.example.com:25") == T::Required);
    CHECK(tls("smtp://127.0.0.1:25", "required") == T::Required);
    CHECK(tls("smtp://mail.example.com:25", "off") == T::None);
    CHECK(tls("smtp://127.0.0.1:25", "auto") == T::WhenOffered);

    const std::string starttls = "mail.smtp_starttls (SHOPD_SMTP_STARTTLS)";
    CHECK(setting_error({{"SHOPD_SMTP_STARTTLS", "yes"}}) == starttls);
    CHECK(setting_error({{"SHOPD_SMTP_URL", "smtps://h:465"}, {"SHOPD_MAIL_FROM", "a@b.example"},
                         {"SHOPD_SMTP_STARTTLS", "off"}}) == starttls);
    CHECK(std::string(user::describe(T::Required)) == "STARTTLS required");
}

TEST_CASE("mail CA file: read at start-up; a missing, unreadable or non-PEM file names its setting") {
    test::TempDir dir;
    const auto pem = (dir.path() / "ca.pem").string();
    std::ofstream(pem) << "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const auto junk = (dir.path() / "junk.pem").string();
    std::ofstream(junk) << "not a certificate\n";

    auto m = mail_settings({{"SHOPD_SMTP_URL", "smtps://h:465"}, {"SHOPD_SMTP_CA_FILE", pem}});
    CHECK(m.ca_file == pem);
    CHECK(mail_settings({}).ca_file.empty());

    const std::string ca = "mail.smtp_ca_file (SHOPD_SMTP_CA_FILE)";
    for (const auto& bad : {(dir.path() / "missing.pem").string(), dir.path().string(), junk})
        CHECK(setting_error({{"SHOPD_SMTP_URL", "smtps://h:465"}, {"SHOPD_MAIL_FROM", "a@b.example"},
                             {"SHOPD_SMTP_CA_FILE", bad}}) == ca);
}

namespace {

// An SMTP server stand-in: records what it is given and answers what the test says.
struct FakeTransport : user::MailTransport {
    struct Sent {
        std::string from, to, message;
    };
    std::vector<Sent> sent;
    std::vector<user::SendResult> answers;  // taken in order; then success
    user::SendResult send(const std::string& from, const std::string& to, const std::string& message) override {
        sent.push_back({from, to, message});
        if (answers.empty()) return {true, 250, ""};
        auto a = answers.front();
        answers.erase(answers.begin());
        return a;
    }
};

struct SenderWorld {
    test::TestDb t;
    // Jobs are queued due at the real time; the sender's clock starts a minute later.
    std::int64_t now = core::now_ms() + 60000;
    core::Outbox outbox{t.db(), [this] { return now; }};
    user::MailSettings settings{"smtp://127.0.0.1:25", "Shop <shop@example.com>", 1000, 3, user::StartTls::Auto, "", ""};
    FakeTransport transport;
    user::MailSender sender{outbox, settings, transport};

    void queue(const user::MailJob& job) {
        t.db().write([&](db::Tx& tx) { user::enqueue_mail(tx, job); });
    }
    std::optional<core::JobView> job() {
        return t.db().read([](db::Conn& c) { return core::Outbox::list(c, user::kMailKind, "", 0, 10).front(); });
    }
};

}  // namespace

TEST_CASE("the sender hands each due mail to the server once, from the configured address") {
    SenderWorld w;
    w.queue(user::reset_mail("ann@example.com", "Ann", "tok", "d1", w.now + 3600000));
    w.queue(user::reset_mail("ann@example.com", "Ann", "tok", "d1", w.now + 3600000));  // same key: one mail
    w.queue(user::reset_mail("bob@example.com", "Bob", "tok2", "d2", w.now + 3600000));
    CHECK(w.sender.run() == 2);
    REQUIRE(w.transport.sent.size() == 2);
    CHECK(w.transport.sent[0].from == "shop@example.com");
    CHECK(w.transport.sent[0].to == "ann@example.com");
    CHECK(w.transport.sent[1].to == "bob@example.com");
    const auto& mime = w.transport.sent[0].message;
    CHECK(mime.find("From: Shop <shop@example.com>\r\n") != std::string::npos);
    CHECK(mime.find("Subject: Reset your password\r\n") != std::string::npos);
    CHECK(mime.find("@example.com>\r\n") != std::string::npos);  // Message-ID in the sender's domain
    CHECK(w.sender.run() == 0);  // nothing left
    CHECK(w.transport.sent.size() == 2);
}

TEST_CASE("a failed send is tried again after a doubling wait, and given up after max_attempts") {
    SenderWorld w;
    w.transport.answers = {{false, 451, "SMTP 451: try later"}, {false, std::nullopt, "connection refused"},
                           {false, 554, "SMTP 554: no"}};
    w.queue(user::reset_mail("ann@example.com", "Ann", "tok", "d1", w.now + 3600000));
    CHECK(w.sender.run() == 0);
    auto j = w.job();
    CHECK(j->status == core::JobStatus::Pending);
    CHECK(j->attempts == 1);
    CHECK(j->last_code == 451);
    CHECK(j->due_at_ms == w.now + 1000);
    CHECK(w.sender.run() == 0);  // not due yet
    CHECK(w.transport.sent.size() == 1);

    w.now += 1000;
    CHECK(w.sender.run() == 0);
    CHECK(w.job()->due_at_ms == w.now + 2000);  // doubled
    CHECK(w.job()->last_error == "connection refused");

    w.now += 2000;
    CHECK(w.sender.run() == 0);  // the third of three attempts: given up
    CHECK(w.job()->status == core::JobStatus::Failed);
    CHECK(w.transport.sent.size() == 3);
    w.now += 1000000;
    CHECK(w.sender.run() == 0);
    CHECK(w.transport.sent.size() == 3);
}

TEST_CASE("a retried mail succeeds with the same Message-ID, and a job that cannot be made is dropped") {
    SenderWorld w;
    w.transport.answers = {{false, 451, "later"}};
    w.queue(user::reset_mail("ann@example.com", "Ann", "tok", "d1", w.now + 3600000));
    w.sender.run();
    w.now += 1000;
    CHECK(w.sender.run() == 1);
    REQUIRE(w.transport.sent.size() == 2);
    auto id = [](const std::string& mime) {
        auto at = mime.find("Message-ID: ");
        return mime.substr(at, mime.find("\r\n", at) - at);
    };
    CHECK(id(w.transport.sent[0].message) == id(w.transport.sent[1].message));
    CHECK(w.job()->status == core::JobStatus::Done);

    w.t.db().write([](db::Tx& tx) { core::Outbox::enqueue(tx, user::kMailKind, "broken", "{\"template\":\"x\"}"); });
    CHECK(w.sender.run() == 0);
    CHECK(w.job()->key == "broken");
    CHECK(w.job()->status == core::JobStatus::Failed);
    CHECK(w.transport.sent.size() == 2);
}

namespace {

struct FakeOrders : api::Orders {
    std::map<std::string, api::OrderReceipt> receipts;
    std::optional<api::OrderSummary> order(db::Conn&, std::string_view) override { return std::nullopt; }
    bool mark_paid(db::Tx&, std::string_view, std::string_view) override { return false; }
    bool opened_by(db::Conn&, std::string_view, std::string_view) override { return false; }
    std::optional<api::OrderReceipt> receipt(db::Conn&, std::string_view id) override {
        auto it = receipts.find(std::string(id));
        if (it == receipts.end()) return std::nullopt;
        return it->second;
    }
};

db::Migrator user_schema() {
    db::Migrator m;
    user::add_migrations(m);
    return m;
}

struct ProjectionWorld {
    test::TestDb t{user_schema()};
    std::int64_t now = core::now_ms();
    FakeOrders orders;
    Interfaces ifs;
    bool offered = (ifs.offer<api::Orders>("test", orders), true);
    Later<api::Orders> later = ifs.need_later<api::Orders>("user");
    bool sealed = (ifs.seal(), true);
    user::UserRepository users;
    events::EventFeed feed;

    std::unique_ptr<user::MailProjection> projection(bool enabled) {
        auto p = std::make_unique<user::MailProjection>(enabled, users, later, [this] { return now; });
        feed.subscribe(t.bus(), p->projection());
        return p;
    }
    void paid(const std::string& order_id) {
        t.db().write([&](db::Tx& tx) { tx.emit(events::OrderPaid{order_id, "usr_1", "pay_1", 100, "USD", {}}); });
    }
    std::vector<std::string> keys() {
        return t.db().read([](db::Conn& c) {
            std::vector<std::string> out;
            for (const auto& j : core::Outbox::list(c, user::kMailKind, "", 0, 100)) out.push_back(j.key);
            return out;
        });
    }
};

}  // namespace

TEST_CASE("the projection queues one mail per paid order, in the event's transaction, to the order's address") {
    ProjectionWorld w;
    auto r = receipt();
    w.orders.receipts["ord_1"] = r;
    r.id = "ord_2";
    r.email = std::nullopt;  // an order from before v1.1: the account's address
    r.user_id = "usr_2";
    w.orders.receipts["ord_2"] = r;
    r.id = "ord_3";
    r.user_id = "";  // no address at all: nothing to send
    w.orders.receipts["ord_3"] = r;
    w.t.db().write([](db::Tx& tx) {
        tx.exec("INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)"
                " VALUES ('usr_2', 'bob@example.com', 'Bob', 'customer', 'x', 1, 1)");
    });
    auto p = w.projection(true);
    w.paid("ord_1");
    w.paid("ord_1");  // applied again (a catch-up): no second mail
    w.paid("ord_2");
    w.paid("ord_3");
    w.paid("ord_unknown");
    CHECK(w.keys() == std::vector<std::string>{"order_paid:ord_2", "order_paid:ord_1"});
    auto jobs = w.t.db().read([](db::Conn& c) { return core::Outbox::list(c, user::kMailKind, "", 0, 10); });
    CHECK(json::parse(jobs[0].payload)["to"] == "bob@example.com");
    CHECK(json::parse(jobs[0].payload)["data"]["name"] == "Bob");
    CHECK(json::parse(jobs[1].payload)["to"] == "ann@example.com");
}

TEST_CASE("with mail off, or for an event too old to mail about, nothing is queued") {
    ProjectionWorld w;
    w.orders.receipts["ord_1"] = receipt();
    auto off = w.projection(false);
    w.paid("ord_1");
    CHECK(w.keys().empty());

    ProjectionWorld later_world;
    later_world.orders.receipts["ord_1"] = receipt();
    auto on = later_world.projection(true);
    later_world.now += user::MailProjection::kMaxAgeMs + 60000;  // the event is written at the real time
    later_world.paid("ord_1");
    CHECK(later_world.keys().empty());
}

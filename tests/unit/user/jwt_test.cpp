#include "user/jwt.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <map>
#include <random>
#include <vector>

using namespace shop;
using user::base64url_decode;
using user::base64url_encode;

namespace {
const std::string kSecret = "jwt-test-secret-0123456789abcdefghij";
constexpr std::int64_t kNow = 1'800'000'000;

user::Jwt make_jwt(const std::string& secret = kSecret) {
    user::Jwt j(900);
    j.set_secret(secret);
    return j;
}

// A token with any header and payload text, correctly HMAC-SHA256-signed with `secret`:
// what an attacker cannot make, used to show the checks after the signature hold too.
std::string forge(const std::string& header, const std::string& payload, const std::string& secret = kSecret) {
    std::string input = base64url_encode(header) + "." + base64url_encode(payload);
    return input + "." + base64url_encode(user::hmac_sha256(secret, input));
}

nlohmann::json claims(std::int64_t iat = kNow, std::int64_t exp = kNow + 900) {
    return {{"sub", "usr_1"}, {"role", "admin"}, {"iat", iat}, {"exp", exp}, {"jti", "j1"}};
}

const std::string kHs256 = R"({"alg":"HS256","typ":"JWT"})";
}  // namespace

TEST_CASE("base64url round-trips and refuses padding and stray characters") {
    for (const std::string& s :
         std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\xfe", 3)}) {
        auto enc = base64url_encode(s);
        CHECK(enc.find('=') == std::string::npos);
        CHECK(base64url_decode(enc) == s);
    }
    CHECK(base64url_encode("\xfb\xff") == "-_8");
    CHECK_FALSE(base64url_decode("Zm8="));  // padding
    CHECK_FALSE(base64url_decode("Zm+v"));  // standard alphabet
    CHECK_FALSE(base64url_decode("Zm 8"));
    CHECK_FALSE(base64url_decode("Zm9"));  // non-zero unused bits: a second spelling of "fo"
    CHECK(base64url_decode("Zm8") == "fo");
    // Bytes outside the alphabet, including ones libsodium 1.0.18 would read as '_' or '-'.
    for (int b = 0x80; b <= 0xff; ++b) CHECK_FALSE(base64url_decode(std::string("Zm9") + static_cast<char>(b)));
    CHECK_FALSE(base64url_decode(std::string("Zm8\0", 4)));
    CHECK_FALSE(base64url_decode("Z"));
}

TEST_CASE("a signed token verifies and carries its claims") {
    auto jwt = make_jwt();
    std::string token = jwt.issue("usr_42", http::Role::Admin, kNow);
    auto c = jwt.decode(token, kNow + 10);
    REQUIRE(c);
    CHECK(c->sub == "usr_42");
    CHECK(c->role == http::Role::Admin);
    CHECK(c->iat == kNow);
    CHECK(c->exp == kNow + 900);
    CHECK_FALSE(c->jti.empty());

    auto header = nlohmann::json::parse(*base64url_decode(token.substr(0, token.find('.'))));
    CHECK(header["alg"] == "HS256");
    CHECK(header["typ"] == "JWT");
    // jti makes every token unique, even two issued in the same second.
    CHECK(jwt.issue("usr_42", http::Role::Admin, kNow) != token);
    // The same secret elsewhere (another replica) verifies it.
    CHECK(make_jwt().decode(token, kNow + 10));
}

TEST_CASE("verify() accepts a fresh token and gives the principal") {
    auto jwt = make_jwt();
    auto p = jwt.verify(jwt.issue("usr_7", http::Role::Customer, std::time(nullptr)));
    REQUIRE(p);
    CHECK(p->user_id == "usr_7");
    CHECK(p->role == http::Role::Customer);
    CHECK_FALSE(jwt.verify(jwt.issue("usr_7", http::Role::Customer, std::time(nullptr) - 901)));
}

TEST_CASE("expired tokens are refused, to the second") {
    auto jwt = make_jwt();
    std::string token = jwt.issue("usr_1", http::Role::Customer, kNow);
    CHECK(jwt.decode(token, kNow + 899));
    CHECK_FALSE(jwt.decode(token, kNow + 900));
    CHECK_FALSE(jwt.decode(token, kNow + 100000));
    // Issued well in the future: not from a replica with a slightly fast clock.
    CHECK_FALSE(jwt.decode(forge(kHs256, claims(kNow + 3600, kNow + 4500).dump()), kNow));
    CHECK(jwt.decode(forge(kHs256, claims(kNow + 30, kNow + 900).dump()), kNow));
}

TEST_CASE("another secret's signature is refused") {
    auto jwt = make_jwt();
    std::string theirs = make_jwt("some-other-secret-0123456789abcdefgh").issue("usr_1", http::Role::Admin, kNow);
    CHECK_FALSE(jwt.decode(theirs, kNow));
    // A flipped signature character.
    std::string ours = jwt.issue("usr_1", http::Role::Customer, kNow);
    std::string tampered = ours;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    CHECK_FALSE(jwt.decode(tampered, kNow));
    // A payload changed after signing (customer promoting itself).
    auto dot1 = ours.find('.');
    auto dot2 = ours.find('.', dot1 + 1);
    auto payload = nlohmann::json::parse(*base64url_decode(ours.substr(dot1 + 1, dot2 - dot1 - 1)));
    payload["role"] = "admin";
    std::string promoted = ours.substr(0, dot1 + 1) + base64url_encode(payload.dump()) + ours.substr(dot2);
    CHECK_FALSE(jwt.decode(promoted, kNow));
    // A missing signature.
    CHECK_FALSE(jwt.decode(ours.substr(0, dot2 + 1), kNow));
}

TEST_CASE("alg none is refused, signed or not") {
    auto jwt = make_jwt();
    std::string body = base64url_encode(claims().dump());
    std::string none = base64url_encode(R"({"alg":"none","typ":"JWT"})");
    CHECK_FALSE(jwt.decode(none + "." + body + ".", kNow));
    CHECK_FALSE(jwt.decode(none + "." + body, kNow));
    CHECK_FALSE(jwt.decode(forge(R"({"alg":"none"})", claims().dump()), kNow));
    CHECK_FALSE(jwt.decode(forge(R"({"alg":"None"})", claims().dump()), kNow));
}

TEST_CASE("any algorithm but HS256 is refused, even with a signature made with our secret") {
    auto jwt = make_jwt();
    for (const char* alg : {"HS512", "HS384", "RS256", "ES256", "hs256", ""})
        CHECK_FALSE(jwt.decode(forge(nlohmann::json{{"alg", alg}, {"typ", "JWT"}}.dump(), claims().dump()), kNow));
    CHECK_FALSE(jwt.decode(forge(R"({"typ":"JWT"})", claims().dump()), kNow));                   // no alg
    CHECK_FALSE(jwt.decode(forge(R"({"alg":["HS256"]})", claims().dump()), kNow));               // not a string
    CHECK_FALSE(jwt.decode(forge(R"({"alg":"HS256","crit":["exp"]})", claims().dump()), kNow));  // unknown extension
    CHECK(jwt.decode(forge(R"({"alg":"HS256"})", claims().dump()), kNow));                       // control
}

TEST_CASE("claims must all be there and well-typed") {
    auto jwt = make_jwt();
    CHECK(jwt.decode(forge(kHs256, claims().dump()), kNow));
    for (const char* missing : {"sub", "role", "iat", "exp", "jti"}) {
        auto c = claims();
        c.erase(missing);
        CHECK_FALSE(jwt.decode(forge(kHs256, c.dump()), kNow));
    }
    auto bad = [&](const char* key, nlohmann::json v) {
        auto c = claims();
        c[key] = std::move(v);
        return !jwt.decode(forge(kHs256, c.dump()), kNow);
    };
    CHECK(bad("role", "root"));
    CHECK(bad("role", 1));
    CHECK(bad("sub", ""));
    CHECK(bad("sub", 42));
    CHECK(bad("exp", "2099-01-01"));
    CHECK(bad("exp", 1.9e9));
    CHECK(bad("iat", nullptr));
    CHECK(bad("nbf", kNow + 100));
    CHECK_FALSE(bad("nbf", kNow - 100));
    CHECK_FALSE(jwt.decode(forge(kHs256, "[1,2,3]"), kNow));
    CHECK_FALSE(jwt.decode(forge(kHs256, "not json"), kNow));
    CHECK_FALSE(jwt.decode(forge("not json", claims().dump()), kNow));
}

TEST_CASE("garbage never verifies and never crashes") {
    auto jwt = make_jwt();
    for (const std::string& g :
         std::vector<std::string>{"", ".", "..", "...", "a", "a.b", "a.b.c", "a.b.c.d", "!!.??.**", "Bearer x", "é.é.é",
                                  std::string(5000, 'a'), std::string("\0.\0.\0", 5)})
        CHECK_FALSE(jwt.decode(g, kNow));
    std::string good = jwt.issue("usr_1", http::Role::Customer, kNow);
    CHECK_FALSE(jwt.decode(good + ".", kNow));
    CHECK_FALSE(jwt.decode("." + good, kNow));
    CHECK_FALSE(jwt.decode(good + "=", kNow));
    CHECK_FALSE(jwt.decode(good + " ", kNow));

    // Random mutations of a good token: every one is refused, none crashes.
    std::mt19937 rng(12345);
    for (int i = 0; i < 2000; ++i) {
        std::string t = good;
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) t[rng() % t.size()] = static_cast<char>(rng() % 256);
        if (t == good) continue;
        CHECK_FALSE(jwt.decode(t, kNow));
    }
}

TEST_CASE("without a secret nothing verifies") {
    user::Jwt jwt(900);
    user::Jwt signer = make_jwt();
    CHECK_FALSE(jwt.has_secret());
    CHECK_FALSE(jwt.decode(signer.issue("usr_1", http::Role::Admin, kNow), kNow));
    CHECK_FALSE(jwt.verify(signer.issue("usr_1", http::Role::Admin, std::time(nullptr))));
}

TEST_CASE("a token carries its token generation; tokens from before generations read as 0") {
    auto jwt = make_jwt();
    auto c = jwt.decode(jwt.issue("usr_1", http::Role::Customer, kNow, 7), kNow);
    REQUIRE(c);
    CHECK(c->gen == 7);
    auto old = jwt.decode(forge(kHs256, claims().dump()), kNow);  // no "gen" claim
    REQUIRE(old);
    CHECK(old->gen == 0);
    for (const nlohmann::json& bad : {nlohmann::json(-1), nlohmann::json("1"), nlohmann::json(1.5), nlohmann::json()}) {
        auto with = claims();
        with["gen"] = bad;
        CHECK_FALSE(jwt.decode(forge(kHs256, with.dump()), kNow));
    }
}

TEST_CASE("verify() refuses a token of another generation than the user's current one") {
    auto jwt = make_jwt();
    std::map<std::string, std::int64_t, std::less<>> current{{"usr_1", 2}};
    std::vector<std::string> asked;
    jwt.end_tokens_by([&](std::string_view id) -> std::optional<std::int64_t> {
        asked.emplace_back(id);
        auto it = current.find(id);
        if (it == current.end()) return std::nullopt;
        return it->second;
    });
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    // Issued in the same second as the change that raised the generation: only the
    // generation tells them apart, never the time.
    std::string before = jwt.issue("usr_1", http::Role::Customer, now, 1);
    std::string after = jwt.issue("usr_1", http::Role::Customer, now, 2);
    CHECK_FALSE(jwt.verify(before));
    CHECK(jwt.verify(after));
    current["usr_1"] = 3;  // another replica ended them: seen at the next request
    CHECK_FALSE(jwt.verify(after));
    CHECK_FALSE(jwt.verify(jwt.issue("usr_gone", http::Role::Customer, now, 0)));  // account deleted
    CHECK(asked.size() == 4);
    // Garbage never reaches the database.
    CHECK_FALSE(jwt.verify("not-a-token"));
    CHECK(asked.size() == 4);
}

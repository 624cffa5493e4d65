#include "jwt.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "shop/core/random.hpp"
#include "shop/core/time.hpp"

namespace shop::user {

using nlohmann::json;

namespace {
// Our own tokens are ~300 bytes; anything much longer is not one of ours.
constexpr std::size_t kMaxTokenBytes = 2048;
constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
// Tolerated clock difference between replicas for a token issued "in the future".
constexpr std::int64_t kIssuedAtLeewayS = 60;

std::optional<json> json_object(std::string_view b64) {
    auto raw = base64url_decode(b64);
    if (!raw) return std::nullopt;
    json j = json::parse(*raw, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

std::optional<std::int64_t> int_claim(const json& p, const char* name) {
    auto it = p.find(name);
    if (it == p.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

std::optional<std::string> string_claim(const json& p, const char* name, std::size_t max) {
    auto it = p.find(name);
    if (it == p.end() || !it->is_string()) return std::nullopt;
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty() || s.size() > max) return std::nullopt;
    return s;
}
}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    // libsodium 1.0.18 maps some bytes above 0x7f onto alphabet characters, which would make
    // tokens malleable (two spellings, one signature): only the alphabet itself gets through.
    for (char ch : text) {
        bool alphabet =
            (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        if (!alphabet) return std::nullopt;
    }
    std::string out(text.size() * 3 / 4 + 1, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &len, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(len);
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
    // The streaming API takes a key of any length (RFC 2104), as JWT secrets are.
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_final(&st, reinterpret_cast<unsigned char*>(mac.data()));
    sodium_memzero(&st, sizeof st);
    return mac;
}

std::string Jwt::issue(const std::string& user_id, http::Role role, std::int64_t now_s, std::int64_t gen) const {
    return sign({user_id, role, now_s, now_s + ttl_s_, core::random_token(16), gen});
}

std::string Jwt::sign(const AccessClaims& c) const {
    json payload = {
        {"sub", c.sub}, {"role", std::string(http::to_string(c.role))}, {"iat", c.iat}, {"exp", c.exp}, {"jti", c.jti}, {"gen", c.gen}};
    std::string input = base64url_encode(kHeader) + "." + base64url_encode(payload.dump());
    return input + "." + base64url_encode(hmac_sha256(secret_, input));
}

std::optional<AccessClaims> Jwt::decode(std::string_view token, std::int64_t now_s) const {
    if (secret_.empty() || token.size() > kMaxTokenBytes) return std::nullopt;
    auto dot1 = token.find('.');
    if (dot1 == std::string_view::npos) return std::nullopt;
    auto dot2 = token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) return std::nullopt;

    // The signature is checked before any JSON is parsed: unauthenticated input is never
    // interpreted. The algorithm is ours, not the header's, so "none" or RS256 tricks fail here.
    auto sig = base64url_decode(token.substr(dot2 + 1));
    if (!sig || sig->size() != crypto_auth_hmacsha256_BYTES) return std::nullopt;
    std::string expected = hmac_sha256(secret_, token.substr(0, dot2));
    if (sodium_memcmp(sig->data(), expected.data(), expected.size()) != 0) return std::nullopt;

    auto header = json_object(token.substr(0, dot1));
    if (!header || header->value("alg", json()) != "HS256") return std::nullopt;
    if (header->contains("crit")) return std::nullopt;  // extensions we do not understand
    auto payload = json_object(token.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!payload) return std::nullopt;

    AccessClaims c;
    auto sub = string_claim(*payload, "sub", 128);
    auto role_name = string_claim(*payload, "role", 16);
    auto iat = int_claim(*payload, "iat");
    auto exp = int_claim(*payload, "exp");
    auto jti = string_claim(*payload, "jti", 128);
    if (!sub || !role_name || !iat || !exp || !jti) return std::nullopt;
    auto role = http::role_from_string(*role_name);
    if (!role) return std::nullopt;
    if (now_s >= *exp || *iat > now_s + kIssuedAtLeewayS) return std::nullopt;
    if (auto nbf = payload->find("nbf");
        nbf != payload->end() && (!nbf->is_number_integer() || nbf->get<std::int64_t>() > now_s))
        return std::nullopt;
    c.sub = std::move(*sub);
    c.role = *role;
    c.iat = *iat;
    c.exp = *exp;
    c.jti = std::move(*jti);
    if (payload->contains("gen")) {
        auto gen = int_claim(*payload, "gen");
        if (!gen || *gen < 0) return std::nullopt;
        c.gen = *gen;
    }
    return c;
}

std::optional<http::Principal> Jwt::verify(std::string_view bearer_token) const {
    auto c = decode(bearer_token, core::now_ms() / 1000);
    if (!c) return std::nullopt;
    if (generation_) {
        auto current = generation_(c->sub);
        if (!current || *current != c->gen) return std::nullopt;
    }
    return http::Principal{std::move(c->sub), c->role};
}

}  // namespace shop::user

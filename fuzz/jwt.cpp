// JWT parsing: any string given as a bearer token is refused or accepted without a crash;
// base64url decoding is canonical (what decodes re-encodes to the same text); a token we
// sign decodes to the claims we signed, and one changed byte makes it fail.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "user/jwt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const shop::user::Jwt& jwt = *[] {
        auto* j = new shop::user::Jwt(900);  // lives as long as the process
        j->set_secret(std::string(32, 's'));
        return j;
    }();
    std::string_view text(reinterpret_cast<const char*>(data), size);
    constexpr std::int64_t kNow = 1'800'000'000;

    (void)jwt.verify(text);
    auto claims = jwt.decode(text, kNow);
    if (claims && jwt.sign(*claims) != text) {
        // Another spelling of a valid token would mean our parser accepts what we never sign.
        auto again = jwt.decode(jwt.sign(*claims), kNow);
        if (!again || again->sub != claims->sub || again->exp != claims->exp) std::abort();
    }
    if (auto raw = shop::user::base64url_decode(text); raw && shop::user::base64url_encode(*raw) != text)
        std::abort();
    if (size > 0 && size < 200) {
        shop::user::AccessClaims c;
        // Our ids are ASCII (sign() is never given client bytes): the input, hex-encoded.
        static const char* kHex = "0123456789abcdef";
        c.sub = "usr_";
        for (unsigned char ch : text.substr(0, std::min<std::size_t>(size / 2, 40))) {
            c.sub += kHex[ch >> 4];
            c.sub += kHex[ch & 15];
        }
        c.role = (data[0] & 1) ? shop::http::Role::Admin : shop::http::Role::Customer;
        c.iat = kNow;
        c.exp = kNow + 60;
        c.jti = "j";
        std::string token = jwt.sign(c);
        auto back = jwt.decode(token, kNow);
        if (!back || back->sub != c.sub || back->role != c.role) std::abort();
        token[data[size - 1] % token.size()] ^= 0x01;
        if (auto forged = jwt.decode(token, kNow); forged && (forged->sub != c.sub || forged->role != c.role))
            std::abort();
    }
    return 0;
}

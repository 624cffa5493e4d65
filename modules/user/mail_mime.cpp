#include "mail_mime.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace shop::user {

namespace {
constexpr std::size_t kLine = 76;
// Bytes of UTF-8 per encoded word: 45 make 60 base64 characters, so a word with its
// "=?UTF-8?B?" and "?=" stays within RFC 2047's 75.
constexpr std::size_t kWordBytes = 45;

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.find('\0'));
    return out;
}

bool plain_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

// The From value with a non-ASCII display name encoded; the address stays as it is.
std::string from_header(std::string_view from) {
    auto open = from.rfind('<');
    if (open == std::string_view::npos || open == 0) return header_text(from);
    std::string_view name = from.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    return header_text(name) + " " + header_text(from.substr(open));
}

// Text in MIME's canonical form: every line ends in CRLF, before it is encoded.
std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}

std::string part(std::string_view boundary, std::string_view type, std::string_view body) {
    return "--" + std::string(boundary) + "\r\nContent-Type: " + std::string(type) +
           "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_lines(crlf(body));
}
}  // namespace

std::string base64_lines(std::string_view bytes) {
    const std::string all = base64(bytes);
    std::string out;
    out.reserve(all.size() + all.size() / kLine * 2 + 2);
    for (std::size_t i = 0; i < all.size(); i += kLine) out += all.substr(i, kLine) + "\r\n";
    return out;
}

std::string header_text(std::string_view value) {
    std::string flat(value);
    for (char& c : flat)
        if (c == '\r' || c == '\n' || c == '\t') c = ' ';
    if (plain_ascii(flat)) return flat;
    std::string out;
    std::size_t i = 0;
    while (i < flat.size()) {
        std::size_t n = std::min(kWordBytes, flat.size() - i);
        // Never split a UTF-8 sequence between words: back up to a lead byte.
        while (i + n < flat.size() && n > 1 && (static_cast<unsigned char>(flat[i + n]) & 0xC0) == 0x80) --n;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(std::string_view(flat).substr(i, n)) + "?=";
        i += n;
    }
    return out;
}

std::string mail_date(std::int64_t epoch_ms) {
    static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                  kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string build_mime(const MailMessage& m, std::string_view boundary) {
    std::string out;
    out += "From: " + from_header(m.from) + "\r\n";
    out += "To: " + header_text(m.to) + "\r\n";
    out += "Subject: " + header_text(m.subject) + "\r\n";
    out += "Date: " + mail_date(m.date_ms) + "\r\n";
    out += "Message-ID: <" + header_text(m.message_id) + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + std::string(boundary) + "\"\r\n";
    out += "\r\n";
    // Readers that do not understand MIME show the text version, which comes first.
    out += part(boundary, "text/plain", m.text);
    out += part(boundary, "text/html", m.html);
    out += "--" + std::string(boundary) + "--\r\n";
    return out;
}

}  // namespace shop::user

#pragma once
// An e-mail as the bytes handed to the SMTP server: RFC 5322 headers and a MIME
// multipart/alternative body holding the text and the HTML version, both UTF-8 and base64
// (so no line is too long, and no body line can end the SMTP DATA early).
#include <cstdint>
#include <string>
#include <string_view>

namespace shop::user {

struct MailMessage {
    std::string from;     // "shop@example.com" or "Shop <shop@example.com>"
    std::string to;       // one address
    std::string subject;  // UTF-8
    std::string text;
    std::string html;
    std::string message_id;  // "id@domain", without the angle brackets
    std::int64_t date_ms = 0;
};

// The whole message with CRLF line ends. `boundary` separates the parts; it must not occur
// in the encoded parts (a "=_" one cannot: base64 has no "=_").
std::string build_mime(const MailMessage& m, std::string_view boundary);

// A header value as RFC 2047 encoded words when it holds anything but printable ASCII;
// line breaks become spaces first, so no value can add a header.
std::string header_text(std::string_view value);
// "Fri, 04 Dec 2026 13:41:01 +0000"
std::string mail_date(std::int64_t epoch_ms);
// Base64 (RFC 2045) in lines of 76 characters, each ended by CRLF.
std::string base64_lines(std::string_view bytes);

}  // namespace shop::user

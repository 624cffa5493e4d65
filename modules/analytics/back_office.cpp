#include "back_office.hpp"

namespace shop::analytics {

http::StaticFiles back_office(std::span<const http::EmbeddedFile> files) {
    http::StaticFilesOptions o;
    o.what = "back-office";
    // Only this origin's scripts and styles (no inline code), images from /media or data:
    // URLs, and fetches to this origin's API.
    o.content_security_policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    // The admin's pages say nothing of themselves to any other origin.
    o.referrer_policy = "no-referrer";
    return http::StaticFiles(files, std::move(o));
}

}  // namespace shop::analytics

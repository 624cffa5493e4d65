#include "storefront.hpp"

namespace shop::pages {

http::StaticFiles storefront(std::span<const http::EmbeddedFile> files) {
    http::StaticFilesOptions o;
    o.what = "storefront";
    // The page has no inline script or style: everything comes from its own files, and it
    // talks to this origin's API only. Images are the shop's own (/media) or data: URLs.
    o.content_security_policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    // Within the shop a referrer is harmless (and useful in its logs); elsewhere it is not sent.
    o.referrer_policy = "same-origin";
    o.gzip = true;
    o.headers = {{"Cross-Origin-Opener-Policy", "same-origin"}};
    return http::StaticFiles(files, std::move(o));
}

}  // namespace shop::pages

#pragma once
// Files compiled into the binary (the storefront's, the back office's) as HTTP answers.
// One of them, index.html, is the page; the others are its assets, looked up by name.
// Each is prepared once: its content type, a strong ETag and, when asked for, a gzip copy
// (with its own ETag) for clients that accept it. Every answer is revalidated each time
// (Cache-Control: no-cache, a 304 to a matching If-None-Match) and carries the same
// security headers: nosniff, no framing, and the caller's Content-Security-Policy and
// Referrer-Policy.
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shop/http/request.hpp"
#include "shop/http/response.hpp"

namespace shop::http {

// A file as embedded at build time (cmake/embed_files.cmake): "app.js" and its text.
struct EmbeddedFile {
    std::string_view name;
    std::string_view text;
};

struct StaticFilesOptions {
    std::string what;  // "storefront": names the set in a 404's detail
    std::string content_security_policy;
    std::string referrer_policy = "no-referrer";
    bool gzip = false;  // send a gzip copy to clients that accept it, where it is smaller
    // Further headers on every answer, after the common ones.
    std::vector<std::pair<std::string, std::string>> headers;
};

class StaticFiles {
public:
    // Throws std::logic_error when there is no index.html or a file's type is unknown:
    // a build mistake, found at start-up.
    StaticFiles(std::span<const EmbeddedFile> files, StaticFilesOptions options);

    // The page (index.html).
    Response page(const Request& req) const;
    // A file other than the page, by name; 404 not_found for any other name.
    Response asset(std::string_view name, const Request& req) const;

    const std::string& content_security_policy() const { return options_.content_security_policy; }
    // The content type a file is served with, from its extension.
    static std::string content_type(std::string_view name);

private:
    struct Prepared {
        std::string content_type;
        std::string body;
        std::string etag;
        std::string gzipped;  // empty when not sent (gzip off, or it would not be smaller)
        std::string etag_gz;  // of gzipped
    };
    Response respond(const Prepared& f, const Request& req) const;

    StaticFilesOptions options_;
    std::map<std::string, Prepared, std::less<>> files_;
};

}  // namespace shop::http

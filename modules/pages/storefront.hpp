#pragma once
// The storefront's files as HTTP answers. The page (index.html) is one shell for every
// /shop path, whose scripts route on the client; the other files are its assets. Each is
// prepared once: its content type, a strong ETag, and a gzip copy sent to clients that
// accept it. Every answer carries the same security headers, the Content-Security-Policy
// allowing only same-origin scripts, styles, images and API calls (no inline code at all).
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "shop/http/request.hpp"
#include "shop/http/response.hpp"
#include "web_files.hpp"

namespace shop::pages {

class Storefront {
public:
    Storefront();  // the embedded files
    explicit Storefront(std::span<const WebFile> files);

    // The page shell, for /shop and each of its client-side routes.
    http::Response page(const http::Request& req) const;
    // An asset by file name ("app.js"); 404 not_found for a name that is not one.
    http::Response asset(std::string_view name, const http::Request& req) const;

    const std::string& content_security_policy() const { return csp_; }
    // The content type a file is served with, from its extension.
    static std::string content_type(std::string_view name);

private:
    struct Prepared {
        std::string content_type;
        std::string body;
        std::string gzipped;
        std::string etag;     // of body
        std::string etag_gz;  // of gzipped
    };
    http::Response respond(const Prepared& f, const http::Request& req) const;

    std::string csp_;
    std::map<std::string, Prepared, std::less<>> files_;
    const Prepared* page_ = nullptr;
};

}  // namespace shop::pages

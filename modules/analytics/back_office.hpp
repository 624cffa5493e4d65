#pragma once
// GET / and GET /admin/assets/{file}: the back office, HTML, CSS and JavaScript modules
// compiled into the binary (modules/analytics/web, listed in CMakeLists.txt). The page
// (index.html) holds no data: its scripts sign in and use the public API like any other
// client. Each file is prepared once with its content type and a strong ETag; every answer
// carries a Content-Security-Policy that lets only this origin's files run (no inline code
// at all) and only this origin's API be called.
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "shop/http/request.hpp"
#include "shop/http/response.hpp"

namespace shop::analytics {

struct BackOfficeFile {
    std::string_view name;  // "app.js"
    std::string_view text;
};

// The embedded files (generated at build time).
extern const std::span<const BackOfficeFile> kBackOfficeFiles;

class BackOffice {
public:
    BackOffice();  // the embedded files
    explicit BackOffice(std::span<const BackOfficeFile> files);

    // The page (index.html).
    http::Response page(const http::Request& req) const;
    // A file other than the page by name; 404 not_found for any other name.
    http::Response asset(std::string_view name, const http::Request& req) const;

    const std::string& content_security_policy() const { return csp_; }
    // The content type a file is served with, from its extension.
    static std::string content_type(std::string_view name);

private:
    struct Prepared {
        std::string content_type;
        std::string body;
        std::string etag;
    };
    http::Response respond(const Prepared& f, const http::Request& req) const;

    std::string csp_;
    std::map<std::string, Prepared, std::less<>> files_;
    const Prepared* page_ = nullptr;
};

}  // namespace shop::analytics

#include "back_office.hpp"

#include <sodium.h>

#include <stdexcept>

#include "shop/core/error.hpp"

namespace shop::analytics {

namespace {

constexpr std::string_view kPage = "index.html";

std::string strong_etag(std::string_view bytes) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                       nullptr, 0);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return "\"" + std::string(hex) + "\"";
}

// If-None-Match: `*` or a comma-separated list of entity tags, each maybe weak (W/"...").
bool none_match(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        auto comma = header.find(',');
        auto tag = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
        while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) return true;
    }
    return false;
}

}  // namespace

std::string BackOffice::content_type(std::string_view name) {
    auto dot = name.rfind('.');
    auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js") return "text/javascript; charset=utf-8";
    throw std::logic_error("back office: no content type for " + std::string(name));
}

BackOffice::BackOffice() : BackOffice(kBackOfficeFiles) {}

BackOffice::BackOffice(std::span<const BackOfficeFile> files) {
    for (const auto& f : files) {
        Prepared p{content_type(f.name), std::string(f.text), strong_etag(f.text)};
        files_.emplace(std::string(f.name), std::move(p));
    }
    auto page = files_.find(kPage);
    if (page == files_.end()) throw std::logic_error("back office: no index.html");
    page_ = &page->second;
    // Only this origin's scripts and styles (no inline code), images from /media or data:
    // URLs, and fetches to this origin's API.
    csp_ =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

http::Response BackOffice::page(const http::Request& req) const { return respond(*page_, req); }

http::Response BackOffice::asset(std::string_view name, const http::Request& req) const {
    auto it = files_.find(name);
    if (it == files_.end() || it->first == kPage) throw Error::not_found("no such back-office file");
    return respond(it->second, req);
}

http::Response BackOffice::respond(const Prepared& f, const http::Request& req) const {
    http::Response r;
    const auto inm = req.header("If-None-Match");
    if (inm && none_match(*inm, f.etag))
        r.status = 304;
    else
        r = http::Response::text(200, f.body, f.content_type);
    r.set_header("ETag", f.etag);
    // Revalidated each time (a 304 is one round trip), so a new binary's files are used at
    // once and a page never mixes the scripts of two versions.
    r.set_header("Cache-Control", "no-cache");
    r.set_header("Content-Security-Policy", csp_);
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("X-Frame-Options", "DENY");
    r.set_header("Referrer-Policy", "no-referrer");
    return r;
}

}  // namespace shop::analytics

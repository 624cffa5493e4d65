#include "storefront.hpp"

#include <sodium.h>

#include <stdexcept>

#include "gzip.hpp"
#include "shop/core/error.hpp"

namespace shop::pages {

namespace {

constexpr std::string_view kPage = "index.html";

std::string type_of(std::string_view name) {
    auto dot = name.rfind('.');
    auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js") return "text/javascript; charset=utf-8";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "json") return "application/json";
    throw std::logic_error("storefront: no content type for " + std::string(name));
}

std::string strong_etag(std::string_view bytes, std::string_view suffix) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                       nullptr, 0);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return "\"" + std::string(hex) + std::string(suffix) + "\"";
}

// If-None-Match holds `*` or a list of entity tags, each maybe weak (W/"...").
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

std::string Storefront::content_type(std::string_view name) { return type_of(name); }

Storefront::Storefront() : Storefront(kWebFiles) {}

Storefront::Storefront(std::span<const WebFile> files) {
    for (const auto& f : files) {
        Prepared p{content_type(f.name), std::string(f.text), gzip(f.text), "", ""};
        p.etag = strong_etag(p.body, "");
        p.etag_gz = strong_etag(p.body, "-gz");
        files_.emplace(std::string(f.name), std::move(p));
    }
    auto page = files_.find(kPage);
    if (page == files_.end()) throw std::logic_error("storefront: no index.html");
    page_ = &page->second;
    // The page has no inline script or style: everything comes from its own files, and it
    // talks to this origin's API only. Images are the shop's own (/media) or data: URLs.
    csp_ =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

http::Response Storefront::page(const http::Request& req) const { return respond(*page_, req); }

http::Response Storefront::asset(std::string_view name, const http::Request& req) const {
    auto it = files_.find(name);
    if (it == files_.end() || it->first == kPage) throw Error::not_found("no such storefront file");
    return respond(it->second, req);
}

http::Response Storefront::respond(const Prepared& f, const http::Request& req) const {
    const auto encoding = req.header("Accept-Encoding");
    const bool gz = encoding && accepts_gzip(*encoding) && f.gzipped.size() < f.body.size();
    const std::string& etag = gz ? f.etag_gz : f.etag;
    http::Response r;
    const auto inm = req.header("If-None-Match");
    if (inm && none_match(*inm, etag)) {
        r.status = 304;
    } else {
        r = http::Response::text(200, gz ? f.gzipped : f.body, f.content_type);
        if (gz) r.set_header("Content-Encoding", "gzip");
    }
    r.set_header("ETag", etag);
    // Always revalidated (a 304 costs one round trip), so a new binary's files are taken
    // at once and a page never mixes the scripts of two versions.
    r.set_header("Cache-Control", "no-cache");
    r.set_header("Vary", "Accept-Encoding");
    r.set_header("Content-Security-Policy", csp_);
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("X-Frame-Options", "DENY");
    r.set_header("Referrer-Policy", "same-origin");
    r.set_header("Cross-Origin-Opener-Policy", "same-origin");
    return r;
}

}  // namespace shop::pages

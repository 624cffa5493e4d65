#include "shop/http/static_files.hpp"

#include <sodium.h>

#include <stdexcept>

#include "shop/core/error.hpp"
#include "shop/http/gzip.hpp"

namespace shop::http {

namespace {

constexpr std::string_view kPage = "index.html";

// BLAKE2b-128 of the bytes in hex, quoted; `suffix` tells a gzip copy's tag from its body's.
std::string strong_etag(std::string_view bytes, std::string_view suffix) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                       nullptr, 0);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return "\"" + std::string(hex) + std::string(suffix) + "\"";
}

// If-None-Match holds `*` or a comma-separated list of entity tags, each maybe weak (W/"...").
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

std::string StaticFiles::content_type(std::string_view name) {
    auto dot = name.rfind('.');
    auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js") return "text/javascript; charset=utf-8";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "json") return "application/json";
    throw std::logic_error("static files: no content type for " + std::string(name));
}

StaticFiles::StaticFiles(std::span<const EmbeddedFile> files, StaticFilesOptions options)
    : options_(std::move(options)) {
    for (const auto& f : files) {
        Prepared p{content_type(f.name), std::string(f.text), strong_etag(f.text, ""), "", ""};
        if (options_.gzip) {
            auto gz = gzip(f.text);
            if (gz.size() < p.body.size()) {
                p.gzipped = std::move(gz);
                p.etag_gz = strong_etag(f.text, "-gz");
            }
        }
        files_.emplace(std::string(f.name), std::move(p));
    }
    if (!files_.contains(kPage)) throw std::logic_error(options_.what + ": no index.html");
}

Response StaticFiles::page(const Request& req) const { return respond(files_.find(kPage)->second, req); }

Response StaticFiles::asset(std::string_view name, const Request& req) const {
    auto it = files_.find(name);
    if (it == files_.end() || it->first == kPage) throw Error::not_found("no such " + options_.what + " file");
    return respond(it->second, req);
}

Response StaticFiles::respond(const Prepared& f, const Request& req) const {
    const auto encoding = req.header("Accept-Encoding");
    const bool gz = !f.gzipped.empty() && encoding && accepts_gzip(*encoding);
    const std::string& etag = gz ? f.etag_gz : f.etag;
    Response r;
    const auto inm = req.header("If-None-Match");
    if (inm && none_match(*inm, etag)) {
        r.status = 304;
    } else {
        r = Response::text(200, gz ? f.gzipped : f.body, f.content_type);
        if (gz) r.set_header("Content-Encoding", "gzip");
    }
    r.set_header("ETag", etag);
    // Revalidated each time (a 304 costs one round trip), so a new binary's files are taken
    // at once and a page never mixes the scripts of two versions.
    r.set_header("Cache-Control", "no-cache");
    if (options_.gzip) r.set_header("Vary", "Accept-Encoding");
    r.set_header("Content-Security-Policy", options_.content_security_policy);
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("X-Frame-Options", "DENY");
    r.set_header("Referrer-Policy", options_.referrer_policy);
    for (const auto& [name, value] : options_.headers) r.set_header(name, value);
    return r;
}

}  // namespace shop::http

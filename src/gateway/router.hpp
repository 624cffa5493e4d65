#pragma once
// Matches a method and path against route patterns with {param} segments. Static segments
// win over parameters, so /products/search never reaches /products/{id}.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shop/http/route.hpp"

namespace shop::gateway {

struct Match {
    const http::Route* route = nullptr;  // null: no route for this method (see allowed)
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<http::Method> allowed;   // methods the path does accept, for 405 + Allow
    bool path_found = false;
};

class Router {
public:
    // Throws std::logic_error for a duplicate method+pattern or a malformed pattern.
    void add(http::Route route);
    Match match(http::Method method, std::string_view path) const;
    // The same over segments already split and decoded one by one (the server's way, so a
    // "%2F" inside a segment never splits it). Empty segments are skipped as in a path.
    Match match(http::Method method, const std::vector<std::string>& segments) const;
    const std::vector<http::Route>& routes() const { return routes_; }

private:
    struct Pattern {
        std::vector<std::string> segments;  // "{id}" marks a parameter
        std::size_t route_index;
    };
    static std::vector<std::string_view> split(std::string_view path);
    Match match_segments(http::Method method, const std::vector<std::string_view>& segs) const;
    std::vector<http::Route> routes_;
    std::vector<Pattern> patterns_;
};

std::string allow_header(const std::vector<http::Method>& methods);

}  // namespace shop::gateway

#include "gateway/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace shop::gateway {

namespace {
bool is_param(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }
}  // namespace

std::vector<std::string_view> Router::split(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

void Router::add(http::Route route) {
    if (route.pattern.empty() || route.pattern.front() != '/')
        throw std::logic_error("route pattern must start with '/': " + route.pattern);
    for (const auto& r : routes_)
        if (r.method == route.method && r.pattern == route.pattern)
            throw std::logic_error("duplicate route " + std::string(http::to_string(route.method)) + " " +
                                   route.pattern);
    Pattern p;
    for (auto seg : split(route.pattern)) p.segments.emplace_back(seg);
    p.route_index = routes_.size();
    routes_.push_back(std::move(route));
    patterns_.push_back(std::move(p));
}

Match Router::match(http::Method method, std::string_view path) const {
    return match_segments(method, split(path));
}

Match Router::match(http::Method method, const std::vector<std::string>& segments) const {
    std::vector<std::string_view> segs;
    for (const auto& s : segments)
        if (!s.empty()) segs.emplace_back(s);
    return match_segments(method, segs);
}

Match Router::match_segments(http::Method method, const std::vector<std::string_view>& segs) const {
    Match m;
    // Trailing slashes are not a different resource; "/healthz/" is "/healthz".
    int best_score = -1;
    for (const auto& p : patterns_) {
        if (p.segments.size() != segs.size()) continue;
        int score = 0;
        bool ok = true;
        for (std::size_t i = 0; i < segs.size() && ok; ++i) {
            if (is_param(p.segments[i])) {
                ok = !segs[i].empty();
            } else {
                ok = p.segments[i] == segs[i];
                // Earlier static segments weigh more: /a/b/{x} beats /a/{y}/c for /a/b/c.
                score += 1 << (16 - std::min<std::size_t>(i, 16));
            }
        }
        if (!ok) continue;
        const http::Route& r = routes_[p.route_index];
        m.path_found = true;
        bool method_ok = r.method == method || (method == http::Method::Head && r.method == http::Method::Get);
        if (!method_ok) {
            if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end())
                m.allowed.push_back(r.method);
            continue;
        }
        if (score <= best_score) continue;
        best_score = score;
        m.route = &r;
        m.params.clear();
        for (std::size_t i = 0; i < segs.size(); ++i)
            if (is_param(p.segments[i]))
                m.params.emplace_back(p.segments[i].substr(1, p.segments[i].size() - 2), std::string(segs[i]));
    }
    return m;
}

std::string allow_header(const std::vector<http::Method>& methods) {
    std::vector<http::Method> all = methods;
    if (std::find(all.begin(), all.end(), http::Method::Get) != all.end()) all.push_back(http::Method::Head);
    std::sort(all.begin(), all.end());
    std::string out;
    for (auto m : all) {
        if (!out.empty()) out += ", ";
        out += http::to_string(m);
    }
    return out;
}

}  // namespace shop::gateway

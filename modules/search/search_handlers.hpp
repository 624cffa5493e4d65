#pragma once
// HTTP <-> JSON for API.md section 8 (search and suggestions): each handler reads and
// checks the request, calls the service and renders the contract's JSON. The route table
// is in search_module.cpp; the shape is the same in every module (docs/modules.md).
#include "search_service.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::search {

class SearchHandlers {
public:
    explicit SearchHandlers(SearchService& search) : search_(search) {}

    http::Response search(http::Context& ctx);
    http::Response suggest(http::Context& ctx);

private:
    SearchService& search_;
};

}  // namespace shop::search

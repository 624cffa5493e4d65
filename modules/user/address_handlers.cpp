#include "user_handlers.hpp"
#include "rules.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::user {

using nlohmann::json;

namespace {
json address_json(const api::Address& a, const AddressService& addresses) {
    json j = addresses.to_json(a);
    j["id"] = a.id;
    return j;
}

bool is_letter(char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}
}  // namespace

http::Response AddressHandlers::list_addresses(http::Context& c) {
    http::Page page = http::parse_page(c.request());
    auto list = addresses_.list(c.user().user_id, list_key(page), page.limit + 1);
    return http::Response::json(http::page_of(
        std::move(list), page.limit,
        [](const auto& row) { return http::keyset_position({row.created_at_ms, row.address.id}); },
        [this](const auto& row) { return address_json(row.address, addresses_); }));
}

http::Response AddressHandlers::create_address(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"name", "line1", "line2", "city", "postal_code", "country", "region"});
    NewAddress a;
    a.name = f.string("name", {.min = 1, .max = 200});
    a.line1 = f.string("line1", {.min = 1, .max = 200});
    a.line2 = f.opt_string("line2", {.max = 200});
    if (a.line2 && a.line2->empty()) a.line2.reset();
    a.city = f.string("city", {.min = 1, .max = 100});
    a.postal_code = f.string("postal_code", {.min = 1, .max = 20});
    // ISO 3166-1 codes are what we ask for, but a shop abroad still receives "Germany":
    // a two-letter code is normalised to upper case, anything else is kept as written.
    auto country = f.string("country", {.min = 2, .max = 56});
    bool code = country.size() == 2 && is_letter(country[0]) && is_letter(country[1]);
    for (char ch : country) a.country.push_back(code ? static_cast<char>(ch & ~0x20) : ch);
    // An ISO 3166-2 code of that country, upper-cased like it; empty or null is none.
    if (auto region = f.opt_string("region", {.max = 100}); region && !region->empty()) {
        a.region = normalize_region(*region, a.country);
        if (!a.region)
            f.error("region", "must be an ISO 3166-2 subdivision code of the address's country, such as US-CA");
    }
    f.done();
    api::Address made = addresses_.create(c.user().user_id, a);
    http::Response r = http::Response::json(201, address_json(made, addresses_));
    r.set_header("Location", "/api/v1/users/me/addresses/" + made.id);
    return r;
}

http::Response AddressHandlers::get_address(http::Context& c) {
    auto a = addresses_.find(c.user().user_id, c.param("id"));
    if (!a) throw Error::not_found("no such address");
    return http::Response::json(address_json(*a, addresses_));
}

http::Response AddressHandlers::delete_address(http::Context& c) {
    addresses_.remove(c.user().user_id, c.param("id"));
    return http::Response::no_content();
}

}  // namespace shop::user

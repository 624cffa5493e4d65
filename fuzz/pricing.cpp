// The checkout pricing function (section 10): any lines, code, zone and tax rates give a
// priced order whose parts add up, or a shop::Error with one of pricing's own codes; never
// another exception, a negative amount or a total that is not the sum of its parts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>

#include "order/pricing.hpp"
#include "shop/core/error.hpp"

namespace {

using namespace shop::order;

// Reads the input as a stream of numbers; past its end everything is 0.
class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
    bool flag() { return byte() & 1; }
    // Mostly small amounts, sometimes huge ones, so both the arithmetic and overflow are hit.
    std::int64_t amount() {
        std::uint8_t kind = byte();
        std::uint64_t v = 0;
        int len = kind % 4 == 0 ? 8 : kind % 4;
        for (int i = 0; i < len; ++i) v = (v << 8) | byte();
        return static_cast<std::int64_t>(v & 0x7fffffffffffffffULL);
    }
    std::int64_t upto(std::int64_t max) { return amount() % (max + 1); }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "FUZZ FAILURE: %s\n", what);
    std::abort();
}

std::optional<std::int64_t> maybe(Bytes& in) {
    if (!in.flag()) return std::nullopt;
    return in.amount();
}

pricing::Input input_of(Bytes& in) {
    pricing::Input p;
    int lines = 1 + in.byte() % 5;
    for (int i = 0; i < lines; ++i)
        p.lines.push_back({"p" + std::to_string(in.byte() % 4),
                           in.flag() ? std::optional<std::string>("c" + std::to_string(in.byte() % 3)) : std::nullopt,
                           in.amount(), 1 + in.upto(999)});
    p.now_ms = 1000;
    if (in.flag()) {
        p.discount_code = "CODE";
        if (in.flag()) {
            Discount d;
            d.id = "disc";
            d.code = "CODE";
            d.type = static_cast<DiscountType>(in.byte() % 3);
            d.value = d.type == DiscountType::Percentage ? in.upto(100) : in.amount();
            d.min_subtotal = maybe(in);
            d.starts_at_ms = in.flag() ? std::optional<std::int64_t>(in.upto(2000)) : std::nullopt;
            d.ends_at_ms = in.flag() ? std::optional<std::int64_t>(in.upto(2000)) : std::nullopt;
            d.active = !in.flag() || in.flag();
            if (in.flag()) d.product_ids = {"p" + std::to_string(in.byte() % 4)};
            if (in.flag()) {
                d.category_ids = {"c0"};
                p.discount_categories = {"c0", "c" + std::to_string(in.byte() % 3)};
            }
            p.discount = d;
        }
    }
    p.shop_has_zones = in.flag();
    if (p.shop_has_zones && in.flag()) {
        ShippingZone z;
        z.id = "zone";
        int rates = in.byte() % 4;
        for (int i = 0; i < rates; ++i)
            z.rates.push_back({"r" + std::to_string(i), "zone", "rate", in.amount(), maybe(in), maybe(in), maybe(in)});
        p.zone = z;
    }
    if (in.flag()) p.shipping_rate_id = "r" + std::to_string(in.byte() % 4);
    p.rate_required = in.flag();
    p.country = "DE";
    p.region = in.flag() ? "DE-BY" : "";
    int taxes = in.byte() % 3;
    for (int i = 0; i < taxes; ++i) {
        TaxRate t;
        t.country = in.flag() ? "DE" : "FR";
        t.region = in.flag() ? "DE-BY" : "";
        t.rate_bp = in.upto(10000);
        t.shipping_taxable = in.flag();
        p.tax_rates.push_back(t);
    }
    p.prices_include_tax = in.flag();
    return p;
}

void check(const pricing::Input& in, const pricing::Priced& out) {
    if (out.lines.size() != in.lines.size()) fail("a line lost or made up");
    std::int64_t subtotal = 0, discounts = 0, taxes = 0;
    for (std::size_t i = 0; i < out.lines.size(); ++i) {
        const auto& l = out.lines[i];
        if (l.line_total != in.lines[i].unit_price * in.lines[i].quantity) fail("line_total is not price x quantity");
        if (l.discount < 0 || l.discount > l.line_total) fail("a line's discount outside [0, line_total]");
        if (l.tax < 0) fail("negative tax");
        subtotal += l.line_total;
        discounts += l.discount;
        taxes += l.tax;
    }
    if (subtotal != out.subtotal) fail("subtotal is not the sum of the lines");
    if (discounts != out.discount_total) fail("line discounts do not add up to discount_total");
    if (out.tax_total < taxes) fail("tax_total below the lines' tax");
    if (out.shipping_total < 0) fail("negative shipping");
    if (!out.shipping && out.shipping_total != 0) fail("shipping charged without a rate");
    if (out.shipping && out.shipping->price != out.shipping_total) fail("shipping_total is not the rate's price");
    std::int64_t total = out.subtotal - out.discount_total + out.shipping_total;
    if (!in.prices_include_tax) total += out.tax_total;
    if (total != out.total) fail("total is not the sum of its parts");
    if (out.discount && out.discount->type != DiscountType::FreeShipping &&
        out.discount->amount != out.discount_total)
        fail("the discount's amount is not discount_total");
    if (in.shop_has_zones && !in.zone) fail("priced an address in no zone");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes bytes(data, size);
    const pricing::Input in = input_of(bytes);
    try {
        check(in, pricing::price(in));
    } catch (const shop::Error& e) {
        const std::string& code = e.code();
        if (code != "discount_invalid" && code != "shipping_unavailable" && code != "validation_failed")
            fail("an error code pricing does not own");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pricing threw something other than shop::Error: %s\n", e.what());
        std::abort();
    }
    return 0;
}

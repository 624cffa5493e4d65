#include <catch2/catch.hpp>

#include "payment/card.hpp"

using namespace shop::payment;
using nlohmann::json;

namespace {
std::vector<shop::FieldError> errors_for(json card) {
    std::vector<shop::FieldError> errors;
    read_card(card, 2026, 11, errors);
    return errors;
}
}  // namespace

TEST_CASE("Luhn") {
    CHECK(luhn_valid("4242424242424242"));
    CHECK(luhn_valid("4000000000000002"));
    CHECK(luhn_valid("4000000000009995"));
    CHECK(luhn_valid("4000000000003220"));
    CHECK(luhn_valid("378282246310005"));
    CHECK_FALSE(luhn_valid("4242424242424241"));
    CHECK_FALSE(luhn_valid("42424242a4242424"));
    CHECK_FALSE(luhn_valid(""));
}

TEST_CASE("a good card reads, with brand and last four") {
    std::vector<shop::FieldError> errors;
    Card c = read_card({{"number", "4242 4242 4242 4242"}, {"exp_month", 12}, {"exp_year", 2030}, {"cvc", "123"}},
                       2026, 11, errors);
    CHECK(errors.empty());
    CHECK(c.number == "4242424242424242");
    CHECK(c.brand() == "visa");
    CHECK(c.last4() == "4242");
    Card amex = read_card({{"number", "378282246310005"}, {"exp_month", 1}, {"exp_year", 2027}, {"cvc", "1234"}},
                          2026, 11, errors);
    CHECK(errors.empty());
    CHECK(amex.brand() == "amex");
    Card mc = read_card({{"number", "5555555555554444"}, {"exp_month", 11}, {"exp_year", 2026}, {"cvc", "999"}}, 2026,
                        11, errors);
    CHECK(errors.empty());  // good through the end of its month
    CHECK(mc.brand() == "mastercard");
}

TEST_CASE("each bad card field is named, and the number is never echoed") {
    json good = {{"number", "4242424242424242"}, {"exp_month", 12}, {"exp_year", 2030}, {"cvc", "123"}};
    auto with = [&](const char* k, json v) {
        json c = good;
        c[k] = v;
        return c;
    };
    CHECK(errors_for(with("number", "4242424242424241")).at(0).field == "card.number");
    CHECK(errors_for(with("number", 4242424242424242)).at(0).field == "card.number");
    CHECK(errors_for(with("number", "42424242")).at(0).field == "card.number");
    CHECK(errors_for(with("exp_month", 13)).at(0).field == "card.exp_month");
    CHECK(errors_for(with("exp_month", "12")).at(0).field == "card.exp_month");
    CHECK(errors_for(with("exp_year", 2026)).empty());
    json october = with("exp_month", 10);
    october["exp_year"] = 2026;
    CHECK(errors_for(october).at(0).message == "the card has expired");
    CHECK(errors_for(with("exp_year", 2025)).at(0).message == "the card has expired");
    CHECK(errors_for(with("cvc", "12")).at(0).field == "card.cvc");
    CHECK(errors_for(with("cvc", 123)).at(0).field == "card.cvc");
    CHECK(errors_for(with("cvc", "12a")).at(0).field == "card.cvc");
    CHECK(errors_for(with("holder", "x")).at(0).field == "card.holder");
    CHECK(errors_for(json::array()).at(0).field == "card");
    for (const auto& e : errors_for(with("number", "4242424242424241")))
        CHECK(e.message.find("4242") == std::string::npos);
}

// Regression (issue 11, found by fuzz_http): a card number with letters in its first four
// characters and a CVC made brand() call std::stoi on "PATC", so POST /payments answered 500.
TEST_CASE("a number with letters is a validation error, not an exception") {
    for (const char* number : {"PATCH 2121212121", "abcd1234567890", "12x4567890123", "----", "2a2"}) {
        std::vector<shop::FieldError> errors;
        Card c;
        REQUIRE_NOTHROW(c = read_card({{"number", number}, {"exp_month", 12}, {"exp_year", 2040}, {"cvc", "123"}},
                                      2026, 11, errors));
        REQUIRE_FALSE(errors.empty());
        CHECK(errors.front().field == "card.number");
        CHECK_NOTHROW(c.brand());
    }
    Card letters;
    letters.number = "PATC2121212121";
    CHECK(letters.brand() == "unknown");
}

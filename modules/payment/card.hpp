#pragma once
// Card data as a client sends it. It lives only in memory for the length of one request:
// only brand and last four digits are ever stored, logged or echoed.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shop/core/error.hpp"

namespace shop::payment {

struct Card {
    std::string number;  // digits only
    int exp_month = 0;
    int exp_year = 0;
    std::string cvc;

    std::string brand() const;
    std::string last4() const { return number.size() >= 4 ? number.substr(number.size() - 4) : number; }
};

bool luhn_valid(const std::string& digits);

// Reads {number, exp_month, exp_year, cvc}; each bad field is a FieldError, and no error
// message ever repeats the number or the CVC. `now_year`/`now_month` are UTC.
Card read_card(const nlohmann::json& card, int now_year, int now_month, std::vector<FieldError>& errors);

}  // namespace shop::payment

#include "card.hpp"

namespace shop::payment {

namespace {
bool all_digits(const std::string& s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}
}  // namespace

bool luhn_valid(const std::string& digits) {
    if (!all_digits(digits)) return false;
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int d = *it - '0';
        if (twice) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

std::string Card::brand() const {
    auto starts = [&](const char* p) { return number.rfind(p, 0) == 0; };
    if (starts("4")) return "visa";
    if (starts("34") || starts("37")) return "amex";
    if (number.size() >= 2 && number[0] == '5' && number[1] >= '1' && number[1] <= '5') return "mastercard";
    // brand() also runs on numbers that failed validation (for the CVC's length), so it
    // must not assume digits: std::stoi threw on "PATC..." and made a 500 of a 422.
    if (number.size() >= 4 && all_digits(number.substr(0, 4))) {
        int prefix = std::stoi(number.substr(0, 4));
        if (prefix >= 2221 && prefix <= 2720) return "mastercard";
        if (prefix == 6011) return "discover";
    }
    if (starts("65")) return "discover";
    return "unknown";
}

Card read_card(const nlohmann::json& card, int now_year, int now_month, std::vector<FieldError>& errors) {
    Card c;
    if (!card.is_object()) {
        errors.push_back({"card", "must be an object {number, exp_month, exp_year, cvc}"});
        return c;
    }
    const auto number = card.find("number");
    if (number == card.end() || !number->is_string()) {
        errors.push_back({"card.number", "is required, as a string of digits"});
    } else {
        // Spaces and dashes as people type them are fine; anything else is not a number.
        for (char ch : number->get<std::string>())
            if (ch != ' ' && ch != '-') c.number.push_back(ch);
        if (c.number.size() < 12 || c.number.size() > 19 || !luhn_valid(c.number))
            errors.push_back({"card.number", "is not a valid card number"});
    }
    auto month = card.find("exp_month");
    auto year = card.find("exp_year");
    bool month_ok = month != card.end() && month->is_number_integer() && month->get<std::int64_t>() >= 1 &&
                    month->get<std::int64_t>() <= 12;
    bool year_ok = year != card.end() && year->is_number_integer() && year->get<std::int64_t>() >= 2000 &&
                   year->get<std::int64_t>() <= 2100;
    if (!month_ok) errors.push_back({"card.exp_month", "must be an integer from 1 to 12"});
    if (!year_ok) errors.push_back({"card.exp_year", "must be a four-digit year"});
    if (month_ok && year_ok) {
        c.exp_month = month->get<int>();
        c.exp_year = year->get<int>();
        // A card is good through the last day of its expiry month.
        if (c.exp_year < now_year || (c.exp_year == now_year && c.exp_month < now_month))
            errors.push_back({"card.exp_year", "the card has expired"});
    }
    auto cvc = card.find("cvc");
    if (cvc == card.end() || !cvc->is_string()) {
        errors.push_back({"card.cvc", "is required, as a string of 3 or 4 digits"});
    } else {
        c.cvc = cvc->get<std::string>();
        bool amex = c.brand() == "amex";
        bool shape = all_digits(c.cvc) && (amex ? c.cvc.size() == 4 : (c.cvc.size() == 3 || c.cvc.size() == 4));
        if (!shape) errors.push_back({"card.cvc", amex ? "must be 4 digits" : "must be 3 or 4 digits"});
    }
    for (const auto& [k, v] : card.items())
        if (k != "number" && k != "exp_month" && k != "exp_year" && k != "cvc")
            errors.push_back({"card." + k, "is not a field of a card"});
    return c;
}

}  // namespace shop::payment

#include "gateway/error_status.hpp"

#include <array>
#include <utility>

namespace shop::gateway {

namespace {

constexpr std::pair<std::string_view, ErrorStatus> kTable[] = {
    // 400: the request itself cannot be read.
    {"bad_request", {400}},
    {"invalid_json", {400}},
    {"invalid_text", {400}},
    {"invalid_signature", {400}},
    {"idempotency_key_required", {400}},
    {"invalid_token", {400}},  // a password reset token that is unknown, used or expired
    // 401, 403, 404, 405
    {"unauthorized", {401, true}},
    {"invalid_credentials", {401, true}},
    {"invalid_refresh_token", {401, true}},
    {"forbidden", {403}},
    {"insufficient_scope", {403}},
    {"not_found", {404}},
    {"method_not_allowed", {405}},
    // 409: the request is well formed but conflicts with the shop's state.
    {"conflict", {409}},
    {"email_taken", {409}},
    {"sku_taken", {409}},
    {"too_many_attempts", {409}},
    {"too_many_open_orders", {409}},
    {"last_admin", {409}},
    {"category_not_empty", {409}},
    {"country_in_another_zone", {409}},
    {"tax_rate_exists", {409}},
    {"code_taken", {409}},
    {"insufficient_stock", {409}},
    {"invalid_transition", {409}},
    {"order_not_payable", {409}},
    {"payment_not_refundable", {409}},
    {"refund_exceeds_payment", {409}},
    {"idempotency_in_progress", {409}},
    {"discount_exhausted", {409}},
    {"return_window_closed", {409}},
    // 412, 413, 415, 422, 429, 431
    {"precondition_failed", {412}},
    {"payload_too_large", {413}},
    {"unsupported_media_type", {415}},
    {"validation_failed", {422}},
    {"cart_full", {422}},
    {"url_not_allowed", {422}},
    {"variant_required", {422}},
    {"discount_invalid", {422}},
    {"shipping_unavailable", {422}},
    {"idempotency_key_reused", {422}},
    {"rate_limited", {429}},
    {"header_too_large", {431}},
    // 5xx: never the client's fault.
    {"internal_error", {500}},
    {"provider_error", {502}},
    {"database_unavailable", {503}},
    {"payments_unavailable", {503}},
    {"busy", {503}},
};

}  // namespace

const ErrorStatus* error_status(std::string_view code) {
    for (const auto& [c, s] : kTable)
        if (c == code) return &s;
    return nullptr;
}

std::string_view status_title(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No Content";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 412: return "Precondition Failed";
        case 413: return "Content Too Large";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Content";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return status < 500 ? "Client Error" : "Server Error";
    }
}

}  // namespace shop::gateway

#include "gateway/problem.hpp"

#include "shop/core/log.hpp"
#include "shop/db/errors.hpp"

namespace shop::gateway {

http::Response problem_response(const http::ApiError& e, const std::string& request_id) {
    nlohmann::json body = {
        {"type", "urn:shopd:problem:" + e.code()},
        {"title", std::string(http::status_title(e.status()))},
        {"status", e.status()},
        {"detail", e.detail()},
        {"code", e.code()},
        {"request_id", request_id},
    };
    if (!e.errors().empty()) {
        auto& arr = body["errors"] = nlohmann::json::array();
        for (const auto& fe : e.errors()) arr.push_back({{"field", fe.field}, {"message", fe.message}});
    }
    for (const auto& [k, v] : e.extra().items()) body[k] = v;
    http::Response r = http::Response::json(e.status(), body);
    r.set_header("Content-Type", "application/problem+json");
    for (const auto& [k, v] : e.headers()) r.set_header(k, v);
    return r;
}

http::Response response_for_exception(std::exception_ptr ep, const std::string& request_id) {
    try {
        std::rethrow_exception(ep);
    } catch (const http::ApiError& e) {
        return problem_response(e, request_id);
    } catch (const db::UnavailableError& e) {
        log::warn("request {}: database unavailable: {}", request_id, e.what());
        return problem_response(
            http::ApiError::unavailable("database_unavailable", "the database is unavailable; retry shortly", 1),
            request_id);
    } catch (const db::ConstraintError& e) {
        log::warn("request {}: constraint: {}", request_id, e.what());
        return problem_response(http::ApiError::conflict("conflict", "the request conflicts with existing data"),
                                request_id);
    } catch (const nlohmann::json::exception& e) {
        // A handler read a client's field as the wrong type: the client's mistake.
        log::info("request {}: JSON shape: {}", request_id, e.what());
        return problem_response(http::ApiError::validation("body", "a field has the wrong type"), request_id);
    } catch (const std::exception& e) {
        log::error("request {}: unexpected error: {}", request_id, e.what());
    } catch (...) {
        log::error("request {}: unexpected non-standard exception", request_id);
    }
    return problem_response(
        http::ApiError(500, "internal_error", "unexpected error; quote request id " + request_id + " to support"),
        request_id);
}

}  // namespace shop::gateway

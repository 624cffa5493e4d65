#include "gateway/problem.hpp"

#include "gateway/error_status.hpp"
#include "shop/core/log.hpp"
#include "shop/db/errors.hpp"

namespace shop::gateway {

http::Response problem_response(const Error& e, const std::string& request_id) {
    const ErrorStatus* mapped = error_status(e.code());
    if (!mapped) {
        log::error("request {}: error code '{}' has no status in the gateway's table", request_id, e.code());
        static const ErrorStatus kUnmapped{500};
        mapped = &kUnmapped;
    }
    const int status = mapped->status;
    nlohmann::json body = {
        {"type", "urn:shopd:problem:" + e.code()},
        {"title", std::string(status_title(status))},
        {"status", status},
        {"detail", e.detail()},
        {"code", e.code()},
        {"request_id", request_id},
    };
    if (!e.errors().empty()) {
        auto& arr = body["errors"] = nlohmann::json::array();
        for (const auto& fe : e.errors()) {
            nlohmann::json item = {{"field", fe.field}, {"message", fe.message}};
            if (fe.row) item["row"] = *fe.row;
            arr.push_back(std::move(item));
        }
    }
    for (const auto& [k, v] : e.extra().items()) body[k] = v;
    http::Response r = http::Response::json(status, body);
    r.set_header("Content-Type", "application/problem+json");
    if (mapped->bearer_challenge) r.set_header("WWW-Authenticate", "Bearer");
    if (e.retry_after_s()) r.set_header("Retry-After", std::to_string(*e.retry_after_s()));
    if (e.current_tag()) r.set_header("ETag", *e.current_tag());
    return r;
}

http::Response response_for_exception(std::exception_ptr ep, const std::string& request_id) {
    try {
        std::rethrow_exception(ep);
    } catch (const Error& e) {
        return problem_response(e, request_id);
    } catch (const db::UnavailableError& e) {
        log::warn("request {}: database unavailable: {}", request_id, e.what());
        return problem_response(
            Error("database_unavailable", "the database is unavailable; retry shortly").with_retry_after(1),
            request_id);
    } catch (const db::ConstraintError& e) {
        log::warn("request {}: constraint: {}", request_id, e.what());
        return problem_response(Error("conflict", "the request conflicts with existing data"), request_id);
    } catch (const nlohmann::json::exception& e) {
        // A handler read a client's field as the wrong type: the client's mistake.
        log::info("request {}: JSON shape: {}", request_id, e.what());
        return problem_response(Error::validation("body", "a field has the wrong type"), request_id);
    } catch (const std::exception& e) {
        log::error("request {}: unexpected error: {}", request_id, e.what());
    } catch (...) {
        log::error("request {}: unexpected non-standard exception", request_id);
    }
    return problem_response(Error("internal_error", "unexpected error; quote request id " + request_id + " to support"),
                            request_id);
}

}  // namespace shop::gateway

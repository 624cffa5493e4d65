#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/problem.hpp"
#include "shop/db/errors.hpp"

using namespace shop;

TEST_CASE("an Error becomes RFC 9457 problem+json with its code") {
    auto e = Error::validation({{"email", "must be an email"}, {"password", "too short"}});
    auto r = gateway::problem_response(e, "req_1");
    CHECK(r.status == 422);
    CHECK(r.header("Content-Type") == "application/problem+json");
    auto j = nlohmann::json::parse(r.body);
    CHECK(j["code"] == "validation_failed");
    CHECK(j["status"] == 422);
    CHECK(j["title"] == "Unprocessable Content");
    CHECK(j.contains("type"));
    CHECK(j.contains("detail"));
    REQUIRE(j["errors"].size() == 2);
    CHECK(j["errors"][1]["field"] == "password");
}

TEST_CASE("extra members and headers are carried over") {
    auto e = Error("insufficient_stock", "not enough");
    e.with_field("product_id", "prod_1").with_retry_after(3);
    auto r = gateway::problem_response(e, "req_1");
    CHECK(nlohmann::json::parse(r.body)["product_id"] == "prod_1");
    CHECK(r.header("Retry-After") == "3");
}

TEST_CASE("unexpected exceptions are a 500 naming the request id, with no internals") {
    auto r = gateway::response_for_exception(std::make_exception_ptr(std::runtime_error("secret internals")), "req_9");
    CHECK(r.status == 500);
    auto j = nlohmann::json::parse(r.body);
    CHECK(j["code"] == "internal_error");
    CHECK(j["detail"].get<std::string>().find("req_9") != std::string::npos);
    CHECK(r.body.find("secret internals") == std::string::npos);
}

TEST_CASE("database trouble is a 503 with Retry-After") {
    auto r = gateway::response_for_exception(std::make_exception_ptr(db::UnavailableError("locked")), "req_1");
    CHECK(r.status == 503);
    CHECK(nlohmann::json::parse(r.body)["code"] == "database_unavailable");
    CHECK(r.header("Retry-After"));
}

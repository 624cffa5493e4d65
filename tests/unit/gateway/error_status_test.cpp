#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "gateway/error_status.hpp"
#include "gateway/problem.hpp"

using namespace shop;

namespace {

// Every literal code the sources construct an Error with (or the server rejects with).
std::set<std::string> codes_in_sources() {
    static const std::regex kThrown(R"re((?:\bError|\breject)\s*(?:\w+\s*)?\(\s*"([a-z_]+)")re");
    std::set<std::string> codes;
    for (const char* dir : {"src", "modules"}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(SHOP_SOURCE_DIR) + "/" + dir)) {
            const auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".hpp") continue;
            std::ifstream in(entry.path());
            std::stringstream text;
            text << in.rdbuf();
            const std::string s = text.str();
            for (std::sregex_iterator it(s.begin(), s.end(), kThrown), end; it != end; ++it) codes.insert((*it)[1]);
        }
    }
    return codes;
}

}  // namespace

TEST_CASE("every error code the sources use has a status in the gateway's table") {
    auto codes = codes_in_sources();
    // The scan must see the codes it is there to check.
    REQUIRE(codes.count("insufficient_stock") == 1);
    REQUIRE(codes.count("payload_too_large") == 1);
    REQUIRE(codes.size() > 20);
    for (const auto& code : codes) {
        INFO(code);
        CHECK(gateway::error_status(code) != nullptr);
    }
}

TEST_CASE("the table gives the contract's statuses and the headers they need") {
    auto answer = [](const Error& e) { return gateway::problem_response(e, "req_1"); };
    CHECK(answer(Error("insufficient_stock", "x")).status == 409);
    CHECK(answer(Error("precondition_failed", "x").with_current_tag("\"v3\"")).header("ETag") == "\"v3\"");
    CHECK(answer(Error("idempotency_key_reused", "x")).status == 422);
    auto unauthorized = answer(Error("invalid_refresh_token", "x"));
    CHECK(unauthorized.status == 401);
    CHECK(unauthorized.header("WWW-Authenticate") == "Bearer");
    auto limited = answer(Error("rate_limited", "x").with_retry_after(7));
    CHECK(limited.status == 429);
    CHECK(limited.header("Retry-After") == "7");
    CHECK_FALSE(answer(Error("not_found", "x")).header("WWW-Authenticate"));
}

TEST_CASE("a code missing from the table is a 500, never a client error") {
    auto r = gateway::problem_response(Error("no_such_code_anywhere", "x"), "req_1");
    CHECK(r.status == 500);
}

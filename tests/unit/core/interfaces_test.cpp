#include <catch2/catch.hpp>

#include "shop/interfaces.hpp"

using namespace shop;

namespace {
struct Greeter {
    static constexpr std::string_view kInterface = "greeter";
    virtual ~Greeter() = default;
    virtual std::string hello() = 0;
};
struct English : Greeter {
    std::string hello() override { return "hello"; }
};

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const CompositionError& e) {
        return e.what();
    }
    return "no error";
}
}  // namespace

TEST_CASE("a need is met by a module composed before, and names both when it is not") {
    Interfaces ifs;
    CHECK_THAT(error_of([&] { ifs.need<Greeter>("order"); }),
               Catch::Contains("module order needs interface greeter") && Catch::Contains("before"));
    English en;
    ifs.offer<Greeter>("user", en);
    CHECK(ifs.need<Greeter>("order").hello() == "hello");
    English other;
    CHECK_THAT(error_of([&] { ifs.offer<Greeter>("product", other); }),
               Catch::Contains("module product offers interface greeter, already offered by module user"));
}

TEST_CASE("a later need is filled when composition ends, or stops it") {
    Interfaces ifs;
    Later<Greeter> later = ifs.need_later<Greeter>("order");
    CHECK_FALSE(later.resolved());
    English en;
    ifs.offer<Greeter>("payment", en);  // composed after the module that needs it
    ifs.seal();
    REQUIRE(later.resolved());
    CHECK(later->hello() == "hello");

    Interfaces missing;
    auto never = missing.need_later<Greeter>("order");
    CHECK_THAT(error_of([&] { missing.seal(); }),
               Catch::Contains("module order needs interface greeter, which no composed module offers"));
    CHECK_FALSE(never.resolved());
}

TEST_CASE("declarations list every offer and need in order") {
    Interfaces ifs;
    English en;
    ifs.offer<Greeter>("user", en);
    ifs.need<Greeter>("order");
    ifs.need_later<Greeter>("search");
    const auto& d = ifs.declarations();
    REQUIRE(d.size() == 3);
    CHECK((d[0].module == "user" && d[0].kind == Interfaces::Declaration::Offers));
    CHECK((d[1].module == "order" && d[1].kind == Interfaces::Declaration::Needs));
    CHECK((d[2].module == "search" && d[2].kind == Interfaces::Declaration::NeedsLater));
}

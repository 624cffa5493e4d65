// shopd's composition root: which modules exist, in start order, and who gets whose
// interface. A missing dependency is a compile error here, not a runtime surprise.
#include "app/app.hpp"
#include "product/product_module.hpp"
#include "user/user_module.hpp"

namespace {

void compose(shop::app::App& app) {
    auto& users = app.add<shop::user::UserModule>();
    app.set_token_verifier(users.verifier());

    app.add<shop::product::ProductModule>();
}

}  // namespace

int main(int argc, char** argv) { return shop::app::run_cli(argc, argv, compose); }

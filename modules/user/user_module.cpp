#include "user_module.hpp"

namespace shop::user {

extern const std::string_view kOpenapi;

namespace {
// Placeholder until the module lands: no token is valid.
struct NoTokens final : http::TokenVerifier {
    std::optional<http::Principal> verify(std::string_view) const override { return std::nullopt; }
};
}  // namespace

struct UserModule::Impl {
    explicit Impl(Runtime& r) : rt(r) {}
    Runtime& rt;
    NoTokens verifier;
};

UserModule::UserModule(Runtime& rt) : impl_(std::make_unique<Impl>(rt)) {}
UserModule::~UserModule() = default;
void UserModule::migrations(db::Migrator&) {}
void UserModule::routes(http::Routes&) {}
std::string_view UserModule::openapi() const { return kOpenapi; }
void UserModule::start() {}
const http::TokenVerifier& UserModule::verifier() const { return impl_->verifier; }
api::Users& UserModule::users() { throw std::logic_error("user module not implemented yet"); }

}  // namespace shop::user

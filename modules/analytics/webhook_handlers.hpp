#pragma once
// HTTP <-> JSON for the webhook endpoints and their deliveries (API.md section 12).
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"
#include "webhook_service.hpp"

namespace shop::analytics {

class WebhookHandlers {
public:
    explicit WebhookHandlers(WebhookService& webhooks) : webhooks_(webhooks) {}

    http::Response create(http::Context& ctx);
    http::Response list(http::Context& ctx);
    http::Response get(http::Context& ctx);
    http::Response update(http::Context& ctx);
    http::Response remove(http::Context& ctx);
    http::Response deliveries(http::Context& ctx);
    http::Response retry(http::Context& ctx);

private:
    WebhookService& webhooks_;
};

}  // namespace shop::analytics

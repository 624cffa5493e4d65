// Walks the README's flow through a client nobody here wrote: openapi-typescript turned the
// served OpenAPI document into schema.d.ts, openapi-fetch sends the requests, and
// `tsc --strict` has checked every path, parameter and body below against that document.
// Run by tests/integration/test_contract.py against a fresh shopd:
//   SHOPD_URL=http://127.0.0.1:PORT SHOPD_ADMIN_EMAIL=... SHOPD_ADMIN_PASSWORD=... node out/walk.js
// Prints one line per step and exits non-zero on the first answer that is not the one expected.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

// The few Node globals used, declared here rather than pulling in @types/node.
declare const process: { env: Record<string, string | undefined>; exitCode?: number };

type Problem = components["schemas"]["Problem"];

const env = (name: string): string => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
};

const client = createClient<paths>({
    baseUrl: env("SHOPD_URL"),
    // Every request is bounded in time: a server that stops answering fails the walk.
    fetch: (request: Request) => fetch(request, { signal: AbortSignal.timeout(10_000) }),
});

let checks = 0;
function check(ok: boolean, what: string): void {
    if (!ok) throw new Error(`check failed: ${what}`);
    checks += 1;
}

// The answer of one call: its status must be `status`, then its typed body is returned.
function expect<T>(step: string, status: number, r: { data?: T; error?: unknown; response: Response }): T {
    if (r.response.status !== status) {
        throw new Error(`${step}: expected ${status}, got ${r.response.status} ${JSON.stringify(r.error ?? r.data)}`);
    }
    checks += 1;
    console.log(`ok ${step} (${status})`);
    return r.data as T;
}

// A problem+json answer: its status and stable code.
function expectProblem(step: string, status: number, code: string,
                       r: { error?: Problem | undefined; response: Response }): void {
    if (r.response.status !== status || r.error?.code !== code) {
        throw new Error(`${step}: expected ${status} ${code}, got ${r.response.status} ${JSON.stringify(r.error)}`);
    }
    check(r.error.status === status, `${step}: the problem's status is the HTTP status`);
    console.log(`ok ${step} (${status} ${code})`);
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const card = { number: "4242424242424242", exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, cvc: "123" };

async function main(): Promise<void> {
    // Accounts: register, sign in, who am I.
    const email = `ann.${unique}@example.com`;
    const password = "correct horse 42";
    const ann = expect("registerUser", 201, await client.POST("/api/v1/users", {
        body: { email, password, name: "Ann" },
    }));
    check(ann.email === email && ann.role === "customer", "registerUser: a customer with that e-mail");
    const session = expect("login", 200, await client.POST("/api/v1/auth/login", { body: { email, password } }));
    check(session.token_type === "Bearer" && session.access_token.length > 0, "login: a bearer token");
    const auth = bearer(session.access_token);
    const me = expect("getMe", 200, await client.GET("/api/v1/users/me", { headers: auth }));
    check(me.id === ann.id && me.email === email, "getMe: the same account");
    expectProblem("getMe without a token", 401, "unauthorized", await client.GET("/api/v1/users/me"));

    // The admin sets up a product, shipping, tax and a discount code.
    const adminSession = expect("login (admin)", 200, await client.POST("/api/v1/auth/login", {
        body: { email: env("SHOPD_ADMIN_EMAIL"), password: env("SHOPD_ADMIN_PASSWORD") },
    }));
    check(adminSession.user.role === "admin", "login (admin): an administrator");
    const admin = bearer(adminSession.access_token);
    const product = expect("createProduct", 201, await client.POST("/api/v1/products", {
        headers: admin,
        body: { sku: `MUG-${unique}`, name: "Walk mug", price: 2500, stock: 10 },
    }));
    check(product.price === 2500 && product.stock === 10, "createProduct: its price and stock");
    expectProblem("createProduct as a customer", 403, "forbidden", await client.POST("/api/v1/products", {
        headers: auth, body: { sku: `NO-${unique}`, name: "No", price: 1 },
    }));
    const listed = expect("listProducts", 200, await client.GET("/api/v1/products", {
        params: { query: { limit: 100 } },
    }));
    check(listed.items.some((p) => p.id === product.id), "listProducts: the new product is listed");
    const got = await client.GET("/api/v1/products/{id}", { params: { path: { id: product.id } } });
    check(expect("getProduct", 200, got).name === "Walk mug", "getProduct: its name");
    check(got.response.headers.get("ETag") !== null, "getProduct: an ETag");

    const zone = expect("createShippingZone", 201, await client.POST("/api/v1/shipping/zones", {
        headers: admin, body: { name: "US", countries: ["US"] },
    }));
    const rate = expect("createShippingRate", 201, await client.POST("/api/v1/shipping/zones/{id}/rates", {
        headers: admin, params: { path: { id: zone.id } }, body: { name: "Standard", price: 500, free_over: 10000 },
    }));
    check(rate.price === 500, "createShippingRate: its price");
    expect("createTaxRate", 201, await client.POST("/api/v1/tax/rates", {
        headers: admin,
        body: { country: "US", region: "US-CA", name: "CA sales tax", rate_bp: 725, shipping_taxable: false },
    }));
    const code = `WELCOME${unique}`.toUpperCase();
    expect("createDiscount", 201, await client.POST("/api/v1/discounts", {
        headers: admin, body: { code, type: "percentage", value: 10, per_customer_limit: 1 },
    }));

    // Checkout from the cart: quote, then order exactly that.
    const cart = expect("setCartItem", 200, await client.PUT("/api/v1/cart/items/{id}", {
        headers: auth, params: { path: { id: product.id } }, body: { quantity: 2 },
    }));
    check(cart.items?.length === 1 && cart.items[0]?.quantity === 2, "setCartItem: one line of 2");
    const address = expect("createAddress", 201, await client.POST("/api/v1/users/me/addresses", {
        headers: auth,
        body: { name: "Ann", line1: "1 Capitol Mall", city: "Sacramento", postal_code: "95814", country: "US",
                region: "US-CA" },
    }));
    const checkout = { from_cart: true, address_id: address.id, shipping_rate_id: rate.id,
                       discount_code: code.toLowerCase() };
    const quote = expect("quoteCheckout", 200, await client.POST("/api/v1/checkout/quote", {
        headers: auth, body: checkout,
    }));
    check(quote.subtotal === 5000 && quote.discount_total === 500 && quote.shipping_total === 500,
          `quoteCheckout: subtotal, discount and shipping (${JSON.stringify(quote)})`);
    check(quote.tax_total > 0 && quote.total === quote.subtotal - quote.discount_total + quote.shipping_total
          + quote.tax_total, "quoteCheckout: the total adds up");
    const order = expect("createOrder", 201, await client.POST("/api/v1/orders", {
        headers: auth, params: { header: { "Idempotency-Key": `walk-order-${unique}` } }, body: checkout,
    }));
    check(order.status === "pending_payment" && order.total === quote.total, "createOrder: unpaid, at the quote's total");
    const emptied = expect("getCart", 200, await client.GET("/api/v1/cart", { headers: auth }));
    check(emptied.items?.length === 0, "getCart: ordering from the cart emptied it");

    // Pay with the sandbox card, then read the order.
    const payment = expect("createPayment", 201, await client.POST("/api/v1/payments", {
        headers: auth, params: { header: { "Idempotency-Key": `walk-pay-${unique}` } },
        body: { order_id: order.id ?? "", card },
    }));
    check(payment.status === "succeeded" && payment.amount === order.total && payment.card?.last4 === "4242",
          "createPayment: succeeded for the order's total");
    const paid = expect("getOrder", 200, await client.GET("/api/v1/orders/{id}", {
        headers: auth, params: { path: { id: order.id ?? "" } },
    }));
    check(paid.status === "paid", "getOrder: paid");
    const mine = expect("listOrders", 200, await client.GET("/api/v1/orders", { headers: auth }));
    check(mine.items?.length === 1 && mine.items[0]?.id === order.id, "listOrders: the one order");

    // A guest checkout: no account, the order's X-Order-Token opens that order only.
    const shipping_address = { name: "Ada", line1: "1 Main St", city: "Sacramento", postal_code: "95814",
                               country: "US", region: "US-CA" };
    const items = [{ product_id: product.id, quantity: 1 }];
    const guestQuote = expect("quoteCheckout (guest)", 200, await client.POST("/api/v1/checkout/quote", {
        body: { items, shipping_address, shipping_rate_id: rate.id },
    }));
    const guestOrder = expect("createOrder (guest)", 201, await client.POST("/api/v1/orders", {
        params: { header: { "Idempotency-Key": `walk-guest-${unique}` } },
        body: { email: `guest.${unique}@example.com`, items, shipping_address, shipping_rate_id: rate.id },
    }));
    const orderToken = guestOrder.order_token ?? "";
    const guestId = guestOrder.id ?? "";
    check(orderToken.length > 0 && guestOrder.user_id === null && guestOrder.total === guestQuote.total,
          "createOrder (guest): an order token, no user, the quote's total");
    const asGuest = { "X-Order-Token": orderToken };
    expectProblem("getOrder (guest) without its token", 401, "unauthorized", await client.GET("/api/v1/orders/{id}", {
        params: { path: { id: guestId } },
    }));
    expectProblem("getOrder (guest) with another token", 404, "not_found", await client.GET("/api/v1/orders/{id}", {
        headers: { "X-Order-Token": `${orderToken}x` }, params: { path: { id: guestId } },
    }));
    const guestPayment = expect("createPayment (guest)", 201, await client.POST("/api/v1/payments", {
        headers: asGuest, params: { header: { "Idempotency-Key": `walk-guest-pay-${unique}` } },
        body: { order_id: guestId, card },
    }));
    check(guestPayment.status === "succeeded" && guestPayment.amount === guestOrder.total,
          "createPayment (guest): succeeded for the order's total");
    const guestPaid = expect("getOrder (guest)", 200, await client.GET("/api/v1/orders/{id}", {
        headers: asGuest, params: { path: { id: guestId } },
    }));
    check(guestPaid.status === "paid" && guestPaid.order_token === undefined, "getOrder (guest): paid, no token shown again");

    console.log(`walk: ${checks} passed, 0 failed`);
}

main().catch((e: unknown) => {
    console.error(`walk failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
});

// Checkout: e-mail (guests), address, a shipping option and a discount code priced by
// POST /checkout/quote (subtotal, discount, shipping, tax, total, nothing reserved), then
// the order (POST /orders, exactly what the quote showed) and its payment. A guest's order
// token is kept in this browser for the status page. A payment that fails leaves the
// order placed: the form then only pays it.
import { api, currentUser, keepOrderToken } from './api.js';
import { forgetGuestCart, getCart, refreshCount } from './cart.js';
import { add, announce, clearErrors, field, formError, h, money, replace, showErrors, working } from './ui.js';
import { cardFieldset, lineList, paidUrl, pay, readCard, totals } from './view-order.js';

const ADDRESS = ['name', 'line1', 'line2', 'city', 'postal_code', 'country', 'region'];
// Problems without a field list, and the field they are about.
const CODE_FIELDS = {
  discount_invalid: 'discount_code', discount_exhausted: 'discount_code', shipping_unavailable: 'shipping_address.country',
  email_taken: 'email',
};

export async function render(main, ctx) {
  ctx.title('Checkout');
  replace(main, h('h1', { tabindex: '-1' }, 'Checkout'), h('p', { class: 'muted' }, 'Loading your cart…'));
  const user = currentUser();
  const [cart, saved] = await Promise.all([getCart(), user ? api('GET', '/users/me/addresses').then((r) => r.items) : []]);
  if (!ctx.alive()) return;
  if (!cart.items.length) {
    return replace(main, h('h1', { tabindex: '-1' }, 'Checkout'), h('p', null, 'Your cart is empty. ', h('a', { href: '/shop' }, 'Keep shopping')));
  }
  if (cart.items.some((l) => l.unavailable)) return ctx.navigate('/shop/cart', { replace: true });

  const state = { quote: null, rate: null, code: null, order: null, token: null, orderKey: null, orderBody: null };
  const v = (n) => form.querySelector(`[data-field="${n}"]`)?.value.trim() ?? '';
  const summary = h('div', { id: 'summary' }, h('p', { class: 'muted' }, 'Enter your address to see shipping and tax.'));
  const options = h('div', { id: 'shipping-options' }, h('p', { class: 'muted' }, 'Shipping options appear once we know your address.'));
  const quoteButton = h('button', { type: 'button', id: 'get-quote' }, 'Show shipping options');
  const codeButton = h('button', { type: 'button', id: 'apply-discount' }, 'Apply');
  const placeButton = h('button', { type: 'submit', class: 'primary', id: 'place-order' }, 'Place order and pay');

  const addressFields = h('div', null,
    field('Full name', 'shipping_address.name', { autocomplete: 'name', required: true, maxlength: 200 }),
    field('Address', 'shipping_address.line1', { autocomplete: 'address-line1', required: true, maxlength: 200 }),
    field('Address line 2', 'shipping_address.line2', { autocomplete: 'address-line2', maxlength: 200 }, { hint: '(optional)' }),
    h('div', { class: 'grid2' },
      field('City', 'shipping_address.city', { autocomplete: 'address-level2', required: true, maxlength: 100 }),
      field('Postal code', 'shipping_address.postal_code', { autocomplete: 'postal-code', required: true, maxlength: 20 }),
      field('Country', 'shipping_address.country', { autocomplete: 'country', required: true, maxlength: 2 }, { hint: '(2-letter code, e.g. US)' }),
      field('State or region', 'shipping_address.region', { maxlength: 6 }, { hint: '(optional, e.g. US-CA)' })));
  const fill = (a) => ADDRESS.forEach((k) => { addressFields.querySelector(`[data-field="shipping_address.${k}"]`).value = a?.[k] || ''; });

  const form = h('form', { novalidate: true, id: 'checkout-form' });
  const addressSet = h('fieldset', { id: 'address' }, h('legend', null, 'Delivery address'));
  if (saved.length) {
    const pick = field('Saved addresses', 'saved_address', { id: 'saved-address' },
      { type: 'select', options: [...saved.map((a) => [a.id, `${a.name}, ${a.line1}, ${a.city}`]), ['', 'A new address']] });
    pick.querySelector('select').addEventListener('change', (e) => {
      fill(saved.find((a) => a.id === e.target.value));
      addressChanged();
    });
    addressSet.append(pick);
  }
  add(addressSet, addressFields,
    user ? h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'save-address', checked: !saved.length }), 'Save this address to my account') : null,
    h('p', null, quoteButton));
  const lockable = [];
  add(form, formError(),
    user ? h('p', null, `Signed in as ${user.email}.`) : h('fieldset', { id: 'contact' }, h('legend', null, 'Contact'),
      field('E-mail', 'email', { type: 'email', autocomplete: 'email', required: true, maxlength: 254 }, { hint: '(for your receipt)' }),
      h('p', { class: 'muted' }, 'Checking out as a guest. ', h('a', { href: '/shop/signin?next=/shop/checkout' }, 'Sign in'), ' instead.')),
    addressSet,
    h('fieldset', { id: 'shipping' }, h('legend', null, 'Shipping'), options, h('p', { class: 'field-error', 'data-error-for': 'shipping_rate_id' })),
    h('fieldset', { id: 'discount' }, h('legend', null, 'Discount code'),
      h('div', { class: 'row' }, h('div', { class: 'grow' }, field('Code', 'discount_code', { autocomplete: 'off', maxlength: 64, id: 'discount-code' })), codeButton)),
    cardFieldset(),
    h('p', null, placeButton));
  lockable.push(form.querySelector('#contact'), addressSet, form.querySelector('#shipping'), form.querySelector('#discount'));
  fill(saved[0]);

  replace(main, h('h1', { tabindex: '-1' }, 'Checkout'), h('div', { class: 'checkout' },
    form, h('aside', { class: 'panel', 'aria-labelledby': 'sum-h' }, h('h2', { id: 'sum-h' }, 'Order summary'), lineList(cart.items, cart.currency), summary)));

  function address() {
    const a = {};
    for (const k of ADDRESS) {
      const value = v(`shipping_address.${k}`);
      if (value) a[k] = value;
    }
    if (a.country) a.country = a.country.toUpperCase();
    if (a.region && !a.region.includes('-') && a.country) a.region = `${a.country}-${a.region}`.toUpperCase();
    return a;
  }
  // What the quote and the order share: who, what, where.
  function base() {
    const b = user ? { from_cart: true } : { items: cart.items.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity })) };
    if (!user && v('email')) b.email = v('email');
    b.shipping_address = address();
    if (state.rate) b.shipping_rate_id = state.rate;
    if (state.code) b.discount_code = state.code;
    return b;
  }

  function drawOptions(q) {
    if (!q.shipping_options.length) {
      replace(options, h('p', { id: 'no-shipping' }, q.shipping_rate_id === null && q.shipping_total === 0 ? 'Shipping is free.' : 'No shipping options.'));
      return;
    }
    replace(options, h('ul', { class: 'radio-list' }, q.shipping_options.map((o) => {
      const input = h('input', { type: 'radio', name: 'shipping_rate', value: o.id, id: `rate-${o.id}`, checked: o.id === state.rate, 'data-field': 'shipping_rate_id' });
      input.addEventListener('change', () => { state.rate = o.id; requote(); });
      return h('li', null, h('label', { class: 'check', for: `rate-${o.id}` }, input, `${o.name} — ${o.price ? money(o.price, q.currency) : 'Free'}`));
    })));
  }

  function drawSummary(q) {
    replace(summary, totals({ ...q, shipping: q.shipping || (state.rate && q.shipping_options.find((o) => o.id === state.rate)) }));
    placeButton.textContent = `Place order and pay ${money(q.total, q.currency)}`;
  }

  // Prices the checkout as it stands. The first shipping option is taken when none is
  // chosen (or the chosen one no longer applies), and the quote asked again with it.
  async function requote(button = null) {
    const run = async () => {
      let q = await api('POST', '/checkout/quote', { body: base() });
      const ids = q.shipping_options.map((o) => o.id);
      if (ids.length && !ids.includes(state.rate)) {
        state.rate = ids[0];
        q = await api('POST', '/checkout/quote', { body: base() });
      } else if (!ids.length) {
        state.rate = null;
      }
      return q;
    };
    try {
      const q = await (button ? working(button, 'Working it out…', run) : run());
      clearErrors(form);
      state.quote = q;
      drawOptions(q);
      drawSummary(q);
      announce(`Total ${money(q.total, q.currency)}`);
      return q;
    } catch (e) {
      if (e.code === 'discount_invalid' || e.code === 'discount_exhausted') {
        // The code is dropped: the totals shown must not keep a discount the order would not get.
        state.code = null;
        form.querySelector('#discount-ok')?.remove();
        if (state.quote?.discount) await run().then((q) => { state.quote = q; drawOptions(q); drawSummary(q); }, () => {});
      }
      showErrors(form, e, CODE_FIELDS);
      return null;
    }
  }

  // A changed address may change shipping and tax: the next press of the button prices it first.
  function addressChanged() {
    if (!state.quote || state.order) return;
    state.quote = null;
    replace(summary, h('p', { class: 'muted' }, 'The address changed: press “Show shipping options” for the new total.'));
    placeButton.textContent = 'Place order and pay';
  }
  addressFields.addEventListener('input', addressChanged);

  quoteButton.addEventListener('click', () => requote(quoteButton));
  codeButton.addEventListener('click', async () => {
    const code = v('discount_code');
    state.code = code || null;
    const q = await requote(codeButton);
    form.querySelector('#discount-ok')?.remove();
    if (q?.discount) {
      form.querySelector('[data-error-for="discount_code"]')
        .before(h('p', { class: 'ok', id: 'discount-ok', role: 'status' }, `Code ${q.discount.code} applied.`));
    }
  });
  form.querySelector('[data-field="discount_code"]').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); codeButton.click(); }
  });

  async function placeOrder() {
    const body = base();
    // A retry of the same order (say after a lost answer) reuses its key, so it is made once.
    const text = JSON.stringify(body);
    if (text !== state.orderBody) { state.orderBody = text; state.orderKey = crypto.randomUUID(); }
    if (user && form.querySelector('#save-address')?.checked) {
      try {
        await api('POST', '/users/me/addresses', { body: body.shipping_address });
      } catch (e) {
        // The address routes name the address's own fields.
        throw Object.assign(e, { errors: e.errors.map((x) => ({ ...x, field: `shipping_address.${x.field}` })) });
      }
      form.querySelector('#save-address').checked = false;
    }
    const order = await api('POST', '/orders', { body, headers: { 'Idempotency-Key': state.orderKey } });
    state.order = order;
    if (order.order_token) {
      state.token = order.order_token;
      keepOrderToken(order.id, order.order_token);
      forgetGuestCart();
    } else {
      refreshCount();
    }
    // The order holds the address, shipping and code now: only the card can change.
    lockable.forEach((el) => el && (el.disabled = true));
    form.querySelector('[data-form-error]').after(h('p', { class: 'banner', id: 'order-placed' },
      `Order ${order.id} is placed and waits for payment.`));
    return order;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { card, errors } = readCard(form);
    if (errors.length) return showErrors(form, { detail: 'Check the card details.', errors });
    try {
      const payment = await working(placeButton, state.order ? 'Paying…' : 'Placing your order…', async () => {
        if (!state.order) {
          // The buyer sees the total before an order is made: without a current quote this
          // press only prices the checkout.
          if (!state.quote) {
            if (await requote()) form.querySelector('[data-form-error]').textContent = 'Check the total, then press the button again to place the order.';
            return null;
          }
          await placeOrder();
        }
        return pay(form, state.order, state.token, card);
      });
      if (payment && payment.status !== 'failed') {
        ctx.navigate(paidUrl(state.order, payment), { replace: true });
      } else if (payment) {
        placeButton.textContent = `Pay ${money(state.order.total, state.order.currency)}`;
      }
    } catch (err) {
      showErrors(form, err, CODE_FIELDS);
    }
  });
}

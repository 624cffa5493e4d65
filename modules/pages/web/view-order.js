// An order's status page (/shop/orders/{id}): its state, lines, totals, address and
// shipments with tracking; an unpaid order can be paid or cancelled here. A guest's order
// is read with the order token this browser kept when it was placed (X-Order-Token).
import { api, currentUser, orderToken } from './api.js';
import { announce, errorBlock, field, formError, h, money, replace, showErrors, statusBadge, when, working } from './ui.js';
import { optionText } from './view-cart.js';

const FAILURES = {
  card_declined: 'The card was declined. Try another card.',
  insufficient_funds: 'The card has insufficient funds. Try another card.',
  expired_card: 'The card has expired.',
  incorrect_cvc: 'The security code is wrong.',
};

// The card fields; the sandbox's test cards are named in the hint.
export function cardFieldset() {
  const year = new Date().getFullYear();
  return h('fieldset', { id: 'payment' }, h('legend', null, 'Payment card'),
    h('p', { class: 'muted', id: 'sandbox-hint' }, 'This shop takes sandbox payments: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined. Any future expiry date and any 3 digits.'),
    field('Card number', 'card.number', { autocomplete: 'cc-number', inputmode: 'numeric', maxlength: 23, required: true }),
    h('div', { class: 'grid2' },
      field('Expiry month', 'card.exp_month', { autocomplete: 'cc-exp-month', inputmode: 'numeric', maxlength: 2, required: true }, { hint: '(MM)' }),
      field('Expiry year', 'card.exp_year', { autocomplete: 'cc-exp-year', inputmode: 'numeric', maxlength: 4, required: true }, { hint: `(e.g. ${year + 2})` })),
    field('Security code', 'card.cvc', { autocomplete: 'cc-csc', inputmode: 'numeric', maxlength: 4, required: true }, { hint: '(CVC)' }));
}

// The card as the API takes it, or the errors to show without asking it.
export function readCard(form) {
  const v = (n) => form.querySelector(`[data-field="${n}"]`).value.replace(/[\s-]/g, '');
  const card = { number: v('card.number'), exp_month: Number(v('card.exp_month')), exp_year: Number(v('card.exp_year')), cvc: v('card.cvc') };
  const errors = [];
  if (!/^\d{12,19}$/.test(card.number)) errors.push({ field: 'card.number', message: 'Enter the card number (12 to 19 digits).' });
  if (!(card.exp_month >= 1 && card.exp_month <= 12)) errors.push({ field: 'card.exp_month', message: 'Enter a month from 1 to 12.' });
  if (card.exp_year > 0 && card.exp_year < 100) card.exp_year += 2000;
  if (!(card.exp_year >= 2000 && card.exp_year <= 2100)) errors.push({ field: 'card.exp_year', message: 'Enter the year, such as 2030.' });
  if (!/^\d{3,4}$/.test(card.cvc)) errors.push({ field: 'card.cvc', message: 'Enter the 3 or 4 digits on the back.' });
  return { card, errors };
}

// Pays an order; answers the payment. A failed payment is shown beside the card number.
export async function pay(form, order, token, card) {
  const payment = await api('POST', '/payments', {
    body: { order_id: order.id, card }, orderToken: token, headers: { 'Idempotency-Key': crypto.randomUUID() },
  });
  if (payment.status === 'failed') {
    const message = FAILURES[payment.failure_code] || `The payment failed (${payment.failure_code || 'unknown reason'}).`;
    showErrors(form, { detail: message, errors: [{ field: 'card.number', message }] });
  }
  return payment;
}

// Where a payment that did not fail leads: the order's page, saying so while it is processing.
export const paidUrl = (order, payment) =>
  `/shop/orders/${encodeURIComponent(order.id)}?placed=1${payment.status === 'processing' ? '&processing=1' : ''}`;

export function totals(o) {
  const added = o.total === o.subtotal - o.discount_total + o.shipping_total + o.tax_total;
  const row = (label, value, attrs = {}) => h('div', attrs, h('dt', null, label), h('dd', null, value));
  return h('dl', { class: 'totals', id: 'totals' },
    row('Subtotal', money(o.subtotal, o.currency)),
    o.discount ? row(`Discount (${o.discount.code})`, o.discount_total ? `−${money(o.discount_total, o.currency)}` : 'free shipping', { id: 'discount-row' }) : null,
    row(`Shipping${o.shipping?.name ? ` (${o.shipping.name})` : ''}`, o.shipping_total ? money(o.shipping_total, o.currency) : 'Free'),
    row(added ? 'Tax' : 'Tax (included)', money(o.tax_total, o.currency), { id: 'tax-row' }),
    row('Total', money(o.total, o.currency), { class: 'grand', id: 'total-row' }));
}

export function lineList(items, currency) {
  return h('ul', { class: 'lines' }, items.map((l) => h('li', { class: 'spread' },
    h('span', null, `${l.quantity} × ${l.name}`, l.options && Object.keys(l.options).length ? h('span', { class: 'muted' }, ` (${optionText(l.options)})`) : null),
    h('span', null, money(l.line_total, currency)))));
}

export async function render(main, ctx) {
  const id = ctx.param;
  ctx.title('Your order');
  replace(main, h('h1', { tabindex: '-1' }, 'Your order'), h('p', { class: 'muted' }, 'Loading the order…'));
  const token = orderToken(id);
  if (!token && !currentUser()) {
    return replace(main, h('h1', { tabindex: '-1' }, 'Your order'),
      h('p', null, 'This browser has no key to this order. ',
        h('a', { href: `/shop/signin?next=${encodeURIComponent(`/shop/orders/${id}`)}` }, 'Sign in'), ' to see the orders of your account.'));
  }
  let order, payments = [];
  try {
    order = await api('GET', `/orders/${encodeURIComponent(id)}`, { orderToken: token });
    // A guest's token opens the order, not its payments.
    if (!token) payments = (await api('GET', `/orders/${encodeURIComponent(id)}/payments`).catch(() => ({ items: [] }))).items;
  } catch (e) {
    if (e.status !== 404) throw e;
    ctx.title('Order not found');
    return replace(main, h('h1', { tabindex: '-1' }, 'Order not found'), h('p', null, 'There is no such order, or it is not yours.'));
  }
  if (!ctx.alive()) return;
  ctx.title(`Order ${order.id}`);
  const placed = ctx.query.get('placed') === '1';
  const a = order.shipping_address || {};
  const paid = payments.find((p) => p.status === 'succeeded' || p.status === 'partially_refunded' || p.status === 'refunded');
  replace(main,
    placed && order.status !== 'pending_payment' ? h('div', { class: 'banner', role: 'status', id: 'confirmation' },
      h('strong', null, 'Thank you! Your order is placed.'), ' ',
      token ? 'This browser keeps the key to this order, so this page shows its progress whenever you come back to it here. Bookmark it.'
        : 'You will find it under your account\u2019s orders.') : null,
    h('h1', { tabindex: '-1' }, `Order ${order.id}`),
    h('p', null, 'Status: ', h('span', { id: 'order-status' }, statusBadge(order.status)), ` · placed ${when(order.created_at)}`),
    order.status !== 'pending_payment' ? null
      : ctx.query.get('processing') === '1' || payments.some((p) => p.status === 'processing')
        ? h('div', { class: 'panel', role: 'status', id: 'processing' }, 'Your payment is being processed. Refresh this page in a moment to see it confirmed.')
        : payPanel(main, ctx, order, token),
    h('div', { class: 'checkout' },
      h('section', { class: 'panel', 'aria-labelledby': 'ship-h' },
        h('h2', { id: 'ship-h' }, 'Shipments'),
        order.shipments?.length ? h('ul', { class: 'lines', id: 'shipments' }, order.shipments.map((s) => h('li', null,
          h('p', null, h('strong', null, s.carrier || 'Shipped'), s.tracking_number ? [' · tracking number ', h('span', { class: 'tracking' }, s.tracking_number)] : null,
            s.tracking_url ? [' · ', h('a', { href: s.tracking_url, rel: 'noopener noreferrer', target: '_blank' }, 'Track the parcel')] : null),
          h('p', { class: 'muted' }, `Sent ${when(s.created_at)}: `, s.items.map((i) => {
            const l = order.items.find((x) => x.variant_id === i.variant_id);
            return `${i.quantity} × ${l ? l.name + (Object.keys(l.options || {}).length ? ` (${optionText(l.options)})` : '') : i.variant_id}`;
          }).join(', ')))))
          : h('p', { class: 'muted', id: 'shipments' }, order.status === 'paid' ? 'Nothing has been sent yet: we will add the tracking here.' : 'Nothing sent.'),
        h('h2', null, 'Delivery address'),
        h('p', null, [a.name, a.line1, a.line2, `${a.postal_code || ''} ${a.city || ''}`, [a.region, a.country].filter(Boolean).join(', ')]
          .filter((x) => x && x.trim()).flatMap((x, i) => (i ? [h('br'), x] : [x]))),
        paid ? h('p', { class: 'muted' }, `Paid with ${paid.card?.brand || 'card'} ending ${paid.card?.last4 || '····'}.`) : null),
      h('aside', { class: 'panel', 'aria-labelledby': 'sum-h' },
        h('h2', { id: 'sum-h' }, 'Summary'), lineList(order.items, order.currency), totals(order))),
    h('p', null, h('button', { type: 'button', onclick: () => ctx.navigate(location.pathname, { replace: true }) }, 'Refresh status'),
      ' ', currentUser() ? h('a', { href: '/shop/account' }, 'All your orders') : null));
}

function payPanel(main, ctx, order, token) {
  const button = h('button', { type: 'submit', class: 'primary', id: 'pay' }, `Pay ${money(order.total, order.currency)}`);
  const cancel = h('button', { type: 'button', id: 'cancel-order' }, 'Cancel this order');
  const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'pay-h' },
    h('h2', { id: 'pay-h' }, 'Waiting for payment'),
    order.expires_at ? h('p', null, `Pay by ${when(order.expires_at)}, or the order is cancelled and its items go back on sale.`) : null,
    formError(), cardFieldset(), h('div', { class: 'row' }, button, cancel));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { card, errors } = readCard(form);
    if (errors.length) return showErrors(form, { detail: 'Check the card.', errors });
    try {
      const p = await working(button, 'Paying…', () => pay(form, order, token, card));
      if (p.status !== 'failed') ctx.navigate(paidUrl(order, p), { replace: true });
    } catch (err) {
      showErrors(form, err);
    }
  });
  cancel.addEventListener('click', async () => {
    try {
      await working(cancel, 'Cancelling…', () => api('POST', `/orders/${encodeURIComponent(order.id)}/cancel`, { orderToken: token }));
      announce('The order is cancelled');
      ctx.navigate(location.pathname, { replace: true });
    } catch (err) {
      form.append(errorBlock(err));
    }
  });
  return form;
}

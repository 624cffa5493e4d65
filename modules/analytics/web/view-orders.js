// Orders: the list by status; one order with its lines, shipments (carrier, tracking),
// delivery, cancellation, payments and refunds, and its returns; the returns to handle.
import { api, idempotencyKey, qs } from './api.js';
import {
  announce, card, confirmButton, field, form, h, money, replace, statusBadge, table, td, toInt, toMinor, when,
} from './ui.js';

const STATES = ['pending_payment', 'paid', 'partially_shipped', 'shipped', 'delivered', 'cancelled', 'expired'];
const orderLink = (id) => h('a', { href: `#/orders/${encodeURIComponent(id)}` }, id);

export async function list(view) {
  const rows = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const status = field('Status', 'status', { id: 'order-status-filter' }, { type: 'select', options: [['', 'All'], ...STATES.map((s) => [s, s.replace(/_/g, ' ')])] });
  let cursor = null;
  const load = async (reset) => {
    if (reset) { cursor = null; rows.replaceChildren(); }
    const page = await api('GET', `/orders${qs({ limit: 50, cursor, status: status.querySelector('select').value })}`);
    for (const o of page.items) {
      rows.append(h('tr', { 'data-order-id': o.id }, h('td', { class: 'id' }, orderLink(o.id)), h('td', null, statusBadge(o.status)),
        td(o.email || o.user_id || '—'), td(String(o.items.reduce((n, l) => n + l.quantity, 0)), 'num'), td(money(o.total, o.currency), 'num'), td(when(o.created_at))));
    }
    if (!rows.children.length) rows.append(h('tr', null, h('td', { class: 'empty', colspan: 6 }, 'No orders.')));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  };
  status.querySelector('select').addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  replace(view, h('h1', { class: 'page' }, 'Orders'),
    h('section', { class: 'card', 'aria-label': 'Order list' }, h('h2', null, 'Newest first'), status,
      h('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Orders', tabindex: '0' },
        h('table', { id: 'orders-list' },
          h('thead', null, h('tr', null, ['Order', 'Status', 'Customer', 'Units', 'Total', 'Created'].map((t, i) => h('th', { scope: 'col', class: i === 3 || i === 4 ? 'num' : null }, t)))),
          rows)),
      h('div', { class: 'actions' }, more)));
  await load(true);
}

const lineName = (l) => `${l.name}${l.options && Object.keys(l.options).length ? ` (${Object.values(l.options).join(' / ')})` : ''}`;

export async function detail(view, id) {
  const path = `/orders/${encodeURIComponent(id)}`;
  const [o, payments, rets] = await Promise.all([api('GET', path), api('GET', `${path}/payments`), api('GET', `${path}/returns?limit=100`)]);
  const again = () => detail(view, id);
  const shipped = new Map();
  for (const s of o.shipments || []) for (const it of s.items) shipped.set(it.variant_id, (shipped.get(it.variant_id) || 0) + it.quantity);
  const left = (l) => l.quantity - (shipped.get(l.variant_id || l.product_id) || 0);
  const names = new Map(o.items.map((l) => [l.variant_id || l.product_id, lineName(l)]));

  const a = o.shipping_address || {};
  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'Status'), h('dd', { id: 'order-status' }, statusBadge(o.status)),
    h('dt', null, 'Customer'), h('dd', null, o.email || o.user_id || '—'),
    h('dt', null, 'Created'), h('dd', null, when(o.created_at)),
    h('dt', null, 'Ship to'), h('dd', null, [a.name, a.line1, a.line2, `${a.postal_code || ''} ${a.city || ''}`.trim(), [a.region, a.country].filter(Boolean).join(', ')].filter(Boolean).join(', ')),
    h('dt', null, 'Shipping'), h('dd', null, o.shipping ? `${o.shipping.name}, ${money(o.shipping.price, o.currency)}` : '—'),
    h('dt', null, 'Discount'), h('dd', null, o.discount ? `${o.discount.code}, −${money(o.discount.amount, o.currency)}` : '—'),
    h('dt', null, 'Subtotal'), h('dd', null, money(o.subtotal ?? o.total, o.currency)),
    h('dt', null, 'Tax'), h('dd', null, money(o.tax_total ?? 0, o.currency)),
    h('dt', null, 'Total'), h('dd', null, h('strong', null, money(o.total, o.currency))));

  const lines = table('Order lines', ['Item', 'SKU', ['Qty', 'num'], ['Shipped', 'num'], ['Unit price', 'num'], ['Line total', 'num']],
    o.items.map((l) => h('tr', null, td(lineName(l)), td(l.sku, 'id'), td(String(l.quantity), 'num'), td(String(l.quantity - left(l)), 'num'),
      td(money(l.unit_price, o.currency), 'num'), td(money(l.line_total, o.currency), 'num'))), 'No lines.');

  const shipments = table('Shipments', ['Shipped', 'Carrier', 'Tracking', 'Items'],
    (o.shipments || []).map((s) => h('tr', { 'data-shipment-id': s.id }, td(when(s.created_at)), td(s.carrier),
      h('td', { class: 'mono' }, s.tracking_url && /^https?:\/\//.test(s.tracking_url)
        ? h('a', { href: s.tracking_url, rel: 'noopener noreferrer', target: '_blank' }, s.tracking_number) : s.tracking_number),
      td(s.items.map((it) => `${it.quantity} × ${names.get(it.variant_id) || it.variant_id}`).join(', '), 'wrap'))),
    'Nothing shipped yet.', { id: 'shipments-table' });

  const canShip = o.status === 'paid' || o.status === 'partially_shipped';
  const shipForm = canShip ? form({ class: 'stack', id: 'shipment-form' }, [
    field('Carrier', 'carrier', { id: 'ship-carrier', placeholder: 'UPS' }),
    field('Tracking number', 'tracking_number', { id: 'ship-tracking' }),
    field('Tracking URL', 'tracking_url', { id: 'ship-url', type: 'url', placeholder: 'https://…' }, { hint: 'Optional' }),
    h('div', { class: 'wide' }, h('p', { class: 'hint' }, 'Units in this parcel (everything left to ship by default):'),
      o.items.filter((l) => left(l) > 0).map((l) => field(`${lineName(l)} (${left(l)} left)`, `qty.${l.variant_id || l.product_id}`,
        { inputmode: 'numeric', value: String(left(l)), class: 'qty' })),
      h('p', { class: 'field-error', 'data-error-for': 'items' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'ship-submit' }, 'Create shipment')),
  ], async (v) => {
    const body = { carrier: v.carrier, tracking_number: v.tracking_number };
    if (v.tracking_url) body.tracking_url = v.tracking_url;
    body.items = Object.keys(v).filter((k) => k.startsWith('qty.')).map((k) => ({ variant_id: k.slice(4), quantity: toInt(v[k]) }))
      .filter((it) => it.quantity !== 0);
    await api('POST', `${path}/shipments`, { body });
    announce('Shipment created');
    await again();
  }, { busyText: 'Shipping…', codeFields: { invalid_transition: 'carrier' } }) : null;

  const actions = h('div', { class: 'actions', id: 'order-actions' },
    o.status === 'shipped' ? h('button', { type: 'button', id: 'deliver', onclick: async (e) => {
      e.target.disabled = true;
      try { await api('POST', `${path}/deliver`); announce('Marked delivered'); await again(); } catch (err) { e.target.disabled = false; actionError.textContent = err.detail; }
    } }, 'Mark delivered') : null,
    o.status === 'pending_payment' || o.status === 'paid'
      ? confirmButton('Cancel order', o.status === 'paid' ? 'Cancel it and refund the whole payment?' : 'Cancel it and release its stock?', async () => {
        await api('POST', `${path}/cancel`);
        announce('Order cancelled');
        await again();
      }) : null);
  const actionError = h('p', { class: 'confirm-error', role: 'alert' });

  replace(view,
    h('div', { class: 'toolbar' }, h('h1', { class: 'page' }, 'Order ', h('span', { class: 'mono' }, o.id)), actions),
    actionError,
    h('div', { class: 'grid' }, card('Summary', facts), card('Lines', lines)),
    card('Shipments', shipments, shipForm ? [h('h3', null, 'New shipment'), shipForm] : null),
    card('Payments and refunds', paymentsPart(payments.items, again)),
    card('Returns', returnsTable(rets.items, names, again, false)));
}

function paymentsPart(items, after) {
  if (!items.length) return h('p', { class: 'muted' }, 'No payment yet.');
  return items.map((p) => {
    const refundable = (p.status === 'succeeded' || p.status === 'partially_refunded') ? p.amount - (p.amount_refunded || 0) : 0;
    let key = idempotencyKey();
    const refund = refundable > 0 ? form({ class: 'stack refund-form', 'aria-label': 'Refund' }, [
      field('Refund amount', 'amount', { inputmode: 'decimal' }, { hint: `Up to ${money(refundable, p.currency)}; empty refunds all that is left` }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Refund')),
    ], async (v) => {
      const body = {};
      if (v.amount) body.amount = toMinor(v.amount, p.currency);
      await api('POST', `/payments/${encodeURIComponent(p.id)}/refunds`, { body, headers: { 'Idempotency-Key': key } });
      key = idempotencyKey();
      announce('Refunded');
      await after();
    }, { busyText: 'Refunding…', codeFields: { refund_exceeds_payment: 'amount' } }) : null;
    return h('div', { class: 'payment', 'data-payment-id': p.id },
      h('dl', { class: 'facts' }, h('dt', null, 'Payment'), h('dd', { class: 'mono' }, p.id), h('dt', null, 'Status'), h('dd', null, statusBadge(p.status)),
        h('dt', null, 'Card'), h('dd', null, p.card ? `${p.card.brand} •••• ${p.card.last4}` : '—'),
        h('dt', null, 'Amount'), h('dd', null, money(p.amount, p.currency)), h('dt', null, 'Refunded'), h('dd', null, money(p.amount_refunded || 0, p.currency))),
      refund);
  });
}

function returnsTable(items, names, after, withOrder) {
  const act = (r, what, body) => async () => {
    await api('POST', `/returns/${encodeURIComponent(r.id)}/${what}`, body ? { body } : {});
    announce(what === 'reject' ? 'Return rejected' : 'Return received');
    await after();
  };
  const rows = items.map((r) => h('tr', { 'data-return-id': r.id },
    td(when(r.created_at)), withOrder ? h('td', { class: 'id' }, orderLink(r.order_id)) : null, h('td', null, statusBadge(r.status)),
    td(r.items.map((it) => `${it.quantity} × ${names?.get(it.variant_id) || it.variant_id}`).join(', '), 'wrap'), td(r.reason || '—', 'wrap'),
    td(money(r.refund_amount, r.currency), 'num'),
    h('td', null, r.status === 'requested' ? h('div', { class: 'actions' },
      confirmButton('Receive and restock', 'Refund and put the units back in stock?', act(r, 'receive', { restock: true }), { cls: 'primary' }),
      confirmButton('Receive, no restock', 'Refund without restocking (damaged)?', act(r, 'receive', { restock: false }), { cls: '' }),
      confirmButton('Reject', 'Reject it? Nothing is refunded.', act(r, 'reject'))) : null)));
  const heads = ['Asked', withOrder ? 'Order' : null, 'Status', 'Items', 'Reason', ['Refund', 'num'], ''].filter((x) => x !== null);
  return table('Returns', heads, rows, 'No returns.', { class: 'returns-table' });
}

export async function returns(view) {
  const status = field('Status', 'status', { id: 'return-status-filter' }, { type: 'select', options: [['requested', 'requested'], ['received', 'received'], ['rejected', 'rejected'], ['', 'all']] });
  const box = h('div');
  const load = async () => {
    const page = await api('GET', `/returns${qs({ limit: 100, status: status.querySelector('select').value })}`);
    replace(box, returnsTable(page.items, null, load, true));
  };
  status.querySelector('select').addEventListener('change', load);
  replace(view, h('h1', { class: 'page' }, 'Returns'), h('section', { class: 'card', 'aria-label': 'Returns' }, h('h2', null, 'Returns'), status, box));
  await load();
}

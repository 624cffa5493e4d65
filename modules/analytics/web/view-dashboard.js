// The dashboard: sales by day as a chart, totals, recent orders, top products and low stock.
// Every value reaches the page as text or SVG attributes, never as markup.
import { api } from './api.js';
import { h, money, replace, statusBadge, table, td, when } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const day = (iso) => iso.slice(5, 10);
const count = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function drawChart(report) {
  const buckets = report.buckets;
  const W = 900, H = 240, L = 64, R = 16, T = 14, B = 30;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('id', 'sales-chart');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Revenue per day');
  svg.setAttribute('data-points', String(buckets.length));
  const max = Math.max(0, ...buckets.map((b) => b.revenue));
  const top = max > 0 ? max : 1;
  const x = (i) => (buckets.length > 1 ? L + (i * (W - L - R)) / (buckets.length - 1) : (L + W - R) / 2);
  const y = (v) => T + (H - T - B) * (1 - v / top);
  const el = (name, attrs, text) => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' });
  el('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' });
  el('text', { x: L - 6, y: T + 4, 'text-anchor': 'end' }, money(max, report.currency));
  el('text', { x: L - 6, y: H - B + 4, 'text-anchor': 'end' }, money(0, report.currency));
  const pts = buckets.map((b, i) => `${x(i).toFixed(1)},${y(b.revenue).toFixed(1)}`);
  if (buckets.length) {
    el('polygon', { points: `${x(0).toFixed(1)},${H - B} ${pts.join(' ')} ${x(buckets.length - 1).toFixed(1)},${H - B}`, class: 'area' });
    el('polyline', { points: pts.join(' '), class: 'line' });
  }
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((b, i) => {
    const c = el('circle', { cx: x(i).toFixed(1), cy: y(b.revenue).toFixed(1), r: 3.5, 'data-start': b.start, 'data-revenue': b.revenue });
    const t = document.createElementNS(SVG, 'title');
    // The parts of the revenue (and the refunds) are named only on days that have them.
    const parts = [['discounts', b.discounts], ['shipping', b.shipping], ['tax', b.tax], ['refunds', b.refunds]];
    t.textContent = `${day(b.start)}: ${money(b.revenue, report.currency)}, ${count(b.orders, 'order')}` +
      parts.map(([n, v]) => (v ? `, ${n} ${money(v, report.currency)}` : '')).join('');
    c.appendChild(t);
    // Labels counted back from today, so the last point always has one and none overlap.
    if ((buckets.length - 1 - i) % every === 0) el('text', { x: x(i).toFixed(1), y: H - 10, 'text-anchor': 'middle' }, day(b.start));
  });
  return svg;
}

function stat(label, valueId, subId, sub) {
  return h('div', { class: 'card stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value', id: valueId }, '–'),
    h('div', { class: 'sub', id: subId }, sub || ''));
}

export async function render(view) {
  const chart = h('div', { id: 'chart-wrap' });
  const recent = h('div');
  const top = h('div');
  const low = h('div');
  const error = h('div', { class: 'error', id: 'dashboard-error', role: 'alert' });
  const updated = h('footer', { id: 'updated' });
  replace(view, h('section', { id: 'dashboard', 'aria-labelledby': 'dashboard-title' },
    h('h1', { class: 'page', id: 'dashboard-title' }, 'Dashboard'),
    h('div', { class: 'stats', id: 'summary' },
      stat('Revenue today', 's-today-revenue', 's-today-orders'),
      stat('Revenue, 30 days', 's-month-revenue', 's-month-orders'),
      stat('Customers, 30 days', 's-month-customers', null, 'distinct paying users'),
      stat('Average order, 30 days', 's-month-aov', 's-month-refunds')),
    h('section', { class: 'card', 'aria-label': 'Sales by day' }, h('h2', null, 'Sales by day, last 30 days'), chart),
    h('div', { class: 'grid' },
      h('section', { class: 'card', 'aria-label': 'Recent orders' }, h('h2', null, 'Recent orders'), recent),
      h('section', { class: 'card', 'aria-label': 'Top products' }, h('h2', null, 'Top products, 30 days'), top),
      h('section', { class: 'card', 'aria-label': 'Low stock' }, h('h2', null, 'Low stock'), low)),
    error, updated));

  const $ = (id) => view.querySelector(`#${id}`);
  const parts = [
    api('GET', '/analytics/sales?interval=day').then((r) => replace(chart, drawChart(r))),
    api('GET', '/analytics/summary').then((s) => {
      $('s-today-revenue').textContent = money(s.today.revenue, s.currency);
      $('s-today-orders').textContent = count(s.today.orders, 'order');
      $('s-month-revenue').textContent = money(s.last_30_days.revenue, s.currency);
      $('s-month-orders').textContent = count(s.last_30_days.orders, 'order');
      $('s-month-customers').textContent = String(s.last_30_days.customers);
      $('s-month-aov').textContent = money(s.last_30_days.average_order_value, s.currency);
      $('s-month-refunds').textContent = `refunds ${money(s.last_30_days.refunds, s.currency)}`;
    }),
    api('GET', '/analytics/top-products?limit=10').then((r) => replace(top, table('Top products', ['Product', ['Units', 'num'], ['Revenue', 'num']],
      r.items.map((p) => h('tr', null, td(p.name === null ? p.product_id : p.name), td(String(p.units), 'num'), td(money(p.revenue, r.currency), 'num'))),
      'No sales in the last 30 days.', { id: 'top-products' }))),
    api('GET', '/orders?limit=10').then((page) => replace(recent, table('Recent orders', ['Order', 'Status', ['Total', 'num'], 'Created'],
      page.items.map((o) => h('tr', { 'data-order-id': o.id },
        h('td', { class: 'id' }, h('a', { href: `#/orders/${encodeURIComponent(o.id)}` }, o.id)),
        h('td', null, statusBadge(o.status)), td(money(o.total, o.currency), 'num'), td(when(o.created_at)))),
      'No orders yet.', { id: 'orders-table' }))),
    api('GET', '/products?max_stock=5&limit=10').then((page) => {
      // Low first, whatever order the list came in.
      const items = page.items.slice().sort((a, b) => a.stock - b.stock);
      replace(low, table('Low stock', ['Product', 'SKU', ['Stock', 'num']],
        items.map((p) => h('tr', null, h('td', null, h('a', { href: `#/products/${encodeURIComponent(p.id)}` }, p.name)),
          td(p.sku, 'id'), td(String(p.stock), p.stock <= 5 ? 'num low' : 'num'))),
        'Nothing is low on stock.', { id: 'low-stock' }));
    }),
  ];
  const results = await Promise.allSettled(parts);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    if (failed.some((r) => r.reason?.status === 401)) throw failed[0].reason;
    error.textContent = `Some panels could not load: ${failed[0].reason.detail || failed[0].reason.message}`;
  }
  updated.textContent = `Updated ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

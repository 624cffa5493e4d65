// Checkout settings: discount codes, shipping zones with their rates, and tax rates.
import { all, api } from './api.js';
import {
  announce, card, confirmButton, field, form, fromMinor, h, money, replace, statusBadge, table, td, toInt, toMinor, when,
} from './ui.js';

const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
// A datetime-local value (the person's local time) as RFC 3339 UTC; undefined when empty.
const utc = (local) => (local ? new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);

// --- discounts ----------------------------------------------------------------------------

const valueText = (d) => (d.type === 'percentage' ? `${d.value} %` : d.type === 'fixed' ? money(d.value, d.currency) : 'free shipping');

export async function discounts(view) {
  const items = await all('/discounts');
  const again = () => discounts(view);
  const rows = items.map((d) => h('tr', { 'data-discount-id': d.id },
    td(d.code, 'mono'), td(valueText(d)), h('td', null, statusBadge(d.active ? 'active' : 'disabled')),
    td(`${d.usage_count}${d.usage_limit ? ` of ${d.usage_limit}` : ''}`, 'num'),
    td(d.min_subtotal ? money(d.min_subtotal, d.currency) : '—'),
    td(d.starts_at || d.ends_at ? `${when(d.starts_at)} → ${when(d.ends_at)}` : 'always', 'wrap'),
    h('td', null, d.active ? confirmButton('Deactivate', `Deactivate ${d.code}?`, async () => {
      await api('DELETE', `/discounts/${encodeURIComponent(d.id)}`);
      announce('Discount deactivated');
      await again();
    }) : null)));

  const type = field('Type', 'type', { id: 'discount-type' }, { type: 'select', options: [['percentage', 'Percentage off'], ['fixed', 'Amount off'], ['free_shipping', 'Free shipping']] });
  const value = field('Value', 'value', { id: 'discount-value', inputmode: 'decimal' }, { hint: 'Percent (1–100) or an amount such as 5.00' });
  type.querySelector('select').addEventListener('change', (e) => { value.hidden = e.target.value === 'free_shipping'; });
  const f = form({ class: 'stack', id: 'discount-form' }, [
    field('Code', 'code', { id: 'discount-code', autocapitalize: 'characters' }, { hint: 'Letters, digits, - and _' }),
    type, value,
    field('Minimum subtotal', 'min_subtotal', { inputmode: 'decimal' }, { hint: 'Optional' }),
    field('Starts', 'starts_at', { type: 'datetime-local' }, { hint: 'Optional, your local time' }),
    field('Ends', 'ends_at', { type: 'datetime-local' }, { hint: 'Optional' }),
    field('Uses in total', 'usage_limit', { inputmode: 'numeric' }, { hint: 'Optional' }),
    field('Uses per customer', 'per_customer_limit', { inputmode: 'numeric' }, { hint: 'Optional' }),
    field('Only these products', 'product_ids', {}, { hint: 'Optional: product ids, comma-separated' }),
    field('Only these categories', 'category_ids', {}, { hint: 'Optional: category ids, comma-separated' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create-discount' }, 'Create discount')),
  ], async (v) => {
    const body = { code: v.code, type: v.type };
    if (v.type === 'percentage') body.value = toInt(v.value);
    if (v.type === 'fixed') body.value = toMinor(v.value);
    if (v.min_subtotal) body.min_subtotal = toMinor(v.min_subtotal);
    if (v.starts_at) body.starts_at = utc(v.starts_at);
    if (v.ends_at) body.ends_at = utc(v.ends_at);
    if (v.usage_limit) body.usage_limit = toInt(v.usage_limit);
    if (v.per_customer_limit) body.per_customer_limit = toInt(v.per_customer_limit);
    if (v.product_ids) body.product_ids = list(v.product_ids);
    if (v.category_ids) body.category_ids = list(v.category_ids);
    const d = await api('POST', '/discounts', { body });
    announce(`Discount ${d.code} created`);
    await again();
  }, { codeFields: { code_taken: 'code' } });

  replace(view, h('h1', { class: 'page' }, 'Discounts'),
    card('New discount code', f),
    card('Discount codes', table('Discount codes', ['Code', 'Gives', 'State', ['Used', 'num'], 'Minimum', 'When', ''], rows, 'No discount codes yet.', { id: 'discounts-table' })));
}

// --- shipping -----------------------------------------------------------------------------

const rateFields = (r = {}) => [
  field('Rate name', 'name', { value: r.name, placeholder: 'Standard' }),
  field('Price', 'price', { inputmode: 'decimal', value: r.price === undefined ? null : fromMinor(r.price) }),
  field('Free over', 'free_over', { inputmode: 'decimal', value: r.free_over == null ? null : fromMinor(r.free_over) }, { hint: 'Optional' }),
  field('From subtotal', 'min_subtotal', { inputmode: 'decimal', value: r.min_subtotal == null ? null : fromMinor(r.min_subtotal) }, { hint: 'Optional' }),
  field('Below subtotal', 'max_subtotal', { inputmode: 'decimal', value: r.max_subtotal == null ? null : fromMinor(r.max_subtotal) }, { hint: 'Optional' }),
];
const rateBody = (v) => {
  const body = { name: v.name, price: toMinor(v.price) };
  for (const k of ['free_over', 'min_subtotal', 'max_subtotal']) body[k] = v[k] ? toMinor(v[k]) : null;
  return body;
};

export async function shipping(view) {
  const zones = await all('/shipping/zones');
  const again = () => shipping(view);
  const zoneCards = zones.map((z) => {
    const zp = `/shipping/zones/${encodeURIComponent(z.id)}`;
    const edit = form({ class: 'stack', 'aria-label': `Edit zone ${z.name}` }, [
      field('Zone name', 'name', { value: z.name }),
      field('Countries', 'countries', { value: z.countries.join(', ') }, { hint: 'ISO codes, comma-separated (DE, FR)' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save zone'),
        confirmButton('Delete zone', `Delete ${z.name} and its rates?`, async () => {
          await api('DELETE', zp);
          announce('Zone deleted');
          await again();
        })),
    ], async (v) => {
      await api('PATCH', zp, { body: { name: v.name, countries: list(v.countries.toUpperCase()) } });
      announce('Zone saved');
      await again();
    }, { codeFields: { country_in_another_zone: 'countries' } });
    const rates = table(`Rates of ${z.name}`, ['Rate', ['Price', 'num'], 'Free over', 'Subtotal range', ''],
      z.rates.map((r) => h('tr', { 'data-rate-id': r.id }, td(r.name), td(money(r.price, r.currency), 'num'),
        td(r.free_over == null ? '—' : money(r.free_over, r.currency)),
        td(`${r.min_subtotal == null ? '0' : money(r.min_subtotal, r.currency)} – ${r.max_subtotal == null ? '∞' : money(r.max_subtotal, r.currency)}`),
        h('td', null, confirmButton('Delete', `Delete rate ${r.name}?`, async () => {
          await api('DELETE', `${zp}/rates/${encodeURIComponent(r.id)}`);
          announce('Rate deleted');
          await again();
        })))), 'No rates: orders to this zone cannot be shipped yet.');
    const addRate = form({ class: 'stack', 'aria-label': `New rate for ${z.name}` }, [
      ...rateFields(), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add rate')),
    ], async (v) => {
      await api('POST', `${zp}/rates`, { body: rateBody(v) });
      announce('Rate added');
      await again();
    });
    return h('section', { class: 'card zone', 'aria-label': `Zone ${z.name}`, 'data-zone-id': z.id },
      h('h2', null, `${z.name}: ${z.countries.join(', ')}`), edit, h('h3', null, 'Rates'), rates, h('h3', null, 'New rate'), addRate);
  });
  const create = form({ class: 'stack', id: 'zone-form' }, [
    field('Zone name', 'name', { id: 'zone-name', placeholder: 'Europe' }),
    field('Countries', 'countries', { id: 'zone-countries', placeholder: 'DE, FR, NL' }, { hint: 'ISO codes, comma-separated' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create zone')),
  ], async (v) => {
    await api('POST', '/shipping/zones', { body: { name: v.name, countries: list(v.countries.toUpperCase()) } });
    announce('Zone created');
    await again();
  }, { codeFields: { country_in_another_zone: 'countries' } });
  replace(view, h('h1', { class: 'page' }, 'Shipping'),
    h('p', { class: 'muted' }, zones.length ? 'An address in no zone cannot be shipped to.' : 'No zones: the shop ships everywhere for free.'),
    card('New shipping zone', create), zoneCards);
}

// --- tax ------------------------------------------------------------------------------------

const percent = (bp) => `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')} %`;
// "20" or "8.25" percent to basis points; the text itself when it is not a number.
const toBp = (text) => (/^\d+(\.\d{1,2})?$/.test(text) ? Math.round(Number(text) * 100) : text || undefined);

export async function tax(view) {
  const rates = await all('/tax/rates');
  const again = () => tax(view);
  const rows = rates.map((r) => h('tr', { 'data-tax-id': r.id }, td(r.country), td(r.region || '—'), td(r.name), td(percent(r.rate_bp), 'num'),
    td(r.shipping_taxable ? 'yes' : 'no'),
    h('td', null, confirmButton('Delete', `Delete ${r.name}?`, async () => {
      await api('DELETE', `/tax/rates/${encodeURIComponent(r.id)}`);
      announce('Tax rate deleted');
      await again();
    }))));
  const create = form({ class: 'stack', id: 'tax-form' }, [
    field('Country', 'country', { id: 'tax-country', placeholder: 'DE', maxlength: 2 }),
    field('Region', 'region', { placeholder: 'US-CA' }, { hint: 'Optional: ISO 3166-2' }),
    field('Name', 'name', { placeholder: 'VAT' }),
    field('Rate in percent', 'rate_bp', { inputmode: 'decimal', placeholder: '20' }),
    field('Shipping is taxed too', 'shipping_taxable', { type: 'checkbox' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Add tax rate')),
  ], async (v) => {
    const body = { country: v.country.toUpperCase(), name: v.name, rate_bp: toBp(v.rate_bp), shipping_taxable: v.shipping_taxable };
    if (v.region) body.region = v.region.toUpperCase();
    await api('POST', '/tax/rates', { body });
    announce('Tax rate added');
    await again();
  });
  replace(view, h('h1', { class: 'page' }, 'Tax rates'),
    card('New tax rate', create),
    card('Tax rates', table('Tax rates', ['Country', 'Region', 'Name', ['Rate', 'num'], 'On shipping', ''], rows, 'No tax rates: no tax is charged.', { id: 'tax-table' })));
}

// DOM helpers shared by the views: elements built with h() (text is always text, never
// parsed as markup), money, product images, form fields with their error slots, and the
// mapping of an API problem onto those fields.

import { h, currencyFormat, currencyDigits } from './common.js';

export { h, add, replace, announce, working } from './common.js';

// Minor units (cents) to text in the currency's own decimals.
export const money = (amount, currency = 'USD') => currencyFormat(currency).format(amount / 10 ** currencyDigits(currency));
// Text typed as an amount ("12.50") to minor units; undefined when empty, NaN when not a number.
export function toMinor(text, currency = 'USD') {
  const t = String(text ?? '').trim();
  if (!t) return undefined;
  if (!/^\d+(\.\d+)?$/.test(t)) return NaN;
  return Math.round(Number(t) * 10 ** currencyDigits(currency));
}
export const fromMinor = (n, currency = 'USD') =>
  n === undefined || n === null || n === '' ? '' : String(Number(n) / 10 ** currencyDigits(currency));

export function priceText(p) {
  if (p.price_max && p.price_max !== p.price) return `${money(p.price, p.currency)} – ${money(p.price_max, p.currency)}`;
  return money(p.price, p.currency);
}

// The shop's own images only (/media/...): the page's policy loads nothing from elsewhere.
export function ownImages(p) {
  return (p.images || []).filter((u) => typeof u === 'string' && u.startsWith('/') && !u.startsWith('//'));
}
export function thumb(p, alt = '') {
  const src = ownImages(p)[0];
  if (src) return h('img', { class: 'thumb', src, alt, loading: 'lazy', width: 300, height: 300 });
  return h('div', { class: 'thumb placeholder', 'aria-hidden': 'true' }, (p.name || '?').trim().charAt(0).toUpperCase());
}

export function productCard(p, highlight) {
  return h('li', { class: 'card' },
    h('a', { href: `/shop/products/${encodeURIComponent(p.id)}` },
      thumb(p),
      h('div', { class: 'body' },
        h('h3', null, highlight ? marked(highlight) : p.name),
        h('p', { class: 'price' }, priceText(p)),
        p.stock === 0 ? h('p', { class: 'stock-out' }, 'Sold out') : null)));
}

// Search highlights are escaped text with <mark> around matches: rebuilt as nodes.
export function marked(html) {
  const text = (s) => s.replace(/&(lt|gt|quot|#39|#x27|amp);/g, (_, e) =>
    ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", amp: '&' })[e]);
  const out = [];
  html.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    if (part.startsWith('<mark>')) out.push(h('mark', null, text(part.slice(6, -7))));
    else if (part) out.push(text(part));
  });
  return out;
}

let ids = 0;
// A labelled input with its hint and error slot. `name` is the API's field name
// ("shipping_address.city"), so a problem's errors find it.
export function field(label, name, attrs = {}, { hint, type = 'input', options } = {}) {
  const id = attrs.id || `f${++ids}`;
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  let control;
  if (type === 'select') {
    control = h('select', { id, 'data-field': name, 'aria-describedby': describedBy, ...attrs },
      options.map(([value, text]) => h('option', { value }, text)));
  } else {
    control = h('input', { id, name: attrs.name || name.replace(/\W/g, '_'), 'data-field': name, 'aria-describedby': describedBy, ...attrs });
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, label, hint ? h('span', { class: 'hint', id: hintId }, ` ${hint}`) : null),
    control,
    h('p', { class: 'field-error', id: errId, 'data-error-for': name }));
}

export function formError() {
  return h('div', { class: 'form-error', role: 'alert', tabindex: '-1', 'data-form-error': '' });
}

export function clearErrors(form) {
  form.querySelectorAll('[data-error-for]').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  form.querySelectorAll('[data-form-error]').forEach((e) => { e.textContent = ''; });
}

// Shows an ApiError on a form: each `errors[].message` of a validation_failed beside the
// field it names; the `detail` of another problem beside the one field its `errors` or
// `codeFields[code]` names, else at the top of the form. Focuses the first field in error.
export function showErrors(form, err, codeFields = {}) {
  clearErrors(form);
  const slot = (name) => form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
  const control = (name) => form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  const unplaced = [];
  let first = null;
  const place = (name, message) => {
    const s = name && slot(name);
    if (!s) return false;
    s.textContent = s.textContent ? `${s.textContent} ${message}` : message;
    const c = control(name);
    if (c) { c.setAttribute('aria-invalid', 'true'); first ??= c; }
    return true;
  };
  const errs = err.errors || [];
  // A problem other than validation_failed that names one field says it best in its detail.
  if (errs.length === 1 && err.code && err.code !== 'validation_failed') {
    if (!place(errs[0].field, err.detail)) unplaced.push(err.detail);
  } else {
    for (const e of errs) if (!place(e.field, e.message)) unplaced.push(`${e.field}: ${e.message}`);
    if (!errs.length && !place(codeFields[err.code], err.detail)) unplaced.push(err.detail);
  }
  const top = form.querySelector('[data-form-error]');
  if (top) top.textContent = unplaced.length ? unplaced.join(' · ') : 'Please correct the fields marked below.';
  form.closest('details')?.setAttribute('open', '');
  (first || top)?.focus?.();
  if (!first && top) top.scrollIntoView?.({ block: 'nearest' });
}



export function stockText(stock) {
  if (stock <= 0) return h('span', { class: 'stock-out' }, 'Out of stock');
  if (stock <= 5) return h('span', { class: 'stock-low' }, `Only ${stock} left`);
  return h('span', { class: 'stock-in' }, 'In stock');
}

export function errorBlock(err, retry) {
  return h('div', { class: 'form-error', role: 'alert' }, err.detail || String(err),
    retry ? [' ', h('button', { type: 'button', class: 'link', onclick: retry }, 'Try again')] : null);
}

export function statusBadge(status) {
  return h('span', { class: `status ${status}` }, status.replace(/_/g, ' '));
}

export const when = (iso) => new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

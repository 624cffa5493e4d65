// DOM helpers shared by the views: elements built with h() (text is always text, never
// parsed as markup), money, product images, form fields with their error slots, and the
// mapping of an API problem onto those fields.

// h('a', {href, class, onclick}, ...children): children are nodes, strings or arrays.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && typeof el[k] === 'boolean') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}
// el.append() that skips null, undefined and false, as h() does.
export function add(el, ...children) {
  append(el, children);
  return el;
}
function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const formats = new Map();
function format(currency) {
  if (!formats.has(currency)) formats.set(currency, new Intl.NumberFormat('en-US', { style: 'currency', currency }));
  return formats.get(currency);
}
// Minor units (cents) to text in the currency's own decimals.
export function money(amount, currency = 'USD') {
  const f = format(currency);
  return f.format(amount / 10 ** f.resolvedOptions().maximumFractionDigits);
}
// Text typed as an amount ("12.50") to minor units; undefined when empty, NaN when not a number.
export function toMinor(text, currency = 'USD') {
  const t = String(text ?? '').trim();
  if (!t) return undefined;
  if (!/^\d+(\.\d+)?$/.test(t)) return NaN;
  return Math.round(Number(t) * 10 ** format(currency).resolvedOptions().maximumFractionDigits);
}
export const fromMinor = (n, currency = 'USD') =>
  n === undefined || n === null || n === '' ? '' : String(Number(n) / 10 ** format(currency).resolvedOptions().maximumFractionDigits);

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

// Runs fn with the button disabled and saying what is happening; the label comes back after.
export async function working(button, text, fn) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = text;
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

export function formValues(form) {
  const out = {};
  form.querySelectorAll('[data-field]').forEach((c) => {
    if (c.type === 'checkbox') out[c.dataset.field] = c.checked;
    else out[c.dataset.field] = c.value.trim();
  });
  return out;
}

export function announce(text) {
  const el = document.getElementById('announce');
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 50);
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

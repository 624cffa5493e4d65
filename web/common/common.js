// What the storefront (/shop) and the back office (/) share to the letter: elements built
// with h() (text is always text, never parsed as markup), the ApiError a problem+json
// answer becomes, busy buttons, form values, announcements, the count of requests in
// flight, and currency formats. Embedded into both (each serves it among its own assets);
// each page's ui.js and api.js build their own helpers on these and re-export them.

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

// A problem+json answer (or a network failure, status 0) as an Error.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || '';
    this.detail = problem.detail || this.message;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.problem = problem;
  }
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

// The values of a form's controls by API field name (data-field): text trimmed, a checkbox
// as true or false.
export function formValues(form) {
  const out = {};
  form.querySelectorAll('[data-field]').forEach((c) => {
    if (c.type === 'checkbox') out[c.dataset.field] = c.checked;
    else out[c.dataset.field] = c.value.trim();
  });
  return out;
}

// Says `text` in the page's polite live region (#announce), again even when it is the same.
export function announce(text) {
  const el = document.getElementById('announce');
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 50);
}

// Requests in flight, for the progress bar (shown only when one takes more than a moment):
// api.js counts with busy(+1 / -1), the shell listens with onBusy.
let inFlight = 0;
const busyListeners = new Set();
export const onBusy = (fn) => busyListeners.add(fn);
export function busy(delta) {
  inFlight += delta;
  for (const fn of busyListeners) fn(inFlight > 0);
}

// A currency's number format, made once; a code Intl does not know gets a plain
// two-decimal format rather than an exception in the middle of drawing a page.
const formats = new Map();
export function currencyFormat(currency) {
  if (!formats.has(currency)) {
    let f;
    try { f = new Intl.NumberFormat('en-US', { style: 'currency', currency }); } catch { f = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }); }
    formats.set(currency, f);
  }
  return formats.get(currency);
}
// How many minor units a currency has (2 for USD, 0 for JPY).
export const currencyDigits = (currency) => currencyFormat(currency).resolvedOptions().maximumFractionDigits;

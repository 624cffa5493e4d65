// DOM helpers shared by the views: elements built with h() (text is always text, never
// parsed as markup), money, form fields with their error slots, the mapping of an API
// problem onto those fields, tables, progress and two-step confirmation.

import { h, replace, working, formValues as values, currencyFormat as format, currencyDigits as digits } from './common.js';

export { h, replace, announce, working, formValues as values } from './common.js';

// The shop's currency, set once signed in (from the analytics summary).
export const shop = { currency: 'USD' };
export const money = (amount, currency = shop.currency) => format(currency).format(amount / 10 ** digits(currency));
// Text typed as an amount ("12.50") to minor units: undefined when empty, the text itself
// when it is not an amount (so the API names the field and says why).
export function toMinor(text, currency = shop.currency) {
  const t = String(text ?? '').trim();
  if (!t) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(t)) return t;
  return Math.round(Number(t) * 10 ** digits(currency));
}
export const fromMinor = (n, currency = shop.currency) =>
  n === undefined || n === null ? '' : (Number(n) / 10 ** digits(currency)).toFixed(digits(currency));
// A whole number typed in a field: undefined when empty, the text when not a number.
export function toInt(text) {
  const t = String(text ?? '').trim();
  if (!t) return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

export const when = (iso) => (iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '—');
export const statusBadge = (status) => h('span', { class: `badge ${String(status).replace(/[^a-z_]/g, '')}` }, String(status).replace(/_/g, ' '));

let ids = 0;
export const uid = (prefix = 'f') => `${prefix}${++ids}`;

// A labelled control with its hint and error slot. `name` is the API's field name
// ("tracking_number", "variants[0].price"), so a problem's errors find it.
export function field(label, name, attrs = {}, { hint, type = 'input', options, value } = {}) {
  const id = attrs.id || uid();
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  let control;
  if (type === 'select') {
    control = h('select', { id, 'data-field': name, 'aria-describedby': describedBy, ...attrs },
      options.map(([v, text]) => h('option', { value: v, selected: value !== undefined && String(v) === String(value ?? '') }, text)));
  } else if (type === 'textarea') {
    control = h('textarea', { id, 'data-field': name, 'aria-describedby': describedBy, rows: 3, ...attrs }, value ?? '');
  } else {
    control = h('input', { id, 'data-field': name, 'aria-describedby': describedBy, value: value ?? null, ...attrs });
  }
  const wrap = attrs.type === 'checkbox' ? 'field check' : 'field';
  return h('div', { class: wrap },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errId, 'data-error-for': name }));
}

export const formError = () => h('div', { class: 'form-error', role: 'alert', tabindex: '-1', 'data-form-error': '' });

export function clearErrors(form) {
  form.querySelectorAll('[data-error-for]').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  form.querySelectorAll('[data-form-error]').forEach((e) => { e.textContent = ''; e.classList.remove('shown'); });
}

// The slot for an API field name, or for the nearest enclosing name that has one
// ("variants[1].options.Size" falls back to "variants[1].options", then "variants[1]").
function slotFor(form, name) {
  let n = name;
  for (let i = 0; n && i < 10; i++) {
    const s = form.querySelector(`[data-error-for="${CSS.escape(n)}"]`);
    if (s) return { slot: s, name: n };
    const shorter = n.replace(/(\.[^.[\]]*|\[[^\]]*\])$/, '');
    if (shorter === n) break;
    n = shorter;
  }
  return null;
}

// Shows an ApiError on a form: each `errors[]` entry beside the field it names (its
// message; for a problem other than validation_failed naming one field, its `detail`);
// a problem that names no field beside `codeFields[code]`, else at the top of the form.
export function showErrors(form, err, codeFields = {}) {
  clearErrors(form);
  const unplaced = [];
  let first = null;
  const place = (name, message) => {
    const found = name ? slotFor(form, name) : null;
    if (!found) return false;
    const s = found.slot;
    s.textContent = s.textContent ? `${s.textContent} ${message}` : message;
    const c = form.querySelector(`[data-field="${CSS.escape(found.name)}"]`);
    if (c) { c.setAttribute('aria-invalid', 'true'); first ??= c; }
    return true;
  };
  const errs = err.errors || [];
  if (errs.length === 1 && err.code && err.code !== 'validation_failed') {
    if (!place(errs[0].field, err.detail)) unplaced.push(err.detail);
  } else {
    for (const e of errs) {
      const where = e.row ? `Row ${e.row}, ${e.field}: ` : '';
      if (e.row || !place(e.field, e.message)) unplaced.push(`${where || (e.field ? `${e.field}: ` : '')}${e.message}`);
    }
    if (!errs.length && !place(codeFields[err.code], err.detail)) unplaced.push(err.detail || String(err.message));
  }
  const top = form.querySelector('[data-form-error]');
  if (top) {
    top.classList.add('shown');
    if (unplaced.length > 1) replace(top, h('p', null, err.detail || 'The request was refused:'), h('ul', null, unplaced.map((u) => h('li', null, u))));
    else top.textContent = unplaced.length ? unplaced[0] : `${err.detail || 'Please correct the fields marked below.'}`;
  }
  (first || top)?.focus?.();
}


// A form whose submit runs fn(values, form); an ApiError lands on its fields.
export function form(attrs, children, fn, { busyText = 'Saving…', codeFields } = {}) {
  const f = h('form', { novalidate: true, ...attrs }, formError(), children);
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = f.querySelector('button[type=submit]');
    clearErrors(f);
    try {
      await working(button, busyText, () => fn(values(f), f));
    } catch (e) {
      if (!(e && 'status' in e)) console.warn(e);
      showErrors(f, e, codeFields);
    }
  });
  return f;
}


// A table in a scroll box that is itself reachable by keyboard (for a 360 px screen).
export function table(label, headers, rows, emptyText, attrs = {}) {
  const body = rows.length ? rows : [h('tr', null, h('td', { class: 'empty', colspan: headers.length }, emptyText))];
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0' },
    h('table', attrs,
      h('thead', null, h('tr', null, headers.map((t) => (Array.isArray(t) ? h('th', { class: t[1], scope: 'col' }, t[0]) : h('th', { scope: 'col' }, t))))),
      h('tbody', null, body)));
}
export const td = (text, cls) => h('td', { class: cls }, text);

// A card with a heading.
export const card = (title, ...children) => h('section', { class: 'card', 'aria-label': title }, h('h2', null, title), children);

// Error text for a failed load, with a retry.
export const errorBlock = (err, retry) => h('div', { class: 'form-error shown', role: 'alert' }, err.detail || String(err.message || err),
  retry ? [' ', h('button', { type: 'button', class: 'link', onclick: retry }, 'Try again')] : null);

// A destructive action in two steps: the button asks, a second button does it.
export function confirmButton(label, question, fn, { cls = 'danger' } = {}) {
  const box = h('span', { class: 'confirm' });
  const start = h('button', { type: 'button', class: cls }, label);
  const reset = () => replace(box, start);
  start.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger' }, `Yes, ${label.toLowerCase()}`);
    const no = h('button', { type: 'button' }, 'Keep');
    const msg = h('span', { class: 'confirm-error', role: 'alert' });
    yes.addEventListener('click', async () => {
      msg.textContent = '';
      try {
        await working(yes, 'Working…', fn);
      } catch (e) {
        msg.textContent = e.detail || String(e.message || e);
        return;
      }
      if (box.isConnected) reset();
    });
    no.addEventListener('click', () => { reset(); start.focus(); });
    replace(box, h('span', { class: 'question' }, question), ' ', yes, ' ', no, ' ', msg);
    yes.focus();
  });
  return reset();
}

// A labelled progress bar for uploads and imports: set(fraction) as the bytes go up,
// done(text) when the server has answered.
export function progressBar(label) {
  const id = uid('p');
  const bar = h('progress', { id, max: 100, value: 0 });
  const text = h('span', { class: 'progress-text', 'aria-live': 'polite' });
  const el = h('div', { class: 'upload-progress', hidden: true }, h('label', { for: id }, label), bar, text);
  return {
    el,
    start() { el.hidden = false; bar.value = 0; text.textContent = 'Starting…'; },
    set(f) {
      bar.value = Math.round(f * 100);
      text.textContent = f < 1 ? `${Math.round(f * 100)} %` : 'Uploaded; the shop is processing it…';
    },
    done(msg) { bar.value = 100; text.textContent = msg; },
    fail(msg) { text.textContent = msg; },
  };
}

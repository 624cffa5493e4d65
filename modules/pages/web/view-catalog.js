// Category pages (/shop/categories/{id}) and search results (/shop/search?q=): a product
// grid with filters kept in the query string, so a filtered page is a link too.
import { allCategories, api, ApiError, qs } from './api.js';
import { errorBlock, field, formError, fromMinor, h, money, productCard, replace, showErrors, toMinor } from './ui.js';

const PAGE = 24;
const optionChoices = new Map();  // category id -> [{name, values}] seen in it

export async function render(main, ctx) {
  if (ctx.mode === 'search') return search(main, ctx);
  return category(main, ctx);
}

function crumbs(cats, id) {
  const byId = new Map(cats.map((c) => [c.id, c]));
  const chain = [];
  for (let c = byId.get(id), n = 0; c && n < 20; c = byId.get(c.parent_id), n++) chain.unshift(c);
  return h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
    h('ol', null, h('li', null, h('a', { href: '/shop' }, 'Home')),
      chain.map((c, i) => h('li', null, i === chain.length - 1
        ? h('span', { 'aria-current': 'page' }, c.name)
        : h('a', { href: `/shop/categories/${encodeURIComponent(c.id)}` }, c.name)))));
}

// Reads the filters of the query string as API parameters.
function filters(query) {
  return {
    min_price: query.get('min_price') || undefined,
    max_price: query.get('max_price') || undefined,
    in_stock: query.get('in_stock') === 'true' ? 'true' : undefined,
    option: query.getAll('option'),
    sort: query.get('sort') || undefined,
    category: query.get('category') || undefined,
  };
}

function filterForm(ctx, base, current, { options = [], sorts = true, categories = null }) {
  const form = h('form', { 'aria-label': 'Filters', novalidate: true });
  const price = (label, name) => field(label, name, { inputmode: 'decimal', value: fromMinor(current[name]), autocomplete: 'off' }, { hint: '($)' });
  form.append(
    formError(),
    h('fieldset', null, h('legend', null, 'Price'), h('div', { class: 'grid2' }, price('From', 'min_price'), price('To', 'max_price'))));
  if (categories) {
    const sel = field('Category', 'category', {}, { type: 'select', options: [['', 'All categories'], ...categories] });
    sel.querySelector('select').value = current.category || '';
    form.append(sel);
  }
  if (sorts) {
    form.append(h('label', { class: 'check' },
      h('input', { type: 'checkbox', 'data-field': 'in_stock', checked: current.in_stock === 'true' }), 'In stock only'));
    for (const o of options) {
      form.append(h('fieldset', { 'data-option': o.name }, h('legend', null, o.name),
        h('div', { class: 'values' }, o.values.map((v) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', value: `${o.name}:${v}`, checked: current.option.includes(`${o.name}:${v}`) }), v)))));
    }
    const sort = field('Sort by', 'sort', {}, { type: 'select', options: [['', 'Newest'], ['price', 'Price, low to high'], ['-price', 'Price, high to low'], ['name', 'Name']] });
    sort.querySelector('select').value = current.sort || '';
    form.append(sort);
  }
  form.append(h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Apply filters'),
    h('a', { href: base, class: 'button' }, 'Clear')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (n) => form.querySelector(`[data-field="${n}"]`)?.value;
    const min = toMinor(v('min_price')), max = toMinor(v('max_price'));
    const bad = [];
    if (Number.isNaN(min)) bad.push({ field: 'min_price', message: 'Enter an amount such as 10 or 9.99.' });
    if (Number.isNaN(max)) bad.push({ field: 'max_price', message: 'Enter an amount such as 10 or 9.99.' });
    if (bad.length) return showErrors(form, new ApiError(422, { detail: 'Check the price filter.', errors: bad }));
    const params = {
      min_price: min, max_price: max, category: v('category'),
      in_stock: form.querySelector('[data-field="in_stock"]')?.checked ? 'true' : undefined,
      option: [...form.querySelectorAll('[data-option] input:checked')].map((i) => i.value),
      sort: v('sort'),
    };
    const [path, q] = base.split('?');
    const keep = Object.fromEntries(new URLSearchParams(q || ''));
    ctx.navigate(path + qs({ ...keep, ...params }));
  });
  // Open beside the list on a wide screen; folded above it on a narrow one, saying how many are on.
  const on = ['min_price', 'max_price', 'category'].filter((k) => current[k]).length + (current.in_stock ? 1 : 0) + (current.option?.length || 0);
  return h('details', { class: 'filters panel', open: matchMedia('(min-width: 820px)').matches },
    h('summary', null, h('strong', null, 'Filters'), on ? ` (${on} on)` : ''), form);
}

async function listInto(ctx, list, more, path, onError) {
  let cursor = null;
  const load = async () => {
    try {
      const r = await api('GET', path + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
      if (!ctx.alive()) return null;
      list.append(...r.items.map((p) => productCard(p, p.highlight?.name)));
      cursor = r.next_cursor;
      more.hidden = !cursor;
      return r;
    } catch (e) {
      onError(e);
      return null;
    }
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    more.textContent = 'Loading…';
    await load();
    more.disabled = false;
    more.textContent = 'Show more';
  });
  return load();
}

async function category(main, ctx) {
  const id = ctx.param;
  replace(main, h('h1', { tabindex: '-1' }, 'Category'), h('p', { class: 'muted' }, 'Loading…'));
  const cats = await allCategories();
  let cat = cats.find((c) => c.id === id);
  if (!cat) {
    try {
      cat = await api('GET', `/categories/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e.status !== 404) throw e;
      ctx.title('Category not found');
      return replace(main, h('h1', { tabindex: '-1' }, 'Category not found'), h('p', null, h('a', { href: '/shop' }, 'Back to the shop')));
    }
  }
  if (!ctx.alive()) return;
  ctx.title(cat.name);
  const current = filters(ctx.query);
  if (!optionChoices.has(id)) {
    const sample = await api('GET', `/products${qs({ category: id, limit: 60 })}`);
    const seen = new Map();
    for (const p of sample.items) for (const o of p.options || []) {
      const set = seen.get(o.name) || new Set();
      o.values.forEach((v) => set.add(v));
      seen.set(o.name, set);
    }
    optionChoices.set(id, [...seen].map(([name, values]) => ({ name, values: [...values] })));
  }
  if (!ctx.alive()) return;
  const base = `/shop/categories/${encodeURIComponent(id)}`;
  const children = cats.filter((c) => c.parent_id === id);
  const list = h('ul', { class: 'cards', id: 'results' });
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  const status = h('p', { class: 'muted', role: 'status' });
  const filtersBox = filterForm(ctx, base, current, { options: optionChoices.get(id) });
  const form = filtersBox.querySelector('form');
  replace(main, crumbs(cats, id), h('h1', { tabindex: '-1' }, cat.name),
    children.length ? h('ul', { class: 'chips', 'aria-label': 'Subcategories' },
      children.map((c) => h('li', null, h('a', { href: `/shop/categories/${encodeURIComponent(c.id)}` }, c.name)))) : null,
    h('div', { class: 'layout' }, filtersBox, h('section', { 'aria-label': 'Products' }, status, list, h('p', null, more))));
  const r = await listInto(ctx, list, more, `/products${qs({ ...current, category: id, limit: PAGE })}`,
    (e) => {
      if (e.status !== 422) return status.replaceWith(errorBlock(e));
      status.textContent = 'Correct the filters to see products.';
      showErrors(form, e);
    });
  if (r) status.textContent = r.items.length ? '' : 'No products match these filters.';
}

async function search(main, ctx) {
  const text = (ctx.query.get('q') || '').trim();
  document.getElementById('q').value = text;
  ctx.title(text ? `Search: ${text}` : 'Search');
  if (!text) {
    return replace(main, h('h1', { tabindex: '-1' }, 'Search'), h('p', null, 'Type what you are looking for in the search box above.'));
  }
  const current = filters(ctx.query);
  const params = { q: text, category: current.category, min_price: current.min_price, max_price: current.max_price };
  replace(main, h('h1', { tabindex: '-1' }, `Results for “${text}”`), h('p', { class: 'muted' }, 'Searching…'));
  let first;
  try {
    first = await api('GET', `/search${qs({ ...params, limit: PAGE })}`);
  } catch (e) {
    if (e.status !== 422) throw e;
    first = { items: [], facets: { category: [] }, total: 0, next_cursor: null, error: e };
  }
  if (!ctx.alive()) return;
  const cats = (first.facets?.category || []).map((c) => [c.value, `${c.name} (${c.count})`]);
  if (current.category && !cats.some(([v]) => v === current.category)) cats.push([current.category, 'The chosen category']);
  const filtersBox = filterForm(ctx, `/shop/search${qs({ q: text })}`, current, { sorts: false, categories: cats });
  const form = filtersBox.querySelector('form');
  const list = h('ul', { class: 'cards', id: 'results' });
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  const range = first.facets?.price;
  replace(main, h('h1', { tabindex: '-1' }, `Results for “${text}”`),
    h('div', { class: 'layout' }, filtersBox, h('section', { 'aria-label': 'Search results' },
      h('p', { role: 'status', id: 'result-count' }, first.total === 1 ? '1 product found' : `${first.total} products found`,
        range && first.total ? ` from ${money(range.min)} to ${money(range.max)}` : ''),
      list, h('p', null, more))));
  if (first.error) return showErrors(form, first.error);
  list.append(...first.items.map((p) => productCard(p, p.highlight?.name)));
  more.hidden = !first.next_cursor;
  let cursor = first.next_cursor;
  more.addEventListener('click', async () => {
    more.disabled = true;
    more.textContent = 'Loading…';
    try {
      const r = await api('GET', `/search${qs({ ...params, limit: PAGE, cursor })}`);
      list.append(...r.items.map((p) => productCard(p, p.highlight?.name)));
      cursor = r.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      more.after(errorBlock(e));
    } finally {
      more.disabled = false;
      more.textContent = 'Show more';
    }
  });
}

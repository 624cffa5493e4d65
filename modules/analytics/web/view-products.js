// Products: the list (with CSV export and import), a new product with options and its
// variants, and one product's page: details, stock, variants and images.
import { all, api, apiFull, qs, upload } from './api.js';
import {
  announce, card, confirmButton, field, form, fromMinor, h, money, progressBar, replace,
  statusBadge, table, td, toInt, toMinor, uid,
} from './ui.js';

const go = (hash) => { location.hash = hash; };
const link = (p) => h('a', { href: `#/products/${encodeURIComponent(p.id)}` }, p.name);
const categoryOptions = (cats) => [['', '(none)'], ...cats.map((c) => [c.id, c.name])];
const priceText = (p) => (p.price_max && p.price_max !== p.price ? `${money(p.price, p.currency)} – ${money(p.price_max, p.currency)}` : money(p.price, p.currency));

export async function list(view) {
  const rows = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let cursor = null;
  const cats = await all('/categories');
  const catName = new Map(cats.map((c) => [c.id, c.name]));
  const filter = field('Category', 'category', {}, { type: 'select', options: [['', 'All categories'], ...cats.map((c) => [c.id, c.name])] });
  const load = async (reset) => {
    if (reset) { cursor = null; rows.replaceChildren(); }
    const page = await api('GET', `/products${qs({ limit: 50, cursor, category: filter.querySelector('select').value })}`);
    for (const p of page.items) {
      rows.append(h('tr', { 'data-product-id': p.id },
        h('td', null, link(p)), td(p.sku, 'id'), td(priceText(p), 'num'), td(String(p.stock), p.stock <= 5 ? 'num low' : 'num'),
        td(String(p.variants?.length ?? 1), 'num'), td(catName.get(p.category_id) || '—')));
    }
    if (!rows.children.length) rows.append(h('tr', null, h('td', { class: 'empty', colspan: 6 }, 'No products yet.')));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  };
  filter.querySelector('select').addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));

  replace(view,
    h('div', { class: 'toolbar' }, h('h1', { class: 'page' }, 'Products'),
      h('div', { class: 'actions' }, h('a', { href: '#/products/new', class: 'button-link', id: 'new-product' }, 'New product'))),
    h('section', { class: 'card', 'aria-label': 'Product list' }, h('h2', null, 'Active products'), filter,
      h('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Products', tabindex: '0' },
        h('table', { id: 'products-table' },
          h('thead', null, h('tr', null, ['Name', 'SKU', 'Price', 'Stock', 'Variants', 'Category'].map((t, i) => h('th', { scope: 'col', class: i >= 2 && i <= 4 ? 'num' : null }, t)))),
          rows)),
      h('div', { class: 'actions' }, more)),
    catalogueFile(() => load(true)));
  await load(true);
}

// CSV export (a download) and import (an upload with progress; errors by row).
function catalogueFile(after) {
  const exportBtn = h('button', { type: 'button', id: 'export-csv' }, 'Export CSV');
  const exportMsg = h('span', { role: 'status' });
  exportBtn.addEventListener('click', async () => {
    exportBtn.disabled = true;
    exportMsg.textContent = 'Preparing the file…';
    try {
      const text = await api('GET', '/products/export', { headers: { Accept: 'text/csv' } });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const a = h('a', { href: url, download: 'products.csv' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      exportMsg.textContent = 'Downloaded products.csv.';
    } catch (e) {
      exportMsg.textContent = e.detail;
    } finally {
      exportBtn.disabled = false;
    }
  });
  const bar = progressBar('Import progress');
  const result = h('p', { role: 'status' });
  const f = form({ class: 'stack', id: 'import-form' }, [
    field('CSV file', 'file', { type: 'file', accept: '.csv,text/csv', required: true }, { hint: 'The columns of the export; rows are matched by sku, all or none applied.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Import')),
    bar.el, result,
  ], async (_, formEl) => {
    const file = formEl.querySelector('input[type=file]').files[0];
    if (!file) throw { status: 0, detail: 'Choose a CSV file first.', errors: [{ field: 'file', message: 'Choose a CSV file first.' }] };
    result.textContent = '';
    bar.start();
    try {
      const r = await upload('POST', '/products/import', file, 'text/csv', bar.set);
      bar.done(`Imported: ${r.created} created, ${r.updated} updated.`);
      announce(`Imported ${r.created + r.updated} rows`);
      await after();
    } catch (e) {
      bar.fail('The import was refused; nothing was changed.');
      throw e;
    }
  }, { busyText: 'Importing…' });
  return card('Catalogue file', h('div', { class: 'actions' }, exportBtn, exportMsg), h('h3', null, 'Import'), f);
}

// --- a new product --------------------------------------------------------------------

export async function create(view) {
  const cats = await all('/categories');
  const optionRows = h('div', { class: 'wide' });
  const variantBox = h('div', { class: 'wide' });
  const simple = h('div', { class: 'stack wide' },
    field('Price', 'price', { inputmode: 'decimal', id: 'new-price' }, { hint: 'e.g. 19.99' }),
    field('Stock', 'stock', { inputmode: 'numeric', id: 'new-stock', value: '0' }));
  const hasOptions = field('This product comes in options (size, colour…)', 'has_options', { type: 'checkbox', id: 'has-options' });
  const optionsPart = h('div', { class: 'wide', hidden: true, id: 'options-part' },
    h('p', { class: 'hint' }, 'Up to 3 options; values separated by commas. Then list the variants, one per combination.'),
    optionRows, h('p', { class: 'field-error', 'data-error-for': 'options' }),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'build-variants' }, 'List the variants')),
    variantBox, h('p', { class: 'field-error', 'data-error-for': 'variants' }));
  for (let i = 0; i < 3; i++) {
    optionRows.append(h('div', { class: 'stack' },
      field(`Option ${i + 1} name`, `options[${i}].name`, { id: `opt-name-${i}`, placeholder: i === 0 ? 'Size' : '' }),
      field(`Option ${i + 1} values`, `options[${i}].values`, { id: `opt-values-${i}`, placeholder: i === 0 ? 'S, M, L' : '' })));
  }
  hasOptions.querySelector('input').addEventListener('change', (e) => {
    optionsPart.hidden = !e.target.checked;
    simple.hidden = e.target.checked;
  });

  const options = () => {
    const out = [];
    for (let i = 0; i < 3; i++) {
      const name = view.querySelector(`#opt-name-${i}`).value.trim();
      const values = view.querySelector(`#opt-values-${i}`).value.split(',').map((v) => v.trim()).filter(Boolean);
      if (name || values.length) out.push({ name, values });
    }
    return out;
  };
  const combos = (opts) => opts.reduce((acc, o) => acc.flatMap((c) => o.values.map((v) => ({ ...c, [o.name]: v }))), [{}]);
  view.addEventListener('click', (e) => {
    if (e.target.id !== 'build-variants') return;
    const sku = view.querySelector('#new-sku').value.trim() || 'SKU';
    const opts = options();
    const rows = combos(opts).slice(0, 150).map((c, i) => h('tr', { 'data-options': JSON.stringify(c) },
      td(Object.values(c).join(' / ')),
      h('td', null, h('label', { class: 'vh', for: `v-sku-${i}` }, `SKU of ${Object.values(c).join(' / ')}`),
        h('input', { id: `v-sku-${i}`, 'data-field': `variants[${i}].sku`, value: `${sku}-${Object.values(c).join('-')}`.toUpperCase().replace(/\s+/g, '') }),
        h('p', { class: 'field-error', 'data-error-for': `variants[${i}].sku` }), h('p', { class: 'field-error', 'data-error-for': `variants[${i}]` })),
      h('td', null, h('label', { class: 'vh', for: `v-price-${i}` }, `Price of ${Object.values(c).join(' / ')}`),
        h('input', { id: `v-price-${i}`, 'data-field': `variants[${i}].price`, inputmode: 'decimal', size: 8 }),
        h('p', { class: 'field-error', 'data-error-for': `variants[${i}].price` })),
      h('td', null, h('label', { class: 'vh', for: `v-stock-${i}` }, `Stock of ${Object.values(c).join(' / ')}`),
        h('input', { id: `v-stock-${i}`, 'data-field': `variants[${i}].stock`, inputmode: 'numeric', size: 6, value: '0' }),
        h('p', { class: 'field-error', 'data-error-for': `variants[${i}].stock` }))));
    replace(variantBox, table('Variants', ['Variant', 'SKU', 'Price', 'Stock'], rows, 'Name an option and its values first.', { id: 'variants-table' }));
    variantBox.querySelector('input')?.focus();
  });

  const f = form({ class: 'stack', id: 'product-form' }, [
    field('Name', 'name', { id: 'new-name', required: true }),
    field('SKU', 'sku', { id: 'new-sku', required: true }),
    field('Category', 'category_id', { id: 'new-category' }, { type: 'select', options: categoryOptions(cats) }),
    h('div', { class: 'wide' }, field('Description', 'description', { id: 'new-description' }, { type: 'textarea' })),
    h('div', { class: 'wide' }, hasOptions),
    simple, optionsPart,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create-product' }, 'Create product')),
  ], async (v, formEl) => {
    const body = { name: v.name, sku: v.sku, description: v.description };
    if (v.category_id) body.category_id = v.category_id;
    if (v.has_options) {
      body.options = options();
      body.variants = [...formEl.querySelectorAll('#variants-table tbody tr[data-options]')].map((tr, i) => ({
        sku: formEl.querySelector(`#v-sku-${i}`).value.trim(),
        options: JSON.parse(tr.dataset.options),
        price: toMinor(formEl.querySelector(`#v-price-${i}`).value),
        stock: toInt(formEl.querySelector(`#v-stock-${i}`).value) ?? 0,
      }));
    } else {
      body.price = toMinor(v.price);
      body.stock = toInt(v.stock) ?? 0;
    }
    const p = await api('POST', '/products', { body });
    announce(`Created ${p.name}`);
    go(`#/products/${encodeURIComponent(p.id)}`);
  }, { busyText: 'Creating…', codeFields: { sku_taken: 'sku' } });
  replace(view, h('h1', { class: 'page' }, 'New product'), card('Product', f));
}

// --- one product -----------------------------------------------------------------------

export async function detail(view, id) {
  const [{ data: p, headers }, cats] = await Promise.all([apiFull('GET', `/products/${encodeURIComponent(id)}`), all('/categories')]);
  const etag = headers.get('ETag');
  const hasOptions = (p.options || []).length > 0;
  const again = () => detail(view, id);

  const edit = form({ class: 'stack', id: 'edit-form' }, [
    field('Name', 'name', { value: p.name }),
    field('SKU', 'sku', { value: p.sku }),
    field('Category', 'category_id', {}, { type: 'select', options: categoryOptions(cats), value: p.category_id || '' }),
    hasOptions ? null : field('Price', 'price', { inputmode: 'decimal', value: fromMinor(p.price, p.currency) }),
    h('div', { class: 'wide' }, field('Description', 'description', {}, { type: 'textarea', value: p.description || '' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save changes')),
  ], async (v) => {
    const body = { name: v.name, sku: v.sku, description: v.description, category_id: v.category_id || null };
    if (!hasOptions) body.price = toMinor(v.price);
    await api('PATCH', `/products/${encodeURIComponent(id)}`, { body, headers: etag ? { 'If-Match': etag } : {} });
    announce('Saved');
    await again();
  }, { codeFields: { precondition_failed: 'name', sku_taken: 'sku' } });

  const stock = hasOptions ? null : card('Stock', h('p', null, 'In stock: ', h('strong', { id: 'product-stock' }, String(p.stock))),
    stockForm(`/products/${encodeURIComponent(id)}/stock`, again, 'product'));

  replace(view,
    h('div', { class: 'toolbar' },
      h('h1', { class: 'page' }, p.name, ' ', statusBadge(p.status)),
      h('div', { class: 'actions' }, h('a', { href: `/shop/products/${encodeURIComponent(p.id)}` }, 'See it in the shop'),
        p.status === 'active' ? confirmButton('Archive product', 'Archive it? It stops being sold.', async () => {
          await api('DELETE', `/products/${encodeURIComponent(id)}`);
          announce('Archived');
          go('#/products');
        }) : null)),
    h('dl', { class: 'facts card' }, h('dt', null, 'Id'), h('dd', { class: 'mono' }, p.id), h('dt', null, 'Price'), h('dd', null, priceText(p)),
      h('dt', null, 'Stock'), h('dd', null, String(p.stock)), h('dt', null, 'Version'), h('dd', null, String(p.version))),
    card('Details', edit),
    stock,
    hasOptions ? variants(p, again) : null,
    images(p));
}

function stockForm(path, after, label) {
  return form({ class: 'stack stock-form', 'aria-label': `Adjust stock of ${label}` }, [
    field('Change by', 'delta', { inputmode: 'numeric', placeholder: '+10 or -2' }),
    field('Reason', 'reason', { placeholder: 'restock' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Adjust stock')),
  ], async (v) => {
    const body = { delta: toInt(v.delta) };
    if (v.reason) body.reason = v.reason;
    const r = await api('POST', path, { body });
    announce(`Stock is now ${r.stock}`);
    await after();
  }, { codeFields: { insufficient_stock: 'delta', variant_required: 'delta' } });
}

function variants(p, after) {
  const base = `/products/${encodeURIComponent(p.id)}/variants`;
  const rows = p.variants.map((v) => {
    const vid = encodeURIComponent(v.id);
    const name = Object.values(v.options).join(' / ');
    const edit = form({ class: 'inline', 'aria-label': `Edit ${name}` }, [
      h('div', { class: 'actions' },
        field('SKU', 'sku', { value: v.sku, size: 14 }), field('Price', 'price', { value: fromMinor(v.price, p.currency), inputmode: 'decimal', size: 7 }),
        h('button', { type: 'submit' }, 'Save')),
    ], async (vals) => {
      await api('PATCH', `${base}/${vid}`, { body: { sku: vals.sku, price: toMinor(vals.price) } });
      announce(`Saved ${name}`);
      await after();
    });
    return h('tr', { 'data-variant-id': v.id },
      td(name), td(String(v.stock), 'num'), h('td', null, statusBadge(v.status)),
      h('td', { class: 'wrap' }, v.status === 'active' ? edit : v.sku),
      h('td', { class: 'wrap' }, v.status === 'active' ? stockForm(`${base}/${vid}/stock`, after, name) : null),
      h('td', null, v.status === 'active' ? confirmButton('Archive', `Archive ${name}?`, async () => {
        await api('DELETE', `${base}/${vid}`);
        announce(`Archived ${name}`);
        await after();
      }) : null));
  });
  const add = form({ class: 'stack', id: 'add-variant-form' }, [
    ...p.options.map((o) => field(o.name, `options.${o.name}`, { placeholder: o.values.join(', ') }, { hint: `One of: ${o.values.join(', ')}, or a new value` })),
    field('SKU', 'sku'), field('Price', 'price', { inputmode: 'decimal' }), field('Stock', 'stock', { inputmode: 'numeric', value: '0' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add variant')),
  ], async (v) => {
    const options = {};
    for (const o of p.options) options[o.name] = v[`options.${o.name}`];
    await api('POST', base, { body: { sku: v.sku, options, price: toMinor(v.price), stock: toInt(v.stock) ?? 0 } });
    announce('Variant added');
    await after();
  });
  return card('Variants', table('Variants', ['Variant', ['Stock', 'num'], 'Status', 'SKU and price', 'Stock change', ''], rows, 'No variants.', { id: 'variants-table' }),
    h('h3', null, 'Add a variant'), add);
}

function images(p) {
  const path = `/products/${encodeURIComponent(p.id)}`;
  const listEl = h('div');
  const draw = (product) => {
    const imgs = (product.images || []).filter((u) => typeof u === 'string' && u.startsWith('/media/'));
    replace(listEl, imgs.length ? h('ul', { class: 'images', id: 'images' }, imgs.map((url, i) => {
      const imageId = url.slice('/media/'.length);
      return h('li', { 'data-image-id': imageId }, h('img', { src: url, alt: `${product.name}, image ${i + 1}`, width: 120, height: 120 }),
        confirmButton('Remove', 'Remove it?', async () => {
          await api('DELETE', `${path}/images/${encodeURIComponent(imageId)}`);
          announce('Image removed');
          draw(await api('GET', path));
        }));
    })) : h('p', { class: 'muted' }, 'No images yet.'));
  };
  draw(p);
  const bar = progressBar('Upload progress');
  const inputId = uid('img');
  const f = form({ class: 'stack', id: 'image-form' }, [
    field('Image (JPEG, PNG or WebP)', 'image', { id: inputId, type: 'file', accept: 'image/jpeg,image/png,image/webp' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'upload-image' }, 'Upload')),
    bar.el,
  ], async (_, formEl) => {
    const input = formEl.querySelector(`#${inputId}`);
    const file = input.files[0];
    if (!file) throw { status: 0, detail: 'Choose an image first.', errors: [{ field: 'image', message: 'Choose an image first.' }] };
    bar.start();
    try {
      await upload('POST', `${path}/images`, file, file.type || 'application/octet-stream', bar.set);
    } catch (e) {
      bar.fail('Not uploaded.');
      throw e;
    }
    bar.done(`Uploaded ${file.name}.`);
    input.value = '';
    announce('Image uploaded');
    draw(await api('GET', path));
  }, { busyText: 'Uploading…', codeFields: { unsupported_media_type: 'image', payload_too_large: 'image' } });
  return card('Images', listEl, f);
}

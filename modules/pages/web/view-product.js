// A product: its pictures, the variant picker (each option a group of choices that says
// which are sold out or priced differently, and every variant with its price and stock in
// a table), and adding the chosen variant to the cart.
import { allCategories, api } from './api.js';
import { addToCart } from './cart.js';
import { announce, errorBlock, formError, h, money, ownImages, priceText, replace, showErrors, stockText, working } from './ui.js';

export async function render(main, ctx) {
  replace(main, h('h1', { tabindex: '-1' }, 'Product'), h('p', { class: 'muted' }, 'Loading…'));
  let p;
  try {
    p = await api('GET', `/products/${encodeURIComponent(ctx.param)}`);
  } catch (e) {
    if (e.status !== 404) throw e;
    ctx.title('Product not found');
    return replace(main, h('h1', { tabindex: '-1' }, 'Product not found'),
      h('p', null, 'It may have been taken off sale. ', h('a', { href: '/shop' }, 'Back to the shop')));
  }
  if (!ctx.alive()) return;
  ctx.title(p.name);
  const cats = await allCategories().catch(() => []);
  const cat = cats.find((c) => c.id === p.category_id);
  const variants = (p.variants?.length ? p.variants : [{ id: p.id, sku: p.sku, options: {}, price: p.price, stock: p.stock, status: 'active' }])
    .filter((v) => v.status === 'active');
  const options = p.options || [];
  const fits = (v, sel) => options.every((o) => !sel[o.name] || v.options[o.name] === sel[o.name]);

  // The starting choice: the variant named in ?variant=, else the first one in stock.
  const start = variants.find((v) => v.id === ctx.query.get('variant')) || variants.find((v) => v.stock > 0) || variants[0];
  const selected = { ...(start?.options || {}) };
  const chosen = () => variants.find((v) => options.every((o) => v.options[o.name] === selected[o.name]));

  const priceEl = h('p', { class: 'price', id: 'price' });
  const stockEl = h('p', { id: 'availability' });
  const qty = h('input', { id: 'qty', type: 'number', min: 1, value: 1, class: 'qty', inputmode: 'numeric', 'data-field': 'quantity', 'aria-describedby': 'qty-err' });
  const add = h('button', { type: 'submit', class: 'primary', id: 'add-to-cart' }, 'Add to cart');
  const added = h('p', { id: 'added', role: 'status' });
  const groups = options.map((o, i) => h('fieldset', null, h('legend', null, o.name),
    h('div', { class: 'values' }, o.values.map((value) => {
      const input = h('input', { type: 'radio', name: `opt-${i}`, value, 'data-option': o.name, checked: selected[o.name] === value });
      input.addEventListener('change', () => {
        selected[o.name] = value;
        // A value with no variant beside the other choices moves them to one that has it.
        if (!chosen()) {
          const near = variants.filter((x) => x.options[o.name] === value).sort((a, b) => (b.stock > 0) - (a.stock > 0))[0];
          if (near) Object.assign(selected, near.options);
          form.querySelectorAll('input[data-option]').forEach((r) => { r.checked = selected[r.dataset.option] === r.value; });
        }
        update();
      });
      return h('label', { class: 'value' }, input, h('span', null, value, ' ', h('small', { 'data-note': '' })));
    }))));

  function update() {
    const v = chosen();
    // Each value's note: what choosing it (with the other choices kept) would give.
    groups.forEach((g, i) => g.querySelectorAll('.value').forEach((label) => {
      const value = label.querySelector('input').value;
      const match = variants.filter((x) => fits(x, { ...selected, [options[i].name]: value }));
      // None beside the other choices: it comes with other ones (choosing it moves them there).
      const other = match.length ? null : variants.find((x) => x.options[options[i].name] === value && x.stock > 0);
      const inStock = match.some((x) => x.stock > 0) || !!other;
      const prices = [...new Set(match.map((x) => x.price))];
      label.classList.toggle('out', !inStock);
      label.querySelector('[data-note]').textContent = other
        ? `in ${options.filter((o) => o.name !== options[i].name && other.options[o.name] !== selected[o.name]).map((o) => other.options[o.name]).join(', ')}`
        : !inStock ? 'sold out' : prices.length === 1 && prices[0] !== p.price ? money(prices[0], p.currency) : '';
    }));
    replace(priceEl, v ? money(v.price, p.currency) : priceText(p));
    replace(stockEl, v ? [stockText(v.stock), v.sku ? h('span', { class: 'muted' }, ` · SKU ${v.sku}`) : null]
      : h('span', { class: 'stock-out' }, 'This combination is not available'));
    add.disabled = !v || v.stock <= 0;
    if (v) qty.max = v.stock;
  }

  const images = ownImages(p);
  const mainImg = images.length ? h('img', { class: 'main', src: images[0], alt: `${p.name}, picture 1 of ${images.length}`, width: 600, height: 600 }) : null;
  const gallery = h('div', { class: 'gallery' },
    mainImg || h('div', { class: 'thumb placeholder main', 'aria-hidden': 'true' }, p.name.charAt(0).toUpperCase()),
    images.length > 1 ? h('ul', { class: 'thumbs', 'aria-label': 'Pictures' }, images.map((src, i) => h('li', null,
      h('button', {
        type: 'button', 'aria-pressed': i === 0 ? 'true' : 'false', 'aria-label': `Show picture ${i + 1}`,
        onclick: (e) => {
          mainImg.src = src;
          mainImg.alt = `${p.name}, picture ${i + 1} of ${images.length}`;
          gallery.querySelectorAll('.thumbs button').forEach((b) => b.setAttribute('aria-pressed', b === e.currentTarget ? 'true' : 'false'));
        },
      }, h('img', { src, alt: '', width: 64, height: 64 }))))) : null);

  const form = h('form', { class: 'options', novalidate: true }, formError(), groups,
    h('div', { class: 'row' }, h('label', { for: 'qty' }, 'Quantity'), qty, add),
    h('p', { class: 'field-error', id: 'qty-err', 'data-error-for': 'quantity' }), added);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = chosen();
    const n = Number(qty.value);
    if (!v) return;
    if (!Number.isInteger(n) || n < 1 || n > v.stock) {
      return showErrors(form, { detail: '', errors: [{ field: 'quantity', message: `Choose from 1 to ${v.stock}.` }] });
    }
    try {
      await working(add, 'Adding…', () => addToCart({
        variant_id: v.id, product_id: p.id, name: p.name, sku: v.sku, options: v.options,
        unit_price: v.price, currency: p.currency, image: images[0] || null,
      }, n));
      replace(added, h('span', { class: 'ok' }, `Added ${n} to your cart. `), h('a', { href: '/shop/cart' }, 'View cart'), ' · ',
        h('a', { href: '/shop/checkout' }, 'Check out'));
      announce('Added to your cart');
    } catch (err) {
      showErrors(form, err, { insufficient_stock: 'quantity', cart_full: 'quantity', variant_required: 'quantity' });
    }
    update();
  });

  const table = options.length ? h('details', null, h('summary', null, `All ${variants.length} variants`),
    h('div', { class: 'table-wrap' }, h('table', { id: 'variants' },
      h('thead', null, h('tr', null, options.map((o) => h('th', { scope: 'col' }, o.name)),
        h('th', { scope: 'col', class: 'num' }, 'Price'), h('th', { scope: 'col' }, 'Availability'))),
      h('tbody', null, variants.map((v) => h('tr', { 'data-variant-id': v.id },
        options.map((o) => h('td', null, v.options[o.name])),
        h('td', { class: 'num' }, money(v.price, p.currency)), h('td', null, stockText(v.stock)))))))) : null;

  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('ol', null,
    h('li', null, h('a', { href: '/shop' }, 'Home')),
    cat ? h('li', null, h('a', { href: `/shop/categories/${encodeURIComponent(cat.id)}` }, cat.name)) : null,
    h('li', null, h('span', { 'aria-current': 'page' }, p.name))));
  replace(main, crumbs, h('article', { class: 'product' }, gallery, h('div', null,
    h('h1', { tabindex: '-1' }, p.name), priceEl, stockEl, form, table,
    h('h2', null, 'Description'), h('p', null, p.description || ''))));
  if (!variants.length) main.querySelector('article').after(errorBlock({ detail: 'This product is not for sale at the moment.' }));
  update();
}

// Home: the top-level categories and featured products (the newest, those with pictures first).
import { allCategories, api } from './api.js';
import { h, productCard, replace } from './ui.js';

export async function render(main, ctx) {
  ctx.title('Home');
  replace(main, h('h1', { tabindex: '-1' }, 'Welcome to the shop'), h('p', { class: 'muted' }, 'Loading categories and products…'));
  const [cats, products] = await Promise.all([allCategories(), api('GET', '/products?limit=40&in_stock=true')]);
  if (!ctx.alive()) return;
  const top = cats.filter((c) => !c.parent_id).sort((a, b) => a.name.localeCompare(b.name));
  const pictured = (p) => ((p.images || []).some((u) => u.startsWith('/')) ? 0 : 1);
  const featured = [...products.items].sort((a, b) => pictured(a) - pictured(b)).slice(0, 12);
  replace(main,
    h('h1', { tabindex: '-1' }, 'Welcome to the shop'),
    h('section', { 'aria-labelledby': 'cat-h' },
      h('h2', { id: 'cat-h' }, 'Shop by category'),
      top.length
        ? h('ul', { class: 'chips', id: 'categories' },
          top.map((c) => h('li', null, h('a', { href: `/shop/categories/${encodeURIComponent(c.id)}` }, c.name))))
        : h('p', { class: 'muted' }, 'No categories yet.')),
    h('section', { 'aria-labelledby': 'feat-h' },
      h('h2', { id: 'feat-h' }, 'Featured products'),
      featured.length
        ? h('ul', { class: 'cards', id: 'featured' }, featured.map((p) => productCard(p)))
        : h('p', { class: 'muted' }, 'Nothing for sale yet.')));
}

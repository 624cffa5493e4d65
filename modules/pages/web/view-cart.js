// The cart: each line with its quantity (changed in place) and a remove button, the
// subtotal, and the way to checkout.
import { currentUser } from './api.js';
import { getCart, setQuantity } from './cart.js';
import { add, announce, errorBlock, formError, h, money, replace, showErrors, thumb } from './ui.js';

export const optionText = (options) => Object.entries(options || {}).map(([k, v]) => `${k}: ${v}`).join(', ');

export async function render(main, ctx) {
  ctx.title('Your cart');
  replace(main, h('h1', { tabindex: '-1' }, 'Your cart'), h('p', { class: 'muted' }, 'Loading your cart…'));
  const cart = await getCart();
  if (!ctx.alive()) return;
  draw(main, cart);
}

function draw(main, cart) {
  const top = formError();
  const body = h('div', { class: 'panel', id: 'cart' }, top);
  replace(main, h('h1', { tabindex: '-1' }, 'Your cart'), body);
  if (!cart.items.length) {
    body.append(h('p', { id: 'cart-empty' }, 'Your cart is empty. ', h('a', { href: '/shop' }, 'Find something you like')));
    return;
  }
  const blocked = cart.items.some((l) => l.unavailable || (l.stock !== undefined && l.stock < l.quantity));
  add(body,
    h('ul', { class: 'lines' }, cart.items.map((l, i) => {
      const id = `qty-${i}`;
      const qty = h('input', { id, type: 'number', min: 0, value: l.quantity, class: 'qty', inputmode: 'numeric', 'data-field': `line-${i}`, 'aria-describedby': `${id}-err` });
      const change = async (n) => {
        try {
          const next = await setQuantity(l.variant_id, n);
          announce(n ? `Quantity of ${l.name} is now ${n}` : `${l.name} removed from your cart`);
          draw(main, { ...next, items: next.items.map((x) => ({ ...cart.items.find((o) => o.variant_id === x.variant_id), ...x })) });
          main.querySelector('h1').focus();
        } catch (e) {
          showErrors(body, e, { insufficient_stock: `line-${i}`, validation_failed: `line-${i}` });
        }
      };
      qty.addEventListener('change', () => {
        const n = Number(qty.value);
        if (Number.isInteger(n) && n >= 0) change(n);
        else showErrors(body, { detail: '', errors: [{ field: `line-${i}`, message: 'Enter a whole number.' }] });
      });
      return h('li', { class: 'line', 'data-variant-id': l.variant_id },
        l.image ? h('img', { class: 'thumb', src: l.image, alt: '', width: 64, height: 64 }) : thumb(l),
        h('div', null,
          h('h2', { class: 'h3' }, h('a', { href: `/shop/products/${encodeURIComponent(l.product_id)}?variant=${encodeURIComponent(l.variant_id)}` }, l.name)),
          l.options && Object.keys(l.options).length ? h('p', { class: 'muted' }, optionText(l.options)) : null,
          h('p', null, money(l.unit_price, cart.currency), ' each · ', h('strong', null, money(l.line_total, cart.currency))),
          l.unavailable ? h('p', { class: 'stock-out' }, 'No longer for sale: remove it to check out.')
            : l.stock !== undefined && l.stock < l.quantity ? h('p', { class: 'stock-out' }, `Only ${l.stock} left: lower the quantity to check out.`) : null,
          h('div', { class: 'controls' },
            h('label', { for: id }, 'Quantity'), qty,
            h('button', { type: 'button', class: 'link', onclick: () => change(0), 'aria-label': `Remove ${l.name}` }, 'Remove')),
          h('p', { class: 'field-error', id: `${id}-err`, 'data-error-for': `line-${i}` })));
    })),
    h('dl', { class: 'totals' }, h('div', { class: 'grand' }, h('dt', null, 'Subtotal'), h('dd', { id: 'cart-total' }, money(cart.total, cart.currency)))),
    h('p', { class: 'muted' }, 'Shipping, tax and discount codes are worked out at checkout.'),
    blocked ? errorBlock({ detail: 'Some lines cannot be bought as they are: change them first.' })
      : h('a', { class: 'button primary', href: '/shop/checkout', id: 'to-checkout' }, currentUser() ? 'Check out' : 'Check out as a guest'),
    currentUser() ? null : h('p', { class: 'muted' }, 'Have an account? ', h('a', { href: '/shop/signin?next=/shop/checkout' }, 'Sign in'), ' to check out with it.'));
}

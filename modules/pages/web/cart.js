// One cart for the views, wherever it lives: in localStorage for a guest, the API's cart
// (`/api/v1/cart`) for a signed-in customer. A guest's cart joins the account's on sign-in.
import { api, currentUser } from './api.js';

const KEY = 'shop.cart';
const listeners = new Set();
export const onCart = (fn) => listeners.add(fn);
function changed(cart) {
  const n = cart.items.reduce((s, l) => s + l.quantity, 0);
  for (const fn of listeners) fn(n);
  return cart;
}

function local() {
  try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch { return []; }
}
function saveLocal(lines) {
  if (lines.length) localStorage.setItem(KEY, JSON.stringify(lines)); else localStorage.removeItem(KEY);
}
function summed(lines, currency) {
  const items = lines.map((l) => ({ ...l, line_total: l.unit_price * l.quantity }));
  return { items, total: items.reduce((s, l) => s + l.line_total, 0), currency: currency || items[0]?.currency || 'USD' };
}

// The cart with current prices. A guest's lines are checked against the catalogue:
// a line whose variant is gone or sold out says so (`unavailable`, `stock`).
export async function getCart() {
  if (currentUser()) return changed(await api('GET', '/cart'));
  const lines = local();
  const ids = [...new Set(lines.map((l) => l.product_id))];
  const products = new Map(await Promise.all(ids.map((id) =>
    api('GET', `/products/${encodeURIComponent(id)}`).then((p) => [id, p], (e) => [id, e.status === 404 ? null : undefined]))));
  for (const l of lines) {
    const p = products.get(l.product_id);
    if (p === undefined) continue;  // not reachable now: keep what we knew
    const v = p && (p.variants || []).find((x) => x.id === l.variant_id);
    const active = p && p.status === 'active' && (v ? v.status === 'active' : !p.variants?.length && l.variant_id === p.id);
    l.unavailable = !active;
    if (active) {
      l.unit_price = v ? v.price : p.price;
      l.stock = v ? v.stock : p.stock;
      l.name = p.name;
    }
  }
  saveLocal(lines);
  return changed(summed(lines));
}

// Adds quantity of one variant; `line` describes it for a guest's cart.
export async function addToCart(line, quantity) {
  if (currentUser()) {
    const cart = await api('GET', '/cart');
    const had = cart.items.find((l) => l.variant_id === line.variant_id)?.quantity || 0;
    return changed(await api('PUT', `/cart/items/${encodeURIComponent(line.variant_id)}`, { body: { quantity: had + quantity } }));
  }
  const lines = local();
  const found = lines.find((l) => l.variant_id === line.variant_id);
  if (found) found.quantity += quantity; else lines.push({ ...line, quantity });
  saveLocal(lines);
  return changed(summed(lines));
}

export async function setQuantity(variantId, quantity) {
  if (currentUser()) {
    const path = `/cart/items/${encodeURIComponent(variantId)}`;
    return changed(quantity > 0 ? await api('PUT', path, { body: { quantity } }) : await api('DELETE', path));
  }
  const lines = local().map((l) => (l.variant_id === variantId ? { ...l, quantity } : l)).filter((l) => l.quantity > 0);
  saveLocal(lines);
  return changed(summed(lines));
}

// After an order: the API empties the cart an order was made from; a guest's is emptied here.
export function forgetGuestCart() {
  saveLocal([]);
  changed(summed([]));
}

// On sign-in: the guest's lines are added to the account's cart, then forgotten here.
// Lines the API refuses (sold out, gone) are reported by name.
export async function mergeGuestCart() {
  const lines = local();
  if (!lines.length) return [];
  const cart = await api('GET', '/cart');
  const refused = [];
  for (const l of lines) {
    const had = cart.items.find((x) => x.variant_id === l.variant_id)?.quantity || 0;
    try {
      await api('PUT', `/cart/items/${encodeURIComponent(l.variant_id)}`, { body: { quantity: had + l.quantity } });
    } catch (e) {
      refused.push(`${l.name}: ${e.detail}`);
    }
  }
  saveLocal([]);
  await getCart();
  return refused;
}

// The badge, without a request for a guest.
export async function refreshCount() {
  if (currentUser()) return getCart().catch(() => {});
  changed(summed(local()));
}

// The storefront's shell: routes /shop paths to views (history API, so every page has a
// real URL the server also answers), the search box with suggestions as you type, the
// header's account and cart links, and the progress bar.
import { api, currentUser, onBusy, onSession, qs } from './api.js';
import { onCart, refreshCount } from './cart.js';
import { errorBlock, h, replace } from './ui.js';

const main = document.getElementById('main');

// [pattern, view module, extra]; the view's render(main, ctx) draws the page.
const routes = [
  [/^\/shop\/?$/, 'view-home.js'],
  [/^\/shop\/categories\/([^/]+)\/?$/, 'view-catalog.js', 'category'],
  [/^\/shop\/search\/?$/, 'view-catalog.js', 'search'],
  [/^\/shop\/products\/([^/]+)\/?$/, 'view-product.js'],
  [/^\/shop\/cart\/?$/, 'view-cart.js'],
  [/^\/shop\/checkout\/?$/, 'view-checkout.js'],
  [/^\/shop\/orders\/([^/]+)\/?$/, 'view-order.js'],
  [/^\/shop\/(signin|register|account|forgot-password|reset-password)\/?$/, 'view-account.js'],
];

let generation = 0;
let firstRender = true;

export function navigate(url, { replace: swap = false } = {}) {
  history[swap ? 'replaceState' : 'pushState'](null, '', url);
  render();
}

async function render() {
  const gen = ++generation;
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  const q = document.getElementById('q');
  if (!path.startsWith('/shop/search')) q.value = '';
  let route = null, match = null;
  for (const r of routes) if ((match = path.match(r[0]))) { route = r; break; }
  main.setAttribute('aria-busy', 'true');
  const ctx = {
    param: match && match[1] ? decodeURIComponent(match[1]) : null,
    mode: route?.[2] ?? match?.[1],
    query,
    navigate,
    alive: () => gen === generation,
    title: (t) => { if (gen === generation) document.title = `${t} · Shop`; },
  };
  try {
    if (!route) {
      ctx.title('Not found');
      replace(main, h('h1', { tabindex: '-1' }, 'Page not found'), h('p', null, h('a', { href: '/shop' }, 'Back to the shop')));
    } else {
      const view = await import(`./${route[1]}`);
      if (gen !== generation) return;
      await view.render(main, ctx);
    }
  } catch (e) {
    if (gen !== generation) return;
    ctx.title('Something went wrong');
    replace(main, h('h1', { tabindex: '-1' }, 'Something went wrong'), errorBlock(e, () => render()));
  } finally {
    if (gen === generation) {
      main.removeAttribute('aria-busy');
      // A new page moves the focus to its heading, as a page load would, for screen readers and keyboards.
      if (!firstRender) (main.querySelector('h1') || main).focus({ preventScroll: true });
      firstRender = false;
    }
  }
}

// Same-origin links to /shop pages are handled here, not by a page load.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/shop') || a.hasAttribute('download')) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
  scrollTo(0, 0);
});
addEventListener('popstate', render);

// --- header ---
function showAccount(user) {
  const a = document.getElementById('nav-account');
  a.textContent = user ? 'Your account' : 'Sign in';
  a.href = user ? '/shop/account' : '/shop/signin';
}
onSession((s) => { showAccount(s?.user); refreshCount(); });
onCart((n) => { document.getElementById('cart-count').textContent = n; });

// The progress bar shows only for what takes longer than a moment.
let busyTimer = null;
onBusy((busy) => {
  const bar = document.getElementById('progress');
  clearTimeout(busyTimer);
  if (busy) busyTimer = setTimeout(() => { bar.hidden = false; }, 150);
  else bar.hidden = true;
});

// --- search with suggestions (ARIA combobox with a listbox popup) ---
const form = document.getElementById('search-form');
const input = document.getElementById('q');
const list = document.getElementById('suggestions');
let active = -1, suggestTimer = null, asked = 0;

function closeList() {
  list.hidden = true;
  list.replaceChildren();
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
  active = -1;
}
function choose(text) {
  closeList();
  input.value = text;
  navigate(`/shop/search${qs({ q: text })}`);
}
function mark(i) {
  const items = list.querySelectorAll('[role="option"]');
  active = (i + items.length) % items.length;
  items.forEach((el, j) => el.setAttribute('aria-selected', j === active ? 'true' : 'false'));
  input.setAttribute('aria-activedescendant', items[active].id);
}
async function suggest() {
  const text = input.value.trim();
  const ticket = ++asked;
  if (!text) return closeList();
  try {
    const r = await api('GET', `/search/suggest${qs({ q: text, limit: 8 })}`);
    if (ticket !== asked || document.activeElement !== input) return;
    if (!r.suggestions.length) return closeList();
    replace(list, r.suggestions.map((s, i) =>
      h('li', { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false', onmousedown: (e) => { e.preventDefault(); choose(s); } }, s)));
    list.hidden = false;
    active = -1;
    input.setAttribute('aria-expanded', 'true');
  } catch {
    closeList();  // suggestions are a help, never a blocker
  }
}
input.addEventListener('input', () => { clearTimeout(suggestTimer); suggestTimer = setTimeout(suggest, 120); });
input.addEventListener('keydown', (e) => {
  const open = !list.hidden;
  if (e.key === 'ArrowDown' && open) { e.preventDefault(); mark(active + 1); }
  else if (e.key === 'ArrowUp' && open) { e.preventDefault(); mark(active - 1); }
  else if (e.key === 'Escape') closeList();
  else if (e.key === 'Enter' && open && active >= 0) { e.preventDefault(); choose(list.querySelectorAll('[role="option"]')[active].textContent); }
});
input.addEventListener('blur', () => setTimeout(closeList, 100));
form.addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(suggestTimer);
  asked++;
  const text = input.value.trim();
  if (!text) return input.focus();
  closeList();
  navigate(`/shop/search${qs({ q: text })}`);
});

showAccount(currentUser());
refreshCount();
render();

// The back office's entry point: sign-in, the navigation, and a router on the URL's
// fragment (#/orders/ord_1), so / is the only page the server serves. Each view renders
// into #view; when it has loaded, <body data-loaded="true" data-view="name">.
import { api, currentUser, onBusy, onSession, signIn, signOut } from './api.js';
import { announce, errorBlock, h, replace, shop } from './ui.js';
import * as dashboard from './view-dashboard.js';
import * as products from './view-products.js';
import * as categories from './view-categories.js';
import * as orders from './view-orders.js';
import * as settings from './view-settings.js';
import * as integrations from './view-integrations.js';

const $ = (id) => document.getElementById(id);

// route -> [view name, render(container, ...params)]
const routes = {
  '': ['dashboard', dashboard.render],
  products: ['products', products.list],
  'products/new': ['product-new', products.create],
  'products/*': ['product', products.detail],
  categories: ['categories', categories.render],
  orders: ['orders', orders.list],
  'orders/*': ['order', orders.detail],
  returns: ['returns', orders.returns],
  discounts: ['discounts', settings.discounts],
  shipping: ['shipping', settings.shipping],
  tax: ['tax', settings.tax],
  webhooks: ['webhooks', integrations.webhooks],
  'webhooks/*': ['webhook', integrations.deliveries],
  'api-keys': ['api-keys', integrations.apiKeys],
};

function match(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const path = parts.join('/');
  if (routes[path]) return [routes[path], []];
  if (parts.length === 2 && routes[`${parts[0]}/*`]) return [routes[`${parts[0]}/*`], [parts[1]]];
  return [null, []];
}

let generation = 0;
async function show() {
  const mine = ++generation;
  const body = document.body;
  body.removeAttribute('data-loaded');
  body.setAttribute('data-route', location.hash || '#/');
  const view = $('view');
  const [route, params] = match(location.hash);
  const section = (location.hash.replace(/^#\/?/, '').split('/')[0]) || '';
  document.querySelectorAll('#nav a').forEach((a) => {
    const target = a.getAttribute('href').replace(/^#\/?/, '');
    if (target === section) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  if (!route) {
    replace(view, h('h1', { class: 'page' }, 'Not found'), h('p', null, 'No such page. ', h('a', { href: '#/' }, 'Back to the dashboard')));
    body.setAttribute('data-loaded', 'true');
    return;
  }
  const [name, render] = route;
  body.setAttribute('data-view', name);
  const container = h('div', { class: 'view' });
  replace(view, container);
  try {
    await render(container, ...params);
  } catch (e) {
    if (mine !== generation) return;
    if (e.status === 401) return;  // the session ended: the sign-in form is back
    container.append(errorBlock(e, show));
  }
  if (mine !== generation) return;
  body.setAttribute('data-loaded', 'true');
}
// Re-render the current view (after a change that alters what it lists).
export const reload = () => show();

function signedIn(user) {
  $('login').hidden = true;
  $('nav').hidden = false;
  $('who').hidden = false;
  $('view').hidden = false;
  $('who-name').textContent = user.name || user.email;
  api('GET', '/analytics/summary').then((s) => { shop.currency = s.currency || shop.currency; }).catch(() => {}).finally(show);
}

function signedOut(message) {
  document.body.removeAttribute('data-loaded');
  document.body.removeAttribute('data-view');
  $('nav').hidden = true;
  $('who').hidden = true;
  $('view').hidden = true;
  replace($('view'));
  $('login').hidden = false;
  $('login-error').textContent = message || '';
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('login-error').textContent = '';
  $('login-submit').disabled = true;
  try {
    await signIn($('email').value, $('password').value);
    $('password').value = '';
  } catch (e) {
    $('login-error').textContent = e.status === 401 ? 'Wrong email or password.' : e.detail;
  } finally {
    $('login-submit').disabled = false;
  }
});
$('signout').addEventListener('click', () => signOut());
$('refresh').addEventListener('click', () => { show(); announce('Refreshed'); });

let wasSignedIn = false;
onSession((s) => {
  if (s && !wasSignedIn) { wasSignedIn = true; signedIn(s.user); }
  if (!s && wasSignedIn) { wasSignedIn = false; signedOut('Signed out.'); }
});
addEventListener('hashchange', () => { if (currentUser()) { show(); $('main').focus({ preventScroll: true }); } });

// A request slower than a moment shows the bar at the top.
let timer = null;
onBusy((busy) => {
  clearTimeout(timer);
  if (busy) timer = setTimeout(() => { $('progress').hidden = false; }, 300);
  else $('progress').hidden = true;
});

const user = currentUser();
if (user) { wasSignedIn = true; signedIn(user); } else signedOut();

// Sign in, register, and the account page with its order history.
import { api, currentUser, guestOrderIds, signIn, signOut } from './api.js';
import { mergeGuestCart } from './cart.js';
import { field, formError, h, money, replace, showErrors, statusBadge, when, working } from './ui.js';

export async function render(main, ctx) {
  if (ctx.mode === 'register') return register(main, ctx);
  if (ctx.mode === 'account' && currentUser()) return account(main, ctx);
  return signin(main, ctx);
}

// Where to go after signing in: ?next= when it is a storefront path, else the account.
function next(ctx) {
  const n = ctx.query.get('next') || '';
  return n.startsWith('/shop/') && !n.startsWith('//') ? n : '/shop/account';
}

async function afterSignIn(ctx, form) {
  const refused = await mergeGuestCart().catch(() => []);
  if (refused.length) {
    form.querySelector('[data-form-error]').textContent = `Some items could not join your cart: ${refused.join('; ')}`;
    await new Promise((r) => setTimeout(r, 2500));
  }
  ctx.navigate(next(ctx), { replace: true });
}

function signin(main, ctx) {
  ctx.title('Sign in');
  const button = h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, 'Sign in');
  const form = h('form', { class: 'panel narrow', novalidate: true, id: 'signin-form' }, formError(),
    field('E-mail', 'email', { type: 'email', autocomplete: 'username', required: true, id: 'signin-email' }),
    field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true, id: 'signin-password' }),
    button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const email = form.querySelector('#signin-email').value.trim();
    const password = form.querySelector('#signin-password').value;
    try {
      await working(button, 'Signing in…', async () => {
        await signIn(email, password);
        await afterSignIn(ctx, form);
      });
    } catch (err) {
      showErrors(form, err, { invalid_credentials: 'password', rate_limited: 'password' });
    }
  });
  replace(main, h('h1', { tabindex: '-1' }, 'Sign in'), form,
    h('p', null, 'New here? ', h('a', { href: `/shop/register${location.search}` }, 'Create an account'),
      ' — or just check out as a guest.'));
}

function register(main, ctx) {
  ctx.title('Create an account');
  const button = h('button', { type: 'submit', class: 'primary', id: 'register-submit' }, 'Create account');
  const form = h('form', { class: 'panel narrow', novalidate: true, id: 'register-form' }, formError(),
    field('Name', 'name', { autocomplete: 'name', required: true, maxlength: 200, id: 'register-name' }),
    field('E-mail', 'email', { type: 'email', autocomplete: 'email', required: true, id: 'register-email' }),
    field('Password', 'password', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8, id: 'register-password' },
      { hint: '(8 to 128 characters)' }),
    button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      name: form.querySelector('#register-name').value.trim(),
      email: form.querySelector('#register-email').value.trim(),
      password: form.querySelector('#register-password').value,
    };
    try {
      await working(button, 'Creating your account…', async () => {
        await api('POST', '/users', { body, anonymous: true });
        await signIn(body.email, body.password);
        await afterSignIn(ctx, form);
      });
    } catch (err) {
      showErrors(form, err, { email_taken: 'email' });
    }
  });
  replace(main, h('h1', { tabindex: '-1' }, 'Create an account'), form,
    h('p', null, 'Have an account? ', h('a', { href: `/shop/signin${location.search}` }, 'Sign in')));
}

async function account(main, ctx) {
  const user = currentUser();
  ctx.title('Your account');
  const tbody = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Show older orders');
  const empty = h('p', { class: 'muted', hidden: true }, 'No orders yet.');
  const out = h('button', { type: 'button', id: 'signout' }, 'Sign out');
  out.addEventListener('click', async () => {
    await working(out, 'Signing out…', signOut);
    ctx.navigate('/shop', { replace: true });
  });
  const guest = guestOrderIds();
  replace(main, h('h1', { tabindex: '-1' }, 'Your account'),
    h('div', { class: 'panel spread' }, h('p', null, h('strong', null, user.name), h('br'), user.email), h('p', null, out)),
    h('h2', null, 'Your orders'),
    h('div', { class: 'table-wrap panel' }, h('table', { class: 'orders', id: 'order-history' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Order'), h('th', { scope: 'col' }, 'Placed'),
        h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col', class: 'num' }, 'Total'))), tbody), empty, h('p', null, more)),
    guest.length ? [h('h2', null, 'Placed as a guest in this browser'),
      h('ul', null, guest.map((id) => h('li', null, h('a', { href: `/shop/orders/${encodeURIComponent(id)}` }, id))))] : null);
  let cursor = null;
  const load = async () => {
    const r = await api('GET', `/orders?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (!ctx.alive()) return;
    tbody.append(...r.items.map((o) => h('tr', { 'data-order-id': o.id },
      h('td', null, h('a', { href: `/shop/orders/${encodeURIComponent(o.id)}` }, o.id)),
      h('td', null, when(o.created_at)), h('td', null, statusBadge(o.status)), h('td', { class: 'num' }, money(o.total, o.currency)))));
    cursor = r.next_cursor;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
  };
  more.addEventListener('click', () => working(more, 'Loading…', load));
  await load();
}

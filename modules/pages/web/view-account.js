// Sign in, register, password reset (ask for the mail; the page its link opens), and the
// account page with its order history.
import { api, currentUser, guestOrderIds, signIn, signOut } from './api.js';
import { mergeGuestCart } from './cart.js';
import { field, formError, h, money, replace, showErrors, statusBadge, when, working } from './ui.js';

export async function render(main, ctx) {
  if (ctx.mode === 'register') return register(main, ctx);
  if (ctx.mode === 'forgot-password') return forgotPassword(main, ctx);
  if (ctx.mode === 'reset-password') return resetPassword(main, ctx);
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
    h('p', null, h('a', { href: '/shop/forgot-password', id: 'forgot-password' }, 'Forgot password?')),
    h('p', null, 'New here? ', h('a', { href: `/shop/register${location.search}` }, 'Create an account'),
      ' — or just check out as a guest.'));
}

// Asks for the reset mail. The answer is the same whether or not the account exists, and
// so is what this page says.
function forgotPassword(main, ctx) {
  ctx.title('Reset your password');
  const button = h('button', { type: 'submit', class: 'primary', id: 'forgot-submit' }, 'Send the link');
  const form = h('form', { class: 'panel narrow', novalidate: true, id: 'forgot-form' }, formError(),
    field('E-mail', 'email', { type: 'email', autocomplete: 'email', required: true, id: 'forgot-email' }),
    button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const email = form.querySelector('#forgot-email').value.trim();
    try {
      await working(button, 'Sending…', () => api('POST', '/auth/password-reset', { body: { email }, anonymous: true }));
    } catch (err) {
      return showErrors(form, err);
    }
    replace(form, h('p', { class: 'banner', role: 'status', id: 'forgot-sent' },
      `If ${email} has an account here, a mail with a link to choose a new password is on its way. The link works once, for one hour.`));
  });
  replace(main, h('h1', { tabindex: '-1' }, 'Reset your password'),
    h('p', null, 'Enter the e-mail address of your account and we will send you a link to choose a new password.'),
    form, h('p', null, 'Remembered it? ', h('a', { href: '/shop/signin' }, 'Sign in')));
}

// The page the reset mail's link opens: /shop/reset-password#token=... (the fragment never
// reaches a server). The token is taken off the address at once, so it stays out of the
// history and of anything copied from the address bar.
let resetToken = null;
function resetPassword(main, ctx) {
  ctx.title('Choose a new password');
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) {
    resetToken = fromLink;
    history.replaceState(null, '', location.pathname);
  }
  const askAgain = h('a', { href: '/shop/forgot-password' }, 'Ask for a new link');
  if (!resetToken) {
    replace(main, h('h1', { tabindex: '-1' }, 'Choose a new password'),
      h('p', { class: 'form-error', role: 'alert' }, 'This page needs the link from your reset mail, opened as it is.'),
      h('p', null, askAgain));
    return;
  }
  const button = h('button', { type: 'submit', class: 'primary', id: 'reset-submit' }, 'Set the password');
  const form = h('form', { class: 'panel narrow', novalidate: true, id: 'reset-form' }, formError(),
    field('New password', 'password', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8, id: 'reset-password' },
      { hint: '(8 to 128 characters)' }),
    button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const password = form.querySelector('#reset-password').value;
    try {
      await working(button, 'Saving…', () => api('POST', '/auth/password-reset/confirm', { body: { token: resetToken, password }, anonymous: true }));
    } catch (err) {
      showErrors(form, err);
      if (err.code === 'invalid_token') form.querySelector('[data-form-error]').append(' ', askAgain);
      return;
    }
    resetToken = null;
    // The reset ended every session of the account, this browser's too if it had one.
    if (currentUser()) await signOut();
    replace(main, h('h1', { tabindex: '-1' }, 'Your password is set'),
      h('p', { class: 'banner', role: 'status', id: 'reset-done' }, 'Your new password works from now on, and every earlier sign-in has ended.'),
      h('p', null, h('a', { href: '/shop/signin', id: 'reset-signin' }, 'Sign in with it')));
    main.querySelector('h1').focus();
  });
  replace(main, h('h1', { tabindex: '-1' }, 'Choose a new password'), form);
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

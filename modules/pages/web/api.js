// The shop's public API, as this page uses it: JSON in and out, problem+json errors as
// ApiError, the signed-in session (kept in localStorage, refreshed once when the access
// token has lapsed) and a busy signal for the progress bar.
import { ApiError, busy } from './common.js';

export { ApiError, onBusy } from './common.js';

const SESSION_KEY = 'shop.session';
const ORDERS_KEY = 'shop.orders';

function read(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
}
function write(key, value) {
  if (value == null) localStorage.removeItem(key); else localStorage.setItem(key, JSON.stringify(value));
}

let session = read(SESSION_KEY, null);
const sessionListeners = new Set();
function setSession(s) {
  session = s;
  write(SESSION_KEY, s);
  for (const fn of sessionListeners) fn(s);
}
// Another tab signed in or out.
addEventListener('storage', (e) => {
  if (e.key === SESSION_KEY) { session = read(SESSION_KEY, null); for (const fn of sessionListeners) fn(session); }
});
export const onSession = (fn) => sessionListeners.add(fn);
export const currentUser = () => session?.user ?? null;


async function send(method, path, { body, headers = {}, token } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { code: 'network', detail: 'The shop could not be reached. Check your connection and try again.' });
  }
  const type = res.headers.get('Content-Type') || '';
  const data = res.status === 204 ? null : type.includes('json') ? await res.json().catch(() => ({})) : {};
  if (!res.ok) throw new ApiError(res.status, data || {});
  return data;
}

// One refresh at a time: the refresh token rotates, and using a rotated one twice would
// end the whole session.
let refreshing = null;
function refresh() {
  refreshing ??= (async () => {
    try {
      const pair = await send('POST', '/auth/refresh', { body: { refresh_token: session.refresh_token } });
      setSession({ ...session, access_token: pair.access_token, refresh_token: pair.refresh_token });
    } catch (e) {
      if (e.status === 401 || e.status === 400) setSession(null);
      throw e;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

// method, path under /api/v1, options {body, headers, orderToken, anonymous}. A guest's
// order token goes in X-Order-Token, never with a bearer token.
export async function api(method, path, opts = {}) {
  busy(1);
  try {
    const headers = { ...opts.headers };
    if (opts.orderToken) headers['X-Order-Token'] = opts.orderToken;
    const bearer = () => (opts.orderToken || opts.anonymous ? undefined : session?.access_token);
    try {
      return await send(method, path, { ...opts, headers, token: bearer() });
    } catch (e) {
      if (e.status !== 401 || !bearer() || !session?.refresh_token) throw e;
      try {
        await refresh();
      } catch {
        throw new ApiError(401, { code: 'unauthorized', detail: 'Your session has ended. Please sign in again.' });
      }
      return await send(method, path, { ...opts, headers, token: bearer() });
    }
  } finally {
    busy(-1);
  }
}

export async function signIn(email, password) {
  const r = await api('POST', '/auth/login', { body: { email, password }, anonymous: true });
  setSession({ access_token: r.access_token, refresh_token: r.refresh_token, user: r.user });
  return r.user;
}

export async function signOut() {
  const s = session;
  setSession(null);
  if (s?.refresh_token) await api('POST', '/auth/logout', { body: { refresh_token: s.refresh_token }, anonymous: true }).catch(() => {});
}

// Guest orders this browser placed: id -> order_token (returned once, at creation).
export const orderToken = (id) => read(ORDERS_KEY, {})[id] || null;
export function keepOrderToken(id, token) {
  const all = read(ORDERS_KEY, {});
  all[id] = token;
  write(ORDERS_KEY, all);
}
export const guestOrderIds = () => Object.keys(read(ORDERS_KEY, {}));

// Categories change rarely: read once per page load.
let categories = null;
export function allCategories() {
  categories ??= (async () => {
    const out = [];
    let cursor = null;
    for (let page = 0; page < 10; page++) {
      const r = await api('GET', `/categories${qs({ limit: 100, cursor })}`);
      out.push(...r.items);
      if (!(cursor = r.next_cursor)) break;
    }
    return out;
  })().catch((e) => { categories = null; throw e; });
  return categories;
}

export const qs = (params) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null && one !== '') u.append(k, one);
  }
  const s = u.toString();
  return s ? `?${s}` : '';
};

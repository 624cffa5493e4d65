// The shop's public API as the back office uses it: JSON in and out, problem+json errors as
// ApiError, the admin's session (sessionStorage: it ends with the tab), refreshed once when
// the access token has lapsed, uploads with progress, and a busy signal for the progress bar.
import { ApiError, busy } from './common.js';

export { ApiError, onBusy } from './common.js';

const SESSION_KEY = 'shopd.session';

function readSession() {
  try { return JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null'); } catch { return null; }
}
let session = readSession();
const sessionListeners = new Set();
function setSession(s) {
  session = s;
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s)); else sessionStorage.removeItem(SESSION_KEY);
  for (const fn of sessionListeners) fn(s);
}
export const onSession = (fn) => sessionListeners.add(fn);
export const currentUser = () => session?.user ?? null;


function parse(status, type, text) {
  if (status === 204 || !text) return null;
  if (type.includes('json')) { try { return JSON.parse(text); } catch { return {}; } }
  return text;
}

const unreachable = () => new ApiError(0, { code: 'network', detail: 'The shop could not be reached. Check the connection and try again.' });

async function send(method, path, { body, raw, contentType, headers = {}, token } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (raw !== undefined) h['Content-Type'] = contentType;
  if (token) h.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method, headers: h, credentials: 'omit', cache: 'no-store',
      body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw unreachable();
  }
  const data = parse(res.status, res.headers.get('Content-Type') || '', await res.text());
  if (!res.ok) throw new ApiError(res.status, data && typeof data === 'object' ? data : {});
  return { data, headers: res.headers };
}

// XMLHttpRequest, not fetch: only it reports how much of a request body has gone up.
function sendWithProgress(method, path, { raw, contentType, token, onProgress }) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, `/api/v1${path}`);
    x.setRequestHeader('Accept', 'application/json');
    x.setRequestHeader('Content-Type', contentType);
    if (token) x.setRequestHeader('Authorization', `Bearer ${token}`);
    x.upload.onprogress = (e) => { if (e.lengthComputable) onProgress?.(e.loaded / e.total); };
    x.onload = () => {
      const data = parse(x.status, x.getResponseHeader('Content-Type') || '', x.responseText);
      if (x.status >= 200 && x.status < 300) resolve({ data, headers: { get: (n) => x.getResponseHeader(n) } });
      else reject(new ApiError(x.status, data && typeof data === 'object' ? data : {}));
    };
    x.onerror = () => reject(unreachable());
    x.send(raw);
  });
}

// One refresh at a time: the refresh token rotates, and using a rotated one twice would
// end the whole session.
let refreshing = null;
function refresh() {
  refreshing ??= (async () => {
    try {
      const { data } = await send('POST', '/auth/refresh', { body: { refresh_token: session.refresh_token } });
      setSession({ ...session, access_token: data.access_token, refresh_token: data.refresh_token });
    } catch (e) {
      if (e.status === 401 || e.status === 400) setSession(null);
      throw e;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function withSession(sender, opts) {
  busy(1);
  try {
    const token = () => (opts.anonymous ? undefined : session?.access_token);
    try {
      return await sender({ ...opts, token: token() });
    } catch (e) {
      if (e.status !== 401 || !token() || !session?.refresh_token) throw e;
      try {
        await refresh();
      } catch {
        setSession(null);
        throw new ApiError(401, { code: 'unauthorized', detail: 'Your session has ended. Please sign in again.' });
      }
      return await sender({ ...opts, token: token() });
    }
  } finally {
    busy(-1);
  }
}

// method, path under /api/v1, options {body, headers, anonymous}: the response body.
export async function api(method, path, opts = {}) {
  return (await withSession((o) => send(method, path, o), opts)).data;
}
// The same, answering {data, headers} (an ETag, say).
export const apiFull = (method, path, opts = {}) => withSession((o) => send(method, path, o), opts);

// A raw body (an image, a CSV file) sent with its type; onProgress(fraction) as it goes up.
export async function upload(method, path, raw, contentType, onProgress) {
  return (await withSession((o) => sendWithProgress(method, path, o), { raw, contentType, onProgress })).data;
}

export async function signIn(email, password) {
  const r = await api('POST', '/auth/login', { body: { email, password }, anonymous: true });
  if (!r.user || r.user.role !== 'admin') {
    send('POST', '/auth/logout', { body: { refresh_token: r.refresh_token } }).catch(() => {});
    throw new ApiError(403, { code: 'forbidden', detail: 'The back office is for admin accounts.' });
  }
  setSession({ access_token: r.access_token, refresh_token: r.refresh_token, user: r.user });
  return r.user;
}

export async function signOut() {
  const s = session;
  setSession(null);
  if (s?.refresh_token) await send('POST', '/auth/logout', { body: { refresh_token: s.refresh_token } }).catch(() => {});
}

export const qs = (params) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null && one !== '') u.append(k, one);
  }
  const s = u.toString();
  return s ? `?${s}` : '';
};

// Every page of a list (bounded: at most `pages` requests of 100).
export async function all(path, params = {}, pages = 20) {
  const out = [];
  let cursor = null;
  for (let i = 0; i < pages; i++) {
    const r = await api('GET', `${path}${qs({ ...params, limit: 100, cursor })}`);
    out.push(...r.items);
    if (!(cursor = r.next_cursor)) break;
  }
  return out;
}

// A fresh Idempotency-Key for one press of a button (a retry of that press reuses it).
export const idempotencyKey = () => crypto.randomUUID();

// The REST API over fetch: JSON in and out, the session (cookie + CSRF token) and errors.
export class ApiError extends Error {
  constructor(status, error, detail) {
    super(detail || error || ('HTTP ' + status));
    this.status = status;
    this.error = error;
  }
}

export const session = { user: null, csrf: sessionStorage.getItem('regcat.csrf') || '' };
const listeners = new Set();
export const onSessionChange = (fn) => listeners.add(fn);
const notify = () => listeners.forEach((fn) => fn(session.user));

/**
 * api('/api/...', {method, body, headers, form}) -> parsed JSON (or text for non-JSON answers).
 * Writes carry the session's CSRF token. The Response's headers are on the result as `_headers`
 * when `withHeaders` is set.
 */
export async function api(path, { method = 'GET', body, headers = {}, form, withHeaders = false, text = false } = {}) {
  const h = { Accept: 'application/json', ...headers };
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && session.csrf) h['X-CSRF-Token'] = session.csrf;
  const r = await fetch(path, { method, headers: h, body: payload, credentials: 'same-origin' });
  const type = r.headers.get('content-type') || '';
  let data = null;
  if (r.status !== 204) data = type.includes('json') && !text ? await r.json().catch(() => null) : await r.text();
  if (!r.ok) {
    if (r.status === 401 && session.user && method === 'GET') { session.user = null; notify(); }
    throw new ApiError(r.status, data && data.error, data && data.detail);
  }
  if (withHeaders) return { data, headers: r.headers, status: r.status };
  return data;
}

export async function loadSession() {
  try {
    const p = await api('/api/session');
    session.user = p && p.name ? p : null;
    if (p && p.csrf_token) setCsrf(p.csrf_token);
  } catch {
    session.user = null;
  }
  notify();
  return session.user;
}

function setCsrf(token) {
  session.csrf = token || '';
  if (token) sessionStorage.setItem('regcat.csrf', token);
  else sessionStorage.removeItem('regcat.csrf');
}

export async function signIn(name, password) {
  const p = await api('/api/session', { method: 'POST', body: { name, password } });
  setCsrf(p.csrf_token);
  session.user = p;
  notify();
  return p;
}

export async function signOut() {
  try { await api('/api/session', { method: 'DELETE' }); } catch { /* already gone */ }
  setCsrf('');
  session.user = null;
  notify();
}

// What the signed-in user may do (mirrors web/auth.cpp; the server decides in the end).
const role = () => session.user && session.user.role;
export const can = {
  editRegister: (id) => role() === 'admin' || (role() === 'editor' && (session.user.registers || []).includes(id)),
  curate: (reg) => ['admin', 'curator'].includes(role()) || (reg ? can.editRegister(reg) : role() === 'editor'),
  review: () => ['admin', 'curator', 'reviewer'].includes(role()),
  editPlans: () => ['admin', 'curator', 'editor'].includes(role()),
  signedIn: () => !!session.user,
};

// Small cache for data that rarely changes during a visit (registers, register details).
const cache = new Map();
export function cached(path, ttlMs = 60000) {
  const hit = cache.get(path);
  if (hit && Date.now() - hit.at < ttlMs) return hit.promise;
  const promise = api(path).catch((e) => { cache.delete(path); throw e; });
  cache.set(path, { at: Date.now(), promise });
  return promise;
}
export const clearCache = () => cache.clear();

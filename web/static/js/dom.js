// Small DOM helpers: an escaping HTML template tag, element lookup, and a toast.
class Safe {
  constructor(s) { this.s = s; }
  toString() { return this.s; }
}

export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) =>
  ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

/** Marks a string as already safe HTML. */
export const raw = (s) => new Safe(String(s ?? ''));

function render(v) {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Safe) return v.s;
  if (Array.isArray(v)) return v.map(render).join('');
  return esc(v);
}

/** html`<p>${text}</p>`: interpolated values are escaped unless they are html`` or raw(). */
export function html(strings, ...vals) {
  let out = strings[0];
  for (let i = 0; i < vals.length; i++) out += render(vals[i]) + strings[i + 1];
  return new Safe(out);
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Sets innerHTML from an html`` value. */
export function setHtml(el, content) {
  el.innerHTML = render(content);
  return el;
}

let toastTimer = null;
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.className = 'toast-' + kind + ' show';
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = ''; }, 5000);
}

/** A variable id register/dataset/name as a hash route. */
export const variableHref = (id) => '#variable/' + String(id).split('#')[0].split('/').map(encodeURIComponent).join('/');
export const registerHref = (id) => '#register/' + encodeURIComponent(id);

export function debounce(fn, ms) {
  let t = null;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

/** Lower-case and strip diacritics, for Swedish-tolerant client-side filtering. */
export const fold = (s) => String(s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Triggers a download of a Blob (used for exports fetched with credentials). */
export function downloadBlob(blob, filename) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

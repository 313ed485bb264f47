// regcat web app: a hash router over page modules in js/pages, the header (navigation,
// language, sign-in) and focus management. Plain ES modules, no build step.
import { t, getLang, setLang, applyStaticText } from './js/i18n.js';
import { loadSession, onSessionChange, session, signOut } from './js/api.js';
import { html, setHtml, toast } from './js/dom.js';
import * as search from './js/pages/search.js';
import * as register from './js/pages/register.js';
import * as variable from './js/pages/variable.js';
import * as workbench from './js/pages/workbench.js';
import * as matrix from './js/pages/matrix.js';
import * as planner from './js/pages/planner.js';
import * as upload from './js/pages/upload.js';
import * as signin from './js/pages/signin.js';

const routes = {
  '': search, search, register, variable, workbench, matrix, plan: planner, upload, signin,
};

export function parseHash() {
  const h = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = h.split('?');
  const segments = path.split('/').filter((s) => s !== '').map((s) => {
    try { return decodeURIComponent(s); } catch { return s; }
  });
  return { name: segments[0] || '', segments: segments.slice(1), params: new URLSearchParams(query) };
}

let current = null; // { page, view, route }

async function route({ keepFocus = false } = {}) {
  const r = parseHash();
  const page = routes[r.name];
  const main = document.getElementById('main');
  if (current && current.page.leave) current.page.leave();
  renderSession(session.user); // the sign-in link returns to the current page
  const view = document.createElement('div');
  view.className = 'view view-' + (r.name || 'search');
  main.replaceChildren(view);
  current = { page, view, route: r };
  for (const a of document.querySelectorAll('#site-nav a')) {
    const active = a.dataset.nav === (r.name === '' ? 'search' : r.name);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (!page) {
    setHtml(view, html`<h1 tabindex="-1">${t('notfound.title')}</h1><p>${t('notfound.text')}</p><p><a href="#">${t('notfound.home')}</a></p>`);
    document.title = t('notfound.title') + ' – regcat';
    return;
  }
  try {
    await page.render(view, r);
  } catch (e) {
    console.error(e);
    if (view.isConnected)
      setHtml(view, html`<h1 tabindex="-1">${t('error.title')}</h1><p class="error" role="alert">${e.message}</p><p><a href="#">${t('notfound.home')}</a></p>`);
  }
  if (!view.isConnected) return;
  // Move focus to the new page's heading (not on the start page, whose search box has it).
  if (!keepFocus && r.name !== '' && r.name !== 'search') {
    const h1 = view.querySelector('h1');
    if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
  }
  window.scrollTo(0, 0);
}

function renderSession(user) {
  const area = document.getElementById('session-area');
  if (user) {
    setHtml(area, html`<span class="who" title="${t('role.' + user.role)}">${user.name} <span class="role">(${t('role.' + user.role)})</span></span>
      <button type="button" id="sign-out" class="link-button">${t('session.signout')}</button>`);
    document.getElementById('sign-out').addEventListener('click', async () => {
      await signOut();
      toast(t('session.signedout'));
      route({ keepFocus: true });
    });
  } else {
    const next = encodeURIComponent(location.hash.replace(/^#/, ''));
    setHtml(area, html`<a id="sign-in-link" href="#signin${next && !location.hash.startsWith('#signin') ? '?next=' + next : ''}">${t('session.signin')}</a>`);
  }
}

function init() {
  const select = document.getElementById('lang-select');
  select.value = getLang();
  applyStaticText();
  select.addEventListener('change', () => {
    setLang(select.value);
    applyStaticText();
    renderSession(session.user);
    route({ keepFocus: true });
  });
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    const main = document.getElementById('main');
    (main.querySelector('h1') || main).focus();
  });
  onSessionChange(renderSession);
  window.addEventListener('hashchange', () => route());
  renderSession(null);
  loadSession().then(() => route({ keepFocus: true }));
}

export const rerender = () => route({ keepFocus: true });
init();

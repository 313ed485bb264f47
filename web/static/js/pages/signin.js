// Sign-in for those who edit (reading is public): POST /api/session sets an HttpOnly cookie.
import { signIn, session } from '../api.js';
import { t } from '../i18n.js';
import { html, setHtml, $, toast } from '../dom.js';

export async function render(view, route) {
  document.title = t('signin.title') + ' – regcat';
  const next = route.params.get('next') || '';
  setHtml(view, html`<h1>${t('signin.title')}</h1>
    ${session.user ? html`<p class="notice">${t('signin.already', { n: session.user.name })}</p>` : ''}
    <p>${t('signin.intro')}</p>
    <form id="signin-form" class="narrow-form">
      <div class="field"><label for="si-name">${t('signin.name')}</label><input id="si-name" name="name" autocomplete="username" required></div>
      <div class="field"><label for="si-password">${t('signin.password')}</label><input id="si-password" name="password" type="password" autocomplete="current-password" required></div>
      <p id="si-error" class="error" role="alert"></p>
      <div class="actions"><button type="submit" id="si-submit">${t('session.signin')}</button></div>
    </form>`);
  $('#signin-form', view).addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target;
    try {
      await signIn(f.elements.name.value.trim(), f.elements.password.value);
      toast(t('signin.welcome', { n: session.user.name }), 'ok');
      location.hash = '#' + next;
    } catch (err) {
      $('#si-error', view).textContent = err.status === 401 ? t('signin.wrong') : err.message;
      f.elements.password.select();
    }
  });
}

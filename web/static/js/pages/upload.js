// Register-holder page: upload a data dictionary (REDCap, ODM, DDI, CSV, Excel, regcat JSON),
// see the dry-run diff, then commit the import.
import { api, cached, can, session, clearCache } from '../api.js';
import { t, txt, num, collator } from '../i18n.js';
import { html, raw, setHtml, $, variableHref, registerHref, toast } from '../dom.js';

const FORMATS = ['auto', 'redcap', 'odm', 'ddi-c', 'ddi-l', 'csv', 'xlsx', 'fields', 'json'];

export async function render(view, route) {
  document.title = t('up.title') + ' – regcat';
  const regs = await cached('/api/registers');
  const wanted = route.segments[0] || '';
  const editable = [...regs.registers].filter((r) => can.editRegister(r.id)).sort((a, b) => collator.compare(txt(a.name), txt(b.name)));
  const isAdmin = session.user?.role === 'admin';
  if (!can.signedIn()) {
    setHtml(view, html`<h1>${t('up.title')}</h1><p class="notice">${t('up.signin')} <a href="#signin?next=${encodeURIComponent('upload/' + wanted)}">${t('session.signin')}</a></p>`);
    return;
  }
  if (!editable.length && !isAdmin) {
    setHtml(view, html`<h1>${t('up.title')}</h1><p class="notice">${t('up.no_rights')}</p>`);
    return;
  }
  const exists = regs.registers.some((r) => r.id === wanted);
  setHtml(view, html`
    <h1>${t('up.title')}</h1>
    <p class="lead">${t('up.intro')}</p>
    <form id="upload-form" class="form-grid">
      <div class="field"><label for="up-register">${t('up.register')}</label>
        <select id="up-register" name="register">
          ${editable.map((r) => html`<option value="${r.id}" ${r.id === wanted ? raw('selected') : ''}>${txt(r.name)}</option>`)}
          ${isAdmin ? html`<option value="__new" ${wanted && !exists ? raw('selected') : ''}>${t('up.new_register')}</option>` : ''}
        </select></div>
      <div class="field new-reg" ${wanted && !exists ? '' : raw('hidden')}><label for="up-newid">${t('up.new_id')}</label>
        <input id="up-newid" name="newid" pattern="[a-z0-9][a-z0-9_\\-]*" value="${exists ? '' : wanted}"></div>
      <div class="field new-reg" ${wanted && !exists ? '' : raw('hidden')}><label for="up-cpua">${t('up.cpua')}</label>
        <input id="up-cpua" name="cpua"></div>
      <div class="field"><label for="up-file">${t('up.file')}</label>
        <input id="up-file" name="file" type="file" required accept=".csv,.xml,.xlsx,.json,.txt" aria-describedby="up-file-hint">
        <span class="hint" id="up-file-hint">${t('up.file_hint')}</span></div>
      <div class="field"><label for="up-format">${t('up.format')}</label>
        <select id="up-format" name="format">${FORMATS.map((f) => html`<option value="${f}">${t('fmt.' + f)}</option>`)}</select></div>
      <div class="field"><label for="up-dataset">${t('up.dataset')}</label><input id="up-dataset" name="dataset" aria-describedby="up-ds-hint"><span class="hint" id="up-ds-hint">${t('up.dataset_hint')}</span></div>
      <div class="field"><label for="up-date">${t('up.effective')}</label><input id="up-date" name="effective_date" type="date"></div>
      <label class="check"><input type="checkbox" name="skip_invalid" value="1"> ${t('up.skip_invalid')}</label>
      <div class="actions"><button type="submit" id="dry-run">${t('up.preview')}</button></div>
    </form>
    <section id="preview" aria-live="polite"></section>`);
  const form = $('#upload-form', view);
  const regSel = $('#up-register', view);
  regSel.addEventListener('change', () => { for (const el of view.querySelectorAll('.new-reg')) el.hidden = regSel.value !== '__new'; });
  const target = () => (regSel.value === '__new' ? $('#up-newid', view).value.trim() : regSel.value);
  const send = async (dry) => {
    const fd = new FormData();
    const file = $('#up-file', view).files[0];
    if (!file) throw new Error(t('up.need_file'));
    fd.append('file', file, file.name);
    for (const k of ['format', 'dataset', 'effective_date', 'cpua']) {
      const v = (form.elements[k]?.value || '').trim();
      if (v && !(k === 'format' && v === 'auto')) fd.append(k, v);
    }
    if (form.elements.skip_invalid.checked) fd.append('skip_invalid', '1');
    if (dry) fd.append('dry_run', '1');
    const reg = target();
    if (!reg) throw new Error(t('up.need_register'));
    return { reg, res: await api('/api/registers/' + encodeURIComponent(reg) + '/imports', { method: 'POST', form: fd }) };
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = $('#preview', view);
    setHtml(out, html`<p class="muted">${t('loading')}</p>`);
    try {
      const { reg, res } = await send(true);
      setHtml(out, html`<h2 id="h-preview">${t('up.preview_title')}</h2>${report(res)}
        <div class="actions"><button type="button" id="commit">${t('up.commit')}</button> <button type="button" id="cancel" class="secondary">${t('up.cancel')}</button></div>`);
      $('#h-preview', out).setAttribute('tabindex', '-1');
      $('#h-preview', out).focus();
      $('#cancel', out).addEventListener('click', () => setHtml(out, ''));
      $('#commit', out).addEventListener('click', async (ev) => {
        ev.target.disabled = true;
        try {
          const done = await send(false);
          clearCache();
          setHtml(out, html`<h2 id="h-done" tabindex="-1">${t('up.done')}</h2>${report(done.res)}
            <p><a class="button" href="${registerHref(done.reg)}">${t('up.to_register')}</a></p>`);
          $('#h-done', out).focus();
          toast(t('up.done'), 'ok');
        } catch (err) {
          ev.target.disabled = false;
          toast(err.message, 'error');
          out.insertAdjacentHTML('beforeend', `<p class="error" role="alert"></p>`);
          out.lastElementChild.textContent = err.message;
        }
      });
      void reg;
    } catch (err) {
      setHtml(out, html`<p class="error" role="alert">${t('up.failed')}: ${err.message}</p>`);
    }
  });
}

function report(res) {
  const r = res.report;
  const by = (c) => r.variables.filter((v) => v.change === c);
  const section = (c) => {
    const list = by(c);
    if (!list.length) return '';
    return html`<details class="diff-group diff-${c}" ${c !== 'unchanged' ? raw('open') : ''}><summary>${t('up.change.' + c)} (${num(list.length)})</summary>
      <table class="data"><thead><tr><th scope="col">${t('var.variable')}</th><th scope="col">${t('up.fields')}</th><th scope="col">${t('var.version')}</th></tr></thead>
      <tbody>${list.map((v) => html`<tr><td>${c === 'added' && r.dry_run ? html`<code>${v.id}</code>` : html`<a href="${variableHref(v.id)}"><code>${v.id}</code></a>`}</td>
        <td>${v.fields.map((f) => t('field.' + f) === 'field.' + f ? f : t('field.' + f)).join(', ')}</td>
        <td>${v.old_version ? v.old_version + ' → ' : ''}${v.new_version || ''}</td></tr>`)}</tbody></table></details>`;
  };
  return html`<p class="import-meta">${t('up.meta', { f: res.file, fmt: res.format, enc: res.encoding, d: num(res.datasets), v: num(res.variables), c: num(res.codelists) })}</p>
    <ul class="diff-counts" id="diff-counts">${['added', 'changed', 'removed', 'unchanged'].map((c) => html`<li class="diff-${c}"><strong data-count="${c}">${num(r.counts[c])}</strong> ${t('up.change.' + c)}</li>`)}</ul>
    ${r.registers_created.length ? html`<p class="notice">${t('up.reg_created', { r: r.registers_created.join(', ') })}</p>` : ''}
    ${r.datasets_created.length ? html`<p>${t('up.ds_created', { d: r.datasets_created.join(', ') })}</p>` : ''}
    ${r.warnings.length ? html`<ul class="warnings">${r.warnings.map((w) => html`<li class="warning-text">${w}</li>`)}</ul>` : ''}
    ${res.skipped.length ? html`<details><summary>${t('up.skipped', { n: num(res.skipped.length) })}</summary><ul>${res.skipped.map((s) => html`<li><code>${s.where}</code>: ${s.reason}</li>`)}</ul></details>` : ''}
    ${section('added')}${section('changed')}${section('removed')}
    ${r.codelists.length ? html`<details class="diff-group"><summary>${t('up.codelists')} (${num(r.codelists.length)})</summary><ul>${r.codelists.map((c) => html`<li><code>${c.id}</code>: ${t('up.change.' + c.change)}
      ${c.added_codes.length ? ' +' + c.added_codes.join(', +') : ''} ${c.removed_codes.length ? ' −' + c.removed_codes.join(', −') : ''} ${c.changed_codes.length ? ' ~' + c.changed_codes.join(', ~') : ''}</li>`)}</ul></details>` : ''}`;
}

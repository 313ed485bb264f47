// Linkage planner: a guided flow through the eight steps of SKR's guide to samkörning and
// utvidgning of quality registers, ending in the server's review (compatibility, warnings,
// checklist) and the plan's exports. The draft lives in sessionStorage until it is saved.
import { api, cached, can } from '../api.js';
import { t, txt, num, date, getLang, collator, label as enumLabel } from '../i18n.js';
import { html, raw, setHtml, $, $$, variableHref, registerHref, toast, fold, debounce } from '../dom.js';

const KEY = 'regcat.plan';
const STEPS = ['kind', 'registers', 'compat', 'purpose', 'variables', 'secrecy', 'information', 'agreements', 'review'];
const KINDS = ['samkorning', 'utvidgning-variabler', 'utvidgning-sammanslagning', 'forskning'];
const CATEGORIES = ['kvalitetssakring', 'statistik', 'forskning', 'annat'];
const ROLES = ['begarande', 'utlamnande', 'mottagande'];
const VAR_ROLES = ['linkage-key', 'covariate', 'outcome', 'quality-measure'];
const OUTPUTS = ['aggregerad', 'pseudonymiserad', 'individniva'];
const REG_FIELDS = ['role', 'purpose_reference', 'check_outcome', 'decision_reference', 'secrecy_assessment', 'lawfulness_review'];

const blank = () => ({
  title: '', kind: 'samkorning', purpose_category: 'kvalitetssakring', purpose: '', necessity: '',
  compatibility_statement: '', responsible_cpua: '', registers: [], variables: [], output_form: 'aggregerad',
  retention: '', export_file_deletion: '', identifiers_removed_after_linkage: true, information_plan: '',
  agreement_reference: '', dpia_reference: '', period_start: '', period_end: '',
});

function load() {
  try { const d = JSON.parse(sessionStorage.getItem(KEY)); if (d && d.plan) return d; } catch { /* fresh */ }
  return { id: null, revision: null, step: 0, dirty: false, plan: blank() };
}
const save = (d) => sessionStorage.setItem(KEY, JSON.stringify(d));

function fromServer(p) {
  const plan = blank();
  for (const k of Object.keys(plan)) if (p[k] !== undefined && k !== 'registers' && k !== 'variables') plan[k] = p[k];
  plan.registers = p.registers.map((r) => ({ ...r }));
  plan.variables = p.variables.map((v) => ({ variable: `${v.register}/${v.dataset}/${v.name}`, role: v.role, justification: v.justification }));
  return plan;
}

function toServer(plan) {
  const out = { ...plan };
  out.registers = plan.registers.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '' && v !== null)));
  out.variables = plan.variables.map((v) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '' && x !== null)));
  for (const k of Object.keys(out)) if (out[k] === '') delete out[k];
  return out;
}

export async function render(view, route) {
  document.title = t('plan.title') + ' – regcat';
  let d = load();
  if (route.segments[0]) {
    const id = Number(route.segments[0]);
    if (d.id !== id || !d.dirty) {
      const p = await api('/api/linkage-plans/' + id);
      d = { id, revision: p.revision, status: p.status, step: STEPS.length - 1, dirty: false, plan: fromServer(p) };
      save(d);
    }
  }
  if (route.params.get('step')) d.step = Math.max(0, Math.min(STEPS.length - 1, Number(route.params.get('step')) - 1));
  const regs = await cached('/api/registers');
  if (!view.isConnected) return;
  const ctx = { view, d, regs: [...regs.registers].sort((a, b) => collator.compare(txt(a.name), txt(b.name))) };
  await draw(ctx);
}

async function draw(ctx) {
  const { view, d } = ctx;
  const step = STEPS[d.step];
  setHtml(view, html`
    <h1>${t('plan.title')}${d.id ? html` <span class="muted">#${d.id}</span>` : ''}</h1>
    <p class="lead">${t('plan.intro')}</p>
    <nav class="stepper" aria-label="${t('plan.steps')}"><ol>${STEPS.map((s, i) => html`<li>
      <button type="button" class="step-link" data-step="${i}" ${i === d.step ? raw('aria-current="step"') : ''}>
        <span class="step-no">${i < 8 ? i + 1 : '✓'}</span> ${t('plan.step.' + s)}</button></li>`)}</ol></nav>
    <form id="plan-form" class="plan-form" novalidate>
      <h2 id="step-title">${t('plan.stepno', { n: d.step + 1, of: STEPS.length })}: ${t('plan.step.' + step)}</h2>
      <p class="skr-note">${t('plan.skr.' + step)}</p>
      <div id="step-body"></div>
      <div class="actions step-actions">
        ${d.step > 0 ? html`<button type="button" id="prev" class="secondary">← ${t('plan.prev')}</button>` : ''}
        ${d.step < STEPS.length - 1 ? html`<button type="submit" id="next">${t('plan.next')} →</button>` : ''}
        ${can.editPlans() && d.step < STEPS.length - 1 ? html`<button type="button" id="save-draft" class="secondary">${t('plan.save')}</button>` : ''}
      </div>
    </form>`);
  const body = $('#step-body', view);
  await STEP_RENDER[step](body, ctx);
  if (!view.isConnected) return;
  // Any edit updates the draft.
  const form = $('#plan-form', view);
  const onEdit = (e) => {
    const el = e.target;
    if (el.dataset.field) d.plan[el.dataset.field] = el.type === 'checkbox' ? el.checked : el.value;
    else if (el.dataset.reg) {
      const r = d.plan.registers.find((x) => x.register === el.dataset.reg);
      if (r) r[el.dataset.rfield] = el.value;
    } else if (el.dataset.var) {
      const v = d.plan.variables.find((x) => x.variable === el.dataset.var);
      if (v) v[el.dataset.vfield] = el.value;
    } else return;
    d.dirty = true;
    save(d);
    if (el.dataset.field === 'kind' || el.dataset.field === 'purpose_category' || el.dataset.field === 'output_form') warnings(ctx);
  };
  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);
  form.addEventListener('submit', (e) => { e.preventDefault(); go(ctx, d.step + 1); });
  $('#prev', view)?.addEventListener('click', () => go(ctx, d.step - 1));
  $('#save-draft', view)?.addEventListener('click', () => persist(ctx).then(() => toast(t('plan.saved', { id: d.id }), 'ok')).catch((e) => toast(e.message, 'error')));
  for (const b of $$('.step-link', view)) b.addEventListener('click', () => go(ctx, Number(b.dataset.step)));
  warnings(ctx);
}

function go(ctx, step) {
  const d = ctx.d;
  if (step > 0 && d.step === 0 && !d.plan.title.trim()) {
    const el = $('#f-title', ctx.view);
    el?.setAttribute('aria-invalid', 'true');
    $('#title-error', ctx.view).textContent = t('plan.need_title');
    el?.focus();
    return;
  }
  if (step > 1 && d.step <= 1 && !d.plan.registers.length && step !== d.step) {
    if (d.step === 1) { toast(t('plan.need_register'), 'error'); return; }
  }
  d.step = Math.max(0, Math.min(STEPS.length - 1, step));
  save(d);
  draw(ctx).then(() => $('#step-title', ctx.view)?.focus?.());
  $('#step-title', ctx.view)?.setAttribute('tabindex', '-1');
}

async function persist(ctx) {
  const d = ctx.d;
  const body = toServer(d.plan);
  let res;
  if (!d.id) res = await api('/api/linkage-plans', { method: 'POST', body });
  else if (d.dirty) res = await api('/api/linkage-plans/' + d.id, { method: 'PUT', body, headers: { 'If-Match': '"' + d.revision + '"' } });
  else res = await api('/api/linkage-plans/' + d.id);
  d.id = res.id;
  d.revision = res.revision;
  d.status = res.status;
  d.dirty = false;
  save(d);
  return res;
}

// Client-side warnings shown while filling in (the server's review is authoritative).
function warnings(ctx) {
  const box = $('#live-warnings', ctx.view);
  if (!box) return;
  const p = ctx.d.plan;
  const w = [];
  if (p.kind === 'samkorning' && !['kvalitetssakring', 'statistik'].includes(p.purpose_category)) w.push(t('plan.warn.purpose'));
  if (p.kind === 'forskning' && p.purpose_category !== 'forskning') w.push(t('plan.warn.research'));
  if (p.purpose_category === 'forskning' && p.kind === 'samkorning') w.push(t('plan.warn.research_route'));
  if (p.purpose_category === 'statistik' && p.output_form === 'individniva') w.push(t('plan.warn.statistics'));
  setHtml(box, w.map((x) => html`<p class="warning-text" role="alert">${x}</p>`));
}

const field = (name, value, { area = false, type = 'text', hint = '', required = false } = {}) => html`<div class="field">
  <label for="f-${name}">${t('plan.f.' + name)}${required ? html` <span aria-hidden="true">*</span>` : ''}</label>
  ${hint ? html`<span class="hint" id="h-${name}">${hint}</span>` : ''}
  ${area ? html`<textarea id="f-${name}" data-field="${name}" rows="4" ${hint ? raw(`aria-describedby="h-${name}"`) : ''}>${value}</textarea>`
    : html`<input id="f-${name}" data-field="${name}" type="${type}" value="${value}" ${required ? raw('required aria-required="true"') : ''} ${hint ? raw(`aria-describedby="h-${name}"`) : ''}>`}
  </div>`;

const radios = (name, options, value, prefix) => html`<fieldset class="radios"><legend>${t('plan.f.' + name)}</legend>
  ${options.map((o) => html`<label class="radio"><input type="radio" name="${name}" data-field="${name}" value="${o}" ${o === value ? raw('checked') : ''}>
    <span><strong>${t(prefix + o)}</strong><span class="hint">${t(prefix + o + '.hint')}</span></span></label>`)}</fieldset>`;

const regName = (ctx, id) => txt(ctx.regs.find((r) => r.id === id)?.name) || id;

const STEP_RENDER = {
  async kind(body, ctx) {
    const p = ctx.d.plan;
    const plans = await api('/api/linkage-plans').catch(() => ({ plans: [] }));
    setHtml(body, html`
      ${field('title', p.title, { required: true })}<p id="title-error" class="error" role="alert"></p>
      ${radios('kind', KINDS, p.kind, 'kind.')}
      ${radios('purpose_category', CATEGORIES, p.purpose_category, 'cat.')}
      <div id="live-warnings"></div>
      <details class="existing-plans"><summary>${t('plan.existing', { n: num(plans.plans.length) })}</summary>
        <ul>${plans.plans.map((x) => html`<li><a href="#plan/${x.id}">#${x.id} ${x.title}</a> <span class="badge">${t('planstatus.' + x.status)}</span> <span class="small muted">${x.registers.join(', ')}</span></li>`)}</ul>
        <button type="button" id="new-plan" class="secondary">${t('plan.new')}</button></details>`);
    $('#new-plan', body).addEventListener('click', () => {
      sessionStorage.removeItem(KEY);
      ctx.d = load();
      location.hash = '#plan';
      draw(ctx);
    });
  },

  async registers(body, ctx) {
    const p = ctx.d.plan;
    const chosen = new Set(p.registers.map((r) => r.register));
    const details = await Promise.all(p.registers.map((r) => cached('/api/registers/' + encodeURIComponent(r.register))));
    setHtml(body, html`
      <fieldset class="reg-pick"><legend>${t('plan.pick_registers')}</legend>
        ${ctx.regs.map((r) => html`<label class="check"><input type="checkbox" class="reg-toggle" value="${r.id}" ${chosen.has(r.id) ? raw('checked') : ''}>
          ${txt(r.name)} <span class="muted small">(${t('reg.cpua')}: ${r.cpua})</span></label>`)}</fieldset>
      ${p.registers.map((r, i) => {
        const det = details[i];
        return html`<fieldset class="participant"><legend>${txt(det.name)}</legend>
          <div class="field"><label for="role-${r.register}">${t('plan.f.role')}</label>
            <select id="role-${r.register}" data-reg="${r.register}" data-rfield="role"><option value="">–</option>${ROLES.map((x) => html`<option value="${x}" ${r.role === x ? raw('selected') : ''}>${t('prole.' + x)}</option>`)}</select></div>
          <div class="field"><label for="pref-${r.register}">${t('plan.f.purpose_reference')}</label>
            <select id="pref-${r.register}" data-reg="${r.register}" data-rfield="purpose_reference"><option value="">–</option>
              ${det.purposes.map((x, j) => html`<option value="${x.id}" ${r.purpose_reference === x.id ? raw('selected') : ''}>${j + 1}. ${txt(x).slice(0, 140)}</option>`)}</select>
            ${det.purposes.length ? '' : html`<p class="warning-text">${t('reg.no_purposes')}</p>`}</div>
          <div class="field"><label for="chk-${r.register}">${t('plan.f.check_outcome')}</label>
            <input id="chk-${r.register}" data-reg="${r.register}" data-rfield="check_outcome" value="${r.check_outcome || ''}"></div>
        </fieldset>`;
      })}`);
    for (const cb of $$('.reg-toggle', body))
      cb.addEventListener('change', () => {
        if (cb.checked) p.registers.push({ register: cb.value, role: p.registers.length ? 'utlamnande' : 'begarande' });
        else {
          p.registers = p.registers.filter((r) => r.register !== cb.value);
          p.variables = p.variables.filter((v) => !v.variable.startsWith(cb.value + '/'));
        }
        ctx.d.dirty = true;
        save(ctx.d);
        draw(ctx).then(() => $(`.reg-toggle[value="${cb.value}"]`, ctx.view)?.focus());
      });
  },

  async compat(body, ctx) {
    const p = ctx.d.plan;
    const details = await Promise.all(p.registers.map((r) => cached('/api/registers/' + encodeURIComponent(r.register))));
    const cpuas = [...new Set(details.map((x) => x.cpua.name))];
    const note = p.registers.length < 2 ? t('plan.one_register') : cpuas.length > 1 ? t('plan.boundary', { c: cpuas.join(', ') }) : t('plan.same_cpua', { c: cpuas[0] });
    setHtml(body, html`<p class="notice">${note}</p>
      ${field('compatibility_statement', p.compatibility_statement, { area: true, hint: t('plan.hint.compatibility') })}
      ${field('necessity', p.necessity, { area: true, hint: t('plan.hint.necessity') })}`);
  },

  async purpose(body, ctx) {
    const p = ctx.d.plan;
    const details = await Promise.all(p.registers.map((r) => cached('/api/registers/' + encodeURIComponent(r.register))));
    const cpuas = [...new Set(details.map((x) => x.cpua.name))];
    setHtml(body, html`${field('purpose', p.purpose, { area: true, hint: t('plan.hint.purpose') })}
      <div class="field"><label for="f-responsible_cpua">${t('plan.f.responsible_cpua')}</label>
        <input id="f-responsible_cpua" data-field="responsible_cpua" list="cpua-list" value="${p.responsible_cpua}">
        <datalist id="cpua-list">${cpuas.map((c) => html`<option value="${c}">`)}</datalist></div>`);
  },

  async variables(body, ctx) {
    const p = ctx.d.plan;
    const lists = await Promise.all(p.registers.map((r) => cached('/api/registers/' + encodeURIComponent(r.register) + '/variables')));
    if (!p.registers.length) { setHtml(body, html`<p class="warning-text">${t('plan.need_register')}</p>`); return; }
    const picked = new Map(p.variables.map((v) => [v.variable, v]));
    setHtml(body, html`
      <div class="var-picker">${p.registers.map((r, i) => html`<fieldset class="participant" data-register="${r.register}"><legend>${regName(ctx, r.register)}
          <span class="muted small">(${t('plan.n_picked', { n: num(p.variables.filter((v) => v.variable.startsWith(r.register + '/')).length) })})</span></legend>
        <label class="inline">${t('reg.filter')} <input type="search" class="var-filter" data-register="${r.register}" autocomplete="off"></label>
        <ul class="var-list" data-register="${r.register}">${lists[i].variables.map((v) => {
          const sel = picked.get(v.id);
          return html`<li data-text="${fold(v.name + ' ' + txt(v.label))}" class="${sel ? 'picked' : ''}">
            <label class="check"><input type="checkbox" class="var-toggle" value="${v.id}" data-direct="${v.identifier_class === 'direct'}" ${sel ? raw('checked') : ''}>
              ${txt(v.label) || v.name} <code class="small">${v.dataset}/${v.name}</code>${v.identifier_class === 'direct' ? html` <span class="badge flag">${t('plan.direct_id')}</span>` : ''}</label>
            ${sel ? html`<div class="var-extra">
              <label>${t('plan.f.var_role')} <select data-var="${v.id}" data-vfield="role">${VAR_ROLES.map((x) => html`<option value="${x}" ${sel.role === x ? raw('selected') : ''}>${t('vrole.' + x)}</option>`)}</select></label>
              <label class="grow">${t('plan.f.justification')} <input data-var="${v.id}" data-vfield="justification" value="${sel.justification || ''}" placeholder="${t('plan.justification_ph')}"></label></div>` : ''}
          </li>`;
        })}</ul></fieldset>`)}</div>
      <h3>${t('plan.minimisation')}</h3>
      <fieldset class="radios"><legend>${t('plan.f.output_form')}</legend>${OUTPUTS.map((o) => html`<label class="radio"><input type="radio" name="output_form" data-field="output_form" value="${o}" ${p.output_form === o ? raw('checked') : ''}> <span>${t('out.' + o)}</span></label>`)}</fieldset>
      <div id="live-warnings"></div>
      ${field('retention', p.retention, { area: true })}
      ${field('export_file_deletion', p.export_file_deletion, { area: true })}
      <label class="check"><input type="checkbox" data-field="identifiers_removed_after_linkage" ${p.identifiers_removed_after_linkage ? raw('checked') : ''}> ${t('plan.f.identifiers_removed_after_linkage')}</label>
      <div class="two-fields">${field('period_start', p.period_start, { type: 'date' })}${field('period_end', p.period_end, { type: 'date' })}</div>`);
    for (const f of $$('.var-filter', body))
      f.addEventListener('input', debounce(() => {
        const q = fold(f.value.trim());
        for (const li of $$(`.var-list[data-register="${f.dataset.register}"] li`, body)) li.hidden = !!q && !li.dataset.text.includes(q);
      }, 100));
    for (const cb of $$('.var-toggle', body))
      cb.addEventListener('change', () => {
        if (cb.checked) p.variables.push({ variable: cb.value, role: cb.dataset.direct === 'true' ? 'linkage-key' : 'covariate', justification: '' });
        else p.variables = p.variables.filter((v) => v.variable !== cb.value);
        ctx.d.dirty = true;
        save(ctx.d);
        const scroll = window.scrollY;
        draw(ctx).then(() => {
          window.scrollTo(0, scroll);
          const again = $(`.var-toggle[value="${CSS.escape(cb.value)}"]`, ctx.view);
          again?.focus({ preventScroll: true });
          const just = again?.closest('li')?.querySelector('[data-vfield=justification]');
          if (cb.checked && just) just.focus({ preventScroll: true });
        });
      });
  },

  async secrecy(body, ctx) {
    const p = ctx.d.plan;
    const details = await Promise.all(p.registers.map((r) => cached('/api/registers/' + encodeURIComponent(r.register))));
    const cpuas = [...new Set(details.map((x) => x.cpua.name))];
    setHtml(body, html`<p class="notice">${cpuas.length > 1 ? t('plan.boundary', { c: cpuas.join(', ') }) : t('plan.same_cpua', { c: cpuas[0] || '–' })}</p>
      ${p.registers.map((r, i) => html`<fieldset class="participant"><legend>${txt(details[i].name)} <span class="muted small">(${details[i].cpua.name})</span></legend>
        <div class="field"><label for="sec-${r.register}">${t('plan.f.secrecy_assessment')}</label><textarea id="sec-${r.register}" rows="2" data-reg="${r.register}" data-rfield="secrecy_assessment">${r.secrecy_assessment || ''}</textarea></div>
        <div class="field"><label for="dec-${r.register}">${t('plan.f.decision_reference')}</label><input id="dec-${r.register}" data-reg="${r.register}" data-rfield="decision_reference" value="${r.decision_reference || ''}"></div>
      </fieldset>`)}`);
  },

  async information(body, ctx) {
    setHtml(body, field('information_plan', ctx.d.plan.information_plan, { area: true, hint: t('plan.hint.information') }));
  },

  async agreements(body, ctx) {
    const p = ctx.d.plan;
    setHtml(body, html`${field('agreement_reference', p.agreement_reference, { hint: t('plan.hint.agreement') })}
      ${field('dpia_reference', p.dpia_reference)}
      ${p.registers.map((r) => html`<div class="field"><label for="law-${r.register}">${t('plan.f.lawfulness_review')}: ${regName(ctx, r.register)}</label>
        <input id="law-${r.register}" data-reg="${r.register}" data-rfield="lawfulness_review" value="${r.lawfulness_review || ''}"></div>`)}`);
  },

  async review(body, ctx) {
    const d = ctx.d;
    if (!can.editPlans()) {
      setHtml(body, html`<p class="notice">${t('plan.signin_to_review')} <a href="#signin?next=plan">${t('session.signin')}</a></p>`);
      return;
    }
    let res;
    try {
      res = await persist(ctx);
    } catch (e) {
      setHtml(body, html`<p class="error" role="alert">${t('plan.save_failed')}: ${e.message}</p>`);
      return;
    }
    const r = res.review, lang = getLang();
    const tx = (x) => (x ? x[lang] || x.sv : '');
    const stateIcon = { documented: '✓', partial: '◐', missing: '✗', 'not-applicable': '–' };
    setHtml(body, html`
      <p class="notice ok" role="status">${t('plan.saved', { id: res.id })} ${t('plan.revision', { n: res.revision })} · ${t('planstatus.' + res.status)}</p>
      <p class="disclaimer">${tx(r.disclaimer)}</p>
      <section aria-labelledby="h-exports"><h3 id="h-exports">${t('plan.exports')}</h3>
        <ul class="exports">
          <li><a class="button" id="export-csv" href="/api/linkage-plans/${res.id}/export/csv" download>${t('plan.export_csv')}</a></li>
          ${res.registers.map((x) => html`<li><a class="button secondary" href="/api/linkage-plans/${res.id}/export/csv?register=${encodeURIComponent(x.register)}" download>${t('plan.export_csv_reg', { r: regName(ctx, x.register) })}</a></li>`)}
          <li><a class="button secondary" href="/api/linkage-plans/${res.id}/export/json" download>${t('plan.export_json')}</a></li>
          <li><a class="button secondary" href="/api/linkage-plans/${res.id}/export/html" target="_blank" rel="noopener">${t('plan.export_html')}</a></li>
        </ul></section>
      <section aria-labelledby="h-checklist"><h3 id="h-checklist">${t('plan.checklist')}</h3>
        <ol class="checklist" id="checklist">${r.checklist.map((c) => html`<li class="state-${c.state}">
          <span class="state-icon" aria-hidden="true">${stateIcon[c.state] || ''}</span> <strong>${tx(c.title)}</strong>: <span class="badge state-${c.state}">${t('cstate.' + c.state)}</span>
          <button type="button" class="link-button goto-step" data-step="${stepFor(c.step)}">${t('plan.edit_step')}</button>
          ${c.missing.length ? html`<ul class="small missing">${c.missing.map((m) => html`<li>${t('plan.missing')}: ${tx(m)}</li>`)}</ul>` : ''}
          ${c.documented.length ? html`<details class="small"><summary>${t('plan.documented', { n: c.documented.length })}</summary><ul>${c.documented.map((m) => html`<li>${tx(m)}</li>`)}</ul></details>` : ''}
        </li>`)}</ol></section>
      <section aria-labelledby="h-warnings"><h3 id="h-warnings">${t('plan.warnings')} (${num(r.warnings.length)})</h3>
        ${r.warnings.length ? html`<ul class="warnings" id="warnings">${r.warnings.map((w) => html`<li class="warning-text">${tx(w)}</li>`)}</ul>` : html`<p>${t('plan.no_warnings')}</p>`}</section>
      <section aria-labelledby="h-secrecy"><h3 id="h-secrecy">${t('plan.step.secrecy')}</h3><p>${tx(r.secrecy_note)}</p>
        <table class="data"><thead><tr><th scope="col">${t('var.register')}</th><th scope="col">${t('reg.cpua')}</th><th scope="col">${t('plan.f.role')}</th><th scope="col">${t('plan.key')}</th><th scope="col">${t('reg.period')}</th><th scope="col" class="num">${t('plan.requested')}</th></tr></thead>
        <tbody>${r.registers.map((x) => html`<tr><td><a href="${registerHref(x.id)}">${x.name}</a></td><td>${x.cpua}</td><td>${x.role ? t('prole.' + x.role) : ''}</td>
          <td>${x.linkage_key || html`<span class="warning-text">${t('plan.no_key')}</span>`}</td><td>${date(x.coverage_from)} – ${date(x.coverage_to)}</td><td class="num">${num(x.requested.length)}</td></tr>`)}</tbody></table>
        <p>${r.period.overlap ? t('plan.period', { f: date(r.period.from), t: r.period.to ? date(r.period.to) : t('ongoing') }) : html`<span class="warning-text">${t('plan.no_overlap')}</span>`}</p></section>
      <section aria-labelledby="h-concepts"><h3 id="h-concepts">${t('plan.compatibility')}</h3>
        ${r.concepts.length ? html`<table class="data" id="plan-concepts"><thead><tr><th scope="col">${t('map.concept')}</th><th scope="col">${t('plan.carriers')}</th><th scope="col">${t('compat.grade')}</th></tr></thead><tbody>
          ${r.concepts.map((c) => html`<tr><td>${c.label} <code class="small">${c.concept_id}</code></td>
            <td>${c.carriers.filter((x) => x.requested).map((x) => html`<div><a href="${variableHref(x.variable)}"><code class="small">${x.variable}</code></a></div>`)}
              ${c.registers_without.length ? html`<div class="warning-text small">${t('plan.without', { r: c.registers_without.join(', ') })}</div>` : ''}</td>
            <td>${c.pairs.map((pr) => html`<div><span class="grade grade-${pr.compatibility.grade}">${t('grade.' + pr.compatibility.grade)}</span>
              <details class="small"><summary>${t('compat.reasons')}</summary><ul>${pr.compatibility.reasons.map((x) => html`<li>${x[lang] || x.sv}</li>`)}</ul>
              ${pr.compatibility.transform && tx(pr.compatibility.transform) ? html`<p>${t('compat.transform')}: ${tx(pr.compatibility.transform)}</p>` : ''}</details></div>`)}</td></tr>`)}</tbody></table>`
          : html`<p>${t('plan.no_concepts')}</p>`}
        ${r.unbound_variables.length ? html`<p class="small">${t('plan.unbound', { v: r.unbound_variables.join(', ') })}</p>` : ''}</section>
      ${res.status === 'draft' ? html`<p><button type="button" id="submit-plan" class="secondary">${t('plan.submit')}</button></p>` : ''}`);
    for (const b of $$('.goto-step', body)) b.addEventListener('click', () => go(ctx, Number(b.dataset.step)));
    $('#submit-plan', body)?.addEventListener('click', async () => {
      try {
        await api(`/api/linkage-plans/${res.id}/status`, { method: 'POST', body: { status: 'submitted' }, headers: { 'If-Match': '"' + res.revision + '"' } });
        toast(t('plan.submitted'), 'ok');
        draw(ctx);
      } catch (e) { toast(e.message, 'error'); }
    });
  },
};

// SKR step number -> the planner page where it is filled in.
const stepFor = (n) => ({ 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7 }[n] ?? 0);

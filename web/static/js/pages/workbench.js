// Mapping workbench: a queue of variables to map with ranked suggestions, concept search with
// hierarchy browsing, value-level (code) mapping, and the review queue with keyboard shortcuts.
import { api, cached, can, session } from '../api.js';
import { t, txt, num, pct, collator } from '../i18n.js';
import { html, raw, setHtml, $, $$, variableHref, toast, debounce } from '../dom.js';

let keyHandler = null;
const PREDICATES = ['skos:exactMatch', 'skos:closeMatch', 'skos:broadMatch', 'skos:narrowMatch', 'skos:relatedMatch'];

export function leave() {
  if (keyHandler) document.removeEventListener('keydown', keyHandler);
  keyHandler = null;
}

const conceptName = (c) => (c && c.pt ? txt(c.pt) : '') || c?.fsn || '';
const isTyping = (e) => ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName) || e.target.isContentEditable;

export async function render(view, route) {
  document.title = t('wb.title') + ' – regcat';
  const params = route.params;
  const wantVar = params.get('variable') || '';
  const tab = params.get('tab') || (wantVar ? 'map' : can.review() && !can.curate() ? 'review' : 'map');
  const regs = await cached('/api/registers');
  const sortedRegs = [...regs.registers].sort((a, b) => collator.compare(txt(a.name), txt(b.name)));
  const register = params.get('register') || (wantVar ? wantVar.split('/')[0] : sortedRegs[0]?.id);
  setHtml(view, html`
    <h1>${t('wb.title')}</h1>
    ${!can.signedIn() ? html`<p class="notice">${t('wb.signin_needed')} <a href="#signin?next=${encodeURIComponent('workbench')}">${t('session.signin')}</a></p>` : ''}
    <div class="tabs" role="tablist" aria-label="${t('wb.title')}">
      <button type="button" role="tab" id="tab-map" aria-controls="panel-map" aria-selected="${tab === 'map'}">${t('wb.tab_map')}</button>
      <button type="button" role="tab" id="tab-review" aria-controls="panel-review" aria-selected="${tab === 'review'}">${t('wb.tab_review')} <span id="review-count" class="count"></span></button>
    </div>
    <p class="hint keys">${raw(t('wb.keys_' + tab))}</p>
    <div id="panel-map" role="tabpanel" aria-labelledby="tab-map" ${tab !== 'map' ? raw('hidden') : ''}></div>
    <div id="panel-review" role="tabpanel" aria-labelledby="tab-review" ${tab !== 'review' ? raw('hidden') : ''}></div>`);
  const go = (tabName) => {
    const p = new URLSearchParams(params);
    p.set('tab', tabName);
    location.hash = '#workbench?' + p;
  };
  $('#tab-map', view).addEventListener('click', () => go('map'));
  $('#tab-review', view).addEventListener('click', () => go('review'));
  for (const b of $$('[role=tab]', view))
    b.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') { e.preventDefault(); go(tab === 'map' ? 'review' : 'map'); }
    });
  api('/api/mappings/review-queue?limit=0').then((q) => { const c = $('#review-count', view); if (c) c.textContent = '(' + num(q.total) + ')'; }).catch(() => {});
  leave();
  if (tab === 'review') await renderReview($('#panel-review', view));
  else await renderMap($('#panel-map', view), sortedRegs, register, wantVar);
}

// ---------------------------------------------------------------- mapping a register's variables

async function renderMap(panel, regs, register, wantVar) {
  const [vars, maps] = await Promise.all([
    api('/api/registers/' + encodeURIComponent(register) + '/variables'),
    api('/api/mappings?' + new URLSearchParams({ register, limit: 10000 })),
  ]);
  const state = new Map(); // variable id -> best variable-level status
  const rank = { approved: 4, proposed: 3, suggested: 2, rejected: 1 };
  for (const m of maps.mappings) {
    if (m.code) continue;
    const k = m.subject;
    const s = m.no_match ? 'no_match' : m.status;
    if (!state.has(k) || (rank[s] || 5) > (rank[state.get(k)] || 0)) state.set(k, s);
  }
  const all = vars.variables;
  let showAll = false;
  const queue = () => all.filter((v) => showAll || !['approved', 'proposed', 'no_match'].includes(state.get(v.id)));
  setHtml(panel, html`
    <div class="wb-controls">
      <label>${t('wb.register')} <select id="wb-register">${regs.map((r) => html`<option value="${r.id}" ${r.id === register ? raw('selected') : ''}>${txt(r.name)}</option>`)}</select></label>
      <label class="inline"><input type="checkbox" id="wb-all"> ${t('wb.show_all')}</label>
      <span id="wb-progress" class="muted"></span>
    </div>
    <div class="wb-layout">
      <div class="wb-queue">
        <h2 class="h-small" id="h-queue">${t('wb.queue')}</h2>
        <ul id="wb-list" role="listbox" tabindex="0" aria-labelledby="h-queue"></ul>
      </div>
      <div id="wb-detail" class="wb-detail" aria-live="polite"></div>
    </div>`);
  const list = $('#wb-list', panel);
  let items = [], index = 0;
  const drawList = () => {
    items = queue();
    const done = all.filter((v) => state.get(v.id) === 'approved').length;
    $('#wb-progress', panel).textContent = t('wb.progress', { a: num(done), n: num(all.length), p: pct(all.length ? 100 * done / all.length : 0) });
    setHtml(list, items.map((v, i) => html`<li role="option" id="wbv-${i}" data-id="${v.id}" aria-selected="${i === index}">
      <span class="q-label">${txt(v.label) || v.name}</span> <code class="small">${v.dataset}/${v.name}</code>
      ${state.get(v.id) ? html`<span class="badge status-${state.get(v.id)}">${t('status.' + state.get(v.id))}</span>` : ''}</li>`));
    if (!items.length) setHtml(list, html`<li class="muted">${t('wb.queue_empty')}</li>`);
  };
  const select = (i, focusList = false) => {
    if (!items.length) { setHtml($('#wb-detail', panel), ''); return; }
    index = Math.max(0, Math.min(items.length - 1, i));
    for (const li of $$('[role=option]', list)) li.setAttribute('aria-selected', String(li.id === 'wbv-' + index));
    const li = $('#wbv-' + index, list);
    list.setAttribute('aria-activedescendant', 'wbv-' + index);
    li?.scrollIntoView({ block: 'nearest' });
    if (focusList) list.focus();
    renderVariable($('#wb-detail', panel), items[index], maps.mappings, (id, status) => { state.set(id, status); drawList(); select(index); });
  };
  drawList();
  if (wantVar) {
    let i = items.findIndex((v) => v.id === wantVar);
    if (i < 0) { showAll = true; $('#wb-all', panel).checked = true; drawList(); i = items.findIndex((v) => v.id === wantVar); }
    index = Math.max(0, i);
  }
  select(index);
  list.addEventListener('click', (e) => {
    const li = e.target.closest('[role=option]');
    if (li) select(Number(li.id.slice(4)));
  });
  $('#wb-register', panel).addEventListener('change', (e) => { location.hash = '#workbench?tab=map&register=' + encodeURIComponent(e.target.value); });
  $('#wb-all', panel).addEventListener('change', (e) => { showAll = e.target.checked; index = 0; drawList(); select(0); });
  keyHandler = (e) => {
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j') { e.preventDefault(); select(index + 1, true); }
    else if (e.key === 'k') { e.preventDefault(); select(index - 1, true); }
    else if (e.key === '/') { e.preventDefault(); $('#concept-q', panel)?.focus(); }
    else if (/^[1-9]$/.test(e.key)) {
      const b = $$('.suggestion .propose', panel)[Number(e.key) - 1];
      if (b) { e.preventDefault(); b.click(); }
    }
  };
  document.addEventListener('keydown', keyHandler);
}

async function renderVariable(box, v, allMaps, onChange) {
  const mine = allMaps.filter((m) => m.subject === v.id || m.subject.startsWith(v.id + '#'));
  setHtml(box, html`<h2><a href="${variableHref(v.id)}">${txt(v.label) || v.name}</a> <code class="small">${v.id}</code></h2>
    ${txt(v.definition) ? html`<p>${txt(v.definition)}</p>` : ''}
    <p class="small muted">${t('var.datatype')}: ${v.datatype}${v.unit ? ' · ' + v.unit : ''}${v.codelist ? ' · ' + v.codelist : ''}</p>
    ${mine.filter((m) => !m.code).length ? html`<h3>${t('var.bindings')}</h3><ul class="plain">${mine.filter((m) => !m.code).map((m) => html`<li>${m.concept_label || m.concept_id} <code class="small">${m.concept_id}</code> ${t('pred.' + m.predicate)} <span class="badge status-${m.status}">${t('status.' + m.status)}</span></li>`)}</ul>` : ''}
    <div class="wb-propose-opts">
      <label>${t('map.predicate')} <select id="wb-pred">${PREDICATES.map((p) => html`<option value="${p}">${t('pred.' + p)}</option>`)}</select></label>
      <label>${t('wb.comment')} <input id="wb-comment" type="text"></label>
    </div>
    <h3 id="h-sugg">${t('wb.suggestions')}</h3>
    <ol class="suggestions" id="suggestions" aria-labelledby="h-sugg"><li class="muted">${t('loading')}</li></ol>
    <h3>${t('wb.search_concepts')}</h3>
    <form id="concept-form" class="inline-form" role="search"><label for="concept-q" class="visually-hidden">${t('wb.search_concepts')}</label>
      <input id="concept-q" type="search" placeholder="${t('wb.concept_placeholder')}" autocomplete="off"></form>
    <div id="concept-results"></div>
    <div id="concept-browser"></div>
    ${v.codelist ? html`<h3>${t('wb.value_level')}</h3><div id="codes-box"><p class="muted">${t('loading')}</p></div>` : ''}`);
  const propose = async (subject, concept, term, btn) => {
    if (!can.signedIn()) { toast(t('wb.signin_needed'), 'error'); return; }
    btn && (btn.disabled = true);
    try {
      const body = { subject, concept_id: concept, predicate: $('#wb-pred', box).value, status: 'proposed' };
      const comment = $('#wb-comment', box).value.trim();
      if (comment) body.comment = comment;
      const m = await api('/api/mappings', { method: 'POST', body });
      allMaps.push(m);
      toast(t('wb.proposed', { s: subject, c: term || concept }), 'ok');
      if (!subject.includes('#')) onChange(v.id, 'proposed');
      else btn && (btn.textContent = t('status.proposed'));
    } catch (e) {
      toast(e.message, 'error');
      btn && (btn.disabled = false);
    }
  };
  // Suggestions
  api(`/api/variables/${v.id.split('/').map(encodeURIComponent).join('/')}/suggestions?limit=8`).then((list) => {
    if (!box.isConnected) return;
    setHtml($('#suggestions', box), list.length ? list.map((s, i) => html`<li class="suggestion">
      <div class="sugg-head"><span class="key-hint" aria-hidden="true">${i < 9 ? i + 1 : ''}</span>
        <button type="button" class="link-button concept-open" data-code="${s.concept_id}">${s.term}</button> <code class="small">${s.concept_id}</code>
        ${s.semantic_tag ? html`<span class="muted small">(${s.semantic_tag})</span>` : ''}
        <span class="score" title="${t('wb.score')}"><span class="score-bar" style="width:${Math.round(s.score * 100)}%"></span></span><span class="small">${pct(s.score * 100)}</span>
        <button type="button" class="propose" data-code="${s.concept_id}" data-term="${s.term}">${t('wb.propose')}</button></div>
      <ul class="reasons small">${s.reasons.map((r) => html`<li>${r}</li>`)}</ul></li>`) : html`<li>${t('wb.no_suggestions')}</li>`);
    for (const b of $$('.propose', $('#suggestions', box))) b.addEventListener('click', () => propose(v.id, b.dataset.code, b.dataset.term, b));
    for (const b of $$('.concept-open', $('#suggestions', box))) b.addEventListener('click', () => browse(b.dataset.code));
  }).catch((e) => setHtml($('#suggestions', box), html`<li class="error">${e.message}</li>`));
  // Concept search and hierarchy
  const results = $('#concept-results', box);
  const search = debounce(async () => {
    const q = $('#concept-q', box).value.trim();
    if (!q) { setHtml(results, ''); return; }
    try {
      const r = await api('/api/terminology/concepts?' + new URLSearchParams({ q, limit: 10 }));
      setHtml(results, html`<ul class="plain concept-hits">${r.concepts.map((c) => html`<li>
        <button type="button" class="link-button concept-open" data-code="${c.code}">${c.term}</button> <code class="small">${c.code}</code>
        <span class="muted small">${c.concept?.semantic_tag || ''}</span></li>`)}</ul>`);
      for (const b of $$('.concept-open', results)) b.addEventListener('click', () => browse(b.dataset.code));
    } catch (e) { setHtml(results, html`<p class="error">${e.message}</p>`); }
  }, 200);
  $('#concept-q', box).addEventListener('input', search);
  $('#concept-form', box).addEventListener('submit', (e) => { e.preventDefault(); search(); });
  const browser = $('#concept-browser', box);
  async function browse(code) {
    try {
      const c = await api('/api/terminology/concepts/' + encodeURIComponent(code));
      const pt = conceptName(c.concept) || code;
      const item = (x) => html`<li><button type="button" class="link-button concept-open" data-code="${x.code}">${conceptName(x) || x.code}</button> <code class="small">${x.code}</code></li>`;
      setHtml(browser, html`<div class="concept-card" aria-label="${t('wb.concept')}">
        <h4>${pt} <code class="small">${code}</code> ${c.status && c.status !== 'active' ? html`<span class="badge flag">${c.status}</span>` : ''}</h4>
        <div class="hier"><div><strong>${t('wb.parents')}</strong><ul class="plain">${c.parents.map(item)}</ul></div>
        <div><strong>${t('wb.children')}</strong><ul class="plain">${c.children.length ? c.children.slice(0, 40).map(item) : html`<li class="muted">–</li>`}</ul></div></div>
        <p class="small">${c.designations.filter((d) => d.active).slice(0, 6).map((d) => d.term + ' (' + d.lang + ')').join(' · ')}</p>
        <button type="button" id="propose-browsed">${t('wb.propose_this')}</button></div>`);
      for (const b of $$('.concept-open', browser)) b.addEventListener('click', () => browse(b.dataset.code));
      $('#propose-browsed', browser).addEventListener('click', (e) => propose(v.id, code, pt, e.target));
    } catch (e) { setHtml(browser, html`<p class="error">${e.message}</p>`); }
  }
  // Value level: one row per code, with its mappings and on-demand suggestions.
  if (v.codelist) {
    const full = await api('/api/variables/' + v.id.split('/').map(encodeURIComponent).join('/'));
    if (!box.isConnected) return;
    const codesBox = $('#codes-box', box);
    setHtml(codesBox, html`<table class="data"><thead><tr><th scope="col">${t('var.code')}</th><th scope="col">${t('var.code_label')}</th><th scope="col">${t('var.code_concept')}</th><th scope="col"><span class="visually-hidden">${t('wb.actions')}</span></th></tr></thead>
      <tbody>${(full.codes || []).map((c) => html`<tr><td><code>${c.code}</code></td><td>${txt(c.label)}</td>
        <td>${mine.filter((m) => m.code === c.code).map((m) => html`<div>${m.concept_label || m.concept_id} <span class="badge status-${m.status}">${t('status.' + m.status)}</span></div>`)}</td>
        <td><button type="button" class="secondary code-sugg" data-code="${c.code}">${t('wb.suggest_code')}</button><div class="code-out"></div></td></tr>`)}</tbody></table>`);
    for (const b of $$('.code-sugg', codesBox))
      b.addEventListener('click', async () => {
        const out = b.nextElementSibling;
        try {
          const list = await api(`/api/variables/${v.id.split('/').map(encodeURIComponent).join('/')}/suggestions?` + new URLSearchParams({ code: b.dataset.code, limit: 3 }));
          setHtml(out, list.length ? html`<ul class="plain">${list.map((s) => html`<li>${s.term} <span class="small">${pct(s.score * 100)}</span>
            <button type="button" class="link-button code-propose" data-concept="${s.concept_id}" data-term="${s.term}">${t('wb.propose')}</button></li>`)}</ul>` : html`<p class="small">${t('wb.no_suggestions')}</p>`);
          for (const p of $$('.code-propose', out)) p.addEventListener('click', () => propose(v.id + '#' + b.dataset.code, p.dataset.concept, p.dataset.term, p));
        } catch (e) { setHtml(out, html`<p class="error small">${e.message}</p>`); }
      });
  }
}

// ---------------------------------------------------------------- review queue

async function renderReview(panel) {
  const q = await api('/api/mappings/review-queue?limit=500');
  let items = q.mappings;
  let index = 0;
  setHtml(panel, html`<div class="wb-layout">
    <div class="wb-queue"><h2 class="h-small" id="h-rq">${t('wb.review_queue', { n: num(q.total) })}</h2>
      <ul id="rq-list" role="listbox" tabindex="0" aria-labelledby="h-rq"></ul></div>
    <div id="rq-detail" class="wb-detail"></div></div>`);
  const list = $('#rq-list', panel);
  const draw = () => {
    setHtml(list, items.length ? items.map((m, i) => html`<li role="option" id="rq-${i}" data-id="${m.id}" aria-selected="${i === index}">
      <span class="q-label">${m.subject_label || m.subject}</span> → ${m.concept_label || m.concept_id}
      <div class="small muted"><code>${m.subject}</code>${m.flag ? html` · <span class="badge flag">${t('map.flagged')}</span>` : ''}</div></li>`) : html`<li class="muted">${t('wb.review_empty')}</li>`);
  };
  const select = (i, focus = false) => {
    if (!items.length) { setHtml($('#rq-detail', panel), ''); return; }
    index = Math.max(0, Math.min(items.length - 1, i));
    for (const li of $$('[role=option]', list)) li.setAttribute('aria-selected', String(li.id === 'rq-' + index));
    list.setAttribute('aria-activedescendant', 'rq-' + index);
    $('#rq-' + index, list)?.scrollIntoView({ block: 'nearest' });
    if (focus) list.focus();
    detail(items[index]);
  };
  const detail = (m) => {
    const own = session.user && m.author === session.user.name;
    setHtml($('#rq-detail', panel), html`<h2>${m.subject_label || m.subject}</h2>
      <p><a href="${variableHref(m.subject)}"><code>${m.subject}</code></a></p>
      <dl class="facts">
        <dt>${t('map.concept')}</dt><dd>${m.concept_label} <code>${m.concept_id}</code></dd>
        <dt>${t('map.predicate')}</dt><dd>${t('pred.' + m.predicate)}</dd>
        <dt>${t('map.status')}</dt><dd><span class="badge status-${m.status}">${t('status.' + m.status)}</span></dd>
        <dt>${t('map.author')}</dt><dd>${m.author || '–'}</dd>
        ${m.confidence !== null && m.confidence !== undefined ? html`<dt>${t('wb.score')}</dt><dd>${pct(m.confidence * 100)}</dd>` : ''}
        ${m.comment ? html`<dt>${t('wb.comment')}</dt><dd>${m.comment}</dd>` : ''}
        ${m.flag ? html`<dt>${t('map.flagged')}</dt><dd>${m.flag.detail || ''}${m.flag.replacement_id ? html`<br>${t('wb.replacement')}: <code>${m.flag.replacement_id}</code> ${m.flag.replacement_label || ''}` : ''}</dd>` : ''}
      </dl>
      ${m.flag && m.flag.replacement_id && can.curate(m.register) ? html`<p><button type="button" id="rq-retarget" class="secondary">${t('wb.retarget', { c: m.flag.replacement_label || m.flag.replacement_id })}</button></p>` : ''}
      ${own ? html`<p class="notice">${t('wb.own_mapping')}</p>` : ''}
      <div class="field"><label for="rq-comment">${t('wb.review_comment')}</label><input id="rq-comment" type="text"></div>
      <div class="actions">
        <button type="button" id="rq-approve" ${own || m.flag || !can.review() ? raw('disabled') : ''}><span aria-hidden="true" class="kbd">a</span> ${t('wb.approve')}</button>
        <button type="button" id="rq-reject" class="danger" ${!can.review() ? raw('disabled') : ''}><span aria-hidden="true" class="kbd">r</span> ${t('wb.reject')}</button>
      </div><p id="rq-result" role="status"></p>`);
    $('#rq-approve', panel).addEventListener('click', () => decide('approve'));
    $('#rq-retarget', panel)?.addEventListener('click', async () => {
      try {
        const u = await api(`/api/mappings/${m.id}`, { method: 'PATCH', body: { concept_id: m.flag.replacement_id }, headers: { 'If-Match': '"' + m.revision + '"' } });
        items[index] = u;
        toast(t('wb.retargeted', { c: u.concept_label || u.concept_id }), 'ok');
        draw();
        select(index);
      } catch (e) { toast(e.message, 'error'); }
    });
    $('#rq-reject', panel).addEventListener('click', () => decide('reject'));
  };
  const decide = async (decision) => {
    const m = items[index];
    if (!m) return;
    if (!can.review()) { toast(t('wb.signin_needed'), 'error'); return; }
    const comment = $('#rq-comment', panel)?.value.trim();
    try {
      await api(`/api/mappings/${m.id}/review`, { method: 'POST', body: comment ? { decision, comment } : { decision }, headers: { 'If-Match': '"' + m.revision + '"' } });
      toast(t(decision === 'approve' ? 'wb.approved' : 'wb.rejected', { s: m.subject, c: m.concept_label || m.concept_id }), 'ok');
      items = items.filter((x) => x.id !== m.id);
      draw();
      select(index, true);
      const c = document.getElementById('review-count');
      if (c) c.textContent = '(' + num(items.length) + ')';
    } catch (e) {
      const out = $('#rq-result', panel);
      if (out) { out.textContent = e.message; out.className = 'error'; }
      toast(e.message, 'error');
    }
  };
  draw();
  select(0);
  list.addEventListener('click', (e) => { const li = e.target.closest('[role=option]'); if (li) select(Number(li.id.slice(3))); });
  keyHandler = (e) => {
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j') { e.preventDefault(); select(index + 1, true); }
    else if (e.key === 'k') { e.preventDefault(); select(index - 1, true); }
    else if (e.key === 'a') { e.preventDefault(); if (!$('#rq-approve', panel)?.disabled) decide('approve'); }
    else if (e.key === 'r') { e.preventDefault(); decide('reject'); }
    else if (e.key === 'c') { e.preventDefault(); $('#rq-comment', panel)?.focus(); }
  };
  document.addEventListener('keydown', keyHandler);
}

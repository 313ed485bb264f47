// Start page: one search box over variables, registers and concepts with instant results and
// facets; without a query, the registers with charts of coverage and mapping progress.
import { api, cached } from '../api.js';
import { t, txt, num, pct, collator, label as enumLabel } from '../i18n.js';
import { html, raw, setHtml, $, $$, debounce, variableHref, registerHref, fold } from '../dom.js';
import { barChart } from '../charts.js';

const FACETS = ['register', 'dataset', 'datatype', 'category', 'identifier_class'];
const PAGE = 25;
let seq = 0;

export async function render(view, route) {
  document.title = t('search.doctitle');
  const state = {
    q: route.params.get('q') || '',
    filters: Object.fromEntries(FACETS.map((f) => [f, (route.params.get(f) || '').split(',').filter(Boolean)])),
    limit: PAGE,
  };
  setHtml(view, html`
    <section class="hero">
      <h1>${t('search.title')}</h1>
      <form role="search" id="search-form" class="search-form">
        <label for="q">${t('search.label')}</label>
        <div class="search-row">
          <input id="q" name="q" type="search" autocomplete="off" spellcheck="false"
                 placeholder="${t('search.placeholder')}" value="${state.q}" aria-describedby="search-hint">
        </div>
        <p id="search-hint" class="hint">${t('search.hint')}
          ${['infarkt', 'rokning', 'blodtryck', 'HbA1c'].map((w, i) => html`${i ? ', ' : ''}<a href="#search?q=${encodeURIComponent(w)}" class="example">${w}</a>`)}</p>
      </form>
    </section>
    <p id="result-summary" class="result-summary" role="status" aria-live="polite"></p>
    <div id="search-body"></div>`);
  const input = $('#q', view);
  input.focus();
  const run = debounce(() => { state.limit = PAGE; update(view, state); }, 150);
  input.addEventListener('input', () => { state.q = input.value; run(); });
  $('#search-form', view).addEventListener('submit', (e) => { e.preventDefault(); state.q = input.value; update(view, state); });
  await update(view, state);
}

function syncHash(state) {
  const p = new URLSearchParams();
  if (state.q.trim()) p.set('q', state.q.trim());
  for (const f of FACETS) if (state.filters[f].length) p.set(f, state.filters[f].join(','));
  const s = p.toString();
  const target = s ? '#search?' + s : '#';
  if (location.hash !== target && !(target === '#' && location.hash === ''))
    history.replaceState(null, '', target === '#' ? location.pathname : target);
}

const anyFilter = (state) => FACETS.some((f) => state.filters[f].length);

async function update(view, state) {
  const my = ++seq;
  syncHash(state);
  const body = $('#search-body', view);
  const summary = $('#result-summary', view);
  const q = state.q.trim();
  if (!q && !anyFilter(state)) {
    summary.textContent = '';
    await renderOverview(body, () => my === seq);
    return;
  }
  const params = new URLSearchParams({ limit: state.limit });
  if (q) params.set('q', q);
  for (const f of FACETS) if (state.filters[f].length) params.set(f, state.filters[f].join(','));
  const [res, concepts, regs] = await Promise.all([
    api('/api/variables?' + params),
    q ? api('/api/terminology/concepts?' + new URLSearchParams({ q, limit: 6 })).catch(() => ({ concepts: [] })) : { concepts: [] },
    cached('/api/registers'),
  ]);
  if (my !== seq || !view.isConnected) return;
  const regName = new Map(regs.registers.map((r) => [r.id, txt(r.name)]));
  const fq = fold(q);
  const regHits = q ? regs.registers.filter((r) => [r.id, r.short_name, r.name.sv, r.name.en, r.cpua]
    .some((s) => s && fold(s).includes(fq))) : [];
  const conceptHits = concepts.concepts || [];
  summary.textContent = t('search.summary', { v: num(res.total), r: num(regHits.length), c: num(conceptHits.length) });
  const facetLabel = (f, v) => {
    if (f === 'register') return regName.get(v) || v;
    if (f === 'dataset') return v;
    return enumLabel(f, v);
  };
  const facets = FACETS.filter((f) => (res.facets[f] || []).length).map((f) => html`
    <fieldset class="facet" data-facet="${f}">
      <legend>${t('facet.' + f)}</legend>
      ${(res.facets[f] || []).slice(0, 15).map((fv) => html`
        <label class="facet-value"><input type="checkbox" value="${fv.value}" ${state.filters[f].includes(fv.value) ? raw('checked') : ''}>
          <span class="facet-name">${facetLabel(f, fv.value)}</span> <span class="count">${num(fv.count)}</span></label>`)}
    </fieldset>`);
  setHtml(body, html`
    <div class="search-layout">
      <aside class="facets" aria-label="${t('facet.heading')}">
        <h2 class="h-small">${t('facet.heading')}</h2>
        ${anyFilter(state) ? html`<button type="button" class="link-button" id="clear-filters">${t('facet.clear')}</button>` : ''}
        ${facets}
      </aside>
      <div class="results">
        ${regHits.length ? html`<section aria-labelledby="h-reg-hits"><h2 id="h-reg-hits" class="h-small">${t('search.registers')} (${num(regHits.length)})</h2>
          <ul class="chips">${regHits.map((r) => html`<li><a class="chip" href="${registerHref(r.id)}">${txt(r.name)}</a></li>`)}</ul></section>` : ''}
        ${conceptHits.length ? html`<section aria-labelledby="h-con-hits"><h2 id="h-con-hits" class="h-small">${t('search.concepts')} (${num(conceptHits.length)})</h2>
          <ul class="chips">${conceptHits.map((c) => html`<li><a class="chip concept" href="#matrix?concepts=${encodeURIComponent(c.code)}" title="${t('search.concept_title')}">${c.term} <span class="muted">${c.concept && c.concept.semantic_tag ? '(' + c.concept.semantic_tag + ')' : ''}</span></a></li>`)}</ul></section>` : ''}
        <section aria-labelledby="h-var-hits">
          <h2 id="h-var-hits" class="h-small">${t('search.variables')} (${num(res.total)})</h2>
          ${res.variables.length ? html`<ol class="hits" id="variable-hits">${res.variables.map((v) => hit(v))}</ol>` : html`<p>${t('search.none')}</p>`}
          ${res.total > res.variables.length ? html`<button type="button" id="more" class="secondary">${t('search.more', { n: num(Math.min(PAGE, res.total - res.variables.length)) })}</button>` : ''}
        </section>
      </div>
    </div>`);
  for (const fs of $$('.facet', body)) {
    fs.addEventListener('change', (e) => {
      const f = fs.dataset.facet, v = e.target.value;
      state.filters[f] = e.target.checked ? [...state.filters[f], v] : state.filters[f].filter((x) => x !== v);
      state.limit = PAGE;
      update(view, state);
    });
  }
  $('#clear-filters', body)?.addEventListener('click', () => {
    for (const f of FACETS) state.filters[f] = [];
    update(view, state);
  });
  $('#more', body)?.addEventListener('click', () => { state.limit += PAGE; update(view, state); });
}

function hit(v) {
  return html`<li class="hit">
    <a class="hit-title" href="${variableHref(v.id)}">${txt(v.label) || v.name}</a> <code>${v.name}</code>
    ${v.match ? html`<span class="badge match-${v.match}" title="${t('match.title')}">${t('match.' + v.match)}</span>` : ''}
    <div class="meta">${txt(v.register_name)} › ${txt(v.dataset_name)} · ${enumLabel('datatype', v.datatype)}${v.unit ? ' · ' + v.unit : ''}${v.valid_to ? ' · ' + t('var.closed') : ''}</div>
    ${txt(v.definition) ? html`<p class="def">${trim(txt(v.definition), 180)}</p>` : ''}
  </li>`;
}

const trim = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

async function renderOverview(body, stillCurrent) {
  const regs = await cached('/api/registers');
  if (!stillCurrent()) return;
  const sorted = [...regs.registers].sort((a, b) => collator.compare(txt(a.name), txt(b.name)));
  setHtml(body, html`
    <section class="start-actions" aria-label="${t('start.actions')}">
      <a class="action-card" href="#plan"><strong>${t('start.plan')}</strong><span>${t('start.plan_text')}</span></a>
      <a class="action-card" href="#matrix"><strong>${t('start.matrix')}</strong><span>${t('start.matrix_text')}</span></a>
      <a class="action-card" href="#workbench"><strong>${t('start.workbench')}</strong><span>${t('start.workbench_text')}</span></a>
    </section>
    <section aria-labelledby="h-registers">
      <h2 id="h-registers">${t('start.registers', { n: num(regs.total) })}</h2>
      <ul class="register-cards" id="register-list">${sorted.map((r) => html`
        <li><a href="${registerHref(r.id)}" class="reg-name">${txt(r.name)}</a>${r.short_name ? html` <span class="muted">(${r.short_name})</span>` : ''}
          <div class="meta">${t('reg.cpua')}: ${r.cpua} · ${t('start.counts', { v: num(r.variable_count), d: num(r.dataset_count) })}</div></li>`)}
      </ul>
    </section>
    <div class="charts">
      <figure class="chart-box" id="coverage-chart"><figcaption>${t('chart.coverage')}</figcaption><p class="muted">${t('loading')}</p></figure>
      <figure class="chart-box" id="mapping-chart"><figcaption>${t('chart.mapping')}</figcaption><p class="muted">${t('loading')}</p></figure>
    </div>`);
  drawCharts(body, sorted, stillCurrent).catch((e) => console.error(e));
}

async function drawCharts(body, regs, stillCurrent) {
  const [details, mappings] = await Promise.all([
    Promise.all(regs.map((r) => cached('/api/registers/' + encodeURIComponent(r.id)).catch(() => null))),
    api('/api/mappings?level=variable&limit=10000').catch(() => ({ mappings: [] })),
  ]);
  if (!stillCurrent() || !body.isConnected) return;
  // Coverage: the newest national figure of each register (else the newest of any level).
  const covItems = regs.map((r, i) => {
    const cov = (details[i]?.coverage || []).filter((c) => c.value !== null && c.value !== undefined);
    cov.sort((a, b) => (a.level === 'nationell' ? -1 : 0) - (b.level === 'nationell' ? -1 : 0) || String(b.period_end).localeCompare(String(a.period_end)));
    const c = cov[0];
    return { label: txt(r.name), href: registerHref(r.id), segments: [{ value: c ? c.value : 0, cls: 'bar' }],
             valueText: c ? pct(c.value) + (c.period_end ? ' (' + c.period_end.slice(0, 4) + ')' : '') : t('chart.unknown') };
  });
  const cov = $('#coverage-chart', body);
  setHtml(cov, html`<figcaption>${t('chart.coverage')}</figcaption>${raw(barChart({ title: t('chart.coverage'), items: covItems, max: 100, format: pct }))}`);
  // Mapping progress: variables with an approved variable-level mapping, with a proposed one, the rest.
  const byReg = new Map(regs.map((r) => [r.id, { approved: new Set(), pending: new Set() }]));
  for (const m of mappings.mappings || []) {
    const b = byReg.get(m.register);
    if (!b || m.no_match) continue;
    const key = m.dataset + '/' + m.variable;
    if (m.status === 'approved') b.approved.add(key);
    else if (m.status === 'proposed' || m.status === 'suggested') b.pending.add(key);
  }
  const mapItems = regs.map((r) => {
    const b = byReg.get(r.id);
    const approved = b.approved.size;
    const pending = [...b.pending].filter((k) => !b.approved.has(k)).length;
    const total = Math.max(r.variable_count, approved + pending);
    const rest = Math.max(0, total - approved - pending);
    return { label: txt(r.name), href: registerHref(r.id), valueText: pct(total ? (100 * approved) / total : 0) + ' ' + t('chart.approved_short'),
             segments: [{ value: total ? (100 * approved) / total : 0, cls: 'bar-approved', name: t('status.approved') },
                        { value: total ? (100 * pending) / total : 0, cls: 'bar-pending', name: t('chart.pending') },
                        { value: total ? (100 * rest) / total : 0, cls: 'bar-none', name: t('chart.unmapped') }] };
  });
  const map = $('#mapping-chart', body);
  setHtml(map, html`<figcaption>${t('chart.mapping')}</figcaption>${raw(barChart({ title: t('chart.mapping'), items: mapItems, max: 100, format: pct,
    legend: [{ cls: 'bar-approved', name: t('status.approved') }, { cls: 'bar-pending', name: t('chart.pending') }, { cls: 'bar-none', name: t('chart.unmapped') }] }))}`);
}

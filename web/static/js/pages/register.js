// Register page: description, purposes, CPUA, registerhållare, coverage, datasets, disclosure
// route, exports, completeness and the variables table (Swedish collation, filterable).
import { api, cached, can } from '../api.js';
import { t, txt, num, pct, date, collator, label as enumLabel } from '../i18n.js';
import { html, raw, setHtml, $, $$, variableHref, fold, debounce } from '../dom.js';
import { barChart } from '../charts.js';

const EXPORTS = ['rut-json', 'rut-xlsx', 'ddi-c', 'ddi-l', 'dcat-ttl', 'dcat-jsonld', 'dcat-rdfxml', 'csv', 'xlsx', 'json', 'sssom', 'fhir-conceptmap'];
const NUMERIC = new Set(['integer', 'decimal']);

export async function render(view, route) {
  const id = route.segments[0];
  const [r, vars, maps] = await Promise.all([
    api('/api/registers/' + encodeURIComponent(id)),
    api('/api/registers/' + encodeURIComponent(id) + '/variables'),
    api('/api/mappings?' + new URLSearchParams({ register: id, limit: 10000 })).catch(() => ({ mappings: [] })),
  ]);
  if (!view.isConnected) return;
  document.title = txt(r.name) + ' – regcat';
  setJsonLd(id);
  const dsName = new Map(r.datasets.map((d) => [d.id, txt(d.name) || d.id]));
  const counts = new Map();
  for (const v of vars.variables) counts.set(v.dataset, (counts.get(v.dataset) || 0) + 1);
  // Mapping state per variable: the best status of its variable-level mappings.
  const rank = { approved: 3, proposed: 2, suggested: 1, rejected: 0 };
  const mapState = new Map();
  for (const m of maps.mappings) {
    if (m.code || m.no_match) continue;
    const k = m.dataset + '/' + m.variable;
    if (!mapState.has(k) || rank[m.status] > rank[mapState.get(k)]) mapState.set(k, m.status);
  }
  const rows = vars.variables.map((v) => ({
    v, key: v.dataset + '/' + v.name, label: txt(v.label), dataset: dsName.get(v.dataset) || v.dataset,
    mapping: mapState.get(v.dataset + '/' + v.name) || '',
  }));
  const total = rows.length;
  const noDef = rows.filter((x) => !txt(x.v.definition));
  const noUnit = rows.filter((x) => NUMERIC.has(x.v.datatype) && !x.v.unit);
  const numeric = rows.filter((x) => NUMERIC.has(x.v.datatype)).length;
  const noMap = rows.filter((x) => x.mapping !== 'approved');
  const contact = r.registerhallare || {};
  const dl = (pairs) => html`<dl class="facts">${pairs.filter(([, v]) => v !== '' && v !== null && v !== undefined && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
  const yesNo = (b) => (b === null || b === undefined ? t('unknown') : b ? t('yes') : t('no'));

  setHtml(view, html`
    <nav class="breadcrumb" aria-label="${t('breadcrumb')}"><a href="#">${t('nav.search')}</a> › <span aria-current="page">${txt(r.name)}</span></nav>
    <h1>${txt(r.name)} ${r.short_name ? html`<span class="muted">(${r.short_name})</span>` : ''}</h1>
    ${txt(r.description) ? html`<p class="lead">${txt(r.description)}</p>` : ''}
    ${can.editRegister(id) ? html`<p class="edit-bar"><a class="button" href="#upload/${encodeURIComponent(id)}">${t('reg.upload')}</a></p>` : ''}
    <div class="two-col">
      <section aria-labelledby="h-facts">
        <h2 id="h-facts">${t('reg.facts')}</h2>
        ${dl([
          [t('reg.cpua'), [r.cpua.name, r.cpua.unit].filter(Boolean).join(', ')],
          [t('reg.holder'), [contact.name, contact.organisation].filter(Boolean).join(', ')],
          [t('reg.contact'), html`${contact.email ? html`<a href="mailto:${contact.email}">${contact.email}</a>` : ''} ${contact.phone || ''}`],
          [t('reg.centre'), r.register_centre],
          [t('reg.platform'), r.platform],
          [t('reg.type'), r.register_type],
          [t('reg.certification'), r.certification_level],
          [t('reg.start'), r.start_year ?? ''],
          [t('reg.population'), txt(r.population)],
          [t('reg.units'), (r.unit_types || []).join(', ')],
          [t('reg.pnr'), yesNo(r.holds_personnummer)],
          [t('reg.research'), yesNo(r.research_information)],
          [t('reg.homepage'), r.homepage ? html`<a href="${r.homepage}" rel="noopener">${r.homepage}</a>` : ''],
          [t('reg.keywords'), (r.keywords || []).join(', ')],
          [t('reg.uri'), html`<a href="${r.uri}">${r.uri}</a>`],
        ])}
      </section>
      <section aria-labelledby="h-purposes">
        <h2 id="h-purposes">${t('reg.purposes')}</h2>
        ${r.purposes.length ? html`<ol class="purposes">${r.purposes.map((p) => html`<li id="${p.id}">${txt(p)} <span class="muted small">${p.id}</span></li>`)}</ol>` : html`<p class="warning-text">${t('reg.no_purposes')}</p>`}
        <h2 id="h-disclosure">${t('reg.disclosure')}</h2>
        ${dl([
          [t('reg.decided_by'), r.disclosure?.decided_by],
          [t('reg.contact'), r.disclosure?.contact],
          [t('reg.lead_time'), r.disclosure?.lead_time],
          [t('reg.url'), r.disclosure?.url ? html`<a href="${r.disclosure.url}" rel="noopener">${r.disclosure.url}</a>` : ''],
          [t('reg.notes'), r.disclosure?.notes],
        ])}
      </section>
    </div>
    <section aria-labelledby="h-coverage">
      <h2 id="h-coverage">${t('reg.coverage')}</h2>
      ${r.coverage.length ? html`<table class="data"><thead><tr><th scope="col">${t('reg.cov_value')}</th><th scope="col">${t('reg.cov_period')}</th><th scope="col">${t('reg.cov_level')}</th><th scope="col">${t('reg.cov_method')}</th><th scope="col">${t('reg.cov_denominator')}</th></tr></thead>
        <tbody>${r.coverage.map((c) => html`<tr><td class="num">${c.value === null ? t('unknown') : pct(c.value)}</td><td>${date(c.period_start)} – ${date(c.period_end)}</td><td>${c.level}</td><td>${c.method}</td><td>${c.denominator_source}</td></tr>`)}</tbody></table>`
        : html`<p>${t('reg.no_coverage')}</p>`}
    </section>
    <section aria-labelledby="h-datasets">
      <h2 id="h-datasets">${t('reg.datasets')}</h2>
      <table class="data"><thead><tr><th scope="col">${t('reg.dataset')}</th><th scope="col">${t('reg.unit_type')}</th><th scope="col">${t('reg.period')}</th><th scope="col" class="num">${t('reg.variables')}</th></tr></thead>
        <tbody>${r.datasets.map((d) => html`<tr><td>${txt(d.name) || d.id} <code>${d.id}</code>${txt(d.description) ? html`<div class="small muted">${txt(d.description)}</div>` : ''}</td><td>${d.unit_type}</td>
          <td>${date(d.temporal_coverage?.start)} – ${d.temporal_coverage?.end ? date(d.temporal_coverage.end) : t('ongoing')}</td><td class="num">${num(counts.get(d.id) || 0)}</td></tr>`)}</tbody></table>
    </section>
    <section aria-labelledby="h-completeness">
      <h2 id="h-completeness">${t('reg.completeness')}</h2>
      <div class="completeness">
        ${raw(barChart({ title: t('reg.completeness'), max: 100, format: pct, items: [
          { label: t('reg.with_definition'), segments: [{ value: total ? 100 * (total - noDef.length) / total : 0, cls: 'bar-approved' }], valueText: `${num(total - noDef.length)} / ${num(total)}` },
          { label: t('reg.with_unit'), segments: [{ value: numeric ? 100 * (numeric - noUnit.length) / numeric : 100, cls: 'bar-approved' }], valueText: `${num(numeric - noUnit.length)} / ${num(numeric)}` },
          { label: t('reg.with_mapping'), segments: [{ value: total ? 100 * (total - noMap.length) / total : 0, cls: 'bar-approved' }], valueText: `${num(total - noMap.length)} / ${num(total)}` },
        ] }))}
        ${[['no_definition', noDef], ['no_unit', noUnit], ['no_mapping', noMap]].map(([k, list]) => html`
          <details class="incomplete" data-kind="${k}"><summary>${t('reg.' + k, { n: num(list.length) })}</summary>
            ${list.length ? html`<ul class="columns">${list.map((x) => html`<li><a href="${variableHref(x.v.id)}">${x.label || x.v.name}</a> <code>${x.v.dataset}/${x.v.name}</code></li>`)}</ul>` : html`<p>${t('reg.none_missing')}</p>`}
          </details>`)}
      </div>
    </section>
    <section aria-labelledby="h-variables">
      <h2 id="h-variables">${t('reg.variables')} (<span id="var-count">${num(total)}</span>)</h2>
      <div class="table-tools">
        <label>${t('reg.filter')} <input id="var-filter" type="search" autocomplete="off"></label>
        <label>${t('reg.dataset')} <select id="ds-filter"><option value="">${t('all')}</option>${r.datasets.map((d) => html`<option value="${d.id}">${txt(d.name) || d.id}</option>`)}</select></label>
      </div>
      <div class="table-scroll"><table class="data sortable" id="variables-table">
        <thead><tr>${[['name', t('var.name')], ['label', t('var.label')], ['dataset', t('reg.dataset')], ['datatype', t('var.datatype')], ['unit', t('var.unit')], ['mapping', t('var.mapping')]]
          .map(([k, l]) => html`<th scope="col" aria-sort="none" data-key="${k}"><button type="button" class="sort" data-key="${k}">${l}<span class="sort-icon" aria-hidden="true"></span></button></th>`)}</tr></thead>
        <tbody></tbody></table></div>
    </section>
    <section aria-labelledby="h-exports">
      <h2 id="h-exports">${t('reg.exports')}</h2>
      <ul class="exports">${EXPORTS.map((f) => html`<li><a class="button secondary" href="/api/registers/${encodeURIComponent(id)}/export/${f}" download data-format="${f}">${t('export.' + f)}</a></li>`)}</ul>
    </section>`);

  const sort = { key: '', dir: 1 };
  const tbody = $('#variables-table tbody', view);
  const filterInput = $('#var-filter', view), dsSelect = $('#ds-filter', view);
  const draw = () => {
    const f = fold(filterInput.value.trim());
    const ds = dsSelect.value;
    let list = rows.filter((x) => (!ds || x.v.dataset === ds) &&
      (!f || [x.v.name, x.label, txt(x.v.definition), x.v.label.en].some((s) => fold(s).includes(f))));
    if (sort.key) {
      const val = (x) => ({ name: x.v.name, label: x.label, dataset: x.dataset, datatype: enumLabel('datatype', x.v.datatype), unit: x.v.unit, mapping: x.mapping ? t('status.' + x.mapping) : '' }[sort.key]);
      list = [...list].sort((a, b) => sort.dir * collator.compare(val(a), val(b)) || collator.compare(a.v.name, b.v.name));
    }
    $('#var-count', view).textContent = list.length === total ? num(total) : `${num(list.length)} / ${num(total)}`;
    setHtml(tbody, list.map((x) => html`<tr>
      <td><a href="${variableHref(x.v.id)}"><code>${x.v.name}</code></a></td>
      <td class="label-cell">${x.label}${x.v.valid_to ? html` <span class="badge">${t('var.closed')}</span>` : ''}</td>
      <td>${x.dataset}</td><td>${enumLabel('datatype', x.v.datatype)}</td><td>${x.v.unit}</td>
      <td>${x.mapping ? html`<span class="badge status-${x.mapping}">${t('status.' + x.mapping)}</span>` : html`<span class="muted">–</span>`}</td></tr>`));
  };
  for (const b of $$('button.sort', view)) {
    b.addEventListener('click', () => {
      sort.dir = sort.key === b.dataset.key ? -sort.dir : 1;
      sort.key = b.dataset.key;
      for (const th of $$('#variables-table th', view))
        th.setAttribute('aria-sort', th.dataset.key === sort.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
      draw();
    });
  }
  filterInput.addEventListener('input', debounce(draw, 100));
  dsSelect.addEventListener('change', draw);
  draw();
}

export function leave() { setJsonLd(''); }

// The register's schema.org Dataset JSON-LD in the page head while its page is shown, for
// crawlers that run JavaScript (the server-rendered /registers/{id} page carries it too).
async function setJsonLd(registerId) {
  document.getElementById('schema-org')?.remove();
  if (!registerId) return;
  const r = await fetch('/api/registers/' + encodeURIComponent(registerId) + '/export/schema-org');
  if (!r.ok) return;
  const body = await r.text();
  if (!location.hash.startsWith('#register/')) return; // left the page meanwhile
  document.getElementById('schema-org')?.remove();
  const el = document.createElement('script');
  el.type = 'application/ld+json';
  el.id = 'schema-org';
  el.textContent = body;
  document.head.appendChild(el);
}

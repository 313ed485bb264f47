// Variable page: what the variable means, its code list, its versions with diffs, its concept
// bindings, the compatible variables in other registers, and (with rights) an edit form.
import { api, can } from '../api.js';
import { t, txt, num, date, getLang, label as enumLabel } from '../i18n.js';
import { html, setHtml, $, $$, variableHref, registerHref, toast } from '../dom.js';

const DIFF_FIELDS = ['label', 'definition', 'question', 'datatype', 'unit', 'min', 'max', 'format', 'codelist',
  'missing_codes', 'mandatory', 'source', 'identifier_class', 'category', 'calculation', 'aliases'];

export async function render(view, route) {
  const [reg, ds, name] = route.segments;
  const id = [reg, ds, name].join('/');
  const path = '/api/variables/' + [reg, ds, name].map(encodeURIComponent).join('/');
  // The variable with its ETag: an edit sends it back as If-Match (the server requires it).
  const [read, hist, maps, regInfo] = await Promise.all([
    api(path, {withHeaders: true}),
    api(path + '/history'),
    api('/api/mappings?' +
        new URLSearchParams({register: reg, dataset: ds, variable: name, limit: 1000}))
        .catch(() => ({mappings: []})),
    api('/api/registers/' + encodeURIComponent(reg)).catch(() => null),
  ]);
  if (!view.isConnected) return;
  const v = read.data, etag = read.headers.get('ETag');
  document.title = (txt(v.label) || v.name) + ' – regcat';
  const dsInfo = regInfo?.datasets.find((d) => d.id === ds);
  const varMaps = maps.mappings.filter((m) => !m.code);
  const codeMaps = new Map();
  for (const m of maps.mappings.filter((m) => m.code)) {
    if (!codeMaps.has(m.code)) codeMaps.set(m.code, []);
    codeMaps.get(m.code).push(m);
  }
  const versions = hist.versions;
  const fact = (k, val) => (val === '' || val === null || val === undefined || (Array.isArray(val) && !val.length) ? '' : html`<dt>${k}</dt><dd>${val}</dd>`);
  setHtml(view, html`
    <nav class="breadcrumb" aria-label="${t('breadcrumb')}"><a href="#">${t('nav.search')}</a> ›
      <a href="${registerHref(reg)}">${regInfo ? txt(regInfo.name) : reg}</a> › <span>${dsInfo ? txt(dsInfo.name) : ds}</span> ›
      <span aria-current="page">${v.name}</span></nav>
    <h1>${txt(v.label) || v.name} <code class="h1-code">${v.name}</code></h1>
    ${v.valid_to ? html`<p class="notice">${t('var.closed_since', { d: date(v.valid_to) })}</p>` : ''}
    ${txt(v.definition) ? html`<p class="lead" id="definition">${txt(v.definition)}</p>` : html`<p class="warning-text">${t('var.no_definition')}</p>`}
    <div class="two-col">
      <section aria-labelledby="h-about">
        <h2 id="h-about">${t('var.about')}</h2>
        <dl class="facts">
          ${fact(t('var.id'), html`<code>${v.id}</code>`)}
          ${fact(t('var.question'), txt(v.question))}
          ${fact(t('var.datatype'), enumLabel('datatype', v.datatype))}
          ${fact(t('var.unit'), v.unit)}
          ${fact(t('var.range'), v.min !== null || v.max !== null ? `${v.min ?? ''} – ${v.max ?? ''}` : '')}
          ${fact(t('var.format'), v.format)}
          ${fact(t('var.codelist'), v.codelist)}
          ${fact(t('var.identifier_class'), enumLabel('identifier_class', v.identifier_class))}
          ${fact(t('var.category'), v.category ? enumLabel('category', v.category) : '')}
          ${fact(t('var.source'), v.source ? enumLabel('source', v.source) : '')}
          ${fact(t('var.mandatory'), v.mandatory ? t('yes') : t('no'))}
          ${fact(t('var.calculation'), v.calculation)}
          ${fact(t('var.aliases'), v.aliases.join(', '))}
          ${fact(t('var.validity'), `${date(v.valid_from)} – ${v.valid_to ? date(v.valid_to) : t('ongoing')}`)}
          ${fact(t('var.version'), `${num(v.version)} ${t('var.of')} ${num(versions.length)}`)}
          ${fact(t('var.uri'), html`<a href="${v.uri}">${v.uri}</a>`)}
        </dl>
      </section>
      <section aria-labelledby="h-bindings">
        <h2 id="h-bindings">${t('var.bindings')}</h2>
        ${varMaps.length ? mappingTable(varMaps) : html`<p>${t('var.no_bindings')}</p>`}
        ${can.curate(reg) || can.review() ? html`<p><a href="#workbench?variable=${encodeURIComponent(id)}">${t('var.open_workbench')}</a></p>` : ''}
      </section>
    </div>
    ${v.codes && v.codes.length ? html`<section aria-labelledby="h-codes">
      <h2 id="h-codes">${t('var.codes')} <span class="muted small">${v.codelist}</span></h2>
      <table class="data"><thead><tr><th scope="col">${t('var.code')}</th><th scope="col">${t('var.code_label')}</th><th scope="col">${t('var.code_missing')}</th><th scope="col">${t('var.code_concept')}</th></tr></thead>
      <tbody>${v.codes.map((c) => html`<tr><td><code>${c.code}</code></td><td>${txt(c.label)}</td><td>${c.is_missing ? t('var.missing_value') : ''}</td>
        <td>${(codeMaps.get(c.code) || []).map((m) => html`<div>${conceptRef(m)} <span class="badge status-${m.status}">${t('status.' + m.status)}</span></div>`)}</td></tr>`)}</tbody></table>
    </section>` : ''}
    ${v.missing_codes && v.missing_codes.length ? html`<section aria-labelledby="h-missing"><h2 id="h-missing">${t('var.missing_codes')}</h2>
      <ul>${v.missing_codes.map((m) => html`<li><code>${m.code}</code> ${txt(m.label)}</li>`)}</ul></section>` : ''}
    <section aria-labelledby="h-history">
      <h2 id="h-history">${t('var.history')}</h2>
      <ol class="timeline" id="timeline">${[...versions].reverse().map((x, i, arr) => {
        const prev = arr[i + 1];
        const changes = prev ? diff(prev, x) : [];
        return html`<li class="${x.version === v.version ? 'current' : ''}">
          <div class="tl-head"><strong>${t('var.version')} ${x.version}</strong> · ${date(x.valid_from)} – ${x.valid_to ? date(x.valid_to) : t('ongoing')}
            ${x.provenance && x.provenance.source_file ? html`<span class="muted small"> · ${x.provenance.source_file}</span>` : ''}</div>
          ${prev ? (changes.length ? diffTable(changes, prev.version, x.version) : html`<p class="muted small">${t('var.no_changes')}</p>`) : html`<p class="muted small">${t('var.first_version')}</p>`}
        </li>`;
      })}</ol>
      ${versions.length > 2 ? html`<div class="compare-versions">
        <label>${t('var.compare_from')} <select id="cmp-a">${versions.map((x) => html`<option value="${x.version}">${x.version}</option>`)}</select></label>
        <label>${t('var.compare_to')} <select id="cmp-b">${versions.map((x) => html`<option value="${x.version}" ${x.version === v.version ? 'selected' : ''}>${x.version}</option>`)}</select></label>
        <div id="cmp-out"></div></div>` : ''}
    </section>
    <section aria-labelledby="h-compat">
      <h2 id="h-compat">${t('var.compatible')}</h2>
      <div id="compat" aria-live="polite"><p class="muted">${t('loading')}</p></div>
    </section>
    ${can.editRegister(reg) ? editForm(v) : ''}`);

  // Compare any two versions.
  const a = $('#cmp-a', view), b = $('#cmp-b', view);
  if (a && b) {
    const show = () => {
      const va = versions.find((x) => String(x.version) === a.value), vb = versions.find((x) => String(x.version) === b.value);
      const ch = diff(va, vb);
      setHtml($('#cmp-out', view), ch.length ? diffTable(ch, va.version, vb.version) : html`<p>${t('var.no_changes')}</p>`);
    };
    a.addEventListener('change', show);
    b.addEventListener('change', show);
    show();
  }
  bindEdit(view, v, etag, path);
  renderCompatible($('#compat', view), v, varMaps).catch((e) => setHtml($('#compat', view), html`<p class="error">${e.message}</p>`));
}

function conceptRef(m) {
  if (m.no_match) return html`<span class="muted">${t('map.no_match')}</span>`;
  return html`<span class="concept-ref" title="${m.system}">${m.concept_label || m.concept_id} <code class="small">${m.concept_id}</code></span>`;
}

function mappingTable(list) {
  return html`<table class="data" id="bindings"><thead><tr><th scope="col">${t('map.concept')}</th><th scope="col">${t('map.predicate')}</th><th scope="col">${t('map.status')}</th><th scope="col">${t('map.people')}</th></tr></thead>
    <tbody>${list.map((m) => html`<tr data-mapping="${m.id}"><td>${conceptRef(m)}</td><td>${t('pred.' + m.predicate)}</td>
      <td><span class="badge status-${m.status}">${t('status.' + m.status)}</span>${m.flag ? html` <span class="badge flag" title="${m.flag.reason || ''}">${t('map.flagged')}</span>` : ''}</td>
      <td class="small">${m.author || ''}${m.reviewer ? ' → ' + m.reviewer : ''}</td></tr>`)}</tbody></table>`;
}

const show = (val) => {
  if (val === null || val === undefined || val === '') return '–';
  if (Array.isArray(val)) return val.length ? val.map((x) => (typeof x === 'object' ? x.code + (x.label ? ' ' + txt(x.label) : '') : x)).join(', ') : '–';
  if (typeof val === 'object') return [val.sv, val.en].filter(Boolean).join(' / ') || '–';
  if (typeof val === 'boolean') return val ? t('yes') : t('no');
  return String(val);
};

function diff(a, b) {
  const out = [];
  for (const f of DIFF_FIELDS) {
    const x = JSON.stringify(a[f] ?? null), y = JSON.stringify(b[f] ?? null);
    if (x !== y) out.push({ field: f, from: show(a[f]), to: show(b[f]) });
  }
  return out;
}

const diffTable = (changes, va, vb) => html`<table class="data diff"><thead><tr><th scope="col">${t('var.field')}</th>
  <th scope="col">${t('var.version')} ${va}</th><th scope="col">${t('var.version')} ${vb}</th></tr></thead>
  <tbody>${changes.map((c) => html`<tr><th scope="row">${t('field.' + c.field)}</th><td><del>${c.from}</del></td><td><ins>${c.to}</ins></td></tr>`)}</tbody></table>`;

async function renderCompatible(box, v, varMaps) {
  const concepts = [...new Set(varMaps.filter((m) => m.status === 'approved' && !m.no_match &&
    (m.predicate === 'skos:exactMatch' || m.predicate === 'skos:closeMatch')).map((m) => m.concept_id))];
  if (!concepts.length) {
    setHtml(box, html`<p>${t('var.compat_none_bound')}</p>`);
    return;
  }
  const m = await api('/api/harmonisation/matrix?' + new URLSearchParams({ concepts: concepts.join(','), limit: 50 }));
  const cands = new Map();
  for (const row of m.rows)
    row.cells.forEach((cell, i) => {
      for (const x of cell.variables)
        if (x.variable !== v.id && m.columns[i].register !== v.register && !cands.has(x.variable))
          cands.set(x.variable, { ...x, register: m.columns[i].register, register_name: m.columns[i].name, row: row.label });
    });
  if (!box.isConnected) return;
  if (!cands.size) {
    setHtml(box, html`<p>${t('var.compat_none')}</p>`);
    return;
  }
  const list = [...cands.values()].slice(0, 20);
  const results = await Promise.all(list.map((c) => api('/api/compatibility?' + new URLSearchParams({ a: v.id, b: c.variable }))
    .then((r) => ({ c, r: r.result })).catch((e) => ({ c, error: e.message }))));
  if (!box.isConnected) return;
  const order = { identical: 0, compatible: 1, partial: 2, incompatible: 3, unknown: 4 };
  results.sort((x, y) => (order[x.r?.grade] ?? 5) - (order[y.r?.grade] ?? 5));
  const lang = getLang();
  setHtml(box, html`<table class="data" id="compat-table"><thead><tr><th scope="col">${t('var.other_variable')}</th><th scope="col">${t('var.register')}</th><th scope="col">${t('compat.grade')}</th><th scope="col">${t('compat.reasons')}</th></tr></thead>
    <tbody>${results.map(({ c, r, error }) => html`<tr>
      <td><a href="${variableHref(c.variable)}">${c.label}</a><div class="small"><code>${c.variable}</code></div></td>
      <td>${c.register_name}</td>
      <td>${r ? html`<span class="grade grade-${r.grade}">${t('grade.' + r.grade)}</span>` : html`<span class="error">${error}</span>`}</td>
      <td>${r ? html`<ul class="reasons">${r.reasons.map((x) => html`<li>${x[lang] || x.sv}</li>`)}</ul>${r.transform && (r.transform[lang] || r.transform.sv) ? html`<p class="small"><strong>${t('compat.transform')}:</strong> ${r.transform[lang] || r.transform.sv}</p>` : ''}` : ''}</td>
    </tr>`)}</tbody></table>`);
}

function editForm(v) {
  const f = (name, labelKey, value, area = false) => html`<div class="field"><label for="ed-${name}">${t(labelKey)}</label>
    ${area ? html`<textarea id="ed-${name}" name="${name}" rows="3">${value}</textarea>` : html`<input id="ed-${name}" name="${name}" value="${value}">`}</div>`;
  return html`<section aria-labelledby="h-edit" class="edit-section"><h2 id="h-edit">${t('edit.title')}</h2>
    <details id="edit-details"><summary>${t('edit.open')}</summary>
    <form id="edit-form" class="form-grid">
      ${f('label_sv', 'edit.label_sv', v.label.sv)}${f('label_en', 'edit.label_en', v.label.en)}
      ${f('definition_sv', 'edit.definition_sv', v.definition.sv, true)}${f('definition_en', 'edit.definition_en', v.definition.en, true)}
      ${f('question_sv', 'edit.question_sv', v.question.sv, true)}${f('unit', 'var.unit', v.unit)}
      <div class="field"><label for="ed-effective">${t('edit.effective')}</label><input id="ed-effective" name="effective" type="date"></div>
      <p class="hint">${t('edit.hint')}</p>
      <div class="actions"><button type="submit">${t('edit.save')}</button></div>
      <p id="edit-result" role="status"></p>
    </form></details></section>`;
}

function bindEdit(view, v, etag, path) {
  const form = $('#edit-form', view);
  if (!form) return;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = $('#edit-result', view);
    const fd = new FormData(form);
    try {
      // The PUT replaces the definition: start from the version this page shows, and let the
      // server refuse it (412) if someone changed the variable meanwhile (If-Match = the ETag
      // this page read; without it the server answers 428).
      const body = { ...v };
      for (const k of ['valid_from', 'codes', 'register_name', 'dataset_name']) delete body[k];
      body.label = { sv: fd.get('label_sv'), en: fd.get('label_en') };
      body.definition = { sv: fd.get('definition_sv'), en: fd.get('definition_en') };
      body.question = { sv: fd.get('question_sv'), en: v.question.en };
      body.unit = fd.get('unit');
      const eff = fd.get('effective');
      let saved;
      try {
        saved = await api(
            path + (eff ? '?effective_date=' + eff : ''),
            {method: 'PUT', body, headers: {'If-Match': etag}});
      } catch (e) {
        if (e.status === 412) {
          const now = await api(path);
          throw new Error(t('edit.conflict', { n: now.version }));
        }
        throw e;
      }
      toast(t('edit.saved', { n: saved.version }), 'ok');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (err) {
      out.textContent = err.message;
      out.className = 'error';
    }
  });
}

// Harmonisation matrix: concepts (rows) by registers (columns), colour-coded by grade, with
// drill-down. Rows come from the API page by page as they scroll into view, and only the
// visible rows and columns are in the DOM, so 300 concepts x 150 registers stay responsive.
import { api, cached } from '../api.js';
import { t, txt, num, getLang, collator } from '../i18n.js';
import { html, raw, setHtml, $, $$, variableHref, debounce } from '../dom.js';

const ROW_H = 30, COL_W = 34, LABEL_W = 300, HEAD_H = 140, PAGE = 25, OVER_R = 6, OVER_C = 3;

export async function render(view, route) {
  document.title = t('mx.title') + ' – regcat';
  const p = route.params;
  const query = new URLSearchParams();
  for (const k of ['concepts', 'topic', 'registers', 'system']) if (p.get(k)) query.set(k, p.get(k));
  const regs = await cached('/api/registers');
  const chosen = (p.get('registers') || '').split(',').filter(Boolean);
  setHtml(view, html`
    <h1>${t('mx.title')}</h1>
    <p class="lead">${t('mx.intro')}</p>
    <form id="mx-form" class="mx-controls">
      <div class="field"><label for="mx-topic">${t('mx.topic')}</label>
        <input id="mx-topic" type="search" autocomplete="off" placeholder="${t('mx.topic_placeholder')}" value="${p.get('topic') || p.get('concepts') || ''}" aria-describedby="mx-topic-hint">
        <span id="mx-topic-hint" class="hint">${t('mx.topic_hint')}</span>
        <ul id="mx-topic-hits" class="plain concept-hits"></ul></div>
      <fieldset class="mx-regs"><legend>${t('mx.registers')}</legend>
        ${[...regs.registers].sort((a, b) => collator.compare(txt(a.name), txt(b.name))).map((r) => html`<label class="inline"><input type="checkbox" name="reg" value="${r.id}" ${chosen.includes(r.id) ? raw('checked') : ''}> ${txt(r.name)}</label>`)}
        <button type="submit" class="secondary">${t('mx.apply')}</button>
        ${query.toString() ? html`<a href="#matrix">${t('mx.reset')}</a>` : ''}
      </fieldset>
    </form>
    <div class="mx-legend" aria-hidden="true"><span class="cell grade-identical"></span> ${t('grade.identical')}
      <span class="cell grade-partial"></span> ${t('grade.partial')} <span class="cell grade-none"></span> ${t('mx.none')}</div>
    <p id="mx-summary" role="status"></p>
    <div id="mx-scroller" class="mx-scroller" tabindex="-1"><div id="mx-sizer" class="mx-sizer">
      <div id="mx-head" class="mx-head"></div><div id="mx-rows"></div></div></div>
    <p class="small"><a id="mx-csv" href="/api/harmonisation/matrix?${query.toString() ? query + '&' : ''}format=csv" download>${t('mx.csv')}</a> · ${t('mx.keys')}</p>
    <section id="mx-drill" class="mx-drill" aria-live="polite"></section>`);

  // Controls: topic search (a concept code, or a search among concepts) and register columns.
  const topic = $('#mx-topic', view), hits = $('#mx-topic-hits', view);
  topic.addEventListener('input', debounce(async () => {
    const q = topic.value.trim();
    if (!q || /^\d+$/.test(q)) { setHtml(hits, ''); return; }
    const r = await api('/api/terminology/concepts?' + new URLSearchParams({ q, limit: 6 })).catch(() => ({ concepts: [] }));
    setHtml(hits, r.concepts.map((c) => html`<li><button type="button" class="link-button" data-code="${c.code}">${c.term}</button> <code class="small">${c.code}</code></li>`));
    for (const b of $$('button', hits)) b.addEventListener('click', () => { topic.value = b.dataset.code; setHtml(hits, ''); });
  }, 200));
  $('#mx-form', view).addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    const tv = topic.value.trim();
    if (/^\d+$/.test(tv)) q.set('topic', tv);
    const rs = $$('input[name=reg]:checked', view).map((x) => x.value);
    if (rs.length) q.set('registers', rs.join(','));
    location.hash = '#matrix' + (q.toString() ? '?' + q : '');
  });

  const pages = new Map();
  const first = await api('/api/harmonisation/matrix?' + new URLSearchParams({ ...Object.fromEntries(query), limit: PAGE, offset: 0 }));
  if (!view.isConnected) return;
  pages.set(0, first.rows);
  const cols = first.columns;
  const total = first.total_rows;
  $('#mx-summary', view).textContent = t('mx.summary', { r: num(total), c: num(cols.length) });
  if (!total) { setHtml($('#mx-drill', view), html`<p>${t('mx.empty')}</p>`); $('#mx-scroller', view).hidden = true; return; }

  const scroller = $('#mx-scroller', view), sizer = $('#mx-sizer', view), head = $('#mx-head', view), rowsBox = $('#mx-rows', view);
  sizer.style.width = LABEL_W + cols.length * COL_W + 'px';
  sizer.style.height = HEAD_H + total * ROW_H + 'px';
  scroller.style.height = Math.min(HEAD_H + total * ROW_H + 20, Math.max(320, window.innerHeight * 0.65)) + 'px';
  const loading = new Set();
  const rowAt = (i) => pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  const ensure = (pi) => {
    if (pages.has(pi) || loading.has(pi)) return;
    loading.add(pi);
    api('/api/harmonisation/matrix?' + new URLSearchParams({ ...Object.fromEntries(query), limit: PAGE, offset: pi * PAGE }))
      .then((m) => { pages.set(pi, m.rows); loading.delete(pi); schedule(); })
      .catch(() => loading.delete(pi));
  };
  let focus = { r: -1, c: -1 };
  let raf = 0;
  const schedule = () => { if (!raf) raf = requestAnimationFrame(() => { raf = 0; draw(); }); };
  const draw = () => {
    if (!view.isConnected) return;
    const top = scroller.scrollTop, left = scroller.scrollLeft;
    const r0 = Math.max(0, Math.floor((top - 0) / ROW_H) - OVER_R);
    const r1 = Math.min(total, Math.ceil((top + scroller.clientHeight - HEAD_H) / ROW_H) + OVER_R);
    const c0 = Math.max(0, Math.floor(left / COL_W) - OVER_C);
    const c1 = Math.min(cols.length, Math.ceil((left + scroller.clientWidth - LABEL_W) / COL_W) + OVER_C);
    for (let pi = Math.floor(r0 / PAGE); pi <= Math.floor(Math.max(r0, r1 - 1) / PAGE); pi++) ensure(pi);
    const spacer = `<span class="mx-spacer" style="width:${c0 * COL_W}px"></span>`;
    setHtml(head, html`<div class="mx-corner" style="width:${LABEL_W}px">${t('mx.concept_col')}</div>${raw(spacer)}${cols.slice(c0, c1).map((c, j) =>
      html`<div class="mx-colhead" style="width:${COL_W}px" title="${c.name}"><span>${c.name}</span></div>`)}`);
    const out = [];
    for (let i = r0; i < r1; i++) {
      const row = rowAt(i);
      const y = HEAD_H + i * ROW_H;
      if (!row) { out.push(`<div class="mx-row loading" style="top:${y}px"><div class="mx-label" style="width:${LABEL_W}px">…</div></div>`); continue; }
      out.push(html`<div class="mx-row" role="row" style="top:${y}px"><div class="mx-label" role="rowheader" style="width:${LABEL_W}px" title="${row.label} (${row.concept_id})">${row.label} <span class="muted small">${row.registers_covered}/${cols.length}</span></div>${raw(spacer)}${row.cells.slice(c0, c1).map((cell, j) => {
        const c = c0 + j;
        const g = cell.grade || 'none';
        return html`<button type="button" class="cell grade-${g}" data-r="${i}" data-c="${c}" tabindex="${focus.r === i && focus.c === c ? 0 : -1}" style="width:${COL_W}px"
          aria-label="${row.label}, ${cols[c].name}: ${t(cell.grade ? 'grade.' + cell.grade : 'mx.none')}${cell.variables.length ? ', ' + t('mx.n_variables', { n: cell.variables.length }) : ''}">${cell.variables.length > 1 ? cell.variables.length : ''}</button>`;
      })}</div>`.toString());
    }
    rowsBox.innerHTML = out.join('');
    if (focus.r < 0) { const b = rowsBox.querySelector('.cell'); if (b) b.tabIndex = 0; }
  };
  scroller.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule, { passive: true });
  rowsBox.addEventListener('click', (e) => {
    const b = e.target.closest('.cell');
    if (!b) return;
    focus = { r: Number(b.dataset.r), c: Number(b.dataset.c) };
    drill($('#mx-drill', view), rowAt(focus.r), cols, focus.c);
  });
  rowsBox.addEventListener('keydown', (e) => {
    const b = e.target.closest('.cell');
    if (!b) return;
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], PageDown: [10, 0], PageUp: [-10, 0] }[e.key];
    if (!d) return;
    e.preventDefault();
    const r = Math.max(0, Math.min(total - 1, Number(b.dataset.r) + d[0]));
    const c = Math.max(0, Math.min(cols.length - 1, Number(b.dataset.c) + d[1]));
    focus = { r, c };
    // Scroll the cell into view, draw, then focus it.
    const y = r * ROW_H, x = c * COL_W;
    const visH = scroller.clientHeight - HEAD_H, visW = scroller.clientWidth - LABEL_W;
    if (y < scroller.scrollTop) scroller.scrollTop = y;
    else if (y + ROW_H > scroller.scrollTop + visH) scroller.scrollTop = y + ROW_H - visH;
    if (x < scroller.scrollLeft) scroller.scrollLeft = x;
    else if (x + COL_W > scroller.scrollLeft + visW) scroller.scrollLeft = x + COL_W - visW;
    draw();
    rowsBox.querySelector(`.cell[data-r="${r}"][data-c="${c}"]`)?.focus();
  });
  draw();
  if (p.get('concepts') && first.rows.length === 1) drill($('#mx-drill', view), first.rows[0], cols, -1);
}

function drill(box, row, cols, c) {
  if (!row) return;
  const lang = getLang();
  const withVars = row.cells.map((cell, i) => ({ cell, col: cols[i], i })).filter((x) => x.cell.variables.length);
  const show = c >= 0 ? withVars.filter((x) => x.i === c).concat(withVars.filter((x) => x.i !== c)) : withVars;
  setHtml(box, html`<h2>${row.label} <code class="small">${row.concept_id}</code> ${row.semantic_tag ? html`<span class="muted small">(${row.semantic_tag})</span>` : ''}</h2>
    <p>${t('mx.drill_summary', { n: num(row.variables), r: num(row.registers_covered) })}</p>
    ${c >= 0 && !row.cells[c].variables.length ? html`<p class="notice">${t('mx.cell_empty', { r: cols[c].name })}</p>` : ''}
    <table class="data"><thead><tr><th scope="col">${t('var.register')}</th><th scope="col">${t('var.variable')}</th><th scope="col">${t('compat.grade')}</th><th scope="col">${t('compat.reasons')}</th></tr></thead>
    <tbody>${show.flatMap(({ cell, col }) => cell.variables.map((v) => html`<tr>
      <td>${col.name}</td><td><a href="${variableHref(v.variable)}">${v.label}</a><div class="small"><code>${v.variable}</code> ${v.datatype}${v.unit ? ' · ' + v.unit : ''}</div></td>
      <td><span class="grade grade-${v.grade}">${t('grade.' + v.grade)}</span></td>
      <td class="small">${v.grade === 'identical' ? t('mx.reason_identical', { p: t('pred.' + v.predicate) }) : v.concept_id !== row.concept_id ? t('mx.reason_below', { c: v.concept_id, p: t('pred.' + v.predicate) }) : t('mx.reason_close')}</td></tr>`))}</tbody></table>
    ${withVars.length > 1 ? html`<button type="button" id="mx-compare" class="secondary">${t('mx.compare')}</button><div id="mx-pairs"></div>` : ''}`);
  $('#mx-compare', box)?.addEventListener('click', async () => {
    const ref = show[0].cell.variables[0].variable;
    const others = show.slice(1).map((x) => x.cell.variables[0].variable);
    const out = $('#mx-pairs', box);
    setHtml(out, html`<p class="muted">${t('loading')}</p>`);
    const res = await Promise.all(others.map((b) => api('/api/compatibility?' + new URLSearchParams({ a: ref, b })).then((r) => r).catch((e) => ({ a: ref, b, error: e.message }))));
    setHtml(out, html`<h3>${t('mx.pairs', { v: ref })}</h3><ul class="plain">${res.map((r) => html`<li><code>${r.b}</code>: ${r.result ? html`<span class="grade grade-${r.result.grade}">${t('grade.' + r.result.grade)}</span>
      <ul class="reasons small">${r.result.reasons.map((x) => html`<li>${x[lang] || x.sv}</li>`)}</ul>` : html`<span class="error">${r.error}</span>`}</li>`)}</ul>`);
  });
  box.scrollIntoView({ block: 'nearest' });
}

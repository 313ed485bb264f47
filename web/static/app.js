// A minimal search-first page over the REST API: live variable search with register facets,
// the register list, and a variable's detail with code list and versions. Plain JS, no build.
const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) =>
  ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const sv = (t) => (t && (t.sv || t.en)) || '';
const fmt = new Intl.NumberFormat('sv-SE');
let registerFilter = '';
let timer = null;

async function api(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error((await r.json()).detail || r.statusText);
  return r.json();
}

async function loadRegisters() {
  const data = await api('/api/registers');
  $('#register-list').innerHTML = data.registers.map((r) => `
    <li class="reg"><a href="#register/${encodeURIComponent(r.id)}">${esc(sv(r.name))}</a>
    <div class="meta">CPUA: ${esc(r.cpua)} · ${fmt.format(r.variable_count)} variabler ·
    ${fmt.format(r.dataset_count)} dataset</div></li>`).join('');
}

async function search() {
  const q = $('#q').value.trim();
  if (!q) { $('#results').innerHTML = ''; $('#registers').hidden = false; return; }
  $('#registers').hidden = true;
  const params = new URLSearchParams({ q, limit: 50 });
  if (registerFilter) params.set('register', registerFilter);
  const data = await api('/api/variables?' + params);
  const facets = (data.facets.register || []).map((f) => `
    <button type="button" aria-pressed="${f.value === registerFilter}" data-register="${esc(f.value)}">
      ${esc(f.value)} (${fmt.format(f.count)})</button>`).join('');
  $('#results').innerHTML = `<p>${fmt.format(data.total)} variabler</p>
    <div class="facets">${facets}</div>
    <ul>${data.variables.map((v) => `
      <li class="hit"><a href="#variable/${v.id.split('/').map(encodeURIComponent).join('/')}">${esc(sv(v.label))}</a>
      <code>${esc(v.name)}</code>
      <div class="meta">${esc(sv(v.register_name))} › ${esc(sv(v.dataset_name))} · ${esc(v.datatype)}
      ${v.unit ? '· ' + esc(v.unit) : ''}</div></li>`).join('')}</ul>`;
  for (const b of document.querySelectorAll('.facets button')) {
    b.addEventListener('click', () => {
      registerFilter = registerFilter === b.dataset.register ? '' : b.dataset.register;
      search();
    });
  }
}

async function showVariable(id) {
  const [v, h] = await Promise.all([api('/api/variables/' + id), api('/api/variables/' + id + '/history')]);
  const codes = (v.codes || []).map((c) => `<tr><td>${esc(c.code)}</td><td>${esc(sv(c.label))}</td>
    <td>${c.is_missing ? 'saknat värde' : ''}</td></tr>`).join('');
  const versions = h.versions.map((x) => `<tr><td>${x.version}</td><td>${esc(x.valid_from)}</td>
    <td>${esc(x.valid_to || 'gäller')}</td><td>${esc(sv(x.label))}</td></tr>`).join('');
  $('#detail').innerHTML = `<h2>${esc(sv(v.label))} <code>${esc(v.name)}</code></h2>
    <p>${esc(sv(v.definition))}</p>
    <table><tr><th>Id</th><td>${esc(v.id)}</td></tr>
    <tr><th>Datatyp</th><td>${esc(v.datatype)} ${esc(v.unit)}</td></tr>
    <tr><th>Identifierare</th><td>${esc(v.identifier_class)}</td></tr>
    <tr><th>Giltig</th><td>${esc(v.valid_from)} – ${esc(v.valid_to || '')}</td></tr></table>
    ${codes ? `<h3>Värdemängd</h3><table>${codes}</table>` : ''}
    <h3>Versioner</h3><table><tr><th>Version</th><th>Från</th><th>Till</th><th>Etikett</th></tr>${versions}</table>`;
}

async function showRegister(id) {
  const [r, vars] = await Promise.all([api('/api/registers/' + id), api('/api/registers/' + id + '/variables')]);
  $('#detail').innerHTML = `<h2>${esc(sv(r.name))}</h2><p>${esc(sv(r.description))}</p>
    <p><strong>CPUA:</strong> ${esc(r.cpua.name)} ${esc(r.cpua.unit)}</p>
    <h3>Ändamål</h3><ol>${r.purposes.map((p) => `<li>${esc(p.sv)}</li>`).join('')}</ol>
    <h3>Variabler</h3><table>${vars.variables.map((v) => `<tr><td><a href="#variable/${v.id
      .split('/').map(encodeURIComponent).join('/')}">${esc(v.name)}</a></td><td>${esc(sv(v.label))}</td>
      <td>${esc(v.datatype)}</td></tr>`).join('')}</table>`;
}

// The register's schema.org Dataset JSON-LD in the page head while its page is shown, for
// crawlers that run JavaScript (the server-rendered /registers/{id} page carries it too).
async function setJsonLd(registerId) {
  document.getElementById('schema-org')?.remove();
  if (!registerId) return;
  const r = await fetch('/api/registers/' + encodeURIComponent(registerId) + '/export/schema-org');
  if (!r.ok) return;
  const el = document.createElement('script');
  el.type = 'application/ld+json';
  el.id = 'schema-org';
  el.textContent = await r.text();
  document.head.appendChild(el);
}

async function route() {
  const [kind, ...rest] = location.hash.slice(1).split('/');
  const detail = $('#detail');
  try {
    if (kind === 'variable') { detail.hidden = false; await showVariable(rest.join('/')); }
    else if (kind === 'register') { detail.hidden = false; await showRegister(rest.join('/')); }
    else detail.hidden = true;
    await setJsonLd(kind === 'register' ? decodeURIComponent(rest.join('/')) : '');
  } catch (e) { detail.hidden = false; detail.textContent = 'Fel: ' + e.message; }
}

$('#q').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 120); });
window.addEventListener('hashchange', route);
loadRegisters();
route();

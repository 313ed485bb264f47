#!/usr/bin/env node
// End-to-end tests of regcat's web app in a real browser (Debian's headless Chromium, driven by
// playwright-core). Starts a real regcat on a free loopback port with a fresh temporary
// database (the demo catalogue), creates the users it needs with the CLI, and walks through the
// pages the way people use them. Screenshots of each main page go to the output folder.
//
//   node tests/browser/e2e.mjs --regcat build/cli/regcat --out build/test-output/browser
//
// Options: --regcat FILE (required), --out DIR (default ./test-output/browser),
// --chromium FILE (default /usr/bin/chromium), --keep (keep the temporary folder).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = resolve(here, '..', '..');

function args() {
  const a = process.argv.slice(2);
  const o = { out: resolve('test-output/browser'), chromium: '/usr/bin/chromium', keep: false };
  const pos = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--regcat') o.regcat = a[++i];
    else if (a[i] === '--out') o.out = a[++i];
    else if (a[i] === '--chromium') o.chromium = a[++i];
    else if (a[i] === '--keep') o.keep = true;
    else pos.push(a[i]);
  }
  if (!o.regcat && pos[0]) o.regcat = pos[0];
  if (pos[1]) o.out = pos[1];
  if (!o.regcat) {
    console.error('usage: node e2e.mjs --regcat PATH-TO-regcat [--out DIR] [--chromium PATH]');
    process.exit(2);
  }
  o.regcat = resolve(o.regcat);
  o.out = resolve(o.out);
  return o;
}

const opt = args();
if (!existsSync(opt.regcat)) { console.error(`regcat binary not found: ${opt.regcat}`); process.exit(2); }
if (!existsSync(opt.chromium)) { console.error(`Chromium not found at ${opt.chromium} (apt-get install chromium)`); process.exit(2); }
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error(`playwright-core is not installed: run 'npm ci --prefix ${join(source, 'tests', 'browser')}' (scripts/test does)`);
  process.exit(2);
}
mkdirSync(opt.out, { recursive: true });
for (const f of readdirSync(opt.out)) if (/\.(png|csv)$/.test(f)) rmSync(join(opt.out, f));
const tmp = mkdtempSync(join(tmpdir(), 'regcat-e2e-'));
const db = join(tmp, 'regcat.db');
const PASSWORDS = { anna: 'anna-admin-pw-1', karin: 'karin-curator-pw-1', bertil: 'bertil-reviewer-pw-1' };

// ------------------------------------------------------------------ helpers

class Failure extends Error {}
function check(cond, message) { if (!cond) throw new Failure(message); }

function cli(argv, input) {
  const r = spawnSync(opt.regcat, [...argv, '--db', db], { input, encoding: 'utf8', env: childEnv() });
  if (r.status !== 0) throw new Error(`regcat ${argv.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

function childEnv() {
  return { ...process.env, REGCAT_WEB_DIR: join(source, 'web', 'static'), REGCAT_DATA_DIR: join(source, 'data') };
}

let serverLog = '';
function startServer() {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(opt.regcat, ['serve', '--db', db, '--port', '0', '--address', '127.0.0.1', '--threads', '4'],
      { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error('regcat did not start within 30 s:\n' + serverLog)), 30000);
    const onData = (d) => {
      serverLog += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(serverLog);
      if (m) { clearTimeout(timer); resolvePromise({ proc: p, base: m[1].replace(/\/$/, '') }); }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`regcat exited (${code}) before listening:\n${serverLog}`)); });
  });
}

async function apiJson(base, path, init = {}) {
  const r = await fetch(base + path, init);
  const text = await r.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: r.status, body };
}

const results = [];
let shotNo = 0;
async function shot(page, name) {
  shotNo += 1;
  const file = join(opt.out, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// ------------------------------------------------------------------ run

const started = Date.now();
let server, browser;
const pageErrors = [];
try {
  server = await startServer();
  const base = server.base;
  console.log(`regcat at ${base}, database ${db}`);
  cli(['user', 'add', 'anna', '--role', 'admin', '--password-stdin'], PASSWORDS.anna + '\n');
  cli(['user', 'add', 'karin', '--role', 'curator', '--password-stdin'], PASSWORDS.karin + '\n');
  cli(['user', 'add', 'bertil', '--role', 'reviewer', '--password-stdin'], PASSWORDS.bertil + '\n');
  const token = cli(['user', 'token', 'anna']).split(/\s+/).pop();

  // Test data for the Swedish sort: labels starting with Ä, Ö and Z next to the demo's Å.
  for (const [name, label] of [['e2e_arftlighet', 'Ärftlighet för stroke'], ['e2e_overvikt', 'Övervikt'], ['e2e_zon', 'Zonindelning'], ['e2e_angest', 'Ängslan']]) {
    const r = await apiJson(base, '/api/variables', {
      method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ register: 'hjartintensiv', dataset: 'vardtillfalle', name, label: { sv: label }, datatype: 'string' }),
    });
    check(r.status === 201, `setup: creating variable ${name} answered ${r.status}: ${JSON.stringify(r.body)}`);
  }

  browser = await chromium.launch({
    executablePath: opt.chromium, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'sv-SE' });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|404)/.test(m.text())) pageErrors.push(`${page.url()}: console error: ${m.text()}`);
  });

  async function step(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - t0 });
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ name, ok: false, ms: Date.now() - t0, error: e });
      console.log(`FAIL ${name}: ${e instanceof Failure ? e.message : e.stack || e.message}`);
      try { await page.screenshot({ path: join(opt.out, `FAILED-${name.replace(/\W+/g, '_')}.png`), fullPage: true }); } catch { /* closed */ }
      throw e;
    }
  }
  const text = async (sel) => (await page.locator(sel).first().innerText()).trim();

  async function signIn(name) {
    await page.goto(base + '/#signin');
    await page.locator('#si-name').fill(name);
    await page.locator('#si-password').fill(PASSWORDS[name]);
    await page.locator('#si-submit').click();
    await page.locator('#sign-out').waitFor().catch(() => { throw new Failure(`signing in as ${name} did not show a sign-out button`); });
    check((await text('#session-area')).includes(name), `the header should name the signed-in user ${name}`);
  }
  async function signOut() {
    await page.locator('#sign-out').click();
    await page.locator('#sign-in-link').waitFor();
  }

  await step('start page with charts', async () => {
    await page.goto(base + '/');
    await page.locator('#register-list li').first().waitFor();
    check(await page.locator('html').getAttribute('lang') === 'sv', 'the page language should be Swedish by default');
    check(await page.locator('header').count() === 1 && await page.locator('nav').count() >= 1 && await page.locator('main').count() === 1,
      'the page should have header, nav and main landmarks');
    check(await page.locator('#register-list li').count() === 4, 'the start page should list the four demo registers');
    await page.locator('#coverage-chart svg rect.bar').first().waitFor();
    await page.locator('#mapping-chart svg rect.bar-approved').first().waitFor();
    check(await page.evaluate(() => document.activeElement && document.activeElement.id) === 'q', 'the search box should have focus on the start page');
    await shot(page, 'start');
  });

  await step('search and open a variable', async () => {
    await page.locator('#q').fill('rokning');
    await page.locator('#variable-hits li').first().waitFor();
    const summary = await text('#result-summary');
    check(/\d+ variabler/.test(summary), `the result count should be shown ("${summary}")`);
    const labels = await page.locator('#variable-hits .hit-title').allInnerTexts();
    check(labels.some((l) => l.startsWith('Rökning')), `'rokning' should find 'Rökning' (found: ${labels.join(', ')})`);
    check(await page.locator('.facet[data-facet=register] input').count() >= 3, 'the register facet should list several registers');
    check(page.url().includes('#search?q=rokning'), `the query should be kept in the URL (${page.url()})`);
    // Narrow by the register facet, then search for a compound-word part.
    await page.locator('.facet[data-facet=register] input[value=diabetes]').check();
    await page.waitForFunction(() => [...document.querySelectorAll('#variable-hits li .meta')].every((m) => m.textContent.includes('diabetes')));
    await page.locator('#clear-filters').click();
    await page.locator('#q').fill('infarkt');
    await page.waitForFunction(() => [...document.querySelectorAll('#variable-hits .hit-title')].some((a) => a.textContent.includes('Infarkttyp')));
    check((await page.locator('#h-con-hits').count()) === 1, 'concept hits should be shown for "infarkt"');
    await shot(page, 'search');
    await page.locator('#variable-hits a.hit-title', { hasText: 'Infarkttyp' }).click();
    await page.waitForURL(/#variable\/hjartintensiv\/vardtillfalle\/infarkttyp$/);
    await page.locator('h1', { hasText: 'Infarkttyp' }).waitFor();
    await page.locator('#timeline li').first().waitFor();
    check(await page.locator('#h-codes').count() === 1, 'the variable page should show the code list');
  });

  await step('variable page: versions, bindings, compatible variables', async () => {
    await page.goto(base + '/#variable/strokereg/akut/rokning');
    await page.locator('h1', { hasText: 'Rökning' }).waitFor();
    await page.locator('#bindings tbody tr').first().waitFor();
    await page.locator('#compat-table tbody tr').first().waitFor();
    const grades = await page.locator('#compat-table .grade').allInnerTexts();
    check(grades.length >= 2, `compatible variables in other registers should be listed with grades (got ${grades.length})`);
    check(await page.locator('#compat-table .reasons li').count() > 0, 'the compatibility reasons should be shown');
    await shot(page, 'variable');
  });

  await step('register page: sort variables in Swedish order', async () => {
    await page.goto(base + '/#register/hjartintensiv');
    await page.locator('#variables-table tbody tr').first().waitFor();
    check((await text('h1')).includes('hjärtintensiv'), 'the register page should show the register name');
    for (const h of ['#h-purposes', '#h-coverage', '#h-datasets', '#h-disclosure', '#h-completeness', '#h-exports'])
      check(await page.locator(h).count() === 1, `the register page should have the section ${h}`);
    check(await page.locator('ul.exports a').count() === 12, 'the register page should offer the 12 export formats');
    const ld = await page.waitForFunction(() => document.getElementById('schema-org')?.textContent || '');
    check((await ld.jsonValue()).includes('schema.org'), 'the schema.org JSON-LD should be injected in the page head');
    await page.locator('button.sort[data-key=label]').click();
    check(await page.locator('th[data-key=label]').getAttribute('aria-sort') === 'ascending', 'the label column should say aria-sort=ascending');
    const labels = (await page.locator('#variables-table tbody td.label-cell').allInnerTexts()).map((s) => s.trim());
    const first = (s) => s[0].toUpperCase();
    const idx = (pred) => labels.findIndex(pred);
    const lastIdx = (pred) => labels.length - 1 - [...labels].reverse().findIndex(pred);
    const z = lastIdx((s) => first(s) === 'Z'), aa = idx((s) => first(s) === 'Å'), ae = idx((s) => first(s) === 'Ä'), oe = idx((s) => first(s) === 'Ö');
    check(z >= 0 && aa >= 0 && ae >= 0 && oe >= 0, `the table should hold labels starting with Z, Å, Ä and Ö (labels: ${labels.join(' | ')})`);
    check(z < aa && lastIdx((s) => first(s) === 'Å') < ae && lastIdx((s) => first(s) === 'Ä') < oe,
      `Swedish order puts Z < Å < Ä < Ö; got Z at ${z}, Å at ${aa}, Ä at ${ae}, Ö at ${oe}: ${labels.slice(-8).join(' | ')}`);
    check(labels.slice(aa).every((s) => 'ÅÄÖ'.includes(first(s))), `nothing but Å/Ä/Ö labels should follow the first Å label: ${labels.slice(aa).join(' | ')}`);
    const vIdx = lastIdx((s) => first(s) === 'V');
    check(vIdx >= 0 && vIdx < aa, 'labels starting with V should come before those starting with Å');
    await shot(page, 'register');
    await page.locator('button.sort[data-key=label]').click();
    check(await page.locator('th[data-key=label]').getAttribute('aria-sort') === 'descending', 'a second click should sort descending');
    const desc = (await page.locator('#variables-table tbody td.label-cell').allInnerTexts()).map((s) => s.trim());
    check(desc[0].startsWith('Ö'), `descending order should start with Ö (got ${desc[0]})`);
    // Filter
    await page.locator('#var-filter').fill('blodtryck');
    await page.waitForFunction(() => document.querySelectorAll('#variables-table tbody tr').length < 10);
    const filtered = await page.locator('#variables-table tbody td.label-cell').allInnerTexts();
    check(filtered.length > 0 && filtered.every((s) => /blodtryck/i.test(s)), `the filter should keep only blood pressure variables (${filtered.join(', ')})`);
  });

  let mappingId = 0;
  const subject = 'hjartintensiv/vardtillfalle/sjukhus';
  await step('workbench: a curator proposes a suggested mapping', async () => {
    await signIn('karin');
    await page.goto(base + '/#workbench?tab=map&register=hjartintensiv&variable=' + encodeURIComponent(subject));
    await page.locator('#wb-detail h2', { hasText: 'Sjukhus' }).waitFor();
    await page.locator('#suggestions .suggestion .propose').first().waitFor();
    const concept = await page.locator('#suggestions .suggestion .propose').first().getAttribute('data-code');
    check(concept === '98019999999101', `the top suggestion for Sjukhus should be 'sjukhus' 98019999999101 (got ${concept})`);
    check(await page.locator('#suggestions .reasons li').count() > 0, 'suggestions should come with their reasons');
    await page.locator('#wb-detail h2').click(); // focus away from inputs, then use the shortcut
    await page.keyboard.press('1');
    await page.locator('#toast.show', { hasText: 'föreslagen' }).waitFor();
    const r = await apiJson(base, `/api/mappings?register=hjartintensiv&dataset=vardtillfalle&variable=sjukhus`);
    const m = r.body.mappings.find((x) => x.concept_id === '98019999999101' && !x.code);
    check(m && m.status === 'proposed' && m.author === 'karin', `the API should hold a proposed mapping by karin (got ${JSON.stringify(r.body.mappings)})`);
    mappingId = m.id;
    // Concept search with hierarchy browsing.
    await page.locator('#wb-list').focus();
    await page.keyboard.press('k');
    await page.locator('#concept-q').fill('rökning');
    await page.locator('#concept-results .concept-open').first().click();
    await page.locator('#concept-browser .concept-card h4').waitFor();
    check(await page.locator('#concept-browser .hier li').count() > 0, 'the concept browser should show parents or children');
    await shot(page, 'workbench-map');
    await signOut();
  });

  await step('workbench: a reviewer approves it, and the variable page shows it', async () => {
    await signIn('bertil');
    await page.goto(base + '/#workbench?tab=review');
    const item = page.locator(`#rq-list li[data-id="${mappingId}"]`);
    await item.waitFor().catch(() => { throw new Failure(`mapping ${mappingId} should be in the review queue`); });
    await item.click();
    await page.locator('#rq-detail h2', { hasText: 'Sjukhus' }).waitFor();
    await shot(page, 'workbench-review');
    await page.keyboard.press('a');
    await page.locator('#toast.show', { hasText: 'godkänd' }).waitFor();
    check(await page.locator(`#rq-list li[data-id="${mappingId}"]`).count() === 0, 'the approved mapping should leave the queue');
    const r = await apiJson(base, `/api/mappings/${mappingId}`);
    check(r.body.status === 'approved' && r.body.reviewer === 'bertil', `the mapping should be approved by bertil (got ${r.body.status}, ${r.body.reviewer})`);
    await page.goto(base + '/#variable/' + subject);
    const row = page.locator(`#bindings tr[data-mapping="${mappingId}"]`);
    await row.waitFor();
    const rowText = await row.innerText();
    check(rowText.includes('godkänd') && rowText.includes('98019999999101'), `the variable page should show the approved binding (row: ${rowText})`);
    await signOut();
  });

  await step('harmonisation matrix renders only visible rows', async () => {
    await page.goto(base + '/#matrix');
    await page.locator('#mx-rows .cell').first().waitFor();
    const summary = await text('#mx-summary');
    const total = Number((/^([\d\s ]+) begrepp/.exec(summary) || [])[1]?.replace(/\D/g, ''));
    const rendered = await page.locator('#mx-rows .mx-row').count();
    check(total > 30, `the demo matrix should have more than 30 concept rows (summary: ${summary})`);
    check(rendered > 0 && rendered < total, `only the visible rows should be in the DOM (${rendered} of ${total})`);
    await page.locator('#mx-scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForFunction((n) => [...document.querySelectorAll('#mx-rows .mx-row')].some((r) => parseInt(r.style.top, 10) >= 140 + (n - 1) * 30), total);
    await page.locator('#mx-scroller').evaluate((el) => { el.scrollTop = 0; });
    await page.locator('#mx-rows .cell.grade-identical').first().click();
    await page.locator('#mx-drill table tbody tr').first().waitFor();
    await shot(page, 'matrix');
  });

  await step('upload a dictionary: dry-run diff, then commit', async () => {
    await signIn('anna');
    const before = await apiJson(base, '/api/registers/hjartsvikt');
    check(before.status === 404, 'the register hjartsvikt should not exist before the upload');
    await page.goto(base + '/#upload/hjartsvikt');
    await page.locator('#upload-form').waitFor();
    check(await page.locator('#up-register').inputValue() === '__new', 'an unknown register should preselect "new register"');
    await page.locator('#up-cpua').fill('Region Örebro län');
    await page.locator('#up-file').setInputFiles(join(source, 'tests', 'fixtures', 'redcap', 'hjartsvikt_dictionary.csv'));
    await page.locator('#dry-run').click();
    await page.locator('#diff-counts').waitFor();
    const added = Number((await page.locator('[data-count=added]').innerText()).replace(/\D/g, ''));
    check(added >= 20, `the dry run should list the dictionary's variables as added (got ${added})`);
    check(await page.locator('.diff-added tbody tr').count() === added, 'every added variable should be listed in the diff');
    check((await text('#preview')).includes('REDCap') || (await text('#preview')).includes('redcap'), 'the preview should name the detected format');
    const during = await apiJson(base, '/api/registers/hjartsvikt');
    check(during.status === 404, 'the dry run must not write anything');
    await shot(page, 'upload-preview');
    await page.locator('#commit').click();
    await page.locator('#h-done').waitFor();
    const after = await apiJson(base, '/api/registers/hjartsvikt/variables');
    check(after.status === 200 && after.body.total === added, `after the import the register should have ${added} variables (got ${after.status}, ${after.body.total})`);
    // The same file again: nothing to add.
    await page.goto(base + '/#upload/hjartsvikt');
    await page.locator('#up-file').setInputFiles(join(source, 'tests', 'fixtures', 'redcap', 'hjartsvikt_dictionary.csv'));
    await page.locator('#dry-run').click();
    await page.locator('#diff-counts').waitFor();
    check((await page.locator('[data-count=added]').innerText()).trim() === '0', 'a second dry run of the same file should add nothing');
    check(Number((await page.locator('[data-count=unchanged]').innerText()).replace(/\D/g, '')) === added, 'a second dry run should show every variable unchanged');
  });

  await step('edit a variable: a new version with its diff', async () => {
    // Still signed in as anna (admin).
    await page.goto(base + '/#variable/strokereg/akut/sjukhus');
    await page.locator('#edit-details summary').click();
    await page.locator('#ed-definition_sv').fill('Det sjukhus där patienten vårdades i akutskedet (ändrad i webbläsartestet).');
    await page.locator('#edit-form button[type=submit]').click();
    await page.locator('#toast.show', { hasText: 'version 2' }).waitFor();
    await page.locator('#timeline table.diff').first().waitFor();
    const diff = await text('#timeline table.diff');
    check(diff.includes('Definition') && diff.includes('ändrad i webbläsartestet'), `the timeline should show the definition's change:\n${diff}`);
    const r = await apiJson(base, '/api/variables/strokereg/akut/sjukhus/history');
    check(r.body.versions.length === 2, `the variable should now have two versions (got ${r.body.versions.length})`);
    await shot(page, 'variable-edited');
  });

  await step('linkage plan: eight steps, review and CSV export', async () => {
    // Still signed in as anna (admin).
    await page.goto(base + '/#plan');
    await page.evaluate(() => sessionStorage.removeItem('regcat.plan'));
    await page.reload();
    await page.locator('#f-title').waitFor();
    await page.locator('#next').click();
    check((await text('#title-error')).length > 0, 'going on without a title should say that a title is needed');
    await page.locator('#f-title').fill('Rökning efter stroke hos personer med diabetes');
    await page.locator('input[data-field=kind][value=samkorning]').check();
    await page.locator('input[data-field=purpose_category][value=forskning]').check();
    await page.locator('#live-warnings .warning-text').first().waitFor();
    await page.locator('input[data-field=purpose_category][value=kvalitetssakring]').check();
    await shot(page, 'plan-step1');
    await page.locator('#next').click();
    // Step 2: registers
    await page.locator('.reg-toggle[value=strokereg]').check();
    await page.locator('#role-strokereg').waitFor();
    await page.locator('.reg-toggle[value=diabetes]').check();
    await page.locator('#role-diabetes').waitFor();
    await page.locator('#pref-strokereg').selectOption('strokereg#purpose-3');
    await page.locator('#pref-diabetes').selectOption('diabetes#purpose-1');
    await page.locator('#chk-strokereg').fill('Ändamålet är kvalitetssäkring (beslut 2026-02-10).');
    await page.locator('#chk-diabetes').fill('Ändamålet är kvalitetssäkring (beslut 2026-02-24).');
    await page.locator('#next').click();
    // Step 3: compatibility and necessity
    await page.locator('.notice', { hasText: 'sekretessgräns' }).waitFor();
    await page.locator('#f-compatibility_statement').fill('Samma patienter i samma vårdkedja.');
    await page.locator('#f-necessity').fill('Uppgifterna finns bara i respektive register.');
    await page.locator('#next').click();
    // Step 4: purpose
    await page.locator('#f-purpose').fill('Följa upp rökning efter stroke hos personer med diabetes.');
    await page.locator('#f-responsible_cpua').fill('Region Västerbotten');
    await page.locator('#next').click();
    // Step 5: variables
    const pick = async (id, justification) => {
      await page.locator(`.var-toggle[value="${id}"]`).check();
      const input = page.locator(`input[data-var="${id}"][data-vfield=justification]`);
      await input.waitFor();
      await input.fill(justification);
    };
    await pick('strokereg/akut/pnr', 'Samkörningsnyckel; tas bort efter samkörningen.');
    check(await page.locator('select[data-var="strokereg/akut/pnr"]').inputValue() === 'linkage-key', 'a direct identifier should default to the linkage-key role');
    await pick('strokereg/akut/rokning', 'Rökning vid insjuknandet.');
    await pick('diabetes/besok/pnr', 'Samkörningsnyckel; tas bort efter samkörningen.');
    await pick('diabetes/besok/rokning', 'Rökning i diabetesvården.');
    await page.locator('#f-retention').fill('Tre år.');
    await page.locator('#f-export_file_deletion').fill('Raderas efter kontroll, senast tre månader efter leveransen.');
    await shot(page, 'plan-variables');
    await page.locator('#next').click();
    // Step 6: secrecy
    for (const r of ['strokereg', 'diabetes']) {
      await page.locator(`#sec-${r}`).fill('Prövad enligt OSL; ingen skada bedöms uppstå.');
      await page.locator(`#dec-${r}`).fill(r === 'strokereg' ? 'RVB 2026/0412' : 'VGR 2026-00871');
    }
    await page.locator('#next').click();
    // Step 7: information
    await page.locator('#f-information_plan').fill('Registren informerar på sina webbplatser.');
    await page.locator('#next').click();
    // Step 8: agreements
    await page.locator('#f-agreement_reference').fill('Överenskommelse RVB 2026/0414 – VGR 2026-00873');
    await page.locator('#law-strokereg').fill('Laglighetsprövning RVB 2026/0413');
    await page.locator('#law-diabetes').fill('Laglighetsprövning VGR 2026-00872');
    await page.locator('#next').click();
    // Review
    await page.locator('#checklist li').first().waitFor();
    check(await page.locator('#checklist > li').count() === 8, 'the checklist should have the eight steps');
    const checklist = await text('#checklist');
    check(!/saknas/i.test(checklist.replace(/Saknas i:.*$/m, '')) || checklist.includes('dokumenterat'), `the checklist should show documented steps:\n${checklist}`);
    await page.locator('#plan-concepts').waitFor();
    const concepts = await text('#plan-concepts');
    check(concepts.includes('tobaksrökning') && /delvis|identisk|kompatibel/.test(concepts), `the review should grade smoking across the registers:\n${concepts}`);
    await shot(page, 'plan-review');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
    const file = join(opt.out, 'samkorningsplan.csv');
    await download.saveAs(file);
    const csv = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r?\n/);
    check(lines.length === 5, `the CSV should have a header and the 4 requested variables (got ${lines.length} lines):\n${csv}`);
    for (const must of ['strokereg', 'diabetes', 'rokning', 'pnr', 'Rökning vid insjuknandet.', 'linkage-key'])
      check(csv.includes(must), `the plan CSV should contain "${must}":\n${csv}`);
    check(/^\uFEFF?register[,;]/i.test(lines[0]) || /register/i.test(lines[0]), `the CSV header should name its columns: ${lines[0]}`);
    const plans = await apiJson(base, '/api/linkage-plans');
    check(plans.body.plans.some((p) => p.title === 'Rökning efter stroke hos personer med diabetes'), 'the plan should be saved on the server');
  });

  await step('switch language to English and back', async () => {
    await page.goto(base + '/');
    await page.locator('#register-list li').first().waitFor();
    await page.locator('#lang-select').selectOption('en');
    await page.locator('h1', { hasText: 'What data do the quality registers hold?' }).waitFor();
    check((await text('#site-nav')).includes('Search'), 'the navigation should be in English');
    check(await page.locator('html').getAttribute('lang') === 'en', 'html lang should be en');
    await page.reload();
    await page.locator('h1', { hasText: 'What data do the quality registers hold?' }).waitFor()
      .catch(() => { throw new Failure('the language choice should be remembered after a reload'); });
    await page.goto(base + '/#register/strokereg');
    await page.locator('#h-purposes', { hasText: 'Purposes' }).waitFor();
    await page.locator('#variables-table tbody tr').first().waitFor();
    await shot(page, 'register-english');
    await page.locator('#lang-select').selectOption('sv');
    await page.locator('#h-purposes', { hasText: 'Ändamål' }).waitFor();
    check(await page.evaluate(() => localStorage.getItem('regcat.lang')) === 'sv', 'the choice should be stored in localStorage');
  });

  await step('no script errors on any page', async () => {
    check(pageErrors.length === 0, `the pages logged errors:\n${pageErrors.join('\n')}`);
  });
} catch (e) {
  if (!results.some((r) => !r.ok)) {
    console.log(`FAIL setup: ${e.stack || e.message}`);
    results.push({ name: 'setup', ok: false, error: e });
  }
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.proc.kill('SIGTERM');
  writeFileSync(join(opt.out, 'server.log'), serverLog);
  if (!opt.keep) rmSync(tmp, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${opt.out}`);
if (failed.length && pageErrors.length) console.log('Page errors:\n' + pageErrors.join('\n'));
process.exit(failed.length ? 1 : 0);

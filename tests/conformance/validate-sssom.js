// Validates SSSOM/TSV files against the official SSSOM JSON Schema (draft 2019-09,
// ../shared/conformance/sssom/schema/sssom_schema.schema.json, $defs/MappingSet).
// The schema describes SSSOM JSON, so each file is first converted to a JSON MappingSet the way
// the conformance kit's README describes: the '#' lines are YAML and become the set's slots,
// the TSV rows become `mappings`, array slots are split on '|', number slots become numbers,
// dates stay strings. The YAML is read with a real YAML parser, so a metadata block regcat
// writes is also checked to be YAML.
// Checks the schema cannot express, from the SSSOM/TSV specification:
//  - every CURIE in an EntityReference slot (the LinkML model's range, read from
//    sssom_schema.yaml) has a prefix declared in curie_map or built in;
//  - built-in prefixes are not redefined;
//  - a column or set-level key that is not an SSSOM slot is declared in extension_definitions
//    (declared extensions are then removed before schema validation: the generated schema has
//    additionalProperties false and knows nothing of extensions).
// Any problem fails. Usage: node validate-sssom.js FILE.sssom.tsv [...]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const kit = join(here, '..', '..', '..', 'shared', 'conformance', 'sssom', 'schema');
const schema = JSON.parse(readFileSync(join(kit, 'sssom_schema.schema.json'), 'utf8'));
const model = YAML.parse(readFileSync(join(kit, 'sssom_schema.yaml'), 'utf8'));

// SSSOM/TSV's built-in prefixes.
const builtin = {
  owl: 'http://www.w3.org/2002/07/owl#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  semapv: 'https://w3id.org/semapv/vocab/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  sssom: 'https://w3id.org/sssom/',
};
const entityReferenceSlots = new Set(
  Object.entries(model.slots)
    .filter(([, s]) => s && s.range === 'EntityReference')
    .map(([name]) => name),
);
const mappingSlots = schema.$defs.Mapping.properties;
const setSlots = schema.$defs.MappingSet.properties;

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(schema, 'sssom');
const validateSet = ajv.compile({ $ref: 'sssom#/$defs/MappingSet' });

// Tab-separated records; a cell that starts with '"' is quoted ("" for a quote) and may hold
// tabs and line breaks. Returns [{line, cells}].
function parseTsv(text, firstLine) {
  const records = [];
  let cells = [];
  let cell = '';
  let line = firstLine;
  let start = firstLine;
  let i = 0;
  let any = false;
  const endRecord = () => {
    cells.push(cell);
    if (any || cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
    cell = '';
    any = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && cell === '') {
      any = true;
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`line ${line}: a quoted cell is never closed`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === '\n') line++;
        cell += text[i++];
      }
      continue;
    }
    if (c === '\t') {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (c === '\n') {
      endRecord();
      line++;
      start = line;
    } else if (c !== '\r' || text[i + 1] !== '\n') {
      cell += c;
      any = true;
    }
    i++;
  }
  if (any || cell !== '') endRecord();
  return records;
}

function typed(slot, value, defs) {
  const def = defs[slot];
  if (!def) return value;
  if (def.type === 'array') return value.split('|').map((s) => s.trim());
  if (def.type === 'number') return value.trim() === '' ? value : Number(value);
  return value;
}

function validateFile(file) {
  const problems = [];
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\n');
  let n = 0;
  while (n < lines.length && lines[n].startsWith('#')) n++;
  const meta = lines.slice(0, n).map((l) => l.replace(/\r$/, '').slice(1));
  const firstContent = meta.find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const margin = firstContent ? firstContent.length - firstContent.trimStart().length : 0;
  const yamlText = meta.map((l) => (l.slice(0, margin).trim() === '' ? l.slice(margin) : l)).join('\n');
  let set;
  try {
    set = YAML.parse(yamlText, { uniqueKeys: true }) ?? {};
  } catch (e) {
    return [`metadata block is not YAML: ${e.message}`];
  }
  const records = parseTsv(lines.slice(n).join('\n'), n + 1);
  if (!records.length) return ['no header row'];
  const header = records[0].cells;

  const curieMap = set.curie_map ?? {};
  for (const [p, e] of Object.entries(curieMap))
    if (builtin[p] && builtin[p] !== e) problems.push(`curie_map: built-in prefix ${p} redefined as ${e}`);
  const extensions = new Set((set.extension_definitions ?? []).map((d) => d.slot_name));
  for (const d of set.extension_definitions ?? []) {
    for (const k of ['property', 'type_hint'])
      if (d[k] !== undefined) checkCurie(`extension_definitions ${d.slot_name} ${k}`, d[k]);
  }

  function checkCurie(where, value) {
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*):(.*)$/u.exec(value);
    if (!m || m[2].startsWith('//')) {
      problems.push(`${where}: '${value}' is not a CURIE`);
      return;
    }
    if (!(m[1] in curieMap) && !(m[1] in builtin))
      problems.push(`${where}: prefix '${m[1]}' of '${value}' is not declared in curie_map`);
  }

  // Set-level slots: extensions removed (checked declared), CURIEs checked, '|'-lists kept as
  // YAML gave them.
  for (const key of Object.keys(set)) {
    if (key === 'curie_map') continue;
    if (!(key in setSlots)) {
      if (extensions.has(key)) delete set[key];
      else problems.push(`metadata: '${key}' is neither an SSSOM slot nor a declared extension`);
      continue;
    }
    if (entityReferenceSlots.has(key)) {
      const values = Array.isArray(set[key]) ? set[key] : [set[key]];
      for (const v of values) checkCurie(`metadata ${key}`, String(v));
    }
    // SSSOM allows a single value of a multi-valued slot to be written as a scalar.
    if (setSlots[key].type === 'array' && !Array.isArray(set[key])) set[key] = [set[key]];
  }

  const mappings = [];
  for (const rec of records.slice(1)) {
    if (rec.cells.length > header.length)
      problems.push(`line ${rec.line}: ${rec.cells.length} cells, header has ${header.length}`);
    const m = {};
    header.forEach((col, i) => {
      const v = rec.cells[i] ?? '';
      if (v === '') return;
      if (!(col in mappingSlots)) {
        if (!extensions.has(col))
          problems.push(`line ${rec.line}: column '${col}' is neither an SSSOM slot nor a declared extension`);
        return;
      }
      m[col] = typed(col, v, mappingSlots);
      if (entityReferenceSlots.has(col))
        for (const x of Array.isArray(m[col]) ? m[col] : [m[col]]) checkCurie(`line ${rec.line} ${col}`, x);
    });
    mappings.push(m);
  }
  set.mappings = mappings;
  if (!validateSet(set)) {
    for (const e of validateSet.errors) {
      const row = /^\/mappings\/(\d+)/.exec(e.instancePath);
      const where = row ? `line ${records[Number(row[1]) + 1].line}` : 'metadata';
      problems.push(`${where}: ${e.instancePath || '/'} ${e.message}`);
    }
  }
  return { problems, count: mappings.length };
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  let result;
  try {
    result = validateFile(file);
  } catch (e) {
    result = { problems: [e.message], count: 0 };
  }
  if (Array.isArray(result)) result = { problems: result, count: 0 };
  if (result.problems.length) {
    failed++;
    for (const p of result.problems) console.log(`${file}: ${p}`);
  } else {
    console.log(`${file}: valid SSSOM MappingSet (${result.count} mappings)`);
  }
}
process.exit(failed ? 1 : 0);

// Validates regcat's RUT export (rut-json) against its JSON Schema (draft 2020-12,
// docs/schemas/rut-export.schema.json), and checks what a schema cannot express: every
// reference inside a register (value domain, conceptual and represented variable, unit type,
// concept) names an object the document holds, and ids are unique.
// Usage: node validate-rut.js FILE.json [...]; exit 1 when any file has a problem.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(
  readFileSync(join(here, '..', '..', 'docs', 'schemas', 'rut-export.schema.json'), 'utf8'),
);
// Strict, so that a mistake in the schema itself fails too; nullable members are unions.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validate = ajv.compile(schema);

function references(doc) {
  const problems = [];
  const concepts = new Set();
  for (const s of doc.concept_systems) for (const c of s.concepts) concepts.add(c.id);
  const unique = (where, ids) => {
    const seen = new Set();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${where}: id '${id}' appears twice`);
      seen.add(id);
    }
    return seen;
  };
  doc.registers.forEach((r, i) => {
    const at = `/registers/${i} (${r.id})`;
    const units = unique(`${at}/unit_types`, r.unit_types.map((u) => u.id));
    const domains = unique(`${at}/value_domains`, r.value_domains.map((d) => d.id));
    const cvs = unique(`${at}/conceptual_variables`, r.conceptual_variables.map((c) => c.id));
    const rvs = unique(`${at}/represented_variables`, r.represented_variables.map((c) => c.id));
    const vars = unique(
      `${at}/datasets`,
      r.datasets.flatMap((d) => d.instance_variables.map((v) => v.id)),
    );
    const ref = (where, id, set, what) => {
      if (id !== null && !set.has(id)) problems.push(`${where}: ${what} '${id}' is not in the document`);
    };
    for (const u of r.population.unit_types) ref(`${at}/population`, u, units, 'unit type');
    for (const c of r.conceptual_variables) {
      ref(`${at}/conceptual_variables/${c.id}`, c.unit_type, units, 'unit type');
      for (const k of c.concepts) ref(`${at}/conceptual_variables/${c.id}`, k, concepts, 'concept');
    }
    for (const v of r.represented_variables) {
      ref(`${at}/represented_variables/${v.id}`, v.conceptual_variable, cvs, 'conceptual variable');
      ref(`${at}/represented_variables/${v.id}`, v.value_domain, domains, 'value domain');
    }
    for (const d of r.value_domains)
      for (const c of d.codes) for (const k of c.concepts) ref(`${at}/value_domains/${d.id}`, k, concepts, 'concept');
    for (const d of r.datasets) {
      ref(`${at}/datasets/${d.id}`, d.unit_type, units, 'unit type');
      for (const v of d.instance_variables) {
        const w = `${at}/variables/${v.id}`;
        if (!v.id.startsWith(`${r.id}/${d.id}/`)) problems.push(`${w}: not in dataset ${d.id}`);
        ref(w, v.represented_variable, rvs, 'represented variable');
        ref(w, v.conceptual_variable, cvs, 'conceptual variable');
        ref(w, v.value_domain, domains, 'value domain');
        ref(w, v.unit_type, units, 'unit type');
        for (const k of v.concepts) ref(w, k, concepts, 'concept');
        for (const c of v.code_concepts) for (const k of c.concepts) ref(w, k, concepts, 'concept');
      }
    }
    for (const m of r.semantic_mappings) {
      ref(`${at}/semantic_mappings/${m.subject}`, m.object, concepts, 'concept');
      ref(`${at}/semantic_mappings/${m.subject}`, m.subject.split('#')[0], vars, 'variable');
    }
  });
  return problems;
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  let problems;
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
    problems = validate(doc)
      ? references(doc)
      : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  } catch (e) {
    problems = [e.message];
  }
  if (problems.length) {
    failed++;
    for (const p of problems.slice(0, 50)) console.log(`${file}: ${p}`);
    if (problems.length > 50) console.log(`${file}: ... and ${problems.length - 50} more`);
  } else {
    const vars = doc.registers.reduce(
      (n, r) => n + r.datasets.reduce((m, d) => m + d.instance_variables.length, 0),
      0,
    );
    console.log(`${file}: valid regcat RUT export (${doc.registers.length} registers, ${vars} variables)`);
  }
}
process.exit(failed ? 1 : 0);

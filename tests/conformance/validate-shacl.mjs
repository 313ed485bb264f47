// RDF checks for regcat's DCAT-AP / HealthDCAT-AP / FAIR Data Point exports, with the npm
// packages the conformance kit names (../shared/conformance/README.md, "SHACL - Node.js"):
// rdf-validate-shacl, n3, @zazuko/env and jsonld, plus rdfxml-streaming-parser for RDF/XML.
// Nothing is fetched from the network: JSON-LD remote contexts are refused (except schema.org,
// answered from a local stand-in, see below).
//
//   node validate-shacl.mjs validate --shapes S1.ttl[,S2.ttl...] DATA...
//     Validates each DATA file (.ttl, .jsonld/.json, .rdf/.xml) against all shapes files
//     together. Prints one JSON line per file: {file, triples, conforms, violations, warnings,
//     infos, results: [{severity, focus, path, message, shape}]}. Exit 1 when any file has a
//     sh:Violation (warnings are reported, they do not fail).
//   node validate-shacl.mjs roundtrip DATA1 DATA2 ...
//     Parses every file and compares: exit 1 unless all are the same set of triples (graphs
//     with blank nodes are canonicalised first, RDFC-1.0). Prints {file, triples} per file.
//   node validate-shacl.mjs triples DATA...
//     Parses and prints {file, triples, types: {class IRI: count}}; exit 1 on a parse error.
//
// As the kit's README says, owl:imports is dropped from shapes and data (HealthDCAT-AP imports
// the DCAT-AP 3.0.0 shapes by URL; load dcat-ap-3.0.1/shacl/shapes.ttl yourself instead).
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import N3 from 'n3';
import rdf from '@zazuko/env';
import SHACLValidator from 'rdf-validate-shacl';
import jsonld from 'jsonld';
import { RdfXmlParser } from 'rdfxml-streaming-parser';

const OWL_IMPORTS = 'http://www.w3.org/2002/07/owl#imports';
const SH = 'http://www.w3.org/ns/shacl#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

// schema.org's context is remote; the tests only need its vocabulary mapping to read the
// graph, so it is answered locally (schema.org's own context maps terms to @vocab too).
const localContexts = {
  'https://schema.org': { '@context': { '@vocab': 'https://schema.org/' } },
  'https://schema.org/': { '@context': { '@vocab': 'https://schema.org/' } },
  'http://schema.org': { '@context': { '@vocab': 'http://schema.org/' } },
  'http://schema.org/': { '@context': { '@vocab': 'http://schema.org/' } },
};
const documentLoader = async (url) => {
  if (localContexts[url]) return { contextUrl: null, documentUrl: url, document: localContexts[url] };
  throw new Error(`refusing to load ${url}: JSON-LD documents must be readable without network`);
};

function kindOf(file) {
  if (/\.(ttl|turtle)$/i.test(file)) return 'turtle';
  if (/\.(jsonld|json)$/i.test(file)) return 'jsonld';
  if (/\.(rdf|xml|owl)$/i.test(file)) return 'rdfxml';
  if (/\.(nt|nq)$/i.test(file)) return 'nquads';
  throw new Error(`${file}: unknown RDF syntax (expected .ttl, .jsonld, .rdf or .nt)`);
}

// Any syntax -> N-Quads text (one statement per line).
async function toNQuads(file) {
  const text = readFileSync(file, 'utf8');
  const kind = kindOf(file);
  if (kind === 'nquads') return text;
  if (kind === 'jsonld') {
    return jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads', documentLoader, safe: true });
  }
  const quads = kind === 'turtle'
    ? new N3.Parser({ format: 'Turtle', baseIRI: 'urn:x-base:' }).parse(text)
    : await new Promise((resolve, reject) => {
      const out = [];
      const parser = new RdfXmlParser({ baseIRI: 'urn:x-base:' });
      parser.on('data', (q) => out.push(q));
      parser.on('error', reject);
      parser.on('end', () => resolve(out));
      Readable.from([text]).pipe(parser);
    });
  const writer = new N3.Writer({ format: 'N-Quads' });
  return writer.quadsToString(quads);
}

async function loadDataset(files) {
  const dataset = rdf.dataset();
  for (const f of files) {
    const quads = new N3.Parser({ format: 'N-Quads' }).parse(await toNQuads(f));
    for (const q of quads) if (q.predicate.value !== OWL_IMPORTS) dataset.add(q);
  }
  return dataset;
}

function shortIri(t) {
  if (!t) return null;
  return t.termType === 'BlankNode' ? `_:${t.value}` : t.value;
}

async function validate(shapeFiles, dataFiles) {
  const shapes = rdf.dataset();
  for (const f of shapeFiles) {
    for (const q of new N3.Parser().parse(readFileSync(f, 'utf8'))) {
      if (q.predicate.value !== OWL_IMPORTS) shapes.add(q);
    }
  }
  let failed = false;
  for (const file of dataFiles) {
    let data;
    try {
      data = await loadDataset([file]);
    } catch (e) {
      console.log(JSON.stringify({ file, error: `parse error: ${e.message}` }));
      failed = true;
      continue;
    }
    const validator = new SHACLValidator(shapes, { factory: rdf });
    const report = await validator.validate(data);
    const counts = { Violation: 0, Warning: 0, Info: 0 };
    const results = report.results.map((r) => {
      const severity = r.severity ? r.severity.value.replace(SH, '') : 'Violation';
      counts[severity] = (counts[severity] || 0) + 1;
      return {
        severity,
        focus: shortIri(r.focusNode),
        path: shortIri(r.path),
        message: r.message.map((m) => m.value).join('; '),
        shape: shortIri(r.sourceShape),
      };
    });
    if (counts.Violation) failed = true;
    console.log(JSON.stringify({
      file,
      triples: data.size,
      conforms: report.conforms,
      violations: counts.Violation,
      warnings: counts.Warning,
      infos: counts.Info,
      results,
    }));
  }
  return failed ? 1 : 0;
}

async function roundtrip(files) {
  const canon = [];
  for (const file of files) {
    // One writer formats every file's statements alike. Graphs without blank nodes compare as
    // they are; otherwise they are canonicalised first (RDFC-1.0), which is slow on big graphs.
    const quads = new N3.Parser({ format: 'N-Quads' }).parse(await toNQuads(file));
    let text = new N3.Writer({ format: 'N-Quads' }).quadsToString(quads);
    if (quads.some((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode')) {
      text = await jsonld.canonize(text, { inputFormat: 'application/n-quads', format: 'application/n-quads' });
    }
    const lines = [...new Set(text.split('\n').filter((l) => l.length))];
    canon.push({ file, lines });
    console.log(JSON.stringify({ file, triples: lines.length }));
  }
  let failed = false;
  for (let i = 1; i < canon.length; ++i) {
    const a = new Set(canon[0].lines), b = new Set(canon[i].lines);
    const onlyA = [...a].filter((l) => !b.has(l)), onlyB = [...b].filter((l) => !a.has(l));
    if (onlyA.length || onlyB.length || a.size !== b.size) {
      failed = true;
      console.log(JSON.stringify({
        differ: [canon[0].file, canon[i].file],
        only_first: onlyA.slice(0, 10), only_second: onlyB.slice(0, 10),
        counts: [onlyA.length, onlyB.length],
      }));
    }
  }
  if (!failed) console.log(JSON.stringify({ isomorphic: true, files: files.length }));
  return failed ? 1 : 0;
}

async function triples(files) {
  let failed = false;
  for (const file of files) {
    try {
      const ds = await loadDataset([file]);
      const types = {};
      for (const q of ds) if (q.predicate.value === RDF_TYPE) types[q.object.value] = (types[q.object.value] || 0) + 1;
      console.log(JSON.stringify({ file, triples: ds.size, types }));
    } catch (e) {
      failed = true;
      console.log(JSON.stringify({ file, error: `parse error: ${e.message}` }));
    }
  }
  return failed ? 1 : 0;
}

const [mode, ...rest] = process.argv.slice(2);
let code = 2;
try {
  if (mode === 'validate') {
    const i = rest.indexOf('--shapes');
    if (i < 0 || i + 1 >= rest.length) throw new Error('validate needs --shapes FILE[,FILE...]');
    const shapes = rest[i + 1].split(',').filter(Boolean);
    const data = rest.filter((_, j) => j !== i && j !== i + 1);
    code = await validate(shapes, data);
  } else if (mode === 'roundtrip') {
    code = await roundtrip(rest);
  } else if (mode === 'triples') {
    code = await triples(rest);
  } else {
    console.error('usage: validate-shacl.mjs validate --shapes S.ttl[,S2.ttl] DATA... | roundtrip DATA... | triples DATA...');
  }
} catch (e) {
  console.error(e.stack || String(e));
  code = 2;
}
process.exit(code);

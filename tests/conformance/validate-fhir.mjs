// Validates FHIR R4 JSON resources against the FHIR specification (the npm `fhir` package,
// which checks every element against the R4 StructureDefinitions). Any error or warning fails:
// an unexpected property is a real bug in what regcat sends.
// Usage: node validate-fhir.mjs FILE.json [FILE.json ...]
import { readFileSync } from 'node:fs';
import pkg from 'fhir';

const { Fhir } = pkg;
const fhir = new Fhir();
let failed = 0;
for (const file of process.argv.slice(2)) {
  let resource;
  try {
    resource = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  const result = fhir.validate(resource);
  const problems = result.messages.filter((m) => m.severity === 'error' || m.severity === 'warning');
  if (!result.valid || problems.length) {
    failed++;
    for (const m of problems) console.log(`${file}: ${m.severity} at ${m.location}: ${m.message}`);
  } else {
    console.log(`${file}: valid ${resource.resourceType}`);
  }
}
process.exit(failed ? 1 : 0);

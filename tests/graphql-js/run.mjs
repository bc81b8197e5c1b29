// The differential test: every hand-written case of corpus/ and the
// seeded generator's documents, answered by graphql-js (the oracle) and by
// our schema layer (through the C driver gqlws-schema-check); both must
// give the same errors, messages and locations, in the same order.
//
//   node run.mjs --driver PATH [--seed N] [--per-schema N] [--only TEXT] [--verbose]
//
// Prints the agreement rate of each group and every disagreement; exits 1
// when a hand-written group agrees on less than 100% or the generated
// documents on less than 99.5%.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { ruleCases, sdlCases, validCases } from './corpus.mjs';
import { generate } from './generate.mjs';
import { buildSchema, documentErrors, plainOurs, sdlErrors } from './oracle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    driver: { type: 'string' },
    seed: { type: 'string', default: '20261130' },
    'per-schema': { type: 'string', default: '600' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
if (!opts.driver) {
  console.error('run.mjs: --driver PATH (the built gqlws-schema-check) is required');
  process.exit(2);
}

const SCHEMAS = ['demo', 'starwars', 'market'];
const schemaFiles = Object.fromEntries(SCHEMAS.map((n) => [n, join(here, 'schemas', `${n}.graphql`)]));
const schemas = Object.fromEntries(SCHEMAS.map((n) => [n, buildSchema(readFileSync(schemaFiles[n], 'utf8'))]));
const corpus = join(here, 'corpus');

// schemas/demo.graphql must be the demo executor's schema, which lives in C
// (demo_schema_sdl in plugin/executors/demo/demo_schema.c): the string's
// literals joined and unescaped must give the file's text.
function demoExecutorSdl() {
  const src = readFileSync(join(here, '../../plugin/executors/demo/demo_schema.c'), 'utf8');
  const m = /const char demo_schema_sdl\[\] =\n([\s\S]*?);\n/.exec(src);
  if (!m) throw new Error('demo_schema_sdl not found in plugin/executors/demo/demo_schema.c');
  return [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((l) => JSON.parse(`"${l[1]}"`)).join('');
}
if (demoExecutorSdl() !== readFileSync(schemaFiles.demo, 'utf8')) {
  console.error('run.mjs: schemas/demo.graphql differs from demo_schema_sdl in plugin/executors/demo/demo_schema.c: copy it over');
  process.exit(1);
}

// Groups of cases; "threshold" is the agreement a group needs.
const valid = validCases(corpus);
const groups = [
  { name: 'hand-written: valid documents', threshold: 1, cases: valid },
  { name: 'hand-written: one file per validation rule', threshold: 1, cases: ruleCases(corpus) },
  { name: 'hand-written: SDL (buildSchema + validateSchema)', threshold: 1, cases: sdlCases(corpus).map((c) => ({ ...c, sdl: true })) },
  {
    name: 'generated: mutations of the valid documents',
    threshold: 0.995,
    cases: generate({ seeds: valid, schemas, perSchema: Number(opts['per-schema']), seed: Number(opts.seed) }),
  },
];
for (const g of groups) {
  if (opts.only) g.cases = g.cases.filter((c) => c.id.includes(opts.only) || (c.label ?? '').includes(opts.only));
  for (const c of g.cases) {
    if (!c.sdl && !schemas[c.schema]) throw new Error(`${c.id}: unknown schema "${c.schema}"`);
  }
}

// The oracle's answers.
for (const g of groups) {
  for (const c of g.cases) c.expected = c.sdl ? sdlErrors(c.text) : documentErrors(schemas[c.schema], c.text);
}
// The valid corpus must be valid, or it is no seed.
for (const c of groups[0].cases) {
  if (c.expected.length) throw new Error(`${c.id} (${c.label}) is not valid for graphql-js: ${JSON.stringify(c.expected)}`);
}

// Ours, all in one run of the driver.
const all = groups.flatMap((g) => g.cases);
const requests = all.map((c, i) => JSON.stringify(c.sdl ? { id: i, sdl: c.text } : { id: i, schema: c.schema, query: c.text }));
const driver = spawnSync(opts.driver, SCHEMAS.map((n) => `${n}=${schemaFiles[n]}`), {
  input: `${requests.join('\n')}\n`,
  maxBuffer: 1 << 30,
  encoding: 'utf8',
});
if (driver.error || driver.status !== 0) {
  console.error(`run.mjs: ${opts.driver} failed (${driver.error ?? `status ${driver.status}, signal ${driver.signal}`})`);
  console.error(driver.stderr);
  process.exit(1);
}
const answers = new Map();
for (const line of driver.stdout.split('\n')) {
  if (!line) continue;
  const a = JSON.parse(line);
  answers.set(a.id, a);
}
all.forEach((c, i) => {
  const a = answers.get(i);
  if (!a) c.problem = 'no answer from the driver';
  else if (a.bad_request) c.problem = `driver: ${a.bad_request}`;
  else if (a.broken_promise) c.problem = `driver: broken promise: ${a.broken_promise}`;
  c.actual = a ? plainOurs(a.errors) : [];
  if (a && !c.sdl && a.status === 0 && a.errors?.length) c.problem = 'status OK with errors';
  if (a && !c.sdl && a.status !== 0 && !a.errors?.length) c.problem = `status ${a.status} without errors`;
});

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (errors) => errors.map((e) => `    ${JSON.stringify(e.message)} ${e.locations.map((l) => `${l.line}:${l.column}`).join(' ')}`).join('\n') || '    (no errors)';

let failed = false;
const summary = [];
for (const g of groups) {
  const disagreements = g.cases.filter((c) => c.problem || !same(c.expected, c.actual));
  const total = g.cases.length;
  const rate = total ? (total - disagreements.length) / total : 1;
  const ok = rate >= g.threshold;
  if (!ok) failed = true;
  for (const c of disagreements) {
    console.log(`\n--- ${c.id}${c.schema ? ` [${c.schema}]` : ''}: ${c.label ?? ''}`);
    if (c.problem) console.log(`  problem: ${c.problem}`);
    console.log(c.text.split('\n').map((l) => `  | ${l}`).join('\n'));
    console.log(`  graphql-js:\n${show(c.expected)}`);
    console.log(`  ours:\n${show(c.actual)}`);
  }
  const invalid = g.cases.filter((c) => c.expected.length).length;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${g.name}: ${total - disagreements.length}/${total} agree (${(rate * 100).toFixed(2)}%, need ${(g.threshold * 100).toFixed(1)}%; ${invalid} with errors)`);
  if (opts.verbose) for (const c of g.cases) console.log(`${c.id}: ${c.expected.length} error(s)`);
}
console.log(`\n==== graphql-js ${(await import('./oracle.mjs')).graphql.version} vs gqlws: agreement`);
for (const line of summary) console.log(line);
process.exit(failed ? 1 : 0);

// The differential test: every hand-written case of corpus/ and the
// seeded generator's documents, answered by graphql-js (the oracle) and by
// our schema layer (through the C driver gqlws-schema-check); both must
// give the same errors, messages and locations, in the same order.
//
//   node run.mjs --driver PATH [--wrap "valgrind ..."] [--seed N] [--per-schema N]
//                [--projections-per-schema N] [--sdl-per-seed N] [--only TEXT] [--verbose]
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
import { executeCases, generateExecutions, introspectionCases } from './execute.mjs';
import { generate } from './generate.mjs';
import { generateSdl } from './generate_sdl.mjs';
import { buildSchema, documentErrors, executeResult, graphql, plainOurs, sdlErrors } from './oracle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    driver: { type: 'string' },
    wrap: { type: 'string' },
    seed: { type: 'string', default: '20261130' },
    'per-schema': { type: 'string', default: '600' },
    'projections-per-schema': { type: 'string', default: '300' },
    'sdl-per-seed': { type: 'string', default: '50' },
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
  {
    name: 'generated: mutations of the valid schemas (SDL)',
    threshold: 0.995,
    cases: generateSdl({
      seeds: [
        ...SCHEMAS.map((n) => ({ id: `schemas/${n}`, text: readFileSync(schemaFiles[n], 'utf8') })),
        ...sdlCases(corpus).filter((c) => c.id.startsWith('sdl/valid/')),
      ],
      perSeed: Number(opts['sdl-per-seed']),
      seed: Number(opts.seed),
    }),
  },
  { name: 'hand-written: introspection (getIntrospectionQuery variants, __type of every type)', threshold: 1, cases: introspectionCases(schemas).map(executing) },
  {
    name: 'generated: introspection of the generated schemas that build',
    threshold: 0.995,
    cases: [],
  },
  { name: 'hand-written: execution and typed projection (corpus/execute)', threshold: 1, cases: executeCases(corpus, ['projection.graphql', 'requests.graphql', 'introspection.graphql']).map(executing) },
  {
    name: 'generated: typed projection of the valid documents with made-up values',
    threshold: 0.995,
    cases: generateExecutions({ seeds: valid, schemas, perSchema: Number(opts['projections-per-schema']), seed: Number(opts.seed) }).map(executing),
  },
];

// The full introspection query (every option on) of each generated schema
// that graphql-js builds without errors.
{
  const generatedSdl = groups.find((g) => g.name.startsWith('generated: mutations of the valid schemas'));
  const target = groups.find((g) => g.name.startsWith('generated: introspection of the generated schemas'));
  const query = introspectionCases({ x: schemas.demo }).find((c) => c.id.endsWith('/all-on')).text;
  for (const c of generatedSdl.cases) {
    const answer = sdlErrors(c.text);
    if (answer.length === 0) {
      target.cases.push({ id: `introspection/${c.id}`, label: c.label, sdlText: c.text, text: query, execute: true });
    }
  }
}

function executing(c) {
  return { ...c, execute: true };
}
for (const g of groups) {
  if (opts.only) g.cases = g.cases.filter((c) => c.id.includes(opts.only) || (c.label ?? '').includes(opts.only));
  for (const c of g.cases) {
    if (!c.sdl && !c.sdlText && !schemas[c.schema]) throw new Error(`${c.id}: unknown schema "${c.schema}"`);
  }
}

// The oracle's answers.
for (const g of groups) {
  for (const c of g.cases) {
    if (c.sdl) c.expected = sdlErrors(c.text);
    else if (c.execute && c.sdlText) c.expected = executeResult(graphql.buildSchema(c.sdlText), c.text, c);
    else if (c.execute) c.expected = executeResult(schemas[c.schema], c.text, c);
    else c.expected = documentErrors(schemas[c.schema], c.text);
  }
}
// The valid corpus must be valid, or it is no seed.
for (const c of groups[0].cases) {
  if (c.expected.length) throw new Error(`${c.id} (${c.label}) is not valid for graphql-js: ${JSON.stringify(c.expected)}`);
}

// Ours, all in one run of the driver.
const all = groups.flatMap((g) => g.cases);
const requests = all.map((c, i) => {
  if (c.sdl) return JSON.stringify({ id: i, sdl: c.text });
  if (!c.execute) return JSON.stringify({ id: i, schema: c.schema, query: c.text });
  const { variables, operationName, root, noIntrospection } = c;
  const against = c.sdlText ? { sdl: c.sdlText } : { schema: c.schema };
  return JSON.stringify({ id: i, ...against, execute: c.text, variables, operationName, root: root ?? null, noIntrospection });
});
// --wrap "valgrind --error-exitcode=99 ...": the driver runs under it.
const wrapper = opts.wrap ? opts.wrap.split(' ').filter(Boolean) : [];
const driver = spawnSync(wrapper[0] ?? opts.driver, [...wrapper.slice(1), ...(wrapper.length ? [opts.driver] : []), ...SCHEMAS.map((n) => `${n}=${schemaFiles[n]}`)], {
  input: `${requests.join('\n')}\n`,
  maxBuffer: 1 << 30,
  encoding: 'utf8',
});
if (driver.error || driver.status !== 0) {
  // The request it died on is the first one without an answer.
  const answered = (driver.stdout ?? '').split('\n').filter(Boolean).length;
  const culprit = all[answered];
  console.error(`run.mjs: ${opts.driver} failed (${driver.error ?? `status ${driver.status}, signal ${driver.signal}`})`);
  console.error(driver.stderr);
  if (culprit) {
    console.error(`run.mjs: it died on request ${answered}: ${culprit.id} ${culprit.label ?? ''}`);
    console.error(culprit.text.split('\n').map((l) => `  | ${l}`).join('\n'));
  }
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
  if (c.execute) {
    c.actual = a?.result ?? { errors: plainOurs(a?.errors) };
    return;
  }
  c.actual = a ? plainOurs(a.errors) : [];
  if (a && !c.sdl && a.status === 0 && a.errors?.length) c.problem = 'status OK with errors';
  if (a && !c.sdl && a.status !== 0 && !a.errors?.length) c.problem = `status ${a.status} without errors`;
});

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (errors) => errors.map((e) => `    ${JSON.stringify(e.message)} ${e.locations.map((l) => `${l.line}:${l.column}`).join(' ')}`).join('\n') || '    (no errors)';

// Where two JSON responses first differ, with both sides there.
function firstDifference(expected, actual, path = '') {
  const text = (v) => {
    const t = JSON.stringify(v);
    return t === undefined ? '(absent)' : t.length > 600 ? `${t.slice(0, 600)}...` : t;
  };
  const isObj = (v) => v && typeof v === 'object';
  if (isObj(expected) && isObj(actual) && Array.isArray(expected) === Array.isArray(actual)) {
    const ek = Object.keys(expected);
    const ak = Object.keys(actual);
    if (same(ek, ak)) {
      for (const k of ek) {
        if (!same(expected[k], actual[k])) return firstDifference(expected[k], actual[k], `${path}/${k}`);
      }
    } else {
      return `  at ${path || '/'}: keys differ\n  graphql-js: ${text(ek)}\n  ours:       ${text(ak)}\n  graphql-js value: ${text(expected)}\n  our value:        ${text(actual)}`;
    }
  }
  return `  at ${path || '/'}:\n  graphql-js: ${text(expected)}\n  ours:       ${text(actual)}`;
}

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
    // Long texts (the introspection query) are cut: their id finds them.
    const lines = c.text.split('\n');
    const shown = lines.length > 16 ? [...lines.slice(0, 12), `... (${lines.length - 12} more lines)`] : lines;
    console.log(shown.map((l) => `  | ${l}`).join('\n'));
    if (c.execute) {
      if (c.variables && Object.keys(c.variables).length) console.log(`  variables: ${JSON.stringify(c.variables)}`);
      if (c.root !== undefined) console.log(`  root: ${JSON.stringify(c.root)}`);
      console.log(firstDifference(c.expected, c.actual));
    } else {
      console.log(`  graphql-js:\n${show(c.expected)}`);
      console.log(`  ours:\n${show(c.actual)}`);
    }
  }
  const invalid = g.cases.filter((c) => (c.execute ? c.expected.errors ?? [] : c.expected).length).length;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${g.name}: ${total - disagreements.length}/${total} agree (${(rate * 100).toFixed(2)}%, need ${(g.threshold * 100).toFixed(1)}%; ${invalid} with errors)`);
  if (opts.verbose) for (const c of g.cases) console.log(`${c.id}: ${c.expected.length} error(s)`);
}
console.log(`\n==== graphql-js ${graphql.version} vs gqlws: agreement`);
for (const line of summary) console.log(line);
process.exit(failed ? 1 : 0);

// graphql-js's figures for bench_schema's work, on this machine, beside
// ours: the same 200-type schema (schema/schema200.graphql), the same
// 312-byte subscription, the same introspection query, the same 1 KiB
// event, the same measurement (CPU time, best of 5 runs of about 0.2 s
// each, after a warm-up). graphql-js comes from tests/graphql-js (npm ci
// there first; tests/graphql-js/run.sh does it).
//
//   node tests/bench/bench_schema.mjs [--ours build/tests/bench/bench_schema]
//
// Without --ours it prints graphql-js's figures only. No timed asserts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../graphql-js/package.json'));
const graphql = require('graphql');
const { values: opts } = parseArgs({ options: { ours: { type: 'string' } } });

const dir = join(here, 'schema');
const sdl = readFileSync(join(dir, 'schema200.graphql'), 'utf8');
const subscription = readFileSync(join(dir, 'subscription.graphql'), 'utf8');
const introspection = readFileSync(join(dir, 'introspection.graphql'), 'utf8');
const eventText = readFileSync(join(dir, 'event.json'), 'utf8');
const schema = graphql.buildSchema(sdl);
graphql.assertValidSchema(schema);
const introspectionDoc = graphql.parse(introspection);
const subscriptionDoc = graphql.parse(subscription);
const variableValues = { id: 't3-000001' };
// The event as graphql-js gets it from a PubSub: an object, parsed once.
const event = JSON.parse(eventText);

function executed(document, rootValue, variables) {
  const result = graphql.execute({ schema, document, rootValue, variableValues: variables });
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
  return JSON.stringify(result);
}

// CPU microseconds of the process (user + system, every thread: the
// garbage collector's too), as bench_schema counts its own: the machines
// this runs on are shared, and a descheduled process should not look slow.
function cpuUs() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function measure(op) {
  let batch = 1;
  for (;;) {
    const t0 = cpuUs();
    for (let i = 0; i < batch; i++) op();
    if (cpuUs() - t0 >= 20e3 || batch >= 1 << 30) break;
    batch *= 2;
  }
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const t0 = cpuUs();
    let done = 0;
    while (cpuUs() - t0 < 200e3) {
      for (let i = 0; i < batch; i++) op();
      done += batch;
    }
    best = Math.min(best, (cpuUs() - t0) / done);
  }
  return best;
}

function check(errors, what) {
  if (errors.length) throw new Error(`${what}: ${errors.map((e) => e.message).join('; ')}`);
}

const rows = [
  {
    name: 'build_schema',
    what: 'build the 200-type schema from SDL',
    how: 'buildSchema + assertValidSchema',
    op: () => graphql.assertValidSchema(graphql.buildSchema(sdl)),
  },
  {
    name: 'parse_validate',
    target: 5,
    what: 'parse + validate the subscription',
    how: 'parse + validate',
    op: () => check(graphql.validate(schema, graphql.parse(subscription)), 'validate'),
  },
  {
    name: 'introspection_full',
    target: 300,
    what: 'introspection: parse, validate, answer',
    how: 'parse + validate + execute + JSON.stringify',
    op: () => {
      const doc = graphql.parse(introspection);
      check(graphql.validate(schema, doc), 'validate');
      executed(doc);
    },
  },
  {
    name: 'introspection_answer',
    what: 'introspection: answer (validated)',
    how: 'execute + JSON.stringify',
    op: () => executed(introspectionDoc),
  },
  {
    name: 'project_event',
    target: 2,
    what: 'project the 1 KiB event to text',
    how: '(no such call: see the next row)',
    op: null,
  },
  {
    name: 'result_event',
    what: "the event's whole result as text",
    how: 'execute (rootValue: event) + JSON.stringify',
    op: () => executed(subscriptionDoc, { watchT3: event }, variableValues),
  },
];

const theirs = {};
for (const row of rows) if (row.op) theirs[row.name] = measure(row.op);

let ours = null;
if (opts.ours) ours = JSON.parse(execFileSync(opts.ours, ['--json', dir], { encoding: 'utf8' }));

console.log(`graphql-js ${graphql.version} on node ${process.version}; schema ${sdl.length} bytes SDL, subscription ${subscription.length} bytes; CPU us per operation, best of 5`);
const pad = (s, n) => String(s).padStart(n);
console.log(`${'work'.padEnd(40)} ${pad('ours us', 10)} ${pad('graphql-js us', 14)} ${pad('ratio', 8)} ${pad('target', 7)}  graphql-js calls`);
for (const row of rows) {
  const o = ours?.[row.name];
  const t = theirs[row.name];
  const ratio = o && t ? `${(t / o).toFixed(1)}x` : '-';
  const target = row.target ? `< ${row.target}` : '';
  console.log(`${row.what.padEnd(40)} ${pad(o ? o.toFixed(3) : '-', 10)} ${pad(t ? t.toFixed(3) : '-', 14)} ${pad(ratio, 8)} ${pad(target, 7)}  ${row.how}`);
}

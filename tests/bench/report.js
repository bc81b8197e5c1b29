'use strict';
// report.js - turns the raw runs of tests/bench/run.sh (one JSON line each)
// into the results: the table (Markdown, printed and saved), the summary JSON
// with the machine and conditions, and the chart (gnuplot).
//   node report.js OUT_DIR STAMP DURATION_S RAW.jsonl [MORE_RAW.jsonl ...]

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const [outDir, stamp, durationArg, ...rawPaths] = process.argv.slice(2);
const allRuns = rawPaths.flatMap((p) => fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
const runs = allRuns.filter((r) => r.result);
const failedRuns = allRuns.filter((r) => !r.result);
const peerVersions = JSON.parse(fs.readFileSync(path.join(__dirname, 'peers/package.json'), 'utf8')).dependencies;

const SERVERS = {
  'ours-host': { label: 'ours: gqlws-host (lws poll loop)', kind: 'ours', floor: 'floor-poll' },
  'ours-lwsws': { label: 'ours: plugin in lwsws (lws libuv loop)', kind: 'ours', floor: 'floor-uv' },
  'floor-poll': { label: 'floor: minimal lws server, poll loop', kind: 'floor' },
  'floor-uv': { label: 'floor: minimal lws server, libuv loop', kind: 'floor' },
  'node-sts': { label: `Node subscriptions-transport-ws ${peerVersions['subscriptions-transport-ws']}`, kind: 'peer' },
  'node-graphql-ws': { label: `Node graphql-ws ${peerVersions['graphql-ws']}`, kind: 'peer' },
};
const ORDER = Object.keys(SERVERS);
const OURS = ['ours-host', 'ours-lwsws'];

function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// System calls per message (per cycle in churn), from r.syscalls.
function syscallsPer(r, churn) {
  const sc = r.syscalls;
  const units = sc && (churn ? sc.cycles : sc.messages);
  return {
    sys_per: units ? sc.total / units : NaN,
    epoll_ctl_per: units ? sc.epoll_ctl / units : NaN,
    send_per: units ? sc.send / units : NaN,
  };
}

// The metrics of one run.
function metrics(run) {
  const r = run.result;
  const hub = run.hub;
  const s = r.server || {};
  const churn = r.mode === 'churn';
  const units = churn ? r.cycles : r.messages;
  return {
    rate: churn ? r.cycles_per_s : r.messages_per_s,
    cpu_us: units && s.cpu_s !== undefined ? (s.cpu_s / units) * 1e6 : NaN,
    p50: r.latency_ms.p50,
    p99: r.latency_ms.p99,
    errors: r.failed + r.protocol_errors,
    kib_per_conn: s.rss_kib_start !== undefined ? (s.rss_kib_start - s.rss_kib_idle) / r.connections : NaN,
    loadgen_cpu_us: units ? (r.loadgen_cpu_s / units) * 1e6 : NaN,
    // From the syscall window after the measured one (gqlws-loadgen --syscalls).
    ...syscallsPer(r, churn),
    connected: r.connected,
    // W5: events published in the window and deliveries per event.
    events: r.publish ? r.publish.events_in_window : NaN,
    per_event: r.publish && r.publish.events_in_window ? r.messages / r.publish.events_in_window
      // W6: the node's rate over the publisher's (its own window spans both nodes').
      : run.publisher?.publish?.events_in_window ? r.messages_per_s / (run.publisher.publish.events_in_window / run.publisher.window_s) : NaN,
    // W5, ours: the hub's serialisations per published event over the run
    // (one per distinct selection: 4 once every selection has a subscriber).
    ser_per_event: hub && hub.events ? hub.serialisations / hub.events : NaN,
    // W6: the shared redis-server's CPU per event published (over the whole
    // run, both nodes' traffic), and the publisher's errors.
    redis_cpu_us_per_event: run.publisher?.publish?.accepted ? (run.redis_cpu_s / run.publisher.publish.accepted) * 1e6 : NaN,
    publish_errors: run.publisher?.publish ? run.publisher.publish.errors : NaN,
    // CPU that neither the server nor the load generator used, in cores:
    // other processes on the shared machine (and unattributed kernel work).
    other_cores: r.machine_busy >= 0 && s.cpu_s !== undefined
      ? Math.max(0, (r.machine_busy * os.cpus().length * r.window_s - s.cpu_s - r.loadgen_cpu_s) / r.window_s) : NaN,
  };
}

// summary[workload][n][server][protocol] = median metrics over the reps
const summary = {};
for (const run of runs) {
  // W6 has one line per node: "W6-a" (published on) and "W6-b".
  const key = [run.node ? `${run.workload}-${run.node}` : run.workload, run.n, run.server, run.result.protocol];
  let node = summary;
  for (const k of key.slice(0, -1)) node = node[k] ??= {};
  (node[key[3]] ??= []).push(metrics(run));
}
for (const w of Object.values(summary)) {
  for (const byN of Object.values(w)) {
    for (const byServer of Object.values(byN)) {
      for (const [proto, list] of Object.entries(byServer)) {
        const out = { reps: list.length };
        for (const f of Object.keys(list[0])) out[f] = f === 'errors' ? Math.max(...list.map((m) => m[f])) : median(list.map((m) => m[f]));
        byServer[proto] = out;
      }
    }
  }
}

const get = (w, n, server, proto) => summary[w]?.[n]?.[server]?.[proto];
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');
const SHORT = { 'graphql-ws': 'graphql-ws', 'graphql-transport-ws': 'graphql-transport-ws' };

// Rows in a fixed order; each ours row is compared with the floor on its own
// loop, each peer row with both of ours on the peer's subprotocol.
function rows(w, n) {
  const out = [];
  for (const server of ORDER) {
    const byProto = summary[w]?.[n]?.[server];
    if (!byProto) continue;
    for (const proto of ['graphql-ws', 'graphql-transport-ws']) {
      if (byProto[proto]) out.push({ server, proto, m: byProto[proto], info: SERVERS[server] });
    }
  }
  return out;
}

function vsFloor(w, n, row, field) {
  if (row.info.kind !== 'ours') return '';
  const f = get(w, n, row.info.floor, row.proto);
  return f ? ratio(row.m[field], f[field]) : '–';
}

function peerVsOurs(w, n, row, field) {
  if (row.info.kind !== 'peer') return '';
  return OURS.map((o) => {
    const m = get(w, n, o, row.proto);
    return m ? `${o.replace('ours-', '')} ${ratio(row.m[field], m[field])}` : null;
  }).filter(Boolean).join(', ') || '–';
}

const lines = [];
const say = (s = '') => lines.push(s);
const sizes = (w) => Object.keys(summary[w] || {}).map(Number).sort((a, b) => a - b);
const tickOf = (w, n) => runs.find((r) => r.workload === w && r.n === n)?.tick_ms;

const when = stamp.replace(/^(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)$/, '$1-$2-$3 $4:$5 UTC');
say(`# lws-graphql-ws benchmark results (${when})`);
say();
const cpuModel = (os.cpus()[0] || {}).model || 'unknown CPU';
say(`Machine: ${cpuModel}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}; ` +
  `Node ${process.version}; build: ${process.env.BENCH_COMMIT || 'unknown'}; load generator and server share the cores. ` +
  `Each run: a fresh server, then a ${durationArg} s measured window; servers alternate within each workload. ` +
  `Server CPU is user+system time from /proc/<pid>/stat over the window (all threads). ` +
  `System calls are counted in a second window right after it (${[...new Set(runs.map((r) => r.result.syscalls?.tool).filter(Boolean))].join(', ') || 'not counted'}), per message delivered in that window. ` +
  `Ratios are the result; absolute numbers move with the machine's other load.`);
const others = runs.map((r) => metrics(r).other_cores).filter(Number.isFinite);
if (others.length) {
  say(`Other load during the windows (CPU used by neither the server nor the load generator): median ${median(others).toFixed(2)} cores, ` +
    `max ${Math.max(...others).toFixed(2)} of ${os.cpus().length}.`);
}
say();

for (const n of sizes('W1')) {
  say(`## W1 fan-out: ${n.toLocaleString('en')} subscribers of \`ticks\`, one tick every ${tickOf('W1', n)} ms`);
  say();
  say('| server | subprotocol | delivered msg/s | server CPU s per 1M msgs | syscalls per msg | epoll_ctl per msg | p50 ms | p99 ms | errors | ours/floor CPU, syscalls, p99 | peer/ours CPU |');
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of rows('W1', n)) {
    const fl = r.info.kind === 'ours' ? `${vsFloor('W1', n, r, 'cpu_us')}, ${vsFloor('W1', n, r, 'sys_per')}, ${vsFloor('W1', n, r, 'p99')}` : '';
    say(`| ${r.info.label} | ${SHORT[r.proto]} | ${fmt(r.m.rate, 0)} | ${fmt(r.m.cpu_us)} | ${fmt(r.m.sys_per, 2)} | ${fmt(r.m.epoll_ctl_per, 2)} | ${fmt(r.m.p50, 2)} | ${fmt(r.m.p99, 2)} | ${r.m.errors} | ${fl} | ${peerVsOurs('W1', n, r, 'cpu_us')} |`);
  }
  say();
}

if (summary.W2) {
  const n = sizes('W2')[0];
  say(`## W2 stream: ${n} connections, each \`counter(intervalMs: 0)\` (as fast as the socket drains)`);
  say();
  say('| server | subprotocol | msg/s | server CPU s per 1M msgs | syscalls per msg | epoll_ctl per msg | p99 ms | errors | ours/floor rate | peer/ours rate |');
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of rows('W2', n)) {
    say(`| ${r.info.label} | ${SHORT[r.proto]} | ${fmt(r.m.rate, 0)} | ${fmt(r.m.cpu_us)} | ${fmt(r.m.sys_per, 2)} | ${fmt(r.m.epoll_ctl_per, 2)} | ${fmt(r.m.p99, 2)} | ${r.m.errors} | ${vsFloor('W2', n, r, 'rate')} | ${peerVsOurs('W2', n, r, 'rate')} |`);
  }
  say();
}

if (summary.W3) {
  const n = sizes('W3')[0];
  say(`## W3 churn: ${n} concurrent loops of connect, init, ack, subscribe, first result, close`);
  say();
  say('| server | subprotocol | cycles/s | server CPU µs per cycle | syscalls per cycle | epoll_ctl per cycle | p50 cycle ms | p99 cycle ms | errors | ours/floor rate | peer/ours rate |');
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of rows('W3', n)) {
    say(`| ${r.info.label} | ${SHORT[r.proto]} | ${fmt(r.m.rate, 0)} | ${fmt(r.m.cpu_us, 0)} | ${fmt(r.m.sys_per, 1)} | ${fmt(r.m.epoll_ctl_per, 1)} | ${fmt(r.m.p50, 2)} | ${fmt(r.m.p99, 2)} | ${r.m.errors} | ${vsFloor('W3', n, r, 'rate')} | ${peerVsOurs('W3', n, r, 'rate')} |`);
  }
  say();
}

for (const n of sizes('W5')) {
  const run5 = runs.find((r) => r.workload === 'W5' && r.n === n);
  const queries = run5?.result.queries || [run5?.result.query];
  say(`## W5 topic fan-out: ${n.toLocaleString('en')} subscribers of one topic, ${queries.length} selections, one event published by HTTP every ${tickOf('W5', n)} ms`);
  say();
  say(`Selections, taken by the connections in turn: ${queries.map((q) => `\`${q}\``).join(', ')}. ` +
    'Each event carries its publish time; latency is publish to delivery. Ours: the schema executor (hub); peers: graphql-js + graphql-subscriptions PubSub ' +
    `${peerVersions['graphql-subscriptions'] || ''} + node http (peers/topic-server.js). The floors take the same publishes on an HTTP route and send each event whole as every subscription's data (no GraphQL, no selection). ` +
    'W5/W1: against our own W1 run at the same N and rate (ticks, one selection, no publishing).');
  say();
  say('| server | subprotocol | delivered msg/s | msgs per event | serialisations per event | server CPU µs per msg | syscalls per msg | p50 ms | p99 ms | errors | ours W5/W1 CPU | ours W5/floor CPU | peer/ours CPU |');
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |');
  for (const r of rows('W5', n)) {
    const w1 = r.info.kind === 'ours' ? get('W1', n, r.server, r.proto) : null;
    const fl = r.info.kind === 'ours' ? get('W5', n, r.info.floor, r.proto) : null;
    say(`| ${r.info.label} | ${SHORT[r.proto]} | ${fmt(r.m.rate, 0)} | ${fmt(r.m.per_event, 0)} | ${r.info.kind === 'ours' ? fmt(r.m.ser_per_event, 2) : ''} | ${fmt(r.m.cpu_us, 2)} | ${fmt(r.m.sys_per, 2)} | ${fmt(r.m.p50, 2)} | ${fmt(r.m.p99, 2)} | ${r.m.errors} | ` +
      `${r.info.kind === 'ours' ? (w1 ? ratio(r.m.cpu_us, w1.cpu_us) : '–') : ''} | ${r.info.kind === 'ours' ? (fl ? ratio(r.m.cpu_us, fl.cpu_us) : '–') : ''} | ${peerVsOurs('W5', n, r, 'cpu_us')} |`);
  }
  say();
}

for (const n of sizes('W6-a')) {
  const run6 = runs.find((r) => r.workload === 'W6' && r.n === n);
  const queries = run6?.result.queries || [run6?.result.query];
  say(`## W6 two nodes on one Redis: ${n.toLocaleString('en')} subscribers of one topic on each node, ${queries.length} selections, one event published by HTTP on node a every ${tickOf('W6', n)} ms`);
  say();
  say('Each node is a separate server process with its own load generator; one redis-server (no persistence) is shared; a third load generator publishes to node a. ' +
    'Latency is from the event\'s publish time to its delivery: node b\'s crosses nodes, node a\'s goes through Redis too (local delivery happens when Redis sends the event back). ' +
    `Ours: the plugin's Redis transport (option \`redis\`); peers: graphql-js + graphql-redis-subscriptions ${peerVersions['graphql-redis-subscriptions'] || ''} (ioredis ${peerVersions.ioredis || ''}) + node http (peers/topic-server.js --redis). ` +
    'W6/W5: server CPU per delivered message against the same server, node-local (W5, no Redis) at the same N and rate on the same loop. Msgs per event: the node\'s rate over the publisher\'s mean rate (approximate: the windows differ). Redis µs/event: the redis-server\'s CPU over the whole run per event published, its idle cron included (an upper bound).');
  say();
  say('| server | subprotocol | node | delivered msg/s | msgs per event | server CPU µs per msg | syscalls per msg | p50 ms | p99 ms | errors | W6/W5 CPU | peer/ours CPU | Redis µs/event |');
  say('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |');
  for (const node of ['a', 'b']) {
    for (const r of rows(`W6-${node}`, n)) {
      const w5 = get('W5', n, r.server, r.proto);
      say(`| ${r.info.label} | ${SHORT[r.proto]} | ${node} | ${fmt(r.m.rate, 0)} | ${fmt(r.m.per_event, 0)} | ${fmt(r.m.cpu_us, 2)} | ${fmt(r.m.sys_per, 2)} | ${fmt(r.m.p50, 2)} | ${fmt(r.m.p99, 2)} | ${r.m.errors + (r.m.publish_errors || 0)} | ` +
        `${w5 ? ratio(r.m.cpu_us, w5.cpu_us) : '–'} | ${peerVsOurs(`W6-${node}`, n, r, 'cpu_us')} | ${fmt(r.m.redis_cpu_us_per_event, 0)} |`);
    }
  }
  say();
}

if (summary.W1) {
  const ns = sizes('W1');
  say('## W4 memory: server RSS per connection holding one `ticks` subscription, (RSS at N − RSS idle) / N');
  say();
  say(`| server | subprotocol | ${ns.map((n) => `KiB/conn at ${n.toLocaleString('en')}`).join(' | ')} | ours/floor | peer/ours |`);
  say(`| --- | --- | ${ns.map(() => '---:').join(' | ')} | --- | --- |`);
  const big = ns[ns.length - 1];
  for (const r of rows('W1', big)) {
    const vals = ns.map((n) => fmt(get('W1', n, r.server, r.proto)?.kib_per_conn, 2));
    say(`| ${r.info.label} | ${SHORT[r.proto]} | ${vals.join(' | ')} | ${vsFloor('W1', big, r, 'kib_per_conn')} | ${peerVsOurs('W1', big, r, 'kib_per_conn')} |`);
  }
  say();
}

if (summary.HOLD) {
  say('## Held: subscribed connections kept open, ticks every second');
  say();
  say('| server | subprotocol | connections | seconds held | messages | p99 ms | errors | KiB/conn | measured |');
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const run of runs.filter((r) => r.workload === 'HOLD')) {
    const m = metrics(run);
    say(`| ${SERVERS[run.server].label} | ${run.result.protocol} | ${run.result.connected} of ${run.n} | ${fmt(run.result.window_s, 0)} | ${run.result.messages} | ${fmt(m.p99, 2)} | ${m.errors} | ${fmt(m.kib_per_conn, 2)} | ${run.at || ''} UTC, ${run.commit || ''} |`);
  }
  say();
}

if (failedRuns.length) {
  say('## Runs without a result (the server did not start)');
  say();
  for (const r of failedRuns) say(`- ${r.workload} ${r.server} n=${r.n}`);
  say();
}

// The issue's targets, each checked against what was measured.
const targets = [];
function check(name, value, ok, detail) {
  if (!Number.isFinite(value)) return;
  targets.push({ name, value: Number(value.toFixed(3)), met: ok(value), detail });
}
for (const n of sizes('W1')) {
  for (const o of OURS) {
    for (const proto of ['graphql-ws', 'graphql-transport-ws']) {
      const m = get('W1', n, o, proto);
      const f = get('W1', n, SERVERS[o].floor, proto);
      if (!m || !f) continue;
      check(`W1 ${n} ${o} ${proto}: CPU/msg ours/floor ≤ 1.3`, m.cpu_us / f.cpu_us, (v) => v <= 1.3, `${fmt(m.cpu_us)} vs ${fmt(f.cpu_us)} µs`);
      check(`W1 ${n} ${o} ${proto}: p99 ours/floor ≤ 1.5`, m.p99 / f.p99, (v) => v <= 1.5, `${fmt(m.p99, 2)} vs ${fmt(f.p99, 2)} ms`);
      // Issue 14: in lwsws, less than the libuv floor per message.
      if (o === 'ours-lwsws') {
        check(`W1 ${n} ${o} ${proto}: CPU/msg ours/floor ≤ 0.9`, m.cpu_us / f.cpu_us, (v) => v <= 0.9, `${fmt(m.cpu_us)} vs ${fmt(f.cpu_us)} µs`);
      }
    }
  }
}
for (const o of OURS) {
  for (const proto of ['graphql-ws', 'graphql-transport-ws']) {
    const n2 = sizes('W2')[0];
    const m2 = get('W2', n2, o, proto);
    const f2 = m2 && get('W2', n2, SERVERS[o].floor, proto);
    if (m2 && f2) check(`W2 ${o} ${proto}: rate ours/floor ≥ 0.8`, m2.rate / f2.rate, (v) => v >= 0.8, `${fmt(m2.rate, 0)} vs ${fmt(f2.rate, 0)} msg/s`);
    const n3 = sizes('W3')[0];
    const m3 = get('W3', n3, o, proto);
    for (const peer of ['node-sts', 'node-graphql-ws']) {
      const p3 = m3 && get('W3', n3, peer, proto);
      if (p3) check(`W3 ${o} ${proto}: cycles/s ours/${peer} ≥ 5`, m3.rate / p3.rate, (v) => v >= 5, `${fmt(m3.rate, 0)} vs ${fmt(p3.rate, 0)} cycles/s`);
    }
    const big = sizes('W1').slice(-1)[0];
    const m4 = get('W1', big, o, proto);
    if (m4) {
      check(`W4 ${big} ${o} ${proto}: KiB/conn ≤ 4`, m4.kib_per_conn, (v) => v <= 4, `${fmt(m4.kib_per_conn, 2)} KiB`);
      for (const peer of ['node-sts', 'node-graphql-ws']) {
        const p4 = get('W1', big, peer, proto);
        if (p4) check(`W4 ${big} ${o} ${proto}: KiB/conn ${peer}/ours ≥ 5`, p4.kib_per_conn / m4.kib_per_conn, (v) => v >= 5, `${fmt(p4.kib_per_conn, 2)} vs ${fmt(m4.kib_per_conn, 2)} KiB`);
      }
      check(`W1 ${big} ${o} ${proto}: ${big} connections, zero errors`, m4.errors, (v) => v === 0, `${m4.connected} connected, ${m4.errors} errors`);
    }
  }
}
for (const n of sizes('W5')) {
  for (const o of OURS) {
    for (const proto of ['graphql-ws', 'graphql-transport-ws']) {
      const m = get('W5', n, o, proto);
      if (!m) continue;
      const w1 = get('W1', n, o, proto);
      const f = get('W5', n, SERVERS[o].floor, proto);
      if (w1) check(`W5 ${n} ${o} ${proto}: CPU/msg W5/W1 ≤ 1.2`, m.cpu_us / w1.cpu_us, (v) => v <= 1.2, `${fmt(m.cpu_us, 2)} vs ${fmt(w1.cpu_us, 2)} µs`);
      if (f) check(`W5 ${n} ${o} ${proto}: CPU/msg ours/floor ≤ 1.3`, m.cpu_us / f.cpu_us, (v) => v <= 1.3, `${fmt(m.cpu_us, 2)} vs ${fmt(f.cpu_us, 2)} µs`);
      check(`W5 ${n} ${o} ${proto}: zero errors`, m.errors, (v) => v === 0, `${m.connected} connected, ${m.errors} errors`);
    }
  }
}
for (const n of sizes('W6-a')) {
  for (const o of OURS) {
    for (const proto of ['graphql-ws', 'graphql-transport-ws']) {
      const w5 = get('W5', n, o, proto);
      for (const node of ['a', 'b']) {
        const m = get(`W6-${node}`, n, o, proto);
        if (!m) continue;
        if (w5) check(`W6 ${n} ${o} ${proto} node ${node}: CPU/msg W6/W5 ≤ 1.15`, m.cpu_us / w5.cpu_us, (v) => v <= 1.15, `${fmt(m.cpu_us, 2)} vs ${fmt(w5.cpu_us, 2)} µs`);
        check(`W6 ${n} ${o} ${proto} node ${node}: zero errors`, m.errors + (m.publish_errors || 0), (v) => v === 0, `${m.connected} connected, ${m.errors} errors, ${m.publish_errors} publish errors`);
      }
    }
  }
}
for (const run of runs.filter((r) => r.workload === 'HOLD')) {
  const m = metrics(run);
  check(`HOLD ${run.server} ${run.result.protocol}: ${run.n} connections held ${fmt(run.result.window_s, 0)} s, zero errors`,
    m.errors + (run.result.connected < run.n ? 1 : 0), (v) => v === 0, `${run.result.connected} connected, ${m.errors} errors, exit ${run.exit}`);
}
const workloadOrder = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'HOLD'];
targets.sort((a, b) => workloadOrder.indexOf(a.name.split(' ')[0]) - workloadOrder.indexOf(b.name.split(' ')[0]));
if (targets.length) {
  say('## Targets');
  say();
  for (const t of targets) say(`- ${t.met ? 'met' : '**missed**'}: ${t.name} — ${fmt(t.value, 2)} (${t.detail})`);
  say();
}

const table = lines.join('\n');
process.stdout.write(`${table}\n`);
fs.writeFileSync(path.join(outDir, 'bench.md'), `${table}\n`);
fs.writeFileSync(path.join(outDir, 'bench.json'), `${JSON.stringify({
  stamp,
  build: process.env.BENCH_COMMIT || 'unknown',
  machine: { cpu: cpuModel, cores: os.cpus().length, memory_gib: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), node: process.version },
  duration_s: Number(durationArg),
  peers: peerVersions,
  raw: rawPaths.map((p) => path.basename(p)),
  summary,
  targets,
}, null, 1)}\n`);

// The chart: W1 server CPU per million messages and W4 KiB per connection,
// each server's value the mean over the subprotocols it serves.
const ns = sizes('W1');
if (ns.length) {
  const data = [];
  for (const server of ORDER) {
    const cols = [];
    for (const field of ['cpu_us', 'kib_per_conn']) {
      for (const n of ns) {
        const v = Object.values(summary.W1[n]?.[server] || {}).map((m) => m[field]).filter(Number.isFinite);
        cols.push(v.length ? (v.reduce((a, b) => a + b, 0) / v.length).toFixed(3) : '?');
      }
    }
    if (cols.some((c) => c !== '?')) data.push(`"${server}" ${cols.join(' ')}`);
  }
  const dat = path.join(outDir, 'bench-chart.dat');
  fs.writeFileSync(dat, `# server ${ns.map((n) => `cpu_us@${n}`).join(' ')} ${ns.map((n) => `kib@${n}`).join(' ')}\n${data.join('\n')}\n`);
  const png = path.join(outDir, 'bench.png');
  const k = ns.length;
  const script = `
set terminal pngcairo size 1200,480 font ",10"
set output "${png}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set xtics rotate by -25 noenhanced
set key top left noenhanced
set yrange [0:*]
set multiplot layout 1,2 title "lws-graphql-ws benchmark, ${when}, ${cpuModel}, ${os.cpus().length} cores (each bar: mean over the subprotocols the server speaks)" noenhanced
set title "W1 fan-out: server CPU seconds per million delivered messages"
plot ${ns.map((n, i) => `"${dat}" using ${2 + i}:xtic(1) title "${n} subscribers"`).join(', ')}
set title "W4 memory: server KiB per connection (one subscription)"
plot ${ns.map((n, i) => `"${dat}" using ${2 + k + i}:xtic(1) title "${n} connections"`).join(', ')}
unset multiplot
`;
  try {
    execFileSync('gnuplot', [], { input: script, stdio: ['pipe', 'ignore', 'pipe'] });
    process.stderr.write(`bench: chart in ${png}\n`);
  } catch (err) {
    process.stderr.write(`bench: no chart (${String(err.message).split('\n')[0]})\n`);
  }
}
process.stderr.write(`bench: results in ${path.join(outDir, 'bench.md')} and bench.json (raw: ${rawPaths.join(', ')})\n`);

// Prints what tests/bench/overload.sh sampled: per server, a summary line
// (capacity, offered and delivered rates, RSS and latency at the start and
// the end, clients closed), then one row per second.
//   node tests/bench/overload-report.js results/overload-<stamp>.jsonl
'use strict';
const fs = require('fs');

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const keyOf = (l) => `${l.target}${l.options && l.target.startsWith('ours') ? ` (${l.options})` : ''} ${l.protocol}`;
const servers = [...new Set(lines.map(keyOf))];
const mib = (kib) => (kib / 1024).toFixed(0);
const ms = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

for (const key of servers) {
  const rows = lines.filter((l) => keyOf(l) === key);
  const samples = rows.filter((r) => r.sample);
  const final = rows.find((r) => !r.sample);
  if (!samples.length) { console.log(`\n${key}: no samples`); continue; }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const rss = samples.map((s) => (s.server ? s.server.rss_kib : 0));
  const capacity = first.capacity_msg_s ? `capacity ${first.capacity_msg_s} msg/s` : 'capacity not probed (OVERLOAD_TICK_MS)';
  console.log(`\n### ${key}: ${capacity}, offered ${first.offered_msg_s} msg/s (tick-ms ${first.tick_ms})`);
  if (final) {
    console.log(`delivered ${Math.round(final.messages_per_s)} msg/s over ${final.window_s.toFixed(0)} s; ` +
      `p50 ${ms(final.latency_ms.p50)} ms, p99 ${ms(final.latency_ms.p99)} ms over the run; ` +
      `server CPU ${final.server ? (final.server.cpu_s / final.window_s * 100).toFixed(0) : '-'}%`);
  }
  console.log(`RSS ${mib(rss[0])} -> max ${mib(Math.max(...rss))} -> ${mib(rss[rss.length - 1])} MiB; ` +
    `p99 ${ms(first.latency_ms.p99)} -> ${ms(last.latency_ms.p99)} ms; clients closed by the server: ${last.server_closes}`);
  const stalled = samples.some((x) => x.stalled);
  if (stalled) console.log(`${last.stalled} of the clients stopped reading; rates, latencies and "open" are the readers'`);
  console.log('\n| s | delivered msg/s | p50 ms | p99 ms | RSS MiB | server CPU | open |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const s of samples) {
    console.log(`| ${s.t_s.toFixed(0)} | ${Math.round(s.messages_per_s)} | ${ms(s.latency_ms.p50)} | ${ms(s.latency_ms.p99)} | ` +
      `${s.server ? mib(s.server.rss_kib) : '-'} | ${s.server ? (s.server.cpu * 100).toFixed(0) + '%' : '-'} | ${s.open} |`);
  }
}

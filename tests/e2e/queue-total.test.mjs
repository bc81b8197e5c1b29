// send-queue-total-bytes: one bound on the heap that the send queues of all
// a vhost's connections hold together. Clients that stop reading make the
// total grow; once it passes the bound the largest queues are closed 1008
// `Server send queue limit exceeded` (their queued frames dropped at once),
// while clients that read keep receiving every message, in order. The test
// executor's `queueStats` (lws_gqlws_vhost_queue_stats) shows the total, its
// peak and the evictions, so the test also checks that the total never went
// past the bound by more than one frame. Both subprotocols.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, opStatsUntil, waitFor, T } from './lib/suite.mjs';
import { connectInitialised, LEGACY, MODERN } from './lib/raw.mjs';
import { startServer } from './lib/server.mjs';

const BOUND = 262144;
const REASON = 'Server send queue limit exceeded';
// A tick of ~1.6 KB: the clients that stop reading fill the kernel's socket
// buffers within a second, after which their queues grow in the server.
const WIDE_TICK = `subscription { ticks { ${Array.from({ length: 150 }, (_, i) => `a${i}: seq`).join(' ')} } }`;

const subscribe = (protocol, id, query) => (protocol === MODERN
  ? { id, type: 'subscribe', payload: { query } }
  : { type: 'start', id, payload: { query } });

async function queueStats(url) {
  const peer = await connectInitialised(url, MODERN);
  try {
    peer.send({ id: 'q', type: 'subscribe', payload: { query: 'query { queueStats { bound bytes peak evictions } }' } });
    const next = await peer.nextExcept(['ping']);
    assert.equal(next.type, 'next', `queueStats: ${JSON.stringify(next)}`);
    return next.payload.data.queueStats;
  } finally { peer.close(); }
}

async function queueStatsUntil(url, pred, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await queueStats(url);
    if (pred(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A subscriber to `ticks { seq }` that reads everything and records whether
// each tick followed the one before (no tick lost, none out of order).
async function reader(url, protocol) {
  const p = await connectInitialised(url, protocol);
  const r = { p, count: 0, last: null, gaps: [], closed: null };
  p.ws.on('message', (data) => {
    const m = JSON.parse(data.toString('utf8'));
    if (m.id !== 'r') return;
    const seq = m.payload.data.ticks.seq;
    if (r.last !== null && seq !== r.last + 1) r.gaps.push(`${r.last} -> ${seq}`);
    r.last = seq;
    r.count += 1;
  });
  p.ws.on('close', (code, reason) => { r.closed = { code, reason: reason.toString('utf8') }; });
  p.send(subscribe(protocol, 'r', 'subscription { ticks { seq } }'));
  return r;
}

// A client that stops reading before its `ops` wide subscriptions start.
// Uncompressed: under permessage-deflate (lwsws) the repetitive ticks would
// take ages to fill the kernel's buffers.
async function stalled(url, protocol, ops) {
  const p = await connectInitialised(url, protocol, undefined, { perMessageDeflate: false });
  p.ws.pause();
  for (let i = 0; i < ops; i++) p.send(subscribe(protocol, `w${i}`, WIDE_TICK));
  return p;
}

describeTargets('send-queue-total-bytes', 15, ({ target, port }) => {
  describe(`send-queue-total-bytes ${BOUND}, tick-ms 2`, () => {
    const srv = useServer(target, port(0), {
      'keepalive-ms': '0', 'tick-ms': '2', 'send-queue-total-bytes': String(BOUND),
    });

    it('the bound is the option given, and nothing is held while every client reads', T, async () => {
      const s = await queueStats(srv.url);
      assert.equal(s.bound, BOUND);
      assert.equal(s.evictions, 0);
    });

    for (const protocol of [MODERN, LEGACY]) {
      it(`${protocol}: clients that stop reading are closed 1008 "${REASON}"; readers get every tick in order`, { timeout: 30000 }, async () => {
        const before = await queueStats(srv.url);
        const readers = [await reader(srv.url, protocol), await reader(srv.url, protocol)];
        const peers = [];
        try {
          await waitFor(() => readers.every((r) => r.count >= 20), 5000, () => 'readers receive ticks');
          // Two clients fall behind, at different speeds: the largest queue
          // goes first, then the other as it grows in its turn.
          peers.push(await stalled(srv.url, protocol, 20), await stalled(srv.url, protocol, 6));
          const evicted = await queueStatsUntil(srv.url, (s) => s.evictions >= before.evictions + 2, 20000);
          assert.equal(evicted.evictions, before.evictions + 2, `stats ${JSON.stringify(evicted)}`);
          // Each stalled client, once it reads again, gets what the kernel
          // held for it, then the close: its queue in the server was dropped.
          for (const p of peers) {
            p.ws.resume();
            const end = await p.drainUntilClosed(10000);
            assert.deepEqual({ code: end.code, reason: end.reason }, { code: 1008, reason: REASON },
              `after ${end.messages.length} messages`);
          }
          // The readers were never closed and missed nothing, before, during
          // and after the evictions.
          const counted = readers.map((r) => r.count);
          await waitFor(() => readers.every((r, i) => r.count >= counted[i] + 50), 5000, () => 'readers go on');
          for (const r of readers) {
            assert.equal(r.closed, null, `a reader was closed: ${JSON.stringify(r.closed)}`);
            assert.deepEqual(r.gaps, [], 'every tick, in order');
          }
          // The total went over the bound by at most one frame: a wide tick
          // (its payload, lws's headroom and the frame's header, as the
          // allocator rounds them), and it is given back once the queues are
          // dropped.
          const after = await queueStatsUntil(srv.url, (s) => s.bytes < BOUND / 8, 5000);
          const wideFrame = Buffer.byteLength(JSON.stringify({ id: 'w0', type: 'next', payload: { data: { ticks: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`a${i}`, 9999999])) } } })) + 64;
          assert.ok(after.peak > BOUND, `the bound was reached (peak ${after.peak})`);
          assert.ok(after.peak <= BOUND + wideFrame, `peak ${after.peak} within one frame (${wideFrame}) of ${BOUND}`);
          assert.ok(after.bytes < BOUND / 8, `bytes ${after.bytes} after the evictions`);
        } finally {
          for (const p of peers) p.close();
          for (const r of readers) r.p.close();
        }
      });
    }

    it('the executor was told to stop every operation of the evicted clients', T, async () => {
      const s = await opStatsUntil(srv.url, (x) => x.running === 1);
      assert.equal(s.running, 1, `opStats ${JSON.stringify(s)}`);
    });

    itStopsCleanly(srv);
  });

  describe('send-queue-total-bytes 0 (off)', () => {
    const srv = useServer(target, port(1), { 'keepalive-ms': '0', 'send-queue-total-bytes': '0' });

    it('no bound: queueStats says 0', T, async () => {
      const s = await queueStats(srv.url);
      assert.deepEqual(s, { bound: 0, bytes: 0, peak: 0, evictions: 0 });
    });

    itStopsCleanly(srv);
  });

  for (const value of ['1000', '64k', '-1']) {
    it(`send-queue-total-bytes "${value}" → the server does not start, naming the option and its range`, T, async () => {
      let server = null;
      const err = await startServer(target, port(2), { 'send-queue-total-bytes': value }).then(
        (s) => { server = s; return null; }, (e) => e);
      if (server) await server.stop();
      assert.ok(err, 'the server started');
      assert.match(err.message, new RegExp(`option "send-queue-total-bytes" = "${value}": must be 0 \\(off\\) or a whole number of bytes from 16384 to 1099511627776`));
    });
  }
});

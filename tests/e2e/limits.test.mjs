// The options of README that bound what one client can cost, and the
// transport cases no client library produces: fragmented messages, oversized
// messages, the init timeout, a client that stops reading, an abrupt TCP
// close, and the keep-alive frames on the wire. Both subprotocols.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, opStats, opStatsUntil, sleep, T } from './lib/suite.mjs';
import { connect, connectInitialised, LEGACY, MODERN } from './lib/raw.mjs';

const MAX_BYTES = 4096;

// A ping (modern) or an unknown-type message (legacy) of exactly n bytes.
function paddedMessage(type, n) {
  const base = JSON.stringify({ type, payload: { pad: '' } });
  const msg = JSON.stringify({ type, payload: { pad: 'x'.repeat(n - base.length) } });
  assert.equal(Buffer.byteLength(msg), n);
  return msg;
}

// Sends `text` as one message cut into `parts` WebSocket frames; with
// finish false the last frame is not final (the message stays open).
function sendFragmented(peer, text, parts, finish = true, compress = false) {
  const size = Math.ceil(text.length / parts);
  for (let i = 0; i < parts; i++) {
    const chunk = text.slice(i * size, (i + 1) * size);
    peer.ws.send(chunk, { fin: finish && i === parts - 1, compress, binary: false });
  }
}

// A query padded with ignored whitespace to about n bytes.
function paddedQuery(query, n) {
  return query.replace('{', `${' '.repeat(Math.max(0, n - query.length))}{`);
}

const subscribe = (protocol, id, query) => (protocol === MODERN
  ? { id, type: 'subscribe', payload: { query } }
  : { type: 'start', id, payload: { query } });

const resultOf = (protocol, id, payload) => (protocol === MODERN
  ? { id, type: 'next', payload }
  : { type: 'data', id, payload });

const completeOf = (protocol, id) => (protocol === MODERN ? { id, type: 'complete' } : { type: 'complete', id });

describeTargets('limits and transport edge cases', 4, ({ target, port }) => {
  describe('max-message-bytes 4096, max-operations 3, init-timeout-ms 300', () => {
    const srv = useServer(target, port(0), {
      'keepalive-ms': '0', 'max-message-bytes': String(MAX_BYTES), 'max-operations': '3', 'init-timeout-ms': '300',
    });

    it('graphql-transport-ws: a message of exactly max-message-bytes is accepted', T, async () => {
      const p = await connectInitialised(srv.url, MODERN);
      try {
        const msg = paddedMessage('ping', MAX_BYTES);
        p.send(msg);
        assert.deepEqual(await p.next(), { ...JSON.parse(msg), type: 'pong' });
      } finally { p.close(); }
    });

    for (const protocol of [MODERN, LEGACY]) {
      const type = protocol === MODERN ? 'ping' : 'nope';

      // lwsws negotiates permessage-deflate with ws (the host does not), so
      // there the first case arrives compressed and is inflated by lws.
      for (const compress of [true, false]) {
        const how = compress ? 'permessage-deflate if negotiated' : 'uncompressed';
        it(`${protocol}: a message one byte over max-message-bytes (${how}) → close 1009`, T, async () => {
          const p = await connectInitialised(srv.url, protocol);
          try {
            p.ws.send(paddedMessage(type, MAX_BYTES + 1), { compress });
            assert.equal((await p.closed()).code, 1009);
          } finally { p.close(); }
        });
      }

      // The size is decided before anything else about a message: an
      // oversized binary one gets 1009 too, not the binary-message answer.
      it(`${protocol}: a binary message one byte over max-message-bytes → close 1009`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          p.ws.send(Buffer.from(paddedMessage(type, MAX_BYTES + 1)), { binary: true, compress: false });
          assert.equal((await p.closed()).code, 1009);
        } finally { p.close(); }
      });

      for (const compress of [false, true]) {
        const how = compress ? 'permessage-deflate if negotiated' : 'uncompressed';

        it(`${protocol}: many small frames adding up to more than max-message-bytes (${how}) → close 1009`, T, async () => {
          const p = await connectInitialised(srv.url, protocol);
          try {
            // 9 frames of 512 bytes, no final one: the server must not wait
            // for the end of a message that is already too large. (Sending
            // more after the limit races the close frame against a TCP reset.)
            sendFragmented(p, paddedMessage(type, 9 * 512), 9, false, compress);
            assert.equal((await p.closed()).code, 1009);
          } finally { p.close(); }
        });

        it(`${protocol}: one message split over many frames (${how}) is processed once, when complete`, T, async () => {
          const p = await connectInitialised(srv.url, protocol);
          try {
            const text = JSON.stringify(subscribe(protocol, '1', paddedQuery('query { hello }', 3000)));
            sendFragmented(p, text, 40, true, compress);
            assert.deepEqual(await p.next(), resultOf(protocol, '1', { data: { hello: 'world' } }));
            assert.deepEqual(await p.next(), completeOf(protocol, '1'));
            await p.nothingFor(200);
          } finally { p.close(); }
        });
      }

      it(`${protocol}: the operation beyond max-operations gets an error; the connection stays`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          for (const id of ['1', '2', '3']) p.send(subscribe(protocol, id, 'subscription { counter(intervalMs: 50) { value } }'));
          p.send(subscribe(protocol, '4', 'query { hello }'));
          let refusal;
          const seen = new Set();
          while (!refusal || seen.size < 3) {
            const m = await p.next();
            if (m.id === '4') refusal = m;
            else if (m.type === (protocol === MODERN ? 'next' : 'data')) seen.add(m.id);
            else assert.fail(`unexpected ${JSON.stringify(m)}`);
          }
          if (protocol === MODERN) {
            assert.equal(refusal.type, 'error', JSON.stringify(refusal));
            assert.ok(Array.isArray(refusal.payload) && typeof refusal.payload[0].message === 'string', JSON.stringify(refusal));
            assert.deepEqual(Object.keys(refusal).sort(), ['id', 'payload', 'type']);
            p.send({ id: '1', type: 'complete' });
          } else {
            assert.deepEqual(Object.keys(refusal).sort(), ['id', 'payload', 'type']);
            assert.equal(refusal.type, 'error', JSON.stringify(refusal));
            assert.equal(typeof refusal.payload.message, 'string');
            p.send({ type: 'stop', id: '1' });
          }
          // With one slot free again, a new operation runs.
          p.send(subscribe(protocol, '5', 'query { hello }'));
          for (;;) {
            const m = await p.next();
            if (m.id !== '5') continue;
            assert.deepEqual(m, resultOf(protocol, '5', { data: { hello: 'world' } }));
            break;
          }
        } finally { p.close(); }
      });

      it(`${protocol}: no connection_init within init-timeout-ms → close 4408`, T, async () => {
        const p = await connect(srv.url, [protocol]);
        try {
          const started = Date.now();
          const c = await p.closed(3000);
          assert.deepEqual(c, { code: 4408, reason: 'Connection initialisation timeout' });
          assert.ok(Date.now() - started >= 250, `closed after ${Date.now() - started} ms`);
        } finally { p.close(); }
      });

      it(`${protocol}: an init in time is not timed out`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          await p.nothingFor(700);
        } finally { p.close(); }
      });

      it(`${protocol}: an abrupt TCP close mid-stream stops the operation`, T, async () => {
        const before = await opStats(srv.url);
        const p = await connectInitialised(srv.url, protocol);
        p.send(subscribe(protocol, '1', 'subscription { counter(intervalMs: 20) { value } }'));
        p.send(subscribe(protocol, '2', 'subscription { ticks { seq } }'));
        const running = new Set();
        while (running.size < 2) running.add((await p.next()).id);
        p.ws._socket.destroy();
        const after = await opStatsUntil(srv.url, (s) => s.stopped === before.stopped + 2 && s.running === before.running);
        assert.equal(after.stopped, before.stopped + 2, `before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
        assert.equal(after.running, before.running);
      });
    }

    itStopsCleanly(srv);
  });

  describe('send-queue-bytes 16384, tick-ms 1', () => {
    const srv = useServer(target, port(1), { 'keepalive-ms': '0', 'send-queue-bytes': '16384', 'tick-ms': '1' });

    for (const protocol of [MODERN, LEGACY]) {
      it(`${protocol}: a client that stops reading is closed with 1008 Send queue limit exceeded`, T, async () => {
        const before = await opStats(srv.url);
        // Uncompressed: under permessage-deflate (lwsws) the kernel's buffers
        // hold hundreds of thousands of tiny compressed ticks, and ws inflates
        // them at ~10k messages/s, so draining them outlasts any sane bound.
        const p = await connectInitialised(srv.url, protocol, undefined, { perMessageDeflate: false });
        try {
          const ops = 50;
          // The client stops reading before its operations start: 50 ticks
          // every millisecond against a 16 KiB queue (frames counted at
          // their heap cost) would overflow even a client that reads, at the
          // first stall of a loaded machine, before the test could pause.
          p.ws.pause();
          for (let i = 0; i < ops; i++) p.send(subscribe(protocol, String(i), 'subscription { ticks { seq at } }'));
          // Paused until the server has started operations, overflowed and
          // stopped every one (not for a fixed time: on a loaded machine the
          // kernel's buffers may take seconds to fill). Each opStats query
          // is an operation that starts and ends by itself: polls counts them.
          let polls = 0;
          const overflowed = await opStatsUntil(srv.url, (s) => {
            polls += 1;
            return s.started - before.started - polls >= 1 && s.running === before.running;
          }, 10000);
          assert.equal(overflowed.running, before.running, 'the server gave up on the client that stopped reading');
          p.ws.resume();
          const end = await p.drainUntilClosed(8000);
          assert.deepEqual({ code: end.code, reason: end.reason }, { code: 1008, reason: 'Send queue limit exceeded' },
            `after ${end.messages.length} messages`);
          // The server may close before it has read every start; each one
          // it did start must have been stopped (the opStats queries that
          // read the counters are the operations that end by themselves).
          const after = await opStatsUntil(srv.url, (s) => { polls += 1; return s.running === before.running; });
          const started = after.started - before.started - polls;
          assert.equal(after.running, before.running);
          assert.ok(started >= 1 && started <= ops, `started ${started}`);
          assert.equal(after.stopped - before.stopped, started, `before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
        } finally { p.close(); }
      });
    }

    for (const protocol of [MODERN, LEGACY]) {
      it(`${protocol}: counter with intervalMs 0 is paced by the reader, never by growing the send queue`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          p.send(subscribe(protocol, 'c', 'subscription { counter(intervalMs: 0) { value } }'));
          await p.next();
          p.ws.pause();
          await sleep(1500);
          p.ws.resume();
          let last = 0;
          for (let i = 0; i < 5000; i++) {
            const m = await p.next();
            assert.equal(m.payload.data.counter.value, last + 1, 'consecutive values, none dropped');
            last += 1;
          }
          p.send(protocol === MODERN ? { id: 'c', type: 'complete' } : { type: 'stop', id: 'c' });
        } finally { p.close(); }
      });
    }

    it('a client that reads keeps up with tick-ms 1', T, async () => {
      const p = await connectInitialised(srv.url, MODERN);
      try {
        p.send(subscribe(MODERN, 't', 'subscription { ticks { seq } }'));
        let last = -1;
        for (let i = 0; i < 100; i++) {
          const m = await p.next();
          assert.equal(m.id, 't');
          assert.ok(m.payload.data.ticks.seq > last, 'seq increases');
          last = m.payload.data.ticks.seq;
        }
      } finally { p.close(); }
    });

    itStopsCleanly(srv);
  });

  describe('keepalive-ms 200', () => {
    const srv = useServer(target, port(2), { 'keepalive-ms': '200' });

    it('graphql-ws: {"type":"ka"} right after the ack, then every interval', T, async () => {
      const p = await connect(srv.url, [LEGACY]);
      try {
        p.send({ type: 'connection_init', payload: {} });
        assert.deepEqual(await p.next(), { type: 'connection_ack' });
        assert.deepEqual(await p.next(150), { type: 'ka' }); // not the periodic one (200 ms)
        const t0 = Date.now();
        assert.deepEqual(await p.next(1000), { type: 'ka' });
        assert.deepEqual(await p.next(1000), { type: 'ka' });
        const elapsed = Date.now() - t0;
        assert.ok(elapsed >= 300 && elapsed < 1000, `two intervals took ${elapsed} ms`);
      } finally { p.close(); }
    });

    it('graphql-ws: no ka before the ack', T, async () => {
      const p = await connect(srv.url, [LEGACY]);
      try {
        await p.nothingFor(500);
      } finally { p.close(); }
    });

    it('graphql-transport-ws: no ping before the ack, then {"type":"ping"} every interval', T, async () => {
      const p = await connect(srv.url, [MODERN]);
      try {
        await p.nothingFor(500);
        p.send({ type: 'connection_init' });
        assert.deepEqual(await p.next(), { type: 'connection_ack' });
        assert.deepEqual(await p.next(1000), { type: 'ping' });
        p.send({ type: 'pong' });
        assert.deepEqual(await p.next(1000), { type: 'ping' });
      } finally { p.close(); }
    });

    it('keep-alive frames do not disturb a running operation', T, async () => {
      const p = await connectInitialised(srv.url, MODERN);
      try {
        p.send(subscribe(MODERN, '1', 'subscription { counter(limit: 5, intervalMs: 100) { value } }'));
        const values = [];
        for (;;) {
          const m = await p.nextExcept(['ping'], 3000);
          if (m.type === 'complete') { assert.deepEqual(m, { id: '1', type: 'complete' }); break; }
          values.push(m.payload.data.counter.value);
        }
        assert.deepEqual(values, [0, 1, 2, 3, 4]);
      } finally { p.close(); }
    });

    itStopsCleanly(srv);
  });
});

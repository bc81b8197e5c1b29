// A client that stops reading must still learn why it was dropped (lib/PROTOCOL.md:
// the close frame goes out as soon as the client reads again, within a
// bounded wait). lws 4.1.6 loses the close frame in two ways that these
// tests provoke on purpose: a close handed over while lws still holds the
// unsent tail of a frame (it flushes the tail, then drops the connection),
// and a close handed over from RECEIVE while the client keeps sending (lws
// then reads the client's next frames from the wrong offset and drops it).
// Frames here are far larger than one send of lws, so a tail is always left.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, sleep, T } from './lib/suite.mjs';
import { connect, connectInitialised, LEGACY, MODERN } from './lib/raw.mjs';

// No compression: the sizes below must reach the socket as they are.
const PLAIN = { perMessageDeflate: false };

// A query with `n` unknown fields: refused with one error per field, so its
// answer is one frame of about 100 bytes per field.
// 120 unknown fields with 3000-character names: validation stops at 100
// errors, as graphql-js's does, adding one that says so; each error quotes
// its name, so the refusal is about 300 KB.
const refusedQuery = () => `query { ${Array.from({ length: 120 }, (_, i) => `x${i}_${'y'.repeat(3000)}`).join(' ')} }`;
const REFUSAL_ERRORS = 101;

const start = (protocol, id, query) => (protocol === MODERN
  ? { id, type: 'subscribe', payload: { query } }
  : { type: 'start', id, payload: { query } });

describeTargets('close frames reach a client that stops reading', 11, ({ target, port }) => {
  describe('default limits (send-queue-bytes 1 MiB)', () => {
    const srv = useServer(target, port(0), { 'keepalive-ms': '0' });

    for (const protocol of [MODERN, LEGACY]) {
      it(`${protocol}: a client that stops reading but keeps sending gets close 1008 Send queue limit exceeded once it reads again`, T, async () => {
        const p = await connectInitialised(srv.url, protocol, undefined, PLAIN);
        try {
          p.ws.pause();
          // 150 answers of ~300 KB (45 MB) are more than the kernel's
          // buffers and the 1 MiB queue hold: the server gives up on the
          // client while it is still sending.
          const query = refusedQuery();
          for (let i = 0; i < 150; i++) {
            p.send(start(protocol, String(i), query));
            await sleep(2);
          }
          await sleep(300);
          p.ws.resume();
          const end = await p.drainUntilClosed(10000);
          assert.deepEqual({ code: end.code, reason: end.reason }, { code: 1008, reason: 'Send queue limit exceeded' },
            `after ${end.messages.length} messages`);
          assert.ok(end.messages.length >= 1, 'what the kernel held was delivered first');
        } finally { p.close(); }
      });
    }

    it('graphql-transport-ws: a close right behind a large frame comes once that frame is out', T, async () => {
      for (let round = 0; round < 3; round++) {
        const p = await connectInitialised(srv.url, MODERN, undefined, PLAIN);
        try {
          // The refusal (~300 KB) leaves lws with a tail to send when the
          // invalid message right behind it closes the connection.
          p.send(start(MODERN, '1', refusedQuery()));
          p.send({ type: 'nope' });
          const end = await p.drainUntilClosed(5000);
          assert.equal(end.messages.length, 1, 'the refusal, then the close');
          assert.equal(end.messages[0].type, 'error');
          assert.equal(end.messages[0].payload.length, REFUSAL_ERRORS);
          assert.equal(end.code, 4400, `round ${round}: close ${end.code} "${end.reason}"`);
          assert.match(end.reason, /unknown type/i);
        } finally { p.close(); }
      }
    });

    itStopsCleanly(srv);
  });

  describe('init-timeout-ms 1500, send-queue-bytes 64 MiB', () => {
    const srv = useServer(target, port(1), {
      'keepalive-ms': '0', 'init-timeout-ms': '1500', 'send-queue-bytes': String(64 * 1024 * 1024),
    });

    // Before its init a client can only be answered pongs: one that sends
    // pings without reading has them queued behind the kernel's buffers
    // when its init time runs out. (Where the queue before the ack is
    // bounded more tightly than send-queue-bytes, the same client is
    // closed 1008 instead; either way the close frame must reach it.)
    it('graphql-transport-ws: a client that stops reading before its init gets its pongs, then the close frame, once it reads again', T, async () => {
      const p = await connect(srv.url, [MODERN], PLAIN);
      try {
        const opened = Date.now();
        p.ws.pause();
        const pad = 'x'.repeat(16 * 1024);
        for (let i = 0; i < 400; i++) {
          p.send({ type: 'ping', payload: { i, pad } });
          if (i % 20 === 19) await sleep(5);
        }
        await sleep(Math.max(0, 2500 - (Date.now() - opened)));
        p.ws.resume();
        const end = await p.drainUntilClosed(10000);
        const close = { code: end.code, reason: end.reason };
        if (end.code === 1008) {
          assert.deepEqual(close, { code: 1008, reason: 'Send queue limit exceeded' });
        } else {
          assert.deepEqual(close, { code: 4408, reason: 'Connection initialisation timeout' },
            `after ${end.messages.length} messages`);
          assert.deepEqual(end.messages.map((m) => m.payload.i), Array.from({ length: 400 }, (_, i) => i),
            'every pong, in order, before the close');
        }
        for (const m of end.messages) assert.equal(m.type, 'pong');
      } finally { p.close(); }
    });

    itStopsCleanly(srv);
  });
});

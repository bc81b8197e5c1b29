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
import { randomBytes } from 'node:crypto';
import { describeTargets, useServer, itStopsCleanly, writeStats, sleep, T } from './lib/suite.mjs';
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

// The plugin writes a frame at once when lws holds nothing unsent of the
// connection, and from WRITEABLE otherwise: after a frame larger than one
// send of lws (its tail stays with lws), and under permessage-deflate while
// lws still sends the compressed rest of a message. Ticks every millisecond,
// answers far larger than one send among them, and a client that reads in
// bursts make the writes alternate between the two paths many times on one
// connection.
const TICKS = 2000;
const REFUSAL_EVERY = 100; // ticks between two large answers
// ~50 KB of errors: 100 unknown fields (validation stops at 100 errors, as
// graphql-js's does) with long random names, which compress badly
const REFUSAL_FIELDS = 100;
const PAUSE_EVERY = 300; // messages read between two pauses of the reader
const PAUSE_MS = 30;

const refusalQuery = () => `query { ${Array.from({ length: REFUSAL_FIELDS },
  () => `f_${randomBytes(240).toString('hex')}`).join(' ')} }`;

describeTargets('writes without a writeable callback keep every frame once and in order', 11, ({ target, port }) => {
  const srv = useServer(target, port(2), { 'keepalive-ms': '0', 'tick-ms': '1' });

  for (const protocol of [MODERN, LEGACY]) {
    for (const deflate of [false, true]) {
      const title = `${protocol}${deflate ? ', permessage-deflate' : ''}: a reader in bursts gets ${TICKS} ticks and every large answer exactly once, in order, written both directly and from WRITEABLE`;
      it(title, { timeout: 60000 }, async (t) => {
        const before = await writeStats(srv.url);
        const p = await connectInitialised(srv.url, protocol, undefined, { perMessageDeflate: deflate });
        try {
          if (deflate && !p.ws.extensions.includes('permessage-deflate')) {
            t.skip(`${target} does not negotiate permessage-deflate`);
            return;
          }
          p.send(start(protocol, 't', 'subscription { ticks { seq } }'));
          const seqs = [];
          const answers = new Map(); // refusal id -> the frame types it got
          let read = 0;
          const refusalsDone = () => [...answers.values()].every((types) => types.includes(protocol === MODERN ? 'error' : 'complete'));
          while (seqs.length < TICKS || !refusalsDone()) {
            const m = await p.next(10000);
            read += 1;
            if (m.id === 't') {
              assert.equal(m.type, protocol === MODERN ? 'next' : 'data', JSON.stringify(m));
              seqs.push(m.payload.data.ticks.seq);
              if (seqs.length % REFUSAL_EVERY === 0 && seqs.length < TICKS) {
                const id = `r${answers.size}`;
                answers.set(id, []);
                p.send(start(protocol, id, refusalQuery()));
              }
            } else {
              assert.ok(answers.has(m.id), `a frame for an id never used: ${JSON.stringify(m).slice(0, 200)}`);
              answers.get(m.id).push(m.type);
              if (m.type !== 'complete') {
                assert.equal((protocol === MODERN ? m.payload : m.payload.errors).length, REFUSAL_FIELDS);
              }
            }
            if (read % PAUSE_EVERY === 0) {
              p.ws.pause();
              await sleep(PAUSE_MS);
              p.ws.resume();
            }
          }
          // The ticker counts for the whole vhost: this client's ticks are
          // consecutive from its first.
          assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0] + i), 'every tick once, in order');
          assert.equal(answers.size, Math.floor((TICKS - 1) / REFUSAL_EVERY));
          for (const [id, types] of answers) {
            assert.deepEqual(types, protocol === MODERN ? ['error'] : ['data', 'complete'], `answers to ${id}`);
          }
          const after = await writeStats(srv.url);
          const direct = after.direct - before.direct;
          const writeable = after.writeable - before.writeable;
          const paths = `direct ${direct}, from WRITEABLE ${writeable}`;
          assert.ok(direct >= TICKS / 2, `most frames written directly (${paths})`);
          // Whether a tick comes while lws still holds the tail of an
          // answer is a race each time; over the whole run it happens.
          assert.ok(writeable >= 1, `frames queued behind a large answer written from WRITEABLE (${paths})`);
        } finally { p.close(); }
      });
    }
  }

  itStopsCleanly(srv);
});

// graphql-transport-ws frame by frame: every row of lib/PROTOCOL.md's table,
// including every protocol violation (each closes with its code). Keep-alive
// is off on this server so that every frame the server sends is asserted.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, opStats, opStatsUntil, T } from './lib/suite.mjs';
import { connect, connectInitialised, MODERN } from './lib/raw.mjs';

const HELLO = { query: 'query { hello }' };
const next = (id, payload) => ({ id, type: 'next', payload });
const complete = (id) => ({ id, type: 'complete' });
const sub = (id, payload) => ({ id, type: 'subscribe', payload });

async function assertClose(peer, code, reason) {
  const c = await peer.closed();
  assert.equal(c.code, code, `close ${c.code} "${c.reason}"`);
  if (reason !== undefined) assert.equal(c.reason, reason);
  assert.ok(c.reason.length > 0 && Buffer.byteLength(c.reason) <= 123, `reason "${c.reason}"`);
}

async function assertUsable(peer, id = 'u') {
  peer.send(sub(id, HELLO));
  assert.deepEqual(await peer.next(), next(id, { data: { hello: 'world' } }));
  assert.deepEqual(await peer.next(), complete(id));
}

describeTargets('graphql-transport-ws raw frames', 3, ({ target, port }) => {
  const srv = useServer(target, port(0), { 'keepalive-ms': '0' });
  const open = (options) => connect(srv.url, [MODERN], options);
  const ready = (payload) => connectInitialised(srv.url, MODERN, payload);

  for (const [what, init] of [
    ['an object payload', { type: 'connection_init', payload: {} }],
    ['a null payload', { type: 'connection_init', payload: null }],
    ['no payload', { type: 'connection_init' }],
  ]) {
    it(`connection_init with ${what} → connection_ack`, T, async () => {
      const p = await open();
      try {
        p.send(init);
        assert.deepEqual(await p.next(), { type: 'connection_ack' });
        await p.nothingFor(200);
      } finally { p.close(); }
    });
  }

  it('connection_init accepted with an ack payload → connection_ack with that payload', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { token: 'ack' } });
      assert.deepEqual(await p.next(), { type: 'connection_ack', payload: { hello: 'there' } });
    } finally { p.close(); }
  });

  it('an asynchronous accept → connection_ack', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { token: 'async' } });
      assert.deepEqual(await p.next(), { type: 'connection_ack' });
      await assertUsable(p);
    } finally { p.close(); }
  });

  for (const [what, payload] of [['rejected', { token: 'wrong' }], ['rejected asynchronously', { token: 'async-reject' }]]) {
    it(`connection_init ${what} by the hook → close 4403 Forbidden`, T, async () => {
      const p = await open();
      try {
        p.send({ type: 'connection_init', payload });
        await assertClose(p, 4403, 'Forbidden');
      } finally { p.close(); }
    });
  }

  it('Authorization: Bearer bad → close 4403 Forbidden', T, async () => {
    const p = await open({ headers: { Authorization: 'Bearer bad' } });
    try {
      p.send({ type: 'connection_init', payload: {} });
      await assertClose(p, 4403, 'Forbidden');
    } finally { p.close(); }
  });

  it('the init hook failing → close 4500', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { token: 'explode' } });
      await assertClose(p, 4500);
    } finally { p.close(); }
  });

  it('a second connection_init → close 4429 Too many initialisation requests', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'connection_init', payload: {} });
      await assertClose(p, 4429, 'Too many initialisation requests');
    } finally { p.close(); }
  });

  it('a second connection_init while the first is pending → close 4429', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { token: 'async' } });
      p.send({ type: 'connection_init', payload: { token: 'async' } });
      await assertClose(p, 4429, 'Too many initialisation requests');
    } finally { p.close(); }
  });

  it('ping, even before init → pong, echoing the payload if there was one', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'ping' });
      assert.deepEqual(await p.next(), { type: 'pong' });
      p.send({ type: 'ping', payload: { a: 1 } });
      assert.deepEqual(await p.next(), { type: 'pong', payload: { a: 1 } });
      p.send({ type: 'connection_init' });
      assert.deepEqual(await p.next(), { type: 'connection_ack' });
      p.send({ type: 'ping', payload: { b: [1, 'x'] } });
      assert.deepEqual(await p.next(), { type: 'pong', payload: { b: [1, 'x'] } });
    } finally { p.close(); }
  });

  it('pong → nothing', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'pong' });
      p.send({ type: 'pong', payload: { x: 1 } });
      await p.nothingFor(300);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('subscribe before connection_init → close 4401 Unauthorized', T, async () => {
    const p = await open();
    try {
      p.send(sub('1', HELLO));
      await assertClose(p, 4401, 'Unauthorized');
    } finally { p.close(); }
  });

  it('subscribe while the init is pending (no ack yet) → close 4401 Unauthorized', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { token: 'async' } });
      p.send(sub('1', HELLO));
      await assertClose(p, 4401, 'Unauthorized');
    } finally { p.close(); }
  });

  it('subscribe → next per result, then complete', T, async () => {
    const p = await ready();
    try {
      p.send(sub('1', HELLO));
      assert.deepEqual(await p.next(), next('1', { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete('1'));
      p.send(sub('2', { query: 'subscription { counter(limit: 3, intervalMs: 10) { value } }' }));
      for (let v = 0; v < 3; v++) assert.deepEqual(await p.next(), next('2', { data: { counter: { value: v } } }));
      assert.deepEqual(await p.next(), complete('2'));
      // A finished id is free again.
      p.send(sub('1', HELLO));
      assert.deepEqual(await p.next(), next('1', { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete('1'));
      await p.nothingFor(200);
    } finally { p.close(); }
  });

  it('variables, operationName, extensions, aliases, fragments and __typename reach the executor', T, async () => {
    const p = await ready();
    try {
      p.send(sub('1', {
        query: 'query A { hello } subscription B($n: Int) { c: counter(limit: $n, intervalMs: 5) { ...F } } fragment F on Counter { v: value __typename }',
        variables: { n: 2 }, operationName: 'B', extensions: {},
      }));
      for (let v = 0; v < 2; v++) assert.deepEqual(await p.next(), next('1', { data: { c: { v, __typename: 'Counter' } } }));
      assert.deepEqual(await p.next(), complete('1'));
      p.send(sub('2', { query: '{ __typename h: hello }', operationName: null, variables: null, extensions: null }));
      assert.deepEqual(await p.next(), next('2', { data: { __typename: 'Query', h: 'world' } }));
      assert.deepEqual(await p.next(), complete('2'));
    } finally { p.close(); }
  });

  it('a query that does not parse → error with message and locations; the connection stays', T, async () => {
    const p = await ready();
    try {
      p.send(sub('1', { query: 'subscription { counter { value }' }));
      const e = await p.next();
      assert.deepEqual(Object.keys(e).sort(), ['id', 'payload', 'type']);
      assert.equal(e.type, 'error');
      assert.equal(e.id, '1');
      assert.ok(Array.isArray(e.payload) && e.payload.length >= 1, JSON.stringify(e));
      assert.equal(typeof e.payload[0].message, 'string');
      assert.ok(Array.isArray(e.payload[0].locations), JSON.stringify(e));
      await p.nothingFor(200);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('an unknown field → error with the GraphQL error; the connection stays', T, async () => {
    const p = await ready();
    try {
      p.send(sub('1', { query: 'query { nope }' }));
      assert.deepEqual(await p.next(), {
        id: '1', type: 'error',
        payload: [{ message: 'Cannot query field "nope" on type "Query".', locations: [{ line: 1, column: 9 }] }],
      });
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('a stream failing while running → error and no complete', T, async () => {
    const p = await ready();
    try {
      p.send(sub('1', { query: 'subscription { failAfterOne }' }));
      assert.deepEqual(await p.next(), next('1', { data: { failAfterOne: 1 } }));
      assert.deepEqual(await p.next(), { id: '1', type: 'error', payload: [{ message: 'Stream failed' }] });
      await p.nothingFor(300);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('subscribe with the id of a running operation → close 4409 Subscriber for <id> already exists', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send(sub('dup', { query: 'subscription { counter(intervalMs: 50) { value } }' }));
      assert.deepEqual(await p.next(), next('dup', { data: { counter: { value: 0 } } }));
      p.send(sub('dup', HELLO));
      const end = await p.drainUntilClosed();
      assert.equal(end.code, 4409);
      assert.equal(end.reason, 'Subscriber for dup already exists');
      for (const m of end.messages) assert.deepEqual(m.payload.data.hello, undefined, 'the duplicate must not run');
      const after = await opStats(srv.url);
      assert.equal(after.stopped, before.stopped + 1, 'the running operation is stopped when the connection closes');
      assert.equal(after.running, before.running);
    } finally { p.close(); }
  });

  it('complete of a running id → the executor stops it; no reply', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send(sub('1', { query: 'subscription { counter(intervalMs: 30) { value } }' }));
      assert.deepEqual(await p.next(), next('1', { data: { counter: { value: 0 } } }));
      p.send({ id: '1', type: 'complete' });
      const after = await opStatsUntil(srv.url, (s) => s.stopped === before.stopped + 1);
      assert.equal(after.stopped, before.stopped + 1);
      assert.equal(after.running, before.running);
      // At most a result already in flight, then nothing.
      try {
        const late = await p.next(100);
        assert.equal(late.type, 'next', JSON.stringify(late));
      } catch (err) { assert.match(err.message, /timed out/); }
      await p.nothingFor(300);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('complete of an unknown id → nothing', T, async () => {
    const p = await ready();
    try {
      p.send({ id: 'nope', type: 'complete' });
      await p.nothingFor(300);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('an id of max-id-bytes (128) works', T, async () => {
    const p = await ready();
    try {
      const id = 'i'.repeat(128);
      p.send(sub(id, HELLO));
      assert.deepEqual(await p.next(), next(id, { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete(id));
    } finally { p.close(); }
  });

  // Every invalid message closes with 4400 and a short reason.
  const invalid = [
    ['text that is not JSON', 'HI'],
    ['truncated JSON', '{"type":"ping"'],
    ['a JSON number', '42'],
    ['a JSON array', '[{"type":"ping"}]'],
    ['JSON null', 'null'],
    ['a missing type', { payload: {} }],
    ['a numeric type', { type: 1 }],
    ['an unknown type', { type: 'hello' }],
    ['a legacy start', { type: 'start', id: '1', payload: HELLO }],
    ['a legacy stop', { type: 'stop', id: '1' }],
    ['a legacy connection_terminate', { type: 'connection_terminate' }],
    ['a legacy ka', { type: 'ka' }],
    ['a server-only connection_ack', { type: 'connection_ack' }],
    ['a server-only next', next('1', { data: {} })],
    ['a server-only error', { id: '1', type: 'error', payload: [{ message: 'x' }] }],
    ['a subscribe with a numeric id', { id: 1, type: 'subscribe', payload: HELLO }],
    ['a subscribe with an empty id', sub('', HELLO)],
    ['a subscribe with an id over max-id-bytes', sub('i'.repeat(129), HELLO)],
    ['a subscribe with no id', { type: 'subscribe', payload: HELLO }],
    ['a subscribe with no payload', { id: '1', type: 'subscribe' }],
    ['a subscribe with a string payload', sub('1', 'query { hello }')],
    ['a subscribe with no query', sub('1', { variables: {} })],
    ['a subscribe with a numeric query', sub('1', { query: 1 })],
    ['a subscribe with array variables', sub('1', { query: 'query { hello }', variables: [] })],
    ['a subscribe with a numeric operationName', sub('1', { query: 'query { hello }', operationName: 1 })],
    ['a complete with no id', { type: 'complete' }],
    ['a ping with a string payload', { type: 'ping', payload: 'x' }],
  ];
  for (const [what, msg] of invalid) {
    it(`${what} → close 4400`, T, async () => {
      const p = await ready();
      try {
        p.send(msg);
        await assertClose(p, 4400);
      } finally { p.close(); }
    });
  }

  it('a binary frame → close 4400', T, async () => {
    const p = await ready();
    try {
      p.sendBinary(Buffer.from(JSON.stringify({ type: 'ping' })));
      await assertClose(p, 4400);
    } finally { p.close(); }
  });

  it('an invalid message before init → close 4400', T, async () => {
    const p = await open();
    try {
      p.send('not json');
      await assertClose(p, 4400);
    } finally { p.close(); }
  });

  it('an invalid message while running stops every operation', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send(sub('1', { query: 'subscription { counter(intervalMs: 30) { value } }' }));
      p.send(sub('2', { query: 'subscription { ticks { seq } }' }));
      await p.next();
      p.send('garbage');
      const end = await p.drainUntilClosed();
      assert.equal(end.code, 4400);
      const after = await opStats(srv.url);
      assert.equal(after.stopped, before.stopped + 2);
      assert.equal(after.running, before.running);
    } finally { p.close(); }
  });

  // Strict JSON (issue 8): what cJSON alone would misread closes 4400.
  const NUL = 'Invalid message received: \\u0000 in a string is not supported';

  it('ids that differ only after \\u0000 → close 4400, not 4409; nothing runs', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send(sub('a\u0000b', { query: 'subscription { counter(intervalMs: 50) { value } }' }));
      p.send(sub('a\u0000c', HELLO));
      await assertClose(p, 4400, NUL);
      assert.equal((await opStats(srv.url)).started, before.started + 1, 'only the opStats query itself started');
    } finally { p.close(); }
  });

  it('a ping whose type has \\u0000 ("ping\\u0000x") → close 4400, no pong', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'ping\u0000x' });
      const end = await p.drainUntilClosed();
      assert.deepEqual(end.messages, []);
      assert.equal(end.code, 4400);
      assert.equal(end.reason, NUL);
    } finally { p.close(); }
  });

  it('a query with \\u0000 → close 4400; it never runs', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send(sub('1', { query: '{ hello }\u0000 {{{' }));
      const end = await p.drainUntilClosed();
      assert.deepEqual(end.messages, []);
      assert.equal(end.code, 4400);
      assert.equal(end.reason, NUL);
      assert.equal((await opStats(srv.url)).started, before.started + 1, 'only the opStats query itself started');
    } finally { p.close(); }
  });

  it('a raw line feed inside a string → close 4400', T, async () => {
    const p = await ready();
    try {
      p.send('{"type":"ping","payload":{"a":"x\ny"}}');
      const end = await p.drainUntilClosed();
      assert.deepEqual(end.messages, [], 'no pong');
      assert.equal(end.code, 4400);
      assert.equal(end.reason, 'Invalid message received: not JSON: unescaped control character in a string');
    } finally { p.close(); }
  });

  it('JSON nested deeper than 1000 levels → close 4400 that says so', T, async () => {
    const p = await ready();
    try {
      p.send(`{"type":"pong","payload":{"a":${'['.repeat(998)}${']'.repeat(998)}}}`);
      await p.nothingFor(200); // 1000 levels: a pong, answered with nothing
      p.send(`{"type":"pong","payload":{"a":${'['.repeat(999)}${']'.repeat(999)}}}`);
      await assertClose(p, 4400, 'Invalid message received: JSON nested too deeply (limit 1000)');
    } finally { p.close(); }
  });

  it('a connection_init payload over max-init-payload-bytes (64 KiB) → close 4400', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { pad: 'x'.repeat(65536) } });
      const end = await p.drainUntilClosed();
      assert.deepEqual(end.messages, [], 'no ack');
      assert.equal(end.code, 4400);
      assert.equal(end.reason, 'Invalid message received: connection_init payload over max-init-payload-bytes');
    } finally { p.close(); }
  });

  it('a connection_init payload of exactly 64 KiB (compact) is accepted', T, async () => {
    const p = await open();
    try {
      p.send(`{"type":"connection_init","payload": { "pad" : "${'x'.repeat(65536 - 10)}" } }`);
      assert.deepEqual(await p.next(), { type: 'connection_ack' });
      await assertUsable(p);
    } finally { p.close(); }
  });

  itStopsCleanly(srv);
});

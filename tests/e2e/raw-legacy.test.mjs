// graphql-ws (legacy) frame by frame: every row of lib/PROTOCOL.md's graphql-ws
// table, including the frames no client library sends. Keep-alive is off on
// this server so that every frame the server sends is asserted.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, opStats, T } from './lib/suite.mjs';
import { connect, connectInitialised, LEGACY } from './lib/raw.mjs';
import { parse } from 'graphql';

const HELLO = { query: 'query { hello }' };
const data = (id, payload) => ({ type: 'data', id, payload });
const complete = (id) => ({ type: 'complete', id });

// An error frame: exact keys, any message text.
function assertError(frame, id) {
  const expected = id === undefined ? ['type', 'payload'] : ['type', 'id', 'payload'];
  assert.deepEqual(Object.keys(frame).sort(), expected.sort(), JSON.stringify(frame));
  assert.equal(frame.type, 'error');
  if (id !== undefined) assert.equal(frame.id, id);
  assert.deepEqual(Object.keys(frame.payload), ['message'], JSON.stringify(frame));
  assert.equal(typeof frame.payload.message, 'string');
}

function assertConnectionError(frame) {
  assert.deepEqual(Object.keys(frame).sort(), ['payload', 'type'], JSON.stringify(frame));
  assert.equal(frame.type, 'connection_error');
  assert.deepEqual(Object.keys(frame.payload), ['message'], JSON.stringify(frame));
  assert.equal(typeof frame.payload.message, 'string');
}

// graphql-js's syntax error for query, as a GraphQL error object.
function syntaxErrorOf(query) {
  try { parse(query); } catch (e) { return { message: e.message, locations: e.locations }; }
  throw new Error(`${query} parses`);
}

// The connection still answers a query.
async function assertUsable(peer, id = 'u') {
  peer.send({ type: 'start', id, payload: HELLO });
  assert.deepEqual(await peer.next(), data(id, { data: { hello: 'world' } }));
  assert.deepEqual(await peer.next(), complete(id));
}

describeTargets('graphql-ws raw frames', 2, ({ target, port }) => {
  const srv = useServer(target, port(0), { 'keepalive-ms': '0' });
  const open = () => connect(srv.url, [LEGACY]);
  const ready = (payload) => connectInitialised(srv.url, LEGACY, payload);

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

  it('connection_init rejected by the hook → connection_error, then close 1011', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { token: 'wrong' } });
      assert.deepEqual(await p.next(), { type: 'connection_error', payload: { message: 'Invalid token' } });
      assert.equal((await p.closed()).code, 1011);
    } finally { p.close(); }
  });

  it('Authorization: Bearer bad → connection_error, then close 1011', T, async () => {
    const p = await connect(srv.url, [LEGACY], { headers: { Authorization: 'Bearer bad' } });
    try {
      p.send({ type: 'connection_init', payload: {} });
      assertConnectionError(await p.next());
      assert.equal((await p.closed()).code, 1011);
    } finally { p.close(); }
  });

  for (const [what, payload] of [['a string', 'token'], ['an array', []], ['a number', 1]]) {
    it(`connection_init with ${what} payload → connection_error, then close 4400`, T, async () => {
      const p = await open();
      try {
        p.send({ type: 'connection_init', payload });
        assertConnectionError(await p.next());
        assert.equal((await p.closed()).code, 4400);
      } finally { p.close(); }
    });
  }

  it('a second connection_init → connection_error Too many initialisation requests, close 4429', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'connection_init', payload: {} });
      assert.deepEqual(await p.next(), { type: 'connection_error', payload: { message: 'Too many initialisation requests' } });
      assert.equal((await p.closed()).code, 4429);
    } finally { p.close(); }
  });

  it('start → data per result, then complete', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'start', id: '1', payload: HELLO });
      assert.deepEqual(await p.next(), data('1', { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete('1'));
      p.send({ type: 'start', id: '2', payload: { query: 'subscription { counter(limit: 3, intervalMs: 10) { value } }' } });
      for (let v = 0; v < 3; v++) assert.deepEqual(await p.next(), data('2', { data: { counter: { value: v } } }));
      assert.deepEqual(await p.next(), complete('2'));
      await p.nothingFor(200);
    } finally { p.close(); }
  });

  it('a numeric id is echoed as a number', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'start', id: 7, payload: HELLO });
      assert.deepEqual(await p.next(), data(7, { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete(7));
    } finally { p.close(); }
  });

  it('variables, operationName, aliases and __typename reach the executor', T, async () => {
    const p = await ready();
    try {
      p.send({
        type: 'start', id: '1',
        payload: {
          query: 'query A { x: hello } subscription B($n: Int) { c: counter(limit: $n, intervalMs: 5) { v: value __typename } }',
          variables: { n: 2 }, operationName: 'B',
        },
      });
      for (let v = 0; v < 2; v++) {
        assert.deepEqual(await p.next(), data('1', { data: { c: { v, __typename: 'Counter' } } }));
      }
      assert.deepEqual(await p.next(), complete('1'));
    } finally { p.close(); }
  });

  it('start while an asynchronous init is pending is held and run after the ack', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { token: 'async' } });
      p.send({ type: 'start', id: '1', payload: HELLO });
      p.send({ type: 'start', id: '2', payload: HELLO });
      assert.deepEqual(await p.next(), { type: 'connection_ack' });
      assert.deepEqual(await p.next(), data('1', { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete('1'));
      assert.deepEqual(await p.next(), data('2', { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete('2'));
    } finally { p.close(); }
  });

  it('start while an asynchronous init is pending is dropped if the init is rejected', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { token: 'async-reject' } });
      p.send({ type: 'start', id: '1', payload: HELLO });
      const end = await p.drainUntilClosed();
      assert.deepEqual(end.messages, [{ type: 'connection_error', payload: { message: 'Invalid token' } }]);
      assert.equal(end.code, 1011);
    } finally { p.close(); }
  });

  it('start with no init before it → error for that id, never any data', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'start', id: '1', payload: HELLO });
      assertError(await p.next(), '1');
      await p.nothingFor(300);
    } finally { p.close(); }
  });

  // As Apollo's server answers it: an error frame for the id (its client
  // hands the payload to the observer's error), no data, no complete. The
  // wording and location are graphql-js's own for the same text.
  it('a query that does not parse → error with graphql-js\'s message and locations, no complete; the connection stays', T, async () => {
    const query = 'subscription { counter { value }';
    const p = await ready();
    try {
      p.send({ type: 'start', id: '1', payload: { query } });
      assert.deepEqual(await p.next(), { type: 'error', id: '1', payload: syntaxErrorOf(query) });
      await assertUsable(p);
      await p.nothingFor(200);
    } finally { p.close(); }
  });

  it('a number id that does not parse is echoed as a number in the error', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'start', id: 7, payload: { query: '{ hello' } });
      assert.deepEqual(await p.next(), { type: 'error', id: 7, payload: syntaxErrorOf('{ hello') });
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('an unknown field → data with its GraphQL error, then complete', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'start', id: '1', payload: { query: 'subscription { nope }' } });
      assert.deepEqual(await p.next(), data('1', {
        errors: [{ message: 'Cannot query field "nope" on type "Subscription".', locations: [{ line: 1, column: 16 }] }],
      }));
      assert.deepEqual(await p.next(), complete('1'));
    } finally { p.close(); }
  });

  it('a stream failing while running → error for that id and no complete', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'start', id: '1', payload: { query: 'subscription { failAfterOne }' } });
      assert.deepEqual(await p.next(), data('1', { data: { failAfterOne: 1 } }));
      assert.deepEqual(await p.next(), { type: 'error', id: '1', payload: { message: 'Stream failed' } });
      await p.nothingFor(300);
    } finally { p.close(); }
  });

  it('start with no id → error without id', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'start', payload: HELLO });
      assertError(await p.next());
      await assertUsable(p);
    } finally { p.close(); }
  });

  for (const [what, payload] of [
    ['no payload', undefined], ['a string payload', 'query { hello }'],
    ['a numeric query', { query: 42 }], ['a missing query', { variables: {} }],
  ]) {
    it(`start with ${what} → error for that id`, T, async () => {
      const p = await ready();
      try {
        p.send(payload === undefined ? { type: 'start', id: '1' } : { type: 'start', id: '1', payload });
        assertError(await p.next(), '1');
        await assertUsable(p);
      } finally { p.close(); }
    });
  }

  it('an id of max-id-bytes (128) works; one byte more is an invalid message', T, async () => {
    const p = await ready();
    try {
      const ok = 'i'.repeat(128);
      p.send({ type: 'start', id: ok, payload: HELLO });
      assert.deepEqual(await p.next(), data(ok, { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete(ok));
      p.send({ type: 'start', id: 'i'.repeat(129), payload: HELLO });
      const e = await p.next();
      assert.equal(e.type, 'error', JSON.stringify(e));
      assert.equal(typeof e.payload.message, 'string');
      await p.nothingFor(200);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('start with the id of a running operation stops it silently and starts the new one', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send({ type: 'start', id: 'a', payload: { query: 'subscription { counter(intervalMs: 30) { value } }' } });
      assert.deepEqual(await p.next(), data('a', { data: { counter: { value: 0 } } }));
      p.send({ type: 'start', id: 'a', payload: HELLO });
      let f = await p.next();
      while (f.type === 'data' && f.payload.data && f.payload.data.counter) f = await p.next(); // already in flight
      assert.deepEqual(f, data('a', { data: { hello: 'world' } }));
      assert.deepEqual(await p.next(), complete('a'));
      await p.nothingFor(200);
      const after = await opStats(srv.url);
      assert.equal(after.stopped, before.stopped + 1);
      assert.equal(after.running, before.running);
    } finally { p.close(); }
  });

  it('stop of a running id → the executor stops it, then complete', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send({ type: 'start', id: '1', payload: { query: 'subscription { counter(intervalMs: 30) { value } }' } });
      assert.deepEqual(await p.next(), data('1', { data: { counter: { value: 0 } } }));
      p.send({ type: 'stop', id: '1' });
      let f = await p.next();
      while (f.type === 'data') f = await p.next(); // already in flight
      assert.deepEqual(f, complete('1'));
      await p.nothingFor(200);
      const after = await opStats(srv.url);
      assert.equal(after.stopped, before.stopped + 1);
      assert.equal(after.running, before.running);
    } finally { p.close(); }
  });

  it('stop of an unknown id → nothing', T, async () => {
    const p = await ready();
    try {
      p.send({ type: 'stop', id: 'nope' });
      await p.nothingFor(300);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('connection_terminate → every operation stopped, close 1011', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send({ type: 'start', id: '1', payload: { query: 'subscription { counter(intervalMs: 30) { value } }' } });
      p.send({ type: 'start', id: '2', payload: { query: 'subscription { counter(intervalMs: 30) { value } }' } });
      await p.next();
      p.send({ type: 'connection_terminate' });
      const end = await p.drainUntilClosed();
      assert.equal(end.code, 1011);
      const after = await opStats(srv.url);
      assert.equal(after.stopped, before.stopped + 2);
      assert.equal(after.running, before.running);
    } finally { p.close(); }
  });

  for (const [what, text] of [
    ['text that is not JSON', 'HI'], ['truncated JSON', '{"type":"start"'],
    ['a JSON number', '42'], ['a JSON array', '[{"type":"connection_init"}]'],
    ['JSON null', 'null'], ['a JSON string', '"connection_init"'],
  ]) {
    it(`${what} → connection_error; the connection stays usable`, T, async () => {
      const p = await ready();
      try {
        p.send(text);
        assertConnectionError(await p.next());
        await assertUsable(p);
      } finally { p.close(); }
    });
  }

  it('a binary frame → connection_error; the connection stays usable', T, async () => {
    const p = await ready();
    try {
      p.sendBinary(Buffer.from(JSON.stringify({ type: 'start', id: '1', payload: HELLO })));
      assertConnectionError(await p.next());
      await p.nothingFor(200);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('a binary frame before init → connection_error; init still works', T, async () => {
    const p = await open();
    try {
      p.sendBinary(Buffer.from([0, 1, 2, 255]));
      assertConnectionError(await p.next());
      p.send({ type: 'connection_init', payload: {} });
      assert.deepEqual(await p.next(), { type: 'connection_ack' });
    } finally { p.close(); }
  });

  it('a missing type → error Unknown message type (with id where there was one)', T, async () => {
    const p = await ready();
    try {
      p.send({ id: '1', payload: HELLO });
      assert.deepEqual(await p.next(), { type: 'error', id: '1', payload: { message: 'Unknown message type' } });
      p.send({});
      assert.deepEqual(await p.next(), { type: 'error', payload: { message: 'Unknown message type' } });
      p.send({ type: 42, id: 3 });
      assert.deepEqual(await p.next(), { type: 'error', id: 3, payload: { message: 'Unknown message type' } });
      await assertUsable(p);
    } finally { p.close(); }
  });

  for (const type of ['subscribe', 'ping', 'connection_ack', 'connection_error', 'data', 'error', 'complete', 'ka']) {
    it(`a message of type ${type} (unknown to a graphql-ws server) → error Unknown message type`, T, async () => {
      const p = await ready();
      try {
        p.send({ type, id: '1', payload: { data: { hello: 'x' } } });
        assert.deepEqual(await p.next(), { type: 'error', id: '1', payload: { message: 'Unknown message type' } });
        p.send({ type });
        assert.deepEqual(await p.next(), { type: 'error', payload: { message: 'Unknown message type' } });
        await assertUsable(p);
      } finally { p.close(); }
    });
  }

  // Strict JSON (issue 8): what cJSON alone would misread is refused, and the
  // connection stays.
  const NUL = 'Invalid message received: \\u0000 in a string is not supported';
  const connectionError = (message) => ({ type: 'connection_error', payload: { message } });

  it('ids that differ only after \\u0000 → connection_error each; nothing runs; the connection stays usable', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      const sub = { query: 'subscription { counter(intervalMs: 50) { value } }' };
      p.send({ type: 'start', id: 'a\u0000b', payload: sub });
      p.send({ type: 'start', id: 'a\u0000c', payload: sub });
      assert.deepEqual(await p.next(), connectionError(NUL));
      assert.deepEqual(await p.next(), connectionError(NUL));
      await p.nothingFor(200);
      assert.equal((await opStats(srv.url)).started, before.started + 1, 'only the opStats query itself started');
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('a type with \\u0000 ("connection_init\\u0000x") → connection_error, no ack', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init\u0000x' });
      assert.deepEqual(await p.next(), connectionError(NUL));
      await p.nothingFor(200);
      p.send({ type: 'connection_init' });
      assert.deepEqual(await p.next(), { type: 'connection_ack' });
    } finally { p.close(); }
  });

  it('a query with \\u0000 → connection_error; it never runs', T, async () => {
    const before = await opStats(srv.url);
    const p = await ready();
    try {
      p.send({ type: 'start', id: '1', payload: { query: '{ hello }\u0000 {{{' } });
      assert.deepEqual(await p.next(), connectionError(NUL));
      await p.nothingFor(200);
      assert.equal((await opStats(srv.url)).started, before.started + 1, 'only the opStats query itself started');
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('a raw line feed or tab inside a string → connection_error', T, async () => {
    const p = await ready();
    try {
      p.send('{"type":"start","id":"1","payload":{"query":"{\n hello }"}}');
      assert.deepEqual(await p.next(), connectionError('Invalid message received: not JSON: unescaped control character in a string'));
      p.send('{"type":"start","id":"1\t","payload":{"query":"{ hello }"}}');
      assertConnectionError(await p.next());
      await p.nothingFor(200);
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('JSON nested deeper than 1000 levels → connection_error that says so', T, async () => {
    const p = await ready();
    try {
      p.send(`{"type":"stop","id":"x","payload":${'['.repeat(999)}${']'.repeat(999)}}`);
      await p.nothingFor(200); // 1000 levels: a stop of an unknown id
      p.send(`{"type":"stop","id":"x","payload":${'['.repeat(1000)}${']'.repeat(1000)}}`);
      assert.deepEqual(await p.next(), connectionError('Invalid message received: JSON nested too deeply (limit 1000)'));
      await assertUsable(p);
    } finally { p.close(); }
  });

  it('a connection_init payload over max-init-payload-bytes (64 KiB) → connection_error, then close 4400', T, async () => {
    const p = await open();
    try {
      p.send({ type: 'connection_init', payload: { pad: 'x'.repeat(65536) } });
      assert.deepEqual(await p.next(), connectionError('Invalid connection_init payload: larger than 65536 bytes (max-init-payload-bytes)'));
      const c = await p.closed();
      assert.equal(c.code, 4400, `close ${c.code} "${c.reason}"`);
    } finally { p.close(); }
  });

  it('a connection_init payload of exactly 64 KiB (compact) is accepted', T, async () => {
    const p = await open();
    try {
      // {"pad":"xx…"} is 10 bytes of JSON around the string; spaces do not count.
      p.send(`{"type":"connection_init","payload": { "pad" : "${'x'.repeat(65536 - 10)}" } }`);
      assert.deepEqual(await p.next(), { type: 'connection_ack' });
      await assertUsable(p);
    } finally { p.close(); }
  });

  itStopsCleanly(srv);
});

// The demo schema of README, served by the default executor (executor=demo).
// This is what README's main command serves: hello, counter (timed and
// drain-paced), ticks fanned out from one ticker, projection, and errors for
// every other root field, including the test executor's extra fields,
// introspection of the demo's SDL; and the demo's own options, tick-ms and
// introspection: taken, or refused naming them, like any option that
// neither the plugin nor the demo knows.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, T } from './lib/suite.mjs';
import { connectInitialised, LEGACY, MODERN } from './lib/raw.mjs';
import { startServer } from './lib/server.mjs';

const sub = (id, query, variables) => ({ id, type: 'subscribe', payload: variables ? { query, variables } : { query } });

// Every frame of one operation up to and including its end.
async function collect(peer, id, ms = 5000) {
  const frames = [];
  for (;;) {
    const m = await peer.next(ms);
    assert.equal(m.id, id, JSON.stringify(m));
    frames.push(m);
    if (m.type !== 'next') return frames;
  }
}

describeTargets('demo schema (executor=demo)', 6, ({ target, port }) => {
  const srv = useServer(target, port(0), { executor: 'demo', 'keepalive-ms': '0', 'tick-ms': '50' });

  it('query { hello } and __typename', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(sub('1', '{ hello __typename }'));
      assert.deepEqual(await collect(p, '1'), [
        { id: '1', type: 'next', payload: { data: { hello: 'world', __typename: 'Query' } } },
        { id: '1', type: 'complete' },
      ]);
    } finally { p.close(); }
  });

  it('counter: value 0 .. limit-1, each with its production time, then complete', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      const t0 = Date.now();
      p.send(sub('1', 'subscription ($n: Int) { counter(limit: $n, intervalMs: 20) { value at __typename } }', { n: 3 }));
      const frames = await collect(p, '1');
      assert.deepEqual(frames.at(-1), { id: '1', type: 'complete' });
      const values = frames.slice(0, -1).map((f) => f.payload.data.counter);
      assert.deepEqual(values.map((v) => [v.value, v.__typename]), [[0, 'Counter'], [1, 'Counter'], [2, 'Counter']]);
      for (const v of values) {
        assert.equal(typeof v.at, 'number');
        assert.ok(v.at >= t0 - 1000 && v.at <= Date.now() + 1000, `at ${v.at} is not a time of this test`);
      }
      assert.ok(values[2].at - values[0].at >= 30, `two 20 ms intervals took ${values[2].at - values[0].at} ms`);
    } finally { p.close(); }
  });

  it('counter with intervalMs 0 delivers every value, in order, as fast as the client reads', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(sub('1', 'subscription { counter(limit: 2000, intervalMs: 0) { value } }'));
      const frames = await collect(p, '1');
      assert.equal(frames.length, 2001);
      frames.slice(0, -1).forEach((f, i) => assert.equal(f.payload.data.counter.value, i));
      assert.deepEqual(frames.at(-1), { id: '1', type: 'complete' });
    } finally { p.close(); }
  });

  it('ticks: one ticker fanned out to every subscriber, on both subprotocols', T, async () => {
    const a = await connectInitialised(srv.url, MODERN);
    const b = await connectInitialised(srv.url, LEGACY);
    try {
      a.send(sub('a', 'subscription { ticks { seq at } }'));
      b.send({ type: 'start', id: 'b', payload: { query: 'subscription { t: ticks { seq } }' } });
      const seqA = [];
      const seqB = [];
      for (let i = 0; i < 8; i++) {
        const m = await a.next();
        assert.equal(m.type, 'next');
        assert.equal(typeof m.payload.data.ticks.at, 'number');
        seqA.push(m.payload.data.ticks.seq);
      }
      for (let i = 0; i < 8; i++) {
        const m = await b.next();
        assert.equal(m.type, 'data');
        assert.deepEqual(Object.keys(m.payload.data.t), ['seq']);
        seqB.push(m.payload.data.t.seq);
      }
      for (const s of [seqA, seqB]) s.slice(1).forEach((v, i) => assert.equal(v, s[i] + 1, `seq ${s}`));
      assert.ok(seqB.some((v) => seqA.includes(v)), `the same ticker: ${seqA} / ${seqB}`);
    } finally { a.close(); b.close(); }
  });

  it('ticks come tick-ms apart (tick-ms 50, the default being 1000)', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(sub('t', 'subscription { ticks { seq at } }'));
      const ticks = [];
      for (let i = 0; i < 11; i++) ticks.push((await p.next()).payload.data.ticks);
      // The ticker is due every 50 ms from its start (no drift), so the
      // mean gap of the server's own times is 50 ms even when one tick is late.
      const mean = (ticks.at(-1).at - ticks[0].at) / (ticks.length - 1);
      assert.ok(mean >= 40 && mean <= 75, `mean gap ${mean} ms: ${ticks.map((t) => t.at)}`);
    } finally { p.close(); }
  });

  for (const [query, message, column] of [
    ['subscription { failAfterOne }', 'Cannot query field "failAfterOne" on type "Subscription".', 16],
    ['query { opStats { started } }', 'Cannot query field "opStats" on type "Query".', 9],
    ['query { counter { value } }', 'Cannot query field "counter" on type "Query".', 9],
    ['subscription { hello }', 'Cannot query field "hello" on type "Subscription".', 16],
  ]) {
    it(`${query} → ${message}`, T, async () => {
      const p = await connectInitialised(srv.url, MODERN);
      try {
        p.send(sub('1', query));
        assert.deepEqual(await p.next(), { id: '1', type: 'error', payload: [{ message, locations: [{ line: 1, column }] }] });
      } finally { p.close(); }
    });
  }

  // Argument and variable values worded as graphql-js 16 words them for the
  // same schema (literals as written, numbers as JavaScript prints them).
  for (const [query, variablesText, message, locations] of [
    ['subscription { counter(limit: 1e400) { value } }', null,
      'Int cannot represent non-integer value: 1e400', [{ line: 1, column: 31 }]],
    ['subscription { counter(limit: 99999999999999999999999) { value } }', null,
      'Int cannot represent non 32-bit signed integer value: 99999999999999999999999', [{ line: 1, column: 31 }]],
    ['subscription { counter(limit: 1.0) { value } }', null,
      'Int cannot represent non-integer value: 1.0', [{ line: 1, column: 31 }]],
    ['subscription ($x: Float) { counter(limit: $x) { value } }', '{"x":1}',
      'Variable "$x" of type "Float" used in position expecting type "Int".', [{ line: 1, column: 15 }, { line: 1, column: 43 }]],
    ['subscription ($x: Int) { counter(limit: $x) { value } }', '{"x":1e400}',
      'Variable "$x" got invalid value Infinity; Int cannot represent non-integer value: Infinity', [{ line: 1, column: 15 }]],
    ['subscription ($x: Int) { counter(limit: $x) { value } }', '{"x":99999999999999999999999}',
      'Variable "$x" got invalid value 1e+23; Int cannot represent non 32-bit signed integer value: 1e+23', [{ line: 1, column: 15 }]],
  ]) {
    it(`${query} ${variablesText ?? ''} → ${message}`, T, async () => {
      const p = await connectInitialised(srv.url, MODERN);
      try {
        // Sent as text: JSON.stringify would turn 1e400 into null.
        p.send(`{"id":"1","type":"subscribe","payload":{"query":${JSON.stringify(query)}${variablesText ? `,"variables":${variablesText}` : ''}}}`);
        assert.deepEqual(await p.next(), { id: '1', type: 'error', payload: [{ message, locations }] });
      } finally { p.close(); }
    });
  }

  // What graphql-js's execute() answers as a result, not a refusal: a
  // mutation without a mutation type; an @skip/@include whose `if` is null,
  // raised when a value reaches it (a field error, null propagated).
  const notConfigured = { message: 'Schema is not configured to execute mutation operation.', locations: [{ line: 1, column: 1 }] };
  for (const protocol of [MODERN, LEGACY]) {
    it(`${protocol}: mutation { hello } is answered with graphql-js's execution result, then complete`, T, async () => {
      const p = await connectInitialised(srv.url, protocol);
      try {
        const payload = { errors: [notConfigured], data: null };
        if (protocol === MODERN) {
          p.send(sub('1', 'mutation { hello }'));
          assert.deepEqual(await collect(p, '1'), [{ id: '1', type: 'next', payload }, { id: '1', type: 'complete' }]);
        } else {
          p.send({ type: 'start', id: '1', payload: { query: 'mutation { hello }' } });
          assert.deepEqual(await p.nextExcept(['ka']), { type: 'data', id: '1', payload });
          assert.deepEqual(await p.nextExcept(['ka']), { type: 'complete', id: '1' });
        }
      } finally { p.close(); }
    });
  }

  it('a null @skip condition on a root field: the error alone, data null, then complete', T, async () => {
    const query = 'query ($s: Boolean = true) { hello @skip(if: $s) }';
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(sub('1', query, { s: null }));
      const error = { message: 'Argument "if" of non-null type "Boolean!" must not be null.', locations: [{ line: 1, column: query.indexOf('$s)') + 1 }] };
      assert.deepEqual(await collect(p, '1'), [
        { id: '1', type: 'next', payload: { errors: [error], data: null } },
        { id: '1', type: 'complete' },
      ]);
    } finally { p.close(); }
  });

  it('a null @skip condition below a counter event: a field error in every event', T, async () => {
    const query = 'subscription ($s: Boolean = true) { counter(limit: 2, intervalMs: 0) { value @skip(if: $s) at } }';
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(sub('1', query, { s: null }));
      const error = { message: 'Argument "if" of non-null type "Boolean!" must not be null.', locations: [{ line: 1, column: query.indexOf('$s)') + 1 }], path: ['counter'] };
      const event = { id: '1', type: 'next', payload: { errors: [error], data: null } };
      assert.deepEqual(await collect(p, '1'), [event, event, { id: '1', type: 'complete' }]);
    } finally { p.close(); }
  });

  it('introspection is on by default: __type answers from the SDL', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(sub('1', '{ __type(name: "Tick") { name fields { name type { kind ofType { name } } } } }'));
      assert.deepEqual(await collect(p, '1'), [
        { id: '1', type: 'next', payload: { data: { __type: { name: 'Tick', fields: [
          { name: 'seq', type: { kind: 'NON_NULL', ofType: { name: 'Int' } } },
          { name: 'at', type: { kind: 'NON_NULL', ofType: { name: 'Float' } } },
        ] } } } },
        { id: '1', type: 'complete' },
      ]);
    } finally { p.close(); }
  });

  it('every init is accepted (no hook)', T, async () => {
    const p = await connectInitialised(srv.url, MODERN, { token: 'wrong' });
    p.close();
  });

  itStopsCleanly(srv);
});

// Options that are not the plugin's are the executor's: the demo takes
// tick-ms and refuses a bad value naming it; a name neither knows fails the
// vhost, and the server says which.
describeTargets('demo options (executor=demo)', 6, ({ target, port }) => {
  for (const [options, reason] of [
    [{ 'tick-ms': '0' }, /option "tick-ms" = "0": must be a whole number of milliseconds from 1 to 3600000/],
    [{ 'tick-ms': 'soon' }, /option "tick-ms" = "soon": must be a whole number of milliseconds/],
    [{ 'tick-mss': '50' }, /unknown option "tick-mss" \(neither the plugin's nor executor "demo"'s\)/],
    [{ introspection: 'maybe' }, /option "introspection" = "maybe": must be on or off \(1 or 0\)/],
  ]) {
    it(`${JSON.stringify(options)} → the server does not start, saying ${reason.source.slice(0, 40)}…`, T, async () => {
      let server = null;
      const err = await startServer(target, port(1), { executor: 'demo', ...options }).then(
        (s) => { server = s; return null; }, (e) => e);
      if (server) await server.stop();
      assert.ok(err, 'the server started');
      assert.match(err.message, reason);
    });
  }
});

// introspection "off" (or "0"): __schema and __type are refused with
// graphql-js's NoSchemaIntrospectionCustomRule words; __typename stays.
describeTargets('demo with introspection off', 6, ({ target, port }) => {
  const srv = useServer(target, port(2), { executor: 'demo', 'keepalive-ms': '0', introspection: 'off' });

  it('{ __schema { queryType { name } } } is refused, naming each introspection field', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(sub('1', '{ __schema { queryType { name } } }'));
      const refused = (field, column) => ({
        message: `GraphQL introspection has been disabled, but the requested query contained the field "${field}".`,
        locations: [{ line: 1, column }],
      });
      assert.deepEqual(await p.next(), { id: '1', type: 'error', payload: [refused('__schema', 3), refused('queryType', 14)] });
    } finally { p.close(); }
  });

  it('__typename is still answered', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(sub('1', '{ __typename hello }'));
      assert.deepEqual(await collect(p, '1'), [
        { id: '1', type: 'next', payload: { data: { __typename: 'Query', hello: 'world' } } },
        { id: '1', type: 'complete' },
      ]);
    } finally { p.close(); }
  });

  itStopsCleanly(srv);
});

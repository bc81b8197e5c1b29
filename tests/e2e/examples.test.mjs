// The example program plugin/examples/hello (a whole server in one page,
// README's embedding section) with the real clients: Apollo's
// SubscriptionClient over graphql-ws and graphql-ws's createClient over
// graphql-transport-ws. Its schema, as SDL:
//   type Query { hello: String! }
//   type Subscription { countdown(from: Int!): Int! }
// Refusals are compared with what graphql-js says of the same document
// against that schema. SIGINT: clients get 1001, exit 0, no sanitizer report.
//
// Host targets only: the example is a program of its own, and lwsws runs
// none, so the lwsws block is one explicitly skipped test.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import WebSocket from 'ws';
import stws from 'subscriptions-transport-ws';
import { createClient } from 'graphql-ws';
import { buildSchema, execute, parse, validate } from 'graphql';
import { describeTargets, useExample, assertCleanStop, sleep, T } from './lib/suite.mjs';
import { exampleBinary } from './lib/server.mjs';
import { connectInitialised, tryUpgrade, LEGACY, MODERN } from './lib/raw.mjs';

const { SubscriptionClient } = stws;
const HOST_ONLY = 'hello is the example program plugin/examples/hello; lwsws runs no example';
const schema = buildSchema('type Query { hello: String! } type Subscription { countdown(from: Int!): Int! }');

// graphql-js's errors for a document: a syntax error, validation's, or (for
// a kind of operation the schema lacks) execution's.
const plain = (e) => ({ message: e.message, locations: e.locations });
function graphqlJsErrors(query) {
  let doc;
  try { doc = parse(query); } catch (e) { return [plain(e)]; }
  const invalid = validate(schema, doc);
  if (invalid.length) return invalid.map(plain);
  return (execute({ schema, document: doc }).errors || []).map(plain);
}

// Both clients, behind one shape: run(query) → { results, error, completed }.
const clients = {
  'Apollo SubscriptionClient over graphql-ws': (url) => {
    const c = new SubscriptionClient(url, { reconnect: false, minTimeout: T.timeout, timeout: T.timeout }, WebSocket);
    return {
      run: (query) => new Promise((resolve) => {
        const out = { results: [], error: undefined, completed: false };
        c.request({ query }).subscribe({
          next: (r) => out.results.push(r),
          error: (e) => { out.error = e; resolve(out); },
          complete: () => { out.completed = true; resolve(out); },
        });
      }),
      protocol: () => c.client.protocol,
      close: () => c.close(),
    };
  },
  'graphql-ws createClient over graphql-transport-ws': (url) => {
    let socket;
    const c = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, on: { connected: (s) => { socket = s; } } });
    return {
      run: (query) => new Promise((resolve) => {
        const out = { results: [], error: undefined, completed: false };
        c.subscribe({ query }, {
          next: (r) => out.results.push(r),
          error: (e) => { out.error = e; resolve(out); },
          complete: () => { out.completed = true; resolve(out); },
        });
      }),
      protocol: () => socket.protocol,
      close: () => c.dispose(),
    };
  },
};

describeTargets('example program hello', 12, ({ target, port }) => {
  if (target === 'lwsws') {
    it(`skipped on lwsws: ${HOST_ONLY}`, { skip: HOST_ONLY });
    return;
  }
  const srv = useExample(target, 'hello', port(0));

  for (const [name, make] of Object.entries(clients)) {
    const legacy = name.includes('Apollo');
    const protocol = legacy ? LEGACY : MODERN;

    it(`${name}: query { hello } gives "world", then completes`, T, async () => {
      const c = make(srv.url);
      try {
        assert.deepEqual(await c.run('query { hello }'), { results: [{ data: { hello: 'world' } }], error: undefined, completed: true });
        assert.equal(c.protocol(), protocol);
      } finally { await c.close(); }
    });

    it(`${name}: countdown(from: 3) gives 3, 2, 1 a quarter second apart, then completes`, T, async () => {
      const c = make(srv.url);
      try {
        const t0 = Date.now();
        const out = await c.run('subscription { left: countdown(from: 3) }');
        assert.deepEqual(out, { results: [3, 2, 1].map((n) => ({ data: { left: n } })), error: undefined, completed: true });
        assert.ok(Date.now() - t0 >= 450, `three values came in ${Date.now() - t0} ms`);
      } finally { await c.close(); }
    });

    it(`${name}: a syntax error is answered as graphql-js answers it; the connection stays`, T, async () => {
      const c = make(srv.url);
      try {
        const query = 'subscription { countdown(from: 3)';
        const [expected] = graphqlJsErrors(query);
        const out = await c.run(query);
        // graphql-ws: an error message with graphql-js's error (Apollo's
        // server sends the error object itself); graphql-transport-ws: the array.
        assert.deepEqual(out, { results: [], error: legacy ? expected : [expected], completed: false });
        assert.deepEqual((await c.run('{ hello }')).results, [{ data: { hello: 'world' } }]);
      } finally { await c.close(); }
    });

    it(`${name}: an unknown field is refused with graphql-js's error`, T, async () => {
      const c = make(srv.url);
      try {
        const expected = graphqlJsErrors('query { hello nope }');
        assert.equal(expected.length, 1);
        const out = await c.run('query { hello nope }');
        // graphql-ws: a result with the errors, then complete; graphql-transport-ws: error.
        assert.deepEqual(out, legacy
          ? { results: [{ errors: expected }], error: undefined, completed: true }
          : { results: [], error: expected, completed: false });
      } finally { await c.close(); }
    });
  }

  // Each document is refused with exactly graphql-js's validation errors.
  for (const query of [
    'subscription { countdown }',
    'subscription { countdown(from: "3") }',
    'subscription { countdown(from: 3, step: 1) }',
    'subscription { countdown(from: 3) { value } }',
    'subscription { a: countdown(from: 1) b: countdown(from: 2) }',
    '{ countdown(from: 3) }',
    'subscription { hello }',
    '{ hello(x: 1) }',
    '{ __typename { a } }',
    'mutation { hello }',
  ]) {
    it(`refused as graphql-js refuses it: ${query}`, T, async () => {
      const expected = graphqlJsErrors(query);
      assert.ok(expected.length > 0);
      const p = await connectInitialised(srv.url, MODERN);
      try {
        p.send({ id: 'r', type: 'subscribe', payload: { query } });
        assert.deepEqual(await p.next(), { id: 'r', type: 'error', payload: expected });
      } finally { p.close(); }
    });
  }

  for (const protocol of [MODERN, LEGACY]) {
    it(`${protocol}: a countdown stopped mid-stream sends nothing more; the id can be reused`, T, async () => {
      const p = await connectInitialised(srv.url, protocol);
      const start = (id, from) => p.send(protocol === MODERN
        ? { id, type: 'subscribe', payload: { query: `subscription { countdown(from: ${from}) }` } }
        : { type: 'start', id, payload: { query: `subscription { countdown(from: ${from}) }` } });
      const value = (id, n) => (protocol === MODERN
        ? { id, type: 'next', payload: { data: { countdown: n } } }
        : { type: 'data', id, payload: { data: { countdown: n } } });
      try {
        start('a', 100);
        assert.deepEqual(await p.nextExcept(['ka']), value('a', 100));
        p.send(protocol === MODERN ? { id: 'a', type: 'complete' } : { type: 'stop', id: 'a' });
        if (protocol === LEGACY) assert.deepEqual(await p.nextExcept(['ka']), { type: 'complete', id: 'a' });
        await p.nothingFor(700);
        start('a', 1);
        assert.deepEqual(await p.nextExcept(['ka']), value('a', 1));
      } finally { p.close(); }
    });
  }

  it('an upgrade offering no subprotocol, or none served, is refused with 400', T, async () => {
    assert.deepEqual(await tryUpgrade(srv.url, []), { accepted: false, error: 'upgrade refused with HTTP 400' });
    assert.deepEqual(await tryUpgrade(srv.url, ['graphql-sse']), { accepted: false, error: 'upgrade refused with HTTP 400' });
    assert.deepEqual(await tryUpgrade(srv.url, [LEGACY]), { accepted: true, protocol: LEGACY });
  });

  it('a second hello on the same port exits 1 and logs why (lws_gqlws_serve could not start)', T, async () => {
    // lws itself leaks 72 bytes when lws_create_context() fails (see the file).
    const suppressions = new URL('./lib/lsan-lws-context-failure.supp', import.meta.url).pathname;
    const env = { ...process.env, LSAN_OPTIONS: `suppressions=${suppressions}:print_suppressions=0` };
    const second = spawnSync(exampleBinary(target, 'hello'), [String(port(0))], { encoding: 'utf8', timeout: 10000, env });
    assert.equal(second.status, 1, `exit ${second.status} ${second.signal ?? ''}\n${second.stderr}`);
    assert.match(second.stderr, /lws-graphql-ws: lws_create_context failed/);
    assert.doesNotMatch(second.stderr, /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/);
  });

  it('SIGINT during a countdown: the client gets 1001, hello exits 0, no sanitizer report', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send({ id: 'long', type: 'subscribe', payload: { query: 'subscription { countdown(from: 1000) }' } });
      assert.deepEqual(await p.next(), { id: 'long', type: 'next', payload: { data: { countdown: 1000 } } });
      await sleep(300);
      const stopping = srv.server.stop();
      const { code } = await p.drainUntilClosed(8000);
      assert.equal(code, 1001);
      assertCleanStop(await stopping);
    } finally { p.close(); }
  });
});

// graphql-ws's own createClient (subprotocol graphql-transport-ws) against
// the server, as an application would use it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { describeTargets, useServer, itStopsCleanly, assertCleanStop, opStats, opStatsUntil, sleep, waitFor, T } from './lib/suite.mjs';
import { startServer, withTimeout } from './lib/server.mjs';

function client(url, options = {}) {
  return createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...options });
}

// Runs one operation to its end: { results, error, completed }.
function run(c, query, { until } = {}) {
  return new Promise((resolve) => {
    const out = { results: [], error: undefined, completed: false };
    const unsubscribe = c.subscribe({ query }, {
      next: (r) => {
        out.results.push(r);
        if (until && until(out.results)) { unsubscribe(); resolve(out); }
      },
      error: (e) => { out.error = e; resolve(out); },
      complete: () => { out.completed = true; resolve(out); },
    });
  });
}

const counterValues = (n) => Array.from({ length: n }, (_, i) => ({ data: { counter: { value: i } } }));

// The client reports a failed connection as the socket's close event.
const closeOf = (e) => ({ code: e.code, reason: e.reason });

describeTargets('graphql-ws createClient over graphql-transport-ws', 1, ({ target, port }) => {
  const srv = useServer(target, port(0), { 'keepalive-ms': '200' });

  it('connects and receives connection_ack on graphql-transport-ws', T, async () => {
    const c = client(srv.url, { lazy: false });
    try {
      const [socket, payload] = await withTimeout(new Promise((res) => c.on('connected', (s, p) => res([s, p]))), 3000, 'connected');
      assert.equal(socket.protocol, 'graphql-transport-ws');
      assert.equal(payload, undefined);
    } finally { await c.dispose(); }
  });

  it('the init hook can add an ack payload', T, async () => {
    const c = client(srv.url, { lazy: false, connectionParams: { token: 'ack' } });
    try {
      const payload = await withTimeout(new Promise((res) => c.on('connected', (_s, p) => res(p))), 3000, 'connected');
      assert.deepEqual(payload, { hello: 'there' });
    } finally { await c.dispose(); }
  });

  it('query { hello } gives one result then completes', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'query { hello }');
      assert.deepEqual(out, { results: [{ data: { hello: 'world' } }], error: undefined, completed: true });
    } finally { await c.dispose(); }
  });

  it('counter(limit: 3) gives 0, 1, 2 then completes', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'subscription { counter(limit: 3) { value } }');
      assert.deepEqual(out, { results: counterValues(3), error: undefined, completed: true });
    } finally { await c.dispose(); }
  });

  it('two subscriptions at once on one connection', T, async () => {
    const c = client(srv.url);
    let sockets = 0;
    c.on('connected', () => { sockets += 1; });
    try {
      const [a, b] = await Promise.all([
        run(c, 'subscription { counter(limit: 4, intervalMs: 20) { value } }'),
        run(c, 'subscription { counter(limit: 3, intervalMs: 30) { value } }'),
      ]);
      assert.deepEqual(a, { results: counterValues(4), error: undefined, completed: true });
      assert.deepEqual(b, { results: counterValues(3), error: undefined, completed: true });
      assert.equal(sockets, 1);
    } finally { await c.dispose(); }
  });

  it('unsubscribing mid-stream stops the operation on the server', T, async () => {
    const before = await opStats(srv.url);
    const c = client(srv.url);
    try {
      const out = await run(c, 'subscription { counter(intervalMs: 20) { value } }', { until: (r) => r.length === 2 });
      assert.deepEqual(out.results, counterValues(2));
      const after = await opStatsUntil(srv.url, (s) => s.stopped === before.stopped + 1);
      assert.equal(after.stopped, before.stopped + 1, `stats before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
      assert.equal(after.running, before.running);
    } finally { await c.dispose(); }
  });

  it('a syntax error ends the operation with an error', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'subscription { counter(limit: 3) { value }');
      assert.deepEqual(out.results, []);
      assert.equal(out.completed, false);
      assert.ok(Array.isArray(out.error) && out.error.length >= 1, `error: ${JSON.stringify(out.error)}`);
      assert.equal(typeof out.error[0].message, 'string');
      assert.ok(Array.isArray(out.error[0].locations), `no locations: ${JSON.stringify(out.error)}`);
      // The connection stays usable.
      assert.deepEqual((await run(c, 'query { hello }')).results, [{ data: { hello: 'world' } }]);
    } finally { await c.dispose(); }
  });

  it('an unknown field ends the operation with its GraphQL error', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'query { nope }');
      assert.deepEqual(out, {
        results: [], completed: false,
        error: [{ message: 'Cannot query field "nope" on type "Query".', locations: [{ line: 1, column: 9 }] }],
      });
    } finally { await c.dispose(); }
  });

  it('a stream that fails after one result ends with its error', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'subscription { failAfterOne }');
      assert.deepEqual(out, {
        results: [{ data: { failAfterOne: 1 } }], completed: false, error: [{ message: 'Stream failed' }],
      });
    } finally { await c.dispose(); }
  });

  it('an init rejected by the hook closes with 4403 Forbidden', T, async () => {
    const closed = [];
    const c = client(srv.url, { connectionParams: { token: 'wrong' }, on: { closed: (e) => closed.push(closeOf(e)) } });
    try {
      const out = await run(c, 'query { hello }');
      assert.deepEqual(out.results, []);
      assert.deepEqual(closeOf(out.error), { code: 4403, reason: 'Forbidden' });
      assert.deepEqual(closed, [{ code: 4403, reason: 'Forbidden' }]);
    } finally { await c.dispose(); }
  });

  it('an Authorization header the hook rejects closes with 4403', T, async () => {
    class BadBearer extends WebSocket {
      constructor(url, protocols) { super(url, protocols, { headers: { Authorization: 'Bearer bad' } }); }
    }
    const c = client(srv.url, { webSocketImpl: BadBearer });
    try {
      const out = await run(c, 'query { hello }');
      assert.deepEqual(closeOf(out.error), { code: 4403, reason: 'Forbidden' });
    } finally { await c.dispose(); }
  });

  it('an asynchronous authorisation is awaited before the ack', T, async () => {
    const c = client(srv.url, { connectionParams: { token: 'async' } });
    try {
      const out = await run(c, 'query { hello }');
      assert.deepEqual(out, { results: [{ data: { hello: 'world' } }], error: undefined, completed: true });
    } finally { await c.dispose(); }
  });

  // Two pings within 5 s: with keepalive-ms 200 they take 200 ms, with the
  // default (10 s) the second would come after 10 s. Waited for, not slept
  // on: a busy machine may delay a ping, never make it come sooner.
  it('keep-alive pings arrive after the ack and are answered', T, async () => {
    const seen = [];
    const c = client(srv.url, {
      lazy: false,
      on: { message: (m) => seen.push(m.type), ping: (received) => { if (received) seen.push('ping-event'); } },
    });
    try {
      const pings = () => seen.filter((t) => t === 'ping').length;
      await waitFor(() => pings() >= 2 && seen.includes('ping-event'), 5000,
        () => `2 pings with keepalive-ms 200, saw: ${seen.join(',')}`);
      assert.equal(seen[0], 'connection_ack', `messages: ${seen.join(',')}`);
    } finally { await c.dispose(); }
  });

  itStopsCleanly(srv);
});

describeTargets('graphql-ws createClient reconnects', 1, ({ target, port }) => {
  it('reconnects and resubscribes after the server closes', { timeout: 40000 }, async () => {
    let server = await startServer(target, port(1));
    const url = server.url;
    const closes = [];
    let connects = 0;
    const c = client(url, {
      retryAttempts: 60,
      retryWait: () => sleep(200),
      shouldRetry: () => true,
      on: { closed: (e) => closes.push(closeOf(e)), connected: () => { connects += 1; } },
    });
    try {
      const values = [];
      let resolveFirst; let resolveAgain;
      const first = new Promise((r) => { resolveFirst = r; });
      const again = new Promise((r) => { resolveAgain = r; });
      c.subscribe({ query: 'subscription { counter(intervalMs: 100) { value } }' }, {
        next: (r) => {
          values.push(r.data.counter.value);
          if (connects === 1) resolveFirst(); else resolveAgain();
        },
        error: () => {},
        complete: () => {},
      });
      await withTimeout(first, 5000, 'first counter value');
      assertCleanStop(await server.stop());
      for (let i = 0; i < 100 && closes.length === 0; i++) await sleep(20);
      assert.equal(closes[0]?.code, 1001, `close seen by the client: ${JSON.stringify(closes)}`);
      server = await startServer(target, port(1));
      await withTimeout(again, 15000, 'a value after the reconnect');
      assert.equal(connects, 2);
      // The resubscribed operation is a new counter: it starts again at 0.
      assert.equal(values[values.length - 1], 0, `values: ${values}`);
    } finally {
      await c.dispose();
      assertCleanStop(await server.stop());
    }
  });
});

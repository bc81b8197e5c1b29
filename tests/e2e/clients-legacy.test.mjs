// Apollo's SubscriptionClient (subscriptions-transport-ws, subprotocol
// graphql-ws) against the server, as an application would use it. The
// client's own socket is also watched to check the exact frames it got.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import stws from 'subscriptions-transport-ws';
import { parse } from 'graphql';
import { describeTargets, useServer, itStopsCleanly, assertCleanStop, opStats, opStatsUntil, sleep, waitFor, T } from './lib/suite.mjs';
import { startServer, withTimeout } from './lib/server.mjs';

const { SubscriptionClient } = stws;

// The client gives up a connection that is not open after minTimeout (1 s
// by default) by closing the socket while it connects; the socket then emits
// an error nobody listens to, and the test that happens to run fails with
// "WebSocket was closed before the connection was established". On a loaded
// machine a handshake can take longer: a connection may take as long as the
// test may run.
const CONNECT_MS = T.timeout;

// A connected client plus a log of every frame its socket received and of
// how that socket closed.
function client(url, options = {}) {
  const c = new SubscriptionClient(url, { reconnect: false, minTimeout: CONNECT_MS, timeout: CONNECT_MS, ...options }, WebSocket);
  watch(c);
  return c;
}

// Records the frames, the close and any error of the client's current
// socket. The client stops listening for errors once it closes a socket
// (shutdown() of a client still connecting does): an error nobody listens to
// would fail whichever test runs next.
function watch(c) {
  const socket = c.client;
  c.watched = socket;
  c.frames = c.frames || [];
  c.socketClose = new Promise((res) => {
    socket.on('close', (code, reason) => res({ code, reason: reason.toString() }));
  });
  socket.on('message', (data) => c.frames.push(JSON.parse(data.toString())));
  // Its close or a frame tells the test what went wrong; the error itself
  // must only not go unheard.
  socket.on('error', () => {});
}

// Closes the client for good. Its own close() does nothing once the socket
// is gone, and would leave a pending reconnect timer behind.
function shutdown(c) {
  // A reconnect's socket is not watched: it may still be connecting.
  if (c.client && c.client !== c.watched) c.client.on('error', () => {});
  c.reconnect = false;
  c.clearTryReconnectTimeout();
  c.clearMaxConnectTimeout();
  c.clearCheckConnectionInterval();
  c.clearInactivityTimeout();
  c.close();
}

function run(c, query, { until } = {}) {
  return new Promise((resolve) => {
    const out = { results: [], error: undefined, completed: false };
    const sub = c.request({ query }).subscribe({
      next: (r) => {
        out.results.push(r);
        if (until && until(out.results)) { sub.unsubscribe(); resolve(out); }
      },
      error: (e) => { out.error = e; resolve(out); },
      complete: () => { out.completed = true; resolve(out); },
    });
  });
}

const counterValues = (n) => Array.from({ length: n }, (_, i) => ({ data: { counter: { value: i } } }));

describeTargets('Apollo SubscriptionClient over graphql-ws', 0, ({ target, port }) => {
  const srv = useServer(target, port(0), { 'keepalive-ms': '200' });

  it('connects and receives connection_ack on graphql-ws', T, async () => {
    const c = client(srv.url);
    try {
      const payload = await withTimeout(new Promise((res) => c.onConnected(res)), 3000, 'connected');
      assert.equal(payload, undefined);
      assert.equal(c.client.protocol, 'graphql-ws');
      assert.deepEqual(c.frames[0], { type: 'connection_ack' });
    } finally { shutdown(c); }
  });

  it('the init hook can add an ack payload', T, async () => {
    const c = client(srv.url, { connectionParams: { token: 'ack' } });
    try {
      const payload = await withTimeout(new Promise((res) => c.onConnected(res)), 3000, 'connected');
      assert.deepEqual(payload, { hello: 'there' });
    } finally { shutdown(c); }
  });

  it('query { hello } gives one result then completes', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'query { hello }');
      assert.deepEqual(out, { results: [{ data: { hello: 'world' } }], error: undefined, completed: true });
      const frames = c.frames.filter((f) => f.type !== 'ka');
      assert.deepEqual(frames, [
        { type: 'connection_ack' },
        { type: 'data', id: '1', payload: { data: { hello: 'world' } } },
        { type: 'complete', id: '1' },
      ]);
    } finally { shutdown(c); }
  });

  it('counter(limit: 3) gives 0, 1, 2 then completes', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'subscription { counter(limit: 3) { value } }');
      assert.deepEqual(out, { results: counterValues(3), error: undefined, completed: true });
    } finally { shutdown(c); }
  });

  it('two subscriptions at once on one connection', T, async () => {
    const c = client(srv.url);
    try {
      const [a, b] = await Promise.all([
        run(c, 'subscription { counter(limit: 4, intervalMs: 20) { value } }'),
        run(c, 'subscription { counter(limit: 3, intervalMs: 30) { value } }'),
      ]);
      assert.deepEqual(a, { results: counterValues(4), error: undefined, completed: true });
      assert.deepEqual(b, { results: counterValues(3), error: undefined, completed: true });
    } finally { shutdown(c); }
  });

  it('unsubscribing mid-stream stops the operation and the server completes it', T, async () => {
    const before = await opStats(srv.url);
    const c = client(srv.url);
    try {
      const out = await run(c, 'subscription { counter(intervalMs: 20) { value } }', { until: (r) => r.length === 2 });
      assert.deepEqual(out.results, counterValues(2));
      const after = await opStatsUntil(srv.url, (s) => s.stopped === before.stopped + 1);
      assert.equal(after.stopped, before.stopped + 1, `stats before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
      assert.equal(after.running, before.running);
      // PROTOCOL.md: stop of a running id → complete; nothing for it afterwards.
      // The complete may still be on its way (the stats came over another
      // connection); after it, 100 ms for anything that should not come.
      await waitFor(() => c.frames.some((f) => f.type === 'complete'), 5000, () => `complete: ${JSON.stringify(c.frames)}`);
      await sleep(100);
      const frames = c.frames.filter((f) => f.type !== 'ka');
      const i = frames.findIndex((f) => f.type === 'complete');
      assert.deepEqual(frames[i], { type: 'complete', id: '1' }, `frames: ${JSON.stringify(frames)}`);
      assert.equal(frames.length, i + 1, `frames after complete: ${JSON.stringify(frames.slice(i + 1))}`);
    } finally { shutdown(c); }
  });

  // Apollo's server answers a query that does not parse with an error
  // message; its client hands it to the observer's error callback.
  it('a syntax error reaches the observer\'s error callback, with no complete', T, async () => {
    const query = 'subscription { counter(limit: 3) { value }';
    let expected;
    try { parse(query); } catch (e) { expected = { message: e.message, locations: e.locations }; }
    const c = client(srv.url);
    try {
      const out = await run(c, query);
      assert.deepEqual(out, { results: [], error: expected, completed: false });
      await sleep(100);
      assert.deepEqual(c.frames.filter((f) => f.type !== 'ka' && f.type !== 'connection_ack'),
        [{ type: 'error', id: '1', payload: expected }]);
      // The connection stays: the next operation runs.
      const next = await run(c, 'query { hello }');
      assert.deepEqual(next, { results: [{ data: { hello: 'world' } }], error: undefined, completed: true });
    } finally { shutdown(c); }
  });

  it('an unknown field is a data result with its GraphQL error, then complete', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'query { nope }');
      assert.deepEqual(out, {
        results: [{ errors: [{ message: 'Cannot query field "nope" on type "Query".', locations: [{ line: 1, column: 9 }] }] }],
        error: undefined, completed: true,
      });
    } finally { shutdown(c); }
  });

  it('a stream that fails after one result ends with an error', T, async () => {
    const c = client(srv.url);
    try {
      const out = await run(c, 'subscription { failAfterOne }');
      assert.deepEqual(out, { results: [{ data: { failAfterOne: 1 } }], error: { message: 'Stream failed' }, completed: false });
    } finally { shutdown(c); }
  });

  it('an init rejected by the hook gets connection_error then close 1011', T, async () => {
    let connectionError;
    const c = client(srv.url, { connectionParams: { token: 'wrong' }, connectionCallback: (e) => { connectionError = e; } });
    try {
      const closed = await withTimeout(c.socketClose, 3000, 'close after rejection');
      assert.deepEqual(connectionError, { message: 'Invalid token' });
      assert.equal(closed.code, 1011);
      assert.deepEqual(c.frames, [{ type: 'connection_error', payload: { message: 'Invalid token' } }]);
    } finally { shutdown(c); }
  });

  it('an Authorization header the hook rejects gets connection_error then close 1011', T, async () => {
    let connectionError;
    const c = client(srv.url, {
      connectionCallback: (e) => { connectionError = e; },
      wsOptionArguments: [{ headers: { Authorization: 'Bearer bad' } }],
    });
    try {
      const closed = await withTimeout(c.socketClose, 3000, 'close after rejection');
      assert.equal(closed.code, 1011);
      assert.deepEqual(connectionError, { message: 'Invalid token' });
    } finally { shutdown(c); }
  });

  it('starts sent right behind an asynchronous init run once it is accepted', T, async () => {
    const c = client(srv.url, { connectionParams: { token: 'async' } });
    try {
      const out = await run(c, 'query { hello }');
      assert.deepEqual(out, { results: [{ data: { hello: 'world' } }], error: undefined, completed: true });
      assert.deepEqual(c.frames.filter((f) => f.type !== 'ka')[0], { type: 'connection_ack' });
    } finally { shutdown(c); }
  });

  // Three ka within 5 s: with keepalive-ms 200 they take 400 ms, with the
  // default (10 s) the second would come after 10 s. Waited for, not slept
  // on: a busy machine may delay a ka, never make it come sooner.
  it('keep-alive: ka right after the ack, then every keepalive-ms', T, async () => {
    const c = client(srv.url);
    try {
      const kas = () => c.frames.filter((f) => f.type === 'ka').length;
      await waitFor(() => kas() >= 3, 5000, () => `3 ka with keepalive-ms 200, got ${JSON.stringify(c.frames)}`);
      assert.deepEqual(c.frames.slice(0, 2), [{ type: 'connection_ack' }, { type: 'ka' }]);
      assert.equal(c.status, WebSocket.OPEN);
    } finally { shutdown(c); }
  });

  itStopsCleanly(srv);
});

describeTargets('Apollo SubscriptionClient reconnects', 0, ({ target, port }) => {
  it('reconnects and restarts its subscription after the server closes', { timeout: 40000 }, async () => {
    let server = await startServer(target, port(1));
    const c = client(server.url, { reconnect: true });
    let reconnected = 0;
    c.onReconnected(() => { reconnected += 1; });
    try {
      const values = [];
      let resolveFirst; let resolveAgain;
      const first = new Promise((r) => { resolveFirst = r; });
      const again = new Promise((r) => { resolveAgain = r; });
      c.request({ query: 'subscription { counter(intervalMs: 100) { value } }' }).subscribe({
        next: (r) => {
          values.push(r.data.counter.value);
          if (reconnected === 0) resolveFirst(); else resolveAgain();
        },
      });
      await withTimeout(first, 5000, 'first counter value');
      const firstSocketClose = c.socketClose;
      assertCleanStop(await server.stop());
      assert.equal((await firstSocketClose).code, 1001);
      server = await startServer(target, port(1));
      await withTimeout(again, 20000, 'a value after the reconnect');
      assert.equal(reconnected, 1);
      // The restarted operation is a new counter: it starts again at 0.
      assert.equal(values[values.length - 1], 0, `values: ${values}`);
    } finally {
      shutdown(c);
      assertCleanStop(await server.stop());
    }
  });
});

// The thread-safe result path (lws_gqlws_ticket_of, lws_gqlws_post_next /
// _post_complete / _post_fail) end to end, with the example program
// plugin/examples/threaded: it answers every
// `subscription { fromThread(count, delayMs, fail) }` from one worker thread
// through that path, with count results {"data":{"fromThread":i}} (default
// 3), delayMs apart (default 10), then complete (or, with fail, a failure
// with that message). The worker is never told that an operation stopped:
// the plugin must drop its posts.
//
// Host targets only: the example is a program of its own, and lwsws runs
// none, so the lwsws block is one explicitly skipped test.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useExample, itStopsCleanly, assertCleanStop, sleep, T } from './lib/suite.mjs';
import { connectInitialised, LEGACY, MODERN } from './lib/raw.mjs';

const HOST_ONLY = 'the threaded executor is the example program plugin/examples/threaded; lwsws runs no example';

// The arguments come as variables, as a client sends them.
const QUERY = 'subscription ($count: Int, $delayMs: Int, $fail: String) '
  + '{ fromThread(count: $count, delayMs: $delayMs, fail: $fail) }';
const subscribe = (protocol, id, variables) => {
  const payload = variables ? { query: QUERY, variables } : { query: QUERY };
  return protocol === MODERN ? { id, type: 'subscribe', payload } : { type: 'start', id, payload };
};

// What the client sends to end an operation early: `complete` (modern), `stop` (legacy).
const endOf = (protocol, id) => (protocol === MODERN ? { id, type: 'complete' } : { type: 'stop', id });

const resultOf = (protocol, id, i) => (protocol === MODERN
  ? { id, type: 'next', payload: { data: { fromThread: i } } }
  : { type: 'data', id, payload: { data: { fromThread: i } } });

const completeOf = (protocol, id) => (protocol === MODERN ? { id, type: 'complete' } : { type: 'complete', id });

// Exactly what one operation of `count` results must produce, in order.
const expectedFrames = (protocol, id, count) => [
  ...Array.from({ length: count }, (_, i) => resultOf(protocol, id, i)),
  completeOf(protocol, id),
];

// Reads frames until every id of `ids` has completed; returns them per id.
// Any frame of another id, or a frame after its id's end, fails.
async function collectOps(peer, ids, ms = 8000) {
  const frames = Object.fromEntries(ids.map((id) => [id, []]));
  const open = new Set(ids);
  const deadline = Date.now() + ms;
  while (open.size) {
    const m = await peer.next(Math.max(1, deadline - Date.now()));
    assert.ok(open.has(m.id), `frame for an id that is not running: ${JSON.stringify(m)}`);
    frames[m.id].push(m);
    if (m.type !== 'next' && m.type !== 'data') open.delete(m.id);
  }
  return frames;
}

// The worker is one thread running jobs one after the other, so an operation
// waits behind every earlier one (ended or not): allow for it in deadlines.
describeTargets('threaded executor: results posted from a worker thread', 7, ({ target, port }) => {
  if (target === 'lwsws') {
    it(`skipped on lwsws: ${HOST_ONLY}`, { skip: HOST_ONLY });
    return;
  }
  const srv = useExample(target, 'threaded', port(0), { 'keepalive-ms': '0' });

  it('graphql-transport-ws: the default 3 results in order, then complete, then nothing', T, async () => {
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(subscribe(MODERN, 'a'));
      const { a } = await collectOps(p, ['a']);
      assert.deepEqual(a, expectedFrames(MODERN, 'a', 3));
      await p.nothingFor(200);
    } finally { p.close(); }
  });

  it('graphql-ws: count 5, delayMs 20 → 5 results in order, paced by the worker, then complete', T, async () => {
    const p = await connectInitialised(srv.url, LEGACY);
    try {
      const t0 = Date.now();
      p.send(subscribe(LEGACY, 'a', { count: 5, delayMs: 20 }));
      const { a } = await collectOps(p, ['a']);
      assert.deepEqual(a, expectedFrames(LEGACY, 'a', 5));
      assert.ok(Date.now() - t0 >= 90, `5 results 20 ms apart came in ${Date.now() - t0} ms`);
      await p.nothingFor(200);
    } finally { p.close(); }
  });

  for (const protocol of [MODERN, LEGACY]) {
    it(`${protocol}: a failure posted from the worker → error for that id after the results, no complete`, T, async () => {
      const p = await connectInitialised(srv.url, protocol);
      try {
        p.send(subscribe(protocol, 'f', { count: 2, delayMs: 0, fail: 'worker gave up' }));
        const { f } = await collectOps(p, ['f']);
        const error = protocol === MODERN
          ? { id: 'f', type: 'error', payload: [{ message: 'worker gave up' }] }
          : { type: 'error', id: 'f', payload: { message: 'worker gave up' } };
        assert.deepEqual(f, [resultOf(protocol, 'f', 0), resultOf(protocol, 'f', 1), error]);
        await p.nothingFor(200);
      } finally { p.close(); }
    });
  }

  it('graphql-transport-ws: an alias is every result\'s key, however long', T, async () => {
    const alias = `a${'x'.repeat(600)}`;
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send({ id: 'l', type: 'subscribe', payload: { query: `subscription { ${alias}: fromThread(count: 2, delayMs: 0) }` } });
      assert.deepEqual((await collectOps(p, ['l'])).l, [
        { id: 'l', type: 'next', payload: { data: { [alias]: 0 } } },
        { id: 'l', type: 'next', payload: { data: { [alias]: 1 } } },
        completeOf(MODERN, 'l'),
      ]);
    } finally { p.close(); }
  });

  for (const protocol of [MODERN, LEGACY]) {
    it(`${protocol}: count 0 → complete only; 500 results with delayMs 0 all arrive in order`, T, async () => {
      const p = await connectInitialised(srv.url, protocol);
      try {
        p.send(subscribe(protocol, 'none', { count: 0 }));
        assert.deepEqual((await collectOps(p, ['none'])).none, [completeOf(protocol, 'none')]);
        p.send(subscribe(protocol, 'burst', { count: 500, delayMs: 0 }));
        assert.deepEqual((await collectOps(p, ['burst'])).burst, expectedFrames(protocol, 'burst', 500));
        await p.nothingFor(100);
      } finally { p.close(); }
    });
  }

  for (const protocol of [MODERN, LEGACY]) {
    it(`${protocol}: four operations at once on one connection, each complete and in order`, T, async () => {
      const p = await connectInitialised(srv.url, protocol);
      try {
        const counts = { a: 4, b: 1, c: 6, d: 3 };
        for (const [id, count] of Object.entries(counts)) p.send(subscribe(protocol, id, { count, delayMs: 2 }));
        const got = await collectOps(p, Object.keys(counts));
        for (const [id, count] of Object.entries(counts)) assert.deepEqual(got[id], expectedFrames(protocol, id, count));
        await p.nothingFor(100);
      } finally { p.close(); }
    });
  }

  it('six connections (both subprotocols) with two operations each, all at once', T, async () => {
    const protocols = [MODERN, LEGACY, MODERN, LEGACY, MODERN, LEGACY];
    const peers = await Promise.all(protocols.map((protocol) => connectInitialised(srv.url, protocol)));
    try {
      // Same ids on every connection: results must reach their own connection.
      peers.forEach((p, n) => {
        p.send(subscribe(protocols[n], 'x', { count: 3 + n, delayMs: 1 }));
        p.send(subscribe(protocols[n], 'y', { count: 2, delayMs: 1 }));
      });
      const got = await Promise.all(peers.map((p) => collectOps(p, ['x', 'y'])));
      got.forEach((frames, n) => {
        assert.deepEqual(frames.x, expectedFrames(protocols[n], 'x', 3 + n), `connection ${n}`);
        assert.deepEqual(frames.y, expectedFrames(protocols[n], 'y', 2), `connection ${n}`);
      });
      await Promise.all(peers.map((p) => p.nothingFor(100)));
    } finally { for (const p of peers) p.close(); }
  });

  for (const protocol of [MODERN, LEGACY]) {
    const end = protocol === MODERN ? 'complete' : 'stop';
    it(`${protocol}: ${end} mid-stream: nothing more for that id while the worker keeps posting; the id can be reused`, T, async () => {
      const p = await connectInitialised(srv.url, protocol);
      try {
        // 40 results 10 ms apart: the worker posts for ~400 ms after the end.
        p.send(subscribe(protocol, 'a', { count: 40, delayMs: 10 }));
        assert.deepEqual(await p.next(), resultOf(protocol, 'a', 0));
        assert.deepEqual(await p.next(), resultOf(protocol, 'a', 1));
        p.send(endOf(protocol, 'a'));
        // The point where the server has handled the end: legacy answers stop
        // with complete; modern answers nothing, so a ping sent right after
        // is answered once the complete was handled. Results queued before
        // that point may come first, in order; none may come after it,
        // although the worker goes on posting for ~400 ms.
        if (protocol === MODERN) p.send({ type: 'ping' });
        const marker = protocol === MODERN ? { type: 'pong' } : completeOf(protocol, 'a');
        for (let i = 2; ; i++) {
          const m = await p.next();
          if (m.type === marker.type) { assert.deepEqual(m, marker); break; }
          assert.deepEqual(m, resultOf(protocol, 'a', i), `before the ${marker.type}`);
        }
        await p.nothingFor(600);
        // Same id again: the new operation's results only (the old ticket's
        // late posts must not leak into it), queued behind the old job.
        p.send(subscribe(protocol, 'a', { count: 3, delayMs: 0 }));
        assert.deepEqual((await collectOps(p, ['a'])).a, expectedFrames(protocol, 'a', 3));
        await p.nothingFor(100);
      } finally { p.close(); }
    });
  }

  it('an abrupt TCP close mid-stream: the worker keeps posting to a dead connection, the host stays up', T, async () => {
    const dropped = await Promise.all([connectInitialised(srv.url, MODERN), connectInitialised(srv.url, LEGACY)]);
    // Each job posts for ~500 ms; the worker runs them one after the other.
    dropped[0].send(subscribe(MODERN, 'a', { count: 100, delayMs: 5 }));
    dropped[1].send(subscribe(LEGACY, 'a', { count: 100, delayMs: 5 }));
    assert.deepEqual(await dropped[0].next(), resultOf(MODERN, 'a', 0));
    for (const p of dropped) p.ws._socket.destroy();
    await sleep(100);
    assert.equal(srv.server.exited, null, 'the host exited');
    // A new client is served while posts to the dead connections are dropped.
    const p = await connectInitialised(srv.url, MODERN);
    try {
      p.send(subscribe(MODERN, 'b', { count: 3, delayMs: 0 }));
      assert.deepEqual((await collectOps(p, ['b'])).b, expectedFrames(MODERN, 'b', 3));
      await p.nothingFor(100);
    } finally { p.close(); }
    assert.equal(srv.server.exited, null, 'the host exited');
  });

  itStopsCleanly(srv);
});

describeTargets('threaded executor: SIGINT while the worker is still posting', 7, ({ target, port }) => {
  if (target === 'lwsws') {
    it(`skipped on lwsws: ${HOST_ONLY}`, { skip: HOST_ONLY });
    return;
  }
  const srv = useExample(target, 'threaded', port(1), { 'keepalive-ms': '0' });

  it('a dropped and a live connection mid-stream: the live client gets 1001, the host exits 0, no sanitizer report', T, async () => {
    const dropped = await connectInitialised(srv.url, LEGACY);
    const live = await connectInitialised(srv.url, MODERN);
    try {
      // The worker runs the dropped connection's job (~300 ms) to its end
      // after the drop, then the live one's (~10 s): SIGINT comes during it.
      dropped.send(subscribe(LEGACY, 'a', { count: 30, delayMs: 10 }));
      live.send(subscribe(MODERN, 'a', { count: 1000, delayMs: 10 }));
      assert.deepEqual(await dropped.next(), resultOf(LEGACY, 'a', 0));
      dropped.ws._socket.destroy();
      assert.deepEqual(await live.next(), resultOf(MODERN, 'a', 0));
      assert.deepEqual(await live.next(), resultOf(MODERN, 'a', 1));
      assert.equal(srv.server.exited, null, 'the host exited');
      const stopping = srv.server.stop();
      const { code, messages } = await live.drainUntilClosed(8000);
      assert.equal(code, 1001);
      messages.forEach((m, i) => assert.deepEqual(m, resultOf(MODERN, 'a', i + 2)));
      assertCleanStop(await stopping);
    } finally { dropped.close(); live.close(); }
  });
});

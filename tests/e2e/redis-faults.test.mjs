// Redis going away (issue 12): killed (SIGKILL) mid-stream and restarted on
// its port, and not there at all when the nodes start. Meanwhile every node
// serves its WebSocket clients, keeps their subscriptions open, answers
// publishes 503 and publishing mutations "Publish failed: ..."; once Redis
// is back, every node has re-subscribed and delivers again within seconds,
// with one order on every node and nothing of what was refused. Waits are on
// deliveries and answers, each with a deadline, never on a fixed time.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { publish, publishOk } from './lib/http.mjs';
import {
  describeRedis, clusterPlan, RedisServer, useCluster, stopClusterCleanly, awaitNumsub, awaitDelivery, awaitRefusal,
  redisMetrics, waitForAsync, PREFIX, TOKEN,
} from './lib/redis.mjs';

const SLOT = 31;
const TT = { timeout: 150000 };
// The reconnect backoff is capped at 5 s (jittered): a node tries again at
// most about 5 s after Redis is back; the rest is slack for a loaded machine
// and the ASan build.
const RECOVERY_MS = 15000;
// After Redis was away long enough for the backoff to reach its cap: the
// next attempt comes at most 5 s later.
const CAPPED_RECOVERY_MS = 10000;

const LIVE = 'subscription { stock(symbol: "LIVE") { symbol price volume } }';
const PROBE = 'subscription { stock(symbol: "PROBE") { price } }';

// Publishes `count` events to stock.LIVE from the nodes in turn, by HTTP
// and by mutation alternately, one after another; returns them.
async function publishRound(nodes, clients, first, count) {
  const events = [];
  for (let k = 0; k < count; k++) {
    const i = k % nodes.length;
    const event = { symbol: 'LIVE', price: first + k, volume: i };
    if (k % 2 === 0) {
      await publishOk(nodes[i].port, 'stock.LIVE', event, TOKEN);
    } else {
      const out = await clients[i].run(`mutation { setPrice(symbol: "LIVE", price: ${event.price}, volume: ${i}) { price } }`);
      assert.deepEqual(out.results, [{ data: { setPrice: { price: event.price } } }], `mutation on ${nodes[i].label}`);
    }
    events.push(event);
  }
  return events;
}

// While Redis is away: each node answers a publish 503 with a reason, a
// publishing mutation with the error "Publish failed: ..." (data null), and
// still serves queries. Returns the events it tried, none to be delivered.
async function assertRefusals(nodes, clients, first) {
  const refused = [];
  for (const [i, n] of nodes.entries()) {
    await awaitRefusal(n, RECOVERY_MS, `${n.label} answers publishes 503 while Redis is away`);
    const event = { symbol: 'LIVE', price: first + 2 * i, volume: i };
    const res = await publish(n.port, 'stock.LIVE', event, TOKEN);
    assert.equal(res.status, 503, `${n.label}: ${res.status} ${res.body}`);
    assert.equal(typeof JSON.parse(res.body).error, 'string', res.body);
    refused.push(event);
    const price = first + 2 * i + 1;
    const out = await clients[i].run(`mutation { setPrice(symbol: "LIVE", price: ${price}) { price } }`);
    assert.equal(out.results.length, 1, JSON.stringify(out.results));
    const [result] = out.results;
    assert.deepEqual(result.data, { setPrice: null }, JSON.stringify(result));
    assert.equal(result.errors.length, 1, JSON.stringify(result));
    assert.match(result.errors[0].message, /^Publish failed: ./, JSON.stringify(result));
    assert.deepEqual(result.errors[0].path, ['setPrice']);
    refused.push({ symbol: 'LIVE', price, volume: i });
    // The node still serves: a query answers, the subscriptions stay.
    await clients[i].barrier();
  }
  return refused;
}

// Each node's /metrics: both Redis connections up (2), or both not.
async function assertStates(nodes, up) {
  for (const n of nodes) {
    const { state } = await redisMetrics(n.port);
    if (up) assert.deepEqual(state, { subscriber: 2, publisher: 2 }, `${n.label} state`);
    else assert.ok(state.subscriber < 2 && state.publisher < 2, `${n.label} state ${JSON.stringify(state)} with Redis away`);
  }
}

// Every stream received exactly `events` (objects of stock), in one order.
async function assertSameOrder(nodes, streams, events) {
  for (const s of streams) await s.count(events.length);
  const orders = streams.map((s) => s.results.map((r) => r.data.stock));
  for (const [i, o] of orders.entries()) {
    assert.deepEqual(o, orders[0], `${nodes[i].label} received another order than ${nodes[0].label}`);
  }
  const byPrice = (a, b) => a.price - b.price;
  assert.deepEqual([...orders[0]].sort(byPrice), [...events].sort(byPrice));
}

describeRedis('Redis killed and restarted mid-stream', () => {
  const plan = clusterPlan(SLOT);
  const redis = new RedisServer(plan.redisPort);
  const cluster = useCluster(plan, redis);

  it('every node re-subscribes and delivers again within seconds of the restart; publishes meanwhile are refused (503, "Publish failed: ..."); subscriptions stay open', TT, async () => {
    const { nodes, clients } = cluster;
    const live = clients.map((c) => c.stream(LIVE));
    const probes = clients.map((c) => c.stream(PROBE));
    for (const c of clients) await c.barrier();
    await awaitNumsub(plan.redisPort, `${PREFIX}stock.LIVE`, nodes.length);
    await awaitNumsub(plan.redisPort, `${PREFIX}stock.PROBE`, nodes.length);

    const before1 = await publishRound(nodes, clients, 1, 6);
    for (const s of live) await s.count(before1.length);

    const reconnects0 = await Promise.all(nodes.map(async (n) => (await redisMetrics(n.port)).reconnects));
    await redis.kill();
    const refused = await assertRefusals(nodes, clients, 1000);
    await assertStates(nodes, false);

    // Back on the same port: each node, as publisher, reaches every node.
    await redis.start();
    const t0 = Date.now();
    for (const n of nodes) await awaitDelivery(n, 'PROBE', probes, RECOVERY_MS, `after the restart, via ${n.label}`);
    const recoveryMs = Date.now() - t0;
    console.log(`# redis restart: every node delivering again ${recoveryMs} ms after redis-server answered`);
    await awaitNumsub(plan.redisPort, `${PREFIX}stock.LIVE`, nodes.length);
    await assertStates(nodes, true);
    for (const [i, n] of nodes.entries()) {
      const { reconnects } = await redisMetrics(n.port);
      assert.ok(reconnects.subscriber > reconnects0[i].subscriber && reconnects.publisher > reconnects0[i].publisher,
        `${n.label} reconnects ${JSON.stringify(reconnects0[i])} -> ${JSON.stringify(reconnects)}`);
    }

    const after1 = await publishRound(nodes, clients, 2000, 6);
    await assertSameOrder(nodes, live, [...before1, ...after1]);
    for (const s of live) {
      assert.ok(!s.results.some((r) => refused.some((e) => e.price === r.data.stock.price)), 'a refused event was delivered');
    }

    // A second crash, and Redis away until every node has failed five more
    // attempts on each connection (from 100 ms doubling, or further on when
    // the backoff had not restarted: the next wait is 3.2 s or the 5 s
    // cap): back within the cap and some slack.
    const reconnects1 = await Promise.all(nodes.map(async (n) => (await redisMetrics(n.port)).reconnects));
    await redis.kill();
    const refused2 = await assertRefusals(nodes, clients, 3000);
    for (const [i, n] of nodes.entries()) {
      let last = null;
      await waitForAsync(async () => {
        last = (await redisMetrics(n.port)).reconnects;
        return last.subscriber >= reconnects1[i].subscriber + 5 && last.publisher >= reconnects1[i].publisher + 5;
      }, 60000, `${n.label}: five more attempts on each connection (${JSON.stringify(reconnects1[i])} -> ${JSON.stringify(last)})`);
    }
    await assertStates(nodes, false);
    await redis.start();
    const t1 = Date.now();
    for (const n of nodes) await awaitDelivery(n, 'PROBE', probes, CAPPED_RECOVERY_MS, `after the second restart, via ${n.label}`);
    console.log(`# redis restart after a long outage: every node delivering again ${Date.now() - t1} ms after redis-server answered`);
    await assertStates(nodes, true);
    const after2 = await publishRound(nodes, clients, 4000, 6);
    await assertSameOrder(nodes, live, [...before1, ...after1, ...after2]);
    for (const s of live) {
      assert.ok(!s.results.some((r) => refused2.some((e) => e.price === r.data.stock.price)), 'a refused event was delivered');
      assert.equal(s.error, undefined);
      assert.equal(s.completed, false);
    }
    for (const s of [...live, ...probes]) s.stop();
  });

  it('no client was disconnected, and every node stops cleanly with no sanitizer report', TT, async () => {
    await stopClusterCleanly(cluster);
  });
});

describeRedis('Redis unreachable when the nodes start, then started', () => {
  const plan = clusterPlan(SLOT);
  // Nothing listens on its port until the test starts it.
  const redis = new RedisServer(plan.redisPort);
  const cluster = useCluster(plan, redis, { startRedis: false });

  it('the nodes serve without Redis (subscriptions open, publishes refused), then connect once it runs and deliver', TT, async () => {
    const { nodes, clients } = cluster;
    const live = clients.map((c) => c.stream(LIVE));
    const probes = clients.map((c) => c.stream(PROBE));
    for (const c of clients) await c.barrier();
    const refused = await assertRefusals(nodes, clients, 1000);

    await redis.start();
    const t0 = Date.now();
    for (const n of nodes) await awaitDelivery(n, 'PROBE', probes, RECOVERY_MS, `once Redis runs, via ${n.label}`);
    console.log(`# redis started late: every node delivering ${Date.now() - t0} ms after redis-server answered`);
    await awaitNumsub(plan.redisPort, `${PREFIX}stock.LIVE`, nodes.length);

    const events = await publishRound(nodes, clients, 1, 6);
    await assertSameOrder(nodes, live, events);
    for (const s of live) {
      assert.ok(!s.results.some((r) => refused.some((e) => e.price === r.data.stock.price)), 'a refused event was delivered');
    }
    for (const s of [...live, ...probes]) s.stop();
  });

  it('no client was disconnected, and every node stops cleanly with no sanitizer report', TT, async () => {
    await stopClusterCleanly(cluster);
  });
});

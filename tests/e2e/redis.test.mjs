// Topics across nodes through Redis (issue 12): every node of the cluster
// (two lwsws nodes and the embedding host, lib/redis.mjs's clusterPlan)
// serves schema/topics.graphql with redis=redis://127.0.0.1:PORT of a
// throw-away redis-server. What is published by HTTP and by mutations on
// any node reaches the subscribers of every node, in one order, the same
// on each; retained values follow that order; each node SUBSCRIBEs a topic
// once for its first local subscriber and UNSUBSCRIBEs after its last.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { publishOk } from './lib/http.mjs';
import { legacyClient, oracle } from './lib/topics.mjs';
import {
  describeRedis, clusterPlan, RedisServer, useCluster, stopClusterCleanly, awaitNumsub, numsub, redisMetrics, PREFIX, TOKEN,
} from './lib/redis.mjs';

const SLOT = 30;
const TT = { timeout: 60000 };

describeRedis('Redis: topics shared by every node', () => {
  const plan = clusterPlan(SLOT);
  const redis = new RedisServer(plan.redisPort);
  const cluster = useCluster(plan, redis);

  it('events published by HTTP and by mutations on every node reach every node\'s subscribers in one order, the same on each; retained values follow it', TT, async () => {
    const { nodes, clients } = cluster;
    const query = 'subscription { stock(symbol: "ORD") { symbol price volume } }';
    const streams = clients.map((c) => c.stream(query));
    const apollo = legacyClient(nodes[0].url);
    try {
      const apolloStream = apollo.stream(query);
      for (const c of clients) await c.barrier();
      await awaitNumsub(plan.redisPort, `${PREFIX}stock.ORD`, nodes.length);
      const metricsBefore = await Promise.all(nodes.map((n) => redisMetrics(n.port)));

      // The event says where it came from: volume is the node's index,
      // price its rank among the publishes (by HTTP: odd; mutation: even).
      const published = [];
      const http = async (i, rank) => {
        const event = { symbol: 'ORD', price: rank, volume: i };
        await publishOk(nodes[i].port, 'stock.ORD', event, TOKEN);
        published.push(event);
      };
      const mutation = async (i, rank) => {
        const m = `mutation { setPrice(symbol: "ORD", price: ${rank}, volume: ${i}) { symbol price volume } }`;
        const out = await clients[i].run(m);
        const event = { symbol: 'ORD', price: rank, volume: i };
        assert.deepEqual(out.texts(), [oracle(m, { setPrice: event })], `mutation on ${nodes[i].label}`);
        published.push(event);
      };

      // One after another, every node publishing both ways.
      let rank = 0;
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < nodes.length; i++) {
          await http((i + 1) % nodes.length, ++rank);
          await mutation(i, ++rank);
        }
      }
      const sequential = published.length;
      // All at once: Redis decides the order, which must still be one.
      const burst = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < nodes.length; i++) {
          burst.push(http(i, ++rank), mutation(i, ++rank));
        }
      }
      await Promise.all(burst);

      const total = published.length;
      for (const s of [...streams, apolloStream]) await s.count(total);
      const orders = streams.map((s) => s.results.map((r) => r.data.stock));
      for (const [i, order] of orders.entries()) {
        assert.deepEqual(order, orders[0], `${nodes[i].label} received another order than ${nodes[0].label}`);
      }
      assert.deepEqual(apolloStream.results.map((r) => r.data.stock), orders[0], 'Apollo\'s client on node A');
      // Exactly what was published, each once.
      const byRank = (a, b) => a.price - b.price;
      assert.deepEqual([...orders[0]].sort(byRank), [...published].sort(byRank));
      // What one node published one after another keeps its order.
      for (let i = 0; i < nodes.length; i++) {
        const mine = (list) => list.filter((e) => e.volume === i && e.price <= sequential).map((e) => e.price);
        assert.deepEqual(mine(orders[0]), mine(published).sort((a, b) => a - b), `order of ${nodes[i].label}'s publishes`);
      }
      // Each node counts what it sent (every publish of its own, HTTP or
      // mutation, is a PUBLISH) and what came back (every event, once).
      for (const [i, n] of nodes.entries()) {
        const m = await redisMetrics(n.port);
        const mine = published.filter((e) => e.volume === i).length;
        assert.deepEqual(m.state, { subscriber: 2, publisher: 2 }, `${n.label} state`);
        assert.deepEqual(m.reconnects, { subscriber: 0, publisher: 0 }, `${n.label} reconnects`);
        assert.equal(m.out - metricsBefore[i].out, mine, `${n.label} PUBLISH commands`);
        assert.equal(m.in - metricsBefore[i].in, total, `${n.label} messages from Redis`);
        assert.equal(m.dropped, 0, `${n.label} dropped`);
        assert.equal(m.publishErrors, 0, `${n.label} publish errors`);
        assert.ok(m.channels >= 1, `${n.label} channels ${m.channels}`);
      }
      // Retained: every node answers the last event of the common order.
      const last = orders[0][orders[0].length - 1];
      for (const c of clients) {
        const out = await c.run('{ stock(symbol: "ORD") { symbol price volume } }');
        assert.deepEqual(out.results, [{ data: { stock: last } }], `retained on ${c.label}`);
      }
    } finally {
      for (const s of streams) s.stop();
      apollo.close();
    }
  });

  it('a node SUBSCRIBEs a topic once for its first subscriber and UNSUBSCRIBEs after its last', TT, async () => {
    const { nodes, clients } = cluster;
    const channel = `${PREFIX}stock.COUNTED`;
    assert.equal(await numsub(plan.redisPort, channel), 0);
    const query = 'subscription { stock(symbol: "COUNTED") { price } }';
    const a1 = clients[0].stream(query);
    const a2 = clients[0].stream('subscription { stock(symbol: "COUNTED") { symbol } }');
    await clients[0].barrier();
    await awaitNumsub(plan.redisPort, channel, 1);
    const b = clients[1].stream(query);
    await clients[1].barrier();
    await awaitNumsub(plan.redisPort, channel, 2);

    // Both of A's subscribers get one copy each from one channel message.
    assert.equal(await publishOk(nodes[1].port, 'stock.COUNTED', { symbol: 'COUNTED', price: 1 }, TOKEN), 1);
    await a1.count(1);
    await a2.count(1);
    await b.count(1);

    a1.stop();
    await clients[0].barrier();
    assert.equal(await numsub(plan.redisPort, channel), 2, 'A still has a subscriber');
    a2.stop();
    await clients[0].barrier();
    await awaitNumsub(plan.redisPort, channel, 1);
    b.stop();
    await clients[1].barrier();
    await awaitNumsub(plan.redisPort, channel, 0);
  });

  it('no client was disconnected, and every node stops cleanly with no sanitizer report', TT, async () => {
    await stopClusterCleanly(cluster);
  });
});

// A hostile Redis (issue 12): the nodes reach redis-server through a proxy
// on loopback (lib/redis.mjs's RedisProxy) that passes the handshake and
// the traffic through, then writes to the nodes' connections what no Redis
// sends: malformed RESP, a bulk string or an array announced at a gigabyte,
// an event over max-message-bytes, non-JSON payloads, pushes and replies
// nobody asked for; and, for new connections, a server that answers every
// command with garbage. Each node logs, drops what it cannot use (closing
// the connection when the stream cannot be parsed any more), reconnects
// and delivers again; it never stops serving its WebSocket clients, and
// the ASan host prints no report.
import { before, after, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertCleanStop } from './lib/suite.mjs';
import { publishOk } from './lib/http.mjs';
import {
  describeRedis, clusterPlan, RedisServer, RedisProxy, startNodes, watchedClient, awaitNumsub, awaitDelivery,
  waitFor, withDeadline, redisMetrics, PREFIX, TOKEN,
} from './lib/redis.mjs';

const SLOT = 32;
const TT = { timeout: 90000 };
const RECOVERY_MS = 15000;
const MAX_MESSAGE_BYTES = 65536;
// A node must give up on a bulk string or array announced at a gigabyte
// long before this much of it has arrived.
const JUNK_LIMIT = 64 * 1024 * 1024;

const HOSTILE = 'subscription { stock(symbol: "HOSTILE") { symbol price } }';
const PROBE = 'subscription { stock(symbol: "PROBE") { price } }';
const CHANNEL = `${PREFIX}stock.HOSTILE`;

const bulk = (s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const message = (channel, payload) => `*3\r\n${bulk('message')}${bulk(channel)}${bulk(payload)}`;

describeRedis('a hostile Redis', () => {
  const plan = clusterPlan(SLOT);
  const redis = new RedisServer(plan.redisPort);
  const proxy = new RedisProxy(plan.proxyPort, plan.redisPort);
  let nodes = [];
  let clients = [];
  let hostile = [];
  let probes = [];

  before(async () => {
    await redis.start();
    await proxy.start();
    nodes = await startNodes(plan, `redis://127.0.0.1:${plan.proxyPort}`, { 'max-message-bytes': String(MAX_MESSAGE_BYTES) });
    clients = nodes.map((n) => watchedClient(n.url, n.label));
    hostile = clients.map((c) => c.stream(HOSTILE));
    probes = clients.map((c) => c.stream(PROBE));
    for (const c of clients) await c.barrier();
    await awaitNumsub(plan.redisPort, CHANNEL, nodes.length);
    await awaitNumsub(plan.redisPort, `${PREFIX}stock.PROBE`, nodes.length);
  });
  after(async () => {
    for (const c of clients) await c.close();
    for (const n of nodes) n.kill();
    await proxy.close();
    await redis.stop();
  });

  // Every node delivers again (through every node as publisher), its
  // clients still served; then one event on HOSTILE reaches each exactly
  // once: nothing a hostile write carried was delivered.
  let rank = 0;
  async function assertRecovered(what) {
    for (const n of nodes) await awaitDelivery(n, 'PROBE', probes, RECOVERY_MS, `${what}, via ${n.label}`);
    for (const c of clients) await c.barrier();
    await awaitNumsub(plan.redisPort, CHANNEL, nodes.length);
    const counts = hostile.map((s) => s.results.length);
    rank += 1;
    await publishOk(nodes[rank % nodes.length].port, 'stock.HOSTILE', { symbol: 'HOSTILE', price: rank }, TOKEN);
    for (const [i, s] of hostile.entries()) {
      await s.count(counts[i] + 1);
      assert.deepEqual(s.results.slice(counts[i]), [{ data: { stock: { symbol: 'HOSTILE', price: rank } } }],
        `${nodes[i].label} delivered something the hostile Redis sent (${what})`);
    }
  }

  // The proxy's open connections that sent SUBSCRIBE (one per node).
  async function subscriberConns() {
    await waitFor(() => proxy.openSubscribers().length === nodes.length, RECOVERY_MS,
      () => `${proxy.openSubscribers().length} subscriber connections open, want ${nodes.length}`);
    return proxy.openSubscribers();
  }

  // Makes every node publish once, so each has a publisher connection that
  // sent PUBLISH; returns those.
  async function publisherConns() {
    for (const n of nodes) await publishOk(n.port, 'stock.nobody', { symbol: 'nobody', price: 0 }, TOKEN);
    const open = () => proxy.openConns().filter((c) => c.publisher && !c.subscriber);
    await waitFor(() => open().length === nodes.length, RECOVERY_MS, () => `${open().length} publisher connections open`);
    return open();
  }

  async function assertClosedByNode(conns, what) {
    await withDeadline(Promise.all(conns.map((c) => c.closedPromise)), RECOVERY_MS, `every node closes its connection after ${what}`);
  }

  it('malformed RESP on the subscriber connections: each node drops the connection, reconnects, re-subscribes and delivers', TT, async () => {
    const conns = await subscriberConns();
    for (const c of conns) { c.hijacked = true; c.client.write('!this is not RESP\r\n'); }
    await assertClosedByNode(conns, 'malformed RESP');
    await assertRecovered('after malformed RESP');
  });

  it('malformed RESP on the publisher connections (a bad bulk length): each node drops it and publishes again', TT, async () => {
    const conns = await publisherConns();
    for (const c of conns) { c.hijacked = true; c.client.write('$12x\r\nhello\r\n'); }
    await assertClosedByNode(conns, 'a bad bulk length');
    await assertRecovered('after malformed RESP to the publisher');
  });

  for (const [name, header, unit, limit] of [
    ['a bulk string announced at 1 GiB', `*3\r\n${bulk('message')}${bulk(CHANNEL)}$1073741824\r\n`, 'x', JUNK_LIMIT],
    // Each element is a reply object in the reader: fewer bytes suffice.
    ['an array announced at a billion elements', '*1000000000\r\n', ':1\r\n', JUNK_LIMIT / 4],
  ]) {
    it(`${name}, then endless data: each node gives up on it long before ${limit >> 20} MiB and recovers`, TT, async () => {
      const conns = await subscriberConns();
      const sent = await Promise.all(conns.map(async (c) => {
        c.hijacked = true;
        c.client.write(header);
        const chunk = Buffer.from(unit.repeat(65536 / unit.length));
        let total = 0;
        while (!c.closed && total < limit) {
          if (!c.client.write(chunk)) {
            // Wait for the node to read on, or to close.
            await Promise.race([new Promise((r) => c.client.once('drain', r)), c.closedPromise]);
          }
          total += chunk.length;
        }
        await withDeadline(c.closedPromise, RECOVERY_MS, `the node closes its connection (${total} bytes of ${name} sent)`);
        return total;
      }));
      console.log(`# ${name}: the nodes closed after ${sent.map((b) => `${(b / 1048576).toFixed(1)} MiB`).join(', ')}`);
      for (const b of sent) assert.ok(b < limit, `a node read ${b} bytes of ${name} without giving up`);
      await assertRecovered(`after ${name}`);
    });
  }

  it('pushes and replies nobody asked for, non-JSON and oversized events: logged and dropped, none delivered', TT, async () => {
    const big = JSON.stringify({ symbol: 'HOSTILE', price: -1, pad: 'p'.repeat(MAX_MESSAGE_BYTES + 16) });
    const unexpected = [
      message(CHANNEL, '{"symbol": "HOSTILE", "price": '), // not JSON
      message(CHANNEL, 'not json at all'),
      message(CHANNEL, ''),
      message(CHANNEL, big), // over max-message-bytes
      message(`${PREFIX}stock.NEVER-SUBSCRIBED`, '{"symbol":"NEVER","price":1}'),
      message('not-our-prefix', '{"symbol":"HOSTILE","price":-2}'),
      `*2\r\n${bulk('message')}${bulk(CHANNEL)}`, // too short
      `*4\r\n${bulk('message')}${bulk(CHANNEL)}${bulk('{}')}${bulk('extra')}`, // too long
      `*3\r\n:1\r\n:2\r\n:3\r\n`, // integers where strings belong
      `*3\r\n${bulk('message')}$-1\r\n$-1\r\n`, // nil channel and payload
      `*4\r\n${bulk('pmessage')}${bulk('*')}${bulk(CHANNEL)}${bulk('{"symbol":"HOSTILE","price":-3}')}`,
      `*3\r\n${bulk('subscribe')}${bulk(`${PREFIX}stock.NEVER`)}:7\r\n`,
      `*3\r\n${bulk('unsubscribe')}${bulk(CHANNEL)}:0\r\n`,
      `>3\r\n${bulk('message')}${bulk(CHANNEL)}${bulk('{"symbol":"HOSTILE","price":-4')}`, // RESP3 push, broken JSON
      '+OK\r\n', ':42\r\n', '-ERR unexpected\r\n', '$-1\r\n', '*-1\r\n', '*0\r\n',
      `*1\r\n*1\r\n*1\r\n${bulk('deep')}`,
    ].join('');
    const dropped0 = await Promise.all(nodes.map(async (n) => (await redisMetrics(n.port)).dropped));
    const conns = await subscriberConns();
    // Written when nothing else flows on them (no publish is in flight), so
    // they land between Redis's own replies.
    for (const c of conns) c.client.write(unexpected);
    // And replies without a command to the publishers.
    const pubs = await publisherConns();
    for (const c of pubs) c.client.write(`:1\r\n+OK\r\n${message(CHANNEL, '{"symbol":"HOSTILE","price":-5}')}-ERR what\r\n`);
    // Whether a node kept its connections or reconnected, it delivers again
    // and has delivered none of the above.
    await assertRecovered('after unexpected pushes and replies');
    // The messages that parse (the first four come before anything that
    // could make a node give up on the connection) were counted as dropped.
    for (const [i, n] of nodes.entries()) {
      const { dropped } = await redisMetrics(n.port);
      assert.ok(dropped >= dropped0[i] + 4, `${n.label} dropped ${dropped0[i]} -> ${dropped}`);
    }
    for (const [i, s] of hostile.entries()) {
      for (const r of s.results) {
        assert.ok(r.data && r.data.stock && r.data.stock.price > 0, `${nodes[i].label} delivered ${JSON.stringify(r)}`);
      }
    }
  });

  it('a server that answers every command with garbage: each node keeps retrying, serves its clients meanwhile, and recovers once Redis is real again', TT, async () => {
    // Each one a protocol error for any RESP reader.
    const answers = ['!garbage\r\n', '$-2\r\n', '*-5\r\n', ':abc\r\n'];
    let n = 0;
    proxy.answerWith = () => answers[n++ % answers.length];
    const before = proxy.conns.length;
    for (const c of proxy.openConns()) c.client.destroy();
    // Each node's subscriber connection sends SUBSCRIBE at once and meets
    // the garbage: twice as many of them as nodes means they retried.
    const since = () => proxy.conns.slice(before).filter((c) => c.subscriber).length;
    await waitFor(() => since() >= 2 * nodes.length, RECOVERY_MS * 2,
      () => `${since()} subscriber connections since the garbage began`);
    for (const c of clients) await c.barrier();
    proxy.answerWith = null;
    for (const c of proxy.openConns()) c.client.destroy();
    await assertRecovered('after a garbage server');
  });

  it('no client was disconnected, and every node stops cleanly with no sanitizer report', TT, async () => {
    for (const c of clients) c.assertNeverDisconnected();
    for (const s of [...hostile, ...probes]) {
      assert.equal(s.error, undefined, `${s.label}: ${JSON.stringify(s.error)}`);
      assert.equal(s.completed, false, `${s.label} completed`);
    }
    for (const c of clients) await c.close();
    clients = [];
    for (const n of nodes) {
      const res = await n.stop();
      assertCleanStop(res);
      // Each node said what it dropped and why it let a connection go.
      assert.match(res.output, /Redis message on "[^"]*" dropped: /, `${n.label} logged no dropped message`);
      assert.match(res.output, /Redis subscriber at [^:]+:\d+: .*; dropping the connection/, `${n.label} logged no dropped connection`);
    }
  });
});

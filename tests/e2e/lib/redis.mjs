// What the Redis suites (redis*.test.mjs, issue 12) share: a throw-away
// redis-server on a port of the file's slot, killed and restarted on that
// same port; a proxy in front of it that can turn hostile (malformed RESP,
// a huge bulk string, pushes nobody asked for); and the cluster of nodes
// under test (two lwsws nodes and the embedding host, or what the run
// selected), each serving schema/topics.graphql with redis=... .
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { repoRoot, portFor, selectedTargets, startServer, withTimeout } from './server.mjs';
import { SCHEMA_FILE, Stream } from './topics.mjs';
import { assertCleanStop, sleep, waitFor } from './suite.mjs';
import { publish, metrics } from './http.mjs';

export const TOKEN = 'e2e-redis-token';
export const PREFIX = 'gqlws:';

// ------------------------------------------------------------ redis-server

// redis-server from $GQLWS_REDIS_SERVER or PATH; null when there is none.
export function redisServerBinary() {
  if (process.env.GQLWS_REDIS_SERVER) return process.env.GQLWS_REDIS_SERVER;
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

// Why the Redis suites cannot run here (they are skipped with it), or null.
// tests/run.sh installs redis-server and sets GQLWS_E2E_REDIS=required: then
// its absence fails the run instead.
export function redisSkipReason() {
  if (redisServerBinary()) return null;
  const why = 'redis-server not found (Debian package redis-server; lws-conf/install-deps.sh installs it)';
  if (process.env.GQLWS_E2E_REDIS === 'required') throw new Error(`GQLWS_E2E_REDIS=required but ${why}`);
  return why;
}

// describe() of a Redis suite, skipped with the reason when it cannot run.
export function describeRedis(title, body) {
  const skip = redisSkipReason();
  if (skip) describe(title, { skip }, () => {});
  else describe(title, body);
}

// One RESP command: an array of bulk strings.
export function respCommand(...args) {
  return Buffer.concat([Buffer.from(`*${args.length}\r\n`),
    ...args.map((a) => Buffer.concat([Buffer.from(`$${Buffer.byteLength(a)}\r\n`), Buffer.from(a), Buffer.from('\r\n')]))]);
}

// Sends one command to host:port and resolves with the raw answer's first
// chunk (text), or rejects (refused, closed, timed out).
export function redisRaw(port, ...args) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('no answer')); }, 2000);
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('connect', () => sock.write(respCommand(...args)));
    sock.once('data', (d) => { clearTimeout(timer); sock.end(); resolve(d.toString('latin1')); });
    sock.on('close', () => { clearTimeout(timer); reject(new Error('closed')); });
  });
}

// A redis-server on 127.0.0.1:port with no persistence, in a folder of its
// own under build/. kill() is SIGKILL (a crash: the nodes see their
// connections reset); start() again uses the same port and folder.
export class RedisServer {
  constructor(port) {
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
    this.dir = join(repoRoot, 'build', `e2e-redis-${port}`);
    this.child = null;
    this.output = '';
    this.starts = 0;
  }

  async start() {
    assert.equal(this.child, null, 'redis-server already running');
    mkdirSync(this.dir, { recursive: true });
    const bin = redisServerBinary();
    const child = spawn(bin, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '',
      '--appendonly', 'no', '--dir', this.dir, '--daemonize', 'no', '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.starts += 1;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => { this.output += d; });
    child.stderr.on('data', (d) => { this.output += d; });
    this.exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
    live.add(this);
    // Ready when it answers PING (its log line's wording is not a contract).
    const deadline = Date.now() + 15000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`redis-server on ${this.port} exited at start:\n${this.output}`);
      }
      try {
        if ((await redisRaw(this.port, 'PING')).startsWith('+PONG')) return this;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer PING:\n${this.output}`);
      await sleep(20);
    }
  }

  // SIGKILL and wait until it is gone and its port is free.
  async kill() {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    live.delete(this);
    child.kill('SIGKILL');
    await withTimeout(this.exited, 10000, 'redis-server exit');
  }

  // SIGTERM (SIGKILL if it lingers), and its folder removed.
  async stop() {
    const child = this.child;
    if (child) {
      this.child = null;
      live.delete(this);
      child.kill('SIGTERM');
      await withTimeout(this.exited, 10000, 'redis-server exit').catch(async () => {
        child.kill('SIGKILL');
        await this.exited;
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const live = new Set();
process.on('exit', () => { for (const r of live) if (r.child) r.child.kill('SIGKILL'); });

// ------------------------------------------------------------ RESP commands a node sends

// Reads the commands (arrays of bulk strings) a client sends, incrementally.
class CommandReader {
  constructor() { this.buf = Buffer.alloc(0); }

  feed(chunk) {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out = [];
    for (;;) {
      const cmd = this.next();
      if (!cmd) return out;
      out.push(cmd);
    }
  }

  next() {
    const line = (at) => {
      const end = this.buf.indexOf('\r\n', at);
      return end < 0 ? null : { text: this.buf.toString('latin1', at, end), after: end + 2 };
    };
    const head = line(0);
    if (!head) return null;
    if (head.text[0] !== '*') {
      // An inline command: words on one line.
      this.buf = this.buf.subarray(head.after);
      return head.text.split(' ');
    }
    const n = Number(head.text.slice(1));
    let at = head.after;
    const args = [];
    for (let i = 0; i < n; i++) {
      const h = line(at);
      if (!h) return null;
      const len = Number(h.text.slice(1));
      if (this.buf.length < h.after + len + 2) return null;
      args.push(this.buf.toString('latin1', h.after, h.after + len));
      at = h.after + len + 2;
    }
    this.buf = this.buf.subarray(at);
    return args;
  }
}

// ------------------------------------------------------------ the proxy

// A TCP proxy on 127.0.0.1:port in front of the redis-server on upstream:
// each connection of a node is passed through, and its commands recorded
// (a connection that sent SUBSCRIBE is a subscriber). A test can then write
// what it likes to a node's connection instead of Redis's answers
// (hijack), or make new connections meet a server that answers every
// command with given bytes (answerWith).
export class RedisProxy {
  constructor(port, upstream) {
    this.port = port;
    this.upstream = upstream;
    this.conns = [];
    this.answerWith = null;
  }

  async start() {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise((res, rej) => {
      this.server.once('error', rej);
      this.server.listen(this.port, '127.0.0.1', res);
    });
    return this;
  }

  accept(client) {
    const conn = {
      client, commands: [], reader: new CommandReader(), hijacked: false, closed: false, upstream: null,
      get subscriber() { return this.commands.some((c) => /^p?subscribe$/i.test(c[0])); },
      get publisher() { return this.commands.some((c) => /^publish$/i.test(c[0])); },
    };
    conn.closedPromise = new Promise((res) => client.on('close', () => { conn.closed = true; res(); }));
    this.conns.push(conn);
    client.on('error', () => {});
    const answer = this.answerWith;
    if (!answer) {
      const up = net.connect({ host: '127.0.0.1', port: this.upstream });
      conn.upstream = up;
      up.on('error', () => client.destroy());
      client.on('close', () => up.destroy());
      up.on('close', () => client.destroy());
      up.on('data', (d) => { if (!conn.hijacked) client.write(d); });
      client.on('data', (d) => {
        conn.commands.push(...conn.reader.feed(d));
        if (!conn.hijacked) up.write(d);
      });
    } else {
      client.on('data', (d) => {
        for (const c of conn.reader.feed(d)) {
          conn.commands.push(c);
          if (!conn.client.destroyed) client.write(typeof answer === 'function' ? answer(c) : answer);
        }
      });
    }
  }

  // Connections that are open and have sent SUBSCRIBE (publisher: PUBLISH).
  openSubscribers() { return this.conns.filter((c) => !c.closed && c.subscriber); }

  openConns() { return this.conns.filter((c) => !c.closed); }

  async close() {
    for (const c of this.conns) { c.client.destroy(); if (c.upstream) c.upstream.destroy(); }
    await new Promise((res) => this.server.close(res));
  }
}

// ------------------------------------------------------------ the cluster

// The nodes of a Redis suite in file slot `slot`: two lwsws nodes (when
// lwsws is selected) and the embedding host (host-asan when selected, else
// host); at least two nodes, of the first target selected when it is the
// only one. Every port is in the file's slot: nodes on n=0/1 of their
// target, Redis on lwsws's n=2, the proxy on host-asan's n=2, a port
// nothing listens on at host's n=2.
export function clusterPlan(slot) {
  const targets = selectedTargets();
  const nodes = [];
  if (targets.includes('lwsws')) nodes.push({ target: 'lwsws', port: portFor('lwsws', slot, 0) }, { target: 'lwsws', port: portFor('lwsws', slot, 1) });
  const host = targets.includes('host-asan') ? 'host-asan' : targets.includes('host') ? 'host' : null;
  if (host) nodes.push({ target: host, port: portFor(host, slot, 0) });
  if (nodes.length < 2) nodes.push({ target: host, port: portFor(host, slot, 1) });
  return {
    nodes,
    redisPort: portFor('lwsws', slot, 2),
    proxyPort: portFor('host-asan', slot, 2),
    deadPort: portFor('host', slot, 2),
  };
}

export function nodeOptions(redisUrl, extra = {}) {
  return {
    executor: 'schema', 'schema-file': SCHEMA_FILE, 'publish-token': TOKEN, 'metrics-path': '/metrics',
    'keepalive-ms': '0', redis: redisUrl, ...extra,
  };
}

// Starts every node of plan with redis=redisUrl; returns their servers
// (each has .port, .url, .target; .label for messages).
export async function startNodes(plan, redisUrl, extra = {}) {
  const servers = [];
  try {
    for (const [i, n] of plan.nodes.entries()) {
      const s = await startServer(n.target, n.port, nodeOptions(redisUrl, extra));
      s.label = `node ${'ABCDEFG'[i]} (${n.target}:${n.port})`;
      servers.push(s);
    }
  } catch (e) {
    for (const s of servers) s.kill();
    throw e;
  }
  return servers;
}

// A describe block's cluster: before() starts redis (unless startRedis is
// false: the nodes then start while Redis is absent), then every node of
// plan on it, each with a watchedClient; after() closes what is left and
// stops Redis. Tests read cluster.nodes and cluster.clients.
export function useCluster(plan, redis, { startRedis = true } = {}) {
  const cluster = { nodes: [], clients: [] };
  before(async () => {
    if (startRedis) await redis.start();
    cluster.nodes = await startNodes(plan, redis.url);
    cluster.clients = cluster.nodes.map((n) => watchedClient(n.url, n.label));
  });
  after(async () => {
    for (const c of cluster.clients) await c.close();
    for (const n of cluster.nodes) n.kill();
    await redis.stop();
  });
  return cluster;
}

// A cluster's last test: no client was disconnected, and every node stops
// cleanly with no sanitizer report. Returns each node's stop result.
export async function stopClusterCleanly(cluster) {
  for (const c of cluster.clients) c.assertNeverDisconnected();
  for (const c of cluster.clients) await c.close();
  cluster.clients = [];
  const stops = [];
  for (const n of cluster.nodes) {
    const res = await n.stop();
    assertCleanStop(res);
    stops.push(res);
  }
  return stops;
}

// ------------------------------------------------------------ clients

// graphql-ws's createClient on one node, counting its connections and
// closes: a test proves no client was disconnected by connected === 1 and
// closed === 0 at its end.
export function watchedClient(url, label) {
  const counts = { connected: 0, closed: 0, closeEvents: [] };
  const c = createClient({
    url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, keepAlive: 0,
    on: {
      connected: () => { counts.connected += 1; },
      closed: (e) => { counts.closed += 1; counts.closeEvents.push(e && e.code); },
    },
  });
  return {
    label,
    counts,
    stream(query, variables) {
      const s = new Stream(`${label}: ${query}`);
      s.stop = c.subscribe({ query, variables }, s.sink);
      return s;
    },
    async run(query, variables) {
      const s = this.stream(query, variables);
      return withTimeout(s.done, 15000, `${label}: ${query}`);
    },
    // A connection runs its messages in order: once answered, every
    // subscription sent before listens (on this node; Redis's SUBSCRIBE is
    // another matter: see awaitDelivery).
    async barrier() {
      const s = await this.run('{ __typename }');
      assert.deepEqual(s.results, [{ data: { __typename: 'Query' } }], `${label} barrier`);
    },
    assertNeverDisconnected() {
      assert.equal(counts.connected, 1, `${label}: connected ${counts.connected} times`);
      assert.equal(counts.closed, 0, `${label}: closed ${counts.closed} times (${counts.closeEvents})`);
    },
    close: () => c.dispose(),
  };
}

// ------------------------------------------------------------ delivery

// Probes that every node delivers again: publishes {symbol: topic, price: k}
// to stock.<topic> from node `via` (HTTP; a 503 while Redis is away is
// expected and retried) until every stream in `streams` (one per node,
// subscribed to it) has received a probe, polling every 100 ms, up to ms.
// Returns the time it took. A probe accepted while a node was not yet
// subscribed again is lost for that node, by pub/sub's rules, so the next
// one counts.
export async function awaitDelivery(via, topic, streams, ms, what) {
  const t0 = Date.now();
  const before = streams.map((s) => s.results.length);
  let k = 0;
  let last = null;
  const statuses = new Map();
  for (;;) {
    k += 1;
    last = await publish(via.port, `stock.${topic}`, { symbol: topic, price: k }, TOKEN);
    statuses.set(last.status, (statuses.get(last.status) || 0) + 1);
    assert.ok(last.status === 202 || last.status === 503, `probe publish: ${last.status} ${last.body}`);
    const until = Date.now() + 100;
    while (Date.now() < until) {
      if (streams.every((s, i) => s.results.length > before[i])) return Date.now() - t0;
      await sleep(10);
    }
    if (streams.every((s, i) => s.results.length > before[i])) return Date.now() - t0;
    if (Date.now() - t0 > ms) {
      throw new Error(`${what}: not every node delivered a probe within ${ms} ms ` +
        `(answers ${JSON.stringify([...statuses])}, last ${last.status} ${last.body}; ` +
        `received ${streams.map((s, i) => `${s.label}: ${s.results.length - before[i]}`).join(', ')})`);
    }
  }
}

// Waits until a publish from node `via` is answered 503 (the node has
// noticed Redis is gone), polling every 20 ms up to ms; the publishes go to
// a topic nobody listens to.
export async function awaitRefusal(via, ms, what) {
  await waitForAsync(async () => (await publish(via.port, 'stock.nobody', { symbol: 'nobody', price: 0 }, TOKEN)).status === 503,
    ms, what);
}

export async function waitForAsync(pred, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await sleep(20);
  }
}

export { waitFor, metrics };

// How many connections Redis counts as subscribed to channel (PUBSUB NUMSUB).
export async function numsub(redisPort, channel) {
  const text = await redisRaw(redisPort, 'PUBSUB', 'NUMSUB', channel);
  const m = /:(\d+)\r\n$/.exec(text);
  if (!m) throw new Error(`PUBSUB NUMSUB ${channel}: ${JSON.stringify(text)}`);
  return Number(m[1]);
}

// Waits until Redis counts n subscribers of channel (every node sent its
// SUBSCRIBE), polling every 20 ms up to ms.
export async function awaitNumsub(redisPort, channel, n, ms = 15000) {
  let last = null;
  await waitForAsync(async () => { last = await numsub(redisPort, channel).catch(() => null); return last === n; },
    ms, `PUBSUB NUMSUB ${channel}: want ${n}, last ${last}`);
}

export { withTimeout as withDeadline };

// A node's Redis metrics (gqlws_redis_*, with redis set): { state:
// {subscriber, publisher} (0 down, 1 connecting, 2 up), reconnects:
// {subscriber, publisher}, channels, in, out, dropped, publishErrors }.
export async function redisMetrics(port) {
  const m = await metrics(port);
  const get = (name) => {
    if (!m.has(name)) throw new Error(`no ${name} in the metrics of ${port}`);
    return m.get(name);
  };
  const both = (family) => ({
    subscriber: get(`${family}{connection="subscriber"}`), publisher: get(`${family}{connection="publisher"}`),
  });
  return {
    state: both('gqlws_redis_state'),
    reconnects: both('gqlws_redis_reconnects_total'),
    channels: get('gqlws_redis_channels'),
    in: get('gqlws_redis_messages_in_total'),
    out: get('gqlws_redis_messages_out_total'),
    dropped: get('gqlws_redis_messages_dropped_total'),
    publishErrors: get('gqlws_redis_publish_errors_total'),
  };
}

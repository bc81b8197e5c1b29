'use strict';
// schema.js - the demo schema of README for the Node peers, written the way a
// Node developer would with graphql-js: hello, counter(limit, intervalMs) and
// ticks fanned out from one shared timer. Both peer servers use this file, so
// they differ only in their transport library.

const {
  GraphQLSchema, GraphQLObjectType, GraphQLInt, GraphQLFloat, GraphQLString,
} = require('graphql');
const { performance } = require('node:perf_hooks');

// Milliseconds since the epoch with sub-millisecond digits, like our server's
// `at`: Date.now() would round every latency down to whole milliseconds.
function epochMs() {
  return performance.timeOrigin + performance.now();
}

// Resolves when the client's socket can take more: at once (next turn of the
// event loop, so sockets get serviced) unless Node holds unsent bytes for it.
function drained(socket) {
  const raw = socket && socket._socket;
  if (raw && raw.writableNeedDrain) {
    return new Promise((resolve) => {
      raw.once('drain', resolve);
      raw.once('close', resolve);
    });
  }
  return new Promise((resolve) => setImmediate(resolve));
}

// One server-wide ticker; each subscriber gets its own queue-backed iterator.
class Ticker {
  constructor(periodMs) {
    this.subscribers = new Set();
    this.seq = 0;
    this.timer = setInterval(() => this.fire(), periodMs);
  }

  fire() {
    this.seq += 1;
    const tick = { seq: this.seq, at: epochMs() };
    for (const sub of this.subscribers) sub.push(tick);
  }

  subscribe() {
    const queue = [];
    let wake = null;
    let done = false;
    const sub = {
      push(tick) {
        if (wake) {
          const w = wake;
          wake = null;
          w({ value: tick, done: false });
        } else {
          queue.push(tick);
        }
      },
    };
    this.subscribers.add(sub);
    const finish = () => {
      done = true;
      this.subscribers.delete(sub);
      queue.length = 0;
      if (wake) {
        const w = wake;
        wake = null;
        w({ value: undefined, done: true });
      }
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      [Symbol.asyncIterator]() { return this; },
      next() {
        if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => { wake = resolve; });
      },
      return: finish,
      throw(err) { finish(); return Promise.reject(err); },
    };
  }
}

async function* counter(limit, intervalMs, socket) {
  for (let value = 0; limit === null || limit === undefined || value < limit; value += 1) {
    if (value > 0) {
      if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
      else await drained(socket);
    }
    yield { value, at: epochMs() };
  }
}

// context.socket is the ws WebSocket of the connection (set by each server).
function makeSchema(tickMs) {
  const ticker = new Ticker(tickMs);
  const Counter = new GraphQLObjectType({
    name: 'Counter',
    fields: { value: { type: GraphQLInt }, at: { type: GraphQLFloat } },
  });
  const Tick = new GraphQLObjectType({
    name: 'Tick',
    fields: { seq: { type: GraphQLInt }, at: { type: GraphQLFloat } },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { hello: { type: GraphQLString, resolve: () => 'world' } },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        counter: {
          type: Counter,
          args: { limit: { type: GraphQLInt }, intervalMs: { type: GraphQLInt } },
          subscribe: (_root, args, context) =>
            counter(args.limit, args.intervalMs ?? 1000, context && context.socket),
          resolve: (event) => event,
        },
        ticks: {
          type: Tick,
          subscribe: () => ticker.subscribe(),
          resolve: (event) => event,
        },
      },
    }),
  });
}

// --port N --tick-ms T --host ADDR
function parseArgs(argv) {
  const opts = { port: 7850, tickMs: 1000, host: '127.0.0.1' };
  for (let i = 2; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--port') opts.port = Number(v);
    else if (k === '--tick-ms') opts.tickMs = Number(v);
    else if (k === '--host') opts.host = v;
    else throw new Error(`unknown option ${k}`);
  }
  return opts;
}

module.exports = { makeSchema, parseArgs };

'use strict';
// topic-server.js - W5's Node peer: topic fan-out as a Node developer builds
// it. graphql-js builds the schema from W5's SDL (../w5/schema.graphql),
// graphql-subscriptions' PubSub carries the events, node's http server takes
// POST /publish/<topic> (Authorization: Bearer <token>, body: the event as
// JSON; 202 {"subscribers":N}), and the same port serves the subscriptions:
// graphql-ws's useServer (graphql-transport-ws), or with --transport sts
// Apollo's subscriptions-transport-ws SubscriptionServer (graphql-ws).
//   node topic-server.js --port 7857 --transport graphql-ws --token T
// W6 (two nodes on one Redis): with --redis redis://host:port the events go
// through graphql-redis-subscriptions' RedisPubSub (ioredis, one publisher
// and one subscriber connection) on channel <--redis-prefix><topic> (prefix
// default "gqlws:", as ours): the publish route answers 202 once Redis took
// the PUBLISH (503 when it did not), and local subscribers, the retained
// value included, get the event when Redis sends it back.

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { EventEmitter } = require('node:events');
const { buildSchema, execute, subscribe } = require('graphql');
const { PubSub } = require('graphql-subscriptions');
const { WebSocketServer } = require('ws');

const opts = { port: 7857, host: '127.0.0.1', transport: 'graphql-ws', token: '', redis: '', redisPrefix: 'gqlws:' };
for (let i = 2; i < process.argv.length; i += 2) {
  const [k, v] = [process.argv[i], process.argv[i + 1]];
  if (k === '--port') opts.port = Number(v);
  else if (k === '--host') opts.host = v;
  else if (k === '--transport') opts.transport = v;
  else if (k === '--token') opts.token = v;
  else if (k === '--redis') opts.redis = v;
  else if (k === '--redis-prefix') opts.redisPrefix = v;
  else throw new Error(`unknown option ${k}`);
}
if (!['graphql-ws', 'sts'].includes(opts.transport)) throw new Error('--transport graphql-ws | sts');

// The SDL's @topic and @retained are our server's; graphql-js only needs
// them declared. The bindings themselves are the resolvers below.
const sdl = `directive @topic(name: String!) on FIELD_DEFINITION
directive @retained(topic: String!) on FIELD_DEFINITION
${fs.readFileSync(path.join(__dirname, '../w5/schema.graphql'), 'utf8')}`;
const schema = buildSchema(sdl);

// One listener per subscriber on one topic: 10,000 of them is the workload,
// not a leak.
const emitter = new EventEmitter();
emitter.setMaxListeners(0);
const retained = new Map();
const TOPIC = /^[A-Za-z0-9_.:-]{1,200}$/;
let pubsub;
let channelOf = (topic) => topic;
let published; // (topic, event) => Promise of the 202 answer's body
if (opts.redis) {
  const { RedisPubSub } = require('graphql-redis-subscriptions');
  const Redis = require('ioredis');
  const connect = () => new Redis(opts.redis, { maxRetriesPerRequest: 1 });
  pubsub = new RedisPubSub({ publisher: connect(), subscriber: connect() });
  channelOf = (topic) => opts.redisPrefix + topic;
  published = async (topic, event) => {
    await pubsub.publish(channelOf(topic), event);
    return {};
  };
  // The retained value follows what Redis sends back, as every node sees it.
  pubsub.subscribe(channelOf('bench'), (event) => retained.set('bench', event));
} else {
  pubsub = new PubSub({ eventEmitter: emitter });
  published = async (topic, event) => {
    retained.set(topic, event);
    pubsub.publish(topic, event);
    return { subscribers: emitter.listenerCount(topic) };
  };
}

schema.getSubscriptionType().getFields().bench.subscribe = () => pubsub.asyncIterableIterator(channelOf('bench'));
schema.getSubscriptionType().getFields().bench.resolve = (event) => event;
schema.getQueryType().getFields().last.resolve = () => retained.get('bench') ?? null;

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const m = /^\/publish\/(.*)$/.exec(req.url);
  if (!m) return answer(res, 404, { error: 'not found' });
  if (req.method !== 'POST') return answer(res, 405, { error: 'POST only' });
  const auth = req.headers.authorization;
  if (!opts.token || !auth) return answer(res, 401, { error: 'no token' });
  if (auth !== `Bearer ${opts.token}`) return answer(res, 403, { error: 'wrong token' });
  const topic = decodeURIComponent(m[1]);
  if (!TOPIC.test(topic)) return answer(res, 400, { error: 'bad topic name' });
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > 65536) req.destroy();
    else chunks.push(c);
  });
  req.on('end', () => {
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      return answer(res, 400, { error: `bad JSON: ${err.message}` });
    }
    published(topic, event).then(
      (body) => answer(res, 202, body),
      (err) => answer(res, 503, { error: `Publish failed: ${err.message}` }),
    );
  });
});

const wss = new WebSocketServer({ server });
if (opts.transport === 'graphql-ws') {
  const { useServer } = require('graphql-ws/use/ws');
  useServer({ schema }, wss);
} else {
  const { SubscriptionServer } = require('subscriptions-transport-ws');
  SubscriptionServer.create({ schema, execute, subscribe }, wss);
}
server.listen(opts.port, opts.host, () => {
  console.log(`topic-server (${opts.transport}${opts.redis ? ', redis' : ''}): listening on http://${opts.host}:${opts.port}/`);
});
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

// The plugin's side of the HTTP publish and metrics endpoints (issue 11),
// beyond the statuses topics.test.mjs checks: bodies over max-message-bytes
// answered 413 even to a client that sends all of it before reading (the
// body is dropped, not reset), answers on one kept-alive connection,
// "Expect: 100-continue", an empty body, WebSocket upgrades on the endpoints' paths, the metrics'
// connections by subprotocol and closes by limit, metrics of an executor
// without topics, and a publish path of one's own (host: lwsws's mounts
// are its conf's).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { describeTargets, useServer, itStopsCleanly, T, sleep } from './lib/suite.mjs';
import { httpRequest, publish, publishOk, metrics } from './lib/http.mjs';
import { connect, connectInitialised, MODERN, LEGACY } from './lib/raw.mjs';
import { SCHEMA_FILE } from './lib/topics.mjs';

const TOKEN = 'plug-publish-token';
const MAX_MESSAGE_BYTES = 4096;
const EVENT = { symbol: 'P', price: 1 };

// Requests in order on one kept-alive connection; each answer with whether
// its socket was one used before.
async function onOneConnection(port, requests) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const answers = [];
  try {
    for (const { method, path, headers = {}, body } of requests) {
      answers.push(await new Promise((resolve, reject) => {
        const all = body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) };
        const req = http.request({ host: '127.0.0.1', port, method, path, headers: all, agent }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => { text += d; });
          res.on('end', () => resolve({ status: res.statusCode, body: text, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      }));
    }
  } finally {
    agent.destroy();
  }
  return answers;
}

const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

describeTargets('HTTP publish and metrics: the plugin side', 27, ({ target, port }) => {
  const srv = useServer(target, port(0), {
    executor: 'schema', 'schema-file': SCHEMA_FILE, 'publish-token': TOKEN, 'metrics-path': '/metrics',
    'keepalive-ms': '0', 'max-message-bytes': String(MAX_MESSAGE_BYTES),
  });
  const p = () => srv.server.port;

  it('a body over max-message-bytes is answered 413 to a client that sends all of it first, and the next publish works', T, async () => {
    for (const size of [MAX_MESSAGE_BYTES + 1, 300 * 1024, 5 * 1024 * 1024]) {
      const body = `"${'x'.repeat(size - 2)}"`;
      const res = await publish(p(), 'stock.P', body, TOKEN);
      assert.equal(res.status, 413, `${size} bytes: ${res.body}`);
      assert.deepEqual(JSON.parse(res.body), { error: 'The event is larger than max-message-bytes.' });
    }
    // Exactly the limit is an event.
    const fits = `"${'x'.repeat(MAX_MESSAGE_BYTES - 2)}"`;
    assert.equal((await publish(p(), 'stock.P', fits, TOKEN)).status, 202);
  });

  it('refused and accepted publishes on one kept-alive connection each get their own answer', T, async () => {
    const answers = await onOneConnection(p(), [
      { method: 'POST', path: '/publish/stock.P', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(EVENT) },
      { method: 'POST', path: '/publish/stock.P', headers: auth, body: JSON.stringify(EVENT) },
      { method: 'POST', path: '/publish/stock.P', headers: { ...auth, Authorization: 'Bearer nope' }, body: JSON.stringify(EVENT) },
      { method: 'POST', path: '/publish/stock!P', headers: auth, body: JSON.stringify(EVENT) },
      { method: 'POST', path: '/publish/stock.P', headers: auth, body: '{' },
      { method: 'GET', path: '/publish/stock.P', headers: auth },
      { method: 'GET', path: '/metrics' },
      { method: 'POST', path: '/publish/stock.P', headers: auth, body: JSON.stringify(EVENT) },
    ]);
    assert.deepEqual(answers.map((a) => a.status), [401, 202, 403, 400, 400, 405, 200, 202]);
    assert.deepEqual(answers.map((a) => a.reused), [false, true, true, true, true, true, true, true]);
    assert.deepEqual(JSON.parse(answers[1].body), { subscribers: 0 });
  });

  it('a client that sends "Expect: 100-continue" is told to go on, and its body is published', T, async () => {
    const body = JSON.stringify(EVENT);
    const res = await new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port: p(), method: 'POST', path: '/publish/stock.P', agent: false,
        headers: { ...auth, 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' },
      }, (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (d) => { text += d; });
        r.on('end', () => resolve({ status: r.statusCode, body: text }));
      });
      req.on('error', reject);
      // Node sends the body only once the server said 100 Continue.
      req.on('continue', () => req.end(body));
    });
    assert.equal(res.status, 202, res.body);
  });

  it('an empty body is not an event (400), and the answer says why in JSON', T, async () => {
    const res = await httpRequest(p(), 'POST', '/publish/stock.P', { headers: auth, body: '' });
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(typeof JSON.parse(res.body).error, 'string');
  });

  it('401 names the Bearer scheme; 405 names the allowed method', T, async () => {
    let res = await publish(p(), 'stock.P', EVENT, null);
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
    res = await httpRequest(p(), 'PUT', '/publish/stock.P', { headers: auth, body: '1' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'POST');
    res = await httpRequest(p(), 'POST', '/metrics', { body: '' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'GET');
  });

  it('GraphQL upgrades on the endpoints\' paths are still served', T, async () => {
    for (const path of ['/publish/stock.P', '/metrics']) {
      const peer = await connectInitialised(srv.url.replace(/\/$/, path), MODERN);
      peer.close();
    }
  });

  it('the metrics count connections by subprotocol and closes by limit (1009)', T, async () => {
    const before = await metrics(p());
    const modern = await connectInitialised(srv.url, MODERN);
    const legacy = await connectInitialised(srv.url, LEGACY);
    let now = await metrics(p());
    const delta = (name) => now.get(name) - before.get(name);
    assert.equal(delta('gqlws_connections{subprotocol="graphql-transport-ws"}'), 1);
    assert.equal(delta('gqlws_connections{subprotocol="graphql-ws"}'), 1);
    // A message over max-message-bytes: the session closes 1009.
    const big = await connect(srv.url, [MODERN]);
    big.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    assert.equal((await big.closed()).code, 1009);
    for (let i = 0; i < 100; i++) {
      now = await metrics(p());
      if (delta('gqlws_connections_closed_by_limit_total{code="1009"}') === 1) break;
      await sleep(10);
    }
    assert.equal(delta('gqlws_connections_closed_by_limit_total{code="1009"}'), 1);
    assert.equal(delta('gqlws_connections_closed_by_limit_total{code="1008"}'), 0);
    modern.close();
    legacy.close();
  });

  itStopsCleanly(srv);
});

describeTargets('HTTP metrics of an executor without topics', 28, ({ target, port }) => {
  const srv = useServer(target, port(0), { executor: 'demo', 'metrics-path': '/metrics', 'publish-token': TOKEN });
  const p = () => srv.server.port;

  it('the demo\'s metrics have the connection families and none of the topics\'; publishing is off (404)', T, async () => {
    const res = await httpRequest(p(), 'GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /^gqlws_connections\{subprotocol="graphql-ws"\} 0$/m);
    assert.doesNotMatch(res.body, /gqlws_topics|gqlws_events_published_total|gqlws_serialisations_total/);
    const pub = await publishOk(p(), 'stock.P', EVENT, TOKEN).catch((e) => e.message);
    assert.match(String(pub), /^publish to stock\.P: 404 /);
  });

  itStopsCleanly(srv);
});

describeTargets('HTTP publish on a path of one\'s own', 29, ({ target, port }) => {
  if (target === 'lwsws') {
    it('runs on the host only: in lwsws the conf\'s mounts name the paths', { skip: 'lwsws mounts /publish' }, () => {});
    return;
  }
  const srv = useServer(target, port(0), {
    executor: 'schema', 'schema-file': SCHEMA_FILE, 'publish-token': TOKEN, 'publish-path': '/events/',
  });
  const p = () => srv.server.port;

  it('publish-path "/events/" publishes under /events, and /publish is nothing (404); no metrics-path: no metrics', T, async () => {
    const res = await publish(p(), 'stock.P', EVENT, TOKEN, { path: '/events' });
    assert.equal(res.status, 202, res.body);
    assert.equal((await publish(p(), 'stock.P', EVENT, TOKEN)).status, 404);
    assert.equal((await httpRequest(p(), 'GET', '/metrics')).status, 404);
  });

  itStopsCleanly(srv);
});

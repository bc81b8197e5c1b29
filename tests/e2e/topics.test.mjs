// Topics end to end (issue 11): the plugin's "schema" executor serving
// schema/topics.graphql, with real clients on both subprotocols
// (graphql-ws's createClient, Apollo's SubscriptionClient). Subscriptions to
// templated topics receive events published by HTTP and by mutations, each
// projected through its own selection exactly as graphql-js executes it;
// retained queries; introspection; events that do not fit their type; every
// answer of the HTTP publish endpoint; the metrics text; and the main
// command's own conf (lws-conf/conf.d/graphql with the example schema).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  getIntrospectionQuery, introspectionFromSchema, buildSchema, parse, validate, NoSchemaIntrospectionCustomRule,
} from 'graphql';
import { describeTargets, useServer, itStopsCleanly, T } from './lib/suite.mjs';
import { repoRoot } from './lib/server.mjs';
import { httpRequest, publish, publishOk, metrics, parseMetrics } from './lib/http.mjs';
import {
  SCHEMA_FILE, HUB_DIRECTIVES, schema, oracle, modernClient, legacyClient, run, barrier,
} from './lib/topics.mjs';

const TOKEN = 'e2e-publish-token';
const MAX_MESSAGE_BYTES = 8192;

const SERVER = {
  executor: 'schema', 'schema-file': SCHEMA_FILE, 'publish-token': TOKEN, 'metrics-path': '/metrics',
  'keepalive-ms': '0', 'max-message-bytes': String(MAX_MESSAGE_BYTES),
};

// Each result of a stream against graphql-js's for the events in order.
function assertEvents(stream, query, field, events, variables) {
  assert.deepEqual(stream.texts(), events.map((e) => oracle(query, { [field]: e }, variables)), stream.label);
}

describeTargets('topics on the schema executor', 22, ({ target, port }) => {
  const srv = useServer(target, port(0), SERVER);
  const httpPort = () => srv.server.port;

  it('a subscription to a templated topic receives each event published by HTTP, through its own selection, on both subprotocols', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const qA = 'subscription { stock(symbol: "ACME") { symbol price } }';
      const qB = 'subscription Watch($s: String!) { quote: stock(symbol: $s) { price volume tags __typename } }';
      const qC = 'subscription { stock(symbol: "OTHER") { symbol } }';
      const a = m.stream(qA);
      const c = m.stream(qC);
      const b = l.stream(qB, { s: 'ACME' });
      await barrier(m);
      await barrier(l);

      const events = [
        { symbol: 'ACME', price: 10.5, volume: 100, tags: ['x'] },
        { symbol: 'ACME', price: 11, extra: { ignored: true } },
        { symbol: 'ACME', price: -0.25, volume: 7, tags: [] },
      ];
      for (const e of events) assert.equal(await publishOk(httpPort(), 'stock.ACME', e, TOKEN), 2);
      await a.count(3);
      await b.count(3);
      assertEvents(a, qA, 'stock', events);
      assertEvents(b, qB, 'stock', events, { s: 'ACME' });

      // Another symbol is another topic: only its own subscriber hears it,
      // and nothing of ACME reached it (the connection's order proves it).
      assert.equal(await publishOk(httpPort(), 'stock.OTHER', { symbol: 'OTHER', price: 1 }, TOKEN), 1);
      await c.count(1);
      assertEvents(c, qC, 'stock', [{ symbol: 'OTHER', price: 1 }]);
      assert.equal(a.results.length, 3);
      assert.equal(b.results.length, 3);
    } finally {
      await m.close();
      l.close();
    }
  });

  it('a mutation publishes its arguments (or its payload argument): subscribers on both subprotocols receive the event and the mutation answers it', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const qM = 'subscription { room(id: "lobby-1") { author text } }';
      const qL = 'subscription { room(id: "lobby-1") { room text __typename } }';
      const sm = m.stream(qM);
      const sl = l.stream(qL);
      await barrier(m);
      await barrier(l);

      const say = 'mutation Say($t: String!) { said: say(room: "lobby-1", author: "ann", text: $t) { room author text __typename } }';
      const said = await run(l, say, { t: 'hello' });
      const sayEvent = { room: 'lobby-1', author: 'ann', text: 'hello' };
      assert.deepEqual(said.texts(), [oracle(say, { say: sayEvent }, { t: 'hello' })]);
      assert.equal(said.completed, true);

      const post = 'mutation { post(message: { room: "lobby-1", author: "bob", text: "hi there" }) { author text } }';
      const posted = await run(m, post);
      const postEvent = { room: 'lobby-1', author: 'bob', text: 'hi there' };
      assert.deepEqual(posted.texts(), [oracle(post, { post: postEvent })]);
      assert.equal(posted.completed, true);

      await sm.count(2);
      await sl.count(2);
      assertEvents(sm, qM, 'room', [sayEvent, postEvent]);
      assertEvents(sl, qL, 'room', [sayEvent, postEvent]);
    } finally {
      await m.close();
      l.close();
    }
  });

  it('a mutation with several publishing root fields publishes each, in order, and answers them all', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const q = 'subscription { stock(symbol: "SEQ") { price volume } }';
      const s = l.stream(q);
      await barrier(l);
      const mutation = `mutation {
        first: setPrice(symbol: "SEQ", price: 1.25) { price }
        other: setPrice(symbol: "NOT-SEQ", price: 9) { symbol }
        second: setPrice(symbol: "SEQ", price: 2, volume: 20) { symbol price volume }
      }`;
      const events = { first: { symbol: 'SEQ', price: 1.25 }, other: { symbol: 'NOT-SEQ', price: 9 }, second: { symbol: 'SEQ', price: 2, volume: 20 } };
      // One resolver per alias: graphql-js runs mutation fields in order too.
      const order = [events.first, events.other, events.second];
      let next = 0;
      const out = await run(m, mutation);
      assert.deepEqual(out.texts(), [oracle(mutation, { setPrice: () => order[next++] })]);
      await s.count(2);
      assertEvents(s, q, 'stock', [events.first, events.second]);
    } finally {
      await m.close();
      l.close();
    }
  });

  it('a subscription that ends stops listening: the publish answer counts it no more', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const a = m.stream('subscription { stock(symbol: "END") { price } }');
      const b = l.stream('subscription { stock(symbol: "END") { symbol } }');
      await barrier(m);
      await barrier(l);
      assert.equal(await publishOk(httpPort(), 'stock.END', { symbol: 'END', price: 1 }, TOKEN), 2);
      await a.count(1);
      await b.count(1);
      a.stop();
      b.stop();
      // The stops were sent before these queries: once answered, they ran.
      await barrier(m);
      await barrier(l);
      assert.equal(await publishOk(httpPort(), 'stock.END', { symbol: 'END', price: 2 }, TOKEN), 0);
      const again = m.stream('subscription { stock(symbol: "END") { price } }');
      await barrier(m);
      assert.equal(await publishOk(httpPort(), 'stock.END', { symbol: 'END', price: 3 }, TOKEN), 1);
      await again.count(1);
      assert.deepEqual(again.results, [{ data: { stock: { price: 3 } } }]);
      assert.equal(a.results.length, 1);
      assert.equal(b.results.length, 1);
    } finally {
      await m.close();
      l.close();
    }
  });

  it('a topic with every punctuation a topic name allows is published to by HTTP (a + percent-encoded)', T, async () => {
    const m = modernClient(srv.url);
    try {
      const symbol = 'a_b-c:d~e@f+g=h.i';
      const s = m.stream('subscription S($s: String!) { stock(symbol: $s) { symbol } }', { s: symbol });
      await barrier(m);
      // lws decodes the request path, "+" included (as a space): %2B is a +.
      assert.equal(await publishOk(httpPort(), 'stock.a_b-c:d~e@f%2Bg=h.i', { symbol, price: 1 }, TOKEN), 1);
      await s.count(1);
      assert.deepEqual(s.results, [{ data: { stock: { symbol } } }]);
    } finally {
      await m.close();
    }
  });

  it('retained queries answer the last event of each topic: two root fields with different arguments, one never published, null for a field with no directive', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      await publishOk(httpPort(), 'stock.R1', { symbol: 'R1', price: 1, volume: 1 }, TOKEN);
      await publishOk(httpPort(), 'stock.R1', { symbol: 'R1', price: 2.5, volume: 3 }, TOKEN);
      await publishOk(httpPort(), 'stock.R2', { symbol: 'R2', price: 99, tags: ['a', 'b'] }, TOKEN);
      // A mutation's event is retained too (an Int literal for a Float).
      const set = await run(m, 'mutation { setPrice(symbol: "R3", price: 7, volume: 70) { price } }');
      assert.deepEqual(set.results, [{ data: { setPrice: { price: 7 } } }]);
      const said = await run(l, 'mutation { say(room: "r1", author: "cy", text: "last words") { text } }');
      assert.deepEqual(said.results, [{ data: { say: { text: 'last words' } } }]);

      const retained = {
        R1: { symbol: 'R1', price: 2.5, volume: 3 },
        R2: { symbol: 'R2', price: 99, tags: ['a', 'b'] },
        R3: { symbol: 'R3', price: 7, volume: 70 },
      };
      const rooms = { r1: { room: 'r1', author: 'cy', text: 'last words' } };
      const root = {
        stock: ({ symbol }) => retained[symbol] ?? null,
        lastMessage: ({ room }) => rooms[room] ?? null,
      };
      const query = `query Last($s: String!) {
        a: stock(symbol: "R1") { symbol price volume }
        b: stock(symbol: $s) { price tags }
        c: stock(symbol: "R3") { symbol price volume }
        none: stock(symbol: "NEVER") { price }
        last: lastMessage(room: "r1") { author text }
        empty: lastMessage(room: "r2") { text }
        unbound
      }`;
      const want = oracle(query, root, { s: 'R2' });
      assert.ok(!JSON.parse(want).errors, want);
      for (const client of [m, l]) {
        const out = await run(client, query, { s: 'R2' });
        assert.deepEqual(out.texts(), [want], client.subprotocol);
        assert.equal(out.completed, true);
      }
    } finally {
      await m.close();
      l.close();
    }
  });

  it('introspection of the schema executor is graphql-js\'s introspectionFromSchema of the SDL with the hub\'s directives', T, async () => {
    const query = getIntrospectionQuery({
      descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true,
      inputValueDeprecation: true, oneOf: true, experimentalDirectiveDeprecation: true,
    });
    const want = JSON.stringify({ data: introspectionFromSchema(schema) });
    assert.equal(want, oracle(query, {}));
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      for (const client of [m, l]) {
        const out = await run(client, query);
        assert.equal(out.error, undefined, JSON.stringify(out.error));
        assert.deepEqual(out.texts(), [want], client.subprotocol);
      }
    } finally {
      await m.close();
      l.close();
    }
  });

  it('events that do not fit the field\'s type give graphql-js\'s errors in that result, and the subscription goes on', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const qS = 'subscription { stock(symbol: "BAD") { symbol price volume tags } }';
      const qR = 'subscription { room(id: "bad") { room author text } }';
      const s = m.stream(qS);
      const r = l.stream(qR);
      await barrier(m);
      await barrier(l);

      const stockEvents = [
        { symbol: 'BAD', price: 'oops' },
        { symbol: 'BAD', price: 1.5, volume: 2.5 },
        { symbol: 'BAD', price: '12.5', volume: 2 ** 31, tags: ['ok', null] },
        null,
        42,
        ['not', 'an', 'object'],
        { price: 3 },
        { symbol: 'BAD', price: 4, volume: true, tags: 'solo' },
        { symbol: 'BAD', price: 5 },
      ];
      // As JSON text, each (a string is an event too).
      for (const e of stockEvents) await publishOk(httpPort(), 'stock.BAD', JSON.stringify(e), TOKEN);
      const roomEvents = [
        { room: 'bad', author: 5, text: true },
        { room: 7, author: { name: 'x' }, text: 'x' },
        'just a string',
        { room: 'bad', author: 'ok', text: 'fine' },
      ];
      for (const e of roomEvents) await publishOk(httpPort(), 'room.bad', JSON.stringify(e), TOKEN);

      await s.count(stockEvents.length);
      await r.count(roomEvents.length);
      assertEvents(s, qS, 'stock', stockEvents);
      assertEvents(r, qR, 'room', roomEvents);
      // Errors were there, and the last (good) events came through clean.
      assert.ok(s.results[0].errors && s.results[3].errors, JSON.stringify(s.results));
      assert.deepEqual(s.results.at(-1), { data: { stock: { symbol: 'BAD', price: 5, volume: null, tags: null } } });
    } finally {
      await m.close();
      l.close();
    }
  });

  it('a subscription whose arguments name no valid topic answers the reason at its field, then completes', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const query = 'subscription { stock(symbol: "a b") { price } }';
      const want = [{
        errors: [{
          message: 'Topic name has a character that is not allowed: " ".',
          locations: [{ line: 1, column: 16 }],
          path: ['stock'],
        }],
      }];
      for (const client of [m, l]) {
        const out = await run(client, query);
        assert.equal(out.error, undefined, JSON.stringify(out.error));
        assert.deepEqual(out.results, want, client.subprotocol);
        assert.equal(out.completed, true);
      }
    } finally {
      await m.close();
      l.close();
    }
  });

  it('the publish endpoint answers each bad request with its status, and delivers none of them', T, async () => {
    const m = modernClient(srv.url);
    try {
      const q = 'subscription { stock(symbol: "H") { price } }';
      const s = m.stream(q);
      await barrier(m);
      const p = httpPort();
      const good = { symbol: 'H', price: 1 };
      const reason = (res) => {
        const body = JSON.parse(res.body);
        assert.equal(typeof body.error, 'string', res.body);
        assert.ok(body.error.length > 0);
        return body.error;
      };

      let res = await publish(p, 'stock.H', '{"symbol": "H", "price": ', TOKEN);
      assert.equal(res.status, 400, 'bad JSON');
      reason(res);
      res = await publish(p, 'stock.H', '', TOKEN);
      assert.equal(res.status, 400, 'empty body');
      reason(res);
      res = await publish(p, 'stock!H', good, TOKEN);
      assert.equal(res.status, 400, 'bad topic');
      assert.equal(reason(res), 'Topic name has a character that is not allowed: "!".');
      res = await publish(p, '', good, TOKEN);
      assert.equal(res.status, 400, 'empty topic');
      assert.equal(reason(res), 'Topic name is empty.');
      res = await publish(p, `s.${'x'.repeat(300)}`, good, TOKEN);
      assert.equal(res.status, 400, 'topic too long');
      reason(res);

      res = await publish(p, 'stock.H', good, null);
      assert.equal(res.status, 401, 'no token');
      res = await httpRequest(p, 'POST', '/publish/stock.H', { headers: { Authorization: 'Basic eDp5' }, body: JSON.stringify(good) });
      assert.equal(res.status, 401, 'not a bearer token');
      res = await publish(p, 'stock.H', good, `${TOKEN}x`);
      assert.equal(res.status, 403, 'a longer token');
      res = await publish(p, 'stock.H', good, TOKEN.slice(0, -1));
      assert.equal(res.status, 403, 'a shorter token');
      res = await publish(p, 'stock.H', good, 'wrong');
      assert.equal(res.status, 403, 'a wrong token');

      for (const method of ['GET', 'PUT', 'DELETE']) {
        res = await httpRequest(p, method, '/publish/stock.H', { headers: { Authorization: `Bearer ${TOKEN}` } });
        assert.equal(res.status, 405, method);
      }

      const big = JSON.stringify({ symbol: 'H', price: 1, pad: 'x'.repeat(MAX_MESSAGE_BYTES) });
      res = await publish(p, 'stock.H', big, TOKEN);
      assert.equal(res.status, 413, 'over max-message-bytes');
      // Just inside the bound is accepted.
      const fits = JSON.stringify({ symbol: 'H', price: 2, pad: '' });
      const inside = fits.replace('"pad":""', `"pad":"${'y'.repeat(MAX_MESSAGE_BYTES - fits.length)}"`);
      assert.equal(inside.length, MAX_MESSAGE_BYTES);
      res = await publish(p, 'stock.H', inside, TOKEN);
      assert.equal(res.status, 202, `exactly max-message-bytes: ${res.body}`);
      assert.deepEqual(JSON.parse(res.body), { subscribers: 1 });

      // Nothing refused reached the subscriber: one good event, then this.
      assert.equal(await publishOk(p, 'stock.H', good, TOKEN), 1);
      await s.count(2);
      assert.deepEqual(s.results, [{ data: { stock: { price: 2 } } }, { data: { stock: { price: 1 } } }]);
      // A topic nobody listens to: accepted, no subscribers.
      res = await publish(p, 'nobody.listens', good, TOKEN);
      assert.equal(res.status, 202);
      assert.deepEqual(JSON.parse(res.body), { subscribers: 0 });
    } finally {
      await m.close();
    }
  });

  it('GET /metrics is Prometheus text with the connection, operation, topic, event, frame, serialisation and publish counters', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const q = 'subscription { stock(symbol: "MET") { price } }';
      const s1 = m.stream(q);
      const s2 = l.stream('subscription { stock(symbol: "MET") { symbol } }');
      await barrier(m);
      await barrier(l);
      const res = await httpRequest(httpPort(), 'GET', '/metrics');
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /^text\/plain/);
      const before = parseMetrics(res.body);
      await publishOk(httpPort(), 'stock.MET', { symbol: 'MET', price: 1 }, TOKEN);
      await publish(httpPort(), 'stock.MET', '{', TOKEN);
      await s1.count(1);
      await s2.count(1);
      const after = await metrics(httpPort());
      const delta = (name) => {
        assert.ok(after.has(name), `metric ${name} missing; have: ${[...after.keys()].join(', ')}`);
        return after.get(name) - (before.get(name) ?? 0);
      };
      assert.ok(after.get('gqlws_connections{subprotocol="graphql-transport-ws"}') >= 1);
      assert.ok(after.get('gqlws_connections{subprotocol="graphql-ws"}') >= 1);
      assert.ok(after.get('gqlws_subscriptions') >= 2);
      assert.ok(after.get('gqlws_topics') >= 1);
      assert.equal(delta('gqlws_events_published_total'), 1);
      assert.equal(delta('gqlws_serialisations_total'), 2);
      assert.equal(delta('gqlws_frames_delivered_total'), 2);
      assert.equal(delta('gqlws_http_publish_answers_total{status="202"}'), 1);
      assert.equal(delta('gqlws_http_publish_answers_total{status="400"}'), 1);
      assert.equal(delta('gqlws_events_delivered_total'), 1);
      assert.equal(delta('gqlws_events_refused_total'), 1); // the JSON that does not parse
      for (const name of ['gqlws_operations', 'gqlws_send_queue_bytes', 'gqlws_selection_groups', 'gqlws_retained_topics',
        'gqlws_retained_bytes', 'gqlws_connections_closed_by_limit_total{code="1008"}',
        'gqlws_connections_closed_by_limit_total{code="1009"}']) {
        assert.ok(after.has(name), `metric ${name} missing; have: ${[...after.keys()].join(', ')}`);
      }
    } finally {
      await m.close();
      l.close();
    }
  });

  itStopsCleanly(srv);
});

describeTargets('topics without a publish token or metrics path, with retain and introspection off', 22, ({ target, port }) => {
  const srv = useServer(target, port(1), {
    executor: 'schema', 'schema-file': SCHEMA_FILE, 'keepalive-ms': '0', retain: '0', introspection: '0',
  });

  it('publishing by HTTP is off (404) and so are the metrics, while mutations still publish', T, async () => {
    const p = srv.server.port;
    let res = await publish(p, 'stock.X', { symbol: 'X', price: 1 }, 'anything');
    assert.equal(res.status, 404);
    res = await publish(p, 'stock.X', { symbol: 'X', price: 1 }, null);
    assert.equal(res.status, 404);
    res = await httpRequest(p, 'GET', '/metrics');
    assert.equal(res.status, 404);

    const m = modernClient(srv.url);
    try {
      const s = m.stream('subscription { stock(symbol: "X") { price } }');
      await barrier(m);
      const set = await run(m, 'mutation { setPrice(symbol: "X", price: 3.5) { symbol } }');
      assert.deepEqual(set.results, [{ data: { setPrice: { symbol: 'X' } } }]);
      await s.count(1);
      assert.deepEqual(s.results, [{ data: { stock: { price: 3.5 } } }]);
    } finally {
      await m.close();
    }
  });

  it('with retain off a retained query answers null; with introspection off __schema is refused as graphql-js refuses it', T, async () => {
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const set = await run(m, 'mutation { setPrice(symbol: "KEEP", price: 1) { price } }');
      assert.deepEqual(set.results, [{ data: { setPrice: { price: 1 } } }]);
      const q = await run(l, '{ stock(symbol: "KEEP") { price } __typename }');
      assert.deepEqual(q.results, [{ data: { stock: null, __typename: 'Query' } }]);

      const intro = '{ __schema { queryType { name } } }';
      const want = validate(schema, parse(intro), [NoSchemaIntrospectionCustomRule])
        .map((e) => ({ message: e.message, locations: e.locations }));
      assert.ok(want.length > 0);
      const refused = await run(m, intro);
      assert.deepEqual(refused.error, want);
      assert.deepEqual(refused.results, []);
    } finally {
      await m.close();
      l.close();
    }
  });

  itStopsCleanly(srv);
});

// The main command's conf as it is (lwsws only: it is an lwsws conf): the
// example schema, the demo page and its favicon, the publish token that
// start-lwsws.sh writes into the run directory, /metrics.
describeTargets('the main command\'s conf (lws-conf/conf.d/graphql)', 22, ({ target, port }) => {
  if (target !== 'lwsws') {
    it('runs on lwsws only: the conf is lwsws\'s', { skip: 'lws-conf is an lwsws configuration' }, () => {});
    return;
  }
  const srv = useServer(target, port(2), null);
  const exampleFile = join(repoRoot, 'lws-conf/schema/example.graphql');

  it('serves the demo page and its favicon', T, async () => {
    const page = await httpRequest(srv.server.port, 'GET', '/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    const icon = /<link rel="icon" href="([^"]+)"/.exec(page.body);
    assert.ok(icon, 'the page links a favicon');
    const fav = await httpRequest(srv.server.port, 'GET', `/${icon[1].replace(/^\//, '')}`);
    assert.equal(fav.status, 200);
    assert.match(fav.headers['content-type'], /^image\//);
  });

  it('serves the example schema: its introspection, prices published with the run\'s token, chat by mutation, both retained', T, async () => {
    const p = srv.server.port;
    const token = readFileSync(join(srv.server.dir, 'publish-token'), 'utf8').split('\n')[0];
    assert.match(token, /^[0-9a-f]{48}$/);
    const example = buildSchema(`${readFileSync(exampleFile, 'utf8')}\n${HUB_DIRECTIVES}\n`);
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const intro = await run(m, getIntrospectionQuery({ descriptions: true }));
      assert.deepEqual(intro.results[0].data.__schema.types.map((t) => t.name).sort(),
        introspectionFromSchema(example, { descriptions: true }).__schema.types.map((t) => t.name).sort());

      const stock = m.stream('subscription { stock(symbol: "AAPL") { symbol price at } }');
      const room = l.stream('subscription { room(id: "lobby") { author text } }');
      await barrier(m);
      await barrier(l);
      assert.equal((await publish(p, 'stock.AAPL', { symbol: 'AAPL', price: 187.5 }, 'not-the-token')).status, 403);
      assert.equal(await publishOk(p, 'stock.AAPL', { symbol: 'AAPL', price: 187.5, at: 1764556800123 }, token), 1);
      await stock.count(1);
      assert.deepEqual(stock.results, [{ data: { stock: { symbol: 'AAPL', price: 187.5, at: 1764556800123 } } }]);

      const said = await run(m, 'mutation { say(room: "lobby", author: "me", text: "hi") { room author text at } }');
      assert.deepEqual(said.results, [{ data: { say: { room: 'lobby', author: 'me', text: 'hi', at: null } } }]);
      await room.count(1);
      assert.deepEqual(room.results, [{ data: { room: { author: 'me', text: 'hi' } } }]);

      const last = await run(l, '{ stock(symbol: "AAPL") { price } lastMessage(room: "lobby") { text } }');
      assert.deepEqual(last.results, [{ data: { stock: { price: 187.5 }, lastMessage: { text: 'hi' } } }]);
      const res = await httpRequest(p, 'GET', '/metrics');
      assert.equal(res.status, 200);
      assert.ok(parseMetrics(res.body).size > 0);
    } finally {
      await m.close();
      l.close();
    }
  });

  itStopsCleanly(srv);
});

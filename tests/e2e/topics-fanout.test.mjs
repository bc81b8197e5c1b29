// Fan-out of one topic to 10,000 subscriptions (issue 11): 100 connections
// (50 with graphql-ws's createClient over graphql-transport-ws, 50 with
// Apollo's SubscriptionClient over graphql-ws) of 100 operations each,
// listening to fan.1 with four distinct selections. Every operation
// receives every event HTTP publishes, in order, each as graphql-js
// executes its selection; the metrics show one serialisation per distinct
// selection per event (4), not one per subscriber.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, waitFor } from './lib/suite.mjs';
import { publishOk, metrics } from './lib/http.mjs';
import { SCHEMA_FILE, oracle, modernClient, legacyClient, barrier } from './lib/topics.mjs';

const TOKEN = 'e2e-fanout-token';
const CONNECTIONS = 100;
const OPERATIONS = 100;
const EVENTS = 5;
const LONG = { timeout: 180000 };

// Four selections of fan(group: 1), the same field with different
// subfields (one with an alias, one with a variable argument).
const SELECTIONS = [
  { query: 'subscription { fan(group: 1) { seq } }' },
  { query: 'subscription { fan(group: 1) { seq a b } }' },
  { query: 'subscription { tick: fan(group: 1) { seq c d } }' },
  { query: 'subscription G($g: Int!) { fan(group: $g) { a b c d seq __typename } }', variables: { g: 1 } },
];

const event = (seq) => ({ seq, a: `a${seq}`, b: seq % 2 === 0 ? null : 'odd', c: seq / 4, d: [seq, seq * 2] });

describeTargets('fan-out: 10,000 subscriptions of one topic, four selections', 23, ({ target, port }) => {
  const srv = useServer(target, port(0), {
    executor: 'schema', 'schema-file': SCHEMA_FILE, 'publish-token': TOKEN, 'metrics-path': '/metrics',
    'keepalive-ms': '0', 'max-operations': String(OPERATIONS + 10),
  });

  it('every subscription receives every event through its selection; 4 serialisations per event', LONG, async () => {
    const p = srv.server.port;
    const clients = [];
    const streams = [];
    try {
      for (let c = 0; c < CONNECTIONS; c++) {
        const client = c % 2 === 0 ? modernClient(srv.url) : legacyClient(srv.url);
        clients.push(client);
        for (let o = 0; o < OPERATIONS; o++) {
          const kind = (c * OPERATIONS + o) % SELECTIONS.length;
          const s = client.stream(SELECTIONS[kind].query, SELECTIONS[kind].variables);
          s.kind = kind;
          streams.push(s);
        }
      }
      // Each connection answers a query after its 100 subscriptions.
      await Promise.all(clients.map((client) => barrier(client)));

      const before = await metrics(p);
      for (let seq = 1; seq <= EVENTS; seq++) {
        assert.equal(await publishOk(p, 'fan.1', event(seq), TOKEN), CONNECTIONS * OPERATIONS);
      }
      const total = CONNECTIONS * OPERATIONS * EVENTS;
      await waitFor(() => streams.reduce((n, s) => n + s.results.length, 0) >= total, LONG.timeout - 30000,
        () => `${streams.reduce((n, s) => n + s.results.length, 0)} of ${total} results`);

      const want = SELECTIONS.map(({ query, variables }) =>
        Array.from({ length: EVENTS }, (_, i) => oracle(query, { fan: event(i + 1) }, variables)));
      const perKind = [0, 0, 0, 0];
      for (const s of streams) {
        assert.equal(s.error, undefined);
        assert.equal(s.completed, false);
        assert.deepEqual(s.texts(), want[s.kind], s.label);
        perKind[s.kind]++;
      }
      assert.deepEqual(perKind, SELECTIONS.map(() => CONNECTIONS * OPERATIONS / SELECTIONS.length));

      const after = await metrics(p);
      const delta = (name) => {
        assert.ok(after.has(name), `metric ${name} missing; have: ${[...after.keys()].join(', ')}`);
        return after.get(name) - (before.get(name) ?? 0);
      };
      assert.equal(delta('gqlws_events_published_total'), EVENTS);
      assert.equal(delta('gqlws_serialisations_total'), SELECTIONS.length * EVENTS);
      assert.equal(delta('gqlws_frames_delivered_total'), CONNECTIONS * OPERATIONS * EVENTS);
      assert.equal(after.get('gqlws_subscriptions'), CONNECTIONS * OPERATIONS);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  itStopsCleanly(srv);
});

// What the topics suites share: the test schema (schema/topics.graphql) and
// graphql-js as its oracle, and the two real clients behind one small
// interface, each operation a Stream that records what arrives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import stws from 'subscriptions-transport-ws';
import { buildSchema, executeSync, parse } from 'graphql';
import { waitFor, T } from './suite.mjs';

const { SubscriptionClient } = stws;

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/topics.graphql', import.meta.url));
export const SDL = readFileSync(SCHEMA_FILE, 'utf8');

// The directives the hub declares and appends to the user's SDL
// (gqlws_hub_directives_sdl, lib/include/gqlws_hub.h).
export const HUB_DIRECTIVES = [
  'directive @topic(name: String!) on FIELD_DEFINITION',
  'directive @publish(topic: String!, payload: String) on FIELD_DEFINITION',
  'directive @retained(topic: String!) on FIELD_DEFINITION',
].join('\n');

// The schema as the server builds it: the user's SDL, then the directives.
export const schema = buildSchema(`${SDL}\n${HUB_DIRECTIVES}\n`);

// graphql-js's result for a document whose root fields resolve from
// rootValue (a value per field name, or a function of the arguments), as
// the JSON text a server sends. An event of a subscription field is that
// field's value: { [field]: event }; a mutation's answer is its event.
export function oracle(query, rootValue, variables) {
  const result = executeSync({ schema, document: parse(query), rootValue, variableValues: variables });
  return JSON.stringify(result);
}

// What one operation received: results in order, an error, completion.
export class Stream {
  constructor(label) {
    this.label = label;
    this.results = [];
    this.error = undefined;
    this.completed = false;
    this.done = new Promise((resolve) => { this.settle = resolve; });
    this.sink = {
      next: (r) => { this.results.push(r); },
      error: (e) => { this.error = e; this.settle(this); },
      complete: () => { this.completed = true; this.settle(this); },
    };
  }

  texts() { return this.results.map((r) => JSON.stringify(r)); }

  // Waits until n results have arrived (fails on an error or completion).
  async count(n, ms = T.timeout - 2000) {
    await waitFor(() => this.results.length >= n || this.error !== undefined || this.completed, ms,
      () => `${this.label}: ${this.results.length} of ${n} results`);
    assert.equal(this.error, undefined, `${this.label} failed: ${JSON.stringify(this.error)}`);
    assert.equal(this.completed, false, `${this.label} completed after ${this.results.length} results`);
  }
}

// graphql-ws's createClient over graphql-transport-ws.
export function modernClient(url) {
  const c = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, keepAlive: 0 });
  return {
    subprotocol: 'graphql-transport-ws',
    stream(query, variables) {
      const s = new Stream(`graphql-transport-ws: ${query}`);
      s.stop = c.subscribe({ query, variables }, s.sink);
      return s;
    },
    close: () => c.dispose(),
  };
}

// Apollo's SubscriptionClient over graphql-ws.
export function legacyClient(url) {
  const c = new SubscriptionClient(url, { reconnect: false, minTimeout: T.timeout, timeout: T.timeout }, WebSocket);
  c.client.on('error', () => {});
  return {
    subprotocol: 'graphql-ws',
    stream(query, variables) {
      const s = new Stream(`graphql-ws: ${query}`);
      const sub = c.request({ query, variables }).subscribe(s.sink);
      s.stop = () => sub.unsubscribe();
      return s;
    },
    close: () => c.close(),
  };
}

// One operation to its end.
export async function run(client, query, variables) {
  const s = client.stream(query, variables);
  return s.done;
}

// A connection runs its messages in order: once a query sent after some
// subscriptions is answered, those subscriptions listen. No time is guessed.
export async function barrier(client) {
  const s = await run(client, '{ __typename }');
  assert.equal(s.error, undefined, `barrier failed: ${JSON.stringify(s.error)}`);
  assert.deepEqual(s.results, [{ data: { __typename: 'Query' } }]);
}

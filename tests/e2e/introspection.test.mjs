// Introspection of the demo schema (executor=demo) as real clients ask for
// it: graphql-js's getIntrospectionQuery() with every option on, off and by
// default, over graphql-transport-ws (graphql-ws's createClient) and
// graphql-ws (Apollo's SubscriptionClient), answered exactly as graphql-js
// 16.15.0 answers it for the same SDL (member order included: results are
// compared as JSON text); and with the `introspection` option off, the
// refusal graphql-js's NoSchemaIntrospectionCustomRule gives, while the
// rest of the schema still runs.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import stws from 'subscriptions-transport-ws';
import {
  buildSchema, getIntrospectionQuery, graphqlSync, introspectionFromSchema, parse, validate,
  NoSchemaIntrospectionCustomRule,
} from 'graphql';
import { describeTargets, useServer, itStopsCleanly, T } from './lib/suite.mjs';

const { SubscriptionClient } = stws;

// The demo's SDL is a C string in its source (one .so, no file beside it):
// read it from there, so that the oracle sees exactly what the server
// serves. Each line of the literal is a C string that is also valid JSON.
function demoSdl() {
  const source = readFileSync(new URL('../../plugin/executors/demo/demo_schema.c', import.meta.url), 'utf8');
  const start = source.indexOf('const char demo_schema_sdl[] =');
  assert.ok(start >= 0, 'demo_schema_sdl not found in demo_schema.c');
  const body = source.slice(start, source.indexOf(';\n', start));
  return [...body.matchAll(/^\s*("(?:[^"\\]|\\.)*")\s*$/gm)].map((m) => JSON.parse(m[1])).join('');
}

const schema = buildSchema(demoSdl());

const ALL_ON = {
  descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true,
  inputValueDeprecation: true, oneOf: true, experimentalDirectiveDeprecation: true,
};
// With every option on, graphql-js's answer is introspectionFromSchema's.
const VARIANTS = [
  ['every option on', ALL_ON],
  ['every option off', { descriptions: false }],
  ['the defaults', undefined],
];

// graphql-js's own answer, as the JSON text a server would send.
const oracle = (query, variables) => JSON.stringify(graphqlSync({ schema, source: query, variableValues: variables }));

function modernClient(url) {
  return createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

function legacyClient(url) {
  const c = new SubscriptionClient(url, { reconnect: false, minTimeout: T.timeout, timeout: T.timeout }, WebSocket);
  c.client.on('error', () => {});
  return c;
}

// One operation to its end: { results, error, completed }.
function runModern(c, query, variables) {
  return new Promise((resolve) => {
    const out = { results: [], error: undefined, completed: false };
    c.subscribe({ query, variables }, {
      next: (r) => out.results.push(r),
      error: (e) => { out.error = e; resolve(out); },
      complete: () => { out.completed = true; resolve(out); },
    });
  });
}

function runLegacy(c, query, variables) {
  return new Promise((resolve) => {
    const out = { results: [], error: undefined, completed: false };
    c.request({ query, variables }).subscribe({
      next: (r) => out.results.push(r),
      error: (e) => { out.error = e; resolve(out); },
      complete: () => { out.completed = true; resolve(out); },
    });
  });
}

// A hand-written selection: aliases, fragments, @skip/@include with
// variables, __typename inside, includeDeprecated, an unknown name.
const HAND_WRITTEN = `
  query Hand($name: String!, $withArgs: Boolean!, $deep: Boolean = false) {
    s: __schema { __typename qt: queryType { ...T } subscriptionType { name fields { ...F } } }
    counter: __type(name: $name) { ...T fields(includeDeprecated: $deep) { ...F } }
    missing: __type(name: "Nope") { name }
    __typename
  }
  fragment T on __Type { kind name description __typename }
  fragment F on __Field {
    name
    args @include(if: $withArgs) { name defaultValue type { kind name ofType { kind name } } }
    type { kind ofType { name kind } }
    isDeprecated
  }
`;
const HAND_VARIABLES = { name: 'Counter', withArgs: true };

describeTargets('introspection of the demo schema (executor=demo)', 21, ({ target, port }) => {
  const srv = useServer(target, port(0), { executor: 'demo', 'keepalive-ms': '0' });

  it('the oracle: introspectionFromSchema is getIntrospectionQuery with every option on', T, () => {
    assert.equal(JSON.stringify({ data: introspectionFromSchema(schema) }), oracle(getIntrospectionQuery(ALL_ON)));
  });

  for (const [name, options] of VARIANTS) {
    const query = getIntrospectionQuery(options);

    it(`getIntrospectionQuery with ${name} over graphql-transport-ws is graphql-js's answer`, T, async () => {
      const c = modernClient(srv.url);
      try {
        const out = await runModern(c, query);
        assert.equal(out.error, undefined, JSON.stringify(out.error));
        assert.equal(out.completed, true);
        assert.equal(out.results.length, 1);
        assert.equal(JSON.stringify(out.results[0]), oracle(query));
      } finally { await c.dispose(); }
    });

    it(`getIntrospectionQuery with ${name} over graphql-ws is graphql-js's answer`, T, async () => {
      const c = legacyClient(srv.url);
      try {
        const out = await runLegacy(c, query);
        assert.equal(out.error, undefined, JSON.stringify(out.error));
        assert.equal(out.completed, true);
        assert.equal(out.results.length, 1);
        assert.equal(JSON.stringify(out.results[0]), oracle(query));
      } finally { c.close(); }
    });
  }

  it('a hand-written selection with fragments, aliases and variables is graphql-js\'s answer on both', T, async () => {
    const want = oracle(HAND_WRITTEN, HAND_VARIABLES);
    assert.ok(!JSON.parse(want).errors, want);
    const m = modernClient(srv.url);
    const l = legacyClient(srv.url);
    try {
      const modern = await runModern(m, HAND_WRITTEN, HAND_VARIABLES);
      assert.equal(JSON.stringify(modern.results), `[${want}]`);
      assert.equal(modern.completed, true);
      const legacy = await runLegacy(l, HAND_WRITTEN, HAND_VARIABLES);
      assert.equal(JSON.stringify(legacy.results), `[${want}]`);
      assert.equal(legacy.completed, true);
    } finally {
      await m.dispose();
      l.close();
    }
  });

  itStopsCleanly(srv);
});

describeTargets('introspection switched off (introspection=0)', 21, ({ target, port }) => {
  const srv = useServer(target, port(1), { executor: 'demo', 'keepalive-ms': '0', introspection: '0' });

  // graphql-js's refusal: the rule's errors, as validation reports them.
  const refusal = (query) => validate(schema, parse(query), [NoSchemaIntrospectionCustomRule])
    .map((e) => ({ message: e.message, locations: e.locations }));

  it('getIntrospectionQuery is refused over graphql-transport-ws with graphql-js\'s errors', T, async () => {
    const query = getIntrospectionQuery(ALL_ON);
    const want = refusal(query);
    assert.ok(want.length > 1);
    assert.equal(want[0].message,
      'GraphQL introspection has been disabled, but the requested query contained the field "__schema".');
    const c = modernClient(srv.url);
    try {
      const out = await runModern(c, query);
      assert.deepEqual(out, { results: [], error: want, completed: false });
    } finally { await c.dispose(); }
  });

  it('getIntrospectionQuery is refused over graphql-ws with graphql-js\'s errors', T, async () => {
    const query = getIntrospectionQuery();
    const c = legacyClient(srv.url);
    try {
      const out = await runLegacy(c, query);
      assert.deepEqual(out, { results: [{ errors: refusal(query) }], error: undefined, completed: true });
    } finally { c.close(); }
  });

  it('__type is refused too, and __typename and the schema\'s own fields still run', T, async () => {
    const c = modernClient(srv.url);
    try {
      const typeQuery = '{ t: __type(name: "Counter") { name fields { name } } }';
      const refused = await runModern(c, typeQuery);
      assert.deepEqual(refused, { results: [], error: refusal(typeQuery), completed: false });
      const out = await runModern(c, '{ hello __typename }');
      assert.deepEqual(out, { results: [{ data: { hello: 'world', __typename: 'Query' } }], error: undefined, completed: true });
    } finally { await c.dispose(); }
  });

  itStopsCleanly(srv);
});

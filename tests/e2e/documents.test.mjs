// The document limits as options (max-document-bytes, -tokens, -depth,
// -selections): each refusal names its option, on both subprotocols, and a
// document just inside each limit runs. With the defaults: a message of a
// million bytes that is mostly a comment is answered, and a document 500
// levels deep runs while 501 is refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, T } from './lib/suite.mjs';
import { connectInitialised, LEGACY, MODERN } from './lib/raw.mjs';

const subscribe = (protocol, id, query) => (protocol === MODERN
  ? { id, type: 'subscribe', payload: { query } }
  : { type: 'start', id, payload: { query } });

// The frames that answer `query`: its result then complete, or its refusal.
async function answerTo(peer, protocol, query, id = '1') {
  peer.send(subscribe(protocol, id, query));
  const frames = [await peer.next(5000)];
  const first = frames[0];
  if (first.type === 'next' || first.type === 'data') frames.push(await peer.next(5000));
  return frames;
}

const HELLO_ANSWER = {
  [MODERN]: [{ id: '1', type: 'next', payload: { data: { hello: 'world' } } }, { id: '1', type: 'complete' }],
  [LEGACY]: [{ type: 'data', id: '1', payload: { data: { hello: 'world' } } }, { type: 'complete', id: '1' }],
};

// How each subprotocol refuses: graphql-transport-ws with the error array;
// graphql-ws (as Apollo's server) a document that does not parse with an
// error message and no complete, an invalid one with data then complete.
function refusal(protocol, error, parses) {
  if (protocol === MODERN) return [{ id: '1', type: 'error', payload: [error] }];
  if (!parses) return [{ type: 'error', id: '1', payload: error }];
  return [{ type: 'data', id: '1', payload: { errors: [error] } }, { type: 'complete', id: '1' }];
}

// `{ ... { ... { hello } } }`: selection sets `depth` deep (the root one
// included), every level an inline fragment, so it means `{ hello }`.
const nested = (depth) => `${'{ ... '.repeat(depth - 1)}{ hello }${' }'.repeat(depth - 1)}`;

describeTargets('document limits', 8, ({ target, port }) => {
  describe('max-document-bytes 200, max-document-tokens 30, max-document-depth 4, max-document-selections 12', () => {
    const srv = useServer(target, port(0), {
      'keepalive-ms': '0', 'max-document-bytes': '200', 'max-document-tokens': '30',
      'max-document-depth': '4', 'max-document-selections': '12',
    });

    for (const protocol of [MODERN, LEGACY]) {
      it(`${protocol}: a document of max-document-bytes runs; one byte more is refused, naming the option`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          const fits = `{ hello }${' '.repeat(200 - 9)}`;
          assert.deepEqual(await answerTo(p, protocol, fits), HELLO_ANSWER[protocol]);
          assert.deepEqual(await answerTo(p, protocol, `${fits} `),
            refusal(protocol, { message: 'Document exceeds max-document-bytes (200).' }, false));
        } finally { p.close(); }
      });

      it(`${protocol}: more tokens than max-document-tokens are refused at the first one over; comments do not count`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          // 30 tokens: { hello a1: hello ... } with 9 aliases (3 tokens each).
          const aliases = Array.from({ length: 9 }, (_, i) => `a${i}: hello`).join(' ');
          const answer = await answerTo(p, protocol, `{ hello ${aliases} } # ${'x'.repeat(60)}`);
          assert.deepEqual(answer[0].payload.data, Object.fromEntries(['hello', ...Array.from({ length: 9 }, (_, i) => `a${i}`)].map((k) => [k, 'world'])));
          // The 31st token is the colon after b.
          const over = `{ hello ${aliases} b: hello }`;
          assert.deepEqual(await answerTo(p, protocol, over), refusal(protocol, {
            message: 'Document exceeds max-document-tokens (30).',
            locations: [{ line: 1, column: over.indexOf(' b:') + 3 }],
          }, false));
        } finally { p.close(); }
      });

      it(`${protocol}: selection sets deeper than max-document-depth are refused, naming the option`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          assert.deepEqual(await answerTo(p, protocol, nested(4)), HELLO_ANSWER[protocol]);
          const deep = nested(5);
          assert.deepEqual(await answerTo(p, protocol, deep), refusal(protocol, {
            message: 'Document exceeds max-document-depth (4).',
            locations: [{ line: 1, column: deep.lastIndexOf('{') + 3 }],
          }, false));
        } finally { p.close(); }
      });

      it(`${protocol}: fragments expanding past max-document-selections are refused as invalid, naming the option`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          // 3 spreads of F, each 1 + its 4 selections: 15.
          const query = '{ ...F ...F ...F } fragment F on Query { hello a: hello b: hello c: hello }';
          assert.deepEqual(await answerTo(p, protocol, query), refusal(protocol, {
            message: 'Document exceeds max-document-selections (12) when fragments are expanded.',
            locations: [{ line: 1, column: 1 }],
          }, true));
        } finally { p.close(); }
      });
    }

    itStopsCleanly(srv);
  });

  describe('default limits', () => {
    const srv = useServer(target, port(1), { 'keepalive-ms': '0' });

    for (const protocol of [MODERN, LEGACY]) {
      it(`${protocol}: a 1,000,000-byte message whose document is mostly a comment is answered`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          const envelope = JSON.stringify(subscribe(protocol, '1', '{ hello } #'));
          const query = `{ hello } #${'x'.repeat(1000000 - envelope.length)}`;
          const message = JSON.stringify(subscribe(protocol, '1', query));
          assert.equal(Buffer.byteLength(message), 1000000);
          p.send(message);
          assert.deepEqual([await p.next(5000), await p.next(5000)], HELLO_ANSWER[protocol]);
        } finally { p.close(); }
      });

      it(`${protocol}: a document 500 selection sets deep runs; 501 is refused with max-document-depth (500)`, T, async () => {
        const p = await connectInitialised(srv.url, protocol);
        try {
          assert.deepEqual(await answerTo(p, protocol, nested(500)), HELLO_ANSWER[protocol]);
          const deep = nested(501);
          assert.deepEqual(await answerTo(p, protocol, deep), refusal(protocol, {
            message: 'Document exceeds max-document-depth (500).',
            locations: [{ line: 1, column: deep.lastIndexOf('{') + 3 }],
          }, false));
        } finally { p.close(); }
      });
    }

    itStopsCleanly(srv);
  });
});

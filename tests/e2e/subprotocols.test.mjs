// Subprotocol selection on the one endpoint: each name alone, both in either
// order (the client's first choice wins), none (refused, or bound to
// graphql-ws with the option), and names the server does not serve.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTargets, useServer, itStopsCleanly, T } from './lib/suite.mjs';
import { connect, tryUpgrade, LEGACY, MODERN } from './lib/raw.mjs';

// The chosen protocol really speaks its own dialect.
async function assertSpeaks(url, offered, protocol) {
  const p = await connect(url, offered);
  try {
    assert.equal(p.protocol, protocol);
    p.send({ type: 'connection_init', payload: {} });
    assert.deepEqual(await p.next(), { type: 'connection_ack' });
    if (protocol === MODERN) {
      p.send({ type: 'ping' });
      assert.deepEqual(await p.next(), { type: 'pong' });
    } else {
      p.send({ type: 'start', id: '1', payload: { query: 'query { hello }' } });
      assert.deepEqual(await p.next(), { type: 'data', id: '1', payload: { data: { hello: 'world' } } });
      assert.deepEqual(await p.next(), { type: 'complete', id: '1' });
    }
  } finally { p.close(); }
}

describeTargets('subprotocol selection', 5, ({ target, port }) => {
  describe('default options', () => {
    const srv = useServer(target, port(0), { 'keepalive-ms': '0' });

    for (const [offered, chosen] of [
      [[MODERN], MODERN],
      [[LEGACY], LEGACY],
      [[MODERN, LEGACY], MODERN],
      [[LEGACY, MODERN], LEGACY],
      [['foo', LEGACY], LEGACY],
      [['foo', MODERN, LEGACY], MODERN],
    ]) {
      it(`offering ${offered.join(', ')} → ${chosen}`, T, async () => {
        await assertSpeaks(srv.url, offered, chosen);
      });
    }

    it('offering no subprotocol → refused', T, async () => {
      const r = await tryUpgrade(srv.url, []);
      assert.equal(r.accepted, false, `accepted with protocol "${r.protocol}"`);
    });

    it('offering only an unknown name → refused', T, async () => {
      const r = await tryUpgrade(srv.url, ['graphql-sse']);
      assert.equal(r.accepted, false, `accepted with protocol "${r.protocol}"`);
    });

    itStopsCleanly(srv);
  });

  describe('bind-no-protocol=1', () => {
    const srv = useServer(target, port(1), { 'keepalive-ms': '0', 'bind-no-protocol': '1' });

    it('offering no subprotocol → served as graphql-ws', T, async () => {
      await assertSpeaks(srv.url, [], '');
      const p = await connect(srv.url, []);
      try {
        // graphql-ws dialect: a legacy-only message is answered, not a 4400 close.
        p.send({ type: 'connection_init' });
        assert.deepEqual(await p.next(), { type: 'connection_ack' });
        p.send({ type: 'connection_terminate' });
        assert.equal((await p.closed()).code, 1011);
      } finally { p.close(); }
    });

    it('named subprotocols are still chosen as usual', T, async () => {
      await assertSpeaks(srv.url, [MODERN], MODERN);
      await assertSpeaks(srv.url, [LEGACY, MODERN], LEGACY);
    });

    it('offering only an unknown name is still refused', T, async () => {
      const r = await tryUpgrade(srv.url, ['foo']);
      assert.equal(r.accepted, false, `accepted with protocol "${r.protocol}"`);
    });

    itStopsCleanly(srv);
  });
});

// Shared scaffolding of the suites: one describe block per selected target,
// servers started before and always killed after, a closing test that the
// server stopped cleanly (exit 0 on SIGINT, no sanitizer report), and small
// helpers that read the test executor's operation counters.
import { describe, before, after, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { selectedTargets, portFor, startServer, startExample, sanitizerReport } from './server.mjs';
import { connectInitialised, MODERN } from './raw.mjs';

export { sleep };

// Every test is bounded in time.
export const T = { timeout: 20000 };

// body({ target, port(n) }) declares the tests of one target.
export function describeTargets(title, fileSlot, body) {
  for (const target of selectedTargets()) {
    describe(`${title} [${target}]`, () => body({ target, port: (n = 0) => portFor(target, fileSlot, n) }));
  }
}

// Starts a server before the describe's tests and kills it after them (a
// no-op when the closing test already stopped it). The returned handle's
// .url is valid once the tests run.
export function useServer(target, port, options = {}) {
  const handle = { server: null, get url() { return handle.server.url; } };
  before(async () => { handle.server = await startServer(target, port, options); });
  after(() => { if (handle.server) handle.server.kill(); });
  return handle;
}

// The same for an example program of plugin/examples (host targets only).
export function useExample(target, name, port, options = {}) {
  const handle = { server: null, get url() { return handle.server.url; } };
  before(async () => { handle.server = await startExample(target, name, port, options); });
  after(() => { if (handle.server) handle.server.kill(); });
  return handle;
}

// The closing test of a describe: stop the server, which must exit by itself
// with status 0 and without any sanitizer report.
export function itStopsCleanly(handle) {
  it('server stops cleanly on SIGINT with no sanitizer report', T, async () => {
    assertCleanStop(await handle.server.stop());
  });
}

// What server.stop() returned: exit 0, by itself, no sanitizer report.
export function assertCleanStop(res) {
  const report = sanitizerReport(res.output || '');
  assert.equal(report, null, `sanitizer report:\n${report}`);
  assert.equal(res.timedOut, false, `server did not stop within the time limit\n${res.output}`);
  assert.equal(res.signal, null, `server died of signal ${res.signal}\n${res.output}`);
  assert.equal(res.code, 0, `server exit status ${res.code}\n${res.output}`);
}

// Waits until pred() holds (what a test expects to arrive), checking every
// 10 ms; fails after ms with what() in the message. A deadline rather than
// a fixed sleep: a busy machine delays what a server sends, and a test that
// sleeps a fixed time and then counts would fail for it.
export async function waitFor(pred, ms, what) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what()}`);
    await sleep(10);
  }
}

// The test executor's counters: { started, stopped, running }.
export async function opStats(url) {
  const peer = await connectInitialised(url, MODERN);
  try {
    peer.send({ id: 'stats', type: 'subscribe', payload: { query: 'query { opStats { started stopped running } }' } });
    // A server with a short keepalive-ms may ping first: a loaded machine
    // can take longer than that to answer.
    const next = await peer.nextExcept(['ping']);
    assert.equal(next.type, 'next', `opStats: ${JSON.stringify(next)}`);
    const done = await peer.nextExcept(['ping']);
    assert.deepEqual(done, { id: 'stats', type: 'complete' });
    return next.payload.data.opStats;
  } finally {
    peer.close();
  }
}

// How many frames the plugin wrote without a writeable callback (direct)
// and from WRITEABLE (writeable) since the server started: { direct, writeable }.
export async function writeStats(url) {
  const peer = await connectInitialised(url, MODERN);
  try {
    peer.send({ id: 'writes', type: 'subscribe', payload: { query: 'query { writeStats { direct writeable } }' } });
    const next = await peer.nextExcept(['ping']);
    assert.equal(next.type, 'next', `writeStats: ${JSON.stringify(next)}`);
    return next.payload.data.writeStats;
  } finally {
    peer.close();
  }
}

// Polls opStats until `pred` holds (the server may need a moment to notice a
// dead socket); returns the last stats either way.
export async function opStatsUntil(url, pred, ms = 3000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await opStats(url);
    if (pred(s) || Date.now() > deadline) return s;
    await sleep(50);
  }
}

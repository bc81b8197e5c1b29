// The demo page (lws-conf/www/index.html) as a visitor uses it, in Debian's
// headless Chromium driven by playwright-core, against lwsws running the main
// command's conf as it is (lws-conf/conf.d/graphql: the example schema, the
// page, /publish with the run's token). Over each subprotocol: the page
// connects and shows what was negotiated, the editor's subscription receives
// events published over HTTP and by the page's own mutation, the panels show
// them, a mutation from the editor reaches the room, a syntax error and a
// validation error show as GraphQL errors, Stop ends the subscription on the
// server, and every frame is in the log. Then the server stops (close code
// on the page) and the page reconnects to a new one. Any console error, page
// error, failed request or HTTP error status fails the test; every test ends
// with a screenshot under build/browser-test/.
import { describe, before, after, afterEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { launchChromium, watchProblems } from './chromium.mjs';
import { portFor, startServer, sanitizerReport, repoRoot } from '../e2e/lib/server.mjs';
import { publishOk } from '../e2e/lib/http.mjs';

const T = { timeout: 30000 };
const WAIT_MS = 15000;
// Slot 32 of the e2e block's lwsws range: this suite runs alone (after the
// end-to-end suites), and GQLWS_E2E_PORT_BASE moves it with the rest.
const PORT = portFor('lwsws', 32);
const SHOTS = process.env.GQLWS_BROWSER_SHOTS || join(repoRoot, 'build/browser-test');
// graphql-ws first: each test of a subprotocol then switches to it.
const SUBPROTOCOLS = ['graphql-ws', 'graphql-transport-ws'];
// What each subprotocol calls starting and stopping an operation, and a result.
const WIRE = {
  'graphql-transport-ws': { start: 'subscribe', stop: 'complete', result: 'next' },
  'graphql-ws': { start: 'start', stop: 'stop', result: 'data' },
};

let server = null;
let browser = null;
let page = null;
let shot = 0;
const problems = []; // console errors, page errors, failed requests, HTTP errors

const token = () => readFileSync(join(server.dir, 'publish-token'), 'utf8').split('\n')[0];

async function stopServer() {
  const res = await server.stop();
  server = null;
  const report = sanitizerReport(res.output || '');
  assert.equal(report, null, `sanitizer report:\n${report}`);
  assert.equal(res.timedOut, false, `lwsws did not stop in time\n${res.output}`);
  assert.equal(res.code, 0, `lwsws exit status ${res.code}\n${res.output}`);
}

// Waits until the page's text at selector satisfies test (a RegExp or a
// string it must equal); fails with what it showed last.
async function waitText(selector, test, what = selector) {
  const pattern = typeof test === 'string' ? `^${test.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : test.source;
  try {
    await page.waitForFunction(([sel, src]) => {
      const el = document.querySelector(sel);
      return el !== null && new RegExp(src).test(el.textContent);
    }, [selector, pattern], { timeout: WAIT_MS, polling: 'raf' });
  } catch (err) {
    const shown = await page.locator(selector).first().textContent().catch(() => '(no such element)');
    throw new Error(`${what}: waited for ${pattern}, the page shows ${JSON.stringify(shown)}\n${err.message}`);
  }
}

// The messages of the log as { dir: 'in' | 'out', message } (not its
// close lines).
async function frames() {
  const lines = await page.$$eval('#log li:not(.close)', (lis) => lis.map((li) => ({
    dir: li.className, text: li.childNodes[2].textContent,
  })));
  return lines.map(({ dir, text }) => ({ dir, message: JSON.parse(text) }));
}

async function runInEditor(document, variables = '') {
  await page.fill('#document', document);
  await page.fill('#variables', variables);
  await page.click('#run');
}

async function connectOver(subprotocol) {
  await page.check(`input[name=subprotocol][value="${subprotocol}"]`);
  await waitText('#negotiated', subprotocol, 'negotiated subprotocol');
  await waitText('#status', 'connected', 'connection state');
}

describe('the demo page in headless Chromium (lwsws, main conf)', () => {
  before(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer('lwsws', PORT, null);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watchProblems(page, problems);
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) server.kill();
  });

  afterEach(async (t) => {
    if (page && page.url() !== 'about:blank') {
      shot += 1;
      const name = t.name.replace(/[^a-z0-9-]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60);
      await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
    }
    assert.deepEqual(problems.splice(0), [], 'the page logged errors');
  });

  // What a browser does with its connections: requests one after the other
  // on one kept-alive connection. Each answer must carry its whole body.
  it('serves the page, its favicon and the page again on one kept-alive connection', T, async () => {
    const socket = net.connect(PORT, '127.0.0.1');
    const answers = [];
    let pending = Buffer.alloc(0);
    let waiter = null;
    socket.on('data', (d) => { pending = Buffer.concat([pending, d]); if (waiter) waiter(); });
    socket.on('close', () => { if (waiter) waiter(); });
    const answer = async () => {
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end >= 0) {
          const head = pending.subarray(0, end).toString();
          const length = Number((/^content-length: *(\d+)$/im.exec(head) || [])[1]);
          if (pending.length >= end + 4 + length) {
            const body = pending.subarray(end + 4, end + 4 + length).toString();
            pending = pending.subarray(end + 4 + length);
            return { status: head.split(' ')[1], body };
          }
        }
        if (socket.destroyed) throw new Error(`the connection closed inside an answer: ${JSON.stringify(pending.toString().slice(0, 300))}`);
        await new Promise((resolve) => { waiter = resolve; });
      }
    };
    try {
      for (const path of ['/', '/favicon.svg', '/favicon.svg', '/']) {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\n\r\n`);
        const { status, body } = await answer();
        answers.push(path);
        assert.equal(status, '200', path);
        assert.match(body, path === '/' ? /<\/html>\n$/ : /<\/svg>\n$/, `the whole of ${path} after ${answers.length - 1} answers`);
      }
    } finally {
      socket.destroy();
    }
  });

  it('loads the page, its favicon and nothing from elsewhere, and connects over graphql-transport-ws by default', T, async () => {
    const requested = [];
    const answered = new Map();
    page.on('request', (req) => requested.push(req.url()));
    page.on('response', (res) => answered.set(res.url(), res.status()));
    const origin = `http://127.0.0.1:${PORT}`;
    await page.goto(`${origin}/`);
    // The icon the page links (Chromium asks for /favicon.ico without one).
    const icon = await page.$eval('link[rel=icon]', (link) => link.href);
    assert.equal(icon, `${origin}/favicon.svg`);
    // Waited for only if it has not come yet (null: it never came).
    const iconAnswer = page.waitForResponse(icon, { timeout: WAIT_MS }).then((res) => res.status(), () => null);
    assert.equal(answered.get(icon) ?? await iconAnswer, 200);
    await waitText('#negotiated', 'graphql-transport-ws', 'negotiated subprotocol');
    await waitText('#status', 'connected', 'connection state');
    assert.deepEqual(requested.filter((url) => !url.startsWith(`${origin}/`)), [], 'requests outside the server');
    assert.equal(await page.title(), 'lws-graphql-ws demo');
  });

  for (const [n, subprotocol] of SUBPROTOCOLS.entries()) {
    const wire = WIRE[subprotocol];
    const fromPage = 311.25 + 100 * n;
    const fromHttp = 312.5 + 100 * n;

    it(`${subprotocol}: connects and shows the negotiated subprotocol; init and ack are in the log`, T, async () => {
      await page.click('#log-clear');
      await connectOver(subprotocol);
      assert.equal(await page.textContent('#log li:first-child'), await page.textContent('#log li.close'));
      assert.match(await page.textContent('#log li.close'), /close 1000$/);
      const log = await frames();
      assert.deepEqual(log.slice(0, 2), [
        { dir: 'out', message: { type: 'connection_init', payload: {} } },
        { dir: 'in', message: { type: 'connection_ack' } },
      ]);
      // The panels' operations are left out of the log unless asked for.
      assert.equal(log.filter(({ message }) => message.type === wire.start).length, 0);
    });

    it(`${subprotocol}: the editor's subscription receives a price set by the page's mutation and one published over HTTP; so does the ticker`, T, async () => {
      await page.click('#log-clear');
      await runInEditor('subscription Watch($symbol: String!) { stock(symbol: $symbol) { symbol price } }', '{"symbol": "MSFT"}');
      await waitText('#op-state', 'running', 'editor operation');

      // The page's mutation is answered after the subscription was started
      // (a connection's messages run in order): it is listening by then.
      await page.fill('#price-symbol', 'MSFT');
      await page.fill('#price-value', String(fromPage));
      await page.click('#price-form button');
      await waitText('#price-answer', `answer: {"setPrice":{"symbol":"MSFT","price":${fromPage}}}`, 'setPrice answer');
      await waitText('#result', `result 1\n{"stock":{"symbol":"MSFT","price":${fromPage}}}\n`, 'editor result');
      await waitText('tr[data-symbol=MSFT] td:nth-child(2)', fromPage.toFixed(2), 'ticker MSFT');

      // The panel's and the editor's subscriptions of stock.MSFT.
      assert.equal(await publishOk(PORT, 'stock.MSFT', { symbol: 'MSFT', price: fromHttp }, token()), 2);
      await waitText('#result', `result 1\n{"stock":{"symbol":"MSFT","price":${fromPage}}}\nresult 2\n{"stock":{"symbol":"MSFT","price":${fromHttp}}}\n`, 'editor result');
      await waitText('tr[data-symbol=MSFT] td:nth-child(2)', fromHttp.toFixed(2), 'ticker MSFT');
      await waitText('tr[data-symbol=MSFT] td:nth-child(3)', `▲ ${(fromHttp - fromPage).toFixed(2)}`, 'ticker MSFT change');
      await waitText('#op-state', 'running: 2 results', 'editor operation');

      const log = await frames();
      const start = log.find(({ message }) => message.type === wire.start);
      assert.ok(start, `a ${wire.start} frame in the log`);
      assert.equal(start.dir, 'out');
      assert.deepEqual(start.message.payload, {
        query: 'subscription Watch($symbol: String!) { stock(symbol: $symbol) { symbol price } }',
        variables: { symbol: 'MSFT' },
      });
      const results = log.filter(({ message }) => message.id === start.message.id && message.type === wire.result);
      assert.deepEqual(results, [fromPage, fromHttp].map((price) => ({
        dir: 'in', message: { id: start.message.id, type: wire.result, payload: { data: { stock: { symbol: 'MSFT', price } } } },
      })));
      // The form's mutation is logged; the panels' subscriptions are not.
      const setPrice = log.filter(({ message }) => message.type === wire.start && message.id !== start.message.id);
      assert.equal(setPrice.length, 1, JSON.stringify(log));
      assert.match(setPrice[0].message.payload.query, /^mutation SetPrice/);
    });

    it(`${subprotocol}: Stop ends the editor's subscription on the server; the say form publishes to the room`, T, async () => {
      await page.click('#log-clear');
      await page.click('#stop');
      await waitText('#op-state', 'stopped', 'editor operation');
      // Sent once; graphql-ws's server answers it with complete.
      const stopped = (await frames())[0];
      assert.equal(stopped.dir, 'out');
      assert.equal(stopped.message.type, wire.stop);
      if (subprotocol === 'graphql-ws') {
        await page.waitForFunction((id) => [...document.querySelectorAll('#log li.in')]
          .some((li) => li.textContent.includes(`{"type":"complete","id":"${id}"}`)), stopped.message.id, { polling: 'raf', timeout: WAIT_MS });
      }

      const text = `said on the page over ${subprotocol}`;
      await page.fill('#say-text', text);
      await page.click('#say-form button');
      await waitText('#say-answer', `answer: {"say":{"author":"guest","text":"${text}"}}`, 'say answer');
      await waitText('#messages li:last-child', `guest: ${text}`, 'room');
      // Answered after the stop: only the panel listens to stock.MSFT now.
      assert.equal(await publishOk(PORT, 'stock.MSFT', { symbol: 'MSFT', price: fromPage }, token()), 1);
      await waitText('tr[data-symbol=MSFT] td:nth-child(2)', fromPage.toFixed(2), 'ticker MSFT');
      await waitText('#op-state', 'stopped', 'editor operation');
    });

    it(`${subprotocol}: a mutation from the editor reaches the room, and so does a message published over HTTP`, T, async () => {
      const text = `said in the editor over ${subprotocol}`;
      await runInEditor(`mutation { say(room: "lobby", author: "editor", text: "${text}") { author text } }`);
      await waitText('#op-state', 'complete after 1 result', 'editor operation');
      await waitText('#result', `result 1\n{"say":{"author":"editor","text":"${text}"}}\n`, 'editor result');
      await waitText('#messages li:last-child', `editor: ${text}`, 'room');

      const posted = `posted over HTTP while on ${subprotocol}`;
      assert.equal(await publishOk(PORT, 'room.lobby', { room: 'lobby', author: 'backend', text: posted }, token()), 1);
      await waitText('#messages li:last-child', `backend: ${posted}`, 'room');
    });

    it(`${subprotocol}: a syntax error and a validation error show as GraphQL errors; the connection stays`, T, async () => {
      await page.click('#log-clear');
      const broken = 'subscription { stock(symbol: "AAPL") { price }';
      await runInEditor(broken);
      await waitText('#op-state', 'failed', 'editor operation');
      await waitText('#result .errors', `error: GraphQL errors\n• Syntax Error: Expected Name, found <EOF>. (line 1, column ${broken.length + 1})\n`, 'editor errors');
      const error = (await frames()).find(({ message }) => message.type === 'error');
      assert.ok(error, 'an error frame in the log');
      assert.equal(error.dir, 'in');

      await runInEditor('query { stock(symbol: "AAPL") { price volume } }');
      // graphql-transport-ws refuses it with an error message; graphql-ws
      // answers it as a result with errors, then complete.
      await waitText('#op-state', subprotocol === 'graphql-ws' ? 'complete after 1 result' : 'failed', 'editor operation');
      await waitText('#result .errors', /• Cannot query field "volume" on type "Stock"\. \(line 1, column 39\)\n$/, 'editor errors');
      assert.equal(await page.textContent('#status'), 'connected');
    });
  }

  it('stopping lwsws closes the page\'s connection with 1001 (going away), shown with a Reconnect button', T, async () => {
    await stopServer();
    await waitText('#close-code', '1001', 'close code');
    await waitText('#close-reason', 'Server shutting down', 'close reason');
    await waitText('#status', 'closed', 'connection state');
    await waitText('#errors', /^Connection closed: 1001 Server shutting down/, 'errors');
    await waitText('#log li:last-child', /^←.*close 1001 Server shutting down$/, 'the log');
    assert.equal(await page.isVisible('#reconnect'), true);
  });

  it('Reconnect connects again once the server is back', T, async () => {
    server = await startServer('lwsws', PORT, null);
    await page.click('#log-clear');
    await page.click('#reconnect');
    await waitText('#negotiated', SUBPROTOCOLS.at(-1), 'negotiated subprotocol');
    await waitText('#status', 'connected', 'connection state');
    assert.equal(await page.isVisible('#reconnect'), false);
    await runInEditor('query { stock(symbol: "AAPL") { price } }');
    await waitText('#op-state', 'complete after 1 result', 'editor operation');
    await waitText('#result', 'result 1\n{"stock":null}\n', 'editor result');
    await stopServer();
    await waitText('#close-code', '1001', 'close code');
  });
});

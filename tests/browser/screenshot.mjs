// README's picture of the demo page: lwsws with the main command's conf and
// lws-conf/feed.sh publishing prices, the page with a subscription running in
// the editor and a line said in the room, taken once every symbol of the
// ticker has moved. Run by `tests/browser/run.sh --screenshot`.
//
//   node screenshot.mjs OUT.png
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { portFor, startServer, repoRoot } from '../e2e/lib/server.mjs';
import { launchChromium, watchProblems } from './chromium.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node screenshot.mjs OUT.png');
  process.exit(2);
}
const port = portFor('lwsws', 31); // beside the test's slot 32: both may run at once
const WAIT_MS = 30000;

const server = await startServer('lwsws', port, null);
// The publisher in a process group of its own, so that its curl and sleep
// stop with it.
const feed = spawn(join(repoRoot, 'lws-conf/feed.sh'),
  [`http://127.0.0.1:${port}`, join(server.dir, 'publish-token')], { detached: true, stdio: 'ignore' });
const browser = await launchChromium();
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  watchProblems(page, problems);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'connected',
    null, { timeout: WAIT_MS, polling: 'raf' });
  await page.click('#run'); // the editor opens with a subscription of AAPL
  await page.fill('#say-author', 'ana');
  await page.fill('#say-text', 'Watching AAPL from the query editor');
  await page.click('#say-form button');
  // Every row has moved twice (a change shown), the editor has a few
  // results, and the line said is in the room.
  await page.waitForFunction(() => [...document.querySelectorAll('#ticker tr')].every((tr) => tr.cells[2].textContent !== '') &&
    /^running: [3-9] results$/.test(document.getElementById('op-state').textContent) &&
    document.getElementById('messages').textContent.includes('Watching AAPL'),
  null, { timeout: WAIT_MS, polling: 'raf' });
  await page.screenshot({ path: out, fullPage: true });
  if (problems.length) throw new Error(`the page logged errors:\n${problems.join('\n')}`);
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
  try { process.kill(-feed.pid, 'SIGTERM'); } catch { /* gone */ }
  await server.stop();
}

// Debian's Chromium through playwright-core, for page.test.mjs and
// screenshot.mjs: the binary is the system's (GQLWS_CHROMIUM, default
// /usr/bin/chromium), never one playwright would download.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.GQLWS_CHROMIUM || '/usr/bin/chromium';

export async function launchChromium() {
  // As root (CI) Chromium's sandbox cannot start: it needs its own user.
  const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM, args, headless: true });
}

// Collects into problems every console error, uncaught page error, failed
// request and HTTP error status of the page: the page must show none.
export function watchProblems(page, problems) {
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
}

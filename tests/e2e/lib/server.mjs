// Starts and stops the servers under test: the embedding host (normal or
// AddressSanitizer build) and lwsws with our plugin. Each test file asks for
// a server with the options it needs; stop() reports how the server ended so
// a test can assert a clean exit and no sanitizer report.
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const ALL_TARGETS = ['host', 'host-asan', 'lwsws'];

// Targets come from GQLWS_E2E_TARGETS (space or comma separated); run.sh
// sets it. Default: the plain host only.
export function selectedTargets() {
  const raw = process.env.GQLWS_E2E_TARGETS || 'host';
  const list = raw.split(/[\s,]+/).filter(Boolean);
  for (const t of list) {
    if (!ALL_TARGETS.includes(t)) throw new Error(`unknown e2e target "${t}" (known: ${ALL_TARGETS.join(', ')})`);
  }
  return list;
}

export function hostBinary(target) {
  if (target === 'host-asan') {
    return process.env.GQLWS_HOST_ASAN_BIN || join(repoRoot, 'build-asan/plugin/gqlws-host');
  }
  return process.env.GQLWS_HOST_BIN || join(repoRoot, 'build/plugin/gqlws-host');
}

// Ports 7700-7799 belong to these tests: one block of 33 per target, and a
// block of 5 per test file inside it, so files and targets can run at once.
const TARGET_BASE = { host: 7700, 'host-asan': 7733, lwsws: 7766 };
export function portFor(target, fileSlot, n = 0) {
  if (fileSlot < 0 || fileSlot > 5 || n < 0 || n > 4) throw new Error(`port slot out of range: ${fileSlot}/${n}`);
  return TARGET_BASE[target] + fileSlot * 5 + n;
}

// What a sanitizer or leak checker prints when it finds something.
const SANITIZER_REPORT = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer/;

export function sanitizerReport(text) {
  const m = SANITIZER_REPORT.exec(text);
  if (!m) return null;
  return text.slice(Math.max(0, m.index - 200), m.index + 3000);
}

const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;

// Options are SPEC names with string values, e.g. { 'keepalive-ms': '200' }.
// "executor" defaults to "test" (the test executor of issue 4).
export async function startServer(target, port, options = {}) {
  const opts = { executor: 'test', ...options };
  if (target === 'lwsws') return startLwsws(port, opts);
  return startHost(target, port, opts);
}

function startHost(target, port, opts) {
  const bin = hostBinary(target);
  if (!existsSync(bin)) throw new Error(`host binary not found: ${bin}`);
  const args = ['--port', String(port), '--interface', '127.0.0.1'];
  for (const [name, value] of Object.entries(opts)) {
    if (name === 'executor') args.push('--executor', value);
    else if (name === 'bind-no-protocol') { if (value === '1') args.push('--bind-no-protocol'); }
    else args.push('--set', `${name}=${value}`);
  }
  const env = { ...process.env };
  // Any sanitizer report must make the run fail: halt and exit non-zero,
  // leaks included. The output is also scanned, in case an option changes.
  env.ASAN_OPTIONS = env.ASAN_OPTIONS || 'detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=66';
  env.UBSAN_OPTIONS = env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1';
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = {
    target, port, url: `ws://127.0.0.1:${port}/`, child,
    stdout: '', stderr: '', exited: null,
  };
  const exited = new Promise((res) => {
    child.on('exit', (code, signal) => { server.exited = { code, signal }; res(server.exited); });
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { server.stderr += d; });
  const ready = new Promise((res, rej) => {
    child.stdout.on('data', (d) => {
      server.stdout += d;
      if (server.stdout.includes(`gqlws-host: listening on ws://127.0.0.1:${port}/`)) res();
    });
    child.on('error', rej);
    exited.then(({ code, signal }) => rej(new Error(
      `${bin} exited before listening (code ${code}, signal ${signal})\nstdout:\n${server.stdout}\nstderr:\n${server.stderr}`)));
  });

  server.stop = async () => {
    if (!server.exited) {
      child.kill('SIGINT');
      const outcome = await withTimeout(exited, STOP_TIMEOUT_MS, 'server stop').catch(() => 'timeout');
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exited;
        return { ...server.exited, timedOut: true, output: server.stdout + server.stderr };
      }
    }
    return { ...server.exited, timedOut: false, output: server.stdout + server.stderr };
  };
  server.kill = () => { if (!server.exited) child.kill('SIGKILL'); };
  return withTimeout(ready, START_TIMEOUT_MS, `${bin} did not print its listening line`)
    .then(() => server, (err) => { server.kill(); throw err; });
}

// lwsws runs through the plugin engineer's scripts, which build the config,
// start lwsws in its own process group and wait for the port.
function startLwsws(port, opts) {
  const start = join(repoRoot, 'lws-conf/start-lwsws.sh');
  const stop = join(repoRoot, 'lws-conf/stop-lwsws.sh');
  if (!existsSync(start)) throw new Error(`${start} not found`);
  const args = [String(port), ...Object.entries(opts).map(([n, v]) => `${n}=${v}`)];
  return new Promise((res, rej) => {
    execFile(start, args, { timeout: START_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) { rej(new Error(`start-lwsws.sh ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`)); return; }
      const pgid = /pgid[=: ]+(\d+)/i.exec(stdout);
      const server = {
        target: 'lwsws', port, url: `ws://127.0.0.1:${port}/`, stdout, stderr: '',
        pgid: pgid ? Number(pgid[1]) : null,
      };
      let stopped = null;
      server.stop = async () => {
        if (stopped) return stopped;
        stopped = await new Promise((r) => {
          const stopArgs = existsSync(stop) ? [stop, [String(port)]] : null;
          if (stopArgs) {
            execFile(stopArgs[0], stopArgs[1], { timeout: STOP_TIMEOUT_MS }, (e, so, se) => r({
              code: e ? (e.code ?? 1) : 0, signal: null, timedOut: Boolean(e && e.killed), output: so + se,
            }));
          } else if (server.pgid) {
            try { process.kill(-server.pgid, 'SIGINT'); } catch { /* already gone */ }
            r({ code: 0, signal: null, timedOut: false, output: '' });
          } else {
            r({ code: 1, signal: null, timedOut: false, output: 'no stop script and no pgid' });
          }
        });
        return stopped;
      };
      server.kill = () => {
        if (stopped || !server.pgid) return;
        try { process.kill(-server.pgid, 'SIGKILL'); } catch { /* already gone */ }
      };
      res(server);
    });
  });
}

export function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

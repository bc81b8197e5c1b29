// Starts and stops the servers under test: the embedding host (normal or
// AddressSanitizer build) and lwsws with our plugin. Each test file asks for
// a server with the options it needs; stop() reports how the server ended so
// a test can assert a clean exit and no sanitizer report.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
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
    return process.env.GQLWS_HOST_ASAN_BIN || join(repoRoot, 'build-asan/tests/host/gqlws-host');
  }
  return process.env.GQLWS_HOST_BIN || join(repoRoot, 'build/tests/host/gqlws-host');
}

// The example programs of plugin/examples (hello, threaded), built next to
// gqlws-host in each build tree. GQLWS_EXAMPLES_DIR / GQLWS_EXAMPLES_ASAN_DIR
// name another folder that holds them.
export function exampleBinary(target, name) {
  if (target === 'host-asan') {
    return join(process.env.GQLWS_EXAMPLES_ASAN_DIR || join(repoRoot, 'build-asan/plugin/examples'), name);
  }
  if (target === 'host') return join(process.env.GQLWS_EXAMPLES_DIR || join(repoRoot, 'build/plugin/examples'), name);
  throw new Error(`the examples run on host targets only, not on ${target}`);
}

// Ports 7700-7999 belong to these tests: one block of 100 per target, and a
// block of 3 per test file inside it (file slots 0-32), so files and targets
// can run at once. GQLWS_E2E_PORT_BASE moves the whole block of 300 (two
// checkouts testing on one machine at the same time).
const PORT_BASE = portBase(process.env.GQLWS_E2E_PORT_BASE);
const TARGET_OFFSET = { host: 0, 'host-asan': 100, lwsws: 200 };
function portBase(text) {
  if (text === undefined || text === '') return 7700;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1024 || n > 65200) throw new Error(`GQLWS_E2E_PORT_BASE must be a port from 1024 to 65200, not '${text}'`);
  return n;
}
export function portFor(target, fileSlot, n = 0) {
  if (fileSlot < 0 || fileSlot > 32 || n < 0 || n > 2) throw new Error(`port slot out of range: ${fileSlot}/${n}`);
  return PORT_BASE + TARGET_OFFSET[target] + fileSlot * 3 + n;
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

// Servers still running when this process exits (a failed hook, a forced
// exit) are killed, so none outlives the run.
const live = new Set();
process.on('exit', () => { for (const server of live) server.kill(); });

// Options are README's option names with string values, e.g. { 'keepalive-ms': '200' }.
// "executor" defaults to "test" (the test executor of issue 4). null: lwsws
// with the conf's own options (lws-conf/conf.d/graphql: the main command's
// example schema), none given.
export async function startServer(target, port, options = {}) {
  if (options === null) {
    if (target !== 'lwsws') throw new Error(`the conf's own options are lwsws's, not ${target}'s`);
    return track(await startLwsws(port, {}));
  }
  const opts = { executor: 'test', ...options };
  return track(await (target === 'lwsws' ? startLwsws(port, opts) : startHost(target, port, opts)));
}

// Counts a started server among the live ones until it is stopped or killed.
function track(server) {
  live.add(server);
  const { stop, kill } = server;
  server.stop = () => { live.delete(server); return stop(); };
  server.kill = () => { live.delete(server); kill(); };
  return server;
}

function startHost(target, port, opts) {
  const args = ['--port', String(port), '--interface', '127.0.0.1'];
  for (const [name, value] of Object.entries(opts)) {
    if (name === 'executor') args.push('--executor', value);
    else if (name === 'bind-no-protocol') { if (value === '1') args.push('--bind-no-protocol'); }
    else args.push('--set', `${name}=${value}`);
  }
  return spawnServer(target, port, hostBinary(target), args, `gqlws-host: listening on ws://127.0.0.1:${port}/`);
}

// Starts an example program of plugin/examples: `NAME PORT [option=value ...]`
// (hello takes the port only). It is ready once it has written
// `listening on port PORT` (hello through lws_gqlws_serve's lws log line,
// threaded itself; both on stderr).
export async function startExample(target, name, port, options = {}) {
  const args = [String(port), ...Object.entries(options).map(([n, v]) => `${n}=${v}`)];
  return track(await spawnServer(target, port, exampleBinary(target, name), args,
    `listening on port ${port}`));
}

// Runs bin with args until its output (stdout or stderr) holds readyLine.
function spawnServer(target, port, bin, args, readyLine) {
  if (!existsSync(bin)) throw new Error(`server binary not found: ${bin}`);
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
  const ready = new Promise((res, rej) => {
    child.stdout.on('data', (d) => {
      server.stdout += d;
      if (server.stdout.includes(readyLine)) res();
    });
    child.stderr.on('data', (d) => {
      server.stderr += d;
      if (server.stderr.includes(readyLine)) res();
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

// lwsws runs through lws-conf/start-lwsws.sh, which renders the config into a
// run directory, starts lwsws under setsid and waits for the port;
// lws-conf/stop-lwsws.sh PGID stops the group with SIGINT (SIGKILL if it
// must, which counts as not stopping cleanly). The plugin is the tests' build
// (tests/executor/: the shipped plugin plus executor=test), from
// $GQLWS_LWSWS_BUILD_DIR/tests/lwsws-plugin (default build dir: build/).
async function startLwsws(port, opts) {
  const start = join(repoRoot, 'lws-conf/start-lwsws.sh');
  const stop = join(repoRoot, 'lws-conf/stop-lwsws.sh');
  if (!existsSync(start)) throw new Error(`${start} not found`);
  const buildDir = process.env.GQLWS_LWSWS_BUILD_DIR || join(repoRoot, 'build');
  const args = ['--plugin-dir', join(buildDir, 'tests/lwsws-plugin'), String(port),
    ...Object.entries(opts).map(([n, v]) => `${n}=${v}`)];
  // The prefix is given, so that start-lwsws.sh never builds lwsws: a build
  // takes a minute or more, far beyond the start's time limit (run.sh builds
  // it first when its flags changed).
  const env = { ...process.env, LWSWS_PREFIX: process.env.LWSWS_PREFIX || join(repoRoot, 'build/lwsws-prefix') };
  // Its own process group: whatever group id the script reports, signalling
  // it can never reach this test process.
  const { code, stdout, stderr } = await runScript(start, args, { detached: true, env });
  if (code !== 0) throw new Error(`start-lwsws.sh ${args.join(' ')} failed (${code}):\n${stdout}\n${stderr}`);
  const pid = Number((/^LWSWS_PID=(\d+)$/m.exec(stdout) || [])[1]);
  const dir = (/^LWSWS_DIR=(.+)$/m.exec(stdout) || [])[1];
  const log = (/^LWSWS_LOG=(.+)$/m.exec(stdout) || [])[1];
  if (!pid || !dir) throw new Error(`start-lwsws.sh printed no LWSWS_PID/LWSWS_DIR:\n${stdout}`);
  // setsid runs lwsws in place as the leader of a new group, so its group
  // id is its pid; checked rather than trusted (the script may read the
  // group id before setsid has run).
  const pgid = pid;
  const deadline = Date.now() + 2000;
  while (processGroupOf(pid) !== pid) {
    if (Date.now() > deadline) throw new Error(`lwsws ${pid} is not leading its own process group`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const server = { target: 'lwsws', port, url: `ws://127.0.0.1:${port}/`, pgid, dir };
  let stopped = null;
  server.stop = () => {
    if (!stopped) {
      stopped = runScript(stop, [String(pgid)], { timeout: STOP_TIMEOUT_MS }).then((r) => {
        let output = `${r.stdout}${r.stderr}`;
        try { output += readFileSync(log, 'utf8'); } catch { /* no log */ }
        rmSync(dir, { recursive: true, force: true });
        return { code: r.code, signal: null, timedOut: r.timedOut || /killing it/.test(r.stderr), output };
      });
    }
    return stopped;
  };
  server.kill = () => {
    if (stopped) return;
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  };
  return server;
}

// The process group id of a live process (field 5 of /proc/PID/stat).
function processGroupOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch { return null; }
}

function runScript(file, args, { detached = false, timeout = START_TIMEOUT_MS, env = process.env } = {}) {
  return new Promise((res) => {
    const child = spawn(file, args, { detached, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    // A detached script leads its own group: kill what it runs too, or the
    // pipes its children hold open would delay 'close' past the limit.
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(detached ? -child.pid : child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeout);
    child.on('close', (code) => { clearTimeout(timer); res({ code, stdout, stderr, timedOut }); });
    child.on('error', (err) => { clearTimeout(timer); res({ code: 127, stdout, stderr: `${stderr}${err.message}`, timedOut }); });
  });
}

export function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

// A raw WebSocket peer built on `ws`, for the frames no GraphQL client library
// will send: every received frame is queued, and tests take them one by one
// with a deadline, so each assertion is about one exact frame or close.
import WebSocket from 'ws';
import { withTimeout } from './server.mjs';

export const LEGACY = 'graphql-ws';
export const MODERN = 'graphql-transport-ws';

const DEFAULT_WAIT_MS = 3000;

export class RawPeer {
  constructor(ws) {
    this.ws = ws;
    this.queue = [];
    this.waiters = [];
    this.closeInfo = null;
    ws.on('message', (data, isBinary) => this.#push({ kind: 'message', data, isBinary }));
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString('utf8') };
      this.#push({ kind: 'close', ...this.closeInfo });
    });
    ws.on('error', (err) => { this.error = err; });
  }

  get protocol() { return this.ws.protocol; }

  #push(item) {
    const w = this.waiters.shift();
    if (w) w(item); else this.queue.push(item);
  }

  #take(ms, what) {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    let waiter;
    const p = new Promise((res) => { waiter = res; this.waiters.push(res); });
    return withTimeout(p, ms, what).catch((err) => {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      throw err;
    });
  }

  send(value) {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  sendBinary(buf) { this.ws.send(buf, { binary: true }); }

  // The next frame, parsed. Fails on a close or a non-JSON frame.
  async next(ms = DEFAULT_WAIT_MS) {
    const item = await this.#take(ms, 'waiting for a message');
    if (item.kind === 'close') {
      throw new Error(`connection closed (${item.code} "${item.reason}") while a message was expected`);
    }
    if (item.isBinary) throw new Error('server sent a binary frame');
    return JSON.parse(item.data.toString('utf8'));
  }

  // The next frame that is not one of `types` (e.g. keep-alives).
  async nextExcept(types, ms = DEFAULT_WAIT_MS) {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = await this.next(Math.max(1, deadline - Date.now()));
      if (!types.includes(m.type)) return m;
    }
  }

  // The close, after which nothing may have been received. Fails if a
  // message arrives first.
  async closed(ms = DEFAULT_WAIT_MS) {
    const item = await this.#take(ms, 'waiting for the server to close');
    if (item.kind !== 'close') {
      throw new Error(`expected a close, got a message: ${item.data.toString('utf8')}`);
    }
    return { code: item.code, reason: item.reason };
  }

  // Skips messages (returned) until the close arrives.
  async drainUntilClosed(ms = DEFAULT_WAIT_MS) {
    const messages = [];
    const deadline = Date.now() + ms;
    for (;;) {
      const item = await this.#take(Math.max(1, deadline - Date.now()), 'waiting for the server to close');
      if (item.kind === 'close') return { code: item.code, reason: item.reason, messages };
      messages.push(item.isBinary ? item.data : JSON.parse(item.data.toString('utf8')));
    }
  }

  // Asserts that nothing at all (no message, no close) arrives for `ms`.
  async nothingFor(ms) {
    if (this.queue.length) throw new Error(`unexpected frame: ${describe(this.queue[0])}`);
    let waiter;
    const p = new Promise((res) => { waiter = res; this.waiters.push(res); });
    const got = await Promise.race([p, new Promise((res) => setTimeout(() => res(null), ms))]);
    this.waiters = this.waiters.filter((w) => w !== waiter);
    if (got) throw new Error(`unexpected frame: ${describe(got)}`);
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

function describe(item) {
  return item.kind === 'close' ? `close ${item.code} "${item.reason}"` : item.data.toString('utf8');
}

// Opens a WebSocket offering `protocols` (an array; [] offers none).
// Resolves with a RawPeer once open; rejects if the upgrade is refused.
export function connect(url, protocols, options = {}) {
  const ws = new WebSocket(url, protocols, { handshakeTimeout: 3000, ...options });
  const peer = new RawPeer(ws);
  return new Promise((res, rej) => {
    ws.once('open', () => res(peer));
    ws.once('error', (err) => rej(err));
    ws.once('unexpected-response', (req, resp) => {
      rej(new Error(`upgrade refused with HTTP ${resp.statusCode}`));
      req.destroy();
    });
  });
}

// The outcome of an upgrade attempt, for subprotocol selection tests:
// { accepted: true, protocol } or { accepted: false, error }.
export async function tryUpgrade(url, protocols, options = {}) {
  try {
    const peer = await connect(url, protocols, options);
    const protocol = peer.protocol;
    peer.close();
    return { accepted: true, protocol };
  } catch (err) {
    return { accepted: false, error: err.message };
  }
}

// Connects and completes connection_init / connection_ack.
export async function connectInitialised(url, protocol, payload, options = {}) {
  const peer = await connect(url, [protocol], options);
  peer.send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
  const ack = await peer.next();
  if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  return peer;
}

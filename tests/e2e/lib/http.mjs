// Plain HTTP against a server under test: the plugin's publish endpoint and
// its Prometheus metrics (topics*.test.mjs). One connection per request (no
// keep-alive agent), so that a request never waits behind another.
import http from 'node:http';

// { status, headers, body } of one request; body is the answer's text.
export function httpRequest(port, method, path, { headers = {}, body } = {}) {
  // An explicit length: Node would send a body of unknown length chunked.
  const all = body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: all, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

// POST path with the event (a string is sent as it is, anything else as
// its JSON) and the bearer token (null: no Authorization header).
export function publish(port, topic, event, token, { path = '/publish' } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return httpRequest(port, 'POST', `${path}/${topic}`, { headers, body });
}

// Publishes and insists on 202; returns the answer's subscriber count.
export async function publishOk(port, topic, event, token) {
  const res = await publish(port, topic, event, token);
  if (res.status !== 202) throw new Error(`publish to ${topic}: ${res.status} ${res.body}`);
  return JSON.parse(res.body).subscribers;
}

// The Prometheus text of GET path as a Map from `name{labels}` (labels as
// the server wrote them) to the value; comment lines are checked to be
// HELP or TYPE lines.
export function parseMetrics(text) {
  const values = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) throw new Error(`bad metrics comment: ${line}`);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`bad metrics line: ${JSON.stringify(line)}`);
    values.set(m[1], Number(m[2]));
  }
  return values;
}

export async function metrics(port, path = '/metrics') {
  const res = await httpRequest(port, 'GET', path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body}`);
  return parseMetrics(res.body);
}

'use strict';
// modern-server.js - graphql-ws's useServer (subprotocol graphql-transport-ws)
// on a ws server, serving the demo schema.
//   node modern-server.js --port 7852 --tick-ms 1000

const { WebSocketServer } = require('ws');
const { useServer } = require('graphql-ws/use/ws');
const { makeSchema, parseArgs } = require('./schema');

const opts = parseArgs(process.argv);
const schema = makeSchema(opts.tickMs);
const wss = new WebSocketServer({ host: opts.host, port: opts.port }, () => {
  console.log(`modern-server: listening on ws://${opts.host}:${opts.port}/`);
});
useServer({ schema, context: (ctx) => ({ socket: ctx.extra.socket }) }, wss);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

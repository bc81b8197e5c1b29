'use strict';
// legacy-server.js - Apollo's subscriptions-transport-ws SubscriptionServer
// (subprotocol graphql-ws) on a ws server, serving the demo schema.
//   node legacy-server.js --port 7851 --tick-ms 1000

const { execute, subscribe } = require('graphql');
const { WebSocketServer } = require('ws');
const { SubscriptionServer } = require('subscriptions-transport-ws');
const { makeSchema, parseArgs } = require('./schema');

const opts = parseArgs(process.argv);
const schema = makeSchema(opts.tickMs);
const wss = new WebSocketServer({ host: opts.host, port: opts.port }, () => {
  console.log(`legacy-server: listening on ws://${opts.host}:${opts.port}/`);
});
SubscriptionServer.create(
  {
    schema,
    execute,
    subscribe,
    // What onConnect returns is every operation's context.
    onConnect: (_params, socket) => ({ socket }),
  },
  wss,
);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

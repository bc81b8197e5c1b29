/*
 * lws_gqlws.h - the libwebsockets side of lws-graphql-ws: what an embedding
 * application (or an executor) sees of the plugin.
 *
 * The plugin registers two lws protocols, "graphql-transport-ws" and
 * "graphql-ws", served by one callback that feeds the sans-I/O core
 * (gqlws.h). Operations are run by an executor: one of the built-in ones
 * (demo schema, test schema) chosen by the "executor" option, or the
 * application's own table handed over in the per-vhost options.
 *
 * Everything here runs on the lws service thread unless it says otherwise.
 */
#ifndef LWS_GQLWS_H
#define LWS_GQLWS_H

#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include <gqlws.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LWS_GQLWS_PROTOCOL_MODERN "graphql-transport-ws"
#define LWS_GQLWS_PROTOCOL_LEGACY "graphql-ws"

/* Per-vhost configuration, parsed once from the protocol's per-vhost options
 * (lwsws: the "ws-protocols" block; embedding: info.pvo). Option names:
 * every gqlws_options name (keepalive-ms, init-timeout-ms, max-message-bytes,
 * max-operations, max-id-bytes, send-queue-bytes), plus
 *   "executor"          "demo" (default), "test", or "custom" (see below)
 *   "tick-ms"           period of the demo schema's shared ticker, default 1000
 *   "bind-no-protocol"  "1": a client sending no Sec-WebSocket-Protocol is
 *                       served as graphql-ws instead of being refused
 */
typedef struct lws_gqlws_config {
	gqlws_options core;
	uint32_t tick_ms;
	bool bind_no_protocol;
} lws_gqlws_config;

/* Name of the per-vhost option whose value is a `const lws_gqlws_executor *`
 * cast to `const char *` (embedding only: lwsws values are strings). It
 * takes precedence over "executor". */
#define LWS_GQLWS_PVO_EXECUTOR_TABLE "executor-table"

/* An executor: how a vhost runs GraphQL operations and answers inits.
 * `exec` is what vhost_create returned (shared by both subprotocols of the
 * vhost); `conn` is what conn_open stored for the connection. Only op_start
 * and op_stop are required. The gqlws_session callbacks' rules apply
 * (gqlws.h): op_stop must not call into the session, and so on. */
typedef struct lws_gqlws_executor {
	const char *name;

	/* Once per vhost, before any connection. Returns the executor's vhost
	 * state (NULL is allowed when it needs none); *failed set nonzero on
	 * error fails the vhost. cfg stays valid until vhost_destroy. */
	void *(*vhost_create)(struct lws_vhost *vh, const lws_gqlws_config *cfg, int *failed);
	/* Once per vhost at PROTOCOL_DESTROY of the last of its protocols. */
	void (*vhost_destroy)(void *exec);

	/* At upgrade time, while the request headers are still readable with
	 * lws_hdr_copy(wsi, ...): copy what on_init will need (Authorization,
	 * cookies, the URI) into *conn. Nonzero refuses the upgrade. */
	int (*conn_open)(void *exec, struct lws *wsi, void **conn);
	/* When the connection is gone, after every op_stop. */
	void (*conn_close)(void *exec, void *conn);

	/* connection_init: answer with gqlws_session_accept_init / reject_init
	 * / fail_init, now or later. NULL accepts every init. */
	void (*on_init)(void *exec, void *conn, gqlws_session *s, const cJSON *payload);

	int (*op_start)(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
			const gqlws_request *req);
	void (*op_stop)(void *exec, void *conn, gqlws_session *s, gqlws_op *op);
	void (*op_drained)(void *exec, void *conn, gqlws_session *s, gqlws_op *op);
} lws_gqlws_executor;

/* The built-in executors (plugin/executor_demo.c, plugin/executor_test.c). */
extern const lws_gqlws_executor lws_gqlws_demo_executor;
extern const lws_gqlws_executor lws_gqlws_test_executor;

#ifdef __cplusplus
}
#endif

#endif /* LWS_GQLWS_H */

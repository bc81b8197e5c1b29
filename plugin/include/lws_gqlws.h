/*
 * lws_gqlws.h - the libwebsockets side of lws-graphql-ws: what an embedding
 * application (or an executor) sees of the plugin.
 *
 * The plugin registers two lws protocols, "graphql-transport-ws" and
 * "graphql-ws", served by one callback that feeds the sans-I/O core
 * (gqlws.h). Operations are run by an executor: a built-in one (the demo
 * schema, plugin/executors/demo/) chosen by the "executor" option, or the
 * application's own table handed over in the per-vhost options.
 *
 * Everything here runs on the lws service thread unless it says otherwise.
 */
#ifndef LWS_GQLWS_H
#define LWS_GQLWS_H

#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "gqlws.h"
#include "gqlws_doc.h"
#include "gqlws_hub.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LWS_GQLWS_PROTOCOL_MODERN "graphql-transport-ws"
#define LWS_GQLWS_PROTOCOL_LEGACY "graphql-ws"

/* An option of the vhost that the plugin does not know: the executor's
 * (see option_check below). The strings are the option list's own. */
typedef struct lws_gqlws_option {
	const char *protocol; /* the protocol whose option list carried it */
	const char *name;
	const char *value;
} lws_gqlws_option;

/* Per-vhost configuration, parsed once from the protocol's per-vhost options
 * (lwsws: the "ws-protocols" block; embedding: info.pvo). Option names the
 * plugin knows: every gqlws_options name (keepalive-ms, init-timeout-ms,
 * max-message-bytes, max-operations, max-id-bytes, send-queue-bytes), every
 * gqlws_doc_limits name (max-document-bytes, default: max-message-bytes;
 * max-document-tokens, max-document-depth, max-document-selections), plus
 *   "executor"          "demo" (default; the executors built into the
 *                       plugin), or "custom" (see executor-table below)
 *   "bind-no-protocol"  "1": a client sending no Sec-WebSocket-Protocol is
 *                       served as graphql-ws instead of being refused
 *   "send-queue-total-bytes"  heap the send queues of all the vhost's
 *                       connections may hold together; over it, the largest
 *                       are closed 1008 (see lws_gqlws_vhost_queue_stats).
 *                       Default: 1/16 of physical memory, at most 64 MiB;
 *                       "0": off
 *   "publish-path"      URL path of the HTTP publish endpoint (default
 *                       "/publish"; see LWS_GQLWS_HTTP_PROTOCOL)
 *   "publish-token", "publish-token-file"  its bearer token (a file: its
 *                       first line); without one the endpoint is off
 *   "metrics-path"      URL path of the Prometheus metrics (default: off)
 *   "redis"             redis://[[user]:password@]host[:port][/db]: share the
 *                       hub's topics with other nodes through Redis pub/sub
 *                       (needs an executor with a hub, and a plugin built
 *                       with hiredis); default: off, topics are node-local
 *   "redis-password-file"  the Redis password in a file (its first line)
 *                       instead of in the URL
 *   "redis-prefix"      prefix of the Redis channel names (default "gqlws:"):
 *                       topic t is channel <prefix>t
 * Every other name is the executor's own option (the demo's: "tick-ms",
 * period of its shared ticker, default 1000), checked by the executor. */
typedef struct lws_gqlws_config {
	gqlws_options core;
	/* What executors hand to gqlws_doc_parse() (the built-in ones do). */
	gqlws_doc_limits doc_limits;
	bool bind_no_protocol;
	/* "send-queue-total-bytes": 0 is off. */
	size_t send_queue_total_bytes;
	/* "publish-path" (never NULL), the bearer token (NULL: publishing over
	 * HTTP is off) and "metrics-path" (NULL: off). Strings live as long
	 * as cfg. */
	const char *publish_path;
	const char *publish_token;
	const char *metrics_path;
	/* "redis" (NULL: off; checked when parsed), the password read from
	 * "redis-password-file" (NULL: none; owned by cfg) and "redis-prefix"
	 * (never NULL). */
	const char *redis;
	const char *redis_password;
	const char *redis_prefix;
	/* Where vhost_create may write, before setting *failed, one line
	 * (failure_size bytes) saying why it failed: what the plugin logs and
	 * lws_gqlws_vhost_wait_ready() reports instead of "executor failed to
	 * start". Empty until then. */
	char *failure;
	size_t failure_size;
	/* The executor's options, every one accepted by its option_check, in
	 * the order given (one given under both protocols appears once).
	 * The array lives as long as cfg; read it in vhost_create. */
	const lws_gqlws_option *executor_options;
	size_t executor_option_count;
	/* The context and vhost the configuration belongs to (lws 4.1.6 has
	 * no vhost-to-context call): what vhost-wide timers need. */
	struct lws_context *context;
	struct lws_vhost *vhost;
} lws_gqlws_config;

/* Name of the per-vhost option whose value is a `const lws_gqlws_executor *`
 * cast to `const char *` (embedding only: lwsws values are strings). It
 * takes precedence over "executor". */
#define LWS_GQLWS_PVO_EXECUTOR_TABLE "executor-table"

/* An executor: how a vhost runs GraphQL operations and answers inits.
 * `exec` is what vhost_create returned (shared by both subprotocols of the
 * vhost); `conn` is what conn_open stored for the connection. Only op_start
 * is required. The gqlws_session callbacks' rules apply (gqlws.h): op_stop
 * must not call into the session, and so on. */
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
	 * / fail_init, now or later. NULL accepts every init. payload is
	 * borrowed for this call only; later, gqlws_session_init_payload_json()
	 * gives its compact JSON text (so does gqlws_request at op_start). */
	void (*on_init)(void *exec, void *conn, gqlws_session *s, const cJSON *payload);

	int (*op_start)(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
			const gqlws_request *req);
	/* NULL when the executor keeps nothing it must stop by hand: e.g. its
	 * per-operation state is freed by a gqlws_op_on_end() cleanup, which
	 * runs however the operation ends. */
	void (*op_stop)(void *exec, void *conn, gqlws_session *s, gqlws_op *op);
	void (*op_drained)(void *exec, void *conn, gqlws_session *s, gqlws_op *op);

	/* The executor's own options: every option of the vhost that is
	 * neither the plugin's (lws_gqlws_config above) nor one lws reads
	 * ("default", "raw", "status", "basic-auth"). Called once for each,
	 * when the vhost starts, before vhost_create (which then reads them
	 * from cfg->executor_options); the executor keeps no state here.
	 * Returns LWS_GQLWS_OPTION_TAKEN, LWS_GQLWS_OPTION_UNKNOWN (a name it
	 * does not know), or LWS_GQLWS_OPTION_BAD after writing into why
	 * (why_size bytes, one line, no name or value: the plugin adds them)
	 * what a good value is. Anything but TAKEN fails the vhost, and the
	 * reason ("graphql-ws: unknown option \"x\" (neither the plugin's
	 * nor executor \"demo\"'s)", or "graphql-ws: option \"x\" = \"v\":
	 * <why>") is logged and is what lws_gqlws_vhost_wait_ready() reports.
	 * NULL: the executor takes no options, and any such option fails the
	 * vhost as unknown. (A hook of its own rather than a reason out of
	 * vhost_create: every option is judged, and the first refusal
	 * reported, before any executor state exists.) */
	int (*option_check)(const char *name, const char *value, char *why, size_t why_size);

	/* The executor's topic hub (gqlws_hub.h), or NULL (also when this
	 * entry is NULL): what the vhost's publish endpoint, lws_gqlws_publish()
	 * and the topic metrics use. Service thread. */
	gqlws_hub *(*hub)(void *exec);
} lws_gqlws_executor;

#define LWS_GQLWS_OPTION_TAKEN 0
#define LWS_GQLWS_OPTION_UNKNOWN 1
#define LWS_GQLWS_OPTION_BAD (-1)

/* The demo schema's executor (README "Demo schema"; plugin/executors/demo/),
 * built into the plugin as "demo". Its option: "tick-ms". */
extern const lws_gqlws_executor lws_gqlws_demo_executor;

/* The schema executor (plugin/executors/schema/), built into the plugin as
 * "schema": serves the SDL of a file or string, its root fields bound to
 * topics by @topic / @publish / @retained (gqlws_hub.h). Its options:
 *   "schema-file"    path of the SDL file (read once, at vhost start)
 *   "schema-sdl"     the SDL itself (embedding; one of the two is needed)
 *   "retain", "retain-topics", "retain-bytes"   (gqlws_hub_options)
 *   "introspection"  "0" refuses __schema and __type (default "1") */
extern const lws_gqlws_executor lws_gqlws_schema_executor;

/* ------------------------------------------------------ embedding the protocols */

/* The one callback behind both protocols (it tells them apart by name). */
int lws_gqlws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		       size_t len);

/* Bytes of per-connection data the callback needs; a compile-time constant
 * so that the protocol entries below can sit in a static array. */
#define LWS_GQLWS_PSS_BYTES 256

/* Protocol ids (lws_protocols.id), also the gqlws_subprotocol values. */
#define LWS_GQLWS_ID_LEGACY 1
#define LWS_GQLWS_ID_MODERN 2

/* Entries for an application's lws_protocols array, e.g.
 *   static const struct lws_protocols protocols[] = {
 *       { "http", my_http_cb, 0, 0, 0, NULL, 0 },
 *       LWS_GQLWS_PROTOCOL_ENTRY_MODERN,
 *       LWS_GQLWS_PROTOCOL_ENTRY_LEGACY,
 *       { NULL, NULL, 0, 0, 0, NULL, 0 }
 *   };
 * Link the application with the static library lws_gqlws_plugin (CMake
 * target; installed as liblws_gqlws_plugin.a, which also needs libgqlws.a,
 * cJSON, libwebsockets and pthreads); it is the same code as the .so
 * plugin, built with LWS_PLUGIN_STATIC. */
/* lws allocates each connection's receive buffer at this size (0 would mean
 * 4 KiB). Messages longer than a chunk are reassembled by the plugin, so a
 * small buffer costs nothing but memory saved on every connection. */
#define LWS_GQLWS_RX_BUFFER_BYTES 512
/* lws 4.1.6 gives the socket at most this much (+ LWS_PRE + 4) per send and
 * keeps the rest for the next POLLOUT. 0 would mean the receive buffer's
 * size: a 5 KiB frame then took ten trips round the loop, and a stream of
 * such results overflowed the send queue of a client that was reading. */
#define LWS_GQLWS_TX_PACKET_BYTES 16384

#define LWS_GQLWS_PROTOCOL_ENTRY_MODERN                                                        \
	{ LWS_GQLWS_PROTOCOL_MODERN, lws_gqlws_callback, LWS_GQLWS_PSS_BYTES,                   \
	  LWS_GQLWS_RX_BUFFER_BYTES,                                                           \
	  LWS_GQLWS_ID_MODERN, NULL, LWS_GQLWS_TX_PACKET_BYTES }
#define LWS_GQLWS_PROTOCOL_ENTRY_LEGACY                                                        \
	{ LWS_GQLWS_PROTOCOL_LEGACY, lws_gqlws_callback, LWS_GQLWS_PSS_BYTES,                   \
	  LWS_GQLWS_RX_BUFFER_BYTES,                                                           \
	  LWS_GQLWS_ID_LEGACY, NULL, LWS_GQLWS_TX_PACKET_BYTES }
/* Both entries, in the style of lws's own LWS_PLUGIN_PROTOCOL_* macros. */
#define LWS_PLUGIN_PROTOCOL_GRAPHQL_WS LWS_GQLWS_PROTOCOL_ENTRY_MODERN, LWS_GQLWS_PROTOCOL_ENTRY_LEGACY

/* Per-vhost options an application passes through info.pvo: a pvo named
 * after each protocol, whose `options` list holds name/value pairs (the
 * names of lws_gqlws_config above; values are decimal text). Both protocols
 * of a vhost share one configuration and one executor: an option may be
 * given under either protocol or both (with the same value).
 *
 * Clients that send no Sec-WebSocket-Protocol: lws binds them to the
 * protocol that carries the pvo "default" (lws's own rule), else to
 * protocols[0]. To serve them as graphql-ws, give graphql-ws both
 * "default" (any value) and "bind-no-protocol" = "1"; the plugin refuses
 * them otherwise, and refuses a vhost that has bind-no-protocol without
 * "default" on graphql-ws. protocols[0] of an application should refuse
 * websocket upgrades (return nonzero on LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION).
 * In lwsws: put "default": "1" and "bind-no-protocol": "1" in the
 * graphql-ws block and leave out "disable-no-protocol-ws-upgrades". */

/* Services the context until the vhost's GraphQL protocols are ready, at
 * most timeout_ms. Returns 0 when they are. Otherwise returns -1 and writes
 * one line into why (why_size bytes; why may be NULL) that says why: the
 * first bad option (every one is also logged), the plugin's or one the
 * executor refused (option_check), the executor failing to start, the
 * vhost lacking both protocols, or the time running out. Call it once after
 * lws_create_vhost() (lws 4.1.6 initialises a vhost's protocols later, inside
 * lws_service(), and tells the caller nothing of a failure), or after
 * lws_create_context() for vhosts it made. A failure is told once: a second
 * wait on the same failed vhost runs out of time. Service thread only. */
int lws_gqlws_vhost_wait_ready(struct lws_context *context, struct lws_vhost *vh,
			       unsigned timeout_ms, char *why, size_t why_size);

/* Graceful shutdown with a time limit: lws_gqlws_vhost_shutdown(), then
 * services the context until every GraphQL connection of the vhost has
 * closed, at most timeout_ms. Returns how many were still open when the
 * time ran out (0: all closed); destroying the context drops those. Call it
 * before lws_context_destroy(). Service thread only. */
size_t lws_gqlws_vhost_drain(struct lws_context *context, struct lws_vhost *vh,
			     unsigned timeout_ms);

/* Starts a graceful shutdown of every GraphQL connection of the vhost: each
 * stops its operations and closes with 1001; new upgrades are refused.
 * Keep servicing the context until lws_gqlws_vhost_connections() is 0 (or a
 * time limit passes), then destroy it. Service thread only. */
void lws_gqlws_vhost_shutdown(struct lws_vhost *vh);

/* True once the vhost's GraphQL protocols initialised with valid options.
 * lws 4.1.6 initialises the protocols of a vhost made by lws_create_vhost()
 * on a later lws_service() and does not report a failure to the caller, so
 * a host services the context until this is true (or gives up after a
 * moment: the plugin has logged why). Service thread only. */
bool lws_gqlws_vhost_ready(struct lws_vhost *vh);

/* Number of open GraphQL connections of the vhost. Service thread only. */
size_t lws_gqlws_vhost_connections(struct lws_vhost *vh);

/* The vhost's send queues together, as send-queue-total-bytes counts them:
 * the heap their waiting frames take (gqlws_session_queued_heap_bytes). */
typedef struct lws_gqlws_queue_stats {
	size_t bound;       /* send-queue-total-bytes; 0: off */
	size_t bytes;       /* held now (counted only while the bound is on) */
	size_t peak;        /* the most held at any time since the vhost started */
	uint64_t evictions; /* connections closed 1008 to keep the bound */
} lws_gqlws_queue_stats;

/* Fills *out for the vhost; returns -1 (and zeroes *out) when the vhost
 * serves no GraphQL. For metrics and tests. Service thread only. */
int lws_gqlws_vhost_queue_stats(struct lws_vhost *vh, lws_gqlws_queue_stats *out);

/* For the application's own http protocol (protocols[0]): call it on
 * LWS_CALLBACK_HTTP_CONFIRM_UPGRADE with that callback's `in`, and return
 * what it returns. lws 4.1.6 drops an upgrade it cannot bind (no known
 * subprotocol, a Sec-WebSocket-Protocol of 128 bytes or more) with no HTTP
 * answer and before any GraphQL callback; this answers it first, with 400
 * and a one-line reason (and a POST: 405, HTTP/1.0: 400, a vhost shutting
 * down: 503), then returns -1 so that lws closes the connection. Returns 0
 * for an upgrade the vhost serves, for other upgrades, and on vhosts
 * without GraphQL. (In lwsws protocols[0] is lws's own: there only the
 * checks that the plugin makes once lws has bound the upgrade to it
 * answer with a status.) Service thread only. */
int lws_gqlws_confirm_upgrade(struct lws *wsi, const char *upgrade);

/* The lws context serving op (its session's connection), for the lws
 * timers (lws_sul_schedule) an executor runs the operation on; NULL when
 * op is NULL or not one of the plugin's. Service thread only. */
struct lws_context *lws_gqlws_op_context(gqlws_op *op);

/* A whole standalone server in one call, for a program whose lws context
 * serves nothing else: creates the context from info (info->protocols and
 * info->pvo carry the GraphQL protocols and their options on the vhost
 * "default"), waits for them as lws_gqlws_vhost_wait_ready() does (5 s),
 * logs "lws-graphql-ws: listening on port N" (lwsl_notice), services it
 * until SIGINT or SIGTERM, drains it as lws_gqlws_vhost_drain() does
 * (drain_ms), and destroys it. Returns 0 after a signal and 1 when the
 * server could not start (the reason is logged with lwsl_err). Its signal
 * handlers replace the program's for the duration and the previous ones
 * come back afterwards. One call at a time per process, from the main
 * thread. An application with a loop of its own uses the calls above. */
int lws_gqlws_serve(const struct lws_context_creation_info *info, unsigned drain_ms);

/* protocols[0] for an application that serves no HTTP of its own: the
 * vhost's publish and metrics endpoints (see LWS_GQLWS_HTTP_PROTOCOL
 * below), lws's dummy HTTP callback for every other request (plain
 * requests get 404), upgrades checked by lws_gqlws_confirm_upgrade() first
 * and websockets bound to it refused. Put LWS_GQLWS_PROTOCOL_ENTRY_HTTP
 * before the GraphQL entries. An application with its own HTTP callback
 * calls lws_gqlws_confirm_upgrade() from it instead, and reaches the
 * endpoints as lwsws does: LWS_GQLWS_PROTOCOL_ENTRY_ENDPOINTS among its
 * protocols and an lws mount per endpoint path (origin_protocol
 * LWSMPRO_CALLBACK, origin LWS_GQLWS_HTTP_PROTOCOL). */
int lws_gqlws_http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			    void *in, size_t len);
/* Bytes of per-request data lws_gqlws_http_callback() needs (the publish
 * body is gathered on the heap, bounded by max-message-bytes). */
#define LWS_GQLWS_HTTP_PSS_BYTES 384
#define LWS_GQLWS_PROTOCOL_ENTRY_HTTP                                                          \
	{ "http", lws_gqlws_http_callback, LWS_GQLWS_HTTP_PSS_BYTES, 0, 0, NULL, 0 }

/* ------------------------------------------------------------ publishing */

/* Publishes an event (len bytes of JSON text, copied) to topic on the
 * vhost's hub, from any thread: the service loop is woken
 * (lws_cancel_service) and delivers it there, in the order of the calls.
 * Returns GQLWS_OK when queued; GQLWS_ERR_INVALID for a NULL argument, a
 * bad topic name (gqlws_hub_topic_invalid) or an event over the vhost's
 * max-message-bytes; GQLWS_ERR_CLOSED when the vhost has no hub or is
 * gone; GQLWS_ERR_LIMIT when the vhost's queue is full (65536 events or
 * 64 MiB waiting for the service thread); GQLWS_ERR_NOMEM. JSON that does
 * not parse is refused on the service thread (counted, logged, not
 * delivered). Any thread; the vhost must not be destroyed during the call
 * (after its destruction, calls answer GQLWS_ERR_CLOSED). */
int lws_gqlws_publish(struct lws_vhost *vh, const char *topic, const char *json, size_t len);

/* The name of the plugin's HTTP protocol, for lwsws mounts of the publish
 * and metrics endpoints (the mountpoints are the options publish-path and
 * metrics-path), and listed in the vhost's "ws-protocols" (lwsws puts on a
 * vhost only the plugin protocols listed there):
 *   "mounts": [{ "mountpoint": "/publish", "origin": "callback://lws-gqlws-http" },
 *              { "mountpoint": "/metrics", "origin": "callback://lws-gqlws-http" }],
 *   "ws-protocols": [{ "graphql-transport-ws": {...}, "graphql-ws": {...},
 *                      "lws-gqlws-http": {} }]
 * Its callback is lws_gqlws_http_callback(): on a vhost whose executor has
 * a hub and a publish token (plugin options "publish-path", default
 * "/publish"; "publish-token" or "publish-token-file"),
 *   POST <publish-path>/<topic>, Authorization: Bearer <token>, body: the
 *   event as JSON (Content-Length required on HTTP/1) -> 202
 *   {"subscribers":N}; otherwise {"error":reason} with 400 bad JSON, topic
 *   or request; 401 no bearer token (WWW-Authenticate: Bearer); 403 a
 *   wrong one; 404 publishing is off (no token, or an executor without
 *   hub); 405 another method (Allow: POST); 413 a body over
 *   max-message-bytes (answered on Content-Length before the body is read);
 *   500 out of memory; 503 the hub's publish hook refused (with "redis":
 *   {"error":"Redis is not connected"}, or its write queue is full);
 * and with "metrics-path" set (off by default), GET <metrics-path> -> 200
 *   Prometheus text (format 0.0.4), with no authorisation: connections by
 *   subprotocol, operations, send queue bytes, closes by limit (1008,
 *   1009), publish answers by status, C API publishes, and with a hub its
 *   topics, subscriptions, selection groups, events published / delivered
 *   / refused, serialisations, frames, retained topics and bytes, and with
 *   "redis" the gqlws_redis_* families (connection states, reconnects,
 *   channels, messages in / out / dropped, publish errors, write queue).
 *   With "redis", N of a 202 counts this node's subscribers only. Other
 *   methods: 405 (Allow: GET). */
#define LWS_GQLWS_HTTP_PROTOCOL "lws-gqlws-http"

/* That protocol's entry, for an application's protocol list whose own
 * protocols[0] mounts the endpoints (see LWS_GQLWS_PROTOCOL_ENTRY_HTTP). */
#define LWS_GQLWS_PROTOCOL_ENTRY_ENDPOINTS                                                     \
	{ LWS_GQLWS_HTTP_PROTOCOL, lws_gqlws_http_callback, LWS_GQLWS_HTTP_PSS_BYTES, 0, 0, NULL, \
	  0 }

/* --------------------------------------------------- results from other threads */

/* Where an operation's results go when they are produced off the service
 * thread. Take a ticket on the service thread (in op_start), hand it to the
 * worker, and post through it from any thread. A post wakes the service loop
 * with lws_cancel_service(); the plugin then delivers it on the service
 * thread, or drops it silently if the operation (or its connection) has
 * ended meanwhile. Posts of one ticket are delivered in order.
 *
 * Lifetime: a ticket is plain data and may outlive its operation, but not
 * its vhost: the executor must stop posting (join its threads) in
 * vhost_destroy at the latest. */
typedef struct lws_gqlws_mailbox lws_gqlws_mailbox;

typedef struct lws_gqlws_ticket {
	lws_gqlws_mailbox *mailbox;
	/* The connection's slot in its vhost and the slot's generation: the
	 * service thread finds the connection in O(1), and a ticket of a
	 * connection that has closed finds nothing. */
	uint32_t slot;
	uint32_t generation;
	uint64_t serial;              /* gqlws_op_serial() */
} lws_gqlws_ticket;

/* The ticket of a running operation of one of the plugin's sessions.
 * Service thread only. */
lws_gqlws_ticket lws_gqlws_ticket_of(gqlws_op *op);

/* Posts one result (len bytes of JSON text, one object {"data":...}); the
 * text is copied. Any thread. Returns GQLWS_OK, GQLWS_ERR_NOMEM, or
 * GQLWS_ERR_INVALID (no mailbox, NULL text). */
int lws_gqlws_post_next(const lws_gqlws_ticket *t, const char *json, size_t len);

/* Posts the normal end of the operation (gqlws_op_complete). Any thread. */
int lws_gqlws_post_complete(const lws_gqlws_ticket *t);

/* Posts a failure of the operation (gqlws_op_fail with message). Any thread. */
int lws_gqlws_post_fail(const lws_gqlws_ticket *t, const char *message);

#ifdef __cplusplus
}
#endif

#endif /* LWS_GQLWS_H */

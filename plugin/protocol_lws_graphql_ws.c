/*
 * protocol_lws_graphql_ws.c - the lws protocol callback behind
 * "graphql-transport-ws" and "graphql-ws": it adapts lws connections, timers
 * and writes to gqlws sessions (gqlws.h), and wires the vhost's executor in.
 * The same file is the loadable plugin and, built with LWS_PLUGIN_STATIC,
 * the protocols an application embeds (lws_gqlws.h).
 */
#if !defined(LWS_PLUGIN_STATIC)
#define LWS_DLL
#define LWS_INTERNAL
#endif
#include <libwebsockets.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <strings.h>

#include "lws_gqlws.h"
#include "plugin_config.h"
#include "plugin_http_text.h"
#include "plugin_mailbox.h"
#include "plugin_publish.h"
#include "plugin_queue_bound.h"
#include "plugin_slots.h"
#include "plugin_sweep.h"
#include "plugin_vhost_state.h"
#include "redis/plugin_redis.h"

/* One vhost's GraphQL state, shared by its two protocols (lws gives each
 * protocol its own vhd, so each vhd holds a counted reference). */
typedef struct plugin_vhost {
	unsigned refs;
	lws_gqlws_config cfg;
	const lws_gqlws_executor *executor;
	void *exec;               /* what executor->vhost_create returned */
	lws_gqlws_mailbox *mailbox;
	lws_dll2_owner_t conns;   /* plugin_conn.node of every established connection */
	plugin_slots slots;       /* the same connections, by ticket slot */
	bool shutting_down;
	/* Tells us when the context starts to be destroyed (see on_system_state). */
	lws_state_notify_link_t state_link;
	/* One timer for the session deadlines of every connection (see
	 * session_on_notify): when it fires, and when it last swept. */
	lws_sorted_usec_list_t sweep_sul;
	uint64_t sweep_at;        /* ms; 0 = not scheduled */
	uint64_t last_sweep;
	/* Memory given back to the system after bursts (see note_freed). */
	lws_sorted_usec_list_t trim_sul;
	size_t freed_since_trim;  /* bytes connections held at their peak */
	bool trim_scheduled;
	/* Connections with frames to write without a writeable callback (see
	 * conn_want_write), and the timer that writes them in this turn of
	 * the loop. */
	lws_dll2_owner_t flush_list;
	lws_sorted_usec_list_t flush_sul;
	/* Frames written by each path, for the tests (plugin_vhost_state.h). */
	uint64_t writes_direct;
	uint64_t writes_writeable;
	bool flushing;            /* inside on_flush */
	/* send-queue-total-bytes over every connection (plugin_queue_bound.c). */
	plugin_queue_bound queue_bound;
	/* The executor's hub (its table's `hub`), or NULL. */
	gqlws_hub *hub;
	/* The transport that shares the hub's topics with other nodes
	 * ("redis"), or NULL. */
	plugin_redis *redis;
	/* For the metrics: closes by limit the plugin handed to lws, and the
	 * publish endpoint's answers (plugin_http.c counts them). */
	uint64_t closed_1008;
	uint64_t closed_1009;
	uint64_t http_answers[PLUGIN_HTTP_STATUS_COUNT];
	/* What vhost_create may say about its failure (cfg.failure). */
	char exec_failure[200];
	bool publish_registered;
} plugin_vhost;

/* lws's per-vhost, per-protocol storage. */
typedef struct plugin_vhd {
	plugin_vhost *shared;     /* set when the vhost's last GraphQL protocol initialised */
	const struct lws_protocol_vhost_options *options;
} plugin_vhd;

/* lws's per-connection storage (zeroed by lws before FILTER). */
typedef struct plugin_conn {
	struct lws *wsi;
	plugin_vhost *shared;
	lws_dll2_t node;          /* in shared->conns while session is set */
	gqlws_session *session;
	uint32_t slot;            /* in shared->slots while session is set */
	uint32_t generation;
	void *exec_conn;          /* what executor->conn_open stored */
	bool exec_conn_open;
	bool released;
	bool binary;              /* the current message arrived as binary frames */
	unsigned char *rx;        /* the message being reassembled */
	size_t rx_len;
	size_t rx_cap;
	uint64_t tick_at;         /* ms: when the sweep ticks its session, 0 = never (plugin_sweep.h) */
	lws_dll2_t flush_node;    /* in shared->flush_list while a direct write is due */
	bool extension;           /* lws compresses what we write (permessage-deflate) */
	bool wait_writeable;      /* the next write waits for WRITEABLE (conn_want_write) */
	bool flushing;            /* inside conn_flush */
	bool peer_closed;         /* the client's close frame came: lws answers it */
	bool write_failed;        /* a direct write found the socket gone */
	bool close_counted;       /* its close by limit is in the metrics */
	plugin_queue_share queue; /* its part of shared->queue_bound */
} plugin_conn;

_Static_assert(sizeof(plugin_conn) <= LWS_GQLWS_PSS_BYTES,
	       "LWS_GQLWS_PSS_BYTES must cover the per-connection data");

static uint64_t now_ms(void)
{
	return (uint64_t)lws_now_usecs() / 1000u;
}

static plugin_vhd *vhd_of(struct lws *wsi)
{
	return lws_protocol_vh_priv_get(lws_get_vhost(wsi), lws_get_protocol(wsi));
}

static plugin_vhost *shared_of_vhost(struct lws_vhost *vh)
{
	static const char *const names[] = { LWS_GQLWS_PROTOCOL_MODERN, LWS_GQLWS_PROTOCOL_LEGACY };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct lws_protocols *p = lws_vhost_name_to_protocol(vh, names[i]);
		plugin_vhd *vhd = p ? lws_protocol_vh_priv_get(vh, p) : NULL;

		if (vhd && vhd->shared)
			return vhd->shared;
	}
	return NULL;
}

/* ------------------------------------------------------- executor wiring */

static void session_on_init(void *user, gqlws_session *s, const cJSON *payload)
{
	plugin_conn *c = user;

	c->shared->executor->on_init(c->shared->exec, c->exec_conn, s, payload);
}

static int session_op_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	plugin_conn *c = user;

	return c->shared->executor->op_start(c->shared->exec, c->exec_conn, s, op, req);
}

static void session_op_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	plugin_conn *c = user;

	if (c->shared->executor->op_stop)
		c->shared->executor->op_stop(c->shared->exec, c->exec_conn, s, op);
}

/* Only set as the session's op_drained when the executor has one. */
static void session_op_drained(void *user, gqlws_session *s, gqlws_op *op)
{
	plugin_conn *c = user;

	c->shared->executor->op_drained(c->shared->exec, c->exec_conn, s, op);
}

/* ------------------------------------------------------------ connection */

/* Session deadlines (keep-alive, init timeout) share one timer per vhost
 * instead of one lws timer per connection: lws keeps its timers in one
 * sorted list, so re-arming thousands of per-connection timers (a deadline
 * moves whenever a session's keep-alive does) costs a list walk each. The
 * sweep runs at most once per SWEEP_GRANULARITY_MS, so a deadline may be
 * served up to that much late, and the loop wakes at most that often.
 *
 * Each wake costs more than the sweep: lws's poll loop hands every
 * descriptor to poll() again. So a connection is ticked at a grid point at
 * or after its session's deadline (plugin_sweep.h), one with a step of
 * about 1/16 of how far away the deadline was when set: 512 ms for a
 * keep-alive of 10 s, 128 ms for an init timeout of 3 s. Deadlines set at
 * nearby times then share one wake, and stay together (a keep-alive ticked
 * at a point is next due an interval after it), where before the
 * keep-alives of 10,000 connections, spread by their handshakes, woke the
 * loop every 20 ms and cost it as much CPU as the messages it delivered. */
#define SWEEP_GRANULARITY_MS 20

static void on_sweep(lws_sorted_usec_list_t *sul);

static void sweep_schedule(plugin_vhost *shared, uint64_t point)
{
	uint64_t at = point, now;

	if (at < shared->last_sweep + SWEEP_GRANULARITY_MS)
		at = shared->last_sweep + SWEEP_GRANULARITY_MS;
	if (shared->sweep_at && shared->sweep_at <= at)
		return;
	shared->sweep_at = at;
	now = now_ms();
	lws_sul_schedule(shared->cfg.context, 0, &shared->sweep_sul, on_sweep,
			 at > now ? (lws_usec_t)(at - now) * 1000 : 1);
}

/* Takes the session's next deadline (0: none) and schedules its tick. */
static void conn_set_deadline(plugin_conn *c, uint64_t deadline)
{
	c->tick_at = plugin_sweep_point(deadline, now_ms());
	if (c->tick_at)
		sweep_schedule(c->shared, c->tick_at);
}

/* Ticks every session whose point has come; what that changes comes
 * back through on_notify (a write, a close, the next deadline). */
static void on_sweep(lws_sorted_usec_list_t *sul)
{
	plugin_vhost *shared = lws_container_of(sul, plugin_vhost, sweep_sul);
	uint64_t now = now_ms(), next = 0;
	struct lws_dll2 *p, *p_next;

	shared->sweep_at = 0;
	shared->last_sweep = now;
	for (p = lws_dll2_get_head(&shared->conns); p; p = p_next) {
		plugin_conn *c = lws_container_of(p, plugin_conn, node);

		p_next = p->next;
		if (!c->tick_at)
			continue;
		if (c->tick_at <= now)
			gqlws_session_tick(c->session, now); /* sets c->tick_at */
		if (c->tick_at && (!next || c->tick_at < next))
			next = c->tick_at;
	}
	if (next)
		sweep_schedule(shared, next);
}

/* A closing session waits for WRITEABLE to hand its close to lws, and a
 * client that stopped reading (send queue overflow) may never let that come:
 * bound the wait, after which lws drops the connection. */
#define CLOSE_GRACE_SECS 10

/* ---------------------------------------------------------------- writes
 *
 * A frame is written without a writeable callback whenever lws holds
 * nothing of the connection's that it has not sent. Why: under lwsws's
 * libuv loop every writeable round trip costs four epoll_ctl calls (POLLOUT
 * turned on, then off), while the socket's send buffer almost always has
 * room; and lws 4.1.6 keeps whatever a send did not take (buflist_out) and
 * asks for WRITEABLE itself, so a write never blocks either way.
 *
 * Where: never inside a session call, nor inside an lws callback of the
 * connection (nor on a stack that holds an lws_write). on_notify only puts
 * the connection on its vhost's flush list; on_flush writes the list from a
 * timer that lws runs in the same turn of its loop (flush_soon), where
 * nothing of lws's or the session's is in progress. That also batches: a
 * tick that reaches every subscriber costs one timer, and a stream paced by
 * its client's reading writes at most FLUSH_FRAMES_PER_TURN frames at a
 * time, then waits for WRITEABLE, so the loop serves every other
 * connection in between. Deliveries from
 * other threads (plugin_mailbox) arrive on the service thread as before and
 * take the same path.
 *
 * The writeable callback writes instead (wait_writeable) while:
 * - lws holds the unsent tail of a frame (lws_partial_buffered): lws asks
 *   for WRITEABLE and calls ours only once the tail is out;
 * - permessage-deflate has output of the previous message left to send
 *   (only lws_send_pipe_choked says so, at the price of a poll(); it is
 *   asked on compressed connections only): lws sends it before it calls
 *   WRITEABLE, and a frame written before that would go out as its
 *   continuation;
 * - the close is due: lws sends our close frame only when WRITEABLE
 *   returns -1 (close_if_due), and only after every frame before it;
 * - lws is closing (its own close frame is prepared, or the client's came):
 *   nothing may follow a close frame;
 * - the connection is an HTTP/2 stream (RFC 8441), which lws lets write
 *   from its WRITEABLE only.
 * Either path takes the frame at the head of the one queue, so frames go
 * out in order whichever writes them. */

/* Frames one connection writes directly per turn of the loop. */
#define FLUSH_FRAMES_PER_TURN 16u
/* A time lws's timer list sees as already past: the flush runs in the
 * current pass over due timers (from a timer callback: the tick that
 * produced the frames), or before the loop next waits (from an lws
 * callback), never after a wait. */
#define FLUSH_NOW_US (-(lws_usec_t)LWS_US_PER_SEC)

static void on_flush(lws_sorted_usec_list_t *sul);

static void flush_soon(plugin_vhost *shared)
{
	/* A pass in progress reschedules itself for what is left. */
	if (shared->flushing || !lws_dll2_is_detached(&shared->flush_sul.list))
		return;
	lws_sul_schedule(shared->cfg.context, 0, &shared->flush_sul, on_flush, FLUSH_NOW_US);
}

/* Conditions that last: the connection is never written directly again. */
static bool direct_write_refused(plugin_conn *c)
{
	return c->peer_closed || c->write_failed || lws_get_close_length(c->wsi) ||
	       lws_get_network_wsi(c->wsi) != c->wsi;
}

/* lws still has bytes of this connection to send before a new frame. */
static bool lws_holds_output(plugin_conn *c)
{
	if (c->extension)
		return lws_send_pipe_choked(c->wsi) != 0;
	return lws_partial_buffered(c->wsi) != 0;
}

static void wait_for_writeable(plugin_conn *c)
{
	c->wait_writeable = true;
	lws_callback_on_writable(c->wsi);
}

/* The session has something to write (GQLWS_NOTIFY_WRITE). */
static void conn_want_write(plugin_conn *c)
{
	if (c->flushing)
		return; /* conn_flush looks at the queue again */
	if (c->wait_writeable || direct_write_refused(c)) {
		lws_callback_on_writable(c->wsi);
		return;
	}
	if (lws_dll2_is_detached(&c->flush_node)) {
		lws_dll2_add_tail(&c->flush_node, &c->shared->flush_list);
		flush_soon(c->shared);
	}
}

/* Writes the connection's queued frames, up to FLUSH_FRAMES_PER_TURN. */
static void conn_flush(plugin_conn *c)
{
	unsigned written = 0;
	unsigned char *frame;
	size_t len;

	c->flushing = true;
	for (;;) {
		if (direct_write_refused(c)) {
			wait_for_writeable(c);
			break;
		}
		frame = gqlws_session_peek_frame(c->session, &len);
		if (!frame) {
			/* The close is due only once the queue is empty. */
			if (gqlws_session_close_due(c->session, NULL, NULL, NULL))
				wait_for_writeable(c);
			break;
		}
		if (written == FLUSH_FRAMES_PER_TURN) {
			/* The rest after a turn of the loop (see on_flush). */
			wait_for_writeable(c);
			break;
		}
		/* Asked only with a frame to write: on a compressed connection
		 * it costs a poll(). */
		if (lws_holds_output(c)) {
			wait_for_writeable(c);
			break;
		}
		if (lws_write(c->wsi, frame, len, LWS_WRITE_TEXT) < 0) {
			/* The socket is gone. Only a callback of the connection
			 * can return -1: have lws close it from its timer. */
			c->write_failed = true;
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
			break;
		}
		written++;
		c->shared->writes_direct++;
		/* May deliver op_drained, and the stream's next frame. */
		gqlws_session_frame_sent(c->session);
	}
	c->flushing = false;
}

/* Writes the connections listed before the pass began. What is left for
 * later (a connection at FLUSH_FRAMES_PER_TURN, one listed during the pass)
 * goes on from WRITEABLE, after the loop has waited for events: a timer
 * scheduled now for "right after this pass" would not do, as lws measures
 * the wait that follows a pass from the pass's start, so the loop would
 * sleep about as long as the pass took (measured: W2 on the poll loop lost
 * a third of its rate that way). */
static void on_flush(lws_sorted_usec_list_t *sul)
{
	plugin_vhost *shared = lws_container_of(sul, plugin_vhost, flush_sul);
	uint32_t n = shared->flush_list.count;

	shared->flushing = true;
	while (shared->flush_list.head) {
		plugin_conn *c = lws_container_of(shared->flush_list.head, plugin_conn, flush_node);

		lws_dll2_remove(&c->flush_node);
		if (n) {
			n--;
			conn_flush(c);
		} else {
			wait_for_writeable(c);
		}
	}
	shared->flushing = false;
}

/* The session's one notification per call (gqlws.h): each change is acted
 * on here, at once; the plugin never asks the session after a call. */
static void session_on_notify(void *user, gqlws_session *s, unsigned changes, uint64_t deadline)
{
	plugin_conn *c = user;

	if (changes & GQLWS_NOTIFY_QUEUE)
		queue_bound_tell(&c->shared->queue_bound, &c->queue,
				 gqlws_session_queued_heap_bytes(s));
	if (changes & GQLWS_NOTIFY_WRITE)
		conn_want_write(c);
	if (changes & GQLWS_NOTIFY_CLOSE)
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, CLOSE_GRACE_SECS);
	if (changes & GQLWS_NOTIFY_DEADLINE)
		conn_set_deadline(c, deadline);
}

/* The bound's view of the vhost's connections (plugin_queue_bound.h). */
static plugin_queue_share *queue_walk(void *list, void **cursor)
{
	struct lws_dll2 *p = *cursor ? ((struct lws_dll2 *)*cursor)->next
				     : lws_dll2_get_head((lws_dll2_owner_t *)list);

	*cursor = p;
	return p ? &lws_container_of(p, plugin_conn, node)->queue : NULL;
}

static void queue_evict(void *list, plugin_queue_share *share)
{
	plugin_conn *c = lws_container_of(share, plugin_conn, queue);

	(void)list;
	lwsl_info("lws-graphql-ws: closing a connection with %zu bytes queued: "
		  "send-queue-total-bytes\n", share->heap);
	gqlws_session_evict(c->session, PLUGIN_QUEUE_BOUND_REASON);
}

/* glibc keeps freed chunks in its heap: after an attack (or any burst) of
 * connections that held tens of megabytes, RSS would stay at the peak for
 * good. Once connections that held TRIM_AFTER_BYTES between them are gone,
 * one malloc_trim(0) a moment later gives the free pages back; the delay
 * lets a burst of closes end first, and normal traffic (small sessions,
 * memory reused at once) never gets there. */
#define TRIM_AFTER_BYTES (8u * 1024u * 1024u)
#define TRIM_DELAY_US (500 * LWS_US_PER_MS)
#define LARGE_MESSAGE_BYTES (64u * 1024u)

static void on_trim(lws_sorted_usec_list_t *sul)
{
	plugin_vhost *shared = lws_container_of(sul, plugin_vhost, trim_sul);

	shared->trim_scheduled = false;
	shared->freed_since_trim = 0;
#if defined(__GLIBC__)
	malloc_trim(0);
#endif
}

static void note_freed(plugin_vhost *shared, size_t bytes)
{
	shared->freed_since_trim += bytes;
	if (shared->trim_scheduled || shared->freed_since_trim < TRIM_AFTER_BYTES)
		return;
	shared->trim_scheduled = true;
	lws_sul_schedule(shared->cfg.context, 0, &shared->trim_sul, on_trim, TRIM_DELAY_US);
}

/* Closes the connection if the session asks for it: returns -1 for
 * WRITEABLE to return, after handing lws the code and reason.
 *
 * lws 4.1.6 sends a close frame only if the callback's -1 finds it with
 * nothing else to do, so the close is handed over from WRITEABLE alone, and
 * only once lws has written every byte it was given:
 * - with the unsent tail of a frame still buffered (a partial write to a
 *   client that stopped reading), lws only waits for that tail to drain
 *   (5 s at most) and then drops the connection without the close frame
 *   (close.c, LRS_FLUSHING_BEFORE_CLOSE); lws calls WRITEABLE once the tail
 *   is out, which is as soon as the client reads again;
 * - a -1 from RECEIVE drops the rest of the bytes lws had read, while lws
 *   goes on reading the client's next frames from the wrong offset: the
 *   garbage fails its UTF-8 check and it drops the connection, again
 *   without the close frame.
 * session_on_notify bounds the wait (GQLWS_NOTIFY_CLOSE) for a client that
 * never reads again. */
static int close_if_due(plugin_conn *c)
{
	const char *reason = NULL;
	size_t reason_len = 0;
	uint16_t code = 0;

	if (!gqlws_session_close_due(c->session, &code, &reason, &reason_len))
		return 0;
	if (lws_partial_buffered(c->wsi)) {
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	/* lws may call WRITEABLE again after the close was handed over. */
	if (!c->close_counted && code == LWS_CLOSE_STATUS_POLICY_VIOLATION)
		c->shared->closed_1008++;
	else if (!c->close_counted && code == LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE)
		c->shared->closed_1009++;
	c->close_counted = true;
	lws_close_reason(c->wsi, (enum lws_close_status)code, (unsigned char *)(uintptr_t)reason,
			 reason_len);
	return -1;
}

/* ------------------------------------------------------------- upgrades */

/* Answers a refused upgrade with an HTTP status and a one-line reason, and
 * returns -1 for the callback to return (lws then closes the connection).
 * lws 4.1.6 itself only drops the TCP connection. Usable wherever the
 * request's headers are still attached: HTTP_CONFIRM_UPGRADE (http role)
 * and FILTER_PROTOCOL_CONNECTION (already ws role, which writes HTTP types
 * as they are). */
static int refuse_upgrade(struct lws *wsi, unsigned status, const char *reason)
{
	const char *title = status == 403   ? "Forbidden"
			    : status == 405 ? "Method Not Allowed"
			    : status == 503 ? "Service Unavailable"
					    : "Bad Request";
	unsigned char buf[LWS_PRE + 512];
	char *text = (char *)&buf[LWS_PRE];
	int n;

	n = lws_snprintf(text, sizeof(buf) - LWS_PRE,
			 "HTTP/1.1 %u %s\r\n"
			 "Content-Type: text/plain; charset=utf-8\r\n"
			 "Content-Length: %u\r\n"
			 "%s"
			 "Connection: close\r\n\r\n"
			 "%s\n",
			 status, title, (unsigned)strlen(reason) + 1,
			 status == 405 ? "Allow: GET\r\n" : "", reason);
	lwsl_info("lws-graphql-ws: upgrade refused: %u %s\n", status, reason);
	/* Best effort: the connection is closed either way. */
	if (n > 0 && (size_t)n < sizeof(buf) - LWS_PRE)
		(void)lws_write(wsi, &buf[LWS_PRE], (size_t)n, LWS_WRITE_HTTP_FINAL);
	return -1;
}

/* RFC 6455 4.1: the opening handshake is a GET of HTTP/1.1 or later. lws
 * 4.1.6 upgrades a POST, or an HTTP/1.0 request, as well. Returns -1 after
 * answering, 0 when the request is one. (WebSockets over HTTP/2, RFC 8441,
 * have no request line: lws has checked those itself.) */
static int check_upgrade_request(struct lws *wsi)
{
	char version[16];
	int n;

	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_COLON_PATH) > 0)
		return 0;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0)
		return refuse_upgrade(wsi, 405, "A WebSocket upgrade must be a GET request");
	n = lws_hdr_copy(wsi, version, sizeof(version), WSI_TOKEN_HTTP);
	/* "HTTP/x.y": 1.1 or later, or any later major version. */
	if (n < 8 || strncmp(version, "HTTP/", 5) || version[5] < '1' || version[5] > '9' ||
	    (version[5] == '1' && (version[6] != '.' || version[7] < '1' || version[7] > '9')))
		return refuse_upgrade(wsi, 400, "A WebSocket upgrade needs HTTP/1.1");
	return 0;
}

static const char no_subprotocol_reason[] =
	"Sec-WebSocket-Protocol must name graphql-transport-ws or graphql-ws";

static int conn_filter(struct lws *wsi, plugin_conn *c, plugin_vhost *shared)
{
	const struct lws_protocols *p = lws_get_protocol(wsi);

	if (!shared || shared->shutting_down)
		return refuse_upgrade(wsi, 503, "The server is shutting down");
	if (check_upgrade_request(wsi))
		return -1;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_PROTOCOL) <= 0 &&
	    !(shared->cfg.bind_no_protocol &&
	      gqlws_subprotocol_from_name(p->name) == GQLWS_SUBPROTOCOL_LEGACY))
		return refuse_upgrade(wsi, 400, no_subprotocol_reason);
	memset(c, 0, sizeof(*c));
	c->wsi = wsi;
	c->shared = shared;
	if (shared->executor->conn_open) {
		if (shared->executor->conn_open(shared->exec, wsi, &c->exec_conn))
			return refuse_upgrade(wsi, 403, "The upgrade was refused");
		c->exec_conn_open = true;
	}
	return 0;
}

/* lws 4.1.6 answers a close frame that carries a 1-byte payload, or a code
 * that RFC 6455 7.4 does not allow on the wire from 3000 up (>= 5000), by
 * echoing it; it rewrites only the bad codes below 3000 to 1002. Such a
 * close is a protocol error: answer it with 1002 instead. (A -1 from here
 * drops any bytes read after the close frame: there must be none.) */
static int on_peer_close(struct lws *wsi, plugin_conn *c, const unsigned char *payload, size_t len)
{
	static const char reason[] = "Invalid close frame";
	unsigned code = len >= 2 ? (unsigned)payload[0] << 8 | payload[1] : 0;

	/* lws answers with a close frame: nothing is written directly after
	 * this (conn_want_write). */
	if (c)
		c->peer_closed = true;
	if (len != 1 && code < 5000)
		return 0;
	lws_close_reason(wsi, LWS_CLOSE_STATUS_PROTOCOL_ERR, (unsigned char *)(uintptr_t)reason,
			 sizeof(reason) - 1);
	return -1;
}

/* For an application's own http protocol (protocols[0]), on
 * LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: see lws_gqlws.h. */
int lws_gqlws_confirm_upgrade(struct lws *wsi, const char *upgrade)
{
	static const char *const names[] = { LWS_GQLWS_PROTOCOL_MODERN, LWS_GQLWS_PROTOCOL_LEGACY };
	struct lws_vhost *vh = lws_get_vhost(wsi);
	plugin_vhost *shared = shared_of_vhost(vh);
	char list[128];
	int n;

	if (!upgrade || strcasecmp(upgrade, "websocket"))
		return 0;
	if (!shared)
		return 0; /* not a GraphQL vhost */
	if (shared->shutting_down)
		return refuse_upgrade(wsi, 503, "The server is shutting down");
	if (check_upgrade_request(wsi))
		return -1;
	n = lws_hdr_total_length(wsi, WSI_TOKEN_PROTOCOL);
	if (n <= 0)
		return shared->cfg.bind_no_protocol ? 0
						    : refuse_upgrade(wsi, 400, no_subprotocol_reason);
	/* lws copies the header into 128 bytes and refuses a longer one. */
	if (n >= (int)sizeof(list))
		return refuse_upgrade(wsi, 400,
				      "Sec-WebSocket-Protocol is too long (at most 127 bytes)");
	if (lws_hdr_copy(wsi, list, sizeof(list), WSI_TOKEN_PROTOCOL) < 0)
		return refuse_upgrade(wsi, 400, no_subprotocol_reason);
	/* The names lws would match: comma-separated tokens, blanks around. */
	for (const char *tok = list; *tok;) {
		const char *end = strchr(tok, ',');
		size_t tlen = end ? (size_t)(end - tok) : strlen(tok);

		while (tlen && (*tok == ' ' || *tok == '\t')) {
			tok++;
			tlen--;
		}
		while (tlen && (tok[tlen - 1] == ' ' || tok[tlen - 1] == '\t'))
			tlen--;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (tlen == strlen(names[i]) && !memcmp(tok, names[i], tlen) &&
			    lws_vhost_name_to_protocol(vh, names[i]))
				return 0;
		/* lws gives up on a name of 64 bytes or more before a match. */
		if (tlen >= 64)
			return refuse_upgrade(wsi, 400,
					      "Sec-WebSocket-Protocol names must be shorter than 64 bytes");
		if (!end)
			break;
		tok = end + 1;
	}
	return refuse_upgrade(wsi, 400, no_subprotocol_reason);
}

static int conn_established(struct lws *wsi, plugin_conn *c)
{
	gqlws_callbacks cb = {
		.on_init = c->shared->executor->on_init ? session_on_init : NULL,
		.op_start = session_op_start,
		.op_stop = session_op_stop,
		.op_drained = c->shared->executor->op_drained ? session_op_drained : NULL,
		.on_notify = session_on_notify,
	};
	gqlws_options opts = c->shared->cfg.core;
	gqlws_subprotocol proto = gqlws_subprotocol_from_name(lws_get_protocol(wsi)->name);

	opts.frame_headroom = LWS_PRE;
	opts.notify_queue = c->shared->queue_bound.bound != 0;
	if (plugin_slots_take(&c->shared->slots, c, &c->slot, &c->generation)) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, NULL, 0);
		return -1;
	}
	c->session = gqlws_session_new(proto, &cb, &opts, c, now_ms());
	if (!c->session) {
		plugin_slots_release(&c->shared->slots, c->slot);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, NULL, 0);
		return -1;
	}
	lws_dll2_add_tail(&c->node, &c->shared->conns);
	/* Later deadlines come with on_notify; the first one is read here. */
	conn_set_deadline(c, gqlws_session_next_deadline(c->session));
	return 0;
}

/* Appends one chunk; when the message is complete, feeds it to the session.
 * The session alone decides on max-message-bytes (it owns the option and the
 * answer, close 1009): a chunk is kept only after the session accepted the
 * message's length with it, so nothing beyond the limit is ever buffered. */
static int conn_receive(struct lws *wsi, plugin_conn *c, const void *in, size_t len)
{
	int final = lws_is_final_fragment(wsi);
	size_t n;

	if (lws_is_first_fragment(wsi)) {
		c->rx_len = 0;
		c->binary = lws_frame_is_binary(wsi) != 0;
	}
	/* Most messages arrive whole in one chunk: hand them over from lws's
	 * buffer, so an idle connection holds no reassembly buffer at all.
	 * The session refuses them when too large, or ignores them while it
	 * closes (lws still delivers what the client sends while our close
	 * frame waits to go out). GQLWS_ERR_NOMEM needs nothing here: the
	 * session has asked for its internal-error close, which WRITEABLE
	 * hands to lws (never -1 from RECEIVE: see close_if_due). */
	if (final && !c->rx_len) {
		gqlws_session_receive(c->session, len ? in : (const void *)"", len, c->binary,
				      now_ms());
		/* A large message was parsed, and its parse tree freed. */
		if (len >= LARGE_MESSAGE_BYTES)
			note_freed(c->shared, len);
		return 0;
	}
	if (gqlws_session_message_size(c->session, c->rx_len + len) != GQLWS_OK) {
		/* Over the limit (the session closes 1009), or closing: the
		 * rest of this message, and any after it, is dropped. */
		c->rx_len = 0;
		note_freed(c->shared, c->rx_cap);
		free(c->rx);
		c->rx = NULL;
		c->rx_cap = 0;
		return 0;
	}
	if (c->rx_len + len > c->rx_cap) {
		size_t limit = gqlws_session_options(c->session)->max_message_bytes;
		size_t cap = c->rx_cap ? c->rx_cap : 1024;
		unsigned char *grown;

		while (cap < c->rx_len + len)
			cap = cap > limit / 2 ? limit : cap * 2;
		grown = realloc(c->rx, cap);
		if (!grown) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, NULL, 0);
			return -1;
		}
		c->rx = grown;
		c->rx_cap = cap;
	}
	if (len)
		memcpy(c->rx + c->rx_len, in, len);
	c->rx_len += len;

	if (!final) {
		/* Under permessage-deflate, lws hands over inflated data one
		 * chunk per service round, often with no network data left to
		 * wake the loop; lws 4.1.6's libuv loop (lwsws) runs one such
		 * round per wakeup, so without a nudge a message stalls mid-way. */
		lws_cancel_service(lws_get_context(wsi));
		return 0;
	}
	/* A message that got here spans chunks, so the buffer exists. */
	n = c->rx_len;
	c->rx_len = 0;
	/* GQLWS_ERR_NOMEM: as above, the session closes itself. */
	gqlws_session_receive(c->session, c->rx, n, c->binary, now_ms());
	/* The buffer lives only while a message spans chunks: idle
	 * connections are what a server holds by the thousand. */
	note_freed(c->shared, c->rx_cap);
	free(c->rx);
	c->rx = NULL;
	c->rx_cap = 0;
	return 0;
}

/* One lws_write per WRITEABLE, in place in the frame's LWS_PRE headroom.
 * What follows (the next frame, the close) is asked for by on_notify: the
 * next frames directly when lws took this one whole. */
static int conn_writeable(struct lws *wsi, plugin_conn *c)
{
	unsigned char *frame;
	size_t len;

	/* lws has sent all it held: the frames after this one may go
	 * directly again (see conn_want_write). */
	c->wait_writeable = false;
	/* Should lws call again after the close was handed over, -1 again. */
	if (close_if_due(c))
		return -1;
	frame = gqlws_session_peek_frame(c->session, &len);
	if (!frame) {
		/* Nothing queued: streams paced by the client produce now. */
		gqlws_session_poll_drained(c->session);
		return 0;
	}
	if (lws_write(wsi, frame, len, LWS_WRITE_TEXT) < 0)
		return -1;
	c->shared->writes_writeable++;
	gqlws_session_frame_sent(c->session);
	return 0;
}

/* Everything a connection owns is freed here, whichever way it ends:
 * lws unbinding the protocol, or CLOSED (all that context destroy sends). */
static void conn_release(plugin_conn *c)
{
	if (!c->shared || c->released)
		return;
	c->released = true;
	lws_dll2_remove(&c->flush_node);
	note_freed(c->shared, c->rx_cap);
	if (c->session) {
		queue_bound_forget(&c->shared->queue_bound, &c->queue);
		note_freed(c->shared, gqlws_session_peak_memory_bytes(c->session));
		gqlws_session_closed(c->session);
		gqlws_session_destroy(c->session);
		c->session = NULL;
		lws_dll2_remove(&c->node);
		plugin_slots_release(&c->shared->slots, c->slot);
	}
	if (c->exec_conn_open && c->shared->executor->conn_close)
		c->shared->executor->conn_close(c->shared->exec, c->exec_conn);
	c->exec_conn_open = false;
	c->exec_conn = NULL;
	free(c->rx);
	c->rx = NULL;
	c->rx_cap = c->rx_len = 0;
}

/* ----------------------------------------------------------------- vhost */

/* lws 4.1.6's own write type for close frames (lib/roles/ws/
 * private-lib-roles-ws.h); the public header leaves it out because
 * lws_close_reason() is the normal way, and that needs the loop to run. */
#define PLUGIN_LWS_WRITE_CLOSE ((enum lws_write_protocol)4)

/* Context destroy kills every connection without a close frame and without
 * a callback before it (lwsws does only that on Ctrl-C). The one notice lws
 * gives first is the system state moving to POLICY_INVALID: there each
 * GraphQL connection still open stops its operations and gets its 1001 close
 * frame written at once, as lws itself writes close frames. */
static int on_system_state(struct lws_state_manager *mgr, struct lws_state_notify_link *link,
			   int current, int target)
{
	plugin_vhost *shared = lws_container_of(link, plugin_vhost, state_link);

	(void)mgr;
	(void)current;
	if (target != LWS_SYSTATE_POLICY_INVALID)
		return 0;
	shared->shutting_down = true;
	plugin_redis_stop(shared->redis);
	for (struct lws_dll2 *p = lws_dll2_get_head(&shared->conns); p; p = p->next) {
		plugin_conn *c = lws_container_of(p, plugin_conn, node);
		unsigned char frame[LWS_PRE + 125];
		const char *reason = NULL;
		size_t reason_len = 0;
		uint16_t code = 0;

		/* A session already closing has its close frame with lws. */
		if (gqlws_session_closing(c->session))
			continue;
		/* Drops the queue and requests 1001: the close is due at once,
		 * with a reason of at most 123 bytes (gqlws.h). */
		gqlws_session_shutdown(c->session);
		gqlws_session_close_due(c->session, &code, &reason, &reason_len);
		frame[LWS_PRE] = (unsigned char)(code >> 8);
		frame[LWS_PRE + 1] = (unsigned char)code;
		if (reason_len)
			memcpy(&frame[LWS_PRE + 2], reason, reason_len);
		lws_write(c->wsi, &frame[LWS_PRE], 2 + reason_len, PLUGIN_LWS_WRITE_CLOSE);
	}
	return 0;
}

static void shared_free(plugin_vhost *shared)
{
	lws_sul_cancel(&shared->sweep_sul);
	lws_sul_cancel(&shared->trim_sul);
	lws_sul_cancel(&shared->flush_sul);
	lws_state_reg_deregister(&shared->state_link);
	queue_bound_free(&shared->queue_bound);
	/* No event may reach the hub once it is freed. */
	plugin_redis_destroy(shared->redis);
	if (shared->publish_registered)
		plugin_publish_remove(shared->cfg.vhost);
	if (shared->executor && shared->executor->vhost_destroy)
		shared->executor->vhost_destroy(shared->exec);
	mailbox_destroy(shared->mailbox);
	plugin_slots_free(&shared->slots);
	plugin_config_free(&shared->cfg);
	free(shared);
}

/* PROTOCOL_INIT. lws initialises a vhost's protocols one after the other,
 * before any connection: the first GraphQL protocol only checks its options;
 * the last one builds the shared configuration from both lists and creates
 * the executor, so the result does not depend on the order. */
static int vhost_init_checked(struct lws *wsi, const struct lws_protocol_vhost_options *options,
			      plugin_config_problem *failure);
static int vhost_start_redis(plugin_vhost *shared, const char *protocol,
			     plugin_config_problem *failure);

/* Records why a GraphQL protocol of the vhost failed to initialise, for
 * lws_gqlws_vhost_wait_ready() (lws frees the per-vhost data of a protocol
 * whose PROTOCOL_INIT fails, so the reason is kept aside). */
static int vhost_init(struct lws *wsi, const struct lws_protocol_vhost_options *options)
{
	plugin_config_problem failure = { "" };
	int rc = vhost_init_checked(wsi, options, &failure);

	if (rc)
		plugin_failure_record(lws_get_vhost(wsi), failure.text[0] ? failure.text
									 : "initialisation failed");
	return rc;
}

static int vhost_init_checked(struct lws *wsi, const struct lws_protocol_vhost_options *options,
			      plugin_config_problem *failure)
{
	struct lws_vhost *vh = lws_get_vhost(wsi);
	const struct lws_protocols *self = lws_get_protocol(wsi);
	gqlws_subprotocol proto = gqlws_subprotocol_from_name(self->name);
	const struct lws_protocols *other;
	plugin_vhd *vhd, *other_vhd;
	plugin_option_list own, theirs;
	plugin_vhost *shared;
	int failed = 0;

	if (!proto) {
		lwsl_err("lws-graphql-ws: protocol name \"%s\" must be \"%s\" or \"%s\"\n",
			 self->name, LWS_GQLWS_PROTOCOL_MODERN, LWS_GQLWS_PROTOCOL_LEGACY);
		return -1;
	}
	other = lws_vhost_name_to_protocol(vh, proto == GQLWS_SUBPROTOCOL_LEGACY
							? LWS_GQLWS_PROTOCOL_MODERN
							: LWS_GQLWS_PROTOCOL_LEGACY);
	other_vhd = other ? lws_protocol_vh_priv_get(vh, other) : NULL;
	vhd = lws_protocol_vh_priv_zalloc(vh, self, sizeof(*vhd));
	if (!vhd)
		return -1;
	vhd->options = options;

	if (other && !other_vhd)
		return plugin_config_check(options, self->name, failure) ? -1 : 0;

	own = (plugin_option_list){ true, options };
	theirs = (plugin_option_list){ other != NULL, other_vhd ? other_vhd->options : NULL };
	shared = calloc(1, sizeof(*shared));
	if (!shared) {
		snprintf(failure->text, sizeof(failure->text), "out of memory");
		return -1;
	}
	plugin_slots_init(&shared->slots);
	if (plugin_config_build(&shared->cfg, &shared->executor,
				proto == GQLWS_SUBPROTOCOL_LEGACY ? &own : &theirs,
				proto == GQLWS_SUBPROTOCOL_LEGACY ? &theirs : &own, failure)) {
		shared->executor = NULL;
		shared_free(shared);
		lwsl_err("lws-graphql-ws: vhost \"%s\" not started: bad options\n",
			 lws_get_vhost_name(vh));
		return -1;
	}
	shared->cfg.context = lws_get_context(wsi);
	shared->cfg.vhost = vh;
	queue_bound_init(&shared->queue_bound, shared->cfg.send_queue_total_bytes, queue_walk,
			 queue_evict, &shared->conns);
	shared->mailbox = mailbox_new(shared->cfg.context);
	if (!shared->mailbox) {
		snprintf(failure->text, sizeof(failure->text), "out of memory");
		shared->executor = NULL;
		shared_free(shared);
		return -1;
	}
	if (shared->executor->vhost_create) {
		shared->cfg.failure = shared->exec_failure;
		shared->cfg.failure_size = sizeof(shared->exec_failure);
		shared->exec = shared->executor->vhost_create(vh, &shared->cfg, &failed);
		if (failed) {
			if (shared->exec_failure[0])
				snprintf(failure->text, sizeof(failure->text), "executor \"%s\": %s",
					 shared->executor->name ? shared->executor->name : "?",
					 shared->exec_failure);
			else
				snprintf(failure->text, sizeof(failure->text),
					 "executor \"%s\" failed to start",
					 shared->executor->name ? shared->executor->name : "?");
			lwsl_err("lws-graphql-ws: executor \"%s\" failed to start on vhost \"%s\"\n",
				 shared->executor->name ? shared->executor->name : "?",
				 lws_get_vhost_name(vh));
			shared->executor = NULL;
			shared_free(shared);
			return -1;
		}
	}
	shared->hub = shared->executor->hub ? shared->executor->hub(shared->exec) : NULL;
	if (shared->cfg.redis && vhost_start_redis(shared, self->name, failure)) {
		shared_free(shared);
		return -1;
	}
	if (plugin_publish_add(vh, shared->cfg.context, shared->cfg.core.max_message_bytes,
				 shared->hub != NULL)) {
		snprintf(failure->text, sizeof(failure->text), "out of memory");
		shared_free(shared);
		return -1;
	}
	shared->publish_registered = true;
	shared->state_link.notify_cb = on_system_state;
	shared->state_link.name = "lws-graphql-ws";
	lws_state_reg_notifier(lws_system_get_state_manager(shared->cfg.context),
			       &shared->state_link);
	plugin_failure_forget(vh);
	vhd->shared = shared;
	shared->refs = 1;
	if (other_vhd) {
		other_vhd->shared = shared;
		shared->refs++;
	}
	lwsl_notice("lws-graphql-ws: vhost \"%s\" serves %s%s%s with executor \"%s\"\n",
		    lws_get_vhost_name(vh), self->name, other ? " and " : "",
		    other ? other->name : "", shared->executor->name ? shared->executor->name : "?");
	return 0;
}

/* "redis": attaches the transport to the executor's hub. Nonzero (failure
 * written) when it cannot. */
static int vhost_start_redis(plugin_vhost *shared, const char *protocol,
			     plugin_config_problem *failure)
{
	char why[200];

	if (!shared->hub) {
		snprintf(failure->text, sizeof(failure->text),
			 "option \"redis\" needs an executor with topics (\"schema\"); "
			 "executor \"%s\" has none",
			 shared->executor->name ? shared->executor->name : "custom");
		lwsl_err("lws-graphql-ws: %s\n", failure->text);
		return -1;
	}
	shared->redis = plugin_redis_new(&shared->cfg, shared->hub, protocol, why, sizeof(why));
	if (!shared->redis) {
		snprintf(failure->text, sizeof(failure->text), "%s", why);
		lwsl_err("lws-graphql-ws: %s\n", why);
		return -1;
	}
	return 0;
}

static void vhost_destroy(struct lws *wsi)
{
	plugin_vhd *vhd = vhd_of(wsi);
	plugin_vhost *shared;

	if (!vhd || !vhd->shared)
		return;
	shared = vhd->shared;
	vhd->shared = NULL;
	if (--shared->refs)
		return;
	/* lws closed every connection before PROTOCOL_DESTROY; any left would
	 * outlive their executor, so release them first. */
	while (shared->conns.head)
		conn_release(lws_container_of(shared->conns.head, plugin_conn, node));
	shared_free(shared);
}

/* --------------------------------------------- results from other threads */

typedef struct deliver_ctx {
	plugin_vhost *shared;
} deliver_ctx;

static void deliver_post(void *arg, const lws_gqlws_ticket *ticket, mailbox_kind kind,
			 const char *data, size_t len)
{
	deliver_ctx *d = arg;
	plugin_conn *c = plugin_slots_find(&d->shared->slots, ticket->slot, ticket->generation);
	gqlws_op *op;

	/* A stale ticket (the connection is gone) finds no connection. */
	if (!c)
		return;
	op = gqlws_session_find_op(c->session, ticket->serial);
	if (!op)
		return;
	switch (kind) {
	case MAILBOX_NEXT:
		gqlws_op_next_raw(op, data, len);
		break;
	case MAILBOX_COMPLETE:
		gqlws_op_complete(op);
		break;
	case MAILBOX_FAIL:
		gqlws_op_fail(op, data);
		break;
	}
}

/* An event of lws_gqlws_publish(), on the service thread. */
static void deliver_publish(void *arg, const char *topic, size_t topic_len, const char *json,
			    size_t len)
{
	plugin_vhost *shared = arg;
	const char *why = NULL;
	int rc = gqlws_hub_publish(shared->hub, topic, topic_len, json, len, NULL, &why);

	/* The hub counts refusals; the caller is long gone, so say why here. */
	if (rc != GQLWS_OK)
		lwsl_warn("lws-graphql-ws: lws_gqlws_publish to \"%s\" refused: %s\n", topic,
			  why ? why : "out of memory");
}

lws_gqlws_ticket lws_gqlws_ticket_of(gqlws_op *op)
{
	lws_gqlws_ticket t = { NULL, 0, 0, 0 };
	plugin_conn *c;

	if (!op)
		return t;
	c = gqlws_session_user(gqlws_op_session(op));
	t.mailbox = c->shared->mailbox;
	t.slot = c->slot;
	t.generation = c->generation;
	t.serial = gqlws_op_serial(op);
	return t;
}

struct lws_context *lws_gqlws_op_context(gqlws_op *op)
{
	gqlws_session *s = op ? gqlws_op_session(op) : NULL;
	plugin_conn *c = s ? gqlws_session_user(s) : NULL;

	return c && c->shared ? c->shared->cfg.context : NULL;
}

/* ------------------------------------------------------------ public API */

void lws_gqlws_vhost_shutdown(struct lws_vhost *vh)
{
	plugin_vhost *shared = vh ? shared_of_vhost(vh) : NULL;

	if (!shared)
		return;
	shared->shutting_down = true;
	for (struct lws_dll2 *p = lws_dll2_get_head(&shared->conns); p; p = p->next) {
		plugin_conn *c = lws_container_of(p, plugin_conn, node);

		/* on_notify asks for the write that hands over the close. */
		gqlws_session_shutdown(c->session);
	}
}

bool lws_gqlws_vhost_ready(struct lws_vhost *vh)
{
	return vh && shared_of_vhost(vh);
}

bool plugin_vhost_write_counts(struct lws_vhost *vh, uint64_t *direct, uint64_t *writeable)
{
	plugin_vhost *shared = vh ? shared_of_vhost(vh) : NULL;

	if (!shared)
		return false;
	*direct = shared->writes_direct;
	*writeable = shared->writes_writeable;
	return true;
}

bool plugin_vhost_serves_graphql(struct lws_vhost *vh)
{
	return vh && (lws_vhost_name_to_protocol(vh, LWS_GQLWS_PROTOCOL_MODERN) ||
		      lws_vhost_name_to_protocol(vh, LWS_GQLWS_PROTOCOL_LEGACY));
}

bool plugin_vhost_http_view(struct lws_vhost *vh, plugin_http_view *out)
{
	plugin_vhost *shared = vh ? shared_of_vhost(vh) : NULL;

	memset(out, 0, sizeof(*out));
	if (!shared)
		return false;
	out->cfg = &shared->cfg;
	out->hub = shared->hub;
	out->answers = shared->http_answers;
	return true;
}

bool plugin_vhost_metrics(struct lws_vhost *vh, plugin_metrics *m)
{
	plugin_vhost *shared = vh ? shared_of_vhost(vh) : NULL;

	memset(m, 0, sizeof(*m));
	if (!shared)
		return false;
	for (struct lws_dll2 *p = lws_dll2_get_head(&shared->conns); p; p = p->next) {
		plugin_conn *c = lws_container_of(p, plugin_conn, node);

		if (gqlws_session_subprotocol(c->session) == GQLWS_SUBPROTOCOL_LEGACY)
			m->connections_legacy++;
		else
			m->connections_modern++;
		m->operations += gqlws_session_op_count(c->session);
	}
	m->queue_bound = shared->queue_bound.bound;
	m->queue_bytes = shared->queue_bound.total;
	m->queue_bytes_peak = shared->queue_bound.peak;
	m->closed_1008 = shared->closed_1008;
	m->closed_1009 = shared->closed_1009;
	memcpy(m->publish_answers, shared->http_answers, sizeof(m->publish_answers));
	m->publish_queued = plugin_publish_accepted(vh);
	if (shared->hub) {
		m->has_hub = true;
		gqlws_hub_get_stats(shared->hub, &m->hub);
	}
	if (shared->redis) {
		m->has_redis = true;
		plugin_redis_get_metrics(shared->redis, &m->redis);
	}
	return true;
}

size_t lws_gqlws_vhost_connections(struct lws_vhost *vh)
{
	plugin_vhost *shared = vh ? shared_of_vhost(vh) : NULL;

	return shared ? (size_t)shared->conns.count : 0;
}

int lws_gqlws_vhost_queue_stats(struct lws_vhost *vh, lws_gqlws_queue_stats *out)
{
	plugin_vhost *shared = vh ? shared_of_vhost(vh) : NULL;

	memset(out, 0, sizeof(*out));
	if (!shared)
		return -1;
	out->bound = shared->queue_bound.bound;
	out->bytes = shared->queue_bound.total;
	out->peak = shared->queue_bound.peak;
	out->evictions = shared->queue_bound.evictions;
	return 0;
}

int lws_gqlws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		       size_t len)
{
	plugin_conn *c = user;
	plugin_vhd *vhd;

	/* The Redis transport's raw client sockets are bound to this
	 * protocol (the one protocol lwsws surely puts on the vhost). */
	if (plugin_redis_reason(reason))
		return plugin_redis_callback(wsi, reason, user, in, len);

	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		return vhost_init(wsi, in);

	case LWS_CALLBACK_PROTOCOL_DESTROY:
		vhost_destroy(wsi);
		return 0;

	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		vhd = vhd_of(wsi);
		return conn_filter(wsi, c, vhd ? vhd->shared : NULL);

	/* These come only after FILTER accepted the connection: c is the
	 * pss lws allocated before FILTER, with c->shared set there, and
	 * c->session is set from ESTABLISHED until CLOSED. */
	case LWS_CALLBACK_ESTABLISHED:
		return conn_established(wsi, c);

	case LWS_CALLBACK_RECEIVE:
		return conn_receive(wsi, c, in, len);

	case LWS_CALLBACK_SERVER_WRITEABLE:
		return conn_writeable(wsi, c);

	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		return on_peer_close(wsi, c, in, len);

	/* After FILTER, before ESTABLISHED: lws applies the extension (the
	 * only one lws 4.1.6 has is permessage-deflate) to what we write. */
	case LWS_CALLBACK_CONFIRM_EXTENSION_OKAY:
		if (c)
			c->extension = true;
		return 0;

	/* WSI_DESTROY goes to protocols[0] only, so the protocol's own
	 * unbind (before CLOSED, or instead of it when the upgrade fails
	 * after FILTER) is where pre-ESTABLISHED allocations are freed. */
	case LWS_CALLBACK_CLOSED:
	case LWS_CALLBACK_WS_SERVER_DROP_PROTOCOL:
		if (c)
			conn_release(c);
		return 0;

	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		/* Always 0: nonzero would close lws's own event pipe. */
		vhd = vhd_of(wsi);
		if (vhd && vhd->shared) {
			deliver_ctx d = { vhd->shared };

			mailbox_drain(vhd->shared->mailbox, deliver_post, &d);
			if (vhd->shared->hub)
				plugin_publish_drain(vhd->shared->cfg.vhost, deliver_publish,
						       vhd->shared);
		}
		return 0;

	/* lws binds every new HTTP connection to the vhost's "default"
	 * protocol (graphql-ws in lws-conf), so a file of a mount is served
	 * on this callback. Completing the transaction, as lws's own HTTP
	 * handler does, readies a kept-alive connection for its next
	 * request; without it the next file's headers went out with no body
	 * (a browser's favicon failed with a content-length mismatch). */
	case LWS_CALLBACK_HTTP_FILE_COMPLETION:
		return lws_callback_http_dummy(wsi, reason, user, in, len);

	default:
		return 0;
	}
}

#if !defined(LWS_PLUGIN_STATIC)

static const struct lws_protocols plugin_protocols[] = {
	LWS_GQLWS_PROTOCOL_ENTRY_MODERN,
	LWS_GQLWS_PROTOCOL_ENTRY_LEGACY,
	/* The publish and metrics endpoints, reached through conf mounts
	 * ("origin": "callback://lws-gqlws-http"). */
	LWS_GQLWS_PROTOCOL_ENTRY_ENDPOINTS,
};

/* lws finds the plugin by this symbol: its name is the part of the file name
 * libprotocol_lws_graphql_ws.so after the first '_' (see lws-notes). */
LWS_VISIBLE const lws_plugin_protocol_t lws_graphql_ws = {
	.hdr = { "lws graphql ws", "lws_protocol_plugin", LWS_PLUGIN_API_MAGIC },
	.protocols = plugin_protocols,
	.count_protocols = LWS_ARRAY_SIZE(plugin_protocols),
	.extensions = NULL,
	.count_extensions = 0,
};

#endif

/*
 * gqlws.h - the sans-I/O core of lws-graphql-ws.
 *
 * One gqlws_session per WebSocket connection speaks one GraphQL subprotocol:
 * `graphql-ws` (Apollo's subscriptions-transport-ws) or `graphql-transport-ws`
 * (graphql-ws). The transport feeds it complete messages and the time; the
 * session hands back frames to write, at most one close request, the next
 * deadline it wants a call at, and calls into an executor that runs GraphQL
 * operations. It does no I/O, keeps no clock and depends on cJSON and libc only.
 *
 * Threading: a session and its operations belong to one thread. Every call on
 * a session, and on its operations, must come from that thread.
 *
 * Re-entrancy: callbacks run inside calls into the session. Inside any
 * callback the application may call the gqlws_op_* functions and
 * gqlws_session_accept_init / reject_init / fail_init, but must not destroy
 * the session. op_stop is never called from inside a gqlws_op_* call, so an
 * executor that walks its own list of operations while publishing results
 * will not see that list change under it.
 */
#ifndef GQLWS_H
#define GQLWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header (CMake checks it against the project's). */
#define GQLWS_VERSION_MAJOR 0
#define GQLWS_VERSION_MINOR 1
#define GQLWS_VERSION_PATCH 0
#define GQLWS_VERSION_STRING "0.1.0"
/* One number to compare: 0x00MMmmpp. */
#define GQLWS_VERSION_NUMBER \
	((GQLWS_VERSION_MAJOR << 16) | (GQLWS_VERSION_MINOR << 8) | GQLWS_VERSION_PATCH)

/* ---------------------------------------------------------------- errors */

/* Return codes of the API. Protocol errors of the peer are not API errors: the
 * session answers them itself (an error frame or a close request). */
typedef enum gqlws_status {
	GQLWS_OK = 0,
	GQLWS_ERR_NOMEM = -1,   /* allocation failed; the call says whether the session also closes */
	GQLWS_ERR_CLOSED = -2,  /* the session is closing: nothing more is sent */
	GQLWS_ERR_STATE = -3,   /* not allowed now (operation ended, init not pending, ...) */
	GQLWS_ERR_INVALID = -4, /* bad argument (NULL, malformed JSON text, bad option) */
	GQLWS_ERR_LIMIT = -5,   /* the connection's memory budget would be exceeded */
} gqlws_status;

/* A static English description of a status code. */
const char *gqlws_strerror(int status);

/* ------------------------------------------------------------ subprotocol */

typedef enum gqlws_subprotocol {
	GQLWS_SUBPROTOCOL_LEGACY = 1, /* "graphql-ws" (subscriptions-transport-ws) */
	GQLWS_SUBPROTOCOL_MODERN = 2, /* "graphql-transport-ws" (graphql-ws) */
} gqlws_subprotocol;

/* The Sec-WebSocket-Protocol name of a subprotocol. */
const char *gqlws_subprotocol_name(gqlws_subprotocol proto);

/* The subprotocol with that exact (case-sensitive) name; 0 when none. */
gqlws_subprotocol gqlws_subprotocol_from_name(const char *name);

/* ---------------------------------------------------------------- options */

/* Per-connection limits and timers; the names in comments are the option
 * names of lwsws's ws-protocols block and of gqlws_options_set(). */
typedef struct gqlws_options {
	uint32_t keepalive_ms;     /* "keepalive-ms", default 10000, 0 = off */
	uint32_t init_timeout_ms;  /* "init-timeout-ms", default 3000, 0 = off */
	size_t max_message_bytes;  /* "max-message-bytes", default 1048576 */
	uint32_t max_operations;   /* "max-operations", default 100 */
	size_t max_id_bytes;       /* "max-id-bytes", default 128 */
	/* "send-queue-bytes", default 1048576: heap that frames waiting for
	 * the client may take, each counted at its allocation cost. */
	size_t send_queue_bytes;
	/* "max-connection-bytes", default 8388608: heap the connection's
	 * queue, operations and executor charges may take together (see
	 * "memory per connection" below). */
	size_t max_connection_bytes;
	/* "max-message-values", default 16384: JSON values (objects, arrays,
	 * strings, numbers, literals; not member names) in one incoming
	 * message; more is an invalid message, refused before parsing. A
	 * parsed message costs at most 144 heap bytes per value plus its own
	 * size (cJSON: a 64-byte node per value, a block of at least 32 bytes
	 * per string and per member name), so with the defaults no message
	 * takes more than 3.4 MiB while it is handled (40 MiB for 1 MiB of
	 * [0,0,...] without the bound). */
	size_t max_message_values;
	/* "max-init-payload-bytes", default 65536: the connection_init payload,
	 * measured as its compact JSON text (what the session keeps for the
	 * life of the connection). Larger: the invalid-message answer
	 * (graphql-ws: connection_error then close 4400; graphql-transport-ws:
	 * close 4400), before the init hook runs. */
	size_t max_init_payload_bytes;
	/* Scratch bytes kept in front of every outbound frame, so that a
	 * transport can write in place (libwebsockets needs LWS_PRE). Not an
	 * option name; set by the transport. Default 0. */
	size_t frame_headroom;
	/* Whether on_notify tells changes of the send queue's heap
	 * (GQLWS_NOTIFY_QUEUE): for a transport that bounds the queues of all
	 * its connections together. Not an option name; set by the
	 * transport. Default false. */
	bool notify_queue;
} gqlws_options;

/* Fills *opts with the defaults above. */
void gqlws_options_init(gqlws_options *opts);

/* Sets one option from its name and decimal text value. Returns GQLWS_OK,
 * or GQLWS_ERR_INVALID with a static explanation in *why (if why is not
 * NULL) for an unknown name, a value that is not a whole number, or a value
 * out of range. Unknown names are reported, never ignored silently; a caller
 * that has names of its own tests them first. */
int gqlws_options_set(gqlws_options *opts, const char *name, const char *value, const char **why);

/* True if name is one of the option names gqlws_options_set() knows. */
bool gqlws_options_known(const char *name);

/* ------------------------------------------------------ memory per connection
 *
 * What one connection can make the server hold is bounded by accounting real
 * allocations (as the allocator rounds them), not message bytes:
 *
 * - The send queue counts each waiting frame at its heap cost (header,
 *   transport headroom, payload capacity). Over send_queue_bytes the session
 *   drops what is queued and closes 1008 `Send queue limit exceeded`. Until
 *   the connection is acknowledged the bound is GQLWS_PRE_ACK_QUEUE_BYTES
 *   (or send_queue_bytes if smaller): a few pongs or error messages waiting
 *   for a client that has not even initialised, not thousands.
 * - max_connection_bytes bounds the sum of the send queue, the session, its
 *   operations (with their ids, held start payloads and the index that finds
 *   them by id and serial) and what executors
 *   charged to them with gqlws_op_charge() (documents, plans, per-operation
 *   state). A start that would go over it is answered as an operation error
 *   (`error` for that id, message GQLWS_MEMORY_LIMIT_MESSAGE) and the
 *   connection stays; a frame that would take the queue over it closes 1008
 *   `Connection memory limit exceeded`.
 *
 * Not counted, because they are bounded elsewhere: the message being received
 * (max_message_bytes, only while it arrives), the init payload, and the
 * transport's own per-connection state. */

/* Bound on the send queue (heap bytes) before the connection is acknowledged. */
#define GQLWS_PRE_ACK_QUEUE_BYTES 16384

/* The message of the operation error for a start over max_connection_bytes;
 * executors use it when gqlws_op_charge() returns GQLWS_ERR_LIMIT. */
#define GQLWS_MEMORY_LIMIT_MESSAGE "Connection memory limit exceeded"

/* The heap one malloc(n) takes, as glibc's allocator rounds it (its header
 * included): the unit of every charge. */
size_t gqlws_alloc_bytes(size_t n);

/* The heap a cJSON tree takes (every node, string and key), for charging a
 * tree an operation keeps. 0 for NULL. */
size_t gqlws_json_bytes(const cJSON *item);

/* ------------------------------------------------------------- operations */

typedef struct gqlws_session gqlws_session;

/* One GraphQL operation of a session, owned by the session.
 *
 * Lifetime of the handle, the one rule every executor relies on:
 * - It is valid from op_start on.
 * - gqlws_op_complete, gqlws_op_fail, gqlws_op_refuse and
 *   gqlws_op_refuse_syntax end the operation only when they return GQLWS_OK:
 *   then the handle is gone at once, op_stop is never called for it, and the
 *   executor frees its own state for the operation right there.
 * - On any other return of those calls (GQLWS_ERR_CLOSED, _STATE, _INVALID,
 *   _NOMEM, _LIMIT) nothing ended: the handle stays valid, the executor keeps
 *   its state, and op_stop follows (when the client stops the operation or
 *   the connection closes): free the state there, not before.
 * - After op_stop returns, the handle is gone.
 * Or register the state's free with gqlws_op_on_end() and let the session
 * run it whichever way the operation ends.
 * gqlws_op_next, gqlws_op_next_raw, gqlws_op_charge and the accessors never
 * end an operation. */
typedef struct gqlws_op gqlws_op;

/* What the executor is asked to run. Every pointer is borrowed for the
 * duration of op_start only; copy what must outlive it. */
typedef struct gqlws_request {
	const char *id;             /* operation id as text, NUL-terminated (a number id in its JSON form) */
	const char *query;          /* the GraphQL document text, NUL-terminated */
	size_t query_len;
	const char *operation_name; /* or NULL */
	const cJSON *variables;     /* object, or NULL */
	const cJSON *extensions;    /* object, or NULL */
	/* The connection_init payload (an object) as compact JSON text,
	 * NUL-terminated, or NULL when the init had none. The session keeps
	 * the payload as text, not as a cJSON tree, because a tree costs
	 * tens of times more for the life of the connection: an executor
	 * that needs values from it parses it (cJSON_ParseWithLength), or
	 * better, keeps what it needs from on_init. */
	const char *init_payload_json;
	size_t init_payload_json_len;
} gqlws_request;

/* Sends one result {"data":...,"errors":[...]} of a running operation.
 * The result is borrowed and serialised at once. Returns GQLWS_OK,
 * GQLWS_ERR_CLOSED (session closing: drop the operation's work; op_stop
 * follows later), GQLWS_ERR_STATE (operation already ended) or
 * GQLWS_ERR_NOMEM (out of memory, nothing sent: if the result could not be
 * serialised the connection stays; if its frame could not be queued the
 * session closes with its internal-error code). May make the session close
 * (send queue over its limit). */
int gqlws_op_next(gqlws_op *op, const cJSON *result);

/* Like gqlws_op_next() with a result that is already JSON text (len bytes,
 * trusted to be one JSON object): a result shared by many operations is
 * serialised once and copied into each frame. */
int gqlws_op_next_raw(gqlws_op *op, const char *json, size_t len);

/* Ends the operation normally: sends complete. On GQLWS_OK the handle is gone;
 * on any other return it stays valid and op_stop follows (see gqlws_op). */
int gqlws_op_complete(gqlws_op *op);

/* Ends a running operation with a failure: `error` with this message (legacy:
 * payload {"message":M}; modern: payload [{"message":M}]), and no complete.
 * On GQLWS_OK the handle is gone; on any other return it stays valid and
 * op_stop follows (see gqlws_op). */
int gqlws_op_fail(gqlws_op *op, const char *message);

/* Refuses an operation before any result, with GraphQL errors (a borrowed
 * cJSON array of error objects, each with "message" and optionally
 * "locations", "path", "extensions"). Legacy: data {"errors":[...]} then
 * complete; modern: error with the array. Use it for documents that do not
 * validate; gqlws_op_refuse_syntax() for those that do not parse. Returns
 * GQLWS_ERR_STATE if a result was already sent, GQLWS_ERR_INVALID if errors
 * is not a non-empty array. On GQLWS_OK the handle is gone; on any other
 * return it stays valid and op_stop follows (see gqlws_op). */
int gqlws_op_refuse(gqlws_op *op, const cJSON *errors);

/* Refuses an operation whose document does not parse (a syntax error, or a
 * parser limit such as max-document-tokens), with the same arguments,
 * returns and handle rules as gqlws_op_refuse(). Legacy: as Apollo's server
 * answers it, `error` with the first error object as payload
 * ({"message":"Syntax Error: ...","locations":[...]}) and no complete;
 * modern: error with the array, as gqlws_op_refuse(). */
int gqlws_op_refuse_syntax(gqlws_op *op, const cJSON *errors);

/* Asks for one op_drained callback when the session's send queue is next
 * empty: a stream paced by the client's reading produces its next result
 * there instead of growing the queue. If the queue is empty now, the
 * callback comes when the transport next takes a frame or calls
 * gqlws_session_poll_drained(). */
void gqlws_op_request_drain(gqlws_op *op);

/* Charges bytes of memory the executor holds for this operation (its parsed
 * document, plan, stream state; see gqlws_alloc_bytes) to the connection's
 * budget, max_connection_bytes. Returns GQLWS_OK, GQLWS_ERR_STATE (the
 * operation ended) or GQLWS_ERR_LIMIT: the connection would hold more than
 * its budget, nothing is charged, and the executor frees what it built and
 * ends the operation, normally with gqlws_op_fail(op,
 * GQLWS_MEMORY_LIMIT_MESSAGE) (the client gets `error` for that id and the
 * connection stays). Charge before keeping memory, at op_start or later.
 * Whatever is still charged is released when the operation ends or stops. */
int gqlws_op_charge(gqlws_op *op, size_t bytes);

/* Releases bytes charged earlier (the executor freed part of its state);
 * at most what is charged. Nothing happens after the operation ended. */
void gqlws_op_uncharge(gqlws_op *op, size_t bytes);

/* Makes fn(arg) run once when the operation ends, however it ends (one of
 * the calls above returned GQLWS_OK, op_stop returned, the session was
 * destroyed): the one place to free what the executor keeps for it, so no
 * path frees it twice or never. Cleanups run once the outermost call into
 * the session has returned (never under a caller still using the state),
 * newest first, and must not call into the session. The record is charged
 * to the connection like gqlws_op_charge. Returns GQLWS_OK; otherwise
 * (GQLWS_ERR_INVALID: op NULL or fn NULL; GQLWS_ERR_STATE: the operation
 * ended; GQLWS_ERR_LIMIT; GQLWS_ERR_NOMEM) fn(arg) has already run, when fn
 * is given. */
int gqlws_op_on_end(gqlws_op *op, void (*fn)(void *arg), void *arg);

/* The executor's own pointer for this operation (NULL until set). */
void gqlws_op_set_user(gqlws_op *op, void *user);
void *gqlws_op_user(const gqlws_op *op);

/* The operation's session and its id text (as in gqlws_request.id). */
gqlws_session *gqlws_op_session(const gqlws_op *op);
const char *gqlws_op_id(const gqlws_op *op);

/* A number unique among all operations of this process (never reused), for
 * code that must find an operation again later and must not touch a handle
 * that may have ended meanwhile (see gqlws_session_find_op). */
uint64_t gqlws_op_serial(const gqlws_op *op);

/* ---------------------------------------------------------------- session */

/* The application's side of a session. Every callback gets `user` from
 * gqlws_session_new(). All callbacks but op_start and op_stop are optional. */
typedef struct gqlws_callbacks {
	/* A connection_init arrived with this payload (object or NULL; its
	 * compact text is within max-init-payload-bytes). The payload is
	 * borrowed for this call only: copy what must outlive it, or read
	 * gqlws_session_init_payload_json() later. Answer by calling
	 * gqlws_session_accept_init(), _reject_init() or _fail_init(), here
	 * or later (asynchronous authorisation). If NULL, every init is
	 * accepted without an ack payload. */
	void (*on_init)(void *user, gqlws_session *s, const cJSON *payload);

	/* Start an operation. Results come through gqlws_op_* calls, here or
	 * later. Return 0; a nonzero return is an executor failure and is
	 * answered like gqlws_op_fail(op, "Internal error") unless the op
	 * already ended. */
	int (*op_start)(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req);

	/* Stop an operation that op_start started and that has not ended.
	 * Called exactly once for each such operation: on the client's
	 * stop/complete, on legacy replacement, on terminate, on close and
	 * on session teardown. After it returns the handle is gone. Must not
	 * call into the session. */
	void (*op_stop)(void *user, gqlws_session *s, gqlws_op *op);

	/* The send queue emptied and this operation asked for it with
	 * gqlws_op_request_drain(). */
	void (*op_drained)(void *user, gqlws_session *s, gqlws_op *op);

	/* What changed for the transport (see "notifications to the
	 * transport" below): a bitwise OR of GQLWS_NOTIFY_* in changes, and
	 * the session's next deadline (0: none), which is new when
	 * GQLWS_NOTIFY_DEADLINE is set. Must not call into the session, but
	 * for its accessors (const functions) and gqlws_session_evict(). */
	void (*on_notify)(void *user, gqlws_session *s, unsigned changes, uint64_t deadline);
} gqlws_callbacks;

/* ----------------------------------------------- notifications to the transport
 *
 * The session tells the transport what changed instead of being asked: a
 * transport acts on each on_notify at once and never polls the session after
 * its calls. The contract:
 * - on_notify runs at most once per outermost API call (a transport call, or
 *   an application call made outside any callback), when that call returns,
 *   and only if something below changed; nested calls made from inside
 *   callbacks add to their caller's notification. (Once more when on_notify
 *   itself evicts the session: the close is told by a second call.)
 * - GQLWS_NOTIFY_WRITE: there is something for the transport's next write,
 *   a frame or a close that is due. Set when a frame goes into an empty queue,
 *   when a close is requested, and by gqlws_session_frame_sent() when more is
 *   left (the transport's previous write request was used by that frame).
 *   Asking for a write twice must be harmless (lws_callback_on_writable is).
 * - GQLWS_NOTIFY_CLOSE: a close was requested; once per session. The
 *   close itself is taken from gqlws_session_close_due() at a write.
 * - GQLWS_NOTIFY_DEADLINE: the next deadline changed to `deadline` (0: no
 *   timer). The deadline the session starts with is read once with
 *   gqlws_session_next_deadline() after gqlws_session_new().
 * - Nothing is notified from gqlws_session_new(), gqlws_session_closed() or
 *   gqlws_session_destroy(), nor after gqlws_session_closed(). */
#define GQLWS_NOTIFY_WRITE 0x1u
#define GQLWS_NOTIFY_CLOSE 0x2u
#define GQLWS_NOTIFY_DEADLINE 0x4u
/* The heap the send queue holds changed (a frame queued, taken or dropped):
 * gqlws_session_queued_heap_bytes() has the new figure. Only for a session
 * whose options set notify_queue. Not told by gqlws_session_closed(). */
#define GQLWS_NOTIFY_QUEUE 0x8u

/* Creates a session for one connection. callbacks and opts are copied.
 * Returns NULL on allocation failure or if op_start/op_stop are missing.
 * now_ms is the transport's monotonic clock, in milliseconds; the same
 * clock must be used for every call. */
gqlws_session *gqlws_session_new(gqlws_subprotocol proto, const gqlws_callbacks *callbacks,
				 const gqlws_options *opts, void *user, uint64_t now_ms);

/* Stops every operation still running (op_stop once each) and frees the
 * session with everything it owns. Not from inside a callback. NULL is ok. */
void gqlws_session_destroy(gqlws_session *s);

/* Feeds one complete incoming message: len bytes, binary or text. Replies,
 * operation starts and stops, and close requests all happen inside. A
 * message over max_message_bytes is refused as gqlws_session_message_size()
 * refuses it. A text message must be strict RFC 8259 JSON: UTF-8, no raw
 * control character and no \u0000 in a string, unpaired surrogate escapes
 * refused, nested at most 1000 levels (cJSON's limit), at most
 * max_message_values values; anything else is answered as an invalid
 * message, with a reason that names the problem, before cJSON parses it.
 * Returns GQLWS_OK (also when the message was refused or invalid and
 * answered as such), GQLWS_ERR_CLOSED when the session was already closing
 * (the message is ignored), GQLWS_ERR_INVALID for a NULL session, or NULL
 * data with a nonzero len, and GQLWS_ERR_NOMEM when cJSON ran out of memory
 * parsing a message that passed the check. Running out of memory while the
 * message is answered is not returned: in every case the session has
 * already requested its internal-error close, and the transport has nothing
 * more to do than for any other close. */
int gqlws_session_receive(gqlws_session *s, const void *data, size_t len, bool binary,
			  uint64_t now_ms);

/* The limit on incoming messages, max_message_bytes, is decided here and
 * nowhere else: a transport that receives a message in pieces calls this
 * before it keeps a piece, with the message's length so far (that piece
 * included), and so never holds more than the limit. Returns GQLWS_OK (keep
 * it); GQLWS_ERR_LIMIT when len is over the limit: every operation stops
 * and close 1009 "Message too large" is requested (drop what was kept and
 * the rest of the message); GQLWS_ERR_CLOSED when the session is closing
 * (drop the message: gqlws_session_receive() would ignore it);
 * GQLWS_ERR_INVALID for a NULL session. */
int gqlws_session_message_size(gqlws_session *s, size_t len);

/* Runs the timers that are due at now_ms (keep-alive, init timeout). Call
 * it when the session's deadline (read after gqlws_session_new, then as
 * on_notify moves it) has passed; an early call does nothing harmful. */
void gqlws_session_tick(gqlws_session *s, uint64_t now_ms);

/* The time (same clock as now_ms) at which gqlws_session_tick() wants to
 * be called next, or 0 when no timer is armed. A transport reads it once
 * after gqlws_session_new(); on_notify brings every change after that. */
uint64_t gqlws_session_next_deadline(const gqlws_session *s);

/* The next frame to write (a complete text message), or NULL when the
 * queue is empty. The frame_headroom bytes in front of the returned pointer
 * are writable scratch space. The pointer stays valid until
 * gqlws_session_frame_sent() or gqlws_session_destroy(). */
unsigned char *gqlws_session_peek_frame(gqlws_session *s, size_t *len);

/* The frame from peek_frame was written: drops it. When this empties the
 * queue, operations that asked for it get op_drained. */
void gqlws_session_frame_sent(gqlws_session *s);

/* Delivers op_drained callbacks now if the queue is empty (for a transport
 * that found nothing to write). */
void gqlws_session_poll_drained(gqlws_session *s);

/* Bytes of frames waiting in the queue (payload only). */
size_t gqlws_session_queued_bytes(const gqlws_session *s);

/* The heap the frames waiting in the queue take, each counted at its
 * allocation cost as send_queue_bytes counts it (see "memory per
 * connection"): what a bound over several sessions adds up. Changes are
 * told by GQLWS_NOTIFY_QUEUE. 0 for NULL. */
size_t gqlws_session_queued_heap_bytes(const gqlws_session *s);

/* Closes the session for a bound the transport keeps over several sessions
 * (say, on the heap of all its send queues together): frames not yet taken
 * are dropped at once, and close 1008 with reason is requested (cut to 123
 * bytes; a close requested earlier keeps its code and reason, and is due at
 * once). Operations are not stopped inside this call but at the session's
 * next transport call, at the latest gqlws_session_closed(): so it may be
 * called from inside any callback, of this session (on_notify too) or of
 * another one, and an executor publishing to many sessions never sees its
 * own lists change under it. Returns GQLWS_OK, or GQLWS_ERR_CLOSED when the
 * session was already closing (its queue is dropped all the same) or is
 * gone (nothing happens). */
int gqlws_session_evict(gqlws_session *s, const char *reason);

/* The memory the session accounts now, as max_connection_bytes counts it
 * (see "memory per connection"), and the most it accounted at any time: a
 * transport may give memory back to the system after sessions that held a lot
 * are gone. */
size_t gqlws_session_memory_bytes(const gqlws_session *s);
size_t gqlws_session_peak_memory_bytes(const gqlws_session *s);

/* True when the transport should close the connection now: a close was
 * requested and every frame queued before it has been taken. *code gets the
 * WebSocket close code; *reason (not NUL-terminated, at most 123 bytes,
 * valid until destroy) and *reason_len the reason. Any pointer may be NULL. */
bool gqlws_session_close_due(const gqlws_session *s, uint16_t *code, const char **reason,
			     size_t *reason_len);

/* True once a close has been requested (it may not be due yet). */
bool gqlws_session_closing(const gqlws_session *s);

/* The connection is gone (closed by either side, or dropped): every
 * operation stops; nothing more is queued. Idempotent. */
void gqlws_session_closed(gqlws_session *s);

/* The server is shutting down: every operation stops, frames not yet taken
 * are dropped, and close 1001 is requested. */
void gqlws_session_shutdown(gqlws_session *s);

/* Answers a connection_init that on_init left pending (or that on_init is
 * answering right now). ack_payload: an object sent as the ack's payload, or
 * NULL; ownership passes to the session in every case. Legacy starts held
 * while the init was pending start now, in order. Returns GQLWS_ERR_STATE if
 * no init is pending, GQLWS_ERR_CLOSED if the session is closing. */
int gqlws_session_accept_init(gqlws_session *s, cJSON *ack_payload);

/* Rejects a pending init with a message for the client. Legacy:
 * connection_error {"message":M} then close 1011; modern: close 4403
 * Forbidden. Held legacy starts are dropped. */
int gqlws_session_reject_init(gqlws_session *s, const char *message);

/* The init hook itself failed (for example its auth backend was down).
 * Legacy: as reject; modern: close 4500 with the message as reason. */
int gqlws_session_fail_init(gqlws_session *s, const char *message);

/* The operation of this session with that serial, or NULL if it has ended.
 * Found through an index, without a scan of the session's operations. */
gqlws_op *gqlws_session_find_op(gqlws_session *s, uint64_t serial);

/* Number of operations running or held (legacy starts waiting for init). */
size_t gqlws_session_op_count(const gqlws_session *s);

gqlws_subprotocol gqlws_session_subprotocol(const gqlws_session *s);
void *gqlws_session_user(const gqlws_session *s);
const gqlws_options *gqlws_session_options(const gqlws_session *s);

/* True once connection_ack has been queued. */
bool gqlws_session_acknowledged(const gqlws_session *s);

/* The connection_init payload (an object) as compact JSON text,
 * NUL-terminated, with its length in *len (if len is not NULL), once on_init
 * was called and while the init is pending or accepted; NULL when the init
 * had no payload (absent or null), has not arrived, or was refused. Borrowed:
 * valid until the session is destroyed. */
const char *gqlws_session_init_payload_json(const gqlws_session *s, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* GQLWS_H */

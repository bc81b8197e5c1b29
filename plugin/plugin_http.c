/*
 * plugin_http.c - the vhost's HTTP endpoints: POST <publish-path>/<topic>
 * publishes the body to the executor's hub, GET <metrics-path> answers the
 * Prometheus metrics. lws_gqlws_http_callback() is protocols[0] of an
 * embedding application (LWS_GQLWS_PROTOCOL_ENTRY_HTTP) and, in lwsws, the
 * protocol "lws-gqlws-http" that conf mounts reach
 * ("origin": "callback://lws-gqlws-http"). Every request for another path
 * goes to lws's dummy HTTP callback (404). The text work is in
 * plugin_http_text.c; the vhost's GraphQL state is reached through
 * plugin_vhost_state.h.
 *
 * When each answer goes out (lws 4.1.6, roles/http/server/server.c and
 * roles/h1/ops-h1.c): a POST's body is read after LWS_CALLBACK_HTTP
 * returns, so every POST to the publish path is answered at
 * BODY_COMPLETION, after its body, refused or not: answering earlier and
 * completing the transaction would have lws discard a body it then reads
 * anyway, and call BODY_COMPLETION of a POST with "Content-Length: 0" after
 * the transaction ended. Two exceptions: a Content-Length over
 * max-message-bytes is answered 413 at once, and lws then reads and drops
 * the body (LRS_DISCARD_BODY: nothing of it is kept) when it is at most
 * DISCARD_MAX_BYTES over, else the connection is closed; and an HTTP/1
 * POST without Content-Length is answered 400 and closed (lws would wait
 * for 100 MiB of body). Dropping rather than closing: a server that closes
 * with unread bytes makes TCP reset the connection, and a client still
 * sending its body then loses the answer (Node's fetch reports EPIPE).
 * Other methods have no body and are answered at once.
 */
#include <libwebsockets.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lws_gqlws.h"
#include "plugin_http_text.h"
#include "plugin_vhost_state.h"

/* One request to an endpoint, in lws's per-request storage (zeroed by lws
 * when it binds the protocol; reset at each request of a kept-alive
 * connection). */
typedef struct http_request {
	bool active;         /* a request to the publish path is in progress */
	unsigned status;     /* its answer, decided before the body; 0: publish it */
	const char *reason;  /* status's {"error"} text (static) */
	size_t limit;        /* max-message-bytes */
	char *body;          /* what came so far */
	size_t len;
	size_t cap;
	size_t topic_len;
	char topic[GQLWS_HUB_TOPIC_MAX_BYTES + 1];
} http_request;

_Static_assert(sizeof(http_request) <= LWS_GQLWS_HTTP_PSS_BYTES,
	       "LWS_GQLWS_HTTP_PSS_BYTES must cover the per-request data");

static void request_reset(http_request *r)
{
	if (!r)
		return;
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* Writes a whole answer and ends the transaction (keep-alive goes on).
 * Returns the callback's return: 0, or -1 to close. */
static int answer(struct lws *wsi, unsigned status, const char *type, const char *body,
		  size_t len, const char *allow)
{
	unsigned char head[LWS_PRE + 512], *start = head + LWS_PRE, *p = start;
	unsigned char *end = head + sizeof(head) - 1;
	unsigned char small[LWS_PRE + 512], *frame = small;
	int rc = 0;

	if (lws_add_http_common_headers(wsi, status, type, len, &p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
					(const unsigned char *)"no-store", 8, &p, end))
		return -1;
	if (allow && lws_add_http_header_by_name(wsi, (const unsigned char *)"allow:",
						 (const unsigned char *)allow, (int)strlen(allow),
						 &p, end))
		return -1;
	/* RFC 6750 3: a 401 names the scheme it wants. */
	if (status == 401 && lws_add_http_header_by_name(wsi,
							 (const unsigned char *)"www-authenticate:",
							 (const unsigned char *)"Bearer", 6, &p, end))
		return -1;
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	if (len > sizeof(small) - LWS_PRE) {
		frame = malloc(LWS_PRE + len);
		if (!frame)
			return -1;
	}
	memcpy(frame + LWS_PRE, body, len);
	/* lws keeps whatever the socket did not take. */
	if (lws_write(wsi, frame + LWS_PRE, len, LWS_WRITE_HTTP_FINAL) < 0)
		rc = -1;
	if (frame != small)
		free(frame);
	if (rc || lws_http_transaction_completed(wsi))
		return -1;
	return 0;
}

/* An answer of the publish endpoint: counted by status for the metrics. */
static int publish_answer(struct lws *wsi, unsigned status, const char *reason, size_t subscribers)
{
	plugin_http_view view;
	char body[320];
	size_t len, i;

	if (plugin_vhost_http_view(lws_get_vhost(wsi), &view) &&
	    (i = plugin_http_status_index(status)) < PLUGIN_HTTP_STATUS_COUNT)
		view.answers[i]++;
	if (status == 202)
		len = (size_t)snprintf(body, sizeof(body), "{\"subscribers\":%zu}", subscribers);
	else
		len = plugin_http_error_json(body, sizeof(body), reason);
	return answer(wsi, status, "application/json", body, len,
		      status == 405 ? "POST" : NULL);
}

/* A body at most this much over max-message-bytes is read and dropped
 * after a 413; a larger one closes the connection. */
#define DISCARD_MAX_BYTES (16ull * 1024 * 1024)

/* The answer decided before the body, then closing: the body is not read. */
static int publish_answer_and_close(struct lws *wsi, unsigned status, const char *reason)
{
	(void)publish_answer(wsi, status, reason, 0);
	return -1;
}

static int metrics_answer(struct lws *wsi, bool is_get)
{
	static const char not_get[] = "{\"error\":\"The metrics answer GET only.\"}";
	plugin_metrics m;
	size_t need;
	char *text;
	int rc;

	if (!is_get)
		return answer(wsi, 405, "application/json", not_get, sizeof(not_get) - 1, "GET");
	if (!plugin_vhost_metrics(lws_get_vhost(wsi), &m))
		return -1;
	need = plugin_metrics_format(&m, NULL, 0);
	text = malloc(need + 1);
	if (!text)
		return -1;
	plugin_metrics_format(&m, text, need + 1);
	rc = answer(wsi, 200, "text/plain; version=0.0.4; charset=utf-8", text, need, NULL);
	free(text);
	return rc;
}

/* The request's method, as GET / POST / other (HTTP/2: its :method). */
typedef enum { METHOD_OTHER, METHOD_GET, METHOD_POST } http_method;

static http_method method_of(struct lws *wsi, int meth)
{
	char name[8];

	if (meth == LWSHUMETH_GET)
		return METHOD_GET;
	if (meth == LWSHUMETH_POST)
		return METHOD_POST;
	if (meth != LWSHUMETH_COLON_PATH ||
	    lws_hdr_copy(wsi, name, sizeof(name), WSI_TOKEN_HTTP_COLON_METHOD) <= 0)
		return METHOD_OTHER;
	return !strcmp(name, "GET") ? METHOD_GET : !strcmp(name, "POST") ? METHOD_POST : METHOD_OTHER;
}

/* Longest Authorization header read: "Bearer " and a token of at most
 * 1024 bytes (plugin_config.c), with room for blanks. Longer is wrong. */
#define AUTH_HEADER_MAX 1100

static plugin_http_auth check_token(struct lws *wsi, const char *token)
{
	char header[AUTH_HEADER_MAX + 1];
	int n = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);

	if (n <= 0)
		return PLUGIN_HTTP_AUTH_MISSING;
	if (n > AUTH_HEADER_MAX)
		return PLUGIN_HTTP_AUTH_WRONG;
	n = lws_hdr_copy(wsi, header, sizeof(header), WSI_TOKEN_HTTP_AUTHORIZATION);
	if (n < 0)
		return PLUGIN_HTTP_AUTH_WRONG;
	return plugin_http_bearer_check(header, (size_t)n, token);
}

/* The request's Content-Length: 1 and *out when present, 0 when absent,
 * -1 when it is not a number. */
static int content_length(struct lws *wsi, unsigned long long *out)
{
	char text[24];
	char *end;
	int n;

	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0)
		return 0;
	n = lws_hdr_copy(wsi, text, sizeof(text), WSI_TOKEN_HTTP_CONTENT_LENGTH);
	if (n <= 0 || text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	*out = strtoull(text, &end, 10);
	return errno || *end ? -1 : 1;
}

/* lws 4.1.6 ignores "Expect: 100-continue" (RFC 9110 10.1.1): a client
 * that asks for it (curl does for large bodies) would wait, a second or
 * for good, before sending the body that lws is about to read. Say go on.
 * HTTP/1 only: HTTP/2 clients do not wait for it. */
static int expect_continue(struct lws *wsi)
{
	static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
	unsigned char frame[LWS_PRE + sizeof(go_on)];
	char expect[16];

	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_COLON_PATH) > 0 ||
	    lws_hdr_copy(wsi, expect, sizeof(expect), WSI_TOKEN_HTTP_EXPECT) <= 0 ||
	    strcasecmp(expect, "100-continue"))
		return 0;
	memcpy(frame + LWS_PRE, go_on, sizeof(go_on) - 1);
	return lws_write(wsi, frame + LWS_PRE, sizeof(go_on) - 1, LWS_WRITE_HTTP_HEADERS) < 0 ? -1
											      : 0;
}

/* POST <publish-path>/<topic>, or another method there. */
static int publish_request(struct lws *wsi, http_request *r, const plugin_http_view *view,
			   http_method method, const char *topic, size_t topic_len)
{
	unsigned long long declared = 0;
	const char *invalid;
	int has_length;

	r->active = true;
	r->limit = view->cfg->core.max_message_bytes;
	if (!view->hub || !view->cfg->publish_token) {
		r->status = 404;
		r->reason = view->hub ? "Publishing over HTTP is off: the vhost has no publish-token."
				      : "Publishing over HTTP is off: the vhost's executor has no topics.";
	} else if (method != METHOD_POST) {
		r->status = 405;
		r->reason = "Publish with POST.";
	} else {
		switch (check_token(wsi, view->cfg->publish_token)) {
		case PLUGIN_HTTP_AUTH_MISSING:
			r->status = 401;
			r->reason = "Authorization: Bearer <publish-token> is required.";
			break;
		case PLUGIN_HTTP_AUTH_WRONG:
			r->status = 403;
			r->reason = "The bearer token is not the publish token.";
			break;
		case PLUGIN_HTTP_AUTH_OK:
			invalid = gqlws_hub_topic_invalid(topic, topic_len);
			if (invalid) {
				r->status = 400;
				r->reason = invalid;
				break;
			}
			memcpy(r->topic, topic, topic_len);
			r->topic[topic_len] = '\0';
			r->topic_len = topic_len;
			break;
		}
	}
	if (method != METHOD_POST)
		return publish_answer(wsi, r->status, r->reason, 0);
	has_length = content_length(wsi, &declared);
	if (has_length < 0)
		return publish_answer_and_close(wsi, 400, "Content-Length is not a number.");
	if (has_length && declared > r->limit) {
		unsigned status = r->status ? r->status : 413;
		const char *reason = r->status ? r->reason
					       : "The event is larger than max-message-bytes.";

		r->active = false; /* lws drops the body: no BODY callbacks */
		if (declared - r->limit > DISCARD_MAX_BYTES)
			return publish_answer_and_close(wsi, status, reason);
		return publish_answer(wsi, status, reason, 0);
	}
	/* HTTP/2 ends a body with its stream; HTTP/1 needs the length. */
	if (!has_length && lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_COLON_PATH) <= 0)
		return publish_answer_and_close(wsi, r->status ? r->status : 400,
						r->status ? r->reason
							  : "A publish needs a Content-Length header.");
	return expect_continue(wsi); /* the answer comes at BODY_COMPLETION */
}

static int on_http(struct lws *wsi, http_request *r, void *user, void *in, size_t len)
{
	plugin_http_view view;
	const char *topic = NULL;
	size_t topic_len = 0;
	char *uri = NULL;
	int uri_len = 0, meth;

	request_reset(r);
	if (!plugin_vhost_http_view(lws_get_vhost(wsi), &view))
		return lws_callback_http_dummy(wsi, LWS_CALLBACK_HTTP, user, in, len);
	/* The path from the request line, whether lws reached here through a
	 * mount (which cuts the mountpoint off `in` for a POST only) or as
	 * protocols[0]. */
	meth = lws_http_get_uri_and_method(wsi, &uri, &uri_len);
	if (meth < 0 || !uri || uri_len < 0)
		return lws_callback_http_dummy(wsi, LWS_CALLBACK_HTTP, user, in, len);
	switch (plugin_http_route(uri, (size_t)uri_len, view.cfg->publish_path,
				  view.cfg->metrics_path, &topic, &topic_len)) {
	case PLUGIN_HTTP_METRICS:
		return metrics_answer(wsi, method_of(wsi, meth) == METHOD_GET);
	case PLUGIN_HTTP_PUBLISH:
		if (!r)
			return -1; /* no per-request storage: a protocol entry without the pss size */
		return publish_request(wsi, r, &view, method_of(wsi, meth), topic, topic_len);
	default:
		return lws_callback_http_dummy(wsi, LWS_CALLBACK_HTTP, user, in, len);
	}
}

static int on_body(struct lws *wsi, http_request *r, const void *in, size_t len)
{
	if (r->status || !len)
		return 0; /* refused already: the body is read and dropped */
	/* Only a body without Content-Length (HTTP/2) gets here too long. */
	if (len > r->limit - r->len) {
		free(r->body);
		r->body = NULL;
		r->len = r->cap = 0;
		return publish_answer_and_close(wsi, 413,
						"The event is larger than max-message-bytes.");
	}
	if (r->len + len > r->cap) {
		size_t cap = r->cap ? r->cap : 1024;
		char *grown;

		while (cap < r->len + len)
			cap = cap > r->limit / 2 ? r->limit : cap * 2;
		grown = realloc(r->body, cap);
		if (!grown) {
			r->status = 500;
			r->reason = "Out of memory.";
			return 0;
		}
		r->body = grown;
		r->cap = cap;
	}
	memcpy(r->body + r->len, in, len);
	r->len += len;
	return 0;
}

static int on_body_complete(struct lws *wsi, http_request *r)
{
	plugin_http_view view;
	size_t subscribers = 0;
	const char *why = NULL;
	unsigned status;
	int rc;

	r->active = false;
	if (r->status) {
		status = r->status;
		why = r->reason;
	} else if (!plugin_vhost_http_view(lws_get_vhost(wsi), &view) || !view.hub) {
		status = 404;
		why = "Publishing over HTTP is off.";
	} else {
		rc = gqlws_hub_publish(view.hub, r->topic, r->topic_len, r->len ? r->body : "",
				       r->len, &subscribers, &why);
		status = rc == GQLWS_OK		   ? 202
			 : rc == GQLWS_ERR_INVALID ? 400
			 : rc == GQLWS_ERR_CLOSED  ? 503
						   : 500;
		if (!why)
			why = status == 500 ? "Out of memory." : "The event was refused.";
	}
	free(r->body);
	r->body = NULL;
	r->len = r->cap = 0;
	return publish_answer(wsi, status, why, subscribers);
}

int lws_gqlws_http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			    void *in, size_t len)
{
	http_request *r = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return lws_gqlws_confirm_upgrade(wsi, in);
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* A websocket bound to this protocol (no subprotocol named, or
		 * this one's name): it serves none. */
		return -1;
	case LWS_CALLBACK_HTTP:
		return on_http(wsi, r, user, in, len);
	case LWS_CALLBACK_HTTP_BODY:
		if (r && r->active)
			return on_body(wsi, r, in, len);
		break;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (r && r->active)
			return on_body_complete(wsi, r);
		break;
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		request_reset(r);
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

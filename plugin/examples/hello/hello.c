/* hello.c - a whole GraphQL server on both subprotocols: `{ hello }` is "world", and
 * `subscription { countdown(from: 3) }` sends 3, 2, 1 a quarter second apart, then completes. */
#include <stdio.h>
#include <stdlib.h>
#include <gqlws/lws_gqlws.h>

static const char *const from_arg[] = {"from", "Int!", NULL};
static const gqlws_doc_root_field schema[] = {{GQLWS_DOC_QUERY, "hello", "String!", NULL},
	{GQLWS_DOC_SUBSCRIPTION, "countdown", "Int!", from_arg}, {0, NULL, NULL, NULL}};
typedef struct run { lws_sorted_usec_list_t timer; gqlws_op *op; gqlws_doc_request *req; long left; } run;

static void run_end(void *arg) /* the operation ended, however it ended: its timer stops */
{
	run *r = arg;

	lws_sul_cancel(&r->timer);
	gqlws_doc_request_free(r->req);
	free(r);
}

static void tick(lws_sorted_usec_list_t *timer) /* one result, then the next tick or the end */
{
	run *r = lws_container_of(timer, run, timer);
	char root[64]; /* every root field's value: the request takes what it selected */

	snprintf(root, sizeof(root), "{\"hello\":\"world\",\"countdown\":%ld}", r->left);
	gqlws_doc_request_next(r->req, r->op, root);
	if (--r->left > 0)
		lws_sul_schedule(lws_gqlws_op_context(r->op), 0, &r->timer, tick, LWS_US_PER_SEC / 4);
	else
		gqlws_op_complete(r->op); /* run_end follows */
}

static int op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	gqlws_doc_request *q = gqlws_doc_request_start(op, req, schema, NULL); /* NULL: answered */
	run *r = q ? calloc(1, sizeof(*r)) : NULL;

	(void)exec, (void)conn, (void)s;
	if (!r)
		return q ? (gqlws_doc_request_free(q), -1) : 0; /* -1: the client gets "Internal error" */
	*r = (run){.op = op, .req = q, .left = 1};
	if (gqlws_op_on_end(op, run_end, r))
		return -1; /* run_end has run */
	if (gqlws_doc_request_op_type(q) == GQLWS_DOC_SUBSCRIPTION)
		r->left = gqlws_doc_request_arg(q, 0, "from")->valueint;
	tick(&r->timer);
	return 0;
}

static const lws_gqlws_executor executor = {.name = "hello", .op_start = op_start};
static const struct lws_protocols protocols[] = {LWS_GQLWS_PROTOCOL_ENTRY_HTTP,
	LWS_PLUGIN_PROTOCOL_GRAPHQL_WS, {NULL, NULL, 0, 0, 0, NULL, 0}};

int main(int argc, char **argv)
{
	struct lws_protocol_vhost_options table = {NULL, NULL, LWS_GQLWS_PVO_EXECUTOR_TABLE, (const char *)&executor},
					  pvo = {NULL, &table, LWS_GQLWS_PROTOCOL_MODERN, ""}; /* options of both */
	struct lws_context_creation_info info = {.port = argc > 1 ? atoi(argv[1]) : 7681,
						 .protocols = protocols, .pvo = &pvo};

	return lws_gqlws_serve(&info, 2000); /* until SIGINT or SIGTERM; clients then get 1001 */
}

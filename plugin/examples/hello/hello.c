/* hello.c - a whole GraphQL server over graphql-transport-ws and graphql-ws: `{ hello }` is
 * "world"; `subscription { countdown(from: 3) }` sends 3, 2, 1 a quarter second apart, then
 * completes. Usage: hello PORT. SIGINT or SIGTERM: clients get close 1001, then it exits 0. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <gqlws/lws_gqlws.h>

static const char *const from_arg[] = {"from", "Int!", NULL};
static const gqlws_doc_root_field schema[] = {{GQLWS_DOC_QUERY, "hello", "String!", NULL},
	{GQLWS_DOC_SUBSCRIPTION, "countdown", "Int!", from_arg}, {0, NULL, NULL, NULL}};
static struct lws_context *context;
static volatile sig_atomic_t interrupted;

/* A running operation; a query is a countdown of one result. */
typedef struct countdown { lws_sorted_usec_list_t timer; gqlws_op *op; gqlws_doc_request *req; long left; } countdown;

static void countdown_free(countdown *c) /* its timer stops before it goes */
{
	if (!c)
		return;
	lws_sul_cancel(&c->timer);
	gqlws_doc_request_free(c->req);
	free(c);
}

static void tick(lws_sorted_usec_list_t *timer) /* a result; then the next tick, or complete */
{
	countdown *c = lws_container_of(timer, countdown, timer);
	char root[64]; /* every root field's value: the request picks those it asked for */

	snprintf(root, sizeof(root), "{\"hello\":\"world\",\"countdown\":%ld}", c->left);
	gqlws_doc_request_next(c->req, c->op, root);
	if (--c->left > 0)
		lws_sul_schedule(context, 0, &c->timer, tick, LWS_US_PER_SEC / 4);
	else if (gqlws_op_complete(c->op) == GQLWS_OK) /* else the op lives on until op_stop */
		countdown_free(c);
}

static int op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	gqlws_doc_request *r = gqlws_doc_request_start(op, req, schema, NULL);
	countdown *c = r ? malloc(sizeof(*c)) : NULL;

	(void)exec, (void)conn, (void)s;
	if (!r) /* refused: the client has its GraphQL error */
		return 0;
	if (!c) {
		gqlws_doc_request_free(r);
		return -1; /* the client gets "Internal error" */
	}
	*c = (countdown){.op = op, .req = r, .left = 1};
	if (gqlws_doc_request_op_type(r) == GQLWS_DOC_SUBSCRIPTION)
		c->left = gqlws_doc_field_arg(gqlws_doc_plan_field(gqlws_doc_request_plan(r), 0), "from")->valueint;
	gqlws_op_set_user(op, c);
	tick(&c->timer);
	return 0;
}

static void op_stop(void *exec, void *conn, gqlws_session *s, gqlws_op *op)
{
	(void)exec, (void)conn, (void)s;
	countdown_free(gqlws_op_user(op));
}

static void on_signal(int sig)
{
	interrupted = sig;
	lws_cancel_service(context); /* wakes lws_service() */
}

static int http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	if (reason == LWS_CALLBACK_HTTP_CONFIRM_UPGRADE) /* an upgrade GraphQL cannot take: 400 */
		return lws_gqlws_confirm_upgrade(wsi, in);
	return lws_callback_http_dummy(wsi, reason, user, in, len); /* plain HTTP: 404 */
}

static const lws_gqlws_executor executor = {.name = "hello", .op_start = op_start, .op_stop = op_stop};
static const struct lws_protocols protocols[] = {{"http", http, 0, 0, 0, NULL, 0},
	LWS_PLUGIN_PROTOCOL_GRAPHQL_WS, {NULL, NULL, 0, 0, 0, NULL, 0}};

int main(int argc, char **argv)
{
	/* The plugin's options (both protocols share them): our executor. */
	const struct lws_protocol_vhost_options table = {NULL, NULL, LWS_GQLWS_PVO_EXECUTOR_TABLE,
							 (const char *)&executor};
	const struct lws_protocol_vhost_options pvo = {NULL, &table, LWS_GQLWS_PROTOCOL_MODERN, ""};
	struct lws_context_creation_info info = {.port = argc > 1 ? atoi(argv[1]) : 7681,
						 .protocols = protocols, .pvo = &pvo};
	struct lws_vhost *vh = NULL;
	char why[160] = "no lws context";

	if ((context = lws_create_context(&info)))
		vh = lws_get_vhost_by_name(context, "default");
	if (!vh || lws_gqlws_vhost_wait_ready(context, vh, 2000, why, sizeof(why))) {
		fprintf(stderr, "hello: %s\n", why);
		lws_context_destroy(context);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "hello: listening on port %d\n", lws_get_vhost_listen_port(vh));
	while (!interrupted && lws_service(context, 0) >= 0)
		;
	lws_gqlws_vhost_drain(context, vh, 2000); /* close 1001 to every client, 2 s at most */
	lws_context_destroy(context);
	return 0;
}

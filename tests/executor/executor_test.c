/*
 * executor_test.c - the executor of the end-to-end tests: the demo schema
 * plus `failAfterOne`, `opStats`, `writeStats` and `queueStats`, and an init hook that answers by token
 * (at once, 50 ms later, or failing) and by the Authorization header. Built
 * only into the tests' plugin and host, never into what is installed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"
#include "executor_test.h"
#include "plugin_vhost_state.h"

#define TEST_ASYNC_INIT_US (50 * LWS_US_PER_MS)
#define TEST_AUTH_HEADER_MAX 128

/* What a pending asynchronous init will answer. */
typedef enum test_init_answer {
	TEST_INIT_NONE = 0,
	TEST_INIT_ACCEPT,
	TEST_INIT_REJECT,
} test_init_answer;

/* One connection's state, from conn_open to conn_close. */
typedef struct test_conn {
	struct lws_context *context;
	bool bad_bearer; /* it upgraded with "Authorization: Bearer bad" */
	/* An asynchronous init answer, due when sul fires; cancelled by
	 * conn_close so it never reaches a session that is gone. */
	lws_sorted_usec_list_t sul;
	gqlws_session *pending_session;
	test_init_answer pending_answer;
} test_conn;

/* ---------------------------------------------------------- test fields */

/* Counts include the opStats query itself (started, running). */
static cJSON *resolve_op_stats(demo_vhost *vh)
{
	const demo_op_stats *stats = demo_vhost_op_stats(vh);
	cJSON *value = cJSON_CreateObject();

	if (!value || !cJSON_AddNumberToObject(value, "started", (double)stats->started) ||
	    !cJSON_AddNumberToObject(value, "stopped", (double)stats->stopped) ||
	    !cJSON_AddNumberToObject(value, "running", (double)stats->running)) {
		cJSON_Delete(value);
		return NULL;
	}
	return value;
}

/* The lws vhost of each demo vhost, for writeStats (the demo keeps none).
 * Servers under test have one or two GraphQL vhosts. */
#define TEST_VHOSTS_MAX 8
static struct {
	const demo_vhost *demo;
	struct lws_vhost *vhost;
} test_vhosts[TEST_VHOSTS_MAX];

static void test_vhost_remember(const demo_vhost *demo, struct lws_vhost *vhost)
{
	for (size_t i = 0; i < TEST_VHOSTS_MAX; i++)
		if (!test_vhosts[i].demo || test_vhosts[i].demo == demo) {
			test_vhosts[i].demo = demo;
			test_vhosts[i].vhost = vhost;
			return;
		}
}

static void test_vhost_forget(const demo_vhost *demo)
{
	for (size_t i = 0; i < TEST_VHOSTS_MAX; i++)
		if (test_vhosts[i].demo == demo)
			test_vhosts[i].demo = NULL;
}

/* Frames the plugin wrote directly and from WRITEABLE, vhost-wide, since
 * the server started: tests compare them before and after. */
static cJSON *resolve_write_stats(demo_vhost *vh)
{
	uint64_t direct = 0, writeable = 0;
	cJSON *value;

	for (size_t i = 0; i < TEST_VHOSTS_MAX; i++)
		if (test_vhosts[i].demo == vh)
			plugin_vhost_write_counts(test_vhosts[i].vhost, &direct, &writeable);
	value = cJSON_CreateObject();
	if (!value || !cJSON_AddNumberToObject(value, "direct", (double)direct) ||
	    !cJSON_AddNumberToObject(value, "writeable", (double)writeable)) {
		cJSON_Delete(value);
		return NULL;
	}
	return value;
}

/* send-queue-total-bytes' counters of the vhost (lws_gqlws_queue_stats). */
static cJSON *resolve_queue_stats(demo_vhost *vh)
{
	lws_gqlws_queue_stats stats = { 0 };
	cJSON *value;

	for (size_t i = 0; i < TEST_VHOSTS_MAX; i++)
		if (test_vhosts[i].demo == vh)
			lws_gqlws_vhost_queue_stats(test_vhosts[i].vhost, &stats);
	value = cJSON_CreateObject();
	if (!value || !cJSON_AddNumberToObject(value, "bound", (double)stats.bound) ||
	    !cJSON_AddNumberToObject(value, "bytes", (double)stats.bytes) ||
	    !cJSON_AddNumberToObject(value, "peak", (double)stats.peak) ||
	    !cJSON_AddNumberToObject(value, "evictions", (double)stats.evictions)) {
		cJSON_Delete(value);
		return NULL;
	}
	return value;
}

static cJSON *resolve_fail_after_one(demo_vhost *vh)
{
	(void)vh;
	return cJSON_CreateNumber(1);
}

/* The test fields' types, added to the demo's SDL. Byte counts are Float:
 * send-queue-total-bytes may be set past Int's 32 bits. */
static const char test_sdl[] =
	"extend type Query { opStats: OpStats! writeStats: WriteStats! queueStats: QueueStats! }\n"
	"extend type Subscription { failAfterOne: Int! }\n"
	"type OpStats { started: Int! stopped: Int! running: Int! }\n"
	"type WriteStats { direct: Float! writeable: Float! }\n"
	"type QueueStats { bound: Float! bytes: Float! peak: Float! evictions: Float! }\n";

static const demo_field test_fields[] = {
	{"opStats", GQLWS_DOC_QUERY, DEMO_FIELD_VALUE, resolve_op_stats, NULL},
	{"writeStats", GQLWS_DOC_QUERY, DEMO_FIELD_VALUE, resolve_write_stats, NULL},
	{"queueStats", GQLWS_DOC_QUERY, DEMO_FIELD_VALUE, resolve_queue_stats, NULL},
	{"failAfterOne", GQLWS_DOC_SUBSCRIPTION, DEMO_FIELD_ONE_SHOT, resolve_fail_after_one,
	 "Stream failed"},
};

/* ------------------------------------------------------------ init hook */

static void answer_pending_init(lws_sorted_usec_list_t *sul)
{
	test_conn *c = lws_container_of(sul, test_conn, sul);
	gqlws_session *s = c->pending_session;
	test_init_answer answer = c->pending_answer;

	c->pending_session = NULL;
	c->pending_answer = TEST_INIT_NONE;
	if (answer == TEST_INIT_ACCEPT)
		gqlws_session_accept_init(s, NULL);
	else if (answer == TEST_INIT_REJECT)
		gqlws_session_reject_init(s, "Invalid token");
}

static void answer_later(test_conn *c, gqlws_session *s, test_init_answer answer)
{
	if (!c || !c->context) {
		gqlws_session_fail_init(s, "Auth backend unavailable");
		return;
	}
	c->pending_session = s;
	c->pending_answer = answer;
	lws_sul_schedule(c->context, 0, &c->sul, answer_pending_init, TEST_ASYNC_INIT_US);
}

static void test_on_init(void *exec, void *conn, gqlws_session *s, const cJSON *payload)
{
	test_conn *c = conn;
	const cJSON *token = cJSON_GetObjectItemCaseSensitive(payload, "token");

	(void)exec;
	if (c && c->bad_bearer) {
		gqlws_session_reject_init(s, "Invalid token");
		return;
	}
	if (!token || cJSON_IsNull(token)) {
		gqlws_session_accept_init(s, NULL);
		return;
	}
	const char *text = cJSON_GetStringValue(token);
	if (!text) {
		gqlws_session_reject_init(s, "Invalid token");
	} else if (!strcmp(text, "letmein")) {
		gqlws_session_accept_init(s, NULL);
	} else if (!strcmp(text, "ack")) {
		cJSON *ack = cJSON_CreateObject();
		if (ack && !cJSON_AddStringToObject(ack, "hello", "there")) {
			cJSON_Delete(ack);
			ack = NULL;
		}
		if (ack)
			gqlws_session_accept_init(s, ack); /* takes ack */
		else
			gqlws_session_fail_init(s, "Out of memory");
	} else if (!strcmp(text, "async")) {
		answer_later(c, s, TEST_INIT_ACCEPT);
	} else if (!strcmp(text, "async-reject")) {
		answer_later(c, s, TEST_INIT_REJECT);
	} else if (!strcmp(text, "explode")) {
		gqlws_session_fail_init(s, "Auth backend unavailable");
	} else {
		gqlws_session_reject_init(s, "Invalid token");
	}
}

/* ---------------------------------------------------------- connections */

static int test_conn_open(void *exec, struct lws *wsi, void **conn)
{
	test_conn *c = calloc(1, sizeof(*c));
	char auth[TEST_AUTH_HEADER_MAX];

	(void)exec;
	if (!c)
		return -1;
	c->context = lws_get_context(wsi);
	/* -1 when absent or longer than the buffer: neither is "Bearer bad". */
	c->bad_bearer = lws_hdr_copy(wsi, auth, (int)sizeof(auth), WSI_TOKEN_HTTP_AUTHORIZATION) > 0 &&
			!strcmp(auth, "Bearer bad");
	*conn = c;
	return 0;
}

static void test_conn_close(void *exec, void *conn)
{
	test_conn *c = conn;

	(void)exec;
	if (!c)
		return;
	lws_sul_cancel(&c->sul);
	free(c);
}

static void *test_vhost_create(struct lws_vhost *vh, const lws_gqlws_config *cfg, int *failed)
{
	demo_vhost *exec = demo_vhost_new(cfg, test_sdl, test_fields,
					 sizeof(test_fields) / sizeof(test_fields[0]));

	if (!exec)
		*failed = 1;
	else
		test_vhost_remember(exec, vh);
	return exec;
}

static void test_vhost_destroy(void *exec)
{
	test_vhost_forget(exec);
	demo_exec_vhost_destroy(exec);
}

const lws_gqlws_executor lws_gqlws_test_executor = {
	.name = "test",
	.vhost_create = test_vhost_create,
	.vhost_destroy = test_vhost_destroy,
	.conn_open = test_conn_open,
	.conn_close = test_conn_close,
	.on_init = test_on_init,
	.op_start = demo_exec_op_start,
	.op_stop = demo_exec_op_stop,
	.op_drained = demo_exec_op_drained,
	.option_check = demo_option_check,
};

/*
 * bench_hub: the hub's fan-out alone. 100 sessions of 100 subscriptions
 * each (10,000 operations) listen to one topic with four distinct
 * selections; one event of about 200 bytes is delivered again and again.
 * Prints the time per delivered frame (the group's serialisation shared,
 * the copy into each session's queue) and the serialisations per event;
 * the transport side takes every frame between events, untimed.
 *
 * Usage: bench_hub [events]   (default 200)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gqlws_hub.h"
#include "hub_internal.h"

#define SESSIONS 100
#define OPS_PER_SESSION 100

static const char sdl[] =
	"type Query { a: Int }\n"
	"type Subscription { stock(symbol: String!): Stock! }\n"
	"type Stock { symbol: String! price: Float! change: Float volume: Int name: String\n"
	"  exchange: String currency: String }\n";

static const char *const queries[4] = {
	"subscription { stock(symbol: \"ACME\") { symbol price } }",
	"subscription { stock(symbol: \"ACME\") { symbol price change volume } }",
	"subscription { s: stock(symbol: \"ACME\") { symbol name exchange currency } }",
	"subscription { stock(symbol: \"ACME\") { price change } }",
};

static gqlws_schema *schema;
static hub_topics *topics;
static int started;

static int op_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user;
	(void)s;
	gqlws_schema_request *r = gqlws_schema_request_start(op, schema, req, NULL, 0);
	if (r && hub_topics_listen(topics, schema, "stock.ACME", 10, op, r) == GQLWS_OK)
		started++;
	return 0;
}

static void op_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user;
	(void)s;
	(void)op;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static size_t drain(gqlws_session *s)
{
	size_t n = 0, len;
	while (gqlws_session_peek_frame(s, &len)) {
		gqlws_session_frame_sent(s);
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	int events = argc > 1 ? atoi(argv[1]) : 200;
	cJSON *errors = NULL;
	schema = gqlws_schema_parse(sdl, sizeof sdl - 1, &errors);
	gqlws_hub_options hub_opts;
	gqlws_hub_options_init(&hub_opts);
	topics = hub_topics_new(&hub_opts);
	if (!schema || !topics)
		return 1;

	gqlws_callbacks cb = {.op_start = op_start, .op_stop = op_stop};
	gqlws_options opts;
	gqlws_options_init(&opts);
	opts.max_operations = OPS_PER_SESSION;
	opts.keepalive_ms = 0;
	gqlws_session *sessions[SESSIONS];
	for (int s = 0; s < SESSIONS; s++) {
		sessions[s] = gqlws_session_new(GQLWS_SUBPROTOCOL_MODERN, &cb, &opts, NULL, 1);
		static const char init[] = "{\"type\":\"connection_init\"}";
		gqlws_session_receive(sessions[s], init, sizeof init - 1, false, 1);
		for (int i = 0; i < OPS_PER_SESSION; i++) {
			cJSON *msg = cJSON_CreateObject();
			char id[16];
			snprintf(id, sizeof id, "%d", i);
			cJSON_AddStringToObject(msg, "id", id);
			cJSON_AddStringToObject(msg, "type", "subscribe");
			cJSON_AddStringToObject(cJSON_AddObjectToObject(msg, "payload"), "query",
						queries[(s * OPS_PER_SESSION + i) % 4]);
			char *text = cJSON_PrintUnformatted(msg);
			gqlws_session_receive(sessions[s], text, strlen(text), false, 1);
			cJSON_free(text);
			cJSON_Delete(msg);
		}
		drain(sessions[s]);
	}
	if (started != SESSIONS * OPS_PER_SESSION) {
		fprintf(stderr, "bench_hub: %d of %d subscriptions started\n", started,
			SESSIONS * OPS_PER_SESSION);
		return 1;
	}

	static const char event[] =
		"{\"symbol\":\"ACME\",\"price\":123.45,\"change\":-0.37,\"volume\":1234567,"
		"\"name\":\"Acme Corporation\",\"exchange\":\"NASDAQ\",\"currency\":\"USD\","
		"\"updated\":\"2026-12-01T02:40:00Z\",\"note\":\"a 200-byte event for bench\"}";
	cJSON *value = cJSON_Parse(event);
	double spent = 0;
	size_t frames = 0;
	gqlws_hub_stats before, after;
	hub_topics_stats(topics, &before);
	for (int e = 0; e < events; e++) {
		size_t reached = 0;
		double t0 = now_ns();
		hub_topics_deliver(topics, schema, "stock.ACME", 10, value, event, sizeof event - 1, &reached);
		spent += now_ns() - t0;
		for (int s = 0; s < SESSIONS; s++)
			frames += drain(sessions[s]);
	}
	hub_topics_stats(topics, &after);
	printf("bench_hub: %d events of %zu bytes to %d subscriptions in 4 groups: %.1f ns per delivered "
	       "frame, %.2f serialisations per event, %zu frames\n",
	       events, sizeof event - 1, started, spent / (double)frames,
	       (double)(after.serialisations - before.serialisations) / events, frames);
	cJSON_Delete(value);
	for (int s = 0; s < SESSIONS; s++)
		gqlws_session_destroy(sessions[s]);
	hub_topics_free(topics);
	gqlws_schema_free(schema);
	return 0;
}

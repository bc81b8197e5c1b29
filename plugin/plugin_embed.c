/*
 * plugin_embed.c - what every embedding application would otherwise write
 * around lws_service(): waiting, with a time limit, until a vhost's GraphQL
 * protocols are ready (or saying why they are not), draining them at
 * shutdown with a time limit, and the whole loop of a standalone server.
 * (The protocols[0] for applications with no HTTP of their own is
 * plugin_http.c.)
 */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lws_gqlws.h"
#include "plugin_vhost_state.h"

/* lws_service() does not return on its own while nothing happens; a short
 * timer keeps it returning so that the loops below see the clock. */
#define WAKE_INTERVAL_US (20 * LWS_US_PER_MS)

typedef struct wake_timer {
	lws_sorted_usec_list_t sul;
	struct lws_context *context;
} wake_timer;

static void on_wake(lws_sorted_usec_list_t *sul)
{
	wake_timer *w = lws_container_of(sul, wake_timer, sul);

	lws_sul_schedule(w->context, 0, &w->sul, on_wake, WAKE_INTERVAL_US);
}

static void wake_start(wake_timer *w, struct lws_context *context)
{
	memset(w, 0, sizeof(*w));
	w->context = context;
	lws_sul_schedule(context, 0, &w->sul, on_wake, WAKE_INTERVAL_US);
}

static void wake_stop(wake_timer *w)
{
	lws_sul_cancel(&w->sul);
}

/* Why recent vhosts failed to initialise. lws frees a protocol's per-vhost
 * data when its PROTOCOL_INIT fails, so the reasons live here, keyed by the
 * vhost's address. lws 4.1.6 sends no PROTOCOL_DESTROY to a vhost whose
 * protocols failed, so nothing tells the plugin when that address is free
 * again: an entry is therefore handed out once (the wait that reports it
 * removes it), and a vhost made later at the same address does not inherit
 * it. Entries never reported are forgotten when the address's protocols
 * initialise, or pushed out by newer failures. */
#define FAILURES_KEPT 8

static struct {
	pthread_mutex_t lock;
	unsigned next;
	struct {
		const struct lws_vhost *vh;
		char text[256];
	} entry[FAILURES_KEPT];
} failures = { .lock = PTHREAD_MUTEX_INITIALIZER };

void plugin_failure_record(struct lws_vhost *vh, const char *text)
{
	unsigned slot;

	pthread_mutex_lock(&failures.lock);
	for (slot = 0; slot < FAILURES_KEPT && failures.entry[slot].vh != vh; slot++)
		;
	if (slot == FAILURES_KEPT)
		slot = failures.next++ % FAILURES_KEPT;
	failures.entry[slot].vh = vh;
	snprintf(failures.entry[slot].text, sizeof(failures.entry[slot].text), "%s", text);
	pthread_mutex_unlock(&failures.lock);
}

void plugin_failure_forget(struct lws_vhost *vh)
{
	pthread_mutex_lock(&failures.lock);
	for (unsigned i = 0; i < FAILURES_KEPT; i++)
		if (failures.entry[i].vh == vh)
			failures.entry[i].vh = NULL;
	pthread_mutex_unlock(&failures.lock);
}

/* Moves vh's failure into out; false if it has none. */
static bool take_failure_of(const struct lws_vhost *vh, char *out, size_t size)
{
	bool found = false;

	pthread_mutex_lock(&failures.lock);
	for (unsigned i = 0; i < FAILURES_KEPT && !found; i++)
		if (failures.entry[i].vh == vh) {
			snprintf(out, size, "%s", failures.entry[i].text);
			failures.entry[i].vh = NULL;
			found = true;
		}
	pthread_mutex_unlock(&failures.lock);
	return found;
}

int lws_gqlws_vhost_wait_ready(struct lws_context *context, struct lws_vhost *vh,
			       unsigned timeout_ms, char *why, size_t why_size)
{
	lws_usec_t deadline = lws_now_usecs() + (lws_usec_t)timeout_ms * LWS_US_PER_MS;
	char scratch[1];
	const char *reason = NULL;
	wake_timer wake;

	if (!why || !why_size) {
		why = scratch;
		why_size = sizeof(scratch);
	}
	why[0] = '\0';
	if (!context || !vh) {
		snprintf(why, why_size, "no context or vhost (did lws_create_vhost fail?)");
		return -1;
	}
	if (!plugin_vhost_serves_graphql(vh)) {
		snprintf(why, why_size,
			 "the vhost has neither graphql-transport-ws nor graphql-ws among its protocols");
		return -1;
	}
	wake_start(&wake, context);
	while (!lws_gqlws_vhost_ready(vh)) {
		if (take_failure_of(vh, why, why_size))
			break;
		if (lws_now_usecs() >= deadline)
			reason = "the GraphQL protocols did not initialise in time";
		else if (lws_service(context, 0) < 0)
			reason = "lws_service failed";
		if (reason) {
			snprintf(why, why_size, "%s", reason);
			break;
		}
	}
	wake_stop(&wake);
	return lws_gqlws_vhost_ready(vh) ? 0 : -1;
}

size_t lws_gqlws_vhost_drain(struct lws_context *context, struct lws_vhost *vh,
			     unsigned timeout_ms)
{
	lws_usec_t deadline = lws_now_usecs() + (lws_usec_t)timeout_ms * LWS_US_PER_MS;
	wake_timer wake;

	if (!context || !vh)
		return 0;
	lws_gqlws_vhost_shutdown(vh);
	wake_start(&wake, context);
	while (lws_gqlws_vhost_connections(vh) && lws_now_usecs() < deadline)
		if (lws_service(context, 0) < 0)
			break;
	wake_stop(&wake);
	return lws_gqlws_vhost_connections(vh);
}

/* lws_gqlws_serve's context, for its signal handler: one serve at a time. */
static struct lws_context *serving_context;
static volatile sig_atomic_t serve_stop;

static void on_serve_signal(int sig)
{
	serve_stop = sig;
	lws_cancel_service(serving_context); /* lws_service() returns */
}

#define SERVE_READY_MS 5000

int lws_gqlws_serve(const struct lws_context_creation_info *info, unsigned drain_ms)
{
	struct sigaction stop = { .sa_handler = on_serve_signal }, old_int, old_term;
	struct lws_vhost *vh;
	char why[160];

	serving_context = lws_create_context(info);
	if (!serving_context) {
		lwsl_err("lws-graphql-ws: lws_create_context failed\n");
		return 1;
	}
	vh = lws_get_vhost_by_name(serving_context, "default");
	if (lws_gqlws_vhost_wait_ready(serving_context, vh, SERVE_READY_MS, why, sizeof(why))) {
		lwsl_err("lws-graphql-ws: not serving: %s\n", why);
		lws_context_destroy(serving_context);
		serving_context = NULL;
		return 1;
	}
	serve_stop = 0;
	sigemptyset(&stop.sa_mask);
	sigaction(SIGINT, &stop, &old_int);
	sigaction(SIGTERM, &stop, &old_term);
	lwsl_notice("lws-graphql-ws: listening on port %d\n", lws_get_vhost_listen_port(vh));
	while (!serve_stop && lws_service(serving_context, 0) >= 0)
		;
	lws_gqlws_vhost_drain(serving_context, vh, drain_ms);
	lws_context_destroy(serving_context);
	serving_context = NULL;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return 0;
}

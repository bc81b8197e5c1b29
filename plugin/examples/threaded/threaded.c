/*
 * threaded.c - results produced on a thread of the application's own: one
 * worker thread runs every subscription
 *     subscription { fromThread(count: 3, delayMs: 10, fail: "...") }
 * posting count results {"fromThread": i}, delayMs apart, then complete (or a
 * failure with the message fail, when given) through the plugin's
 * thread-safe path: a ticket taken in op_start, lws_gqlws_post_next /
 * _complete / _fail from the worker. An operation that stops needs no word to
 * the worker: the plugin drops posts for operations that have ended. The
 * worker is joined in vhost_destroy, before the plugin frees what it posts to.
 *
 * Usage: threaded PORT [option=value ...] (plugin options, e.g. keepalive-ms=0).
 * SIGINT or SIGTERM: clients get close 1001, the worker is joined, exit 0.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strdup under -std=c11 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gqlws/lws_gqlws.h>

#define MAX_OPTIONS 32

static const char *const from_thread_args[] = {"count", "Int", "delayMs", "Int", "fail", "String", NULL};
static const gqlws_doc_root_field schema[] = {
	{GQLWS_DOC_SUBSCRIPTION, "fromThread", "Int!", from_thread_args},
	{0, NULL, NULL, NULL},
};

/* One operation, handed from the service thread to the worker. */
typedef struct job {
	struct job *next;
	lws_gqlws_ticket ticket; /* where its results go, from any thread */
	int count;
	int delay_ms;
	char *fail_message; /* NULL: complete */
	char key[];         /* the field's response key ("fromThread", or its alias) */
} job;

/* The executor's vhost state: a queue of jobs and the thread that runs them. */
typedef struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake; /* a job was queued, or quit was set */
	job *head, *tail;
	bool quit;
} worker;

static void job_free(job *j)
{
	free(j->fail_message);
	free(j);
}

/* Waits until quit is set or ms have passed; true when it is time to quit. */
static bool wait_or_quit(worker *w, int ms)
{
	struct timespec until;
	bool quit;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->quit && ms > 0 && pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
		;
	quit = w->quit;
	pthread_mutex_unlock(&w->lock);
	return quit;
}

/* Runs one job: its results, then its end, all posted from this thread. */
static void run_job(worker *w, job *j)
{
	size_t size = strlen(j->key) + 32; /* {"data":{"KEY":-2147483648}} */
	char *json = malloc(size);

	if (!json) {
		lws_gqlws_post_fail(&j->ticket, "Internal error");
		return;
	}
	for (int i = 0; i < j->count; i++) {
		int n = snprintf(json, size, "{\"data\":{\"%s\":%d}}", j->key, i);

		if (wait_or_quit(w, j->delay_ms)) {
			free(json);
			return; /* shutting down: the connection is closing anyway */
		}
		lws_gqlws_post_next(&j->ticket, json, (size_t)n);
	}
	free(json);
	if (j->fail_message)
		lws_gqlws_post_fail(&j->ticket, j->fail_message);
	else
		lws_gqlws_post_complete(&j->ticket);
}

static void *worker_main(void *arg)
{
	worker *w = arg;

	for (;;) {
		job *j;

		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->quit)
			pthread_cond_wait(&w->wake, &w->lock);
		j = w->quit ? NULL : w->head;
		if (j && !(w->head = j->next))
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		if (!j)
			return NULL;
		run_job(w, j);
		job_free(j);
	}
}

/* ------------------------------------------------------------- the executor */

static void *worker_start(struct lws_vhost *vh, const lws_gqlws_config *cfg, int *failed)
{
	worker *w = calloc(1, sizeof(*w));

	(void)vh, (void)cfg;
	if (!w || pthread_mutex_init(&w->lock, NULL)) {
		free(w);
		*failed = 1;
		return NULL;
	}
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w)) {
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		*failed = 1;
		return NULL;
	}
	return w;
}

/* The plugin frees the vhost's mailbox after this returns: the worker must
 * have stopped posting, so it is joined here. */
static void worker_stop(void *exec)
{
	worker *w = exec;

	pthread_mutex_lock(&w->lock);
	w->quit = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while (w->head) {
		job *next = w->head->next;

		job_free(w->head);
		w->head = next;
	}
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* An Int argument between 0 and max, or fallback when it is absent or out of range. */
static int int_arg(const gqlws_doc_field *f, const char *name, int fallback, int max)
{
	const cJSON *v = gqlws_doc_field_arg(f, name);

	return cJSON_IsNumber(v) && v->valueint >= 0 && v->valueint <= max ? v->valueint : fallback;
}

static int op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	worker *w = exec;
	gqlws_doc_request *r = gqlws_doc_request_start(op, req, schema, NULL);
	const gqlws_doc_field *f = r ? gqlws_doc_plan_field(gqlws_doc_request_plan(r), 0) : NULL;
	const cJSON *fail = f ? gqlws_doc_field_arg(f, "fail") : NULL;
	job *j = f ? calloc(1, sizeof(*j) + strlen(gqlws_doc_field_key(f)) + 1) : NULL;

	(void)conn, (void)s;
	if (!r) /* refused: the client has its GraphQL error */
		return 0;
	if (!j || (cJSON_IsString(fail) && !(j->fail_message = strdup(fail->valuestring)))) {
		free(j);
		gqlws_doc_request_free(r);
		return -1;
	}
	j->ticket = lws_gqlws_ticket_of(op);
	j->count = int_arg(f, "count", 3, 100000);
	j->delay_ms = int_arg(f, "delayMs", 10, 60000);
	strcpy(j->key, gqlws_doc_field_key(f));
	gqlws_doc_request_free(r); /* the job has all it needs */

	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/* Nothing to do: the worker's later posts for this operation are dropped. */
static void op_stop(void *exec, void *conn, gqlws_session *s, gqlws_op *op)
{
	(void)exec, (void)conn, (void)s, (void)op;
}

static const lws_gqlws_executor executor = {
	.name = "threaded",
	.vhost_create = worker_start,
	.vhost_destroy = worker_stop,
	.op_start = op_start,
	.op_stop = op_stop,
};

/* ------------------------------------------------------------------- main */

static struct lws_context *context;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
	lws_cancel_service(context);
}

static const struct lws_protocols protocols[] = {
	LWS_GQLWS_PROTOCOL_ENTRY_HTTP, /* upgrades GraphQL cannot take get 400 */
	LWS_PLUGIN_PROTOCOL_GRAPHQL_WS,
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	/* The plugin's options: the executor table, then name=value arguments. */
	struct lws_protocol_vhost_options options[MAX_OPTIONS + 1] = {
		{NULL, NULL, LWS_GQLWS_PVO_EXECUTOR_TABLE, (const char *)&executor},
	};
	struct lws_protocol_vhost_options pvo = {NULL, options, LWS_GQLWS_PROTOCOL_MODERN, ""};
	struct lws_context_creation_info info = {.protocols = protocols, .pvo = &pvo};
	struct lws_vhost *vh = NULL;
	char why[200] = "no lws context";

	if (argc < 2 || argc - 2 > MAX_OPTIONS) {
		fprintf(stderr, "usage: threaded PORT [option=value ...] (at most %d)\n", MAX_OPTIONS);
		return 2;
	}
	info.port = atoi(argv[1]);
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			fprintf(stderr, "threaded: \"%s\" is not option=value\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		options[i - 1] = (struct lws_protocol_vhost_options){NULL, NULL, argv[i], eq + 1};
		options[i - 2].next = &options[i - 1];
	}

	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	context = lws_create_context(&info);
	if (context)
		vh = lws_get_vhost_by_name(context, "default");
	if (!vh || lws_gqlws_vhost_wait_ready(context, vh, 2000, why, sizeof(why))) {
		fprintf(stderr, "threaded: cannot serve: %s\n", why);
		lws_context_destroy(context);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "threaded: listening on port %d\n", lws_get_vhost_listen_port(vh));

	while (!interrupted && lws_service(context, 0) >= 0)
		;
	lws_gqlws_vhost_drain(context, vh, 2000);
	lws_context_destroy(context); /* vhost_destroy joins the worker */
	return 0;
}

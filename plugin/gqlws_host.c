/*
 * gqlws_host.c - the embedding example: a small server on Debian's
 * libwebsockets that serves graphql-transport-ws and graphql-ws from the
 * static plugin library, with its executor and options from the command line.
 * It is also the fast target of the end-to-end tests.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, nanosleep under -std=c11 */
#include <libwebsockets.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lws_gqlws.h"

#define MAX_SETS 64
#define SHUTDOWN_GRACE_MS 2000

static volatile sig_atomic_t interrupted;
static struct lws_context *context;

/* -------------------------------------------------------------- http side */

/* protocols[0]: plain http answers 404; a websocket upgrade that the
 * GraphQL vhost cannot serve is answered with an HTTP status first (lws
 * alone only drops it), and one that lws bound here anyway is refused. */
static int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			 void *in, size_t len)
{
	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return lws_gqlws_confirm_upgrade(wsi, in);
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return -1;
	case LWS_CALLBACK_HTTP:
		if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL))
			return -1;
		return lws_http_transaction_completed(wsi);
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
	{ "http", http_callback, 0, 0, 0, NULL, 0 },
	LWS_GQLWS_PROTOCOL_ENTRY_MODERN,
	LWS_GQLWS_PROTOCOL_ENTRY_LEGACY,
	{ NULL, NULL, 0, 0, 0, NULL, 0 } /* 4.1.6 has no LWS_PROTOCOL_LIST_TERM */
};

/* ------------------------------------------------- a threaded executor */

/* `--executor threaded`: every operation is answered by a worker thread
 * through the thread-safe path (lws_gqlws_post_*): variables.count results
 * {"data":{"fromThread":i}} (default 3), variables.delayMs apart (default
 * 10), then complete, or a failure with variables.fail (a string) as its
 * message when given. Stopped operations need no signal to the worker: the
 * plugin drops posts for operations that have ended. */
typedef struct threaded_job {
	struct threaded_job *next;
	lws_gqlws_ticket ticket;
	int count;
	int delay_ms;
	char *fail_message; /* owned; NULL: complete */
} threaded_job;

typedef struct threaded_exec {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	threaded_job *head, *tail;
	int quit;
} threaded_exec;

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void *threaded_worker(void *arg)
{
	threaded_exec *te = arg;

	for (;;) {
		threaded_job *job;

		pthread_mutex_lock(&te->lock);
		while (!te->head && !te->quit)
			pthread_cond_wait(&te->wake, &te->lock);
		if (te->quit) {
			pthread_mutex_unlock(&te->lock);
			return NULL;
		}
		job = te->head;
		te->head = job->next;
		if (!te->head)
			te->tail = NULL;
		pthread_mutex_unlock(&te->lock);

		for (int i = 0; i < job->count; i++) {
			char json[64];
			int quit;
			int n;

			pthread_mutex_lock(&te->lock);
			quit = te->quit;
			pthread_mutex_unlock(&te->lock);
			if (quit)
				break;

			if (job->delay_ms)
				sleep_ms(job->delay_ms);
			n = snprintf(json, sizeof(json), "{\"data\":{\"fromThread\":%d}}", i);
			lws_gqlws_post_next(&job->ticket, json, (size_t)n);
		}
		if (job->fail_message)
			lws_gqlws_post_fail(&job->ticket, job->fail_message);
		else
			lws_gqlws_post_complete(&job->ticket);
		free(job->fail_message);
		free(job);
	}
}

static void *threaded_vhost_create(struct lws_vhost *vh, const lws_gqlws_config *cfg,
				   int *failed)
{
	threaded_exec *te = calloc(1, sizeof(*te));

	(void)vh;
	(void)cfg;
	if (!te) {
		*failed = 1;
		return NULL;
	}
	pthread_mutex_init(&te->lock, NULL);
	pthread_cond_init(&te->wake, NULL);
	if (pthread_create(&te->thread, NULL, threaded_worker, te)) {
		pthread_cond_destroy(&te->wake);
		pthread_mutex_destroy(&te->lock);
		free(te);
		*failed = 1;
		return NULL;
	}
	return te;
}

/* Joins the worker before the plugin frees the mailbox it posts to. */
static void threaded_vhost_destroy(void *exec)
{
	threaded_exec *te = exec;

	pthread_mutex_lock(&te->lock);
	te->quit = 1;
	pthread_cond_signal(&te->wake);
	pthread_mutex_unlock(&te->lock);
	pthread_join(te->thread, NULL);
	while (te->head) {
		threaded_job *next = te->head->next;

		free(te->head->fail_message);
		free(te->head);
		te->head = next;
	}
	pthread_cond_destroy(&te->wake);
	pthread_mutex_destroy(&te->lock);
	free(te);
}

static int int_variable(const cJSON *vars, const char *name, int fallback, int max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(vars, name);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max)
		return fallback;
	return (int)v->valuedouble;
}

static int threaded_op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
			     const gqlws_request *req)
{
	threaded_exec *te = exec;
	threaded_job *job = calloc(1, sizeof(*job));
	const cJSON *fail;

	(void)conn;
	(void)s;
	if (!job)
		return -1;
	job->ticket = lws_gqlws_ticket_of(op);
	job->count = int_variable(req->variables, "count", 3, 100000);
	job->delay_ms = int_variable(req->variables, "delayMs", 10, 60000);
	fail = cJSON_GetObjectItemCaseSensitive(req->variables, "fail");
	if (cJSON_IsString(fail)) {
		job->fail_message = strdup(fail->valuestring);
		if (!job->fail_message) {
			free(job);
			return -1;
		}
	}

	pthread_mutex_lock(&te->lock);
	if (te->tail)
		te->tail->next = job;
	else
		te->head = job;
	te->tail = job;
	pthread_cond_signal(&te->wake);
	pthread_mutex_unlock(&te->lock);
	return 0;
}

static void threaded_op_stop(void *exec, void *conn, gqlws_session *s, gqlws_op *op)
{
	(void)exec;
	(void)conn;
	(void)s;
	(void)op;
}

static const lws_gqlws_executor threaded_executor = {
	.name = "threaded",
	.vhost_create = threaded_vhost_create,
	.vhost_destroy = threaded_vhost_destroy,
	.op_start = threaded_op_start,
	.op_stop = threaded_op_stop,
};

/* ------------------------------------------------------------ command line */

typedef struct host_args {
	int port;
	const char *iface;
	const char *executor;
	bool bind_no_protocol;
	int log_level;
	/* name=value options in the order given, as pvo nodes. */
	struct lws_protocol_vhost_options sets[MAX_SETS];
	char *set_text[MAX_SETS];
	int set_count;
} host_args;

static void usage(FILE *to)
{
	fprintf(to, "usage: gqlws-host [--port N (default 7681)] [--interface ADDR (default 127.0.0.1)]\n"
		    "                  [--executor demo|test|threaded (default demo)]\n"
		    "                  [--set name=value ...] [--bind-no-protocol] [--log-level N]\n"
		    "--set passes any plugin option (README options, tick-ms, ...);\n"
		    "--bind-no-protocol serves clients that send no Sec-WebSocket-Protocol as graphql-ws.\n");
}

static int parse_int(const char *text, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_args(int argc, char **argv, host_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(arg, "--bind-no-protocol")) {
			a->bind_no_protocol = true;
		} else if (!val) {
			fprintf(stderr, "gqlws-host: %s needs a value\n", arg);
			return -1;
		} else if (!strcmp(arg, "--port")) {
			if (parse_int(val, 0, 65535, &a->port)) {
				fprintf(stderr, "gqlws-host: bad port \"%s\"\n", val);
				return -1;
			}
			i++;
		} else if (!strcmp(arg, "--interface")) {
			a->iface = val;
			i++;
		} else if (!strcmp(arg, "--executor")) {
			if (strcmp(val, "demo") && strcmp(val, "test") && strcmp(val, "threaded")) {
				fprintf(stderr, "gqlws-host: executor must be demo, test or threaded\n");
				return -1;
			}
			a->executor = val;
			i++;
		} else if (!strcmp(arg, "--log-level")) {
			if (parse_int(val, 0, 0xffff, &a->log_level)) {
				fprintf(stderr, "gqlws-host: bad log level \"%s\"\n", val);
				return -1;
			}
			i++;
		} else if (!strcmp(arg, "--set")) {
			char *eq, *copy;

			if (a->set_count == MAX_SETS) {
				fprintf(stderr, "gqlws-host: at most %d --set options\n", MAX_SETS);
				return -1;
			}
			eq = strchr(val, '=');
			if (!eq || eq == val) {
				fprintf(stderr, "gqlws-host: --set wants name=value, got \"%s\"\n", val);
				return -1;
			}
			copy = strdup(val);
			if (!copy)
				return -1;
			copy[eq - val] = '\0';
			a->set_text[a->set_count] = copy;
			a->sets[a->set_count].name = copy;
			a->sets[a->set_count].value = copy + (eq - val) + 1;
			a->set_count++;
			i++;
		} else {
			fprintf(stderr, "gqlws-host: unknown argument \"%s\"\n", arg);
			usage(stderr);
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ main */

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
	/* lws_service() ignores its timeout: wake the loop so it sees the flag. */
	if (context)
		lws_cancel_service(context);
}

int main(int argc, char **argv)
{
	host_args a = { .port = 7681, .iface = "127.0.0.1", .executor = "demo",
			.log_level = LLL_ERR | LLL_WARN };
	/* Both protocols share one option list; graphql-ws may carry "default"
	 * in front of it (lws's header-less binding). The plugin's options are
	 * the --set ones, then executor and bind-no-protocol. */
	struct lws_protocol_vhost_options opt_executor = { NULL, NULL, "executor", NULL };
	struct lws_protocol_vhost_options opt_table = { NULL, NULL, LWS_GQLWS_PVO_EXECUTOR_TABLE,
							 (const char *)(const void *)&threaded_executor };
	struct lws_protocol_vhost_options opt_bind = { NULL, NULL, "bind-no-protocol", "1" };
	struct lws_protocol_vhost_options opt_default = { NULL, NULL, "default", "1" };
	struct lws_protocol_vhost_options pvo_legacy = { NULL, NULL, LWS_GQLWS_PROTOCOL_LEGACY, "" };
	struct lws_protocol_vhost_options pvo_modern = { &pvo_legacy, NULL, LWS_GQLWS_PROTOCOL_MODERN,
							 "" };
	const struct lws_protocol_vhost_options *shared = NULL;
	struct lws_context_creation_info info;
	struct lws_vhost *vh;
	char why[200];
	size_t left;
	int rc = 1;

	if (parse_args(argc, argv, &a))
		goto out;
	lws_set_log_level(a.log_level, NULL);

	/* Build the list back to front: sets, executor, bind-no-protocol. */
	if (a.bind_no_protocol) {
		opt_bind.next = shared;
		shared = &opt_bind;
	}
	for (int i = 0; i < a.set_count; i++)
		if (!strcmp(a.sets[i].name, "executor"))
			a.executor = NULL; /* --set executor=... wins */
	if (!a.executor) {
		/* the --set option names the executor */
	} else if (!strcmp(a.executor, "threaded")) {
		opt_table.next = shared;
		shared = &opt_table;
	} else {
		opt_executor.value = a.executor;
		opt_executor.next = shared;
		shared = &opt_executor;
	}
	for (int i = a.set_count - 1; i >= 0; i--) {
		a.sets[i].next = shared;
		shared = &a.sets[i];
	}
	pvo_modern.options = shared;
	if (a.bind_no_protocol) {
		opt_default.next = shared;
		pvo_legacy.options = &opt_default;
	} else {
		pvo_legacy.options = shared;
	}

	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	context = lws_create_context(&info);
	if (!context) {
		fprintf(stderr, "gqlws-host: lws context creation failed\n");
		goto out;
	}

	memset(&info, 0, sizeof(info));
	info.port = a.port;
	info.iface = a.iface;
	info.protocols = protocols;
	info.pvo = &pvo_modern;
	info.vhost_name = "gqlws-host";
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
	/* With IPv6 on, lws 4.1.6 listens on every address (::) whatever IPv4
	 * interface it is given: an IPv4 address or name means IPv4 only. */
	if (!strchr(a.iface, ':'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	vh = lws_create_vhost(context, &info);
	if (!vh) {
		fprintf(stderr, "gqlws-host: cannot serve on %s port %d (bad option, or address in use; "
				"see the log above)\n", a.iface, a.port);
		goto out_context;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (lws_gqlws_vhost_wait_ready(context, vh, 1000, why, sizeof(why))) {
		fprintf(stderr, "gqlws-host: the GraphQL protocols did not start: %s\n", why);
		goto out_context;
	}

	printf("gqlws-host: listening on ws://%s:%d/\n", a.iface, lws_get_vhost_listen_port(vh));
	fflush(stdout);

	while (!interrupted)
		if (lws_service(context, 0) < 0)
			break;

	/* Graceful part: every client gets close 1001 after its operations
	 * stopped; then whatever is left is dropped by the context destroy. */
	left = lws_gqlws_vhost_drain(context, vh, SHUTDOWN_GRACE_MS);
	if (left)
		fprintf(stderr, "gqlws-host: %zu connection(s) still open after %d ms: dropped\n",
			left, SHUTDOWN_GRACE_MS);
	rc = 0;

out_context:
	lws_context_destroy(context);
	context = NULL;
out:
	for (int i = 0; i < a.set_count; i++)
		free(a.set_text[i]);
	return rc;
}

/*
 * gqlws_host.c - the test and benchmark host: a small server on Debian's
 * libwebsockets that serves graphql-transport-ws and graphql-ws from the
 * static plugin library, with the demo or the tests' executor and options
 * from the command line. The fast target of the end-to-end tests; not
 * installed (plugin/examples/ has the embedding examples).
 */
#define _POSIX_C_SOURCE 200809L /* strdup under -std=c11 */
#include <libwebsockets.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor_test.h"
#include "lws_gqlws.h"

#define MAX_SETS 64
#define SHUTDOWN_GRACE_MS 2000

static volatile sig_atomic_t interrupted;
static struct lws_context *context;

/* -------------------------------------------------------------- http side */

/* protocols[0] is the plugin's (lws_gqlws.h): the publish endpoint (with a
 * publish-token and an executor with topics) and the metrics (with a
 * metrics-path); every other plain request answers 404; a websocket
 * upgrade that the GraphQL vhost cannot serve is answered with an HTTP
 * status first (lws alone only drops it), and one that lws bound here
 * anyway is refused. */
static const struct lws_protocols protocols[] = {
	LWS_GQLWS_PROTOCOL_ENTRY_HTTP,
	LWS_GQLWS_PROTOCOL_ENTRY_MODERN,
	LWS_GQLWS_PROTOCOL_ENTRY_LEGACY,
	{ NULL, NULL, 0, 0, 0, NULL, 0 } /* 4.1.6 has no LWS_PROTOCOL_LIST_TERM */
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
		    "                  [--executor demo|schema|test (default demo)]\n"
		    "                  [--set name=value ...] [--bind-no-protocol] [--log-level N]\n"
		    "--set passes any plugin option (README options, tick-ms, schema-file, ...);\n"
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
			if (strcmp(val, "demo") && strcmp(val, "schema") && strcmp(val, "test")) {
				fprintf(stderr, "gqlws-host: executor must be demo, schema or test\n");
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
	 * the --set ones, then executor and bind-no-protocol. The tests'
	 * executor is not built into the plugin library: it goes by table. */
	struct lws_protocol_vhost_options opt_executor = { NULL, NULL, "executor", NULL };
	struct lws_protocol_vhost_options opt_table = { NULL, NULL, LWS_GQLWS_PVO_EXECUTOR_TABLE,
							 (const char *)(const void *)&lws_gqlws_test_executor };
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
	} else if (!strcmp(a.executor, "test")) {
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

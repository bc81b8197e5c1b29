/*
 * Option defaults and parsing by name: one table maps each option name of
 * lib/PROTOCOL.md to its field, bounds and default, so lwsws conf files, command
 * lines and the embedding API share one parser.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws.h"

enum option_field { OPT_U32, OPT_SIZE };

struct option_spec {
	const char *name;
	size_t offset;
	enum option_field field;
	unsigned long long min, max, dflt;
};

#define U32_FIELD(member) offsetof(gqlws_options, member), OPT_U32
#define SIZE_FIELD(member) offsetof(gqlws_options, member), OPT_SIZE

static const struct option_spec option_table[] = {
	{"keepalive-ms", U32_FIELD(keepalive_ms), 0, 86400000ull, 10000},
	{"init-timeout-ms", U32_FIELD(init_timeout_ms), 0, 86400000ull, 3000},
	{"max-message-bytes", SIZE_FIELD(max_message_bytes), 16, 1ull << 30, 1048576},
	{"max-operations", U32_FIELD(max_operations), 1, 1000000ull, 100},
	{"max-id-bytes", SIZE_FIELD(max_id_bytes), 1, 65536ull, 128},
	{"send-queue-bytes", SIZE_FIELD(send_queue_bytes), 1024, 1ull << 32, 1048576},
	/* The send queue plus room for operations: 100 typical subscriptions
	 * take well under 1 MiB, and a document at the document limits about
	 * 0.5-1 MiB parsed and planned, so a handful of those still fit. */
	{"max-connection-bytes", SIZE_FIELD(max_connection_bytes), 65536, 1ull << 40, 8388608},
	{"max-message-values", SIZE_FIELD(max_message_values), 16, 1ull << 24, 16384},
	{"max-init-payload-bytes", SIZE_FIELD(max_init_payload_bytes), 2, 1ull << 30, 65536},
};

#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

static void store(gqlws_options *opts, const struct option_spec *spec, unsigned long long v)
{
	char *base = (char *)opts + spec->offset;

	if (spec->field == OPT_U32)
		*(uint32_t *)(void *)base = (uint32_t)v;
	else
		*(size_t *)(void *)base = (size_t)v;
}

void gqlws_options_init(gqlws_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	for (size_t i = 0; i < OPTION_COUNT; i++)
		store(opts, &option_table[i], option_table[i].dflt);
}

static const struct option_spec *find_option(const char *name)
{
	for (size_t i = 0; name && i < OPTION_COUNT; i++)
		if (!strcmp(option_table[i].name, name))
			return &option_table[i];
	return NULL;
}

bool gqlws_options_known(const char *name)
{
	return find_option(name) != NULL;
}

int gqlws_options_set(gqlws_options *opts, const char *name, const char *value, const char **why)
{
	const struct option_spec *spec = find_option(name);
	const char *dummy;
	unsigned long long v;
	char *end;

	if (!why)
		why = &dummy;
	if (!opts || !spec) {
		*why = "unknown option";
		return GQLWS_ERR_INVALID;
	}
	if (!value || *value < '0' || *value > '9') {
		*why = "value must be a whole number";
		return GQLWS_ERR_INVALID;
	}
	errno = 0;
	v = strtoull(value, &end, 10);
	if (errno || *end) {
		*why = "value must be a whole number";
		return GQLWS_ERR_INVALID;
	}
	if (v < spec->min || v > spec->max) {
		*why = "value out of range";
		return GQLWS_ERR_INVALID;
	}
	store(opts, spec, v);
	*why = NULL;
	return GQLWS_OK;
}

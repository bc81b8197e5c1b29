/*
 * fuzz_redis_reply.c - libFuzzer target: what a Redis server (or anything
 * listening where Redis should be) sends to the plugin's transport, read
 * through hiredis's reader with our bounds (plugin/redis/redis_proto.c).
 * The first byte picks the slice size the bytes arrive in. Aborts when an
 * event breaks a promise of redis_proto.h: a message's channel or payload
 * over the bound, a missing text, a reader that recovers after an error.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/redis_proto.h"

#define require(cond)                                                                     \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                          \
		}                                                                         \
	} while (0)

#define MAX_BULK 4096

/* Touches every byte the event points at, so ASan sees any bad pointer. */
static unsigned touch(const char *p, size_t len)
{
	unsigned sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)p[i];
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	plugin_redis_reader *r;
	size_t slice, at = 1;
	bool broken = false;
	volatile unsigned sink = 0;

	if (!size)
		return 0;
	slice = (size_t)data[0] % 64 + 1;
	r = plugin_redis_reader_new(MAX_BULK);
	require(r);
	while (at < size && !broken) {
		size_t n = size - at < slice ? size - at : slice;
		/* A copy of exactly n bytes, so ASan sees any read past it. */
		char *bytes = malloc(n);
		plugin_redis_event ev;
		const char *why = NULL;
		int got;

		memcpy(bytes, data + at, n);
		at += n;
		if (plugin_redis_reader_feed(r, bytes, n, &why)) {
			require(why && why[0]);
			broken = true;
		}
		free(bytes);
		while (!broken && (got = plugin_redis_reader_next(r, &ev, &why)) == 1) {
			switch (ev.kind) {
			case PLUGIN_REDIS_MESSAGE:
				require(ev.channel && ev.payload);
				require(ev.channel_len <= MAX_BULK && ev.payload_len <= MAX_BULK);
				sink += touch(ev.channel, ev.channel_len) +
					touch(ev.payload, ev.payload_len);
				break;
			case PLUGIN_REDIS_SUBSCRIBED:
			case PLUGIN_REDIS_UNSUBSCRIBED:
				require(ev.channel || ev.kind == PLUGIN_REDIS_UNSUBSCRIBED);
				if (ev.channel)
					sink += touch(ev.channel, ev.channel_len);
				break;
			case PLUGIN_REDIS_STATUS:
			case PLUGIN_REDIS_ERROR:
			case PLUGIN_REDIS_UNEXPECTED:
				require(ev.text);
				require(ev.text_len <= MAX_BULK);
				sink += touch(ev.text, ev.text_len);
				break;
			case PLUGIN_REDIS_INTEGER:
				break;
			default:
				require(!"an event of no kind");
			}
		}
		if (!broken && got < 0) {
			require(why && why[0]);
			broken = true;
		}
	}
	if (broken) {
		plugin_redis_event ev;
		const char *why = NULL;

		/* Broken stays broken: the connection is dropped. */
		require(plugin_redis_reader_next(r, &ev, &why) == -1);
	}
	plugin_redis_reader_free(r);
	(void)sink;
	return 0;
}

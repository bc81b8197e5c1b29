/*
 * fuzz_json_strict.c - libFuzzer target: the strict JSON check of every
 * incoming message (lib/src/json_strict.c) against cJSON, the parser behind
 * it. Aborts when the check accepts a text that cJSON does not read to its
 * end, when the value count differs from cJSON's node count, when the check
 * and cJSON disagree on the nesting limit, or when the value bound is not
 * exact.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json_strict.h"

#define require(cond)                                                                     \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                          \
		}                                                                         \
	} while (0)

static size_t count_nodes(const cJSON *item)
{
	size_t n = 1;

	for (const cJSON *child = item->child; child; child = child->next)
		n += count_nodes(child);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	char *text = malloc(size ? size : 1);
	const char *end = NULL;
	enum gqlws_json_verdict verdict;
	size_t values = 0, bounded_values = 0;
	cJSON *tree;

	require(text != NULL);
	if (size)
		memcpy(text, data, size);
	verdict = gqlws_json_check(text, size, (size_t)-1, &values);
	tree = cJSON_ParseWithLengthOpts(text, size, &end, 0);
	if (verdict == GQLWS_JSON_OK) {
		/* Everything the check lets through, cJSON reads completely. */
		require(tree != NULL);
		while (end < text + size && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
			end++;
		require(end == text + size);
		require(count_nodes(tree) == values);
		/* The bound is exact: at the count it passes, one below it fails. */
		require(gqlws_json_check(text, size, values, NULL) == GQLWS_JSON_OK);
		require(gqlws_json_check(text, size, values - 1, &bounded_values) ==
			GQLWS_JSON_TOO_MANY_VALUES);
		require(bounded_values == values);
	}
	if (verdict == GQLWS_JSON_TOO_DEEP)
		require(tree == NULL); /* cJSON refuses the same depth */
	cJSON_Delete(tree);
	free(text);
	return 0;
}

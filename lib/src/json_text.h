/*
 * A growable text buffer for building JSON by hand where cJSON would cost a
 * tree: outbound envelopes and escaped strings.
 */
#ifndef GQLWS_JSON_TEXT_H
#define GQLWS_JSON_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct json_text {
	char *data;
	size_t len, capacity;
	bool failed; /* an allocation failed: the text is incomplete */
};

void jt_init(struct json_text *t);
void jt_free(struct json_text *t);
void jt_append(struct json_text *t, const char *s, size_t len);
void jt_append_str(struct json_text *t, const char *s);
/* Appends s as a quoted, escaped JSON string. */
void jt_append_quoted(struct json_text *t, const char *s, size_t len);
/* Appends the compact serialisation of a cJSON value. */
void jt_append_json(struct json_text *t, const cJSON *value);

/* Length of the longest prefix of s (at most max bytes) that does not end
 * inside a UTF-8 sequence: close reasons are cut there. */
size_t utf8_prefix_len(const char *s, size_t len, size_t max);

#endif

/*
 * Hand-built JSON text: append, escape, and embed cJSON values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"

void jt_init(struct json_text *t)
{
	memset(t, 0, sizeof(*t));
}

void jt_free(struct json_text *t)
{
	free(t->data);
	jt_init(t);
}

static bool reserve(struct json_text *t, size_t extra)
{
	size_t want, capacity;
	char *grown;

	if (t->failed)
		return false;
	if (extra > ((size_t)-1) / 2 - t->len) {
		t->failed = true;
		return false;
	}
	want = t->len + extra + 1;
	if (want <= t->capacity)
		return true;
	capacity = t->capacity ? t->capacity : 64;
	while (capacity < want)
		capacity *= 2;
	grown = realloc(t->data, capacity);
	if (!grown) {
		t->failed = true;
		return false;
	}
	t->data = grown;
	t->capacity = capacity;
	return true;
}

void jt_append(struct json_text *t, const char *s, size_t len)
{
	if (!reserve(t, len))
		return;
	if (len)
		memcpy(t->data + t->len, s, len);
	t->len += len;
	t->data[t->len] = '\0';
}

void jt_append_str(struct json_text *t, const char *s)
{
	jt_append(t, s, strlen(s));
}

void jt_append_quoted(struct json_text *t, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	jt_append(t, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

		switch (c) {
		case '"':
			jt_append(t, "\\\"", 2);
			break;
		case '\\':
			jt_append(t, "\\\\", 2);
			break;
		case '\n':
			jt_append(t, "\\n", 2);
			break;
		case '\r':
			jt_append(t, "\\r", 2);
			break;
		case '\t':
			jt_append(t, "\\t", 2);
			break;
		default:
			if (c < 0x20)
				jt_append(t, esc, sizeof(esc));
			else
				jt_append(t, (const char *)&s[i], 1);
		}
	}
	jt_append(t, "\"", 1);
}

void jt_append_json(struct json_text *t, const cJSON *value)
{
	char *printed;

	if (t->failed)
		return;
	printed = cJSON_PrintUnformatted(value);
	if (!printed) {
		t->failed = true;
		return;
	}
	jt_append_str(t, printed);
	cJSON_free(printed);
}

size_t utf8_prefix_len(const char *s, size_t len, size_t max)
{
	size_t cut;

	if (len <= max)
		return len;
	cut = max;
	/* Back off over continuation bytes to the start of the cut sequence. */
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

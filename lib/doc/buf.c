/*
 * buf.c - the growable text buffer that projections write into.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

int gqlws_doc_buf_append(gqlws_doc_buf *buf, const char *bytes, size_t n)
{
	if (n >= SIZE_MAX - buf->len)
		return -1;
	if (buf->len + n + 1 > buf->cap) {
		size_t cap = buf->cap ? buf->cap : 256;
		while (cap < buf->len + n + 1) {
			if (cap > SIZE_MAX / 2)
				return -1;
			cap *= 2;
		}
		char *data = realloc(buf->data, cap);
		if (!data)
			return -1;
		buf->data = data;
		buf->cap = cap;
	}
	if (n)
		memcpy(buf->data + buf->len, bytes, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
	return 0;
}

void gqlws_doc_buf_free(gqlws_doc_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}

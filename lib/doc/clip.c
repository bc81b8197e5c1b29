/*
 * clip.c - bounded text in a fixed buffer (see clip.h).
 */
#include <string.h>

#include "clip.h"

void doc_clip_put(doc_clip *t, const char *s, size_t n)
{
	size_t room;

	if (t->len + 1 >= t->size)
		return;
	room = t->size - 1 - t->len;
	if (n > room)
		n = room;
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

void doc_clip_puts(doc_clip *t, const char *s)
{
	doc_clip_put(t, s, strlen(s));
}

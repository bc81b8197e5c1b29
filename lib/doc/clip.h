/*
 * clip.h - text written into a caller's fixed buffer: cut (never overrun)
 * when the buffer is full, always NUL-terminated. What error messages and
 * printed literals are written into.
 */
#ifndef GQLWS_DOC_CLIP_H
#define GQLWS_DOC_CLIP_H

#include <stddef.h>

typedef struct doc_clip {
	char *data; /* size bytes, NUL-terminated after every write */
	size_t size;
	size_t len;
} doc_clip;

/* Appends n bytes of s, or as many as fit. */
void doc_clip_put(doc_clip *t, const char *s, size_t n);

/* Appends the C string s, or as much as fits. */
void doc_clip_puts(doc_clip *t, const char *s);

#endif /* GQLWS_DOC_CLIP_H */

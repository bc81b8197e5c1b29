/*
 * errors.h - GraphQL error objects and arrays as the API hands them out:
 * {"message":M,"locations":[{"line":L,"column":C}]}.
 */
#ifndef GQLWS_DOC_ERRORS_H
#define GQLWS_DOC_ERRORS_H

#include <cjson/cJSON.h>

#include "ast.h"

/* Appends a new error (message formatted printf-style, at most 512 bytes)
 * at pos (line 0: no locations) to *errors, creating the array on first
 * use. Returns the error object, or NULL on allocation failure. */
cJSON *doc_error_add(cJSON **errors, doc_pos pos, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds one more {"line","column"} to an error's locations. Returns 0 or -1. */
int doc_error_add_location(cJSON *error, doc_pos pos);

#endif

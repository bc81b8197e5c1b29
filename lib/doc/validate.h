/*
 * validate.h - the checks that make a parsed document safe to execute:
 * fragment spreads linked to their definitions, unknown fragments, fragment
 * cycles, unique names, lone anonymous operation, and the depth and size of
 * every operation with its fragments expanded (so later walks are bounded).
 */
#ifndef GQLWS_DOC_VALIDATE_H
#define GQLWS_DOC_VALIDATE_H

#include <cjson/cJSON.h>

#include "ast.h"

/* 0 when valid; -1 with errors appended to *errors; -2 out of memory. */
int doc_validate(gqlws_doc *doc, cJSON **errors);

#endif

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

/* The part of doc_validate() that schema validation keeps before its rules:
 * spreads linked (of fragments sharing a name, to the last; unknown ones
 * stay NULL) and the expanded depth and size limits. Unknown fragments,
 * cycles and names are left to the rules, which report them in
 * graphql-js's order; a cycle is not followed, so every later walk that
 * follows spreads still has to stop at spreads already on its path. */
int doc_validate_limits(gqlws_doc *doc, cJSON **errors);

#endif

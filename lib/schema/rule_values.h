/*
 * rule_values.h - the ValuesOfCorrectType rule, and the message helpers
 * the rules of rule_*.c share.
 */
#ifndef GQLWS_SCHEMA_RULE_VALUES_H
#define GQLWS_SCHEMA_RULE_VALUES_H

#include <stdbool.h>

#include "validate_internal.h"

/* Shared by the rules in rule_*.c that build long messages: */
/* Appends text; 0 or -1 (out of memory). */
int rule_put(gqlws_doc_buf *out, const char *text);
/* Reports the message built in *message at pos (or, when building it
 * failed, records out of memory), then frees the buffer. */
void rule_report_built(vctx *ctx, doc_pos pos, gqlws_doc_buf *message, bool failed);
/* Records out of memory: the validation fails with GQLWS_DOC_NOMEM. */
void rule_out_of_memory(vctx *ctx);

/* ValuesOfCorrectType (graphql-js 16.15), for validation_rules[]. */
extern const validation_rule rule_values_of_correct_type;

#endif

/*
 * rule_values.h - input literals against input types as graphql-js 16
 * judges them: the ValuesOfCorrectType rule and the literal coercion
 * (valueFromAST) that decides whether a written default counts.
 */
#ifndef GQLWS_SCHEMA_RULE_VALUES_H
#define GQLWS_SCHEMA_RULE_VALUES_H

#include <stdbool.h>

#include "validate_internal.h"

/* graphql-js valueFromAST(value, type) !== undefined with no variables: the
 * literal coerces to the type (a variable anywhere it matters does not). */
bool schema_literal_coerces(const schema_ref *type, const doc_value *value);

/* graphql-js's `defaultValue !== undefined` of an argument or input field:
 * a default is written and coerces to its type (buildSchema keeps
 * `a: Int! = null` or `a: Int = "x"` as no default at all, so such an
 * argument is still required). */
bool schema_input_default_defined(const schema_input_value *input);

/* graphql-js isOneOf: an input object type defined with @oneOf. */
bool schema_type_is_one_of(const schema_type *type);

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

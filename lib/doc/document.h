/*
 * document.h - document entry points for other parts of the library.
 */
#ifndef GQLWS_DOC_DOCUMENT_H
#define GQLWS_DOC_DOCUMENT_H

#include <cjson/cJSON.h>

#include "gqlws_doc.h"
#include "parser.h"

/* An empty document (limits unset) in the first chunk of its own arena,
 * about first_chunk bytes besides it: one malloc, freed with the rest by
 * gqlws_doc_free(). NULL when out of memory. */
gqlws_doc *doc_new(size_t first_chunk);

/* gqlws_doc_parse_ex() without the document checks that graphql-js makes
 * validation rules of (unknown fragments, fragment cycles, unique names,
 * lone anonymous operation): syntax and every limit, the expanded ones
 * included, then spreads linked (doc_validate_limits). For schema
 * validation, whose rules report those in graphql-js's order. options
 * chooses the grammar and may name type-system definitions to pass over;
 * NULL: graphql-js 16.15's grammar (descriptions), nothing passed over. */
gqlws_doc *doc_parse_for_rules(const char *text, size_t len, const gqlws_doc_limits *limits,
			       const doc_parse_options *options, cJSON **errors,
			       gqlws_doc_status *status);

#endif

/*
 * document.c - the document's life cycle (parse, free) and operation
 * selection, the parts of gqlws_doc.h that work on a whole document.
 */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "gqlws.h"
#include "errors.h"
#include "parser.h"
#include "validate.h"

void gqlws_doc_limits_init(gqlws_doc_limits *limits)
{
	limits->max_bytes = 65536;
	limits->max_tokens = 10000;
	limits->max_depth = 64;
	limits->max_expanded = 10000;
}

static const doc_pos no_pos = {0, 0};

gqlws_doc *gqlws_doc_parse(const char *text, size_t len, const gqlws_doc_limits *limits,
			   cJSON **errors)
{
	*errors = NULL;
	gqlws_doc *doc = calloc(1, sizeof *doc);
	if (!doc)
		return NULL;
	doc_arena_init(&doc->arena);
	if (limits)
		doc->limits = *limits;
	else
		gqlws_doc_limits_init(&doc->limits);
	if (doc->limits.max_depth > DOC_DEPTH_CEILING)
		doc->limits.max_depth = DOC_DEPTH_CEILING;

	int status;
	if (!text && len) {
		status = doc_error_add(errors, no_pos, "Must provide a document.") ? -1 : -2;
	} else if (len > doc->limits.max_bytes) {
		status = doc_error_add(errors, no_pos, "Document is larger than the limit of %zu bytes.",
				       doc->limits.max_bytes) ? -1 : -2;
	} else {
		status = doc_parse_text(doc, text ? text : "", len, errors);
		if (status == DOC_PARSE_OK)
			status = doc_validate(doc, errors);
	}
	if (status == 0)
		return doc;
	if (status == -2) {
		cJSON_Delete(*errors);
		*errors = NULL;
	}
	gqlws_doc_free(doc);
	return NULL;
}

void gqlws_doc_free(gqlws_doc *doc)
{
	if (!doc)
		return;
	doc_arena_release(&doc->arena);
	free(doc);
}

size_t gqlws_doc_bytes(const gqlws_doc *doc)
{
	return doc ? gqlws_alloc_bytes(sizeof *doc) + doc->arena.allocated : 0;
}

const char *gqlws_doc_op_type_name(gqlws_doc_op_type type)
{
	switch (type) {
	case GQLWS_DOC_QUERY: return "query";
	case GQLWS_DOC_MUTATION: return "mutation";
	case GQLWS_DOC_SUBSCRIPTION: return "subscription";
	}
	return "unknown";
}

size_t gqlws_doc_operation_count(const gqlws_doc *doc)
{
	return doc->operation_count;
}

const gqlws_doc_operation *gqlws_doc_select_operation(const gqlws_doc *doc,
						      const char *operation_name,
						      cJSON **errors)
{
	*errors = NULL;
	if (operation_name && !*operation_name)
		operation_name = NULL;
	if (!operation_name) {
		if (doc->operation_count == 1)
			return doc->operations;
		doc_error_add(errors, no_pos,
			      doc->operation_count == 0
				      ? "Must provide an operation."
				      : "Must provide operation name if query contains multiple operations.");
		return NULL;
	}
	for (const gqlws_doc_operation *op = doc->operations; op; op = op->next)
		if (op->name && strcmp(op->name, operation_name) == 0)
			return op;
	doc_error_add(errors, no_pos, "Unknown operation named \"%s\".", operation_name);
	return NULL;
}

gqlws_doc_op_type gqlws_doc_operation_type(const gqlws_doc_operation *op)
{
	return op->type;
}

const char *gqlws_doc_operation_name(const gqlws_doc_operation *op)
{
	return op->name;
}

/*
 * document.c - the document's life cycle (parse, free) and operation
 * selection, the parts of gqlws_doc.h that work on a whole document.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "document.h"
#include "gqlws.h"
#include "errors.h"
#include "parser.h"
#include "validate.h"

void gqlws_doc_limits_init(gqlws_doc_limits *limits)
{
	limits->max_bytes = 1048576;
	limits->max_tokens = 15000;
	limits->max_depth = 500;
	limits->max_expanded = 10000;
}

/* The option names of the limits, with their bounds: the same table shape
 * as the core's options, so that every front end reads them alike. */
static const struct limit_option {
	const char *name;
	size_t offset;
	unsigned long long max;
} limit_options[] = {
	{"max-document-bytes", offsetof(gqlws_doc_limits, max_bytes), 1ull << 30},
	{"max-document-tokens", offsetof(gqlws_doc_limits, max_tokens), 100000000ull},
	{"max-document-depth", offsetof(gqlws_doc_limits, max_depth), GQLWS_DOC_DEPTH_CEILING},
	{"max-document-selections", offsetof(gqlws_doc_limits, max_expanded), 100000000ull},
};

static const struct limit_option *find_limit(const char *name)
{
	for (size_t i = 0; name && i < sizeof limit_options / sizeof limit_options[0]; i++)
		if (!strcmp(limit_options[i].name, name))
			return &limit_options[i];
	return NULL;
}

bool gqlws_doc_limits_known(const char *name)
{
	return find_limit(name) != NULL;
}

int gqlws_doc_limits_set(gqlws_doc_limits *limits, const char *name, const char *value,
			 const char **why)
{
	const struct limit_option *option = find_limit(name);
	const char *ignored;
	if (!why)
		why = &ignored;
	if (!limits || !option) {
		*why = "unknown option";
		return -1;
	}
	if (!value || *value < '0' || *value > '9') {
		*why = "value must be a whole number";
		return -1;
	}
	errno = 0;
	char *end;
	unsigned long long v = strtoull(value, &end, 10);
	if (errno || *end) {
		*why = "value must be a whole number";
		return -1;
	}
	if (v < 1 || v > option->max) {
		*why = "value out of range";
		return -1;
	}
	*(size_t *)(void *)((char *)limits + option->offset) = (size_t)v;
	*why = NULL;
	return 0;
}

static const doc_pos no_pos = {0, 0};

/* Longer texts start from the default chunk (doc_arena_init_sized clamps
 * anyway; this keeps 16 * len from overflowing). */
#define ARENA_TEXT_FACTOR_MAX_LEN ((size_t)1 << 20)

gqlws_doc *gqlws_doc_parse(const char *text, size_t len, const gqlws_doc_limits *limits,
			   cJSON **errors)
{
	gqlws_doc_status status;
	return gqlws_doc_parse_ex(text, len, limits, errors, &status);
}

gqlws_doc *doc_new(size_t first_chunk)
{
	doc_arena arena;
	doc_arena_init_sized(&arena, first_chunk + sizeof(gqlws_doc));
	gqlws_doc *doc = doc_arena_alloc(&arena, sizeof *doc);
	if (doc)
		doc->arena = arena; /* now holding the document itself */
	return doc;
}

static gqlws_doc *parse(const char *text, size_t len, const gqlws_doc_limits *limits,
			cJSON **errors, gqlws_doc_status *status, const doc_parse_options *options)
{
	*errors = NULL;
	*status = GQLWS_DOC_NOMEM;
	/* a document's nodes take some 10 to 20 bytes per byte of text: one
	 * chunk of that, not four doubling from 512 bytes */
	gqlws_doc *doc = doc_new(len <= ARENA_TEXT_FACTOR_MAX_LEN ? 16 * len : 0);
	if (!doc)
		return NULL;
	if (limits)
		doc->limits = *limits;
	else
		gqlws_doc_limits_init(&doc->limits);
	if (doc->limits.max_depth > DOC_DEPTH_CEILING)
		doc->limits.max_depth = DOC_DEPTH_CEILING;

	int rc;
	*status = GQLWS_DOC_SYNTAX;
	if (!text && len) {
		rc = doc_error_add(errors, no_pos, "Must provide a document.") ? -1 : -2;
	} else if (len > doc->limits.max_bytes) {
		rc = doc_error_add(errors, no_pos, "Document exceeds max-document-bytes (%zu).",
				   doc->limits.max_bytes) ? -1 : -2;
	} else {
		rc = doc_parse_text_ex(doc, text ? text : "", len, errors, options);
		if (rc == DOC_PARSE_OK) {
			*status = GQLWS_DOC_INVALID;
			rc = options ? doc_validate_limits(doc, errors) : doc_validate(doc, errors);
		}
	}
	if (rc == 0) {
		*status = GQLWS_DOC_OK;
		return doc;
	}
	if (rc == -2) {
		*status = GQLWS_DOC_NOMEM;
		cJSON_Delete(*errors);
		*errors = NULL;
	}
	gqlws_doc_free(doc);
	return NULL;
}

gqlws_doc *gqlws_doc_parse_ex(const char *text, size_t len, const gqlws_doc_limits *limits,
			      cJSON **errors, gqlws_doc_status *status)
{
	return parse(text, len, limits, errors, status, NULL);
}

gqlws_doc *doc_parse_for_rules(const char *text, size_t len, const gqlws_doc_limits *limits,
			       const doc_parse_options *options, cJSON **errors,
			       gqlws_doc_status *status)
{
	static const doc_parse_options grammar = {.descriptions = true};
	return parse(text, len, limits, errors, status, options ? options : &grammar);
}

void gqlws_doc_free(gqlws_doc *doc)
{
	if (!doc)
		return;
	doc_arena arena = doc->arena; /* the document lives in its first chunk */
	doc_arena_release(&arena);
}

size_t gqlws_doc_bytes(const gqlws_doc *doc)
{
	return doc ? doc->arena.allocated : 0;
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

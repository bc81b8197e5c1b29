/*
 * introspect_refuse.c - graphql-js's NoSchemaIntrospectionCustomRule, for
 * executors with introspection switched off: every field whose type is an
 * introspection type is refused where it is written. Like graphql-js's
 * visitor it walks each definition once in document order, fragments on
 * their own type condition, skipped fields included.
 */
#include <string.h>

#include "errors.h"
#include "introspect.h"

typedef struct refuser {
	const gqlws_schema *schema;
	cJSON **errors;
	int count;
	bool nomem;
} refuser;

/* Recursion follows the document's nesting of selection sets, which the
 * parser bounded by max-document-depth. */
static void walk(refuser *r, const doc_selection *sels, const schema_type *parent)
{
	for (const doc_selection *s = sels; s && !r->nomem; s = s->next) {
		const schema_type *inner = NULL;
		switch (s->kind) {
		case DOC_SELECTION_FIELD: {
			const schema_field *def = parent ? schema_field_def(r->schema, parent, s->name) : NULL;
			inner = def ? schema_ref_named(def->type) : NULL;
			if (inner && introspect_is_introspection_type(inner->name)) {
				if (!doc_error_add(r->errors, s->pos,
						   "GraphQL introspection has been disabled, but the requested query contained the field \"%s\".",
						   s->name))
					r->nomem = true;
				r->count++;
			}
			if (inner && !schema_is_composite_kind(inner->kind))
				inner = NULL;
			break;
		}
		case DOC_SELECTION_INLINE:
			inner = s->type_condition ? schema_type_find(r->schema, s->type_condition) : parent;
			break;
		case DOC_SELECTION_SPREAD:
			continue; /* the fragment's definition is walked on its own */
		}
		if (s->selections)
			walk(r, s->selections, inner);
	}
}

static const schema_type *root_of(const gqlws_schema *schema, gqlws_doc_op_type type)
{
	switch (type) {
	case GQLWS_DOC_QUERY: return schema->query;
	case GQLWS_DOC_MUTATION: return schema->mutation;
	case GQLWS_DOC_SUBSCRIPTION: return schema->subscription;
	}
	return NULL;
}

static bool before(doc_pos a, doc_pos b)
{
	return a.line < b.line || (a.line == b.line && a.column < b.column);
}

int gqlws_schema_refuse_introspection(const gqlws_schema *schema, const gqlws_doc *doc,
				      cJSON **errors)
{
	refuser r = {.schema = schema, .errors = errors};
	*errors = NULL;
	/* Operations and fragments are two lists, each in document order:
	 * merge them to visit definitions as they are written. */
	const gqlws_doc_operation *op = doc->operations;
	const doc_fragment *frag = doc->fragments;
	while ((op || frag) && !r.nomem) {
		if (op && (!frag || before(op->pos, frag->pos))) {
			walk(&r, op->selections, root_of(schema, op->type));
			op = op->next;
		} else {
			walk(&r, frag->selections, schema_type_find(schema, frag->type_condition));
			frag = frag->next;
		}
	}
	if (r.nomem) {
		cJSON_Delete(*errors);
		*errors = NULL;
		return -1;
	}
	return r.count;
}

/*
 * project_signature.c - a key of what a request's results depend on, so
 * that subscribers with equal keys can share one serialisation per event.
 *
 * The key is a canonical text of everything the projection of a plan reads
 * besides the value: the kind, root type and operation position, each root
 * field's response key and name, and the selection tree as the plan decided
 * it (skipped selections left out, one that raises written as the error it
 * raises), with each field's response key, name and position (errors are
 * located there) and each fragment's type condition, every fragment that is
 * reached written once. Arguments of fields below the root, variables and
 * names of operations are left out: a projection never reads them, so
 * requests differing only there (a topic's arguments) share a key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "project_internal.h"

typedef struct signer {
	const gqlws_doc_plan *plan;
	schema_project_sink out;
	/* fragments reached and not yet written, each queued once */
	const doc_fragment **queue;
	size_t queued, written;
	unsigned char *seen; /* per fragment index */
} signer;

static void emit_text(signer *sg, const char *s)
{
	schema_project_emit(&sg->out, s, strlen(s));
}

static void emit_pos(signer *sg, doc_pos pos)
{
	char text[32];
	int n = snprintf(text, sizeof text, "@%u:%u", pos.line, pos.column);
	schema_project_emit(&sg->out, text, (size_t)n);
}

/* Text of any bytes, length first, so that nothing in it can be read as
 * the key's own punctuation. */
static void emit_counted(signer *sg, const char *bytes, size_t len)
{
	char text[32];
	int n = snprintf(text, sizeof text, "#%zu:", len);
	schema_project_emit(&sg->out, text, (size_t)n);
	schema_project_emit(&sg->out, bytes, len);
}

/* A selection whose @skip/@include raises: the projection writes its error
 * (message and location) wherever it collects it. */
static void emit_raised(signer *sg, const doc_selection *s)
{
	cJSON *error = doc_plan_if_error(sg->plan, s);
	char *printed = error ? cJSON_PrintUnformatted(error) : NULL;
	if (printed)
		emit_counted(sg, printed, strlen(printed));
	else
		sg->out.nomem = true;
	cJSON_free(printed);
	cJSON_Delete(error);
}

static void queue_fragment(signer *sg, const doc_fragment *f)
{
	if (sg->seen[f->index])
		return;
	sg->seen[f->index] = 1;
	sg->queue[sg->queued++] = f;
}

/* Names are GraphQL names: letters, digits and '_' only, so single
 * punctuation bytes delimit them. Recursion follows the document's nesting
 * of selection sets, which parsing bounds (max-document-depth); fragments
 * are written apart, so the key grows with the document, not with its
 * expansion. */
static void emit_set(signer *sg, const doc_selection *set)
{
	emit_text(sg, "{");
	for (const doc_selection *s = set; s && !sg->out.nomem; s = s->next) {
		unsigned char decided = sg->plan->included[s->index];
		if (decided == DOC_SEL_SKIPPED)
			continue;
		if (decided == DOC_SEL_RAISES) {
			emit_text(sg, "!");
			emit_raised(sg, s);
			continue;
		}
		switch (s->kind) {
		case DOC_SELECTION_FIELD:
			emit_text(sg, "F");
			emit_text(sg, s->key);
			emit_text(sg, " ");
			emit_text(sg, s->name);
			emit_pos(sg, s->pos);
			if (s->selections)
				emit_set(sg, s->selections);
			else
				emit_text(sg, ";");
			break;
		case DOC_SELECTION_INLINE:
			emit_text(sg, "I");
			if (s->type_condition)
				emit_text(sg, s->type_condition);
			emit_set(sg, s->selections);
			break;
		case DOC_SELECTION_SPREAD:
			emit_text(sg, "S");
			emit_text(sg, s->name);
			emit_text(sg, ";");
			if (s->fragment)
				queue_fragment(sg, s->fragment);
			break;
		}
	}
	emit_text(sg, "}");
}

/* An introspection root field of a query reads no value but its arguments
 * (and those of fields below it): its answer itself goes into the key. */
static void emit_introspection(signer *sg, const gqlws_schema *schema, const gqlws_doc_field *f)
{
	gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;
	cJSON *errors = NULL;
	char *printed = NULL;

	if (gqlws_schema_introspect_text_ex(schema, sg->plan, f, &text, &errors) != 0 ||
	    (errors && !(printed = cJSON_PrintUnformatted(errors)))) {
		sg->out.nomem = true;
	} else {
		emit_counted(sg, text.data ? text.data : "", text.len);
		if (printed)
			emit_counted(sg, printed, strlen(printed));
	}
	cJSON_free(printed);
	cJSON_Delete(errors);
	gqlws_doc_buf_free(&text);
}

int gqlws_schema_request_signature(const gqlws_schema_request *r, gqlws_doc_buf *out)
{
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
	if (!plan || !out)
		return -1;
	size_t fragments = plan->doc->fragment_count;
	signer sg = {.plan = plan, .out = {out, false}};
	sg.queue = malloc((fragments ? fragments : 1) * sizeof *sg.queue);
	sg.seen = calloc(fragments ? fragments : 1, 1);
	if (!sg.queue || !sg.seen) {
		free(sg.queue);
		free(sg.seen);
		return -1;
	}

	char kind[2] = {(char)('0' + (int)plan->op->type), '\0'};
	emit_text(&sg, "gqlws-sig-1 ");
	emit_text(&sg, kind);
	emit_text(&sg, plan->root_type ? plan->root_type : "-");
	emit_pos(&sg, plan->op->pos);
	for (size_t i = 0; i < plan->field_count && !sg.out.nomem; i++) {
		const gqlws_doc_field *f = &plan->fields[i];
		emit_text(&sg, " ");
		emit_text(&sg, f->key);
		emit_text(&sg, "=");
		emit_text(&sg, f->name);
		if (plan->op->type == GQLWS_DOC_QUERY && gqlws_schema_is_introspection_field(f->name))
			emit_introspection(&sg, schema_request_schema(r), f);
	}
	if (plan->root_raised) {
		emit_text(&sg, "!");
		emit_raised(&sg, plan->root_raised);
	}
	emit_set(&sg, plan->op->selections);
	while (sg.written < sg.queued && !sg.out.nomem) {
		const doc_fragment *f = sg.queue[sg.written++];
		emit_text(&sg, "&");
		emit_text(&sg, f->name);
		emit_text(&sg, " ");
		emit_text(&sg, f->type_condition ? f->type_condition : "");
		emit_set(&sg, f->selections);
	}
	schema_project_sink_end(&sg.out);
	free(sg.queue);
	free(sg.seen);
	return sg.out.nomem ? -1 : 0;
}

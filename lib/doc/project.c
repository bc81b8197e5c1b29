/*
 * project.c - shapes an executor's JSON data into the response value a
 * selection set asks for (the part of the spec's ExecuteSelectionSet that
 * needs no resolvers). Written for the hot path: one pass over the data,
 * compact JSON text straight into the caller's buffer, no tree built.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_escape.h"
#include "plan.h"

/* Data nests deeper than selections only through lists of lists, or leaf
 * values copied as they are; beyond this the value is written as null. */
#define PROJECT_DATA_DEPTH_MAX 512u

typedef struct projector {
	const gqlws_doc_plan *plan;
	gqlws_doc_buf *out;
	bool nomem;
} projector;

static void emit(projector *pr, const char *bytes, size_t n)
{
	if (!pr->nomem && gqlws_doc_buf_append(pr->out, bytes, n) != 0)
		pr->nomem = true;
}

#define EMIT_LITERAL(pr, lit) emit((pr), (lit), sizeof(lit) - 1)

static void emit_string(projector *pr, const char *s)
{
	const char *run = s;
	EMIT_LITERAL(pr, "\"");
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!doc_json_needs_escape(c))
			continue;
		emit(pr, run, (size_t)(p - run));
		run = p + 1;
		char esc[6];
		emit(pr, esc, doc_json_escape(c, esc));
	}
	emit(pr, run, strlen(run));
	EMIT_LITERAL(pr, "\"");
}

static void emit_number(projector *pr, double d)
{
	char text[32];
	int n;
	if (isnan(d) || isinf(d)) {
		EMIT_LITERAL(pr, "null");
		return;
	}
	if (d > -1e15 && d < 1e15 && (double)(long long)d == d) {
		/* Integers are the common case (ids, counters, timestamps);
		 * written by hand because printf is slow. */
		long long v = (long long)d;
		unsigned long long u = v < 0 ? (unsigned long long)-v : (unsigned long long)v;
		char *p = text + sizeof text;
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (v < 0)
			*--p = '-';
		emit(pr, p, (size_t)(text + sizeof text - p));
		return;
	}
	/* Measurements with a few decimals (times in ms, prices) also skip
	 * printf: if d is exactly m / 10^k for an integer m, the decimal text
	 * of m / 10^k reads back as d (both are the double nearest that
	 * quotient). */
	static const double scale[] = {10.0, 100.0, 1000.0};
	/* m below 2^53 is exact, so the check below is too: epoch times in ms
	 * with microseconds (about 1.8e15 once scaled) still qualify. */
	const double exact = 9007199254740992.0;
	for (int k = 0; k < 3; k++) {
		double m = d * scale[k];
		if (!(m > -exact && m < exact) || (double)(long long)m != m || m / scale[k] != d)
			continue;
		unsigned long long u = m < 0 ? (unsigned long long)-(long long)m : (unsigned long long)m;
		char *p = text + sizeof text;
		for (int digit = 0; digit <= k; digit++) {
			*--p = (char)('0' + u % 10);
			u /= 10;
		}
		*--p = '.';
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (m < 0)
			*--p = '-';
		emit(pr, p, (size_t)(text + sizeof text - p));
		return;
	}
	n = snprintf(text, sizeof text, "%1.15g", d);
	if (strtod(text, NULL) != d)
		n = snprintf(text, sizeof text, "%1.17g", d);
	emit(pr, text, (size_t)n);
}

/* A value copied as it is (a leaf field, or an object where no selection
 * applies). */
static void emit_json(projector *pr, const cJSON *v, unsigned depth)
{
	if (!v || depth > PROJECT_DATA_DEPTH_MAX) {
		EMIT_LITERAL(pr, "null");
		return;
	}
	switch (v->type & 0xFF) {
	case cJSON_False: EMIT_LITERAL(pr, "false"); return;
	case cJSON_True: EMIT_LITERAL(pr, "true"); return;
	case cJSON_Number: emit_number(pr, v->valuedouble); return;
	case cJSON_String: emit_string(pr, v->valuestring ? v->valuestring : ""); return;
	case cJSON_Raw:
		if (v->valuestring)
			emit(pr, v->valuestring, strlen(v->valuestring));
		else
			EMIT_LITERAL(pr, "null");
		return;
	case cJSON_Array:
	case cJSON_Object: {
		bool is_object = (v->type & 0xFF) == cJSON_Object;
		emit(pr, is_object ? "{" : "[", 1);
		for (const cJSON *item = v->child; item; item = item->next) {
			if (item != v->child)
				EMIT_LITERAL(pr, ",");
			if (is_object) {
				emit_string(pr, item->string ? item->string : "");
				EMIT_LITERAL(pr, ":");
			}
			emit_json(pr, item, depth + 1);
		}
		emit(pr, is_object ? "}" : "]", 1);
		return;
	}
	default:
		EMIT_LITERAL(pr, "null");
		return;
	}
}

static void project_value(projector *pr, const doc_selection *const *subs, size_t nsubs,
			  const cJSON *data, const char *type_name, unsigned depth);

static void project_object(projector *pr, const doc_selection *const *subs, size_t nsubs,
			   const cJSON *object, const char *type_name, unsigned depth)
{
	const cJSON *typename_member = cJSON_GetObjectItemCaseSensitive(object, "__typename");
	if (cJSON_IsString(typename_member) && typename_member->valuestring)
		type_name = typename_member->valuestring;

	const doc_selection *storage[DOC_KEY_LINKS_INLINE];
	doc_field_list fields;
	doc_key_links links;
	doc_field_list_init(&fields, storage, DOC_KEY_LINKS_INLINE);
	links.next_same = links.next_storage;
	links.first = links.first_storage;
	if (doc_collect_fields(pr->plan, subs, nsubs, type_name, &fields) != 0 ||
	    doc_key_links_build(&links, &fields) != 0) {
		pr->nomem = true;
		goto out;
	}
	EMIT_LITERAL(pr, "{");
	bool first = true;
	for (size_t i = 0; i < fields.count && !pr->nomem; i++) {
		const doc_selection *f = fields.items[i];
		if (!links.first[i])
			continue;
		if (!first)
			EMIT_LITERAL(pr, ",");
		first = false;
		EMIT_LITERAL(pr, "\"");
		emit(pr, f->key, f->key_len); /* a Name: nothing to escape */
		EMIT_LITERAL(pr, "\":");
		if (strcmp(f->name, "__typename") == 0) {
			if (type_name)
				emit_string(pr, type_name);
			else
				EMIT_LITERAL(pr, "null");
			continue;
		}
		const cJSON *member = cJSON_GetObjectItemCaseSensitive(object, f->name);

		/* Fields sharing this response key merge their sub-selections;
		 * usually there is just one. */
		const doc_selection *merged_storage[4];
		const doc_selection **merged = merged_storage;
		size_t nmerged = 0, cap = 4;
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j]) {
			const doc_selection *g = fields.items[j];
			if (!g->selections)
				continue;
			if (nmerged == cap) {
				const doc_selection **grown = malloc(cap * 2 * sizeof *grown);
				if (!grown) {
					pr->nomem = true;
					break;
				}
				memcpy(grown, merged, nmerged * sizeof *grown);
				if (merged != merged_storage)
					free(merged);
				merged = grown;
				cap *= 2;
			}
			merged[nmerged++] = g->selections;
		}
		project_value(pr, merged, nmerged, member, NULL, depth + 1);
		if (merged != merged_storage)
			free(merged);
	}
	EMIT_LITERAL(pr, "}");
out:
	doc_key_links_release(&links);
	doc_field_list_release(&fields);
}

static void project_value(projector *pr, const doc_selection *const *subs, size_t nsubs,
			  const cJSON *data, const char *type_name, unsigned depth)
{
	if (nsubs == 0) {
		emit_json(pr, data, depth);
		return;
	}
	if (!data || depth > PROJECT_DATA_DEPTH_MAX) {
		EMIT_LITERAL(pr, "null");
		return;
	}
	if (cJSON_IsObject(data)) {
		project_object(pr, subs, nsubs, data, type_name, depth);
	} else if (cJSON_IsArray(data)) {
		EMIT_LITERAL(pr, "[");
		for (const cJSON *item = data->child; item && !pr->nomem; item = item->next) {
			if (item != data->child)
				EMIT_LITERAL(pr, ",");
			project_value(pr, subs, nsubs, item, type_name, depth + 1);
		}
		EMIT_LITERAL(pr, "]");
	} else {
		EMIT_LITERAL(pr, "null");
	}
}

int gqlws_doc_project_text(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
			   const cJSON *data, const char *type_name, gqlws_doc_buf *out)
{
	projector pr = {.plan = plan, .out = out, .nomem = false};
	project_value(&pr, field->subs, field->sub_count, data, type_name, 0);
	return pr.nomem ? -1 : 0;
}

cJSON *gqlws_doc_project(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
			 const cJSON *data, const char *type_name)
{
	/* One projection code path: the text form, read back. Executors on a
	 * hot path use gqlws_doc_project_text() directly. */
	gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;
	cJSON *value = NULL;
	if (gqlws_doc_project_text(plan, field, data, type_name, &text) == 0)
		value = cJSON_ParseWithLength(text.data, text.len);
	gqlws_doc_buf_free(&text);
	return value;
}

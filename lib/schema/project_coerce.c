/*
 * project_coerce.c - request variables coerced by their types in the
 * schema, as graphql-js's getVariableValues coerces them (coerceInputValue):
 * enums by value name, input objects field by field (defaults applied,
 * required fields, unknown fields with suggestions, @oneOf), lists (a
 * single value is a list of one), the built-in scalars, custom scalars as
 * they are; every error worded as graphql-js words it, at most 50 of them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "project_internal.h"
#include "value.h"

/* graphql-js execute()'s maxCoercionErrors. */
#define COERCE_MAX_ERRORS 50

typedef struct coerce_path {
	const struct coerce_path *parent;
	const char *key; /* NULL: a list index */
	size_t index;
} coerce_path;

typedef struct coercer {
	const doc_variable_def *def; /* the variable being coerced */
	cJSON **errors;
	size_t error_count;
	bool aborted; /* the error limit was reached */
	bool nomem;
	unsigned depth;
} coercer;

static inline int kind(const cJSON *v)
{
	return v->type & 0xFF;
}

static void put(schema_project_sink *sink, const char *text)
{
	schema_project_emit(sink, text, strlen(text));
}

static void put_path(schema_project_sink *sink, const coerce_path *path)
{
	if (!path)
		return;
	put_path(sink, path->parent);
	if (path->key) {
		put(sink, ".");
		put(sink, path->key);
	} else {
		char index[32];
		snprintf(index, sizeof index, "[%zu]", path->index);
		put(sink, index);
	}
}

static void put_ref(schema_project_sink *sink, const schema_ref *ref)
{
	char small[128];
	size_t need = schema_ref_print(ref, small, sizeof small);
	if (need < sizeof small) {
		put(sink, small);
		return;
	}
	char *big = malloc(need + 1);
	if (!big) {
		sink->nomem = true;
		return;
	}
	schema_ref_print(ref, big, need + 1);
	put(sink, big);
	free(big);
}

/* " Did you mean ...?" for input among names (graphql-js suggestionList
 * and didYouMean). */
static void put_suggestions(schema_project_sink *sink, const char *sub_message, const char *input,
			    const char *const *names, size_t count)
{
	const char **found = count ? malloc(count * sizeof *found) : NULL;
	if (count && !found) {
		sink->nomem = true;
		return;
	}
	size_t n = count ? schema_suggestion_list(input, names, count, found) : 0;
	size_t room = 96;
	for (size_t i = 0; i < n && i < 5; i++)
		room += strlen(found[i]) + 8;
	char *text = n ? malloc(room) : NULL;
	if (n && text) {
		text[0] = '\0';
		schema_did_you_mean(text, room, sub_message, found, n);
		put(sink, text);
	} else if (n) {
		sink->nomem = true;
	}
	free(text);
	free(found);
}

/* Records a whole message (taken) located at the variable, counting it
 * against the limit. */
static void report_whole(coercer *co, gqlws_doc_buf *message, bool failed)
{
	cJSON *error = NULL;

	if (failed)
		co->nomem = true;
	if (co->aborted || co->nomem) {
		gqlws_doc_buf_free(message);
		return;
	}
	if (co->error_count == COERCE_MAX_ERRORS) {
		co->aborted = true;
		gqlws_doc_buf_free(message);
		if (!doc_error_add(co->errors, (doc_pos){0, 0},
				   "Too many errors processing variables, error limit reached. Execution aborted."))
			co->nomem = true;
		return;
	}
	if (!*co->errors)
		*co->errors = cJSON_CreateArray();
	if (*co->errors)
		error = gqlws_doc_error_new(message->data ? message->data : "", co->def->pos.line,
					    co->def->pos.column);
	gqlws_doc_buf_free(message);
	if (!error) {
		co->nomem = true;
		return;
	}
	cJSON_AddItemToArray(*co->errors, error);
	co->error_count++;
}

/* Records `Variable "$x" got invalid value V at "x.a[0]"; <reason>`, the
 * reason already in reason's text. */
static void report(coercer *co, const coerce_path *path, const cJSON *invalid, gqlws_doc_buf *reason)
{
	gqlws_doc_buf message = GQLWS_DOC_BUF_INIT;
	schema_project_sink sink = {&message, false};

	if (co->aborted || co->nomem) {
		gqlws_doc_buf_free(reason);
		return;
	}
	put(&sink, "Variable \"$");
	put(&sink, co->def->name);
	put(&sink, "\" got invalid value ");
	if (invalid)
		schema_project_inspect(&sink, invalid);
	else
		put(&sink, "undefined");
	if (path) {
		put(&sink, " at \"");
		put(&sink, co->def->name);
		put_path(&sink, path);
		put(&sink, "\"");
	}
	put(&sink, "; ");
	schema_project_emit(&sink, reason->data ? reason->data : "", reason->len);
	schema_project_sink_end(&sink);
	gqlws_doc_buf_free(reason);
	report_whole(co, &message, sink.nomem);
}

/* A reason made of pieces (NULL-terminated). */
static void report_pieces(coercer *co, const coerce_path *path, const cJSON *invalid,
			  const char *const *pieces)
{
	gqlws_doc_buf reason = GQLWS_DOC_BUF_INIT;
	schema_project_sink sink = {&reason, false};
	for (; *pieces; pieces++)
		put(&sink, *pieces);
	schema_project_sink_end(&sink);
	if (sink.nomem) {
		gqlws_doc_buf_free(&reason);
		co->nomem = true;
		return;
	}
	report(co, path, invalid, &reason);
}

/* A reason with inspect(shown) after head (and tail after it). */
static void report_inspected(coercer *co, const coerce_path *path, const cJSON *invalid,
			     const char *head, const cJSON *shown, const char *tail)
{
	gqlws_doc_buf reason = GQLWS_DOC_BUF_INIT;
	schema_project_sink sink = {&reason, false};
	put(&sink, head);
	schema_project_inspect(&sink, shown);
	put(&sink, tail);
	schema_project_sink_end(&sink);
	if (sink.nomem) {
		gqlws_doc_buf_free(&reason);
		co->nomem = true;
		return;
	}
	report(co, path, invalid, &reason);
}

/* -------------------------------------------------------------- leaves */

static bool is_integer(double d)
{
	return isfinite(d) && floor(d) == d; /* JavaScript's Number.isInteger */
}

static cJSON *coerce_enum(coercer *co, const schema_type *type, const cJSON *v, const coerce_path *path)
{
	const char **names = type->value_count ? malloc(type->value_count * sizeof *names) : NULL;
	if (type->value_count && !names) {
		co->nomem = true;
		return NULL;
	}
	for (size_t i = 0; i < type->value_count; i++)
		names[i] = type->values[i].name;
	gqlws_doc_buf reason = GQLWS_DOC_BUF_INIT;
	schema_project_sink sink = {&reason, false};
	cJSON *result = NULL;
	if (kind(v) == cJSON_String && v->valuestring) {
		if (schema_enum_value_find(type, v->valuestring)) {
			result = cJSON_CreateString(v->valuestring);
			if (!result)
				co->nomem = true;
		} else {
			put(&sink, "Value \"");
			put(&sink, v->valuestring);
			put(&sink, "\" does not exist in \"");
			put(&sink, type->name);
			put(&sink, "\" enum.");
			put_suggestions(&sink, "the enum value", v->valuestring, names, type->value_count);
		}
	} else {
		gqlws_doc_buf shown = GQLWS_DOC_BUF_INIT;
		schema_project_sink shown_sink = {&shown, false};
		schema_project_inspect(&shown_sink, v);
		schema_project_sink_end(&shown_sink);
		put(&sink, "Enum \"");
		put(&sink, type->name);
		put(&sink, "\" cannot represent non-string value: ");
		schema_project_emit(&sink, shown.data ? shown.data : "", shown.len);
		put(&sink, ".");
		put_suggestions(&sink, "the enum value", shown.data ? shown.data : "", names, type->value_count);
		sink.nomem = sink.nomem || shown_sink.nomem;
		gqlws_doc_buf_free(&shown);
	}
	free(names);
	schema_project_sink_end(&sink);
	if (sink.nomem) {
		co->nomem = true;
		gqlws_doc_buf_free(&reason);
	} else if (!result) {
		report(co, path, v, &reason);
	} else {
		gqlws_doc_buf_free(&reason);
	}
	return result;
}

/* The built-in scalars' parseValue; custom scalars take any value. */
static cJSON *coerce_scalar(coercer *co, const schema_type *type, const cJSON *v, const coerce_path *path)
{
	const char *name = type->name;
	bool builtin = type->builtin;
	cJSON *result = NULL;

	if (builtin && !strcmp(name, "Int")) {
		if (kind(v) != cJSON_Number || !is_integer(v->valuedouble)) {
			report_inspected(co, path, v, "Int cannot represent non-integer value: ", v, "");
			return NULL;
		}
		if (v->valuedouble > 2147483647.0 || v->valuedouble < -2147483648.0) {
			char text[48];
			doc_number_print(v->valuedouble, text, sizeof text);
			const char *msg[] = {"Int cannot represent non 32-bit signed integer value: ", text, NULL};
			report_pieces(co, path, v, msg);
			return NULL;
		}
		result = cJSON_CreateNumber(v->valuedouble);
	} else if (builtin && !strcmp(name, "Float")) {
		if (kind(v) != cJSON_Number || !isfinite(v->valuedouble)) {
			report_inspected(co, path, v, "Float cannot represent non numeric value: ", v, "");
			return NULL;
		}
		result = cJSON_CreateNumber(v->valuedouble);
	} else if (builtin && !strcmp(name, "String")) {
		if (kind(v) != cJSON_String || !v->valuestring) {
			report_inspected(co, path, v, "String cannot represent a non string value: ", v, "");
			return NULL;
		}
		result = cJSON_CreateString(v->valuestring);
	} else if (builtin && !strcmp(name, "Boolean")) {
		if (kind(v) != cJSON_True && kind(v) != cJSON_False) {
			report_inspected(co, path, v, "Boolean cannot represent a non boolean value: ", v, "");
			return NULL;
		}
		result = cJSON_CreateBool(kind(v) == cJSON_True);
	} else if (builtin && !strcmp(name, "ID")) {
		if (kind(v) == cJSON_String && v->valuestring) {
			result = cJSON_CreateString(v->valuestring);
		} else if (kind(v) == cJSON_Number && is_integer(v->valuedouble)) {
			char text[48];
			doc_number_print(v->valuedouble, text, sizeof text);
			result = cJSON_CreateString(text);
		} else {
			report_inspected(co, path, v, "ID cannot represent value: ", v, "");
			return NULL;
		}
	} else {
		result = cJSON_Duplicate(v, true);
	}
	if (!result)
		co->nomem = true;
	return result;
}

/* ------------------------------------------------------ coerceInputValue */

static cJSON *coerce(coercer *co, const schema_ref *ref, const cJSON *v, const coerce_path *path);

static cJSON *coerce_object(coercer *co, const schema_type *type, const cJSON *v,
			    const coerce_path *path)
{
	if (kind(v) != cJSON_Object) {
		const char *msg[] = {"Expected type \"", type->name, "\" to be an object.", NULL};
		report_pieces(co, path, v, msg);
		return NULL;
	}
	cJSON *result = cJSON_CreateObject();
	if (!result) {
		co->nomem = true;
		return NULL;
	}
	/* The keys graphql-js's coerced object gets, for @oneOf: every field
	 * given or defaulted, even one whose value did not coerce. */
	size_t keys = 0;
	const char *first_key = NULL;
	bool first_is_null = false;
	for (size_t i = 0; i < type->input_field_count && !co->nomem; i++) {
		const schema_input_value *field = &type->input_fields[i];
		const cJSON *member = cJSON_GetObjectItemCaseSensitive(v, field->name);
		cJSON *coerced = NULL;
		bool keyed = member || field->default_value;
		if (!member) {
			if (field->default_value) { /* S keeps only defaults that coerce */
				bool absent;
				coerced = doc_value_to_json(field->default_value, NULL, &absent);
				if (!coerced && !absent)
					co->nomem = true;
			} else if (field->type->kind == SCHEMA_REF_NON_NULL) {
				gqlws_doc_buf reason = GQLWS_DOC_BUF_INIT;
				schema_project_sink sink = {&reason, false};
				put(&sink, "Field \"");
				put(&sink, field->name);
				put(&sink, "\" of required type \"");
				put_ref(&sink, field->type);
				put(&sink, "\" was not provided.");
				schema_project_sink_end(&sink);
				if (sink.nomem) {
					gqlws_doc_buf_free(&reason);
					co->nomem = true;
				} else {
					report(co, path, v, &reason);
				}
			}
		} else {
			coerce_path field_path = {path, field->name, 0};
			coerced = coerce(co, field->type, member, &field_path);
		}
		if (keyed && keys++ == 0) {
			first_key = field->name;
			first_is_null = coerced && kind(coerced) == cJSON_NULL;
		}
		if (coerced)
			cJSON_AddItemToObject(result, field->name, coerced);
	}
	/* Every member the type does not define, with suggestions. */
	for (const cJSON *m = v->child; m && !co->nomem; m = m->next) {
		if (!m->string || schema_input_field_find(type, m->string))
			continue;
		const char **names = type->input_field_count ? malloc(type->input_field_count * sizeof *names) : NULL;
		gqlws_doc_buf reason = GQLWS_DOC_BUF_INIT;
		schema_project_sink sink = {&reason, false};
		if (type->input_field_count && !names) {
			co->nomem = true;
			break;
		}
		for (size_t i = 0; i < type->input_field_count; i++)
			names[i] = type->input_fields[i].name;
		put(&sink, "Field \"");
		put(&sink, m->string);
		put(&sink, "\" is not defined by type \"");
		put(&sink, type->name);
		put(&sink, "\".");
		put_suggestions(&sink, NULL, m->string, names, type->input_field_count);
		free(names);
		schema_project_sink_end(&sink);
		if (sink.nomem) {
			gqlws_doc_buf_free(&reason);
			co->nomem = true;
		} else {
			report(co, path, v, &reason);
		}
	}
	if (type->one_of && !co->nomem) {
		if (keys != 1) {
			const char *msg[] = {"Exactly one key must be specified for OneOf type \"", type->name,
					     "\".", NULL};
			report_pieces(co, path, v, msg);
		}
		if (first_key && first_is_null) {
			static const cJSON json_null = {.type = cJSON_NULL};
			coerce_path key_path = {path, first_key, 0};
			const char *msg[] = {"Field \"", first_key, "\" must be non-null.", NULL};
			report_pieces(co, &key_path, &json_null, msg);
		}
	}
	return result;
}

static cJSON *coerce(coercer *co, const schema_ref *ref, const cJSON *v, const coerce_path *path)
{
	cJSON *result = NULL;

	if (co->nomem || co->aborted)
		return NULL;
	if (co->depth >= 2u * GQLWS_DOC_DEPTH_CEILING) {
		const char *msg[] = {"Value is nested too deeply.", NULL};
		report_pieces(co, path, v, msg);
		return NULL;
	}
	co->depth++;
	if (ref->kind == SCHEMA_REF_NON_NULL) {
		if (v && kind(v) != cJSON_NULL) {
			result = coerce(co, ref->of_type, v, path);
		} else {
			gqlws_doc_buf reason = GQLWS_DOC_BUF_INIT;
			schema_project_sink sink = {&reason, false};
			put(&sink, "Expected non-nullable type \"");
			put_ref(&sink, ref);
			put(&sink, "\" not to be null.");
			schema_project_sink_end(&sink);
			if (sink.nomem) {
				gqlws_doc_buf_free(&reason);
				co->nomem = true;
			} else {
				report(co, path, v, &reason);
			}
		}
	} else if (!v || kind(v) == cJSON_NULL) {
		result = cJSON_CreateNull();
		if (!result)
			co->nomem = true;
	} else if (ref->kind == SCHEMA_REF_LIST) {
		result = cJSON_CreateArray();
		if (!result) {
			co->nomem = true;
		} else if (kind(v) == cJSON_Array) {
			coerce_path item_path = {path, NULL, 0};
			for (const cJSON *item = v->child; item && !co->nomem; item = item->next, item_path.index++) {
				cJSON *coerced = coerce(co, ref->of_type, item, &item_path);
				if (coerced)
					cJSON_AddItemToArray(result, coerced);
			}
		} else { /* a single value is a list of one */
			cJSON *coerced = coerce(co, ref->of_type, v, path);
			if (coerced)
				cJSON_AddItemToArray(result, coerced);
		}
	} else {
		const schema_type *type = ref->named;
		switch (type->kind) {
		case SCHEMA_INPUT_OBJECT: result = coerce_object(co, type, v, path); break;
		case SCHEMA_ENUM: result = coerce_enum(co, type, v, path); break;
		case SCHEMA_SCALAR: result = coerce_scalar(co, type, v, path); break;
		default: break; /* not an input type: validation refused it */
		}
	}
	co->depth--;
	return result;
}

int schema_project_coerce_variables(const gqlws_schema *schema, const gqlws_doc_operation *op,
				    const cJSON *given, cJSON **coerced, cJSON **errors)
{
	coercer co = {.errors = errors};
	doc_arena arena;

	*coerced = cJSON_CreateObject();
	if (!*coerced)
		return -1;
	doc_arena_init(&arena);
	for (const doc_variable_def *d = op->variables; d && !co.nomem && !co.aborted; d = d->next) {
		bool unknown = false;
		const schema_ref *ref = schema_ref_from_doc(schema, d->type, &arena, &unknown);
		if (!ref) {
			if (!unknown)
				co.nomem = true;
			continue; /* an unknown type: validation refused it */
		}
		if (cJSON_GetObjectItemCaseSensitive(*coerced, d->name))
			continue; /* a repeated definition: the first one counts */
		const cJSON *value = cJSON_IsObject(given) ? cJSON_GetObjectItemCaseSensitive(given, d->name) : NULL;
		const char *refusal = NULL;
		co.def = d;
		if (!value && !d->default_value && ref->kind == SCHEMA_REF_NON_NULL)
			refusal = "\" was not provided.";
		else if (value && kind(value) == cJSON_NULL && ref->kind == SCHEMA_REF_NON_NULL)
			refusal = "\" must not be null.";
		if (refusal) {
			gqlws_doc_buf message = GQLWS_DOC_BUF_INIT;
			schema_project_sink sink = {&message, false};
			put(&sink, "Variable \"$");
			put(&sink, d->name);
			put(&sink, value ? "\" of non-null type \"" : "\" of required type \"");
			put_ref(&sink, ref);
			put(&sink, refusal);
			schema_project_sink_end(&sink);
			report_whole(&co, &message, sink.nomem);
			continue;
		}
		if (!value)
			continue; /* absent: the plan applies the default */
		cJSON *result = coerce(&co, ref, value, NULL);
		if (result)
			cJSON_AddItemToObject(*coerced, d->name, result);
	}
	doc_arena_release(&arena);
	if (co.nomem) {
		cJSON_Delete(*coerced);
		*coerced = NULL;
		return -1;
	}
	return co.error_count || co.aborted ? 1 : 0;
}

cJSON *schema_project_coerce_value(const schema_ref *type, const cJSON *value)
{
	static const doc_variable_def unnamed = {.name = ""};
	cJSON *errors = NULL;
	coercer co = {.def = &unnamed, .errors = &errors};
	cJSON *result = coerce(&co, type, value, NULL);

	if (co.nomem || co.error_count || co.aborted) {
		cJSON_Delete(result);
		result = NULL;
	}
	cJSON_Delete(errors);
	return result;
}

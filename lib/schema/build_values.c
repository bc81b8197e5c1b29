/*
 * build_values.c - what graphql-js's buildASTSchema() itself computes from
 * literal values, and the errors it throws doing so (SDL that validateSDL
 * lets through): default values coerced with valueFromAST() (a default it
 * cannot coerce is no default: NULL in the model, as introspection and
 * validateSchema then see it), and @deprecated(reason:) / @specifiedBy(url:)
 * read with getDirectiveValues(). graphql-js throws the first such error;
 * the checks run in the order it meets them: scalars and enums as their
 * definitions come, then directive definitions, then the fields of object,
 * interface and input types in type map order (an input type's fields as
 * soon as a default value needs them).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "errors.h"
#include "literal.h"

typedef struct value_checker {
	cJSON **errors;
	int rc;                    /* 0, -1 (thrown), -2 (no memory) */
	unsigned char *state;      /* by type serial: input fields 0 unseen, 1 busy, 2 done */
} value_checker;

static void throw_at(value_checker *c, doc_pos pos, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static void throw_at(value_checker *c, doc_pos pos, const char *format, ...)
{
	if (c->rc)
		return;
	va_list args;
	va_start(args, format);
	c->rc = schema_error_vadd(c->errors, pos, format, args) ? -1 : -2;
	va_end(args);
}

static void eval_input_fields(value_checker *c, schema_type *t);

/* valueFromAST(v, ref) !== undefined; throws (c->rc) as graphql-js's
 * invariant does for a value of an output type. Nesting is the parser's,
 * bounded by its depth limit. */
static bool coercible(value_checker *c, const doc_value *v, const schema_ref *ref)
{
	if (c->rc || !v || !ref)
		return false;
	if (ref->kind == SCHEMA_REF_NON_NULL)
		return v->kind != DOC_VALUE_NULL && coercible(c, v, ref->of_type);
	if (v->kind == DOC_VALUE_NULL)
		return true;
	if (ref->kind == SCHEMA_REF_LIST) {
		if (v->kind != DOC_VALUE_LIST)
			return coercible(c, v, ref->of_type);
		for (const doc_value *item = v->items; item; item = item->next)
			if (!coercible(c, item, ref->of_type))
				return false;
		return true;
	}
	schema_type *t = (schema_type *)ref->named;
	switch (t->kind) {
	case SCHEMA_INPUT_OBJECT: {
		if (v->kind != DOC_VALUE_OBJECT)
			return false;
		eval_input_fields(c, t);
		if (c->rc)
			return false;
		size_t present = 0;
		bool only_null = false;
		for (size_t i = 0; i < t->input_field_count; i++) {
			const schema_input_value *f = &t->input_fields[i];
			const doc_value *member = NULL;
			for (const doc_value *m = v->items; m; m = m->next) /* keyMap: the last */
				if (m->member_name && strcmp(m->member_name, f->name) == 0)
					member = m;
			if (!member) {
				if (f->default_value) {
					present++;
					only_null = f->default_value->kind == DOC_VALUE_NULL;
				} else if (f->type->kind == SCHEMA_REF_NON_NULL) {
					return false;
				}
				continue;
			}
			if (!coercible(c, member, f->type))
				return false;
			present++;
			only_null = member->kind == DOC_VALUE_NULL;
		}
		if (t->one_of && (present != 1 || only_null))
			return false;
		return true;
	}
	case SCHEMA_ENUM:
		return v->kind == DOC_VALUE_ENUM && schema_enum_value_find(t, v->text) != NULL;
	case SCHEMA_SCALAR:
		if (!t->builtin)
			return true; /* a custom scalar takes any literal */
		if (strcmp(t->name, "Int") == 0) {
			if (v->kind != DOC_VALUE_INT)
				return false;
			/* -2^31 .. 2^31-1, however many digits the literal has */
			const char *digits = v->text;
			bool negative = *digits == '-';
			if (negative)
				digits++;
			while (*digits == '0' && digits[1])
				digits++;
			size_t len = strlen(digits);
			if (len != 10)
				return len < 10;
			return strcmp(digits, negative ? "2147483648" : "2147483647") <= 0;
		}
		if (strcmp(t->name, "Float") == 0)
			return v->kind == DOC_VALUE_INT || v->kind == DOC_VALUE_FLOAT;
		if (strcmp(t->name, "String") == 0)
			return v->kind == DOC_VALUE_STRING;
		if (strcmp(t->name, "Boolean") == 0)
			return v->kind == DOC_VALUE_BOOLEAN;
		if (strcmp(t->name, "ID") == 0)
			return v->kind == DOC_VALUE_STRING || v->kind == DOC_VALUE_INT;
		return true;
	default:
		throw_at(c, (doc_pos){0, 0}, "Unexpected input type: %s", t->name);
		return false;
	}
}

static const doc_value *directive_arg(const doc_directive *d, const char *name)
{
	for (const doc_argument *a = d->arguments; a; a = a->next)
		if (a->name && strcmp(a->name, name) == 0)
			return a->value;
	return NULL;
}

/* getDirectiveValues() for a String argument of the specified directive:
 * the first `name` directive among list. */
static void check_string_arg(value_checker *c, const doc_directive *list, const char *directive,
			     const char *arg, bool required)
{
	const doc_directive *d = list;
	while (d && (!d->name || strcmp(d->name, directive) != 0))
		d = d->next;
	if (!d || c->rc)
		return;
	const doc_value *v = directive_arg(d, arg);
	if (!v) {
		if (required)
			throw_at(c, d->pos, "Argument \"%s\" of required type \"String!\" was not provided.",
				 arg);
		return;
	}
	if (v->kind == DOC_VALUE_STRING)
		return;
	if (v->kind == DOC_VALUE_NULL) {
		if (required)
			throw_at(c, v->pos, "Argument \"%s\" of non-null type \"String!\" must not be null.",
				 arg);
		return;
	}
	char printed[512];
	doc_literal_print(v, printed, sizeof printed);
	throw_at(c, v->pos, "Argument \"%s\" has invalid value %s.", arg, printed);
}

static void check_deprecated(value_checker *c, const doc_directive *list)
{
	check_string_arg(c, list, "deprecated", "reason", false);
}

/* buildArgumentMap / buildInputFieldMap: each value's default, then its
 * deprecation. */
static void eval_input_values(value_checker *c, schema_input_value *values, size_t count)
{
	for (size_t i = 0; i < count && !c->rc; i++) {
		schema_input_value *iv = &values[i];
		if (iv->default_value && !coercible(c, iv->default_value, iv->type))
			iv->default_value = NULL;
		check_deprecated(c, iv->directives);
	}
}

static void eval_input_fields(value_checker *c, schema_type *t)
{
	/* A type whose defaults need its own fields: graphql-js recurses until
	 * its stack overflows; here the fields count as not yet defaulted. */
	if (c->state[t->index])
		return;
	c->state[t->index] = 1;
	eval_input_values(c, (schema_input_value *)t->input_fields, t->input_field_count);
	c->state[t->index] = 2;
}

int schema_build_values(schema_type *const *types, const sdl_def *const *defs, size_t count,
			size_t serials, schema_directive *const *directives, size_t directive_count,
			cJSON **errors)
{
	value_checker c = {errors, 0, calloc(serials ? serials : 1, 1)};
	if (!c.state)
		return -2;
	/* the type definitions: scalars' @specifiedBy, enum values' @deprecated */
	for (size_t i = 0; i < count && !c.rc; i++) {
		schema_type *t = types[i];
		if (t->builtin)
			continue;
		if (t->kind == SCHEMA_SCALAR)
			check_string_arg(&c, defs[i]->directives, "specifiedBy", "url", true);
		for (size_t j = 0; t->kind == SCHEMA_ENUM && j < t->value_count && !c.rc; j++)
			check_deprecated(&c, t->values[j].directives);
	}
	/* the directive definitions' arguments */
	for (size_t i = 0; i < directive_count && !c.rc; i++)
		eval_input_values(&c, (schema_input_value *)directives[i]->args,
				  directives[i]->arg_count);
	/* the fields, as the schema collects its types */
	for (size_t i = 0; i < count && !c.rc; i++) {
		schema_type *t = types[i];
		if (t->builtin)
			continue;
		if (t->kind == SCHEMA_INPUT_OBJECT) {
			eval_input_fields(&c, t);
			continue;
		}
		if (t->kind != SCHEMA_OBJECT && t->kind != SCHEMA_INTERFACE)
			continue;
		for (size_t j = 0; j < t->field_count && !c.rc; j++) {
			schema_field *f = (schema_field *)&t->fields[j];
			eval_input_values(&c, (schema_input_value *)f->args, f->arg_count);
			check_deprecated(&c, f->directives);
		}
	}
	free(c.state);
	return c.rc;
}

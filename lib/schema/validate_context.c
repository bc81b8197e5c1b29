/*
 * validate_context.c - what rules ask of the validation: graphql-js
 * TypeInfo's getters over the walker's stacks, errors (the 100-error limit,
 * the error a rule "throws", the fragment-work budget), and the types and
 * directives an executable document defines for itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "errors.h"
#include "name_lookup.h"
#include "validate_context.h"

#define MAX_ERRORS 100

/* ------------------------------------------------------------- TypeInfo */

const gqlws_doc *vctx_doc(const vctx *ctx) { return ctx->doc; }

_Static_assert(offsetof(vctx, schema) == offsetof(vctx_head, schema) &&
		       offsetof(vctx, ti) == offsetof(vctx_head, ti),
	       "struct vctx starts as vctx_head");


/* --------------------------------------------------------------- errors */

const schema_type *vctx_type_find(vctx *ctx, const char *name)
{
	uintptr_t at = (uintptr_t)name;
	size_t slot = (size_t)((at >> 4) ^ (at >> 10)) & (VCTX_TYPE_MEMO_SLOTS - 1);
	if (name && ctx->type_memo[slot].name == name)
		return ctx->type_memo[slot].type;
	const schema_type *type = name ? name_lookup_type(ctx->schema, name) : NULL;
	ctx->type_memo[slot].name = name;
	ctx->type_memo[slot].type = type;
	return type;
}

void vctx_out_of_memory(vctx *ctx)
{
	ctx->nomem = ctx->aborted = true;
}

doc_arena *vctx_arena(vctx *ctx)
{
	return &ctx->arena;
}

bool vctx_aborted(const vctx *ctx)
{
	return ctx->aborted;
}

static cJSON *append_error(vctx *ctx, doc_pos pos, const char *message)
{
	if (!ctx->errors && !(ctx->errors = cJSON_CreateArray())) {
		ctx->nomem = ctx->aborted = true;
		return NULL;
	}
	cJSON *error = gqlws_doc_error_new(message, pos.line, pos.column);
	if (!error) {
		ctx->nomem = ctx->aborted = true;
		return NULL;
	}
	cJSON_AddItemToArray(ctx->errors, error);
	return error;
}

static cJSON *vreport(vctx *ctx, doc_pos pos, const char *format, va_list args)
{
	if (ctx->aborted)
		return NULL;
	if (ctx->error_count >= MAX_ERRORS) {
		append_error(ctx, (doc_pos){0, 0},
			     "Too many validation errors, error limit reached. Validation aborted.");
		ctx->aborted = true;
		return NULL;
	}
	va_list copy;
	va_copy(copy, args);
	char small[512];
	int len = vsnprintf(small, sizeof small, format, copy);
	va_end(copy);
	if (len < 0)
		return NULL;
	char *message = small;
	if ((size_t)len >= sizeof small) {
		message = malloc((size_t)len + 1);
		if (!message) {
			ctx->nomem = ctx->aborted = true;
			return NULL;
		}
		vsnprintf(message, (size_t)len + 1, format, args);
	}
	cJSON *error = append_error(ctx, pos, message);
	if (message != small)
		free(message);
	if (error)
		ctx->error_count++;
	return error;
}

cJSON *vctx_report(vctx *ctx, doc_pos pos, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	cJSON *error = vreport(ctx, pos, format, args);
	va_end(args);
	return error;
}

void vctx_add_location(vctx *ctx, cJSON *error, doc_pos pos)
{
	if (error && doc_error_add_location(error, pos) != 0)
		ctx->nomem = ctx->aborted = true;
}

/* graphql-js's validate() lets an error thrown inside a rule escape: the
 * caller then has that one error, not the ones reported before it. */
cJSON *vctx_throw(vctx *ctx, doc_pos pos, const char *format, ...)
{
	if (ctx->aborted)
		return NULL;
	cJSON_Delete(ctx->errors);
	ctx->errors = NULL;
	ctx->error_count = 0;
	va_list args;
	va_start(args, format);
	cJSON *error = vreport(ctx, pos, format, args);
	va_end(args);
	ctx->thrown = true;
	ctx->aborted = true;
	return error;
}

bool vctx_spend_fragment_work(vctx *ctx, size_t cost)
{
	if (ctx->aborted)
		return false;
	ctx->fragment_work -= (long long)(cost > FRAGMENT_WORK_BUDGET ? FRAGMENT_WORK_BUDGET + 1 : cost);
	if (ctx->fragment_work < 0) {
		append_error(ctx, (doc_pos){0, 0}, "Validation aborted.");
		ctx->aborted = true;
		return false;
	}
	return true;
}

/* ------------------------------------ types and directives the document defines */

size_t vctx_document_types(const vctx *ctx, const char *const **names)
{
	*names = ctx->document_types;
	return ctx->document_type_count;
}

bool vctx_document_defines_type(const vctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->document_type_count; i++)
		if (strcmp(ctx->document_types[i], name) == 0)
			return true;
	return false;
}

const vctx_document_directive *vctx_document_directive_find(const vctx *ctx, const char *name)
{
	/* graphql-js fills a map in document order: the last definition wins */
	for (size_t i = ctx->document_directive_count; i-- > 0;)
		if (strcmp(ctx->document_directives[i].name, name) == 0)
			return &ctx->document_directives[i];
	return NULL;
}

int vctx_document_definitions_init(vctx *ctx)
{
	if (!ctx->sdl)
		return 0;
	size_t types = 0, directives = 0;
	for (const sdl_def *d = ctx->sdl->defs; d; d = d->next) {
		if (d->kind == SDL_DEF_DIRECTIVE)
			directives++;
		else if (d->kind != SDL_DEF_EXECUTABLE && d->kind != SDL_DEF_SCHEMA && !d->extension)
			types++;
	}
	ctx->document_types = vctx_alloc(ctx, (types + 1) * sizeof *ctx->document_types);
	ctx->document_directives = vctx_alloc(ctx, (directives + 1) * sizeof *ctx->document_directives);
	if (!ctx->document_types || !ctx->document_directives)
		return -1;
	for (const sdl_def *d = ctx->sdl->defs; d; d = d->next) {
		if (d->kind != SDL_DEF_DIRECTIVE) {
			if (d->kind != SDL_DEF_EXECUTABLE && d->kind != SDL_DEF_SCHEMA && !d->extension)
				ctx->document_types[ctx->document_type_count++] = d->name;
			continue;
		}
		vctx_document_directive *dd = &ctx->document_directives[ctx->document_directive_count++];
		dd->name = d->name;
		dd->repeatable = d->repeatable;
		for (const sdl_name *l = d->locations; l; l = l->next) {
			int loc = schema_location_from_name(l->name);
			if (loc >= 0)
				dd->locations |= 1u << loc;
		}
		size_t args = 0;
		for (const sdl_input_value *a = d->args; a; a = a->next)
			args++;
		const char **names = vctx_alloc(ctx, (args + 1) * sizeof *names);
		const doc_type **types = vctx_alloc(ctx, (args + 1) * sizeof *types);
		const doc_value **defaults = vctx_alloc(ctx, (args + 1) * sizeof *defaults);
		if (!names || !types || !defaults)
			return -1;
		for (const sdl_input_value *a = d->args; a; a = a->next) {
			types[dd->arg_count] = a->type;
			defaults[dd->arg_count] = a->default_value;
			names[dd->arg_count++] = a->name;
		}
		dd->arg_names = names;
		dd->arg_types = types;
		dd->arg_defaults = defaults;
	}
	return 0;
}


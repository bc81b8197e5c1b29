/*
 * validate_walk.c - the validation walker: one traversal of the document
 * in source order (operations, fragments and type-system definitions
 * interleaved as written), keeping graphql-js's TypeInfo, calling every
 * rule of validation_rules[] that looks at the node's kind (their
 * enter_kinds and leave_kinds, in per-kind lists made once)
 * at every node: TypeInfo entered first, rules
 * in specifiedRules order, children, rules' leave, TypeInfo left last. The
 * same walk, with no rules and a TypeInfo of its own, collects a
 * definition's variable usages as graphql-js's getVariableUsages does.
 * Recursion follows the document's nesting, which the parser bounds.
 */
#include <string.h>

#include "name_lookup.h"
#include "validate_context.h"

/* graphql-js typeFromAST on a type condition: NULL when unknown. */
static const schema_type *condition_type(vctx *ctx, const char *name)
{
	return name ? vctx_type_find(ctx, name) : NULL;
}

static const schema_ref *ref_from_doc(vctx *ctx, const doc_type *type)
{
	bool unknown = false;
	const schema_ref *ref = schema_ref_from_doc(ctx->schema, type, &ctx->arena, &unknown);
	if (!ref && !unknown)
		ctx->nomem = ctx->aborted = true;
	return ref;
}

static void push_type(typeinfo *ti, const schema_ref *t) { ti->types[ti->type_count++] = t; }
static void push_input(typeinfo *ti, const schema_ref *t) { ti->input_types[ti->input_type_count++] = t; }
static void push_default(typeinfo *ti, const doc_value *v) { ti->default_values[ti->default_value_count++] = v; }

static bool is_output_ref(const schema_ref *ref)
{
	const schema_type *named = schema_ref_named(ref);
	return named && schema_is_output_kind(named->kind);
}

static bool is_input_ref(const schema_ref *ref)
{
	const schema_type *named = schema_ref_named(ref);
	return named && schema_is_input_kind(named->kind);
}

/* --------------------------------------------------------------- walker */

typedef struct walker {
	vctx *ctx;
	typeinfo *ti;
	usage_list *usages;     /* collecting variable usages, no rules */
	/* The main walk collects the variable usages of the operation or
	 * fragment it is in on the way (graphql-js's getVariableUsages walk of
	 * that definition alone would see the same nodes with the same
	 * TypeInfo: definitions start from an empty one); NULL outside a
	 * definition, in variable definitions (getVariableUsages skips them)
	 * and once the definition's usages are known. */
	usage_list *collect;
} walker;

static void add_usage(walker *w, usage_list *u, const vnode *node)
{
	if (u->count == u->room) {
		size_t room = u->room ? 2 * u->room : 16;
		vctx_variable_usage *items = vctx_alloc(w->ctx, room * sizeof *items);
		if (!items)
			return;
		if (u->count)
			memcpy(items, u->items, u->count * sizeof *items);
		u->items = items;
		u->room = room;
	}
	const typeinfo *ti = w->ti;
	vctx_variable_usage *usage = &u->items[u->count++];
	usage->node = node->value;
	usage->type = TOP(ti, input_types, input_type_count);
	usage->parent_type = ti->input_type_count >= 2 ? ti->input_types[ti->input_type_count - 2] : NULL;
	usage->default_value = TOP(ti, default_values, default_value_count);
	usage->has_default = usage->default_value != NULL;
}

/* Inline at every call where the build optimizes. An unoptimized build
 * keeps the calls: it gives every inlined copy stack slots of its own, and
 * the walker's frames, one pair per nesting level, would outgrow the stack
 * bound the depth tests hold the validation to. */
#ifdef __OPTIMIZE__
#define WALK_INLINE inline __attribute__((always_inline))
#else
#define WALK_INLINE inline
#endif

/* The rules of calls (rule_dispatch.calls) at node, in order, until one
 * aborts the validation. */
static WALK_INLINE void call_rules(vctx *ctx, const vnode *node, bool leaving, uint32_t calls)
{
	const rule_dispatch *d = ctx->dispatch;
	const uint32_t *state_at = d->state_at[leaving][node->kind];
	void (*const *fns)(vctx *, const vnode *, void *) = d->fns[leaving][node->kind];
	while (calls && !ctx->aborted) {
		unsigned j = (unsigned)__builtin_ctz(calls);
		calls &= calls - 1;
		fns[j](ctx, node, ctx->rule_states + state_at[j]);
	}
}

/* Inline at every walker's call, with the node's kind and the direction
 * known there: a node no rule looks at costs a table load. A variable is
 * collected on entering; leaving only calls rules. */
static WALK_INLINE void visit(walker *w, const vnode *node, bool leaving)
{
	bool is_variable = !leaving && node->kind == VNODE_VALUE && node->value->kind == DOC_VALUE_VARIABLE;
	if (w->usages) {
		if (is_variable)
			add_usage(w, w->usages, node);
		return;
	}
	if (is_variable && w->collect)
		add_usage(w, w->collect, node);
	vctx *ctx = w->ctx;
	uint32_t calls = ctx->dispatch->calls[leaving][node->kind][node->lacks];
	if (calls)
		call_rules(ctx, node, leaving, calls);
}

/* The VLACKS_ bits of a node's directives and arguments. */
static unsigned lacks_several(const doc_directive *directives, const doc_argument *arguments)
{
	return (directives && directives->next ? 0 : VLACKS_SEVERAL_DIRECTIVES) |
	       (arguments && arguments->next ? 0 : VLACKS_SEVERAL_ARGUMENTS);
}

#define ENTER(w, n) visit((w), (n), false)
#define LEAVE(w, n) visit((w), (n), true)
#define STOPPED(w) ((w)->ctx->aborted)

static void walk_value(walker *w, const doc_value *v);

static void walk_object_field(walker *w, const doc_value *member)
{
	typeinfo *ti = w->ti;
	const schema_type *object = schema_ref_named(TOP(ti, input_types, input_type_count));
	const schema_input_value *field = NULL;
	if (object && object->kind == SCHEMA_INPUT_OBJECT)
		field = schema_input_field_find(object, member->member_name);
	push_default(ti, field ? field->default_value : NULL);
	push_input(ti, field && is_input_ref(field->type) ? field->type : NULL);
	vnode node = {.kind = VNODE_OBJECT_FIELD, .pos = member->member_pos, .value = member};
	ENTER(w, &node);
	if (!STOPPED(w))
		walk_value(w, member);
	if (!STOPPED(w))
		LEAVE(w, &node);
	ti->default_value_count--;
	ti->input_type_count--;
}

static void walk_value(walker *w, const doc_value *v)
{
	typeinfo *ti = w->ti;
	bool is_list = v->kind == DOC_VALUE_LIST;
	if (is_list) {
		const schema_ref *list = schema_ref_nullable(TOP(ti, input_types, input_type_count));
		const schema_ref *item = list && list->kind == SCHEMA_REF_LIST ? list->of_type : list;
		push_default(ti, NULL);
		push_input(ti, is_input_ref(item) ? item : NULL);
	}
	vnode node = {.kind = VNODE_VALUE, .pos = v->pos, .value = v};
	ENTER(w, &node);
	for (const doc_value *item = v->items; item && !STOPPED(w); item = item->next) {
		if (v->kind == DOC_VALUE_OBJECT)
			walk_object_field(w, item);
		else if (is_list)
			walk_value(w, item);
	}
	if (!STOPPED(w))
		LEAVE(w, &node);
	if (is_list) {
		ti->default_value_count--;
		ti->input_type_count--;
	}
}

static void walk_argument_list(walker *w, const doc_argument *args)
{
	typeinfo *ti = w->ti;
	for (const doc_argument *arg = args; arg && !STOPPED(w); arg = arg->next) {
		const schema_input_value *def = NULL;
		const schema_field *field = TOP(ti, field_defs, field_def_count);
		if (ti->directive)
			def = schema_arg_find(ti->directive->args, ti->directive->arg_count, arg->name);
		else if (field)
			def = schema_arg_find(field->args, field->arg_count, arg->name);
		ti->argument = def;
		push_default(ti, def ? def->default_value : NULL);
		push_input(ti, def && is_input_ref(def->type) ? def->type : NULL);
		vnode node = {.kind = VNODE_ARGUMENT, .pos = arg->pos, .argument = arg};
		ENTER(w, &node);
		if (!STOPPED(w) && arg->value)
			walk_value(w, arg->value);
		if (!STOPPED(w))
			LEAVE(w, &node);
		ti->argument = NULL;
		ti->default_value_count--;
		ti->input_type_count--;
	}
}

/* Most fields have no argument and no directive: no call then. */
static inline void walk_arguments(walker *w, const doc_argument *args)
{
	if (args)
		walk_argument_list(w, args);
}

static void walk_directive_list(walker *w, const doc_directive *directives, schema_location location)
{
	typeinfo *ti = w->ti;
	for (const doc_directive *d = directives; d && !STOPPED(w); d = d->next) {
		ti->directive = schema_directive_find(w->ctx->schema, d->name);
		ti->directive_location = location;
		vnode node = {.kind = VNODE_DIRECTIVE, .pos = d->pos, .directive = d,
			      .lacks = lacks_several(NULL, d->arguments) & VLACKS_SEVERAL_ARGUMENTS};
		ENTER(w, &node);
		if (!STOPPED(w))
			walk_arguments(w, d->arguments);
		if (!STOPPED(w))
			LEAVE(w, &node);
		ti->directive = NULL;
	}
}

static inline void walk_directives(walker *w, const doc_directive *directives, schema_location location)
{
	if (directives)
		walk_directive_list(w, directives, location);
}

static void walk_named_type(walker *w, const char *name, doc_pos pos, const doc_type *type)
{
	if (w->usages || !name)
		return;
	vnode node = {.kind = VNODE_NAMED_TYPE, .pos = pos, .type_name = name, .type = type};
	ENTER(w, &node);
	if (!STOPPED(w))
		LEAVE(w, &node);
}

static void walk_type(walker *w, const doc_type *type)
{
	/* List and non-null wrappers have no rule of their own. */
	while (type && type->kind != DOC_TYPE_NAMED)
		type = type->of_type;
	if (type)
		walk_named_type(w, type->name, type->pos, type);
}

static void walk_selection_set(walker *w, const doc_selection *selections, doc_pos pos,
			       const doc_fragment *fragment);

static void walk_field(walker *w, const doc_selection *s)
{
	typeinfo *ti = w->ti;
	const schema_type *parent = TOP(ti, parent_types, parent_type_count);
	/* schema_field_def: a meta field, else the parent's own */
	const schema_field *def = NULL;
	if (parent && s->name[0] == '_' && s->name[1] == '_')
		def = schema_field_def(w->ctx->schema, parent, s->name);
	else if (parent)
		def = name_lookup_field(parent, s->name);
	ti->field_defs[ti->field_def_count++] = def;
	push_type(ti, def && is_output_ref(def->type) ? def->type : NULL);
	unsigned lacks = lacks_several(s->directives, s->arguments);
	if (s->name[0] != '_' || s->name[1] != '_')
		lacks |= VLACKS_META_NAME;
	if (!def || !def->has_required_arg)
		lacks |= VLACKS_REQUIRED_ARGUMENTS;
	vnode node = {.kind = VNODE_FIELD, .pos = s->pos, .selection = s, .directives = s->directives,
		      .lacks = lacks};
	ENTER(w, &node);
	if (!STOPPED(w))
		walk_arguments(w, s->arguments);
	if (!STOPPED(w))
		walk_directives(w, s->directives, SCHEMA_LOC_FIELD);
	if (!STOPPED(w) && s->selections)
		walk_selection_set(w, s->selections, s->selections_pos, NULL);
	if (!STOPPED(w))
		LEAVE(w, &node);
	ti->field_def_count--;
	ti->type_count--;
}

static void walk_inline_fragment(walker *w, const doc_selection *s)
{
	typeinfo *ti = w->ti;
	const schema_ref *type;
	if (s->type_condition)
		type = vctx_named_ref(w->ctx, condition_type(w->ctx, s->type_condition));
	else
		type = vctx_named_ref(w->ctx, schema_ref_named(TOP(ti, types, type_count)));
	push_type(ti, is_output_ref(type) ? type : NULL);
	vnode node = {.kind = VNODE_INLINE_FRAGMENT, .pos = s->pos, .selection = s,
		      .directives = s->directives,
		      .lacks = lacks_several(s->directives, NULL) & VLACKS_SEVERAL_DIRECTIVES};
	ENTER(w, &node);
	if (!STOPPED(w) && s->type_condition)
		walk_named_type(w, s->type_condition, s->type_condition_pos, NULL);
	if (!STOPPED(w))
		walk_directives(w, s->directives, SCHEMA_LOC_INLINE_FRAGMENT);
	if (!STOPPED(w))
		walk_selection_set(w, s->selections, s->pos, NULL);
	if (!STOPPED(w))
		LEAVE(w, &node);
	ti->type_count--;
}

/* fragment: the fragment definition whose own set it is, or NULL. */
static void walk_selection_set(walker *w, const doc_selection *selections, doc_pos pos,
			       const doc_fragment *fragment)
{
	typeinfo *ti = w->ti;
	const schema_type *named = schema_ref_named(TOP(ti, types, type_count));
	ti->parent_types[ti->parent_type_count++] =
		named && schema_is_composite_kind(named->kind) ? named : NULL;
	vnode node = {.kind = VNODE_SELECTION_SET, .pos = pos, .selections = selections,
		      .fragment = fragment};
	ENTER(w, &node);
	for (const doc_selection *s = selections; s && !STOPPED(w); s = s->next) {
		if (s->kind == DOC_SELECTION_FIELD) {
			walk_field(w, s);
		} else if (s->kind == DOC_SELECTION_INLINE) {
			walk_inline_fragment(w, s);
		} else {
			vnode spread = {.kind = VNODE_FRAGMENT_SPREAD, .pos = s->pos, .selection = s,
					.directives = s->directives,
					.lacks = lacks_several(s->directives, NULL) & VLACKS_SEVERAL_DIRECTIVES};
			ENTER(w, &spread);
			if (!STOPPED(w))
				walk_directives(w, s->directives, SCHEMA_LOC_FRAGMENT_SPREAD);
			if (!STOPPED(w))
				LEAVE(w, &spread);
		}
	}
	if (!STOPPED(w))
		LEAVE(w, &node);
	ti->parent_type_count--;
}

static void walk_variable_definition(walker *w, const doc_variable_def *def)
{
	usage_list *collect = w->collect;
	w->collect = NULL;
	typeinfo *ti = w->ti;
	const schema_ref *type = def->type ? ref_from_doc(w->ctx, def->type) : NULL;
	push_input(ti, is_input_ref(type) ? type : NULL);
	vnode node = {.kind = VNODE_VARIABLE_DEFINITION, .pos = def->pos, .variable_def = def,
		      .directives = def->directives,
		      .lacks = lacks_several(def->directives, NULL) & VLACKS_SEVERAL_DIRECTIVES};
	ENTER(w, &node);
	if (!STOPPED(w))
		walk_type(w, def->type);
	if (!STOPPED(w) && def->default_value)
		walk_value(w, def->default_value);
	if (!STOPPED(w))
		walk_directives(w, def->directives, SCHEMA_LOC_VARIABLE_DEFINITION);
	if (!STOPPED(w))
		LEAVE(w, &node);
	ti->input_type_count--;
	w->collect = collect;
}

static const schema_type *root_type(const gqlws_schema *schema, gqlws_doc_op_type type)
{
	switch (type) {
	case GQLWS_DOC_QUERY: return schema->query;
	case GQLWS_DOC_MUTATION: return schema->mutation;
	case GQLWS_DOC_SUBSCRIPTION: return schema->subscription;
	}
	return NULL;
}

static schema_location operation_location(gqlws_doc_op_type type)
{
	return type == GQLWS_DOC_MUTATION	? SCHEMA_LOC_MUTATION
	       : type == GQLWS_DOC_SUBSCRIPTION ? SCHEMA_LOC_SUBSCRIPTION
						: SCHEMA_LOC_QUERY;
}

/* The main walk starts collecting a definition's usages into pending
 * unless they are known already (a rule asked for them earlier). */
static void collect_begin(walker *w, usage_list *target, usage_list *pending)
{
	if (!w->usages && !target->done) {
		memset(pending, 0, sizeof *pending);
		w->collect = pending;
	}
}

/* ... and keeps them for the definition when the rules have not had them
 * walked in the meantime; called before the rules leave the definition. */
static void collect_end(walker *w, usage_list *target)
{
	usage_list *pending = w->collect;
	w->collect = NULL;
	if (pending && !target->done && !STOPPED(w)) {
		*target = *pending;
		target->done = true;
	}
}

static void walk_operation(walker *w, const gqlws_doc_operation *op)
{
	typeinfo *ti = w->ti;
	const schema_type *root = root_type(w->ctx->schema, op->type);
	push_type(ti, root && root->kind == SCHEMA_OBJECT ? vctx_named_ref(w->ctx, root) : NULL);
	vnode node = {.kind = VNODE_OPERATION, .pos = op->pos, .operation = op,
		      .directives = op->directives,
		      .lacks = lacks_several(op->directives, NULL) & VLACKS_SEVERAL_DIRECTIVES};
	usage_list pending, *target = NULL;
	if (!w->usages) {
		target = &w->ctx->operation_usages[vctx_operation_index(w->ctx, op)];
		collect_begin(w, target, &pending);
	}
	ENTER(w, &node);
	/* graphql-js's getVariableUsages does not look into definitions */
	for (const doc_variable_def *def = op->variables; def && !STOPPED(w) && !w->usages; def = def->next)
		walk_variable_definition(w, def);
	if (!STOPPED(w))
		walk_directives(w, op->directives, operation_location(op->type));
	if (!STOPPED(w))
		walk_selection_set(w, op->selections, op->pos, NULL);
	if (target)
		collect_end(w, target);
	if (!STOPPED(w))
		LEAVE(w, &node);
	ti->type_count--;
}

static void walk_fragment(walker *w, const doc_fragment *f)
{
	typeinfo *ti = w->ti;
	const schema_ref *type = vctx_named_ref(w->ctx, condition_type(w->ctx, f->type_condition));
	push_type(ti, is_output_ref(type) ? type : NULL);
	vnode node = {.kind = VNODE_FRAGMENT_DEFINITION, .pos = f->pos, .fragment = f,
		      .directives = f->directives,
		      .lacks = lacks_several(f->directives, NULL) & VLACKS_SEVERAL_DIRECTIVES};
	usage_list pending, *target = NULL;
	if (!w->usages) {
		target = &w->ctx->fragment_usages[f->index];
		collect_begin(w, target, &pending);
	}
	ENTER(w, &node);
	if (!STOPPED(w))
		walk_named_type(w, f->type_condition, f->type_condition_pos, NULL);
	if (!STOPPED(w))
		walk_directives(w, f->directives, SCHEMA_LOC_FRAGMENT_DEFINITION);
	if (!STOPPED(w))
		walk_selection_set(w, f->selections, f->pos, f);
	if (target)
		collect_end(w, target);
	if (!STOPPED(w))
		LEAVE(w, &node);
	ti->type_count--;
}

/* --------------------------------------------- type-system definitions */

/* A field, argument, input field or enum value definition: graphql-js
 * visits its argument definitions, type, default value and directives. */
static void walk_type_system_member(walker *w, doc_pos pos, const sdl_input_value *args,
				    const doc_type *type, const doc_value *default_value,
				    const doc_directive *directives, schema_location location)
{
	vnode node = {.kind = VNODE_TYPE_SYSTEM_MEMBER, .pos = pos, .directives = directives};
	ENTER(w, &node);
	for (const sdl_input_value *a = args; a && !STOPPED(w); a = a->next)
		walk_type_system_member(w, a->node_pos, NULL, a->type, a->default_value, a->directives,
					SCHEMA_LOC_ARGUMENT_DEFINITION);
	if (!STOPPED(w))
		walk_type(w, type);
	if (!STOPPED(w) && default_value)
		walk_value(w, default_value);
	if (!STOPPED(w))
		walk_directives(w, directives, location);
	if (!STOPPED(w))
		LEAVE(w, &node);
}

static void walk_names(walker *w, const sdl_name *names)
{
	for (const sdl_name *n = names; n && !STOPPED(w); n = n->next)
		walk_named_type(w, n->name, n->pos, NULL);
}

static void walk_type_system(walker *w, const sdl_def *def)
{
	static const schema_location own_location[] = {
		[SDL_DEF_SCHEMA] = SCHEMA_LOC_SCHEMA,       [SDL_DEF_SCALAR] = SCHEMA_LOC_SCALAR,
		[SDL_DEF_OBJECT] = SCHEMA_LOC_OBJECT,       [SDL_DEF_INTERFACE] = SCHEMA_LOC_INTERFACE,
		[SDL_DEF_UNION] = SCHEMA_LOC_UNION,         [SDL_DEF_ENUM] = SCHEMA_LOC_ENUM,
		[SDL_DEF_INPUT] = SCHEMA_LOC_INPUT_OBJECT,  [SDL_DEF_DIRECTIVE] = SCHEMA_LOC_SCHEMA,
		[SDL_DEF_EXECUTABLE] = SCHEMA_LOC_SCHEMA,
	};
	w->ti->in_type_system = true;
	vnode node = {.kind = VNODE_TYPE_SYSTEM, .pos = def->pos, .directives = def->directives,
		      .type_system_name = def->kind == SDL_DEF_SCHEMA ? NULL : def->name,
		      .type_system_directive = def->kind == SDL_DEF_DIRECTIVE};
	ENTER(w, &node);
	/* in graphql-js's key order: interfaces before directives, union
	 * members and fields after them */
	if (!STOPPED(w))
		walk_names(w, def->interfaces);
	if (!STOPPED(w) && def->kind != SDL_DEF_DIRECTIVE)
		walk_directives(w, def->directives, own_location[def->kind]);
	for (const sdl_operation_type *o = def->operations; o && !STOPPED(w); o = o->next)
		walk_named_type(w, o->type.name, o->type.pos, NULL);
	for (const sdl_field *f = def->fields; f && !STOPPED(w); f = f->next)
		walk_type_system_member(w, f->node_pos, f->args, f->type, NULL, f->directives,
					SCHEMA_LOC_FIELD_DEFINITION);
	if (!STOPPED(w))
		walk_names(w, def->members);
	for (const sdl_enum_value *v = def->values; v && !STOPPED(w); v = v->next)
		walk_type_system_member(w, v->node_pos, NULL, NULL, NULL, v->directives,
					SCHEMA_LOC_ENUM_VALUE);
	for (const sdl_input_value *v = def->input_fields; v && !STOPPED(w); v = v->next)
		walk_type_system_member(w, v->node_pos, NULL, v->type, v->default_value, v->directives,
					SCHEMA_LOC_INPUT_FIELD_DEFINITION);
	for (const sdl_input_value *a = def->args; a && !STOPPED(w); a = a->next)
		walk_type_system_member(w, a->node_pos, NULL, a->type, a->default_value, a->directives,
					SCHEMA_LOC_ARGUMENT_DEFINITION);
	if (!STOPPED(w))
		LEAVE(w, &node);
	w->ti->in_type_system = false;
}

static bool pos_before(doc_pos a, doc_pos b)
{
	return a.line < b.line || (a.line == b.line && a.column < b.column);
}

static const sdl_def *next_type_system(const sdl_def *d)
{
	while (d && d->kind == SDL_DEF_EXECUTABLE)
		d = d->next;
	return d;
}

static void walk_document(walker *w)
{
	const gqlws_doc *doc = w->ctx->doc;
	vnode node = {.kind = VNODE_DOCUMENT, .pos = {1, 1}};
	ENTER(w, &node);
	/* Operations, fragments and type-system definitions are kept in three
	 * lists; their positions give back the document's order. */
	const gqlws_doc_operation *op = doc->operations;
	const doc_fragment *f = doc->fragments;
	const sdl_def *t = next_type_system(w->ctx->sdl ? w->ctx->sdl->defs : NULL);
	while ((op || f || t) && !STOPPED(w)) {
		if (op && (!f || pos_before(op->pos, f->pos)) && (!t || pos_before(op->pos, t->pos))) {
			walk_operation(w, op);
			op = op->next;
		} else if (f && (!t || pos_before(f->pos, t->pos))) {
			walk_fragment(w, f);
			f = f->next;
		} else {
			walk_type_system(w, t);
			t = next_type_system(t->next);
		}
	}
	if (!STOPPED(w))
		LEAVE(w, &node);
}

void vctx_collect_usages(vctx *ctx, const gqlws_doc_operation *op, const doc_fragment *fragment,
			 usage_list *out)
{
	/* nothing to find: no walk */
	if (!ctx->doc->has_variable_uses || (fragment && !fragment->has_variable_uses)) {
		out->done = true;
		return;
	}
	walker w = {.ctx = ctx, .ti = ctx->usage_ti, .usages = out};
	/* a fresh TypeInfo: pushes and pops balance, so emptying the stacks
	 * is resetting their counts (not clearing 80 KiB of room each time) */
	typeinfo *ti = w.ti;
	ti->type_count = ti->parent_type_count = ti->input_type_count = 0;
	ti->field_def_count = ti->default_value_count = 0;
	ti->directive = NULL;
	ti->argument = NULL;
	ti->in_type_system = false;
	if (op)
		walk_operation(&w, op);
	else
		walk_fragment(&w, fragment);
	out->done = !ctx->aborted;
}


void vctx_walk(vctx *ctx)
{
	walker w = {.ctx = ctx, .ti = ctx->ti};
	walk_document(&w);
}

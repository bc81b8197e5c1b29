/*
 * schema_validate.c - graphql-js's validateSchema() on a built schema: root
 * types, directives, then every type in type map order (names, fields and
 * arguments, interfaces and what they demand, union members, enum values,
 * input fields, @oneOf, cycles of non-null input fields), with graphql-js's
 * messages and the locations of the SDL nodes it points at.
 *
 * Membership questions that graphql-js answers with includes() over lists
 * are answered here with stamps per type index, and the input-object cycle
 * search keeps its own stack, so neither the size nor the depth of a
 * hostile schema turns into quadratic work or deep recursion.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "errors.h"

typedef struct schema_checker {
	const gqlws_schema *schema;
	const schema_type_source *sources; /* by type index */
	const sdl_document *user;
	cJSON **errors;
	int rc;
	size_t *stamp;                     /* by type index: membership marks */
	size_t error_count;
	bool aborted;                      /* SCHEMA_MAX_ERRORS reached */
	cJSON *last_error;                 /* also_at's count of its locations */
	size_t last_locations;
	size_t generation;
} schema_checker;

static cJSON *report(schema_checker *c, doc_pos pos, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static cJSON *report(schema_checker *c, doc_pos pos, const char *format, ...)
{
	if (c->rc == -2 || c->aborted)
		return NULL;
	if (c->error_count++ == SCHEMA_MAX_ERRORS) {
		c->aborted = true;
		if (!schema_error_abort(c->errors))
			c->rc = -2;
		return NULL;
	}
	va_list args;
	va_start(args, format);
	cJSON *e = schema_error_vadd(c->errors, pos, format, args);
	va_end(args);
	c->rc = e ? -1 : -2;
	return e;
}

static void also_at(schema_checker *c, cJSON *e, doc_pos pos)
{
	if (!e || pos.line == 0)
		return;
	if (e != c->last_error) {
		c->last_error = e;
		c->last_locations =
			(size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "locations"));
	}
	if (c->last_locations >= SCHEMA_MAX_LOCATIONS)
		return;
	c->last_locations++;
	if (doc_error_add_location(e, pos) != 0)
		c->rc = -2;
}

/* A message at several nodes: the first present one opens the error. */
static cJSON *report_at(schema_checker *c, const doc_pos *pos, size_t count, const char *message)
{
	size_t i = 0;
	while (i < count && pos[i].line == 0)
		i++;
	cJSON *e = report(c, i < count ? pos[i] : (doc_pos){0, 0}, "%s", message);
	for (i++; i < count; i++)
		also_at(c, e, pos[i]);
	return e;
}

/* Messages and printed types as long as they need to be: set_text and
 * set_ref replace *slot (freeing what it held); out of memory, *slot is an
 * empty string and the check fails with -2 (whose errors are dropped). */
static char oom_text[1];

static void free_text(char *text)
{
	if (text != oom_text)
		free(text);
}

static void set_text(schema_checker *c, char **slot, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static void set_text(schema_checker *c, char **slot, const char *format, ...)
{
	free_text(*slot);
	va_list args;
	va_start(args, format);
	int len = vsnprintf(NULL, 0, format, args);
	va_end(args);
	*slot = len < 0 ? NULL : malloc((size_t)len + 1);
	if (!*slot) {
		*slot = oom_text;
		c->rc = -2;
		return;
	}
	va_start(args, format);
	vsnprintf(*slot, (size_t)len + 1, format, args);
	va_end(args);
}

static void set_ref(schema_checker *c, char **slot, const schema_ref *ref)
{
	free_text(*slot);
	size_t len = schema_ref_print(ref, NULL, 0);
	*slot = malloc(len + 1);
	if (!*slot) {
		*slot = oom_text;
		c->rc = -2;
		return;
	}
	schema_ref_print(ref, *slot, len + 1);
}

static bool is_introspection_name(const char *name)
{
	static const char *const names[] = {"__Schema",	    "__Directive", "__DirectiveLocation",
					    "__Type",	    "__Field",	   "__InputValue",
					    "__EnumValue", "__TypeKind"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static void check_name(schema_checker *c, const char *name, doc_pos pos)
{
	if (name[0] == '_' && name[1] == '_')
		report(c, pos,
		       "Name \"%s\" must not begin with \"__\", which is reserved by GraphQL introspection.",
		       name);
}

static bool is_required(const schema_input_value *iv)
{
	return iv->type && iv->type->kind == SCHEMA_REF_NON_NULL && !iv->default_value;
}

static doc_pos deprecated_pos(const doc_directive *list)
{
	for (; list; list = list->next)
		if (list->name && strcmp(list->name, "deprecated") == 0)
			return list->pos;
	return (doc_pos){0, 0};
}

static doc_pos type_pos(const doc_type *t)
{
	return t ? t->pos : (doc_pos){0, 0};
}

/* ------------------------------------------------ the SDL behind a type */

/* The SDL of a type: its definition (if not a built-in), then its
 * extensions, in document order. */
static size_t part_count(const schema_type_source *src)
{
	return (src->def ? 1 : 0) + src->ext_count;
}

static const sdl_def *part_at(const schema_type_source *src, size_t p)
{
	return src->def ? (p == 0 ? src->def : src->exts[p - 1]) : src->exts[p];
}

/* The nodes of a whole type: definition, then extensions. */
static cJSON *report_type(schema_checker *c, const schema_type *t, const char *message)
{
	const schema_type_source *src = &c->sources[t->index];
	cJSON *e = report(c, src->def ? src->def->pos : (doc_pos){0, 0}, "%s", message);
	if (!src->def && src->ext_count && e) {
		/* no definition: the first extension opens the locations */
		cJSON_DeleteItemFromObjectCaseSensitive(e, "locations");
		also_at(c, e, src->exts[0]->pos);
		for (size_t i = 1; i < src->ext_count; i++)
			also_at(c, e, src->exts[i]->pos);
		return e;
	}
	for (size_t i = 0; i < src->ext_count; i++)
		also_at(c, e, src->exts[i]->pos);
	return e;
}

/* The positions of a message's nodes, as many as an error lists. */
typedef struct node_list {
	doc_pos pos[SCHEMA_MAX_LOCATIONS];
	size_t count;
} node_list;

/* Every `implements` (or union member) name node of t naming name. */
static void add_name_nodes(const schema_checker *c, node_list *nodes, const schema_type *t,
			   const char *name, bool members)
{
	const schema_type_source *src = &c->sources[t->index];
	for (size_t p = 0; p < part_count(src); p++) {
		const sdl_def *d = part_at(src, p);
		for (const sdl_name *n = members ? d->members : d->interfaces; n; n = n->next) {
			if (nodes->count == SCHEMA_MAX_LOCATIONS)
				return;
			if (strcmp(n->name, name) == 0)
				nodes->pos[nodes->count++] = n->pos;
		}
	}
}

/* An error at the name nodes of (t, name) and then of (t2, name2). */
static void report_names(schema_checker *c, const char *message, const schema_type *t,
			 const char *name, bool members, const schema_type *t2, const char *name2)
{
	if (c->aborted)
		return;
	node_list nodes;
	nodes.count = 0;
	add_name_nodes(c, &nodes, t, name, members);
	if (t2)
		add_name_nodes(c, &nodes, t2, name2, members);
	report_at(c, nodes.pos, nodes.count, message);
}

static void next_generation(schema_checker *c)
{
	c->generation++;
}

/* --------------------------------------------------------------- roots */

static doc_pos operation_type_pos(const schema_checker *c, gqlws_doc_op_type op)
{
	/* the schema definition first, then its extensions */
	for (int ext = 0; ext < 2; ext++)
		for (const sdl_def *d = c->user->defs; d; d = d->next)
			if (d->kind == SDL_DEF_SCHEMA && d->extension == (ext == 1))
				for (const sdl_operation_type *o = d->operations; o; o = o->next)
					if (o->operation == op)
						return o->type.pos;
	return (doc_pos){0, 0};
}

static const sdl_def *schema_definition(const schema_checker *c)
{
	for (const sdl_def *d = c->user->defs; d; d = d->next)
		if (d->kind == SDL_DEF_SCHEMA && !d->extension)
			return d;
	return NULL;
}

static void check_root(schema_checker *c, const schema_type *t, gqlws_doc_op_type op,
		       const char *label)
{
	if (!t || t->kind == SCHEMA_OBJECT)
		return;
	doc_pos pos = operation_type_pos(c, op);
	if (pos.line == 0 && c->sources[t->index].def)
		pos = c->sources[t->index].def->pos;
	report(c, pos, "%s, it cannot be %s.", label, t->name);
}

static void check_roots(schema_checker *c)
{
	const gqlws_schema *s = c->schema;
	if (!s->query) {
		const sdl_def *def = schema_definition(c);
		report(c, def ? def->pos : (doc_pos){0, 0}, "Query root type must be provided.");
	}
	check_root(c, s->query, GQLWS_DOC_QUERY, "Query root type must be Object type");
	check_root(c, s->mutation, GQLWS_DOC_MUTATION,
		   "Mutation root type must be Object type if provided");
	check_root(c, s->subscription, GQLWS_DOC_SUBSCRIPTION,
		   "Subscription root type must be Object type if provided");
}

/* ---------------------------------------------------------- directives */

static void check_directives(schema_checker *c)
{
	for (size_t i = 0; i < c->schema->directive_count && c->rc != -2; i++) {
		const schema_directive *d = c->schema->directives[i];
		if (d->builtin)
			continue; /* graphql-js's own are valid */
		const sdl_def *def = d->sdl;
		check_name(c, d->name, def ? def->pos : (doc_pos){0, 0});
		for (size_t j = 0; j < d->arg_count; j++) {
			const schema_input_value *arg = &d->args[j];
			const sdl_input_value *node = arg->sdl;
			doc_pos node_pos = node ? node->node_pos : (doc_pos){0, 0};
			check_name(c, arg->name, node_pos);
			const schema_type *named = schema_ref_named(arg->type);
			if (named && !schema_is_input_kind(named->kind)) {
				char *type = NULL;
				set_ref(c, &type, arg->type);
				report(c, node_pos, "The type of @%s(%s:) must be Input Type but got: %s.",
				       d->name, arg->name, type);
				free_text(type);
			}
			if (is_required(arg) && arg->deprecation_reason) {
				char *message = NULL;
				set_text(c, &message, "Required argument @%s(%s:) cannot be deprecated.", d->name,
					 arg->name);
				doc_pos at[2] = {deprecated_pos(arg->directives),
						 node ? type_pos(node->type) : (doc_pos){0, 0}};
				report_at(c, at, 2, message);
				free_text(message);
			}
		}
	}
}

/* -------------------------------------------------------------- fields */

static void check_fields(schema_checker *c, const schema_type *t)
{
	char *message = NULL, *type = NULL;
	if (t->field_count == 0) {
		set_text(c, &message, "Type %s must define one or more fields.", t->name);
		report_type(c, t, message);
	}
	for (size_t i = 0; i < t->field_count && c->rc != -2; i++) {
		const schema_field *f = &t->fields[i];
		const sdl_field *node = f->sdl;
		check_name(c, f->name, node ? node->node_pos : (doc_pos){0, 0});
		const schema_type *named = schema_ref_named(f->type);
		if (named && !schema_is_output_kind(named->kind)) {
			set_ref(c, &type, f->type);
			report(c, node ? type_pos(node->type) : (doc_pos){0, 0},
			       "The type of %s.%s must be Output Type but got: %s.", t->name, f->name, type);
		}
		for (size_t j = 0; j < f->arg_count; j++) {
			const schema_input_value *arg = &f->args[j];
			const sdl_input_value *an = arg->sdl;
			check_name(c, arg->name, an ? an->node_pos : (doc_pos){0, 0});
			named = schema_ref_named(arg->type);
			if (named && !schema_is_input_kind(named->kind)) {
				set_ref(c, &type, arg->type);
				report(c, an ? type_pos(an->type) : (doc_pos){0, 0},
				       "The type of %s.%s(%s:) must be Input Type but got: %s.", t->name,
				       f->name, arg->name, type);
			}
			if (is_required(arg) && arg->deprecation_reason) {
				set_text(c, &message, "Required argument %s.%s(%s:) cannot be deprecated.", t->name,
					 f->name, arg->name);
				doc_pos at[2] = {deprecated_pos(arg->directives),
						 an ? type_pos(an->type) : (doc_pos){0, 0}};
				report_at(c, at, 2, message);
			}
		}
	}
	free_text(message);
	free_text(type);
}

/* ---------------------------------------------------------- interfaces */

/* Arguments by name, for fields with many: graphql-js's args.find() for
 * every argument of a field would be quadratic in a hostile one. */
typedef struct arg_lookup {
	const schema_input_value *args;
	size_t count;
	const schema_input_value **sorted; /* NULL: few enough to scan */
} arg_lookup;

static int compare_args(const void *a, const void *b)
{
	const schema_input_value *x = *(const schema_input_value *const *)a;
	const schema_input_value *y = *(const schema_input_value *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x < y ? -1 : x > y);
}

static void arg_lookup_init(schema_checker *c, arg_lookup *l, const schema_field *f)
{
	l->args = f->args;
	l->count = f->arg_count;
	l->sorted = NULL;
	if (f->arg_count <= 8)
		return;
	l->sorted = malloc(f->arg_count * sizeof *l->sorted);
	if (!l->sorted) {
		c->rc = -2;
		return;
	}
	for (size_t i = 0; i < f->arg_count; i++)
		l->sorted[i] = &f->args[i];
	qsort(l->sorted, f->arg_count, sizeof *l->sorted, compare_args);
}

static const schema_input_value *arg_lookup_find(const arg_lookup *l, const char *name)
{
	if (!l->sorted)
		return schema_arg_find(l->args, l->count, name);
	size_t lo = 0, hi = l->count;
	while (lo < hi) { /* the first of the name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(l->sorted[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->count && strcmp(l->sorted[lo]->name, name) == 0 ? l->sorted[lo] : NULL;
}

static void check_implements_interface(schema_checker *c, const schema_type *t,
				       const schema_type *iface)
{
	char *message = NULL, *want = NULL, *got = NULL;
	for (size_t i = 0; i < iface->field_count && c->rc != -2; i++) {
		const schema_field *iface_field = &iface->fields[i];
		const sdl_field *iface_node = iface_field->sdl;
		const schema_field *field = schema_field_find(t, iface_field->name);
		if (!field) {
			set_text(c, &message, "Interface field %s.%s expected but %s does not provide it.", iface->name,
				 iface_field->name, t->name);
			const schema_type_source *src = &c->sources[t->index];
			doc_pos at[2] = {iface_node ? iface_node->node_pos : (doc_pos){0, 0},
					 src->def ? src->def->pos : (doc_pos){0, 0}};
			cJSON *e = report_at(c, at, 2, message);
			for (size_t k = 0; k < src->ext_count; k++)
				also_at(c, e, src->exts[k]->pos);
			continue;
		}
		const sdl_field *node = field->sdl;
		if (!schema_ref_is_subtype_of(field->type, iface_field->type)) {
			set_ref(c, &want, iface_field->type);
			set_ref(c, &got, field->type);
			set_text(c, &message, "Interface field %s.%s expects type %s but %s.%s is type %s.", iface->name,
				 iface_field->name, want, t->name, field->name, got);
			doc_pos at[2] = {iface_node ? type_pos(iface_node->type) : (doc_pos){0, 0},
					 node ? type_pos(node->type) : (doc_pos){0, 0}};
			report_at(c, at, 2, message);
		}
		arg_lookup field_args, iface_args;
		arg_lookup_init(c, &field_args, field);
		arg_lookup_init(c, &iface_args, iface_field);
		for (size_t j = 0; j < iface_field->arg_count && c->rc != -2; j++) {
			const schema_input_value *iface_arg = &iface_field->args[j];
			const sdl_input_value *iface_arg_node = iface_arg->sdl;
			const schema_input_value *arg = arg_lookup_find(&field_args, iface_arg->name);
			if (!arg) {
				set_text(c, &message, "Interface field argument %s.%s(%s:) expected but %s.%s does not provide it.",
					 iface->name, iface_field->name, iface_arg->name, t->name,
					 field->name);
				doc_pos at[2] = {iface_arg_node ? iface_arg_node->node_pos : (doc_pos){0, 0},
						 node ? node->node_pos : (doc_pos){0, 0}};
				report_at(c, at, 2, message);
				continue;
			}
			if (!schema_ref_equal(iface_arg->type, arg->type)) {
				const sdl_input_value *arg_node = arg->sdl;
				set_ref(c, &want, iface_arg->type);
				set_ref(c, &got, arg->type);
				set_text(c, &message, "Interface field argument %s.%s(%s:) expects type %s but %s.%s(%s:) is type %s.",
					 iface->name, iface_field->name, iface_arg->name, want, t->name,
					 field->name, arg->name, got);
				doc_pos at[2] = {iface_arg_node ? type_pos(iface_arg_node->type)
								: (doc_pos){0, 0},
						 arg_node ? type_pos(arg_node->type) : (doc_pos){0, 0}};
				report_at(c, at, 2, message);
			}
		}
		for (size_t j = 0; j < field->arg_count; j++) {
			const schema_input_value *arg = &field->args[j];
			if (arg_lookup_find(&iface_args, arg->name) || !is_required(arg))
				continue;
			const sdl_input_value *arg_node = arg->sdl;
			set_text(c, &message, "Object field %s.%s includes required argument %s that is missing from the Interface field %s.%s.",
				 t->name, field->name, arg->name, iface->name, iface_field->name);
			doc_pos at[2] = {arg_node ? arg_node->node_pos : (doc_pos){0, 0},
					 iface_node ? iface_node->node_pos : (doc_pos){0, 0}};
			report_at(c, at, 2, message);
		}
		free(field_args.sorted);
		free(iface_args.sorted);
	}
	free_text(message);
	free_text(want);
	free_text(got);
}

static void check_interfaces(schema_checker *c, const schema_type *t)
{
	char *message = NULL;
	/* stamp: the interfaces t lists (for the ancestors check) */
	next_generation(c);
	size_t listed = c->generation;
	for (size_t i = 0; i < t->interface_count; i++)
		c->stamp[t->interfaces[i]->index] = listed;
	next_generation(c);
	size_t seen = c->generation; /* ifaceTypeNames */
	for (size_t i = 0; i < t->interface_count && c->rc != -2; i++) {
		const schema_type *iface = t->interfaces[i];
		if (iface->kind != SCHEMA_INTERFACE) {
			set_text(c, &message, "Type %s must only implement Interface types, it cannot implement %s.",
				 t->name, iface->name);
			report_names(c, message, t, iface->name, false, NULL, NULL);
			continue;
		}
		if (iface == t) {
			set_text(c, &message, "Type %s cannot implement itself because it would create a circular reference.",
				 t->name);
			report_names(c, message, t, iface->name, false, NULL, NULL);
			continue;
		}
		if (c->stamp[iface->index] == seen) {
			set_text(c, &message, "Type %s can only implement %s once.", t->name,
				 iface->name);
			report_names(c, message, t, iface->name, false, NULL, NULL);
			continue;
		}
		c->stamp[iface->index] = seen;
		/* validateTypeImplementsAncestors: "listed" marks were overwritten
		 * by "seen" for the interfaces done so far; both mean listed. */
		for (size_t j = 0; j < iface->interface_count; j++) {
			const schema_type *transitive = iface->interfaces[j];
			size_t mark = c->stamp[transitive->index];
			if (mark == listed || mark == seen)
				continue;
			if (transitive == t)
				set_text(c, &message, "Type %s cannot implement %s because it would create a circular reference.",
					 t->name, iface->name);
			else
				set_text(c, &message, "Type %s must implement %s because it is implemented by %s.",
					 t->name, transitive->name, iface->name);
			report_names(c, message, iface, transitive->name, false, t, iface->name);
		}
		check_implements_interface(c, t, iface);
	}
	free_text(message);
}

/* ------------------------------------------------- unions, enums, inputs */

static void check_union(schema_checker *c, const schema_type *t)
{
	char *message = NULL;
	if (t->possible_count == 0) {
		set_text(c, &message, "Union type %s must define one or more member types.",
			 t->name);
		report_type(c, t, message);
	}
	next_generation(c);
	for (size_t i = 0; i < t->possible_count && c->rc != -2; i++) {
		const schema_type *member = t->possible[i];
		if (c->stamp[member->index] == c->generation) {
			set_text(c, &message, "Union type %s can only include type %s once.",
				 t->name, member->name);
			report_names(c, message, t, member->name, true, NULL, NULL);
			continue;
		}
		c->stamp[member->index] = c->generation;
		if (member->kind != SCHEMA_OBJECT) {
			set_text(c, &message, "Union type %s can only include Object types, it cannot include %s.",
				 t->name, member->name);
			report_names(c, message, t, member->name, true, NULL, NULL);
		}
	}
	free_text(message);
}

static void check_enum(schema_checker *c, const schema_type *t)
{
	if (t->value_count == 0) {
		char *message = NULL;
		set_text(c, &message, "Enum type %s must define one or more values.",
			 t->name);
		report_type(c, t, message);
		free_text(message);
	}
	for (size_t i = 0; i < t->value_count; i++)
		check_name(c, t->values[i].name,
			   t->values[i].sdl ? t->values[i].sdl->node_pos : (doc_pos){0, 0});
}

static void check_input_fields(schema_checker *c, const schema_type *t)
{
	char *message = NULL, *type = NULL;
	if (t->input_field_count == 0) {
		set_text(c, &message, "Input Object type %s must define one or more fields.",
			 t->name);
		report_type(c, t, message);
	}
	for (size_t i = 0; i < t->input_field_count && c->rc != -2; i++) {
		const schema_input_value *f = &t->input_fields[i];
		const sdl_input_value *node = f->sdl;
		doc_pos node_pos = node ? node->node_pos : (doc_pos){0, 0};
		doc_pos at_type = node ? type_pos(node->type) : (doc_pos){0, 0};
		check_name(c, f->name, node_pos);
		const schema_type *named = schema_ref_named(f->type);
		if (named && !schema_is_input_kind(named->kind)) {
			set_ref(c, &type, f->type);
			report(c, at_type, "The type of %s.%s must be Input Type but got: %s.", t->name,
			       f->name, type);
		}
		if (is_required(f) && f->deprecation_reason) {
			set_text(c, &message, "Required input field %s.%s cannot be deprecated.",
				 t->name, f->name);
			doc_pos at[2] = {deprecated_pos(f->directives), at_type};
			report_at(c, at, 2, message);
		}
		if (t->one_of) {
			if (f->type->kind == SCHEMA_REF_NON_NULL)
				report(c, at_type, "OneOf input field %s.%s must be nullable.", t->name,
				       f->name);
			if (f->default_value)
				report(c, node_pos, "OneOf input field %s.%s cannot have a default value.",
				       t->name, f->name);
		}
	}
	free_text(message);
	free_text(type);
}

/* graphql-js's depth-first search for cycles of non-null input fields, with
 * an explicit stack: visited types are never entered again, and the path
 * index of each type on the path is kept by type index. */
typedef struct cycle_frame {
	const schema_type *type;
	size_t next_field;
} cycle_frame;

typedef struct cycle_search {
	bool *visited;              /* by type index */
	size_t *path_index;         /* by type index: where on the path + 1, 0 off it */
	cycle_frame *frames;
	const schema_input_value **path; /* the fields followed */
	size_t depth;
} cycle_search;

static const schema_type *non_null_input(const schema_input_value *f)
{
	if (f->type->kind != SCHEMA_REF_NON_NULL || f->type->of_type->kind != SCHEMA_REF_NAMED)
		return NULL;
	const schema_type *t = f->type->of_type->named;
	return t->kind == SCHEMA_INPUT_OBJECT ? t : NULL;
}

static void report_cycle(schema_checker *c, cycle_search *s, size_t from, const schema_type *to)
{
	size_t len = 0;
	for (size_t i = from; i <= s->depth; i++)
		len += strlen(s->path[i]->name) + 1;
	char *path = malloc(len + 1);
	if (!path) {
		c->rc = -2;
		return;
	}
	path[0] = '\0';
	size_t used = 0;
	for (size_t i = from; i <= s->depth; i++) {
		size_t n = strlen(s->path[i]->name);
		if (i > from)
			path[used++] = '.';
		memcpy(path + used, s->path[i]->name, n);
		used += n;
		path[used] = '\0';
	}
	/* graphql-js: each field of the cycle, at its node */
	char *message = NULL;
	set_text(c, &message,
		 "Cannot reference Input Object \"%s\" within itself through a series of non-null fields: \"%s\".",
		 to->name, path);
	cJSON *e = NULL;
	for (size_t i = from; i <= s->depth; i++) {
		const sdl_input_value *node = s->path[i]->sdl;
		doc_pos pos = node ? node->node_pos : (doc_pos){0, 0};
		if (i == from)
			e = report(c, pos, "%s", message);
		else
			also_at(c, e, pos);
	}
	free_text(message);
	free(path);
}

static void check_input_cycles(schema_checker *c, cycle_search *s, const schema_type *root)
{
	if (s->visited[root->index])
		return;
	s->depth = 0;
	s->frames[0] = (cycle_frame){root, 0};
	s->visited[root->index] = true;
	s->path_index[root->index] = 1;
	for (;;) {
		cycle_frame *top = &s->frames[s->depth];
		const schema_type *t = top->type;
		bool descended = false;
		while (top->next_field < t->input_field_count && c->rc != -2) {
			const schema_input_value *f = &t->input_fields[top->next_field++];
			const schema_type *target = non_null_input(f);
			if (!target)
				continue;
			s->path[s->depth] = f;
			if (s->path_index[target->index] == 0) {
				if (s->visited[target->index])
					continue; /* visited before: graphql-js returns at once */
				s->visited[target->index] = true;
				s->depth++;
				s->frames[s->depth] = (cycle_frame){target, 0};
				s->path_index[target->index] = s->depth + 1;
				descended = true;
				break;
			}
			report_cycle(c, s, s->path_index[target->index] - 1, target);
		}
		if (descended)
			continue;
		s->path_index[t->index] = 0;
		if (s->depth == 0)
			return;
		s->depth--;
	}
}

/* ---------------------------------------------------------------- main */

int schema_validate_model(const gqlws_schema *schema, const schema_type_source *sources,
			  const sdl_document *user, cJSON **errors)
{
	schema_checker cs, *c = &cs;
	memset(c, 0, sizeof *c);
	c->schema = schema;
	c->sources = sources;
	c->user = user;
	c->errors = errors;
	size_t n = schema->type_count;
	cycle_search s = {0};
	c->stamp = calloc(n ? n : 1, sizeof *c->stamp);
	s.visited = calloc(n ? n : 1, sizeof *s.visited);
	s.path_index = calloc(n ? n : 1, sizeof *s.path_index);
	s.frames = calloc(n ? n : 1, sizeof *s.frames);
	s.path = calloc(n ? n : 1, sizeof *s.path);
	if (!c->stamp || !s.visited || !s.path_index || !s.frames || !s.path) {
		c->rc = -2;
		goto out;
	}
	check_roots(c);
	check_directives(c);
	for (size_t i = 0; i < n && c->rc != -2; i++) {
		const schema_type *t = schema->types[i];
		if (!is_introspection_name(t->name))
			check_name(c, t->name,
				   sources[t->index].def ? sources[t->index].def->pos : (doc_pos){0, 0});
		switch (t->kind) {
		case SCHEMA_OBJECT:
		case SCHEMA_INTERFACE:
			check_fields(c, t);
			check_interfaces(c, t);
			break;
		case SCHEMA_UNION:
			check_union(c, t);
			break;
		case SCHEMA_ENUM:
			check_enum(c, t);
			break;
		case SCHEMA_INPUT_OBJECT:
			check_input_fields(c, t);
			check_input_cycles(c, &s, t);
			break;
		default:
			break;
		}
	}
out:
	free(c->stamp);
	free(s.visited);
	free(s.path_index);
	free(s.frames);
	free(s.path);
	return c->rc;
}

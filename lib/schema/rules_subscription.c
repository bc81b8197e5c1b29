/*
 * rules_subscription.c - SingleFieldSubscriptions as graphql-js 16 runs it:
 * the root fields are collected as execution collects them, with no
 * variables, so @skip and @include with literal conditions count and a
 * condition execution would refuse (a variable, null, a non-Boolean, a
 * missing `if`) makes graphql-js's validate() throw, which we report as
 * its only error. Fragment work is spent as graphql-js spends it.
 */
#include <string.h>

#include "literal.h"
#include "validate_context.h"

typedef struct subscription_state {
	bool definitions_spent;
} subscription_state;

typedef struct collector {
	vctx *ctx;
	const schema_type *runtime;
	vname_map keys;            /* response key -> its group */
	size_t *group_first;       /* per group: index of its first node */
	size_t group_count;
	const doc_selection **nodes;
	size_t *next_in_group;
	size_t *group_last;
	size_t node_count;
	unsigned char *visited;    /* per spread-name id */
} collector;

/* The `if` of the first @skip or @include: 1 true, 0 false, 2 none;
 * -1 when graphql-js would throw (reported). */
static int condition(vctx *ctx, const doc_directive *directives, const char *name)
{
	const doc_directive *d = directives;
	while (d && strcmp(d->name, name) != 0)
		d = d->next;
	if (!d)
		return 2;
	const doc_argument *arg = NULL;
	for (const doc_argument *a = d->arguments; a; a = a->next)
		if (strcmp(a->name, "if") == 0)
			arg = a; /* graphql-js keys arguments by name: the last wins */
	if (!arg) {
		vctx_throw(ctx, d->pos, "Argument \"if\" of required type \"Boolean!\" was not provided.");
		return -1;
	}
	const doc_value *v = arg->value;
	if (v->kind == DOC_VALUE_VARIABLE) {
		vctx_throw(ctx, v->pos,
			   "Argument \"if\" of required type \"Boolean!\" was provided the variable \"$%s\" which was not provided a runtime value.",
			   v->text);
		return -1;
	}
	if (v->kind == DOC_VALUE_NULL) {
		vctx_throw(ctx, v->pos, "Argument \"if\" of non-null type \"Boolean!\" must not be null.");
		return -1;
	}
	if (v->kind == DOC_VALUE_BOOLEAN)
		return v->boolean ? 1 : 0;
	char printed[1024];
	doc_literal_print(v, printed, sizeof printed);
	vctx_throw(ctx, v->pos, "Argument \"if\" has invalid value %s.", printed);
	return -1;
}

/* graphql-js shouldIncludeNode: 1 include, 0 skip, -1 thrown. */
static int should_include(vctx *ctx, const doc_directive *directives)
{
	int skip = condition(ctx, directives, "skip");
	if (skip < 0)
		return -1;
	if (skip == 1)
		return 0;
	int include = condition(ctx, directives, "include");
	if (include < 0)
		return -1;
	return include == 0 ? 0 : 1;
}

static bool condition_matches(const collector *c, const char *type_condition)
{
	if (!type_condition)
		return true;
	const schema_type *type = vctx_type_find(c->ctx, type_condition);
	if (!type)
		return false;
	if (type == c->runtime)
		return true;
	return schema_is_abstract_kind(type->kind) && schema_is_sub_type(type, c->runtime);
}

/* graphql-js reserveSelectionSetWork. */
static bool reserve_work(vctx *ctx, const doc_selection *set)
{
	size_t count = 0;
	for (const doc_selection *s = set; s; s = s->next)
		count++;
	if (!vctx_spend_fragment_work(ctx, count))
		return false;
	for (const doc_selection *s = set; s; s = s->next) {
		size_t directives = 0;
		for (const doc_directive *d = s->directives; d; d = d->next)
			directives++;
		if (!vctx_spend_fragment_work(ctx, directives))
			return false;
		for (const doc_directive *d = s->directives; d; d = d->next) {
			if (strcmp(d->name, "skip") != 0 && strcmp(d->name, "include") != 0)
				continue;
			size_t args = 0;
			for (const doc_argument *a = d->arguments; a; a = a->next)
				args++;
			if (!vctx_spend_fragment_work(ctx, args))
				return false;
		}
	}
	return true;
}

static void add_field(collector *c, const doc_selection *field)
{
	size_t index = c->node_count++;
	c->nodes[index] = field;
	c->next_in_group[index] = SIZE_MAX;
	const size_t *group = vname_map_get(&c->keys, field->key);
	if (group) {
		c->next_in_group[c->group_last[*group]] = index;
		c->group_last[*group] = index;
		return;
	}
	size_t g = c->group_count++;
	c->group_first[g] = index;
	c->group_last[g] = index;
	/* the map points at the group's number, kept in group_first's twin */
	size_t *number = vctx_alloc(c->ctx, sizeof *number);
	if (!number)
		return;
	*number = g;
	vname_map_put(c->ctx, &c->keys, field->key, number);
}

static void collect(collector *c, const doc_selection *set, size_t depth)
{
	vctx *ctx = c->ctx;
	if (depth > DOC_DEPTH_CEILING + 2 || !reserve_work(ctx, set))
		return;
	for (const doc_selection *s = set; s && !vctx_aborted(ctx); s = s->next) {
		if (s->kind == DOC_SELECTION_FIELD) {
			int include = should_include(ctx, s->directives);
			if (include == 1)
				add_field(c, s);
		} else if (s->kind == DOC_SELECTION_INLINE) {
			int include = should_include(ctx, s->directives);
			if (include == 1 && condition_matches(c, s->type_condition))
				collect(c, s->selections, depth + 1);
		} else {
			unsigned id = vctx_spread_id(ctx, s);
			if (c->visited[id])
				continue;
			if (should_include(ctx, s->directives) != 1)
				continue;
			c->visited[id] = 1;
			const doc_fragment *f = vctx_spread_fragment(s);
			if (f && condition_matches(c, f->type_condition))
				collect(c, f->selections, depth + 1);
		}
	}
}

static void single_field_subscriptions_enter(vctx *ctx, const vnode *node, void *state)
{
	subscription_state *st = state;
	if (node->kind != VNODE_OPERATION || node->operation->type != GQLWS_DOC_SUBSCRIPTION)
		return;
	const gqlws_schema *schema = vctx_schema(ctx);
	if (!schema->subscription)
		return;
	const gqlws_doc *doc = vctx_doc(ctx);
	if (!st->definitions_spent) {
		size_t definitions = doc->operation_count + doc->fragment_count;
		for (const doc_type_system_def *d = doc->type_system_defs; d; d = d->next)
			definitions++;
		st->definitions_spent = true;
		if (!vctx_spend_fragment_work(ctx, definitions))
			return;
	}
	size_t room = doc->selection_count + 1;
	collector c = {.ctx = ctx, .runtime = schema->subscription};
	c.group_first = vctx_alloc(ctx, room * sizeof *c.group_first);
	c.group_last = vctx_alloc(ctx, room * sizeof *c.group_last);
	c.nodes = vctx_alloc(ctx, room * sizeof *c.nodes);
	c.next_in_group = vctx_alloc(ctx, room * sizeof *c.next_in_group);
	c.visited = vctx_alloc(ctx, doc->fragment_count + ctx->unknown_count + 1);
	if (!c.group_first || !c.group_last || !c.nodes || !c.next_in_group || !c.visited)
		return;
	collect(&c, node->operation->selections, 0);
	if (vctx_aborted(ctx))
		return;
	const char *name = node->operation->name;
	if (c.group_count > 1) {
		cJSON *error = name ? vctx_report(ctx, c.nodes[c.group_first[1]]->pos,
						  "Subscription \"%s\" must select only one top level field.", name)
				    : vctx_report(ctx, c.nodes[c.group_first[1]]->pos,
						  "Anonymous Subscription must select only one top level field.");
		bool first = true;
		for (size_t g = 1; g < c.group_count && error; g++)
			for (size_t i = c.group_first[g]; i != SIZE_MAX; i = c.next_in_group[i]) {
				if (!first)
					vctx_add_location(ctx, error, c.nodes[i]->pos);
				first = false;
			}
	}
	for (size_t g = 0; g < c.group_count && !vctx_aborted(ctx); g++) {
		const doc_selection *field = c.nodes[c.group_first[g]];
		if (strncmp(field->name, "__", 2) != 0)
			continue;
		cJSON *error = name ? vctx_report(ctx, field->pos,
						  "Subscription \"%s\" must not select an introspection top level field.",
						  name)
				    : vctx_report(ctx, field->pos,
						  "Anonymous Subscription must not select an introspection top level field.");
		for (size_t i = c.next_in_group[c.group_first[g]]; error && i != SIZE_MAX; i = c.next_in_group[i])
			vctx_add_location(ctx, error, c.nodes[i]->pos);
	}
}

const validation_rule rule_single_field_subscriptions = {
	"SingleFieldSubscriptions", sizeof(subscription_state), single_field_subscriptions_enter, NULL,
	.enter_kinds = VKIND(VNODE_OPERATION),
	.leave_kinds = 0,
};

/*
 * hub_bind.c - the bindings of a hub's schema: @topic, @publish and
 * @retained read from the SDL's applied directives (kept by lib/schema on
 * every field), each checked where it stands and its topic template
 * compiled once, so that an operation only looks its binding up.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "hub_internal.h"
#include "schema_internal.h"

/* As many as a schema stage reports before it gives up. */
#define BIND_ERRORS_MAX 100

/* A template longer than this is clipped in messages. */
#define BIND_TEMPLATE_SHOWN 120

typedef struct bind_ctx {
	gqlws_hub *hub;
	cJSON **errors;
	size_t error_count;
	bool nomem;
	size_t cap; /* of hub->bindings */
} bind_ctx;

/* The three directives and where each may stand. */
static const struct {
	const char *name;
	const char *topic_arg; /* the template's argument */
	hub_binding_kind kind;
	gqlws_doc_op_type root;
} bind_directives[] = {
	{"topic", "name", HUB_BINDING_TOPIC, GQLWS_DOC_SUBSCRIPTION},
	{"publish", "topic", HUB_BINDING_PUBLISH, GQLWS_DOC_MUTATION},
	{"retained", "topic", HUB_BINDING_RETAINED, GQLWS_DOC_QUERY},
};

static bool too_many(const bind_ctx *c)
{
	return c->nomem || c->error_count >= BIND_ERRORS_MAX;
}

/* Appends {"message","locations":[pos]} to *c->errors. */
__attribute__((format(printf, 3, 4))) static void bind_error(bind_ctx *c, doc_pos pos,
							      const char *format, ...)
{
	va_list ap;
	char small[512];
	char *message = small;
	int n;

	if (too_many(c))
		return;
	va_start(ap, format);
	n = vsnprintf(small, sizeof small, format, ap);
	va_end(ap);
	if (n < 0) {
		c->nomem = true;
		return;
	}
	if ((size_t)n >= sizeof small) {
		message = malloc((size_t)n + 1);
		if (!message) {
			c->nomem = true;
			return;
		}
		va_start(ap, format);
		vsnprintf(message, (size_t)n + 1, format, ap);
		va_end(ap);
	}
	if (!doc_error_add(c->errors, pos, "%s", message))
		c->nomem = true;
	c->error_count++;
	if (c->error_count == BIND_ERRORS_MAX &&
	    !doc_error_add(c->errors, (doc_pos){0, 0},
			   "Too many errors in the topic bindings; checking stopped."))
		c->nomem = true;
	if (message != small)
		free(message);
}

/* A template as messages show it: quoted by the caller, clipped (at a
 * UTF-8 character's start) when long. */
typedef struct shown {
	char text[BIND_TEMPLATE_SHOWN + 4];
} shown;

static const char *show(shown *s, const char *text, size_t len)
{
	size_t n = len;
	if (n > BIND_TEMPLATE_SHOWN) {
		n = BIND_TEMPLATE_SHOWN;
		while (n && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(s->text, text, n);
	if (n < len)
		memcpy(s->text + n, "...", 3), n += 3;
	s->text[n] = '\0';
	/* a NUL inside the string (\u0000) ends what is shown there */
	return s->text;
}

static const doc_argument *directive_arg(const doc_directive *d, const char *name)
{
	for (const doc_argument *a = d->arguments; a; a = a->next)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

/* Argument `name` of d: its string value in *out (NULL when absent or
 * null). graphql-js's SDL rules check that a required argument is there,
 * not its value's type: false, with an error, for a value of another kind. */
static bool directive_string(bind_ctx *c, const doc_directive *d, const char *name,
			     const doc_value **out)
{
	const doc_argument *a = directive_arg(d, name);
	*out = NULL;
	if (!a || !a->value || a->value->kind == DOC_VALUE_NULL)
		return true;
	if (a->value->kind != DOC_VALUE_STRING) {
		bind_error(c, a->value->pos, "Directive \"@%s\" argument \"%s\" must be a string.", d->name, name);
		return false;
	}
	*out = a->value;
	return true;
}

static bool name_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool name_char(char ch)
{
	return name_start(ch) || (ch >= '0' && ch <= '9');
}

/* True when text[0..len) is a GraphQL name. */
static bool is_name(const char *text, size_t len)
{
	if (!len || !name_start(text[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!name_char(text[i]))
			return false;
	return true;
}

/* An argument or input field whose value can be part of a topic name: a
 * scalar or enum, not a list nor an input object used whole. */
static bool is_leaf_ref(const schema_ref *ref)
{
	if (ref && ref->kind == SCHEMA_REF_NON_NULL)
		ref = ref->of_type;
	return ref && ref->kind == SCHEMA_REF_NAMED && schema_is_leaf_kind(ref->named->kind);
}

/* The template being compiled, for messages and its parts. */
typedef struct template_ctx {
	bind_ctx *c;
	const schema_type *root;
	const schema_field *field;
	const doc_directive *d;
	const char *text;
	size_t len;
	shown shown;
	hub_template_part *parts;
	size_t count, cap;
} template_ctx;

static const char *template_shown(template_ctx *t)
{
	return show(&t->shown, t->text, t->len);
}

static bool add_part(template_ctx *t, hub_template_part part)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;
		hub_template_part *grown = realloc(t->parts, cap * sizeof *grown);
		if (!grown) {
			t->c->nomem = true;
			return false;
		}
		t->parts = grown;
		t->cap = cap;
	}
	t->parts[t->count++] = part;
	return true;
}

static void lookup_reference(template_ctx *t, const char *arg_name, const char *sub_name);

/* A reference {arg} or {arg.field} (ref[0..len), between the braces):
 * added as a part, or an error. */
static void compile_reference(template_ctx *t, const char *ref, size_t len)
{
	const char *dot = memchr(ref, '.', len);
	size_t arg_len = dot ? (size_t)(dot - ref) : len;
	const char *sub = dot ? dot + 1 : NULL;
	size_t sub_len = dot ? len - arg_len - 1 : 0;
	const doc_pos pos = t->d->pos;

	if (!is_name(ref, arg_len) || (dot && !is_name(sub, sub_len))) {
		shown inner;
		bind_error(t->c, pos,
			   "Topic template \"%s\" has \"{%s}\", which is neither \"{argument}\" nor "
			   "\"{argument.field}\".",
			   template_shown(t), show(&inner, ref, len));
		return;
	}
	/* both names in one copy, NUL-terminated each: "arg\0field\0" */
	char *arg_name = malloc(len + 1);
	if (!arg_name) {
		t->c->nomem = true;
		return;
	}
	memcpy(arg_name, ref, len);
	arg_name[arg_len] = '\0';
	arg_name[len] = '\0';
	const char *sub_name = dot ? arg_name + arg_len + 1 : NULL;
	lookup_reference(t, arg_name, sub_name);
	free(arg_name);
}

/* A reference whose names are well-formed: arg_name, and sub_name or NULL. */
static void lookup_reference(template_ctx *t, const char *arg_name, const char *sub_name)
{
	const doc_pos pos = t->d->pos;
	const schema_input_value *arg = schema_arg_find(t->field->args, t->field->arg_count, arg_name);
	if (!arg) {
		bind_error(t->c, pos, "Topic template \"%s\" names \"%s\", which is not an argument of field \"%s.%s\".",
			   template_shown(t), arg_name, t->root->name, t->field->name);
		return;
	}
	char type[128];
	schema_ref_print(arg->type, type, sizeof type);
	if (!sub_name) {
		if (is_leaf_ref(arg->type)) {
			add_part(t, (hub_template_part){NULL, 0, arg->name, NULL});
			return;
		}
		const schema_ref *nullable = schema_ref_nullable(arg->type);
		bool input_object = nullable->kind == SCHEMA_REF_NAMED && nullable->named->kind == SCHEMA_INPUT_OBJECT;
		bind_error(t->c, pos,
			   "Topic template \"%s\" uses argument \"%s\" of type \"%s\" whole: a topic name "
			   "takes scalar and enum values only%s.",
			   template_shown(t), arg->name, type,
			   input_object ? " (name one of its fields: \"{argument.field}\")" : "");
		return;
	}
	const schema_ref *nullable = schema_ref_nullable(arg->type);
	if (nullable->kind != SCHEMA_REF_NAMED || nullable->named->kind != SCHEMA_INPUT_OBJECT) {
		bind_error(t->c, pos,
			   "Topic template \"%s\" reads field \"%s\" of argument \"%s\", whose type \"%s\" is "
			   "not an input object.",
			   template_shown(t), sub_name, arg->name, type);
		return;
	}
	const schema_input_value *input_field = schema_input_field_find(nullable->named, sub_name);
	if (!input_field) {
		bind_error(t->c, pos, "Topic template \"%s\" reads field \"%s\" of argument \"%s\", but input type \"%s\" has no field \"%s\".",
			   template_shown(t), sub_name, arg->name, nullable->named->name, sub_name);
		return;
	}
	if (!is_leaf_ref(input_field->type)) {
		schema_ref_print(input_field->type, type, sizeof type);
		bind_error(t->c, pos,
			   "Topic template \"%s\" uses field \"%s.%s\" of type \"%s\": a topic name takes "
			   "scalar and enum values only.",
			   template_shown(t), nullable->named->name, input_field->name, type);
		return;
	}
	add_part(t, (hub_template_part){NULL, 0, arg->name, input_field->name});
}

/* Compiles the template value v of directive d on field of root into
 * *out, or reports why it cannot name topics. */
static void compile_template(bind_ctx *c, const schema_type *root, const schema_field *field,
			     const doc_directive *d, const doc_value *v, hub_template *out)
{
	template_ctx t = {.c = c, .root = root, .field = field, .d = d, .text = v->text, .len = v->len};
	size_t errors_before = c->error_count;
	size_t i = 0;

	while (i < t.len && !too_many(c)) {
		const char *at = t.text + i;
		if (*at == '{') {
			size_t j = i + 1;
			while (j < t.len && t.text[j] != '}' && t.text[j] != '{')
				j++;
			if (j == t.len) {
				bind_error(c, d->pos, "Topic template \"%s\" has a \"{\" that is not closed.",
					   template_shown(&t));
				break;
			}
			if (t.text[j] == '{') {
				bind_error(c, d->pos,
					   "Topic template \"%s\" has a \"{\" inside \"{...}\": references do not nest.",
					   template_shown(&t));
				break;
			}
			if (j == i + 1)
				bind_error(c, d->pos,
					   "Topic template \"%s\" has an empty \"{}\": name an argument of the field "
					   "inside the braces.",
					   template_shown(&t));
			else
				compile_reference(&t, at + 1, j - i - 1);
			i = j + 1;
		} else if (*at == '}') {
			bind_error(c, d->pos, "Topic template \"%s\" has a \"}\" that closes nothing.",
				   template_shown(&t));
			break;
		} else {
			size_t j = i;
			while (j < t.len && t.text[j] != '{' && t.text[j] != '}')
				j++;
			add_part(&t, (hub_template_part){at, j - i, NULL, NULL});
			i = j;
		}
	}
	if (c->error_count == errors_before && !c->nomem) {
		/* The constant parts, put together, must be topic characters
		 * within the length a topic may have; a template of constants
		 * alone must be a topic name itself (not empty). */
		gqlws_doc_buf constant = GQLWS_DOC_BUF_INIT;
		bool has_reference = false;
		for (size_t k = 0; k < t.count && !c->nomem; k++) {
			if (t.parts[k].text)
				c->nomem = gqlws_doc_buf_append(&constant, t.parts[k].text, t.parts[k].len) != 0;
			else
				has_reference = true;
		}
		const char *why = NULL;
		if (!c->nomem && (constant.len || !has_reference))
			why = gqlws_hub_topic_invalid(constant.data ? constant.data : "", constant.len);
		if (why)
			bind_error(c, d->pos, "Topic template \"%s\" cannot make a valid topic name: %s",
				   template_shown(&t), why);
		gqlws_doc_buf_free(&constant);
	}
	if (c->error_count != errors_before || c->nomem) {
		free(t.parts);
		return;
	}
	out->parts = t.parts;
	out->count = t.count;
}

static hub_binding *new_binding(bind_ctx *c)
{
	gqlws_hub *hub = c->hub;
	if (hub->binding_count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		hub_binding *grown = realloc(hub->bindings, cap * sizeof *grown);
		if (!grown) {
			c->nomem = true;
			return NULL;
		}
		hub->bindings = grown;
		c->cap = cap;
	}
	hub_binding *b = &hub->bindings[hub->binding_count];
	memset(b, 0, sizeof *b);
	return b;
}

static const schema_type *root_of(const gqlws_schema *schema, gqlws_doc_op_type type)
{
	switch (type) {
	case GQLWS_DOC_MUTATION: return schema->mutation;
	case GQLWS_DOC_SUBSCRIPTION: return schema->subscription;
	default: return schema->query;
	}
}

/* Directive d (one of bind_directives[which]) on field of type. */
static void bind_directive(bind_ctx *c, const schema_type *type, const schema_field *field,
			   const doc_directive *d, size_t which)
{
	const gqlws_schema *schema = c->hub->schema;

	if (root_of(schema, bind_directives[which].root) != type) {
		bind_error(c, d->pos, "Directive \"@%s\" can only be used on a field of the %s root type; \"%s.%s\" is not one.",
			   bind_directives[which].name, gqlws_doc_op_type_name(bind_directives[which].root),
			   type->name, field->name);
		return;
	}
	const doc_value *topic, *payload = NULL;
	const schema_input_value *payload_arg = NULL;
	size_t errors_before = c->error_count;
	if (!directive_string(c, d, bind_directives[which].topic_arg, &topic))
		return;
	if (bind_directives[which].kind == HUB_BINDING_PUBLISH && !directive_string(c, d, "payload", &payload))
		return;
	if (!topic) {
		bind_error(c, d->pos, "Directive \"@%s\" argument \"%s\" must be a string.", d->name,
			   bind_directives[which].topic_arg);
		return;
	}
	if (payload) {
		payload_arg = schema_arg_find(field->args, field->arg_count, payload->text);
		if (!payload_arg) {
			shown name;
			bind_error(c, d->pos,
				   "Argument \"payload\" of \"@publish\" names \"%s\", which is not an argument of field \"%s.%s\".",
				   show(&name, payload->text, payload->len), type->name, field->name);
		}
	}
	hub_template compiled = {NULL, 0};
	compile_template(c, type, field, d, topic, &compiled);
	if (c->error_count != errors_before || c->nomem) {
		free(compiled.parts);
		return;
	}
	hub_binding *b = new_binding(c);
	if (!b) {
		free(compiled.parts);
		return;
	}
	b->field = field->name;
	b->kind = bind_directives[which].kind;
	b->topic = compiled;
	b->payload = payload_arg ? payload_arg->name : NULL;
	b->def = field;
	c->hub->binding_count++;
}

static int binding_order(const void *pa, const void *pb)
{
	const hub_binding *a = pa, *b = pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->field, b->field);
}

int hub_bind_read(gqlws_hub *hub, cJSON **errors)
{
	bind_ctx c = {.hub = hub, .errors = errors};
	const gqlws_schema *schema = hub->schema;

	*errors = NULL;
	/* Every field of every object and interface type, in the schema's
	 * type order: a directive of the hub may only stand on its root
	 * type's fields, and anywhere else it is an error at it. */
	for (size_t i = 0; i < schema->type_count && !too_many(&c); i++) {
		const schema_type *type = schema->types[i];
		if (type->builtin || (type->kind != SCHEMA_OBJECT && type->kind != SCHEMA_INTERFACE))
			continue;
		for (size_t f = 0; f < type->field_count && !too_many(&c); f++) {
			const schema_field *field = &type->fields[f];
			bool has_topic = false;
			for (const doc_directive *d = field->directives; d && !too_many(&c); d = d->next) {
				for (size_t k = 0; k < sizeof bind_directives / sizeof bind_directives[0]; k++) {
					if (strcmp(d->name, bind_directives[k].name))
						continue;
					has_topic |= bind_directives[k].kind == HUB_BINDING_TOPIC;
					bind_directive(&c, type, field, d, k);
				}
			}
			if (type == schema->subscription && !has_topic)
				bind_error(&c, field->pos,
					   "Subscription field \"%s.%s\" has no @topic directive: every subscription "
					   "field needs @topic(name: \"...\") to name the topic it listens to.",
					   type->name, field->name);
		}
	}
	if (c.nomem) {
		cJSON_Delete(*errors);
		*errors = NULL;
		return -1;
	}
	if (*errors)
		return 1;
	if (hub->binding_count > 1)
		qsort(hub->bindings, hub->binding_count, sizeof *hub->bindings, binding_order);
	return 0;
}

void hub_bind_free(gqlws_hub *hub)
{
	for (size_t i = 0; i < hub->binding_count; i++)
		free(hub->bindings[i].topic.parts);
	free(hub->bindings);
	hub->bindings = NULL;
	hub->binding_count = 0;
}

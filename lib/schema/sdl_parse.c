/*
 * sdl_parse.c - recursive descent over the type-system grammar (spec section
 * 3), on lib/doc's parser so that tokens, values, types and directives (and
 * their syntax errors) are read exactly as in executable documents. The
 * first error stops the parse, worded as graphql-js words it.
 */
#include "sdl_ast.h"

#include <stdio.h>
#include <string.h>

#include "parser.h"
#include "schema_internal.h"

static void *node(doc_parser *p, size_t size)
{
	void *n = doc_arena_alloc(&p->doc->arena, size);
	if (!n) {
		p->failed = true;
		p->nomem = true;
	}
	return n;
}

static bool peek(const doc_parser *p, doc_token_kind kind)
{
	return !p->failed && p->tok.kind == kind;
}

static bool peek_description(const doc_parser *p)
{
	return peek(p, DOC_TOKEN_STRING) || peek(p, DOC_TOKEN_BLOCK_STRING);
}

/* A description before a definition, field, argument or enum value. */
static const char *parse_description(doc_parser *p)
{
	if (!peek_description(p))
		return NULL;
	const char *text = p->tok.value; /* decoded into the arena by the lexer */
	doc_parser_advance(p);
	return text;
}

static sdl_name *parse_named(doc_parser *p)
{
	sdl_name *n = node(p, sizeof *n);
	if (!n)
		return NULL;
	n->name = doc_parser_name(p, &n->pos);
	return p->failed ? NULL : n;
}

/* delimitedMany: an optional leading delimiter, then names separated by it. */
static sdl_name *parse_delimited_names(doc_parser *p, doc_token_kind delimiter)
{
	sdl_name *first = NULL, **tail = &first;
	doc_parser_expect_optional(p, delimiter);
	do {
		sdl_name *n = parse_named(p);
		if (!n)
			return NULL;
		*tail = n;
		tail = &n->next;
	} while (doc_parser_expect_optional(p, delimiter));
	return p->failed ? NULL : first;
}

static sdl_input_value *parse_input_value(doc_parser *p)
{
	sdl_input_value *v = node(p, sizeof *v);
	if (!v)
		return NULL;
	v->node_pos = p->tok.pos;
	v->description = parse_description(p);
	v->name = doc_parser_name(p, &v->pos);
	doc_parser_expect(p, DOC_TOKEN_COLON);
	if (!p->failed)
		v->type = doc_parser_type(p);
	if (doc_parser_expect_optional(p, DOC_TOKEN_EQUALS))
		v->default_value = doc_parser_value(p, true);
	v->directives = doc_parser_directives(p, true);
	return p->failed ? NULL : v;
}

/* optionalMany of input values between open and close (arguments, input
 * fields): nothing without open, at least one with it. */
static sdl_input_value *parse_input_values(doc_parser *p, doc_token_kind open, doc_token_kind close)
{
	if (!doc_parser_expect_optional(p, open))
		return NULL;
	sdl_input_value *first = NULL, **tail = &first;
	do {
		sdl_input_value *v = parse_input_value(p);
		if (!v)
			return NULL;
		*tail = v;
		tail = &v->next;
	} while (!doc_parser_expect_optional(p, close) && !p->failed);
	return p->failed ? NULL : first;
}

static sdl_field *parse_fields(doc_parser *p)
{
	if (!doc_parser_expect_optional(p, DOC_TOKEN_BRACE_L))
		return NULL;
	sdl_field *first = NULL, **tail = &first;
	do {
		sdl_field *f = node(p, sizeof *f);
		if (!f)
			return NULL;
		f->node_pos = p->tok.pos;
		f->description = parse_description(p);
		f->name = doc_parser_name(p, &f->pos);
		f->args = parse_input_values(p, DOC_TOKEN_PAREN_L, DOC_TOKEN_PAREN_R);
		doc_parser_expect(p, DOC_TOKEN_COLON);
		if (!p->failed)
			f->type = doc_parser_type(p);
		f->directives = doc_parser_directives(p, true);
		if (p->failed)
			return NULL;
		*tail = f;
		tail = &f->next;
	} while (!doc_parser_expect_optional(p, DOC_TOKEN_BRACE_R) && !p->failed);
	return p->failed ? NULL : first;
}

static bool token_has_value(const doc_token *tok)
{
	return tok->kind == DOC_TOKEN_NAME || tok->kind == DOC_TOKEN_INT ||
	       tok->kind == DOC_TOKEN_FLOAT || tok->kind == DOC_TOKEN_STRING ||
	       tok->kind == DOC_TOKEN_BLOCK_STRING;
}

/* Token values are not NUL-terminated (names point into the source). */
static bool token_is(const doc_token *tok, const char *word)
{
	size_t len = strlen(word);
	return tok->len == len && memcmp(tok->value, word, len) == 0;
}

static sdl_enum_value *parse_enum_values(doc_parser *p)
{
	if (!doc_parser_expect_optional(p, DOC_TOKEN_BRACE_L))
		return NULL;
	sdl_enum_value *first = NULL, **tail = &first;
	do {
		sdl_enum_value *v = node(p, sizeof *v);
		if (!v)
			return NULL;
		v->node_pos = p->tok.pos;
		v->description = parse_description(p);
		/* graphql-js compares the token's value whatever its kind */
		if (!p->failed && token_has_value(&p->tok) &&
		    (token_is(&p->tok, "true") || token_is(&p->tok, "false") ||
		     token_is(&p->tok, "null"))) {
			char desc[256], message[320];
			doc_parser_token_desc(&p->tok, desc, sizeof desc);
			snprintf(message, sizeof message,
				 "Syntax Error: %s is reserved and cannot be used for an enum value.", desc);
			doc_parser_fail(p, p->tok.pos, message);
			return NULL;
		}
		v->name = doc_parser_name(p, &v->pos);
		v->directives = doc_parser_directives(p, true);
		if (p->failed)
			return NULL;
		*tail = v;
		tail = &v->next;
	} while (!doc_parser_expect_optional(p, DOC_TOKEN_BRACE_R) && !p->failed);
	return p->failed ? NULL : first;
}

static sdl_operation_type *parse_operation_types(doc_parser *p, bool required)
{
	if (required ? !doc_parser_expect(p, DOC_TOKEN_BRACE_L)
		     : !doc_parser_expect_optional(p, DOC_TOKEN_BRACE_L))
		return NULL;
	sdl_operation_type *first = NULL, **tail = &first;
	do {
		sdl_operation_type *o = node(p, sizeof *o);
		if (!o)
			return NULL;
		o->pos = p->tok.pos;
		if (doc_parser_peek_keyword(p, "query"))
			o->operation = GQLWS_DOC_QUERY;
		else if (doc_parser_peek_keyword(p, "mutation"))
			o->operation = GQLWS_DOC_MUTATION;
		else if (doc_parser_peek_keyword(p, "subscription"))
			o->operation = GQLWS_DOC_SUBSCRIPTION;
		else if (peek(p, DOC_TOKEN_NAME))
			doc_parser_fail_unexpected(p);
		else
			doc_parser_expect(p, DOC_TOKEN_NAME);
		if (p->failed || !doc_parser_advance(p))
			return NULL;
		doc_parser_expect(p, DOC_TOKEN_COLON);
		o->type.name = doc_parser_name(p, &o->type.pos);
		if (p->failed)
			return NULL;
		*tail = o;
		tail = &o->next;
	} while (!doc_parser_expect_optional(p, DOC_TOKEN_BRACE_R) && !p->failed);
	return p->failed ? NULL : first;
}

static const char *const location_names[] = {
	"QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
	"INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT",
	"FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
	"INPUT_OBJECT", "INPUT_FIELD_DEFINITION", "DIRECTIVE_DEFINITION",
};

_Static_assert(sizeof location_names / sizeof location_names[0] == SCHEMA_LOC_COUNT,
	       "one name per directive location");

const char *schema_location_name(schema_location loc)
{
	return (unsigned)loc < SCHEMA_LOC_COUNT ? location_names[loc] : "";
}

int schema_location_from_name(const char *name)
{
	for (unsigned i = 0; i < SCHEMA_LOC_COUNT; i++)
		if (strcmp(location_names[i], name) == 0)
			return (int)i;
	return -1;
}

static sdl_name *parse_locations(doc_parser *p)
{
	sdl_name *first = NULL, **tail = &first;
	doc_parser_expect_optional(p, DOC_TOKEN_PIPE);
	do {
		if (peek(p, DOC_TOKEN_NAME)) {
			char name[32];
			size_t len = p->tok.len < sizeof name - 1 ? p->tok.len : sizeof name - 1;
			memcpy(name, p->tok.value, len);
			name[len] = '\0';
			if (p->tok.len >= sizeof name || schema_location_from_name(name) < 0) {
				doc_parser_fail_unexpected(p);
				return NULL;
			}
		}
		sdl_name *n = parse_named(p);
		if (!n)
			return NULL;
		*tail = n;
		tail = &n->next;
	} while (doc_parser_expect_optional(p, DOC_TOKEN_PIPE));
	return p->failed ? NULL : first;
}

static sdl_def *new_def(doc_parser *p, sdl_def_kind kind, doc_pos pos, const char *description)
{
	sdl_def *d = node(p, sizeof *d);
	if (!d)
		return NULL;
	d->kind = kind;
	d->pos = pos;
	d->description = description;
	return d;
}

/* The body of a type definition or extension after its keyword. */
static void parse_type_body(doc_parser *p, sdl_def *d)
{
	d->name = doc_parser_name(p, &d->name_pos);
	switch (d->kind) {
	case SDL_DEF_OBJECT:
	case SDL_DEF_INTERFACE:
		if (!p->failed && doc_parser_peek_keyword(p, "implements") && doc_parser_advance(p))
			d->interfaces = parse_delimited_names(p, DOC_TOKEN_AMP);
		d->directives = doc_parser_directives(p, true);
		d->fields = parse_fields(p);
		break;
	case SDL_DEF_UNION:
		d->directives = doc_parser_directives(p, true);
		if (doc_parser_expect_optional(p, DOC_TOKEN_EQUALS))
			d->members = parse_delimited_names(p, DOC_TOKEN_PIPE);
		break;
	case SDL_DEF_ENUM:
		d->directives = doc_parser_directives(p, true);
		d->values = parse_enum_values(p);
		break;
	case SDL_DEF_INPUT:
		d->directives = doc_parser_directives(p, true);
		d->input_fields = parse_input_values(p, DOC_TOKEN_BRACE_L, DOC_TOKEN_BRACE_R);
		break;
	default:
		d->directives = doc_parser_directives(p, true);
		break;
	}
}

static const struct {
	const char *keyword;
	sdl_def_kind kind;
} type_keywords[] = {
	{"scalar", SDL_DEF_SCALAR}, {"type", SDL_DEF_OBJECT}, {"interface", SDL_DEF_INTERFACE},
	{"union", SDL_DEF_UNION},   {"enum", SDL_DEF_ENUM},   {"input", SDL_DEF_INPUT},
};

static int type_keyword(const doc_parser *p)
{
	for (size_t i = 0; i < sizeof type_keywords / sizeof type_keywords[0]; i++)
		if (doc_parser_peek_keyword(p, type_keywords[i].keyword))
			return (int)i;
	return -1;
}

static sdl_def *parse_extension(doc_parser *p)
{
	doc_pos pos = p->tok.pos;
	doc_parser_advance(p); /* extend */
	if (p->failed)
		return NULL;
	sdl_def *d;
	int k = type_keyword(p);
	if (doc_parser_peek_keyword(p, "schema")) {
		if (!(d = new_def(p, SDL_DEF_SCHEMA, pos, NULL)))
			return NULL;
		doc_parser_advance(p);
		d->directives = doc_parser_directives(p, true);
		d->operations = parse_operation_types(p, false);
		if (!p->failed && !d->directives && !d->operations)
			doc_parser_fail_unexpected(p);
	} else if (k >= 0) {
		if (!(d = new_def(p, type_keywords[k].kind, pos, NULL)))
			return NULL;
		doc_parser_advance(p);
		parse_type_body(p, d);
		bool empty = !d->directives && !d->interfaces && !d->fields && !d->members &&
			     !d->values && !d->input_fields;
		if (!p->failed && empty)
			doc_parser_fail_unexpected(p);
	} else {
		doc_parser_fail_unexpected(p);
		return NULL;
	}
	d->extension = true;
	return p->failed ? NULL : d;
}

static sdl_def *parse_directive_def(doc_parser *p, doc_pos pos, const char *description)
{
	sdl_def *d = new_def(p, SDL_DEF_DIRECTIVE, pos, description);
	if (!d)
		return NULL;
	doc_parser_advance(p); /* directive */
	doc_parser_expect(p, DOC_TOKEN_AT);
	d->name = doc_parser_name(p, &d->name_pos);
	d->args = parse_input_values(p, DOC_TOKEN_PAREN_L, DOC_TOKEN_PAREN_R);
	if (!p->failed && doc_parser_peek_keyword(p, "repeatable")) {
		d->repeatable = true;
		doc_parser_advance(p);
	}
	doc_parser_expect_keyword(p, "on");
	d->locations = parse_locations(p);
	return p->failed ? NULL : d;
}

static sdl_def *executable_def(doc_parser *p, doc_pos pos, const gqlws_doc_operation *op,
			       const doc_fragment *fragment)
{
	if (p->failed)
		return NULL;
	sdl_def *d = new_def(p, SDL_DEF_EXECUTABLE, pos, NULL);
	if (d) {
		d->operation = op;
		d->fragment = fragment;
	}
	return d;
}

static sdl_def *parse_definition(doc_parser *p)
{
	doc_pos pos = p->tok.pos;
	if (peek(p, DOC_TOKEN_BRACE_L))
		return executable_def(p, pos, doc_parser_operation(p), NULL);
	bool has_description = peek_description(p);
	const char *description = parse_description(p);
	if (p->failed)
		return NULL;
	if (has_description && peek(p, DOC_TOKEN_BRACE_L)) {
		doc_parser_fail(p, pos, "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.");
		return NULL;
	}
	if (!peek(p, DOC_TOKEN_NAME)) {
		doc_parser_fail_unexpected(p);
		return NULL;
	}
	int k = type_keyword(p);
	if (doc_parser_peek_keyword(p, "schema")) {
		sdl_def *d = new_def(p, SDL_DEF_SCHEMA, pos, description);
		if (!d)
			return NULL;
		doc_parser_advance(p);
		d->directives = doc_parser_directives(p, true);
		d->operations = parse_operation_types(p, true);
		return p->failed ? NULL : d;
	}
	if (k >= 0) {
		sdl_def *d = new_def(p, type_keywords[k].kind, pos, description);
		if (!d)
			return NULL;
		doc_parser_advance(p);
		parse_type_body(p, d);
		return p->failed ? NULL : d;
	}
	if (doc_parser_peek_keyword(p, "directive"))
		return parse_directive_def(p, pos, description);
	if (doc_parser_peek_keyword(p, "query") || doc_parser_peek_keyword(p, "mutation") ||
	    doc_parser_peek_keyword(p, "subscription"))
		return executable_def(p, pos, doc_parser_operation(p), NULL);
	if (doc_parser_peek_keyword(p, "fragment"))
		return executable_def(p, pos, NULL, doc_parser_fragment(p));
	if (has_description) {
		doc_parser_fail(p, pos, "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.");
		return NULL;
	}
	if (doc_parser_peek_keyword(p, "extend"))
		return parse_extension(p);
	doc_parser_fail_unexpected(p);
	return NULL;
}

int sdl_parse(gqlws_doc *doc, const char *text, size_t len, sdl_document *out, cJSON **errors)
{
	doc_parser p;
	doc_parser_init(&p, doc, text, len);
	memset(out, 0, sizeof *out);
	sdl_def **tail = &out->defs;
	if (doc_parser_advance(&p) && p.tok.kind == DOC_TOKEN_EOF)
		doc_parser_fail_unexpected(&p); /* a document has at least one definition */
	while (!p.failed && p.tok.kind != DOC_TOKEN_EOF) {
		sdl_def *d = parse_definition(&p);
		if (!d)
			break;
		*tail = d;
		tail = &d->next;
		out->def_count++;
	}
	switch (doc_parser_finish(&p, errors)) {
	case DOC_PARSE_OK:
		return 0;
	case DOC_PARSE_INVALID:
		return -1;
	default:
		return -2;
	}
}

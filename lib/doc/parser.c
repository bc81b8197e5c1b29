/*
 * parser.c - recursive descent over the executable-document grammar; see
 * parser.h. The first error stops parsing, as in graphql-js, and its wording
 * is graphql-js's. Recursion is bounded by the depth limit, checked on every
 * nested selection set, list or object value and list type.
 */
#include "parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "lexer.h"

/* The state lives in parser.h: the SDL parser of lib/schema drives the same
 * functions through the doc_parser_* entry points at the end of this file. */
typedef doc_parser parser;

static void fail(parser *p, doc_pos pos, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(parser *p, doc_pos pos, const char *format, ...)
{
	if (p->failed)
		return;
	va_list args;
	va_start(args, format);
	vsnprintf(p->message, sizeof p->message, format, args);
	va_end(args);
	p->error_pos = pos;
	p->failed = true;
}

static void fail_nomem(parser *p)
{
	p->failed = true;
	p->nomem = true;
}

static void *node(parser *p, size_t size)
{
	void *n = doc_arena_alloc(&p->doc->arena, size);
	if (!n)
		fail_nomem(p);
	return n;
}

static bool advance(parser *p)
{
	doc_lex_status st = doc_lexer_next(&p->lexer, &p->tok);
	if (st == DOC_LEX_NOMEM) {
		fail_nomem(p);
		return false;
	}
	if (st == DOC_LEX_SYNTAX) {
		fail(p, p->lexer.error_pos, "Syntax Error: %s", p->lexer.message);
		return false;
	}
	if (++p->tokens > p->max_tokens && p->tok.kind != DOC_TOKEN_EOF) {
		fail(p, p->tok.pos, "Document exceeds max-document-tokens (%zu).",
		     p->doc->limits.max_tokens);
		return false;
	}
	return true;
}

static bool peek(const parser *p, doc_token_kind kind)
{
	return p->tok.kind == kind;
}

static bool peek_keyword(const parser *p, const char *word)
{
	size_t len = strlen(word);
	return p->tok.kind == DOC_TOKEN_NAME && p->tok.len == len && memcmp(p->tok.value, word, len) == 0;
}

/* graphql-js's getTokenDesc: `"{"`, `Name "x"`, `<EOF>`. */
static void token_desc(const doc_token *tok, char *out, size_t size)
{
	const char *kind = doc_token_kind_desc(tok->kind);
	switch (tok->kind) {
	case DOC_TOKEN_NAME:
	case DOC_TOKEN_INT:
	case DOC_TOKEN_FLOAT:
	case DOC_TOKEN_STRING:
	case DOC_TOKEN_BLOCK_STRING: {
		int shown = tok->len > 200 ? 200 : (int)tok->len;
		snprintf(out, size, "%s \"%.*s\"", kind, shown, tok->value);
		break;
	}
	default:
		snprintf(out, size, "%s", kind);
		break;
	}
}

static void fail_unexpected(parser *p)
{
	char desc[256];
	token_desc(&p->tok, desc, sizeof desc);
	fail(p, p->tok.pos, "Syntax Error: Unexpected %s.", desc);
}

static bool expect(parser *p, doc_token_kind kind)
{
	if (p->failed)
		return false;
	if (p->tok.kind == kind)
		return advance(p);
	char desc[256];
	token_desc(&p->tok, desc, sizeof desc);
	fail(p, p->tok.pos, "Syntax Error: Expected %s, found %s.", doc_token_kind_desc(kind), desc);
	return false;
}

static bool expect_optional(parser *p, doc_token_kind kind)
{
	if (p->failed || p->tok.kind != kind)
		return false;
	return advance(p);
}

static bool expect_keyword(parser *p, const char *word)
{
	if (p->failed)
		return false;
	if (peek_keyword(p, word))
		return advance(p);
	char desc[256];
	token_desc(&p->tok, desc, sizeof desc);
	fail(p, p->tok.pos, "Syntax Error: Expected \"%s\", found %s.", word, desc);
	return false;
}

static bool enter(parser *p)
{
	if (p->failed)
		return false;
	if (++p->depth > p->doc->limits.max_depth) {
		fail(p, p->tok.pos, "Document exceeds max-document-depth (%zu).",
		     p->doc->limits.max_depth);
		return false;
	}
	return true;
}

static void leave(parser *p)
{
	p->depth--;
}

/* A Name token as an arena string; NULL (and failed) if the token is not one. */
static const char *parse_name(parser *p, doc_pos *pos)
{
	if (p->failed)
		return NULL;
	if (!peek(p, DOC_TOKEN_NAME)) {
		expect(p, DOC_TOKEN_NAME);
		return NULL;
	}
	if (pos)
		*pos = p->tok.pos;
	char *name = doc_arena_strndup(&p->doc->arena, p->tok.value, p->tok.len);
	if (!name) {
		fail_nomem(p);
		return NULL;
	}
	return advance(p) ? name : NULL;
}

/* --------------------------------------------------------------- values */

static doc_value *parse_value(parser *p, bool is_const);

static doc_value *parse_list_or_object(parser *p, bool is_const, bool is_object)
{
	doc_value *v = node(p, sizeof *v);
	if (!v || !enter(p))
		return NULL;
	v->kind = is_object ? DOC_VALUE_OBJECT : DOC_VALUE_LIST;
	v->pos = p->tok.pos;
	doc_token_kind close = is_object ? DOC_TOKEN_BRACE_R : DOC_TOKEN_BRACKET_R;
	advance(p);
	doc_value **tail = &v->items;
	while (!p->failed && !expect_optional(p, close)) {
		doc_value *item;
		if (is_object) {
			doc_pos pos;
			const char *name = parse_name(p, &pos);
			if (!expect(p, DOC_TOKEN_COLON))
				break;
			item = parse_value(p, is_const);
			if (item) {
				item->member_name = name;
				item->member_pos = pos;
			}
		} else {
			item = parse_value(p, is_const);
		}
		if (!item)
			break;
		*tail = item;
		tail = &item->next;
		v->len++;
	}
	leave(p);
	return p->failed ? NULL : v;
}

static doc_value *parse_value(parser *p, bool is_const)
{
	if (p->failed)
		return NULL;
	doc_value *v;
	switch (p->tok.kind) {
	case DOC_TOKEN_BRACKET_L:
		return parse_list_or_object(p, is_const, false);
	case DOC_TOKEN_BRACE_L:
		return parse_list_or_object(p, is_const, true);
	case DOC_TOKEN_DOLLAR: {
		doc_pos pos = p->tok.pos;
		if (is_const) {
			if (!advance(p))
				return NULL;
			if (peek(p, DOC_TOKEN_NAME))
				fail(p, pos, "Syntax Error: Unexpected variable \"$%.*s\" in constant value.",
				     p->tok.len > 200 ? 200 : (int)p->tok.len, p->tok.value);
			else
				fail(p, pos, "Syntax Error: Unexpected \"$\".");
			return NULL;
		}
		advance(p);
		const char *name = parse_name(p, NULL);
		if (!name || !(v = node(p, sizeof *v)))
			return NULL;
		v->kind = DOC_VALUE_VARIABLE;
		p->doc->has_variable_uses = true;
		v->pos = pos;
		v->text = name;
		v->len = strlen(name);
		return v;
	}
	case DOC_TOKEN_INT:
	case DOC_TOKEN_FLOAT:
	case DOC_TOKEN_STRING:
	case DOC_TOKEN_BLOCK_STRING:
	case DOC_TOKEN_NAME:
		break;
	default:
		fail_unexpected(p);
		return NULL;
	}
	if (!(v = node(p, sizeof *v)))
		return NULL;
	v->pos = p->tok.pos;
	switch (p->tok.kind) {
	case DOC_TOKEN_INT:
	case DOC_TOKEN_FLOAT:
		v->kind = p->tok.kind == DOC_TOKEN_INT ? DOC_VALUE_INT : DOC_VALUE_FLOAT;
		v->text = doc_arena_strndup(&p->doc->arena, p->tok.value, p->tok.len);
		break;
	case DOC_TOKEN_STRING:
	case DOC_TOKEN_BLOCK_STRING:
		v->kind = DOC_VALUE_STRING;
		v->text = p->tok.value; /* already decoded into the arena */
		v->block = p->tok.kind == DOC_TOKEN_BLOCK_STRING;
		break;
	default:
		if (peek_keyword(p, "true") || peek_keyword(p, "false")) {
			v->kind = DOC_VALUE_BOOLEAN;
			v->boolean = peek_keyword(p, "true");
		} else if (peek_keyword(p, "null")) {
			v->kind = DOC_VALUE_NULL;
		} else {
			v->kind = DOC_VALUE_ENUM;
			v->text = doc_arena_strndup(&p->doc->arena, p->tok.value, p->tok.len);
		}
		break;
	}
	v->len = p->tok.len;
	if ((v->kind == DOC_VALUE_INT || v->kind == DOC_VALUE_FLOAT || v->kind == DOC_VALUE_ENUM) &&
	    !v->text) {
		fail_nomem(p);
		return NULL;
	}
	return advance(p) ? v : NULL;
}

/* ------------------------------------------------- arguments, directives */

static doc_argument *parse_argument_list(parser *p, bool is_const)
{
	advance(p);
	doc_argument *first = NULL, **tail = &first;
	do {
		doc_argument *arg = node(p, sizeof *arg);
		if (!arg)
			return NULL;
		arg->name = parse_name(p, &arg->pos);
		expect(p, DOC_TOKEN_COLON);
		arg->value = parse_value(p, is_const);
		if (p->failed)
			return NULL;
		*tail = arg;
		tail = &arg->next;
	} while (!expect_optional(p, DOC_TOKEN_PAREN_R) && !p->failed);
	return first;
}

/* Most fields have no argument and no directive: no call then. */
static inline doc_argument *parse_arguments(parser *p, bool is_const)
{
	if (p->failed || !peek(p, DOC_TOKEN_PAREN_L))
		return NULL;
	return parse_argument_list(p, is_const);
}

static doc_directive *parse_directive_list(parser *p, bool is_const)
{
	doc_directive *first = NULL, **tail = &first;
	while (!p->failed && peek(p, DOC_TOKEN_AT)) {
		doc_directive *d = node(p, sizeof *d);
		if (!d)
			return NULL;
		d->pos = p->tok.pos;
		advance(p);
		d->name = parse_name(p, NULL);
		d->arguments = parse_arguments(p, is_const);
		*tail = d;
		tail = &d->next;
	}
	return first;
}

static inline doc_directive *parse_directives(parser *p, bool is_const)
{
	if (p->failed || !peek(p, DOC_TOKEN_AT))
		return NULL;
	return parse_directive_list(p, is_const);
}

/* ------------------------------------------------------------ selections */

static doc_selection *parse_selection_set(parser *p);

static doc_selection *new_selection(parser *p, doc_selection_kind kind, doc_pos pos)
{
	doc_selection *s = node(p, sizeof *s);
	if (!s)
		return NULL;
	s->kind = kind;
	s->pos = pos;
	s->index = (unsigned)p->doc->selection_count++;
	return s;
}

static doc_selection *parse_field(parser *p)
{
	doc_selection *s = new_selection(p, DOC_SELECTION_FIELD, p->tok.pos);
	if (!s)
		return NULL;
	size_t key_len = p->tok.len; /* of the name token parse_name takes */
	const char *name = parse_name(p, NULL);
	if (expect_optional(p, DOC_TOKEN_COLON)) {
		s->alias = name;
		name = parse_name(p, NULL);
	}
	s->name = name;
	s->key = s->alias ? s->alias : s->name;
	s->key_len = s->key ? key_len : 0;
	s->arguments = parse_arguments(p, false);
	s->directives = parse_directives(p, false);
	if (!p->failed && peek(p, DOC_TOKEN_BRACE_L)) {
		s->selections_pos = p->tok.pos;
		s->selections = parse_selection_set(p);
	}
	return p->failed ? NULL : s;
}

static doc_selection *parse_fragment_selection(parser *p)
{
	doc_pos pos = p->tok.pos;
	advance(p); /* ... */
	bool has_condition = !p->failed && peek_keyword(p, "on");
	if (!has_condition && !p->failed && peek(p, DOC_TOKEN_NAME)) {
		doc_selection *s = new_selection(p, DOC_SELECTION_SPREAD, pos);
		if (!s)
			return NULL;
		p->spreads++;
		s->name = parse_name(p, &s->name_pos);
		s->directives = parse_directives(p, false);
		return p->failed ? NULL : s;
	}
	doc_selection *s = new_selection(p, DOC_SELECTION_INLINE, pos);
	if (!s)
		return NULL;
	if (has_condition) {
		advance(p);
		s->type_condition = parse_name(p, &s->type_condition_pos);
	}
	s->directives = parse_directives(p, false);
	s->selections = parse_selection_set(p);
	return p->failed ? NULL : s;
}

static doc_selection *parse_selection_set(parser *p)
{
	if (!expect(p, DOC_TOKEN_BRACE_L))
		return NULL;
	/* The depth is checked after the brace so the error points inside. */
	if (!enter(p))
		return NULL;
	doc_selection *first = NULL, **tail = &first;
	do {
		doc_selection *s = peek(p, DOC_TOKEN_SPREAD) ? parse_fragment_selection(p) : parse_field(p);
		if (!s)
			break;
		*tail = s;
		tail = &s->next;
	} while (!expect_optional(p, DOC_TOKEN_BRACE_R) && !p->failed);
	leave(p);
	return p->failed ? NULL : first;
}

/* ----------------------------------------------------------- definitions */

static doc_type *parse_type(parser *p)
{
	doc_type *t = node(p, sizeof *t);
	if (!t)
		return NULL;
	t->pos = p->tok.pos;
	if (peek(p, DOC_TOKEN_BRACKET_L)) {
		if (!enter(p))
			return NULL;
		advance(p);
		t->kind = DOC_TYPE_LIST;
		t->of_type = parse_type(p);
		expect(p, DOC_TOKEN_BRACKET_R);
		leave(p);
	} else {
		t->kind = DOC_TYPE_NAMED;
		t->name = parse_name(p, NULL);
	}
	if (p->failed)
		return NULL;
	if (expect_optional(p, DOC_TOKEN_BANG)) {
		doc_type *nn = node(p, sizeof *nn);
		if (!nn)
			return NULL;
		nn->kind = DOC_TYPE_NON_NULL;
		nn->pos = t->pos;
		nn->of_type = t;
		return nn;
	}
	return p->failed ? NULL : t;
}

/* graphql-js 16.15 lets operations, fragments and variable definitions
 * have a description (the node then starts at it); it means nothing to
 * us. */
static void skip_description(parser *p)
{
	if (p->descriptions && !p->failed && (peek(p, DOC_TOKEN_STRING) || peek(p, DOC_TOKEN_BLOCK_STRING)))
		advance(p);
}

static doc_variable_def *parse_variable_defs(parser *p)
{
	if (p->failed || !peek(p, DOC_TOKEN_PAREN_L))
		return NULL;
	advance(p);
	doc_variable_def *first = NULL, **tail = &first;
	do {
		doc_variable_def *def = node(p, sizeof *def);
		if (!def)
			return NULL;
		def->pos = p->tok.pos;
		skip_description(p);
		expect(p, DOC_TOKEN_DOLLAR);
		def->name = parse_name(p, &def->name_pos);
		expect(p, DOC_TOKEN_COLON);
		if (!p->failed)
			def->type = parse_type(p);
		if (expect_optional(p, DOC_TOKEN_EQUALS))
			def->default_value = parse_value(p, true);
		def->directives = parse_directives(p, true);
		if (p->failed)
			return NULL;
		*tail = def;
		tail = &def->next;
	} while (!expect_optional(p, DOC_TOKEN_PAREN_R) && !p->failed);
	return first;
}

static gqlws_doc_operation *parse_operation(parser *p)
{
	gqlws_doc_operation *op = node(p, sizeof *op);
	if (!op)
		return NULL;
	op->pos = p->tok.pos;
	size_t spreads_before = p->spreads;
	if (peek(p, DOC_TOKEN_BRACE_L)) {
		op->type = GQLWS_DOC_QUERY;
		op->selections = parse_selection_set(p);
		op->spread_count = p->spreads - spreads_before;
		return p->failed ? NULL : op;
	}
	skip_description(p);
	if (peek_keyword(p, "query"))
		op->type = GQLWS_DOC_QUERY;
	else if (peek_keyword(p, "mutation"))
		op->type = GQLWS_DOC_MUTATION;
	else
		op->type = GQLWS_DOC_SUBSCRIPTION;
	advance(p);
	if (!p->failed && peek(p, DOC_TOKEN_NAME))
		op->name = parse_name(p, &op->name_pos);
	op->variables = parse_variable_defs(p);
	op->directives = parse_directives(p, false);
	op->selections = parse_selection_set(p);
	op->spread_count = p->spreads - spreads_before;
	return p->failed ? NULL : op;
}

static doc_fragment *parse_fragment(parser *p)
{
	doc_fragment *f = node(p, sizeof *f);
	if (!f)
		return NULL;
	f->pos = p->tok.pos;
	skip_description(p);
	advance(p); /* fragment */
	if (!p->failed && peek_keyword(p, "on")) {
		fail_unexpected(p);
		return NULL;
	}
	f->name = parse_name(p, &f->name_pos);
	expect_keyword(p, "on");
	f->type_condition = parse_name(p, &f->type_condition_pos);
	/* the document's flag, for this fragment's values alone */
	bool uses_before = p->doc->has_variable_uses;
	p->doc->has_variable_uses = false;
	size_t spreads_before = p->spreads;
	f->directives = parse_directives(p, false);
	f->selections = parse_selection_set(p);
	f->spread_count = p->spreads - spreads_before;
	f->has_variable_uses = p->doc->has_variable_uses;
	p->doc->has_variable_uses |= uses_before;
	return p->failed ? NULL : f;
}

/* A string before a definition is a description, which only type system
 * definitions may have; graphql-js words it by the token that follows. */
static void fail_description(parser *p)
{
	static const char *const type_system[] = {"schema", "scalar", "type", "interface", "union",
						  "enum", "input", "directive", "extend"};
	doc_pos pos = p->tok.pos;
	if (!advance(p))
		return;
	if (peek(p, DOC_TOKEN_NAME)) {
		bool is_type_system = false;
		for (size_t i = 0; i < sizeof type_system / sizeof type_system[0]; i++)
			is_type_system = is_type_system || peek_keyword(p, type_system[i]);
		if (!is_type_system) {
			fail(p, pos, "Syntax Error: Unexpected description, descriptions are supported only on type definitions.");
			return;
		}
	}
	fail_unexpected(p);
}

static bool pos_before(doc_pos a, doc_pos b)
{
	return a.line < b.line || (a.line == b.line && a.column < b.column);
}

/* The token after the current one, without consuming anything. */
static doc_token_kind peek_next(parser *p, doc_token *next)
{
	doc_lexer copy = p->lexer;
	if (doc_lexer_next(&copy, next) != DOC_LEX_OK)
		next->kind = DOC_TOKEN_EOF; /* the real advance reports it */
	return next->kind;
}

static bool is_word(const doc_token *tok, const char *word)
{
	size_t len = strlen(word);
	return tok->kind == DOC_TOKEN_NAME && tok->len == len && memcmp(tok->value, word, len) == 0;
}

/* A description before a definition, graphql-js 16.15's way: it may stand
 * before an operation or fragment (parsed by the caller), nowhere else. */
static bool description_allowed(parser *p)
{
	doc_token next;
	doc_pos pos = p->tok.pos;
	peek_next(p, &next);
	if (next.kind == DOC_TOKEN_BRACE_L) {
		fail(p, pos, "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.");
		return false;
	}
	if (is_word(&next, "query") || is_word(&next, "mutation") || is_word(&next, "subscription") ||
	    is_word(&next, "fragment"))
		return true;
	/* type-system definitions are left to the caller's other grammar */
	if (next.kind == DOC_TOKEN_NAME && !is_word(&next, "schema") && !is_word(&next, "scalar") &&
	    !is_word(&next, "type") && !is_word(&next, "interface") && !is_word(&next, "union") &&
	    !is_word(&next, "enum") && !is_word(&next, "input") && !is_word(&next, "directive")) {
		fail(p, pos, "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.");
		return false;
	}
	advance(p);
	fail_unexpected(p);
	return false;
}

/* Skips the tokens of a definition the options say to skip (a type-system
 * definition another grammar has read) when the current token starts one. */
static void skip_definitions(parser *p, const doc_parse_options *options, size_t *next_skip)
{
	while (!p->failed && *next_skip < options->skip_count && !peek(p, DOC_TOKEN_EOF)) {
		const doc_skip_range *range = &options->skips[*next_skip];
		if (pos_before(p->tok.pos, range->from))
			return;
		while (!p->failed && !peek(p, DOC_TOKEN_EOF) &&
		       (range->to.line == 0 || pos_before(p->tok.pos, range->to)))
			advance(p);
		(*next_skip)++;
	}
}

doc_parse_status doc_parse_text_ex(gqlws_doc *doc, const char *text, size_t len, cJSON **errors,
				   const doc_parse_options *options)
{
	static const doc_parse_options legacy = {0};
	parser p;
	memset(&p, 0, sizeof p);
	p.doc = doc;
	p.max_tokens = doc->limits.max_tokens;
	if (!options)
		options = &legacy;
	p.descriptions = options->descriptions;
	doc_lexer_init(&p.lexer, text, len, &doc->arena);

	gqlws_doc_operation **op_tail = &doc->operations;
	doc_fragment **frag_tail = &doc->fragments;
	size_t next_skip = 0;
	if (advance(&p) && peek(&p, DOC_TOKEN_EOF))
		fail_unexpected(&p); /* a document has at least one definition */
	for (;;) {
		skip_definitions(&p, options, &next_skip);
		if (p.failed || peek(&p, DOC_TOKEN_EOF))
			break;
		bool described = peek(&p, DOC_TOKEN_STRING) || peek(&p, DOC_TOKEN_BLOCK_STRING);
		if (described && !options->descriptions) {
			fail_description(&p);
			break;
		}
		if (described && !description_allowed(&p))
			break;
		doc_token next = p.tok;
		if (described)
			peek_next(&p, &next);
		if (next.kind == DOC_TOKEN_BRACE_L || is_word(&next, "query") || is_word(&next, "mutation") ||
		    is_word(&next, "subscription")) {
			gqlws_doc_operation *op = parse_operation(&p);
			if (!op)
				break;
			op->index = (unsigned)doc->operation_count++;
			*op_tail = op;
			op_tail = &op->next;
		} else if (is_word(&next, "fragment")) {
			doc_fragment *f = parse_fragment(&p);
			if (!f)
				break;
			f->index = (unsigned)doc->fragment_count++;
			*frag_tail = f;
			frag_tail = &f->next;
		} else {
			fail_unexpected(&p);
		}
	}
	if (p.nomem)
		return DOC_PARSE_NOMEM;
	if (p.failed) {
		if (!doc_error_add(errors, p.error_pos, "%s", p.message))
			return DOC_PARSE_NOMEM;
		return DOC_PARSE_INVALID;
	}
	return DOC_PARSE_OK;
}

doc_parse_status doc_parse_text(gqlws_doc *doc, const char *text, size_t len, cJSON **errors)
{
	return doc_parse_text_ex(doc, text, len, errors, NULL);
}

/* -------------------------------------------- entry points for lib/schema */

void doc_parser_init(doc_parser *p, gqlws_doc *doc, const char *text, size_t len)
{
	memset(p, 0, sizeof *p);
	p->doc = doc;
	p->max_tokens = doc->limits.max_tokens;
	p->descriptions = true; /* the SDL grammar is graphql-js 16.15's */
	doc_lexer_init(&p->lexer, text, len, &doc->arena);
}

bool doc_parser_advance(doc_parser *p)
{
	return advance(p);
}

bool doc_parser_peek_keyword(const doc_parser *p, const char *word)
{
	return peek_keyword(p, word);
}

bool doc_parser_expect(doc_parser *p, doc_token_kind kind)
{
	return expect(p, kind);
}

bool doc_parser_expect_optional(doc_parser *p, doc_token_kind kind)
{
	return expect_optional(p, kind);
}

bool doc_parser_expect_keyword(doc_parser *p, const char *word)
{
	return expect_keyword(p, word);
}

void doc_parser_fail_unexpected(doc_parser *p)
{
	fail_unexpected(p);
}

void doc_parser_fail(doc_parser *p, doc_pos pos, const char *message)
{
	fail(p, pos, "%s", message);
}

void doc_parser_token_desc(const doc_token *tok, char *out, size_t size)
{
	token_desc(tok, out, size);
}

const char *doc_parser_name(doc_parser *p, doc_pos *pos)
{
	return parse_name(p, pos);
}

doc_value *doc_parser_value(doc_parser *p, bool is_const)
{
	return parse_value(p, is_const);
}

doc_directive *doc_parser_directives(doc_parser *p, bool is_const)
{
	return parse_directives(p, is_const);
}

doc_type *doc_parser_type(doc_parser *p)
{
	return parse_type(p);
}

gqlws_doc_operation *doc_parser_operation(doc_parser *p)
{
	return parse_operation(p);
}

doc_fragment *doc_parser_fragment(doc_parser *p)
{
	return parse_fragment(p);
}

doc_parse_status doc_parser_finish(doc_parser *p, cJSON **errors)
{
	if (p->nomem)
		return DOC_PARSE_NOMEM;
	if (p->failed) {
		if (!doc_error_add(errors, p->error_pos, "%s", p->message))
			return DOC_PARSE_NOMEM;
		return DOC_PARSE_INVALID;
	}
	return DOC_PARSE_OK;
}

/*
 * lexer.h - the lexical grammar of GraphQL (spec section 2.1): turns
 * document text into tokens on demand, skipping ignored tokens, decoding
 * string values, and reporting lexical errors with graphql-js wording.
 */
#ifndef GQLWS_DOC_LEXER_H
#define GQLWS_DOC_LEXER_H

#include <stddef.h>

#include "arena.h"
#include "ast.h"

typedef enum doc_token_kind {
	DOC_TOKEN_EOF,
	DOC_TOKEN_BANG,
	DOC_TOKEN_DOLLAR,
	DOC_TOKEN_AMP,
	DOC_TOKEN_PAREN_L,
	DOC_TOKEN_PAREN_R,
	DOC_TOKEN_SPREAD,
	DOC_TOKEN_COLON,
	DOC_TOKEN_EQUALS,
	DOC_TOKEN_AT,
	DOC_TOKEN_BRACKET_L,
	DOC_TOKEN_BRACKET_R,
	DOC_TOKEN_BRACE_L,
	DOC_TOKEN_PIPE,
	DOC_TOKEN_BRACE_R,
	DOC_TOKEN_NAME,
	DOC_TOKEN_INT,
	DOC_TOKEN_FLOAT,
	DOC_TOKEN_STRING,
	DOC_TOKEN_BLOCK_STRING,
} doc_token_kind;

typedef struct doc_token {
	doc_token_kind kind;
	doc_pos pos;
	/* Name, Int, Float: the source text; String, BlockString: the decoded
	 * value, NUL-terminated in the arena (len excludes the NUL). */
	const char *value;
	size_t len;
} doc_token;

typedef enum doc_lex_status {
	DOC_LEX_OK = 0,
	DOC_LEX_SYNTAX = -1, /* message and pos in the lexer */
	DOC_LEX_NOMEM = -2,
} doc_lex_status;

typedef struct doc_lexer {
	const char *cur;
	const char *end;
	const char *line_start;
	unsigned line;
	/* bytes minus UTF-16 units of the characters consumed on this line,
	 * so that columns count like graphql-js without rescanning lines */
	size_t line_adjust;
	doc_arena *arena;
	char message[256];    /* on DOC_LEX_SYNTAX, without "Syntax Error: " */
	doc_pos error_pos;
} doc_lexer;

void doc_lexer_init(doc_lexer *lx, const char *text, size_t len, doc_arena *arena);

/* The column accounting of lexer.c, for the inline fast path below. */
static inline doc_pos doc_lexer_pos_at(const doc_lexer *lx, const char *p)
{
	return (doc_pos){lx->line, (unsigned)((size_t)(p - lx->line_start) - lx->line_adjust + 1)};
}

/* By byte: may start a name, may continue one, ignored on the same line
 * (space, comma, tab). */
#define DOC_LEX_NAME_START 1u
#define DOC_LEX_NAME_CONTINUE 2u
#define DOC_LEX_BLANK 4u
extern const unsigned char doc_lexer_name_class[256];
/* The one-byte punctuators' token kinds plus one (0: not one). */
extern const unsigned char doc_lexer_punctuator_kind[256];

/* Every token and every ignored token (the fast path's rest). */
doc_lex_status doc_lexer_next_any(doc_lexer *lx, doc_token *tok);

/* Reads the next token into *tok. Inline: the common tokens (names and
 * one-byte punctuators after spaces, commas, tabs and \n) with few
 * registers and no call, a call per token being a good part of what a
 * token costs; anything else (strings, numbers, comments, \r, errors) goes
 * to doc_lexer_next_any. */
static inline doc_lex_status doc_lexer_next(doc_lexer *lx, doc_token *tok)
{
	const char *p = lx->cur, *end = lx->end;
	for (;;) {
		while (p < end && (doc_lexer_name_class[(unsigned char)*p] & DOC_LEX_BLANK))
			p++;
		if (p == end || *p != '\n')
			break;
		p++;
		lx->line_start = p;
		lx->line++;
		lx->line_adjust = 0;
	}
	lx->cur = p;
	if (p < end) {
		unsigned char c = (unsigned char)*p;
		unsigned punctuator = doc_lexer_punctuator_kind[c];
		if (punctuator || (doc_lexer_name_class[c] & DOC_LEX_NAME_START)) {
			tok->pos = doc_lexer_pos_at(lx, p);
			tok->value = p;
			if (punctuator) {
				tok->kind = (doc_token_kind)(punctuator - 1);
				tok->len = 1;
				lx->cur = p + 1;
				return DOC_LEX_OK;
			}
			const char *q = p + 1;
			while (q < end && (doc_lexer_name_class[(unsigned char)*q] & DOC_LEX_NAME_CONTINUE))
				q++;
			tok->kind = DOC_TOKEN_NAME;
			tok->len = (size_t)(q - p);
			lx->cur = q;
			return DOC_LEX_OK;
		}
	}
	return doc_lexer_next_any(lx, tok);
}

/* The graphql-js description of a token kind: `"{"`, `Name`, `<EOF>`. */
const char *doc_token_kind_desc(doc_token_kind kind);

#endif

/*
 * doc_errors.c - every syntax and document error the parser reports: the
 * graphql-js message and the line/column it points at.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

typedef struct error_case {
	const char *document;
	const char *message;
	unsigned line;   /* 0: no locations */
	unsigned column;
} error_case;

/* Parses the document (NUL-terminated) and checks the first error. */
static void check_first_error(const char *document, size_t len, const char *message,
			      unsigned line, unsigned column)
{
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(document, len, NULL, &errors);
	ck_assert_msg(doc == NULL, "parsed: %s", document);
	ck_assert_ptr_nonnull(errors);
	ck_assert(cJSON_IsArray(errors));
	const cJSON *first = cJSON_GetArrayItem(errors, 0);
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(first, "message");
	ck_assert(cJSON_IsString(msg));
	ck_assert_msg(strcmp(msg->valuestring, message) == 0, "document %s: got '%s', want '%s'",
		      document, msg->valuestring, message);
	const cJSON *locations = cJSON_GetObjectItemCaseSensitive(first, "locations");
	if (line == 0) {
		ck_assert_ptr_null(locations);
	} else {
		const cJSON *loc = cJSON_GetArrayItem(locations, 0);
		ck_assert_msg(loc != NULL, "no location for %s", document);
		ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(loc, "line")->valueint, line);
		ck_assert_msg(cJSON_GetObjectItemCaseSensitive(loc, "column")->valueint == (int)column,
			      "document %s: column %d, want %u", document,
			      cJSON_GetObjectItemCaseSensitive(loc, "column")->valueint, column);
	}
	cJSON_Delete(errors);
}

static const error_case syntax_cases[] = {
	/* parser */
	{"", "Syntax Error: Unexpected <EOF>.", 1, 1},
	{"   # only a comment\n", "Syntax Error: Unexpected <EOF>.", 2, 1},
	{"{", "Syntax Error: Expected Name, found <EOF>.", 1, 2},
	{"{ a", "Syntax Error: Expected Name, found <EOF>.", 1, 4},
	{"{}", "Syntax Error: Expected Name, found \"}\".", 1, 2},
	{"{ a(x: 1 }", "Syntax Error: Expected Name, found \"}\".", 1, 10},
	{"{ a() }", "Syntax Error: Expected Name, found \")\".", 1, 5},
	{"{ a(x) }", "Syntax Error: Expected \":\", found \")\".", 1, 6},
	{"{ a(x: ) }", "Syntax Error: Unexpected \")\".", 1, 8},
	{"{ a(x: [1 2) }", "Syntax Error: Unexpected \")\".", 1, 12},
	{"{ a(x: {b 1}) }", "Syntax Error: Expected \":\", found Int \"1\".", 1, 11},
	{"{ ...on }", "Syntax Error: Expected Name, found \"}\".", 1, 9},
	{"{ ... on T }", "Syntax Error: Expected \"{\", found \"}\".", 1, 12},
	{"{ ... @dir }", "Syntax Error: Expected \"{\", found \"}\".", 1, 12},
	{"query Q { a } query", "Syntax Error: Expected \"{\", found <EOF>.", 1, 20},
	{"query Q($x) { a }", "Syntax Error: Expected \":\", found \")\".", 1, 11},
	{"query Q() { a }", "Syntax Error: Expected \"$\", found \")\".", 1, 9},
	{"query Q($x: ) { a }", "Syntax Error: Expected Name, found \")\".", 1, 13},
	{"query Q($x: [Int) { a }", "Syntax Error: Expected \"]\", found \")\".", 1, 17},
	{"query Q($x: Int = $y) { a }", "Syntax Error: Unexpected variable \"$y\" in constant value.", 1, 19},
	{"query Q($x: Int = [1, {a: $y}]) { a }",
	 "Syntax Error: Unexpected variable \"$y\" in constant value.", 1, 27},
	{"query Q($x: Int = $) { a }", "Syntax Error: Unexpected \"$\".", 1, 19},
	{"fragment on on T { a }", "Syntax Error: Unexpected Name \"on\".", 1, 10},
	{"fragment F T { a }", "Syntax Error: Expected \"on\", found Name \"T\".", 1, 12},
	{"fragment F on { a }", "Syntax Error: Expected Name, found \"{\".", 1, 15},
	{"type Query { a: Int }", "Syntax Error: Unexpected Name \"type\".", 1, 1},
	{"notanoperation { a }", "Syntax Error: Unexpected Name \"notanoperation\".", 1, 1},
	{"\"description\" query { a }",
	 "Syntax Error: Unexpected description, descriptions are supported only on type definitions.", 1, 1},
	{"\"\"\"block\"\"\" fragment F on T { a }",
	 "Syntax Error: Unexpected description, descriptions are supported only on type definitions.", 1, 1},
	{"\"description\" 12", "Syntax Error: Unexpected Int \"12\".", 1, 15},
	{"\"description\" type T { a: Int }", "Syntax Error: Unexpected Name \"type\".", 1, 15},
	{"{ a } }", "Syntax Error: Unexpected \"}\".", 1, 7},
	{"{ a @ }", "Syntax Error: Expected Name, found \"}\".", 1, 7},
	{"{ a: }", "Syntax Error: Expected Name, found \"}\".", 1, 6},
	{"{ a(x: 1)(y: 2) }", "Syntax Error: Expected Name, found \"(\".", 1, 10},
	{"query\n{\n  a(x: 1\n", "Syntax Error: Expected Name, found <EOF>.", 4, 1},
	/* lexer */
	{"{ a(x: 01) }", "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 9},
	{"{ a(x: 1.) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
	{"{ a(x: 1.5e) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 12},
	{"{ a(x: -) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 9},
	{"{ a(x: 1.2.3) }", "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 11},
	{"{ a(x: 12abc) }", "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 10},
	{"{ a(x: 1", "Syntax Error: Expected Name, found <EOF>.", 1, 9},
	{"{ a(x: 1e", "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 10},
	{"{ a(x: \"abc) }", "Syntax Error: Unterminated string.", 1, 15},
	{"{ a(x: \"ab\nc\") }", "Syntax Error: Unterminated string.", 1, 11},
	{"{ a(x: \"\\x\") }", "Syntax Error: Invalid character escape sequence: \"\\x\".", 1, 9},
	{"{ a(x: \"\\u12G4\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\u12G4\".", 1, 9},
	{"{ a(x: \"\\uD800\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\uD800\".", 1, 9},
	{"{ a(x: \"\\uDC00\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\uDC00\".", 1, 9},
	{"{ a(x: \"\\u{110000}\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 9},
	{"{ a(x: \"\\u{}\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\u{}\".", 1, 9},
	{"{ a(x: \"\\u{D800}\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\u{D800}\".", 1, 9},
	{"{ a(x: \"\\u{12x}\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\u{12x\".", 1, 9},
	{"{ a(x: \"\\u{000000001}\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\u{000000001\".", 1, 9},
	{"{ a(x: \"\\u{12", "Syntax Error: Invalid Unicode escape sequence: \"\\u{12\".", 1, 9},
	{"{ a(x: \"\"\"abc) }", "Syntax Error: Unterminated string.", 1, 17},
	{"{ a(x: 'abc') }",
	 "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?", 1, 8},
	{"{ a(x: %) }", "Syntax Error: Unexpected character: \"%\".", 1, 8},
	{"{ a.b }", "Syntax Error: Unexpected character: \".\".", 1, 4},
	{"{ ..a }", "Syntax Error: Unexpected character: \".\".", 1, 3},
	{"{ a\x01 }", "Syntax Error: Unexpected character: U+0001.", 1, 4},
	{"{ \xc3\xa9 }", "Syntax Error: Unexpected character: U+00E9.", 1, 3},
	{"{ a(x: \"\xff\") }", "Syntax Error: Invalid character within String: U+FFFD.", 1, 9},
	{"{ \xff }", "Syntax Error: Invalid character: U+FFFD.", 1, 3},
	/* columns count UTF-16 units, as graphql-js does */
	{"{ a(x: \"\xc3\xa9\xf0\x9f\x98\x80\") % }", "Syntax Error: Unexpected character: \"%\".", 1, 15},
	{"# \xf0\x9f\x98\x80\n\r\n{ a(x: \"\"\"\n\xc3\xa9\"\"\" %) }", "Syntax Error: Unexpected character: \"%\".",
	 4, 6},
};

START_TEST(syntax_error_messages_and_locations)
{
	const error_case *c = &syntax_cases[_i];
	check_first_error(c->document, strlen(c->document), c->message, c->line, c->column);
}
END_TEST

static const error_case document_cases[] = {
	{"{ ...Nope }", "Unknown fragment \"Nope\".", 1, 3},
	{"fragment A on T { ...A } { ...A }", "Cannot spread fragment \"A\" within itself.", 1, 19},
	{"fragment A on T { b { ...B } } fragment B on T { ...C } fragment C on T { ...A } { ...A }",
	 "Cannot spread fragment \"A\" within itself via \"B\", \"C\".", 1, 23},
	{"fragment A on T { a } fragment A on T { b } { ...A }",
	 "There can be only one fragment named \"A\".", 1, 1},
	{"query Q { a } query Q { b }", "There can be only one operation named \"Q\".", 1, 1},
	{"{ a } query Q { b }", "This anonymous operation must be the only defined operation.", 1, 1},
};

START_TEST(document_errors_are_reported)
{
	const error_case *c = &document_cases[_i];
	check_first_error(c->document, strlen(c->document), c->message, c->line, c->column);
}
END_TEST

START_TEST(cycle_error_lists_every_spread_of_the_cycle)
{
	const char *d = "fragment A on T { ...B } fragment B on T { ...A } { ...A }";
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_doc_parse(d, strlen(d), NULL, &errors));
	ck_assert_int_eq(cJSON_GetArraySize(errors), 1);
	char *text = cJSON_PrintUnformatted(errors);
	ck_assert_str_eq(text, "[{\"message\":\"Cannot spread fragment \\\"A\\\" within itself via \\\"B\\\".\","
			       "\"locations\":[{\"line\":1,\"column\":19},{\"line\":1,\"column\":44}]}]");
	cJSON_free(text);
	cJSON_Delete(errors);
}
END_TEST

START_TEST(no_text_is_an_empty_document)
{
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_doc_parse(NULL, 0, NULL, &errors));
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 0), "message");
	ck_assert_str_eq(msg->valuestring, "Syntax Error: Unexpected <EOF>.");
	cJSON_Delete(errors);
}
END_TEST

START_TEST(nul_byte_inside_the_text_is_an_error_not_the_end)
{
	static const char d[] = "{ a }\0{ b }";
	check_first_error(d, sizeof d - 1, "Syntax Error: Unexpected character: U+0000.", 1, 6);
}
END_TEST

/* ------------------------------------------------------------- limits */

/* Parses document under limits (NULL: defaults); asserts it fails with
 * status and first error message. */
static void check_limit_status(const char *document, size_t len, const gqlws_doc_limits *limits,
			       gqlws_doc_status status, const char *message)
{
	cJSON *errors = NULL;
	gqlws_doc_status got = GQLWS_DOC_OK;
	gqlws_doc *doc = gqlws_doc_parse_ex(document, len, limits, &errors, &got);
	ck_assert_ptr_null(doc);
	ck_assert_int_eq(got, status);
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 0), "message");
	ck_assert_msg(cJSON_IsString(msg) && strcmp(msg->valuestring, message) == 0, "got %s",
		      cJSON_IsString(msg) ? msg->valuestring : "(none)");
	cJSON_Delete(errors);
}

/* A limit met while parsing: the text does not parse (GQLWS_DOC_SYNTAX). */
static void check_limit_error(const char *document, const gqlws_doc_limits *limits,
			      const char *message)
{
	check_limit_status(document, strlen(document), limits, GQLWS_DOC_SYNTAX, message);
}

static void check_parses(const char *document, size_t len, const gqlws_doc_limits *limits)
{
	cJSON *errors = NULL;
	gqlws_doc_status status = GQLWS_DOC_NOMEM;
	gqlws_doc *doc = gqlws_doc_parse_ex(document, len, limits, &errors, &status);
	ck_assert_msg(doc != NULL, "refused: %s",
		      errors ? cJSON_GetArrayItem(errors, 0)->child->valuestring : "(no memory)");
	ck_assert_int_eq(status, GQLWS_DOC_OK);
	ck_assert_ptr_null(errors);
	gqlws_doc_free(doc);
}

START_TEST(limits_have_defaults)
{
	gqlws_doc_limits l;
	gqlws_doc_limits_init(&l);
	ck_assert_uint_eq(l.max_bytes, 1048576);
	ck_assert_uint_eq(l.max_tokens, 15000);
	ck_assert_uint_eq(l.max_depth, 500);
	ck_assert_uint_eq(l.max_expanded, 10000);
}
END_TEST

START_TEST(limits_are_set_by_their_option_names)
{
	gqlws_doc_limits l;
	const char *why = NULL;
	gqlws_doc_limits_init(&l);
	ck_assert(gqlws_doc_limits_known("max-document-bytes"));
	ck_assert(gqlws_doc_limits_known("max-document-tokens"));
	ck_assert(gqlws_doc_limits_known("max-document-depth"));
	ck_assert(gqlws_doc_limits_known("max-document-selections"));
	ck_assert(!gqlws_doc_limits_known("max-message-bytes"));
	ck_assert(!gqlws_doc_limits_known(NULL));
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-bytes", "2048", &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-tokens", "7", &why), 0);
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-depth", "1000", &why), 0);
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-selections", "3", &why), 0);
	ck_assert_uint_eq(l.max_bytes, 2048);
	ck_assert_uint_eq(l.max_tokens, 7);
	ck_assert_uint_eq(l.max_depth, 1000);
	ck_assert_uint_eq(l.max_expanded, 3);

	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-depth", "1001", &why), -1);
	ck_assert_str_eq(why, "value out of range");
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-tokens", "0", &why), -1);
	ck_assert_str_eq(why, "value out of range");
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-bytes", "-1", &why), -1);
	ck_assert_str_eq(why, "value must be a whole number");
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-bytes", "12k", &why), -1);
	ck_assert_str_eq(why, "value must be a whole number");
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-size", "1", &why), -1);
	ck_assert_str_eq(why, "unknown option");
	ck_assert_int_eq(gqlws_doc_limits_set(&l, "max-document-bytes", NULL, NULL), -1);
	ck_assert_uint_eq(l.max_bytes, 2048);
	ck_assert_uint_eq(l.max_tokens, 7);
}
END_TEST

START_TEST(document_bytes_are_limited)
{
	gqlws_doc_limits l;
	gqlws_doc_limits_init(&l);
	l.max_bytes = 8;
	check_limit_error("{ abcdefg }", &l, "Document exceeds max-document-bytes (8).");
	check_parses("{ abcd }", 8, &l);
}
END_TEST

START_TEST(tokens_are_limited)
{
	gqlws_doc_limits l;
	gqlws_doc_limits_init(&l);
	l.max_tokens = 4;
	check_limit_error("{ a b c }", &l, "Document exceeds max-document-tokens (4).");
	check_parses("{ a b } # comments do not count", 31, &l);
}
END_TEST

START_TEST(default_token_limit_stops_a_huge_document)
{
	size_t n = 40000;
	char *d = malloc(n + 3);
	d[0] = '{';
	for (size_t i = 1; i <= n; i += 2) {
		d[i] = 'a';
		d[i + 1] = ' ';
	}
	d[n + 1] = '}';
	d[n + 2] = '\0';
	check_limit_error(d, NULL, "Document exceeds max-document-tokens (15000).");
	free(d);
}
END_TEST

/* A client may send a large document that is mostly a comment (or white
 * space, or commas): only its tokens count. */
START_TEST(a_megabyte_of_comment_is_not_tokens)
{
	size_t n = 1000000;
	char *d = malloc(n + 1);
	memset(d, ',', n);
	memcpy(d, "{ hello }\n#", 11);
	memset(d + 11, 'x', n / 2);
	d[11 + n / 2] = '\n';
	d[n] = '\0';
	check_parses(d, n, NULL);
	free(d);
}
END_TEST

static char *nested_document(size_t levels)
{
	char *d = malloc(levels * 4 + 8);
	char *p = d;
	for (size_t i = 0; i < levels; i++)
		p += sprintf(p, "{a");
	for (size_t i = 0; i < levels; i++)
		*p++ = '}';
	*p = '\0';
	return d;
}

START_TEST(nesting_depth_is_limited)
{
	char *ok = nested_document(500);
	check_parses(ok, strlen(ok), NULL);
	free(ok);

	char *deep = nested_document(501);
	check_limit_error(deep, NULL, "Document exceeds max-document-depth (500).");
	free(deep);

	gqlws_doc_limits l;
	gqlws_doc_limits_init(&l);
	l.max_depth = 3;
	check_limit_error("{ a(x: [[[1]]]) }", &l, "Document exceeds max-document-depth (3).");
	check_parses("{ a(x: [[1]]) }", 15, &l);

	/* A million brackets must not reach the stack. */
	gqlws_doc_limits_init(&l);
	l.max_bytes = 1 << 21;
	l.max_tokens = 1 << 21;
	size_t n = 1000000;
	char *lists = malloc(n + 16);
	memcpy(lists, "{ a(x: ", 7);
	memset(lists + 7, '[', n);
	lists[n + 7] = '\0';
	check_limit_error(lists, &l, "Document exceeds max-document-depth (500).");
	free(lists);
}
END_TEST

START_TEST(fragment_expansion_depth_is_limited)
{
	/* Shallow text, deep expansion: F0 spreads F1 spreads F2 ... */
	size_t size = 64 * 1024;
	char *d = malloc(size);
	char *p = d;
	p += sprintf(p, "{ ...F0 }");
	for (int i = 0; i < 600; i++)
		p += sprintf(p, " fragment F%d on T { a ...F%d }", i, i + 1);
	sprintf(p, " fragment F600 on T { a }");
	check_limit_status(d, strlen(d), NULL, GQLWS_DOC_INVALID,
			   "Document exceeds max-document-depth (500) when fragments are expanded.");
	free(d);
}
END_TEST

START_TEST(fragment_expansion_size_is_limited)
{
	/* Each fragment spreads the next twice: 2^30 selections. */
	char d[4096];
	char *p = d;
	p += sprintf(p, "{ ...F0 }");
	for (int i = 0; i < 30; i++)
		p += sprintf(p, " fragment F%d on T { ...F%d a: x ...F%d }", i, i + 1, i + 1);
	sprintf(p, " fragment F30 on T { a }");
	check_limit_status(d, strlen(d), NULL, GQLWS_DOC_INVALID,
			   "Document exceeds max-document-selections (10000) when fragments are expanded.");
	gqlws_doc_limits l;
	gqlws_doc_limits_init(&l);
	l.max_expanded = 3;
	check_limit_status("{ a b ...F } fragment F on T { c }", 34, &l, GQLWS_DOC_INVALID,
			   "Document exceeds max-document-selections (3) when fragments are expanded.");
}
END_TEST

/* What the text does not parse is told apart from what parses but cannot
 * be used: Apollo's graphql-ws server answers the two differently. */
START_TEST(parse_status_tells_syntax_from_invalid)
{
	check_limit_status("{ a", 3, NULL, GQLWS_DOC_SYNTAX, "Syntax Error: Expected Name, found <EOF>.");
	check_limit_status("{ ...F }", 8, NULL, GQLWS_DOC_INVALID, "Unknown fragment \"F\".");
	check_parses("{ a }", 5, NULL);
}
END_TEST

static Suite *doc_errors_suite(void)
{
	Suite *s = suite_create("doc_errors");
	TCase *tc = tcase_create("errors");
	tcase_add_loop_test(tc, syntax_error_messages_and_locations, 0,
			    (int)(sizeof syntax_cases / sizeof syntax_cases[0]));
	tcase_add_loop_test(tc, document_errors_are_reported, 0,
			    (int)(sizeof document_cases / sizeof document_cases[0]));
	tcase_add_test(tc, cycle_error_lists_every_spread_of_the_cycle);
	tcase_add_test(tc, nul_byte_inside_the_text_is_an_error_not_the_end);
	tcase_add_test(tc, no_text_is_an_empty_document);
	suite_add_tcase(s, tc);
	TCase *limits = tcase_create("limits");
	tcase_add_test(limits, limits_have_defaults);
	tcase_add_test(limits, limits_are_set_by_their_option_names);
	tcase_add_test(limits, a_megabyte_of_comment_is_not_tokens);
	tcase_add_test(limits, parse_status_tells_syntax_from_invalid);
	tcase_add_test(limits, document_bytes_are_limited);
	tcase_add_test(limits, tokens_are_limited);
	tcase_add_test(limits, default_token_limit_stops_a_huge_document);
	tcase_add_test(limits, nesting_depth_is_limited);
	tcase_add_test(limits, fragment_expansion_depth_is_limited);
	tcase_add_test(limits, fragment_expansion_size_is_limited);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(doc_errors_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

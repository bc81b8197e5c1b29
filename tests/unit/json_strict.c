/*
 * json_strict.c - the strict JSON check run on every incoming message
 * (lib/src/json_strict.c): RFC 8259 grammar, UTF-8, surrogate pairs, no
 * \u0000, cJSON's nesting limit and the bound on values. Every text it
 * accepts must also be read by cJSON, so that the check never lets through
 * what the parser behind it would refuse.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "json_strict.h"

#define NO_LIMIT ((size_t)-1)

static enum gqlws_json_verdict check_text(const char *text)
{
	return gqlws_json_check(text, strlen(text), NO_LIMIT, NULL);
}

/* Asserts the verdict for each text, and that cJSON reads each accepted one
 * completely. */
static void expect_all(const char *const *texts, size_t count, enum gqlws_json_verdict want)
{
	for (size_t i = 0; i < count; i++) {
		enum gqlws_json_verdict got = check_text(texts[i]);

		ck_assert_msg(got == want, "%s: verdict %d, want %d", texts[i], (int)got, (int)want);
		if (want == GQLWS_JSON_OK) {
			cJSON *tree = cJSON_ParseWithLength(texts[i], strlen(texts[i]));

			ck_assert_msg(tree != NULL, "cJSON refuses %s", texts[i]);
			cJSON_Delete(tree);
		}
	}
}

#define EXPECT_ALL(texts, want) expect_all((texts), sizeof(texts) / sizeof(*(texts)), (want))

/* "[" x depth, then "]" x depth: NUL-terminated, caller frees. */
static char *nested_arrays(size_t depth)
{
	char *text = malloc(2 * depth + 1);

	ck_assert_ptr_nonnull(text);
	memset(text, '[', depth);
	memset(text + depth, ']', depth);
	text[2 * depth] = '\0';
	return text;
}

START_TEST(valid_json_texts_are_accepted)
{
	static const char *const texts[] = {
		"{}", "[]", "0", "-0", "1", "-12", "3.25", "1e5", "1E+5", "-1.5e-7", "0.0",
		"true", "false", "null", "\"\"", " \t\r\n{ \"a\" : [ 1 , 2 ] }\n ",
		"{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"{ hello }\"}}",
		"\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u20AC\"",
		"\"\\ud83d\\ude00\"",                   /* a surrogate pair */
		"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"", /* 2, 3, 4 bytes */
		"\"\x7f\"",                             /* DEL is not a control character in JSON */
		"{\"a\":{\"b\":[{},[],\"\",0,null]},\"c\":-0.5e10}",
		"123456789012345678901234567890123456789012345678901234567890123456789012345",
	};
	EXPECT_ALL(texts, GQLWS_JSON_OK);
}
END_TEST

START_TEST(text_outside_the_grammar_is_not_json)
{
	static const char *const texts[] = {
		"", "   ", "{", "}", "[", "[1,]", "[,1]", "[1 2]", "{\"a\"}", "{\"a\" 1}", "{\"a\":1,}",
		"{,}", "{a:1}", "{'a':1}", "['a']", "01", "-", "+1", ".5", "1.", "1e", "1e+", "-01",
		"0x10", "NaN", "Infinity", "-Infinity", "TRUE", "nul", "truex", "[1]x", "{}{}", "[]]",
		"[}", "{]", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\'\"",
		"/* c */ {}", "{} // c", "\xef\xbb\xbf{}", /* a byte order mark */
		"\xc3\xa9", "[\"a\" \"b\"]", "{\"a\":1 \"b\":2}", "[1,,2]", "\v{}",
	};
	EXPECT_ALL(texts, GQLWS_JSON_SYNTAX);
}
END_TEST

START_TEST(raw_control_characters_in_strings_are_refused)
{
	static const char *const texts[] = {
		"{\"type\":\"ping\nx\"}", "{\"q\":\"a\tb\"}", "[\"\r\"]", "\"\x1f\"", "\"\x01\"",
		"{\"ke\ny\":1}",
	};
	EXPECT_ALL(texts, GQLWS_JSON_CONTROL_CHAR);
	/* A raw NUL byte inside a string, which strlen cannot show. */
	static const char nul_inside[] = "{\"id\":\"a\0b\"}";
	ck_assert_int_eq(gqlws_json_check(nul_inside, sizeof(nul_inside) - 1, NO_LIMIT, NULL),
			 GQLWS_JSON_CONTROL_CHAR);
	/* And outside one: not JSON. */
	static const char nul_after[] = "{}\0";
	ck_assert_int_eq(gqlws_json_check(nul_after, sizeof(nul_after) - 1, NO_LIMIT, NULL),
			 GQLWS_JSON_SYNTAX);
}
END_TEST

START_TEST(bytes_that_are_not_utf8_are_refused)
{
	static const char *const texts[] = {
		"\"\x80\"",             /* a lone continuation byte */
		"\"\xc0\x80\"",         /* overlong NUL */
		"\"\xc1\xbf\"",         /* overlong */
		"\"\xe0\x80\x80\"",     /* overlong */
		"\"\xed\xa0\x80\"",     /* an encoded surrogate */
		"\"\xf0\x80\x80\x80\"", /* overlong */
		"\"\xf4\x90\x80\x80\"", /* over U+10FFFF */
		"\"\xf5\x80\x80\x80\"", "\"\xff\"", "\"\xfe\"",
		"\"\xe2\x82\"",         /* cut short before the quote */
		"\"\xc3\"",
		"\"\xc3",               /* cut short at the end */
	};
	EXPECT_ALL(texts, GQLWS_JSON_BAD_UTF8);
}
END_TEST

START_TEST(unpaired_surrogate_escapes_are_refused)
{
	static const char *const texts[] = {
		"\"\\ud800\"", "\"\\udc00\"", "\"\\uDBFF\\u0041\"", "\"\\ud800x\"", "\"\\ud800\\n\"",
		"\"\\ude00\\ud83d\"",
	};
	EXPECT_ALL(texts, GQLWS_JSON_BAD_SURROGATE);
}
END_TEST

START_TEST(escaped_nul_is_refused_anywhere)
{
	static const char *const texts[] = {
		"{\"id\":\"a\\u0000b\"}", "{\"type\":\"ping\\u0000x\"}",
		"{\"payload\":{\"query\":\"{ hello }\\u0000 {{{\"}}", "{\"k\\u0000\":1}", "[\"\\u0000\"]",
	};
	EXPECT_ALL(texts, GQLWS_JSON_NUL_ESCAPE);
	/* Other escapes of zero bits are fine. */
	ck_assert_int_eq(check_text("\"\\u0001 \\u0100 \\u1000\""), GQLWS_JSON_OK);
}
END_TEST

START_TEST(nesting_is_allowed_to_cjsons_limit_and_refused_past_it)
{
	char *at_limit = nested_arrays(GQLWS_JSON_MAX_DEPTH);
	char *past_limit = nested_arrays(GQLWS_JSON_MAX_DEPTH + 1);
	cJSON *tree;

	ck_assert_int_eq(GQLWS_JSON_MAX_DEPTH, 1000);
	ck_assert_int_eq(check_text(at_limit), GQLWS_JSON_OK);
	tree = cJSON_Parse(at_limit);
	ck_assert_ptr_nonnull(tree); /* the check agrees with cJSON at the edge */
	cJSON_Delete(tree);
	ck_assert_int_eq(check_text(past_limit), GQLWS_JSON_TOO_DEEP);
	ck_assert_ptr_null(cJSON_Parse(past_limit));
	ck_assert_str_eq(gqlws_json_verdict_text(GQLWS_JSON_TOO_DEEP),
			 "JSON nested too deeply (limit 1000)");
	free(at_limit);
	free(past_limit);
}
END_TEST

/* {"a":[{"a":[ ... 1 ... ]}]} with depth containers: NUL-terminated, caller
 * frees. */
static char *nested_objects_and_arrays(size_t depth)
{
	char *text = malloc(depth * 6 + 2);
	size_t n = 0;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < depth; i++) {
		memcpy(text + n, i % 2 ? "[" : "{\"a\":", i % 2 ? 1 : 5);
		n += i % 2 ? 1 : 5;
	}
	text[n++] = '1';
	for (size_t i = depth; i-- > 0;)
		text[n++] = i % 2 ? ']' : '}';
	text[n] = '\0';
	return text;
}

START_TEST(objects_count_toward_depth_like_arrays)
{
	char *at_limit = nested_objects_and_arrays(GQLWS_JSON_MAX_DEPTH);
	char *past_limit = nested_objects_and_arrays(GQLWS_JSON_MAX_DEPTH + 1);
	cJSON *tree = cJSON_Parse(at_limit);

	ck_assert_int_eq(check_text(at_limit), GQLWS_JSON_OK);
	ck_assert_ptr_nonnull(tree);
	cJSON_Delete(tree);
	ck_assert_int_eq(check_text(past_limit), GQLWS_JSON_TOO_DEEP);
	ck_assert_ptr_null(cJSON_Parse(past_limit));
	free(at_limit);
	free(past_limit);
}
END_TEST

START_TEST(values_are_counted_and_bounded)
{
	static const char text[] = "{\"a\":[1,\"x\",true,null,{}],\"b\":{\"c\":[]}}";
	size_t values = 0;

	/* outer object, array, 1, "x", true, null, {}, inner object, [] */
	ck_assert_int_eq(gqlws_json_check(text, strlen(text), NO_LIMIT, &values), GQLWS_JSON_OK);
	ck_assert_uint_eq(values, 9);
	ck_assert_int_eq(gqlws_json_check(text, strlen(text), 9, NULL), GQLWS_JSON_OK);
	ck_assert_int_eq(gqlws_json_check(text, strlen(text), 8, &values), GQLWS_JSON_TOO_MANY_VALUES);
	ck_assert_uint_eq(values, 9); /* it stopped at the one too many */
}
END_TEST

START_TEST(a_large_message_of_small_values_stops_at_the_bound)
{
	size_t count = 500000, len = 2 * count + 1;
	char *text = malloc(len + 1);
	size_t values = 0;

	ck_assert_ptr_nonnull(text);
	text[0] = '[';
	for (size_t i = 0; i < count; i++) {
		text[1 + 2 * i] = '0';
		text[2 + 2 * i] = i + 1 < count ? ',' : ']';
	}
	text[len] = '\0';
	ck_assert_int_eq(gqlws_json_check(text, len, NO_LIMIT, &values), GQLWS_JSON_OK);
	ck_assert_uint_eq(values, count + 1);
	ck_assert_int_eq(gqlws_json_check(text, len, 16384, &values), GQLWS_JSON_TOO_MANY_VALUES);
	ck_assert_uint_eq(values, 16385);
	free(text);
}
END_TEST

START_TEST(a_text_cut_anywhere_is_refused_without_reading_past_it)
{
	/* Under valgrind/ASan a read past the end would be reported: each
	 * prefix is copied into an allocation of exactly its size. */
	static const char full[] = "{\"a\":[1.5e3,\"\\u00e9\\ud83d\\ude00\xc3\xa9\",true,false,null],\"b\":{}}";
	size_t len = strlen(full);

	for (size_t cut = 0; cut < len; cut++) {
		char *prefix = malloc(cut ? cut : 1);

		ck_assert_ptr_nonnull(prefix);
		memcpy(prefix, full, cut);
		ck_assert_msg(gqlws_json_check(prefix, cut, NO_LIMIT, NULL) != GQLWS_JSON_OK,
			      "prefix of %zu bytes accepted", cut);
		free(prefix);
	}
	ck_assert_int_eq(check_text(full), GQLWS_JSON_OK);
}
END_TEST

START_TEST(special_bytes_are_found_at_every_position_of_a_long_string)
{
	/* Long strings are read 8 bytes at a time: each byte that must leave
	 * that loop is planted at every offset of a 40-byte string. */
	static const struct {
		unsigned char byte;
		enum gqlws_json_verdict want;
	} cases[] = {
		{0x00, GQLWS_JSON_CONTROL_CHAR}, {0x0a, GQLWS_JSON_CONTROL_CHAR},
		{0x1f, GQLWS_JSON_CONTROL_CHAR}, {0x80, GQLWS_JSON_BAD_UTF8},
		{0xc3, GQLWS_JSON_BAD_UTF8},     {0xff, GQLWS_JSON_BAD_UTF8},
		{'\\', GQLWS_JSON_SYNTAX},       /* \a is no escape */
		{'"', GQLWS_JSON_SYNTAX},        /* the string ends early */
		{0x20, GQLWS_JSON_OK},           {0x7f, GQLWS_JSON_OK},
		{'!', GQLWS_JSON_OK},            {'#', GQLWS_JSON_OK},
		{'[', GQLWS_JSON_OK},            {']', GQLWS_JSON_OK},
	};
	char text[43];

	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		for (size_t at = 1; at <= 40; at++) {
			memset(text, 'a', sizeof(text));
			text[0] = '"';
			text[41] = '"';
			text[at] = (char)cases[c].byte;
			ck_assert_msg(gqlws_json_check(text, 42, NO_LIMIT, NULL) == cases[c].want,
				      "byte 0x%02x at %zu", cases[c].byte, at);
		}
	}
	/* And a long valid string with every kind of content. */
	ck_assert_int_eq(check_text("\"0123456789 abcdefghij \\n caf\xc3\xa9 \xf0\x9f\x98\x80 "
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ ~!@#$%^&*()_+{}|:<>?`-=[];',./\""),
			 GQLWS_JSON_OK);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("json_strict");
	TCase *tc = tcase_create("strict JSON check");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, valid_json_texts_are_accepted);
	tcase_add_test(tc, text_outside_the_grammar_is_not_json);
	tcase_add_test(tc, raw_control_characters_in_strings_are_refused);
	tcase_add_test(tc, bytes_that_are_not_utf8_are_refused);
	tcase_add_test(tc, unpaired_surrogate_escapes_are_refused);
	tcase_add_test(tc, escaped_nul_is_refused_anywhere);
	tcase_add_test(tc, nesting_is_allowed_to_cjsons_limit_and_refused_past_it);
	tcase_add_test(tc, objects_count_toward_depth_like_arrays);
	tcase_add_test(tc, values_are_counted_and_bounded);
	tcase_add_test(tc, a_large_message_of_small_values_stops_at_the_bound);
	tcase_add_test(tc, a_text_cut_anywhere_is_refused_without_reading_past_it);
	tcase_add_test(tc, special_bytes_are_found_at_every_position_of_a_long_string);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

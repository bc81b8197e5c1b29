/*
 * schema_sdl_errors.c - SDL that gqlws_schema_parse() refuses, one case per
 * kind of error: the syntax error, else validateSDL's errors, else what
 * buildASTSchema throws, else validateSchema's, each list compared whole
 * (messages, locations, order) with what graphql-js 16.15 gives for the
 * same SDL.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"

typedef struct sdl_error_case {
	const char *name;
	const char *sdl;
	const char *errors; /* the whole error list, as cJSON prints it */
} sdl_error_case;

static const sdl_error_case cases[] = {
#include "schema_sdl_errors.inc"
};

START_TEST(each_error_kind_is_graphql_js_own)
{
	const sdl_error_case *c = &cases[_i];
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(c->sdl, strlen(c->sdl), &errors);
	ck_assert_msg(schema == NULL, "%s: built", c->name);
	ck_assert_msg(errors != NULL, "%s: no errors", c->name);
	char *got = cJSON_PrintUnformatted(errors);
	ck_assert_msg(strcmp(got, c->errors) == 0, "%s:\n got  %s\n want %s", c->name, got,
		      c->errors);
	free(got);
	cJSON_Delete(errors);
}
END_TEST

START_TEST(no_sdl_is_an_unexpected_eof)
{
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_schema_parse(NULL, 0, &errors));
	char *got = cJSON_PrintUnformatted(errors);
	ck_assert_str_eq(got, "[{\"message\":\"Syntax Error: Unexpected <EOF>.\","
			      "\"locations\":[{\"line\":1,\"column\":1}]}]");
	free(got);
	cJSON_Delete(errors);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema_sdl_errors");
	TCase *tc = tcase_create("errors");
	tcase_add_loop_test(tc, each_error_kind_is_graphql_js_own, 0,
			    (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, no_sdl_is_an_unexpected_eof);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

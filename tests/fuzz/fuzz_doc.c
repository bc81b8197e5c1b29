/*
 * fuzz_doc.c - libFuzzer target for the document API: parse, select,
 * plan and project hostile input. Input: document [NUL variables-JSON
 * [NUL data-JSON]]. Besides the sanitizers' checks, it asserts what the
 * header promises: errors are arrays of {"message"} objects, and every
 * projection is valid JSON, in text and in cJSON form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

/* Data for documents that bring none: members most selections ask for. */
static const char default_data[] =
	"{\"__typename\":\"Counter\",\"value\":1,\"at\":1700000000000.5,\"seq\":3,\"id\":\"x\","
	"\"name\":\"n\\u00e9\\n\",\"hello\":\"world\",\"counter\":{\"value\":2},"
	"\"node\":{\"__typename\":\"Tick\",\"seq\":1,\"node\":{\"id\":7}},"
	"\"list\":[{\"a\":1,\"__typename\":\"A\"},null,[{\"b\":2}],5,\"s\"],\"tags\":[\"a\",true,false,null]}";

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_doc: broken promise: %s\n", what);
		abort();
	}
}

static void check_errors(const cJSON *errors)
{
	if (!errors)
		return; /* allocation failure: the only error without errors */
	check(cJSON_IsArray(errors) && cJSON_GetArraySize(errors) > 0, "errors is a non-empty array");
	for (const cJSON *e = errors->child; e; e = e->next)
		check(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "message")), "error has a message");
}

/* Splits off the next NUL-terminated segment of [*p, end). */
static const uint8_t *next_segment(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *start = *p;
	if (start >= end) {
		*len = 0;
		return NULL;
	}
	const uint8_t *nul = memchr(start, 0, (size_t)(end - start));
	*len = nul ? (size_t)(nul - start) : (size_t)(end - start);
	*p = nul ? nul + 1 : end;
	return start;
}

static void project_all(const gqlws_doc_plan *plan, const cJSON *data)
{
	static const char *const type_names[] = {NULL, "Counter", "Tick"};
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	for (size_t i = 0; i < gqlws_doc_plan_field_count(plan); i++) {
		const gqlws_doc_field *f = gqlws_doc_plan_field(plan, i);
		check(gqlws_doc_field_key(f) && gqlws_doc_field_name(f) && gqlws_doc_field_line(f) > 0,
		      "root field has key, name and line");
		check(cJSON_IsObject(gqlws_doc_field_args(f)), "arguments are an object");
		/* Every argument checked as each built-in scalar, nullable or not. */
		static const char *const scalars[] = {"Int", "Float!", "String", "Boolean!", "ID"};
		for (const cJSON *arg = gqlws_doc_field_args(f)->child; arg; arg = arg->next) {
			for (size_t k = 0; k < sizeof scalars / sizeof scalars[0]; k++) {
				cJSON *found = cJSON_CreateArray();
				int n = found ? gqlws_doc_field_check_arg(plan, f, arg->string, scalars[k], found) : -1;
				check(n < 0 || n == cJSON_GetArraySize(found), "check_arg counts what it appends");
				if (n > 0)
					check_errors(found);
				cJSON_Delete(found);
			}
		}
		const cJSON *member = cJSON_GetObjectItemCaseSensitive(data, gqlws_doc_field_name(f));
		for (size_t t = 0; t < sizeof type_names / sizeof type_names[0]; t++) {
			const cJSON *value = t == 2 && member ? member : data;
			out.len = 0;
			if (gqlws_doc_project_text(plan, f, value, type_names[t], &out) != 0)
				continue;
			cJSON *reparsed = cJSON_ParseWithLength(out.data, out.len);
			check(reparsed != NULL, "projected text is JSON");
			cJSON *tree = gqlws_doc_project(plan, f, value, type_names[t]);
			check(tree != NULL, "tree projection of a projectable value");
			cJSON_Delete(tree);
			cJSON_Delete(reparsed);
		}
	}
	gqlws_doc_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	const uint8_t *p = input, *end = input + size;
	size_t doc_len, vars_len, data_len;
	const uint8_t *doc_text = next_segment(&p, end, &doc_len);
	const uint8_t *vars_text = next_segment(&p, end, &vars_len);
	const uint8_t *data_text = next_segment(&p, end, &data_len);

	cJSON *errors = NULL;
	const char *text = (const char *)(doc_text ? doc_text : input);

	/* Tight limits too, so that every limit is reached by small inputs. */
	gqlws_doc_limits tight;
	gqlws_doc_limits_init(&tight);
	tight.max_bytes = 2048;
	tight.max_tokens = 64;
	tight.max_depth = 4;
	tight.max_expanded = 16;
	gqlws_doc *small = gqlws_doc_parse(text, doc_len, &tight, &errors);
	check_errors(errors);
	cJSON_Delete(errors);
	gqlws_doc_free(small);
	errors = NULL;

	gqlws_doc *doc = gqlws_doc_parse(text, doc_len, NULL, &errors);
	if (!doc) {
		check_errors(errors);
		cJSON_Delete(errors);
		return 0;
	}
	check(errors == NULL, "no errors with a document");

	cJSON *vars = vars_text ? cJSON_ParseWithLength((const char *)vars_text, vars_len) : NULL;
	cJSON *data = data_text ? cJSON_ParseWithLength((const char *)data_text, data_len) : NULL;
	if (!data)
		data = cJSON_Parse(default_data);
	const cJSON *op_name = cJSON_GetObjectItemCaseSensitive(vars, "operationName");

	const gqlws_doc_operation *op = gqlws_doc_select_operation(
		doc, cJSON_IsString(op_name) ? op_name->valuestring : NULL, &errors);
	if (!op) {
		check_errors(errors);
		cJSON_Delete(errors);
	} else {
		check(gqlws_doc_op_type_name(gqlws_doc_operation_type(op))[0] != 'u', "known operation type");
		gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, op, "Subscription", vars, &errors);
		if (!plan) {
			check_errors(errors);
			cJSON_Delete(errors);
		} else {
			check(cJSON_IsObject(gqlws_doc_plan_variables(plan)), "variables are an object");
			project_all(plan, data);
			gqlws_doc_plan_free(plan);
		}
	}
	cJSON_Delete(data);
	cJSON_Delete(vars);
	gqlws_doc_free(doc);
	return 0;
}

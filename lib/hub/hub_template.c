/*
 * hub_template.c - a topic name made from a compiled template and the
 * coerced arguments of one root field: constant parts as they are, each
 * {arg} / {arg.field} as its value's text, the whole then held to the
 * rules of topic names.
 */
#include <stdio.h>
#include <string.h>

#include "hub_internal.h"
#include "project_internal.h"

/* The value's text as JavaScript's String(value) writes it for the values
 * a scalar or enum argument coerces to: a string (String, ID, an enum's
 * value name) as it is, a number as Number::toString (1.5, 100, 1e+21,
 * 1e-7), true / false. Returns 0, 1 for a value with no such text (null,
 * a list or object of a custom scalar), -1 when out of memory. */
static int append_value(gqlws_doc_buf *out, const cJSON *v)
{
	if (cJSON_IsString(v))
		return gqlws_doc_buf_append(out, v->valuestring, strlen(v->valuestring)) ? -1 : 0;
	if (cJSON_IsNumber(v)) {
		schema_project_sink sink = {out, false};
		schema_project_emit_number(&sink, v->valuedouble);
		schema_project_sink_end(&sink);
		return sink.nomem ? -1 : 0;
	}
	if (cJSON_IsBool(v))
		return gqlws_doc_buf_append(out, cJSON_IsTrue(v) ? "true" : "false",
					    cJSON_IsTrue(v) ? 4 : 5)
			       ? -1
			       : 0;
	return 1;
}

int hub_template_expand(const hub_template *t, const gqlws_schema_request *r, size_t index,
			gqlws_doc_buf *out, char *why)
{
	size_t start = out->len;

	for (size_t i = 0; i < t->count; i++) {
		const hub_template_part *p = &t->parts[i];
		if (p->text) {
			if (gqlws_doc_buf_append(out, p->text, p->len))
				goto nomem;
			continue;
		}
		const cJSON *v = gqlws_schema_request_arg(r, index, p->arg);
		if (p->field)
			v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, p->field) : NULL;
		if (!v || cJSON_IsNull(v)) {
			snprintf(why, HUB_TEMPLATE_WHY_BYTES, "Topic name needs a value of argument \"%s%s%s\".",
				 p->arg, p->field ? "." : "", p->field ? p->field : "");
			goto refused;
		}
		int rc = append_value(out, v);
		if (rc < 0)
			goto nomem;
		if (rc > 0) {
			snprintf(why, HUB_TEMPLATE_WHY_BYTES,
				 "Topic name cannot be made from the list or object value of argument \"%s%s%s\".",
				 p->arg, p->field ? "." : "", p->field ? p->field : "");
			goto refused;
		}
	}
	const char *invalid = gqlws_hub_topic_invalid(out->data ? out->data + start : "", out->len - start);
	if (invalid) {
		snprintf(why, HUB_TEMPLATE_WHY_BYTES, "%s", invalid);
		goto refused;
	}
	return 0;

refused:
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return 1;
nomem:
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return -1;
}

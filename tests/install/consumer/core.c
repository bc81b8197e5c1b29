/*
 * A program outside the project that uses the installed core: one session
 * answers a connection_init, and a document parses. Exits 0 when both work.
 */
#include <stdio.h>
#include <string.h>

#include <gqlws/gqlws.h>
#include <gqlws/gqlws_doc.h>

static int op_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user, (void)s, (void)req;
	return gqlws_op_complete(op);
}

static void op_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user, (void)s, (void)op;
}

int main(void)
{
	const gqlws_callbacks cb = {.op_start = op_start, .op_stop = op_stop};
	const char init[] = "{\"type\":\"connection_init\"}";
	const char query[] = "subscription { ticks { seq } }";
	gqlws_options opts;
	gqlws_session *s;
	gqlws_doc *doc;
	cJSON *errors = NULL;
	unsigned char *frame;
	size_t len = 0;
	int ok;

	printf("gqlws %s (%06x)\n", GQLWS_VERSION_STRING, (unsigned)GQLWS_VERSION_NUMBER);
	gqlws_options_init(&opts);
	s = gqlws_session_new(GQLWS_SUBPROTOCOL_MODERN, &cb, &opts, NULL, 0);
	if (!s || gqlws_session_receive(s, init, strlen(init), false, 0) != GQLWS_OK)
		return 1;
	frame = gqlws_session_peek_frame(s, &len);
	ok = frame && len == strlen("{\"type\":\"connection_ack\"}") &&
	     !memcmp(frame, "{\"type\":\"connection_ack\"}", len);
	gqlws_session_destroy(s);
	doc = gqlws_doc_parse(query, strlen(query), NULL, &errors);
	ok = ok && doc && !errors;
	gqlws_doc_free(doc);
	cJSON_Delete(errors);
	puts(ok ? "core: ok" : "core: FAILED");
	return ok ? 0 : 1;
}

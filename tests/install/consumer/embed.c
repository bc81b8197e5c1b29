/*
 * A program outside the project that embeds the installed protocols in an
 * lws context (no listening socket) and waits until the GraphQL protocols of
 * its vhost are ready. Exits 0 when they are.
 */
#include <stdio.h>
#include <string.h>

#include <gqlws/lws_gqlws.h>

static const struct lws_protocols protocols[] = {
	{"http", lws_callback_http_dummy, 0, 0, 0, NULL, 0},
	LWS_GQLWS_PROTOCOL_ENTRY_MODERN,
	LWS_GQLWS_PROTOCOL_ENTRY_LEGACY,
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	int ready = 0;

	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	ctx = lws_create_context(&info);
	if (!ctx)
		return 1;
	vh = lws_create_vhost(ctx, &info);
	for (int i = 0; vh && i < 50 && !ready; i++) {
		ready = lws_gqlws_vhost_ready(vh);
		if (!ready)
			lws_service(ctx, 10);
	}
	lws_context_destroy(ctx);
	puts(ready ? "embed: ok" : "embed: FAILED");
	return ready ? 0 : 1;
}

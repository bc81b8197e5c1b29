/*
 * demo_executor.c - the demo schema executor (README "Demo schema"): hello,
 * counter and ticks on a schema built from SDL, with no init hook. This
 * file holds the vhost's state and the executor table; the work is in the
 * other demo_*.c files.
 */
#include <stdlib.h>

#include "demo_internal.h"

demo_vhost *demo_vhost_new(const lws_gqlws_config *cfg, const char *extra_sdl,
			   const demo_field *extra, size_t extra_count)
{
	demo_vhost *vh = calloc(1, sizeof(*vh));

	if (!vh)
		return NULL;
	/* One schema per vhost, built once: requests only read it. */
	vh->schema = demo_schema_build(extra_sdl);
	if (!vh->schema) {
		free(vh);
		return NULL;
	}
	vh->context = cfg ? cfg->context : NULL;
	vh->extra = extra;
	vh->extra_count = extra ? extra_count : 0;
	demo_settings_from_config(&vh->settings, cfg);
	if (cfg)
		vh->doc_limits = cfg->doc_limits;
	else
		gqlws_doc_limits_init(&vh->doc_limits);
	return vh;
}

const demo_op_stats *demo_vhost_op_stats(const demo_vhost *vh)
{
	return &vh->stats;
}

void demo_exec_vhost_destroy(void *exec)
{
	demo_vhost *vh = exec;

	if (!vh)
		return;
	/* Every connection, hence every op, is gone by now; the ticker was
	 * cancelled with its last subscriber. Cancel again in case a
	 * transport broke that promise, rather than leave a timer armed on
	 * freed memory. */
	lws_sul_cancel(&vh->tick_sul);
	if (vh->tick_subscribers)
		lwsl_err("gqlws demo executor: %zu ticks subscribers outlived the vhost\n",
			 vh->tick_subscribers);
	gqlws_doc_buf_free(&vh->tick_text);
	gqlws_schema_free(vh->schema);
	free(vh);
}

static void *demo_vhost_create(struct lws_vhost *vh, const lws_gqlws_config *cfg, int *failed)
{
	demo_vhost *exec = demo_vhost_new(cfg, NULL, NULL, 0);

	(void)vh;
	if (!exec)
		*failed = 1;
	return exec;
}

const lws_gqlws_executor lws_gqlws_demo_executor = {
	.name = "demo",
	.vhost_create = demo_vhost_create,
	.vhost_destroy = demo_exec_vhost_destroy,
	.conn_open = NULL,
	.conn_close = NULL,
	.on_init = NULL,
	.op_start = demo_exec_op_start,
	.op_stop = demo_exec_op_stop,
	.op_drained = demo_exec_op_drained,
	.option_check = demo_option_check,
};

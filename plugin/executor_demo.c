/*
 * executor_demo.c - the demo schema executor (README "Demo schema"): hello,
 * counter and ticks, with no init hook. All of the work is in
 * executor_common.c; this file is the executor table.
 */
#include "executor_common.h"

static void *demo_vhost_create(struct lws_vhost *vh, const lws_gqlws_config *cfg, int *failed)
{
	demo_vhost *exec = demo_vhost_new(cfg, NULL, 0);

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
};

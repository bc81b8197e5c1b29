/*
 * builtin_test.c - the executors the tests' build of the plugin knows by
 * name: the shipped list (plugin/executors/builtin.c) plus "test", which
 * the end-to-end tests select with executor=test in lwsws.
 */
#include "executor_test.h"
#include "plugin_config.h"

const lws_gqlws_executor *const plugin_builtin_executors[] = {
	&lws_gqlws_demo_executor,
	&lws_gqlws_schema_executor,
	&lws_gqlws_test_executor,
	NULL,
};

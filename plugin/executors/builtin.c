/*
 * builtin.c - the executors the shipped plugin knows by name (the
 * "executor" option): the demo and the schema executor. The tests' build of the plugin has its
 * own list (tests/executor/builtin_test.c) that adds the test executor.
 */
#include "plugin_config.h"

const lws_gqlws_executor *const plugin_builtin_executors[] = {
	&lws_gqlws_demo_executor,
	&lws_gqlws_schema_executor,
	NULL,
};

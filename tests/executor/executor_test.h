/*
 * executor_test.h - the tests' executor (executor_test.c): the demo schema
 * plus fields and an init hook that the end-to-end tests drive. Its options
 * are the demo's ("tick-ms").
 */
#ifndef GQLWS_EXECUTOR_TEST_H
#define GQLWS_EXECUTOR_TEST_H

#include "lws_gqlws.h"

extern const lws_gqlws_executor lws_gqlws_test_executor;

#endif /* GQLWS_EXECUTOR_TEST_H */

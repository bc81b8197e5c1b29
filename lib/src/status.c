/*
 * Status strings and subprotocol names: the small lookup tables of the API.
 */
#include <string.h>

#include "gqlws.h"

const char *gqlws_strerror(int status)
{
	switch (status) {
	case GQLWS_OK:
		return "success";
	case GQLWS_ERR_NOMEM:
		return "out of memory";
	case GQLWS_ERR_CLOSED:
		return "session is closing";
	case GQLWS_ERR_STATE:
		return "not allowed in the current state";
	case GQLWS_ERR_INVALID:
		return "invalid argument";
	case GQLWS_ERR_LIMIT:
		return "connection memory limit exceeded";
	default:
		return "unknown status";
	}
}

const char *gqlws_subprotocol_name(gqlws_subprotocol proto)
{
	switch (proto) {
	case GQLWS_SUBPROTOCOL_LEGACY:
		return "graphql-ws";
	case GQLWS_SUBPROTOCOL_MODERN:
		return "graphql-transport-ws";
	}
	return NULL;
}

gqlws_subprotocol gqlws_subprotocol_from_name(const char *name)
{
	if (!name)
		return (gqlws_subprotocol)0;
	if (!strcmp(name, "graphql-ws"))
		return GQLWS_SUBPROTOCOL_LEGACY;
	if (!strcmp(name, "graphql-transport-ws"))
		return GQLWS_SUBPROTOCOL_MODERN;
	return (gqlws_subprotocol)0;
}

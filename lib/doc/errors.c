/*
 * errors.c - builds GraphQL error objects; every error the document API
 * reports goes through here so they all have the same shape.
 */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>

#define ERROR_MESSAGE_MAX 512

int doc_error_add_location(cJSON *error, doc_pos pos)
{
	cJSON *locations = cJSON_GetObjectItemCaseSensitive(error, "locations");
	if (!locations) {
		locations = cJSON_AddArrayToObject(error, "locations");
		if (!locations)
			return -1;
	}
	cJSON *location = cJSON_CreateObject();
	if (!location)
		return -1;
	cJSON_AddItemToArray(locations, location);
	if (!cJSON_AddNumberToObject(location, "line", pos.line) ||
	    !cJSON_AddNumberToObject(location, "column", pos.column))
		return -1;
	return 0;
}

cJSON *gqlws_doc_error_new(const char *message, unsigned line, unsigned column)
{
	cJSON *error = cJSON_CreateObject();
	if (!error)
		return NULL;
	if (!cJSON_AddStringToObject(error, "message", message ? message : "")) {
		cJSON_Delete(error);
		return NULL;
	}
	if (line && doc_error_add_location(error, (doc_pos){line, column}) != 0) {
		cJSON_Delete(error);
		return NULL;
	}
	return error;
}

cJSON *doc_error_add(cJSON **errors, doc_pos pos, const char *format, ...)
{
	char message[ERROR_MESSAGE_MAX];
	va_list args;
	va_start(args, format);
	vsnprintf(message, sizeof message, format, args);
	va_end(args);

	if (!*errors) {
		*errors = cJSON_CreateArray();
		if (!*errors)
			return NULL;
	}
	cJSON *error = gqlws_doc_error_new(message, pos.line, pos.column);
	if (error)
		cJSON_AddItemToArray(*errors, error);
	return error;
}

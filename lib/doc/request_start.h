/*
 * request_start.h - what every request type's _start does with what its
 * _new made (lib/doc's table-driven request and lib/schema's request), in
 * one place so both answer an operation that cannot start the same way.
 */
#ifndef GQLWS_DOC_REQUEST_START_H
#define GQLWS_DOC_REQUEST_START_H

#include <stdbool.h>
#include <stddef.h>

#include "gqlws_doc.h"

/* With errors (the request was refused; status says whether it did not
 * parse): refuses op with them and deletes them. Otherwise charges bytes,
 * the request's size, to op (made is false when no request could be
 * made: no memory), and fails op when that is refused. Returns true when
 * the request may run: the caller keeps it; otherwise the caller frees it
 * and op is answered. */
bool doc_request_admit(gqlws_op *op, cJSON *errors, gqlws_doc_status status, bool made,
		       size_t bytes);

#endif

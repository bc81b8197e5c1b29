/*
 * gqlws_doc.h - GraphQL executable documents for executors of lws-graphql-ws.
 *
 * Parses a query document (GraphQL spec, October 2021), selects the operation
 * a request names, binds it to the request's variables and a root type, and
 * projects JSON data through a field's selection set into a response value.
 * Depends on cJSON and libc only. Errors come back as cJSON arrays of GraphQL
 * error objects {"message":M,"locations":[{"line":L,"column":C}]} worded as
 * graphql-js words them, ready for gqlws_op_refuse().
 *
 * Lifetimes: a gqlws_doc owns its AST; operations are borrowed from it. A
 * gqlws_doc_plan borrows its document (free the plan first) and owns copies
 * of everything it took from the request, so it may outlive the request.
 * Root fields are borrowed from their plan.
 *
 * Threading: no globals. A document is immutable after parsing and may be
 * read from several threads at once; so may a plan (projection only reads).
 */
#ifndef GQLWS_DOC_H
#define GQLWS_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "gqlws.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------- limits */

/* Bounds on hostile documents, each one exceeded refused with a GraphQL
 * error that names it. The names are the plugin's option names (lwsws
 * ws-protocols, gqlws-host --set), which gqlws_doc_limits_set() reads. */
typedef struct gqlws_doc_limits {
	size_t max_bytes;    /* "max-document-bytes": document text length,
			      * default 1048576 (the plugin's default is its
			      * max-message-bytes) */
	size_t max_tokens;   /* "max-document-tokens": lexical tokens, default
			      * 15000; ignored tokens (white space, commas,
			      * comments) do not count */
	size_t max_depth;    /* "max-document-depth": nesting of selection sets,
			      * fragment spreads (each spread counts as one
			      * level), list and object values and list types;
			      * default 500, at most GQLWS_DOC_DEPTH_CEILING */
	size_t max_expanded; /* "max-document-selections": selections of one
			      * operation with every fragment spread expanded;
			      * default 10000 */
} gqlws_doc_limits;

/* The largest max_depth there is: every recursion over a document (parser,
 * validation, plans, projection) is bounded by it, and its stack use at
 * this depth is measured by the tests. */
#define GQLWS_DOC_DEPTH_CEILING 1000

/* Fills *limits with the defaults above. */
void gqlws_doc_limits_init(gqlws_doc_limits *limits);

/* Sets one limit from its option name and decimal text value (at least 1;
 * max-document-depth at most GQLWS_DOC_DEPTH_CEILING). Returns 0, or -1
 * with a static explanation in *why (if why is not NULL) for an unknown
 * name or a bad value. */
int gqlws_doc_limits_set(gqlws_doc_limits *limits, const char *name, const char *value,
			 const char **why);

/* True if name is one of the option names gqlws_doc_limits_set() knows. */
bool gqlws_doc_limits_known(const char *name);

/* --------------------------------------------------------------- document */

/* A parsed, immutable executable document. */
typedef struct gqlws_doc gqlws_doc;

/* Parses len bytes of text (no NUL needed). limits may be NULL (defaults).
 * Besides syntax, it checks what would make the document unusable: fragment
 * spreads of unknown fragments, fragment cycles, duplicate fragment or
 * operation names, an anonymous operation among others, and the limits.
 * Returns the document, or NULL with *errors set to a new error array (the
 * caller frees it with cJSON_Delete). *errors is NULL on success, and also
 * when allocation failed (the only failure without errors). */
gqlws_doc *gqlws_doc_parse(const char *text, size_t len, const gqlws_doc_limits *limits,
			   cJSON **errors);

/* Why gqlws_doc_parse_ex() returned no document. Apollo's graphql-ws server
 * answers a document that does not parse (an `error` message) differently
 * from one that parses but cannot run (a result with errors). */
typedef enum gqlws_doc_status {
	GQLWS_DOC_OK = 0,
	/* The text does not parse: a syntax error, or the parser stopped at
	 * max-document-bytes, max-document-tokens or max-document-depth. */
	GQLWS_DOC_SYNTAX = 1,
	/* It parses, but cannot be used: unknown or cyclic fragments, duplicate
	 * names, max-document-depth or max-document-selections once fragments
	 * are expanded. */
	GQLWS_DOC_INVALID = 2,
	GQLWS_DOC_NOMEM = 3,
} gqlws_doc_status;

/* As gqlws_doc_parse(), also telling in *status (not NULL) why it failed. */
gqlws_doc *gqlws_doc_parse_ex(const char *text, size_t len, const gqlws_doc_limits *limits,
			      cJSON **errors, gqlws_doc_status *status);

/* Frees a document. NULL is ok. */
void gqlws_doc_free(gqlws_doc *doc);

/* The heap the document takes (its node arena, as the allocator rounds it):
 * what an executor that keeps it charges to the connection
 * (gqlws_op_charge in gqlws.h). A document costs several times its text. */
size_t gqlws_doc_bytes(const gqlws_doc *doc);

/* -------------------------------------------------------------- operations */

typedef enum gqlws_doc_op_type {
	GQLWS_DOC_QUERY = 1,
	GQLWS_DOC_MUTATION = 2,
	GQLWS_DOC_SUBSCRIPTION = 3,
} gqlws_doc_op_type;

/* One operation definition of a document; borrowed from the document. */
typedef struct gqlws_doc_operation gqlws_doc_operation;

/* "query", "mutation" or "subscription". */
const char *gqlws_doc_op_type_name(gqlws_doc_op_type type);

/* The operation named operation_name, or the only one when operation_name is
 * NULL (or ""). Returns NULL with a new error array in *errors (caller
 * frees) for `Must provide operation name if query contains multiple
 * operations.`, `Unknown operation named "X".` or a document without
 * operations; *errors is NULL on success. */
const gqlws_doc_operation *gqlws_doc_select_operation(const gqlws_doc *doc,
						      const char *operation_name,
						      cJSON **errors);

gqlws_doc_op_type gqlws_doc_operation_type(const gqlws_doc_operation *op);

/* The operation's name, or NULL when anonymous. Borrowed from the document. */
const char *gqlws_doc_operation_name(const gqlws_doc_operation *op);

/* Number of operations in the document. */
size_t gqlws_doc_operation_count(const gqlws_doc *doc);

/* ------------------------------------------------------------------- plans */

/* An operation bound to the request's variables and to the name of its root
 * type: variables coerced against their definitions (defaults applied),
 * @skip/@include decided, root fields collected (fragments spread, inline
 * fragments matched against the root type name, same response keys merged)
 * with their arguments resolved. */
typedef struct gqlws_doc_plan gqlws_doc_plan;

/* One root field of a plan (all root selections with one response key,
 * merged); borrowed from the plan. */
typedef struct gqlws_doc_field gqlws_doc_field;

/* Binds op (of doc) to variables (a JSON object, or NULL for none) and
 * root_type (e.g. "Subscription"; matched against type conditions of root
 * fragments; NULL: every root fragment applies). The plan copies what it needs from variables and
 * root_type; doc must outlive the plan. Returns NULL with a new error array
 * in *errors (caller frees) for request errors such as `Variable "$x" of
 * required type "Int!" was not provided.`, `Variable "$x" of non-null type
 * "Int!" must not be null.`, `Variable "$x" got invalid value "a"; Int
 * cannot represent non-integer value: "a"`, `Variable "$x" is not
 * defined.` or a non-Boolean @skip/@include condition; *errors is NULL on
 * success and when allocation failed. Values are checked and coerced for
 * the built-in scalars (Int, Float, String, Boolean, ID; an integer ID
 * becomes a string) and lists of them (a single value becomes a one-item
 * list); values of other types (enums, input objects) pass as they are. */
gqlws_doc_plan *gqlws_doc_plan_new(const gqlws_doc *doc, const gqlws_doc_operation *op,
				   const char *root_type, const cJSON *variables, cJSON **errors);

/* Frees a plan and its fields. NULL is ok. */
void gqlws_doc_plan_free(gqlws_doc_plan *plan);

/* The heap the plan takes (its arena, coerced variables and arguments),
 * not counting its document. */
size_t gqlws_doc_plan_bytes(const gqlws_doc_plan *plan);

/* The coerced variables: an object with each defined variable that was
 * given or has a default. Borrowed from the plan. */
const cJSON *gqlws_doc_plan_variables(const gqlws_doc_plan *plan);

/* Root fields in response order (skipped ones left out), 0..count-1. */
size_t gqlws_doc_plan_field_count(const gqlws_doc_plan *plan);
const gqlws_doc_field *gqlws_doc_plan_field(const gqlws_doc_plan *plan, size_t index);

/* The field's name ("counter"), its response key (alias, or the name), and
 * the line and column (1-based) of its first occurrence. Strings borrowed. */
const char *gqlws_doc_field_name(const gqlws_doc_field *field);
const char *gqlws_doc_field_key(const gqlws_doc_field *field);
unsigned gqlws_doc_field_line(const gqlws_doc_field *field);
unsigned gqlws_doc_field_column(const gqlws_doc_field *field);

/* The field's arguments as a JSON object, variables substituted (an
 * argument whose variable was not given and has no default is left out).
 * Never NULL; borrowed from the plan. */
const cJSON *gqlws_doc_field_args(const gqlws_doc_field *field);

/* One argument's value, or NULL when absent. Borrowed from the plan. */
const cJSON *gqlws_doc_field_arg(const gqlws_doc_field *field, const char *name);

/* True when the field has a sub-selection ({ ... }). */
bool gqlws_doc_field_has_selection(const gqlws_doc_field *field);

/* Checks the fields selected under field (fragments applied for an object
 * of type type_name, skipped selections left out) against the names the
 * type has: for each other name (`__typename` is always known) appends an
 * error `Cannot query field "x" on type "T".` with its location to errors
 * (a cJSON array). known_fields is a NULL-terminated list. Returns the
 * number of errors appended, or -1 on bad arguments or allocation failure.
 * Only the first level is checked: the names of nested types are not known
 * here. */
int gqlws_doc_field_check_selection(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
				    const char *type_name, const char *const *known_fields,
				    cJSON *errors);

/* Checks the argument `name` of field, as the document writes it, against
 * type: a built-in scalar ("Int", "Float", "String", "Boolean" or "ID"),
 * optionally followed by "!", the way graphql-js validates arguments before
 * any value is used. Appends an error to errors (a cJSON array) for:
 * - a literal the scalar cannot represent, the literal printed as written
 *   and located at it: `Int cannot represent non-integer value: 1e400`,
 *   `Int cannot represent non 32-bit signed integer value:
 *   99999999999999999999999`, `Int cannot represent non-integer value: 1.0`;
 * - a null, or (type with "!") no argument at all, where "!" forbids it;
 * - a variable declared with a type that does not fit: `Variable "$x" of
 *   type "Float" used in position expecting type "Int".` (the values of
 *   variables were coerced by their own types in gqlws_doc_plan_new).
 * Other names of type pass unchecked. Returns the number of errors
 * appended, or -1 on bad arguments or allocation failure. */
int gqlws_doc_field_check_arg(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
			      const char *name, const char *type, cJSON *errors);

/* A new GraphQL error object {"message":message,"locations":[the field's]},
 * e.g. for `Cannot query field "x" on type "Subscription".`. NULL on
 * allocation failure. */
cJSON *gqlws_doc_field_error(const gqlws_doc_field *field, const char *message);

/* A new GraphQL error object; line 0 leaves "locations" out. */
cJSON *gqlws_doc_error_new(const char *message, unsigned line, unsigned column);

/* --------------------------------------------------------------- requests */

/* One root field of a small schema, for gqlws_doc_request_new(): the
 * operation type it belongs to, its name, its type as SDL writes it
 * ("String!", "[Tick!]"; the built-in scalars Int, Float, String, Boolean
 * and ID are leaves, any other name an object type), and its arguments as
 * NULL-terminated pairs of name and type (built-in scalars, optionally with
 * "!"), or NULL when it takes none. A table ends with an entry whose name is
 * NULL. */
typedef struct gqlws_doc_root_field {
	gqlws_doc_op_type op_type;
	const char *name;
	const char *type;
	const char *const *args; /* e.g. {"from", "Int!", NULL} */
} gqlws_doc_root_field;

/* A request ready to run: its document, the operation it selects and that
 * operation's plan. Owns all three. */
typedef struct gqlws_doc_request gqlws_doc_request;

/* What an executor with a fixed table of root fields does first with a
 * request: parses req->query (limits may be NULL: defaults), selects the
 * operation req->operation_name names, binds it to req->variables and the
 * root type named after its kind ("Query", "Mutation", "Subscription"), and
 * checks its root fields against schema as graphql-js validates them:
 * `Cannot query field "x" on type "Query".`, `Unknown argument "x" on field
 * "Query.hello".`, each declared argument as gqlws_doc_field_check_arg()
 * checks it, a selection under a leaf or none under an object, `Schema is
 * not configured to execute mutation operation.` for a kind the table has
 * no field of, and for a subscription exactly one root field that is not
 * an introspection field (graphql-js's words; a subscription whose fields
 * are all skipped is refused the same way). `__typename` is a known root
 * field of queries and mutations. Nested selections are not checked.
 *
 * Returns the request, or NULL with *status set to why: GQLWS_DOC_SYNTAX
 * (answer with gqlws_op_refuse_syntax), GQLWS_DOC_INVALID (gqlws_op_refuse)
 * with a new error array in *errors (caller frees), or GQLWS_DOC_NOMEM with
 * *errors NULL. status may be NULL. So in the plan of a request every root
 * field is in schema (or is `__typename`), every argument declared with "!"
 * is present with a value of its type, and a subscription has exactly one
 * root field. */
gqlws_doc_request *gqlws_doc_request_new(const gqlws_request *req, const gqlws_doc_root_field *schema,
					 const gqlws_doc_limits *limits, cJSON **errors,
					 gqlws_doc_status *status);

/* Frees the request with its plan and document. NULL is ok. */
void gqlws_doc_request_free(gqlws_doc_request *r);

/* The kind of the selected operation. */
gqlws_doc_op_type gqlws_doc_request_op_type(const gqlws_doc_request *r);

/* The plan: root fields in response order (gqlws_doc_plan_field), their
 * arguments, projection. Borrowed from the request. */
const gqlws_doc_plan *gqlws_doc_request_plan(const gqlws_doc_request *r);

/* The value of argument `name` of root field `index` (response order), with
 * variables substituted: for a field of the table, of the declared type
 * (checked). Borrowed from the request; NULL when the field does not exist
 * or the argument was not given. */
const cJSON *gqlws_doc_request_arg(const gqlws_doc_request *r, size_t index, const char *name);

/* gqlws_doc_request_new() for a starting operation, with every answer but
 * the results given here: a document that does not parse refused with
 * gqlws_op_refuse_syntax(), an invalid request with gqlws_op_refuse(); the
 * request's heap charged to the connection (gqlws_op_charge), over budget
 * failed with GQLWS_MEMORY_LIMIT_MESSAGE; out of memory failed with
 * "Internal error". Returns the request (the caller owns it), or NULL when
 * the operation was answered: op_start then returns 0 (and, as always, if
 * the answer could not end the operation, op_stop follows). */
gqlws_doc_request *gqlws_doc_request_start(gqlws_op *op, const gqlws_request *req,
					   const gqlws_doc_root_field *schema,
					   const gqlws_doc_limits *limits);

/* Sends one result of op (gqlws_op_next_raw): {"data":{...}} with, for each
 * root field of the plan in order, under its response key, the member of
 * root_json (JSON text of an object) named after the field, projected
 * through the field's selection as gqlws_doc_project() projects it (typed by
 * the field's type in the table); a member that root_json lacks is null, and
 * `__typename` is the root type's name. Returns what gqlws_op_next_raw()
 * returns, GQLWS_ERR_NOMEM, or GQLWS_ERR_INVALID (NULL arguments, root_json
 * not a JSON object). */
int gqlws_doc_request_next(const gqlws_doc_request *r, gqlws_op *op, const char *root_json);

/* The heap the request takes (document, plan and itself), for an executor
 * that keeps it to charge to the connection (gqlws_op_charge). */
size_t gqlws_doc_request_bytes(const gqlws_doc_request *r);

/* -------------------------------------------------------------- projection */

/* Growable text for projections; start from GQLWS_DOC_BUF_INIT (all zero).
 * data is NUL-terminated after each successful append. */
typedef struct gqlws_doc_buf {
	char *data;
	size_t len;
	size_t cap;
} gqlws_doc_buf;

#define GQLWS_DOC_BUF_INIT {NULL, 0, 0}

/* Appends n bytes. Returns 0, or -1 when allocation failed (buf unchanged). */
int gqlws_doc_buf_append(gqlws_doc_buf *buf, const char *bytes, size_t n);

/* Frees the text and resets buf to empty. */
void gqlws_doc_buf_free(gqlws_doc_buf *buf);

/* Projects data, the executor's JSON value for field, through the field's
 * sub-selection into the value the response carries for that field:
 * - an object gets exactly the selected response keys, in selection order:
 *   aliases applied, members missing from data as null, `__typename` from
 *   data's "__typename" member or else the type name, fragments and inline
 *   fragments applied when their type condition equals that type;
 * - an array is projected element by element; null stays null;
 * - a field without sub-selection copies data as is; a scalar where a
 *   sub-selection is asked for becomes null.
 * type_name names data's type when data has no "__typename" member (NULL:
 * unknown; nested objects are always typed by their own "__typename"). A
 * type condition on an object of unknown type applies.
 * Returns a new value (caller frees), NULL on allocation failure. */
cJSON *gqlws_doc_project(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
			 const cJSON *data, const char *type_name);

/* As gqlws_doc_project(), appending compact JSON text to out (faster: no
 * tree is built). Returns 0, or -1 on allocation failure (out then holds a
 * partial text; reset out->len before reusing it). */
int gqlws_doc_project_text(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
			   const cJSON *data, const char *type_name, gqlws_doc_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* GQLWS_DOC_H */

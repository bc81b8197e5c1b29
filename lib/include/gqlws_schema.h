/*
 * gqlws_schema.h - GraphQL schemas for executors of lws-graphql-ws.
 *
 * Builds an immutable schema from SDL (a type-system document), validates
 * executable documents against it with every rule of graphql-js 16's
 * specifiedRules (same messages, same locations, same order), answers
 * introspection (__schema, __type, __typename), and projects executor values
 * through a selection with the schema's types (result coercion and null
 * propagation as graphql-js executes them). Depends on cJSON and libc only.
 *
 * Errors come back as cJSON arrays of GraphQL error objects
 * {"message":M,"locations":[{"line":L,"column":C}]}, as in gqlws_doc.h.
 *
 * Lifetimes: a gqlws_schema owns everything it holds; documents and plans
 * validated or executed against it borrow nothing from it. Threading: no
 * globals; a schema is immutable once built and may be read from several
 * threads at once.
 */
#ifndef GQLWS_SCHEMA_H
#define GQLWS_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "gqlws_doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ schema */

typedef struct gqlws_schema gqlws_schema;

/* Builds a schema from len bytes of SDL (no NUL needed) as graphql-js 16's
 * buildSchema() does: schema definition, scalar / object / interface / union
 * / enum / input types with descriptions, `implements A & B`, field
 * arguments with defaults, directive definitions (`repeatable`, locations),
 * directives on definitions, and every `extend` form. The built-in scalars
 * (Int, Float, String, Boolean, ID), the specified directives (@include,
 * @skip, @deprecated, @specifiedBy, @oneOf) and the introspection types are
 * predefined exactly as graphql-js 16.15 defines them; a definition of one
 * of their type names is the built-in. Operations and fragments in the SDL
 * are checked by validateSDL and otherwise ignored.
 *
 * Returns the schema, or NULL with *errors set to a new error array (caller
 * frees) holding the errors of the first stage that fails, with graphql-js's
 * messages, locations and order:
 *   1. the syntax error (one: "Syntax Error: ...", as lib/doc words it);
 *   2. else validateSDL()'s errors (graphql-js's specifiedSDLRules);
 *   3. else the error buildASTSchema(doc, {assumeValidSDL: true}) throws
 *      (one: "Argument \"reason\" has invalid value 1.",
 *      "Unexpected input type: Query");
 *   4. else validateSchema()'s errors on that schema (root types, names,
 *      field and argument types, interfaces, unions, enums, input fields,
 *      @oneOf, cycles of non-null input fields).
 * That is what a server that runs buildSchema() and then validateSchema()
 * refuses, except that graphql-js's buildSchema() throws one Error joining
 * the messages of stage 2, where this returns the list. Bounds graphql-js
 * does not have: nesting (list types, values) deeper than
 * GQLWS_DOC_DEPTH_CEILING is refused ("Document exceeds max-document-depth
 * (1000)."); a stage stops after 100 errors, adding "Too many validation
 * errors, error limit reached. Validation aborted."; an error lists at most
 * 100 locations; "Did you mean" hints stop once a bounded amount of
 * lexical-distance work is spent (only SDL with thousands of unknown names
 * gets there); and where graphql-js overflows its stack (an input type
 * whose default value needs its own defaults) the inner default counts as
 * absent. *errors is NULL on success and when allocation failed. sdl may
 * be NULL when len is 0 (an empty document: "Syntax Error: Unexpected
 * <EOF>.").
 *
 * (tests/graphql-js compares this list with graphql-js's: parse()'s
 * error, else validateSDL(document) from graphql/validation/validate.js,
 * else what buildASTSchema(document, {assumeValidSDL: true}) throws, else
 * validateSchema() of what it built.) */
gqlws_schema *gqlws_schema_parse(const char *sdl, size_t len, cJSON **errors);

/* Frees a schema. NULL is ok. */
void gqlws_schema_free(gqlws_schema *schema);

/* The heap the schema takes: its syntax tree (directives and default values
 * are kept as written), the built-ins and the model; about 64 KiB for a
 * one-field schema. */
size_t gqlws_schema_bytes(const gqlws_schema *schema);

/* The name of the root type of an operation kind, or NULL when the schema
 * has none: the schema definition's (and its extensions'), else the types
 * named "Query", "Mutation", "Subscription". The name lives as long as the
 * schema. */
const char *gqlws_schema_root_type(const gqlws_schema *schema, gqlws_doc_op_type type);

/* -------------------------------------------------------------- validation */

/* Parses len bytes of an executable document and validates it against the
 * schema as graphql-js 16.15's parse() and validate() do: its grammar
 * (descriptions on operations, fragments and variable definitions;
 * type-system definitions parsed, then refused by ExecutableDefinitions),
 * then every rule of specifiedRules, errors in graphql-js's order (document
 * order, rules in specifiedRules order at one node), at most 100 of them
 * and then "Too many validation errors, error limit reached. Validation
 * aborted."; "Validation aborted." when the fragment-work budget runs out.
 * Where graphql-js's validate() throws (SingleFieldSubscriptions meeting a
 * @skip or @include it cannot evaluate), that error is the only one. The
 * limits are gqlws_doc_parse_ex()'s and come first: a document over one is
 * refused with that limit's error alone, before any rule. Returns the
 * document, or NULL with *status GQLWS_DOC_SYNTAX or GQLWS_DOC_INVALID and
 * a new error array in *errors (caller frees), or GQLWS_DOC_NOMEM with
 * *errors NULL. limits may be NULL (defaults). */
gqlws_doc *gqlws_schema_parse_document(const gqlws_schema *schema, const char *text, size_t len,
				       const gqlws_doc_limits *limits, cJSON **errors,
				       gqlws_doc_status *status);

/* ---------------------------------------------------------- introspection */

/* True for the root fields gqlws_schema_introspect_text() answers:
 * "__schema" and "__type". (`__typename` is not one: any executor answers
 * it with its root type's name.) */
bool gqlws_schema_is_introspection_field(const char *name);

/* Appends to out the JSON text of the value of field, a root field
 * `__schema` or `__type(name:)` of plan, answered from schema as graphql-js
 * executes it: the field's selection with fragments and their type
 * conditions, @skip/@include as the plan decided them, aliases, same
 * response keys merged, arguments (`includeDeprecated`, `name`) with the
 * plan's coerced variables, and `__typename` inside introspection objects.
 * The plan's document should have been validated against schema
 * (gqlws_schema_parse_document): its MaxIntrospectionDepth rule is what
 * keeps the answer's size polynomial in the schema's (nested `fields {
 * type { fields ... } }` grow it exponentially); fields unknown to the
 * introspection types are left out. `__type` of an unknown name is null.
 * Default values are printed as graphql-js prints them
 * (print(astFromValue(coerced default))). The schema and plan are only
 * read: answers may be written by several threads at once. Returns 0
 * (out NUL-terminated); -1 when allocation failed (out then holds a
 * partial text: reset out->len before reusing it); -2 when field is
 * neither `__schema` nor `__type` (out unchanged). */
int gqlws_schema_introspect_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
				 const gqlws_doc_field *field, gqlws_doc_buf *out);

/* As gqlws_schema_introspect_text(), also reporting the errors graphql-js
 * reports while answering: a default value it cannot turn back into a
 * literal (an object or list default of a custom scalar, `Cannot convert
 * value to AST: { a: 1 }.`; a Float of 1e400, `Float cannot represent non
 * numeric value: Infinity`), whose defaultValue is then null. Each error
 * {"message","locations","path"} (every node of the field; the path from
 * the root field's response key, list indices as numbers) is appended to
 * *errors, the array made on the first one (the caller frees it), in
 * graphql-js's order, so that the root fields of one result share one
 * array. errors NULL: none reported, as gqlws_schema_introspect_text().
 * Returns as gqlws_schema_introspect_text() (-1: *errors may hold errors
 * already). */
int gqlws_schema_introspect_text_ex(const gqlws_schema *schema, const gqlws_doc_plan *plan,
				    const gqlws_doc_field *field, gqlws_doc_buf *out, cJSON **errors);

/* graphql-js's NoSchemaIntrospectionCustomRule, for an executor whose
 * introspection is switched off (the `introspection` option): every field
 * of doc (each operation and fragment, in document order, skipped ones
 * included) whose type is an introspection type (`__schema`, `__type`, and
 * under them every field returning __Type, __Field, ...; not `__typename`
 * nor leaves) gets the error `GraphQL introspection has been disabled, but
 * the requested query contained the field "__schema".` located at it.
 * Returns the number of errors, with *errors a new array of them (caller
 * frees) when it is above 0 and NULL otherwise; -1 (*errors NULL) when
 * allocation failed. doc should have been validated against schema. */
int gqlws_schema_refuse_introspection(const gqlws_schema *schema, const gqlws_doc *doc,
				      cJSON **errors);

/* ------------------------------------------------------------ typed results */

/* gqlws_schema_project_text() returns one of these, or -1 (out of memory,
 * or a NULL argument). */
enum {
	/* The field's value was written (null included). */
	GQLWS_SCHEMA_PROJECT_OK = 0,
	/* The field is non-null and its value came out null: graphql-js makes
	 * the whole "data" null then (out holds "null" for the field). */
	GQLWS_SCHEMA_PROJECT_DATA_NULL = 1,
};

/* Completes value, the executor's JSON for root field `field` of plan (a
 * plan of a document validated against schema, its root type named as the
 * schema names it), through the field's selection with the schema's types,
 * as graphql-js's execute() completes a resolved value, and appends the
 * field's response value to out as compact JSON text (no tree is built):
 * - leaves serialised as graphql-js serialises results: Int (32-bit; an
 *   integral float, a boolean as 1/0, a numeric string), Float, String (of
 *   a number or boolean too), Boolean (of a number too), ID (a string or
 *   an integer), an enum by value name, a custom scalar's JSON as it is;
 * - lists item by item; objects with exactly the selected response keys in
 *   selection order, fragments and inline fragments applied by the object's
 *   type (abstract conditions included), @skip/@include as the plan decided;
 *   a member the value lacks is null; `__typename` is the object type;
 * - an interface or union value resolved to the object type its
 *   "__typename" member names (graphql-js's default type resolver);
 * - errors (a value a leaf cannot represent, `Expected Iterable, ...`, an
 *   unresolvable abstract value, `Cannot return null for non-nullable field
 *   Stock.price.`) appended to *errors as {"message","locations","path"}
 *   with graphql-js's words, locations (every node of the field) and path
 *   (response keys, list indices as numbers), in graphql-js's order; the
 *   value that erred becomes null, and a null in a non-null position makes
 *   the nearest nullable parent null, exactly as graphql-js propagates it.
 * value NULL means absent (null). *errors is NULL or an error array: errors
 * are appended, the array made on the first one (the caller frees it), so
 * that several root fields share one array. `__typename` as the root field
 * gives the root type's name; a field the root type does not have (say
 * `__schema`) gives null: answer those elsewhere (gqlws_schema_request).
 * Returns GQLWS_SCHEMA_PROJECT_OK or _DATA_NULL, or -1 on allocation
 * failure (out then holds a partial text: reset out->len before reusing it;
 * *errors may hold errors already). The schema and plan are only read:
 * projections may run in several threads at once. Stack: about 370 bytes
 * per selection level (under 512 KiB at GQLWS_DOC_DEPTH_CEILING). */
int gqlws_schema_project_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
			      const gqlws_doc_field *field, const cJSON *value, gqlws_doc_buf *out,
			      cJSON **errors);

/* Appends to out the whole result of plan for root value root (a JSON
 * object whose member named after each root field is that field's value;
 * NULL: every field null), as graphql-js's execute() answers with that
 * rootValue: {"data":{...}} with every root field of the plan under its
 * response key, projected by gqlws_schema_project_text(); `__schema` and
 * `__type` answered by gqlws_schema_introspect_text(); when there were
 * errors {"errors":[...],"data":...} (graphql-js's key order), "data" null
 * when a non-null root field came out null. What execute() answers before
 * any field runs is the result alone: a kind the schema has no root type
 * of, a root @skip/@include that raises ({"errors":[...],"data":null}; for
 * a subscription {"errors":[...]}, as subscribe() returns it). A subscription's event is its
 * root value, as graphql-js executes each event. Returns 0, or -1 on
 * allocation failure (out then holds a partial text). */
int gqlws_schema_result_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
			     const cJSON *root, gqlws_doc_buf *out);

/* As gqlws_schema_result_text() with each root field's value given on its
 * own, for root fields of one name whose arguments make them resolve to
 * different values (`a: stock(symbol: "A") b: stock(symbol: "B")`):
 * values[i] is the value of the plan's root field i (response order,
 * gqlws_doc_plan_field; NULL, or values NULL: null), and messages[i], when
 * messages and it are not NULL, the error the field's resolver raised:
 * graphql-js reports it as {"message","locations":[every node of the
 * field],"path":["<key>"]} and the field is null (values[i] unused), a
 * non-null field making "data" null. `__schema` and `__type` of a query
 * are answered by introspection whatever values[i] is. Returns as
 * gqlws_schema_result_text(). */
int gqlws_schema_result_fields_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
				    const cJSON *const *values, const char *const *messages,
				    gqlws_doc_buf *out);

/* ---------------------------------------------------------------- requests */

/* A request of an executor with a schema, ready to run: its document
 * (validated against the schema), the operation it selects and that
 * operation's plan. Owns the document and plan; borrows the schema, which
 * must outlive it. */
typedef struct gqlws_schema_request gqlws_schema_request;

/* Flags of gqlws_schema_request_new(). */
enum {
	/* Introspection is switched off: a document with `__schema`, `__type`
	 * or a field below them is refused with
	 * gqlws_schema_refuse_introspection()'s errors. `__typename` stays. */
	GQLWS_SCHEMA_NO_INTROSPECTION = 1u << 0,
};

/* What an executor with a schema does first with a request, in graphql-js's
 * order: parses and validates req->query against schema
 * (gqlws_schema_parse_document; limits may be NULL), refuses introspection
 * when flags say so, selects the operation req->operation_name names,
 * coerces req->variables by their types as graphql-js's getVariableValues
 * does (enums by value name, input objects with their fields' defaults and
 * required, unknown and @oneOf checks, a single value as a list of one,
 * the built-in scalars; at most 50 errors, then `Too many errors
 * processing variables, ...`), plans the operation against its root type
 * (gqlws_doc_plan_new: defaults, @skip/@include), gives each root field's
 * arguments as graphql-js's getArgumentValues does (coerced by their
 * types, the schema's defaults for those left out), then refuses a
 * subscription whose root fields were all skipped (`... must select only
 * one top level field.`, as for two). What graphql-js's execute() and
 * subscribe() answer as a result, not a refusal, is made a request whose
 * result says it (gqlws_schema_request_answered()): a kind the schema has
 * no root type of (`Schema is not configured to execute mutation
 * operation.`), and an @skip/@include whose `if` is a variable that is
 * null or was not provided (`Argument "if" of non-null type "Boolean!"
 * must not be null.`): on a root selection the result is that error alone,
 * below it a field error raised only when a value reaches the selection
 * (gqlws_schema_result_text).
 * Returns the request, or NULL with *status set to why: GQLWS_DOC_SYNTAX
 * (answer with gqlws_op_refuse_syntax), GQLWS_DOC_INVALID
 * (gqlws_op_refuse) with a new error array in *errors (caller frees), or
 * GQLWS_DOC_NOMEM with *errors NULL. status may be NULL. So in the plan of
 * a request every root field is one of the root type's (or `__typename`,
 * or for queries `__schema` / `__type`), every argument has a value of its
 * type, and a subscription has exactly one root field. */
gqlws_schema_request *gqlws_schema_request_new(const gqlws_schema *schema, const gqlws_request *req,
					       const gqlws_doc_limits *limits, unsigned flags,
					       cJSON **errors, gqlws_doc_status *status);

/* True when graphql-js answers the request without running any root
 * field: the schema has no root type for its kind, or a root selection's
 * @skip/@include raises. Its result (gqlws_schema_request_next with a NULL
 * root) is then the whole answer: {"errors":[...],"data":null}, or for a
 * subscription {"errors":[...]} as subscribe() returns it; send it once
 * and complete. */
bool gqlws_schema_request_answered(const gqlws_schema_request *r);

/* gqlws_schema_request_new() for a starting operation, with every answer but
 * the results given here: refused (gqlws_op_refuse_syntax or
 * gqlws_op_refuse), the request's heap charged to the connection
 * (gqlws_op_charge; over budget: failed with GQLWS_MEMORY_LIMIT_MESSAGE),
 * out of memory failed with "Internal error". Returns the request (the
 * caller owns it), or NULL when the operation was answered: op_start then
 * returns 0 (and if the answer could not end the operation, op_stop
 * follows, as always). */
gqlws_schema_request *gqlws_schema_request_start(gqlws_op *op, const gqlws_schema *schema,
						 const gqlws_request *req,
						 const gqlws_doc_limits *limits, unsigned flags);

/* Frees the request with its plan and document. NULL is ok. */
void gqlws_schema_request_free(gqlws_schema_request *r);

/* The kind of the selected operation. */
gqlws_doc_op_type gqlws_schema_request_op_type(const gqlws_schema_request *r);

/* The plan: root fields in response order, their arguments (coerced, with
 * variables substituted). Borrowed from the request. */
const gqlws_doc_plan *gqlws_schema_request_plan(const gqlws_schema_request *r);

/* The value of argument `name` of root field `index` (response order),
 * coerced, the schema's default when the document left it out; NULL when
 * the field does not exist or the argument has neither. Borrowed. */
const cJSON *gqlws_schema_request_arg(const gqlws_schema_request *r, size_t index, const char *name);

/* The heap the request takes (document, plan and itself), to charge to the
 * connection (gqlws_op_charge) while it is kept. */
size_t gqlws_schema_request_bytes(const gqlws_schema_request *r);

/* Sends one result of op (gqlws_op_next_raw): gqlws_schema_result_text() of
 * root for the request's plan; text is the caller's buffer, reused from
 * call to call (its length is reset first; NULL: a buffer of the call's
 * own). Returns what gqlws_op_next_raw() returns, GQLWS_ERR_NOMEM, or
 * GQLWS_ERR_INVALID (NULL r or op). */
int gqlws_schema_request_next(const gqlws_schema_request *r, gqlws_op *op, const cJSON *root,
			      gqlws_doc_buf *text);

/* Appends to out a key of the request's projection: two requests of the
 * same schema whose keys are equal complete every value of their first
 * root field to the same text, errors included (response key, the
 * selection as planned after @skip/@include, fragments and their type
 * conditions, and the locations errors would carry). Subscribers of one
 * topic whose keys are equal share one serialisation per event
 * (gqlws_hub.h). Returns 0, or -1 on allocation failure. */
int gqlws_schema_request_signature(const gqlws_schema_request *r, gqlws_doc_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* GQLWS_SCHEMA_H */

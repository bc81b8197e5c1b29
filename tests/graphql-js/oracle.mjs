// What graphql-js says, in the shape the C driver answers: arrays of
// {message, locations:[{line, column}]}.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// CommonJS entry points only, so that every object comes from one copy of
// graphql-js (an ESM and a CJS copy would not recognise each other's types).
const graphql = require('graphql');
const { validateSDL } = require('graphql/validation/validate.js');

export { graphql };

// {message, locations} of a GraphQLError, locations [] when it has none.
export function plainError(error) {
  return {
    message: error.message,
    locations: (error.locations ?? []).map(({ line, column }) => ({ line, column })),
  };
}

// Our errors in the same shape (a missing "locations" is []).
export function plainOurs(errors) {
  return (errors ?? []).map((e) => ({
    message: e.message,
    locations: (e.locations ?? []).map(({ line, column }) => ({ line, column })),
  }));
}

// graphql-js's answer for an executable document: the syntax error when it
// does not parse, else validate()'s errors (maxErrors at its default).
export function documentErrors(schema, text) {
  let doc;
  try {
    doc = graphql.parse(text);
  } catch (e) {
    return [plainError(e)];
  }
  try {
    return graphql.validate(schema, doc).map(plainError);
  } catch (e) {
    // validate() itself throws in one known case: SingleFieldSubscriptions
    // collects the root fields with no variable values, so @skip/@include
    // with a variable there throws the GraphQLError of getArgumentValues.
    // A server that catches it answers with that error alone.
    if (e instanceof graphql.GraphQLError) return [plainError(e)];
    throw e;
  }
}

// graphql-js's answer for SDL, the contract gqlws_schema_parse() follows:
// the syntax error when it does not parse; else validateSDL()'s errors; if
// none, what buildASTSchema(assumeValidSDL) throws, or else
// validateSchema()'s errors.
export function sdlErrors(text) {
  let doc;
  try {
    doc = graphql.parse(text);
  } catch (e) {
    return [plainError(e)];
  }
  const sdl = validateSDL(doc);
  if (sdl.length > 0) return sdl.map(plainError);
  let schema;
  try {
    schema = graphql.buildASTSchema(doc, { assumeValidSDL: true });
  } catch (e) {
    // buildASTSchema throws on a few things validateSDL lets through: a
    // directive argument of the wrong type (a GraphQLError with its
    // location), a default value on an argument of an output type (a
    // plain Error: "Unexpected input type: Query"). What buildSchema()
    // throws is its answer.
    return [plainError(e)];
  }
  return graphql.validateSchema(schema).map(plainError);
}

export function buildSchema(text) {
  const schema = graphql.buildSchema(text);
  const errors = graphql.validateSchema(schema);
  if (errors.length) throw new Error(`schema does not validate: ${errors.map((e) => e.message).join('; ')}`);
  return schema;
}

// graphql-js's response to a request executed with rootValue root, as a
// server built on graphql-js sends it: {errors} when the document does not
// parse or validate (with NoSchemaIntrospectionCustomRule added when
// introspection is off), else execute()'s result, through JSON. A
// subscription's event is executed the same way (graphql-js's subscribe()
// runs execute() with the event as rootValue).
export function executeResult(schema, text, { variables, operationName, root, noIntrospection }) {
  let doc;
  try {
    doc = graphql.parse(text);
  } catch (e) {
    return { errors: [plainError(e)] };
  }
  const rules = noIntrospection ? [...graphql.specifiedRules, graphql.NoSchemaIntrospectionCustomRule] : undefined;
  let errors;
  try {
    errors = graphql.validate(schema, doc, rules);
  } catch (e) {
    if (!(e instanceof graphql.GraphQLError)) throw e;
    errors = [e];
  }
  if (errors.length) return { errors: errors.map(plainError) };
  const result = graphql.execute({ schema, document: doc, rootValue: root, variableValues: variables, operationName });
  if (typeof result.then === 'function') throw new Error('execute() returned a promise');
  // Errors that stop a request before execution (variables, operation
  // selection, a missing root type) carry no path: same shape as ours.
  if (!('data' in result)) return { errors: result.errors.map(plainError) };
  return JSON.parse(JSON.stringify(result));
}

// Requests that are executed, not only validated: introspection (every
// variant of getIntrospectionQuery() and __type of every named type), the
// hand-written cases of corpus/execute/, and the seeded generator's typed
// projections: the valid documents of corpus/valid/ with root values made
// to fit their selections, then spoiled (nulls in non-null positions,
// values of the wrong scalar type, out-of-range numbers, abstract values
// without or with a wrong __typename, lists where objects belong...), and
// variables made to fit their definitions, sometimes spoiled too.
import { join } from 'node:path';

import { splitCases } from './corpus.mjs';
import { prng } from './generate.mjs';
import { graphql } from './oracle.mjs';

const INTROSPECTION_VARIANTS = {
  default: {},
  'all-on': { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true },
  'all-off': { descriptions: false },
  'descriptions-deprecation': { descriptions: true, inputValueDeprecation: true },
  'schema-description': { schemaDescription: true, directiveIsRepeatable: true },
};

const TYPE_QUERY = `query TypeOf($name: String!) {
  __type(name: $name) {
    kind name description specifiedByURL
    fields(includeDeprecated: true) { name args(includeDeprecated: true) { name defaultValue type { ...Ref } isDeprecated deprecationReason } type { ...Ref } isDeprecated deprecationReason }
    active: fields { name }
    inputFields(includeDeprecated: true) { name defaultValue type { ...Ref } isDeprecated deprecationReason }
    interfaces { name }
    possibleTypes { name kind }
    enumValues(includeDeprecated: true) { name isDeprecated deprecationReason }
    current: enumValues(includeDeprecated: false) { name }
    isOneOf
    __typename
  }
}
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

// [{id, schema, label, text, variables}] for every schema.
export function introspectionCases(schemas) {
  const out = [];
  for (const name of Object.keys(schemas).sort()) {
    for (const [variant, options] of Object.entries(INTROSPECTION_VARIANTS)) {
      out.push({ id: `introspection/${name}/${variant}`, schema: name, label: `getIntrospectionQuery(${JSON.stringify(options)})`, text: graphql.getIntrospectionQuery(options) });
    }
    const types = Object.keys(schemas[name].getTypeMap()).sort();
    for (const type of [...types, 'NoSuchType']) {
      out.push({ id: `introspection/${name}/type/${type}`, schema: name, label: `__type(name: "${type}")`, text: TYPE_QUERY, variables: { name: type } });
    }
  }
  return out;
}

// Hand-written: corpus/execute/*.graphql, where a case's lines
//   #root JSON, #variables JSON, #operation NAME, #no-introspection
// give the root value, the variables, the operation name and the flag, and
// lines #sdl TEXT a schema of the case's own (its schema name is then
// only a label).
export function executeCases(dir, files) {
  const out = [];
  for (const file of files) {
    splitCases(join(dir, 'execute', file)).forEach((c, i) => {
      const m = /^([a-z0-9_-]+):\s*(.*)$/.exec(c.label);
      if (!m) throw new Error(`${file}: case "${c.label}" does not start with "schema:"`);
      const request = { id: `execute/${file.replace(/\.graphql$/, '')}/${i + 1}`, schema: m[1], label: m[2] };
      const body = [];
      for (const line of c.text.split('\n')) {
        const d = /^#(root|variables|operation|no-introspection|sdl)\b ?(.*)$/.exec(line);
        if (!d) body.push(line);
        else if (d[1] === 'sdl') request.sdlText = `${request.sdlText ?? ''}${d[2]}\n`;
        else if (d[1] === 'root') request.root = JSON.parse(d[2]);
        else if (d[1] === 'variables') request.variables = JSON.parse(d[2]);
        else if (d[1] === 'operation') request.operationName = d[2].trim();
        else request.noIntrospection = true;
      }
      while (body.length && body[body.length - 1].trim() === '') body.pop();
      out.push({ ...request, text: body.join('\n') });
    });
  }
  return out;
}

// ------------------------------------------------------------- values

const WORDS = ['alpha', 'Luke', 'R2-D2', '', 'x y', 'é', '1', 'true'];

function goodLeaf(r, type) {
  if (graphql.isEnumType(type)) return r.pick(type.getValues()).name;
  switch (type.name) {
    case 'Int':
      return r.pick([0, 1, -7, 42, 2147483647, -2147483648, 12]);
    case 'Float':
      return r.pick([0, 1.5, -2.25, 1700000000123.5, 3, 1e-7]);
    case 'String':
      return r.pick(WORDS);
    case 'Boolean':
      return r.chance(0.5);
    case 'ID':
      return r.chance(0.5) ? r.pick(['1', 'abc', '1000']) : r.pick([7, 1001]);
    default: // custom scalars: any JSON
      return r.pick(['2026-11-30T23:00:00Z', '12.50', 3, { a: [1, null] }, [true], null]);
  }
}

// Values graphql-js's serializers take or refuse: the point is to cover
// both, so they are drawn whatever the leaf type.
function oddLeaf(r) {
  return r.pick([2147483648, -2147483649, 2.5, 1e21, '12', '1.5', 'abc', '', true, false, 0, 1, { x: 1 }, [1, 2], ['a'], 'NEWHOPE', 'jedi', 9007199254740993, -0, 1.0]);
}

function possibleTypes(schema, type) {
  return schema.getPossibleTypes(type).slice().sort((a, b) => (a.name < b.name ? -1 : 1));
}

function doesApply(schema, condition, objectType) {
  if (!condition) return true;
  const t = schema.getType(condition.name.value);
  if (!t) return false;
  if (t === objectType) return true;
  return graphql.isAbstractType(t) && schema.isSubType(t, objectType);
}

// The fields a selection set asks of an object of objectType, by field
// name (the default resolver reads source[fieldName]); skip/include ignored.
function fieldsFor(schema, fragments, selectionSet, objectType, out = new Map(), seen = new Set()) {
  for (const sel of selectionSet?.selections ?? []) {
    if (sel.kind === 'Field') {
      const list = out.get(sel.name.value) ?? [];
      list.push(sel);
      out.set(sel.name.value, list);
    } else if (sel.kind === 'InlineFragment') {
      if (doesApply(schema, sel.typeCondition, objectType)) fieldsFor(schema, fragments, sel.selectionSet, objectType, out, seen);
    } else if (sel.kind === 'FragmentSpread') {
      const frag = fragments[sel.name.value];
      if (frag && !seen.has(frag.name.value) && doesApply(schema, frag.typeCondition, objectType)) {
        seen.add(frag.name.value);
        fieldsFor(schema, fragments, frag.selectionSet, objectType, out, seen);
      }
    }
  }
  return out;
}

// A value for type, made for the merged field nodes (their selections);
// spoil: the chance of each spoiling.
function makeValue(ctx, type, nodes, depth) {
  const { r, spoil } = ctx;
  if (graphql.isNonNullType(type)) {
    if (r.chance(spoil / 2)) return null;
    return makeValue(ctx, type.ofType, nodes, depth);
  }
  if (r.chance(spoil / 6)) return null;
  if (graphql.isListType(type)) {
    if (r.chance(spoil / 4)) return makeValue(ctx, type.ofType, nodes, depth + 1); // not a list
    const n = depth > 3 ? 0 : r.int(4);
    const items = [];
    for (let i = 0; i < n; i++) items.push(makeValue(ctx, type.ofType, nodes, depth + 1));
    return items;
  }
  if (graphql.isLeafType(type)) {
    if (r.chance(spoil)) return oddLeaf(r);
    if (graphql.isEnumType(type) && r.chance(spoil)) return r.pick(['NOPE', 'jedi', 1]);
    return goodLeaf(r, type);
  }
  // Composite.
  if (r.chance(spoil / 4)) return r.pick([[], 'text', 3, true]);
  let objectType = type;
  const value = {};
  if (graphql.isAbstractType(type)) {
    const possible = possibleTypes(ctx.schema, type);
    objectType = r.pick(possible);
    const roll = r.next();
    if (roll < spoil / 3) {
      // no __typename
    } else if (roll < (spoil * 2) / 3) {
      value.__typename = r.pick(['Nope', ...Object.keys(ctx.schema.getTypeMap()).filter((n) => !n.startsWith('__')).slice(0, 20)]);
    } else {
      value.__typename = objectType.name;
    }
  } else if (r.chance(0.3)) {
    value.__typename = r.chance(1 - spoil) ? type.name : 'Other';
  }
  const selections = { kind: 'SelectionSet', selections: nodes.flatMap((n) => n.selectionSet?.selections ?? []) };
  const fields = fieldsFor(ctx.schema, ctx.fragments, selections, objectType);
  for (const [name, fieldNodes] of fields) {
    if (name === '__typename') continue;
    const def = objectType.getFields()[name];
    if (!def) continue;
    if (r.chance(spoil / 8)) continue; // missing: null
    value[name] = depth > 6 ? null : makeValue(ctx, def.type, fieldNodes, depth + 1);
  }
  if (r.chance(0.2)) value.unselected = { big: 'x'.repeat(20) };
  return value;
}

// An input value of type, good or (with chance spoil) not.
function makeInput(ctx, type, depth = 0) {
  const { r, spoil } = ctx;
  if (graphql.isNonNullType(type)) {
    if (r.chance(spoil / 3)) return null;
    return makeInput(ctx, type.ofType, depth);
  }
  if (r.chance(spoil / 5)) return null;
  if (graphql.isListType(type)) {
    if (r.chance(0.3)) return makeInput(ctx, type.ofType, depth + 1); // a single item is coerced to a list
    const n = r.int(3);
    const items = [];
    for (let i = 0; i < n; i++) items.push(makeInput(ctx, type.ofType, depth + 1));
    return items;
  }
  if (graphql.isInputObjectType(type)) {
    if (r.chance(spoil / 4)) return r.pick(['x', 1, [], true]);
    const value = {};
    for (const f of Object.values(type.getFields())) {
      const required = graphql.isNonNullType(f.type) && f.defaultValue === undefined;
      if (required || (depth < 2 && r.chance(0.5))) value[f.name] = makeInput(ctx, f.type, depth + 1);
    }
    if (r.chance(spoil / 4)) value.unknownField = 1;
    return value;
  }
  if (r.chance(spoil)) return oddLeaf(r);
  const v = goodLeaf(r, type);
  // Input coercion differs from output: IDs and custom scalars as given.
  return v;
}

// [{id, schema, label, text, variables, operationName, root}] for the
// valid documents of every schema.
export function generateExecutions({ seeds, schemas, perSchema, seed }) {
  const r = prng(seed);
  const out = [];
  for (const schemaName of Object.keys(schemas).sort()) {
    const schema = schemas[schemaName];
    const mine = seeds.filter((s) => s.schema === schemaName);
    for (let i = 0; i < perSchema; i++) {
      const base = r.pick(mine);
      const doc = graphql.parse(base.text, { noLocation: true });
      const ops = doc.definitions.filter((d) => d.kind === 'OperationDefinition');
      const fragments = Object.fromEntries(doc.definitions.filter((d) => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]));
      const op = r.pick(ops);
      const spoil = r.pick([0, 0.05, 0.15, 0.3]);
      const ctx = { r, spoil, schema, fragments };
      const rootType = schema.getRootType(op.operation);
      const root = {};
      // The root fields' values, spoiled at the chosen rate.
      for (const [name, nodes] of fieldsFor(schema, fragments, op.selectionSet, rootType)) {
        const def = rootType.getFields()[name];
        if (def) root[name] = makeValue(ctx, def.type, nodes, 1);
      }
      const variables = {};
      for (const v of op.variableDefinitions ?? []) {
        if (v.defaultValue && r.chance(0.5)) continue;
        if (!graphql.isNonNullType(graphql.typeFromAST(schema, v.type)) && r.chance(0.3)) continue;
        variables[v.variable.name.value] = makeInput({ ...ctx, spoil: spoil / 2 }, graphql.typeFromAST(schema, v.type));
      }
      out.push({
        id: `project/${schemaName}/${i + 1}`,
        schema: schemaName,
        label: `${base.id}, operation ${op.name?.value ?? '(anonymous)'}, spoil ${spoil}`,
        text: base.text,
        operationName: ops.length > 1 ? op.name?.value : undefined,
        variables,
        root,
      });
    }
  }
  return out;
}

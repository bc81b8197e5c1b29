// The seeded generator: documents made by mutating the valid documents of
// corpus/valid/ (renamed fields, arguments, types, fragments and variables,
// dropped and duplicated selections, literals of another kind, wrong enum
// values, variables and defaults added and removed, spreads across types,
// nested conflicts, directives in wrong places, operations of another kind,
// and a few character-level edits that break the syntax). The same seed
// gives the same documents on every machine: the only randomness is the
// PRNG below, and every choice walks arrays in a fixed order.
import { graphql } from './oracle.mjs';

// mulberry32: small, fast, and the same everywhere.
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (arr) => arr[int(arr.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}

// Names a schema offers, for renames that hit something real.
function schemaPools(schema) {
  const types = Object.values(schema.getTypeMap()).sort((a, b) => (a.name < b.name ? -1 : 1));
  const fields = new Set();
  const args = new Set();
  const enumValues = new Set();
  const inputFields = new Set();
  for (const t of types) {
    if (graphql.isObjectType(t) || graphql.isInterfaceType(t)) {
      for (const f of Object.values(t.getFields())) {
        fields.add(f.name);
        for (const a of f.args) args.add(a.name);
      }
    } else if (graphql.isEnumType(t)) {
      for (const v of t.getValues()) enumValues.add(v.name);
    } else if (graphql.isInputObjectType(t)) {
      for (const f of Object.values(t.getFields())) inputFields.add(f.name);
    }
  }
  const directives = schema.getDirectives().map((d) => d);
  for (const d of directives) for (const a of d.args) args.add(a.name);
  return {
    typeNames: types.map((t) => t.name),
    inputTypeNames: types.filter((t) => graphql.isInputType(t)).map((t) => t.name),
    fields: [...fields],
    args: [...args],
    enumValues: [...enumValues],
    inputFields: [...inputFields],
    directives,
  };
}

// Every node of a (plain, cloned) AST with where it sits.
function collect(root) {
  const out = [];
  const visit = (node, parent, key, index) => {
    if (!node || typeof node !== 'object' || typeof node.kind !== 'string') return;
    out.push({ node, parent, key, index });
    for (const k of Object.keys(node)) {
      if (k === 'loc') continue;
      const v = node[k];
      if (Array.isArray(v)) v.forEach((child, i) => visit(child, node, k, i));
      else if (v && typeof v === 'object') visit(v, node, k, undefined);
    }
  };
  visit(root, null, null, undefined);
  return out;
}

const name = (value) => ({ kind: 'Name', value });

function typo(r, word) {
  if (word.length < 2) return `${word}x`;
  const i = r.int(word.length);
  switch (r.int(4)) {
    case 0: // drop a character
      return word.slice(0, i) + word.slice(i + 1);
    case 1: // double a character
      return word.slice(0, i) + word[i] + word.slice(i);
    case 2: // swap two characters
      return i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : `${word}s`;
    default: // change the case of the first letter
      return (word[0] === word[0].toUpperCase() ? word[0].toLowerCase() : word[0].toUpperCase()) + word.slice(1);
  }
}

function randomTypeRef(r, pools, depth = 0) {
  const roll = r.int(10);
  if (roll === 0 && depth < 3) return { kind: 'NonNullType', type: randomNullableRef(r, pools, depth + 1) };
  if (roll === 1 && depth < 3) return { kind: 'ListType', type: randomTypeRef(r, pools, depth + 1) };
  return randomNullableRef(r, pools, depth);
}

function randomNullableRef(r, pools, depth) {
  if (r.chance(0.2) && depth < 3) return { kind: 'ListType', type: randomTypeRef(r, pools, depth + 1) };
  const roll = r.int(10);
  const n = roll < 6 ? r.pick(pools.inputTypeNames) : roll < 9 ? r.pick(pools.typeNames) : typo(r, r.pick(pools.typeNames));
  return { kind: 'NamedType', name: name(n) };
}

function randomValue(r, ctx, depth = 0) {
  const { pools, variables } = ctx;
  switch (r.int(depth > 2 ? 8 : 11)) {
    case 0:
      return { kind: 'IntValue', value: r.pick(['0', '1', '7', '-3', '2147483647', '2147483648', '-2147483649', '99999999999999999999']) };
    case 1:
      return { kind: 'FloatValue', value: r.pick(['1.5', '0.0', '-2.25', '1e3', '1e400', '3.0']) };
    case 2:
      return { kind: 'StringValue', value: r.pick(['', 'a', 'JEDI', '1', 'true', 'x y']), block: false };
    case 3:
      return { kind: 'BooleanValue', value: r.chance(0.5) };
    case 4:
      return { kind: 'NullValue' };
    case 5:
    case 6:
      return { kind: 'EnumValue', value: r.chance(0.8) ? r.pick(pools.enumValues) : typo(r, r.pick(pools.enumValues)) };
    case 7: {
      const v = variables.length && r.chance(0.7) ? r.pick(variables) : r.pick(['v', 'x', 'input', 'id']);
      return { kind: 'Variable', name: name(v) };
    }
    case 8:
    case 9: {
      const n = r.int(4);
      const values = [];
      for (let i = 0; i < n; i++) values.push(randomValue(r, ctx, depth + 1));
      return { kind: 'ListValue', values };
    }
    default: {
      const n = r.int(4);
      const fields = [];
      for (let i = 0; i < n; i++) {
        fields.push({ kind: 'ObjectField', name: name(r.pick(pools.inputFields)), value: randomValue(r, ctx, depth + 1) });
      }
      return { kind: 'ObjectValue', fields };
    }
  }
}

const VALUE_KINDS = new Set(['IntValue', 'FloatValue', 'StringValue', 'BooleanValue', 'NullValue', 'EnumValue', 'ListValue', 'ObjectValue', 'Variable']);
const DIRECTIVE_HOLDERS = new Set(['Field', 'FragmentSpread', 'InlineFragment', 'OperationDefinition', 'FragmentDefinition', 'VariableDefinition']);

const of = (nodes, kind) => nodes.filter((e) => e.node.kind === kind);

function remove(entry) {
  if (entry.index === undefined) return false;
  entry.parent[entry.key].splice(entry.index, 1);
  return true;
}

function clone(node) {
  return JSON.parse(JSON.stringify(node));
}

function definedVariables(doc) {
  const out = [];
  for (const def of doc.definitions) for (const v of def.variableDefinitions ?? []) out.push(v.variable.name.value);
  return out;
}

function fragmentNames(doc) {
  return doc.definitions.filter((d) => d.kind === 'FragmentDefinition').map((d) => d.name.value);
}

function randomDirective(r, pools, ctx) {
  const known = r.chance(0.85);
  const def = known ? r.pick(pools.directives) : null;
  const args = [];
  if (def) {
    for (const a of def.args) {
      if (r.chance(0.8)) args.push({ kind: 'Argument', name: name(a.name), value: r.chance(0.5) && a.name === 'if' ? { kind: 'BooleanValue', value: true } : randomValue(r, ctx) });
    }
  }
  return { kind: 'Directive', name: name(def ? def.name : r.pick(['nope', 'live', 'defer'])), arguments: args };
}

function selectionSets(nodes) {
  return nodes.filter((e) => e.node.kind === 'SelectionSet');
}

// The mutations: each takes (r, doc, nodes, ctx) and changes doc in place,
// returning false when it found nothing to change.
const MUTATIONS = {
  renameField(r, doc, nodes, ctx) {
    const f = of(nodes, 'Field');
    if (!f.length) return false;
    const node = r.pick(f).node;
    const roll = r.int(10);
    node.name = name(roll < 4 ? typo(r, node.name.value) : roll < 9 ? r.pick(ctx.pools.fields) : r.pick(['__typename', '__schema', '__type']));
    return true;
  },
  aliasField(r, doc, nodes) {
    const sets = selectionSets(nodes).filter((e) => e.node.selections.filter((s) => s.kind === 'Field').length >= 2);
    if (!sets.length) return false;
    const fields = r.pick(sets).node.selections.filter((s) => s.kind === 'Field');
    const a = r.pick(fields);
    const b = r.pick(fields);
    a.alias = name(b.alias ? b.alias.value : b.name.value);
    return true;
  },
  renameArgument(r, doc, nodes, ctx) {
    const args = of(nodes, 'Argument');
    if (!args.length) return false;
    const node = r.pick(args).node;
    node.name = name(r.chance(0.5) ? typo(r, node.name.value) : r.pick(ctx.pools.args));
    return true;
  },
  duplicateArgument(r, doc, nodes) {
    const args = of(nodes, 'Argument');
    if (!args.length) return false;
    const e = r.pick(args);
    e.parent[e.key].splice(e.index + 1, 0, clone(e.node));
    return true;
  },
  dropArgument(r, doc, nodes) {
    const args = of(nodes, 'Argument');
    return args.length ? remove(r.pick(args)) : false;
  },
  addArgument(r, doc, nodes, ctx) {
    const holders = nodes.filter((e) => e.node.kind === 'Field' || e.node.kind === 'Directive');
    if (!holders.length) return false;
    const node = r.pick(holders).node;
    node.arguments = node.arguments ?? [];
    node.arguments.push({ kind: 'Argument', name: name(r.pick(ctx.pools.args)), value: randomValue(r, ctx) });
    return true;
  },
  changeValue(r, doc, nodes, ctx) {
    const values = nodes.filter((e) => VALUE_KINDS.has(e.node.kind) && e.key !== 'variable');
    if (!values.length) return false;
    const e = r.pick(values);
    const value = randomValue(r, ctx);
    if (e.index === undefined) e.parent[e.key] = value;
    else e.parent[e.key][e.index] = value;
    return true;
  },
  wrongEnumValue(r, doc, nodes, ctx) {
    const values = of(nodes, 'EnumValue');
    if (!values.length) return false;
    const node = r.pick(values).node;
    const roll = r.int(3);
    node.value = roll === 0 ? typo(r, node.value) : roll === 1 ? node.value.toLowerCase() : r.pick(ctx.pools.enumValues);
    return true;
  },
  renameTypeCondition(r, doc, nodes, ctx) {
    const holders = nodes.filter((e) => (e.node.kind === 'InlineFragment' || e.node.kind === 'FragmentDefinition') && e.node.typeCondition);
    if (!holders.length) return false;
    const node = r.pick(holders).node;
    if (node.kind === 'InlineFragment' && r.chance(0.15)) {
      node.typeCondition = undefined;
      return true;
    }
    const n = r.chance(0.85) ? r.pick(ctx.pools.typeNames) : typo(r, node.typeCondition.name.value);
    node.typeCondition = { kind: 'NamedType', name: name(n) };
    return true;
  },
  renameSpread(r, doc, nodes) {
    const spreads = of(nodes, 'FragmentSpread');
    if (!spreads.length) return false;
    const node = r.pick(spreads).node;
    const frags = fragmentNames(doc);
    node.name = name(r.chance(0.5) && frags.length ? r.pick(frags) : typo(r, node.name.value));
    return true;
  },
  renameFragment(r, doc) {
    const defs = doc.definitions.filter((d) => d.kind === 'FragmentDefinition');
    if (!defs.length) return false;
    const node = r.pick(defs);
    const frags = fragmentNames(doc);
    node.name = name(r.chance(0.4) ? r.pick(frags) : typo(r, node.name.value));
    return true;
  },
  addSpread(r, doc, nodes, ctx) {
    const sets = selectionSets(nodes);
    if (!sets.length) return false;
    const set = r.pick(sets).node;
    const frags = fragmentNames(doc);
    if (frags.length && r.chance(0.5)) {
      set.selections.splice(r.int(set.selections.length + 1), 0, { kind: 'FragmentSpread', name: name(r.pick(frags)), directives: [] });
    } else {
      const field = { kind: 'Field', name: name(r.chance(0.5) ? '__typename' : r.pick(ctx.pools.fields)), arguments: [], directives: [] };
      set.selections.splice(r.int(set.selections.length + 1), 0, {
        kind: 'InlineFragment',
        typeCondition: { kind: 'NamedType', name: name(r.pick(ctx.pools.typeNames)) },
        directives: [],
        selectionSet: { kind: 'SelectionSet', selections: [field] },
      });
    }
    return true;
  },
  moveSelection(r, doc, nodes) {
    const sets = selectionSets(nodes).filter((e) => e.node.selections.length > 0);
    if (sets.length < 2) return false;
    const from = r.pick(sets).node;
    const to = r.pick(sets).node;
    const i = r.int(from.selections.length);
    const sel = clone(from.selections[i]);
    if (r.chance(0.5)) from.selections.splice(i, 1);
    to.selections.splice(r.int(to.selections.length + 1), 0, sel);
    return true;
  },
  dropSelection(r, doc, nodes) {
    const sets = selectionSets(nodes).filter((e) => e.node.selections.length > 0);
    if (!sets.length) return false;
    const set = r.pick(sets).node;
    set.selections.splice(r.int(set.selections.length), 1);
    return true;
  },
  duplicateSelection(r, doc, nodes, ctx) {
    const sets = selectionSets(nodes).filter((e) => e.node.selections.length > 0);
    if (!sets.length) return false;
    const set = r.pick(sets).node;
    const i = r.int(set.selections.length);
    const copy = clone(set.selections[i]);
    // Sometimes the copy differs a little deeper down: a nested conflict.
    if (r.chance(0.6)) {
      const inner = collect(copy);
      const pick = r.int(3);
      if (pick === 0) MUTATIONS.aliasField(r, doc, inner, ctx);
      else if (pick === 1) MUTATIONS.changeValue(r, doc, inner, ctx);
      else MUTATIONS.renameField(r, doc, inner, ctx);
    }
    set.selections.splice(i + 1, 0, copy);
    return true;
  },
  renameVariableUse(r, doc, nodes) {
    const uses = of(nodes, 'Variable').filter((e) => e.key !== 'variable');
    if (!uses.length) return false;
    const node = r.pick(uses).node;
    const defined = definedVariables(doc);
    node.name = name(r.chance(0.5) && defined.length ? r.pick(defined) : typo(r, node.name.value));
    return true;
  },
  renameVariableDefinition(r, doc, nodes) {
    const defs = of(nodes, 'VariableDefinition');
    if (!defs.length) return false;
    const node = r.pick(defs).node;
    const defined = definedVariables(doc);
    node.variable = { kind: 'Variable', name: name(r.chance(0.3) ? r.pick(defined) : typo(r, node.variable.name.value)) };
    return true;
  },
  changeVariableType(r, doc, nodes, ctx) {
    const defs = of(nodes, 'VariableDefinition');
    if (!defs.length) return false;
    const node = r.pick(defs).node;
    if (r.chance(0.4)) {
      // Only the nullability or the list wrapping changes.
      node.type = node.type.kind === 'NonNullType' ? node.type.type : { kind: 'NonNullType', type: node.type };
      if (r.chance(0.3)) node.type = { kind: 'ListType', type: node.type };
    } else {
      node.type = randomTypeRef(r, ctx.pools);
    }
    return true;
  },
  addVariable(r, doc, nodes, ctx) {
    const ops = doc.definitions.filter((d) => d.kind === 'OperationDefinition');
    if (!ops.length) return false;
    const op = r.pick(ops);
    op.variableDefinitions = op.variableDefinitions ?? [];
    const def = {
      kind: 'VariableDefinition',
      variable: { kind: 'Variable', name: name(r.pick(['v', 'x', 'first', 'id', 'input', 'episode'])) },
      type: randomTypeRef(r, ctx.pools),
      directives: [],
    };
    if (r.chance(0.4)) def.defaultValue = randomValue(r, { ...ctx, variables: [] });
    op.variableDefinitions.push(def);
    if (!op.name && r.chance(0.5)) op.name = name('Anon');
    return true;
  },
  dropVariable(r, doc, nodes) {
    const defs = of(nodes, 'VariableDefinition');
    return defs.length ? remove(r.pick(defs)) : false;
  },
  changeDefault(r, doc, nodes, ctx) {
    const defs = of(nodes, 'VariableDefinition');
    if (!defs.length) return false;
    const node = r.pick(defs).node;
    if (node.defaultValue && r.chance(0.4)) node.defaultValue = undefined;
    else node.defaultValue = r.chance(0.3) ? { kind: 'NullValue' } : randomValue(r, { ...ctx, variables: [] });
    return true;
  },
  addDirective(r, doc, nodes, ctx) {
    const holders = nodes.filter((e) => DIRECTIVE_HOLDERS.has(e.node.kind));
    if (!holders.length) return false;
    const node = r.pick(holders).node;
    node.directives = node.directives ?? [];
    const d = r.chance(0.2) && node.directives.length ? clone(r.pick(node.directives)) : randomDirective(r, ctx.pools, ctx);
    node.directives.push(d);
    return true;
  },
  changeOperationType(r, doc) {
    const ops = doc.definitions.filter((d) => d.kind === 'OperationDefinition');
    if (!ops.length) return false;
    const op = r.pick(ops);
    op.operation = r.pick(['query', 'mutation', 'subscription'].filter((o) => o !== op.operation));
    if (!op.name && r.chance(0.5)) op.name = name('Op');
    return true;
  },
  renameOperation(r, doc) {
    const ops = doc.definitions.filter((d) => d.kind === 'OperationDefinition');
    if (!ops.length) return false;
    const op = r.pick(ops);
    const roll = r.int(3);
    if (roll === 0) {
      op.name = undefined;
      if (op.variableDefinitions?.length && r.chance(0.5)) op.variableDefinitions = [];
    } else {
      const other = ops.find((o) => o !== op && o.name);
      op.name = name(roll === 1 && other ? other.name.value : 'Renamed');
    }
    return true;
  },
  duplicateDefinition(r, doc) {
    if (!doc.definitions.length) return false;
    const i = r.int(doc.definitions.length);
    doc.definitions.splice(r.int(doc.definitions.length + 1), 0, clone(doc.definitions[i]));
    return true;
  },
  fragmentCycle(r, doc) {
    const defs = doc.definitions.filter((d) => d.kind === 'FragmentDefinition');
    if (!defs.length) return false;
    const from = r.pick(defs);
    const to = r.pick(defs);
    from.selectionSet.selections.push({ kind: 'FragmentSpread', name: name(to.name.value), directives: [] });
    if (to !== from) to.selectionSet.selections.push({ kind: 'FragmentSpread', name: name(from.name.value), directives: [] });
    return true;
  },
  deepIntrospection(r, doc, nodes) {
    const sets = selectionSets(nodes);
    if (!sets.length) return false;
    let inner = { kind: 'Field', name: name('name') };
    const steps = r.int(2) ? ['fields', 'type', 'fields', 'type', 'fields', 'type'] : ['interfaces', 'possibleTypes', 'interfaces', 'possibleTypes'];
    for (const step of steps.slice(0, 2 + r.int(steps.length - 1)).reverse()) {
      inner = { kind: 'Field', name: name(step), selectionSet: { kind: 'SelectionSet', selections: [inner] } };
    }
    const top = { kind: 'Field', name: name('__schema'), selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'Field', name: name('types'), selectionSet: { kind: 'SelectionSet', selections: [inner] } }] } };
    r.pick(sets).node.selections.push(top);
    return true;
  },
  // Definitions of another valid document of the same schema added: name
  // clashes, spreads of fragments on other types, several operations.
  combine(r, doc, nodes, ctx) {
    const other = r.pick(ctx.others);
    const parsed = clone(graphql.parse(other.text, { noLocation: true }));
    for (const def of parsed.definitions) if (r.chance(0.7)) doc.definitions.push(def);
    return true;
  },
  // A field's subselection moved to a sibling (selections on the wrong type).
  swapSubselections(r, doc, nodes) {
    const withSets = of(nodes, 'Field').filter((e) => e.node.selectionSet);
    if (withSets.length < 2) return false;
    const a = r.pick(withSets).node;
    const b = r.pick(withSets).node;
    [a.selectionSet, b.selectionSet] = [b.selectionSet, a.selectionSet];
    return true;
  },
  inputObjectFields(r, doc, nodes, ctx) {
    const objects = of(nodes, 'ObjectValue');
    if (!objects.length) return false;
    const node = r.pick(objects).node;
    const roll = r.int(3);
    if (roll === 0 && node.fields.length) node.fields.splice(r.int(node.fields.length), 1);
    else if (roll === 1 && node.fields.length) node.fields.push(clone(r.pick(node.fields)));
    else node.fields.push({ kind: 'ObjectField', name: name(r.chance(0.5) ? r.pick(ctx.pools.inputFields) : 'unknownField'), value: randomValue(r, ctx) });
    return true;
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

// Character-level edits that make most documents not parse.
function corruptText(r, text) {
  if (!text.length) return '{';
  const i = r.int(text.length);
  switch (r.int(4)) {
    case 0:
      return text.slice(0, i) + text.slice(i + 1);
    case 1:
      return text.slice(0, i) + r.pick(['{', '}', '(', ')', '[', ']', ':', '$', '@', '!', '=', '.', '"', '#', '|', '&', '...', '1.', '0x']) + text.slice(i);
    case 2:
      return text.slice(0, i);
    default:
      return text.slice(0, i) + r.pick(['query', 'fragment', 'on', 'type', 'null', '"""']) + ' ' + text.slice(i);
  }
}

// count documents per schema, from seeds [{schema, text}] and built
// schemas {name: GraphQLSchema}: [{id, schema, text, mutations}].
export function generate({ seeds, schemas, perSchema, seed }) {
  const r = prng(seed);
  const out = [];
  for (const schemaName of Object.keys(schemas).sort()) {
    const pools = schemaPools(schemas[schemaName]);
    const mine = seeds.filter((s) => s.schema === schemaName);
    if (!mine.length) continue;
    for (let i = 0; i < perSchema; i++) {
      const base = r.pick(mine);
      const doc = clone(graphql.parse(base.text, { noLocation: true }));
      const applied = [];
      const n = 1 + r.int(4);
      for (let k = 0; k < n; k++) {
        const which = r.pick(MUTATION_NAMES);
        const nodes = collect(doc);
        const ctx = { pools, variables: definedVariables(doc), others: mine };
        if (MUTATIONS[which](r, doc, nodes, ctx)) applied.push(which);
      }
      let text = graphql.print(doc);
      if (r.chance(0.06)) {
        text = corruptText(r, text);
        applied.push('corruptText');
      }
      out.push({ id: `gen/${schemaName}/${i + 1}`, schema: schemaName, text, label: `${base.id} + ${applied.join(', ')}` });
    }
  }
  return out;
}

// Writes random.jsonl for tests/unit/schema_introspect.c: seeded random
// selections over every introspection field (aliases, inline and named
// fragments, @skip/@include with a variable, includeDeprecated literal and
// from a variable, __typename, known, unknown and wrapped __type names),
// each line {"query","variables","result"} with graphql-js's result as JSON
// text. Only valid documents with small results are kept.
//   cd tests/unit/data/schema_introspect && NODE_PATH=../../../e2e/node_modules node random.gen.cjs
const g = require('graphql'), fs = require('fs');
const N = 1200, KEEP = 150, MAX_LINE = 3000;
let seed = 11;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const schema = g.buildSchema(fs.readFileSync('schema.graphql', 'utf8'));
const typeNames = Object.keys(schema.getTypeMap()).concat(['Nope', '[Int]']);
const F = {
  __Schema: { description: 0, types: '__Type', queryType: '__Type', mutationType: '__Type', subscriptionType: '__Type', directives: '__Directive' },
  __Type: { kind: 0, name: 0, description: 0, specifiedByURL: 0, fields: '__Field', interfaces: '__Type', possibleTypes: '__Type', enumValues: '__EnumValue', inputFields: '__InputValue', ofType: '__Type', isOneOf: 0 },
  __Field: { name: 0, description: 0, args: '__InputValue', type: '__Type', isDeprecated: 0, deprecationReason: 0 },
  __InputValue: { name: 0, description: 0, type: '__Type', defaultValue: 0, isDeprecated: 0, deprecationReason: 0 },
  __EnumValue: { name: 0, description: 0, isDeprecated: 0, deprecationReason: 0 },
  __Directive: { name: 0, description: 0, isRepeatable: 0, locations: 0, args: '__InputValue', isDeprecated: 0, deprecationReason: 0 },
};
const withArg = new Set(['fields', 'enumValues', 'inputFields', 'args', 'directives']);
const listy = new Set(['fields', 'interfaces', 'possibleTypes', 'inputFields']); // MaxIntrospectionDepth's
let fragments, aliases;
function selection(type, depth, lists) {
  const names = Object.keys(F[type]);
  const out = [];
  for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++) {
    const r = rnd();
    if (r < 0.08) { out.push('__typename'); continue; }
    if (r < 0.16 && depth < 5) { out.push(`... on ${type} { ${selection(type, depth + 1, lists)} }`); continue; }
    if (r < 0.22 && depth < 5) { out.push(`... @include(if: $v) { ${selection(type, depth + 1, lists)} }`); continue; }
    if (r < 0.27 && depth < 5) {
      const name = 'F' + fragments.length;
      fragments.push(null);
      fragments[fragments.length - 1] = `fragment ${name} on ${type} { ${selection(type, depth + 1, lists)} }`;
      out.push(`...${name}`);
      continue;
    }
    const f = pick(names), sub = F[type][f];
    let text = f;
    if (rnd() < 0.2) text = `a${aliases++}: ${f}`;
    if (withArg.has(f) && rnd() < 0.5 && text === f) {
      const a = pick(['true', 'false', '$d']);
      text = `${f}_${a.replace('$', '')}: ${f}(includeDeprecated: ${a})`;
    }
    if (rnd() < 0.08) text += ' @skip(if: $v)';
    if (sub) {
      const nested = lists + (listy.has(f) ? 1 : 0);
      if (nested >= 3 || depth > 6) continue;
      text += ` { ${selection(sub, depth + 1, nested)} }`;
    }
    out.push(text);
  }
  if (!out.length) out.push('__typename');
  return out.join(' ');
}
const keep = [];
for (let k = 0; k < N && keep.length < KEEP; k++) {
  fragments = [];
  aliases = 0;
  const roots = [];
  for (let i = 0, n = 1 + Math.floor(rnd() * 3); i < n; i++) {
    if (rnd() < 0.4) roots.push(`s${i}: __schema { ${selection('__Schema', 1, 0)} }`);
    else roots.push(`t${i}: __type(name: "${pick(typeNames)}") { ${selection('__Type', 1, 0)} }`);
  }
  const query = `query Q($v: Boolean = true, $d: Boolean) { ${roots.join(' ')} __typename @include(if: $v) ` +
    `dd: __type(name: "Human") { fields(includeDeprecated: $d) { name } } }\n${fragments.join('\n')}`;
  const variables = { v: rnd() < 0.5, d: pick([true, false, null]) };
  const r = g.graphqlSync({ schema, source: query, variableValues: variables });
  if (!r.data) continue;
  const line = JSON.stringify({ query, variables, result: JSON.stringify(r) });
  if (line.length <= MAX_LINE) keep.push(line);
}
fs.writeFileSync('random.jsonl', keep.join('\n') + '\n');
console.log(keep.length, 'documents');

// Writes schema200.graphql, the 200-type schema of bench_schema (ours) and
// bench_schema.mjs (graphql-js's): 150 object types, 10 interfaces, 5
// unions, 20 input objects, 10 enums, 2 custom scalars and the 3 root
// types, with arguments, defaults, lists, non-null types and descriptions.
// Deterministic (no randomness): run it again and the file is the same.
//   node gen-schema200.mjs > schema200.graphql
const OBJECTS = 150;
const INTERFACES = 10;
const UNIONS = 5;
const INPUTS = 20;
const ENUMS = 10;
const out = [];
const p = (s) => out.push(s);

p('"""A generated 200-type schema for the schema benchmarks (gen-schema200.mjs)."""');
p('schema { query: Query mutation: Mutation subscription: Subscription }');
p('');
p('"An instant, ISO 8601."');
p('scalar DateTime');
p('"Any JSON value."');
p('scalar JSON');
p('');
for (let e = 0; e < ENUMS; e++) {
  p(`"Enum number ${e}."`);
  p(`enum E${e} { ${['ALPHA', 'BETA', 'GAMMA', 'DELTA', 'OMEGA'].map((v) => `${v}${e}`).join(' ')} }`);
}
p('');
for (let n = 0; n < INTERFACES; n++) {
  p(`"Interface number ${n}."`);
  p(`interface N${n} { id: ID! name: String updatedAt: DateTime }`);
}
p('');
for (let i = 0; i < INPUTS; i++) {
  p(`"Input number ${i}."`);
  p(
    `input I${i} { text: String limit: Int = 10 status: [E${i % ENUMS}!] from: DateTime ` +
      `nested: I${(i + 1) % INPUTS} flags: [Boolean!] = [] }`,
  );
}
p('');
for (let t = 0; t < OBJECTS; t++) {
  const n = t % INTERFACES;
  p(`"Object type number ${t}, implements N${n}."`);
  p(`type T${t} implements N${n} {`);
  p('  "The identifier."');
  p('  id: ID!');
  p('  name: String');
  p('  updatedAt: DateTime');
  p('  count: Int!');
  p('  score: Float');
  p('  flag: Boolean');
  p(`  status: E${t % ENUMS}!`);
  p(`  tags: [String!]!`);
  p(`  child: T${(t + 1) % OBJECTS}`);
  p(`  "Children, filtered."`);
  p(`  children(first: Int = 10, after: String, filter: I${t % INPUTS}): [T${(t + 7) % OBJECTS}!]!`);
  p(`  node: N${(t + 3) % INTERFACES}`);
  p(`  any: U${t % UNIONS}`);
  p(`  data(path: String): JSON`);
  p(`  old: String @deprecated(reason: "Use name.")`);
  p('}');
}
p('');
for (let u = 0; u < UNIONS; u++) {
  const members = [];
  for (let k = 0; k < 5; k++) members.push(`T${(u * 5 + k * 13) % OBJECTS}`);
  p(`"Union number ${u}."`);
  p(`union U${u} = ${members.join(' | ')}`);
}
p('');
p('type Query {');
for (let t = 0; t < 40; t++) p(`  t${t}(id: ID!): T${t}`);
for (let n = 0; n < INTERFACES; n++) p(`  n${n}(id: ID!): N${n}`);
p('  search(text: String!, limit: Int = 20): [U0!]!');
p('}');
p('');
p('type Mutation {');
for (let i = 0; i < 10; i++) p(`  update${i}(id: ID!, input: I${i}!): T${i * 3}!`);
p('}');
p('');
p('type Subscription {');
for (let t = 0; t < 20; t++) p(`  watchT${t}(id: ID!, filter: I${t % INPUTS}): T${t}!`);
p('}');
console.log(out.join('\n'));

// The seeded SDL generator: schemas made by mutating valid ones (the three
// schemas of schemas/ and the valid cases of corpus/sdl/valid.graphql):
// types renamed, dropped and duplicated, type references pointed at other
// kinds or wrapped differently, fields and arguments renamed, dropped,
// duplicated and made required, interfaces added and fields they need
// removed, union members and enum values changed, directives put where
// they do not belong, root types changed, extensions of other kinds, and
// input objects made to reference themselves. Deterministic, as
// generate.mjs.
import { prng } from './generate.mjs';
import { graphql } from './oracle.mjs';

const name = (value) => ({ kind: 'Name', value });
const named = (value) => ({ kind: 'NamedType', name: name(value) });
const clone = (node) => JSON.parse(JSON.stringify(node));

const TYPE_KINDS = new Set([
  'ObjectTypeDefinition', 'InterfaceTypeDefinition', 'UnionTypeDefinition', 'EnumTypeDefinition',
  'InputObjectTypeDefinition', 'ScalarTypeDefinition',
]);
const FIELDED = new Set(['ObjectTypeDefinition', 'InterfaceTypeDefinition', 'ObjectTypeExtension', 'InterfaceTypeExtension']);
const DIRECTIVE_HOLDERS = [
  'ObjectTypeDefinition', 'InterfaceTypeDefinition', 'UnionTypeDefinition', 'EnumTypeDefinition',
  'InputObjectTypeDefinition', 'ScalarTypeDefinition', 'FieldDefinition', 'InputValueDefinition',
  'EnumValueDefinition', 'SchemaDefinition',
];

function collect(root) {
  const out = [];
  const visit = (node) => {
    if (!node || typeof node !== 'object' || typeof node.kind !== 'string') return;
    out.push(node);
    for (const k of Object.keys(node)) {
      if (k === 'loc') continue;
      const v = node[k];
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object') visit(v);
    }
  };
  visit(root);
  return out;
}

function typo(r, word) {
  const i = r.int(word.length);
  return r.chance(0.5) ? word.slice(0, i) + word.slice(i + 1) || `${word}x` : `${word.slice(0, i)}${word[i]}${word.slice(i)}`;
}

function typeNames(doc) {
  return doc.definitions.filter((d) => TYPE_KINDS.has(d.kind)).map((d) => d.name.value);
}

function innermost(type) {
  while (type.kind !== 'NamedType') type = type.type;
  return type;
}

function randomLiteral(r) {
  return r.pick([
    { kind: 'IntValue', value: '1' },
    { kind: 'StringValue', value: 'x' },
    { kind: 'BooleanValue', value: true },
    { kind: 'NullValue' },
    { kind: 'EnumValue', value: 'A' },
    { kind: 'ListValue', values: [{ kind: 'IntValue', value: '2' }] },
    { kind: 'ObjectValue', fields: [{ kind: 'ObjectField', name: name('a'), value: { kind: 'IntValue', value: '3' } }] },
  ]);
}

const BUILTIN_DIRECTIVES = ['deprecated', 'specifiedBy', 'oneOf', 'skip', 'include'];

const MUTATIONS = {
  renameType(r, doc) {
    const defs = doc.definitions.filter((d) => TYPE_KINDS.has(d.kind));
    if (!defs.length) return false;
    const def = r.pick(defs);
    const names = typeNames(doc);
    def.name = name(r.pick([typo(r, def.name.value), r.pick(names), 'String', `__${def.name.value}`]));
    return true;
  },
  retargetTypeRef(r, doc, nodes) {
    const refs = nodes.filter((n) => n.kind === 'FieldDefinition' || n.kind === 'InputValueDefinition');
    if (!refs.length) return false;
    const ref = innermost(r.pick(refs).type);
    ref.name = name(r.chance(0.85) ? r.pick([...typeNames(doc), 'Int', 'String', 'Boolean']) : typo(r, ref.name.value));
    return true;
  },
  rewrapTypeRef(r, doc, nodes) {
    const holders = nodes.filter((n) => n.kind === 'FieldDefinition' || n.kind === 'InputValueDefinition');
    if (!holders.length) return false;
    const h = r.pick(holders);
    if (h.type.kind === 'NonNullType') h.type = h.type.type;
    else if (r.chance(0.5)) h.type = { kind: 'NonNullType', type: h.type };
    else h.type = { kind: 'ListType', type: h.type };
    return true;
  },
  fieldEdit(r, doc) {
    const defs = doc.definitions.filter((d) => (d.fields?.length ?? 0) > 0);
    if (!defs.length) return false;
    const def = r.pick(defs);
    const i = r.int(def.fields.length);
    switch (r.int(4)) {
      case 0:
        def.fields.splice(i, 1);
        break;
      case 1:
        def.fields.splice(i, 0, clone(def.fields[i]));
        break;
      case 2:
        def.fields[i].name = name(r.chance(0.3) ? `__${def.fields[i].name.value}` : typo(r, def.fields[i].name.value));
        break;
      default:
        def.fields = [];
    }
    return true;
  },
  argumentEdit(r, doc, nodes) {
    const fields = nodes.filter((n) => (n.kind === 'FieldDefinition' || n.kind === 'DirectiveDefinition'));
    if (!fields.length) return false;
    const f = r.pick(fields);
    f.arguments = f.arguments ?? [];
    const i = r.int(f.arguments.length + 1);
    const roll = r.int(5);
    if (roll === 0 || !f.arguments.length) {
      const arg = { kind: 'InputValueDefinition', name: name(r.pick(['x', 'first', 'id', '__a'])), type: r.chance(0.5) ? { kind: 'NonNullType', type: named('Int') } : named(r.pick(typeNames(doc))), directives: [] };
      if (r.chance(0.3)) arg.defaultValue = randomLiteral(r);
      f.arguments.splice(i, 0, arg);
    } else if (roll === 1) {
      f.arguments.splice(i % f.arguments.length, 1);
    } else if (roll === 2) {
      f.arguments.push(clone(f.arguments[i % f.arguments.length]));
    } else if (roll === 3) {
      const a = f.arguments[i % f.arguments.length];
      a.type = a.type.kind === 'NonNullType' ? a.type.type : { kind: 'NonNullType', type: a.type };
    } else {
      f.arguments[i % f.arguments.length].defaultValue = randomLiteral(r);
    }
    return true;
  },
  interfaceEdit(r, doc) {
    const objects = doc.definitions.filter((d) => d.kind === 'ObjectTypeDefinition' || d.kind === 'InterfaceTypeDefinition');
    if (!objects.length) return false;
    const o = r.pick(objects);
    o.interfaces = o.interfaces ?? [];
    if (o.interfaces.length && r.chance(0.4)) {
      o.interfaces.splice(r.int(o.interfaces.length), 1);
    } else if (o.interfaces.length && r.chance(0.3)) {
      o.interfaces.push(clone(r.pick(o.interfaces)));
    } else {
      const ifaces = doc.definitions.filter((d) => d.kind === 'InterfaceTypeDefinition').map((d) => d.name.value);
      o.interfaces.push(named(ifaces.length && r.chance(0.7) ? r.pick(ifaces) : r.pick(typeNames(doc))));
    }
    return true;
  },
  unionEdit(r, doc) {
    const unions = doc.definitions.filter((d) => d.kind === 'UnionTypeDefinition');
    if (!unions.length) return false;
    const u = r.pick(unions);
    u.types = u.types ?? [];
    const roll = r.int(3);
    if (roll === 0) u.types.push(named(r.pick(typeNames(doc))));
    else if (roll === 1 && u.types.length) u.types.push(clone(r.pick(u.types)));
    else u.types = [];
    return true;
  },
  enumEdit(r, doc) {
    const enums = doc.definitions.filter((d) => d.kind === 'EnumTypeDefinition');
    if (!enums.length) return false;
    const e = r.pick(enums);
    e.values = e.values ?? [];
    const roll = r.int(3);
    if (roll === 0 && e.values.length) e.values.push(clone(r.pick(e.values)));
    else if (roll === 1 && e.values.length) e.values[r.int(e.values.length)].name = name(r.pick(['__X', 'A', typo(r, e.values[0].name.value)]));
    else e.values = [];
    return true;
  },
  directiveUse(r, doc, nodes) {
    const holders = nodes.filter((n) => DIRECTIVE_HOLDERS.includes(n.kind));
    if (!holders.length) return false;
    const h = r.pick(holders);
    h.directives = h.directives ?? [];
    const own = doc.definitions.filter((d) => d.kind === 'DirectiveDefinition').map((d) => d.name.value);
    const dname = r.pick([...BUILTIN_DIRECTIVES, ...own, 'nope']);
    const args = [];
    if (dname === 'deprecated' && r.chance(0.5)) args.push({ kind: 'Argument', name: name('reason'), value: { kind: 'StringValue', value: 'old' } });
    if (dname === 'specifiedBy' && r.chance(0.7)) args.push({ kind: 'Argument', name: name('url'), value: { kind: 'StringValue', value: 'https://example.com' } });
    if (r.chance(0.15)) args.push({ kind: 'Argument', name: name(r.pick(['reason', 'url', 'if', 'x'])), value: randomLiteral(r) });
    h.directives.push({ kind: 'Directive', name: name(dname), arguments: args });
    return true;
  },
  rootTypes(r, doc) {
    let schemaDef = doc.definitions.find((d) => d.kind === 'SchemaDefinition');
    if (!schemaDef) {
      schemaDef = { kind: 'SchemaDefinition', directives: [], operationTypes: [{ kind: 'OperationTypeDefinition', operation: 'query', type: named('Query') }] };
      doc.definitions.unshift(schemaDef);
    }
    const roll = r.int(3);
    if (roll === 0 && schemaDef.operationTypes.length) schemaDef.operationTypes.splice(r.int(schemaDef.operationTypes.length), 1);
    else if (roll === 1) schemaDef.operationTypes.push({ kind: 'OperationTypeDefinition', operation: r.pick(['query', 'mutation', 'subscription']), type: named(r.pick(typeNames(doc))) });
    else if (schemaDef.operationTypes.length) r.pick(schemaDef.operationTypes).type = named(r.pick(typeNames(doc)));
    return true;
  },
  dropDefinition(r, doc) {
    if (doc.definitions.length < 2) return false;
    doc.definitions.splice(r.int(doc.definitions.length), 1);
    return true;
  },
  duplicateDefinition(r, doc) {
    doc.definitions.push(clone(r.pick(doc.definitions)));
    return true;
  },
  extension(r, doc) {
    const kind = r.pick(['ObjectTypeExtension', 'InterfaceTypeExtension', 'UnionTypeExtension', 'EnumTypeExtension', 'InputObjectTypeExtension', 'ScalarTypeExtension']);
    const ext = { kind, name: name(r.chance(0.85) ? r.pick(typeNames(doc)) : 'Nope'), directives: [] };
    if (kind === 'ObjectTypeExtension' || kind === 'InterfaceTypeExtension') ext.fields = [{ kind: 'FieldDefinition', name: name(r.pick(['extra', 'id', 'name'])), arguments: [], type: named('String'), directives: [] }];
    if (kind === 'InputObjectTypeExtension') ext.fields = [{ kind: 'InputValueDefinition', name: name('extra'), type: named('Int'), directives: [] }];
    if (kind === 'UnionTypeExtension') ext.types = [named(r.pick(typeNames(doc)))];
    if (kind === 'EnumTypeExtension') ext.values = [{ kind: 'EnumValueDefinition', name: name(r.pick(['EXTRA', 'A'])), directives: [] }];
    if (kind === 'ScalarTypeExtension') ext.directives = [{ kind: 'Directive', name: name('deprecated'), arguments: [] }];
    doc.definitions.push(ext);
    return true;
  },
  inputCycle(r, doc) {
    const inputs = doc.definitions.filter((d) => d.kind === 'InputObjectTypeDefinition');
    if (!inputs.length) return false;
    const a = r.pick(inputs);
    const b = r.pick(inputs);
    a.fields = a.fields ?? [];
    b.fields = b.fields ?? [];
    a.fields.push({ kind: 'InputValueDefinition', name: name('toB'), type: { kind: 'NonNullType', type: named(b.name.value) }, directives: [] });
    if (a !== b) b.fields.push({ kind: 'InputValueDefinition', name: name('toA'), type: r.chance(0.7) ? { kind: 'NonNullType', type: named(a.name.value) } : named(a.name.value), directives: [] });
    return true;
  },
};

const NAMES = Object.keys(MUTATIONS);

// perSeed schemas from every seed SDL text: [{id, label, text, sdl: true}].
export function generateSdl({ seeds, perSeed, seed }) {
  const r = prng(seed);
  const out = [];
  seeds.forEach((base) => {
    const parsed = graphql.parse(base.text, { noLocation: true });
    for (let i = 0; i < perSeed; i++) {
      const doc = clone(parsed);
      const applied = [];
      const n = 1 + r.int(2);
      for (let k = 0; k < n; k++) {
        const which = r.pick(NAMES);
        if (MUTATIONS[which](r, doc, collect(doc))) applied.push(which);
      }
      out.push({ id: `gen-sdl/${base.id}/${i + 1}`, label: `${base.id} + ${applied.join(', ')}`, text: graphql.print(doc), sdl: true });
    }
  });
  return out;
}

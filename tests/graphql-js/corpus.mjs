// Reads the hand-written corpus. Every file holds several cases; a line
//   #= LABEL
// starts a case, and the lines up to the next such line are its text
// (without the trailing blank lines). In corpus/rules/ and corpus/project/
// a label is "SCHEMA: what the case shows"; in corpus/valid/ the schema is
// the file's name; corpus/sdl/ cases are schemas themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export function splitCases(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const cases = [];
  let current = null;
  for (const line of lines) {
    const m = /^#= (.*?)\r?$/.exec(line);
    if (m) {
      current = { label: m[1].trim(), lines: [] };
      cases.push(current);
    } else if (current) {
      current.lines.push(line);
    }
  }
  return cases.map(({ label, lines: body }) => {
    while (body.length && body[body.length - 1].trim() === '') body.pop();
    return { label, text: body.join('\n') };
  });
}

function graphqlFiles(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => join(dir, f));
}

function withSchema(file, { label, text }) {
  const m = /^([a-z0-9_-]+):\s*(.*)$/.exec(label);
  if (!m) throw new Error(`${file}: case "${label}" does not start with "schema:"`);
  return { schema: m[1], label: m[2], text };
}

// [{id, schema, label, text}] of corpus/rules/*.graphql, id "Rule/n".
export function ruleCases(dir) {
  const out = [];
  for (const file of graphqlFiles(join(dir, 'rules'))) {
    const rule = basename(file, '.graphql');
    splitCases(file).forEach((c, i) => out.push({ id: `${rule}/${i + 1}`, ...withSchema(file, c) }));
  }
  return out;
}

// [{id, schema, label, text}] of corpus/valid/SCHEMA.graphql.
export function validCases(dir) {
  const out = [];
  for (const file of graphqlFiles(join(dir, 'valid'))) {
    const schema = basename(file, '.graphql');
    splitCases(file).forEach((c, i) => out.push({ id: `valid/${schema}/${i + 1}`, schema, ...c }));
  }
  return out;
}

// [{id, label, text}] of corpus/sdl/*.graphql.
export function sdlCases(dir) {
  const out = [];
  for (const file of graphqlFiles(join(dir, 'sdl'))) {
    const topic = basename(file, '.graphql');
    splitCases(file).forEach((c, i) => out.push({ id: `sdl/${topic}/${i + 1}`, ...c }));
  }
  return out;
}

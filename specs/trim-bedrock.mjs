#!/usr/bin/env node
// Makes specs/bedrock-runtime.json from botocore's Bedrock Runtime service model: only the
// shapes reachable from Converse, ConverseStream, CountTokens and InvokeModel (embeddings),
// structure only (no documentation), so the fake Bedrock can validate requests without the
// 220 kB original.
// Usage: node specs/trim-bedrock.mjs [dir containing bedrock-runtime-2023-09-30.service.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_FILE = 'bedrock-runtime-2023-09-30.service.json';
const OPERATIONS = ['Converse', 'ConverseStream', 'CountTokens', 'InvokeModel'];
// Shape-level keys that carry structure or constraints; everything else (documentation,
// box, deprecation notes) is dropped.
const SHAPE_KEYS = [
  'type', 'members', 'member', 'key', 'value', 'required', 'enum', 'min', 'max', 'pattern',
  'union', 'document', 'eventstream', 'event', 'payload', 'exception', 'error', 'fault',
  'sensitive', 'timestampFormat', 'streaming', 'requiresLength',
];
const MEMBER_DROP = new Set(['documentation', 'deprecated', 'deprecatedMessage']);
const OPERATION_KEYS = ['name', 'http', 'input', 'output', 'errors', 'readonly'];

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = resolve(process.argv[2] ?? join(here, '..', '..', 'shared', 'specs'));
const srcPath = join(srcDir, SOURCE_FILE);
const outPath = join(here, 'bedrock-runtime.json');

const model = JSON.parse(readFileSync(srcPath, 'utf8'));

function pick(obj, keys) {
  const out = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function trimMember(ref) {
  const out = {};
  for (const [k, v] of Object.entries(ref)) if (!MEMBER_DROP.has(k)) out[k] = v;
  return out;
}

function trimShape(shape) {
  const out = pick(shape, SHAPE_KEYS);
  if (out.members) {
    out.members = Object.fromEntries(Object.entries(out.members).map(([n, m]) => [n, trimMember(m)]));
  }
  for (const k of ['member', 'key', 'value']) if (out[k]) out[k] = trimMember(out[k]);
  return out;
}

const operations = {};
const pending = [];
for (const name of OPERATIONS) {
  const op = model.operations[name];
  if (!op) throw new Error(`operation ${name} not found in ${srcPath}`);
  operations[name] = pick(op, OPERATION_KEYS);
  if (op.input) pending.push(op.input.shape);
  if (op.output) pending.push(op.output.shape);
  for (const e of op.errors ?? []) pending.push(e.shape);
}

const reached = new Set();
while (pending.length > 0) {
  const name = pending.pop();
  if (reached.has(name)) continue;
  const shape = model.shapes[name];
  if (!shape) throw new Error(`shape ${name} referenced but not defined`);
  reached.add(name);
  for (const m of Object.values(shape.members ?? {})) pending.push(m.shape);
  for (const k of ['member', 'key', 'value']) if (shape[k]) pending.push(shape[k].shape);
}

const shapes = {};
for (const name of [...reached].sort()) shapes[name] = trimShape(model.shapes[name]);

const out = {
  $source: {
    file: SOURCE_FILE,
    origin: 'botocore botocore/data/bedrock-runtime/2023-09-30/service-2.json',
    commit: '0e6e2404b85d',
    date: '2026-08-07',
    licence: 'Apache-2.0 (Copyright Amazon.com, Inc. or its affiliates)',
    madeBy: 'specs/trim-bedrock.mjs (npm run specs): shapes reachable from ' + OPERATIONS.join(', ') +
      '; structure and constraints only, documentation stripped. Do not edit by hand.',
  },
  version: model.version,
  metadata: model.metadata,
  operations,
  shapes,
};
writeFileSync(outPath, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${relative(process.cwd(), outPath)}: ${OPERATIONS.length} operations, ${reached.size} shapes`);

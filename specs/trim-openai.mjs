#!/usr/bin/env node
// Trims OpenAI's official OpenAPI description down to the schemas the chat
// completions / models / embeddings / responses endpoints need, keeping structure only.
//
//   node specs/trim-openai.mjs [dir-with-openai-openapi.json] [out-file]
//
// The directory defaults to ../shared/specs (relative to the repository root).
// Writes specs/openai-chat.json next to this script unless out-file is given. Product and test code read
// only that output, so a plain clone works without ../shared.
//
// Nullability: the source declares `openapi: 3.1.0` and mostly uses JSON Schema
// type unions (`anyOf: [..., {type: 'null'}]`), but ~110 properties still carry
// the OpenAPI 3.0 keyword `nullable: true`, which a JSON Schema 2020-12
// validator ignores. We rewrite those into 2020-12 form so the output needs no
// OpenAPI-aware validator.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOTS = [
  'CreateChatCompletionRequest',
  'CreateChatCompletionResponse',
  'CreateChatCompletionStreamResponse',
  'ListModelsResponse',
  'Model',
  'ErrorResponse',
  'Error',
  'CreateEmbeddingRequest',
  'CreateEmbeddingResponse',
  'CreateResponse',
  'Response',
  'ResponseStreamEvent',
  'ResponseItemList',
];

const SOURCE = {
  file: 'openai-openapi.json',
  repository: 'openai/openai-openapi',
  commit: 'f85dbe223d40',
  date: '2026-08-21',
  licence: 'MIT',
  script: 'specs/trim-openai.mjs',
};

// Annotation keywords dropped from schema objects. `deprecated: true` is kept:
// it is a one-bit structural fact (legacy fields such as `functions`,
// `max_tokens`) and JSON Schema 2020-12 treats it as an annotation.
const DROP = new Set(['description', 'example', 'examples', 'title', 'externalDocs', 'xml']);
const isDropped = (k) => DROP.has(k) || k.startsWith('x-');

// Keywords whose value is a map of name -> schema.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
// Keywords whose value is a schema.
const SCHEMA_ONE = new Set([
  'items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains',
  'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems',
]);
// Keywords whose value is an array of schemas.
const SCHEMA_LIST = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);

const REF_PREFIX = '#/components/schemas/';

function refName(ref) {
  if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) {
    throw new Error(`unsupported $ref ${JSON.stringify(ref)} (only ${REF_PREFIX}* is handled)`);
  }
  return ref.slice(REF_PREFIX.length);
}

/** Structure-only copy of a schema; records $ref targets in `refs`. */
function cleanSchema(schema, refs, path, self = path.split('/').pop()) {
  if (typeof schema === 'boolean') return schema;
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new Error(`expected a schema at ${path}, got ${JSON.stringify(schema)?.slice(0, 80)}`);
  }
  if ('$dynamicRef' in schema || ('$recursiveRef' in schema && schema.$recursiveRef !== '#')) {
    throw new Error(`recursive-reference keywords at ${path} are not handled; extend the script`);
  }
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (isDropped(k)) continue;
    // `$recursiveRef: "#"` under a `$recursiveAnchor` at the top of a named schema (CompoundFilter)
    // means "this schema": a plain $ref to it says the same without draft 2019-09 keywords.
    if (k === '$recursiveAnchor') continue;
    if (k === '$recursiveRef') {
      out.$ref = REF_PREFIX + self;
      continue;
    }
    if (k === '$ref') {
      refs.add(refName(v));
      out[k] = v;
    } else if (SCHEMA_MAPS.has(k)) {
      out[k] = Object.fromEntries(
        Object.entries(v).map(([name, sub]) => [name, cleanSchema(sub, refs, `${path}/${k}/${name}`, self)]),
      );
    } else if (SCHEMA_ONE.has(k)) {
      out[k] = Array.isArray(v)
        ? v.map((s, i) => cleanSchema(s, refs, `${path}/${k}/${i}`, self))
        : cleanSchema(v, refs, `${path}/${k}`, self);
    } else if (SCHEMA_LIST.has(k)) {
      out[k] = v.map((s, i) => cleanSchema(s, refs, `${path}/${k}/${i}`, self));
    } else if (k === 'discriminator') {
      out[k] = v;
      for (const target of Object.values(v.mapping ?? {})) refs.add(refName(target));
    } else {
      // Literal values: type, enum, const, default, required, format, limits...
      out[k] = v;
    }
  }
  return convertNullable(out, path);
}

/** OpenAPI 3.0 `nullable: true` -> JSON Schema 2020-12. */
function convertNullable(s, path) {
  if (!('nullable' in s)) return s;
  const { nullable, ...rest } = s;
  if (nullable !== true) return rest;
  if (typeof rest.type === 'string' || Array.isArray(rest.type)) {
    const types = Array.isArray(rest.type) ? rest.type : [rest.type];
    const out = { ...rest, type: types.includes('null') ? types : [...types, 'null'] };
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if ('const' in out) {
      out.enum = [out.const, null];
      delete out.const;
    }
    return out;
  }
  // No `type` (e.g. a $ref or a oneOf): keep annotations next to the union,
  // wrap everything that constrains the value.
  const keepOutside = new Set(['default', 'deprecated', 'readOnly', 'writeOnly']);
  const inner = {};
  const outer = {};
  for (const [k, v] of Object.entries(rest)) (keepOutside.has(k) ? outer : inner)[k] = v;
  if (Object.keys(inner).length === 0) {
    process.emitWarning(`nullable without constraints at ${path}`);
    return outer;
  }
  return { ...outer, anyOf: [inner, { type: 'null' }] };
}

function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(process.argv[2] ?? join(here, '..', '..', 'shared', 'specs'));
  const src = JSON.parse(readFileSync(join(dir, SOURCE.file), 'utf8'));
  if (!/^3\.1\./.test(String(src.openapi))) {
    throw new Error(`expected OpenAPI 3.1.x, found ${src.openapi}; review the nullable handling`);
  }
  const all = src.components?.schemas;
  if (!all) throw new Error('no components.schemas in source');

  const schemas = {};
  const queue = [...ROOTS];
  while (queue.length) {
    const name = queue.shift();
    if (name in schemas) continue;
    if (!(name in all)) throw new Error(`schema ${name} referenced but not defined`);
    const refs = new Set();
    schemas[name] = cleanSchema(all[name], refs, `#/components/schemas/${name}`);
    for (const r of refs) if (!(r in schemas)) queue.push(r);
  }

  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
  const out = {
    $source: {
      ...SOURCE,
      openapi: src.openapi,
      note:
        'Structure only: components.schemas reachable from the roots below. Annotations (description, example(s), title, externalDocs, x-*) stripped; OpenAPI 3.0 `nullable: true` rewritten as JSON Schema 2020-12 (type arrays / anyOf with {type: null}). Regenerate with `node specs/trim-openai.mjs ../shared/specs`.',
      roots: ROOTS,
    },
    openapi: src.openapi,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: { schemas: sorted },
  };
  const target = resolve(process.argv[3] ?? join(here, 'openai-chat.json'));
  writeFileSync(target, JSON.stringify(out, null, 1) + '\n');
  const bytes = JSON.stringify(out).length;
  console.log(`wrote ${target}: ${Object.keys(sorted).length} schemas, ${bytes} bytes (minified)`);
}

main();

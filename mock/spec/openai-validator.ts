// Validates values against the trimmed OpenAI spec (specs/openai-chat.json).
//
// The spec is OpenAPI 3.1, i.e. JSON Schema 2020-12 (trim-openai.mjs already
// rewrote the leftover 3.0 `nullable: true`). All component schemas are
// registered once as a single schema whose $id lets `#/components/schemas/X`
// refs resolve inside it; each root is compiled lazily on first use and cached.
//
// The spec file stays as generated; `adaptDiscriminators` fits its discriminated
// unions to what ajv's `discriminator` keyword can compile (see there).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { Model } from 'openai/resources/models';
import type { Response, ResponseCreateParams, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { ResponseItemList } from 'openai/resources/responses/input-items';

export type OpenAISchemaName =
  | 'CreateChatCompletionRequest'
  | 'CreateChatCompletionResponse'
  | 'CreateChatCompletionStreamResponse'
  | 'ListModelsResponse'
  | 'Model'
  | 'ErrorResponse'
  | 'Error'
  | 'CreateEmbeddingRequest'
  | 'CreateEmbeddingResponse'
  | 'CreateResponse'
  | 'Response'
  | 'ResponseStreamEvent'
  | 'ResponseItemList';

const SPEC_ID = 'https://nova-migrate.local/specs/openai-chat.json';

/** Walks up from this module, so it works from the sources and from dist/ (specs/ is not copied there). */
function findSpec(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'specs', 'openai-chat.json');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('specs/openai-chat.json not found above mock/spec/ (run `node specs/trim-openai.mjs`)');
    dir = up;
  }
}

let specCache: { components: { schemas: Record<string, Json> } } | undefined;
function loadSpec(): { components: { schemas: Record<string, Json> } } {
  return (specCache ??= JSON.parse(readFileSync(findSpec(), 'utf8')) as { components: { schemas: Record<string, Json> } });
}

// ajv-formats is CJS with `exports.default`; under NodeNext the default import
// may be the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function getAjv(): Ajv2020 {
  if (ajv) return ajv;
  const spec = loadSpec();
  const a = new Ajv2020({
    strict: false,
    allErrors: true,
    // Discriminated oneOfs (messages by role, content parts by type...) then
    // report only the branch the tag selects instead of every branch's errors.
    discriminator: true,
    validateFormats: true,
    // Errors carry their parentSchema, so a 400 can say "integer" vs "decimal" like OpenAI does.
    verbose: true,
    // Each $ref target compiled once and called, not inlined at every use: the Responses
    // schemas reach the same big unions from many places (compiling them goes from ~4 s to ~1 s).
    inlineRefs: false,
  });
  addFormats(a);
  // OpenAPI/OpenAI-specific formats: checked where cheap, otherwise annotations.
  a.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  a.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  a.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
  a.addFormat('float', { type: 'number', validate: () => true });
  a.addFormat('double', { type: 'number', validate: () => true });
  a.addFormat('binary', true);
  a.addSchema({ $id: SPEC_ID, components: adaptDiscriminators(spec.components) }, SPEC_ID);
  ajv = a;
  return a;
}

/**
 * ajv compiles `discriminator` only when every branch of a `oneOf` declares the tag
 * itself (after one `$ref`) as a required `const`/`enum` of unique strings. The Responses
 * schemas break that in two ways: unions whose branches leave the tag optional or nest
 * it in `allOf` (InputItem: `{role, content}` messages carry no `type`; OutputItem's
 * `*Resource` branches), and tagged unions written as `anyOf` (ResponseStreamEvent).
 * A copy of the components is adapted: a union ajv can dispatch on becomes a
 * discriminated `oneOf` (precise errors, one branch checked); any other keeps its
 * branches as a plain `anyOf`, which accepts exactly the values some branch accepts —
 * what the tag-based reading means when the tag cannot select the branch.
 */
export function adaptDiscriminators(components: { schemas: Record<string, Json> }): { schemas: Record<string, Json> } {
  const copy = structuredClone(components);
  const schemas = copy.schemas;
  const resolve = (s: unknown): Json | undefined => {
    const o = s as Json | undefined;
    return typeof o?.$ref === 'string' ? schemas[o.$ref.split('/').pop() ?? ''] : o;
  };
  const dispatchable = (branches: unknown[], tag: string): boolean => {
    const seen = new Set<string>();
    for (const b of branches) {
      const s = resolve(b);
      const prop = (s?.properties as Json | undefined)?.[tag] as Json | undefined;
      if (!s || !prop || !Array.isArray(s.required) || !s.required.includes(tag)) return false;
      const values = prop.const !== undefined ? [prop.const] : Array.isArray(prop.enum) ? prop.enum : undefined;
      if (!values) return false;
      for (const v of values) {
        if (typeof v !== 'string' || seen.has(v)) return false;
        seen.add(v);
      }
    }
    return true;
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const o = node as Json;
    const disc = o.discriminator as { propertyName?: string } | undefined;
    if (disc && typeof disc.propertyName === 'string') {
      const branches = (o.oneOf ?? o.anyOf) as unknown[] | undefined;
      if (branches && dispatchable(branches, disc.propertyName)) {
        if (!o.oneOf) {
          o.oneOf = branches;
          delete o.anyOf;
        }
      } else {
        delete o.discriminator;
        if (o.oneOf) {
          o.anyOf = o.oneOf;
          delete o.oneOf;
        }
      }
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(copy);
  return copy;
}

function validatorFor(schema: OpenAISchemaName): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    const a = getAjv();
    v = a.compile({ $ref: `${SPEC_ID}#/components/schemas/${schema}` });
    compiled.set(schema, v);
  }
  return v;
}

/** `/messages/0/content` -> `messages[0].content` (OpenAI's `param` style). */
export function pointerToParam(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** The param an error is about; for `required`, the missing property itself. */
export function errorParam(e: ErrorObject): string {
  const base = pointerToParam(e.instancePath);
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return base ? `${base}.${extra}` : extra;
  }
  return base;
}

// Union keywords only summarise their branches' errors; prefer a concrete leaf.
const SUMMARY = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not']);

// A union branch rejected because its tag (`type: 'text'` vs `'image_url'`) differs
// says nothing about what is wrong with the value.
const isTagMismatch = (e: ErrorObject) =>
  (e.keyword === 'enum' || e.keyword === 'const') && /\/(type|role|object)$/.test(e.instancePath);

/** Most specific error first: leaf keywords before unions, deeper paths first. */
function rank(errors: ErrorObject[]): ErrorObject[] {
  const score = (e: ErrorObject) =>
    (SUMMARY.has(e.keyword) ? 0 : 1000) +
    (isTagMismatch(e) ? -500 : 0) +
    (e.keyword === 'type' ? 0 : 1) +
    e.instancePath.split('/').length * 10;
  return errors
    .map((e, i) => ({ e, i, s: score(e) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.e);
}

function describeValue(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function describeError(e: ErrorObject, value: unknown): string {
  const param = pointerToParam(e.instancePath);
  const where = param === '' ? '$' : param.startsWith('[') ? `$${param}` : `$.${param}`;
  let msg = e.message ?? e.keyword;
  if (e.keyword === 'enum') msg += `: ${describeValue((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (e.keyword === 'required' || e.keyword === 'additionalProperties' || SUMMARY.has(e.keyword)) return `${where}: ${msg}`;
  return `${where}: ${msg} (got ${describeValue(valueAt(value, e.instancePath))})`;
}

/** The value a JSON pointer (ajv's instancePath) designates, or undefined. */
export function valueAt(value: unknown, pointer: string): unknown {
  let cur = value;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

export interface OpenAIValidationResult {
  ok: boolean;
  /** Human-readable, most specific first; `$.path: message (got value)`. */
  errors: string[];
  /** The raw ajv errors, most specific first. */
  raw: ErrorObject[];
}

export function checkOpenAI(schema: OpenAISchemaName, value: unknown): OpenAIValidationResult {
  const v = validatorFor(schema);
  if (v(value)) return { ok: true, errors: [], raw: [] };
  const raw = rank(v.errors ?? []);
  const errors = [...new Set(raw.map((e) => describeError(e, value)))];
  return { ok: false, errors, raw };
}

/** Errors with JSON paths, most specific first; empty when valid. */
export function validateOpenAI(schema: OpenAISchemaName, value: unknown): string[] {
  return checkOpenAI(schema, value).errors;
}

export class OpenAISchemaError extends Error {
  constructor(
    readonly schema: OpenAISchemaName,
    readonly errors: string[],
  ) {
    super(`value does not match OpenAI ${schema}:\n  ${errors.slice(0, 20).join('\n  ')}`);
    this.name = 'OpenAISchemaError';
  }
}

/** The SDK type each schema describes, so a passed assertion narrows the value. */
export interface OpenAISchemaTypes {
  CreateChatCompletionRequest: ChatCompletionCreateParams;
  CreateChatCompletionResponse: ChatCompletion;
  CreateChatCompletionStreamResponse: ChatCompletionChunk;
  ListModelsResponse: { object: 'list'; data: Model[] };
  Model: Model;
  ErrorResponse: { error: OpenAIErrorObject };
  Error: OpenAIErrorObject;
  CreateEmbeddingRequest: EmbeddingCreateParams;
  CreateEmbeddingResponse: CreateEmbeddingResponse;
  CreateResponse: ResponseCreateParams;
  Response: Response;
  ResponseStreamEvent: ResponseStreamEvent;
  ResponseItemList: ResponseItemList;
}
export interface OpenAIErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export function assertOpenAI<S extends OpenAISchemaName>(schema: S, value: unknown): asserts value is OpenAISchemaTypes[S] {
  const errors = validateOpenAI(schema, value);
  if (errors.length > 0) throw new OpenAISchemaError(schema, errors);
}

/** A component schema of the trimmed spec (structure only), e.g. to list a union's tags. */
export function componentSchema(name: string): Json | undefined {
  return loadSpec().components.schemas[name];
}

/** Top-level property names a schema declares (through allOf), for "unrecognized argument" checks. */
export function declaredProperties(schema: OpenAISchemaName): Set<string> {
  const spec = loadSpec();
  const out = new Set<string>();
  const visit = (s: Json | undefined): void => {
    if (!s || typeof s !== 'object') return;
    if (typeof s.$ref === 'string') visit(spec.components.schemas[s.$ref.split('/').pop() ?? '']);
    for (const k of Object.keys((s.properties as Json | undefined) ?? {})) out.add(k);
    for (const sub of (s.allOf as Json[] | undefined) ?? []) visit(sub);
  };
  visit(spec.components.schemas[schema]);
  return out;
}
export type Json = Record<string, unknown>;

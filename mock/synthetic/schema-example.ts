/**
 * Schema-valid example instances (objects, arrays, enums, formats, ranges, $ref), optionally
 * filled from the user's words so tool arguments and structured output look plausible.
 */
import { contentWords, FORMAT_WORDS, quotedStrings, stem, words } from './words.js';

export type JsonSchema = Record<string, unknown>;

/** Fills string/number/enum fields from the user's words when generating tool arguments. */
export interface Filler {
  text: string;
  candidates: string[];
  numbers: number[];
  queryText: string;
  textWords: Set<string>;
}

/** Candidate values from the user's text: quoted strings, capitalised names, then content words. */
export function makeFiller(text: string, excluded: Set<string>): Filler {
  const quoted = quotedStrings(text);
  // Capitalised word runs not at the start of a sentence: names of places, people, products.
  const proper = [...text.matchAll(/(?<=[^.!?\s]\s)([A-Z][\p{L}]+(?:\s[A-Z][\p{L}]+)*)/gu)].map((m) => m[1]!);
  const plain = contentWords(text).filter((w) => !excluded.has(w) && !excluded.has(stem(w)));
  const seen = new Set<string>();
  const candidates = [...quoted, ...proper, ...plain].filter((c) => {
    const key = c.toLowerCase();
    if (seen.has(key) || excluded.has(key) || FORMAT_WORDS.has(key)) return false;
    seen.add(key);
    return true;
  });
  const numbers = (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  return {
    text,
    candidates,
    numbers,
    queryText: plain.slice(0, 8).join(' '),
    textWords: new Set(words(text).map(stem)),
  };
}

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': '2024-01-15T10:30:00Z',
  date: '2024-01-15',
  time: '10:30:00',
  email: 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  duration: 'P1D',
};
const PATTERN_CANDIDATES = ['example', 'abc', 'ABC', 'a1', 'A1', '123', '1', 'a', 'A', 'abc-123', 'ABC-123', 'example_1', '2024-01-15', 'user@example.com', 'https://example.com', '+15555550100', '#ffffff', 'AB12'];

interface GenContext {
  root: JsonSchema;
  filler?: Filler;
  seenRefs: Set<string>;
}

function resolveRef(ref: string, ctx: GenContext): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = ctx.root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return typeof node === 'object' && node !== null ? (node as JsonSchema) : undefined;
}

function fitLength(s: string, schema: JsonSchema): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  let out = s;
  while (out.length < min) out += 'x';
  return out.length > max ? out.slice(0, max) : out;
}

function patternOk(pattern: unknown, s: string): boolean {
  if (typeof pattern !== 'string') return true;
  try {
    return new RegExp(pattern, 'u').test(s);
  } catch {
    return true;
  }
}

function genString(schema: JsonSchema, ctx: GenContext, propName: string | undefined): string {
  if (typeof schema.format === 'string' && FORMAT_EXAMPLES[schema.format]) return FORMAT_EXAMPLES[schema.format]!;
  const filler = ctx.filler;
  if (filler && schema.pattern === undefined) {
    let value: string | undefined;
    if (propName && /query|question|text|prompt|message|content|search|keywords?|topic|^q$/i.test(propName)) {
      value = filler.queryText || filler.candidates[0];
    } else {
      value = filler.candidates.shift();
    }
    if (value) return fitLength(value, schema);
  }
  if (schema.pattern !== undefined) {
    const hit = PATTERN_CANDIDATES.map((c) => fitLength(c, schema)).find((c) => patternOk(schema.pattern, c));
    if (hit !== undefined) return hit;
  }
  return fitLength('example', schema);
}

function genNumber(schema: JsonSchema, integer: boolean, ctx: GenContext): number {
  const excl = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  let min = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  let max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  const step = integer ? 1 : 0.5;
  const exMin = excl(schema.exclusiveMinimum) ?? (schema.exclusiveMinimum === true ? min : undefined);
  const exMax = excl(schema.exclusiveMaximum) ?? (schema.exclusiveMaximum === true ? max : undefined);
  if (exMin !== undefined) min = Math.max(min, exMin + step);
  if (exMax !== undefined) max = Math.min(max, exMax - step);
  let value = ctx.filler?.numbers.shift() ?? (integer ? 1 : 1.5);
  if (integer) value = Math.round(value);
  value = Math.min(Math.max(value, min), max);
  const multipleOf = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  if (multipleOf) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (value > max) value -= multipleOf;
  }
  return Number.isFinite(value) ? value : 0;
}

function mergeAllOf(schema: JsonSchema, ctx: GenContext): JsonSchema {
  const parts = (schema.allOf as unknown[]).map((p) => deref(p as JsonSchema, ctx));
  const merged: JsonSchema = { ...schema };
  delete merged.allOf;
  const properties: Record<string, unknown> = { ...(schema.properties as object | undefined) };
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  for (const p of parts) {
    Object.assign(merged, p);
    Object.assign(properties, p.properties as object | undefined);
    for (const r of (p.required as string[] | undefined) ?? []) required.add(r);
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function deref(schema: JsonSchema, ctx: GenContext): JsonSchema {
  if (typeof schema.$ref === 'string' && !ctx.seenRefs.has(schema.$ref)) {
    const target = resolveRef(schema.$ref, ctx);
    if (target) {
      const { $ref: _ignored, ...rest } = schema;
      return { ...target, ...rest };
    }
  }
  return schema;
}

function pickEnum(values: unknown[], ctx: GenContext): unknown {
  const filler = ctx.filler;
  if (filler) {
    const mentioned = values.find((v) => typeof v === 'string' && words(v).length > 0 && words(v).every((w) => filler.textWords.has(stem(w))));
    if (mentioned !== undefined) return mentioned;
  }
  return values[0];
}

/** Returned for a recursive `$ref`: optional members and list items carrying it are left out. */
const RECURSION = Symbol('recursion');

function gen(input: unknown, ctx: GenContext, depth: number, propName?: string): unknown {
  if (input === true || input === undefined) return ctx.filler ? genString({}, ctx, propName) : 'example';
  if (typeof input !== 'object' || input === null) return null;
  let schema = input as JsonSchema;
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (ref && ctx.seenRefs.has(ref)) return RECURSION;
  schema = deref(schema, ctx);
  if (ref) ctx.seenRefs.add(ref);
  try {
    if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema, ctx);
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return pickEnum(schema.enum, ctx);
    const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
    if (Array.isArray(branches) && branches.length > 0) {
      const nonNull = branches.find((b) => !(typeof b === 'object' && b !== null && (b as JsonSchema).type === 'null'));
      const { anyOf: _a, oneOf: _o, ...base } = schema;
      return gen({ ...base, ...(nonNull as JsonSchema ?? {}) }, ctx, depth, propName);
    }
    if ('default' in schema && !ctx.filler) return schema.default;
    let type = schema.type;
    if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? 'null';
    if (type === undefined) type = schema.properties ? 'object' : schema.items ? 'array' : 'string';
    switch (type) {
      case 'object':
        return genObject(schema, ctx, depth);
      case 'array':
        return genArray(schema, ctx, depth, propName);
      case 'integer':
        return genNumber(schema, true, ctx);
      case 'number':
        return genNumber(schema, false, ctx);
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        return genString(schema, ctx, propName);
    }
  } finally {
    if (ref) ctx.seenRefs.delete(ref);
  }
}

function genObject(schema: JsonSchema, ctx: GenContext, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [name, sub] of Object.entries(props)) {
    // Deep optional members are left out so recursive schemas terminate.
    if (depth > 6 && !required.has(name)) continue;
    const value = gen(sub, ctx, depth + 1, name);
    if (value === RECURSION) {
      if (required.has(name)) out[name] = {};
      continue;
    }
    out[name] = value;
  }
  for (const name of required) {
    if (!(name in out)) {
      const extra = schema.additionalProperties;
      out[name] = gen(typeof extra === 'object' ? extra : {}, ctx, depth + 1, name);
    }
  }
  const minProps = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  for (let i = Object.keys(out).length; i < minProps; i++) {
    const extra = schema.additionalProperties;
    out[`key${i + 1}`] = gen(typeof extra === 'object' ? extra : {}, ctx, depth + 1);
  }
  return out;
}

function genArray(schema: JsonSchema, ctx: GenContext, depth: number, propName?: string): unknown[] {
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const count = Math.min(Math.max(min, depth > 6 ? 0 : 1), max);
  const tuple = Array.isArray(schema.prefixItems) ? (schema.prefixItems as unknown[]) : Array.isArray(schema.items) ? (schema.items as unknown[]) : undefined;
  const out: unknown[] = [];
  for (let i = 0; i < Math.max(count, tuple?.length ?? 0); i++) {
    const itemSchema = tuple?.[i] ?? (Array.isArray(schema.items) ? {} : schema.items);
    let item = gen(itemSchema ?? {}, ctx, depth + 1, propName);
    if (item === RECURSION) break;
    if (schema.uniqueItems && out.some((o) => JSON.stringify(o) === JSON.stringify(item))) {
      item = typeof item === 'string' ? `${item}${i + 1}` : typeof item === 'number' ? item + i : item;
    }
    out.push(item);
  }
  return out;
}

/** A schema-valid instance: objects with their properties, arrays with minItems, enums, formats, ranges. */
export function exampleFromSchema(schema: JsonSchema): unknown {
  return gen(schema, { root: schema, seenRefs: new Set() }, 0);
}

export function exampleFromText(schema: JsonSchema, text: string, excluded: Set<string>): unknown {
  return gen(schema, { root: schema, seenRefs: new Set(), filler: makeFiller(text, excluded) }, 0);
}

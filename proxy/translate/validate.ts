/**
 * Small type checks for request fields. Each throws a 400 naming the field's path;
 * `null` counts as absent, as in OpenAI's API.
 */
import { invalidParam } from '../errors.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export function expectObj(v: unknown, param: string): Obj {
  if (!isObj(v)) throw invalidParam(param, `${param} must be an object, got ${describe(v)}`);
  return v;
}

/** One of `values` (OpenAI's enums), or undefined for null/absent. */
export function optEnum<T extends string>(v: unknown, param: string, values: readonly T[]): T | undefined {
  if (v == null) return undefined;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw invalidParam(param, `${param} must be one of ${values.join(', ')}; got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 64)) : describe(v)}`);
  }
  return v as T;
}

/** OpenAI's limits on `metadata` (its API reference): 16 pairs, keys up to 64 characters, string values up to 512. */
export const METADATA_LIMITS = { pairs: 16, keyChars: 64, valueChars: 512 } as const;

/** `metadata`: an object of at most 16 string values, as OpenAI checks it (a Response echoes it back). */
export function optMetadata(v: unknown, param: string): Record<string, string> | undefined {
  if (v == null) return undefined;
  const obj = expectObj(v, param);
  const keys = Object.keys(obj);
  if (keys.length > METADATA_LIMITS.pairs) {
    throw invalidParam(param, `${param} may hold at most ${METADATA_LIMITS.pairs} key-value pairs, got ${keys.length}`, 'object_above_max_properties');
  }
  for (const key of keys) {
    if (key.length > METADATA_LIMITS.keyChars) {
      throw invalidParam(param, `${param} keys may be at most ${METADATA_LIMITS.keyChars} characters, got one of ${key.length}`, 'invalid_value');
    }
    const value = obj[key];
    if (typeof value !== 'string') throw invalidParam(`${param}.${key}`, `${param}.${key} must be a string, got ${describe(value)}`, 'invalid_type');
    if (value.length > METADATA_LIMITS.valueChars) {
      throw invalidParam(`${param}.${key}`, `${param}.${key} may be at most ${METADATA_LIMITS.valueChars} characters, got ${value.length}`, 'string_above_max_length');
    }
  }
  return obj as Record<string, string>;
}

export function expectString(v: unknown, param: string): string {
  if (typeof v !== 'string') throw invalidParam(param, `${param} must be a string, got ${describe(v)}`);
  return v;
}

export function optString(v: unknown, param: string): string | undefined {
  return v == null ? undefined : expectString(v, param);
}

export function optBoolean(v: unknown, param: string): boolean | undefined {
  if (v == null) return undefined;
  if (typeof v !== 'boolean') throw invalidParam(param, `${param} must be a boolean, got ${describe(v)}`);
  return v;
}

export function optNumber(v: unknown, param: string, min?: number, max?: number): number | undefined {
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidParam(param, `${param} must be a number, got ${describe(v)}`);
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    throw invalidParam(param, `${param} must be between ${min ?? '-∞'} and ${max ?? '∞'}, got ${v}`);
  }
  return v;
}

export function optInteger(v: unknown, param: string, min?: number, max?: number): number | undefined {
  const n = optNumber(v, param);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n)) throw invalidParam(param, `${param} must be an integer, got ${n}`);
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    throw invalidParam(param, max === undefined ? `${param} must be at least ${min}, got ${n}` : `${param} must be between ${min ?? '-∞'} and ${max}, got ${n}`);
  }
  return n;
}

export function optArray(v: unknown, param: string): unknown[] | undefined {
  if (v == null) return undefined;
  if (!Array.isArray(v)) throw invalidParam(param, `${param} must be an array, got ${describe(v)}`);
  return v;
}

/**
 * Deepest nesting accepted in JSON the proxy forwards to Bedrock (tool-call arguments, tool
 * and response schemas): the SDK's serialisers recurse, so without a bound a hostile request
 * overflows the stack. Real arguments and schemas nest a dozen levels at most.
 */
export const MAX_JSON_DEPTH = 100;
/** Most content parts (or tool calls) in one message. */
export const MAX_CONTENT_PARTS = 10_000;

/**
 * 400 naming `param` when `value` nests deeper than `limit` (objects and arrays count one
 * level each; a scalar is depth 0). Iterative, so the check itself cannot overflow.
 */
export function checkJsonDepth(value: unknown, param: string, limit = MAX_JSON_DEPTH): void {
  if (jsonDepthExceeds(value, limit)) throw invalidParam(param, `${param} is nested more than ${limit} levels deep (the limit is ${limit})`);
}

/** True when `value` nests deeper than `limit`. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop() as object;
    const d = depths.pop()!;
    if (d > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) {
        stack.push(child);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

/** 400 naming `param` when an array holds more than `limit` items. */
export function checkCount(items: readonly unknown[], param: string, what: string, limit = MAX_CONTENT_PARTS): void {
  if (items.length > limit) throw invalidParam(param, `${param} has ${items.length} ${what}; the limit is ${limit} per message`);
}

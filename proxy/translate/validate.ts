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

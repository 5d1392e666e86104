/**
 * Comparison options a fixture (or a fixture file, or an expectations file) can set:
 * tolerances, ignored JSON paths, free-text fields inside JSON, case and order rules.
 *
 *   compare:
 *     kind: json
 *     numeric: 0.01                 # absolute tolerance for every number ("1%": relative)
 *     ignore: ["$.id", "$.created_at"]
 *     case: insensitive             # every string (default: case matters)
 *     paths:
 *       "$.summary": { text: similar }     # free text: fact checks + similarity, not equality
 *       "$.items[*].sku": { case: insensitive }
 *       "$.ranking": { order: strict }     # arrays are order-insensitive unless told
 *     facts: strict                 # dropped facts in free text fail (default: for extraction/summarisation)
 *     order: strict                 # a reordered list in a free-text answer fails
 */
import type { CompareKind } from '../types.js';

export interface PathRule {
  numeric?: number | string;
  text?: 'similar' | 'exact';
  case?: 'insensitive' | 'sensitive';
  order?: 'strict' | 'any';
  ignore?: boolean;
}

export interface CompareOptions {
  kind?: CompareKind;
  numeric?: number | string;
  ignore?: string[];
  case?: 'insensitive' | 'sensitive';
  paths?: Record<string, PathRule>;
  facts?: 'strict' | 'lenient';
  order?: 'strict' | 'any';
}

const KINDS = new Set(['json', 'tools', 'classification', 'text']);

/** Validates a raw `compare` value (a kind name or an options object); throws Error with a message. */
export function parseCompareOptions(raw: unknown, where = 'compare'): CompareOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'string') {
    if (!KINDS.has(raw)) throw new Error(`${where} must be one of ${[...KINDS].join(', ')} or an options object`);
    return { kind: raw as CompareKind };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where} must be a kind (${[...KINDS].join(', ')}) or an options object`);
  const o = raw as Record<string, unknown>;
  const known = ['kind', 'numeric', 'ignore', 'case', 'paths', 'facts', 'order'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new Error(`${where}: unknown option "${k}" (known: ${known.join(', ')})`);
  const out: CompareOptions = {};
  if (o.kind !== undefined) {
    if (typeof o.kind !== 'string' || !KINDS.has(o.kind)) throw new Error(`${where}.kind must be one of ${[...KINDS].join(', ')}`);
    out.kind = o.kind as CompareKind;
  }
  if (o.numeric !== undefined) out.numeric = tolerance(o.numeric, `${where}.numeric`);
  if (o.ignore !== undefined) {
    if (!Array.isArray(o.ignore) || o.ignore.some((p) => typeof p !== 'string' || !p.startsWith('$'))) throw new Error(`${where}.ignore must be a list of JSON paths starting with "$"`);
    out.ignore = o.ignore as string[];
  }
  if (o.case !== undefined) out.case = oneOf(o.case, ['insensitive', 'sensitive'] as const, `${where}.case`);
  if (o.facts !== undefined) out.facts = oneOf(o.facts, ['strict', 'lenient'] as const, `${where}.facts`);
  if (o.order !== undefined) out.order = oneOf(o.order, ['strict', 'any'] as const, `${where}.order`);
  if (o.paths !== undefined) {
    if (!o.paths || typeof o.paths !== 'object' || Array.isArray(o.paths)) throw new Error(`${where}.paths must be an object of JSON path → rule`);
    out.paths = {};
    for (const [p, r] of Object.entries(o.paths as Record<string, unknown>)) {
      const w = `${where}.paths["${p}"]`;
      if (!p.startsWith('$')) throw new Error(`${w}: a JSON path must start with "$"`);
      if (!r || typeof r !== 'object' || Array.isArray(r)) throw new Error(`${w} must be an object like { numeric: 0.01 } or { text: similar }`);
      const rr = r as Record<string, unknown>;
      for (const k of Object.keys(rr)) if (!['numeric', 'text', 'case', 'order', 'ignore'].includes(k)) throw new Error(`${w}: unknown rule "${k}" (known: numeric, text, case, order, ignore)`);
      const rule: PathRule = {};
      if (rr.numeric !== undefined) rule.numeric = tolerance(rr.numeric, `${w}.numeric`);
      if (rr.text !== undefined) rule.text = oneOf(rr.text, ['similar', 'exact'] as const, `${w}.text`);
      if (rr.case !== undefined) rule.case = oneOf(rr.case, ['insensitive', 'sensitive'] as const, `${w}.case`);
      if (rr.order !== undefined) rule.order = oneOf(rr.order, ['strict', 'any'] as const, `${w}.order`);
      if (rr.ignore !== undefined) {
        if (typeof rr.ignore !== 'boolean') throw new Error(`${w}.ignore must be true or false`);
        rule.ignore = rr.ignore;
      }
      out.paths[p] = rule;
    }
  }
  return out;
}

/** File or expectations-file defaults under the prompt's own options; `paths` merge by path. */
export function mergeCompareOptions(...layers: Array<CompareOptions | undefined>): CompareOptions {
  const out: CompareOptions = {};
  for (const l of layers) {
    if (!l) continue;
    const { paths, ignore, ...rest } = l;
    Object.assign(out, rest);
    if (ignore) out.ignore = [...(out.ignore ?? []), ...ignore];
    if (paths) out.paths = { ...(out.paths ?? {}), ...paths };
  }
  return out;
}

function tolerance(v: unknown, where: string): number | string {
  if (typeof v === 'number' && v >= 0) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v.trim())) return v.trim();
  throw new Error(`${where} must be a non-negative number (absolute) or a percentage like "1%" (relative)`);
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], where: string): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new Error(`${where} must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** Whether `tol` accepts the difference between `a` and `b`. */
export function withinTolerance(a: number, b: number, tol: number | string | undefined): boolean {
  if (a === b) return true;
  if (tol === undefined) return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (typeof tol === 'number') return Math.abs(a - b) <= tol + 1e-12;
  const rel = Number(tol.replace('%', '')) / 100;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

/** `$.items[0].sku` matches the pattern `$.items[*].sku`; `$..sku` matches a key at any depth. */
export function pathMatches(pattern: string, path: string): boolean {
  const re = pattern
    .split(/(\[\*\]|\.\*|\.\.)/)
    .map((part) => {
      if (part === '[*]') return '\\[\\d+\\]';
      if (part === '.*') return '(?:\\.[^.\\[]+|\\[\\d+\\])';
      if (part === '..') return '(?:\\.[^.\\[]+|\\[\\d+\\])*\\.';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${re}$`).test(path);
}

/** The rule for a JSON path: the prompt's matching path rules (last match wins) over the global options. */
export function ruleFor(o: CompareOptions, path: string): PathRule & { ignore: boolean } {
  const rule: PathRule = { ...(o.numeric !== undefined ? { numeric: o.numeric } : {}), ...(o.case ? { case: o.case } : {}), ...(o.order ? { order: o.order } : {}) };
  let ignore = (o.ignore ?? []).some((p) => pathMatches(p, path));
  for (const [p, r] of Object.entries(o.paths ?? {})) {
    if (!pathMatches(p, path)) continue;
    Object.assign(rule, r);
    if (r.ignore !== undefined) ignore = r.ignore;
  }
  return { ...rule, ignore };
}

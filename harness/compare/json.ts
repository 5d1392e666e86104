/**
 * JSON output comparison: validity (with tolerated wrappers), schema, key set, leaf value agreement.
 */
import { normaliseLabel, textSimilarity, tokens } from './text.js';

export interface ParsedJson {
  ok: boolean;
  value?: unknown;
  /** How the JSON was found when the text was not pure JSON. */
  note?: 'fenced' | 'extracted';
  error?: string;
}

export function parseJsonOutput(text: string | null | undefined): ParsedJson {
  if (text === null || text === undefined || !text.trim()) return { ok: false, error: 'empty output' };
  const t = text.trim();
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch (err) {
    const fence = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(t);
    if (fence) {
      try {
        return { ok: true, value: JSON.parse(fence[1]!), note: 'fenced' };
      } catch {
        /* fall through */
      }
    }
    const start = t.search(/[[{]/);
    const end = Math.max(t.lastIndexOf('}'), t.lastIndexOf(']'));
    if (start >= 0 && end > start) {
      try {
        return { ok: true, value: JSON.parse(t.slice(start, end + 1)), note: 'extracted' };
      } catch {
        /* fall through */
      }
    }
    return { ok: false, error: (err as Error).message };
  }
}

/** Leaf values by path; arrays of scalars are one order-insensitive leaf. */
export function leaves(value: unknown, path = '$', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      out.set(path, [...value].map(scalarKey).sort());
    } else {
      value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
      if (value.length === 0) out.set(path, []);
    }
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, {});
    for (const [k, v] of entries) leaves(v, `${path}.${k}`, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/** Object key paths (array indices collapsed), to compare structure. */
export function keyPaths(value: unknown, path = '$', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keyPaths(v, `${path}[]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(`${path}.${k}`);
      keyPaths(v, `${path}.${k}`, out);
    }
  }
  return out;
}

function scalarKey(v: unknown): string {
  if (typeof v === 'string') return `s:${normaliseLabel(v)}`;
  if (typeof v === 'number') return `n:${Number(v.toPrecision(12))}`;
  return `${typeof v}:${String(v)}`;
}

/**
 * 1 for equal leaves, 0 for different ones; free-text strings (3+ words on either side)
 * get partial credit by local similarity, since two models rarely word a summary field alike.
 */
export function leafScore(a: unknown, b: unknown): number {
  if (leafEqual(a, b)) return 1;
  if (typeof a === 'string' && typeof b === 'string' && Math.max(tokens(a).length, tokens(b).length) >= 3) return textSimilarity(a, b).score;
  return 0;
}

function leafEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a && b && typeof a === 'object' && typeof b === 'object') return Object.keys(a).length === Object.keys(b).length;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (typeof a === 'string' && typeof b === 'string') return normaliseLabel(a) === normaliseLabel(b);
  // "3" vs 3: a type slip still counts as disagreement, schema checks catch it separately.
  return a === b;
}

export interface JsonAgreement {
  /** Mean leaf score over the union of both sides' leaf paths (see `leafScore`). */
  agreement: number;
  sameKeys: boolean;
  missingKeys: string[];
  extraKeys: string[];
  differing: string[];
}

export function compareJson(baseline: unknown, candidate: unknown): JsonAgreement {
  const la = leaves(baseline);
  const lb = leaves(candidate);
  const paths = new Set([...la.keys(), ...lb.keys()]);
  let equal = 0;
  const differing: string[] = [];
  for (const p of paths) {
    const score = la.has(p) && lb.has(p) ? leafScore(la.get(p), lb.get(p)) : 0;
    equal += score;
    if (score < 1) differing.push(p);
  }
  const ka = keyPaths(baseline);
  const kb = keyPaths(candidate);
  const missingKeys = [...ka].filter((k) => !kb.has(k));
  const extraKeys = [...kb].filter((k) => !ka.has(k));
  return {
    agreement: paths.size === 0 ? 1 : equal / paths.size,
    sameKeys: missingKeys.length === 0 && extraKeys.length === 0,
    missingKeys,
    extraKeys,
    differing,
  };
}

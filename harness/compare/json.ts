/**
 * JSON comparison, leaf by leaf, strict where the app is strict: after normalisation (key
 * order, whitespace, number formatting, configured case and tolerances) any leaf that
 * differs fails, named by its JSON path with both values. A missing key the baseline
 * filled fails; an extra key warns. Arrays are order-insensitive (objects matched by best
 * assignment) unless a path says `order: strict`. Long free-text strings are compared as
 * free text (fact checks + similarity) unless a path says `text: exact`.
 */
import { extractQuantities, sameQuantity } from './quantities.js';
import { factChecks } from './facts.js';
import { ruleFor, withinTolerance, type CompareOptions, type PathRule } from './options.js';
import { wordsOf } from './sentences.js';
import { textSimilarity } from './text.js';
import { bestAssignment } from './assign.js';

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

export interface JsonDiff {
  path: string;
  kind: 'value' | 'missing' | 'extra' | 'type' | 'text' | 'element';
  status: 'fail' | 'warn';
  baseline?: unknown;
  candidate?: unknown;
  note?: string;
}

export interface JsonComparison {
  diffs: JsonDiff[];
  /** Leaves compared (present on both sides) and how many were equal. */
  leaves: number;
  equalLeaves: number;
  /** equalLeaves / leaves: reported, never used to pass a differing value. */
  agreement: number;
}

export interface JsonCompareContext {
  options?: CompareOptions;
  /** JSON Schema of the value (response_format or tool parameters): required keys, enums, formats. */
  schema?: unknown;
  /** Dropped facts in free-text fields fail. */
  strictFacts?: boolean;
  /** Free-text similarity below this warns. */
  similarity?: number;
  /** An extra key: a warning for JSON answers, a failure for tool arguments (a different call). */
  extraKeys?: 'warn' | 'fail';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || typeof v !== 'object';

export function compareJsonValues(baseline: unknown, candidate: unknown, ctx: JsonCompareContext = {}): JsonComparison {
  const st = { diffs: [] as JsonDiff[], leaves: 0, equal: 0 };
  walk(baseline, candidate, '$', ctx.schema, ctx, st);
  return { diffs: st.diffs, leaves: st.leaves, equalLeaves: st.equal, agreement: st.leaves ? st.equal / st.leaves : 1 };
}

function walk(b: unknown, c: unknown, path: string, schema: unknown, ctx: JsonCompareContext, st: { diffs: JsonDiff[]; leaves: number; equal: number }): void {
  const o = ctx.options ?? {};
  const rule = ruleFor(o, path);
  if (rule.ignore) return;
  if (isObj(b) && isObj(c)) {
    const required = new Set<string>(Array.isArray((schema as Obj | undefined)?.required) ? ((schema as Obj).required as string[]) : []);
    for (const k of Object.keys(b)) {
      const p = childPath(path, k);
      if (ruleFor(o, p).ignore) continue;
      if (!(k in c)) {
        // Leaving out an argument the schema defaults to the baseline's value is the same call.
        if (hasDefault(propSchema(schema, k), b[k])) continue;
        const empty = isEmpty(b[k]);
        st.diffs.push({
          path: p,
          kind: 'missing',
          status: empty && !required.has(k) ? 'warn' : 'fail',
          baseline: b[k],
          note: required.has(k) ? 'required key missing' : empty ? 'missing key (empty in the baseline)' : 'missing key',
        });
        continue;
      }
      walk(b[k], c[k], p, propSchema(schema, k), ctx, st);
    }
    for (const k of Object.keys(c)) {
      if (k in b) continue;
      const p = childPath(path, k);
      if (ruleFor(o, p).ignore) continue;
      if (hasDefault(propSchema(schema, k), c[k])) continue;
      // null for an optional key the schema allows to be null says "none", as leaving it out does.
      if (c[k] === null && !required.has(k) && allowsNull(propSchema(schema, k))) continue;
      st.diffs.push({ path: p, kind: 'extra', status: ctx.extraKeys ?? 'warn', candidate: c[k], note: 'extra key' });
    }
    return;
  }
  if (Array.isArray(b) && Array.isArray(c)) {
    compareArrays(b, c, path, schema, rule, ctx, st);
    return;
  }
  st.leaves++;
  const r = compareScalars(b, c, path, schema, rule, ctx);
  if (r === 'equal') st.equal++;
  else st.diffs.push(r);
}

function compareArrays(b: unknown[], c: unknown[], path: string, schema: unknown, rule: PathRule, ctx: JsonCompareContext, st: { diffs: JsonDiff[]; leaves: number; equal: number }): void {
  const items = (schema as Obj | undefined)?.items;
  const ordered = rule.order === 'strict';
  if (b.every(isScalar) && c.every(isScalar)) {
    st.leaves++;
    const eq = (x: unknown, y: unknown) => compareScalars(x, y, `${path}[]`, items, rule, ctx) === 'equal';
    if (ordered) {
      const same = b.length === c.length && b.every((x, i) => eq(x, c[i]));
      if (same) st.equal++;
      else st.diffs.push({ path, kind: 'value', status: 'fail', baseline: b, candidate: c, note: 'order matters here' });
      return;
    }
    const used = new Set<number>();
    const missing: unknown[] = [];
    for (const x of b) {
      const j = c.findIndex((y, k) => !used.has(k) && eq(x, y));
      if (j < 0) missing.push(x);
      else used.add(j);
    }
    const extra = c.filter((_, k) => !used.has(k));
    if (!missing.length && !extra.length) st.equal++;
    else st.diffs.push({ path, kind: 'element', status: 'fail', baseline: missing, candidate: extra, note: `${missing.length ? `missing ${fmtList(missing)}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `extra ${fmtList(extra)}` : ''}` });
    return;
  }
  // Arrays of objects: by position when order matters, else by best assignment of the most similar elements.
  let pairs: Array<[number, number]>;
  if (ordered) pairs = b.map((_, i) => [i, i] as [number, number]).filter(([, j]) => j < c.length);
  else {
    const score = (i: number, j: number) => {
      const r = compareJsonValues(b[i], c[j], { ...ctx, schema: items });
      return r.diffs.some((d) => d.status === 'fail') ? r.agreement * 0.5 : 1 + r.agreement;
    };
    pairs = bestAssignment(b.length, c.length, score);
  }
  const mb = new Set(pairs.map(([i]) => i));
  const mc = new Set(pairs.map(([, j]) => j));
  for (const [i, j] of pairs) walk(b[i], c[j], `${path}[${i}]`, items, ctx, st);
  b.forEach((x, i) => {
    if (!mb.has(i)) st.diffs.push({ path: `${path}[${i}]`, kind: 'element', status: 'fail', baseline: x, note: 'element missing from the candidate' });
  });
  c.forEach((x, j) => {
    if (!mc.has(j)) st.diffs.push({ path: `${path}[+${j}]`, kind: 'element', status: 'fail', candidate: x, note: 'extra element in the candidate' });
  });
}

/** 'equal', or the difference. */
function compareScalars(b: unknown, c: unknown, path: string, schema: unknown, rule: PathRule, ctx: JsonCompareContext): 'equal' | JsonDiff {
  const diff = (status: 'fail' | 'warn', kind: JsonDiff['kind'], note?: string): JsonDiff => ({ path, kind, status, baseline: b, candidate: c, ...(note ? { note } : {}) });
  if (typeof b === 'number' && typeof c === 'number') {
    if (withinTolerance(b, c, rule.numeric)) return 'equal';
    // A model's confidence in its own answer is an estimate, not a fact of the input: 0.92 vs 0.88 warns.
    // Another scale (92 for 0.92) or a real drop (0.92 → 0.31) still fails.
    if (rule.numeric === undefined && CONFIDENCE_KEY.test(lastKey(path)) && [b, c].every((v) => v >= 0 && v <= 1) && Math.abs(b - c) <= 0.1 + 1e-9) {
      return diff('warn', 'value', 'a self-reported confidence, within 0.1');
    }
    return diff('fail', 'value');
  }
  if (typeof b === 'string' && typeof c === 'string') return compareStrings(b, c, path, schema, rule, ctx);
  if ((typeof b === 'number' && typeof c === 'string') || (typeof b === 'string' && typeof c === 'number')) {
    const n = numericValue(String(typeof b === 'string' ? b : c));
    const v = (typeof b === 'number' ? b : c) as number;
    // Code reading the value does arithmetic or comparisons on one type: "3" + 1 is "31", and
    // "129.50 USD" is not a number at all. The same amount as another JSON type is a different answer.
    return n !== undefined && withinTolerance(n, v, rule.numeric) ? diff('fail', 'type', `same amount, but a ${typeof c === 'string' ? 'string' : 'number'} where the baseline has a ${typeof b === 'string' ? 'string' : 'number'}`) : diff('fail', 'value');
  }
  if (b === c) return 'equal';
  if ((b === null && c === '') || (b === '' && c === null)) return diff('warn', 'value', 'empty string vs null');
  return diff('fail', typeof b === typeof c ? 'value' : 'type');
}

function compareStrings(b: string, c: string, path: string, schema: unknown, rule: PathRule, ctx: JsonCompareContext): 'equal' | JsonDiff {
  const diff = (status: 'fail' | 'warn', kind: JsonDiff['kind'], note?: string): JsonDiff => ({ path, kind, status, baseline: b, candidate: c, ...(note ? { note } : {}) });
  const nb = b.normalize('NFKC').trim().replace(/\s+/g, ' ');
  const nc = c.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (nb === nc) return 'equal';
  if (rule.case === 'insensitive' && nb.toLowerCase() === nc.toLowerCase()) return 'equal';
  const s = (schema ?? {}) as Obj;
  const constrained = s.enum !== undefined || s.const !== undefined || s.format !== undefined || s.pattern !== undefined;
  // Numbers written as strings: "1,250.50" = "1250.5".
  const x = numericValue(nb);
  const y = numericValue(nc);
  if (x !== undefined && y !== undefined) return withinTolerance(x, y, rule.numeric) ? 'equal' : diff('fail', 'value');
  // The same date or time in another notation: a parser written for the baseline's format
  // ("2026-03-01") rejects the candidate's ("March 1, 2026"), so in JSON it fails, naming why.
  const qb = wholeQuantity(nb);
  const qc = wholeQuantity(nc);
  if (qb && qc && (qb.kind === 'date' || qb.kind === 'time') && sameQuantity(qb, qc)) return diff('fail', 'value', 'same date/time in another format: code parsing the baseline format breaks');
  // Long strings are prose; so are short ones under a key that names prose ("reason", "note", "summary"…):
  // "item arrived broken" and "Item was broken on arrival" are the same reason, where two city names are two cities.
  const words = Math.max(wordsOf(nb).length, wordsOf(nc).length);
  const free = rule.text === 'similar' || (rule.text !== 'exact' && !constrained && (words >= 6 || (words >= 3 && PROSE_KEY.test(lastKey(path)))));
  if (free) {
    const facts = factChecks(nb, nc, { strict: ctx.strictFacts ?? false, orderMatters: false });
    const failed = facts.filter((f) => f.status === 'fail');
    if (failed.length) return diff('fail', 'text', failed.map((f) => f.reason).join('; '));
    const sim = textSimilarity(nb, nc).score;
    const warned = facts.filter((f) => f.status === 'warn');
    if (warned.length) return diff('warn', 'text', warned.map((f) => f.reason).join('; '));
    if (sim < (ctx.similarity ?? 0.5)) return diff('warn', 'text', `free text, similarity ${sim}`);
    return 'equal';
  }
  if (nb.toLowerCase() === nc.toLowerCase()) {
    // Under a key that names prose ("description": "stapler" / "Stapler") case is writing, not data.
    if (!constrained && rule.case === undefined && PROSE_KEY.test(lastKey(path))) return diff('warn', 'value', 'differs in case only, in a prose field');
    return diff('fail', 'value', 'differs in case only (set case: insensitive for this path if that is fine)');
  }
  return diff('fail', 'value');
}

const PROSE_KEY = /^(?:reason|reasons|note|notes|comment|comments|description|summary|explanation|message|details|rationale|justification|remarks?|subject)$|_(?:reason|note|notes|comment|description|summary|explanation|message|subject)$/i;

/** Keys holding a model's estimate of its own certainty. */
const CONFIDENCE_KEY = /^(?:confidence|certainty|probability|likelihood)(?:_?score)?$|_(?:confidence|certainty|probability)$/i;

/** The last key of a JSON path: `$.items[0].reason` → `reason`. */
function lastKey(path: string): string {
  const m = /(?:\.([A-Za-z_$][\w$]*)|\[("(?:[^"\\]|\\.)*")\])(?:\[\d+\]|\[\])*$/.exec(path);
  if (!m) return '';
  return m[1] ?? (JSON.parse(m[2]!) as string);
}

/** The single date or time a string holds, when it holds nothing else. */
function wholeQuantity(s: string) {
  const q = extractQuantities(s).filter((x) => x.kind !== 'number');
  if (q.length !== 1) return undefined;
  const rest = s.slice(0, q[0]!.index) + s.slice(q[0]!.end);
  return /[\p{L}\p{N}]/u.test(rest.replace(/\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b/gi, '')) ? undefined : q[0];
}

/** "1,250.50", "$1,250.5", "1250.50 EUR" → 1250.5; undefined for anything that is not just a number. */
export function numericValue(s: string): number | undefined {
  const m = /^\s*(?:[$€£¥]|US\$)?\s*([-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?:%|[A-Z]{3})?\s*$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[1]!.replace(/,/g, '').replace('−', '-'));
  return Number.isFinite(v) ? v : undefined;
}

function hasDefault(schema: unknown, v: unknown): boolean {
  const s = schema as Obj | undefined;
  return !!s && 'default' in s && JSON.stringify(s.default) === JSON.stringify(v);
}

/** The schema lets the value be null: `type: [..., "null"]`, `nullable: true`, or a null branch of anyOf/oneOf. */
function allowsNull(schema: unknown): boolean {
  const s = schema as Obj | undefined;
  if (!s) return false;
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null')) || s.nullable === true) return true;
  return [s.anyOf, s.oneOf].some((alts) => Array.isArray(alts) && alts.some(allowsNull));
}

function isEmpty(v: unknown): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function propSchema(schema: unknown, key: string): unknown {
  const props = (schema as Obj | undefined)?.properties as Obj | undefined;
  return props?.[key];
}

function fmtList(v: unknown[]): string {
  return v.map((x) => JSON.stringify(x)).join(', ');
}

/** One line per difference: `$.total: 1250.5 → 1520`. */
export function describeDiff(d: JsonDiff): string {
  const show = (v: unknown) => clip(JSON.stringify(v));
  switch (d.kind) {
    case 'missing':
      return `${d.path}: ${d.note ?? 'missing'} (baseline ${show(d.baseline)})`;
    case 'extra':
      return `${d.path}: extra key (candidate ${show(d.candidate)})`;
    case 'element':
      return `${d.path}: ${d.note ?? 'elements differ'}`;
    case 'text':
      return `${d.path}: ${d.note ?? 'free text differs'}`;
    default:
      return `${d.path}: ${show(d.baseline)} → ${show(d.candidate)}${d.note ? ` (${d.note})` : ''}`;
  }
}

function clip(s: string | undefined, n = 60): string {
  const t = s ?? 'undefined';
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

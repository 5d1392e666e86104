/**
 * Numbers (with units, currencies, scales, thousands separators, percentages), dates and
 * times found in text, normalised so that "$1,250.50", "1250.5 USD", "90 minutes" /
 * "1.5 hours", "July 31, 2024" / "2024-07-31" and "3 pm" / "15:00" compare equal.
 * Identifiers (INV-2291, v2.3.1), URLs, e-mails and code are masked first: their digits
 * are not quantities (they are checked as entities).
 */
import { CURRENCY_SYMBOLS, MONTHS, NUMBER_WORDS, SCALES, UNITS } from './lexicon.js';

export interface Quantity {
  kind: 'number' | 'date' | 'time';
  /** Numbers: value in the dimension's base unit. Times: minutes after midnight. Dates: unused (see `date`). */
  value: number;
  /** `plain` for a bare number; `usd`, `percent`, `time`, `bytes`, … otherwise. */
  dim: string;
  date?: { y?: number; m?: number; d?: number };
  raw: string;
  index: number;
  end: number;
  /** Written as a word ("three", "half"): matches digits but is never reported missing on its own. */
  soft?: boolean;
  /** Preceded by "about", "~", "roughly"…: equal within 5%. */
  approx?: boolean;
}

const MONTH_RE = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

/** Spans whose digits are not quantities: URLs, e-mails, code, identifiers, list markers. */
export const MASKS: RegExp[] = [
  /https?:\/\/\S+/g,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
  /`[^`\n]+`/g,
  // Identifiers: starting with a letter, letters and digits joined by - _ . / (INV-2291, v2.3.1, gpt-4o, ERR_42, HTTP/2,
  // us-east-1), or capitals then digits (P1, Q3, SKU123, BS1), or a letter-digit word (p95, Argon2, v2, HEAD~1).
  /(?<![\w.-])[A-Za-z][A-Za-z0-9]*(?=[\w./-]*\d)(?:[-_./~][A-Za-z0-9]+)+(?![\w-])/g,
  /\b[A-Z]{1,6}\d+[A-Z0-9]*\b/g,
  /\b[A-Za-z]+\d+[A-Za-z0-9]*\b/g,
  /^[ \t]*\d{1,2}[.)](?=\s)/gm,
];

/** Text with masked spans replaced by `fill` (same length, so indices still line up). */
export function maskText(text: string, masks: RegExp[] = MASKS, fill = ' '): string {
  let t = text;
  for (const re of masks) t = t.replace(re, (m) => fill.repeat(m.length));
  return t;
}

const DATE_PATTERNS: Array<{ re: RegExp; parse: (m: RegExpExecArray) => Quantity['date'] | undefined; time?: (m: RegExpExecArray) => number | undefined }> = [
  {
    re: /\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
    parse: (m) => ({ y: +m[1]!, m: +m[2]!, d: +m[3]! }),
    time: (m) => (m[4] !== undefined ? +m[4] * 60 + +m[5]! : undefined),
  },
  {
    re: new RegExp(`\\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\\s+)?(${MONTH_RE})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`, 'gi'),
    parse: (m) => ({ m: MONTHS[m[1]!.toLowerCase()]!, d: +m[2]!, ...(m[3] ? { y: +m[3] } : {}) }),
  },
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_RE})\\.?(?:,?\\s+(\\d{4})\\b)?`, 'gi'),
    parse: (m) => ({ d: +m[1]!, m: MONTHS[m[2]!.toLowerCase()]!, ...(m[3] ? { y: +m[3] } : {}) }),
  },
  { re: new RegExp(`\\b(${MONTH_RE})\\.?,?\\s+(\\d{4})\\b`, 'gi'), parse: (m) => ({ m: MONTHS[m[1]!.toLowerCase()]!, y: +m[2]! }) },
  {
    re: /\b(\d{1,2})([/.])(\d{1,2})\2(\d{4})\b/g,
    // 31/07/2024 and 31.07.2024 are day-first; 07/31/2024 is month-first; ambiguous slashes read US-style.
    parse: (m) => {
      const a = +m[1]!;
      const b = +m[3]!;
      const dayFirst = m[2] === '.' || a > 12;
      return dayFirst ? { d: a, m: b, y: +m[4]! } : { m: a, d: b, y: +m[4]! };
    },
  },
];

const TIME_PATTERNS: Array<{ re: RegExp; minutes: (m: RegExpExecArray) => number | undefined }> = [
  {
    re: /\b(\d{1,2}):(\d{2})(?::\d{2})?\s*(a\.?m\.?|p\.?m\.?)?(?![\w:])/gi,
    minutes: (m) => ampm(+m[1]!, m[3]) * 60 + +m[2]!,
  },
  { re: /\b(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?!\w)/gi, minutes: (m) => ampm(+m[1]!, m[2]) * 60 },
  { re: /\b(noon|midday)\b/gi, minutes: () => 12 * 60 },
  { re: /\bmidnight\b/gi, minutes: () => 0 },
];

function ampm(h: number, suffix: string | undefined): number {
  if (!suffix) return h;
  const pm = /^p/i.test(suffix);
  if (h === 12) return pm ? 12 : 0;
  return pm ? h + 12 : h;
}

const APPROX = /(?:\b(?:about|around|approximately|approx\.?|roughly|nearly|almost|circa|some)\s+|~\s?|≈\s?)$/i;

/** Vulgar fractions: "1½ cups" is 1.5 cups, "¾ cup" 0.75. */
const FRACTIONS: Record<string, number> = { '½': 1 / 2, '⅓': 1 / 3, '⅔': 2 / 3, '¼': 1 / 4, '¾': 3 / 4, '⅕': 1 / 5, '⅛': 1 / 8, '⅜': 3 / 8, '⅝': 5 / 8, '⅞': 7 / 8 };

const NUMBER_RE =
  /(?<![\p{L}\p{N}_.])(US\$|[$€£¥])?\s?([-−]?\d*[½⅓⅔¼¾⅕⅛⅜⅝⅞]|[-−]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d{1,3}(?![\w.]))?|[-−]?\.\d+)(?:st|nd|rd|th)?(?:\s?(thousand|millions?|mn|bn|billions?|trillion|[kKMB])(?![\w]))?(?:\s?(percentage points?|per cent|percent|pct|%|°[CcFf]|×|[A-Za-z]+)(?![\w]))?/gu;

const WORD_RE = new RegExp(`\\b(${Object.keys(NUMBER_WORDS).join('|')})\\b`, 'gi');

/** Every quantity in the text, in order of appearance. */
export function extractQuantities(text: string): Quantity[] {
  const out: Quantity[] = [];
  let t = maskText(text);
  const take = (index: number, length: number) => {
    t = t.slice(0, index) + ' '.repeat(length) + t.slice(index + length);
  };
  for (const p of DATE_PATTERNS) {
    for (const m of t.matchAll(p.re)) {
      const date = p.parse(m as RegExpExecArray);
      if (!date || (date.m !== undefined && (date.m < 1 || date.m > 12)) || (date.d !== undefined && (date.d < 1 || date.d > 31))) continue;
      out.push({ kind: 'date', value: 0, dim: 'date', date, raw: m[0], index: m.index!, end: m.index! + m[0].length });
      const minutes = p.time?.(m as RegExpExecArray);
      if (minutes !== undefined) out.push({ kind: 'time', value: minutes, dim: 'clock', raw: m[0], index: m.index!, end: m.index! + m[0].length });
      take(m.index!, m[0].length);
    }
  }
  for (const p of TIME_PATTERNS) {
    for (const m of t.matchAll(p.re)) {
      const minutes = p.minutes(m as RegExpExecArray);
      if (minutes === undefined || minutes >= 24 * 60) continue;
      out.push({ kind: 'time', value: minutes, dim: 'clock', raw: m[0].trim(), index: m.index!, end: m.index! + m[0].length });
      take(m.index!, m[0].length);
    }
  }
  for (const m of t.matchAll(NUMBER_RE)) {
    const [raw, cur, num, scaleWord, unitWord] = m as unknown as [string, string | undefined, string, string | undefined, string | undefined];
    const frac = FRACTIONS[num.slice(-1)];
    let value = frac !== undefined ? Number(num.slice(0, -1).replace('−', '-') || 0) + frac : Number(num.replace(/[,\u00a0\u202f]/g, '').replace('−', '-'));
    if (!Number.isFinite(value)) continue;
    let dim = cur ? CURRENCY_SYMBOLS[cur.toLowerCase()] ?? 'plain' : 'plain';
    let usedScale = false;
    if (scaleWord) {
      const s = scaleWord.toLowerCase();
      // "5M", "2k", "1.2B": scales only next to money or as words; "5 m" is metres.
      const isWord = s.length > 2;
      if (isWord || cur || /^[kKMB]$/.test(scaleWord)) {
        value *= SCALES[s] ?? 1;
        usedScale = true;
      }
    }
    let used = raw;
    let unit = unitWord;
    // "$3,000 × 0.85": a multiplication sign between two numbers is an operator, not the "3×" of a ratio.
    if (unit && /^[x×]$/i.test(unit) && /^\s*[-−]?[$€£¥]?\s?\d/.test(t.slice(m.index! + raw.length))) {
      used = raw.slice(0, raw.length - unit.length).trimEnd();
      unit = undefined;
    }
    // "$5m", "€2bn": a scale next to money, not metres.
    if (cur && unit && !usedScale && /^(k|m|mn|b|bn)$/i.test(unit)) {
      value *= SCALES[unit.toLowerCase()] ?? 1;
      unit = undefined;
    }
    if (unit) {
      const u = UNITS[unit.toLowerCase()];
      if (u) {
        if (u.dim === 'mass-or-gbp') dim = cur === '£' ? 'gbp' : 'mass';
        else if (['usd', 'eur', 'gbp', 'jpy', 'chf', 'cad', 'aud'].includes(u.dim)) dim = u.dim;
        else {
          dim = u.dim;
          value *= u.factor;
        }
      } else {
        used = raw.slice(0, raw.length - unit.length).trimEnd();
      }
    }
    if (!usedScale && scaleWord && !unitWord) used = raw.slice(0, raw.length - scaleWord.length).trimEnd();
    const index = m.index! + (raw.length - raw.trimStart().length);
    const before = t.slice(Math.max(0, index - 20), index);
    out.push({ kind: 'number', value, dim, raw: used.trim(), index, end: index + used.trim().length, ...(APPROX.test(before) ? { approx: true } : {}) });
  }
  for (const m of t.matchAll(WORD_RE)) {
    const w = m[1]!.toLowerCase();
    const after = t.slice(m.index! + m[0].length, m.index! + m[0].length + 24);
    const unit = /^\s+(percent|per cent|hours?|minutes?|seconds?|days?|weeks?|months?|years?|times)\b/i.exec(after);
    let value = NUMBER_WORDS[w]!;
    let dim = 'plain';
    if (unit) {
      const u = UNITS[unit[1]!.toLowerCase()]!;
      dim = u.dim;
      value *= u.factor;
    }
    // A number word that counts something ("five times", "three days") states a figure like digits do; a bare
    // one ("one of the", "a couple") is often not a figure at all, so it only ever matches.
    const counted = !!unit && value >= 2 && Number.isInteger(value);
    out.push({ kind: 'number', value, dim, raw: counted ? `${m[0]}${unit![0]}` : m[0], index: m.index!, end: m.index! + m[0].length, ...(counted ? {} : { soft: true }) });
  }
  return mergeCompoundDurations(out.sort((a, b) => a.index - b.index), text);
}

/** "3 hours and 20 minutes", "6 weeks, 3 days": one duration written in two units is one quantity (3⅓ hours). */
function mergeCompoundDurations(qs: Quantity[], text: string): Quantity[] {
  const out: Quantity[] = [];
  for (const q of qs) {
    const prev = out[out.length - 1];
    if (prev && prev.kind === 'number' && q.kind === 'number' && prev.dim === 'time' && q.dim === 'time' && !q.soft && !prev.soft) {
      const between = text.slice(prev.end, q.index);
      const unitOf = (x: Quantity) => x.value / Number(/\d+(?:\.\d+)?/.exec(x.raw)?.[0] ?? NaN);
      if (/^\s*(?:,|and|,\s*and)?\s*$/i.test(between) && unitOf(q) < unitOf(prev)) {
        out[out.length - 1] = { ...prev, value: prev.value + q.value, raw: text.slice(prev.index, q.end), end: q.end };
        continue;
      }
    }
    out.push(q);
  }
  return out;
}

/** Same fact: same value in compatible units (a bare number matches a unit-bearing one). */
export function sameQuantity(a: Quantity, b: Quantity, relTol = 1e-6): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'date') {
    const x = a.date!;
    const y = b.date!;
    const keys = (['y', 'm', 'd'] as const).filter((k) => x[k] !== undefined && y[k] !== undefined);
    return keys.length > 0 && keys.every((k) => x[k] === y[k]) && (x.m !== undefined) === (y.m !== undefined);
  }
  if (a.kind === 'time') return a.value === b.value;
  const tol = a.approx || b.approx ? 0.05 : relTol;
  const close = (x: number, y: number) => Math.abs(x - y) <= tol * Math.max(1e-9, Math.abs(x), Math.abs(y));
  // "68%" and "0.68" (of the tickets): one proportion as a percentage and as a fraction.
  const pct = a.dim === 'percent' ? [a, b] : b.dim === 'percent' ? [b, a] : undefined;
  if (pct && pct[1]!.dim === 'plain' && !pct[1]!.soft && pct[1]!.value > 0 && pct[1]!.value < 1 && /^0?\.\d+$/.test(pct[1]!.raw) && close(pct[0]!.value, pct[1]!.value * 100)) return true;
  if (!compatibleDims(a.dim, b.dim)) return false;
  return close(a.value, b.value);
}

export function compatibleDims(a: string, b: string): boolean {
  return a === b || a === 'plain' || b === 'plain';
}

export function showQuantity(q: Quantity): string {
  return q.raw;
}

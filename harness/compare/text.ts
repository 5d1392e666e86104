/**
 * Local free-text similarity: no API calls, deterministic. Lexical measures reward shared
 * wording, so paraphrases score lower than a human would rate them, and a changed fact
 * barely moves them: similarity only warns; the fact checks (facts.ts) decide failures.
 */

/** Lower-case, Unicode-normalised, punctuation folded to spaces, whitespace collapsed. */
export function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokens(s: string): string[] {
  const n = normaliseText(s);
  return n ? n.split(' ') : [];
}

/** Token-level F1 over bags of words (SQuAD-style). */
export function tokenF1(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.length === 0 && tb.length === 0) return 1;
  if (ta.length === 0 || tb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of tb) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / tb.length;
  const recall = common / ta.length;
  return (2 * precision * recall) / (precision + recall);
}

/** ROUGE-L F-measure (longest common subsequence of tokens). */
export function rougeL(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.length === 0 && tb.length === 0) return 1;
  if (ta.length === 0 || tb.length === 0) return 0;
  // Long outputs: cap the O(n·m) table; the prefix is representative enough for a score.
  const x = ta.slice(0, 2000);
  const y = tb.slice(0, 2000);
  let prev = new Uint16Array(y.length + 1);
  let cur = new Uint16Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      cur[j] = x[i - 1] === y[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  const lcs = prev[y.length]!;
  if (lcs === 0) return 0;
  const p = lcs / y.length;
  const r = lcs / x.length;
  return (2 * p * r) / (p + r);
}

function ngrams(s: string, n: number): Map<string, number> {
  const text = ` ${normaliseText(s)} `;
  const out = new Map<string, number>();
  for (let i = 0; i + n <= text.length; i++) {
    const g = text.slice(i, i + n);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Cosine similarity of character trigram counts: robust to inflection and small rewordings. */
export function charNgramCosine(a: string, b: string, n = 3): number {
  const na = normaliseText(a);
  const nb = normaliseText(b);
  if (!na && !nb) return 1;
  if (!na || !nb) return 0;
  const va = ngrams(a, n);
  const vb = ngrams(b, n);
  let dot = 0;
  let sa = 0;
  let sb = 0;
  for (const [g, c] of va) {
    sa += c * c;
    dot += c * (vb.get(g) ?? 0);
  }
  for (const c of vb.values()) sb += c * c;
  return dot / Math.sqrt(sa * sb);
}

export interface TextSimilarity {
  score: number;
  rougeL: number;
  tokenF1: number;
  charCosine: number;
}

/** The harness's local similarity: mean of ROUGE-L and character-trigram cosine. */
export function textSimilarity(a: string, b: string): TextSimilarity {
  const r = rougeL(a, b);
  const f = tokenF1(a, b);
  const c = charNgramCosine(a, b);
  return { score: round((r + c) / 2), rougeL: round(r), tokenF1: round(f), charCosine: round(c) };
}

export function round(x: number, digits = 3): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

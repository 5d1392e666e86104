/**
 * The pieces fact checks compare: clauses (sentences split at commas, semicolons and
 * conjunctions; each list item or line on its own), the entities an answer names, and the
 * alignment of each baseline clause with the candidate clause that says the same thing
 * (shared content words), so that a changed value, a swapped name or a flipped polarity is
 * found where it happens — even when the other value still occurs elsewhere in the answer.
 */
import { antonymPole, COMMON_WORDS, NEGATORS, SOFT_NEGATORS, STOPWORDS, stem, WEEKDAYS, MONTHS, categoryOf } from './lexicon.js';
import { MASKS, maskText } from './quantities.js';

export interface Clause {
  /** Raw text of the clause as written (markdown included). */
  raw: string;
  /** Markdown removed. */
  text: string;
  index: number;
  end: number;
  /** Lower-case words, apostrophes dropped ("doesn't" → "doesnt"). */
  tokens: string[];
  /** Stems of content words: no stop words, negation cues, antonym poles, category terms, numbers or entity words. */
  content: Set<string>;
  /** Opens a sentence (its first word is capitalised by grammar, not because it is a name). */
  sentenceStart: boolean;
  /** Inside "for example …" / "e.g. …": its values are illustrations. */
  example: boolean;
}

const LIST_MARKER = /^\s*(?:[-*+•·]|\d{1,2}[.)]|[a-z][.)]|#{1,6})\s+/;

/** Markdown emphasis, headings and list markers removed: formatting is not content. */
export function stripMarkdown(line: string): string {
  return line
    .replace(LIST_MARKER, '')
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)[*_](\S[^*_]*\S|\S)[*_](?=\s|[.,;:!?]|$)/g, '$1$2')
    .replace(/^>\s?/, '')
    .trim();
}

export function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/[\u2019']/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Split points that are not clause ends: decimals and thousands, clock times, abbreviations.
const NOT_SPLITS = [/\d[.,:]\d/g, /\b(?:e\.g|i\.e|etc|vs|approx|Mr|Ms|Mrs|Dr|No|St|Inc|Ltd|U\.S)\./gi, /`[^`\n]*`/g, /https?:\/\/\S+/g];
const SENTENCE_END = /[.!?](?=\s+\S)/g;
const CLAUSE_SPLIT = /\s*[,;:—–]\s+|\s+-\s+|\s+(?=(?:and|but|because|while|whereas|so|which|though|although|then|or|whereas)\s)/gi;

/** Clauses of a text, in order, with their offsets in it. */
export function splitClauses(text: string, entityWords: Set<string> = new Set()): Clause[] {
  const out: Clause[] = [];
  // Masked with a letter, not spaces: "release/2.3; it …" must not read as whitespace before the ";" and cut at "2.3".
  const masked = maskText(text, NOT_SPLITS, 'x');
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = masked.slice(offset, offset + line.length);
    const sentenceStarts = new Set([0, ...[...m.matchAll(SENTENCE_END)].map((x) => x.index! + 1)]);
    const cuts = new Set<number>([...sentenceStarts]);
    for (const x of m.matchAll(CLAUSE_SPLIT)) cuts.add(x.index!);
    const points = [...cuts].sort((a, b) => a - b);
    points.forEach((start, i) => {
      const end = points[i + 1] ?? line.length;
      const raw = line.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      const text = stripMarkdown(raw.replace(/^[\s,;:—–-]+|[\s,;:—–]+$/g, ''));
      if (!/[\p{L}\p{N}]/u.test(text)) return;
      const tokens = wordsOf(text);
      out.push({
        raw: raw.trim(),
        text,
        index: offset + start + lead,
        end: offset + end,
        tokens,
        content: contentOf(tokens, entityWords),
        sentenceStart: sentenceStarts.has(start),
        example: false,
      });
    });
    offset += line.length + 1;
  }
  // "…, for example 10 % 3 is 1": the clause that says so and the one after it are examples.
  out.forEach((c, i) => {
    if (/\b(?:for example|for instance|e\.g\.|such as|say)\b/i.test(c.raw)) {
      c.example = true;
      if (out[i + 1] && !out[i + 1]!.sentenceStart) out[i + 1]!.example = true;
    }
  });
  return out;
}

export function contentOf(tokens: string[], entityWords: Set<string> = new Set()): Set<string> {
  return new Set(
    tokens
      .filter((w) => w.length > 1 && !STOPWORDS.has(w) && !NEGATORS.has(w) && !SOFT_NEGATORS.has(w) && !categoryOf(w) && !/^\d/.test(w) && !entityWords.has(w))
      // Either pole of an antonym pair is the same topic ("delete it" / "don't delete it", "weaker" / "stronger"):
      // one shared token, so the clauses align and the flip is then found by the polarity check.
      .map((w) => {
        const p = antonymPole(w);
        return p ? `~${p.pair}` : stem(w);
      }),
  );
}

export interface Alignment {
  b: Clause;
  c: Clause;
  shared: number;
  /** shared / min(content sizes). */
  score: number;
}

/** For each baseline clause, the candidate clause sharing most content words (if any). */
export function alignClauses(base: Clause[], cand: Clause[]): Map<Clause, Alignment> {
  const out = new Map<Clause, Alignment>();
  base.forEach((b, bi) => {
    let best: Alignment | undefined;
    let bestAt = -1;
    cand.forEach((c, ci) => {
      let shared = 0;
      for (const w of b.content) if (c.content.has(w)) shared++;
      const denom = Math.min(b.content.size, c.content.size);
      const score = denom ? shared / denom : 0;
      // On a tie (table rows, parallel sentences that differ only in names and values), the clause in the same
      // position: answers mostly keep the baseline's order, and a swap is then seen as one.
      const better = !best || score > best.score || (score === best.score && (shared > best.shared || (shared === best.shared && Math.abs(ci - bi) < Math.abs(bestAt - bi))));
      if (shared > 0 && better) {
        best = { b, c, shared, score };
        bestAt = ci;
      }
    });
    if (best) out.set(b, best);
  });
  return out;
}

/** Two clauses about the same thing: enough shared content for a different value or polarity to be a contradiction. */
export function strongAlignment(a: Alignment | undefined): a is Alignment {
  if (!a) return false;
  const small = Math.min(a.b.content.size, a.c.content.size);
  return a.score >= 0.6 && (a.shared >= 2 || (small <= 2 && a.shared >= 1 && Math.max(a.b.content.size, a.c.content.size) <= 3));
}

// ---------------------------------------------------------------------------- entities

export interface Entity {
  text: string;
  /** Lower-case, whitespace collapsed, possessive dropped. */
  norm: string;
  kind: 'name' | 'id' | 'quote' | 'code' | 'url' | 'email';
  index: number;
  /** A single capitalised word opening a sentence: a name only if the rest of its clause is what tells. */
  weak?: boolean;
}

const IMPERATIVE_OBJECT = /^\s+(?:the|a|an|your|my|our|their|its|it|them|both|all|any|each|every|this|that|these|those|off|on|up|out|down|away|back)\b/i;

const JOINERS = '(?:of|de|van|von|da|del|la|&|and)';

export function normEntity(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['\u2019]s\b/g, '')
    // "on Tuesdays" and "on Tuesday": a weekday said as a habit is the same day.
    .replace(/\b(mon|tues|wednes|thurs|fri|satur|sun)days\b/g, '$1day')
    .replace(/[^\p{L}\p{N}@./:_~-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/[.:]+$/, '')
    .trim();
}

/** Code as written, whitespace aside: its punctuation is meaning (`^\d{5}$` is not `\d{5}`). */
function normCode(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** Names, identifiers, command-line flags, quoted strings, code spans, URLs and e-mails the answer mentions. */
export function extractEntities(text: string, vocabulary: Set<string> = new Set(), knownNames: Set<string> = new Set()): Entity[] {
  const out: Entity[] = [];
  const seen = new Set<string>();
  const add = (t: string, kind: Entity['kind'], index: number, weak = false) => {
    const norm = kind === 'code' ? normCode(t) : normEntity(t);
    if (!norm || seen.has(`${kind}:${norm}`)) return;
    seen.add(`${kind}:${norm}`);
    out.push({ text: t, norm, kind, index, ...(weak ? { weak } : {}) });
  };
  for (const m of text.matchAll(/https?:\/\/[^\s)>\]]+/g)) add(m[0].replace(/[.,;]+$/, ''), 'url', m.index!);
  for (const m of text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) add(m[0], 'email', m.index!);
  for (const m of text.matchAll(/`([^`\n]+)`/g)) add(m[1]!, 'code', m.index!);
  for (const m of text.matchAll(/"([^"\n]{1,60})"|“([^”\n]{1,60})”/g)) add((m[1] ?? m[2])!, 'quote', m.index!);
  const noCode = maskText(text, MASKS.slice(0, 3));
  for (const m of noCode.matchAll(/(?<![\w-])--?[a-z][\w-]*/g)) if (m[0].length > 2) add(m[0], 'code', m.index!);
  for (const re of [MASKS[3]!, MASKS[4]!]) for (const m of noCode.matchAll(re)) add(m[0], 'id', m.index!);
  // Capitalised names. A single capitalised word opening a sentence is weak: grammar, not a name, unless
  // nothing says it is a common word.
  const plain = maskText(noCode, [MASKS[3]!, MASKS[4]!, /(?<![\w-])--?[a-z][\w-]*/g]);
  const nameRe = new RegExp(`\\b(?:[A-Z][\\p{L}\\p{N}'’-]*)(?:\\s+(?:${JOINERS}\\s+)?(?:[A-Z][\\p{L}\\p{N}'’-]*))*`, 'gu');
  for (const m of plain.matchAll(nameRe)) {
    const words = m[0].replace(/['’]s$/, '').split(/\s+/);
    let index = m.index!;
    const before = plain.slice(Math.max(0, index - 8), index);
    let atStart = index === 0 || /(?:[.!?:;]\s+|\n\s*|^\s*|[-*+•>#]\s+|\*\*|\d[.)]\s+|["'(“]\s*)$/.test(before);
    // Drop leading clause words: "The Acme API" → "Acme API".
    while (words.length > 1 && (COMMON_WORDS.has(words[0]!.toLowerCase()) || STOPWORDS.has(words[0]!.toLowerCase()))) {
      index += words.shift()!.length + 1;
      atStart = false;
    }
    const t = words.join(' ');
    const lower = t.toLowerCase();
    if (words.length === 1) {
      const bare = lower.replace(/['’]/g, '');
      if (lower.length < 2 || lower === 'i' || MONTHS[lower] !== undefined || NEGATORS.has(bare) || /['’](?:m|re|ve|ll|d|t)$/.test(lower)) continue;
      // Mid-sentence, a capitalised word is a name ("written in Go"); opening a sentence it may be grammar.
      if (atStart && !/^[A-Z]{2,}$/.test(t) && !WEEKDAYS.has(lower) && !/\d/.test(t)) {
        // "According to …", "Based on …", "Using …", "Finally, …": participles and adverbs open sentences, names rarely do.
        if (COMMON_WORDS.has(lower) || STOPWORDS.has(lower) || vocabulary.has(lower) || /(?:ing|ed|ly)$/.test(lower)) continue;
        // "Unplug the machine", "Turn off both taps": an imperative opening a step takes an object or particle at
        // once; a name opening a sentence is followed by its verb ("Marta will send …").
        if (!knownNames.has(lower) && IMPERATIVE_OBJECT.test(plain.slice(index + t.length, index + t.length + 12))) continue;
        add(t, 'name', index, !knownNames.has(lower));
        continue;
      }
    }
    add(t, 'name', index);
  }
  return out;
}

/** Is the entity mentioned in the other text (whole words, case-insensitive; a multi-word name by any of its distinctive words)? */
export function mentions(text: string, e: Entity): boolean {
  if (e.kind === 'code') {
    // As a whole token (a flag inside a command counts); not as a piece of longer code: `\d{5}` is not `^\d{5}$`.
    const esc = e.norm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?:^|[\\s\`"'(])${esc}(?=$|[\\s\`"'),;:!?]|\\.(?:\\s|$))`).test(normCode(text));
  }
  // "Marta: carrier notice": a colon or full stop after a word ends it.
  const hay = ` ${normEntity(text.replace(/[:.](?=\s|$)/g, ' '))} `;
  if (hay.includes(` ${e.norm} `)) return true;
  if (e.kind === 'name') {
    // "Madrid-based", "Berlin-born": the name joined to a lower-case word is still the name.
    if (` ${normEntity(text.replace(/(?<=\p{L})-(?=\p{Ll})/gu, ' '))} `.includes(` ${e.norm} `)) return true;
    const all = e.norm.split(' ');
    const parts = all.filter((p) => p.length >= 4 && !STOPWORDS.has(p) && !COMMON_WORDS.has(p));
    // "Nair" or "Priya" alone refers back to "Priya Nair"; "Priya Shah" is someone else.
    if (parts.length > 1 && parts.some((p) => hay.includes(` ${p} `) && !otherNameAround(text, p, all))) return true;
  }
  if (e.kind === 'quote') return normEntity(text).replace(/\s+/g, '').includes(e.norm.replace(/\s+/g, ''));
  return false;
}

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'dame', 'mx']);
const ORG_SUFFIXES = new Set(['inc', 'ltd', 'llc', 'plc', 'corp', 'corporation', 'co', 'company', 'gmbh', 'ag', 'sa', 'group', 'labs', 'technologies', 'systems']);

/** Every mention of `part` in `text` is joined to a capitalised word that is not in the name: "Priya Shah" for "Priya Nair". */
function otherNameAround(text: string, part: string, nameParts: string[]): boolean {
  const esc = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const hits = [...text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, 'giu'))];
  if (!hits.length) return false;
  const foreign = (w: string | undefined) => {
    if (!w || !/^\p{Lu}/u.test(w)) return false;
    const l = w.toLowerCase().replace(/['’]s$/, '').replace(/\.$/, '');
    if (nameParts.includes(l) || TITLES.has(l) || ORG_SUFFIXES.has(l) || COMMON_WORDS.has(l) || STOPWORDS.has(l)) return false;
    // An initial or a short form of another part of the name: "Priya N.", "Acme Corp" for "Acme Corporation".
    return !nameParts.some((p) => p !== part && (l.length === 1 ? p.startsWith(l) : l.length >= 3 && (p.startsWith(l.slice(0, 4)) || l.startsWith(p.slice(0, 4)))));
  };
  return hits.every((m) => {
    const after = /^\s+([\p{L}][\p{L}'’-]*)/u.exec(text.slice(m.index! + m[0].length))?.[1];
    const before = /([\p{L}][\p{L}'’.-]*)\s+$/u.exec(text.slice(0, m.index!))?.[1];
    return foreign(after) || foreign(before);
  });
}

// ---------------------------------------------------------------------------- polarity

/**
 * Negation cues of a clause that bear on what the other clause says: a negator counts when
 * one of the next three words is a content word (or an antonym pole) the other clause also
 * has — "I'm not a doctor, but …" does not negate the dose that follows. A negative prefix
 * counts when the other clause has the plain word ("unsupported" vs "supported").
 */
export function negationCount(s: Clause, other: Clause): number {
  const otherStems = new Set(other.tokens.flatMap((w) => [stem(w), stem(w.replace(/^(?:un|in|im|il|ir|non|dis)/, ''))]));
  const otherPoles = new Set(other.tokens.map((w) => antonymPole(w)?.pair).filter((p) => p !== undefined));
  const otherNegated = other.tokens.some((w) => NEGATORS.has(w) || SOFT_NEGATORS.has(w));
  let n = 0;
  s.tokens.forEach((w, i) => {
    if (!NEGATORS.has(w) && !(SOFT_NEGATORS.has(w) && otherNegated)) return;
    // "excluded" against "included": an antonym pair, counted once, as a flip (antonymFlips).
    const pole = antonymPole(w);
    if (!NEGATORS.has(w) && pole && otherPoles.has(pole.pair)) return;
    // "No, …" opening an answer is its polarity, compared separately.
    if (i === 0 && w === 'no' && /^no\b[,.!]/i.test(s.text)) return;
    // "at no. 12", "No 5 Mill Lane": the abbreviation of "number", not a negation.
    if (w === 'no' && /^\d/.test(s.tokens[i + 1] ?? '') && /\bno\.\s?\d/i.test(s.text)) return;
    // "isn't refunded unless it arrived damaged" says what "is refunded only if it arrived damaged" says.
    if (NEGATORS.has(w) && s.tokens.slice(i + 1).includes('unless') && /\bonly (?:if|when)\b/i.test(other.text)) return;
    // "not only X (but also Y)" still asserts X — unless the other side restricts it with "only X".
    if (w === 'not' && s.tokens[i + 1] === 'only' && !other.tokens.includes('only')) return;
    const scope = s.tokens.slice(i + 1, i + 4);
    if (scope.some((x) => (otherStems.has(stem(x)) && !STOPWORDS.has(x)) || (antonymPole(x) && otherPoles.has(antonymPole(x)!.pair)))) n++;
  });
  const plain = new Set(other.tokens.map(stem));
  for (const w of s.tokens) {
    const m = /^(un|in|im|il|ir|non|dis)(.{3,})$/.exec(w);
    if (m && plain.has(stem(m[2]!)) && !plain.has(stem(w))) n++;
  }
  return n;
}

// "X won against Y", "X beat Y": who won is the order of the two sides, as in a comparison.
const RELATION = /\b(?:over|than|instead of|rather than|versus|vs\.?|against|beat|beats|defeated|defeats)\s+(?:the\s+|a\s+|an\s+)?([\p{L}\p{N}][\p{L}\p{N}_-]*)/giu;

/**
 * The two sides of a comparison swapped: "prefer composition over inheritance" vs "prefer
 * inheritance over composition", "Postgres is faster than MySQL" vs "MySQL is faster than
 * Postgres". The word after "over/than/instead of/rather than" differs, and each side's word
 * occurs in the other clause. Returns the swapped pair, or undefined.
 */
export function swappedComparison(a: Clause, b: Clause): [string, string] | undefined {
  const objects = (c: Clause) => [...c.text.matchAll(RELATION)].map((m) => ({ word: stem(m[1]!.toLowerCase()), raw: m[1]!, at: m.index! }));
  const oa = objects(a);
  const ob = objects(b);
  if (oa.length !== 1 || ob.length !== 1) return undefined;
  const x = oa[0]!;
  const y = ob[0]!;
  if (x.word === y.word) return undefined;
  const before = (c: Clause, at: number) => new Set(wordsOf(c.text.slice(0, at)).map(stem));
  return before(a, x.at).has(y.word) && before(b, y.at).has(x.word) ? [x.raw, y.raw] : undefined;
}

/** Antonym pairs where one clause says one pole and the other the opposite pole. */
export function antonymFlips(a: Clause, b: Clause): Array<[string, string]> {
  const poles = (s: Clause) => {
    const m = new Map<number, { pole: Set<0 | 1>; word: string }>();
    for (const w of s.tokens) {
      const p = antonymPole(w);
      if (!p) continue;
      const e = m.get(p.pair) ?? { pole: new Set<0 | 1>(), word: w };
      e.pole.add(p.pole);
      m.set(p.pair, e);
    }
    return m;
  };
  const pa = poles(a);
  const pb = poles(b);
  const flips: Array<[string, string]> = [];
  for (const [pair, x] of pa) {
    const y = pb.get(pair);
    if (!y || x.pole.size !== 1 || y.pole.size !== 1) continue;
    if ([...x.pole][0] !== [...y.pole][0]) flips.push([x.word, y.word]);
  }
  return flips;
}

/** Category terms (frequency, month, weekday, …) the clause says, by category. */
export function categoryTerms(c: Clause): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const w of c.tokens) {
    const cat = categoryOf(w);
    if (!cat) continue;
    const s = m.get(cat.category) ?? new Set<string>();
    s.add(cat.term);
    m.set(cat.category, s);
  }
  return m;
}

/** The answer's leading yes/no, if it opens with one. */
export function leadingAnswer(text: string): 'yes' | 'no' | undefined {
  const m = /^\s*(?:\*\*)?(yes|no)\b/i.exec(stripMarkdown(text.split('\n')[0] ?? ''));
  return m ? (m[1]!.toLowerCase() as 'yes' | 'no') : undefined;
}

/**
 * List answers in any of their formats — markdown bullets, numbered lines, one item per
 * line, or "a, b and c" — reduced to their items, so the same items in another format
 * compare equal and a changed or missing item is named.
 */
import { STOPWORDS, stem } from './lexicon.js';
import { stripMarkdown, wordsOf } from './sentences.js';

export interface ParsedList {
  items: string[];
  /** Numbered lines: the author meant an order. */
  numbered: boolean;
  format: 'bullets' | 'numbered' | 'lines' | 'inline';
  /** Text before the list ("The primary colours are:"). */
  intro: string;
}

const BULLET = /^\s*(?:[-*+•·]|\[[ xX]\])\s+(.+)$/;
const NUMBERED = /^\s*(?:\d{1,2}|[a-z])[.)]\s+(.+)$/;

/** Items of a list answer, or undefined when the text is not a list. */
export function parseList(text: string, opts: { maxInlineWords?: number } = {}): ParsedList | undefined {
  // Lines of a fenced code block are statements, not list items ("result = []" is not an item to find).
  const lines = text.replace(/```[^\n]*\n[\s\S]*?(?:```|$)/g, '\n').split('\n').map((l) => l.trimEnd()).filter((l) => l.trim());
  const bullets = lines.map((l) => BULLET.exec(l)?.[1]);
  const numbers = lines.map((l) => NUMBERED.exec(l)?.[1]);
  const itemLines = bullets.map((b, i) => b ?? numbers[i]);
  const count = itemLines.filter(Boolean).length;
  if (count >= 2) {
    const first = itemLines.findIndex(Boolean);
    const intro = lines.slice(0, first).join(' ');
    const items = itemLines.filter((x): x is string => !!x).map(cleanItem);
    const numbered = numbers.filter(Boolean).length > bullets.filter(Boolean).length;
    return { items, numbered, format: numbered ? 'numbered' : 'bullets', intro };
  }
  // One short item per line, no sentence punctuation.
  if (lines.length >= 2 && lines.every((l) => wordsOf(l).length <= 4 && !/[.!?]$/.test(l.trim()))) {
    return { items: lines.map(cleanItem), numbered: false, format: 'lines', intro: '' };
  }
  // "red, yellow and blue" — a one-sentence answer that is (after an intro ending in ":" or "are") an enumeration of
  // three or more short items, or the whole answer is "x and y".
  const flat = stripMarkdown(lines.join(' ')).replace(/[.!]\s*$/, '');
  if (/[.!?]\s+\S/.test(flat.replace(/\d\.\d/g, ''))) return undefined;
  const tail = /^(.*?(?::|\b(?:are|is|include|includes|were|be)\b)\s+)(.+)$/i.exec(flat);
  const max = opts.maxInlineWords ?? 4;
  for (const [intro, body] of [...(tail ? [[tail[1]!, tail[2]!]] : []), ['', flat]] as Array<[string, string]>) {
    const parts = body
      .replace(/(\d),(\d{3})/g, '$1\u0000$2')
      .split(/\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+/i)
      .map((p) => p.replace(/\u0000/g, ',').trim())
      .filter(Boolean);
    const enough = parts.length >= 3 || (parts.length === 2 && intro === '' && lines.length === 1 && parts.every((p) => wordsOf(p).length <= 3));
    if (enough && parts.every((p) => wordsOf(p).length >= 1 && wordsOf(p).length <= max)) {
      return { items: parts.map(cleanItem), numbered: false, format: 'inline', intro };
    }
  }
  return undefined;
}

function cleanItem(s: string): string {
  return stripMarkdown(s).replace(/[.;,]+$/, '').trim();
}

export function itemKey(s: string): string {
  return wordsOf(s).map(stem).join(' ');
}

/** Does candidate item `c` say baseline item `b`? Same words (stemmed), or b's content words all inside c. */
export function sameItem(b: string, c: string): boolean {
  const kb = itemKey(b);
  const kc = itemKey(c);
  if (kb === kc) return true;
  const content = (k: string) => k.split(' ').filter((w) => w && !STOPWORDS.has(w));
  const wb = content(kb);
  const wc = new Set(content(kc));
  return wb.length > 0 && wb.every((w) => wc.has(w)) && wc.size <= wb.length + 3;
}

export interface ListComparison {
  missing: string[];
  extra: string[];
  /** Pairs (baseline index → candidate index) of matched items. */
  matched: Array<[number, number]>;
  sameOrder: boolean;
}

export function compareLists(b: string[], c: string[]): ListComparison {
  const used = new Set<number>();
  const matched: Array<[number, number]> = [];
  const missing: string[] = [];
  b.forEach((item, i) => {
    const j = c.findIndex((x, k) => !used.has(k) && sameItem(item, x));
    if (j < 0) missing.push(item);
    else {
      used.add(j);
      matched.push([i, j]);
    }
  });
  const extra = c.filter((_, k) => !used.has(k));
  const order = matched.map(([, j]) => j);
  return { missing, extra, matched, sameOrder: order.every((j, i) => i === 0 || j > order[i - 1]!) };
}

/** Word-level helpers of the synthetic model: tokenising, keywords, quoted strings, hashing. */

export const STOPWORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our please should so than that the their them then there these they this to was we were what ' +
    'when where which who why will with would you your about just also any all some more most very tell give ' +
    'using use want need like know get let make one only other out up down over under again each few such own same ' +
    'too not no nor here those am being having doing while before after above below between through during both ' +
    'answer reply respond return write say text following word words sentence explain describe show list works ' +
    'provide briefly detail details something thing things').split(' '),
);
/** Words too generic to count as a mention of a tool. */
export const GENERIC_TOOL_WORDS = new Set(['get', 'set', 'fetch', 'run', 'call', 'tool', 'api', 'func', 'function', 'do', 'by', 'for', 'the', 'to', 'of', 'and']);

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function stem(w: string): string {
  return w.length > 4 && w.endsWith('ies') ? `${w.slice(0, -3)}y` : w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

export function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length > 2 && !STOPWORDS.has(w));
}

/** Content words by frequency, ties by first occurrence. */
export function keywords(text: string, limit: number): string[] {
  const counts = new Map<string, { n: number; first: number }>();
  contentWords(text).forEach((w, i) => {
    const c = counts.get(w);
    if (c) c.n++;
    else counts.set(w, { n: 1, first: i });
  });
  return [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first)
    .slice(0, limit)
    .map(([w]) => w);
}

export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function listPhrase(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Words about the output format, never values. */
export const FORMAT_WORDS = new Set(['json', 'xml', 'yaml', 'csv', 'markdown']);

/** "double", “curly” and 'single' quoted strings (an apostrophe inside a word is not a quote). */
export function quotedStrings(text: string): string[] {
  const re = /"([^"\n]{1,60})"|\u201c([^\u201d\n]{1,60})\u201d|`([^`\n]{1,60})`|(?<![\p{L}\p{N}])'([^'\n]{1,60})'(?![\p{L}\p{N}])/gu;
  return [...text.matchAll(re)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim()).filter(Boolean);
}


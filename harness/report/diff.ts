/**
 * The one word-level diff every report shows (terminal, Markdown, HTML): baseline words
 * removed, candidate words added. Rendered as colours, `[-old-]{+new+}` (git's word-diff
 * notation) or <del>/<ins>.
 */
import { diffWords } from 'diff';
import { clip } from './format.js';

export interface DiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

/** Beyond this many word edits the answers have little in common: show them as replaced instead (bounded time). */
const MAX_EDITS = 200;

/** Word diff of the two answers, each clipped to `max` characters first (whitespace kept). */
export function wordDiffParts(a: string, b: string, max = 400): DiffPart[] {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max)}…` : s);
  const parts = diffWords(cut(a), cut(b), { maxEditLength: MAX_EDITS });
  if (!parts) return [...(a ? [{ value: cut(a), removed: true }] : []), ...(b ? [{ value: cut(b), added: true }] : [])];
  return parts.map((p) => ({ value: p.value, ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}) }));
}

/** `[-removed-]{+added+}` (or ANSI red/green), on one line. */
export function wordDiff(a: string, b: string, color: boolean, max = 400): string {
  return wordDiffParts(clip(a, max), clip(b, max), max)
    .map((p) => {
      if (p.added) return color ? `\u001b[32m${p.value}\u001b[0m` : `{+${p.value}+}`;
      if (p.removed) return color ? `\u001b[31m${p.value}\u001b[0m` : `[-${p.value}-]`;
      return p.value;
    })
    .join('');
}

/** The diff as HTML: escaped text with <del> and <ins>, newlines kept (for a <pre>). */
export function wordDiffHtml(a: string, b: string, escape: (s: string) => string, max = 4000): string {
  return wordDiffParts(a, b, max)
    .map((p) => (p.added ? `<ins>${escape(p.value)}</ins>` : p.removed ? `<del>${escape(p.value)}</del>` : escape(p.value)))
    .join('');
}

/**
 * Truncated answers on either side: `finish_reason: length`, JSON that never closes, a
 * sentence cut mid-way (a dangling function word, comma or colon, an unclosed code fence).
 * A last sentence without a full stop is not enough on its own: lists and chatty answers
 * end that way, and a word cut in half cannot be told from a whole one without a dictionary.
 */
import type { ChatCompletion } from 'openai/resources/chat/completions';

const DANGLING = /\b(?:the|a|an|and|or|but|of|to|in|on|for|with|by|from|at|as|is|are|was|were|be|that|which|who|this|these|its|their|our|your|my|if|because|when|than|then|so|into|about|over|under|between|such|very|more|most|not|can|will|would|should|could|may|might|has|have|had)$/i;

export interface Truncation {
  truncated: boolean;
  why?: string;
}

export function truncationOf(response: ChatCompletion | undefined, text: string, expectJson: boolean): Truncation {
  const finish = response?.choices?.[0]?.finish_reason;
  if (finish === 'length') return { truncated: true, why: 'stopped at the token limit (finish_reason length)' };
  const t = text.trimEnd();
  if (!t) return { truncated: false };
  if (expectJson || /^\s*[[{]/.test(t)) {
    const open = unclosedJson(t);
    if (open) return { truncated: true, why: `JSON ends before it closes (${open})` };
    if (expectJson) return { truncated: false };
  }
  if ((t.match(/```/g) ?? []).length % 2 === 1) return { truncated: true, why: 'a code block is never closed' };
  const last = t.split('\n').pop()!.trim();
  // A statement terminator after a quote or bracket, or in SQL, ends code ("… < '2027-01-01';"), not a sentence.
  const endsCode = /[)'"\]`]\s*;$/.test(last) || (/;$/.test(last) && /\b(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH)\b/.test(t));
  if (/[,:;(\-–]$/.test(last) && !endsCode && !/^[-*+•]|^\d+[.)]|^#/.test(last)) return { truncated: true, why: `ends mid-sentence ("…${last.slice(-30)}")` };
  const lastWord = /([\p{L}']+)$/u.exec(last)?.[1];
  const isListOrHeading = /^\s*(?:[-*+•]|\d+[.)]|#{1,6}|\|)/.test(last);
  if (lastWord && DANGLING.test(lastWord) && !isListOrHeading) return { truncated: true, why: `ends mid-sentence on "${lastWord}"` };
  return { truncated: false };
}

/** What is left open at the end of a JSON text, or undefined when it closes. */
function unclosedJson(t: string): string | undefined {
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  for (const ch of t) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch);
    else if (ch === '}' || ch === ']') stack.pop();
  }
  if (inString) return 'inside a string';
  if (stack.length) return `${stack.length} unclosed ${stack[stack.length - 1] === '{' ? 'object' : 'array'}${stack.length > 1 ? 's' : ''}`;
  return undefined;
}

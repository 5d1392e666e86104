/**
 * Refusals: an answer that declines the task, bluntly or softly ("I'm not able to",
 * "not in a position to", apologies, policy language). Only the opening of the answer is
 * read: a refusal says so first, and a long helpful answer may quote such phrases later.
 */

const PATTERNS: RegExp[] = [
  /\bI(?:['’]m| am) (?:sorry|afraid)\b[^.!?\n]{0,60}\b(?:can(?:no|['’])t|won['’]t|unable|not able|not in a position|must decline|not allowed)/i,
  /\b(?:I|we)(?:\s+(?:can(?:no|['’])t|can not|won['’]t|will not|must not|am not able to|am unable to|are unable to|are not able to|do not have the ability to|don['’]t have the ability to)|['’]m (?:not able to|unable to)|['’]re (?:not able to|unable to)|['’]ll not) (?:help|assist|provide|comply|share|do|answer|fulfil|fulfill|support|create|generate|write|give|produce|complete|engage|discuss|offer|disclose|continue|process)/i,
  /\b(?:I|we)(?:['’]m| am| are) not (?:in a position|permitted|allowed|comfortable|going) to\b/i,
  /\b(?:I|we) (?:must|have to|need to) (?:decline|refuse|respectfully decline)\b/i,
  /\bI apologi[sz]e,? but\b/i,
  /\bunfortunately,? (?:I|we) (?:can(?:no|['’])t|am unable|['’]m unable|are unable|am not able|['’]m not able|won['’]t)\b/i,
  /\b(?:against|violates?|violation of|not (?:consistent|in line) with) (?:my|our|the|OpenAI['’]s|Amazon['’]s)? ?(?:content |usage |safety )?(?:guidelines|polic(?:y|ies)|terms)\b/i,
  /\bas an AI(?: language model| assistant)?,? I (?:can(?:no|['’])t|won['’]t|am not able|am unable)\b/i,
  /\b(?:I|we)['’]d (?:rather not|prefer not to)\b/i,
  /\bthat(?:['’]s| is) not something I can (?:help|assist|do)\b/i,
  /\bI(?:['’]m| am) not able to (?:help|assist) with (?:that|this)\b/i,
];

/** An answer that opens by saying it cannot do the task, whatever the verb. */
const OPENING = /^(?:(?:sorry|unfortunately)[,!]?\s+)?(?:I|we)(?:['’]m| am| are|['’]re)? (?:(?:not able|unable|not in a position) to|can(?:no|['’])t|can not|won['’]t|will not) (?!stress|emphasi[sz]e|recommend enough|overstate|wait)\w+/i;

/** The first sentences of the answer (about 300 characters). */
function opening(text: string): string {
  return text.trim().slice(0, 300);
}

export function looksLikeRefusal(text: string): boolean {
  const t = opening(text);
  // "I can't check live hours, but it usually opens at 8" is a caveat before an answer, not a refusal.
  const first = t.split(/(?<=[.!?])\s+/)[0] ?? '';
  const declines = OPENING.test(first) && !/,?\s+but\s+\S/i.test(first.replace(OPENING, ''));
  return t.length > 0 && (declines || PATTERNS.some((re) => re.test(t)));
}

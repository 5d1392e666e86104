/**
 * Refusals: an answer that declines the task, bluntly or softly ("I'm not able to",
 * "not in a position to", apologies, policy language). Only the opening of the answer is
 * read: a refusal says so first, and a long helpful answer may quote such phrases later.
 */

const PATTERNS: RegExp[] = [
  /\bI(?:['’]m| am) (?:sorry|afraid)\b[^.!?\n]{0,60}\b(?:can(?:no|['’])t|won['’]t|unable|not able|not in a position|must decline|not allowed)/i,
  /\b(?:I|we)(?:\s+(?:can(?:no|['’])t|can not|won['’]t|will not|must not|am not able to|am unable to|are unable to|are not able to|do not have the ability to|don['’]t have the ability to)|['’]m (?:not able to|unable to)|['’]re (?:not able to|unable to)|['’]ll not) (?:help|assist|provide|comply|share|do|answer|fulfil|fulfill|support|create|generate|write|give|produce|complete|engage|discuss|offer|disclose|continue|process)/i,
  /\b(?:I|we)(?:['’]m| am| are) not (?:in a position|permitted|allowed|comfortable|going) to\b/i,
  /\b(?:I|we)(?:['’]m| am| are|['’]re) not comfortable (?:with |about )?\w+ing\b/i,
  /\b(?:I|we) (?:must|have to|need to) (?:decline|refuse|respectfully decline)\b/i,
  /\bI apologi[sz]e,? but\b/i,
  /\bunfortunately,? (?:I|we) (?:can(?:no|['’])t|am unable|['’]m unable|are unable|am not able|['’]m not able|won['’]t)\b/i,
  /\b(?:against|violates?|violation of|not (?:consistent|in line) with) (?:my|our|the|OpenAI['’]s|Amazon['’]s)? ?(?:content |usage |safety )?(?:guidelines|polic(?:y|ies)|terms)\b/i,
  /\bas an AI(?: language model| assistant)?,? I (?:can(?:no|['’])t|won['’]t|am not able|am unable)\b/i,
  /\b(?:I|we)['’]d (?:rather not|prefer not to)\b/i,
  /\bthat(?:['’]s| is) not something I can (?:help|assist|do)\b/i,
  /\bI(?:['’]m| am) not able to (?:help|assist) with (?:that|this)\b/i,
  // Declining by scope: "That's outside what I can help with", "beyond the scope of what I can do here".
  /\b(?:outside|beyond) (?:of )?(?:the scope of |my scope|the scope|what I(?:['’]m able to| can)|my (?:remit|expertise|capabilities))/i,
];

/** An answer that opens by saying it cannot do the task, whatever the verb. */
const OPENING = /^(?:(?:sorry|unfortunately)[,!]?\s+)?(?:I|we)(?:['’]m| am| are|['’]re)? (?:(?:not able|unable|not in a position) to|can(?:no|['’])t|can not|won['’]t|will not) (?!stress|emphasi[sz]e|recommend enough|overstate|wait)\w+/i;

/** What follows "but" in a refusal that sends the user elsewhere instead of answering. */
const REDIRECT =
  /^(?:(?:please|do|feel free to)\s+)?(?:contact|ask|consult|check with|reach out|call|visit|see|speak|talk|refer)\b|^(?:you|your|our|a|an|the|they|he|she)\b[^.!?]{0,60}?\b(?:can|could|may|might|should|will|would be able to)\s+(?:help|assist|walk|advise|answer|guide|explain|tell|ask|contact|consult|reach|call|visit|look|check|find)\b|^I\b[^.!?]{0,30}?\b(?:can|could|will|would be happy to)\s+(?:suggest|recommend|point|direct|refer)\b/i;

/** The first sentences of the answer (about 300 characters). */
function opening(text: string): string {
  return text.trim().slice(0, 300);
}

export function looksLikeRefusal(text: string): boolean {
  const t = opening(text);
  // "I can't check live hours, but it usually opens at 8" / "I can't give legal advice, but under our terms you have
  // 120 days" is a caveat before an answer, not a refusal: the sentence goes on with "but" after the declining words.
  // "…, but our support team can walk you through it" hands the question on: still a refusal.
  const caveat = (sentence: string, re: RegExp) => {
    const m = re.exec(sentence);
    if (!m) return false;
    const after = /^[^.!?]*?,?\s+but\s+(\S[\s\S]*)$/i.exec(sentence.slice(m.index + m[0].length))?.[1];
    return !!after && !REDIRECT.test(after);
  };
  const sentences = t.split(/(?<=[.!?])\s+/);
  const first = sentences[0] ?? '';
  const declines = OPENING.test(first) && !caveat(first, OPENING);
  return t.length > 0 && (declines || PATTERNS.some((re) => sentences.some((s) => re.test(s) && !caveat(s, re))));
}

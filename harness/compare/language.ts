/**
 * Which language an answer is written in, from its function words (articles, pronouns,
 * prepositions, auxiliaries — the words every sentence needs, and that differ between
 * languages), so an app whose users write in Spanish notices a model that now answers in
 * English. Only a clear majority decides; short or mixed answers are left undecided.
 */
const FUNCTION_WORDS: Record<string, string[]> = {
  en: ['the', 'and', 'is', 'are', 'you', 'your', 'of', 'to', 'with', 'for', 'it', 'be', 'this', 'that', 'can', 'will', 'should', 'have', 'has', 'was', 'were', 'before', 'after', 'from', 'until', 'which', 'what', 'not'],
  es: ['el', 'los', 'las', 'y', 'es', 'su', 'sus', 'por', 'para', 'con', 'una', 'del', 'se', 'puede', 'debe', 'hasta', 'antes', 'después', 'está', 'estar', 'pero', 'como', 'lo', 'al', 'usted'],
  fr: ['le', 'les', 'des', 'est', 'et', 'vous', 'votre', 'pour', 'avec', 'une', 'dans', 'pas', 'qui', 'sur', 'du', 'au', 'ce', 'il', 'elle', 'avant', 'après', 'jusqu', 'doit', 'peut', 'sont'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'sie', 'ihr', 'ihre', 'mit', 'für', 'vor', 'bis', 'ein', 'eine', 'zu', 'den', 'dem', 'sollte', 'wird', 'sind', 'auf', 'nach', 'vorher', 'oder', 'auch'],
  it: ['il', 'lo', 'gli', 'della', 'è', 'che', 'per', 'con', 'una', 'non', 'sono', 'alla', 'deve', 'può', 'prima', 'dopo', 'fino', 'suo', 'sua', 'nel', 'dei'],
  pt: ['os', 'da', 'do', 'é', 'em', 'para', 'com', 'uma', 'não', 'você', 'seu', 'sua', 'até', 'antes', 'depois', 'deve', 'pode', 'está', 'no', 'na', 'ao', 'dos', 'das'],
};

const LOOKUP = new Map<string, string[]>();
for (const [lang, words] of Object.entries(FUNCTION_WORDS)) for (const w of words) LOOKUP.set(w, [...(LOOKUP.get(w) ?? []), lang]);

/** ISO 639-1 code of the answer's language, or undefined when the answer is too short or mixed to tell. */
export function detectLanguage(text: string): string | undefined {
  // Code and markup say nothing about the prose language.
  const prose = text.replace(/```[\s\S]*?(?:```|$)/g, ' ').replace(/`[^`]*`/g, ' ').replace(/https?:\/\/\S+/g, ' ');
  const words = prose.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  if (words.length < 6) return undefined;
  const score = new Map<string, number>();
  for (const w of words) for (const lang of LOOKUP.get(w) ?? []) score.set(lang, (score.get(lang) ?? 0) + 1 / LOOKUP.get(w)!.length);
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top || top[1] < 3 || (second && top[1] < 2 * second[1])) return undefined;
  return top[0];
}

/** Classification prompts: the labels a prompt offers and the one the synthetic model picks. */
import { fnv1a, quotedStrings, stem, words } from './words.js';

export const LABEL_TRIGGER = /\b(classif\w*|categori[sz]\w*|category|label\w*|sentiment|one word|single word|answer with|respond with|reply with|choose|pick one|select one|one of)\b/i;

function splitLabels(list: string): string[] {
  return list
    .split(/,|\bor\b|\/|\||;/i)
    .map((s) => s.replace(/^\s*(?:and|either)\s+/i, '').replace(/^[\s"'\u201c\u201d`*\-[(]+|[\s"'\u201c\u201d`*.\])]+$/g, ''))
    .filter((s) => s.length > 0 && s.length <= 30 && s.split(/\s+/).length <= 3);
}

/** Labels offered by the prompt ("one of: a, b, c", "positive, negative or neutral", quoted options). */
export function findLabels(text: string): string[] {
  const patterns = [
    /\b(?:one of|among|labels?|categories|classes|options|choices)(?:\s+the following)?\s*(?:are|is)?\s*[:\-]?\s*\[?([^\n.?!\]]+)/i,
    /\b(?:as|with|either)\s+((?:["'\u201c`]?[\w-]+["'\u201d`]?\s*(?:,|\bor\b|\/)\s*)+(?:or\s+)?["'\u201c`]?[\w-]+["'\u201d`]?)/i,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) {
      const labels = splitLabels(m[1]!);
      if (labels.length >= 2) return labels;
    }
  }
  const quoted = quotedStrings(text).filter((q) => q.length <= 30);
  if (quoted.length >= 2) return [...new Set(quoted)];
  const bullets = [...text.matchAll(/^\s*[-*\u2022]\s+(.{1,30})$/gm)].map((m) => m[1]!.trim());
  return bullets.length >= 2 ? bullets : [];
}

const POSITIVE = new Set('good great excellent love loved like liked amazing awesome happy fantastic wonderful best perfect pleased satisfied recommend enjoy enjoyed nice brilliant fast helpful'.split(' '));
const NEGATIVE = new Set('bad terrible awful hate hated poor worst broken slow angry disappointed disappointing useless horrible refund problem problems issue issues failed fail late rude never'.split(' '));

export function pickLabel(labels: string[], text: string): string {
  const textWords = words(text).map(stem);
  const bag = new Set(textWords);
  const sentiment = textWords.reduce((s, w) => s + (POSITIVE.has(w) ? 1 : NEGATIVE.has(w) ? -1 : 0), 0);
  const scores = labels.map((label) => {
    const lw = words(label).map(stem);
    let score = lw.filter((w) => bag.has(w)).length * 2;
    if (lw.some((w) => /^pos/.test(w))) score += sentiment > 0 ? 3 : 0;
    if (lw.some((w) => /^neg/.test(w))) score += sentiment < 0 ? 3 : 0;
    if (lw.some((w) => /^neutral|^mixed/.test(w))) score += sentiment === 0 ? 1 : 0;
    return score;
  });
  const best = Math.max(...scores);
  const tied = labels.filter((_, i) => scores[i] === best);
  return tied[fnv1a(text) % tied.length]!;
}

/** The user text with the sentences that state the labels removed, so label words don't count. */
export function textToClassify(user: string, labels: string[]): string {
  const lowerLabels = labels.map((l) => l.toLowerCase());
  const sentences = user.split(/(?<=[.!?\n])\s*/);
  const kept = sentences.filter((s) => !(LABEL_TRIGGER.test(s) && lowerLabels.filter((l) => s.toLowerCase().includes(l)).length >= 2));
  return kept.join(' ') || user;
}


/**
 * The reference-equivalence judge's prompt, rubric and answer format. Versioned: the
 * version is in every judge request (so a new rubric never reuses old cached verdicts)
 * and in the reports.
 *
 * The baseline answer is the reference; the judge says how the candidate relates to it and
 * lists the facts that differ. Reasoning comes first, the relation is constrained to an
 * enum, temperature 0; the answers are shown twice, in swapped positions, to expose
 * position bias.
 */
import type { Fixture } from '../types.js';

export const JUDGE_VERSION = 'reference-equivalence/2';

export const JUDGE_CHOICES = ['same', 'subset', 'superset', 'differs immaterially', 'disagrees'] as const;
export type JudgeChoice = (typeof JUDGE_CHOICES)[number];

export const JUDGE_SYSTEM_PROMPT = [
  `Rubric ${JUDGE_VERSION}.`,
  'You compare a CANDIDATE answer with a REFERENCE answer to the same REQUEST.',
  'The REFERENCE is correct by definition. Judge only what the CANDIDATE says relative to it; ignore style, tone, formatting, length and wording.',
  'Choose exactly one relation of the CANDIDATE to the REFERENCE:',
  '- "same": the same information and conclusions.',
  '- "subset": correct, but omits material information the REFERENCE gives.',
  '- "superset": everything in the REFERENCE, plus additional information that does not contradict it.',
  '- "differs immaterially": differences that would not change what a user does with the answer.',
  '- "disagrees": contradicts the REFERENCE on a material point (a number, date, name, yes/no, a negation), or answers a different question.',
  'List every fact that differs in differing_facts, quoting the REFERENCE value and the CANDIDATE value ("" when one side omits it).',
  'The two answers may appear in either order; rely on their labels, not their position.',
  'First write your reasoning, then the relation.',
].join('\n');

export const JUDGE_SCHEMA = {
  type: 'object',
  properties: {
    reasoning: { type: 'string' },
    relation: { type: 'string', enum: [...JUDGE_CHOICES] },
    differing_facts: {
      type: 'array',
      items: {
        type: 'object',
        properties: { fact: { type: 'string' }, reference: { type: 'string' }, candidate: { type: 'string' } },
        required: ['fact', 'reference', 'candidate'],
        additionalProperties: false,
      },
    },
  },
  required: ['reasoning', 'relation', 'differing_facts'],
  additionalProperties: false,
} as const;

export interface JudgeVerdict {
  relation: JudgeChoice;
  reasoning: string;
  differingFacts: Array<{ fact: string; reference: string; candidate: string }>;
}

function requestText(fx: Pick<Fixture, 'body'>): string {
  return (fx.body.messages ?? [])
    .map((m) => {
      const c = (m as { content?: unknown }).content;
      const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (p as { text?: string }).text ?? `[${(p as { type?: string }).type}]`).join(' ') : '';
      return `${m.role}: ${text}`;
    })
    .join('\n');
}

/** The user message: the request, then the two answers in the given order. */
export function judgeUserMessage(fx: Pick<Fixture, 'body'>, reference: string, candidate: string, referenceFirst: boolean): string {
  const ref = `<REFERENCE>\n${reference}\n</REFERENCE>`;
  const cand = `<CANDIDATE>\n${candidate}\n</CANDIDATE>`;
  return `<REQUEST>\n${requestText(fx)}\n</REQUEST>\n\n${referenceFirst ? `${ref}\n\n${cand}` : `${cand}\n\n${ref}`}`;
}

/** The verdict in a judge's answer (JSON text), or undefined when it gave none. */
export function parseVerdict(text: string): JudgeVerdict | undefined {
  let v: { relation?: unknown; reasoning?: unknown; differing_facts?: unknown };
  try {
    v = JSON.parse(text) as typeof v;
  } catch {
    const m = /\{[\s\S]*\}/.exec(text);
    if (!m) return undefined;
    try {
      v = JSON.parse(m[0]) as typeof v;
    } catch {
      return undefined;
    }
  }
  if (!JUDGE_CHOICES.includes(v.relation as JudgeChoice)) return undefined;
  const facts = Array.isArray(v.differing_facts)
    ? v.differing_facts
        .filter((f): f is Record<string, unknown> => !!f && typeof f === 'object')
        .map((f) => ({ fact: String(f.fact ?? ''), reference: String(f.reference ?? ''), candidate: String(f.candidate ?? '') }))
    : [];
  return { relation: v.relation as JudgeChoice, reasoning: String(v.reasoning ?? ''), differingFacts: facts };
}

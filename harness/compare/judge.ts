/**
 * Optional LLM judge (off by default): reference equivalence. The baseline answer is the
 * reference; the judge says how the candidate relates to it — same / subset / superset /
 * differs immaterially / disagrees — reasoning first, the choice constrained to an enum by a
 * JSON schema, temperature 0. Position bias is controlled by asking twice with the two
 * answers in swapped positions; disagreeing verdicts are reported as inconsistent. Every
 * judge call goes through the response cache.
 */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { CacheMissError, type ResponseCache } from '../cache.js';
import { contentOf } from '../expectations.js';
import { createClient } from '../targets/openai-compatible.js';
import type { Check, CompareKind, Fixture, SideResult } from '../types.js';

export const JUDGE_CHOICES = ['same', 'subset', 'superset', 'differs immaterially', 'disagrees'] as const;
export type JudgeChoice = (typeof JUDGE_CHOICES)[number];

export const JUDGE_SYSTEM_PROMPT = [
  'You compare a CANDIDATE answer with a REFERENCE answer to the same request.',
  'The REFERENCE is correct by definition. Judge only what the CANDIDATE says relative to it; ignore style, tone, formatting, length and wording.',
  'Choose exactly one relation of the CANDIDATE to the REFERENCE:',
  '- "same": the same information and conclusions.',
  '- "subset": correct, but omits material information the REFERENCE gives.',
  '- "superset": everything in the REFERENCE, plus additional information that does not contradict it.',
  '- "differs immaterially": differences that would not change what a user does with the answer.',
  '- "disagrees": contradicts the REFERENCE on a material point, or answers a different question.',
  'The two answers may appear in either order; rely on their labels, not their position.',
  'First write your reasoning, then the relation.',
].join('\n');

const SCHEMA = {
  type: 'object',
  properties: { reasoning: { type: 'string' }, relation: { type: 'string', enum: [...JUDGE_CHOICES] } },
  required: ['reasoning', 'relation'],
  additionalProperties: false,
};

function requestText(fx: Fixture): string {
  return (fx.body.messages ?? [])
    .map((m) => {
      const c = (m as { content?: unknown }).content;
      const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (p as { text?: string }).text ?? `[${(p as { type?: string }).type}]`).join(' ') : '';
      return `${m.role}: ${text}`;
    })
    .join('\n');
}

export function judgeRequest(model: string, fx: Fixture, reference: string, candidate: string, referenceFirst: boolean): ChatCompletionCreateParams {
  const ref = `<REFERENCE>\n${reference}\n</REFERENCE>`;
  const cand = `<CANDIDATE>\n${candidate}\n</CANDIDATE>`;
  return {
    model,
    temperature: 0,
    messages: [
      { role: 'system', content: JUDGE_SYSTEM_PROMPT },
      { role: 'user', content: `<REQUEST>\n${requestText(fx)}\n</REQUEST>\n\n${referenceFirst ? `${ref}\n\n${cand}` : `${cand}\n\n${ref}`}` },
    ],
    response_format: { type: 'json_schema', json_schema: { name: 'judgement', strict: true, schema: SCHEMA } },
  };
}

export function parseJudgement(text: string): { relation: JudgeChoice; reasoning: string } | undefined {
  try {
    const v = JSON.parse(text) as { relation?: string; reasoning?: string };
    if (JUDGE_CHOICES.includes(v.relation as JudgeChoice)) return { relation: v.relation as JudgeChoice, reasoning: String(v.reasoning ?? '') };
  } catch {
    /* not JSON */
  }
  return undefined;
}

const STATUS: Record<JudgeChoice, Check['status']> = { same: 'pass', superset: 'pass', 'differs immaterially': 'pass', subset: 'warn', disagrees: 'fail' };

export function judgeCheck(a: JudgeChoice | undefined, b: JudgeChoice | undefined, reasoning: string): Check {
  if (!a || !b) return { name: 'judge', status: 'warn', reason: 'the judge gave no valid verdict' };
  if (a !== b) return { name: 'judge', status: 'warn', reason: `judge inconsistent across positions ("${a}" vs "${b}"): review by hand` };
  return { name: 'judge', status: STATUS[a], reason: `judge: candidate ${a === 'same' ? 'is the same as' : a === 'disagrees' ? 'disagrees with' : `is ${a} vs`} the baseline — ${reasoning.slice(0, 200)}` };
}

/** `cacheId`: the stable identity of the judge endpoint in cache keys (never an ephemeral port). */
export function createJudge(opts: { baseURL: string; apiKey: string; model: string; cache: ResponseCache; provider: string; cacheId?: string }) {
  const client = createClient({ apiKey: opts.apiKey, baseURL: opts.baseURL });
  async function ask(body: ChatCompletionCreateParams, signal: AbortSignal): Promise<string> {
    const target = { provider: opts.provider, baseURL: opts.cacheId ?? opts.baseURL, model: opts.model };
    // In --replay a miss throws CacheMissError: rethrown below, the runner counts it like any other miss (exit 2).
    const cached = opts.cache.get<string>(body, target);
    if (cached !== undefined) return cached;
    const r = await client.chat.completions.create({ ...body, stream: false }, { signal });
    const text = r.choices[0]?.message?.content ?? '';
    opts.cache.set(body, target, text);
    return text;
  }
  return async (ctx: { fixture: Fixture; kind: CompareKind; baseline?: SideResult; candidate: SideResult; signal: AbortSignal }): Promise<Check[]> => {
    if (ctx.kind !== 'text' || !ctx.baseline?.ok) return [];
    const ref = contentOf(ctx.baseline);
    const cand = contentOf(ctx.candidate);
    try {
      const [x, y] = await Promise.all([
        ask(judgeRequest(opts.model, ctx.fixture, ref, cand, true), ctx.signal),
        ask(judgeRequest(opts.model, ctx.fixture, ref, cand, false), ctx.signal),
      ]);
      const a = parseJudgement(x);
      const b = parseJudgement(y);
      return [judgeCheck(a?.relation, b?.relation, a?.reasoning ?? '')];
    } catch (err) {
      if (err instanceof CacheMissError) throw err;
      return [{ name: 'judge', status: 'warn', reason: `judge call failed: ${(err as Error).message}` }];
    }
  };
}

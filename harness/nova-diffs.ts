/**
 * What Nova (through the proxy) ignores, rewrites or emulates in a request, found before
 * running (static) and from the proxy's own report (`x-nova-ignored-params`,
 * `x-nova-adjusted-params` response headers). A difference caused by an ignored parameter
 * is not counted as a model-parity failure; rewritten/emulated ones are named in the reason.
 */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { NovaModel } from '../proxy/models.js';
import type { Check, NovaDiff } from './types.js';

/** Check-name prefixes each parameter can plausibly explain. */
const AFFECTS: Record<string, string[]> = {
  seed: ['consistency'],
  n: ['choices'],
  presence_penalty: ['text', 'length'],
  frequency_penalty: ['text', 'length'],
  logprobs: ['logprobs', 'candidate.error'],
  top_logprobs: ['logprobs', 'candidate.error'],
  logit_bias: ['classification', 'text', 'length'],
  response_format: ['json', 'finish_reason', 'expect.is-json', 'expect.json-schema'],
  temperature: ['text', 'length', 'consistency'],
  top_p: ['text', 'length'],
  parallel_tool_calls: ['tools'],
  tool_choice: ['tools', 'finish_reason'],
  stop: ['text', 'length', 'expect'],
  reasoning_effort: ['text', 'length', 'latency'],
  user: [],
  store: [],
  metadata: [],
  service_tier: ['latency'],
  prediction: ['latency'],
  modalities: ['candidate.error'],
  audio: ['candidate.error'],
  web_search_options: ['text', 'candidate.error'],
  max_tokens: ['finish_reason', 'length'],
  max_completion_tokens: ['finish_reason', 'length'],
};

/**
 * The only failures an ignored parameter downgrades to a warning: the check family the
 * parameter directly shapes. Anything else it may touch is annotated but keeps its status;
 * fixture expectations (`expect.*`) are the app's own requirements and are never downgraded.
 */
export const IGNORED_DOWNGRADES: Record<string, string[]> = {
  seed: ['text.similarity'],
  presence_penalty: ['text.similarity', 'length.ratio'],
  frequency_penalty: ['text.similarity', 'length.ratio'],
  logit_bias: ['classification.match'],
};

export function staticDiffs(body: ChatCompletionCreateParams, model?: NovaModel): NovaDiff[] {
  const b = body as unknown as Record<string, unknown>;
  const out: NovaDiff[] = [];
  const add = (param: string, effect: NovaDiff['effect'], note: string) =>
    out.push({ param, effect, note, affects: effect === 'rejected' ? ['candidate.error'] : (AFFECTS[param] ?? []), source: 'static' });
  const set = (k: string) => b[k] !== undefined && b[k] !== null;

  // Rejected with 400 by the proxy (mirrors proxy/translate/request-params.ts).
  if (typeof b.n === 'number' && b.n > 1) add('n', 'rejected', `n=${b.n}: Nova returns one choice per request; the proxy rejects n > 1 (send separate requests).`);
  if (b.logprobs === true) add('logprobs', 'rejected', 'Nova returns no log probabilities; the proxy rejects logprobs: true.');
  if (typeof b.top_logprobs === 'number' && b.top_logprobs > 0) add('top_logprobs', 'rejected', 'Nova returns no log probabilities; the proxy rejects top_logprobs.');
  if (set('audio') || (Array.isArray(b.modalities) && b.modalities.includes('audio'))) add(set('audio') ? 'audio' : 'modalities', 'rejected', 'audio output is not available from Nova through Converse.');
  for (const p of ['prediction', 'web_search_options', 'moderation']) if (set(p)) add(p, 'rejected', `${p} is not supported for Nova; the proxy rejects it.`);

  // Accepted and ignored (reported by the proxy in x-nova-ignored-params).
  if (set('seed')) add('seed', 'ignored', 'Nova has no seed: repeated runs are not reproducible the way OpenAI seeds make them.');
  for (const p of ['presence_penalty', 'frequency_penalty'] as const) {
    if (typeof b[p] === 'number' && b[p] !== 0) add(p, 'ignored', `${p} has no Nova equivalent.`);
  }
  if (b.logit_bias && Object.keys(b.logit_bias as object).length) add('logit_bias', 'ignored', 'logit_bias has no Nova equivalent (token IDs differ).');
  if (typeof b.user === 'string' && b.user) add('user', 'ignored', 'user is not sent to Nova.');
  if (b.metadata && Object.keys(b.metadata as object).length) add('metadata', 'ignored', 'metadata (stored completions) is not sent to Nova.');
  if (b.store === true) add('store', 'ignored', 'stored completions do not exist on Bedrock.');
  if (typeof b.service_tier === 'string' && !['auto', 'default'].includes(b.service_tier)) add('service_tier', 'ignored', `service_tier "${b.service_tier}" has no Bedrock equivalent here.`);
  for (const p of ['safety_identifier', 'prompt_cache_key', 'prompt_cache_retention', 'verbosity']) if (set(p)) add(p, 'ignored', `${p} is not sent to Nova.`);

  // Rewritten or emulated.
  const rf = b.response_format as { type?: string } | undefined;
  if (rf?.type === 'json_schema' || rf?.type === 'json_object') {
    const how = model?.structuredOutput === 'native' ? 'Converse structured output' : 'a forced tool call';
    add('response_format', 'emulated', `response_format ${rf.type} is emulated with ${how}; strict schema adherence is not guaranteed the way OpenAI's strict mode is.`);
  }
  if (typeof b.temperature === 'number' && b.temperature > 1) add('temperature', 'rewritten', `temperature ${b.temperature} is outside Nova's 0-1 range and is clamped to 1.`);
  const limit = (b.max_completion_tokens ?? b.max_tokens) as number | undefined;
  if (model && typeof limit === 'number' && limit > model.maxOutputTokens) {
    add(b.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens', 'rewritten', `${limit} exceeds ${model.id}'s ${model.maxOutputTokens}-token output limit and is clamped.`);
  }
  if (b.parallel_tool_calls === false) add('parallel_tool_calls', 'rewritten', 'parallel_tool_calls=false: the proxy returns only the first tool call Nova makes.');
  if (b.tool_choice === 'none' && Array.isArray(b.tools)) add('tool_choice', 'rewritten', 'tool_choice "none" is served by withholding the tools from Nova.');
  if (b.reasoning_effort !== undefined && model && !model.reasoning) add('reasoning_effort', 'ignored', `${model.id} has no reasoning mode.`);
  return out;
}

function splitList(v: string | undefined): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Diffs the proxy reported for one call; entries may be `param` or `param=detail`. */
export function headerDiffs(headers: Record<string, string>): NovaDiff[] {
  const out: NovaDiff[] = [];
  for (const [header, effect] of [
    ['x-nova-ignored-params', 'ignored'],
    ['x-nova-adjusted-params', 'rewritten'],
  ] as const) {
    for (const item of splitList(headers[header])) {
      const [param = item, detail] = item.split(/[=:]/, 2);
      out.push({
        param,
        effect,
        note: `the proxy reported ${param} as ${effect}${detail ? ` (${detail})` : ''}.`,
        affects: AFFECTS[param] ?? [],
        source: 'proxy-header',
      });
    }
  }
  return out;
}

/** Static and reported diffs, one per param (the proxy's word wins). */
export function mergeDiffs(...lists: NovaDiff[][]): NovaDiff[] {
  const byParam = new Map<string, NovaDiff>();
  for (const list of lists) {
    for (const d of list) {
      const prev = byParam.get(d.param);
      if (!prev || (d.source === 'proxy-header' && prev.source === 'static' && prev.effect === d.effect)) byParam.set(d.param, prev ? { ...prev, source: 'proxy-header' } : d);
      else if (prev.effect !== d.effect && d.source === 'proxy-header') byParam.set(d.param, { ...d, note: `${prev.note} ${d.note}` });
    }
  }
  return [...byParam.values()];
}

/**
 * Marks checks a diff can explain. Failures of the check family an ignored parameter directly
 * shapes (IGNORED_DOWNGRADES) become warnings (not a model-parity failure); every other
 * explained check keeps its status and says why.
 */
export function explainChecks(checks: Check[], diffs: NovaDiff[]): Check[] {
  return checks.map((c) => {
    if (c.status === 'pass') return c;
    const d = diffs.find((x) => x.affects.some((a) => c.name.startsWith(a)));
    if (!d) return c;
    if (d.effect === 'rejected') return { ...c, explainedBy: d.param, reason: `${c.reason} — the proxy rejects \`${d.param}\` for Nova: change the request (${d.note})` };
    if (d.effect === 'ignored') {
      const downgrade = !c.name.startsWith('expect.') && (IGNORED_DOWNGRADES[d.param] ?? []).some((a) => c.name.startsWith(a));
      if (!downgrade) return { ...c, explainedBy: d.param, reason: `${c.reason} — possibly related to Nova ignoring \`${d.param}\` (still counted)` };
      return {
        ...c,
        status: 'warn',
        explainedBy: d.param,
        reason: `${c.reason} — explained by Nova ignoring \`${d.param}\`; not counted as a model-parity failure`,
      };
    }
    return { ...c, explainedBy: d.param, reason: `${c.reason} — possibly caused by \`${d.param}\` being ${d.effect} for Nova` };
  });
}

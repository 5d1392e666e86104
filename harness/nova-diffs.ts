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
};

export function staticDiffs(body: ChatCompletionCreateParams, model?: NovaModel): NovaDiff[] {
  const b = body as unknown as Record<string, unknown>;
  const out: NovaDiff[] = [];
  const add = (param: string, effect: NovaDiff['effect'], note: string) =>
    out.push({ param, effect, note, affects: AFFECTS[param] ?? [], source: 'static' });

  if (b.seed !== undefined) add('seed', 'ignored', 'Nova has no seed: repeated runs are not reproducible the way OpenAI seeds make them.');
  if (typeof b.n === 'number' && b.n > 1) add('n', 'ignored', `n=${b.n}: Nova returns a single choice.`);
  for (const p of ['presence_penalty', 'frequency_penalty'] as const) {
    if (typeof b[p] === 'number' && b[p] !== 0) add(p, 'ignored', `${p} has no Nova equivalent.`);
  }
  if (b.logprobs === true || b.top_logprobs !== undefined) add(b.logprobs === true ? 'logprobs' : 'top_logprobs', 'ignored', 'Nova returns no log probabilities.');
  if (b.logit_bias && Object.keys(b.logit_bias as object).length) add('logit_bias', 'ignored', 'logit_bias has no Nova equivalent (token IDs differ).');
  const rf = b.response_format as { type?: string } | undefined;
  if (rf?.type === 'json_schema' || rf?.type === 'json_object') {
    const how = model?.structuredOutput === 'native' ? 'Converse structured output' : 'a forced tool call';
    add('response_format', 'emulated', `response_format ${rf.type} is emulated with ${how}; strict schema adherence is not guaranteed the way OpenAI's strict mode is.`);
  }
  if (typeof b.temperature === 'number' && b.temperature > 1) {
    add('temperature', 'rewritten', `temperature ${b.temperature} is outside Nova's 0-1 range and is clamped to 1.`);
  }
  if (b.parallel_tool_calls === false) add('parallel_tool_calls', 'rewritten', 'parallel_tool_calls=false: the proxy returns only the first tool call Nova makes.');
  if (b.tool_choice === 'none' && Array.isArray(b.tools)) add('tool_choice', 'rewritten', 'tool_choice "none" is served by withholding the tools from Nova.');
  if (Array.isArray(b.stop) && b.stop.length > 4) add('stop', 'rewritten', 'more than 4 stop sequences.');
  if (b.reasoning_effort !== undefined && !model?.reasoning) add('reasoning_effort', 'ignored', 'this Nova model has no reasoning mode.');
  for (const p of ['user', 'store', 'service_tier', 'prediction', 'modalities', 'audio', 'web_search_options'] as const) {
    if (b[p] !== undefined && b[p] !== null && b[p] !== false) add(p, 'ignored', `${p} is not supported by Nova and is ignored.`);
  }
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
 * Marks checks a diff can explain. Failures explained by an ignored parameter become
 * warnings (not a model-parity failure); rewritten/emulated ones keep their status and say why.
 */
export function explainChecks(checks: Check[], diffs: NovaDiff[]): Check[] {
  return checks.map((c) => {
    if (c.status === 'pass') return c;
    const d = diffs.find((x) => x.affects.some((a) => c.name === a || c.name.startsWith(`${a}.`) || c.name.startsWith(a)));
    if (!d) return c;
    if (d.effect === 'ignored') {
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

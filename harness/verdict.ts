/**
 * Per-prompt outcome (pass / warn / fail with reasons, likely cause and fix) and the
 * run's gate and verdict: ship / ship with caveats / do not ship.
 */
import type { Advice, Check, PromptResult, RunSample, Status } from './types.js';

const RANK: Record<Status, number> = { pass: 0, warn: 1, fail: 2 };

export function worst(statuses: Status[]): Status {
  return statuses.reduce<Status>((w, s) => (RANK[s] > RANK[w] ? s : w), 'pass');
}

export function sampleStatus(checks: Check[]): Status {
  return worst(checks.map((c) => c.status));
}

/** Combines repeats: the majority status wins, and a flaky prompt is at least a warning. */
export function combineSamples(samples: RunSample[]): { status: Status; consistency: number; flaky: boolean } {
  if (samples.length === 0) return { status: 'fail', consistency: 0, flaky: false };
  const counts = new Map<Status, number>();
  for (const s of samples) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  let majority: Status = 'pass';
  let best = -1;
  for (const [s, n] of counts) if (n > best || (n === best && RANK[s] > RANK[majority])) [majority, best] = [s, n];
  const consistency = best / samples.length;
  const flaky = counts.size > 1;
  return { status: flaky && majority === 'pass' ? 'warn' : majority, consistency, flaky };
}

const ADVICE: Array<{ match: (c: Check) => boolean; advice: (c: Check) => Advice }> = [
  {
    match: (c) => c.name === 'candidate.error' && /credential|security token|signature|UnrecognizedClient|AccessDenied|not authorized/i.test(c.reason),
    advice: () => ({ cause: 'AWS credentials are missing or lack bedrock:InvokeModel', fix: 'set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and AWS_REGION, and enable the Nova models in the Bedrock console' }),
  },
  {
    match: (c) => c.name === 'candidate.error' && /HTTP 400/.test(c.reason),
    advice: () => ({ cause: 'the proxy rejected a request parameter Nova cannot honour', fix: 'remove or change the parameter named in the error (see docs: unsupported parameters)' }),
  },
  {
    match: (c) => c.name === 'candidate.error' && /HTTP (429|5\d\d)|timed out|timeout/i.test(c.reason),
    advice: () => ({ cause: 'throttling, a service error or a timeout on the candidate', fix: 'lower --concurrency, raise --timeout-ms, or request a Bedrock quota increase; rerun' }),
  },
  {
    match: (c) => c.name === 'candidate.error',
    advice: () => ({ cause: 'the candidate call failed', fix: 'read the error message; rerun with --concurrency 1 to isolate it' }),
  },
  {
    match: (c) => c.name.startsWith('tools.') || c.name === 'expect.tool-call',
    advice: () => ({
      cause: 'Nova chose a different tool, skipped the call, or produced arguments outside the schema',
      fix: 'use greedy decoding for Nova tool calls (temperature 0 and top_k 1), simplify the tool schema (flat objects, required fields, enums instead of free text, no anyOf), and say in the system prompt when each tool must be called',
    }),
  },
  {
    match: (c) => c.name === 'json.valid' || c.name === 'expect.is-json',
    advice: () => ({ cause: 'Nova wrapped or broke the JSON output', fix: 'request response_format json_schema (the proxy forces a tool call), and say "answer with the JSON object only, no code fence"' }),
  },
  {
    match: (c) => c.name === 'json.schema' || c.name === 'expect.json-schema',
    advice: () => ({ cause: 'the JSON does not satisfy the schema', fix: 'simplify the schema (flatten nesting, mark fields required, use enums, avoid anyOf/oneOf and pattern) and use temperature 0' }),
  },
  {
    match: (c) => c.name === 'json.values' || c.name === 'json.keys',
    advice: () => ({ cause: 'the extracted values or keys differ from the baseline', fix: 'define each field in the prompt (format, units, what to do when absent) and add one worked example' }),
  },
  {
    match: (c) => c.name === 'classification.match' || c.name === 'expect.equals',
    advice: () => ({ cause: 'a different label or short answer', fix: 'list the allowed labels in the system prompt, ask for the label only, add few-shot examples, use temperature 0' }),
  },
  {
    match: (c) => c.name === 'refusal',
    advice: () => ({ cause: 'Nova refused a request the baseline answered', fix: 'state the legitimate purpose and context in the system prompt; check Bedrock guardrails' }),
  },
  {
    match: (c) => c.name === 'finish_reason',
    advice: (c) =>
      /token limit/.test(c.reason)
        ? { cause: 'the answer was cut at max_tokens', fix: 'raise max_tokens / max_completion_tokens: Nova tokenises differently and may need more' }
        : { cause: 'the generation ended differently', fix: 'check stop sequences and max_tokens' },
  },
  {
    match: (c) => c.name === 'text.similarity' || c.name === 'expect.similar' || c.name === 'length.ratio',
    advice: () => ({ cause: 'the free-text answer reads differently', fix: 'review the side-by-side output; enable --judge for a semantic check; constrain length and format in the prompt' }),
  },
  {
    match: (c) => c.name === 'expect.max-latency-ms',
    advice: () => ({ cause: 'the candidate is slower than the expectation allows', fix: 'try a smaller Nova model (Lite/Micro), stream the response, or lower max_tokens' }),
  },
  {
    match: (c) => c.name === 'expect.max-cost',
    advice: () => ({ cause: 'the candidate costs more than the expectation allows', fix: 'try a smaller Nova model or shorten the prompt' }),
  },
  {
    match: (c) => c.name.startsWith('expect.'),
    advice: () => ({ cause: 'the candidate misses a fixture expectation', fix: 'make the requirement explicit in the prompt' }),
  },
];

export function adviceFor(checks: Check[]): Advice[] {
  const out: Advice[] = [];
  const seen = new Set<string>();
  for (const c of checks) {
    if (c.status === 'pass' || (c.explainedBy && c.status !== 'fail')) continue;
    const rule = ADVICE.find((r) => r.match(c));
    if (!rule) continue;
    const a = rule.advice(c);
    if (!seen.has(a.cause)) {
      seen.add(a.cause);
      out.push(a);
    }
  }
  return out;
}

export interface GateOptions {
  /** Share of prompts that must not fail (pass, or warn unless `failOn: 'warn'`), 0-1. */
  minPassRate: number;
  maxCostRatio?: number;
  maxP95LatencyRatio?: number;
  /** `warn`: a prompt that only passes with warnings counts as failing (`--strict`). */
  failOn?: 'fail' | 'warn';
  /** Latency must be measured live on both sides; a run without it fails the gate. */
  requireLatency?: boolean;
}

export const DEFAULT_GATE: GateOptions = { minPassRate: 0.9 };

export type GateState = 'passed' | 'failed' | 'not-measured';

export interface GateResult {
  passed: boolean;
  reasons: string[];
  /** Gates that could not be evaluated (latency without live measurements): never counted as passed. */
  notMeasured: string[];
  checks: Array<{ name: string; value?: number; limit?: number; passed: boolean; state: GateState; note?: string }>;
}

export function evaluateGate(
  g: GateOptions,
  m: { passRate: number; costRatio?: number; p95LatencyRatio?: number; latencyPairs: number; promptsRun: number; notCompared?: number; warnOnly?: number },
): GateResult {
  const checks: GateResult['checks'] = [];
  const nc = m.notCompared ?? 0;
  const strict = g.failOn === 'warn';
  const notes = [
    nc ? `${nc} of ${m.promptsRun} prompt(s) not compared (baseline error or no recording) count as not passing` : '',
    strict && m.warnOnly ? `${m.warnOnly} prompt(s) with warnings count as failing (--strict)` : '',
  ].filter(Boolean);
  const passOk = m.promptsRun > 0 && m.passRate >= g.minPassRate;
  checks.push({ name: strict ? 'strict pass rate' : 'pass rate', value: m.passRate, limit: g.minPassRate, passed: passOk, state: passOk ? 'passed' : 'failed', ...(notes.length ? { note: notes.join('; ') } : {}) });
  if (g.maxCostRatio !== undefined) {
    checks.push(
      m.costRatio === undefined
        ? { name: 'cost ratio', limit: g.maxCostRatio, passed: false, state: 'failed', note: 'no cost could be computed (missing usage or prices)' }
        : { name: 'cost ratio', value: m.costRatio, limit: g.maxCostRatio, passed: m.costRatio <= g.maxCostRatio, state: m.costRatio <= g.maxCostRatio ? 'passed' : 'failed' },
    );
  }
  if (g.maxP95LatencyRatio !== undefined || g.requireLatency) {
    const name = g.maxP95LatencyRatio !== undefined ? 'p95 latency ratio' : 'latency measured';
    if (m.latencyPairs === 0 || (g.maxP95LatencyRatio !== undefined && m.p95LatencyRatio === undefined)) {
      // Never vacuous: without live latencies on both sides the gate is "not measured", not passed.
      const note = 'not measured: no call was timed live on both sides (recorded baseline or candidate, or answers from the cache)';
      checks.push({ name, ...(g.maxP95LatencyRatio !== undefined ? { limit: g.maxP95LatencyRatio } : {}), passed: false, state: g.requireLatency ? 'failed' : 'not-measured', note: g.requireLatency ? `${note}; --require-latency` : note });
    } else if (g.maxP95LatencyRatio !== undefined && m.p95LatencyRatio !== undefined) {
      const ok = m.p95LatencyRatio <= g.maxP95LatencyRatio;
      checks.push({ name, value: m.p95LatencyRatio, limit: g.maxP95LatencyRatio, passed: ok, state: ok ? 'passed' : 'failed', note: `over ${m.latencyPairs} call(s) timed live on both sides` });
    } else {
      checks.push({ name, value: m.latencyPairs, passed: true, state: 'passed', note: `${m.latencyPairs} call(s) timed live on both sides` });
    }
  }
  const reasons = checks
    .filter((c) => c.state === 'failed')
    .map((c) => (c.value === undefined ? `${c.name}: ${c.note ?? 'unknown'}` : `${c.name} ${fmt(c.value)} vs limit ${fmt(c.limit)}${c.note ? ` (${c.note})` : ''}`));
  if (m.promptsRun === 0) reasons.unshift('no prompt completed');
  return { passed: reasons.length === 0, reasons, notMeasured: checks.filter((c) => c.state === 'not-measured').map((c) => `${c.name}: ${c.note}`), checks };
}

function fmt(v: number | undefined): string {
  return v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(3);
}

export type Decision = 'ship' | 'ship-with-caveats' | 'do-not-ship';

export interface Verdict {
  decision: Decision;
  headline: string;
  caveats: Array<{ id: string; status: Status; why: string }>;
}

export function decide(gate: GateResult, prompts: PromptResult[]): Verdict {
  const notPass = prompts.filter((p) => p.status !== 'pass');
  const caveats = notPass.map((p) => ({ id: p.id, status: p.status, why: p.reasons[0] ?? p.status }));
  if (!gate.passed) return { decision: 'do-not-ship', headline: `the gate failed: ${gate.reasons.join('; ')}`, caveats };
  const unmeasured = gate.notMeasured.length ? `; not measured: ${gate.notMeasured.map((n) => n.split(':')[0]).join(', ')}` : '';
  if (notPass.length) {
    const f = notPass.filter((p) => p.status === 'fail').length;
    const w = notPass.length - f;
    return { decision: 'ship-with-caveats', headline: `${f} failing prompt(s) and ${w} passed only with warnings, to review${unmeasured}`, caveats };
  }
  if (unmeasured) return { decision: 'ship-with-caveats', headline: `every prompt passed${unmeasured}`, caveats };
  return { decision: 'ship', headline: 'every prompt passed', caveats };
}

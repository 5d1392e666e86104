/**
 * The report every output format renders: run metadata, per-prompt results, latency and
 * cost per side, the gate and the verdict.
 */
import type { PromptResult, SideResult, Status } from './types.js';
import { distribution, ratio, type Distribution } from './stats.js';
import { monthlyProjection } from './cost.js';
import { decide, evaluateGate, type GateOptions, type GateResult, type Verdict } from './verdict.js';
import type { RunOutcome } from './run/runner.js';

export interface SideSummary {
  label: string;
  /** Measured live in this run; cached/recorded latencies are excluded (and counted in `recordedLatency`). */
  ttft: Distribution;
  total: Distribution;
  recordedLatency: number;
  costUsd: number;
  /** Calls with a computed cost. */
  pricedCalls: number;
  unpricedModels: string[];
  meanCostUsd?: number;
  monthlyUsd?: number;
  inputTokens: number;
  outputTokens: number;
  errors: number;
  cacheHits: number;
}

export interface RunReport {
  tool: 'nova-migrate parity';
  version: 1;
  mock: boolean;
  startedAt: string;
  finishedAt: string;
  fixtures: string;
  baselineMode: 'live' | 'recorded';
  cacheMode: string;
  repeat: number;
  prices: { asOf: string; source: string };
  monthlyRequests?: number;
  /** The optional LLM judge, with its full prompt so reviewers can audit it. */
  judge?: { provider: string; model: string; temperature: 0; systemPrompt: string; choices: readonly string[]; positionSwap: true };
  interrupted: boolean;
  notRun: string[];
  /** `notCompared`: prompts with no baseline answer to compare with (baseline error or no recording); never counted as passing. */
  counts: Record<Status, number> & { total: number; notCompared: number };
  /** Compared prompts that pass or warn / prompts run: what the gate checks. Not-compared prompts are in the denominator only. */
  passRate: number;
  /** Compared prompts that pass / prompts run. */
  strictPassRate: number;
  baseline: SideSummary;
  candidate: SideSummary;
  /** Latency ratios (and the latency gate) use only calls measured live on both sides, so both distributions cover the same prompts. */
  ratios: { ttftP50?: number; ttftP95?: number; totalP50?: number; totalP95?: number; cost?: number };
  /** Calls measured live on both sides: the latency ratios are computed over these only. */
  latencyPairs: number;
  /** Calls priced on both sides: the cost ratio is computed over these only. */
  costPairs: number;
  calls: number;
  latencyMeasured: boolean;
  gate: GateResult & { options: GateOptions };
  verdict: Verdict;
  prompts: PromptResult[];
}

function summariseSide(label: string, sides: SideResult[], monthlyRequests?: number): SideSummary {
  const live = sides.filter((s) => s.ok && !s.latencyRecorded && s.totalMs !== undefined);
  const priced = sides.filter((s) => s.costUsd !== undefined);
  const costUsd = priced.reduce((a, s) => a + s.costUsd!, 0);
  const meanCostUsd = priced.length ? costUsd / priced.length : undefined;
  return {
    label,
    ttft: distribution(live.filter((s) => s.ttftMs !== undefined).map((s) => s.ttftMs!)),
    total: distribution(live.map((s) => s.totalMs!)),
    recordedLatency: sides.filter((s) => s.ok && s.latencyRecorded).length,
    costUsd,
    pricedCalls: priced.length,
    unpricedModels: [...new Set(sides.filter((s) => s.ok && s.costUsd === undefined && s.pricedModel).map((s) => s.pricedModel!))],
    ...(meanCostUsd !== undefined ? { meanCostUsd } : {}),
    ...(monthlyProjection(meanCostUsd, monthlyRequests) !== undefined ? { monthlyUsd: monthlyProjection(meanCostUsd, monthlyRequests)! } : {}),
    inputTokens: sides.reduce((a, s) => a + (s.usage?.inputTokens ?? 0), 0),
    outputTokens: sides.reduce((a, s) => a + (s.usage?.outputTokens ?? 0), 0),
    errors: sides.filter((s) => !s.ok && s.error?.code !== 'no_baseline').length,
    cacheHits: sides.filter((s) => s.fromCache).length,
  };
}

export function buildReport(
  outcome: RunOutcome,
  meta: {
    mock: boolean;
    fixtures: string;
    baselineLabel: string;
    candidateLabel: string;
    baselineMode: 'live' | 'recorded';
    cacheMode: string;
    repeat: number;
    prices: { asOf: string; source: string };
    monthlyRequests?: number;
    gate: GateOptions;
    judge?: RunReport['judge'];
  },
): RunReport {
  const prompts = outcome.prompts;
  const counts = { pass: 0, warn: 0, fail: 0, total: prompts.length, notCompared: 0 };
  for (const p of prompts) counts[p.status]++;
  // A prompt whose baseline errored or was never recorded was not compared: it cannot count as passing.
  const compared = (p: PromptResult) => p.samples.every((s) => s.baseline.ok);
  counts.notCompared = prompts.filter((p) => !compared(p)).length;
  const samples = prompts.flatMap((p) => p.samples);
  const baseline = summariseSide(meta.baselineLabel, samples.map((s) => s.baseline), meta.monthlyRequests);
  const candidate = summariseSide(meta.candidateLabel, samples.map((s) => s.candidate), meta.monthlyRequests);
  // Cost ratio over prompts priced on both sides, so a missing price on one side does not skew it.
  const both = samples.filter((s) => s.baseline.costUsd !== undefined && s.candidate.costUsd !== undefined);
  const costRatio = both.length ? ratio(both.reduce((a, s) => a + s.candidate.costUsd!, 0), both.reduce((a, s) => a + s.baseline.costUsd!, 0)) : undefined;
  // Latency ratios (and the latency gate) compare the same prompts: only calls measured live on both sides.
  const measured = (x: SideResult) => x.ok && !x.latencyRecorded && x.totalMs !== undefined;
  const paired = samples.filter((s) => measured(s.baseline) && measured(s.candidate));
  const pairedTtft = paired.filter((s) => s.baseline.ttftMs !== undefined && s.candidate.ttftMs !== undefined);
  const pairedLatency = {
    n: paired.length,
    baselineTotal: distribution(paired.map((s) => s.baseline.totalMs!)),
    candidateTotal: distribution(paired.map((s) => s.candidate.totalMs!)),
    baselineTtft: distribution(pairedTtft.map((s) => s.baseline.ttftMs!)),
    candidateTtft: distribution(pairedTtft.map((s) => s.candidate.ttftMs!)),
  };
  const ratios = {
    ttftP50: ratio(pairedLatency.candidateTtft.p50, pairedLatency.baselineTtft.p50),
    ttftP95: ratio(pairedLatency.candidateTtft.p95, pairedLatency.baselineTtft.p95),
    totalP50: ratio(pairedLatency.candidateTotal.p50, pairedLatency.baselineTotal.p50),
    totalP95: ratio(pairedLatency.candidateTotal.p95, pairedLatency.baselineTotal.p95),
    cost: costRatio,
  };
  const latencyMeasured = baseline.total.n > 0 && candidate.total.n > 0;
  const passRate = prompts.length ? prompts.filter((p) => compared(p) && p.status !== 'fail').length / prompts.length : 0;
  const gate = evaluateGate(meta.gate, {
    passRate,
    ...(costRatio !== undefined ? { costRatio } : {}),
    ...(ratios.totalP95 !== undefined ? { p95LatencyRatio: ratios.totalP95 } : {}),
    latencyMeasured,
    promptsRun: prompts.length,
    notCompared: counts.notCompared,
  });
  let verdict = decide(gate, prompts);
  if (outcome.interrupted) {
    // A partial run cannot justify "ship" on its own.
    verdict = {
      decision: verdict.decision === 'ship' ? 'ship-with-caveats' : verdict.decision,
      headline: `incomplete run, ${outcome.notRun.length} prompt(s) not run — ${verdict.headline}`,
      caveats: [...verdict.caveats, ...outcome.notRun.map((id) => ({ id, status: 'warn' as const, why: 'not run (interrupted)' }))],
    };
  }
  return {
    tool: 'nova-migrate parity',
    version: 1,
    mock: meta.mock,
    startedAt: outcome.startedAt,
    finishedAt: outcome.finishedAt,
    fixtures: meta.fixtures,
    baselineMode: meta.baselineMode,
    cacheMode: meta.cacheMode,
    repeat: meta.repeat,
    prices: meta.prices,
    ...(meta.monthlyRequests ? { monthlyRequests: meta.monthlyRequests } : {}),
    ...(meta.judge ? { judge: meta.judge } : {}),
    interrupted: outcome.interrupted,
    notRun: outcome.notRun,
    counts,
    passRate,
    strictPassRate: prompts.length ? prompts.filter((p) => compared(p) && p.status === 'pass').length / prompts.length : 0,
    baseline,
    candidate,
    ratios: Object.fromEntries(Object.entries(ratios).filter(([, v]) => v !== undefined)),
    costPairs: both.length,
    latencyPairs: pairedLatency.n,
    calls: samples.length,
    latencyMeasured,
    gate: { ...gate, options: meta.gate },
    verdict,
    prompts,
  };
}

/** Prompts to show first: failures, then warnings, lowest scores first. */
export function worstPrompts(r: RunReport, n: number): PromptResult[] {
  const rank = { fail: 0, warn: 1, pass: 2 } as const;
  const minScore = (p: PromptResult) => Math.min(1, ...p.samples.flatMap((s) => s.checks.map((c) => c.score ?? 1)));
  return r.prompts
    .filter((p) => p.status !== 'pass')
    .sort((a, b) => rank[a.status] - rank[b.status] || minScore(a) - minScore(b))
    .slice(0, n);
}

/**
 * The report every output format renders: run metadata, per-prompt results, latency and
 * cost per side, the gate and the verdict.
 */
import type { PromptResult, SideResult, Status } from './types.js';
import { distribution, ratio, type Distribution } from './stats.js';
import { priceFor, type ModelPrice, type PriceTable } from '../proxy/pricing.js';
import { decide, evaluateGate, type GateOptions, type GateResult, type Verdict } from './verdict.js';
import type { RunOutcome } from './run/runner.js';
import type { JudgeStats } from './judge/index.js';

/** The monthly cost projection: prompts priced on both sides only, optionally weighted by traffic share. */
export interface CostProjection {
  monthlyRequests: number;
  /** Some prompt or fixture file set a `weight`. */
  weighted: boolean;
  /** Prompts in the projection, and those left out with why. */
  included: number;
  excluded: Array<{ id: string; why: string }>;
  /** Weighted mean cost per request on each side, over the included prompts. */
  perRequest: { baseline: number; candidate: number };
  monthlyUsd: { baseline: number; candidate: number };
}

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
  /** From the projection (prompts priced on both sides). */
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
  /** The price table's date and source, and every entry this run priced with (with its own source and date). */
  prices: { asOf: string; source: string; used: Record<string, ModelPrice> };
  monthlyRequests?: number;
  projection?: CostProjection;
  candidateMode: 'live' | 'recorded';
  /** The LLM judge, with its versioned prompt (for audit), its cost and latency. */
  judge?: { provider: string; model: string; version: string; temperature: 0; systemPrompt: string; choices: readonly string[]; positionSwap: true; stats: JudgeStats };
  interrupted: boolean;
  notRun: string[];
  /** `notCompared`: prompts with no baseline answer to compare with (baseline error or no recording); never counted as passing. `warn`: prompts that passed only with warnings. */
  counts: Record<Status, number> & { total: number; notCompared: number };
  /** What the gate checks: compared prompts that pass (or warn, unless `--strict`) / prompts run. Not-compared prompts are in the denominator only. */
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

function summariseSide(label: string, sides: SideResult[]): SideSummary {
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
    candidateMode?: 'live' | 'recorded';
    cacheMode: string;
    repeat: number;
    prices: { asOf: string; source: string; table?: PriceTable };
    monthlyRequests?: number;
    gate: GateOptions;
    /** Traffic share per prompt id (default 1). */
    weights?: Map<string, number>;
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
  const baseline = summariseSide(meta.baselineLabel, samples.map((s) => s.baseline));
  const candidate = summariseSide(meta.candidateLabel, samples.map((s) => s.candidate));
  const projection = meta.monthlyRequests ? projectCost(prompts, meta.monthlyRequests, meta.weights) : undefined;
  if (projection) {
    baseline.monthlyUsd = projection.monthlyUsd.baseline;
    candidate.monthlyUsd = projection.monthlyUsd.candidate;
  }
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
  const latencyMeasured = pairedLatency.n > 0;
  const strict = meta.gate.failOn === 'warn';
  const passRate = prompts.length ? prompts.filter((p) => compared(p) && (strict ? p.status === 'pass' : p.status !== 'fail')).length / prompts.length : 0;
  const gate = evaluateGate(meta.gate, {
    passRate,
    ...(costRatio !== undefined ? { costRatio } : {}),
    ...(ratios.totalP95 !== undefined ? { p95LatencyRatio: ratios.totalP95 } : {}),
    latencyPairs: pairedLatency.n,
    promptsRun: prompts.length,
    notCompared: counts.notCompared,
    warnOnly: counts.warn,
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
    prices: { asOf: meta.prices.asOf, source: meta.prices.source, used: pricesUsed(samples, meta.prices.table) },
    ...(meta.monthlyRequests ? { monthlyRequests: meta.monthlyRequests } : {}),
    ...(projection ? { projection } : {}),
    candidateMode: meta.candidateMode ?? 'live',
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

/** The price entries this run's calls were priced with, by the model ID as billed. */
function pricesUsed(samples: Array<{ baseline: SideResult; candidate: SideResult }>, table: PriceTable | undefined): Record<string, ModelPrice> {
  const out: Record<string, ModelPrice> = {};
  for (const s of samples) {
    for (const side of [s.baseline, s.candidate]) {
      const m = side.pricedModel;
      if (!m || out[m]) continue;
      const p = priceFor(m, table);
      if (p) out[m] = p;
    }
  }
  return out;
}

/** Why a side cannot be priced, or undefined when it has a cost. */
function unpricedWhy(side: SideResult, role: 'baseline' | 'candidate'): string | undefined {
  if (side.costUsd !== undefined) return undefined;
  if (!side.ok) {
    if (side.error?.code === 'no_baseline') return 'no recorded baseline';
    if (role === 'candidate' && side.error?.status === 400) return `Nova rejected the request (HTTP 400: ${side.error.message.slice(0, 80)})`;
    return `${role} call failed${side.error?.status ? ` (HTTP ${side.error.status})` : ''}`;
  }
  if (!side.usage) return `${role} reported no token usage`;
  return `no price for ${side.pricedModel ?? 'the model'} (${role}); add it with --prices`;
}

/** Monthly cost at `monthlyRequests`, over the prompts priced on both sides, each weighted by its traffic share. */
export function projectCost(prompts: PromptResult[], monthlyRequests: number, weights?: Map<string, number>): CostProjection {
  const excluded: CostProjection['excluded'] = [];
  let wSum = 0;
  let bSum = 0;
  let cSum = 0;
  let included = 0;
  for (const p of prompts) {
    const priced = p.samples.filter((s) => s.baseline.costUsd !== undefined && s.candidate.costUsd !== undefined);
    if (!priced.length) {
      const s = p.samples[0]!;
      excluded.push({ id: p.id, why: unpricedWhy(s.candidate, 'candidate') ?? unpricedWhy(s.baseline, 'baseline') ?? 'not priced' });
      continue;
    }
    const w = weights?.get(p.id) ?? 1;
    if (w === 0) {
      excluded.push({ id: p.id, why: 'weight 0' });
      continue;
    }
    included++;
    wSum += w;
    bSum += (w * priced.reduce((a, s) => a + s.baseline.costUsd!, 0)) / priced.length;
    cSum += (w * priced.reduce((a, s) => a + s.candidate.costUsd!, 0)) / priced.length;
  }
  const perRequest = { baseline: wSum ? bSum / wSum : 0, candidate: wSum ? cSum / wSum : 0 };
  return {
    monthlyRequests,
    weighted: [...(weights?.values() ?? [])].some((w) => w !== 1),
    included,
    excluded,
    perRequest,
    monthlyUsd: { baseline: perRequest.baseline * monthlyRequests, candidate: perRequest.candidate * monthlyRequests },
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

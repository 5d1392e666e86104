/** Number formatting shared by the reports. */
import type { PromptResult, Status } from '../types.js';
import { contentOf } from '../expectations.js';
import type { SideResult } from '../types.js';

export function ms(v: number | undefined): string {
  if (v === undefined) return '-';
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

export function usd(v: number | undefined): string {
  if (v === undefined) return '-';
  if (v === 0) return '$0';
  if (v < 0.01) return `$${v.toFixed(6)}`;
  return `$${v.toFixed(v < 1 ? 4 : 2)}`;
}

export function x(v: number | undefined): string {
  return v === undefined ? '-' : `${v.toFixed(2)}×`;
}

export function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

export const STATUS_LABEL: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

export const DECISION_LABEL = { ship: 'SHIP', 'ship-with-caveats': 'SHIP WITH CAVEATS', 'do-not-ship': 'DO NOT SHIP' } as const;

export const MOCK_BANNER = 'MOCK RUN: both sides answered by built-in synthetic models (no OpenAI, no AWS). These figures say nothing about real model parity.';

/** The text a side answered: content, or its tool calls rendered as `name(args)`. */
export function answerText(side: SideResult | undefined): string {
  if (!side) return '';
  if (!side.ok) return `[error] ${side.error?.message ?? ''}`;
  const calls = side.response?.choices?.[0]?.message?.tool_calls ?? [];
  const rendered = calls.map((c) => {
    const fn = (c as { function?: { name?: string; arguments?: string } }).function;
    return `${fn?.name ?? '?'}(${fn?.arguments ?? ''})`;
  });
  const text = contentOf(side);
  return [text, ...rendered].filter(Boolean).join('\n');
}

/** The last user message, as plain text, for listings. */
export function promptPreview(p: PromptResult, n = 120): string {
  const msgs = p.request.messages ?? [];
  const last = [...msgs].reverse().find((m) => m.role === 'user') ?? msgs[msgs.length - 1];
  const c = last?.content;
  const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((part) => ((part as { type: string }).type === 'text' ? (part as { text: string }).text : `[${(part as { type: string }).type}]`)).join(' ') : '';
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

export function clip(s: string, n: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

/** "15 of 40 runs" for a prompt an interrupted run left short of its repeats, "" otherwise. */
export function partialRuns(p: PromptResult): string {
  return p.partial ? `${p.runs} of ${p.plannedRuns} runs` : '';
}

/**
 * The consistency headline for `--repeat N`. Each prompt's consistency is measured over the
 * runs it actually completed, so after an interrupt the partially-run prompts are named
 * with their own count instead of being reported as "over N runs".
 */
export function consistencySummary(
  r: { repeat: number; prompts: PromptResult[] },
  style: { code?: (s: string) => string; strong?: (s: string) => string } = {},
): string {
  const code = style.code ?? ((s: string) => s);
  const strong = style.strong ?? ((s: string) => s);
  const partial = r.prompts.filter((p) => p.partial);
  const flaky = r.prompts.filter((p) => p.flaky);
  const over = partial.length
    ? `Consistency over the runs each prompt completed (${r.repeat} per prompt asked; ${partial.length} prompt(s) partially run: ${partial.map((p) => `${code(p.id)} over ${partialRuns(p)}`).join(', ')})`
    : `Consistency over ${r.repeat} runs per prompt`;
  const rest = flaky.length
    ? `${strong(`${flaky.length} flaky`)} prompt(s): ${flaky.map((p) => `${code(p.id)} (${pct(p.consistency)}${p.partial ? ` over ${partialRuns(p)}` : ''})`).join(', ')}`
    : partial.length
      ? 'every prompt gave the same outcome in each completed run'
      : 'every prompt gave the same outcome each run';
  return `${over}: ${rest}`;
}

/** "seed ignored ×2, response_format emulated ×3": what Nova changes across the run's requests. */
export function diffTally(prompts: PromptResult[]): string {
  const counts = new Map<string, number>();
  for (const p of prompts) for (const d of p.diffs) counts.set(`${d.param} ${d.effect}`, (counts.get(`${d.param} ${d.effect}`) ?? 0) + 1);
  return [...counts.entries()].map(([k, n]) => `${k} ×${n}`).join(', ');
}

/** "tools 4/4 · json 2/3 · …": prompts not failing per comparison kind. */
export function kindBreakdown(prompts: PromptResult[]): string {
  const by = new Map<string, { ok: number; n: number }>();
  for (const p of prompts) {
    const e = by.get(p.kind) ?? { ok: 0, n: 0 };
    e.n++;
    if (p.status !== 'fail') e.ok++;
    by.set(p.kind, e);
  }
  return [...by.entries()].map(([k, e]) => `${k} ${e.ok}/${e.n}`).join(' · ');
}

/** A side's latency cell: its live p50 / p95, or why there is none (never an empty "- / -"). */
export function latencyCell(side: { ttft?: { n: number; p50?: number; p95?: number }; total: { n: number; p50?: number; p95?: number }; recordedLatency: number }, metric: 'ttft' | 'total'): string {
  const d = metric === 'ttft' ? side.ttft : side.total;
  if (d && d.n > 0) return `${ms(d.p50)} / ${ms(d.p95)}`;
  return side.recordedLatency > 0 ? 'not measured (recorded)' : 'not measured';
}

/** Latency rows worth showing: a row appears when at least one side measured it live. */
export function latencyRows(r: { baseline: Parameters<typeof latencyCell>[0]; candidate: Parameters<typeof latencyCell>[0]; ratios: { ttftP50?: number; ttftP95?: number; totalP50?: number; totalP95?: number } }): Array<[string, string, string, string]> {
  const rows: Array<[string, string, string, string]> = [];
  // A ratio needs calls timed live on both sides.
  const ratio = (a?: number, b?: number) => (a === undefined && b === undefined ? 'not paired' : `${x(a)} / ${x(b)}`);
  if ((r.baseline.ttft?.n ?? 0) > 0 || (r.candidate.ttft?.n ?? 0) > 0) {
    rows.push(['TTFT p50 / p95', latencyCell(r.baseline, 'ttft'), latencyCell(r.candidate, 'ttft'), ratio(r.ratios.ttftP50, r.ratios.ttftP95)]);
  }
  if (r.baseline.total.n > 0 || r.candidate.total.n > 0) {
    rows.push(['total p50 / p95', latencyCell(r.baseline, 'total'), latencyCell(r.candidate, 'total'), ratio(r.ratios.totalP50, r.ratios.totalP95)]);
  }
  return rows;
}

/** "3 prompt(s) passed only with warnings (…)", or "". */
export function warnOnlyLine(r: { counts: { warn: number }; gate: { options: { failOn?: string } } }): string {
  if (!r.counts.warn) return '';
  return `${r.counts.warn} prompt(s) passed only with warnings${r.gate.options.failOn === 'warn' ? ' — they count as failing (--strict)' : ' (they count as passing; --strict makes them fail)'}`;
}

/** One line about the judge: which, how many prompts and calls, cost and latency. */
export function judgeLine(j: NonNullable<import('../summary.js').RunReport['judge']>): string {
  const s = j.stats;
  const lat = s.latency.n ? `, latency p50 ${ms(s.latency.p50)} / p95 ${ms(s.latency.p95)}` : '';
  const verdicts = Object.entries(s.verdicts).map(([k, n]) => `${k} ×${n}`).join(', ');
  return `Judge: ${j.provider} ${j.model} (${j.version}) — ${s.prompts} prompt(s) judged${verdicts ? ` (${verdicts})` : ''}, ${s.calls} call(s) live + ${s.cacheHits} cached, cost ${usd(s.costUsd)}${s.unpriced ? ` (${s.unpriced} call(s) unpriced)` : ''}${lat}${s.skipped ? `; ${s.skipped} not judged (no recorded verdict)` : ''}`;
}

/** How the monthly projection was made: which prompts, which were left out and why. */
export function projectionNote(p: NonNullable<import('../summary.js').RunReport['projection']>): string {
  const why = new Map<string, number>();
  for (const e of p.excluded) why.set(e.why.replace(/\(HTTP 400: .*\)/, '(HTTP 400)'), (why.get(e.why.replace(/\(HTTP 400: .*\)/, '(HTTP 400)')) ?? 0) + 1);
  const left = p.excluded.length ? `; ${p.excluded.length} left out: ${[...why.entries()].map(([w, n]) => `${n} × ${w}`).join('; ')}` : '';
  return `Monthly projection over the ${p.included} prompt(s) priced on both sides${p.weighted ? ', weighted by traffic share (weight)' : ''}${left}.`;
}

/** Prices used in this run that a reviewer should know about (retired models). */
export function priceNotes(r: { prices: { used: Record<string, { endOfLife?: string; note?: string }> } }): string[] {
  return Object.entries(r.prices.used)
    .filter(([, p]) => p.endOfLife)
    .map(([m, p]) => `${m}: ${p.note ?? `end of life ${p.endOfLife}`}`);
}

/** "pass rate 95.0% vs ≥ 90.0%", "p95 latency ratio not measured". */
export function gateText(g: import('../summary.js').RunReport['gate']['checks'][number]): string {
  const isRate = g.name.endsWith('pass rate');
  if (g.state === 'not-measured') return `${g.name} not measured`;
  const value = g.value === undefined ? '-' : isRate ? pct(g.value) : g.name === 'latency measured' ? `${g.value} pair(s)` : g.value.toFixed(2);
  return `${g.name} ${value}${g.limit !== undefined ? ` vs ${isRate ? '≥' : '≤'} ${isRate ? pct(g.limit) : g.limit}` : ''}${g.state === 'failed' && g.value === undefined ? ' FAILED' : ''}`;
}

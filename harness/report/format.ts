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

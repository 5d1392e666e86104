/**
 * `--markdown`: a PR comment / CI step summary. Summary first, then the worst prompts; it
 * stays under GitHub's 65,536-character comment limit at any fixture count (per-prompt
 * sections are shortened, then dropped, with "N more not shown").
 */
import type { RunReport } from '../summary.js';
import { worstPrompts } from '../summary.js';
import { wordDiff } from './diff.js';
import {
  DECISION_LABEL,
  MOCK_BANNER,
  STATUS_LABEL,
  answerText,
  clip,
  consistencySummary,
  gateText,
  judgeLine,
  kindBreakdown,
  latencyRows,
  partialRuns,
  pct,
  priceNotes,
  projectionNote,
  promptPreview,
  usd,
  warnOnlyLine,
  x,
} from './format.js';

/** GitHub rejects comments over 65,536 characters; leave room for a header the CI step may add. */
export const MARKDOWN_BUDGET = 60_000;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  return `\`${clip(s, 80).replace(/`/g, "'")}\``;
}

export function renderMarkdown(r: RunReport, opts: { worst?: number; budget?: number } = {}): string {
  const budget = opts.budget ?? MARKDOWN_BUDGET;
  const head = summarySection(r).join('\n');
  const tail = trailerSections(r).join('\n');
  // The prompts to review get what the summary and the trailing tables leave.
  const body = reviewSection(r, opts.worst ?? 10, budget - head.length - tail.length - 200).join('\n');
  const text = `${head}\n${body}\n${tail}\n`;
  return text.length <= budget ? text : `${text.slice(0, budget - 80)}\n\n_(report cut at ${budget} characters)_\n`;
}

function summarySection(r: RunReport): string[] {
  const out: string[] = [];
  const icon = { ship: '✅', 'ship-with-caveats': '⚠️', 'do-not-ship': '❌' }[r.verdict.decision];
  out.push(`## Nova parity: ${icon} ${DECISION_LABEL[r.verdict.decision]}${r.mock ? ' (MOCK RUN)' : ''}`, '');
  if (r.mock) out.push(`> **${MOCK_BANNER}**`, '');
  if (r.interrupted) out.push(`> Interrupted: ${r.notRun.length} prompt(s) not run.`, '');
  out.push(cell(clip(r.verdict.headline, 600)), '');
  out.push(`| prompts | pass | warn | fail | ${r.gate.options.failOn === 'warn' ? 'strict pass rate' : 'pass rate'} | strict parity | gate |`, '|---:|---:|---:|---:|---:|---:|:---|');
  out.push(`| ${r.counts.total} | ${r.counts.pass} | ${r.counts.warn} | ${r.counts.fail} | ${pct(r.passRate)} | ${pct(r.strictPassRate)} | ${r.gate.passed ? 'passed' : `**failed**: ${cell(clip(r.gate.reasons.join('; '), 400))}`} |`, '');
  const warnOnly = warnOnlyLine(r);
  if (warnOnly) out.push(`${warnOnly}.`, '');
  if (r.counts.notCompared) out.push(`> Not compared: ${r.counts.notCompared} prompt(s) had no baseline answer (baseline error or no recording); they do not count as passing.`, '');
  if (r.prompts.length) out.push(`Not failing, by comparison: ${kindBreakdown(r.prompts)}`, '');
  if (r.repeat > 1) out.push(`${clip(consistencySummary(r, { code: (id) => `\`${id}\``, strong: (t) => `**${t}**` }), 1500)}.`, '');
  out.push('| | baseline | candidate | ratio |', '|---|---|---|---:|');
  out.push(`| target | ${cell(r.baseline.label)} | ${cell(r.candidate.label)} | |`);
  for (const row of latencyRows(r)) out.push(`| ${row.map(cell).join(' | ')} |`);
  out.push(`| cost (run) | ${usd(r.baseline.costUsd)} | ${usd(r.candidate.costUsd)} | ${x(r.ratios.cost)} |`);
  if (r.monthlyRequests) out.push(`| monthly at ${r.monthlyRequests.toLocaleString('en-US')} requests | ${usd(r.baseline.monthlyUsd)} | ${usd(r.candidate.monthlyUsd)} | ${x(r.projection ? r.projection.perRequest.candidate / (r.projection.perRequest.baseline || Number.NaN) : r.ratios.cost)} |`);
  out.push('');
  if (!r.latencyMeasured) out.push('_Latency: not measured live on both sides (recorded or cached answers); latency gates are reported as not measured, never as passed._', '');
  out.push(`Gate: ${r.gate.checks.map(gateText).join('; ')}.`, '');
  if (r.projection) out.push(cell(clip(projectionNote(r.projection), 800)), '');
  out.push(`_Prices as of ${r.prices.asOf} (${r.prices.source}). Cache: ${r.cacheMode}._`, '');
  for (const n of priceNotes(r)) out.push(`_Price note: ${n}._`, '');
  if (r.judge) out.push(judgeLine(r.judge), '');
  return out;
}

/** The worst prompts, as many as `room` characters hold: half for the table, the rest for their word diffs. */
function reviewSection(r: RunReport, n: number, room: number): string[] {
  const out: string[] = [];
  const notPassing = r.counts.warn + r.counts.fail;
  if (!notPassing) return out;
  const worst = worstPrompts(r, n);
  let used = 0;
  const rows: string[] = [];
  for (const p of worst) {
    const a = p.advice[0];
    const row = `| ${STATUS_LABEL[p.status]} | ${code(p.id)} | ${p.kind}${p.partial ? ` (partial: ${partialRuns(p)})` : ''} | ${cell(clip(p.reasons[0] ?? '', 200))} | ${a ? cell(clip(`${a.cause} → ${a.fix}`, 200)) : ''} |`;
    if (used + row.length > room / 2) break;
    rows.push(row);
    used += row.length + 1;
  }
  out.push('### Prompts to review', '');
  if (rows.length) out.push('| | prompt | kind | reason | likely cause → fix |', '|---|---|---|---|---|', ...rows, '');
  if (notPassing > rows.length) out.push(`_${notPassing - rows.length} more not shown (see the JSON or HTML report)._`, '');
  const blocks: string[] = [];
  for (const p of worst.slice(0, rows.length)) {
    const s = p.samples[0]!;
    const block = [
      `#### ${STATUS_LABEL[p.status]} ${code(p.id)} (${cell(clip(`${p.file}:${p.line}`, 80))})`,
      '',
      `> ${cell(promptPreview(p, 300))}`,
      '',
      '```text',
      wordDiff(answerText(s.baseline), answerText(s.candidate), false, 800).replace(/```/g, "'''"),
      '```',
      '',
    ].join('\n');
    if (used + block.length > room - 100) break;
    blocks.push(block);
    used += block.length + 1;
  }
  if (blocks.length) out.push('<details><summary>Side by side (word diff: [-baseline-]{+candidate+})</summary>', '', ...blocks, '</details>', '');
  return out;
}

function trailerSections(r: RunReport): string[] {
  const out: string[] = [];
  // One row per parameter and effect, not per prompt: bounded whatever the fixture count.
  const byParam = new Map<string, { param: string; effect: string; note: string; ids: string[] }>();
  for (const p of r.prompts) {
    for (const d of p.diffs) {
      const k = `${d.param} ${d.effect}`;
      const e = byParam.get(k) ?? { param: d.param, effect: d.effect, note: d.note, ids: [] };
      e.ids.push(p.id);
      byParam.set(k, e);
    }
  }
  if (byParam.size) {
    out.push('<details><summary>What Nova ignores or rewrites in these requests</summary>', '', '| parameter | effect | prompts | note |', '|---|---|---:|---|');
    for (const e of byParam.values()) {
      out.push(`| \`${e.param}\` | ${e.effect} | ${e.ids.length} (${cell(e.ids.slice(0, 3).map((i) => clip(i, 40)).join(', '))}${e.ids.length > 3 ? ', …' : ''}) | ${cell(clip(e.note, 200))} |`);
    }
    out.push('', '</details>', '');
  }
  const used = Object.entries(r.prices.used);
  if (used.length) {
    out.push('<details><summary>Prices used (USD per 1M tokens)</summary>', '', '| model | input | cached input | output | source | as of |', '|---|---:|---:|---:|---|---|');
    for (const [m, p] of used) out.push(`| \`${m}\` | ${p.input} | ${p.cachedInput ?? '-'} | ${p.output} | ${cell(p.source ?? 'override')} | ${p.asOf ?? '-'}${p.endOfLife ? ` (end of life ${p.endOfLife})` : ''} |`);
    out.push('', '</details>', '');
  }
  if (r.judge) {
    out.push(`<details><summary>LLM judge: ${r.judge.provider} ${r.judge.model}, ${r.judge.version}, temperature 0, both answer orders</summary>`, '', `Choices: ${r.judge.choices.join(' / ')}`, '', '```text', r.judge.systemPrompt, '```', '', '</details>', '');
  }
  return out;
}

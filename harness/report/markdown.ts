/** `--markdown`: a PR comment / CI step summary. */
import type { RunReport } from '../summary.js';
import { worstPrompts } from '../summary.js';
import { DECISION_LABEL, MOCK_BANNER, STATUS_LABEL, answerText, clip, consistencySummary, kindBreakdown, partialRuns, ms, pct, promptPreview, usd, x } from './format.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderMarkdown(r: RunReport, opts: { worst?: number } = {}): string {
  const out: string[] = [];
  const icon = { ship: '✅', 'ship-with-caveats': '⚠️', 'do-not-ship': '❌' }[r.verdict.decision];
  out.push(`## Nova parity: ${icon} ${DECISION_LABEL[r.verdict.decision]}${r.mock ? ' (MOCK RUN)' : ''}`, '');
  if (r.mock) out.push(`> **${MOCK_BANNER}**`, '');
  if (r.interrupted) out.push(`> Interrupted: ${r.notRun.length} prompt(s) not run.`, '');
  out.push(r.verdict.headline, '');
  out.push('| prompts | pass | warn | fail | pass rate | strict parity | gate |', '|---:|---:|---:|---:|---:|---:|:---|');
  out.push(`| ${r.counts.total} | ${r.counts.pass} | ${r.counts.warn} | ${r.counts.fail} | ${pct(r.passRate)} | ${pct(r.strictPassRate)} | ${r.gate.passed ? 'passed' : `**failed**: ${cell(r.gate.reasons.join('; '))}`} |`, '');
  if (r.counts.notCompared) out.push(`> Not compared: ${r.counts.notCompared} prompt(s) had no baseline answer (baseline error or no recording); they do not count as passing.`, '');
  if (r.prompts.length) out.push(`Not failing, by comparison: ${kindBreakdown(r.prompts)}`, '');
  if (r.repeat > 1) {
    out.push(`${consistencySummary(r, { code: (id) => `\`${id}\``, strong: (t) => `**${t}**` })}.`, '');
  }
  out.push('| | baseline | candidate | ratio |', '|---|---|---|---:|');
  out.push(`| target | ${cell(r.baseline.label)} | ${cell(r.candidate.label)} | |`);
  out.push(`| TTFT p50 / p95 | ${ms(r.baseline.ttft.p50)} / ${ms(r.baseline.ttft.p95)} | ${ms(r.candidate.ttft.p50)} / ${ms(r.candidate.ttft.p95)} | ${x(r.ratios.ttftP50)} / ${x(r.ratios.ttftP95)} |`);
  out.push(`| total p50 / p95 | ${ms(r.baseline.total.p50)} / ${ms(r.baseline.total.p95)} | ${ms(r.candidate.total.p50)} / ${ms(r.candidate.total.p95)} | ${x(r.ratios.totalP50)} / ${x(r.ratios.totalP95)} |`);
  out.push(`| cost (run) | ${usd(r.baseline.costUsd)} | ${usd(r.candidate.costUsd)} | ${x(r.ratios.cost)} |`);
  if (r.monthlyRequests) out.push(`| monthly at ${r.monthlyRequests.toLocaleString('en-US')} requests | ${usd(r.baseline.monthlyUsd)} | ${usd(r.candidate.monthlyUsd)} | ${x(r.ratios.cost)} |`);
  out.push('');
  if (!r.latencyMeasured) out.push('_Latency: not measured live on both sides (cached or recorded); the latency gate does not apply._', '');
  out.push(`_Prices as of ${r.prices.asOf} (${r.prices.source}). Cache: ${r.cacheMode}._`, '');
  const worst = worstPrompts(r, opts.worst ?? 10);
  if (worst.length) {
    out.push('### Prompts to review', '', '| | prompt | kind | reason | likely cause → fix |', '|---|---|---|---|---|');
    for (const p of worst) {
      const a = p.advice[0];
      out.push(`| ${STATUS_LABEL[p.status]} | \`${cell(p.id)}\` | ${p.kind}${p.partial ? ` (partial: ${partialRuns(p)})` : ''} | ${cell(clip(p.reasons[0] ?? '', 160))} | ${a ? cell(`${a.cause} → ${a.fix}`) : ''} |`);
    }
    out.push('');
    out.push('<details><summary>Side by side</summary>', '');
    for (const p of worst) {
      const s = p.samples[0]!;
      out.push(`#### ${STATUS_LABEL[p.status]} \`${p.id}\` (${p.file}:${p.line})`, '', `> ${cell(promptPreview(p, 300))}`, '');
      out.push('```diff', ...answerText(s.baseline).split('\n').slice(0, 12).map((l) => `- ${l}`), ...answerText(s.candidate).split('\n').slice(0, 12).map((l) => `+ ${l}`), '```', '');
    }
    out.push('</details>', '');
  }
  const diffs = r.prompts.flatMap((p) => p.diffs.map((d) => ({ id: p.id, ...d })));
  if (diffs.length) {
    out.push('<details><summary>What Nova ignores or rewrites in these requests</summary>', '', '| prompt | parameter | effect | note |', '|---|---|---|---|');
    for (const d of diffs) out.push(`| \`${cell(d.id)}\` | \`${d.param}\` | ${d.effect} | ${cell(d.note)} |`);
    out.push('', '</details>', '');
  }
  if (r.judge) {
    out.push(`<details><summary>LLM judge: ${r.judge.provider} ${r.judge.model}, temperature 0, both answer orders</summary>`, '', `Choices: ${r.judge.choices.join(' / ')}`, '', '```text', r.judge.systemPrompt, '```', '', '</details>', '');
  }
  return `${out.join('\n')}\n`;
}

/** Terminal report: cli-table3 summary plus the worst prompts with word diffs. */
import Table from 'cli-table3';
import type { RunReport } from '../summary.js';
import { wordDiff } from './diff.js';
import { worstPrompts } from '../summary.js';
import {
  DECISION_LABEL,
  MOCK_BANNER,
  STATUS_LABEL,
  answerText,
  clip,
  consistencySummary,
  diffTally,
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

export interface TableOptions {
  color?: boolean;
  worst?: number;
}

export function renderTerminal(r: RunReport, opts: TableOptions = {}): string {
  const color = opts.color ?? false;
  const c = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const statusColor = { pass: 32, warn: 33, fail: 31 } as const;
  const out: string[] = [];
  if (r.mock) out.push(c(35, `*** ${MOCK_BANNER} ***`), '');
  if (r.interrupted) out.push(c(33, `Interrupted: ${r.counts.total} prompt(s) finished, ${r.notRun.length} not run.`), '');

  const summary = new Table({ head: ['', 'baseline', 'candidate', 'ratio'], style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] } });
  summary.push(
    ['target', clip(r.baseline.label, 38), clip(r.candidate.label, 38), ''],
    ...latencyRows(r),
    ['cost (run)', usd(r.baseline.costUsd), usd(r.candidate.costUsd), x(r.ratios.cost)],
    ['cost / request', usd(r.baseline.meanCostUsd), usd(r.candidate.meanCostUsd), ''],
  );
  if (r.monthlyRequests) summary.push([`monthly (${r.monthlyRequests.toLocaleString('en-US')} req)`, usd(r.baseline.monthlyUsd), usd(r.candidate.monthlyUsd), x(r.ratios.cost)]);
  summary.push(['tokens in / out', `${r.baseline.inputTokens} / ${r.baseline.outputTokens}`, `${r.candidate.inputTokens} / ${r.candidate.outputTokens}`, '']);
  const recordedNote = r.baseline.recordedLatency + r.candidate.recordedLatency;
  const counts = new Table({ head: ['prompts', 'pass', 'warn', 'fail', 'pass rate (pass+warn)', 'strict parity'], style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] } });
  counts.push([r.counts.total, c(32, String(r.counts.pass)), c(33, String(r.counts.warn)), c(31, String(r.counts.fail)), pct(r.passRate), pct(r.strictPassRate)]);
  out.push(counts.toString());
  const warnOnly = warnOnlyLine(r);
  if (warnOnly) out.push(c(33, warnOnly));
  if (r.counts.notCompared) out.push(c(33, `Not compared: ${r.counts.notCompared} prompt(s) had no baseline answer (baseline error or no recording); they do not count as passing.`));
  if (r.prompts.length) out.push(`Not failing, by comparison: ${kindBreakdown(r.prompts)}`);
  out.push(summary.toString());
  if (r.repeat > 1) {
    out.push(consistencySummary(r));
  }
  if (!r.latencyMeasured) out.push('Latency: not measured live on both sides (recorded or cached answers); latency gates do not count as passed.');
  else if (recordedNote) out.push(`(${recordedNote} latency value(s) came from the cache or recordings: shown nowhere above and never gated)`);
  if (r.projection) out.push(projectionNote(r.projection));
  if (r.ratios.cost !== undefined && r.costPairs < r.calls) out.push(`(cost ratio over the ${r.costPairs} of ${r.calls} calls priced on both sides)`);
  const unpriced = [...r.baseline.unpricedModels, ...r.candidate.unpricedModels];
  if (unpriced.length) out.push(`No price for: ${unpriced.join(', ')} (add them with --prices FILE)`);
  out.push(`Prices as of ${r.prices.asOf} (${r.prices.source}).`);
  for (const n of priceNotes(r)) out.push(`Price note: ${n}.`);
  if (r.judge) out.push(judgeLine(r.judge));
  const tally = diffTally(r.prompts);
  if (tally) out.push(`Nova ignores or rewrites in these requests: ${tally} (differences they cause are named, and ignored parameters never count as parity failures).`);

  const worst = worstPrompts(r, opts.worst ?? 5);
  if (worst.length) {
    out.push('', c(1, `Worst prompts (${worst.length} of ${r.counts.warn + r.counts.fail} not passing):`));
    for (const p of worst) {
      out.push('', `${c(statusColor[p.status], STATUS_LABEL[p.status])} ${p.id}  [${p.kind}${p.streamed ? ', streamed' : ''}${p.partial ? `, partial: ${partialRuns(p)}` : ''}]  ${p.file}:${p.line}`);
      out.push(`  prompt: ${promptPreview(p)}`);
      for (const reason of p.reasons.slice(0, 4)) out.push(`  - ${reason}`);
      for (const d of p.diffs) out.push(`  · Nova ${d.effect} ${d.param}: ${d.note}`);
      for (const a of p.advice.slice(0, 2)) out.push(`  → likely cause: ${a.cause}. Try: ${a.fix}`);
      const s = p.samples[0]!;
      const base = answerText(s.baseline);
      const cand = answerText(s.candidate);
      if (s.baseline.ok && (base || cand)) out.push(`  diff (${c(31, '-baseline')} ${c(32, '+candidate')}): ${wordDiff(base, cand, color)}`);
    }
  }
  const v = r.verdict;
  const vColor = v.decision === 'ship' ? 32 : v.decision === 'ship-with-caveats' ? 33 : 31;
  out.push('', c(vColor, c(1, `Verdict: ${DECISION_LABEL[v.decision]}`)) + ` — ${v.headline}`);
  out.push(`Gate: ${r.gate.passed ? 'passed' : 'FAILED'} (${r.gate.checks.map(gateText).join('; ')})`);
  if (r.mock) out.push(c(35, 'This was a mock run.'));
  return `${out.join('\n')}\n`;
}



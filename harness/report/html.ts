/**
 * `--html`: one self-contained file (inline CSS and SVG, a few lines of inline script, no
 * network): verdict, latency distributions, cost per side, per-prompt side-by-side view.
 */
import type { RunReport } from '../summary.js';
import { percentile } from '../stats.js';
import type { PromptResult, SideResult } from '../types.js';
import { wordDiffHtml } from './diff.js';
import { DECISION_LABEL, MOCK_BANNER, STATUS_LABEL, answerText, gateText, judgeLine, latencyRows, ms, pct, priceNotes, projectionNote, promptPreview, usd, warnOnlyLine, x } from './format.js';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const COLORS = { baseline: '#6b7280', candidate: '#2563eb' } as const;

/** Strip plot + p50/p95 markers of latency values per side, on a shared axis. */
export function latencyChart(title: string, series: Array<{ name: 'baseline' | 'candidate'; values: number[] }>): string {
  const all = series.flatMap((s) => s.values);
  // No live measurement: no chart at all rather than an empty one.
  if (all.length === 0) return '';
  // A side without live values gets no row.
  series = series.filter((s) => s.values.length > 0);
  const W = 560;
  const rowH = 46;
  const left = 90;
  const right = 20;
  const max = Math.max(...all) * 1.05 || 1;
  const sx = (v: number) => left + (v / max) * (W - left - right);
  const H = series.length * rowH + 36;
  const parts: string[] = [];
  series.forEach((s, i) => {
    const y = 20 + i * rowH;
    parts.push(`<text x="8" y="${y + 18}" class="lbl">${s.name}</text>`);
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y + 14}" y2="${y + 14}" stroke="#e5e7eb"/>`);
    s.values.forEach((v, j) => parts.push(`<circle cx="${sx(v).toFixed(1)}" cy="${(y + 8 + ((j * 7) % 13)).toFixed(1)}" r="3" fill="${COLORS[s.name]}" fill-opacity="0.55"><title>${ms(v)}</title></circle>`));
    const q = (p: number) => percentile(s.values, p)!;
    if (s.values.length) {
      for (const [p, dash] of [[50, ''], [95, '4 3']] as const) {
        const vx = sx(q(p)).toFixed(1);
        parts.push(`<line x1="${vx}" x2="${vx}" y1="${y}" y2="${y + 28}" stroke="${COLORS[s.name]}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''}><title>p${p} ${ms(q(p))}</title></line>`);
      }
    }
  });
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    parts.push(`<text x="${sx(v).toFixed(1)}" y="${H - 4}" class="tick" text-anchor="middle">${ms(v)}</text>`);
  }
  return `<figure class="chart"><figcaption>${esc(title)} <span class="muted">(solid p50, dashed p95)</span></figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${parts.join('')}</svg></figure>`;
}

export function costChart(r: RunReport): string {
  const rows = [
    { name: 'baseline' as const, v: r.baseline.costUsd },
    { name: 'candidate' as const, v: r.candidate.costUsd },
  ];
  const max = Math.max(...rows.map((x) => x.v)) || 1;
  const W = 560;
  const left = 90;
  const parts = rows.map((row, i) => {
    const w = Math.max(1, (row.v / max) * (W - left - 110));
    const y = 12 + i * 34;
    return `<text x="8" y="${y + 16}" class="lbl">${row.name}</text><rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="22" fill="${COLORS[row.name]}"><title>${usd(row.v)}</title></rect><text x="${(left + w + 6).toFixed(1)}" y="${y + 16}" class="tick">${usd(row.v)}</text>`;
  });
  return `<figure class="chart"><figcaption>Cost of this run per side ${r.ratios.cost !== undefined ? `<span class="muted">(candidate/baseline ${x(r.ratios.cost)})</span>` : ''}</figcaption><svg role="img" aria-label="cost per side" viewBox="0 0 ${W} 84" width="${W}" height="84">${parts.join('')}</svg></figure>`;
}

/** A side's timing and cost for the prompt header: live latency only; recorded or cached answers say so. */
function sideMeta(r: SideResult): string {
  if (!r.ok) return 'error';
  const parts: string[] = [];
  if (!r.latencyRecorded && r.totalMs !== undefined) {
    if (r.ttftMs !== undefined) parts.push(`${ms(r.ttftMs)} TTFT`);
    parts.push(`${ms(r.totalMs)} total`);
  } else parts.push(r.fromCache ? 'from the cache: latency not measured' : 'recorded: latency not measured');
  if (r.costUsd !== undefined) parts.push(usd(r.costUsd));
  return parts.join(' · ');
}

function promptSection(p: PromptResult): string {
  const s = p.samples[0]!;
  const checks = p.samples
    .flatMap((smp, i) => smp.checks.map((c) => ({ ...c, run: i + 1 })))
    .map((c) => `<tr class="${c.status}"><td>${STATUS_LABEL[c.status]}</td><td>${p.samples.length > 1 ? `#${c.run} ` : ''}${esc(c.name)}</td><td>${c.score ?? ''}</td><td>${esc(c.reason)}</td></tr>`)
    .join('');
  const diffs = p.diffs.map((d) => `<li><code>${esc(d.param)}</code> ${d.effect}: ${esc(d.note)}</li>`).join('');
  const advice = p.advice.map((a) => `<li><b>${esc(a.cause)}</b> — try: ${esc(a.fix)}</li>`).join('');
  const side = (name: string, r: typeof s.baseline) => `<div class="side"><h4>${name} <span class="muted">${esc(sideMeta(r))}</span></h4><pre>${esc(answerText(r))}</pre></div>`;
  const wordDiff = s.baseline.ok && s.candidate.ok ? `<h4>Word diff <span class="muted">(<del>baseline</del> <ins>candidate</ins>)</span></h4><pre class="diff">${wordDiffHtml(answerText(s.baseline), answerText(s.candidate), esc)}</pre>` : '';
  return `<details class="prompt ${p.status}" data-status="${p.status}"${p.status === 'fail' ? ' open' : ''}><summary><span class="badge ${p.status}">${STATUS_LABEL[p.status]}</span> <code>${esc(p.id)}</code> <span class="muted">${p.kind}${p.streamed ? ' · streamed' : ''}${p.flaky ? ' · flaky' : ''}${p.partial ? ` · partial: ${p.runs} of ${p.plannedRuns} runs` : ''} · ${esc(p.file)}:${p.line}</span><div class="preview">${esc(promptPreview(p, 160))}</div></summary>
<div class="sides">${side('baseline', s.baseline)}${side('candidate', s.candidate)}</div>
${wordDiff}
<table class="checks"><thead><tr><th></th><th>check</th><th>score</th><th>reason</th></tr></thead><tbody>${checks}</tbody></table>
${diffs ? `<p>What Nova ignores or rewrites here:</p><ul>${diffs}</ul>` : ''}${advice ? `<p>Likely cause and fix:</p><ul>${advice}</ul>` : ''}</details>`;
}

export function renderHtml(r: RunReport): string {
  const live = (side: 'baseline' | 'candidate', metric: 'ttftMs' | 'totalMs') =>
    r.prompts.flatMap((p) => p.samples.map((s) => s[side])).filter((s) => s.ok && !s.latencyRecorded && s[metric] !== undefined).map((s) => s[metric]!);
  const decisionClass = { ship: 'pass', 'ship-with-caveats': 'warn', 'do-not-ship': 'fail' }[r.verdict.decision];
  const title = `Nova parity report${r.mock ? ' (MOCK RUN)' : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#111827}
h1{margin:0 0 8px}.muted{color:#6b7280;font-weight:normal}.mock{background:#fdf4ff;border:2px solid #a21caf;color:#86198f;padding:10px 14px;border-radius:6px;font-weight:600}
.verdict{padding:12px 16px;border-radius:6px;font-size:18px;margin:12px 0}.verdict.pass{background:#dcfce7}.verdict.warn{background:#fef9c3}.verdict.fail{background:#fee2e2}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{margin:0;border:1px solid #e5e7eb;border-radius:6px;padding:8px}.lbl{font-size:12px}.tick{font-size:10px;fill:#6b7280}
.badge{display:inline-block;min-width:38px;text-align:center;border-radius:4px;padding:0 4px;font-weight:700;font-size:12px}.badge.pass{background:#dcfce7;color:#166534}.badge.warn{background:#fef9c3;color:#854d0e}.badge.fail{background:#fee2e2;color:#991b1b}
details.prompt{border:1px solid #e5e7eb;border-radius:6px;margin:6px 0;padding:6px 10px}details.prompt summary{cursor:pointer}.preview{color:#374151;margin:2px 0 0 46px;font-size:13px}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}.side pre{white-space:pre-wrap;background:#f9fafb;border:1px solid #e5e7eb;padding:8px;border-radius:4px;max-height:320px;overflow:auto}
tr.fail td:first-child{color:#991b1b;font-weight:700}tr.warn td:first-child{color:#854d0e;font-weight:700}tr.pass td:first-child{color:#166534}
.filters button{margin-right:6px}
pre.diff{white-space:pre-wrap;background:#f9fafb;border:1px solid #e5e7eb;padding:8px;border-radius:4px;max-height:320px;overflow:auto}
del{background:#fee2e2;color:#991b1b}ins{background:#dcfce7;color:#166534;text-decoration:none}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="muted">${esc(r.fixtures)} · ${r.startedAt} → ${r.finishedAt} · cache ${esc(r.cacheMode)} · baseline ${r.baselineMode}${r.repeat > 1 ? ` · ${r.repeat} runs per prompt` : ''}</p>
${r.mock ? `<p class="mock" id="mock-banner">${esc(MOCK_BANNER)}</p>` : ''}
${r.interrupted ? `<p class="verdict warn">Interrupted: ${r.notRun.length} prompt(s) not run.</p>` : ''}
<div class="verdict ${decisionClass}" id="verdict"><b>${DECISION_LABEL[r.verdict.decision]}</b> — ${esc(r.verdict.headline)}</div>
<table id="summary"><tr><th>prompts</th><th>pass</th><th>warn</th><th>fail</th><th>pass rate</th><th>strict parity</th><th>gate</th></tr>
<tr><td>${r.counts.total}</td><td>${r.counts.pass}</td><td>${r.counts.warn}</td><td>${r.counts.fail}</td><td>${pct(r.passRate)}</td><td>${pct(r.strictPassRate)}</td><td>${r.gate.passed ? 'passed' : `failed: ${esc(r.gate.reasons.join('; '))}`}</td></tr></table>
<table><tr><th></th><th>baseline</th><th>candidate</th><th>ratio</th></tr>
<tr><td>target</td><td>${esc(r.baseline.label)}</td><td>${esc(r.candidate.label)}</td><td></td></tr>
${latencyRows(r).map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')}
<tr><td>cost (run)</td><td>${usd(r.baseline.costUsd)}</td><td>${usd(r.candidate.costUsd)}</td><td>${x(r.ratios.cost)}</td></tr>
${r.monthlyRequests ? `<tr><td>monthly at ${r.monthlyRequests.toLocaleString('en-US')} requests</td><td>${usd(r.baseline.monthlyUsd)}</td><td>${usd(r.candidate.monthlyUsd)}</td><td>${x(r.ratios.cost)}</td></tr>` : ''}
</table>
<p id="gate">Gate: ${esc(r.gate.checks.map(gateText).join('; '))}.</p>
${warnOnlyLine(r) ? `<p>${esc(warnOnlyLine(r))}.</p>` : ''}
${r.latencyMeasured ? '' : '<p class="muted" id="latency-note">Latency: not measured live on both sides (recorded or cached answers); latency gates are reported as not measured, never as passed.</p>'}
${r.projection ? `<p>${esc(projectionNote(r.projection))}</p>` : ''}
<p class="muted">Prices as of ${esc(r.prices.asOf)} (${esc(r.prices.source)}). Latencies read from the cache or recordings are not charted and never gated.${priceNotes(r).map((n) => ` ${esc(n)}.`).join('')}</p>
${r.judge ? `<p id="judge-line">${esc(judgeLine(r.judge))}</p>` : ''}
<div class="charts">
${[
  latencyChart('Total latency per request', [{ name: 'baseline', values: live('baseline', 'totalMs') }, { name: 'candidate', values: live('candidate', 'totalMs') }]),
  latencyChart('Time to first token (streamed prompts)', [{ name: 'baseline', values: live('baseline', 'ttftMs') }, { name: 'candidate', values: live('candidate', 'ttftMs') }]),
  costChart(r),
].filter(Boolean).join('\n')}
</div>
<h2>Prompts</h2>
<p class="filters">Show: <button data-f="all">all</button><button data-f="open">expand all</button><button data-f="close">collapse all</button><button data-f="fail">fail</button><button data-f="warn">warn</button><button data-f="pass">pass</button></p>
<div id="prompts">${[...r.prompts].sort((a, b) => ({ fail: 0, warn: 1, pass: 2 })[a.status] - ({ fail: 0, warn: 1, pass: 2 })[b.status]).map(promptSection).join('\n')}</div>
${r.judge ? `<h2>LLM judge</h2><p>${esc(r.judge.provider)} ${esc(r.judge.model)}, temperature 0, asked twice with the answers in swapped positions; choices: ${r.judge.choices.map(esc).join(' / ')}.</p><pre id="judge-prompt">${esc(r.judge.systemPrompt)}</pre>` : ''}
${r.notRun.length ? `<p>Not run: ${r.notRun.map((id) => `<code>${esc(id)}</code>`).join(', ')}</p>` : ''}
<script>
document.querySelectorAll('.filters button').forEach(function (b) {
  b.addEventListener('click', function () {
    var f = b.getAttribute('data-f');
    document.querySelectorAll('details.prompt').forEach(function (d) {
      if (f === 'open' || f === 'close') { d.open = f === 'open'; return; }
      d.style.display = f === 'all' || d.getAttribute('data-status') === f ? '' : 'none';
    });
  });
});
</script>
</body></html>
`;
}

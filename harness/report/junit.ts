/**
 * `--junit`: one testcase per prompt. Failures are <failure>; warnings pass with their
 * reasons in <system-out> (CI reporters show them without failing the build); prompts
 * not run after Ctrl-C are <skipped>.
 */
import type { RunReport } from '../summary.js';
import { MOCK_BANNER } from './format.js';

export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function renderJunit(r: RunReport): string {
  const name = `nova-migrate parity${r.mock ? ' (MOCK)' : ''}`;
  const seconds = (p: RunReport['prompts'][number]) => ((p.samples[0]?.candidate.totalMs ?? 0) / 1000).toFixed(3);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const tests = r.prompts.length + r.notRun.length;
  lines.push(`<testsuites name="${xmlEscape(name)}" tests="${tests}" failures="${r.counts.fail}" skipped="${r.notRun.length}">`);
  lines.push(`  <testsuite name="${xmlEscape(name)}" tests="${tests}" failures="${r.counts.fail}" errors="0" skipped="${r.notRun.length}" timestamp="${r.startedAt}">`);
  lines.push('    <properties>');
  const props: Record<string, string> = {
    mock: String(r.mock),
    verdict: r.verdict.decision,
    'gate.passed': String(r.gate.passed),
    'pass-rate': r.passRate.toFixed(4),
    baseline: r.baseline.label,
    candidate: r.candidate.label,
    ...(r.ratios.cost !== undefined ? { 'cost-ratio': r.ratios.cost.toFixed(4) } : {}),
    ...(r.ratios.totalP95 !== undefined ? { 'p95-latency-ratio': r.ratios.totalP95.toFixed(4) } : {}),
  };
  for (const [k, v] of Object.entries(props)) lines.push(`      <property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`);
  lines.push('    </properties>');
  for (const p of r.prompts) {
    const classname = xmlEscape(`parity.${p.kind}`);
    lines.push(`    <testcase name="${xmlEscape(p.id)}" classname="${classname}" file="${xmlEscape(p.file)}" line="${p.line}" time="${seconds(p)}">`);
    const body = [...p.reasons, ...p.advice.map((a) => `likely cause: ${a.cause}; try: ${a.fix}`)].join('\n');
    if (p.status === 'fail') lines.push(`      <failure message="${xmlEscape(p.reasons[0] ?? 'failed')}" type="parity">${xmlEscape(body)}</failure>`);
    const out = [r.mock ? MOCK_BANNER : '', p.status === 'warn' ? `WARN\n${body}` : ''].filter(Boolean).join('\n');
    if (out) lines.push(`      <system-out>${xmlEscape(out)}</system-out>`);
    lines.push('    </testcase>');
  }
  for (const id of r.notRun) lines.push(`    <testcase name="${xmlEscape(id)}" classname="parity.not-run"><skipped message="not run (interrupted)"/></testcase>`);
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}

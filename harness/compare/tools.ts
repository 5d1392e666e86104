/**
 * Tool-call comparison: names (order-insensitive, so parallel calls may come in any order),
 * argument validity against the tool's declared schema, argument value agreement.
 */
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Check, Thresholds } from '../types.js';
import { compareJson, parseJsonOutput } from './json.js';
import { schemaErrors } from './schema.js';
import { round } from './text.js';

export interface ToolCallView {
  name: string;
  rawArguments: string;
  args?: unknown;
  parseError?: string;
}

export function toolCallsOf(response: ChatCompletion | undefined): ToolCallView[] {
  const calls = response?.choices?.[0]?.message?.tool_calls ?? [];
  return calls.map((c) => {
    const fn = (c as { function?: { name?: string; arguments?: string } }).function ?? {};
    const raw = fn.arguments ?? '';
    const parsed = parseJsonOutput(raw || '{}');
    return parsed.ok && !parsed.note
      ? { name: fn.name ?? '', rawArguments: raw, args: parsed.value }
      : { name: fn.name ?? '', rawArguments: raw, parseError: parsed.error ?? 'arguments are not pure JSON' };
  });
}

export function toolSchema(body: ChatCompletionCreateParams, name: string): object | undefined {
  for (const t of body.tools ?? []) {
    const fn = (t as { type?: string; function?: { name?: string; parameters?: object } }).function;
    if (fn?.name === name) return fn.parameters ?? { type: 'object' };
  }
  return undefined;
}

export function compareTools(
  body: ChatCompletionCreateParams,
  baseline: ChatCompletion | undefined,
  candidate: ChatCompletion,
  th: Thresholds,
): Check[] {
  const checks: Check[] = [];
  const cand = toolCallsOf(candidate);
  const base = baseline ? toolCallsOf(baseline) : undefined;

  // Argument validity does not need a baseline.
  const invalid: string[] = [];
  for (const c of cand) {
    const schema = toolSchema(body, c.name);
    if (!schema) invalid.push(`${c.name}: not a declared tool`);
    else if (c.parseError) invalid.push(`${c.name}: arguments are not valid JSON (${c.parseError})`);
    else {
      const errs = schemaErrors(schema, c.args);
      if (errs.length) invalid.push(`${c.name}: ${errs.slice(0, 3).join(', ')}`);
    }
  }
  if (cand.length) {
    checks.push(
      invalid.length
        ? { name: 'tools.arguments.valid', status: 'fail', reason: `candidate arguments invalid against the tool schema: ${invalid.join('; ')}` }
        : { name: 'tools.arguments.valid', status: 'pass', reason: `${cand.length} call(s) valid against their schemas` },
    );
  }
  if (!base) return checks;

  const bn = base.map((c) => c.name).sort();
  const cn = cand.map((c) => c.name).sort();
  if (bn.length === 0 && cn.length === 0) return checks;
  const same = bn.length === cn.length && bn.every((n, i) => n === cn[i]);
  if (!same) {
    const reason =
      cn.length === 0
        ? `baseline called ${bn.join(', ')}; candidate answered in text without calling a tool`
        : bn.length === 0
          ? `baseline answered in text; candidate called ${cn.join(', ')}`
          : `baseline called [${bn.join(', ')}], candidate called [${cn.join(', ')}]`;
    checks.push({ name: 'tools.names', status: 'fail', score: 0, reason });
    return checks;
  }
  checks.push({ name: 'tools.names', status: 'pass', score: 1, reason: `same calls: ${bn.join(', ')}` });

  // Pair calls by name, in order of appearance within each name.
  const pool = new Map<string, ToolCallView[]>();
  for (const c of cand) pool.set(c.name, [...(pool.get(c.name) ?? []), c]);
  const scores: number[] = [];
  const diffs: string[] = [];
  for (const b of base) {
    const c = pool.get(b.name)?.shift();
    if (!c || b.parseError || c.parseError) {
      scores.push(0);
      continue;
    }
    const cmp = compareJson(b.args, c.args);
    scores.push(cmp.agreement);
    if (cmp.differing.length) diffs.push(`${b.name}: ${cmp.differing.slice(0, 4).join(', ')}`);
  }
  const score = round(scores.reduce((a, x) => a + x, 0) / Math.max(1, scores.length));
  const status = score >= th.agreementWarn ? 'pass' : score >= th.agreementFail ? 'warn' : 'fail';
  checks.push({
    name: 'tools.arguments.agreement',
    status,
    score,
    reason: diffs.length ? `argument agreement ${score}; differing: ${diffs.join('; ')}` : `arguments agree (${score})`,
  });
  return checks;
}

/**
 * Tool-call comparison. Parallel calls are unordered: calls to the same tool are matched by
 * best assignment, then their arguments are compared leaf by leaf with the JSON rules
 * (json.ts). A wrong tool, a missing or extra call, or a differing argument fails and is
 * named; arguments are also validated against the tool's declared schema.
 */
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Check } from '../types.js';
import { bestAssignment } from './assign.js';
import { compareJsonValues, describeDiff, parseJsonOutput, type JsonCompareContext } from './json.js';
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

function show(c: ToolCallView): string {
  const a = c.rawArguments.replace(/\s+/g, ' ');
  return `${c.name}(${a.length > 80 ? `${a.slice(0, 80)}…` : a})`;
}

export function compareTools(body: ChatCompletionCreateParams, baseline: ChatCompletion | undefined, candidate: ChatCompletion, ctx: JsonCompareContext = {}): Check[] {
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
  if (base.length === 0 && cand.length === 0) return checks;
  if (cand.length === 0) {
    checks.push({ name: 'tools.names', status: 'fail', score: 0, reason: `baseline called ${base.map(show).join(', ')}; candidate answered in text without calling a tool` });
    return checks;
  }
  if (base.length === 0) {
    checks.push({ name: 'tools.names', status: 'fail', score: 0, reason: `baseline answered in text; candidate called ${cand.map(show).join(', ')}` });
    return checks;
  }

  // Match calls to the same tool by best assignment of their arguments.
  const compared = new Map<string, ReturnType<typeof compareJsonValues>>();
  const cmp = (i: number, j: number) => {
    const key = `${i}:${j}`;
    let r = compared.get(key);
    if (!r) {
      const b = base[i]!;
      const c = cand[j]!;
      r = b.parseError || c.parseError
        ? { diffs: [{ path: '$', kind: 'value' as const, status: 'fail' as const, note: 'arguments are not JSON' }], leaves: 1, equalLeaves: 0, agreement: 0 }
        : compareJsonValues(b.args, c.args, { ...ctx, schema: toolSchema(body, b.name), extraKeys: 'fail' });
      compared.set(key, r);
    }
    return r;
  };
  const pairs = bestAssignment(base.length, cand.length, (i, j) => {
    if (base[i]!.name !== cand[j]!.name) return -1000;
    const r = cmp(i, j);
    return 10 + r.agreement - r.diffs.filter((d) => d.status === 'fail').length * 0.01;
  }).filter(([i, j]) => base[i]!.name === cand[j]!.name);
  const mb = new Set(pairs.map(([i]) => i));
  const mc = new Set(pairs.map(([, j]) => j));
  const missing = base.filter((_, i) => !mb.has(i));
  const extra = cand.filter((_, j) => !mc.has(j));
  // An exact repeat of a matched call is a duplicate (warn); any other extra call changes what the app does.
  const duplicate = (c: ToolCallView) => pairs.some(([, j]) => cand[j]!.name === c.name && cand[j]!.rawArguments.replace(/\s+/g, '') === c.rawArguments.replace(/\s+/g, ''));
  const extraReal = extra.filter((c) => !duplicate(c));
  const problems: string[] = [];
  if (missing.length && extraReal.length) problems.push(`baseline called ${missing.map(show).join(', ')}; candidate instead called ${extraReal.map(show).join(', ')}`);
  else {
    if (missing.length) problems.push(`candidate did not call ${missing.map(show).join(', ')}`);
    if (extraReal.length) problems.push(`candidate also called ${extraReal.map(show).join(', ')}`);
  }
  const names = [...base.map((c) => c.name)].sort().join(', ');
  if (problems.length) checks.push({ name: 'tools.names', status: 'fail', score: 0, reason: problems.join('; ') });
  else if (extra.length) checks.push({ name: 'tools.names', status: 'warn', score: 1, reason: `same calls (${names}); the candidate repeats ${extra.map(show).join(', ')}` });
  else checks.push({ name: 'tools.names', status: 'pass', score: 1, reason: `same calls: ${names}${base.length > 1 && pairs.some(([i, j]) => i !== j) ? ' (in another order: parallel calls are unordered)' : ''}` });

  if (!pairs.length) return checks;
  const fails: string[] = [];
  const warns: string[] = [];
  let agreement = 0;
  for (const [i, j] of pairs) {
    const r = cmp(i, j);
    agreement += r.agreement;
    for (const d of r.diffs) (d.status === 'fail' ? fails : warns).push(`${base[i]!.name} ${describeDiff(d)}`);
  }
  const score = round(agreement / pairs.length);
  checks.push({
    name: 'tools.arguments',
    status: fails.length ? 'fail' : warns.length ? 'warn' : 'pass',
    score,
    reason: fails.length
      ? `arguments differ: ${fails.slice(0, 4).join('; ')}${fails.length > 4 ? `; +${fails.length - 4} more` : ''}`
      : warns.length
        ? `arguments agree on every value; ${warns.slice(0, 3).join('; ')}`
        : `arguments agree (${pairs.length} call(s))`,
  });
  return checks;
}

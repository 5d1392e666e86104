/**
 * Fixture expectations, checked on both sides. A candidate failure the baseline shares is a
 * warning (the prompt or the expectation is the problem, not the migration).
 */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Check, Expectation, SideResult } from './types.js';
import { parseJsonOutput } from './compare/json.js';
import { schemaErrors } from './compare/schema.js';
import { toolCallsOf } from './compare/tools.js';
import { normaliseText, textSimilarity } from './compare/text.js';

export interface ExpectationOutcome {
  ok: boolean;
  /** Not applicable on this side (e.g. recorded latency, `similar` on the baseline). */
  skipped?: boolean;
  detail: string;
}

export function contentOf(side: SideResult | undefined): string {
  const c = side?.response?.choices?.[0]?.message?.content;
  return typeof c === 'string' ? c : '';
}

export function evaluateExpectation(
  e: Expectation,
  side: SideResult,
  body: ChatCompletionCreateParams,
  role: 'baseline' | 'candidate',
  baselineText?: string,
): ExpectationOutcome {
  const text = contentOf(side);
  switch (e.type) {
    case 'equals': {
      const ok = normaliseText(text) === normaliseText(e.value);
      return { ok, detail: ok ? 'equals' : `expected "${e.value}", got "${clip(text)}"` };
    }
    case 'contains': {
      const missing = e.value.filter((s) => !text.toLowerCase().includes(s.toLowerCase()));
      return { ok: missing.length === 0, detail: missing.length ? `missing ${missing.map((m) => `"${m}"`).join(', ')}` : 'contains all' };
    }
    case 'regex': {
      const ok = new RegExp(e.value, e.flags).test(text);
      return { ok, detail: ok ? `matches /${e.value}/` : `does not match /${e.value}/${e.flags ?? ''}` };
    }
    case 'is-json': {
      const p = parseJsonOutput(text);
      const ok = p.ok && !p.note;
      return { ok, detail: ok ? 'valid JSON' : p.ok ? `JSON only after removing a ${p.note === 'fenced' ? 'code fence' : 'text wrapper'}` : `not JSON: ${p.error}` };
    }
    case 'json-schema': {
      const p = parseJsonOutput(text);
      if (!p.ok || p.note) return { ok: false, detail: 'not pure JSON' };
      const errs = schemaErrors(e.value, p.value);
      return { ok: errs.length === 0, detail: errs.length ? `schema: ${errs.slice(0, 3).join(', ')}` : 'schema-valid' };
    }
    case 'tool-call': {
      const calls = toolCallsOf(side.response).filter((c) => c.name === e.name);
      if (!calls.length) {
        const got = toolCallsOf(side.response).map((c) => c.name);
        return { ok: false, detail: `no call to ${e.name}${got.length ? ` (called ${got.join(', ')})` : ''}` };
      }
      if (e.arguments) {
        for (const c of calls) {
          if (c.parseError) return { ok: false, detail: `${e.name} arguments not JSON` };
          const errs = schemaErrors(e.arguments, c.args);
          if (errs.length) return { ok: false, detail: `${e.name} arguments: ${errs.slice(0, 3).join(', ')}` };
        }
      }
      return { ok: true, detail: `called ${e.name}` };
    }
    case 'max-latency-ms': {
      if (side.totalMs === undefined || side.latencyRecorded) return { ok: true, skipped: true, detail: 'not checked: latency was recorded, not measured' };
      return { ok: side.totalMs <= e.value, detail: `${Math.round(side.totalMs)} ms (limit ${e.value})` };
    }
    case 'max-cost': {
      if (side.costUsd === undefined) return { ok: true, skipped: true, detail: 'not checked: no price for this model' };
      return { ok: side.costUsd <= e.value, detail: `$${side.costUsd.toFixed(6)} (limit $${e.value})` };
    }
    case 'similar': {
      if (role === 'baseline' || baselineText === undefined) return { ok: true, skipped: true, detail: 'compared on the candidate only' };
      const s = textSimilarity(baselineText, text).score;
      return { ok: s >= e.value, detail: `similarity ${s} (threshold ${e.value})` };
    }
  }
  void body;
}

export function checkExpectations(
  exps: Expectation[],
  body: ChatCompletionCreateParams,
  baseline: SideResult | undefined,
  candidate: SideResult,
): Check[] {
  const baseText = baseline?.ok ? contentOf(baseline) : undefined;
  return exps.map((e) => {
    const name = `expect.${e.type}`;
    const c = evaluateExpectation(e, candidate, body, 'candidate', baseText);
    const b = baseline?.ok ? evaluateExpectation(e, baseline, body, 'baseline') : undefined;
    if (c.skipped) return { name, status: 'pass', reason: c.detail };
    if (c.ok) return { name, status: 'pass', reason: b && !b.ok && !b.skipped ? `${c.detail} (baseline failed: ${b.detail})` : c.detail };
    if (b && !b.ok && !b.skipped) return { name, status: 'warn', reason: `candidate: ${c.detail}; the baseline fails too (${b.detail})` };
    return { name, status: 'fail', reason: `candidate: ${c.detail}` };
  });
}

function clip(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

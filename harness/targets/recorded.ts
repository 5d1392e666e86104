/**
 * Recorded sides: no call, no measured latency, cost from the recorded usage and model.
 * - Baseline: the fixture's `baseline` (or its Batch output line).
 * - Candidate (`--candidate recorded --candidate-file FILE`): Batch output lines produced
 *   against the proxy, keyed by `custom_id`; failed lines are the candidate's errors.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { PriceTable } from '../../proxy/pricing.js';
import { costOf, usageOf } from '../cost.js';
import { validateBaseline } from '../fixtures/validate.js';
import type { ChatCompletion, Fixture, SideResult } from '../types.js';

export function recordedBaseline(fx: Fixture, prices: PriceTable): SideResult | undefined {
  if (!fx.baseline) return undefined;
  // The recorded model (often a dated snapshot) is what was billed.
  return recordedSide(fx, fx.baseline, fx.baseline.model || fx.body.model, prices);
}

function recordedSide(fx: Fixture, response: ChatCompletion, pricedModel: string | undefined, prices: PriceTable): SideResult {
  const costUsd = costOf(pricedModel, response, prices);
  const usage = usageOf(response);
  return {
    ok: true,
    response,
    latencyRecorded: true,
    fromCache: false,
    streamed: !!fx.body.stream,
    attempts: 0,
    headers: {},
    ...(pricedModel ? { pricedModel } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(usage ? { usage } : {}),
  };
}

export class RecordedFileError extends Error {
  override name = 'RecordedFileError';
}

/** One recorded candidate answer: a completion, or the error the proxy returned. */
export type RecordedAnswer = { ok: true; response: ChatCompletion } | { ok: false; status?: number; message: string; code?: string; type?: string };

/** Reads Batch output lines (JSONL, or a JSON/YAML list of them) keyed by `custom_id`. */
export function loadRecordedAnswers(file: string, fixtureIds: Set<string>): Map<string, RecordedAnswer> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RecordedFileError(`--candidate-file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lines: Array<{ value: unknown; line: number }> = [];
  if (extname(file).toLowerCase() === '.jsonl') {
    text.split(/\r?\n/).forEach((l, i) => {
      if (!l.trim()) return;
      try {
        lines.push({ value: JSON.parse(l), line: i + 1 });
      } catch (err) {
        throw new RecordedFileError(`--candidate-file ${file}:${i + 1}: invalid JSON: ${(err as Error).message}`);
      }
    });
  } else {
    let v: unknown;
    try {
      v = parseYaml(text);
    } catch (err) {
      throw new RecordedFileError(`--candidate-file ${file}: ${(err as Error).message.split('\n')[0]}`);
    }
    if (!Array.isArray(v)) throw new RecordedFileError(`--candidate-file ${file}: expected Batch output lines (JSONL) or a list of them`);
    v.forEach((x, i) => lines.push({ value: x, line: i + 1 }));
  }
  const out = new Map<string, RecordedAnswer>();
  for (const { value, line } of lines) {
    const where = `--candidate-file ${file}:${line}`;
    const rec = value as { custom_id?: unknown; response?: { status_code?: number; body?: unknown } | null; error?: { code?: string; message?: string } | null };
    if (!rec || typeof rec !== 'object' || typeof rec.custom_id !== 'string') throw new RecordedFileError(`${where}: not a Batch output line (needs custom_id and response)`);
    if (!fixtureIds.has(rec.custom_id)) throw new RecordedFileError(`${where}: no prompt has custom_id "${rec.custom_id}"`);
    if (out.has(rec.custom_id)) throw new RecordedFileError(`${where}: a second answer for custom_id "${rec.custom_id}"`);
    const status = rec.response?.status_code;
    if (rec.response && (status === undefined || status === 200)) {
      const problems = validateBaseline(rec.response.body);
      if (problems.length) throw new RecordedFileError(`${where}: response.body is not a chat completion: ${problems.join('; ')}`);
      out.set(rec.custom_id, { ok: true, response: rec.response.body as ChatCompletion });
      continue;
    }
    // A failed line: the proxy's OpenAI-shaped error body, or the Batch line's own error.
    const body = rec.response?.body as { error?: { message?: string; code?: string; type?: string } } | undefined;
    const e: { message?: string; code?: string; type?: string } = body?.error ?? rec.error ?? {};
    out.set(rec.custom_id, {
      ok: false,
      ...(status !== undefined ? { status } : {}),
      message: e.message ?? `HTTP ${status ?? 'error'}`,
      ...(e.code ? { code: e.code } : {}),
      ...(e.type ? { type: e.type } : {}),
    });
  }
  return out;
}

/** The candidate side of a prompt from its recorded answer; `priceModel` names the Bedrock model to price it with. */
export function recordedCandidate(
  answers: Map<string, RecordedAnswer>,
  prices: PriceTable,
  priceModel: (fx: Fixture, response: ChatCompletion) => string | undefined,
): (fx: Fixture) => SideResult {
  return (fx) => {
    const a = answers.get(fx.id);
    const streamed = !!fx.body.stream;
    if (!a) return { ok: false, error: { message: 'no recorded candidate answer for this prompt', code: 'no_candidate' }, latencyRecorded: true, fromCache: false, streamed, attempts: 0, headers: {} };
    if (!a.ok) {
      return {
        ok: false,
        error: { message: a.message, ...(a.status !== undefined ? { status: a.status } : {}), ...(a.code ? { code: a.code } : {}) },
        latencyRecorded: true,
        fromCache: false,
        streamed,
        attempts: 0,
        headers: {},
      };
    }
    return recordedSide(fx, a.response, priceModel(fx, a.response), prices);
  };
}

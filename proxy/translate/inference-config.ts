/**
 * Sampling and length parameters → `inferenceConfig` and Nova's
 * `additionalModelRequestFields`.
 *
 * - temperature: OpenAI 0–2, Nova 0–1. ≤ 1 unchanged; (1, 2] clamped to 1 (adjusted).
 * - top_p → topP (0–1).
 * - max_completion_tokens (wins) / max_tokens → maxTokens; above the model's output
 *   limit it is clamped (adjusted) — clients routinely send limits sized for GPT models.
 * - stop (string or list; Converse allows up to 2500) → stopSequences; empty strings
 *   are dropped (they cannot match anything and Converse rejects them).
 * - top_k (extension, e.g. `extra_body={"top_k": 40}`) → `inferenceConfig.topK`, 1–128.
 * - reasoning_effort: low/medium/high → `reasoningConfig` on reasoning models;
 *   xhigh/max → high (adjusted); none → reasoning not enabled, minimal → not enabled either
 *   (adjusted: Nova has no lighter level than low); both accepted on any model. Asking a model
 *   without reasoning for low/medium/high/xhigh/max is a 400.
 * - High effort and a token limit cannot go together on Nova 2: Bedrock answers 400 "`maxTokens`
 *   must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'"
 *   (recorded: test/recorded/data/bedrock/vercel/ai/…/amazon-bedrock-nova-2-high-reasoning-validation-error.json).
 *   The limit is therefore not sent and the parameter is reported in `x-nova-adjusted-params`:
 *   the client asked for deep reasoning, and a cap small enough to matter would usually be
 *   spent on reasoning before any answer (2980 output tokens for "ok" in the recorded success).
 *   Low and medium keep the limit (not recorded as refused).
 */
import type { InferenceConfiguration } from '@aws-sdk/client-bedrock-runtime';
import { invalidParam, unsupportedParam } from '../errors.js';
import { NOVA_MODELS, type NovaModel } from '../models.js';
import { describe, optInteger, optNumber, type Obj } from './validate.js';

export const MAX_STOP_SEQUENCES = 2500;

export interface InferencePlan {
  inferenceConfig?: InferenceConfiguration;
  /** Merged into `additionalModelRequestFields`. */
  additional: Obj;
  stopSequences: string[];
  adjusted: string[];
  ignored: string[];
}

export function planInference(body: Obj, model: NovaModel): InferencePlan {
  const cfg: InferenceConfiguration = {};
  const additional: Obj = {};
  const adjusted: string[] = [];
  const ignored: string[] = [];

  const temperature = optNumber(body.temperature, 'temperature', 0, 2);
  if (temperature !== undefined) {
    if (temperature > 1) adjusted.push('temperature');
    cfg.temperature = Math.min(temperature, 1);
  }
  const topP = optNumber(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) cfg.topP = topP;

  const maxCompletion = optInteger(body.max_completion_tokens, 'max_completion_tokens', 1);
  const maxTokens = optInteger(body.max_tokens, 'max_tokens', 1);
  if (maxCompletion !== undefined && maxTokens !== undefined) ignored.push('max_tokens');
  const limit = maxCompletion ?? maxTokens;
  if (limit !== undefined) {
    if (limit > model.maxOutputTokens) adjusted.push(maxCompletion !== undefined ? 'max_completion_tokens' : 'max_tokens');
    cfg.maxTokens = Math.min(limit, model.maxOutputTokens);
  }

  const stopSequences = parseStop(body.stop);
  if (stopSequences.length) cfg.stopSequences = stopSequences;

  const topK = optInteger(body.top_k, 'top_k', 1, 128);
  if (topK !== undefined) additional.inferenceConfig = { topK };

  const effort = body.reasoning_effort;
  if (effort === 'minimal') adjusted.push('reasoning_effort');
  if (effort != null && effort !== 'none' && effort !== 'minimal') {
    if (!['low', 'medium', 'high', 'xhigh', 'max'].includes(effort as string)) {
      throw invalidParam('reasoning_effort', `reasoning_effort must be one of none, minimal, low, medium, high, xhigh, max; got ${typeof effort === 'string' ? JSON.stringify(effort) : describe(effort)}`);
    }
    if (!model.reasoning) {
      const capable = Object.values(NOVA_MODELS).filter((m) => m.reasoning).map((m) => m.id);
      throw unsupportedParam('reasoning_effort', `${model.id} does not support reasoning_effort; models that do: ${capable.join(', ')}`);
    }
    let level = effort as string;
    if (level === 'xhigh' || level === 'max') {
      adjusted.push('reasoning_effort');
      level = 'high';
    }
    additional.reasoningConfig = { type: 'enabled', maxReasoningEffort: level };
    if (level === 'high' && cfg.maxTokens !== undefined) {
      delete cfg.maxTokens;
      const param = maxCompletion !== undefined ? 'max_completion_tokens' : 'max_tokens';
      if (!adjusted.includes(param)) adjusted.push(param);
    }
  }

  // Not `{ ...(… ? { inferenceConfig } : {}), additional, … }`: V8 gives an object that starts
  // as a spread copy and then gains members a map of its own on every call.
  const plan: InferencePlan = { additional, stopSequences, adjusted, ignored };
  if (Object.keys(cfg).length) plan.inferenceConfig = cfg;
  return plan;
}

function parseStop(raw: unknown): string[] {
  if (raw == null) return [];
  if (typeof raw === 'string') return raw ? [raw] : [];
  if (!Array.isArray(raw)) throw invalidParam('stop', `stop must be a string or an array of strings, got ${describe(raw)}`);
  if (raw.length > MAX_STOP_SEQUENCES) throw invalidParam('stop', `stop may hold at most ${MAX_STOP_SEQUENCES} sequences, got ${raw.length}`);
  const out: string[] = [];
  raw.forEach((s, k) => {
    if (typeof s !== 'string') throw invalidParam(`stop[${k}]`, `stop[${k}] must be a string, got ${describe(s)}`);
    if (s && !out.includes(s)) out.push(s);
  });
  return out;
}

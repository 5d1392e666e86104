/**
 * Bedrock `TokenUsage` → OpenAI `usage`.
 *
 * Bedrock's `inputTokens` counts only the uncached part of the prompt; cache reads and
 * cache writes are reported beside it. OpenAI's `prompt_tokens` is the whole prompt with
 * `prompt_tokens_details.cached_tokens` the cached share of it. So
 * prompt_tokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens, and
 * total_tokens is recomputed as prompt + completion so the three numbers always add up.
 *
 * Bedrock reports no reasoning-token count for Nova 2 (reasoning is billed as output and
 * included in `outputTokens`): `completion_tokens_details.reasoning_tokens` is the estimate the
 * response translators pass in (reasoning.ts) when the answer carried reasoning, and is left out
 * otherwise rather than claiming `reasoning_tokens: 0`.
 */
import type { TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { CompletionUsage } from 'openai/resources/completions';
import type { TokenCounts } from '../pricing.js';

const count = (n: number | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** Token counts in OpenAI's terms (cached tokens inside the input), for usage, cost and metrics. */
export function tokenCounts(usage: TokenUsage | undefined): Required<TokenCounts> & { cacheWriteInputTokens: number } {
  const cachedInputTokens = count(usage?.cacheReadInputTokens);
  const cacheWriteInputTokens = count(usage?.cacheWriteInputTokens);
  return {
    inputTokens: count(usage?.inputTokens) + cachedInputTokens + cacheWriteInputTokens,
    outputTokens: count(usage?.outputTokens),
    cachedInputTokens,
    cacheWriteInputTokens,
  };
}

export function mapUsage(usage: TokenUsage | undefined, reasoningTokens?: number): CompletionUsage {
  const t = tokenCounts(usage);
  const prompt = t.inputTokens;
  const completion = t.outputTokens;
  const cacheRead = t.cachedInputTokens;
  const cacheWrite = t.cacheWriteInputTokens;
  const details: NonNullable<CompletionUsage['prompt_tokens_details']> = { cached_tokens: cacheRead };
  // OpenAI's field for it exists but is rarely sent; only show it when a write happened.
  if (cacheWrite > 0) details.cache_write_tokens = cacheWrite;
  const out: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: details,
  };
  if (reasoningTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: Math.min(reasoningTokens, completion) };
  return out;
}

/** The usage of two Bedrock calls made for one answer (a retry), added up. */
export function addUsage(a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum = (x: number | undefined, y: number | undefined): number | undefined => (x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0));
  const out: TokenUsage = {
    inputTokens: sum(a.inputTokens, b.inputTokens),
    outputTokens: sum(a.outputTokens, b.outputTokens),
    totalTokens: sum(a.totalTokens, b.totalTokens),
  };
  const read = sum(a.cacheReadInputTokens, b.cacheReadInputTokens);
  const write = sum(a.cacheWriteInputTokens, b.cacheWriteInputTokens);
  if (read !== undefined) out.cacheReadInputTokens = read;
  if (write !== undefined) out.cacheWriteInputTokens = write;
  return out;
}

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
 * included in `outputTokens`), so `completion_tokens_details` is left out rather than
 * claiming `reasoning_tokens: 0`.
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

export function mapUsage(usage: TokenUsage | undefined): CompletionUsage {
  const t = tokenCounts(usage);
  const prompt = t.inputTokens;
  const completion = t.outputTokens;
  const cacheRead = t.cachedInputTokens;
  const cacheWrite = t.cacheWriteInputTokens;
  const details: NonNullable<CompletionUsage['prompt_tokens_details']> = { cached_tokens: cacheRead };
  // OpenAI's field for it exists but is rarely sent; only show it when a write happened.
  if (cacheWrite > 0) details.cache_write_tokens = cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: details,
  };
}

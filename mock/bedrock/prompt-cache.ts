/**
 * The fake's prompt cache: which prompt prefixes were written, and the usage a request gets.
 *
 * Semantics, as recorded (test/recorded/data/bedrock/pydantic/pydantic-ai/tests/…):
 * - A request with cachePoints writes everything up to its LAST cachePoint: two cachePoints (end
 *   of system, middle of the user message) → cacheWriteInputTokens 1298, inputTokens 10, only the
 *   text after the second point uncached (models/cassettes/test_bedrock/
 *   test_bedrock_cache_point_adds_cache_control[nova-lite].yaml).
 * - The prefix includes the tools and the tool choice: the same system + cachePoint with
 *   toolChoice `tool` and then `auto` wrote twice, the third call (`tool` again) read
 *   (models/bedrock/cassettes/test_cache/test_bedrock_single_tool_choice_preserves_cache[nova].yaml).
 *   That file's fourth call read a shorter prefix (2098 of 2492 tokens) than this model gives;
 *   nothing recorded explains the difference, so it is not modelled.
 * - Reads take the longest cached prefix; a write then covers only what follows it up to the
 *   last cachePoint. `inputTokens` is what neither read nor wrote.
 * - Usage then carries cacheRead/cacheWriteInputTokens and the duplicates
 *   cacheRead/cacheWriteInputTokenCount (both cache recordings); without a cachePoint, no cache
 *   fields at all (every other recording).
 */
import type { CacheCheckpoint } from './converse-adapter.js';

export interface CachedInput {
  inputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

export class PromptCache {
  private readonly written = new Set<string>();

  clear(): void {
    this.written.clear();
  }

  /** Input-side usage for a request of `total` input tokens with these checkpoints; records the write. */
  account(total: number, checkpoints: readonly CacheCheckpoint[]): CachedInput {
    const points = checkpoints.filter((c) => c.tokens > 0);
    if (points.length === 0) return { inputTokens: total };
    let read = 0;
    for (const c of points) if (this.written.has(c.key)) read = Math.max(read, c.tokens);
    const last = points[points.length - 1]!;
    const write = Math.max(0, last.tokens - read);
    for (const c of points) this.written.add(c.key);
    return {
      inputTokens: Math.max(1, total - read - write),
      cacheReadInputTokens: read,
      cacheWriteInputTokens: write,
      cacheReadInputTokenCount: read,
      cacheWriteInputTokenCount: write,
    };
  }
}

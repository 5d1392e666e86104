import { describe, expect, it } from 'vitest';
import { mapUsage } from '../../../proxy/translate/map-usage.js';
import { validateOpenAI } from '../../../mock/spec/openai-validator.js';

describe('mapUsage', () => {
  it('maps plain usage', () => {
    const u = mapUsage({ inputTokens: 10, outputTokens: 4, totalTokens: 14 });
    expect(u).toEqual({ prompt_tokens: 10, completion_tokens: 4, total_tokens: 14, prompt_tokens_details: { cached_tokens: 0 } });
    expect(validateOpenAI('CreateChatCompletionResponse', { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [], usage: u })).toEqual([]);
  });

  it('prompt_tokens includes cache reads and writes; cached_tokens is the reads', () => {
    const u = mapUsage({ inputTokens: 100, outputTokens: 20, totalTokens: 1620, cacheReadInputTokens: 1000, cacheWriteInputTokens: 500 });
    expect(u.prompt_tokens).toBe(1600);
    expect(u.completion_tokens).toBe(20);
    expect(u.total_tokens).toBe(1620);
    expect(u.prompt_tokens_details).toEqual({ cached_tokens: 1000, cache_write_tokens: 500 });
  });

  it('total is always prompt + completion', () => {
    // Bedrock's own total may or may not count cache tokens; ours always adds up.
    const u = mapUsage({ inputTokens: 5, outputTokens: 5, totalTokens: 10, cacheReadInputTokens: 7 });
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
    expect(u.total_tokens).toBe(17);
  });

  it('missing usage is zeros, never NaN', () => {
    expect(mapUsage(undefined)).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0 } });
    expect(mapUsage({ inputTokens: undefined, outputTokens: 3, totalTokens: undefined }).total_tokens).toBe(3);
  });

  it('does not claim reasoning tokens Bedrock does not report', () => {
    expect(mapUsage({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })).not.toHaveProperty('completion_tokens_details');
  });
});

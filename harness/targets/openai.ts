/** Baseline: OpenAI (or any OpenAI-compatible base URL) through the `openai` SDK. */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { callChat, createClient } from './openai-compatible.js';
import type { Target, TargetCallError } from './types.js';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** `cacheId`: a stable identity for the cache key instead of the base URL (the mock's port changes every run). */
export function openAITarget(opts: { apiKey: string; baseURL?: string; provider?: string; label?: string; cacheId?: string }): Target {
  const baseURL = (opts.baseURL ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
  const client = createClient({ apiKey: opts.apiKey, baseURL });
  const provider = opts.provider ?? 'openai';
  return {
    side: 'baseline',
    label: opts.label ?? `OpenAI ${baseURL}`,
    cacheTarget: (body: ChatCompletionCreateParams) => ({ provider, baseURL: opts.cacheId ?? baseURL, model: body.model }),
    pricedModel: (body, headers) => {
      void headers;
      return body.model;
    },
    call: (body, o) => callChat(client, body, o),
    fatal: (err: TargetCallError) => {
      if (err.status === 401) return `OpenAI rejected the API key (HTTP 401: ${err.message}). Check OPENAI_API_KEY, or use --baseline recorded or --mock.`;
      if (err.status === undefined && err.code === 'connection') return `cannot reach the baseline at ${baseURL}: ${err.message}. Check OPENAI_BASE_URL and the network, or use --baseline recorded.`;
      return undefined;
    },
    close: async () => {},
  };
}

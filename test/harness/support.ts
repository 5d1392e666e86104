import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { SideResult } from '../../harness/types.js';

export function completion(content: string | null, extra: { tool_calls?: Array<{ name: string; arguments: string }>; finish?: string; usage?: [number, number]; model?: string } = {}): ChatCompletion {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1,
    model: extra.model ?? 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        logprobs: null,
        finish_reason: (extra.finish ?? (extra.tool_calls ? 'tool_calls' : 'stop')) as ChatCompletion.Choice['finish_reason'],
        message: {
          role: 'assistant',
          content,
          refusal: null,
          ...(extra.tool_calls ? { tool_calls: extra.tool_calls.map((t, i) => ({ id: `call_${i}`, type: 'function' as const, function: t })) } : {}),
        },
      },
    ],
    ...(extra.usage ? { usage: { prompt_tokens: extra.usage[0], completion_tokens: extra.usage[1], total_tokens: extra.usage[0] + extra.usage[1] } } : {}),
  };
}

export function side(response: ChatCompletion | undefined, o: Partial<SideResult> = {}): SideResult {
  return { ok: !!response, ...(response ? { response } : {}), latencyRecorded: false, fromCache: false, streamed: false, attempts: 1, headers: {}, totalMs: 100, ...o };
}

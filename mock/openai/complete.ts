// Builds a ChatCompletion from the request and the synthetic model's answer.
import type {
  ChatCompletion,
  ChatCompletionCreateParams,
  ChatCompletionMessage,
  ChatCompletionTokenLogprob,
} from 'openai/resources/chat/completions';
import { countTokens, synthesize, type SyntheticAnswer } from '../synthetic.js';
import { promptText, toSyntheticRequest } from './adapter.js';
import { completionId, fingerprint, fnv1a, toolCallId } from './ids.js';

/** Word-sized pieces (leading whitespace attached), the fake's notion of a token. */
export function textPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

function tokenLogprob(tok: string, topN: number): ChatCompletionTokenLogprob {
  const logprob = -((fnv1a(tok) % 1000) / 1000) * 0.5; // deterministic, confident-ish
  const bytes = [...Buffer.from(tok, 'utf8')];
  const alts = [tok, tok.toUpperCase(), `${tok}s`, tok.trim(), `${tok}.`];
  const top = [...new Set(alts)]
    .slice(0, topN)
    .map((t, i) => ({ token: t, logprob: i === 0 ? logprob : logprob - 1.5 - i, bytes: [...Buffer.from(t, 'utf8')] }));
  return { token: tok, logprob, bytes, top_logprobs: top };
}

export function logprobsFor(text: string, topN: number): ChatCompletionTokenLogprob[] {
  return textPieces(text).map((p) => tokenLogprob(p, topN));
}

const FINISH: Record<'end_turn' | 'max_tokens' | 'stop_sequence', ChatCompletion.Choice['finish_reason']> = {
  end_turn: 'stop',
  max_tokens: 'length',
  stop_sequence: 'stop',
};

function choiceFrom(
  answer: SyntheticAnswer,
  index: number,
  key: string,
  legacyFunctions: boolean,
  logprobs: { topN: number } | null,
): { choice: ChatCompletion.Choice; outputText: string } {
  if (answer.kind === 'text') {
    const message: ChatCompletionMessage = { role: 'assistant', content: answer.text, refusal: null, annotations: [] };
    return {
      choice: {
        index,
        message,
        logprobs: logprobs ? { content: logprobsFor(answer.text, logprobs.topN), refusal: null } : null,
        finish_reason: FINISH[answer.stopReason],
      },
      outputText: answer.text,
    };
  }
  const lp = logprobs ? { content: null, refusal: null } : null;
  if (legacyFunctions) {
    const call = answer.calls[0];
    const args = JSON.stringify(call?.input ?? {});
    const message: ChatCompletionMessage = {
      role: 'assistant',
      content: null,
      refusal: null,
      annotations: [],
      function_call: { name: call?.name ?? '', arguments: args },
    };
    return { choice: { index, message, logprobs: lp, finish_reason: 'function_call' }, outputText: `${call?.name}${args}` };
  }
  const tool_calls = answer.calls.map((c, i) => ({
    id: toolCallId(`${key}:${index}:${i}`),
    type: 'function' as const,
    function: { name: c.name, arguments: JSON.stringify(c.input) },
  }));
  const message: ChatCompletionMessage = { role: 'assistant', content: null, refusal: null, annotations: [], tool_calls };
  return {
    choice: { index, message, logprobs: lp, finish_reason: 'tool_calls' },
    outputText: tool_calls.map((t) => t.function.name + t.function.arguments).join('\n'),
  };
}

/**
 * `key` makes ids unique per request (the server passes a counter); everything
 * else depends only on the request, so equal requests give equal content.
 */
export function createCompletion(params: ChatCompletionCreateParams, key: string, now = Date.now()): ChatCompletion {
  const answer = synthesize(toSyntheticRequest(params), 'gpt');
  const n = params.n ?? 1;
  const legacyFunctions = !params.tools?.length && !!params.functions?.length;
  const logprobs = params.logprobs ? { topN: params.top_logprobs ?? 0 } : null;
  const built = Array.from({ length: n }, (_, i) => choiceFrom(answer, i, key, legacyFunctions, logprobs));
  const prompt_tokens = countTokens(promptText(params));
  const completion_tokens = built.reduce((sum, b) => sum + countTokens(b.outputText), 0);
  return {
    id: completionId(key),
    object: 'chat.completion',
    created: Math.floor(now / 1000),
    model: params.model,
    choices: built.map((b) => b.choice),
    usage: {
      prompt_tokens,
      completion_tokens,
      total_tokens: prompt_tokens + completion_tokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: fingerprint(params.model),
  };
}

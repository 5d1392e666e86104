// ChatCompletion -> the ChatCompletionChunk sequence the real API would stream.
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';
import { textPieces } from './complete.js';

export interface StreamOptions {
  includeUsage: boolean;
}

/** Several small deltas even for one-word answers, so clients must concatenate. */
function contentDeltas(text: string): string[] {
  const pieces = textPieces(text);
  if (pieces.length >= 3 || text.length < 3) return pieces;
  const size = Math.ceil(text.length / 3);
  return [text.slice(0, size), text.slice(size, 2 * size), text.slice(2 * size)].filter(Boolean);
}

function fragments(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

export function chunksFromCompletion(c: ChatCompletion, opts: StreamOptions): ChatCompletionChunk[] {
  const base = {
    id: c.id,
    object: 'chat.completion.chunk' as const,
    created: c.created,
    model: c.model,
    ...(c.service_tier !== undefined ? { service_tier: c.service_tier } : {}),
    ...(c.system_fingerprint !== undefined ? { system_fingerprint: c.system_fingerprint } : {}),
    ...(opts.includeUsage ? { usage: null } : {}),
  };
  const out: ChatCompletionChunk[] = [];
  const push = (choice: ChatCompletionChunk.Choice) => out.push({ ...base, choices: [choice] });

  for (const ch of c.choices) {
    const { index, message } = ch;
    const wantLogprobs = ch.logprobs != null;
    const lpQueue: ChatCompletionTokenLogprob[] = [...(ch.logprobs?.content ?? [])];
    const noLp = wantLogprobs ? { content: [], refusal: null } : null;
    const hasCalls = !!message.tool_calls?.length || !!message.function_call;

    push({ index, delta: { role: 'assistant', content: hasCalls ? null : '', refusal: null }, logprobs: noLp, finish_reason: null });

    if (typeof message.content === 'string') {
      for (const piece of contentDeltas(message.content)) {
        // Hand out the logprob entries whose text this delta covers.
        const mine: ChatCompletionTokenLogprob[] = [];
        let covered = 0;
        while (lpQueue.length && covered < piece.length) {
          const t = lpQueue.shift()!;
          mine.push(t);
          covered += t.token.length;
        }
        push({ index, delta: { content: piece }, logprobs: wantLogprobs ? { content: mine, refusal: null } : null, finish_reason: null });
      }
    }
    (message.tool_calls ?? []).forEach((call, i) => {
      if (call.type !== 'function') return;
      push({
        index,
        delta: { tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] },
        logprobs: noLp,
        finish_reason: null,
      });
      for (const frag of fragments(call.function.arguments, 8)) {
        push({ index, delta: { tool_calls: [{ index: i, function: { arguments: frag } }] }, logprobs: noLp, finish_reason: null });
      }
    });
    if (message.function_call) {
      push({ index, delta: { function_call: { name: message.function_call.name, arguments: '' } }, logprobs: noLp, finish_reason: null });
      for (const frag of fragments(message.function_call.arguments, 8)) {
        push({ index, delta: { function_call: { arguments: frag } }, logprobs: noLp, finish_reason: null });
      }
    }
    push({ index, delta: {}, logprobs: noLp, finish_reason: ch.finish_reason });
  }
  if (opts.includeUsage && c.usage) out.push({ ...base, choices: [], usage: c.usage });
  return out;
}

/** Test-only helpers for the response-side translation tests. */
import { expect } from 'vitest';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import { validateOpenAI } from '../../../mock/spec/openai-validator.js';
import type { ResponseMeta, TranslationState } from '../../../proxy/translate/types.js';

export const META: ResponseMeta = { id: 'chatcmpl-test123', created: 1_764_000_000, model: 'gpt-4o' };

export function makeState(overrides: Partial<TranslationState> = {}): TranslationState {
  return {
    toolNames: new Map(),
    stopSequences: [],
    parallelToolCalls: true,
    includeUsage: false,
    ignoredParams: [],
    adjustedParams: [],
    ...overrides,
  };
}

export function expectValidCompletion(value: unknown): void {
  expect(validateOpenAI('CreateChatCompletionResponse', JSON.parse(JSON.stringify(value)))).toEqual([]);
}

export function expectValidChunks(chunks: readonly unknown[]): void {
  for (const c of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', JSON.parse(JSON.stringify(c)))).toEqual([]);
}

/** Bedrock stream events, shaped as the SDK yields them. */
export const ev = {
  start: (): ConverseStreamOutput => ({ messageStart: { role: 'assistant' } }),
  text: (i: number, text: string): ConverseStreamOutput => ({ contentBlockDelta: { contentBlockIndex: i, delta: { text } } }),
  reasoning: (i: number, text: string): ConverseStreamOutput => ({ contentBlockDelta: { contentBlockIndex: i, delta: { reasoningContent: { text } } } }),
  signature: (i: number, signature: string): ConverseStreamOutput => ({ contentBlockDelta: { contentBlockIndex: i, delta: { reasoningContent: { signature } } } }),
  toolStart: (i: number, toolUseId: string, name: string): ConverseStreamOutput => ({
    contentBlockStart: { contentBlockIndex: i, start: { toolUse: { toolUseId, name } } },
  }),
  toolInput: (i: number, input: string): ConverseStreamOutput => ({ contentBlockDelta: { contentBlockIndex: i, delta: { toolUse: { input } } } }),
  blockStop: (i: number): ConverseStreamOutput => ({ contentBlockStop: { contentBlockIndex: i } }),
  stop: (stopReason: string): ConverseStreamOutput => ({ messageStop: { stopReason: stopReason as never } }),
  metadata: (inputTokens = 12, outputTokens = 5, extra: Record<string, number> = {}): ConverseStreamOutput => ({
    metadata: { usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, ...extra }, metrics: { latencyMs: 321 } },
  }),
};

/** Reassembles chunks with the OpenAI SDK's own stream accumulator (what `stream.finalChatCompletion()` gives users). */
export async function sdkReassemble(chunks: readonly unknown[]): Promise<ChatCompletion> {
  const body = chunks.map((c) => `${JSON.stringify(c)}\n`).join('');
  const bytes = new TextEncoder().encode(body);
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return ChatCompletionStream.fromReadableStream(readable).finalChatCompletion();
}

/**
 * A streamed answer under JSON emulation that came as plain text is retried once inside the
 * same client stream, with the Converse input made strict (json-answer.ts); the client sees
 * one answer. The stream keeps the input only for this retry.
 */
import { describe, expect, it } from 'vitest';
import type { ConverseCommandInput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { openChatStream } from '../../proxy/chat/run-chat.js';

const usage = { metadata: { usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, metrics: { latencyMs: 1 } } };
const textAnswer: ConverseStreamOutput[] = [
  { messageStart: { role: 'assistant' } },
  { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Sure, here it is.' } } },
  { contentBlockStop: { contentBlockIndex: 0 } },
  { messageStop: { stopReason: 'end_turn' } },
  usage,
];
const toolAnswer: ConverseStreamOutput[] = [
  { messageStart: { role: 'assistant' } },
  { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't1', name: 'json_response' } } } },
  { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":"Paris"}' } } } },
  { contentBlockStop: { contentBlockIndex: 0 } },
  { messageStop: { stopReason: 'tool_use' } },
  usage,
];

/** What a transport returns: an async iterable of event batches. */
async function* batches(list: ConverseStreamOutput[][]) {
  yield* list;
}

async function run(answers: ConverseStreamOutput[][], jsonTool: string | undefined) {
  const inputs: ConverseCommandInput[] = [];
  const transport = {
    converseStream: async (input: ConverseCommandInput) => {
      inputs.push(input);
      return batches([answers[inputs.length - 1]!]);
    },
  };
  const state = { toolNames: new Map(), ...(jsonTool ? { jsonTool } : {}), stopSequences: [], parallelToolCalls: true, includeUsage: false, ignoredParams: [], adjustedParams: [] };
  const input: ConverseCommandInput = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'Where?' }] }] };
  const chat = { resolved: { bedrockId: 'amazon.nova-lite-v1:0' }, prepared: { input, state }, meta: { id: 'chatcmpl-1', created: 1, model: 'm' } };
  const scope = { abortReason: () => undefined };
  const m = { startedAt: 0 } as Record<string, number>;
  const stream = await openChatStream({ transport, prices: {} } as never, chat as never, m as never, scope as never);
  let content = '';
  let finish: string | null | undefined;
  for await (const chunks of stream)
    for (const c of chunks) {
      content += c.choices[0]?.delta.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
    }
  return { content, finish, inputs, m };
}

describe('streamed JSON answer retried once', () => {
  it('a text answer is not sent; the strict retry answers in the same stream, both generations counted', async () => {
    const r = await run([textAnswer, toolAnswer], 'json_response');
    expect(r.content).toBe('{"city":"Paris"}');
    expect(r.finish).toBe('stop');
    expect(r.inputs).toHaveLength(2);
    expect(r.inputs[1]!.toolConfig?.toolChoice).toEqual({ tool: { name: 'json_response' } });
    expect(r.inputs[1]!.messages).toEqual(r.inputs[0]!.messages);
    expect(r.m.outputTokens).toBe(10);
  });

  it('a second text answer fails in-stream with json_answer_missing', async () => {
    await expect(run([textAnswer, textAnswer], 'json_response')).rejects.toMatchObject({ code: 'json_answer_missing' });
  });

  it('without JSON emulation a text answer is the answer', async () => {
    const r = await run([textAnswer], undefined);
    expect(r.content).toBe('Sure, here it is.');
    expect(r.inputs).toHaveLength(1);
  });
});

/**
 * The chunk iterator openChatStream returns stops the Bedrock stream whenever it stops
 * reading it early — an in-band exception, the client leaving — as a for-await loop would,
 * so a connection is never left streaming into nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { openChatStream } from '../../proxy/chat/run-chat.js';
import { OpenAIHttpError } from '../../proxy/errors.js';

/** Event batches as a transport hands them over, recording whether the consumer stopped them. */
function upstream(batches: ConverseStreamOutput[][]) {
  const seen = { returned: false, pulled: 0 };
  const it: AsyncIterableIterator<ConverseStreamOutput[]> = {
    [Symbol.asyncIterator]: () => it,
    next: async () => (seen.returned || seen.pulled >= batches.length ? { value: undefined, done: true } : { value: batches[seen.pulled++]!, done: false }),
    return: async () => {
      seen.returned = true;
      return { value: undefined, done: true };
    },
  };
  return { it, seen };
}

async function open(batches: ConverseStreamOutput[][]) {
  const { it, seen } = upstream(batches);
  const state = { toolNames: new Map(), stopSequences: [], parallelToolCalls: true, includeUsage: false, ignoredParams: [], adjustedParams: [] };
  const chat = { resolved: { bedrockId: 'amazon.nova-lite-v1:0' }, prepared: { input: { modelId: 'amazon.nova-lite-v1:0', messages: [] }, state }, meta: { id: 'chatcmpl-1', created: 1, model: 'm' } };
  const rt = { transport: { converseStream: async () => it }, prices: {} };
  const m: Record<string, number> = { startedAt: 0 };
  const chunks = await openChatStream(rt as never, chat as never, m as never, { abortReason: () => undefined } as never);
  return { chunks, seen, m };
}

const start: ConverseStreamOutput = { messageStart: { role: 'assistant' } };
const text = (t: string): ConverseStreamOutput => ({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: t } } });

describe('chat chunk iterator', () => {
  it('an in-band exception event fails the iteration with the mapped error and stops the Bedrock stream', async () => {
    const { chunks, seen, m } = await open([[start, text('Hel')], [{ throttlingException: { message: 'slow down' } } as ConverseStreamOutput], [text('lo')]]);
    const first = await chunks.next();
    expect(first.done).toBe(false);
    const failure = await chunks.next().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(OpenAIHttpError);
    expect((failure as OpenAIHttpError).status).toBe(429);
    expect(seen.returned).toBe(true);
    expect(m.bedrockMs).toBeTypeOf('number');
    expect(await chunks.next()).toEqual({ value: undefined, done: true });
  });

  it('return() stops the Bedrock stream; the iteration is over', async () => {
    const { chunks, seen } = await open([[start, text('Hi')], [text(' there')]]);
    expect((await chunks.next()).done).toBe(false);
    await chunks.return!();
    expect(seen.returned).toBe(true);
    expect(await chunks.next()).toEqual({ value: undefined, done: true });
  });
});

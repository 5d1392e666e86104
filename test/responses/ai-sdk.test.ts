/**
 * The Vercel AI SDK against the proxy: `openai(model)` uses the Responses API by default.
 * Both majors run: AI SDK 6 (`ai` 6 + `@ai-sdk/openai` 3, the newest declaring Node 20)
 * and AI SDK 5 (`ai-v5` + `@ai-sdk/openai-v2`, npm aliases of `ai@5` / `@ai-sdk/openai@2`).
 * With their default `store: true` both send earlier output items back as
 * `item_reference`: AI SDK 5 for messages and function calls, AI SDK 6 for messages and
 * reasoning (calls inline). The proxy runs without a response store here (as on Lambda, where
 * it is off by default): the references must resolve from the item ids alone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as ai6 from 'ai';
import * as ai5 from 'ai-v5';
import { createOpenAI as createOpenAI6 } from '@ai-sdk/openai';
import { createOpenAI as createOpenAI5 } from '@ai-sdk/openai-v2';
import { z } from 'zod';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { DEFAULT_CONFIG } from '../../proxy/config.js';
import { createTap, type Tap } from './support.js';

let rig: ProxyRig;
let tap: Tap;
beforeAll(async () => {
  rig = await startProxyRig({ responseStoreMaxEntries: 0 });
  tap = createTap();
});
afterEach(async () => {
  await tap.assertValid();
});
afterAll(async () => rig?.close());

const lastBedrock = () => rig.fake.requests.at(-1)! as { body: any };

/** The two majors share these entry points; typed loosely so one suite drives both. */
interface Sdk {
  name: string;
  ai: Pick<typeof ai6, 'generateText' | 'streamText' | 'generateObject' | 'streamObject' | 'embed' | 'embedMany' | 'tool' | 'stepCountIs'>;
  provider: () => (model: string) => any;
  /** How this major sends an earlier function call back with store: true. */
  callsByReference: boolean;
}

const SDKS: Sdk[] = [
  { name: 'AI SDK 6', ai: ai6, provider: () => createOpenAI6({ baseURL: `${rig.origin}/v1`, apiKey: 'unused', fetch: tap.fetch }), callsByReference: false },
  {
    name: 'AI SDK 5',
    ai: ai5 as unknown as Sdk['ai'],
    provider: () => createOpenAI5({ baseURL: `${rig.origin}/v1`, apiKey: 'unused', fetch: tap.fetch }),
    callsByReference: true,
  },
];

describe.each(SDKS)('$name', (sdk) => {
  const weather = () =>
    sdk.ai.tool({
      description: 'Current weather for a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }: { city: string }) => ({ city, temperatureC: 21 }),
    });

  it('generateText with openai(model) goes through /v1/responses', async () => {
    const openai = sdk.provider();
    const result = await sdk.ai.generateText({ model: openai('gpt-4o-mini'), prompt: 'Hello, how are you?' });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(tap.creates()).toHaveLength(1);
  });

  it('streamText streams the answer (not an empty one)', async () => {
    const openai = sdk.provider();
    const result = sdk.ai.streamText({ model: openai('gpt-4o-mini'), prompt: 'Describe the sea in a sentence or two.' });
    const pieces: string[] = [];
    for await (const t of result.textStream) pieces.push(t);
    expect(pieces.length).toBeGreaterThan(1);
    expect(await result.text).toBe(pieces.join(''));
    expect((await result.text).length).toBeGreaterThan(10);
  });

  it('generateObject returns a schema-valid object', async () => {
    const openai = sdk.provider();
    const { object } = await sdk.ai.generateObject({
      model: openai('gpt-4o'),
      schema: z.object({ name: z.string(), born: z.number().int() }),
      prompt: 'Who wrote Hamlet? Give name and birth year.',
    });
    expect(typeof object.name).toBe('string');
    expect(Number.isInteger(object.born)).toBe(true);
  });

  it('streamObject streams partial objects and ends with a schema-valid one', async () => {
    const openai = sdk.provider();
    const result = sdk.ai.streamObject({
      model: openai('gpt-4o'),
      schema: z.object({ title: z.string(), tags: z.array(z.string()) }),
      prompt: 'A title and tags for a post about tide pools.',
    });
    const partials: unknown[] = [];
    for await (const p of result.partialObjectStream) partials.push(p);
    const object = (await result.object) as { title: string; tags: string[] };
    expect(partials.length).toBeGreaterThan(0);
    expect(typeof object.title).toBe('string');
    expect(Array.isArray(object.tags)).toBe(true);
    expect(partials.at(-1)).toEqual(object);
  });

  it('openai.chat(model) goes through /v1/chat/completions: generateObject and streamText', async () => {
    const openai = sdk.provider() as unknown as { chat: (m: string) => unknown };
    const { object } = await sdk.ai.generateObject({
      model: openai.chat('gpt-4o-mini') as never,
      schema: z.object({ city: z.string(), country: z.string() }),
      prompt: 'Name a city and its country.',
    });
    expect(typeof object.city).toBe('string');
    expect(typeof object.country).toBe('string');
    const stream = sdk.ai.streamText({ model: openai.chat('gpt-4o-mini') as never, prompt: 'Describe the sea in a sentence or two.' });
    let text = '';
    for await (const t of stream.textStream) text += t;
    expect(text.length).toBeGreaterThan(10);
    expect(tap.exchanges.some((x) => x.path.endsWith('/chat/completions'))).toBe(true);
    expect(tap.creates()).toHaveLength(0);
  });

  it('embed and embedMany return one vector per input, in order', async () => {
    const openai = sdk.provider() as unknown as { embedding?: (m: string) => unknown; textEmbeddingModel: (m: string) => unknown };
    const model = (openai.embedding ?? openai.textEmbeddingModel)('text-embedding-3-small') as never;
    const one = await sdk.ai.embed({ model, value: 'sunny day at the beach' });
    expect(one.embedding.length).toBeGreaterThan(100);
    const many = await sdk.ai.embedMany({ model, values: ['sunny day at the beach', 'a rainy afternoon', 'sunny day at the beach'] });
    expect(many.embeddings).toHaveLength(3);
    expect(many.embeddings[0]).toEqual(many.embeddings[2]);
    expect(many.embeddings[0]).not.toEqual(many.embeddings[1]);
    expect(many.embeddings[0]).toEqual(one.embedding);
  });

  it('runs a generateText tool loop with item references', async () => {
    const openai = sdk.provider();
    rig.fake.enqueue({
      output: { message: { role: 'assistant', content: [{ text: 'I will look it up.' }, { toolUse: { toolUseId: 'tooluse_g1', name: 'get_weather', input: { city: 'Paris' } } }] } },
      stopReason: 'tool_use',
    });
    const result = await sdk.ai.generateText({
      model: openai('gpt-4o'),
      tools: { get_weather: weather() },
      stopWhen: sdk.ai.stepCountIs(3),
      prompt: 'What is the weather in Paris?',
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Paris' } });
    expect(result.text.length).toBeGreaterThan(0);
    const second = tap.creates()[1]!.request;
    const refs = second.input.filter((i: any) => i.type === 'item_reference');
    expect(refs).toHaveLength(sdk.callsByReference ? 2 : 1);
    expect(second.input.some((i: any) => i.type === 'function_call')).toBe(!sdk.callsByReference);
    expect(lastBedrock().body.messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ text: 'I will look it up.' }, { toolUse: { toolUseId: 'tooluse_g1', name: 'get_weather', input: { city: 'Paris' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_g1', content: [{ text: JSON.stringify({ city: 'Paris', temperatureC: 21 }) }] } }] },
    ]);
  });

  it('runs a streamText tool loop: tool input streamed as it arrives, streamed text sent back by reference', async () => {
    const openai = sdk.provider();
    rig.fake.enqueue({
      output: { message: { role: 'assistant', content: [{ text: 'Checking now.' }, { toolUse: { toolUseId: 'tooluse_st1', name: 'get_weather', input: { city: 'Madrid' } } }] } },
      stopReason: 'tool_use',
    });
    const result = sdk.ai.streamText({
      model: openai('gpt-4o'),
      tools: { get_weather: weather() },
      stopWhen: sdk.ai.stepCountIs(3),
      prompt: 'What is the weather in Madrid?',
    });
    const inputDeltas: string[] = [];
    const types = new Set<string>();
    for await (const part of result.fullStream) {
      types.add(part.type);
      if (part.type === 'tool-input-delta') inputDeltas.push(part.delta);
      expect(part.type).not.toBe('error');
    }
    expect(inputDeltas.length).toBeGreaterThan(1);
    expect(inputDeltas.join('')).toBe('{"city":"Madrid"}');
    expect((await result.steps).length).toBe(2);
    expect((await result.text).length).toBeGreaterThan(0);
    const second = tap.creates()[1]!.request;
    // The streamed message (pending id), the reasoning carrier describing it, and on AI SDK 5 the call.
    expect(second.input.filter((i: any) => i.type === 'item_reference').map((i: any) => i.id.slice(0, 3))).toEqual(sdk.callsByReference ? ['msg', 'rs_', 'fc_'] : ['msg', 'rs_']);
    expect(lastBedrock().body.messages[1]).toEqual({
      role: 'assistant',
      content: [{ text: 'Checking now.' }, { toolUse: { toolUseId: 'tooluse_st1', name: 'get_weather', input: { city: 'Madrid' } } }],
    });
  });

  it('continues a conversation from response.messages (generateText)', async () => {
    const openai = sdk.provider();
    const first = await sdk.ai.generateText({ model: openai('gpt-4o-mini'), prompt: 'Name a colour.' });
    const messages = [{ role: 'user' as const, content: 'Name a colour.' }, ...first.response.messages, { role: 'user' as const, content: 'And another?' }];
    await sdk.ai.generateText({ model: openai('gpt-4o-mini'), messages });
    expect(tap.creates()[1]!.request.input.some((i: any) => i.type === 'item_reference')).toBe(true);
    expect(lastBedrock().body.messages).toEqual([
      { role: 'user', content: [{ text: 'Name a colour.' }] },
      { role: 'assistant', content: [{ text: first.text }] },
      { role: 'user', content: [{ text: 'And another?' }] },
    ]);
  });
});

describe('streamed multi-turn conversations', () => {
  it('without a response store need store: false, because a streamed answer has no id carrying it', async () => {
    const openai = SDKS[0]!.provider();
    const first = ai6.streamText({ model: openai('gpt-4o-mini'), prompt: 'Name a colour.' });
    const messages = [{ role: 'user' as const, content: 'Name a colour.' }, ...(await first.response).messages, { role: 'user' as const, content: 'And another?' }];
    const err = await ai6.generateText({ model: openai('gpt-4o-mini'), messages, maxRetries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String(err.message)).toMatch(/streamed before its content was known/);

    // The client-side fix: send items inline.
    const ok = await ai6.generateText({ model: openai('gpt-4o-mini'), messages, providerOptions: { openai: { store: false } } });
    expect(ok.text.length).toBeGreaterThan(0);
    expect(lastBedrock().body.messages[1]).toEqual({ role: 'assistant', content: [{ text: await first.text }] });
  });

  it('work unchanged with the default configuration, which keeps a response store', async () => {
    const stored = await startProxyRig({ responseStoreMaxEntries: DEFAULT_CONFIG.responseStoreMaxEntries });
    expect(DEFAULT_CONFIG.responseStoreMaxEntries).toBeGreaterThan(0);
    try {
      const storeTap = createTap();
      const openai = createOpenAI6({ baseURL: `${stored.origin}/v1`, apiKey: 'unused', fetch: storeTap.fetch });
      const first = ai6.streamText({ model: openai('gpt-4o-mini'), prompt: 'Name a colour.' });
      const messages = [{ role: 'user' as const, content: 'Name a colour.' }, ...(await first.response).messages, { role: 'user' as const, content: 'And another?' }];
      await ai6.generateText({ model: openai('gpt-4o-mini'), messages });
      expect((stored.fake.requests.at(-1) as { body: any }).body.messages[1]).toEqual({ role: 'assistant', content: [{ text: await first.text }] });
      await storeTap.assertValid();
    } finally {
      await stored.close();
      // The rig points the AWS SDK at its fake through the environment: point it back.
      process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = rig.fake.url;
    }
  });
});

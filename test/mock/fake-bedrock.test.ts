import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InternalServerException,
  ModelErrorException,
  ModelNotReadyException,
  ModelStreamErrorException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import type { ConverseCommandInput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fakeBedrockEnv, startFakeBedrock } from '../../mock/fake-bedrock.js';
import { decodeFrames } from '../../mock/bedrock/event-stream.js';
import { bedrockModel } from '../../mock/spec/bedrock-model.js';
import { validateShape } from '../../mock/spec/bedrock-validator.js';
import type { FakeBedrock } from '../../mock/fake-bedrock.js';

const MODEL = 'us.amazon.nova-lite-v1:0';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };

let fake: FakeBedrock;
let h2: BedrockRuntimeClient;
let h1: BedrockRuntimeClient;

function client(extra: Partial<ConstructorParameters<typeof BedrockRuntimeClient>[0]> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ endpoint: fake.url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

beforeAll(async () => {
  fake = await startFakeBedrock();
  h2 = client();
  h1 = client({ requestHandler: new NodeHttpHandler({ connectionTimeout: 2000 }) });
});
afterEach(() => fake.reset());
afterAll(async () => {
  h2.destroy();
  h1.destroy();
  await fake.close();
});

const ask = (text: string, extra: Partial<ConverseCommandInput> = {}): ConverseCommandInput => ({
  modelId: MODEL,
  messages: [{ role: 'user', content: [{ text }] }],
  ...extra,
});

const weatherTool = {
  tools: [{
    toolSpec: {
      name: 'get_weather',
      description: 'Current weather for a city',
      inputSchema: { json: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] } },
    },
  }],
};

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const out: ConverseStreamOutput[] = [];
  for await (const ev of stream ?? []) out.push(ev);
  return out;
}

function eventNames(events: ConverseStreamOutput[]): string[] {
  return events.map((e) => Object.keys(e).find((k) => (e as unknown as Record<string, unknown>)[k] !== undefined)!);
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('fake Bedrock over the real SDK', () => {
  it('answers Converse over cleartext HTTP/2 (the SDK default handler)', async () => {
    const res = await h2.send(new ConverseCommand(ask('Explain how photosynthesis works in plants.', { system: [{ text: 'Be brief.' }] })));
    const text = res.output?.message?.content?.[0]?.text ?? '';
    expect(text).toMatch(/photosynthesis/);
    expect(res.stopReason).toBe('end_turn');
    expect(res.usage?.inputTokens).toBeGreaterThan(0);
    expect(res.usage?.totalTokens).toBe((res.usage?.inputTokens ?? 0) + (res.usage?.outputTokens ?? 0));
    expect(res.metrics?.latencyMs).toBeGreaterThan(0);
    const [req] = fake.requests;
    expect(req).toMatchObject({ operation: 'Converse', modelId: MODEL, httpVersion: '2.0', path: '/model/us.amazon.nova-lite-v1%3A0/converse' });
    expect(String(req!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
    expect(req!.body).toMatchObject({ system: [{ text: 'Be brief.' }] });
  });

  it('answers Converse over HTTP/1.1 (NodeHttpHandler)', async () => {
    const res = await h1.send(new ConverseCommand(ask('Tell me about volcanoes')));
    expect(res.output?.message?.content?.[0]?.text).toMatch(/volcanoes/);
    expect(fake.requests[0]!.httpVersion).toBe('1.1');
  });

  it.each([['HTTP/2', () => h2], ['HTTP/1.1', () => h1]])('streams ConverseStream events in order over %s', async (_name, get) => {
    const input = ask('Describe the history of the printing press in Europe');
    const whole = await get().send(new ConverseCommand(input));
    const res = await get().send(new ConverseStreamCommand(input));
    const events = await collect(res.stream);
    const names = eventNames(events);
    expect(names[0]).toBe('messageStart');
    expect(names.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    const deltas = events.flatMap((e) => (e.contentBlockDelta?.delta?.text !== undefined ? [e.contentBlockDelta.delta.text] : []));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(whole.output?.message?.content?.[0]?.text);
    expect(events.at(-2)?.messageStop?.stopReason).toBe('end_turn');
    expect(events.at(-1)?.metadata?.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('delivers stream frames one by one (chunkDelayMs)', async () => {
    fake.enqueue({ chunkDelayMs: 40 });
    const res = await h2.send(new ConverseStreamCommand(ask('Tell me about rivers and mountains and lakes')));
    const times: number[] = [];
    for await (const _ of res.stream ?? []) times.push(Date.now());
    expect(times.length).toBeGreaterThan(4);
    // Buffered delivery would put every event in the same instant.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(40 * (times.length - 2));
  });

  it('calls a tool the user mentions, in Converse and in the stream', async () => {
    const input = ask("What's the weather in Paris?", { toolConfig: weatherTool });
    const res = await h2.send(new ConverseCommand(input));
    expect(res.stopReason).toBe('tool_use');
    const toolUse = res.output?.message?.content?.find((b) => b.toolUse)?.toolUse;
    expect(toolUse).toMatchObject({ name: 'get_weather', input: { location: 'Paris', unit: 'celsius' } });
    // Recorded ids are `tooluse_` + 22 URL-safe base64 characters (`-` and `_` occur).
    expect(toolUse?.toolUseId).toMatch(/^tooluse_[A-Za-z0-9_-]{22}$/);

    const stream = await collect((await h2.send(new ConverseStreamCommand(input))).stream);
    const start = stream.find((e) => e.contentBlockStart)?.contentBlockStart;
    expect(start?.start?.toolUse?.name).toBe('get_weather');
    const json = stream.flatMap((e) => (e.contentBlockDelta?.delta?.toolUse ? [e.contentBlockDelta.delta.toolUse.input ?? ''] : []));
    expect(json.length).toBeGreaterThan(1);
    expect(JSON.parse(json.join(''))).toEqual({ location: 'Paris', unit: 'celsius' });
    expect(stream.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('answers with the tool result after a toolUse/toolResult round trip', async () => {
    const res = await h2.send(new ConverseCommand({
      modelId: MODEL,
      toolConfig: weatherTool,
      messages: [
        { role: 'user', content: [{ text: "What's the weather in Paris?" }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { location: 'Paris' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ json: { temperature: 21, sky: 'clear' } }] } }] },
      ],
    }));
    expect(res.stopReason).toBe('end_turn');
    expect(res.output?.message?.content?.[0]?.text).toContain('"temperature":21');
  });

  const errorCases = [
    ['ValidationException', ValidationException, 400],
    ['AccessDeniedException', AccessDeniedException, 403],
    ['ResourceNotFoundException', ResourceNotFoundException, 404],
    ['ThrottlingException', ThrottlingException, 429],
    ['ServiceQuotaExceededException', ServiceQuotaExceededException, 400],
    ['ModelTimeoutException', ModelTimeoutException, 408],
    ['ServiceUnavailableException', ServiceUnavailableException, 503],
    ['ModelNotReadyException', ModelNotReadyException, 429],
    ['ModelErrorException', ModelErrorException, 424],
    ['InternalServerException', InternalServerException, 500],
  ] as const;

  it.each(errorCases)('maps a scripted %s to the SDK exception class and status', async (errorType, cls, status) => {
    for (const c of [h2, h1]) {
      fake.enqueue({ errorType, message: `scripted ${errorType}` });
      const err = await c.send(new ConverseCommand(ask('hello'))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(cls);
      expect((err as InstanceType<typeof cls>).message).toBe(`scripted ${errorType}`);
      expect((err as InstanceType<typeof cls>).$metadata.httpStatusCode).toBe(status);
    }
  });

  it('maps scripted errors on ConverseStream before the stream starts', async () => {
    fake.enqueue({ error: { errorType: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' } });
    await expect(h2.send(new ConverseStreamCommand(ask('hi')))).rejects.toBeInstanceOf(ThrottlingException);
  });

  it.each([
    ['modelStreamErrorException', ModelStreamErrorException],
    ['throttlingException', ThrottlingException],
    ['internalServerException', InternalServerException],
    ['validationException', ValidationException],
    ['serviceUnavailableException', ServiceUnavailableException],
  ] as const)('raises an in-stream %s while iterating', async (type, cls) => {
    fake.enqueue({
      events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Partial' } } }],
      streamError: { type, message: `in-stream ${type}` },
    });
    const res = await h2.send(new ConverseStreamCommand(ask('hi')));
    const seen: ConverseStreamOutput[] = [];
    const err = await (async () => {
      for await (const ev of res.stream ?? []) seen.push(ev);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toBe(`in-stream ${type}`);
    expect(eventNames(seen)).toEqual(['messageStart', 'contentBlockDelta']);
  });

  it('serves scripted responses on either operation', async () => {
    const response = { output: { message: { role: 'assistant' as const, content: [{ text: 'Scripted answer here.' }] } }, stopReason: 'max_tokens' };
    fake.enqueue(response, response);
    const res = await h2.send(new ConverseCommand(ask('hi')));
    expect(res.output?.message?.content?.[0]?.text).toBe('Scripted answer here.');
    expect(res.stopReason).toBe('max_tokens');
    const events = await collect((await h2.send(new ConverseStreamCommand(ask('hi')))).stream);
    expect(events.flatMap((e) => (e.contentBlockDelta?.delta?.text ? [e.contentBlockDelta.delta.text] : [])).join('')).toBe('Scripted answer here.');
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('max_tokens');
    // Falls back to the synthetic model when the queue is empty.
    const after = await h2.send(new ConverseCommand(ask('Tell me about owls')));
    expect(after.output?.message?.content?.[0]?.text).toMatch(/owls/);
  });

  it('reassembles scripted stream events for Converse', async () => {
    fake.enqueue([
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hel' } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'lo' } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
      { metadata: { usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 }, metrics: { latencyMs: 5 } } },
    ]);
    const res = await h2.send(new ConverseCommand(ask('hi')));
    expect(res.output?.message?.content).toEqual([{ text: 'Hello' }]);
    expect(res.usage).toEqual({ inputTokens: 3, outputTokens: 1, totalTokens: 4 });
  });

  it('rejects invalid requests with the service messages', async () => {
    const err = await h2.send(new ConverseCommand({
      modelId: MODEL,
      messages: [{ role: 'assistant', content: [{ text: 'Hi' }] }, { role: 'user', content: [{ text: 'Hello' }] }],
    })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    expect((err as Error).message).toBe('A conversation must start with a user message. Try again with a conversation that starts with a user message.');

    const temp = await h1.send(new ConverseStreamCommand(ask('hi', { inferenceConfig: { temperature: 1.5 } }))).catch((e: unknown) => e);
    expect(temp).toBeInstanceOf(ValidationException);
    expect((temp as Error).message).toBe("1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1");
  });

  it('rejects unknown models (a 400, as recorded) and, when configured, bare model IDs', async () => {
    for (const modelId of ['anthropic.claude-3-haiku-20240307-v1:0', 'us.amazon.nova-micro-v1:O', 'amazon.nova-tiny-v1:0']) {
      const err = await h2.send(new ConverseCommand({ ...ask('hi'), modelId })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationException);
      expect((err as ValidationException).$metadata.httpStatusCode).toBe(400);
      expect((err as Error).message).toBe('The provided model identifier is invalid.');
    }
    const strict = await startFakeBedrock({ requireInferenceProfile: true });
    const c = new BedrockRuntimeClient({ endpoint: strict.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const err = await c.send(new ConverseCommand({ ...ask('hi'), modelId: 'amazon.nova-lite-v1:0' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationException);
      expect((err as Error).message).toBe("Invocation of model ID amazon.nova-lite-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.");
      const ok = await c.send(new ConverseCommand(ask('hi')));
      expect(ok.stopReason).toBe('end_turn');
    } finally {
      c.destroy();
      await strict.close();
    }
  });

  it('fails generation for tool names Nova cannot emit', async () => {
    const tools = { tools: [{ toolSpec: { name: 'get-weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }] };
    const input = ask('Use get-weather for Oslo', { toolConfig: tools });
    const err = await h2.send(new ConverseCommand(input)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelErrorException);
    expect((err as Error).message).toMatch(/Model produced invalid sequence as part of ToolUse/);
    const res = await h2.send(new ConverseStreamCommand(input));
    await expect(collect(res.stream)).rejects.toBeInstanceOf(ModelStreamErrorException);
    // No tool call, no failure: the name alone is valid.
    const plain = await h2.send(new ConverseCommand(ask('Tell me a story about dragons', { toolConfig: tools })));
    expect(plain.stopReason).toBe('end_turn');
  });

  it('streams redacted reasoning for Nova 2 when reasoningConfig is enabled, billed as output', async () => {
    const input = (effort: string) => ({
      ...ask('Why is the sky blue?'),
      modelId: 'global.amazon.nova-2-lite-v1:0',
      additionalModelRequestFields: { reasoningConfig: { type: 'enabled', maxReasoningEffort: effort } },
    });
    const res = await h2.send(new ConverseStreamCommand(input('low')));
    const events = await collect(res.stream);
    const reasoning = events.flatMap((e) => (e.contentBlockDelta?.delta?.reasoningContent?.text ? [e.contentBlockDelta.delta.reasoningContent.text] : []));
    expect(reasoning.join('')).toBe('[REDACTED].');
    expect(events.find((e) => e.contentBlockDelta?.delta?.text)?.contentBlockDelta?.contentBlockIndex).toBe(1);
    const low = events.find((e) => e.metadata)?.metadata?.usage?.outputTokens ?? 0;
    const high = (await h2.send(new ConverseCommand(input('high')))).usage?.outputTokens ?? 0;
    const off = (await h2.send(new ConverseCommand({ ...ask('Why is the sky blue?'), modelId: 'global.amazon.nova-2-lite-v1:0' }))).usage?.outputTokens ?? 0;
    expect(off).toBeLessThan(low);
    expect(low).toBeLessThan(high);
  });

  it('reports prompt-cache writes then reads for a repeated prefix', async () => {
    const input = ask('What does the handbook say about holidays?', {
      system: [{ text: 'You answer questions about the employee handbook. '.repeat(20) }, { cachePoint: { type: 'default' } }],
    });
    const first = await h2.send(new ConverseCommand(input));
    const second = await h2.send(new ConverseCommand(input));
    expect(first.usage?.cacheWriteInputTokens).toBeGreaterThan(200);
    expect(first.usage?.cacheReadInputTokens).toBe(0);
    expect(second.usage?.cacheReadInputTokens).toBe(first.usage?.cacheWriteInputTokens);
  });

  it('counts tokens', async () => {
    const res = await h2.send(new CountTokensCommand({
      modelId: 'amazon.nova-lite-v1:0',
      input: { converse: { messages: [{ role: 'user', content: [{ text: 'x'.repeat(400) }] }] } },
    }));
    expect(res.inputTokens).toBe(100);
  });

  it('counts a client abort of a hanging stream', async () => {
    fake.enqueue({ hang: true });
    const ac = new AbortController();
    const pending = h2.send(new ConverseStreamCommand(ask('hi')), { abortSignal: ac.signal });
    await until(() => fake.requests.length === 1);
    ac.abort();
    await expect(pending).rejects.toThrow();
    await until(() => fake.aborted === 1);
  });

  it('counts a client abort in the middle of a stream', async () => {
    fake.enqueue({ events: [{ messageStart: { role: 'assistant' } }], hang: true });
    const ac = new AbortController();
    const res = await h1.send(new ConverseStreamCommand(ask('hi')), { abortSignal: ac.signal });
    const it = res.stream![Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ messageStart: { role: 'assistant' } });
    ac.abort();
    await expect(it.next()).rejects.toThrow();
    await until(() => fake.aborted === 1);
    // A completed request does not count.
    await h1.send(new ConverseCommand(ask('hi')));
    expect(fake.aborted).toBe(1);
  });

  it('delays the first byte by latencyMs', async () => {
    const slow = await startFakeBedrock({ latencyMs: 150 });
    const c = new BedrockRuntimeClient({ endpoint: slow.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const t0 = Date.now();
      await c.send(new ConverseCommand(ask('hi')));
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    } finally {
      c.destroy();
      await slow.close();
    }
  });

  it('is reachable through AWS_ENDPOINT_URL_BEDROCK_RUNTIME (fakeBedrockEnv)', async () => {
    const env = fakeBedrockEnv(fake);
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    const c = new BedrockRuntimeClient({ maxAttempts: 1 });
    try {
      const res = await c.send(new ConverseCommand(ask('Tell me about comets')));
      expect(res.output?.message?.content?.[0]?.text).toMatch(/comets/);
      expect(fake.requests).toHaveLength(1);
    } finally {
      c.destroy();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  // Members the live service sends beyond the service model (test/recorded: every 2026 answer has
  // usage.serverToolUsage; cached requests add cacheRead/WriteInputTokenCount).
  const RECORDED_EXTRAS = new Set(['usage.serverToolUsage', 'usage.cacheReadInputTokenCount', 'usage.cacheWriteInputTokenCount']);

  it('sends responses and stream events that conform to the service model (plus the recorded extras)', async () => {
    const post = (op: string, body: unknown, modelId = MODEL): Promise<Response> =>
      fetch(`${fake.url}/model/${encodeURIComponent(modelId)}/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer test' }, body: JSON.stringify(body) });
    const bodies: [unknown, string][] = [
      [{ messages: [{ role: 'user', content: [{ text: 'Tell me about tides' }] }], inferenceConfig: { stopSequences: ['tides'] } }, MODEL],
      [{ messages: [{ role: 'user', content: [{ text: "What's the weather in Oslo?" }] }], toolConfig: weatherTool }, MODEL],
      [{ messages: [{ role: 'user', content: [{ text: 'Why?' }] }], additionalModelRequestFields: { reasoningConfig: { type: 'enabled' } } }, 'us.amazon.nova-2-lite-v1:0'],
    ];
    const streamMembers = bedrockModel().shapes.ConverseStreamOutput!.members!;
    for (const [body, modelId] of bodies) {
      const res = await post('converse', body, modelId);
      expect(res.status).toBe(200);
      expect(validateShape('ConverseResponse', await res.json()).filter((i) => !RECORDED_EXTRAS.has(i.path))).toEqual([]);
      const stream = await post('converse-stream', body, modelId);
      expect(stream.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
      const frames = decodeFrames(new Uint8Array(await stream.arrayBuffer()));
      expect(frames.length).toBeGreaterThan(3);
      for (const frame of frames) {
        expect(frame.headers[':message-type']).toBe('event');
        const { p: _padding, ...payload } = frame.body as Record<string, unknown>;
        const shape = streamMembers[frame.headers[':event-type']!]!.shape;
        expect(validateShape(shape, payload).filter((i) => !RECORDED_EXTRAS.has(i.path)), `${shape} ${JSON.stringify(payload)}`).toEqual([]);
      }
    }
  });

  it('rejects unsigned requests and unknown routes', async () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
    const unsigned = await fetch(`${fake.url}/model/${encodeURIComponent(MODEL)}/converse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:/);
    const bearer = await fetch(`${fake.url}/model/${encodeURIComponent(MODEL)}/converse`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ABSK-test' }, body });
    expect(bearer.status).toBe(200);
    const unknown = await fetch(`${fake.url}/model/${encodeURIComponent(MODEL)}/invoke-with-response-stream`, { method: 'POST', headers: { authorization: 'Bearer x' }, body });
    expect(unknown.status).toBe(404);
  });
});

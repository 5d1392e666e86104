/**
 * The five behaviours the recordings exposed, end to end: the real `openai` SDK → the proxy → the
 * fake Bedrock, whose rules and answers now follow the recordings (a high-effort request with
 * maxTokens is refused, Nova 1 answers `toolChoice: any` after a tool result in text, Nova 2
 * reasoning is `[REDACTED].`, stop strings come back with end_turn, Nova 1 writes `<thinking>`
 * preambles). Each test would fail against the proxy as it was before.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import { sdkReassemble } from '../translate/response/helpers.js';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';

type Json = Record<string, unknown>;
const NOVA2 = 'us.amazon.nova-2-lite-v1:0';
const MICRO = 'us.amazon.nova-micro-v1:0';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig();
});
beforeEach(() => rig.fake.reset());
afterAll(async () => {
  await rig.close();
});

async function complete(params: ChatCompletionCreateParamsNonStreaming) {
  const { data, response } = await rig.client.chat.completions.create(params).withResponse();
  const json = JSON.parse(JSON.stringify(data)) as Json;
  expect(validateOpenAI('CreateChatCompletionResponse', json)).toEqual([]);
  return { data, message: data.choices[0]!.message as unknown as Json, headers: response.headers };
}

async function stream(params: ChatCompletionCreateParamsNonStreaming) {
  const s = await rig.client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of s) chunks.push(c);
  for (const c of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', JSON.parse(JSON.stringify(c)))).toEqual([]);
  const final = await sdkReassemble(chunks);
  const reasoning = chunks.map((c) => (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '').join('');
  return { chunks, final, reasoning, usage: chunks.at(-1)!.usage };
}

const sentBodies = () => rig.fake.requests.map((r) => r.body as Json);

describe('1. high reasoning effort and a token limit', () => {
  it('high + max_tokens: maxTokens is not sent (Bedrock refuses the pair), and the header says so', async () => {
    const { headers, data } = await complete({ model: NOVA2, messages: [{ role: 'user', content: 'Hello' }], reasoning_effort: 'high', max_tokens: 1024 });
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(headers.get('x-nova-adjusted-params')).toBe('max_tokens');
    const body = sentBodies()[0]!;
    expect(body.additionalModelRequestFields).toEqual({ reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' } });
    expect(body).not.toHaveProperty('inferenceConfig');
  });

  it.each([
    // effort sent, maxReasoningEffort on the wire (undefined: reasoning off), maxTokens kept?, adjusted params
    ['low', 'low', true, null],
    ['medium', 'medium', true, null],
    ['high', 'high', false, 'max_completion_tokens'],
    ['xhigh', 'high', false, 'max_completion_tokens,reasoning_effort'],
    ['minimal', undefined, true, 'reasoning_effort'],
    ['none', undefined, true, null],
  ] as const)('reasoning_effort %s with max_completion_tokens', async (effort, wire, keepsMax, adjusted) => {
    const { headers } = await complete({ model: NOVA2, messages: [{ role: 'user', content: 'Hello' }], reasoning_effort: effort as never, max_completion_tokens: 500 });
    const body = sentBodies()[0]!;
    expect((body.additionalModelRequestFields as Json | undefined)?.reasoningConfig).toEqual(wire ? { type: 'enabled', maxReasoningEffort: wire } : undefined);
    expect((body.inferenceConfig as Json | undefined)?.maxTokens).toBe(keepsMax ? 500 : undefined);
    expect(headers.get('x-nova-adjusted-params')?.split(',').sort().join(',') ?? null).toBe(adjusted);
  });

  it('streaming too', async () => {
    const { final } = await stream({ model: NOVA2, messages: [{ role: 'user', content: 'Hello' }], reasoning_effort: 'high', max_completion_tokens: 64 });
    expect(final.choices[0]!.finish_reason).toBe('stop');
    expect(sentBodies()[0]).not.toHaveProperty('inferenceConfig');
  });
});

describe('2. JSON output after a tool turn on Nova 1 (toolChoice any answered in text)', () => {
  const schema = { type: 'object', properties: { city: { type: 'string' }, summary: { type: 'string' } }, required: ['city', 'summary'] };
  const messages: ChatCompletionMessageParam[] = [
    { role: 'user', content: "What's the weather in Oslo?" },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: '12°C and sunny' },
  ];
  const params: ChatCompletionCreateParamsNonStreaming = {
    model: MICRO,
    messages,
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
    response_format: { type: 'json_schema', json_schema: { name: 'report', schema } },
  };

  it('retries once with the JSON tool forced: the client gets JSON, usage of both calls', async () => {
    const { message, data } = await complete(params);
    const answer = JSON.parse(String(message.content)) as Json;
    expect(Object.keys(answer).sort()).toEqual(['city', 'summary']);
    expect(data.choices[0]!.finish_reason).toBe('stop');
    const [first, retry] = sentBodies();
    expect((first!.toolConfig as Json).toolChoice).toEqual({ any: {} });
    expect((retry!.toolConfig as Json).toolChoice).toEqual({ tool: { name: 'json_response' } });
    expect(JSON.stringify(retry!.system)).toMatch(/calling the json_response tool/);
    // The first call answered in text: its tokens are billed and counted.
    expect(data.usage!.completion_tokens).toBeGreaterThan(20);
  });

  it('streaming: the retry continues the same stream; content is only the JSON', async () => {
    const { final, chunks, usage } = await stream(params);
    expect(Object.keys(JSON.parse(String(final.choices[0]!.message.content)) as Json).sort()).toEqual(['city', 'summary']);
    expect(chunks.filter((c) => (c.choices[0]?.delta as Json | undefined)?.role === 'assistant')).toHaveLength(1);
    expect(chunks.filter((c) => c.choices[0]?.finish_reason)).toHaveLength(1);
    expect(rig.fake.requests).toHaveLength(2);
    expect(usage!.prompt_tokens).toBeGreaterThan(0);
  });

  it('when the retry answers in text too: an honest 502 json_answer_missing, never a 200 with prose', async () => {
    const text = { answer: { kind: 'text' as const, text: 'It is sunny in Oslo.', stopReason: 'end_turn' as const } };
    rig.fake.enqueue(text, text);
    const err = await rig.client.chat.completions.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('json_answer_missing');
    expect(rig.fake.requests).toHaveLength(2);

    rig.fake.reset();
    rig.fake.enqueue(text, text);
    const s = await rig.client.chat.completions.create({ ...params, stream: true });
    const got = await (async () => {
      const chunks: ChatCompletionChunk[] = [];
      try {
        for await (const c of s) chunks.push(c);
      } catch (e) {
        return { chunks, e };
      }
      return { chunks, e: undefined };
    })();
    expect((got.e as InstanceType<typeof OpenAI.APIError>).message).toMatch(/answered in text instead of the JSON/);
    expect(got.chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('');
  });

  it('a text answer that is a JSON object needs no retry', async () => {
    rig.fake.enqueue({ answer: { kind: 'text', text: '{"city":"Oslo","summary":"sunny"}', stopReason: 'end_turn' } });
    const { message } = await complete(params);
    expect(JSON.parse(String(message.content))).toEqual({ city: 'Oslo', summary: 'sunny' });
    expect(rig.fake.requests).toHaveLength(1);
  });
});

describe('3. Nova 2 redacted reasoning', () => {
  it('no "[REDACTED]." reasoning_content; reasoning tokens reported in completion_tokens_details', async () => {
    const { message, data } = await complete({ model: NOVA2, messages: [{ role: 'user', content: 'Why is the sky blue?' }], reasoning_effort: 'medium' });
    expect(message).not.toHaveProperty('reasoning_content');
    expect(data.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(500);
    expect(data.usage!.completion_tokens_details!.reasoning_tokens).toBeLessThan(data.usage!.completion_tokens);
    const s = await stream({ model: NOVA2, messages: [{ role: 'user', content: 'Why is the sky blue?' }], reasoning_effort: 'medium' });
    expect(s.reasoning).toBe('');
    expect(s.usage!.completion_tokens_details!.reasoning_tokens).toBe(data.usage!.completion_tokens_details!.reasoning_tokens);
  });
});

describe('4. stop strings that come back with end_turn', () => {
  it('are removed from the content, streamed or not', async () => {
    const params = { model: MICRO, messages: [{ role: 'user' as const, content: 'Tell me about tides' }], stop: ['tides'] };
    const { message, data } = await complete(params);
    expect(String(message.content)).not.toContain('tides');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    // The fake answered as recorded: the stop string kept, end_turn.
    const sent = rig.fake.requests[0]!;
    const raw = (await (await fetch(`${rig.fake.url}${sent.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      body: JSON.stringify(sent.body),
    })).json()) as { output: { message: { content: Array<{ text: string }> } }; stopReason: string };
    expect(raw.stopReason).toBe('end_turn');
    expect(raw.output.message.content[0]!.text).toBe(`${String(message.content)}tides`);
    const s = await stream(params);
    expect(s.final.choices[0]!.message.content).toBe(message.content);
  });
});

describe('5. <thinking> preambles', () => {
  const params: ChatCompletionCreateParamsNonStreaming = {
    model: MICRO,
    messages: [{ role: 'user', content: "What's the weather in Oslo?" }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
  };

  it('leave the content and travel as reasoning_content, streamed or not', async () => {
    const { message, data } = await complete(params);
    expect(message.content).toBeNull();
    expect(String(message.reasoning_content)).toMatch(/^The User asks about .* get_weather tool/);
    expect(data.choices[0]!.finish_reason).toBe('tool_calls');
    const s = await stream(params);
    expect(s.final.choices[0]!.message.content ?? null).toBeNull();
    expect(s.reasoning).toBe(message.reasoning_content);
  });

  it('stay in the content with keepThinking (config) / NOVA_KEEP_THINKING', async () => {
    const kept = await startProxyRig({}, { env: { NOVA_KEEP_THINKING: 'true' } });
    try {
      const data = await kept.client.chat.completions.create(params);
      expect(data.choices[0]!.message.content).toMatch(/^<thinking> The User asks about/);
    } finally {
      await kept.close();
    }
  });
});

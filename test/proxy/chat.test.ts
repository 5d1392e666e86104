import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startProxyRig, post, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig();
});
afterAll(async () => rig?.close());

const lastRequest = () => rig.fake.requests.at(-1)! as { modelId: string; httpVersion: string; body: any };

describe('POST /v1/chat/completions (non-streaming)', () => {
  it('answers a plain chat in OpenAI shape and echoes the requested model', async () => {
    const { data, response } = await rig.client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello, how are you?' }] })
      .withResponse();
    expect(validateOpenAI('CreateChatCompletionResponse', data)).toEqual([]);
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('gpt-4o-mini');
    expect(data.choices[0]!.message.role).toBe('assistant');
    expect(data.choices[0]!.message.content?.length).toBeGreaterThan(0);
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage!.total_tokens).toBe(data.usage!.prompt_tokens + data.usage!.completion_tokens);
    expect(response.headers.get('x-nova-model')).toBe('amazon.nova-lite-v1:0');
    expect(Number(response.headers.get('x-nova-cost-usd'))).toBeGreaterThan(0);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const sent = lastRequest();
    expect(sent.modelId).toBe('amazon.nova-lite-v1:0');
    // The product's client pools HTTP/1.1 keep-alive connections (see proxy/bedrock/sdk-transport.ts).
    expect(sent.httpVersion).toBe('1.1');
    expect(sent.body.messages).toEqual([{ role: 'user', content: [{ text: 'Hello, how are you?' }] }]);
  });

  it('serves the unprefixed route used behind API Gateway stages', async () => {
    const client = new OpenAI({ baseURL: rig.origin, apiKey: 'x', maxRetries: 0 });
    const data = await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'hi' }] });
    expect(data.model).toBe('gpt-3.5-turbo');
    expect(lastRequest().modelId).toBe('amazon.nova-micro-v1:0');
  });

  it('sends system and developer messages as system blocks and drops empty ones', async () => {
    await rig.client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: '' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
        { role: 'user', content: 'Say hi' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 50,
      stop: 'END',
    });
    const body = lastRequest().body;
    expect(body.system).toEqual([{ text: 'You are terse.' }, { text: 'Answer in English.' }]);
    expect(body.inferenceConfig).toEqual({ temperature: 0.2, topP: 0.9, maxTokens: 50, stopSequences: ['END'] });
  });

  it('round-trips a tool call with a name Nova rejects, mapped and mapped back', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get-weather',
          description: 'Current weather for a city',
          parameters: {
            type: 'object',
            title: 'Args',
            properties: { city: { type: 'string' }, unit: { $ref: '#/$defs/unit' } },
            required: ['city'],
            $defs: { unit: { type: 'string', enum: ['c', 'f'] } },
          },
        },
      },
    ];
    const first = await rig.client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get-weather' } },
    });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(validateOpenAI('CreateChatCompletionResponse', first)).toEqual([]);
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type).toBe('function');
    if (call.type !== 'function') throw new Error('unreachable');
    expect(call.function.name).toBe('get-weather');
    expect(typeof JSON.parse(call.function.arguments)).toBe('object');
    const sentTools = lastRequest().body.toolConfig.tools;
    expect(sentTools[0].toolSpec.name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    // `title` is kept (recorded as accepted by Nova, test/recorded); $defs/$ref are inlined.
    expect(JSON.stringify(sentTools[0].toolSpec.inputSchema.json)).not.toMatch(/\$defs|\$ref/);
    expect(lastRequest().body.toolConfig.toolChoice).toEqual({ tool: { name: sentTools[0].toolSpec.name } });

    const second = await rig.client.chat.completions.create({
      model: 'gpt-4o',
      tools,
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: '{"temp": 21}' },
      ],
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    const msgs = lastRequest().body.messages;
    expect(msgs).toHaveLength(3);
    expect(msgs[1].content[0].toolUse.toolUseId).toBe(call.id);
    expect(msgs[2].content[0].toolResult.toolUseId).toBe(call.id);
  });

  it('returns JSON in message.content for response_format json_schema', async () => {
    const data = await rig.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Extract: Ada Lovelace, born 1815' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'person', schema: { type: 'object', properties: { name: { type: 'string' }, born: { type: 'integer' } }, required: ['name', 'born'] } },
      },
    });
    const parsed = JSON.parse(data.choices[0]!.message.content!);
    expect(typeof parsed.name).toBe('string');
    expect(Number.isInteger(parsed.born)).toBe(true);
    expect(data.choices[0]!.message.tool_calls ?? []).toEqual([]);
    expect(data.choices[0]!.finish_reason).toBe('stop');
  });

  it('sends data-URL images as bytes', async () => {
    // 1x1 transparent PNG
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    await rig.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }],
    });
    const block = lastRequest().body.messages[0].content[1];
    expect(block.image.format).toBe('png');
    expect(Buffer.from(block.image.source.bytes, 'base64').equals(Buffer.from(png, 'base64'))).toBe(true);
  });

  it('reports parameters Nova ignores or adjusts in headers', async () => {
    const { response } = await rig.client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], seed: 42, temperature: 1.5 })
      .withResponse();
    expect(response.headers.get('x-nova-ignored-params')).toContain('seed');
    expect(response.headers.get('x-nova-adjusted-params')).toContain('temperature');
    expect(lastRequest().body.inferenceConfig.temperature).toBe(1);
  });
});

describe('request validation happens before any AWS call', () => {
  const bad: [string, string, number, string | null, RegExp?][] = [
    ['malformed JSON', '{"model": "gpt-4o",', 400, null, /parse the JSON/],
    ['missing model', '{"messages":[{"role":"user","content":"hi"}]}', 400, 'model'],
    ['model not a string', '{"model": 4, "messages":[{"role":"user","content":"hi"}]}', 400, 'model'],
    ['missing messages', '{"model":"gpt-4o"}', 400, 'messages'],
    ['messages not an array', '{"model":"gpt-4o","messages":"hi"}', 400, 'messages'],
    ['n > 1', '{"model":"gpt-4o","n":2,"messages":[{"role":"user","content":"hi"}]}', 400, 'n'],
    ['logprobs', '{"model":"gpt-4o","logprobs":true,"messages":[{"role":"user","content":"hi"}]}', 400, 'logprobs'],
    ['bad tool arguments', '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{nope"}}]},{"role":"tool","tool_call_id":"c1","content":"x"}]}', 400, 'messages[1].tool_calls[0].function.arguments'],
    ['unsupported image type', '{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/svg+xml;base64,PHN2Zz4="}}]}]}', 400, 'messages[0].content[0].image_url'],
  ];
  for (const [name, body, status, param, message] of bad) {
    it(`rejects ${name}`, async () => {
      const before = rig.fake.requests.length;
      const res = await post(rig.origin, '/v1/chat/completions', body);
      expect(res.status).toBe(status);
      expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
      expect(res.json.error.type).toBe('invalid_request_error');
      if (param !== null) expect(res.json.error.param).toMatch(new RegExp(`^${param.replace(/[[\].]/g, '\\$&')}`));
      if (message) expect(res.json.error.message).toMatch(message);
      expect(rig.fake.requests.length).toBe(before);
    });
  }

  it('404s an unknown model with model_not_found', async () => {
    const err = await rig.client.chat.completions.create({ model: 'gpt-7', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
    expect(err.param).toBe('model');
  });

  it('404s unknown URLs in OpenAI shape', async () => {
    const res = await post(rig.origin, '/v1/completions', '{}');
    expect(res.status).toBe(404);
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
  });

  it('refuses bodies over the limit with 413', async () => {
    const small = await startProxyRig({ bodyLimitBytes: 1024 });
    try {
      const res = await post(small.origin, '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }));
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe('request_too_large');
    } finally {
      await small.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { startFakeOpenAI, type FakeOpenAI } from '../../mock/fake-openai.js';
import { assertOpenAI, validateOpenAI } from '../../mock/spec/openai-validator.js';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
});

const user = (content: string) => [{ role: 'user' as const, content }];
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

async function create(params: ChatCompletionCreateParamsNonStreaming): Promise<ChatCompletion> {
  const res = await client.chat.completions.create(params);
  assertOpenAI('CreateChatCompletionResponse', res);
  return res;
}

/** Streams through the SDK's SSE parser; every chunk must match the spec. */
async function stream(params: Omit<ChatCompletionCreateParamsNonStreaming, 'stream'> & { stream_options?: { include_usage: boolean } }) {
  const chunks: ChatCompletionChunk[] = [];
  const s = await client.chat.completions.create({ ...params, stream: true });
  for await (const chunk of s) {
    assertOpenAI('CreateChatCompletionStreamResponse', chunk);
    chunks.push(chunk);
  }
  return chunks;
}

function raw(path: string, init: { method?: string; body?: string; auth?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = init.auth === undefined ? `Bearer ${fake.apiKey}` : init.auth;
  if (auth !== null) headers.authorization = auth;
  return fetch(`${fake.url}${path}`, { method: init.method ?? (init.body ? 'POST' : 'GET'), headers, body: init.body });
}

/** The SDK error thrown by `p`, whose body must be an OpenAI ErrorResponse. */
async function apiError(p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const e = await p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OpenAI.APIError);
  const err = e as InstanceType<typeof OpenAI.APIError>;
  expect(validateOpenAI('ErrorResponse', { error: err.error })).toEqual([]);
  return err;
}

describe('chat completions (non-streaming)', () => {
  it('answers with a valid completion, usage and a stable fingerprint', async () => {
    const params = { model: 'gpt-4o-mini', messages: user('Explain the difference between TCP and UDP briefly.') };
    const a = await create(params);
    const b = await create(params);
    const choice = a.choices[0]!;
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toMatch(/TCP|UDP/i);
    expect(choice.finish_reason).toBe('stop');
    expect(a.id).toMatch(/^chatcmpl-/);
    expect(a.id).not.toBe(b.id);
    expect(b.choices[0]!.message.content).toBe(choice.message.content);
    expect(a.system_fingerprint).toMatch(/^fp_/);
    expect(a.system_fingerprint).toBe(b.system_fingerprint);
    expect(a.model).toBe('gpt-4o-mini');
    const u = a.usage!;
    expect(u.prompt_tokens).toBeGreaterThan(0);
    expect(u.completion_tokens).toBeGreaterThan(0);
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
  });

  it('records method, path, headers and parsed body', async () => {
    const before = fake.requests.length;
    await create({ model: 'gpt-4o', messages: user('hello'), temperature: 0.2 });
    const rec = fake.requests[before]!;
    expect(rec).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'gpt-4o', temperature: 0.2 } });
    expect(rec.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
  });

  it('returns n choices', async () => {
    const res = await create({ model: 'gpt-4o', messages: user('Name three colours.'), n: 2 });
    expect(res.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(res.choices.every((c) => typeof c.message.content === 'string' && c.message.content.length > 0)).toBe(true);
  });

  it('returns logprobs whose tokens spell the content', async () => {
    const res = await create({ model: 'gpt-4o', messages: user('Describe a sunny beach.'), logprobs: true, top_logprobs: 3 });
    const lp = res.choices[0]!.logprobs!;
    expect(lp.content!.map((t) => t.token).join('')).toBe(res.choices[0]!.message.content);
    expect(lp.content!.every((t) => t.top_logprobs.length === 3 && t.logprob <= 0)).toBe(true);
    const plain = await create({ model: 'gpt-4o', messages: user('Describe a sunny beach.') });
    expect(plain.choices[0]!.logprobs).toBeNull();
  });

  it('stops with finish_reason length under a small max_completion_tokens', async () => {
    const res = await create({
      model: 'gpt-4o',
      messages: user('Write a long essay about the history of the printing press in Europe and its effects.'),
      max_completion_tokens: 3,
    });
    expect(res.choices[0]!.finish_reason).toBe('length');
  });

  it('calls tools: call_ ids, JSON-string arguments that satisfy the parameters schema', async () => {
    const res = await create({ model: 'gpt-4o', messages: user('What is the weather in Paris?'), tools: [weatherTool], tool_choice: 'required' });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0]!;
    expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    const validArgs = new Ajv2020({ strict: false }).compile(weatherTool.function.parameters);
    expect(validArgs(JSON.parse(call.function.arguments))).toBe(true);

    // Feeding the result back yields a text answer.
    const followUp = await create({
      model: 'gpt-4o',
      tools: [weatherTool],
      messages: [
        ...user('What is the weather in Paris?'),
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"temperature": 21, "sky": "clear"}' },
      ],
    });
    expect(followUp.choices[0]!.finish_reason).toBe('stop');
    expect(followUp.choices[0]!.message.content).toBeTruthy();
  });

  it('honours a named tool_choice and tool_choice none', async () => {
    const other = { type: 'function' as const, function: { name: 'lookup_order', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } };
    const named = await create({
      model: 'gpt-4o',
      messages: user('What is the weather in Paris?'),
      tools: [weatherTool, other],
      tool_choice: { type: 'function', function: { name: 'lookup_order' } },
    });
    const call = named.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('lookup_order');
    const none = await create({ model: 'gpt-4o', messages: user('What is the weather in Paris?'), tools: [weatherTool], tool_choice: 'none' });
    expect(none.choices[0]!.message.tool_calls).toBeUndefined();
    expect(none.choices[0]!.finish_reason).toBe('stop');
  });

  it('supports legacy functions/function_call', async () => {
    const res = await create({
      model: 'gpt-3.5-turbo',
      messages: user('What is the weather in Paris?'),
      functions: [weatherTool.function],
      function_call: { name: 'get_weather' },
    });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('function_call');
    expect(choice.message.function_call?.name).toBe('get_weather');
    expect(JSON.parse(choice.message.function_call!.arguments)).toHaveProperty('city');
    const chunks = await stream({ model: 'gpt-3.5-turbo', messages: user('What is the weather in Paris?'), functions: [weatherTool.function], function_call: { name: 'get_weather' } });
    const args = chunks.map((c) => c.choices[0]?.delta.function_call?.arguments ?? '').join('');
    expect(args).toBe(choice.message.function_call!.arguments);
  });

  it('answers response_format json_schema with JSON matching the schema', async () => {
    const schema = {
      type: 'object',
      properties: { sentiment: { type: 'string', enum: ['positive', 'negative', 'neutral'] }, score: { type: 'number', minimum: 0, maximum: 1 } },
      required: ['sentiment', 'score'],
      additionalProperties: false,
    };
    const res = await create({
      model: 'gpt-4o',
      messages: user('Classify: "I love this product, it is great."'),
      response_format: { type: 'json_schema', json_schema: { name: 'classification', schema, strict: true } },
    });
    const parsed: unknown = JSON.parse(res.choices[0]!.message.content!);
    expect(new Ajv2020({ strict: false }).compile(schema)(parsed)).toBe(true);
  });

  it('answers response_format json_object with a JSON object', async () => {
    const res = await create({ model: 'gpt-4o', messages: user('Reply in JSON with the capital of France.'), response_format: { type: 'json_object' } });
    const parsed: unknown = JSON.parse(res.choices[0]!.message.content!);
    expect(parsed).toBeTypeOf('object');
  });
});

describe('chat completions (streaming)', () => {
  const params = { model: 'gpt-4o', messages: user('Explain the difference between TCP and UDP briefly.') };

  it('streams role first, several content deltas, finish_reason, usage, matching the non-streamed answer', async () => {
    const whole = await create(params);
    const chunks = await stream({ ...params, stream_options: { include_usage: true } });
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(contentChunks.length).toBeGreaterThanOrEqual(3);
    expect(contentChunks.map((c) => c.choices[0]!.delta.content).join('')).toBe(whole.choices[0]!.message.content);
    const withChoices = chunks.filter((c) => c.choices.length > 0);
    expect(withChoices.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(withChoices.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(whole.usage);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('omits the usage chunk unless include_usage is set', async () => {
    const chunks = await stream(params);
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
  });

  it('frames SSE as data: lines ending with [DONE]', async () => {
    const res = await raw('/chat/completions', { body: JSON.stringify({ ...params, stream: true }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const frames = text.split('\n\n');
    expect(frames.pop()).toBe('');
    expect(frames.pop()).toBe('data: [DONE]');
    for (const f of frames) {
      expect(f.startsWith('data: ')).toBe(true);
      expect(validateOpenAI('CreateChatCompletionStreamResponse', JSON.parse(f.slice(6)))).toEqual([]);
    }
  });

  it('writes frames separately, chunkDelayMs apart', async () => {
    const slow = await startFakeOpenAI({ chunkDelayMs: 10 });
    try {
      const res = await fetch(`${slow.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${slow.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...params, stream: true }),
      });
      const reader = res.body!.getReader();
      const arrivals: number[] = [];
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
        arrivals.push(performance.now());
      }
      // Reads coalesce at most a little; a buffered reply would arrive in one or two reads.
      expect(arrivals.length).toBeGreaterThanOrEqual(5);
      expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(10 * 3);
    } finally {
      await slow.close();
    }
  });

  it('streams tool calls: index/id/name first, argument fragments after', async () => {
    const whole = await create({ model: 'gpt-4o', messages: user('What is the weather in Paris?'), tools: [weatherTool], tool_choice: 'required' });
    const chunks = await stream({ model: 'gpt-4o', messages: user('What is the weather in Paris?'), tools: [weatherTool], tool_choice: 'required' });
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(deltas[0]!.id).toMatch(/^call_/);
    const fragments = deltas.slice(1);
    expect(fragments.length).toBeGreaterThanOrEqual(2);
    expect(fragments.every((d) => d.index === 0 && d.id === undefined && d.function?.name === undefined)).toBe(true);
    const args = fragments.map((d) => d.function!.arguments).join('');
    const wholeCall = whole.choices[0]!.message.tool_calls![0]!;
    expect(wholeCall.type === 'function' && wholeCall.function.arguments).toBe(args);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('assembles with the SDK stream helper into the same message', async () => {
    const s = client.chat.completions.stream({ model: 'gpt-4o', messages: user('What is the weather in Paris?'), tools: [weatherTool], tool_choice: 'required' });
    const final = await s.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toHaveProperty('city');
  });

  it('streams n=2 choices and logprobs per delta', async () => {
    const chunks = await stream({ model: 'gpt-4o', messages: user('Name three colours.'), n: 2, logprobs: true });
    for (const index of [0, 1]) {
      const mine = chunks.filter((c) => c.choices[0]?.index === index);
      expect(mine[0]!.choices[0]!.delta.role).toBe('assistant');
      expect(mine.at(-1)!.choices[0]!.finish_reason).toBe('stop');
      const text = mine.map((c) => c.choices[0]!.delta.content ?? '').join('');
      const tokens = mine.flatMap((c) => c.choices[0]!.logprobs?.content ?? []).map((t) => t.token).join('');
      expect(tokens).toBe(text);
    }
  });
});

describe('errors', () => {
  it('401 invalid_api_key for a wrong key and a missing key', async () => {
    const wrong = new OpenAI({ baseURL: fake.url, apiKey: 'sk-wrong-key-123456', maxRetries: 0 });
    const err = await apiError(wrong.chat.completions.create({ model: 'gpt-4o', messages: user('hi') }));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('invalid_api_key');
    expect(err.message).not.toContain('sk-wrong-key-123456');

    const res = await raw('/models', { auth: null });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string } };
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect(body.error.code).toBe('invalid_api_key');
  });

  it('404 model_not_found for an unknown model', async () => {
    const err = await apiError(client.chat.completions.create({ model: 'gpt-9-ultra', messages: user('hi') }));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
    expect(err.message).toContain('gpt-9-ultra');
  });

  it('400 with param for schema violations', async () => {
    const missing = await apiError(client.chat.completions.create({ model: 'gpt-4o' } as never));
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing).toMatchObject({ param: 'messages', code: 'missing_required_parameter', type: 'invalid_request_error' });

    const hot = await apiError(client.chat.completions.create({ model: 'gpt-4o', messages: user('hi'), temperature: 5 }));
    expect(hot).toMatchObject({ status: 400, param: 'temperature', code: 'decimal_above_max_value' });

    const badPart = await apiError(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} as never }] }] }),
    );
    expect(badPart).toMatchObject({ status: 400, param: 'messages[0].content[0].image_url.url' });

    const badRole = await apiError(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' } as never] }));
    expect(badRole).toMatchObject({ status: 400, param: 'messages[0].role' });
    expect(badRole.message).toMatch(/Invalid value: 'robot'\. Supported values are: .*'user'.*'tool'/);
  });

  it('400 for unknown arguments, unparsable JSON and cross-field rules', async () => {
    const unknown = await apiError(client.chat.completions.create({ model: 'gpt-4o', messages: user('hi'), temprature: 1 } as never));
    expect(unknown.message).toContain('Unrecognized request argument supplied: temprature');

    const res = await raw('/chat/completions', { body: '{"model": "gpt-4o",' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/could not parse the JSON body/);

    const orphan = await apiError(
      client.chat.completions.create({ model: 'gpt-4o', messages: [...user('hi'), { role: 'tool', tool_call_id: 'call_x', content: 'r' }] }),
    );
    expect(orphan).toMatchObject({ status: 400, param: 'messages[1].role' });

    const unanswered = await apiError(
      client.chat.completions.create({
        model: 'gpt-4o',
        messages: [
          ...user('hi'),
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          ...user('and?'),
        ],
      }),
    );
    expect(unanswered.message).toContain('call_a');

    const noTools = await apiError(client.chat.completions.create({ model: 'gpt-4o', messages: user('hi'), tool_choice: 'required' }));
    expect(noTools.param).toBe('tool_choice');

    const noJsonWord = await apiError(client.chat.completions.create({ model: 'gpt-4o', messages: user('hi'), response_format: { type: 'json_object' } }));
    expect(noJsonWord.param).toBe('messages');

    const streamOpts = await apiError(client.chat.completions.create({ model: 'gpt-4o', messages: user('hi'), stream_options: { include_usage: true } }));
    expect(streamOpts.param).toBe('stream_options');
  });

  it('404 for unknown routes', async () => {
    const res = await raw('/completions/legacy', { body: '{}' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Invalid URL (POST /v1/completions/legacy)');
  });
});

describe('scripted steps', () => {
  it('replies with a scripted 429 and its retry-after header', async () => {
    fake.enqueue({ status: 429, error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' }, headers: { 'retry-after': '7' } });
    const err = await apiError(client.chat.completions.create({ model: 'gpt-4o', messages: user('hi') }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.headers?.get('retry-after')).toBe('7');
  });

  it('is FIFO: a scripted 500 then a normal reply, seen through SDK retries', async () => {
    fake.enqueue({ status: 500, error: { message: 'The server had an error', type: 'server_error' }, headers: { 'retry-after-ms': '1' } });
    const retrying = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 1 });
    const before = fake.requests.length;
    const res = await retrying.chat.completions.create({ model: 'gpt-4o', messages: user('hi') });
    assertOpenAI('CreateChatCompletionResponse', res);
    expect(fake.requests.length - before).toBe(2);
  });

  it('returns a scripted response as-is, and streams it when asked', async () => {
    const canned: ChatCompletion = {
      id: 'chatcmpl-canned',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'canned answer here', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    };
    fake.enqueue({ response: canned });
    expect(await client.chat.completions.create({ model: 'gpt-4o', messages: user('hi') })).toEqual(canned);
    fake.enqueue({ response: canned });
    const chunks = await stream({ model: 'gpt-4o', messages: user('hi') });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('canned answer here');
  });

  it('delays and hangs (the SDK timeout fires)', async () => {
    fake.enqueue({ delayMs: 80 });
    const t0 = performance.now();
    await create({ model: 'gpt-4o', messages: user('hi') });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);

    fake.enqueue({ hang: true });
    const impatient = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0, timeout: 150 });
    await expect(impatient.chat.completions.create({ model: 'gpt-4o', messages: user('hi') })).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});

describe('options', () => {
  it('uses the given api key and adds latencyMs to every reply', async () => {
    const slow = await startFakeOpenAI({ apiKey: 'sk-custom', latencyMs: 60 });
    try {
      expect(slow.apiKey).toBe('sk-custom');
      expect(slow.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const c = new OpenAI({ baseURL: slow.url, apiKey: 'sk-custom', maxRetries: 0 });
      const t0 = performance.now();
      await c.models.list();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    } finally {
      await slow.close();
    }
  });

  it('serves a scripted body on other endpoints too', async () => {
    fake.enqueue({ response: { object: 'list', data: [] } });
    expect((await client.models.list()).data).toEqual([]);
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
  });
});

describe('models', () => {
  it('lists models in OpenAI shape', async () => {
    const res = await raw('/models');
    const body = (await res.json()) as { data: { id: string }[] };
    expect(validateOpenAI('ListModelsResponse', body)).toEqual([]);
    const ids = (await client.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o-2024-08-06']));
    expect(ids).toEqual(body.data.map((m) => m.id));
  });

  it('retrieves one model, 404 for unknown', async () => {
    const m = await client.models.retrieve('gpt-4.1-mini');
    expect(validateOpenAI('Model', m)).toEqual([]);
    expect(m.id).toBe('gpt-4.1-mini');
    const err = await apiError(client.models.retrieve('nope-1'));
    expect(err.status).toBe(404);
  });
});

describe('embeddings', () => {
  const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

  it('returns deterministic 256-dim unit vectors (SDK base64 path)', async () => {
    const res = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['The cat sat on the mat.', 'A cat was sitting on the mat.', 'Quarterly revenue grew by ten percent.'],
    });
    const [a, b, c] = res.data.map((d) => d.embedding) as [number[], number[], number[]];
    expect(a).toHaveLength(256);
    expect(cosine(a, a)).toBeCloseTo(1, 5);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.3);
    const again = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'The cat sat on the mat.' });
    expect(again.data[0]!.embedding).toEqual(a);
  });

  it('float responses match the spec; dimensions honoured; bad requests rejected', async () => {
    const res = await raw('/embeddings', { body: JSON.stringify({ model: 'text-embedding-3-large', input: 'hello world', encoding_format: 'float', dimensions: 64 }) });
    const body = (await res.json()) as { data: { embedding: number[] }[] };
    expect(validateOpenAI('CreateEmbeddingResponse', body)).toEqual([]);
    expect(body.data[0]!.embedding).toHaveLength(64);
    const err = await apiError(client.embeddings.create({ model: 'gpt-4o', input: 'x' }));
    expect(err.status).toBe(404);
    const bad = await apiError(client.embeddings.create({ model: 'text-embedding-3-small', input: [] as string[] }));
    expect(bad.status).toBe(400);
  });
});

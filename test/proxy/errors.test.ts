import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createServer, type Server } from 'node:http';
import { startProxyRig, post, testTransport, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig({}, { fake: { chunkDelayMs: 10 } });
});
afterAll(async () => rig?.close());

const ask = (extra: Partial<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming> = {}) =>
  rig.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('Bedrock exceptions become OpenAI errors with the right status', () => {
  const cases: [string, string, number, string, RegExp, string?][] = [
    ['ValidationException', 'Malformed input request: something is off', 400, 'invalid_request_error', /Bedrock/],
    ['ValidationException', 'Input is too long for requested model.', 400, 'invalid_request_error', /context|too long/i, 'context_length_exceeded'],
    ['ValidationException', "Invocation of model ID amazon.nova-pro-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.", 400, 'invalid_request_error', /inference.profile/i, 'model_not_available'],
    ['AccessDeniedException', 'You don\'t have access to the model with the specified model ID.', 403, 'permission_error', /bedrock:InvokeModel/],
    ['ResourceNotFoundException', 'Model not found', 404, 'not_found_error', /Bedrock/, 'model_not_found'],
    ['ThrottlingException', 'Too many requests, please wait before trying again.', 429, 'rate_limit_error', /Bedrock/],
    ['ModelTimeoutException', 'Model timed out', 504, 'timeout_error', /Bedrock/],
    ['ServiceUnavailableException', 'Service unavailable', 503, 'server_error', /Bedrock/],
    ['ModelNotReadyException', 'Model not ready', 503, 'server_error', /Bedrock/],
    ['ModelErrorException', 'The model failed', 502, 'server_error', /Bedrock/],
    ['InternalServerException', 'Internal failure', 500, 'server_error', /Bedrock/],
  ];
  for (const [errorType, message, status, type, text, code] of cases) {
    it(`${errorType}: ${message.slice(0, 40)} → ${status}`, async () => {
      rig.fake.enqueue({ error: { errorType, message } });
      const res = await post(rig.origin, '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }));
      expect(res.status).toBe(status);
      expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
      expect(res.json.error.type).toBe(type);
      expect(res.json.error.message).toMatch(text);
      if (code) expect(res.json.error.code).toBe(code);
      if (status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  }

  it('the OpenAI SDK raises its own exception classes', async () => {
    rig.fake.enqueue({ error: { errorType: 'ThrottlingException', message: 'slow down' } });
    expect(await ask().catch((e) => e)).toBeInstanceOf(OpenAI.RateLimitError);
    rig.fake.enqueue({ error: { errorType: 'AccessDeniedException', message: 'no' } });
    expect(await ask().catch((e) => e)).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it('an error before the first byte of a stream is a normal HTTP error', async () => {
    rig.fake.enqueue({ error: { errorType: 'ThrottlingException', message: 'slow down' } });
    const err = await rig.client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe('mid-stream failures', () => {
  it('sends an OpenAI error event and closes, never a fake stop', async () => {
    rig.fake.enqueue({
      events: [
        { messageStart: { role: 'assistant' } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Once upon' } } },
      ],
      streamError: { type: 'modelStreamErrorException', message: 'The model stopped unexpectedly' },
    });
    const res = await fetch(`${rig.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'story' }] }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('Once upon');
    expect(text).not.toContain('finish_reason":"stop');
    expect(text).not.toContain('[DONE]');
    const lastData = text.trim().split('\n\n').at(-1)!.replace(/^data: /, '');
    const event = JSON.parse(lastData);
    expect(validateOpenAI('ErrorResponse', event)).toEqual([]);
    expect(event.error.message).toMatch(/stopped unexpectedly/);

    rig.fake.enqueue({
      events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' } } }],
      streamError: { type: 'throttlingException', message: 'Too many tokens' },
    });
    const stream = await rig.client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] });
    const err = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(String(err.message)).toMatch(/Too many tokens/);
  });

  it('aborts the Bedrock stream as soon as the client disconnects', async () => {
    rig.fake.enqueue({ events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hello' } } }], hang: true });
    const before = rig.fake.aborted;
    const controller = new AbortController();
    const stream = await rig.client.chat.completions.create(
      { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] },
      { signal: controller.signal },
    );
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    controller.abort();
    await it.next().catch(() => undefined);
    for (let i = 0; i < 100 && rig.fake.aborted === before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(rig.fake.aborted).toBe(before + 1);
    expect(rig.app.inFlight.streams.size).toBe(0);
  });

  it('aborts a non-streamed call when the client goes away', async () => {
    rig.fake.enqueue({ hang: true });
    const before = rig.fake.aborted;
    const controller = new AbortController();
    const call = rig.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal });
    void call.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    for (let i = 0; i < 100 && rig.fake.aborted === before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(rig.fake.aborted).toBe(before + 1);
  });

  it('enforces the request time limit with a 504', async () => {
    const slow = await startProxyRig({ requestTimeoutMs: 200 });
    try {
      slow.fake.enqueue({ hang: true });
      const err = await slow.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.status).toBe(504);
      for (let i = 0; i < 50 && slow.fake.aborted === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(slow.fake.aborted).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe('missing AWS credentials', () => {
  it('gives an actionable message', async () => {
    const { buildApp } = await import('../../proxy/app.js');
    const { loadConfig } = await import('../../proxy/config.js');
    const { createBedrockTransport } = await import('../../proxy/bedrock/create-transport.js');
    const config = loadConfig({ env: {}, overrides: { logLevel: 'silent', bedrockTransport: testTransport() } });
    const bedrock = await createBedrockTransport(config, {
      endpoint: rig.fake.url,
      // What the default chain throws when it finds nothing.
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError', tryNextLink: false });
      },
    });
    const app = await buildApp(config, { transport: bedrock });
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] } });
      const body = res.json();
      expect(res.statusCode).toBe(500);
      expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
      expect(body.error.message).toMatch(/credentials/i);
      expect(body.error.message).toMatch(/AWS_PROFILE|aws configure|AWS_ACCESS_KEY_ID|AWS_BEARER_TOKEN_BEDROCK/);
    } finally {
      await app.close();
      bedrock.destroy();
    }
  });
});

describe('remote images', () => {
  let imageServer: Server;
  let imageUrl: string;
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
  beforeAll(async () => {
    imageServer = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    await new Promise<void>((r) => imageServer.listen(0, '127.0.0.1', r));
    imageUrl = `http://127.0.0.1:${(imageServer.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => imageServer.close(() => r())));

  const withImage = (url: string) => ({
    model: 'gpt-4o',
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'describe' }, { type: 'image_url' as const, image_url: { url } }] }],
  });

  it('refuses loopback, private and metadata addresses before calling Bedrock', async () => {
    const before = rig.fake.requests.length;
    for (const url of [`${imageUrl}/a.png`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/x.png', 'http://[::1]/x.png', 'file:///etc/passwd']) {
      const err = await rig.client.chat.completions.create(withImage(url)).catch((e) => e);
      expect(err, url).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.param).toMatch(/^messages\[0\]\.content\[1\]\.image_url/);
    }
    expect(rig.fake.requests.length).toBe(before);
  });

  it('fetches from an allowed host, and re-checks redirects', async () => {
    const allowed = await startProxyRig({ images: { allowHosts: ['127.0.0.1'] } });
    try {
      await allowed.client.chat.completions.create(withImage(`${imageUrl}/cat.png`));
      const block = (allowed.fake.requests.at(-1)!.body as any).messages[0].content[1];
      expect(block.image.format).toBe('png');
      expect(Buffer.from(block.image.source.bytes, 'base64').equals(png)).toBe(true);
      const err = await allowed.client.chat.completions.create(withImage(`${imageUrl}/redirect`)).catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.message).toMatch(/169\.254\.169\.254|link-local|metadata|private/i);
    } finally {
      await allowed.close();
    }
  });
});

describe('Bedrock read timeout', () => {
  it('gives up on a stalled Bedrock after bedrockReadTimeoutMs, well before the request limit', async () => {
    const stalled = await startProxyRig({ bedrockReadTimeoutMs: 300, requestTimeoutMs: 10_000 });
    try {
      stalled.fake.enqueue({ hang: true });
      const started = performance.now();
      const err = await stalled.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect([502, 504]).toContain(err.status);
      expect(performance.now() - started).toBeLessThan(3000);

      stalled.fake.enqueue({ events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hel' } } }], hang: true });
      const res = await fetch(`${stalled.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] }),
      });
      const text = await res.text();
      expect(text).toContain('Hel');
      expect(text).toMatch(/"error":\{/);
      expect(text).not.toContain('[DONE]');
    } finally {
      await stalled.close();
    }
  });
});

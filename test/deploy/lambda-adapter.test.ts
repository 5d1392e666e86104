/**
 * The Lambda entry driven like the runtime drives it: recorded-shape API Gateway REST
 * (payload 1.0) and function URL (payload 2.0) events, a fake response stream that
 * timestamps every write, and the real app (buildApp) over a scripted Bedrock client.
 */
import { describe, it, expect, afterEach, vi } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { initApp, getApp, bufferedHandler } from '../../proxy/lambda.js';
import { createBufferedHandler, createStreamingHandler } from '../../proxy/lambda/handlers.js';
import { parseApiKeysSecret } from '../../proxy/lambda/secrets.js';
import { FakeResponseStream, fakeAwsLambda, loadEvent, sleep, sseFrames, stubBedrock, type StreamingHandler, type StubBedrockOptions } from './support.js';

const KEY = 'test-key-0001';
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

function secretsStub(secret = JSON.stringify({ apiKey: KEY }), others: Record<string, string> = {}) {
  const stub = {
    calls: 0,
    async send(cmd: { input: { SecretId?: string } }) {
      stub.calls++;
      return { SecretString: others[cmd.input.SecretId ?? ''] ?? secret };
    },
  };
  return stub;
}

async function makeApp(bedrock: StubBedrockOptions = {}, env: Record<string, string> = {}) {
  const emf: string[] = [];
  const app = await initApp(
    { AWS_REGION: 'us-east-1', NOVA_LOG_LEVEL: 'silent', NOVA_API_KEYS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:nova-keys', ...env },
    { transport: stubBedrock(bedrock), secrets: secretsStub(), observability: { emf: { write: (l) => emf.push(l) } } },
  );
  apps.push(app);
  return { app, emf };
}

function withBody(event: any, body: object) {
  return { ...event, body: JSON.stringify(body), isBase64Encoded: false };
}

const chat = (extra: object = {}) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], ...extra });

describe('streaming handler (awslambda.streamifyResponse)', () => {
  it('function URL event, stream: true — prelude first, then each SSE chunk as its own write, spaced like the model', async () => {
    const { app, emf } = await makeApp({ eventDelayMs: 40 });
    const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;
    const out = new FakeResponseStream();
    const started = performance.now();
    await handler(withBody(loadEvent('function-url-v2'), chat({ stream: true })), out, {});

    expect(out.prelude?.statusCode).toBe(200);
    expect(out.prelude?.headers?.['content-type']).toMatch(/^text\/event-stream/);
    expect(out.prelude?.headers?.['x-request-id']).toBe('5f3e1a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(out.prelude?.headers?.['x-nova-model']).toBe('amazon.nova-lite-v1:0');
    // Hop-by-hop headers are the function URL's business, not ours.
    expect(out.prelude?.headers).not.toHaveProperty('connection');
    expect(out.prelude?.headers).not.toHaveProperty('transfer-encoding');
    expect(out.ended).toBe(true);

    const frames = sseFrames(out.body) as any[];
    expect(frames.at(-1)).toBe('[DONE]');
    const text = frames.slice(0, -1).map((f) => f.choices?.[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Hello there');

    // Chunk by chunk: the prelude went out before the first delta was generated, and the
    // three deltas arrived in separate writes ~40 ms apart, not in one buffer at the end.
    const deltaWrites = out.writes.filter((w) => w.data.includes('"content":"'));
    expect(deltaWrites.length).toBeGreaterThanOrEqual(3);
    expect(out.preludeAt! - started).toBeLessThan(deltaWrites[0]!.at - started);
    for (let i = 1; i < deltaWrites.length; i++) expect(deltaWrites[i]!.at - deltaWrites[i - 1]!.at).toBeGreaterThan(25);

    // One EMF line for the request, with TTFT.
    expect(emf).toHaveLength(1);
    const line = JSON.parse(emf[0]!);
    expect(line.stream).toBe('true');
    expect(line.nova_proxy_ttft_ms).toBeGreaterThan(30);
  });

  it('REST API (payload 1.0) event, non-streaming — status, headers (cost, request id) and the completion', async () => {
    const { app } = await makeApp();
    const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;
    const out = new FakeResponseStream();
    await handler(loadEvent('rest-v1'), out, {});
    expect(out.prelude?.statusCode).toBe(200);
    expect(out.prelude?.headers?.['content-type']).toMatch(/^application\/json/);
    expect(out.prelude?.headers?.['x-request-id']).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    expect(Number(out.prelude?.headers?.['x-nova-cost-usd'])).toBeGreaterThan(0);
    const body = JSON.parse(out.body);
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message.content).toBe('Hello there');
    expect(body.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
  });

  it('CORS from NOVA_CORS_ORIGINS (the template\'s CorsOrigins): a preflight is answered without a key', async () => {
    const { app } = await makeApp({}, { NOVA_CORS_ORIGINS: 'https://app.example.com' });
    const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;
    const base = loadEvent('rest-v1');
    const event = {
      ...base,
      httpMethod: 'OPTIONS',
      body: null,
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      multiValueHeaders: {},
    };
    const out = new FakeResponseStream();
    await handler(event, out, {});
    expect(out.prelude?.statusCode).toBe(204);
    expect(out.prelude?.headers?.['access-control-allow-origin']).toBe('https://app.example.com');
    expect(out.prelude?.headers?.['access-control-allow-headers']).toBe('authorization,content-type');
  });

  it('hijacked reply: headers via writeHead, first body write much later — body kept, chunks one by one', async () => {
    const app = Fastify();
    apps.push(app);
    app.get('/late', async (_req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-custom': 'yes' });
      await sleep(60);
      res.write('data: one\n\n');
      await sleep(40);
      res.write(Buffer.from('data: two\n\n'));
      await sleep(40);
      res.end('data: three\n\n');
    });
    await app.ready();
    const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;
    const out = new FakeResponseStream();
    const event = { ...loadEvent('function-url-v2'), rawPath: '/late', body: undefined, isBase64Encoded: false };
    event.requestContext.http.method = 'GET';
    const t0 = performance.now();
    await handler(event, out, {});
    expect(out.prelude).toEqual({ statusCode: 200, headers: expect.objectContaining({ 'content-type': 'text/event-stream', 'x-custom': 'yes' }) });
    // The prelude left at writeHead time, long before the first body byte existed.
    expect(out.preludeAt!).toBeLessThan(out.writes[0]!.at);
    expect(out.writes.map((w) => w.data)).toEqual(['data: one\n\n', 'data: two\n\n', 'data: three\n\n']);
    expect(out.writes[0]!.at - t0).toBeGreaterThanOrEqual(55);
    expect(out.writes[2]!.at - out.writes[1]!.at).toBeGreaterThanOrEqual(30);
    expect(out.ended).toBe(true);
  });

  it('Set-Cookie goes in the prelude the way each event type expects; query strings reach the app', async () => {
    const app = Fastify();
    apps.push(app);
    app.get('/c', async (req, reply) => {
      void reply.header('set-cookie', ['a=1', 'b=2']);
      return { q: req.query };
    });
    await app.ready();
    const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;
    const v2 = { ...loadEvent('function-url-v2'), rawPath: '/c', rawQueryString: 'x=1&y=two', body: undefined, isBase64Encoded: false };
    v2.requestContext.http.method = 'GET';
    let out = new FakeResponseStream();
    await handler(v2, out, {});
    expect(out.prelude).toMatchObject({ statusCode: 200, cookies: ['a=1', 'b=2'] });
    expect(out.prelude?.headers).not.toHaveProperty('set-cookie');
    expect(JSON.parse(out.body)).toEqual({ q: { x: '1', y: 'two' } });
    const v1 = { ...loadEvent('rest-v1'), path: '/c', httpMethod: 'GET', body: null, multiValueQueryStringParameters: { x: ['1'], y: ['two'] } };
    out = new FakeResponseStream();
    await handler(v1, out, {});
    expect(out.prelude).toMatchObject({ statusCode: 200, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] } });
    expect(JSON.parse(out.body)).toEqual({ q: { x: '1', y: 'two' } });
  });

  it('errors are OpenAI-shaped with the right status: bad key, unknown model, Bedrock throttling', async () => {
    const { app } = await makeApp();
    const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;

    const badKey = loadEvent('rest-v1');
    badKey.headers.Authorization = 'Bearer wrong-key-123';
    badKey.multiValueHeaders.Authorization = ['Bearer wrong-key-123'];
    let out = new FakeResponseStream();
    await handler(badKey, out, {});
    expect(out.prelude?.statusCode).toBe(401);
    expect(JSON.parse(out.body)).toEqual({ error: { message: 'Incorrect API key provided.', type: 'authentication_error', param: null, code: 'invalid_api_key' } });

    out = new FakeResponseStream();
    await handler(withBody(loadEvent('rest-v1'), chat({ model: 'no-such-model' })), out, {});
    expect(out.prelude?.statusCode).toBe(404);
    expect(JSON.parse(out.body).error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found' });

    const throttled = await makeApp({ error: Object.assign(new Error('Too many requests, please wait before trying again.'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 429 } }) });
    const h2 = createStreamingHandler(async () => throttled.app, fakeAwsLambda()) as StreamingHandler;
    out = new FakeResponseStream();
    await h2(withBody(loadEvent('function-url-v2'), chat({ stream: true })), out, {});
    expect(out.prelude?.statusCode).toBe(429);
    expect(out.prelude?.headers?.['retry-after']).toBeDefined();
    expect(JSON.parse(out.body).error.type).toBe('rate_limit_error');
  });

  it('a failed cold start and a non-HTTP event still answer in OpenAI shape', async () => {
    const handler = createStreamingHandler(() => Promise.reject(new Error('secret not found')), fakeAwsLambda()) as StreamingHandler;
    let out = new FakeResponseStream();
    await handler(loadEvent('rest-v1'), out, {});
    expect(out.prelude?.statusCode).toBe(500);
    expect(JSON.parse(out.body).error).toMatchObject({ type: 'server_error', code: 'proxy_init_failed' });

    out = new FakeResponseStream();
    await handler({ Records: [] }, out, {});
    expect(out.prelude?.statusCode).toBe(400);
    expect(JSON.parse(out.body).error.code).toBe('unsupported_event');
  });

  it('client disconnect mid-stream aborts the Bedrock stream', async () => {
    const { app } = await makeApp({ eventDelayMs: 30, text: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] });
    const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;
    const out = new FakeResponseStream();
    const run = handler(withBody(loadEvent('function-url-v2'), chat({ stream: true })), out, {});
    await sleep(80);
    out.destroy();
    await run;
    expect(out.body).not.toContain('[DONE]');
    // The route notices at its next write and aborts the Bedrock call: the stream is released
    // well before the remaining deltas would have been generated.
    await vi.waitFor(() => expect(app.inFlight.streams.size).toBe(0), { timeout: 100, interval: 5 });
    expect(out.body).not.toContain('"content":"h"');
  });
});

describe('buffered handler (classic API Gateway proxy integration)', () => {
  it('REST event: statusCode, headers, JSON body', async () => {
    const { app } = await makeApp();
    const handler = createBufferedHandler(async () => app);
    const res = await handler(loadEvent('rest-v1'));
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(false);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-request-id']).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    expect(JSON.parse(res.body).choices[0].message.content).toBe('Hello there');
  });

  it('function URL event with a base64 body, stream: true — the whole SSE body at once', async () => {
    const { app } = await makeApp({ eventDelayMs: 5 });
    const handler = createBufferedHandler(async () => app);
    const ev = loadEvent('function-url-v2');
    ev.body = Buffer.from(JSON.stringify(chat({ stream: true }))).toString('base64');
    const res = await handler(ev);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers).not.toHaveProperty('connection');
    const frames = sseFrames(res.body);
    expect(frames.at(-1)).toBe('[DONE]');
  });

  it('errors: 400 for invalid JSON, OpenAI-shaped', async () => {
    const { app } = await makeApp();
    const handler = createBufferedHandler(async () => app);
    const res = await handler({ ...loadEvent('rest-v1'), body: '{not json' });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
  });
});

describe('cold start and API keys', () => {
  it('reads the API keys secret once and refuses plain environment keys', async () => {
    const secrets = secretsStub(JSON.stringify({ apiKeys: ['key-one-123', 'key-two-456'] }));
    const app = await initApp(
      { NOVA_LOG_LEVEL: 'silent', NOVA_API_KEYS_SECRET_ARN: 'arn:x' },
      { transport: stubBedrock(), secrets, observability: { emf: { write: () => {} } } },
    );
    apps.push(app);
    expect(secrets.calls).toBe(1);
    const handler = createBufferedHandler(async () => app);
    const ev = loadEvent('rest-v1');
    ev.multiValueHeaders.Authorization = ['Bearer key-two-456'];
    expect((await handler(ev)).statusCode).toBe(200);
    await expect(initApp({ NOVA_PROXY_API_KEYS: 'plain-key-123' }, { transport: stubBedrock() })).rejects.toThrow(/Secrets Manager/);
    await expect(initApp({}, { transport: stubBedrock() })).rejects.toThrow(/no API keys/);
  });

  it('the exported handlers build the app once per container and reuse it', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { NOVA_ALLOW_NO_AUTH: 'true', NOVA_LOG_LEVEL: 'silent', NOVA_METRICS: 'off', AWS_REGION: 'us-east-1' });
    delete process.env.NOVA_PROXY_API_KEYS;
    delete process.env.NOVA_API_KEYS_SECRET_ARN;
    try {
      const first = getApp();
      expect(getApp()).toBe(first);
      const app = await first;
      apps.push(app);
      const health = { version: '2.0', rawPath: '/health', headers: {}, requestContext: { http: { method: 'GET' }, requestId: 'h1' } };
      expect((await bufferedHandler(health as never)).statusCode).toBe(200);
      expect((await bufferedHandler(health as never)).statusCode).toBe(200);
      expect(await getApp()).toBe(app);
    } finally {
      process.env = saved;
    }
  });

  it('parses the accepted secret formats', () => {
    expect(parseApiKeysSecret('{"apiKeys":["a1234567","b1234567"]}')).toEqual(['a1234567', 'b1234567']);
    expect(parseApiKeysSecret('{"apiKey":"a1234567"}')).toEqual(['a1234567']);
    expect(parseApiKeysSecret(' a1234567 , b1234567 ')).toEqual(['a1234567', 'b1234567']);
    expect(() => parseApiKeysSecret('{"apiKeys":[1]}')).toThrow();
  });
});

describe('end to end with the wire-level fake Bedrock (real SDK, real HTTP, event-stream framing)', () => {
  it('streams chunk by chunk through the Lambda handler', async () => {
    const { startFakeBedrock } = await import('../../mock/fake-bedrock.js');
    const fake = await startFakeBedrock({ chunkDelayMs: 25 });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    try {
      const app = await initApp(
        { AWS_REGION: 'us-east-1', NOVA_LOG_LEVEL: 'silent', NOVA_ALLOW_NO_AUTH: 'true' },
        { observability: { emf: { write: () => {} } } },
      );
      apps.push(app);
      const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;
      const out = new FakeResponseStream();
      await handler(withBody(loadEvent('function-url-v2'), chat({ stream: true, stream_options: { include_usage: true } })), out, {});
      expect(out.prelude?.statusCode).toBe(200);
      const frames = sseFrames(out.body) as any[];
      expect(frames.at(-1)).toBe('[DONE]');
      expect(frames.at(-2).usage.completion_tokens).toBeGreaterThan(0);
      const deltas = out.writes.filter((w) => /"content":"[^"]/.test(w.data));
      expect(deltas.length).toBeGreaterThan(2);
      // Spread over time like the fake's frames, not delivered in one burst at the end.
      expect(deltas.at(-1)!.at - deltas[0]!.at).toBeGreaterThan(25 * (deltas.length - 2));
      expect(fake.requests[0]?.operation).toMatch(/stream/i);
    } finally {
      process.env = saved;
      await fake.close();
    }
  });
});

describe('Responses item ids across containers', () => {
  const ITEM_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:nova-item-key';
  async function container(itemKey: string) {
    const app = await initApp(
      { AWS_REGION: 'us-east-1', NOVA_LOG_LEVEL: 'silent', NOVA_API_KEYS_SECRET_ARN: 'arn:keys', NOVA_ITEM_ID_KEY_SECRET_ARN: ITEM_KEY_ARN },
      { transport: stubBedrock(), secrets: secretsStub(undefined, { [ITEM_KEY_ARN]: itemKey }), observability: { emf: { write: () => {} } } },
    );
    apps.push(app);
    return app;
  }
  const call = (app: FastifyInstance, input: unknown) =>
    app.inject({ method: 'POST', url: '/v1/responses', headers: { authorization: `Bearer ${KEY}` }, payload: { model: 'gpt-4o-mini', input } });

  it('an id issued by one container resolves on another that reads the same key secret, and not on one with another key', async () => {
    const key = 'k'.repeat(48);
    const first = await call(await container(key), 'Say hello');
    expect(first.statusCode).toBe(200);
    const message = first.json().output.find((i: { type: string }) => i.type === 'message');
    const followUp = [{ type: 'item_reference', id: message.id }, { role: 'user', content: 'And again' }];
    expect((await call(await container(key), followUp)).statusCode).toBe(200);
    const stranger = await call(await container('x'.repeat(48)), followUp);
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.param).toMatch(/^input/);
  });

  it('keeps no response store unless the function is configured with one', async () => {
    const app = await container('k'.repeat(48));
    const first = await call(app, 'Say hello');
    expect(first.json().store).toBe(false);
    const got = await app.inject({ method: 'GET', url: `/v1/responses/${first.json().id}`, headers: { authorization: `Bearer ${KEY}` } });
    expect(got.statusCode).toBe(404);
    expect(got.json().error.message).toMatch(/stateless/);
  });

  it('refuses a key secret too short to sign with', async () => {
    await expect(container('short')).rejects.toThrow(/at least 32 characters/);
  });
});


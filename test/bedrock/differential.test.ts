/**
 * The two transports side by side: the same OpenAI requests through the proxy on the direct
 * transport and on the AWS SDK transport, against the same scripted fake Bedrock, must put
 * the same requests on the wire (method, path, the headers that matter, the same JSON body
 * of the same length) and give the client the same answers: completions, stream chunks,
 * every Bedrock error type before and during a stream.
 *
 * Bodies are equal as JSON, not byte for byte: the SDK writes object members in its schema's
 * order, the direct transport in the order translation built them (JSON objects are
 * unordered; the lengths match). Each side's x-amz-content-sha256 is checked by the fake
 * against the bytes that arrived, and the signature over them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startFakeBedrock, type FakeBedrock, type FakeStepInput, type RecordedRequest } from '../../mock/fake-bedrock.js';
import { buildApp } from '../../proxy/app.js';
import { loadConfig } from '../../proxy/config.js';
import { createBedrockTransport } from '../../proxy/bedrock/create-transport.js';
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' };

interface Side {
  transport: BedrockTransport;
  app: FastifyInstance;
  origin: string;
}

let fake: FakeBedrock;
const sides: Record<'direct' | 'sdk', Side> = {} as never;

beforeAll(async () => {
  fake = await startFakeBedrock();
  for (const kind of ['direct', 'sdk'] as const) {
    const config = loadConfig({ env: {}, overrides: { logLevel: 'silent', bedrockTransport: kind, bedrockMaxAttempts: 1, metrics: 'off' } });
    const transport = await createBedrockTransport(config, { endpoint: fake.url, credentials });
    const app = await buildApp(config, { transport });
    await app.listen({ host: '127.0.0.1', port: 0 });
    sides[kind] = { transport, app, origin: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
  }
});

afterAll(async () => {
  for (const s of Object.values(sides)) {
    await s.app?.close();
    s.transport?.destroy();
  }
  await fake?.close();
});

interface Exchange {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  wire: Record<string, unknown>[];
}

/** The request through one side, with the fake reset and scripted the same way. */
async function through(kind: 'direct' | 'sdk', request: object, steps: FakeStepInput[]): Promise<Exchange> {
  fake.reset();
  if (steps.length) fake.enqueue(...steps);
  const res = await fetch(`${sides[kind].origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  const text = await res.text();
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'x-nova-model', 'x-nova-ignored-params', 'x-nova-adjusted-params', 'x-nova-cost-usd', 'retry-after']) {
    const v = res.headers.get(name);
    if (v !== null) headers[name] = v;
  }
  if (res.headers.get('x-amzn-requestid')) headers['x-amzn-requestid'] = '(present)';
  return { status: res.status, headers, body: normalize(text), wire: fake.requests.map(wire) };
}

/** Per-request randomness out: completion IDs, timestamps. */
function normalize(text: string): unknown {
  const scrub = (s: string) => s.replace(/chatcmpl-[A-Za-z0-9_-]+/g, 'chatcmpl-X').replace(/"created":\d+/g, '"created":0');
  if (text.startsWith('data: ')) return text.split('\n\n').filter(Boolean).map((frame) => (frame === 'data: [DONE]' ? frame : JSON.parse(scrub(frame.slice(6)))));
  return JSON.parse(scrub(text));
}

/** What must match on the wire: everything but the date, the signature and the SDK's own identity. */
function wire(r: RecordedRequest): Record<string, unknown> {
  const h = r.headers;
  const auth = String(h.authorization ?? '');
  return {
    path: r.path,
    operation: r.operation,
    httpVersion: r.httpVersion,
    body: r.body,
    'content-type': h['content-type'],
    'content-length': h['content-length'],
    accept: h.accept,
    host: h.host,
    'amz-sdk-request': h['amz-sdk-request'],
    'amz-sdk-invocation-id': /^[0-9a-f-]{36}$/.test(String(h['amz-sdk-invocation-id'])),
    'x-amz-security-token': h['x-amz-security-token'],
    // Present (the fake checked it against the bytes that arrived and the signature covers it).
    'x-amz-content-sha256': /^[0-9a-f]{64}$/.test(String(h['x-amz-content-sha256'])),
    scope: /Credential=([^,]+)/.exec(auth)?.[1]?.replace(/\/\d{8}\//, '/DATE/'),
    signedHeaders: /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';').filter((n) => n !== 'x-amz-user-agent'),
    date: /^\d{8}T\d{6}Z$/.test(String(h['x-amz-date'])),
  };
}

async function expectSame(request: object, steps: FakeStepInput[] = []): Promise<Exchange> {
  const direct = await through('direct', request, steps);
  const sdk = await through('sdk', request, steps);
  expect(direct).toEqual(sdk);
  return direct;
}

const chat = (extra: object = {}) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }], ...extra });

describe('same wire request and same answer on both transports', () => {
  const requests: [string, object][] = [
    ['a plain chat', chat()],
    ['system, developer, multi-turn and sampling parameters', chat({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in English — ünïcödé, 日本語, emoji 😀.' }] },
        { role: 'user', content: 'Say hi' },
        { role: 'assistant', content: 'Hi!' },
        { role: 'user', content: 'Again, with "quotes" and \\ backslashes\n and new lines' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 50,
      stop: ['END', 'STOP'],
    })],
    ['tools with a forced choice and a round trip', chat({
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp": 21}' },
        { role: 'user', content: 'And in Rome? Use the tool.' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string', enum: ['c', 'f', null] } }, required: ['city'] } } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
    })],
    ['JSON output through the tool emulation', chat({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { greeting: { type: 'string' } }, required: ['greeting'] } } } })],
    ['an image from a data URL (base64 passed through)', chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } }] }] })],
    ['an image from a wrapped URL-safe data URL (normalised)', chat({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64url').replace(/(.{8})/g, '$1\n')}` } }] }] })],
    ['reasoning on Nova 2', chat({ model: 'amazon.nova-2-lite-v1:0', reasoning_effort: 'low' })],
    ['an inference-profile model ID', chat({ model: 'us.amazon.nova-pro-v1:0' })],
  ];
  for (const [name, request] of requests) {
    it(`${name}, non-streamed`, async () => {
      const r = await expectSame(request);
      expect(r.status).toBe(200);
      expect(r.wire).toHaveLength(1);
    });
    it(`${name}, streamed`, async () => {
      const r = await expectSame({ ...request, stream: true, stream_options: { include_usage: true } });
      expect(r.status).toBe(200);
      expect((r.body as unknown[]).at(-1)).toBe('data: [DONE]');
    });
  }
});

describe('same errors on both transports', () => {
  const errors = [
    'ValidationException',
    'AccessDeniedException',
    'ResourceNotFoundException',
    'ThrottlingException',
    'ServiceQuotaExceededException',
    'ModelTimeoutException',
    'ServiceUnavailableException',
    'ModelNotReadyException',
    'ModelErrorException',
    'InternalServerException',
    'UnrecognizedClientException',
    'ExpiredTokenException',
    'SomeFutureException',
  ];
  for (const errorType of errors) {
    for (const stream of [false, true]) {
      it(`${errorType}${stream ? ' before a stream starts' : ''}`, async () => {
        const r = await expectSame(chat({ stream }), [{ error: { errorType, message: `scripted ${errorType}`, fields: { originalStatusCode: 424 } } }]);
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.headers['x-amzn-requestid']).toBe('(present)');
      });
    }
  }

  it('a throttling answer with Retry-After', async () => {
    const r = await expectSame(chat(), [{ error: { errorType: 'ThrottlingException', message: 'slow down', status: 429 } }]);
    expect(r.status).toBe(429);
  });

  for (const type of ['modelStreamErrorException', 'throttlingException', 'internalServerException', 'validationException', 'serviceUnavailableException'] as const) {
    it(`in-stream ${type}`, async () => {
      const r = await expectSame(chat({ stream: true }), [
        { events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Partial' } } }], streamError: { type, message: `mid-stream ${type}` } },
      ]);
      const frames = r.body as { error?: { message: string } }[];
      expect(frames.at(-1)?.error?.message).toMatch(new RegExp(type, 'i'));
    });
  }

  it('a stream cut before messageStop', async () => {
    const r = await expectSame(chat({ stream: true }), [[{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Part' } } }]]);
    expect(JSON.stringify(r.body)).toMatch(/upstream_truncated/);
  });

  it('a model that fails the generation (tool name Nova cannot emit)', async () => {
    await expectSame(chat({ stream: false }), [{ answer: { kind: 'tool_calls', calls: [{ name: 'bad name!', input: {} }] } }]);
  });
});

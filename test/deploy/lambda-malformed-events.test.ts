/**
 * Malformed Lambda events, table-driven, through both handlers (buffered and streaming)
 * over the real app: every event gets an OpenAI-shaped answer with the right status, and
 * neither handler ever throws — an exception there is a 502 from API Gateway and an
 * `Errors` alarm, with nothing the client can act on.
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { initApp } from '../../proxy/lambda.js';
import { createBufferedHandler, createStreamingHandler } from '../../proxy/lambda/handlers.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import { FakeResponseStream, fakeAwsLambda, loadEvent, stubBedrock, type StreamingHandler } from './support.js';

const KEY = 'test-key-0001';
let app: FastifyInstance;
beforeAll(async () => {
  app = await initApp(
    { AWS_REGION: 'us-east-1', NOVA_LOG_LEVEL: 'silent', NOVA_API_KEYS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k' },
    { transport: stubBedrock(), secrets: { send: async () => ({ SecretString: JSON.stringify({ apiKey: KEY }) }) }, observability: { emf: { write: () => {} } } },
  );
});
afterAll(async () => app?.close());

const v2 = loadEvent('function-url-v2');
const rest = loadEvent('rest-v1');
const auth = { authorization: `Bearer ${KEY}` };
/** A well-formed GET /v1/models in each shape, to break one field at a time. */
const v2Models = () => ({ ...v2, rawPath: '/v1/models', requestContext: { ...v2.requestContext, http: { ...v2.requestContext.http, method: 'GET' } }, body: undefined, isBase64Encoded: false });
const restModels = () => ({ ...rest, httpMethod: 'GET', path: '/v1/models', body: null, isBase64Encoded: false, headers: { ...rest.headers, ...auth }, multiValueHeaders: { Authorization: [`Bearer ${KEY}`] } });

interface Case {
  name: string;
  event: () => unknown;
  status: number;
  code?: string;
}

const cases: Case[] = [
  { name: 'not an object', event: () => 'GET /', status: 400, code: 'unsupported_event' },
  { name: 'null', event: () => null, status: 400, code: 'unsupported_event' },
  { name: 'an array', event: () => [v2], status: 400, code: 'unsupported_event' },
  { name: 'a scheduled event', event: () => ({ source: 'aws.events', detail: {} }), status: 400, code: 'unsupported_event' },
  { name: 'v2 without requestContext', event: () => ({ ...v2Models(), requestContext: undefined }), status: 400, code: 'invalid_event' },
  { name: 'v2 with an empty http', event: () => ({ ...v2Models(), requestContext: { ...v2.requestContext, http: {} } }), status: 400, code: 'invalid_event' },
  { name: 'v2 with http a string', event: () => ({ ...v2Models(), requestContext: { http: 'GET' } }), status: 400, code: 'invalid_event' },
  { name: 'v2 with a method that is not a token', event: () => ({ ...v2Models(), requestContext: { http: { method: 'GET /x' } } }), status: 400, code: 'invalid_event' },
  { name: 'v2 with string multiValueHeaders', event: () => ({ ...v2Models(), multiValueHeaders: 'x' }), status: 200 },
  { name: 'v2 with string cookies', event: () => ({ ...v2Models(), cookies: 'a=1' }), status: 200 },
  { name: 'v2 with cookies of mixed types', event: () => ({ ...v2Models(), cookies: ['a=1', 2, null] }), status: 200 },
  { name: 'v2 with headers null', event: () => ({ ...v2Models(), headers: null }), status: 401, code: 'missing_api_key' },
  { name: 'v2 with header values that are not strings', event: () => ({ ...v2Models(), headers: { ...v2.headers, 'x-number': 5, 'x-obj': {} } }), status: 200 },
  { name: 'v2 with an object body', event: () => ({ ...v2, body: { model: 'gpt-4o' }, isBase64Encoded: false }), status: 400, code: 'invalid_event' },
  { name: 'v2 with a number body', event: () => ({ ...v2, body: 42, isBase64Encoded: false }), status: 400, code: 'invalid_event' },
  { name: 'v2 with a rawPath without a leading slash', event: () => ({ ...v2Models(), rawPath: 'v1/models' }), status: 200 },
  { name: 'v2 with a query string that is not a string', event: () => ({ ...v2Models(), rawQueryString: 7 }), status: 200 },
  { name: 'v2 with bad %-encoding', event: () => ({ ...v2Models(), rawPath: '/v1/models/%E0%A4%A' }), status: 400, code: 'invalid_url' },
  { name: 'v2 with a request id holding a newline', event: () => ({ ...v2Models(), headers: { ...v2.headers, 'x-request-id': 'abc\r\nx-evil: 1' } }), status: 200 },
  { name: 'v2 with a requestContext.requestId holding a newline', event: () => ({ ...v2Models(), requestContext: { ...v2Models().requestContext, requestId: 'a\nb' } }), status: 200 },
  { name: 'REST without path', event: () => ({ ...restModels(), path: undefined }), status: 400, code: 'invalid_event' },
  { name: 'REST with a path without a leading slash', event: () => ({ ...restModels(), path: 'v1/models' }), status: 200 },
  { name: 'REST with bad %-encoding', event: () => ({ ...restModels(), path: '/v1/models/%zz' }), status: 400, code: 'invalid_url' },
  { name: 'REST with string multiValueHeaders', event: () => ({ ...restModels(), multiValueHeaders: 'authorization' }), status: 200 },
  { name: 'REST with multiValueHeaders values that are strings', event: () => ({ ...restModels(), multiValueHeaders: { Authorization: `Bearer ${KEY}` } }), status: 200 },
  { name: 'REST with query parameters of the wrong shape', event: () => ({ ...restModels(), multiValueQueryStringParameters: { a: 'b', c: [1, 'd'] } }), status: 200 },
  { name: 'REST with headers a string', event: () => ({ ...restModels(), headers: 'x', multiValueHeaders: null }), status: 401, code: 'missing_api_key' },
  { name: 'REST with an object body', event: () => ({ ...restModels(), httpMethod: 'POST', path: '/v1/chat/completions', body: {} }), status: 400, code: 'invalid_event' },
  { name: 'REST with a requestContext that is a string', event: () => ({ ...restModels(), requestContext: 'ctx' }), status: 200 },
  { name: 'REST with a model ID holding a lone surrogate', event: () => ({ ...restModels(), httpMethod: 'POST', path: '/v1/chat/completions', body: '{"model":"amazon.nova-\\ud800","messages":[{"role":"user","content":"hi"}]}', headers: { ...restModels().headers, 'content-type': 'application/json' } }), status: 400, code: 'invalid_model' },
];

function checkAnswer(c: Case, status: number, headers: Record<string, string> | undefined, body: string) {
  expect(status, c.name).toBe(c.status);
  const json = JSON.parse(body);
  if (c.status >= 400) {
    expect(validateOpenAI('ErrorResponse', json), c.name).toEqual([]);
    if (c.code) expect(json.error.code, c.name).toBe(c.code);
  }
  const id = headers?.['x-request-id'];
  if (id !== undefined) expect(id, `${c.name}: x-request-id is sendable`).toMatch(/^[\x21-\x7e]{1,128}$/);
}

describe('malformed Lambda events get OpenAI-shaped answers; the handlers never throw', () => {
  const buffered = createBufferedHandler(async () => app);
  const streaming = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;

  it.each(cases.map((c) => [c.name, c] as const))('buffered: %s', async (_name, c) => {
    const result = await buffered(c.event() as never);
    checkAnswer(c, result.statusCode, result.headers, result.body);
  });

  it.each(cases.map((c) => [c.name, c] as const))('streaming: %s', async (_name, c) => {
    const out = new FakeResponseStream();
    await streaming(c.event(), out, {});
    expect(out.ended, c.name).toBe(true);
    checkAnswer(c, out.prelude!.statusCode, out.prelude!.headers, out.body);
  });

  it('answers 500, not a throw, when the app itself fails unexpectedly', async () => {
    const broken = { routing: () => { throw new Error('boom'); } } as unknown as FastifyInstance;
    const result = await createBufferedHandler(async () => broken)(v2Models() as never);
    expect(result.statusCode).toBe(500);
    expect(validateOpenAI('ErrorResponse', JSON.parse(result.body))).toEqual([]);
    const out = new FakeResponseStream();
    await (createStreamingHandler(async () => broken, fakeAwsLambda()) as StreamingHandler)(v2Models(), out, {});
    expect(out.prelude?.statusCode).toBe(500);
    expect(out.ended).toBe(true);
  });
});

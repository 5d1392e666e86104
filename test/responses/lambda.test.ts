/**
 * POST /v1/responses through the Lambda entry (API Gateway REST and function URL events),
 * streaming and not, over a scripted Bedrock transport.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { initApp } from '../../proxy/lambda.js';
import { createBufferedHandler, createStreamingHandler } from '../../proxy/lambda/handlers.js';
import { FakeResponseStream, fakeAwsLambda, loadEvent, stubBedrock, type StreamingHandler } from '../deploy/support.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import { parseSse } from './support.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function makeApp() {
  const app = await initApp(
    { AWS_REGION: 'us-east-1', NOVA_LOG_LEVEL: 'silent', NOVA_ALLOW_NO_AUTH: 'true' },
    { transport: stubBedrock({ text: ['Hel', 'lo', ' there'] }), observability: { emf: { write: () => {} } } },
  );
  apps.push(app);
  return app;
}

function responsesEvent(kind: 'rest-v1' | 'function-url-v2', body: object) {
  const ev = loadEvent(kind);
  if (kind === 'rest-v1') Object.assign(ev, { path: '/v1/responses', pathParameters: { proxy: 'v1/responses' } });
  else Object.assign(ev, { rawPath: '/v1/responses', requestContext: { ...ev.requestContext, http: { ...ev.requestContext.http, path: '/v1/responses' } } });
  return { ...ev, body: JSON.stringify(body), isBase64Encoded: false };
}

describe('the Responses API on Lambda', () => {
  it('streams events, each Bedrock delta in its own write', async () => {
    const app = await makeApp();
    const handler = createStreamingHandler(async () => app, fakeAwsLambda()) as StreamingHandler;
    const out = new FakeResponseStream();
    await handler(responsesEvent('function-url-v2', { model: 'gpt-4o-mini', input: 'Say hello', stream: true }), out, {});
    expect(out.prelude?.statusCode).toBe(200);
    expect(out.prelude?.headers?.['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSse(out.body);
    for (const e of events) expect(validateOpenAI('ResponseStreamEvent', e.data)).toEqual([]);
    expect(events.at(-1)!.data.type).toBe('response.completed');
    expect(events.at(-1)!.data.response.output[0].content[0].text).toBe('Hello there');
    expect(out.writes.filter((w) => w.data.includes('response.output_text.delta')).length).toBe(3);
  });

  it('answers a REST API event with the response object', async () => {
    const app = await makeApp();
    const handler = createBufferedHandler(async () => app);
    const res = (await handler(responsesEvent('rest-v1', { model: 'gpt-4o-mini', input: 'Say hello' }), {})) as { statusCode: number; body: string; headers: Record<string, string> };
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(validateOpenAI('Response', body)).toEqual([]);
    expect(body.output[0].content[0].text).toBe('Hello there');
  });
});

/**
 * Huge non-streamed answers: the proxy buffers at most `bedrockMaxResponseBytes` of a
 * Converse response — refused on its Content-Length, or cut while reading when there is
 * none — and answers a clear 502; streamed answers pass through whatever their size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startProxyRig, post, type ProxyRig } from '../support/proxy.js';
import { sdkTransport } from '../../proxy/bedrock/sdk-transport.js';
import { ResponseTooLargeError } from '../../proxy/bedrock/transport.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

const LIMIT = 100_000;
const chat = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra });
const answer = (text: string) => ({ output: { message: { role: 'assistant' as const, content: [{ text }] } } });

describe('bedrockMaxResponseBytes through the proxy', () => {
  let rig: ProxyRig;
  beforeAll(async () => {
    rig = await startProxyRig({ bedrockMaxResponseBytes: LIMIT });
  });
  afterAll(async () => rig?.close());

  it('an answer over the limit is a 502 naming the limit', async () => {
    rig.fake.enqueue(answer('x'.repeat(2 * LIMIT)));
    const res = await post(rig.origin, '/v1/chat/completions', chat());
    expect(res.status).toBe(502);
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
    expect(res.json.error.code).toBe('upstream_response_too_large');
    expect(res.json.error.message).toContain(`${LIMIT} bytes`);
  });

  it('an answer under the limit is served', async () => {
    rig.fake.enqueue(answer('y'.repeat(LIMIT / 2)));
    const res = await post(rig.origin, '/v1/chat/completions', chat());
    expect(res.status).toBe(200);
    expect(res.json.choices[0].message.content).toHaveLength(LIMIT / 2);
  });

  it('streams are not bounded by it', async () => {
    rig.fake.enqueue(answer('z'.repeat(3 * LIMIT)));
    const res = await post(rig.origin, '/v1/chat/completions', chat({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});

describe('the SDK transport stops reading at the limit when there is no Content-Length', () => {
  let upstream: Server;
  let written = 0;
  let endpoint: string;
  beforeAll(async () => {
    // Converse answering with an endless chunked body: only the reader's limit ends it.
    upstream = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' });
      res.write('{"output":{"message":{"role":"assistant","content":[{"text":"');
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (!res.destroyed && written < 50_000_000) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}');
      };
      pump();
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  });
  afterAll(() => {
    upstream.closeAllConnections();
    return new Promise<void>((r) => upstream.close(() => r()));
  });

  it('rejects with ResponseTooLargeError after reading little more than the limit', async () => {
    const client = new BedrockRuntimeClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler(),
    });
    const transport = sdkTransport(client);
    try {
      const err = await transport
        .converse({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }, { signal: new AbortController().signal, maxResponseBytes: 1_000_000 })
        .then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect((err as ResponseTooLargeError).$metadata.requestId).toBe('req-1');
      // Not retried, and the 50 MB body was not read: the server could write only up to
      // its socket buffers past the limit before the connection went.
      expect(written).toBeLessThan(20_000_000);
    } finally {
      transport.destroy();
    }
  });
});

/**
 * Shutdown with requests that have not started streaming: a non-streamed call waiting on
 * Bedrock, a stream still waiting for Bedrock's first byte, a request still fetching its
 * image. Within the grace period they may finish; at its end each gets an OpenAI-shaped
 * 503 with Retry-After (which OpenAI SDKs retry) instead of a bare socket close.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { startFakeBedrock } from '../../mock/fake-bedrock.js';
import { startServer, type RunningServer } from '../../proxy/server.js';
import { loadConfig } from '../../proxy/config.js';
import { sdkTransport } from '../../proxy/bedrock/sdk-transport.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import type { FakeBedrock } from '../support/proxy.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(shutdownGraceMs: number): Promise<{ server: RunningServer; fake: FakeBedrock }> {
  const fake = await startFakeBedrock();
  const bedrock = new BedrockRuntimeClient({ endpoint: fake.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  const config = loadConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', shutdownGraceMs, images: { allowHosts: ['127.0.0.1'] } } });
  const server = await startServer(config, { transport: sdkTransport(bedrock) });
  cleanups.push(() => fake.close(), () => bedrock.destroy(), () => server.close());
  return { server, fake };
}

const chat = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra });

function send(url: string, body: string) {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (res) => ({
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as any,
  }));
}

/** Resolves once the fake has received `n` requests (the calls are in flight). */
async function received(fake: FakeBedrock, n: number) {
  for (let i = 0; i < 200 && fake.requests.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  expect(fake.requests.length).toBe(n);
}

describe('shutdown with requests not yet streaming', () => {
  it('answers 503 with Retry-After at the grace limit: non-streamed, stream before its first byte, image still loading', async () => {
    const { server, fake } = await start(300);
    const images: Server = createServer(() => {}); // never answers
    await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      images.closeAllConnections();
      return new Promise<void>((r) => images.close(() => r()));
    });
    const imageUrl = `http://127.0.0.1:${(images.address() as { port: number }).port}/slow.png`;

    fake.enqueue({ hang: true }, { hang: true });
    const pending = [
      send(server.url, chat()),
      send(server.url, chat({ stream: true })),
      send(server.url, JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: imageUrl } }] }] })),
    ];
    await received(fake, 2);
    const closing = server.close();
    for (const res of await Promise.all(pending)) {
      expect(res.status).toBe(503);
      expect(res.retryAfter).toBe('1');
      expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
      expect(res.json.error.code).toBe('server_shutting_down');
    }
    await closing;
  });

  it('lets a request that finishes within the grace period finish', async () => {
    const { server, fake } = await start(5000);
    fake.enqueue({ output: { message: { role: 'assistant', content: [{ text: 'made it' }] } }, delayMs: 300 });
    const pending = send(server.url, chat());
    await received(fake, 1);
    const closing = server.close();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.json.choices[0].message.content).toBe('made it');
    await closing;
  });
});

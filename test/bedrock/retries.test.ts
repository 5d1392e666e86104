/**
 * Retries and time limits towards Bedrock, the same on both transports (retry.ts):
 * the SDK's standard strategy for throttling; no retry of a read timeout on a generation
 * unless configured; an immediate retry of a reused keep-alive socket reset before it
 * answered (never of a fresh one); the request's abort signal ends back-off at once; Bedrock
 * API keys as Bearer tokens.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeBedrock, type FakeBedrock } from '../../mock/fake-bedrock.js';
import { loadConfig, type ConfigOverrides } from '../../proxy/config.js';
import { createBedrockTransport } from '../../proxy/bedrock/create-transport.js';
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';
import { mapBedrockError } from '../../proxy/translate/map-error.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const input = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }] };
const signal = () => new AbortController().signal;

let fake: FakeBedrock;
const open: BedrockTransport[] = [];
beforeAll(async () => {
  fake = await startFakeBedrock();
});
afterAll(async () => fake?.close());
afterEach(() => {
  for (const t of open.splice(0)) t.destroy();
  fake.reset();
});

async function transport(kind: 'direct' | 'sdk', endpoint: string, over: ConfigOverrides = {}): Promise<BedrockTransport> {
  const config = loadConfig({ env: {}, overrides: { bedrockTransport: kind, bedrockMaxAttempts: 3, ...over } });
  const t = await createBedrockTransport(config, { endpoint, credentials });
  open.push(t);
  return t;
}

/** A bare Converse server: answers each connection's requests, with a hook to misbehave. */
async function converseServer(misbehave: (nth: number, socket: import('node:net').Socket) => boolean) {
  let seen = 0;
  const perSocket = new WeakMap<object, number>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen++;
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (misbehave(n, req.socket)) return;
      const body = JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 1 } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': `r${seen}` });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

for (const kind of ['direct', 'sdk'] as const) {
  describe(`${kind} transport`, () => {
    it('retries throttling with the standard strategy, as one invocation', async () => {
      const t = await transport(kind, fake.url);
      fake.enqueue({ error: { errorType: 'ThrottlingException', message: 'slow down' } });
      const out = await t.converse(input, { signal: signal() });
      expect(out.output?.message?.content?.[0]?.text).toBeTruthy();
      expect(out.$metadata.attempts).toBe(2);
      expect(fake.requests.map((r) => r.headers['amz-sdk-request'])).toEqual(['attempt=1; max=3', 'attempt=2; max=3']);
      expect(fake.requests[0]!.headers['amz-sdk-invocation-id']).toBe(fake.requests[1]!.headers['amz-sdk-invocation-id']);
    });

    it('keeps the 429 when the attempts are spent', async () => {
      const t = await transport(kind, fake.url, { bedrockMaxAttempts: 1 });
      fake.enqueue({ error: { errorType: 'ThrottlingException', message: 'slow down' } });
      const err = mapBedrockError(await t.converse(input, { signal: signal() }).catch((e: unknown) => e));
      expect(err.status).toBe(429);
      expect(err.headers['retry-after']).toBeDefined();
    });

    it('does not retry a read timeout on a generation, by default', async () => {
      const t = await transport(kind, fake.url, { bedrockReadTimeoutMs: 300 });
      fake.enqueue({ hang: true }, { hang: true }, { hang: true });
      const err = await t.converse(input, { signal: signal() }).catch((e: unknown) => e);
      expect(mapBedrockError(err).status).toBe(504);
      expect(fake.requests).toHaveLength(1);
      fake.reset();
      fake.enqueue({ hang: true }, { hang: true }, { hang: true });
      await expect(t.converseStream(input, { signal: signal() })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(fake.requests).toHaveLength(1);
    });

    it('retries read timeouts when bedrockRetryReadTimeouts is set', async () => {
      const t = await transport(kind, fake.url, { bedrockReadTimeoutMs: 300, bedrockRetryReadTimeouts: true });
      fake.enqueue({ hang: true }, { hang: true });
      const out = await t.converse(input, { signal: signal() });
      expect(out.$metadata.attempts).toBe(3);
      expect(fake.requests).toHaveLength(3);
    });

    it('retries a reused keep-alive socket reset before any answer, at once and outside the attempts', async () => {
      const server = await converseServer((n, socket) => {
        if (n < 2) return false;
        socket.destroy();
        return true;
      });
      try {
        const t = await transport(kind, server.url, { bedrockMaxAttempts: 1 });
        for (let i = 0; i < 3; i++) expect((await t.converse(input, { signal: signal() })).output?.message?.content?.[0]?.text).toBe('ok');
        // Every call that reused a socket met it closed under it and went again on a fresh one
        // (with maxAttempts 1, so outside the attempts); at least one call reused a socket.
        expect(server.seen()).toBeGreaterThan(3);
      } finally {
        await server.close();
      }
    });

    it('does not retry a reset on a fresh connection (the request may have been processed)', async () => {
      const server = await converseServer((_n, socket) => {
        socket.destroy();
        return true;
      });
      try {
        const t = await transport(kind, server.url, { bedrockMaxAttempts: 1 });
        const err = await t.converse(input, { signal: signal() }).catch((e: unknown) => e);
        expect(mapBedrockError(err)).toMatchObject({ status: 502, code: 'upstream_connection_error' });
        expect(server.seen()).toBe(1);
      } finally {
        await server.close();
      }
    });

    it('stops backing off the moment the request is aborted', async () => {
      const t = await transport(kind, fake.url, { bedrockMaxAttempts: 5 });
      for (let i = 0; i < 5; i++) fake.enqueue({ error: { errorType: 'ThrottlingException', message: 'slow down' } });
      const ac = new AbortController();
      const call = t.converse(input, { signal: ac.signal }).catch((e: unknown) => e);
      while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      ac.abort();
      // The abort may land before or after the throttling answer; either way no further attempt follows.
      expect(['AbortError', 'ThrottlingException']).toContain(((await call) as Error).name);
      expect(fake.requests).toHaveLength(1);
    });

    it('fails fast when nothing listens (connection refused → 502)', async () => {
      const server = await converseServer(() => false);
      await server.close();
      const t = await transport(kind, server.url, { bedrockMaxAttempts: 1 });
      const err = mapBedrockError(await t.converse(input, { signal: signal() }).catch((e: unknown) => e));
      expect(err).toMatchObject({ status: 502, code: 'upstream_connection_error' });
    });

    it('sends a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) as a Bearer token instead of signing', async () => {
      process.env.AWS_BEARER_TOKEN_BEDROCK = 'bedrock-api-key-EXAMPLE';
      try {
        const t = await transport(kind, fake.url);
        await t.converse(input, { signal: signal() });
        const h = fake.requests[0]!.headers;
        expect(h.authorization).toBe('Bearer bedrock-api-key-EXAMPLE');
        expect(h['x-amz-date']).toBeUndefined();
      } finally {
        delete process.env.AWS_BEARER_TOKEN_BEDROCK;
      }
    });
  });
}

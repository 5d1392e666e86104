/** Hostile or unlucky conditions: odd input, clients that vanish or stall, upstream cut-offs, shutdown. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { startProxyRig, post, type ProxyRig } from '../support/proxy.js';
import { startServer } from '../../proxy/server.js';
import { loadConfig } from '../../proxy/config.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig({ images: { allowHosts: ['127.0.0.1'] } });
});
afterAll(async () => rig?.close());

const chat = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('odd input', () => {
  it('reports unknown keys with header-unsafe names without breaking the response', async () => {
    const body = '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"日本":1,"a\\nb":2}';
    const res = await post(rig.origin, '/v1/chat/completions', body);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-nova-ignored-params')).toBe(`${encodeURIComponent('日本')},a%0Ab`);
    const streamed = await post(rig.origin, '/v1/chat/completions', body.replace('"日本"', '"stream":true,"日本"'));
    expect(streamed.status).toBe(200);
    expect(streamed.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('type-checks stream', async () => {
    const res = await post(rig.origin, '/v1/chat/completions', chat({ stream: 'true' }));
    expect(res.status).toBe(400);
    expect(res.json.error.param).toBe('stream');
  });

  it('refuses more than 20 image URLs before fetching any', async () => {
    const content = Array.from({ length: 21 }, (_, i) => ({ type: 'image_url', image_url: { url: `http://127.0.0.1:9/${i}.png` } }));
    const res = await post(rig.origin, '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] }));
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/at most 20 image URLs/);
  });
});

describe('clients that vanish or stall', () => {
  let slowImages: Server;
  let slowUrl: string;
  beforeAll(async () => {
    slowImages = createServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a', 'hex')), 800).unref();
    });
    await new Promise<void>((r) => slowImages.listen(0, '127.0.0.1', r));
    slowUrl = `http://127.0.0.1:${(slowImages.address() as { port: number }).port}/slow.png`;
  });
  afterAll(() => {
    slowImages.closeAllConnections();
    return new Promise<void>((r) => slowImages.close(() => r()));
  });

  it('does not call Bedrock for a client that left during image fetching', async () => {
    const before = rig.fake.requests.length;
    const controller = new AbortController();
    const pending = fetch(`${rig.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: slowUrl } }] }] }),
      signal: controller.signal,
    }).catch(() => undefined);
    setTimeout(() => controller.abort(), 200);
    await pending;
    await new Promise((r) => setTimeout(r, 900));
    expect(rig.fake.requests.length).toBe(before);
  });

  it('ends a stream whose client stopped reading once the time limit passes', async () => {
    const limited = await startProxyRig({ requestTimeoutMs: 600 }, { fake: { chunkDelayMs: 1 } });
    try {
      // A 16 MB answer: far more than the socket buffers of a client that never reads hold.
      limited.fake.enqueue({
        events: [
          { messageStart: { role: 'assistant' } },
          ...Array.from({ length: 4000 }, () => ({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'x'.repeat(4000) } } })),
          { contentBlockStop: { contentBlockIndex: 0 } },
          { messageStop: { stopReason: 'end_turn' } },
        ],
      });
      const port = Number(new URL(limited.origin).port);
      const socket = connect(port, '127.0.0.1');
      const body = chat({ stream: true });
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      socket.pause();
      await new Promise((r) => setTimeout(r, 1500));
      // The time limit ended the stream and aborted the Bedrock call, whatever the client does.
      expect(limited.app.inFlight.streams.size).toBe(0);
      expect(limited.fake.aborted).toBe(1);
      socket.destroy();
    } finally {
      await limited.close();
    }
  });
});

describe('upstream cut-offs', () => {
  it('reports a stream that ends without messageStop as an error, not as complete', async () => {
    rig.fake.enqueue({ events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Partial answ' } } }] });
    const res = await post(rig.origin, '/v1/chat/completions', chat({ stream: true }));
    expect(res.text).toContain('Partial answ');
    expect(res.text).not.toContain('[DONE]');
    const event = JSON.parse(res.text.trim().split('\n\n').at(-1)!.replace(/^data: /, ''));
    expect(validateOpenAI('ErrorResponse', event)).toEqual([]);
    expect(event.error.code).toBe('upstream_truncated');
  });
});

describe('shutdown', () => {
  it('ends streams still open after the grace period with an error event, and answers new requests with an OpenAI-shaped 503', async () => {
    const { startFakeBedrock } = await import('../../mock/fake-bedrock.js');
    const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
    const fake = await startFakeBedrock();
    const bedrock = new BedrockRuntimeClient({ endpoint: fake.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const { sdkTransport } = await import('../../proxy/bedrock/sdk-transport.js');
    const server = await startServer(loadConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', shutdownGraceMs: 200 } }), { transport: sdkTransport(bedrock) });
    try {
      fake.enqueue({ events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hello' } } }], hang: true });
      const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chat({ stream: true }) });
      const reader = res.body!.getReader();
      await reader.read();
      const closing = server.close();
      const during = await fetch(`${server.url}/v1/models`).catch(() => undefined);
      if (during) {
        expect(during.status).toBe(503);
        expect(validateOpenAI('ErrorResponse', await during.json())).toEqual([]);
      }
      let text = '';
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += Buffer.from(r.value).toString();
      await closing;
      expect(text).toMatch(/shutting down/);
      expect(text).not.toContain('[DONE]');
    } finally {
      await server.close();
      bedrock.destroy();
      await fake.close();
    }
  });
});

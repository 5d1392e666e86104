/**
 * Over-limit bodies answer 413 to every client (the openai SDK on undici, raw sockets) instead
 * of a broken pipe, and OpenAI endpoints the proxy does not serve answer a 404 that says so
 * and what to use instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import { unservedEndpoint } from '../../proxy/unserved-endpoints.js';

const LIMIT = 64 * 1024;
let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig({ bodyLimitBytes: LIMIT });
});
afterAll(async () => rig?.close());

/** One raw HTTP/1.1 exchange on a socket; resolves with everything read until `until` matches or the socket closes. */
function readUntil(socket: net.Socket, until: RegExp): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (closed: boolean) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ text, closed });
    };
    const onData = (b: Buffer) => {
      text += b.toString('latin1');
      if (until.test(text)) finish(false);
    };
    const onClose = () => finish(true);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

function connect(): Promise<net.Socket> {
  const { port } = new URL(rig.origin);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** A complete JSON error response: headers plus a body ending in `}}`. */
const RESPONSE_END = /\r\n\r\n[\s\S]*\}\}/;

describe('413 for over-limit bodies', () => {
  it('reaches the openai SDK (undici) in another process as a 413, not EPIPE, with the limit in bytes and MB and the config key', async () => {
    // Across processes the server can close while the client is still writing: the EPIPE case.
    const bin = fileURLToPath(new URL('../../bin/nova-migrate.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--mock'], {
      env: { ...process.env, NOVA_LOG_LEVEL: 'silent', NOVA_BODY_LIMIT_BYTES: String(LIMIT) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      let url: string | undefined;
      for (let i = 0; i < 400 && !url; i++) {
        url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 25));
      }
      expect(url, out).toBeTruthy();
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 2 });
      for (const mb of [4, 16]) {
        const err = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(mb * 1024 * 1024) }] }).catch((e) => e);
        expect(err, String(err)).toBeInstanceOf(OpenAI.APIError);
        expect(err).not.toBeInstanceOf(OpenAI.APIConnectionError);
        expect(err.status).toBe(413);
        expect(err.code).toBe('request_too_large');
        expect(err.message).toContain(`the limit is ${LIMIT} bytes (0.06 MB)`);
        expect(err.message).toContain('bodyLimitBytes');
        expect(err.message).toContain('NOVA_BODY_LIMIT_BYTES');
      }
      const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: Array.from({ length: 4000 }, () => 'y'.repeat(1000)) }).catch((e) => e);
      expect(emb.status).toBe(413);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reads the rest of a declared-length body, answers 413 and keeps the connection for the next request', async () => {
    const socket = await connect();
    try {
      const size = 1024 * 1024;
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
      const reply = readUntil(socket, RESPONSE_END);
      // Upload in pieces, as a client on a real network would; every write succeeds.
      const piece = Buffer.alloc(64 * 1024, 0x61);
      for (let sent = 0; sent < size; sent += piece.length) {
        await new Promise<void>((resolve, reject) => socket.write(piece, (e) => (e ? reject(e) : resolve())));
      }
      const { text, closed } = await reply;
      expect(closed).toBe(false);
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text.toLowerCase()).not.toContain('connection: close');
      const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
      expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
      // Same connection, next request.
      const next = readUntil(socket, /\r\n\r\n\{"status":"ok"[\s\S]*\}$/);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      expect((await next).text).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      socket.destroy();
    }
  });

  it('does the same for a chunked body over the limit', async () => {
    const socket = await connect();
    try {
      socket.write('POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const reply = readUntil(socket, RESPONSE_END);
      const chunk = 'b'.repeat(32 * 1024);
      for (let i = 0; i < 8; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      socket.write('0\r\n\r\n');
      const { text, closed } = await reply;
      expect(closed).toBe(false);
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text).toContain('"code":"request_too_large"');
      expect(text.toLowerCase()).not.toContain('connection: close');
      const next = readUntil(socket, /\r\n\r\n\{"status":"ok"[\s\S]*\}$/);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      expect((await next).text).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      socket.destroy();
    }
  });

  it('answers at once and closes when the declared body is beyond what it will read', async () => {
    const socket = await connect();
    try {
      const reply = readUntil(socket, /$^/); // read until close
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${500 * 1024 * 1024}\r\n\r\n{"model":`);
      const { text, closed } = await reply;
      expect(closed).toBe(true);
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text.toLowerCase()).toContain('connection: close');
      expect(text).toContain(`the limit is ${LIMIT} bytes`);
    } finally {
      socket.destroy();
    }
  });
});

describe('endpoints the proxy does not serve', () => {
  const client = () => new OpenAI({ baseURL: `${rig.origin}/v1`, apiKey: 'x', maxRetries: 0 });

  it.each([
    ['legacy completions', (c: OpenAI) => c.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'hi' }), /legacy Completions API \(POST \/v1\/completions\) is not served by nova-migrate.*POST \/v1\/chat\/completions/],
    ['images', (c: OpenAI) => c.images.generate({ prompt: 'a cat', model: 'gpt-image-1' }), /Images API.*Nova Canvas/],
    ['audio', (c: OpenAI) => c.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }), /Audio API.*Nova Sonic/],
    ['moderations', (c: OpenAI) => c.moderations.create({ input: 'hi' }), /Moderations API.*Guardrails/],
    ['files', (c: OpenAI) => c.files.list(), /Files API.*file_data/],
    ['batches', (c: OpenAI) => c.batches.list(), /Batch API/],
    ['vector stores', (c: OpenAI) => c.vectorStores.list(), /Vector stores.*POST \/v1\/embeddings/],
    ['fine-tuning', (c: OpenAI) => c.fineTuning.jobs.list(), /Fine-tuning.*model customization/],
    ['assistants', (c: OpenAI) => c.beta.assistants.list(), /Assistants API/],
    ['conversations', (c: OpenAI) => c.conversations.create({}), /Conversations API.*useResponsesApi: false.*setOpenAIAPI\('chat_completions'\)/],
    ['stored chat completions', (c: OpenAI) => c.chat.completions.list(), /Stored chat completions \(GET \/v1\/chat\/completions\)/],
  ])('%s → 404 naming the endpoint and what to use instead', async (_name, call, message) => {
    const err = await call(client()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    const e = err as InstanceType<typeof OpenAI.NotFoundError>;
    expect(e.code).toBe('endpoint_not_served');
    expect(e.message).toMatch(message);
    expect(validateOpenAI('ErrorResponse', { error: e.error })).toEqual([]);
  });

  it('says the same without the /v1 prefix, and keeps "check the URL" for URLs OpenAI does not have', async () => {
    const res = await fetch(`${rig.origin}/completions`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe('endpoint_not_served');
    const typo = await fetch(`${rig.origin}/v1/chat/completion`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const body = (await typo.json()) as any;
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect(body.error.code).toBe('unknown_url');
  });

  it('points Responses API callers at the client settings that switch to Chat Completions', () => {
    const e = unservedEndpoint('POST', '/v1/responses/resp_1/cancel?x=1')!;
    expect(e.status).toBe(404);
    expect(e.message).toContain('(POST /v1/responses/resp_1/cancel)');
    expect(e.message).toContain('`openai.chat(model)`');
    expect(e.message).toContain('useResponsesApi: false');
    expect(e.message).toContain("setOpenAIAPI('chat_completions')");
    expect(unservedEndpoint('POST', '/v1/chat/completions')).toBeUndefined();
    expect(unservedEndpoint('GET', '/v1/models')).toBeUndefined();
  });
});

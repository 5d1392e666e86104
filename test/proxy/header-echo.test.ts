/**
 * Client text echoed into response headers and logs: model IDs are validated up front,
 * every header built from client input is sendable and capped (a client with the usual
 * 16 KB header limit can read the 200), and what is logged per request stays small.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../proxy/app.js';
import { loadConfig } from '../../proxy/config.js';
import { MAX_ECHO_HEADER_BYTES, headerList, headerToken } from '../../proxy/header-safe.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import { stubBedrock } from '../deploy/support.js';

let app: FastifyInstance;
let origin: string;
const logBytes: number[] = [];
let currentLog = 0;

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      currentLog += chunk.length;
      cb();
    },
  });
  app = await buildApp(loadConfig({ env: {}, overrides: { logLevel: 'info' } }), { transport: stubBedrock(), logStream, observability: { mode: 'off' } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => app?.close());

/** POST with node's own HTTP client and its default 16 KB response-header limit. */
function postNode(body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function logged<T>(fn: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  currentLog = 0;
  const result = await fn();
  // The request line is written when the response closes, just after the client has it.
  await new Promise((r) => setTimeout(r, 50));
  logBytes.push(currentLog);
  return { result, bytes: currentLog };
}

const messages = [{ role: 'user', content: 'hi' }];

describe('headers built from client input', () => {
  it('1,000 unknown parameters: the 200 stays readable, the list is capped and says how many were left out', async () => {
    const body: Record<string, unknown> = { model: 'gpt-4o', messages };
    for (let i = 0; i < 1000; i++) body[`unknown_parameter_number_${i}_${'z'.repeat(40)}`] = i;
    const res = await postNode(JSON.stringify(body));
    expect(res.status).toBe(200);
    const ignored = res.headers['x-nova-ignored-params'] as string;
    expect(Buffer.byteLength(ignored)).toBeLessThanOrEqual(MAX_ECHO_HEADER_BYTES);
    expect(ignored).toMatch(/^unknown_parameter_number_0_z+,.*\.\.\.\+\d+$/);
    const shown = ignored.split(',').length - 1;
    expect(Number(/\+(\d+)$/.exec(ignored)![1])).toBe(1000 - shown);
  });

  it('an unknown key with a lone surrogate is reported, not a 500', async () => {
    const res = await postNode('{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"bad\\ud800key":1,"ok":2}');
    expect(res.status).toBe(200);
    expect(res.headers['x-nova-ignored-params']).toBe('bad%EF%BF%BDkey,ok');
  });

  it('unknown keys with CR/LF, commas and non-ASCII are encoded', async () => {
    const res = await postNode(JSON.stringify({ model: 'gpt-4o', messages, 'a\r\nb': 1, 'c,d': 2, 'é€': 3 }));
    expect(res.status).toBe(200);
    expect(res.headers['x-nova-ignored-params']).toBe('a%0D%0Ab,c%2Cd,%C3%A9%E2%82%AC');
  });

  it('a 1 MB model ID is a 400 without echoing it into headers, and the logs stay small', async () => {
    const { result: res, bytes } = await logged(() => postNode(JSON.stringify({ model: `amazon.nova-${'x'.repeat(1_000_000)}`, messages })));
    expect(res.status).toBe(400);
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
    expect(res.json.error.param).toBe('model');
    expect(res.headers['x-nova-model']).toBeUndefined();
    expect(JSON.stringify(res.json).length).toBeLessThan(2000);
    expect(bytes).toBeLessThan(4096);
  });

  it('x-request-id is adopted only when it is short visible ASCII', async () => {
    const ok = await postNode(JSON.stringify({ model: 'gpt-4o', messages }), { 'x-request-id': 'client-id-123' });
    expect(ok.headers['x-request-id']).toBe('client-id-123');
    for (const bad of ['x'.repeat(200), 'has space', 'caf\xe9']) {
      const res = await postNode(JSON.stringify({ model: 'gpt-4o', messages }), { 'x-request-id': bad });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('header-safe helpers', () => {
  it('encode any string without throwing, and cap it', () => {
    expect(headerToken('\udfff')).toBe('%EF%BF%BD');
    expect(headerToken('x'.repeat(1000))).toHaveLength(64);
    // A cut never leaves half a %-escape.
    expect(headerToken('é'.repeat(40))).toMatch(/^(%C3%A9)+$/);
    expect(headerList(Array.from({ length: 500 }, (_, i) => `p${i}`), 100)).toMatch(/,\.\.\.\+\d+$/);
    expect(headerList(Array.from({ length: 500 }, (_, i) => `p${i}`), 100).length).toBeLessThanOrEqual(100);
  });
});

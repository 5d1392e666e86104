/**
 * Errors raised by Fastify and Node rather than by the proxy's own code — bad %-encoding,
 * over-long path segments, oversize headers, oversize bodies, header values Node refuses —
 * all OpenAI-shaped with the right status; and /health reachable by probes without a key,
 * with a query string or a trailing slash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startProxyRig, post, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';
import { MAX_PARAM_LENGTH } from '../../proxy/app.js';

const KEY = 'http-errors-key-1';
const auth = { authorization: `Bearer ${KEY}` };
let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig({ apiKeys: [KEY], bodyLimitBytes: 4096 });
});
afterAll(async () => rig?.close());

async function get(path: string, headers: Record<string, string> = auth) {
  const res = await fetch(`${rig.origin}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: JSON.parse(text) };
}

/** One raw request; resolves with the whole response once the server closes or goes quiet. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(rig.origin).port), '127.0.0.1');
    let data = '';
    socket.on('data', (d) => {
      data += d.toString('latin1');
      // A complete response with a body: stop waiting.
      const m = /\r\ncontent-length: (\d+)\r\n/i.exec(data);
      const end = data.indexOf('\r\n\r\n');
      if (m && end >= 0 && data.length - end - 4 >= Number(m[1])) socket.end();
    });
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.write(request);
  });
}

function expectOpenAIError(status: number, json: unknown, expected: number, code?: string) {
  expect(status).toBe(expected);
  expect(validateOpenAI('ErrorResponse', json)).toEqual([]);
  if (code) expect((json as { error: { code: string } }).error.code).toBe(code);
}

describe('errors raised by Fastify or Node are OpenAI-shaped', () => {
  it('bad %-encoding → 400', async () => {
    const res = await get('/v1/models/%E0%A4%A');
    expectOpenAIError(res.status, res.json, 400, 'invalid_url');
  });

  it('a path segment longer than the limit → 414 naming the limit', async () => {
    const res = await get(`/v1/models/${'a'.repeat(MAX_PARAM_LENGTH + 1)}`);
    expectOpenAIError(res.status, res.json, 414, 'url_too_long');
    expect(res.json.error.message).toContain(String(MAX_PARAM_LENGTH));
  });

  it('a 100 KB header → 431', async () => {
    const text = await raw(`GET /v1/models HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(100_000)}\r\n\r\n`);
    const [head, body] = text.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expectOpenAIError(431, JSON.parse(body!), 431, 'headers_too_large');
  });

  it('unparseable HTTP → 400', async () => {
    const text = await raw('GET /v1/models HTTP/1.1\r\nhost x\r\n\r\n');
    const [head, body] = text.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expectOpenAIError(400, JSON.parse(body!), 400, 'bad_http_request');
  });

  it('413 states the limit in bytes', async () => {
    const res = await post(rig.origin, '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }), auth);
    expectOpenAIError(res.status, res.json, 413, 'request_too_large');
    expect(res.json.error.message).toContain('the limit is 4096 bytes');
  });

  it('a model ID Node would refuse in a header is a 400 on model, never ERR_INVALID_CHAR', async () => {
    for (const model of ['amazon.nova-€', 'amazon.nova-a\r\nx-evil: 1', 'amazon.nova-\ud800', 'amazon.nova-pro v1', 'x'.repeat(300)]) {
      const res = await post(rig.origin, '/v1/chat/completions', JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }), auth);
      expectOpenAIError(res.status, res.json, 400, 'invalid_model');
      expect(res.json.error.param).toBe('model');
    }
  });
});

describe('a header value Node refuses to send', () => {
  it('becomes an OpenAI-shaped 500 without that header, not Fastify\'s own ERR_INVALID_CHAR body', async () => {
    const { buildApp } = await import('../../proxy/app.js');
    const { loadConfig } = await import('../../proxy/config.js');
    const { stubBedrock } = await import('../deploy/support.js');
    const app = await buildApp(loadConfig({ env: {}, overrides: { logLevel: 'silent' } }), { transport: stubBedrock(), observability: { mode: 'off' } });
    // A route that (by a bug) echoes something unsendable, as the model ID once was.
    app.get('/echo', async (_req, reply) => {
      void reply.header('x-nova-model', 'amazon.nova-€\r\nx: 1').header('x-fine', 'ok');
      return { ok: true };
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/echo' });
      expectOpenAIError(res.statusCode, res.json(), 500, 'invalid_response_header');
      expect(res.headers['x-nova-model']).toBeUndefined();
      expect(res.headers['x-fine']).toBe('ok');
    } finally {
      await app.close();
    }
  });
});

describe('/health skips auth for probes', () => {
  it.each(['/health', '/health?probe=1', '/health/', '/health/?x=y'])('%s', async (path) => {
    const res = await get(path, {});
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('ok');
  });

  it('other URLs still need the key', async () => {
    const res = await get('/healthz', {});
    expectOpenAIError(res.status, res.json, 401, 'missing_api_key');
    expect((await get('/v1/models?health', {})).status).toBe(401);
  });
});

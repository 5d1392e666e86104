/**
 * Per-request log line and metrics through the real app on loopback HTTP (a scripted
 * Bedrock client stands in for AWS): one JSON line per request with the documented
 * fields and no prompt text; Prometheus /metrics; EMF lines valid per the spec; the same
 * metric names and dimensions in both modes.
 */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { Writable } from 'node:stream';
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../proxy/app.js';
import { loadConfig, type ConfigOverrides } from '../../proxy/config.js';
import { METRICS } from '../../proxy/observability/metric-defs.js';
import { stubBedrock, type StubBedrockOptions } from '../deploy/support.js';
import { validateEmf } from './emf-validator.js';

const KEY = 'obs-test-key-1';
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function start(overrides: ConfigOverrides = {}, bedrock: StubBedrockOptions = {}, mode: 'prometheus' | 'emf' = 'prometheus') {
  const lines: any[] = [];
  const raw: string[] = [];
  const emf: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l) (raw.push(l), lines.push(JSON.parse(l)));
      cb();
    },
  });
  const config = loadConfig({ env: {}, overrides: { apiKeys: ['some-other-key', KEY], logLevel: 'info', ...overrides } });
  const app = await buildApp(config, { transport: stubBedrock(bedrock), logStream, observability: { mode, emf: { write: (l) => emf.push(l) } } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  apps.push(app);
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const post = async (body: object, key = KEY) => {
    const res = await fetch(`${origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    return { res, text: await res.text() };
  };
  /** Waits for the close hook (it runs just after the client has the last byte). */
  const requestLines = async (n: number) => {
    for (let i = 0; i < 50 && lines.filter((l) => l.msg === 'request completed').length < n; i++) await new Promise((r) => setTimeout(r, 5));
    return lines.filter((l) => l.msg === 'request completed');
  };
  return { app, origin, lines, raw, emf, post, requestLines };
}

const PROMPT = 'Tell me the secret recipe';
const chat = (extra: object = {}) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }], ...extra });

describe('request log line', () => {
  it('one line per request with the documented fields, and no prompt or output text', async () => {
    const s = await start({}, { latencyMs: 30 });
    const { res } = await s.post(chat());
    expect(res.status).toBe(200);
    const [line, ...more] = await s.requestLines(1);
    expect(more).toHaveLength(0);
    expect(line).toMatchObject({
      level: 30,
      reqId: res.headers.get('x-request-id'),
      route: '/v1/chat/completions',
      method: 'POST',
      status: 200,
      model: 'gpt-4o-mini',
      bedrockModelId: 'amazon.nova-lite-v1:0',
      stream: false,
      inputTokens: 12,
      outputTokens: 3,
      cachedInputTokens: 0,
      apiKeyIndex: 1,
    });
    expect(line.latencyMs).toBeGreaterThanOrEqual(30);
    expect(line.bedrockMs).toBeGreaterThanOrEqual(29);
    expect(line.overheadMs).toBeCloseTo(line.latencyMs - line.bedrockMs, 2);
    expect(line.costUsd).toBeCloseTo((12 * 0.06 + 3 * 0.24) / 1e6, 12);
    expect(line.errorType).toBeUndefined();
    // The cost header matches what was logged.
    expect(Number(res.headers.get('x-nova-cost-usd'))).toBeCloseTo(line.costUsd, 8);
    const all = JSON.stringify(s.lines);
    expect(all).not.toContain(PROMPT);
    expect(all).not.toContain('Hello there');
  });

  it('a request that logs nothing else makes no pino child logger (the access line is written without one)', async () => {
    const s = await start();
    const child = vi.spyOn(s.app.log, 'child');
    const { res } = await s.post(chat());
    expect(res.status).toBe(200);
    const [line] = await s.requestLines(1);
    expect(line).toMatchObject({ level: 30, reqId: res.headers.get('x-request-id'), status: 200 });
    expect(child).not.toHaveBeenCalled();
  });

  it('streams: one line when the stream ends, with time to first token', async () => {
    const s = await start({}, { eventDelayMs: 20 });
    const { text } = await s.post(chat({ stream: true }));
    expect(text).toContain('[DONE]');
    const lines = await s.requestLines(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ stream: true, status: 200, outputTokens: 3 });
    expect(lines[0].ttftMs).toBeGreaterThanOrEqual(15);
    expect(lines[0].latencyMs).toBeGreaterThanOrEqual(lines[0].ttftMs);
    expect(JSON.stringify(s.lines)).not.toContain(PROMPT);
  });

  it('a client that disconnects mid-stream: one line, aborted, error type client_closed', async () => {
    const s = await start({}, { eventDelayMs: 40, text: ['a', 'b', 'c', 'd', 'e', 'f'] });
    // Plain http so the socket really closes on abort (fetch may keep it for reuse).
    const body = JSON.stringify(chat({ stream: true }));
    await new Promise<void>((resolve, reject) => {
      const req = request(`${s.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${KEY}` },
      });
      req.on('response', (res) => res.once('data', () => (req.destroy(), resolve())));
      req.on('error', (err) => (err.message.includes('aborted') || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
      req.end(body);
    });
    const lines = await s.requestLines(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ stream: true, aborted: true, errorType: 'client_closed' });
  });

  it('rejected requests get their line too, with the error type', async () => {
    const s = await start();
    const { res } = await s.post(chat(), 'wrong-key-000');
    expect(res.status).toBe(401);
    const [line] = await s.requestLines(1);
    expect(line).toMatchObject({ status: 401, errorType: 'authentication_error' });
  });

  it('with logPrompts the prompt and the completion are logged', async () => {
    const s = await start({ logPrompts: true });
    await s.post(chat());
    await s.requestLines(1);
    const all = JSON.stringify(s.lines);
    expect(all).toContain(PROMPT);
    expect(all).toContain('Hello there');
    // Every line of the request carries its ID, once.
    const [line] = await s.requestLines(1);
    const perRequest = s.raw.filter((l) => ['prompt', 'completion', 'request completed'].includes(JSON.parse(l).msg));
    expect(perRequest).toHaveLength(3);
    for (const l of perRequest) expect(l.match(/"reqId":/g)).toHaveLength(1);
    expect(new Set(perRequest.map((l) => JSON.parse(l).reqId))).toEqual(new Set([line.reqId]));
  });
});

describe('Prometheus /metrics (server mode)', () => {
  it('needs an API key, then exposes counters and histograms by model, cost by model (by key for admin keys), the overhead histogram', async () => {
    const ADMIN = 'obs-admin-key-1';
    const s = await start({ adminApiKeys: [ADMIN] }, { latencyMs: 25 });
    await s.post(chat());
    await s.post(chat({ stream: true }));
    await s.post(chat({ model: 'nope' }));
    await s.requestLines(3);
    expect((await fetch(`${s.origin}/metrics`)).status).toBe(401);
    const res = await fetch(`${s.origin}/metrics`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const m = 'model="amazon.nova-lite-v1:0"';
    expect(text).toContain(`nova_proxy_requests_total{${m},stream="false",status="200"} 1`);
    expect(text).toContain(`nova_proxy_requests_total{${m},stream="true",status="200"} 1`);
    expect(text).toContain('nova_proxy_requests_total{model="none",stream="false",status="404"} 1');
    expect(text).toContain('nova_proxy_errors_total{model="none",error_type="invalid_request_error"} 1');
    expect(text).toContain(`nova_proxy_input_tokens_total{${m}} 24`);
    expect(text).toContain(`nova_proxy_output_tokens_total{${m}} 6`);
    // A client key sees cost per model only: neither other keys' spend nor how many keys exist.
    expect(text).toMatch(new RegExp(`nova_proxy_cost_usd_total\\{${m}\\} 0\\.0000028`));
    expect(text).not.toContain('api_key=');
    const admin = await (await fetch(`${s.origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    expect(admin).toMatch(new RegExp(`nova_proxy_cost_usd_total\\{${m},api_key="1"\\} 0\\.0000028`));
    // An admin key reads /metrics and nothing else: a scrape credential cannot spend the budget.
    const spend = await s.post(chat(), ADMIN);
    expect(spend.res.status).toBe(403);
    expect(JSON.parse(spend.text).error.code).toBe('admin_key_not_allowed');
    expect(text).toContain('# TYPE nova_proxy_overhead_ms histogram');
    expect(text).toContain(`nova_proxy_overhead_ms_bucket{le="+Inf",${m},stream="false"} 1`.replace(`{le="+Inf",${m},stream="false"}`, `{${m},stream="false",le="+Inf"}`));
    expect(text).toContain(`nova_proxy_ttft_ms_count{${m}} 1`);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nova_proxy_open_streams 0');
    // /metrics and /health are not counted as traffic.
    expect(text).not.toContain('/metrics');

    // overhead = duration − bedrock, request by request, so the sums agree too.
    const sum = (name: string) => Number(new RegExp(`^${name}_sum\\{${m},stream="false"\\} (\\S+)$`, 'm').exec(text)![1]);
    expect(sum('nova_proxy_bedrock_duration_ms')).toBeGreaterThanOrEqual(24);
    expect(sum('nova_proxy_overhead_ms')).toBeCloseTo(sum('nova_proxy_request_duration_ms') - sum('nova_proxy_bedrock_duration_ms'), 3);
    expect(sum('nova_proxy_overhead_ms')).toBeLessThan(sum('nova_proxy_bedrock_duration_ms'));
  });
});

describe('CloudWatch EMF (Lambda mode)', () => {
  it('one valid EMF line per request; same metric names and dimensions as Prometheus', async () => {
    const s = await start({}, { eventDelayMs: 5 }, 'emf');
    await s.post(chat());
    await s.post(chat({ stream: true }));
    await s.post(chat({ model: 'nope' }));
    await s.post(chat(), 'bad-key-0000');
    await s.requestLines(4);
    expect(s.emf).toHaveLength(4);
    const seen = new Map<string, Set<string>>();
    for (const raw of s.emf) {
      const doc = JSON.parse(raw);
      expect(validateEmf(doc)).toEqual([]);
      for (const d of doc._aws.CloudWatchMetrics) for (const metric of d.Metrics) for (const dims of d.Dimensions) seen.set(metric.Name, new Set(dims));
    }
    const [ok, streamed, notFound, unauth] = s.emf.map((l) => JSON.parse(l));
    expect(ok).toMatchObject({ model: 'amazon.nova-lite-v1:0', stream: 'false', status: '200', api_key: '1', nova_proxy_requests_total: 1, nova_proxy_input_tokens_total: 12 });
    expect(streamed.nova_proxy_ttft_ms).toBeGreaterThan(0);
    expect(notFound).toMatchObject({ status: '404', error_type: 'invalid_request_error', nova_proxy_errors_total: 1 });
    expect(unauth).toMatchObject({ status: '401', error_type: 'authentication_error' });
    // Every metric the definitions list was emitted with exactly its Prometheus labels as dimensions.
    for (const def of Object.values(METRICS)) expect([...(seen.get(def.name) ?? [])]).toEqual([...def.labels]);
    // No Prometheus endpoint in this mode.
    expect((await fetch(`${s.origin}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(404);
  });

  it('rejects a malformed document (the validator can fail)', () => {
    expect(validateEmf({ _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'N', Dimensions: [['model']], Metrics: [{ Name: 'x' }] }] } })).not.toEqual([]);
  });
});

/**
 * Metric label cardinality under client control: many distinct `amazon.nova-*` model IDs
 * must not each become a label. Only the configured table's models, plus a bounded set of
 * pass-through IDs Bedrock actually answered, get their own `model` label; the rest are
 * `other` — in /metrics (Prometheus) and in the EMF dimensions (Lambda) alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../proxy/app.js';
import { loadConfig } from '../../proxy/config.js';
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';
import { stubBedrock } from '../deploy/support.js';

const KEY = 'cardinality-key-1';
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/** Bedrock that knows the table's models and `amazon.nova-real-*`; anything else is an invalid model identifier. */
function bedrockKnowing(): BedrockTransport {
  const stub = stubBedrock();
  const refuse = () => Object.assign(new Error('The provided model identifier is invalid.'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  const known = (id: string | undefined) => !!id && (/^amazon\.nova-real-/.test(id) || !/^amazon\.nova-(bogus|real)/.test(id));
  return {
    ...stub,
    converse: async (input, opts) => {
      if (!known(input.modelId)) throw refuse();
      return stub.converse(input, opts);
    },
    converseStream: async (input, opts) => {
      if (!known(input.modelId)) throw refuse();
      return stub.converseStream(input, opts);
    },
  };
}

async function start(mode: 'prometheus' | 'emf') {
  const emf: string[] = [];
  const config = loadConfig({ env: {}, overrides: { apiKeys: [KEY], logLevel: 'silent', metricsMaxPassThroughModels: 5 } });
  const app = await buildApp(config, { transport: bedrockKnowing(), observability: { mode, emf: { write: (l) => emf.push(l) }, prometheus: { defaultMetrics: false } } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  apps.push(app);
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const chat = async (model: string, stream = false) => {
    const res = await fetch(`${origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.text();
    return res.status;
  };
  const metrics = async () => (await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  /** Waits for the close hook of every request sent so far. */
  const settle = () => new Promise((r) => setTimeout(r, 50));
  return { chat, metrics, emf, settle };
}

/** Runs fn(i) for i in [from, to), 25 at a time. */
async function batches(from: number, to: number, fn: (i: number) => Promise<unknown>) {
  for (let i = from; i < to; i += 25) await Promise.all(Array.from({ length: Math.min(25, to - i) }, (_, k) => fn(i + k)));
}

const modelLabels = (text: string) => new Set([...text.matchAll(/model="([^"]*)"/g)].map((m) => m[1]));

describe('model label cardinality', () => {
  it('Prometheus: hundreds of unknown IDs add one `other` label; /metrics stops growing', async () => {
    const s = await start('prometheus');
    expect(await s.chat('gpt-4o')).toBe(200);
    await batches(0, 60, async (i) => expect(await s.chat(`amazon.nova-bogus-${i}`, i % 2 === 0)).toBe(404));
    await s.settle();
    const first = await s.metrics();
    await batches(60, 260, (i) => s.chat(`amazon.nova-bogus-${i}`, i % 2 === 0));
    await s.settle();
    const second = await s.metrics();
    expect(modelLabels(second)).toEqual(new Set(['amazon.nova-pro-v1:0', 'other']));
    // Same series, only the counts moved.
    expect(second.split('\n').length).toBe(first.split('\n').length);
    expect(second.length).toBeLessThan(first.length * 1.05);
    expect(second).toContain('nova_proxy_requests_total{model="other",stream="false",status="404"} 130');
  });

  it('Prometheus: pass-through IDs Bedrock answered get labels, up to the configured bound', async () => {
    const s = await start('prometheus');
    for (let i = 0; i < 30; i++) expect(await s.chat(`amazon.nova-real-${i}`)).toBe(200);
    // A second round: the admitted ones keep their label.
    for (let i = 0; i < 30; i++) await s.chat(`amazon.nova-real-${i}`);
    // Table models always have their label, whatever the pass-through set holds.
    await s.chat('us.amazon.nova-lite-v1:0');
    await s.settle();
    const text = await s.metrics();
    const labels = modelLabels(text);
    expect(labels).toEqual(new Set(['amazon.nova-real-0', 'amazon.nova-real-1', 'amazon.nova-real-2', 'amazon.nova-real-3', 'amazon.nova-real-4', 'other', 'us.amazon.nova-lite-v1:0']));
    expect(text).toContain('nova_proxy_requests_total{model="amazon.nova-real-0",stream="false",status="200"} 2');
    expect(text).toContain('nova_proxy_requests_total{model="other",stream="false",status="200"} 50');
  });

  it('EMF: the same rule for the model dimension', async () => {
    const s = await start('emf');
    await s.chat('gpt-4o-mini');
    for (let i = 0; i < 50; i++) await s.chat(`amazon.nova-bogus-${i}`);
    for (let i = 0; i < 10; i++) await s.chat(`amazon.nova-real-${i}`, true);
    await s.settle();
    const models = new Set(s.emf.map((l) => JSON.parse(l).model));
    expect(models).toEqual(new Set(['amazon.nova-lite-v1:0', 'other', 'amazon.nova-real-0', 'amazon.nova-real-1', 'amazon.nova-real-2', 'amazon.nova-real-3', 'amazon.nova-real-4']));
  });
});

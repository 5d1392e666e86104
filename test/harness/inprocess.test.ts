/**
 * The default candidate: the proxy in-process (buildApp on loopback) in front of the fake
 * Bedrock, driven by the real openai SDK; baseline: the fake OpenAI.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { sdkTransport } from '../../proxy/bedrock/sdk-transport.js';
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../mock/fake-openai.js';
import { startFakeBedrock } from '../../mock/fake-bedrock.js';
import { runParityCommand, type ParityOptions } from '../../harness/parity.js';

type FakeBedrock = Awaited<ReturnType<typeof startFakeBedrock>>;
let openai: FakeOpenAI;
let bedrock: FakeBedrock;
let client: BedrockTransport;
let work: string;

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'parity-inproc-'));
  openai = await startFakeOpenAI();
  bedrock = await startFakeBedrock();
  client = sdkTransport(new BedrockRuntimeClient({ endpoint: bedrock.url, region: 'us-east-1', credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' }, maxAttempts: 1 }));
});
afterEach(async () => {
  client.destroy();
  await openai.close();
  await bedrock.close();
});

function run(recs: object[], extra: Partial<ParityOptions> = {}) {
  const file = join(work, `f${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, recs.map((r) => JSON.stringify(r)).join('\n'));
  return runParityCommand({
    fixtures: file,
    transport: client,
    env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.url, AWS_REGION: 'us-east-1' },
    cacheDir: join(work, 'cache'),
    out: () => {},
    backoffBaseMs: 5,
    judge: { provider: 'off' },
    ...extra,
  });
}

const ask = (id: string, body: object) => ({ custom_id: id, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Explain DNS caching briefly.' }], ...body } });

describe('in-process proxy candidate', () => {
  it('prices with the Bedrock ID the proxy reports, honours --map, and reads x-nova-* headers', async () => {
    const r = await run([ask('seeded', { seed: 7, temperature: 1.5 })], { map: { 'gpt-4o-mini': 'amazon.nova-micro-v1:0' } });
    expect(r.exitCode).toBe(0);
    const p = r.report!.prompts[0]!;
    const c = p.samples[0]!.candidate;
    expect(c.pricedModel).toBe('amazon.nova-micro-v1:0');
    expect(c.headers['x-nova-model']).toBe('amazon.nova-micro-v1:0');
    expect(bedrock.requests.at(-1)?.modelId).toBe('amazon.nova-micro-v1:0');
    const bySource = Object.fromEntries(p.diffs.map((d) => [d.param, `${d.effect}/${d.source}`]));
    expect(bySource).toMatchObject({ seed: 'ignored/proxy-header', temperature: 'rewritten/proxy-header' });
  });

  it('uses the proxy configuration: model mappings and price overrides (shared with its cost tracking)', async () => {
    const config = join(work, 'nova-migrate.config.json');
    writeFileSync(config, JSON.stringify({ modelMappings: { 'gpt-4o-mini': 'amazon.nova-pro-v1:0' }, prices: { 'amazon.nova-pro-v1:0': { input: 1000, output: 1000 } } }));
    const r = await run([ask('cfg', {})], { config, cacheMode: 'off' });
    const c = r.report!.prompts[0]!.samples[0]!.candidate;
    expect(c.pricedModel).toBe('amazon.nova-pro-v1:0');
    expect(c.costUsd).toBeCloseTo(((c.usage!.inputTokens + c.usage!.outputTokens) * 1000) / 1e6);
    expect(r.report!.prices.source).toMatch(/proxy config prices/);
  });

  it('a parameter the proxy rejects fails the prompt, names the cause and the fix', async () => {
    const r = await run([ask('two-choices', { n: 2 })], { cacheMode: 'off' });
    expect(r.exitCode).toBe(1);
    const p = r.report!.prompts[0]!;
    expect(p.status).toBe('fail');
    expect(p.reasons[0]).toMatch(/HTTP 400.*rejects `n`/);
    expect(p.advice[0]?.cause).toMatch(/rejected a request parameter/);
  });

  it('rejected AWS credentials stop the run with what is needed (exit 2)', async () => {
    bedrock.enqueue({ error: { errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } });
    const r = await run([ask('a', {}), ask('b', {})], { cacheMode: 'off', concurrency: 1 });
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(/could not call Bedrock[\s\S]*AWS credentials/);
  });

  it('JSON emulation, tool calls and streaming through the real translation', async () => {
    const recs = [
      {
        custom_id: 'json',
        body: {
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'Extract: invoice INV-7 from Acme for 12 EUR' }],
          response_format: { type: 'json_schema', json_schema: { name: 'inv', schema: { type: 'object', properties: { number: { type: 'string' }, vendor: { type: 'string' } }, required: ['number', 'vendor'], additionalProperties: false } } },
        },
      },
      {
        custom_id: 'tool-stream',
        body: {
          model: 'gpt-4o',
          stream: true,
          messages: [{ role: 'user', content: 'What is the weather in Rome?' }],
          tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
        },
      },
    ];
    const r = await run(recs, { cacheMode: 'off' });
    const by = Object.fromEntries(r.report!.prompts.map((p) => [p.id, p]));
    expect(by.json!.kind).toBe('json');
    expect(by.json!.samples[0]!.checks.find((c) => c.name === 'json.schema')?.status).toBe('pass');
    expect(by.json!.diffs.map((d) => d.param)).toContain('response_format');
    expect(by['tool-stream']!.samples[0]!.checks.find((c) => c.name === 'tools.names')?.status).toBe('pass');
    expect(by['tool-stream']!.samples[0]!.candidate.ttftMs).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);
  });

  it('--judge auto (the default) judges free text on Nova with the candidate\'s own AWS client; a rejected request is recorded and replays', async () => {
    const notices: string[] = [];
    const recs = [ask('free', {}), ask('two', { n: 2 })];
    const cacheDir = join(work, 'auto-cache');
    const first = await run(recs, { judge: { provider: 'auto' }, cacheDir, cacheMode: 'record', onNotice: (t) => void notices.push(t) });
    expect(notices[0]).toMatch(/judge: nova amazon\.nova-2-lite-v1:0 with the AWS credentials the candidate uses/);
    // Two judge calls after the candidate's own, through the same client, forced tool and all.
    const judgeCalls = bedrock.requests.filter((q) => JSON.stringify(q.body).includes('record_judgement'));
    expect(judgeCalls).toHaveLength(2);
    expect(judgeCalls[0]!.modelId).toBe('global.amazon.nova-2-lite-v1:0');
    const free = first.report!.prompts.find((p) => p.id === 'free')!;
    expect(free.samples[0]!.checks.find((c) => c.name === 'judge')).toBeDefined();
    expect(first.report!.judge).toMatchObject({ provider: 'nova', stats: { calls: 2 } });
    // n > 1 is rejected by the proxy: the error is recorded, so the replay reaches the same verdict instead of exiting 2.
    const two = first.report!.prompts.find((p) => p.id === 'two')!;
    expect(two.samples[0]!.candidate.error?.status).toBe(400);
    const before = bedrock.requests.length;
    const again = await run(recs, { judge: { provider: 'auto' }, cacheDir, cacheMode: 'replay', env: { OPENAI_BASE_URL: openai.url } });
    expect(again.message).toBeUndefined();
    expect(again.exitCode).toBe(first.exitCode);
    expect(again.report!.prompts.map((p) => p.status)).toEqual(first.report!.prompts.map((p) => p.status));
    expect(again.report!.prompts.find((p) => p.id === 'two')!.samples[0]!.candidate).toMatchObject({ ok: false, fromCache: true, error: { status: 400 } });
    expect(bedrock.requests.length).toBe(before);
  });
});

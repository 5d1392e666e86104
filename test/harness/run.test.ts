/**
 * The pipeline end to end over loopback fakes driven by the real `openai` SDK: fake OpenAI as
 * the baseline, and a second fake OpenAI standing in for a running proxy (`--candidate-url`),
 * so runner, retries, cache modes, gate and exit codes are covered independently of Bedrock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../../mock/fake-openai.js';
import { runParityCommand, type ParityOptions } from '../../harness/parity.js';
import { ParityUsageError } from '../../harness/errors.js';

let baseline: FakeOpenAI;
let candidate: FakeOpenAI;
let work: string;

const records = [
  { custom_id: 'plain', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Explain how HTTP caching works with ETag headers.' }] } },
  {
    custom_id: 'label',
    body: { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Classify the sentiment. Answer with one of: positive, negative, neutral.' }, { role: 'user', content: 'I love it, great product.' }] },
    assert: { equals: 'positive' },
  },
  { custom_id: 'streamed', body: { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Describe a process and a thread.' }] } },
  {
    custom_id: 'tool',
    body: {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
    },
    assert: { 'tool-call': 'get_weather' },
  },
];

function writeFixtures(list: object[] = records, name = 'prompts.jsonl'): string {
  const file = join(work, name);
  writeFileSync(file, list.map((r) => JSON.stringify(r)).join('\n'));
  return file;
}

function opts(extra: Partial<ParityOptions> = {}): ParityOptions & { printed: string[] } {
  const printed: string[] = [];
  return {
    fixtures: writeFixtures(),
    candidateUrl: candidate.url,
    candidateApiKey: candidate.apiKey,
    cacheDir: join(work, 'cache'),
    env: { OPENAI_API_KEY: baseline.apiKey, OPENAI_BASE_URL: baseline.url },
    out: (t) => void printed.push(t),
    backoffBaseMs: 5,
    // The judge has its own tests; here every verdict comes from the deterministic checks.
    judge: { provider: 'off' },
    printed,
    ...extra,
  };
}

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'parity-run-'));
  baseline = await startFakeOpenAI();
  candidate = await startFakeOpenAI();
});
afterEach(async () => {
  await baseline.close();
  await candidate.close();
});

describe('parity run', () => {
  it('runs every prompt on both sides, streams streamed prompts, passes the gate (exit 0)', async () => {
    const o = opts({ json: join(work, 'r.json'), junit: join(work, 'r.xml'), markdown: join(work, 'r.md'), html: join(work, 'r.html'), monthlyRequests: 100_000 });
    const r = await runParityCommand(o);
    expect(r.exitCode).toBe(0);
    const rep = r.report!;
    expect(rep.counts).toMatchObject({ total: 4, fail: 0 });
    expect(rep.prompts.find((p) => p.id === 'label')?.kind).toBe('classification');
    expect(rep.prompts.find((p) => p.id === 'tool')?.kind).toBe('tools');
    const streamed = rep.prompts.find((p) => p.id === 'streamed')!;
    expect(streamed.samples[0]!.candidate.ttftMs).toBeGreaterThan(0);
    expect(streamed.samples[0]!.candidate.usage?.outputTokens).toBeGreaterThan(0);
    expect(rep.candidate.ttft.n).toBe(1);
    expect(rep.baseline.total.n).toBe(4);
    expect(rep.baseline.costUsd).toBeGreaterThan(0);
    expect(rep.candidate.monthlyUsd).toBeCloseTo(rep.candidate.meanCostUsd! * 100_000);
    // The streamed request asked for usage; the fixture body is otherwise sent unchanged.
    const sent = candidate.requests.find((q) => (q.body as { stream?: boolean })?.stream) as { body: { stream_options?: object } };
    expect(sent.body.stream_options).toEqual({ include_usage: true });
    expect(o.printed.join('')).toMatch(/Verdict: SHIP/);
    expect(JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')).verdict.decision).toMatch(/ship/);
    expect(readFileSync(join(work, 'r.xml'), 'utf8')).toMatch(/<testsuite .*tests="4" failures="0"/);
    expect(readFileSync(join(work, 'r.md'), 'utf8')).toMatch(/## Nova parity/);
    expect(readFileSync(join(work, 'r.html'), 'utf8')).toMatch(/<svg/);
  });

  it('retries 429 and 5xx with backoff, honouring retry-after', async () => {
    candidate.enqueue({ status: 429, error: { message: 'Rate limit', type: 'rate_limit_error' }, headers: { 'retry-after': '0' } });
    candidate.enqueue({ status: 503, error: { message: 'busy', type: 'server_error' } });
    const r = await runParityCommand(opts({ concurrency: 1, cacheMode: 'off' }));
    expect(r.exitCode).toBe(0);
    const attempts = r.report!.prompts.map((p) => p.samples[0]!.candidate.attempts);
    expect(attempts[0]).toBe(3);
    expect(candidate.requests.length).toBe(6);
  });

  it('a failure beyond the retries fails the prompt and the gate (exit 1) with a likely cause', async () => {
    for (let i = 0; i < 3; i++) candidate.enqueue({ status: 500, error: { message: 'internal', type: 'server_error' } });
    const r = await runParityCommand(opts({ concurrency: 1, retries: 2, cacheMode: 'off', gate: { minPassRate: 1 } }));
    expect(r.exitCode).toBe(1);
    const failed = r.report!.prompts.find((p) => p.status === 'fail')!;
    expect(failed.reasons[0]).toMatch(/candidate.error: candidate call failed \(HTTP 500\)/);
    expect(failed.advice[0]?.fix).toMatch(/--concurrency/);
    expect(r.report!.verdict.decision).toBe('do-not-ship');
  });

  it('a hung request times out (per-request timeout), is retried, then reported', async () => {
    candidate.enqueue({ hang: true });
    candidate.enqueue({ hang: true });
    const started = Date.now();
    const r = await runParityCommand(opts({ fixtures: writeFixtures([records[0]!], 'hang.jsonl'), cacheMode: 'off', timeoutMs: 150, retries: 1 }));
    expect(Date.now() - started).toBeLessThan(5000);
    const c = r.report!.prompts[0]!.samples[0]!.candidate;
    expect(c.ok).toBe(false);
    expect(c.attempts).toBe(2);
    expect(c.error?.message).toMatch(/timed out/);
    expect(r.exitCode).toBe(1);
  });

  it('flags what Nova ignores or rejects before running', async () => {
    const notices: string[] = [];
    await runParityCommand(opts({ fixtures: writeFixtures([{ custom_id: 's', body: { ...records[0]!.body, seed: 3, n: 2 } }], 'n.jsonl'), cacheMode: 'off', onNotice: (t) => void notices.push(t), onStart: () => void notices.push('START') }));
    expect(notices[0]).toBe('judge off (--judge off)');
    expect(notices[1]).toMatch(/n rejected: 1 prompt\(s\) \(s\)/);
    expect(notices[1]).toMatch(/seed ignored/);
    expect(notices[2]).toBe('START');
  });

  it('gates on cost ratio and p95 latency ratio', async () => {
    // Without x-nova-model the candidate is priced through the default aliases (gpt-4o-mini → Nova Lite, gpt-4o → Nova Pro).
    const free = await runParityCommand(opts({ cacheMode: 'off' }));
    const ratio = free.report!.ratios.cost!;
    expect(free.report!.prompts[0]!.samples[0]!.candidate.pricedModel).toBe('amazon.nova-lite-v1:0');
    expect(ratio).toBeGreaterThan(0);
    expect((await runParityCommand(opts({ cacheMode: 'off', gate: { maxCostRatio: ratio * 1.1 } }))).exitCode).toBe(0);
    const strict = await runParityCommand(opts({ cacheMode: 'off', gate: { maxCostRatio: ratio * 0.9 } }));
    expect(strict.exitCode).toBe(1);
    expect(strict.report!.gate.reasons[0]).toMatch(/cost ratio/);
    const slow = await runParityCommand(opts({ cacheMode: 'off', gate: { maxP95LatencyRatio: 0.000001 } }));
    expect(slow.exitCode).toBe(1);
    expect(slow.report!.gate.reasons[0]).toMatch(/p95 latency ratio/);
  });

  it('caches live responses as plain files; --replay is free and deterministic; its latencies are never gated', async () => {
    const first = await runParityCommand(opts());
    expect(first.exitCode).toBe(0);
    const files = readdirSync(join(work, 'cache'), { recursive: true }).filter((f) => String(f).endsWith('.json'));
    expect(files.length).toBe(8);
    const entry = JSON.parse(readFileSync(join(work, 'cache', String(files[0])), 'utf8'));
    expect(entry).toMatchObject({ version: 1, target: { provider: expect.any(String), model: expect.any(String) } });
    expect(JSON.stringify(entry)).not.toMatch(/sk-fake-openai-key|authorization/i);
    const before = baseline.requests.length + candidate.requests.length;
    const replay = await runParityCommand(opts({ cacheMode: 'replay', gate: { maxP95LatencyRatio: 0.000001 } }));
    expect(baseline.requests.length + candidate.requests.length).toBe(before);
    expect(replay.exitCode).toBe(0);
    expect(replay.report!.latencyMeasured).toBe(false);
    expect(replay.report!.baseline.recordedLatency).toBe(4);
    expect(replay.report!.prompts.map((p) => p.status)).toEqual(first.report!.prompts.map((p) => p.status));
    // --record calls live again and rewrites; --no-cache writes nothing.
    await runParityCommand(opts({ cacheMode: 'record' }));
    expect(baseline.requests.length + candidate.requests.length).toBe(before + 8);
    const other = join(work, 'nocache');
    await runParityCommand(opts({ cacheMode: 'off', cacheDir: other }));
    expect(existsSync(other)).toBe(false);
  });

  it('--replay with a cache miss exits 2 and says how to record', async () => {
    const r = await runParityCommand(opts({ cacheMode: 'replay' }));
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(/cache miss.*--record/);
    expect(baseline.requests.length + candidate.requests.length).toBe(0);
  });

  it('repeats prompts and reports consistency', async () => {
    const r = await runParityCommand(opts({ repeat: 3, cacheMode: 'off' }));
    expect(r.report!.prompts[0]!.samples).toHaveLength(3);
    expect(r.report!.prompts.every((p) => p.consistency === 1 && !p.flaky)).toBe(true);
    expect(candidate.requests.length).toBe(12);
  });

  it('--repeat flags a prompt whose outcome changes between runs as flaky', async () => {
    const label: object = records[1]!;
    // Second run of the candidate answers differently.
    const c = await startFakeOpenAI();
    try {
      const file = writeFixtures([label], 'flaky.jsonl');
      const steps = [undefined, { response: { id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'negative' } }] } }, undefined];
      for (const s of steps) c.enqueue(s ?? { delayMs: 0 });
      const o = opts({ fixtures: file, candidateUrl: c.url, candidateApiKey: c.apiKey, repeat: 3, concurrency: 1, cacheMode: 'off', markdown: join(work, 'flaky.md') });
      const r = await runParityCommand(o);
      expect(o.printed.join('')).toMatch(/Consistency over 3 runs per prompt: 1 flaky prompt\(s\): label \(66.7%\)/);
      expect(readFileSync(join(work, 'flaky.md'), 'utf8')).toMatch(/\*\*1 flaky\*\*/);
      const p = r.report!.prompts[0]!;
      expect(p.samples.map((s) => s.status)).toEqual(['pass', 'fail', 'pass']);
      expect(p.flaky).toBe(true);
      expect(p.status).toBe('warn');
      expect(p.consistency).toBeCloseTo(2 / 3);
      expect(p.reasons[0]).toMatch(/FLAKY: outcomes differ across 3 runs/);
    } finally {
      await c.close();
    }
  });

  it('thresholds: per fixture over global over defaults', async () => {
    const strict = { ...records[0], thresholds: { similarity: 0.999 } };
    let r = await runParityCommand(opts({ fixtures: writeFixtures([strict], 't.jsonl'), cacheMode: 'off' }));
    expect(r.report!.prompts[0]!.samples[0]!.checks.find((c) => c.name === 'text.similarity')).toMatchObject({ status: 'pass' });
    // Identical wording on both fakes scores 1; only an impossible threshold can warn.
    r = await runParityCommand(opts({ fixtures: writeFixtures([{ ...records[0], thresholds: { similarity: 1.01 } }], 't2.jsonl'), cacheMode: 'off', thresholds: { similarity: 0.1 } }));
    expect(r.report!.prompts[0]!.samples[0]!.checks.find((c) => c.name === 'text.similarity')).toMatchObject({ status: 'warn', reason: expect.stringMatching(/threshold 1.01/) });
    r = await runParityCommand(opts({ fixtures: writeFixtures([records[0]!], 't3.jsonl'), cacheMode: 'off', thresholds: { similarity: 1.01 } }));
    expect(r.report!.prompts[0]!.status).toBe('warn');
    expect(r.exitCode).toBe(0);
  });

  it('replays recorded baselines without calling OpenAI', async () => {
    const rec = {
      ...records[1],
      baseline: { id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Negative' } }], usage: { prompt_tokens: 30, completion_tokens: 1, total_tokens: 31 } },
    };
    const r = await runParityCommand(opts({ fixtures: writeFixtures([rec], 'recorded.jsonl'), baseline: 'recorded', env: {}, cacheMode: 'off' }));
    expect(baseline.requests).toHaveLength(0);
    const p = r.report!.prompts[0]!;
    expect(p.status).toBe('fail');
    expect(p.reasons.join('\n')).toMatch(/baseline "negative" vs candidate "positive"/i);
    expect(p.samples[0]!.baseline.costUsd).toBeGreaterThan(0);
    expect(r.exitCode).toBe(1);
  });

  it('Ctrl-C stops cleanly and still reports what finished (exit 130)', async () => {
    const slow = await startFakeOpenAI({ latencyMs: 150 });
    const ac = new AbortController();
    try {
      const r = await runParityCommand(opts({ candidateUrl: slow.url, candidateApiKey: slow.apiKey, concurrency: 1, cacheMode: 'off', signal: ac.signal, onProgress: () => ac.abort() }));
      expect(r.exitCode).toBe(130);
      expect(r.report!.counts.total).toBe(1);
      expect(r.report!.notRun).toEqual(['label', 'streamed', 'tool']);
      expect(r.report!.interrupted).toBe(true);
      expect(r.report!.verdict.decision).not.toBe('ship');
      expect(r.report!.verdict.headline).toMatch(/incomplete run, 3 prompt\(s\) not run/);
    } finally {
      await slow.close();
    }
  });

  it('Ctrl-C during --repeat: consistency is reported over the runs each prompt completed, partial prompts marked', async () => {
    const c = await startFakeOpenAI();
    const ac = new AbortController();
    try {
      // plain ×3 then label ×3 (concurrency 1); label's second run answers differently, and Ctrl-C lands after it.
      const flip = { response: { id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'negative' } }] } };
      for (const s of [undefined, undefined, undefined, undefined, flip]) c.enqueue(s ?? { delayMs: 0 });
      const o = opts({
        fixtures: writeFixtures([records[0]!, records[1]!], 'partial.jsonl'),
        candidateUrl: c.url,
        candidateApiKey: c.apiKey,
        repeat: 3,
        concurrency: 1,
        cacheMode: 'off',
        signal: ac.signal,
        onProgress: (e) => e.done === 5 && ac.abort(),
        markdown: join(work, 'partial.md'),
        json: join(work, 'partial.json'),
      });
      const r = await runParityCommand(o);
      expect(r.exitCode).toBe(130);
      const [plain, label] = r.report!.prompts;
      expect(plain).toMatchObject({ id: 'plain', runs: 3, plannedRuns: 3, partial: false, flaky: false });
      expect(label).toMatchObject({ id: 'label', runs: 2, plannedRuns: 3, partial: true, flaky: true, consistency: 0.5 });
      expect(label!.reasons[0]).toMatch(/FLAKY: outcomes differ across 2 of 3 runs/);
      const printed = o.printed.join('');
      expect(printed).not.toMatch(/Consistency over 3 runs per prompt/);
      expect(printed).toMatch(/Consistency over the runs each prompt completed \(3 per prompt asked; 1 prompt\(s\) partially run: label over 2 of 3 runs\): 1 flaky prompt\(s\): label \(50\.0% over 2 of 3 runs\)/);
      expect(printed).toMatch(/label {2}\[[^\]]*partial: 2 of 3 runs\]/);
      const md = readFileSync(join(work, 'partial.md'), 'utf8');
      expect(md).not.toMatch(/Consistency over 3 runs per prompt/);
      expect(md).toMatch(/1 prompt\(s\) partially run: `label` over 2 of 3 runs\): \*\*1 flaky\*\* prompt\(s\): `label` \(50\.0% over 2 of 3 runs\)/);
      const json = JSON.parse(readFileSync(join(work, 'partial.json'), 'utf8'));
      expect(json.prompts.map((p: { id: string; runs: number; plannedRuns: number; partial: boolean }) => [p.id, p.runs, p.plannedRuns, p.partial])).toEqual([
        ['plain', 3, 3, false],
        ['label', 2, 3, true],
      ]);
    } finally {
      await c.close();
    }
  });

  it('usage errors: no key, invalid fixture (file:line), bad price file', async () => {
    await expect(runParityCommand(opts({ env: {} }))).rejects.toThrow(/OPENAI_API_KEY.*--baseline recorded[\s\S]*AWS credentials[\s\S]*--mock/);
    writeFileSync(join(work, 'bad.jsonl'), `${JSON.stringify(records[0])}\n{"custom_id":"b","body":{"model":"gpt-4o"}}\n`);
    const err = await runParityCommand(opts({ fixtures: join(work, 'bad.jsonl') })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParityUsageError);
    expect((err as Error).message).toMatch(/bad\.jsonl:2: body is not a valid chat-completions request: "messages"/);
    writeFileSync(join(work, 'prices.json'), '{"gpt-4o": {"input": "cheap"}}');
    await expect(runParityCommand(opts({ prices: join(work, 'prices.json') }))).rejects.toThrow(/"gpt-4o" needs numeric "input" and "output"/);
  });

  it('a rejected credential stops the run at once with what is needed (exit 2)', async () => {
    const r = await runParityCommand(opts({ env: { OPENAI_API_KEY: 'sk-wrong', OPENAI_BASE_URL: baseline.url }, cacheMode: 'off' }));
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(/OpenAI rejected the API key.*OPENAI_API_KEY/);
    expect(r.report).toBeUndefined();
  });

  it('the optional judge and embedding checks run on free text, are cached, and the judge prompt is in the report', async () => {
    const md = join(work, 'j.md');
    const first = await runParityCommand(opts({ judge: { provider: 'openai', model: 'gpt-4o-mini' }, embeddings: { provider: 'openai' }, markdown: md }));
    const checks = first.report!.prompts.find((p) => p.id === 'plain')!.samples[0]!.checks;
    expect(checks.find((c) => c.name === 'judge')?.status).toBe('pass');
    expect(checks.find((c) => c.name === 'embedding.similarity')?.score).toBeGreaterThan(0.5);
    expect(first.report!.judge).toMatchObject({ temperature: 0, positionSwap: true, choices: expect.arrayContaining(['disagrees']) });
    expect(readFileSync(md, 'utf8')).toContain('The REFERENCE is correct by definition');
    const judgeCalls = baseline.requests.filter((q) => JSON.stringify(q.body).includes('<REFERENCE>'));
    expect(judgeCalls).toHaveLength(4); // two free-text prompts × two positions
    expect((judgeCalls[0]!.body as { temperature: number }).temperature).toBe(0);
    const before = baseline.requests.length;
    await runParityCommand(opts({ judge: { provider: 'openai', model: 'gpt-4o-mini' }, embeddings: { provider: 'openai' } }));
    expect(baseline.requests.length).toBe(before);
  });

  it('a proxy that rejects the key stops the run with how to fix it', async () => {
    const r = await runParityCommand(opts({ candidateApiKey: 'wrong-key', cacheMode: 'off' }));
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(/rejected the API key.*NOVA_PROXY_API_KEY/);
  });

  it('--json - prints only JSON on stdout; the table goes to stderr', async () => {
    const errs: string[] = [];
    const o = opts({ json: '-', cacheMode: 'off', err: (t) => void errs.push(t) });
    await runParityCommand(o);
    expect(JSON.parse(o.printed.join('')).counts.total).toBe(4);
    expect(errs.join('')).toMatch(/Verdict:/);
  });

  it('prices: --prices overrides the shared table', async () => {
    writeFileSync(join(work, 'prices.json'), JSON.stringify({ asOf: '2030-01-01', prices: { 'gpt-4o-mini': { input: 1000, output: 1000 }, 'gpt-4o': { input: 1000, output: 1000 } } }));
    const r = await runParityCommand(opts({ prices: join(work, 'prices.json'), cacheMode: 'off' }));
    expect(r.report!.prices.asOf).toBe('2030-01-01');
    expect(r.report!.baseline.costUsd).toBeGreaterThan(0.01);
  });
});

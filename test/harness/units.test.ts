import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distribution, percentile, ratio } from '../../harness/stats.js';
import { costOf, loadPriceTable, PriceFileError } from '../../harness/cost.js';
import { CacheMissError, ResponseCache, cacheKey, canonicalJson } from '../../harness/cache.js';
import { combineSamples, decide, evaluateGate, adviceFor } from '../../harness/verdict.js';
import { judgeCheck } from '../../harness/judge/index.js';
import { JUDGE_SCHEMA, JUDGE_SYSTEM_PROMPT, JUDGE_VERSION, judgeUserMessage, parseVerdict } from '../../harness/judge/prompt.js';
import { novaJudge, openAIJudge } from '../../harness/judge/backends.js';
import { decideJudge } from '../../harness/judge/setup.js';
import type OpenAI from 'openai';
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';
import { ChunkAssembler } from '../../harness/run/assemble.js';
import { renderJunit, xmlEscape } from '../../harness/report/junit.js';
import { renderMarkdown } from '../../harness/report/markdown.js';
import { renderHtml } from '../../harness/report/html.js';
import { renderTerminal } from '../../harness/report/table.js';
import { buildReport } from '../../harness/summary.js';
import { toPromptResult } from '../../harness/run/runner.js';
import type { Fixture, RunSample } from '../../harness/types.js';
import { completion, side } from './support.js';

describe('stats', () => {
  it('percentiles interpolate; ratios need both sides', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10], 95)).toBe(10);
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBeCloseTo(95.05);
    expect(distribution([3, 1, 2])).toMatchObject({ n: 3, p50: 2, min: 1, max: 3, mean: 2 });
    expect(ratio(2, 4)).toBe(0.5);
    expect(ratio(2, undefined)).toBeUndefined();
    expect(ratio(2, 0)).toBeUndefined();
  });
});

describe('cost', () => {
  it('prices usage with the shared table (snapshots and profiles resolve), projects monthly', () => {
    const { table } = loadPriceTable();
    const r = completion('x', { usage: [1_000_000, 1_000_000] });
    expect(costOf('gpt-4o-2024-08-06', r, table)).toBeCloseTo(12.5);
    expect(costOf('us.amazon.nova-pro-v1:0', r, table)).toBeCloseTo(4);
    expect(costOf('unknown-model', r, table)).toBeUndefined();
    expect(costOf('gpt-4o', completion('x'), table)).toBeUndefined();
  });
  it('--prices overrides entries and rejects malformed files', () => {
    const d = mkdtempSync(join(tmpdir(), 'prices-'));
    writeFileSync(join(d, 'p.json'), JSON.stringify({ 'my-model': { input: 1, output: 2 }, 'gpt-4o': { input: 5, output: 20 } }));
    const { table, source } = loadPriceTable(join(d, 'p.json'));
    expect(table['gpt-4o']).toEqual({ input: 5, output: 20 });
    expect(table['my-model']).toEqual({ input: 1, output: 2 });
    expect(table['gpt-4o-mini']).toBeDefined();
    expect(source).toBe(join(d, 'p.json'));
    writeFileSync(join(d, 'bad.json'), '[]');
    expect(() => loadPriceTable(join(d, 'bad.json'))).toThrow(PriceFileError);
    expect(() => loadPriceTable(join(d, 'missing.json'))).toThrow(/ENOENT/);
  });
});

describe('cache', () => {
  const target = { provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-4o' };
  it('keys on the canonical request (key order does not matter) and the target', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":2,"y":1}]},"b":1}');
    const k = cacheKey({ model: 'gpt-4o', messages: [] }, target);
    expect(cacheKey({ messages: [], model: 'gpt-4o' }, target)).toBe(k);
    expect(cacheKey({ model: 'gpt-4o', messages: [] }, { ...target, baseURL: 'http://other' })).not.toBe(k);
    expect(cacheKey({ model: 'gpt-4o', messages: [] }, target, 1)).not.toBe(k);
  });
  it('modes: auto reads and writes, record only writes, replay only reads and throws on a miss, off does nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cache-'));
    const req = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
    const auto = new ResponseCache(dir, 'auto');
    expect(auto.get(req, target)).toBeUndefined();
    auto.set(req, target, { v: 1 });
    expect(auto.get(req, target)).toEqual({ v: 1 });
    new ResponseCache(dir, 'record').set(req, target, { v: 2 });
    expect(new ResponseCache(dir, 'record').get(req, target)).toBeUndefined();
    expect(new ResponseCache(dir, 'replay').get(req, target)).toEqual({ v: 2 });
    expect(() => new ResponseCache(dir, 'replay').get({ ...req, seed: 1 }, target)).toThrow(CacheMissError);
    const off = new ResponseCache(join(dir, 'off'), 'off');
    off.set(req, target, { v: 3 });
    expect(off.get(req, target)).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['openai']);
  });
});

describe('verdict and gate', () => {
  const sample = (status: RunSample['status']): RunSample => ({ repeat: 0, kind: 'text', diffs: [], baseline: side(completion('a')), candidate: side(completion('a')), checks: [], status });
  it('repeats: majority status, flaky prompts are at least warnings', () => {
    expect(combineSamples([sample('pass'), sample('pass')])).toEqual({ status: 'pass', consistency: 1, flaky: false });
    expect(combineSamples([sample('pass'), sample('pass'), sample('fail')])).toMatchObject({ status: 'warn', flaky: true });
    expect(combineSamples([sample('fail'), sample('fail'), sample('pass')]).consistency).toBeCloseTo(2 / 3);
  });
  it('gate: pass rate, cost ratio, p95 latency ratio; latency never passes vacuously', () => {
    const m = { passRate: 0.95, latencyPairs: 10, promptsRun: 20 };
    expect(evaluateGate({ minPassRate: 0.9 }, m).passed).toBe(true);
    expect(evaluateGate({ minPassRate: 0.9 }, { ...m, passRate: 0.85 }).reasons[0]).toMatch(/pass rate 0.850 vs limit 0.900/);
    expect(evaluateGate({ minPassRate: 0, maxCostRatio: 1 }, { ...m, costRatio: 1.2 }).passed).toBe(false);
    expect(evaluateGate({ minPassRate: 0, maxP95LatencyRatio: 1.5 }, { ...m, p95LatencyRatio: 2 }).passed).toBe(false);
    expect(evaluateGate({ minPassRate: 0, maxP95LatencyRatio: 1.5 }, { ...m, p95LatencyRatio: 1.2 }).checks[1]).toMatchObject({ state: 'passed', passed: true });
    // No live latency on both sides: "not measured" — neither passed nor, without --require-latency, failed.
    const unmeasured = evaluateGate({ minPassRate: 0, maxP95LatencyRatio: 1.5 }, { ...m, latencyPairs: 0 });
    expect(unmeasured.passed).toBe(true);
    expect(unmeasured.checks[1]).toMatchObject({ state: 'not-measured', passed: false });
    expect(unmeasured.notMeasured[0]).toMatch(/not measured/);
    expect(decide(unmeasured, []).decision).toBe('ship-with-caveats');
    const required = evaluateGate({ minPassRate: 0, requireLatency: true }, { ...m, latencyPairs: 0 });
    expect(required).toMatchObject({ passed: false, reasons: [expect.stringMatching(/latency measured: not measured.*--require-latency/)] });
    expect(evaluateGate({ minPassRate: 0, requireLatency: true }, m).passed).toBe(true);
    expect(evaluateGate({ minPassRate: 0 }, { ...m, passRate: 0, promptsRun: 0 }).passed).toBe(false);
    // --strict: the strict pass rate says how many warned prompts count as failing.
    expect(evaluateGate({ minPassRate: 0.9, failOn: 'warn' }, { ...m, passRate: 0.5, warnOnly: 10 }).reasons[0]).toMatch(/strict pass rate 0.500.*10 prompt\(s\) with warnings count as failing/);
  });
  it('advice: greedy decoding for tool calls, schema simplification for JSON', () => {
    expect(adviceFor([{ name: 'tools.names', status: 'fail', reason: 'x' }])[0]?.fix).toMatch(/temperature 0 and top_k 1/);
    expect(adviceFor([{ name: 'json.schema', status: 'fail', reason: 'x' }])[0]?.fix).toMatch(/simplify the schema/);
    expect(adviceFor([{ name: 'classification.match', status: 'fail', reason: 'x' }])[0]?.fix).toMatch(/allowed labels/);
    expect(adviceFor([{ name: 'text.similarity', status: 'warn', reason: 'x', explainedBy: 'seed' }])).toEqual([]);
  });
});

describe('judge', () => {
  const fx = { id: 'a', file: 'f', line: 1, body: { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'What is 2+2?' }] }, tags: [], metadata: {}, expectations: [], thresholds: {} } satisfies Fixture;
  it('is versioned, asks for a verdict and the differing facts, with the answers in both positions', () => {
    expect(JUDGE_SYSTEM_PROMPT).toContain(JUDGE_VERSION);
    expect(JUDGE_SCHEMA.required).toEqual(['reasoning', 'relation', 'differing_facts']);
    const a = judgeUserMessage(fx, 'REF', 'CAND', true);
    const b = judgeUserMessage(fx, 'REF', 'CAND', false);
    expect(a).toContain('user: What is 2+2?');
    expect(a.indexOf('<REFERENCE>')).toBeLessThan(a.indexOf('<CANDIDATE>'));
    expect(b.indexOf('<REFERENCE>')).toBeGreaterThan(b.indexOf('<CANDIDATE>'));
  });
  it('OpenAI: strict JSON schema at temperature 0; Nova: Converse with a forced tool, temperature 0, top_k 1', () => {
    const o = openAIJudge({} as OpenAI, 'gpt-4o', 'x').request('U') as { temperature: number; response_format: { json_schema: { strict: boolean } }; messages: Array<{ content: string }> };
    expect(o.temperature).toBe(0);
    expect(o.response_format.json_schema.strict).toBe(true);
    expect(o.messages[0]!.content).toBe(JUDGE_SYSTEM_PROMPT);
    const n = novaJudge({} as BedrockTransport, 'global.amazon.nova-2-lite-v1:0', 'x').request('U') as { modelId: string; inferenceConfig: { temperature: number }; additionalModelRequestFields: unknown; toolConfig: { toolChoice: unknown; tools: Array<{ toolSpec: { inputSchema: { json: unknown } } }> } };
    expect(n.modelId).toBe('global.amazon.nova-2-lite-v1:0');
    expect(n.inferenceConfig.temperature).toBe(0);
    expect(n.additionalModelRequestFields).toEqual({ inferenceConfig: { topK: 1 } });
    expect(n.toolConfig.toolChoice).toEqual({ tool: { name: 'record_judgement' } });
    expect(n.toolConfig.tools[0]!.toolSpec.inputSchema.json).toEqual(JUDGE_SCHEMA);
  });
  it('maps verdicts; inconsistent positions warn; a subset fails extraction and summaries', () => {
    const v = (relation: string, facts: object[] = []) => parseVerdict(JSON.stringify({ reasoning: 'r', relation, differing_facts: facts }));
    expect(v('subset')).toEqual({ relation: 'subset', reasoning: 'r', differingFacts: [] });
    expect(parseVerdict('{"relation":"maybe"}')).toBeUndefined();
    expect(parseVerdict('Here: {"relation":"same","reasoning":"ok"}')?.relation).toBe('same');
    expect(judgeCheck(v('same'), v('same'), false).status).toBe('pass');
    expect(judgeCheck(v('differs immaterially'), v('differs immaterially'), false).status).toBe('pass');
    expect(judgeCheck(v('subset'), v('subset'), false).status).toBe('warn');
    expect(judgeCheck(v('subset'), v('subset'), true).status).toBe('fail');
    const dis = judgeCheck(v('disagrees', [{ fact: 'total', reference: '4', candidate: '5' }]), v('disagrees'), false);
    expect(dis).toMatchObject({ status: 'fail', reason: expect.stringMatching(/differing: total: "4" → "5"/) });
    expect(judgeCheck(v('same'), v('disagrees'), false)).toMatchObject({ status: 'warn', reason: expect.stringMatching(/inconsistent/) });
  });
  it('--judge auto picks what the credentials allow, and replays what was recorded', () => {
    const base = { choice: 'auto' as const, mock: false, cacheMode: 'auto' as const, cacheDir: mkdtempSync(join(tmpdir(), 'judge-')), inProcessCandidate: false };
    expect(decideJudge({ ...base, inProcessCandidate: true, env: {} })).toMatchObject({ provider: 'nova', model: 'amazon.nova-2-lite-v1:0' });
    expect(decideJudge({ ...base, env: { OPENAI_API_KEY: 'k', HOME: base.cacheDir } })).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
    expect(decideJudge({ ...base, env: { AWS_PROFILE: 'team', HOME: base.cacheDir } }).provider).toBe('nova');
    expect(decideJudge({ ...base, env: { HOME: base.cacheDir } })).toMatchObject({ provider: 'off', why: expect.stringMatching(/no OPENAI_API_KEY and no AWS credentials/) });
    expect(decideJudge({ ...base, mock: true, inProcessCandidate: true, env: {} }).provider).toBe('off');
    expect(decideJudge({ ...base, choice: 'nova', mock: true, env: {} }).provider).toBe('nova');
    expect(decideJudge({ ...base, cacheMode: 'replay', inProcessCandidate: true, env: {} })).toMatchObject({ provider: 'off', why: expect.stringMatching(/no recorded judge/) });
    writeFileSync(join(base.cacheDir, 'judge.json'), JSON.stringify({ provider: 'openai', model: 'gpt-4.1' }));
    expect(decideJudge({ ...base, cacheMode: 'replay', inProcessCandidate: true, env: {} })).toMatchObject({ provider: 'openai', model: 'gpt-4.1' });
  });
});

describe('embeddings', () => {
  it('Titan on Bedrock: InvokeModel body and response; cosine; cached', async () => {
    const { bedrockEmbedder, cosine, createEmbeddingCheck } = await import('../../harness/compare/embeddings.js');
    const sent: Array<{ modelId?: string; body?: unknown }> = [];
    const transport = {
      invokeModel: async (modelId: string, body: string) => {
        sent.push({ modelId, body });
        const text = (JSON.parse(body) as { inputText: string }).inputText;
        return { body: new TextEncoder().encode(JSON.stringify({ embedding: text.includes('cat') ? [1, 0] : [0.6, 0.8] })) };
      },
    };
    const embed = bedrockEmbedder(transport, 'amazon.titan-embed-text-v2:0');
    expect(await embed('a cat', new AbortController().signal)).toEqual([1, 0]);
    expect(sent[0]).toMatchObject({ modelId: 'amazon.titan-embed-text-v2:0' });
    expect(JSON.parse(String(sent[0]!.body))).toEqual({ inputText: 'a cat', normalize: true });
    expect(cosine([1, 0], [0.6, 0.8])).toBeCloseTo(0.6);
    const cache = new ResponseCache(mkdtempSync(join(tmpdir(), 'emb-')), 'auto');
    const check = createEmbeddingCheck({ embed, model: 'amazon.titan-embed-text-v2:0', cache, provider: 'bedrock-embeddings', baseURL: 'bedrock:us-east-1', threshold: 0.85 });
    const ctx = { kind: 'text' as const, baseline: side(completion('a cat sat')), candidate: side(completion('a dog sat')), signal: new AbortController().signal };
    expect((await check(ctx))[0]).toMatchObject({ name: 'embedding.similarity', status: 'warn', score: 0.6 });
    const calls = sent.length;
    await check(ctx);
    expect(sent.length).toBe(calls);
  });
});

describe('stream assembly', () => {
  it('rebuilds content, tool calls, finish reason and usage from chunks', () => {
    const a = new ChunkAssembler();
    const chunk = (delta: object, finish: string | null = null, usage?: object) => ({ id: 'c', object: 'chat.completion.chunk' as const, created: 1, model: 'm', choices: usage ? [] : [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...(usage ? { usage } : {}) });
    expect(a.add(chunk({ role: 'assistant', content: '' }) as never)).toBe(false);
    expect(a.add(chunk({ tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } }] }) as never)).toBe(true);
    a.add(chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Rome"}' } }] }) as never);
    a.add(chunk({}, 'tool_calls') as never);
    a.add(chunk({}, null, { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 }) as never);
    const r = a.result();
    expect(r.choices[0]!.message.tool_calls?.[0]).toMatchObject({ id: 't1', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } });
    expect(r.choices[0]!.finish_reason).toBe('tool_calls');
    expect(r.usage?.completion_tokens).toBe(4);
  });
});

describe('reports', () => {
  const fx: Fixture = { id: 'x<&>"', file: 'f.jsonl', line: 3, body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Classify <this> & that' }] }, tags: [], metadata: {}, expectations: [], thresholds: {} };
  const failing: RunSample = {
    repeat: 0,
    kind: 'classification',
    diffs: [],
    baseline: side(completion('positive', { usage: [10, 1] }), { costUsd: 0.0001, totalMs: 100 }),
    candidate: side(completion('negative', { usage: [10, 1] }), { costUsd: 0.00005, totalMs: 150 }),
    checks: [{ name: 'classification.match', status: 'fail', score: 0, reason: 'baseline "positive" vs candidate "negative"' }],
    status: 'fail',
  };
  const report = buildReport(
    { prompts: [toPromptResult(fx, [failing])], interrupted: false, notRun: ['later'], cacheMisses: 0, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z' },
    { mock: false, fixtures: 'f', baselineLabel: 'OpenAI', candidateLabel: 'Nova', baselineMode: 'live', cacheMode: 'off', repeat: 1, prices: { asOf: '2026-11-01', source: 'built-in' }, gate: { minPassRate: 0.9 }, monthlyRequests: 1000 },
  );
  it('summary: counts, cost ratio, verdict do-not-ship with the failing prompt as a caveat', () => {
    expect(report.counts).toEqual({ pass: 0, warn: 0, fail: 1, total: 1, notCompared: 0 });
    expect(report.ratios.cost).toBeCloseTo(0.5);
    expect(report.ratios.totalP95).toBeCloseTo(1.5);
    expect(report.verdict.decision).toBe('do-not-ship');
    expect(report.verdict.caveats[0]).toMatchObject({ id: 'x<&>"', status: 'fail' });
    expect(report.candidate.monthlyUsd).toBeCloseTo(0.05);
  });
  it('JUnit: escaped, one failure, skipped for not run', () => {
    const xml = renderJunit(report);
    expect(xml).toMatch(/<testcase name="x&lt;&amp;&gt;&quot;" classname="parity.classification" file="f.jsonl" line="3"/);
    expect(xml).toMatch(/<failure message="FAIL classification.match: baseline &quot;positive&quot;/);
    expect(xml).toMatch(/<testcase name="later" classname="parity.not-run"><skipped/);
    expect(xmlEscape('a\u0001b')).toBe('ab');
  });
  it('Markdown and terminal show the verdict, the reason, the fix and a diff; HTML escapes user text', () => {
    const md = renderMarkdown(report);
    expect(md).toMatch(/❌ DO NOT SHIP/);
    expect(md).toMatch(/allowed labels/);
    expect(md).toMatch(/\[-positive-\]\{\+negative\+\}/);
    const term = renderTerminal(report);
    expect(term).toMatch(/Verdict: DO NOT SHIP/);
    expect(term).toMatch(/\[-positive-\]\{\+negative\+\}/);
    const html = renderHtml(report);
    expect(html).toContain('Classify &lt;this&gt; &amp; that');
    expect(html).not.toContain('<this>');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).toContain('<del>positive</del><ins>negative</ins>');
  });
});

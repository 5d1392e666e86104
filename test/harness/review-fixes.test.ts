/**
 * Regressions from the parity harness review: not-compared prompts, `--json -`, replay
 * without a key, stable cache identities (mock, judge), paired latency, narrow ignored-param
 * explanations, output/cache path validation and option validation.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../../mock/fake-openai.js';
import { runParityCommand, type ParityOptions } from '../../harness/parity.js';
import { buildReport } from '../../harness/summary.js';
import { toPromptResult } from '../../harness/run/runner.js';
import { explainChecks, staticDiffs } from '../../harness/nova-diffs.js';
import type { Fixture, RunSample, SideResult } from '../../harness/types.js';
import { runCli } from '../support/cli.js';
import { completion, side } from './support.js';

let baseline: FakeOpenAI;
let candidate: FakeOpenAI;
let work: string;

const records = [
  { custom_id: 'plain', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Explain how HTTP caching works with ETag headers.' }] } },
  { custom_id: 'other', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Describe a process and a thread.' }] } },
];

function writeFixtures(list: object[] = records, name = 'prompts.jsonl'): string {
  const file = join(work, name);
  writeFileSync(file, list.map((r) => JSON.stringify(r)).join('\n'));
  return file;
}

function opts(extra: Partial<ParityOptions> = {}): ParityOptions {
  return {
    fixtures: writeFixtures(),
    candidateUrl: candidate.url,
    candidateApiKey: candidate.apiKey,
    cacheDir: join(work, 'cache'),
    env: { OPENAI_API_KEY: baseline.apiKey, OPENAI_BASE_URL: baseline.url },
    out: () => {},
    backoffBaseMs: 5,
    retries: 0,
    judge: { provider: 'off' },
    ...extra,
  };
}

const cli = (args: string[]) => runCli(args);

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'parity-review-'));
  baseline = await startFakeOpenAI();
  candidate = await startFakeOpenAI();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await baseline.close();
  await candidate.close();
});

describe('1. prompts that were not compared never pass', () => {
  it('a baseline failing on every call fails the gate', async () => {
    for (let i = 0; i < records.length; i++) baseline.enqueue({ status: 404, error: { message: 'model not found', type: 'invalid_request_error' } });
    const r = await runParityCommand(opts({ cacheMode: 'off' }));
    expect(r.exitCode).toBe(1);
    expect(r.report!.counts.notCompared).toBe(2);
    expect(r.report!.passRate).toBe(0);
    expect(r.report!.verdict.decision).toBe('do-not-ship');
    expect(r.report!.gate.reasons[0]).toMatch(/pass rate 0 vs limit 0.900 \(2 of 2 prompt\(s\) not compared/);
  });
  it('--baseline recorded with most prompts unrecorded fails the gate', async () => {
    const list = [{ ...records[0]!, baseline: completion('HTTP caching uses ETag headers to validate cached responses.') }, records[1]!];
    const r = await runParityCommand(opts({ fixtures: writeFixtures(list, 'recorded.jsonl'), baseline: 'recorded', cacheMode: 'off' }));
    expect(r.report!.counts.notCompared).toBe(1);
    expect(r.report!.passRate).toBeLessThanOrEqual(0.5);
    expect(r.exitCode).toBe(1);
  });
});

describe('2. - as a file output means stdout', () => {
  it('--json - prints the JSON report on stdout', async () => {
    const r = await cli(['parity', '--fixtures', 'fixtures', '--mock', '--tag', 'classification', '--no-progress', '--json', '-']);
    expect(r.stderr).not.toMatch(/Unknown argument/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).tool).toBe('nova-migrate parity');
  });
});

describe('3-5. cache identities and replay', () => {
  it('--replay needs no OPENAI_API_KEY', async () => {
    expect((await runParityCommand(opts({ cacheMode: 'record' }))).exitCode).toBe(0);
    const r = await runParityCommand(opts({ cacheMode: 'replay', env: { OPENAI_BASE_URL: baseline.url } }));
    expect(r.message).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(r.report!.baseline.cacheHits).toBe(2);
  });
  it('--mock --record then --mock --replay hits, judge and embeddings included', async () => {
    const cacheDir = join(work, 'mock-cache');
    const base = { fixtures: 'fixtures', tags: ['chat'], mock: true, cacheDir, out: () => {}, judge: { provider: 'nova' as const }, embeddings: { provider: 'openai' as const } };
    const rec = await runParityCommand({ ...base, cacheMode: 'record' });
    expect(rec.exitCode).toBe(0);
    const rep = await runParityCommand({ ...base, cacheMode: 'replay' });
    expect(rep.message).toBeUndefined();
    expect(rep.exitCode).toBe(0);
    expect(rep.report!.baseline.cacheHits).toBe(rep.report!.calls);
  });
  it('a judge cache miss under --replay exits 2', async () => {
    const cacheDir = join(work, 'mock-cache2');
    const base = { fixtures: 'fixtures', tags: ['chat'], mock: true, cacheDir, out: () => {}, judge: { provider: 'off' as const } };
    expect((await runParityCommand({ ...base, cacheMode: 'record' })).exitCode).toBe(0);
    const rep = await runParityCommand({ ...base, cacheMode: 'replay', judge: { provider: 'nova' } });
    expect(rep.exitCode).toBe(2);
    expect(rep.message).toMatch(/cache miss/);
  });
});

function fx(id: string): Fixture {
  return { id, file: 'f.jsonl', line: 1, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, tags: [], metadata: {}, expectations: [], thresholds: {} };
}
function sample(b: SideResult, c: SideResult): RunSample {
  return { repeat: 0, kind: 'text', diffs: [], baseline: b, candidate: c, checks: [], status: 'pass' };
}

describe('6. latency ratios pair prompts measured on both sides', () => {
  it('ignores prompts measured live on one side only', () => {
    const ok = completion('hello there');
    const prompts = [
      toPromptResult(fx('a'), [sample(side(ok, { totalMs: 100 }), side(ok, { totalMs: 110 }))]),
      toPromptResult(fx('b'), [sample(side(ok, { totalMs: 100 }), side(ok, { totalMs: 120 }))]),
      // Baseline from the cache: only the candidate was measured, and it was slow.
      toPromptResult(fx('c'), [sample(side(ok, { totalMs: 50, latencyRecorded: true, fromCache: true }), side(ok, { totalMs: 5000 }))]),
    ];
    const report = buildReport(
      { prompts, interrupted: false, notRun: [], cacheMisses: 0, startedAt: '', finishedAt: '' },
      { mock: false, fixtures: 'x', baselineLabel: 'b', candidateLabel: 'c', baselineMode: 'live', cacheMode: 'auto', repeat: 1, prices: { asOf: '', source: '' }, gate: { minPassRate: 0.9, maxP95LatencyRatio: 1.5 } },
    );
    expect(report.latencyPairs).toBe(2);
    expect(report.ratios.totalP95).toBeLessThan(1.5);
    expect(report.gate.passed).toBe(true);
  });
});

describe('7. an ignored parameter only excuses the check family it shapes', () => {
  it('logit_bias downgrades classification only; response_format ignored never excuses expectations', () => {
    const diffs = staticDiffs({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], logit_bias: { '123': 5 } });
    const out = explainChecks(
      [
        { name: 'classification.match', status: 'fail', reason: 'differs' },
        { name: 'text.similarity', status: 'fail', reason: 'low' },
        { name: 'length.ratio', status: 'fail', reason: 'long' },
      ],
      diffs,
    );
    expect(out[0]).toMatchObject({ status: 'warn', explainedBy: 'logit_bias' });
    expect(out[1]!.status).toBe('fail');
    expect(out[2]!.status).toBe('fail');
    const rf = explainChecks(
      [
        { name: 'expect.is-json', status: 'fail', reason: 'not JSON' },
        { name: 'expect.json-schema', status: 'fail', reason: 'schema' },
      ],
      [{ param: 'response_format', effect: 'ignored', note: 'ignored', affects: ['json', 'expect.is-json', 'expect.json-schema'], source: 'proxy-header' }],
    );
    expect(rf.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(rf[0]!.reason).toMatch(/response_format/);
  });
});

describe('8. unwritable outputs and cache', () => {
  it('an output path that cannot be written exits 2 before any call', async () => {
    const blocker = join(work, 'afile');
    writeFileSync(blocker, 'x');
    await expect(runParityCommand(opts({ json: join(blocker, 'r.json') }))).rejects.toThrow(/--json .*cannot write there/);
    await expect(runParityCommand(opts({ html: work }))).rejects.toThrow(/--html .*is a directory/);
    await expect(runParityCommand(opts({ cacheMode: 'record', cacheDir: join(blocker, 'cache') }))).rejects.toThrow(/--cache-dir .*cannot write there/);
    expect(baseline.requests).toHaveLength(0);
    expect(candidate.requests).toHaveLength(0);
  });
  it('a write failing at the end prints the terminal report first, then exits 2 with the results kept', async () => {
    const dir = join(work, 'out');
    const printed: string[] = [];
    let broken = false;
    const r = await runParityCommand(
      opts({
        json: join(dir, 'r.json'),
        cacheMode: 'off',
        out: (t) => void printed.push(t),
        // The directory turns into a file mid-run: the final write fails after validation passed.
        onProgress: () => {
          if (broken) return;
          broken = true;
          rmSync(dir, { recursive: true, force: true });
          writeFileSync(dir, 'x');
        },
      }),
    );
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(/could not write .*r\.json/);
    expect(r.report!.counts.total).toBe(2);
    expect(printed.join('')).toMatch(/Verdict/);
  });
  it('an unwritable cache in the default mode warns once and the run continues', async () => {
    const blocker = join(work, 'afile');
    writeFileSync(blocker, 'x');
    const notices: string[] = [];
    const r = await runParityCommand(opts({ cacheDir: join(blocker, 'cache'), onNotice: (t) => void notices.push(t) }));
    expect(r.exitCode).toBe(0);
    expect(notices.filter((n) => /cannot write the response cache/.test(n))).toHaveLength(1);
  });
});

describe('9. numeric and valued options are validated', () => {
  it.each([
    [['--max-cost-ratio', 'abc'], /--max-cost-ratio must be a positive number/],
    [['--max-p95-latency-ratio', 'abc'], /--max-p95-latency-ratio must be a positive number/],
    [['--similarity-threshold', 'abc'], /--similarity-threshold must be a number between 0 and 1/],
    [['--monthly-requests', '-5'], /--monthly-requests must be a positive integer/],
    [['--tag'], /Not enough arguments following: tag|--tag needs a value/],
    [['--json'], /Not enough arguments following: json/],
  ])('%j is a usage error', async (args, msg) => {
    const r = await cli(['parity', '--fixtures', 'fixtures', '--mock', '--no-progress', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });
  it('a price file with a non-numeric field is a usage error naming the file', async () => {
    const file = join(work, 'prices.json');
    writeFileSync(file, JSON.stringify({ 'gpt-4o': { input: 'two', output: 10 } }));
    await expect(runParityCommand(opts({ prices: file }))).rejects.toThrow(/--prices .*prices\.json: "gpt-4o" needs numeric/);
    writeFileSync(file, JSON.stringify({ 'gpt-4o': { input: 2, output: 10, cachedInput: 'x' } }));
    await expect(runParityCommand(opts({ prices: file }))).rejects.toThrow(/--prices .*cachedInput must be a non-negative number/);
  });
});

describe('11. --candidate-url without --map', () => {
  it('says the cache is keyed by the alias', async () => {
    const notices: string[] = [];
    await runParityCommand(opts({ onNotice: (t) => void notices.push(t) }));
    expect(notices.join('\n')).toMatch(/keyed by the fixture's model alias/);
    const quiet: string[] = [];
    await runParityCommand(opts({ map: { 'gpt-4o-mini': 'amazon.nova-lite-v1:0' }, cacheMode: 'off', onNotice: (t) => void quiet.push(t) }));
    expect(quiet.join('\n')).not.toMatch(/keyed by the fixture's model alias/);
  });
});

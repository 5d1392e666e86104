/**
 * A gate CI can rely on, through the CLI, from files a team already has: an OpenAI Batch
 * input file, its Batch output (the recorded baseline), the Batch output of the same file
 * run against the proxy (the recorded candidate) and an expectations file keyed by
 * custom_id — no file edited. --strict, latency that was never measured, the weighted
 * monthly projection with what it leaves out, and Markdown that fits a PR comment.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { renderMarkdown } from '../../harness/report/markdown.js';
import { buildReport, projectCost } from '../../harness/summary.js';
import { toPromptResult } from '../../harness/run/runner.js';
import type { Fixture, RunSample } from '../../harness/types.js';
import { completion, side } from './support.js';

const work = mkdtempSync(join(tmpdir(), 'parity-gate-'));
const body = (system: string, user: string, extra: object = {}) => ({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'system', content: system }, { role: 'user', content: user }], ...extra });
const line = (id: string, content: string, tokens: [number, number] = [100, 20]) => ({
  id: `batch_${id}`,
  custom_id: id,
  response: { status_code: 200, request_id: `req_${id}`, body: { id: `chatcmpl-${id}`, object: 'chat.completion', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }], usage: { prompt_tokens: tokens[0], completion_tokens: tokens[1], total_tokens: tokens[0] + tokens[1] } } },
  error: null,
});
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');

function setup() {
  const dir = mkdtempSync(join(work, 'set-'));
  const input = [
    { custom_id: 'ticket', method: 'POST', url: '/v1/chat/completions', body: body('Create a ticket record from the message. Answer with JSON only.', 'The printer on floor 3 is jammed.', { response_format: { type: 'json_object' } }) },
    { custom_id: 'explain', method: 'POST', url: '/v1/chat/completions', body: body('You are a helpful assistant.', 'Why use a connection pool?') },
    { custom_id: 'route', method: 'POST', url: '/v1/chat/completions', body: body('Route the ticket. Reply with one of billing, technical, account.', 'I was charged twice.') },
    { custom_id: 'variants', method: 'POST', url: '/v1/chat/completions', body: body('You are a helpful assistant.', 'Suggest a name for a cat.', { n: 3 }) },
  ];
  const baseline = [
    line('ticket', '{"id":"tkt_1","category":"hardware","floor":3}'),
    line('explain', 'Opening a database connection is expensive, so a pool keeps connections open and reuses them across requests, which cuts latency and limits how many connections hit the database.'),
    line('route', 'billing'),
    line('variants', 'Mochi'),
  ];
  const candidate = [
    line('ticket', '{"id":"tkt_2","category":"hardware","floor":3}'),
    line('explain', 'Connections are costly to open; a pool reuses open ones, lowering latency and capping the load on the database.'),
    line('route', 'Billing'),
    { id: 'batch_variants', custom_id: 'variants', response: { status_code: 400, request_id: 'r', body: { error: { message: "n > 1 is not supported by Nova: send separate requests", type: 'invalid_request_error', param: 'n', code: 'unsupported_parameter' } } }, error: null },
  ];
  writeFileSync(join(dir, 'batch_input.jsonl'), jsonl(input));
  writeFileSync(join(dir, 'batch_output.jsonl'), jsonl(baseline));
  const cand = join(work, `candidate-${dir.slice(-6)}.jsonl`);
  writeFileSync(cand, jsonl(candidate));
  return { dir, cand };
}

const args = (s: { dir: string; cand: string }, ...more: string[]) => ['parity', '--fixtures', s.dir, '--baseline', 'recorded', '--candidate', 'recorded', '--candidate-file', s.cand, '--judge', 'off', '--no-cache', '--no-progress', ...more];

describe('recorded candidate and an expectations file keyed by custom_id', () => {
  it('compares Batch output against Batch output; the expectations file configures without editing them', async () => {
    const s = setup();
    const json = join(work, 'a.json');
    let r = await runCli(args(s, '--json', json));
    let rep = JSON.parse(readFileSync(json, 'utf8'));
    const status = (id: string) => rep.prompts.find((p: { id: string }) => p.id === id).status;
    // The generated id differs: a JSON value that differs fails, named with both values.
    expect(status('ticket')).toBe('fail');
    expect(rep.prompts.find((p: { id: string }) => p.id === 'ticket').reasons[0]).toMatch(/\$\.id: "tkt_1" → "tkt_2"/);
    expect(status('route')).toBe('pass');
    expect(status('variants')).toBe('fail');
    expect(r.code).toBe(1);

    const exp = join(work, 'expectations.yaml');
    writeFileSync(exp, ['"*":', '  weight: 1', 'ticket:', '  compare: { ignore: ["$.id"] }', '  tags: [extraction]', '  weight: 3', 'route:', '  assert: { equals: billing }', ''].join('\n'));
    r = await runCli(args(s, '--expectations', exp, '--json', json));
    rep = JSON.parse(readFileSync(json, 'utf8'));
    expect(status('ticket')).toBe('pass');
    expect(rep.prompts.find((p: { id: string }) => p.id === 'ticket').tags).toContain('extraction');
    expect(rep.prompts.find((p: { id: string }) => p.id === 'route').samples[0].checks.map((c: { name: string }) => c.name)).toContain('expect.equals');

    writeFileSync(exp, 'nope:\n  weight: 2\n');
    r = await runCli(args(s, '--expectations', exp));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid fixture: .*expectations\.yaml:1: no prompt has custom_id "nope"/);
    r = await runCli(['parity', '--fixtures', s.dir, '--baseline', 'recorded', '--candidate', 'recorded', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--candidate recorded needs --candidate-file/);
  });

  it('--strict: prompts that pass only with warnings fail the gate, and the summary says how many', async () => {
    const s = setup();
    const exp = join(work, 'strict.yaml');
    writeFileSync(exp, 'ticket:\n  compare: { ignore: ["$.id"] }\n');
    const relaxed = await runCli(args(s, '--expectations', exp, '--min-pass-rate', '0.7'));
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toMatch(/1 prompt\(s\) passed only with warnings \(they count as passing; --strict makes them fail\)/);
    const strict = await runCli(args(s, '--expectations', exp, '--min-pass-rate', '0.7', '--strict'));
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/1 prompt\(s\) passed only with warnings — they count as failing \(--strict\)/);
    expect(strict.stdout).toMatch(/strict pass rate 50\.0% vs ≥ 70\.0%/);
    expect((await runCli(args(s, '--expectations', exp, '--min-pass-rate', '0.7', '--fail-on', 'warn'))).code).toBe(1);
  });

  it('latency recorded on both sides: the latency gate is "not measured", never passed; --require-latency fails', async () => {
    const s = setup();
    const exp = join(work, 'lat.yaml');
    writeFileSync(exp, 'ticket:\n  compare: { ignore: ["$.id"] }\n');
    const md = join(work, 'lat.md');
    const html = join(work, 'lat.html');
    const r = await runCli(args(s, '--expectations', exp, '--min-pass-rate', '0.7', '--max-p95-latency-ratio', '1.5', '--markdown', md, '--html', html));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Verdict: SHIP WITH CAVEATS — .*not measured: p95 latency ratio/);
    expect(r.stdout).toMatch(/p95 latency ratio not measured/);
    expect(r.stdout).not.toMatch(/TTFT p50|total p50/);
    expect(readFileSync(md, 'utf8')).not.toMatch(/total p50/);
    expect(readFileSync(html, 'utf8')).not.toMatch(/<td>total p50/);
    expect(readFileSync(html, 'utf8')).toContain('id="latency-note"');
    const required = await runCli(args(s, '--expectations', exp, '--min-pass-rate', '0.7', '--require-latency'));
    expect(required.code).toBe(1);
    expect(required.stdout).toMatch(/Verdict: DO NOT SHIP — the gate failed: latency measured: not measured/);
  });

  it('the monthly projection uses prompts priced on both sides, weighted, and says what it left out and why', async () => {
    const s = setup();
    const exp = join(work, 'w.yaml');
    writeFileSync(exp, 'ticket:\n  weight: 3\n');
    const json = join(work, 'w.json');
    const r = await runCli(args(s, '--expectations', exp, '--monthly-requests', '100000', '--json', json));
    const rep = JSON.parse(readFileSync(json, 'utf8'));
    expect(rep.projection).toMatchObject({ monthlyRequests: 100000, weighted: true, included: 3 });
    expect(rep.projection.excluded).toEqual([{ id: 'variants', why: expect.stringMatching(/^Nova rejected the request \(HTTP 400: n > 1/) }]);
    // gpt-4o-mini-2024-07-18 for the baseline; the candidate priced as Nova Lite (the proxy's default mapping).
    const per = (i: number, o: number) => (100 * i + 20 * o) / 1e6;
    expect(rep.projection.perRequest.baseline).toBeCloseTo(per(0.15, 0.6), 12);
    expect(rep.projection.perRequest.candidate).toBeCloseTo(per(0.06, 0.24), 12);
    expect(rep.candidate.monthlyUsd).toBeCloseTo(per(0.06, 0.24) * 100000, 8);
    expect(rep.prices.used['amazon.nova-lite-v1:0']).toMatchObject({ input: 0.06, source: expect.stringContaining('aws.amazon.com/bedrock/pricing') });
    expect(r.stdout).toMatch(/Monthly projection over the 3 prompt\(s\) priced on both sides, weighted by traffic share \(weight\); 1 left out: 1 × Nova rejected the request \(HTTP 400\)/);
    expect(r.stdout).toMatch(/Prices as of 2026-12-06/);
  });
});

describe('projection', () => {
  const fx = (id: string): Fixture => ({ id, file: 'f', line: 1, body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, tags: [], metadata: {}, expectations: [], thresholds: {} });
  const sample = (b: number | undefined, c: number | undefined): RunSample => ({
    repeat: 0,
    kind: 'text',
    diffs: [],
    baseline: side(completion('a'), { usage: { inputTokens: 10, outputTokens: 1 }, ...(b !== undefined ? { costUsd: b } : { pricedModel: 'mystery-model' }) }),
    candidate: side(completion('a'), c !== undefined ? { costUsd: c } : {}),
    checks: [],
    status: 'pass',
  });
  it('weights by traffic share and leaves out prompts not priced on both sides', () => {
    const prompts = [toPromptResult(fx('a'), [sample(0.01, 0.002)]), toPromptResult(fx('b'), [sample(0.03, 0.001)]), toPromptResult(fx('c'), [sample(undefined, 0.001)])];
    const p = projectCost(prompts, 1000, new Map([['a', 3], ['b', 1]]));
    expect(p.included).toBe(2);
    expect(p.perRequest.baseline).toBeCloseTo((3 * 0.01 + 0.03) / 4);
    expect(p.perRequest.candidate).toBeCloseTo((3 * 0.002 + 0.001) / 4);
    expect(p.monthlyUsd.baseline).toBeCloseTo(15);
    expect(p.excluded).toEqual([{ id: 'c', why: expect.stringMatching(/no price for mystery-model \(baseline\)/) }]);
  });
});

describe('Markdown for PR comments', () => {
  it('stays under 65,536 characters at any fixture count: summary first, worst prompts, "N more not shown", one row per parameter', () => {
    const prompts = Array.from({ length: 5000 }, (_, i) => {
      const f: Fixture = { id: `prompt-${i}-${'x'.repeat(40)}`, file: 'big.jsonl', line: i + 1, body: { model: 'gpt-4o', seed: 1, messages: [{ role: 'user', content: `Question ${i} ${'words '.repeat(60)}` }] } as Fixture['body'], tags: [], metadata: {}, expectations: [], thresholds: {} };
      const s: RunSample = {
        repeat: 0,
        kind: 'text',
        diffs: [{ param: 'seed', effect: 'ignored', note: 'Nova has no seed.', affects: [], source: 'static' }],
        baseline: side(completion(`The answer ${i} ${'is long '.repeat(200)}`)),
        candidate: side(completion(`An answer ${i} ${'is longer '.repeat(200)}`)),
        checks: [{ name: 'facts.numbers', status: 'fail', reason: `numbers: changed: "${i}" → "${i + 1}" ${'because '.repeat(100)}` }],
        status: 'fail',
      };
      return toPromptResult(f, [s]);
    });
    const report = buildReport(
      { prompts, interrupted: false, notRun: [], cacheMisses: 0, startedAt: 'a', finishedAt: 'b' },
      { mock: false, fixtures: 'big', baselineLabel: 'OpenAI', candidateLabel: 'Nova', baselineMode: 'live', cacheMode: 'off', repeat: 1, prices: { asOf: '2026-12-06', source: 'built-in' }, gate: { minPassRate: 0.9 } },
    );
    const md = renderMarkdown(report, { worst: 10 });
    expect(md.length).toBeLessThan(65_536);
    expect(md.indexOf('## Nova parity')).toBe(0);
    expect(md.indexOf('| prompts |')).toBeLessThan(md.indexOf('### Prompts to review'));
    expect(md).toMatch(/_4990 more not shown/);
    // The Nova-ignores table has one row for `seed`, not 5,000.
    expect(md.match(/\| `seed` \| ignored \| 5000/g)).toHaveLength(1);
    expect(renderMarkdown(report, { worst: 5000 }).length).toBeLessThan(65_536);
  });
});

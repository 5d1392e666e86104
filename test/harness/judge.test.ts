/**
 * The judge end to end through the CLI: `--judge nova` calls Bedrock Converse with the AWS
 * SDK's default credential chain (here: environment variables and the SDK's own endpoint
 * override pointing at the fake Bedrock, which validates the request like the service);
 * its verdicts are cached and replay without credentials; deterministic failures are never
 * sent to it; its cost and latency are in the report.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeBedrockEnv, startFakeBedrock, type FakeBedrock } from '../../mock/fake-bedrock.js';
import { JUDGE_VERSION } from '../../harness/judge/prompt.js';
import { runCli } from '../support/cli.js';

let fake: FakeBedrock;
let work: string;
const saved: Record<string, string | undefined> = {};
const AWS_VARS = ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'OPENAI_API_KEY'];

function useEnv(vars: Record<string, string>) {
  for (const k of AWS_VARS) delete process.env[k];
  Object.assign(process.env, vars);
}

beforeAll(async () => {
  for (const k of AWS_VARS) saved[k] = process.env[k];
  fake = await startFakeBedrock();
  work = mkdtempSync(join(tmpdir(), 'parity-judge-'));
});
afterEach(() => fake.reset());
afterAll(async () => {
  for (const k of AWS_VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await fake.close();
});

const completion = (content: string) => ({
  id: 'c',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
  usage: { prompt_tokens: 40, completion_tokens: 30, total_tokens: 70 },
});
const ask = (id: string, question: string, baseline: string) => ({
  custom_id: id,
  body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] },
  baseline: completion(baseline),
});
const answer = (id: string, content: string) => ({ custom_id: id, response: { status_code: 200, body: completion(content) } });

/** What Nova answers for one judge call: the forced tool with the verdict as its input. */
const verdict = (relation: string, facts: object[] = []) => ({
  output: { message: { role: 'assistant' as const, content: [{ toolUse: { toolUseId: 'tooluse_judge0000000000000000', name: 'record_judgement', input: { reasoning: `it is ${relation}`, relation, differing_facts: facts } } }] } },
  stopReason: 'tool_use',
  usage: { inputTokens: 600, outputTokens: 80, totalTokens: 680 },
});

function files() {
  const fixtures = join(work, 'prompts.jsonl');
  const candidates = join(work, 'candidate.jsonl');
  writeFileSync(
    fixtures,
    [
      ask('etag', 'How does HTTP caching work with ETag headers?', 'The server sends an ETag that names the version; the client sends it back in If-None-Match and gets 304 Not Modified when nothing changed.'),
      ask('gc', 'What does a tracing garbage collector do?', 'It finds the objects reachable from the roots and frees everything else.'),
      ask('timeout', 'What is the default timeout?', 'The default timeout is 60 seconds.'),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  writeFileSync(
    candidates,
    [
      answer('etag', 'ETags identify a resource version. Clients resend the value with If-None-Match, and an unchanged resource gets a 304 Not Modified reply with no body.'),
      answer('gc', 'It walks the object graph from the roots and frees the objects it reaches, keeping the others.'),
      answer('timeout', 'The default timeout is 30 seconds.'),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  return { fixtures, candidates };
}

describe('--judge nova', () => {
  it('judges free text on Bedrock Converse with the default credential chain; rule failures are never sent to it', async () => {
    useEnv(fakeBedrockEnv(fake));
    const f = files();
    const cacheDir = join(work, 'cache');
    const json = join(work, 'judged.json');
    // Prompts run in order (concurrency 1): etag is the same, gc inverts what is freed.
    fake.enqueue(verdict('same'), verdict('same'), verdict('disagrees', [{ fact: 'what is freed', reference: 'unreachable objects', candidate: 'reachable objects' }]), verdict('disagrees'));
    const args = ['parity', '--fixtures', f.fixtures, '--baseline', 'recorded', '--candidate', 'recorded', '--candidate-file', f.candidates, '--judge', 'nova', '--cache-dir', cacheDir, '--concurrency', '1', '--no-progress'];
    const r = await runCli([...args, '--json', json]);
    expect(r.stderr).toMatch(/judge: nova amazon\.nova-2-lite-v1:0 \(--judge nova\)/);
    expect(r.code).toBe(1);

    // Four judge calls (two prompts × two positions), none for the prompt whose number changed.
    expect(fake.requests).toHaveLength(4);
    for (const q of fake.requests) {
      expect(q.operation).toBe('Converse');
      // The region's inference profile for Nova 2 Lite (us-east-1 → global).
      expect(q.modelId).toBe('global.amazon.nova-2-lite-v1:0');
      expect(String(q.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
      const body = q.body as { system: Array<{ text: string }>; inferenceConfig: { temperature: number }; toolConfig: { toolChoice: unknown }; messages: Array<{ content: Array<{ text: string }> }> };
      expect(body.system[0]!.text).toContain(JUDGE_VERSION);
      expect(body.inferenceConfig.temperature).toBe(0);
      expect(body.toolConfig.toolChoice).toEqual({ tool: { name: 'record_judgement' } });
      expect(body.messages[0]!.content[0]!.text).not.toContain('default timeout');
    }
    const rep = JSON.parse(readFileSync(json, 'utf8'));
    const by = Object.fromEntries(rep.prompts.map((p: { id: string }) => [p.id, p]));
    const checks = (id: string) => by[id].samples[0].checks as Array<{ name: string; status: string; reason: string }>;
    expect(checks('etag').find((c) => c.name === 'judge')).toMatchObject({ status: 'pass' });
    expect(by.etag.status).toBe('pass');
    expect(checks('gc').find((c) => c.name === 'judge')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/differing: what is freed: "unreachable objects" → "reachable objects"/) });
    expect(by.gc.status).toBe('fail');
    expect(checks('timeout').find((c) => c.name === 'judge')).toBeUndefined();
    expect(checks('timeout').find((c) => c.name === 'facts.numbers')).toMatchObject({ status: 'fail' });
    // Cost and latency of judging are measured.
    expect(rep.judge).toMatchObject({ provider: 'nova', model: 'global.amazon.nova-2-lite-v1:0', version: JUDGE_VERSION, stats: { calls: 4, cacheHits: 0, prompts: 2 } });
    expect(rep.judge.stats.costUsd).toBeCloseTo((4 * (600 * 0.3 + 80 * 2.5)) / 1e6, 10);
    expect(rep.judge.stats.latency.n).toBe(4);
    expect(r.stdout).toMatch(/Judge: nova global\.amazon\.nova-2-lite-v1:0 \(reference-equivalence\/2\) — 2 prompt\(s\) judged/);
    expect(existsSync(join(cacheDir, 'judge.json'))).toBe(true);

    // Replay: no credentials, no call, the same verdicts — with --judge nova, and with auto (judge.json).
    useEnv({});
    for (const judge of ['nova', 'auto']) {
      const again = await runCli([...args.map((a) => (a === 'nova' ? judge : a)), '--replay', '--json', json]);
      expect(again.code).toBe(1);
      const rr = JSON.parse(readFileSync(json, 'utf8'));
      expect(rr.prompts.map((p: { status: string }) => p.status)).toEqual(rep.prompts.map((p: { status: string }) => p.status));
      expect(rr.judge.stats).toMatchObject({ calls: 0, cacheHits: 4 });
    }
    expect(fake.requests).toHaveLength(4);
  });

  it('a judge error is a warning, never a silent pass; a judge cache miss under --replay --judge nova exits 2', async () => {
    useEnv(fakeBedrockEnv(fake));
    const f = files();
    fake.enqueue(
      { status: 400, errorType: 'ValidationException', message: 'The provided model identifier is invalid.' },
      { status: 400, errorType: 'ValidationException', message: 'The provided model identifier is invalid.' },
    );
    const json = join(work, 'err.json');
    const r = await runCli(['parity', '--fixtures', f.fixtures, '--baseline', 'recorded', '--candidate', 'recorded', '--candidate-file', f.candidates, '--judge', 'nova', '--no-cache', '--concurrency', '1', '--no-progress', '--json', json]);
    expect(r.code).toBe(1);
    const etag = JSON.parse(readFileSync(json, 'utf8')).prompts.find((p: { id: string }) => p.id === 'etag');
    expect(etag.samples[0].checks.find((c: { name: string }) => c.name === 'judge')).toMatchObject({ status: 'warn', reason: expect.stringMatching(/judge call failed/) });
    const miss = await runCli(['parity', '--fixtures', f.fixtures, '--baseline', 'recorded', '--candidate', 'recorded', '--candidate-file', f.candidates, '--judge', 'nova', '--replay', '--cache-dir', join(work, 'empty-cache'), '--no-progress']);
    expect(miss.code).toBe(2);
    expect(miss.stderr).toMatch(/cache miss/);
  });
});

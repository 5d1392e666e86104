import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureError, loadFixtures } from '../../harness/fixtures/load.js';
import { setSpecValidator } from '../../harness/fixtures/validate.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'parity-fx-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

function errorOf(fn: () => unknown): FixtureError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FixtureError) return err;
    throw err;
  }
  throw new Error('expected a FixtureError');
}

describe('loadFixtures', () => {
  it('loads every shipped sample set, spec-valid', () => {
    setSpecValidator((s, v) => validateOpenAI(s as 'CreateChatCompletionRequest', v));
    try {
      const fx = loadFixtures('fixtures');
      expect(fx.length).toBeGreaterThanOrEqual(20);
      const tags = new Set(fx.flatMap((f) => f.tags));
      for (const t of ['plain', 'system-prompt', 'multi-turn', 'extraction', 'tools', 'classification', 'summarisation', 'streaming', 'image']) expect(tags, t).toContain(t);
      expect(fx.some((f) => f.body.stream)).toBe(true);
    } finally {
      setSpecValidator(undefined);
    }
  });

  it('reads Batch input lines, bare bodies, YAML lists and pairs Batch output lines as baselines', () => {
    const completion = { id: 'c1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello' } }] };
    const d = dir({
      'a.jsonl': [
        JSON.stringify({ custom_id: 'one', method: 'POST', url: '/v1/chat/completions', body, metadata: { tags: ['x'] }, assert: { contains: 'Hello' } }),
        '',
        JSON.stringify(body),
      ].join('\n'),
      'out/batch_output.jsonl': JSON.stringify({ id: 'b1', custom_id: 'one', response: { status_code: 200, request_id: 'r', body: completion }, error: null }),
      'b.yaml': `- custom_id: two\n  body:\n    model: gpt-4o\n    messages:\n      - role: user\n        content: hello\n  thresholds: { similarity: 0.7 }\n  compare: text\n`,
    });
    const fx = loadFixtures(d, { cwd: d });
    expect(fx.map((f) => f.id)).toEqual(['one', 'a.jsonl:3', 'two']);
    expect(fx[0]!.baseline?.choices[0]?.message.content).toBe('Hello');
    expect(fx[0]!.expectations).toEqual([{ type: 'contains', value: ['Hello'] }]);
    expect(fx[0]!.tags).toEqual(['x']);
    expect(fx[2]!.line).toBe(1);
    expect(fx[2]!.thresholds).toEqual({ similarity: 0.7 });
    expect(fx[2]!.compare).toBe('text');
    expect(loadFixtures(d, { cwd: d, tags: ['x'] }).map((f) => f.id)).toEqual(['one']);
  });

  it('names file and line for invalid JSON, invalid bodies, unknown expectations and orphan outputs', () => {
    let d = dir({ 'bad.jsonl': `${JSON.stringify(body)}\n{"model": oops}\n` });
    expect(errorOf(() => loadFixtures(d, { cwd: d })).message).toMatch(/^bad\.jsonl:2: invalid JSON/);
    d = dir({ 'bad.jsonl': `\n\n${JSON.stringify({ custom_id: 'x', body: { model: 'gpt-4o', messages: [] } })}\n` });
    expect(errorOf(() => loadFixtures(d, { cwd: d })).message).toMatch(/^bad\.jsonl:3: body is not a valid chat-completions request: "messages" must be a non-empty array/);
    d = dir({ 'bad.jsonl': JSON.stringify({ custom_id: 'x', body, assert: { 'looks-good': true } }) });
    expect(errorOf(() => loadFixtures(d, { cwd: d })).message).toMatch(/bad\.jsonl:1: unknown expectation "looks-good"/);
    d = dir({ 'bad.jsonl': JSON.stringify({ custom_id: 'x', body, assert: { regex: '(' } }) });
    expect(errorOf(() => loadFixtures(d, { cwd: d })).message).toMatch(/assert\.regex is not a valid regular expression/);
    d = dir({ 'bad.jsonl': JSON.stringify({ custom_id: 'x', url: '/v1/embeddings', body }) });
    expect(errorOf(() => loadFixtures(d, { cwd: d })).message).toMatch(/only chat completions records/);
    d = dir({ 'a.jsonl': JSON.stringify({ custom_id: 'x', body }), 'b.jsonl': JSON.stringify({ custom_id: 'nope', response: { status_code: 200, body: {} } }) });
    expect(errorOf(() => loadFixtures(d, { cwd: d })).message).toMatch(/^b\.jsonl:1: .*"nope" has no matching input record/);
    d = dir({ 'a.yaml': `- custom_id: a\n  body:\n    model: gpt-4o\n    messages:\n      - role: user\n        content: hi\n- custom_id: b\n  body:\n    model: gpt-4o\n    messages:\n      - role: robot\n        content: hi\n` });
    const e = errorOf(() => loadFixtures(d, { cwd: d }));
    expect(e.message).toMatch(/^a\.yaml:7: .*messages\[0\]\.role must be one of/);
    d = dir({ 'a.jsonl': `${JSON.stringify({ custom_id: 'a', body })}\n${JSON.stringify({ custom_id: 'a', body })}` });
    expect(errorOf(() => loadFixtures(d, { cwd: d })).message).toMatch(/a\.jsonl:2: duplicate custom_id "a" \(first at a\.jsonl:1\)/);
  });

  it('applies the OpenAI spec validator on top of the structural checks', () => {
    setSpecValidator((s, v) => validateOpenAI(s as 'CreateChatCompletionRequest', v));
    try {
      const d = dir({ 'a.jsonl': JSON.stringify({ custom_id: 'a', body: { ...body, temperature: 'hot' } }) });
      expect(errorOf(() => loadFixtures(d, { cwd: d })).message).toMatch(/a\.jsonl:1: body is not a valid chat-completions request: .*temperature/);
    } finally {
      setSpecValidator(undefined);
    }
  });

  it('reads comparison options, weights and a file\'s defaults; names file and line for bad ones', () => {
    const d = dir({
      'a.yaml': [
        'defaults:',
        '  tags: [extraction]',
        '  weight: 2',
        '  compare: { numeric: 0.01, ignore: ["$.id"] }',
        'records:',
        '  - custom_id: one',
        '    body: { model: gpt-4o, messages: [{ role: user, content: hi }] }',
        '    compare: { kind: json, paths: { "$.summary": { text: similar } }, ignore: ["$.created_at"] }',
        '  - custom_id: two',
        '    weight: 5',
        '    body: { model: gpt-4o, messages: [{ role: user, content: hi }] }',
        '',
      ].join('\n'),
    });
    const [one, two] = loadFixtures(d, { cwd: d });
    expect(one).toMatchObject({ compare: 'json', tags: ['extraction'], weight: 2 });
    expect(one!.compareOptions).toEqual({ kind: 'json', numeric: 0.01, ignore: ['$.id', '$.created_at'], paths: { '$.summary': { text: 'similar' } } });
    expect(two).toMatchObject({ weight: 5, compareOptions: { numeric: 0.01, ignore: ['$.id'] } });
    const bad = (text: string) => errorOf(() => loadFixtures(dir({ 'b.jsonl': text }), { cwd: d })).message;
    expect(bad(JSON.stringify({ custom_id: 'x', body, compare: { numeric: 'a lot' } }))).toMatch(/b\.jsonl:1: compare\.numeric must be a non-negative number/);
    expect(bad(JSON.stringify({ custom_id: 'x', body, compare: { paths: { summary: { text: 'similar' } } } }))).toMatch(/must start with "\$"/);
    expect(bad(JSON.stringify({ custom_id: 'x', body, compare: 'fuzzy' }))).toMatch(/compare must be one of json, tools, classification, text/);
    expect(bad(JSON.stringify({ custom_id: 'x', body, weight: -1 }))).toMatch(/weight must be a non-negative number/);
    expect(errorOf(() => loadFixtures(dir({ 'c.yaml': 'defaults: { weight: x }\nrecords:\n  - { body: { model: m, messages: [{ role: user, content: hi }] } }\n' }))).message).toMatch(/c\.yaml:1: defaults\.weight must be/);
  });
});

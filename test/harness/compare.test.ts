import { describe, expect, it } from 'vitest';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { charNgramCosine, looksLikeRefusal, normaliseLabel, rougeL, textSimilarity, tokenF1 } from '../../harness/compare/text.js';
import { compareJson, parseJsonOutput } from '../../harness/compare/json.js';
import { compareTools } from '../../harness/compare/tools.js';
import { comparePrompt, effectiveKind, inferKind } from '../../harness/compare/index.js';
import { checkExpectations } from '../../harness/expectations.js';
import { normaliseExpectations } from '../../harness/fixtures/expectations-schema.js';
import { explainChecks, headerDiffs, mergeDiffs, staticDiffs } from '../../harness/nova-diffs.js';
import { DEFAULT_THRESHOLDS } from '../../harness/types.js';
import { completion, side } from './support.js';

const th = DEFAULT_THRESHOLDS;
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'], additionalProperties: false } },
};
const timeTool = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
const toolBody: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'weather and time in Paris' }], tools: [weatherTool, timeTool] };

describe('text similarity', () => {
  it('scores identical text 1, unrelated text low, paraphrase in between', () => {
    expect(textSimilarity('The cat sat on the mat.', 'the cat sat on the mat').score).toBe(1);
    const para = textSimilarity('Paris is the capital of France.', 'The capital of France is Paris.').score;
    const unrelated = textSimilarity('Paris is the capital of France.', 'Use a B-tree index for range queries.').score;
    expect(para).toBeGreaterThan(0.6);
    expect(unrelated).toBeLessThan(0.3);
    expect(tokenF1('a b c', 'a b d')).toBeCloseTo(2 / 3);
    expect(rougeL('a b c d', 'a c d')).toBeCloseTo((2 * 1 * 0.75) / 1.75);
    expect(charNgramCosine('', '')).toBe(1);
  });
  it('normalises labels and detects refusals', () => {
    expect(normaliseLabel('  "Positive." ')).toBe('positive');
    expect(normaliseLabel('Label: Billing')).toBe('billing');
    expect(looksLikeRefusal("I'm sorry, but I can't help with that.")).toBe(true);
    expect(looksLikeRefusal('Sure, here is the answer.')).toBe(false);
  });
});

describe('JSON comparison', () => {
  it('parses pure, fenced and wrapped JSON and says which', () => {
    expect(parseJsonOutput('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonOutput('```json\n{"a":1}\n```')).toMatchObject({ ok: true, note: 'fenced' });
    expect(parseJsonOutput('Here you go: {"a":1}')).toMatchObject({ ok: true, note: 'extracted' });
    expect(parseJsonOutput('nope').ok).toBe(false);
  });
  it('measures key and value agreement; scalar arrays are order-insensitive', () => {
    expect(compareJson({ a: 1, b: ['x', 'y'] }, { b: ['Y', 'x'], a: 1 })).toMatchObject({ agreement: 1, sameKeys: true });
    const c = compareJson({ a: 1, b: 'x', c: true }, { a: 2, b: 'x', d: true });
    expect(c.agreement).toBeCloseTo(1 / 4);
    expect(c.missingKeys).toEqual(['$.c']);
    // Free-text fields get partial credit; short ones must match.
    const partial = compareJson({ summary: 'The router drops Wi-Fi every evening', id: 'A1' }, { summary: 'Router drops the Wi-Fi each evening', id: 'A1' });
    expect(partial.agreement).toBeGreaterThan(0.75);
    expect(partial.agreement).toBeLessThan(1);
    expect(compareJson({ city: 'Paris' }, { city: 'Lyon' }).agreement).toBe(0);
    expect(c.extraKeys).toEqual(['$.d']);
  });
  it('fails a schema violation and a fenced candidate, passes agreement', () => {
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: 'x' }],
      response_format: { type: 'json_schema' as const, json_schema: { name: 's', schema: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } } } },
    };
    const fx = { body, expectations: [] };
    const ok = comparePrompt(fx, 'json', side(completion('{"n":1}')), side(completion('{"n":1}')), th);
    expect(ok.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(ok.map((c) => c.name)).toEqual(expect.arrayContaining(['json.valid', 'json.schema', 'json.keys', 'json.values']));
    const bad = comparePrompt(fx, 'json', side(completion('{"n":1}')), side(completion('{"n":"one"}')), th);
    expect(bad.find((c) => c.name === 'json.schema')?.status).toBe('fail');
    const fenced = comparePrompt(fx, 'json', side(completion('{"n":1}')), side(completion('```json\n{"n":1}\n```')), th);
    expect(fenced.find((c) => c.name === 'json.valid')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/code fence/) });
  });
});

describe('tool-call comparison', () => {
  const call = (name: string, args: object) => ({ name, arguments: JSON.stringify(args) });
  it('is order-insensitive for parallel calls and checks argument agreement', () => {
    const base = completion(null, { tool_calls: [call('get_weather', { city: 'Paris' }), call('get_time', { city: 'Paris' })] });
    const cand = completion(null, { tool_calls: [call('get_time', { city: 'paris' }), call('get_weather', { city: 'Paris' })] });
    const checks = compareTools(toolBody, base, cand, th);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['tools.arguments.valid', 'pass'],
      ['tools.names', 'pass'],
      ['tools.arguments.agreement', 'pass'],
    ]);
  });
  it('fails different names, schema-invalid arguments and a text answer', () => {
    const base = completion(null, { tool_calls: [call('get_weather', { city: 'Paris' })] });
    expect(compareTools(toolBody, base, completion(null, { tool_calls: [call('get_time', { city: 'Paris' })] }), th).find((c) => c.name === 'tools.names')?.status).toBe('fail');
    const invalid = compareTools(toolBody, base, completion(null, { tool_calls: [call('get_weather', { town: 'Paris' })] }), th);
    expect(invalid.find((c) => c.name === 'tools.arguments.valid')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/city/) });
    const text = compareTools(toolBody, base, completion('It is sunny.'), th);
    expect(text.find((c) => c.name === 'tools.names')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/answered in text/) });
    const differentArgs = compareTools(toolBody, base, completion(null, { tool_calls: [call('get_weather', { city: 'Lyon' })] }), th);
    expect(differentArgs.find((c) => c.name === 'tools.arguments.agreement')).toMatchObject({ status: 'fail', score: 0 });
  });
});

describe('prompt comparison', () => {
  const body: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Classify: positive or negative?' }] };
  it('infers the kind from the request, then short baseline answers become classification', () => {
    expect(inferKind({ body: toolBody, expectations: [], tags: [], metadata: {} })).toBe('tools');
    expect(inferKind({ body: { ...body, response_format: { type: 'json_object' } }, expectations: [], tags: [], metadata: {} })).toBe('json');
    expect(inferKind({ body, expectations: [{ type: 'is-json' }], tags: [], metadata: {} })).toBe('json');
    expect(inferKind({ body, expectations: [], tags: [], metadata: {} })).toBe('text');
    expect(effectiveKind('text', side(completion('Positive.')), {}, th)).toBe('classification');
    expect(effectiveKind('text', side(completion('This is a long free text answer with many words.')), {}, th)).toBe('text');
  });
  it('classification: normalised exact match', () => {
    expect(comparePrompt({ body, expectations: [] }, 'classification', side(completion('Positive')), side(completion('positive.')), th)[0]).toMatchObject({ name: 'classification.match', status: 'pass' });
    expect(comparePrompt({ body, expectations: [] }, 'classification', side(completion('Positive')), side(completion('Negative')), th)[0]).toMatchObject({ status: 'fail' });
    expect(comparePrompt({ body, expectations: [] }, 'classification', side(completion('Positive')), side(completion('The sentiment is positive.')), th)[0]).toMatchObject({ status: 'warn', reason: expect.stringMatching(/verbatim/) });
  });
  it('free text: similarity warns below threshold; refusal, finish reason and length are reported', () => {
    const long = 'Paris is the capital of France and its largest city, known for the Eiffel Tower.';
    const checks = comparePrompt({ body, expectations: [] }, 'text', side(completion(long)), side(completion("I'm sorry, but I can't help with that.", { finish: 'length' })), th);
    const by = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(by['text.similarity']?.status).toBe('warn');
    expect(by.refusal?.status).toBe('fail');
    expect(by.finish_reason).toMatchObject({ status: 'warn', reason: expect.stringMatching(/token limit/) });
    expect(by['length.ratio']?.status).toBe('pass');
  });
  it('a candidate error fails; a baseline error warns', () => {
    expect(comparePrompt({ body, expectations: [] }, 'text', side(completion('x')), side(undefined, { ok: false, error: { status: 400, message: 'bad param' } }), th)[0]).toMatchObject({ name: 'candidate.error', status: 'fail', reason: expect.stringMatching(/HTTP 400/) });
    expect(comparePrompt({ body, expectations: [] }, 'text', side(undefined, { ok: false, error: { message: 'boom' } }), side(completion('x')), th)[0]).toMatchObject({ name: 'baseline.error', status: 'warn' });
  });
});

describe('expectations', () => {
  const body: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], tools: [weatherTool] };
  it('checks every type on both sides; a failure shared with the baseline only warns', () => {
    const exps = normaliseExpectations({
      equals: 'paris',
      contains: ['Paris'],
      regex: '^Par',
      'max-latency-ms': 50,
      'max-cost': 0.001,
      similar: 0.9,
    });
    const base = side(completion('Paris'), { totalMs: 10, costUsd: 0.0001 });
    const cand = side(completion('Paris!'), { totalMs: 80, costUsd: 0.01 });
    const by = Object.fromEntries(checkExpectations(exps, body, base, cand).map((c) => [c.name, c.status]));
    expect(by).toEqual({ 'expect.equals': 'pass', 'expect.contains': 'pass', 'expect.regex': 'pass', 'expect.max-latency-ms': 'fail', 'expect.max-cost': 'fail', 'expect.similar': 'pass' });
    const shared = checkExpectations(normaliseExpectations({ contains: 'Lyon' }), body, base, cand)[0];
    expect(shared).toMatchObject({ status: 'warn', reason: expect.stringMatching(/baseline fails too/) });
    const recorded = checkExpectations(normaliseExpectations({ 'max-latency-ms': 1 }), body, base, { ...cand, latencyRecorded: true })[0];
    expect(recorded).toMatchObject({ status: 'pass', reason: expect.stringMatching(/recorded/) });
  });
  it('is-json, json-schema and tool-call', () => {
    const exps = normaliseExpectations([
      { type: 'is-json' },
      { type: 'json-schema', value: { type: 'object', required: ['a'] } },
    ]);
    expect(checkExpectations(exps, body, undefined, side(completion('{"a":1}'))).map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(checkExpectations(exps, body, undefined, side(completion('{"b":1}'))).map((c) => c.status)).toEqual(['pass', 'fail']);
    const tc = normaliseExpectations({ 'tool-call': { name: 'get_weather', arguments: { type: 'object', required: ['city'] } } });
    expect(checkExpectations(tc, body, undefined, side(completion(null, { tool_calls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] })))[0]?.status).toBe('pass');
    expect(checkExpectations(tc, body, undefined, side(completion(null, { tool_calls: [{ name: 'get_weather', arguments: '{}' }] })))[0]?.status).toBe('fail');
  });
});

describe('Nova differences', () => {
  it('flags what Nova ignores or rewrites and explains the checks they affect', () => {
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: 'x' }],
      seed: 1,
      n: 2,
      presence_penalty: 0.5,
      logprobs: true,
      temperature: 1.5,
      response_format: { type: 'json_object' as const },
    } as ChatCompletionCreateParams;
    const diffs = staticDiffs(body);
    expect(diffs.map((d) => [d.param, d.effect])).toEqual([
      ['n', 'rejected'],
      ['logprobs', 'rejected'],
      ['seed', 'ignored'],
      ['presence_penalty', 'ignored'],
      ['response_format', 'emulated'],
      ['temperature', 'rewritten'],
    ]);
    const fromHeaders = headerDiffs({ 'x-nova-ignored-params': 'seed, logit_bias', 'x-nova-adjusted-params': 'temperature' });
    expect(fromHeaders.map((d) => `${d.param}:${d.effect}:${d.source}`)).toEqual(['seed:ignored:proxy-header', 'logit_bias:ignored:proxy-header', 'temperature:rewritten:proxy-header']);
    const merged = mergeDiffs(diffs, fromHeaders);
    expect(merged.filter((d) => d.param === 'seed')).toHaveLength(1);
    const explained = explainChecks(
      [
        { name: 'candidate.error', status: 'fail', reason: 'candidate call failed (HTTP 400)' },
        { name: 'text.similarity', status: 'warn', reason: 'low' },
        { name: 'json.valid', status: 'fail', reason: 'not JSON' },
        { name: 'classification.match', status: 'fail', reason: 'differs' },
      ],
      merged,
    );
    expect(explained[0]).toMatchObject({ explainedBy: 'n', status: 'fail', reason: expect.stringMatching(/rejects `n`/) });
    expect(explained[1]).toMatchObject({ explainedBy: 'presence_penalty', reason: expect.stringMatching(/not counted as a model-parity failure/) });
    expect(explained[2]).toMatchObject({ explainedBy: 'response_format', status: 'fail', reason: expect.stringMatching(/emulated/) });
    expect(explained[3]).toMatchObject({ status: 'warn', explainedBy: 'logit_bias' });
  });
});

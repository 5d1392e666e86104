import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { countTokens, exampleFromSchema, synthesize } from '../../mock/synthetic.js';
import type { JsonSchema, SyntheticRequest } from '../../mock/synthetic.js';

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);

const base: SyntheticRequest = { system: '', lastUserText: '', hasImage: false, tools: [], toolChoice: 'auto', lastMessageIsToolResult: false };
const req = (extra: Partial<SyntheticRequest>): SyntheticRequest => ({ ...base, ...extra });
const text = (r: SyntheticRequest, flavor: 'gpt' | 'nova'): string => {
  const a = synthesize(r, flavor);
  if (a.kind !== 'text') throw new Error(`expected text, got ${JSON.stringify(a)}`);
  return a.text;
};

const weather = { name: 'get_weather', schema: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] } };
const stocks = { name: 'getStockPrice', schema: { type: 'object', properties: { ticker: { type: 'string', pattern: '^[A-Z]{1,5}$' } }, required: ['ticker'] } };

describe('exampleFromSchema', () => {
  const schemas: Record<string, JsonSchema> = {
    flat: { type: 'object', properties: { name: { type: 'string', minLength: 3, maxLength: 5 }, age: { type: 'integer', minimum: 18, maximum: 20 }, ok: { type: 'boolean' } }, required: ['name', 'age'], additionalProperties: false },
    formats: { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, day: { type: 'string', format: 'date' }, mail: { type: 'string', format: 'email' }, site: { type: 'string', format: 'uri' }, id: { type: 'string', format: 'uuid' } } },
    arrays: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' }, minItems: 3, uniqueItems: true }, pair: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'string' }] } }, required: ['tags'] },
    enums: { type: 'object', properties: { color: { enum: ['red', 'green'] }, kind: { const: 'fixed' }, mode: { type: 'string', enum: ['a', 'b'] } }, required: ['color', 'kind'] },
    numbers: { type: 'object', properties: { p: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, step: { type: 'integer', multipleOf: 5, minimum: 7 } } },
    nullable: { type: 'object', properties: { note: { type: ['string', 'null'] }, alt: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 3 }] } }, required: ['note', 'alt'] },
    refs: { $defs: { Node: { type: 'object', properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } }, required: ['value'] } }, $ref: '#/$defs/Node' },
    allOf: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'integer' } }, required: ['b'] }] },
    pattern: { type: 'object', properties: { code: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{3}$' }, hex: { type: 'string', pattern: '^#[0-9a-f]{6}$' } }, required: ['code', 'hex'] },
    nested: { type: 'object', properties: { person: { type: 'object', properties: { address: { type: 'object', properties: { zip: { type: 'string', minLength: 5 } }, required: ['zip'] } }, required: ['address'] } }, required: ['person'] },
  };

  it.each(Object.entries(schemas))('produces an instance valid against %s', (_name, schema) => {
    const value = exampleFromSchema(schema);
    const valid = ajv.validate(schema, value);
    expect(ajv.errors ?? [], JSON.stringify(value)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('fills enums, consts and required members', () => {
    expect(exampleFromSchema(schemas.enums!)).toEqual({ color: 'red', kind: 'fixed', mode: 'a' });
    expect((exampleFromSchema(schemas.arrays!) as { tags: string[] }).tags).toHaveLength(3);
  });
});

describe('synthesize', () => {
  it('is deterministic and makes the same decisions in both flavors', () => {
    const r = req({ lastUserText: 'Explain how vaccines train the immune system to recognise viruses.' });
    expect(synthesize(r, 'nova')).toEqual(synthesize(r, 'nova'));
    const gpt = text(r, 'gpt');
    const nova = text(r, 'nova');
    expect(gpt).not.toBe(nova);
    for (const w of ['vaccines', 'immune', 'viruses']) {
      expect(gpt).toContain(w);
      expect(nova).toContain(w);
    }
    // High but not perfect word overlap.
    const a = new Set(gpt.toLowerCase().split(/\W+/));
    const b = new Set(nova.toLowerCase().split(/\W+/));
    const jaccard = [...a].filter((w) => b.has(w)).length / new Set([...a, ...b]).size;
    expect(jaccard).toBeGreaterThan(0.6);
    expect(jaccard).toBeLessThan(1);
  });

  it('calls a tool the user mentions, with arguments from the user text', () => {
    const r = req({ lastUserText: "What's the weather like in New York today, in fahrenheit?", tools: [weather, stocks] });
    const answer = synthesize(r, 'nova');
    expect(answer).toEqual({ kind: 'tool_calls', calls: [{ name: 'get_weather', input: { location: 'New York', unit: 'fahrenheit' } }] });
    expect(synthesize(r, 'gpt')).toEqual(answer);
    const s = synthesize(req({ lastUserText: 'What is the stock price of ACME?', tools: [weather, stocks] }), 'gpt');
    expect(s.kind === 'tool_calls' && s.calls[0]!.name).toBe('getStockPrice');
    expect(s.kind === 'tool_calls' && ajv.validate(stocks.schema, s.calls[0]!.input)).toBe(true);
  });

  it('follows tool choice', () => {
    const unrelated = 'Tell me a joke about cats';
    expect(synthesize(req({ lastUserText: unrelated, tools: [weather] }), 'gpt').kind).toBe('text');
    expect(synthesize(req({ lastUserText: unrelated, tools: [weather], toolChoice: 'any' }), 'gpt')).toMatchObject({ kind: 'tool_calls', calls: [{ name: 'get_weather' }] });
    expect(synthesize(req({ lastUserText: unrelated, tools: [weather, stocks], toolChoice: { name: 'getStockPrice' } }), 'gpt')).toMatchObject({ calls: [{ name: 'getStockPrice' }] });
    expect(synthesize(req({ lastUserText: 'weather in Rome?', tools: [weather], toolChoice: 'none' }), 'gpt').kind).toBe('text');
  });

  it('answers from the tool result instead of calling the tool again', () => {
    const r = req({ lastUserText: 'weather in Rome?', tools: [weather], lastMessageIsToolResult: true, toolResultText: '{"temperature":18}' });
    expect(text(r, 'gpt')).toContain('{"temperature":18}');
    expect(text(r, 'nova')).toContain('{"temperature":18}');
  });

  it('returns one label for classification prompts', () => {
    const system = 'Classify the customer review. Answer with exactly one of: positive, negative, neutral.';
    expect(text(req({ system, lastUserText: 'I love it, the battery is excellent and shipping was fast.' }), 'gpt')).toBe('positive');
    expect(text(req({ system, lastUserText: 'Terrible. It arrived broken and support was rude.' }), 'nova')).toBe('negative');
    const topic = req({ lastUserText: 'Which category fits this ticket: "billing", "shipping" or "technical"? Ticket: my invoice shows a double charge on billing.' });
    expect(text(topic, 'gpt')).toBe('billing');
    expect(text(topic, 'nova')).toBe('billing');
  });

  it('returns JSON for structured output', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 0 } }, required: ['city', 'population'], additionalProperties: false };
    const r = req({ lastUserText: 'Give me facts about Lisbon', jsonSchema: schema });
    const gpt = JSON.parse(text(r, 'gpt'));
    expect(ajv.validate(schema, gpt)).toBe(true);
    expect(gpt.city).toBe('Lisbon');
    expect(text(r, 'nova')).toBe(text(r, 'gpt'));
    const obj = JSON.parse(text(req({ lastUserText: 'Reply in JSON with keys title and year for the movie Casablanca', jsonObject: true }), 'nova'));
    expect(Object.keys(obj)).toEqual(['title', 'year']);
  });

  it('summarises shorter than the input', () => {
    const article = 'The city council met on Tuesday to discuss the new bicycle lanes. Residents raised concerns about parking. The mayor promised a review within a month. Shop owners asked for loading zones. The plan will be voted on next week. '.repeat(3);
    const out = text(req({ lastUserText: `Summarize the following article:\n${article}` }), 'nova');
    expect(out.length).toBeLessThan(article.length / 2);
    expect(out).toMatch(/council/);
  });

  it('keeps the stop sequence for Nova and drops it for GPT', () => {
    const r = req({ lastUserText: 'Tell me about dogs and cats', stop: ['points'] });
    const nova = synthesize(r, 'nova');
    const gpt = synthesize(r, 'gpt');
    expect(nova).toMatchObject({ stopReason: 'stop_sequence', matchedStop: 'points' });
    expect(nova.kind === 'text' && nova.text.endsWith('points')).toBe(true);
    expect(gpt.kind === 'text' && gpt.text.endsWith('main ')).toBe(true);
  });

  it('truncates at maxTokens', () => {
    const a = synthesize(req({ lastUserText: 'Describe the solar system in detail', maxTokens: 3 }), 'gpt');
    expect(a).toMatchObject({ kind: 'text', stopReason: 'max_tokens' });
    expect(a.kind === 'text' && countTokens(a.text)).toBeLessThanOrEqual(3);
  });

  it('counts about one token per four characters', () => {
    expect(countTokens('')).toBe(1);
    expect(countTokens('abcd')).toBe(1);
    expect(countTokens('abcde')).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { charNgramCosine, rougeL, textSimilarity, tokenF1 } from '../../harness/compare/text.js';
import { looksLikeRefusal } from '../../harness/compare/refusal.js';
import { compareJsonValues, describeDiff, parseJsonOutput } from '../../harness/compare/json.js';
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
  it('detects blunt and soft refusals, not answers that merely contain "can\'t"', () => {
    for (const r of [
      "I'm sorry, but I can't help with that.",
      "I'm not able to provide dosing information.",
      "I'm not in a position to compare prices.",
      'Unfortunately, I cannot assist with medical questions.',
      'That would go against our usage policies, so I must decline.',
      'We are unable to share prescription information here.',
    ]) {
      expect(looksLikeRefusal(r), r).toBe(true);
    }
    for (const a of ['Sure, here is the answer.', "You can't use await there; use a callback.", "As an AI I don't have opinions, but generics work the same."]) {
      expect(looksLikeRefusal(a), a).toBe(false);
    }
  });
  it('tells a caveat before an answer from a refusal that hands the question on', () => {
    expect(looksLikeRefusal("I can't give legal advice, but under our card terms you have 120 days to dispute a payment.")).toBe(false);
    expect(looksLikeRefusal("I can't share that, but our support team can walk you through it.")).toBe(true);
    expect(looksLikeRefusal("That's outside what I can help with here, but you could ask your bank.")).toBe(true);
    expect(looksLikeRefusal('That is beyond the scope of this assistant.')).toBe(true);
    expect(looksLikeRefusal("I'm not comfortable helping with extracting secrets.")).toBe(true);
    expect(looksLikeRefusal("I'm sorry, but I can't help with that, but I can suggest some alternatives.")).toBe(true);
    expect(looksLikeRefusal("I can't give legal advice, but I can tell you the deadline in our terms is 120 days.")).toBe(false);
  });
});

describe('JSON comparison', () => {
  it('parses pure, fenced and wrapped JSON and says which', () => {
    expect(parseJsonOutput('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonOutput('```json\n{"a":1}\n```')).toMatchObject({ ok: true, note: 'fenced' });
    expect(parseJsonOutput('Here you go: {"a":1}')).toMatchObject({ ok: true, note: 'extracted' });
    expect(parseJsonOutput('nope').ok).toBe(false);
  });
  it('compares leaf by leaf: one differing value out of five fails and is named with both values', () => {
    const b = { a: 1, b: 'x', c: true, d: 4, e: 'y' };
    const r = compareJsonValues(b, { ...b, c: false });
    expect(r.agreement).toBeCloseTo(0.8);
    expect(r.diffs).toEqual([{ path: '$.c', kind: 'value', status: 'fail', baseline: true, candidate: false }]);
    expect(describeDiff(r.diffs[0]!)).toBe('$.c: true → false');
    // Normalisation: key order, number notation, whitespace; scalar arrays order-insensitive.
    expect(compareJsonValues({ a: 1250.5, b: ['x', 'y'], s: 'Northwind  Traders' }, { s: ' Northwind Traders', b: ['y', 'x'], a: 1.2505e3 }).diffs).toEqual([]);
    // Case matters unless configured; a missing key fails, an extra key warns.
    expect(compareJsonValues({ city: 'Paris' }, { city: 'paris' }).diffs[0]).toMatchObject({ status: 'fail', note: expect.stringMatching(/case only/) });
    expect(compareJsonValues({ city: 'Paris' }, { city: 'paris' }, { options: { case: 'insensitive' } }).diffs).toEqual([]);
    // The same amount or date as another JSON type or format breaks the code reading it.
    expect(compareJsonValues({ quantity: 3 }, { quantity: '3' }).diffs[0]).toMatchObject({ status: 'fail', kind: 'type' });
    expect(compareJsonValues({ rate: 129.5 }, { rate: '129.50 USD' }).diffs[0]?.status).toBe('fail');
    expect(compareJsonValues({ day: '2026-03-01' }, { day: 'March 1, 2026' }).diffs[0]).toMatchObject({ status: 'fail', note: expect.stringMatching(/another format/) });
    expect(compareJsonValues({ total: '1,250.50' }, { total: '1250.5' }).diffs).toEqual([]);
    // A short string under a key that names prose is compared as prose; elsewhere it is a value.
    expect(compareJsonValues({ reason: 'item arrived broken' }, { reason: 'Item was broken on arrival' }).diffs.filter((d) => d.status === 'fail')).toEqual([]);
    expect(compareJsonValues({ reason: 'item arrived 3 days late' }, { reason: 'Item arrived 5 days late' }).diffs[0]?.status).toBe('fail');
    expect(compareJsonValues({ venue: 'Main Hall North' }, { venue: 'main hall, north side' }).diffs[0]?.status).toBe('fail');
    expect(compareJsonValues({ a: 1, b: 2 }, { a: 1, c: 3 }).diffs.map((d) => [d.path, d.kind, d.status])).toEqual([
      ['$.b', 'missing', 'fail'],
      ['$.c', 'extra', 'warn'],
    ]);
  });
  it('applies tolerances, ignored paths, free-text fields and ordered paths', () => {
    expect(compareJsonValues({ x: 12.345 }, { x: 12.35 }, { options: { numeric: 0.01 } }).diffs).toEqual([]);
    expect(compareJsonValues({ x: 100 }, { x: 101 }, { options: { paths: { '$.x': { numeric: '2%' } } } }).diffs).toEqual([]);
    expect(compareJsonValues({ x: 100 }, { x: 103 }, { options: { paths: { '$.x': { numeric: '2%' } } } }).diffs[0]?.status).toBe('fail');
    expect(compareJsonValues({ id: 'a', items: [{ id: 'x', n: 1 }] }, { id: 'b', items: [{ id: 'y', n: 1 }] }, { options: { ignore: ['$.id', '$.items[*].id'] } }).diffs).toEqual([]);
    const summary = { summary: 'Exporting a report with more than 500 rows crashes the app.' };
    expect(compareJsonValues(summary, { summary: 'The app crashes when a report with over 500 rows is exported.' }).diffs).toEqual([]);
    expect(compareJsonValues(summary, { summary: 'Exporting a report with more than 50 rows crashes the app.' }).diffs[0]).toMatchObject({ kind: 'text', status: 'fail', note: expect.stringMatching(/"500" → "50"/) });
    expect(compareJsonValues(summary, { summary: 'The app crashes when a report with over 500 rows is exported.' }, { options: { paths: { '$.summary': { text: 'exact' } } } }).diffs[0]?.status).toBe('fail');
    expect(compareJsonValues({ r: ['a', 'b'] }, { r: ['b', 'a'] }).diffs).toEqual([]);
    expect(compareJsonValues({ r: ['a', 'b'] }, { r: ['b', 'a'] }, { options: { paths: { '$.r': { order: 'strict' } } } }).diffs[0]?.status).toBe('fail');
  });
  it('matches arrays of objects by best assignment and names the element that differs', () => {
    const b = { items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }] };
    expect(compareJsonValues(b, { items: [{ sku: 'B', qty: 1 }, { sku: 'A', qty: 2 }] }).diffs).toEqual([]);
    expect(compareJsonValues(b, { items: [{ sku: 'B', qty: 1 }, { sku: 'A', qty: 3 }] }).diffs.map(describeDiff)).toEqual(['$.items[0].qty: 2 → 3']);
    expect(compareJsonValues(b, { items: [...b.items, { sku: 'C', qty: 1 }] }).diffs[0]).toMatchObject({ kind: 'element', status: 'fail' });
  });
  it('fails a schema violation and a fenced candidate, passes the same object', () => {
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
    const wrong = comparePrompt(fx, 'json', side(completion('{"n":1,"a":"x","b":"y","c":"z","d":"w"}')), side(completion('{"n":2,"a":"x","b":"y","c":"z","d":"w"}')), th);
    expect(wrong.find((c) => c.name === 'json.values')).toMatchObject({ status: 'fail', score: 0.8, reason: expect.stringMatching(/\$\.n: 1 → 2/) });
  });
});

describe('tool-call comparison', () => {
  const call = (name: string, args: object | string) => ({ name, arguments: typeof args === 'string' ? args : JSON.stringify(args) });
  it('matches parallel calls by best assignment, in any order', () => {
    const base = completion(null, { tool_calls: [call('get_weather', { city: 'Paris' }), call('get_weather', { city: 'London' }), call('get_time', { city: 'Paris' })] });
    const cand = completion(null, { tool_calls: [call('get_time', { city: 'Paris' }), call('get_weather', { city: 'London' }), call('get_weather', { city: 'Paris' })] });
    expect(compareTools(toolBody, base, cand).map((c) => [c.name, c.status])).toEqual([
      ['tools.arguments.valid', 'pass'],
      ['tools.names', 'pass'],
      ['tools.arguments', 'pass'],
    ]);
  });
  it('fails a wrong tool, a missing call, an extra call, a differing or extra argument and a text answer', () => {
    const base = completion(null, { tool_calls: [call('get_weather', { city: 'Paris' })] });
    const by = (cand: ReturnType<typeof completion>) => Object.fromEntries(compareTools(toolBody, base, cand).map((c) => [c.name, c]));
    expect(by(completion(null, { tool_calls: [call('get_time', { city: 'Paris' })] }))['tools.names']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/instead called get_time/) });
    expect(by(completion(null, { tool_calls: [call('get_weather', { city: 'Paris' }), call('get_weather', { city: 'Berlin' })] }))['tools.names']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/also called get_weather\(\{"city":"Berlin"\}\)/) });
    expect(by(completion(null, { tool_calls: [call('get_weather', { city: 'Paris' }), call('get_weather', { city: 'Paris' })] }))['tools.names']?.status).toBe('warn');
    expect(by(completion(null, { tool_calls: [call('get_weather', { city: 'Lyon' })] }))['tools.arguments']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/get_weather \$\.city: "Paris" → "Lyon"/) });
    expect(by(completion(null, { tool_calls: [call('get_weather', { city: 'Paris', unit: 'c' })] }))['tools.arguments']?.status).toBe('fail');
    expect(by(completion(null, { tool_calls: [call('get_weather', { town: 'Paris' })] }))['tools.arguments.valid']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/city/) });
    expect(by(completion('It is sunny.'))['tools.names']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/answered in text/) });
    const missing = compareTools(toolBody, completion(null, { tool_calls: [call('get_weather', { city: 'Paris' }), call('get_time', { city: 'Paris' })] }), completion(null, { tool_calls: [call('get_weather', { city: 'Paris' })] }));
    expect(missing.find((c) => c.name === 'tools.names')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/did not call get_time/) });
  });
});

describe('JSON and tool arguments (holdout-4 fixes)', () => {
  const diffs = (b: unknown, c: unknown, schema?: unknown, extraKeys?: 'warn' | 'fail') => compareJsonValues(b, c, { schema, extraKeys }).diffs.map((d) => [d.path, d.status]);
  it('null for an optional nullable argument is the argument left out; for a non-nullable one it is an extra value', () => {
    const schema = { type: 'object', properties: { q: { type: 'string' }, brand: { type: ['string', 'null'] }, tag: { anyOf: [{ type: 'string' }, { type: 'null' }] }, category: { type: 'string', enum: ['a', 'b'] } }, required: ['q'] };
    expect(diffs({ q: 'shoes' }, { q: 'shoes', brand: null, tag: null }, schema, 'fail')).toEqual([]);
    expect(diffs({ q: 'shoes' }, { q: 'shoes', category: null }, schema, 'fail')).toEqual([['$.category', 'fail']]);
  });
  it('a self-reported confidence within 0.1 warns; another scale or a real drop fails', () => {
    expect(diffs({ intent: 'cancel', confidence: 0.92 }, { intent: 'cancel', confidence: 0.88 })).toEqual([['$.confidence', 'warn']]);
    expect(diffs({ intent: 'cancel', confidence: 0.92 }, { intent: 'cancel', confidence: 0.31 })).toEqual([['$.confidence', 'fail']]);
    expect(diffs({ intent: 'cancel', confidence: 0.92 }, { intent: 'cancel', confidence: 92 })).toEqual([['$.confidence', 'fail']]);
    expect(diffs({ total: 0.92 }, { total: 0.88 })).toEqual([['$.total', 'fail']]);
  });
  it('case alone differs: a warning in a prose field, a failure in a value field', () => {
    expect(diffs({ lines: [{ sku: 'kx-1', description: 'stapler' }] }, { lines: [{ sku: 'kx-1', description: 'Stapler' }] })).toEqual([['$.lines[0].description', 'warn']]);
    expect(diffs({ carrier: 'UPS' }, { carrier: 'ups' })).toEqual([['$.carrier', 'fail']]);
  });
});

describe('prompt comparison', () => {
  const body: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Classify: positive or negative?' }] };
  it('infers the kind from the request, then short baseline answers become short answers', () => {
    expect(inferKind({ body: toolBody, expectations: [], tags: [], metadata: {} })).toBe('tools');
    expect(inferKind({ body: { ...body, response_format: { type: 'json_object' } }, expectations: [], tags: [], metadata: {} })).toBe('json');
    expect(inferKind({ body, expectations: [{ type: 'is-json' }], tags: [], metadata: {} })).toBe('json');
    expect(inferKind({ body: { ...body, messages: [{ role: 'user', content: 'Explain ETags.' }] }, expectations: [], tags: [], metadata: {} })).toBe('text');
    // The request decides: a list of allowed labels or "answer with only …" makes it a label.
    expect(inferKind({ body, expectations: [], tags: [], metadata: {} })).toBe('classification');
    expect(inferKind({ body: { ...body, messages: [{ role: 'system', content: 'Answer with only the number.' }, { role: 'user', content: 'How many?' }] }, expectations: [] })).toBe('classification');
    // A question that merely offers two options is not a labelling task.
    expect(inferKind({ body: { ...body, messages: [{ role: 'user', content: 'Should I use REST or GraphQL?' }] }, expectations: [] })).toBe('text');
    expect(effectiveKind('text', side(completion('Positive.')), {}, th)).toBe('classification');
    expect(effectiveKind('text', side(completion('This is a long free text answer with many words.')), {}, th)).toBe('text');
  });
  it('labels: normalised match, allowed labels from the request, bare answers where demanded', () => {
    const labelled: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'system', content: 'Answer with one of positive, negative, neutral. Answer with the label only.' }, { role: 'user', content: 'Great kettle.' }] };
    const cmp = (b: string, c: string, bd = labelled) => comparePrompt({ body: bd, expectations: [] }, 'classification', side(completion(b)), side(completion(c)), th);
    // The same label, formatted: it matches; where the bare label was demanded the format warns (code comparing verbatim would miss it).
    const bold = cmp('positive', '**Positive.**');
    expect(bold.find((c) => c.name === 'classification.match')?.status).toBe('pass');
    expect(bold.find((c) => c.name === 'classification.format')).toMatchObject({ status: 'warn' });
    expect(cmp('positive', 'Positive.').every((c) => c.status === 'pass')).toBe(true);
    expect(cmp('positive', '`positive`').find((c) => c.name === 'classification.format')?.status).toBe('warn');
    const unasked: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Is this review positive, negative or neutral? Great kettle.' }] };
    expect(cmp('positive', '**Positive**', unasked).every((c) => c.status === 'pass')).toBe(true);
    expect(cmp('positive', 'negative')[0]).toMatchObject({ status: 'fail', reason: 'baseline "positive" vs candidate "negative"' });
    expect(cmp('positive', 'The sentiment is positive.').find((c) => c.name === 'classification.format')?.status).toBe('fail');
    expect(cmp('positive', 'very positive')[0]?.status).toBe('fail');
    const number: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'What is the total? Answer with only the amount.' }] };
    expect(cmp('1,250.50', '1250.5', number).every((c) => c.status === 'pass')).toBe(true);
    expect(cmp('1,250.50', 'The total is 1250.5', number).some((c) => c.status === 'fail')).toBe(true);
    expect(cmp('2', 'two', number)[0]?.status).toBe('fail');
    // The label spelled with other separators is not the label code matches on; case alone is.
    const intents: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'system', content: 'Classify as one of: refund, track_order, cancel_order. Reply with the intent only.' }, { role: 'user', content: 'Where is my parcel?' }] };
    expect(cmp('track_order', 'track-order', intents)[0]?.status).toBe('fail');
    expect(cmp('track_order', 'TRACK_ORDER', intents).every((c) => c.status === 'pass')).toBe(true);
    expect(cmp('track_order', 'track_order — the user asks about a parcel.', intents).some((c) => c.status === 'fail')).toBe(true);
    // Yes/no given as a short sentence where the bare word was not demanded: the same answer, with a warning.
    const yesNo: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Is the invoice overdue? Answer yes or no.' }] };
    expect(cmp('No.', 'No, it is not overdue.', yesNo)[0]?.status).toBe('warn');
    expect(cmp('No.', 'Yes, it is overdue.', yesNo)[0]?.status).toBe('fail');
    // Not demanded bare: surrounding words are normalised away.
    expect(cmp('42', 'The answer is 42.', body).every((c) => c.status === 'pass')).toBe(true);
    expect(cmp('- red\n- blue', '1. Blue\n2. Red', body)[0]?.status).toBe('pass');
    expect(cmp('- red\n- blue', 'red, green', body)[0]?.status).toBe('fail');
  });
  it('free text: similarity only warns; a changed fact, a refusal or a cut-off answer fails', () => {
    const text: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Tell me about Paris.' }] };
    const long = 'Paris is the capital of France and its largest city, with about 2.1 million residents.';
    const run = (c: string, extra: Parameters<typeof completion>[1] = {}) => Object.fromEntries(comparePrompt({ body: text, expectations: [] }, 'text', side(completion(long)), side(completion(c, extra)), th).map((x) => [x.name, x]));
    expect(run('France’s capital, and largest city, is Paris, home to about 2.1 million people.')['facts.numbers']?.status).toBe('pass');
    expect(run('Paris is the capital of France and its largest city, with about 1.2 million residents.')['facts.numbers']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/"2\.1 million" → "1\.2 million"/) });
    const refused = run("I'm sorry, but I can't help with that.");
    expect(refused.refusal?.status).toBe('fail');
    expect(run('Paris is the capital of France and its largest city, with about', { finish: 'length' }).truncation).toMatchObject({ status: 'fail', reason: expect.stringMatching(/token limit/) });
    expect(run('Paris is not the capital of France and its largest city, with about 2.1 million residents.')['facts.polarity']?.status).toBe('fail');
  });
  it('free text: a look-alike in place of a name or flag, a flip hidden by a decimal or an antonym verb, "avoid" as a negation', () => {
    const text: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Question?' }] };
    const run = (b: string, c: string) => Object.fromEntries(comparePrompt({ body: text, expectations: [] }, 'text', side(completion(b)), side(completion(c)), th).map((x) => [x.name, x]));
    expect(run('Use git push --force-with-lease after a rebase.', 'Use git push --force after a rebase.')['facts.entities']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/"--force-with-lease" → "--force"/) });
    expect(run('Priya Nair rolled the config back at 02:55.', 'Priya Shah rolled the config back at 02:55.')['facts.entities']?.status).toBe('fail');
    expect(run('Priya Nair rolled the config back at 02:55.', 'At 02:55 Nair rolled the config back.')['facts.entities']?.status).not.toBe('fail');
    expect(run('Priya Nair rolled the config back at 02:55.', 'Priya N. rolled the config back at 02:55.')['facts.entities']?.status).not.toBe('fail');
    expect(run('Acme Corporation signed the contract on Monday.', 'Acme Corp signed the contract on Monday.')['facts.entities']?.status).not.toBe('fail');
    // "release/2.3;" once cut the clause at the decimal, so the negated clause never aligned.
    expect(run('Yes, you can safely delete release/2.3; it is merged.', "You shouldn't delete release/2.3 yet; it is merged.")['facts.polarity']?.status).toBe('fail');
    expect(run('Read committed is weaker than serializable.', 'Read committed is stronger than serializable.')['facts.polarity']?.status).toBe('fail');
    expect(run("Don't commit the .env file; add it to .gitignore.", 'Avoid committing the .env file; add it to .gitignore.')['facts.polarity']?.status).toBe('pass');
    // A negating verb cancels a negation cue but never flips a plain paraphrase on its own.
    expect(run('Use a connection pool to avoid exhausting database connections.', 'A connection pool keeps you from running out of database connections.')['facts.polarity']?.status).toBe('pass');
    expect(run('The lock prevents double charges.', "The lock doesn't prevent double charges.")['facts.polarity']?.status).toBe('fail');
    expect(run('The cache stores both the rendered HTML and the API responses.', 'The cache stores not only the rendered HTML but also the API responses.')['facts.polarity']?.status).toBe('pass');
    expect(run('The export supports only CSV files.', 'The export supports not only CSV files.')['facts.polarity']?.status).toBe('fail');
    // The two sides of a comparison swapped, and the same comparison reworded.
    expect(run('Prefer composition over inheritance; it keeps classes loosely coupled.', 'Prefer inheritance over composition; it keeps classes loosely coupled.')['facts.polarity']?.status).toBe('fail');
    expect(run('Prefer composition over inheritance; it keeps classes loosely coupled.', 'Favour composition over inheritance, since it keeps classes loosely coupled.')['facts.polarity']?.status).toBe('pass');
    expect(run('Patch the bug rather than rewriting the module.', 'Rather than rewriting the module, patch the bug.')['facts.polarity']?.status).toBe('pass');
    // The same figure with an incompatible unit is a changed fact, not a dropped one.
    expect(run('Conversion rose from 4% to 6%, an increase of 2 percentage points.', 'Conversion rose from 4% to 6%, an increase of 2%.')['facts.numbers']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/"2 percentage points" → "2%"/) });
  });
  it('free text (holdout-4 fixes): notations, conversions, counted number words, code spans, antonyms, translations', () => {
    const text: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Question?' }] };
    const run = (b: string, c: string) => Object.fromEntries(comparePrompt({ body: text, expectations: [] }, 'text', side(completion(b)), side(completion(c)), th).map((x) => [x.name, x]));
    // 1e3 is 1,000; 0.68 of the tickets is 68%.
    expect(run('The importer inserts 1,000 rows per batch.', 'Batches are 1e3 rows each.')['facts.numbers']?.status).toBe('pass');
    expect(run('68% of tickets were resolved on first contact.', 'About two thirds of tickets (0.68) were resolved at first contact.')['facts.numbers']?.status).toBe('pass');
    // The input restated ("11 lb") does not stand in for the converted result.
    expect(run('11 lb is about 4.99 kg.', '11 lb is about 24.25 kg.')['facts.numbers']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/"4\.99 kg" → "24\.25 kg"/) });
    expect(run('11 lb is about 4.99 kg.', "That's roughly 5 kg (4.99 kg).")['facts.numbers']?.status).not.toBe('fail');
    // "×" between two numbers is an operator; one dollar amount dropped and a new one said instead is a change.
    expect(run('240 × $12.50 = $3,000. With 15% off: $3,000 × 0.85 = $2,550.', '240 × $12.50 = $3,000; minus 15% leaves $2,500.')['facts.numbers']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/"\$2,550" → "\$2,500"/) });
    // An added figure next to the same one ("45 days (6 weeks and 3 days)") is not a change.
    expect(run('There are 45 days between 2026-01-15 and 2026-03-01.', '45 days (6 weeks and 3 days).')['facts.numbers']?.status).not.toBe('fail');
    // Two numbers that still sit where they belong are not a swap because one clause aligned loosely.
    expect(run('Prices: the lamp costs $5 and the desk costs $3.', 'Prices: the lamp costs $3 and the desk costs $5.')['facts.numbers']?.status).toBe('fail');
    expect(run('Turn the bulb off and on five times.', 'Switch the bulb off and on three times.')['facts.numbers']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/five times.*three times/) });
    expect(run('Turn the bulb off and on five times.', 'Switch the bulb off and on 5 times.')['facts.numbers']?.status).toBe('pass');
    // Code is compared with its punctuation: an unanchored pattern is another pattern; a flag inside a command still counts.
    expect(run('Use `^\\d{5}(-\\d{4})?$`.', 'Use `\\d{5}(-\\d{4})?`.')['facts.entities']?.status).toBe('fail');
    expect(run('Pass `--soft` to keep the changes.', 'Run `git reset --soft HEAD~1` to keep the changes.')['facts.entities']?.status).not.toBe('fail');
    expect(run('Tokyo is 9 hours ahead of London.', 'Tokyo is 9 hours behind London.')['facts.polarity']?.status).toBe('fail');
    expect(run('No. The student discount does not apply to sale items.', 'No — sale items are excluded from the student discount.')['facts.polarity']?.status).toBe('pass');
    expect(run('The plan does not include phone support.', 'Phone support is excluded from the plan.')['facts.polarity']?.status).toBe('pass');
    expect(run('Votre commande a été expédiée et arrivera vendredi.', 'Votre commande a été expédiée et arrivera samedi.')['facts.entities']).toMatchObject({ status: 'fail', reason: expect.stringMatching(/friday.*saturday/) });
    expect(run('Maria Gonzalez is a data engineer in Madrid.', 'Maria Gonzalez is a Madrid-based data engineer.')['facts.entities']?.status).not.toBe('fail');
  });
  it('labels with a reason: the label matches, the reason states another fact', () => {
    const body: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'system', content: 'Answer yes or no, then one sentence why.' }, { role: 'user', content: 'Delivered 45 days ago; can it be refunded?' }] };
    const run = (b: string, c: string) => comparePrompt({ body, expectations: [] }, 'classification', side(completion(b)), side(completion(c)), th);
    const wrong = run('No — it was delivered 45 days ago, past the 30-day refund window.', 'No, the refund window is 14 days from delivery and it has passed.');
    expect(wrong.find((x) => x.name === 'classification.match')?.status).toBe('pass');
    expect(wrong.find((x) => x.name === 'facts.numbers')).toMatchObject({ status: 'fail' });
    expect(run('No — it was delivered 45 days ago, past the 30-day refund window.', 'No. Delivered 45 days ago, so it is outside the 30-day window.').every((x) => x.status !== 'fail')).toBe(true);
  });
  it('steps are a sequence: a reordered procedure fails, a cut baseline list only warns', () => {
    const steps: ChatCompletionCreateParams = { model: 'gpt-4o', messages: [{ role: 'user', content: 'How do I replace the filter? List the steps.' }] };
    const b = '1. Turn off the water supply.\n2. Twist out the old filter.\n3. Insert the new filter.';
    const run = (base: string, c: string, finish?: string) => Object.fromEntries(comparePrompt({ body: steps, expectations: [] }, 'text', side(completion(base, finish ? { finish } : {})), side(completion(c)), th).map((x) => [x.name, x]));
    expect(run(b, '1. Twist out the old filter.\n2. Turn off the water supply.\n3. Insert the new filter.')['facts.list']?.status).toBe('fail');
    const cut = run('1. Fill it with equal parts water and vinegar.\n2. Bring it to the boil and leave it an hour.\n3. Empty it and', '1. Fill it with a 1:1 mix of water and vinegar.\n2. Boil it and let it stand for an hour.\n3. Empty it and rinse it twice.', 'length');
    expect(cut['facts.list']?.status).toBe('warn');
    expect(cut.truncation?.status).toBe('warn');
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

/**
 * The general rules the holdout-5 misses prompted, each on its own: RAG prompts are not
 * bare-answer prompts, labels with scores, code that ends in ";", code lines are not list
 * items, imperative verbs are not names, reworded steps, negations worded differently,
 * compound durations, exact figures, facts added to a grounded answer, the answer's
 * language, the two parties of a relation, "" for null.
 */
import { describe, expect, it } from 'vitest';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { comparePrompt, factOptions } from '../../harness/compare/index.js';
import { compareJsonValues } from '../../harness/compare/json.js';
import { compareLabels, labelSpecFromRequest } from '../../harness/compare/labels.js';
import { detectLanguage } from '../../harness/compare/language.js';
import { parseList } from '../../harness/compare/lists.js';
import { factChecks } from '../../harness/compare/facts.js';
import { extractQuantities } from '../../harness/compare/quantities.js';
import { extractEntities, mentions } from '../../harness/compare/sentences.js';
import { truncationOf } from '../../harness/compare/truncation.js';
import { DEFAULT_THRESHOLDS } from '../../harness/types.js';
import { completion, side } from './support.js';

const th = DEFAULT_THRESHOLDS;
const body = (system: string, user = 'question'): ChatCompletionCreateParams => ({ model: 'gpt-4o', messages: [{ role: 'system', content: system }, { role: 'user', content: user }] });
const statusOf = (checks: Array<{ name: string; status: string }>, name: string) => checks.find((c) => c.name === name)?.status;
const worst = (checks: Array<{ status: string }>) => (checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'pass');
const facts = (b: string, c: string, o: Partial<Parameters<typeof factChecks>[2]> = {}) => factChecks(b, c, { strict: false, orderMatters: false, ...o });

describe('what the request asks for', () => {
  it('"answer only from the context" restricts the source, not the form; "the ISO 639-1 code only" demands the bare code', () => {
    expect(labelSpecFromRequest(body('Answer only from the context. Context: refuelling costs $45.'))).toBeUndefined();
    expect(labelSpecFromRequest(body('Answer only using the documents below.'))).toBeUndefined();
    expect(labelSpecFromRequest(body('Answer only with the number.'))?.bare).toBe(true);
    expect(labelSpecFromRequest(body('Detect the language. Answer with the ISO 639-1 code only.'))?.bare).toBe(true);
    expect(labelSpecFromRequest(body('Write a Python function. Code only.'))).toBeUndefined();
  });
  it('a grounded request (a context to answer from, a text to rewrite, notes to summarise) carries its text as the source; "exact" is noted', () => {
    expect(factOptions({ body: body('Answer from the policy. Policy: …'), expectations: [] }).source).toContain('Policy');
    expect(factOptions({ body: body('Rewrite the message in a friendlier tone.'), expectations: [] }).source).toBeDefined();
    expect(factOptions({ body: body('You are a helpful assistant.'), expectations: [] }).source).toBeUndefined();
    expect(factOptions({ body: body('x', 'What is the exact total?'), expectations: [] }).exact).toBe(true);
  });
});

describe('labels', () => {
  it('compares "label (score)" as a label and a self-reported score: within 0.1 warns, another label or a larger change fails', () => {
    const spec = undefined;
    expect(worst(compareLabels('negative (0.91)', 'negative (0.88)', spec))).toBe('warn');
    expect(worst(compareLabels('negative (0.91)', 'negative (0.91)', spec))).toBe('pass');
    expect(worst(compareLabels('negative (0.55)', 'neutral (0.52)', spec))).toBe('fail');
    expect(worst(compareLabels('negative: 0.91', 'negative: 0.41', spec))).toBe('fail');
    expect(worst(compareLabels('negative (0.91)', 'negative', spec))).toBe('fail');
  });
});

describe('truncation', () => {
  it('a SQL statement or a line of code ending in ";" is complete; prose ending in ";" is cut', () => {
    expect(truncationOf(undefined, "SELECT name FROM p WHERE a.starts_at < '2027-01-01';", false).truncated).toBe(false);
    expect(truncationOf(undefined, 'const total = sum(items);', false).truncated).toBe(false);
    expect(truncationOf(undefined, 'Restart the service; then', false).truncated).toBe(true);
    expect(truncationOf(undefined, 'Restart the service;', false).truncated).toBe(true);
  });
});

describe('lists', () => {
  it('lines of a fenced code block are not list items', () => {
    expect(parseList('```python\ndef f(xs):\n    result = []\n    return result\n```')).toBeUndefined();
    expect(parseList('Steps:\n- one\n- two\n```sh\nls\n```')?.items).toEqual(['one', 'two']);
  });
  it('reworded steps warn (their facts are compared clause by clause); a numbered procedure that loses a step fails', () => {
    const b = '1. Unplug the machine.\n2. Turn off both water taps.\n3. Unscrew the old hose.\n4. Screw on the new hose.\n5. Turn the taps on and check for leaks.';
    const reworded = '1. Disconnect the machine from the power.\n2. Close both water taps.\n3. Remove the old hose.\n4. Attach the new hose.\n5. Reopen the taps and check for leaks.';
    const short = '1. Unplug the washing machine.\n2. Remove the old hose.\n3. Fit the new hose.\n4. Turn the taps back on and check for leaks.';
    expect(statusOf(facts(b, reworded), 'facts.list')).toBe('warn');
    expect(worst(facts(b, reworded))).toBe('warn');
    expect(statusOf(facts(b, short), 'facts.list')).toBe('fail');
  });
});

describe('names', () => {
  it('an imperative opening a step is not a name; a name opening a sentence still is', () => {
    expect(extractEntities('1. Unplug the machine.\n2. Disconnect the hose.').map((e) => e.text)).toEqual([]);
    expect(extractEntities('Marta will send the notice.', new Set(), new Set(['marta'])).map((e) => e.text)).toEqual(['Marta']);
  });
  it('"Marta: carrier notice" mentions Marta', () => {
    const [e] = extractEntities('Then Marta sends it.');
    expect(mentions('- Marta: carrier notice — due 9 June.', e!)).toBe(true);
  });
  it('an entity said elsewhere, with the other one in its own clause, is not a swap; a real swap still fails', () => {
    const b = 'Open the HR portal and choose Time off. Pick Annual leave and select the dates.';
    const c = 'In the HR portal, go to Time off. Choose Annual leave and the dates.';
    expect(statusOf(facts(b, c), 'facts.entities')).toBe('pass');
    expect(statusOf(facts('Alice leads design. Bob leads QA.', 'Bob leads design. Alice leads QA.'), 'facts.entities')).toBe('fail');
  });
  it('table rows that differ only in names and values align by position: swapped values fail', () => {
    const b = '| Plan | Call-out |\n|---|---|\n| Basic | 72 hours |\n| Pro | 24 hours |';
    const c = '| Plan | Call-out |\n|---|---|\n| Basic | 24 hours |\n| Pro | 72 hours |';
    expect(worst(facts(b, c))).toBe('fail');
  });
});

describe('polarity', () => {
  it('both clauses negated with different predicates is the same statement; one negated is a flip', () => {
    expect(statusOf(facts("No, you don't need to print your ticket.", "A printed ticket isn't necessary."), 'facts.polarity')).toBe('pass');
    expect(statusOf(facts("You don't need to print your ticket.", 'You need to print your ticket.'), 'facts.polarity')).toBe('fail');
  });
  it('the two parties of a relation are opposite answers: landlord vs tenant', () => {
    expect(statusOf(facts('The landlord pays for boiler repairs.', "Boiler repairs are the tenant's responsibility."), 'facts.polarity')).toBe('fail');
    expect(statusOf(facts('The landlord pays for boiler repairs.', "Fixing the boiler is the landlord's responsibility."), 'facts.polarity')).toBe('pass');
  });
});

describe('numbers', () => {
  it('a duration in two units is one quantity: 3 hours and 20 minutes = 3⅓ hours', () => {
    const [q] = extractQuantities('It takes 3 hours and 20 minutes.');
    expect(q).toMatchObject({ raw: '3 hours and 20 minutes', value: 3 * 3600 + 20 * 60 });
    expect(statusOf(facts('It takes about 3.33 hours.', 'The trip takes 3 hours and 20 minutes.'), 'facts.numbers')).toBe('pass');
    expect(statusOf(facts('It takes 3 hours.', 'It takes 3 hours and 20 minutes.'), 'facts.numbers')).toBe('fail');
  });
  it('where the exact figure is asked, "about $1,200" is not $1,234.57', () => {
    expect(statusOf(facts('The total is $1,234.57.', 'The total comes to about $1,200.'), 'facts.numbers')).not.toBe('fail');
    expect(statusOf(facts('The total is $1,234.57.', 'The total comes to about $1,200.', { exact: true }), 'facts.numbers')).toBe('fail');
  });
});

describe('grounded answers', () => {
  const source = 'Answer only from the context. Context: A refuelling fee of $45 plus the fuel cost is charged. Returns after 10pm go to the key drop box.\nCan I return the car at 11pm?';
  it('a figure or name in neither the request nor the baseline fails; restating the question or the context passes', () => {
    const b = "You'll be charged a $45 refuelling fee plus the cost of the fuel.";
    expect(statusOf(facts(b, `${b} You can avoid it by refuelling within the 30-minute grace period.`, { source }), 'facts.added')).toBe('fail');
    expect(statusOf(facts(b, `${b} Contact Hertz Gold support to dispute it.`, { source }), 'facts.added')).toBe('fail');
    expect(statusOf(facts('Yes — after 10pm, leave the keys in the key drop box.', 'Yes. Returns after 10pm go to the key drop box, so at 11pm leave the keys there.', { source }), 'facts.added')).toBe('pass');
    expect(statusOf(facts(b, `${b} Let me know if you have other questions!`, { source }), 'facts.added')).toBe('pass');
    // Not grounded: no such check.
    expect(statusOf(facts(b, `${b} The grace period is 30 minutes.`), 'facts.added')).toBeUndefined();
  });
});

describe('language', () => {
  it('tells Spanish, English, German and French answers apart; too short to tell is undecided', () => {
    expect(detectLanguage('Su perro debe ayunar 12 horas antes de la cirugía; puede beber agua hasta 2 horas antes.')).toBe('es');
    expect(detectLanguage('Your dog should fast for 12 hours before surgery; water is fine until 2 hours before.')).toBe('en');
    expect(detectLanguage('Ihr Hund sollte 12 Stunden vor der Operation nichts fressen; Wasser ist bis 2 Stunden vorher erlaubt.')).toBe('de');
    expect(detectLanguage("Votre chien doit jeûner pendant 12 heures avant l'opération et il peut boire de l'eau.")).toBe('fr');
    expect(detectLanguage('Yes.')).toBeUndefined();
  });
  it('an answer in another language than the baseline fails the free-text comparison', () => {
    const fx = { body: body('Answer in the user\'s language.', '¿Cuántas horas antes de la cirugía debe ayunar mi perro?'), expectations: [] };
    const es = 'Su perro debe ayunar 12 horas antes de la cirugía; puede beber agua hasta 2 horas antes.';
    const en = 'Your dog should fast for 12 hours before surgery; water is fine until 2 hours before.';
    expect(statusOf(comparePrompt(fx, 'text', side(completion(es)), side(completion(en)), th), 'language')).toBe('fail');
    expect(statusOf(comparePrompt(fx, 'text', side(completion(es)), side(completion('Debe estar en ayunas durante 12 horas antes de la operación. El agua está permitida hasta 2 horas antes.')), th), 'language')).toBe('pass');
  });
});

describe('JSON', () => {
  it('"" where the baseline has null fails: a null check sees a value', () => {
    expect(compareJsonValues({ report: null }, { report: '' }).diffs[0]).toMatchObject({ status: 'fail' });
  });
});

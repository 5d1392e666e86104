/**
 * The general rules the holdout-6 misses prompted, each on its own: vulgar fractions,
 * "no. 12" as a number, weekdays said in the plural, the two sides of a win swapped,
 * "not … unless" and "only if", and a value reached by working shown in the answer.
 */
import { describe, expect, it } from 'vitest';
import { compareLabels } from '../../harness/compare/labels.js';
import { factChecks } from '../../harness/compare/facts.js';
import { extractQuantities, sameQuantity } from '../../harness/compare/quantities.js';
import { extractEntities, mentions } from '../../harness/compare/sentences.js';

const worst = (checks: Array<{ status: string }>) => (checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'pass');
const facts = (b: string, c: string) => worst(factChecks(b, c, { strict: false, orderMatters: false }));

describe('numbers', () => {
  it('reads vulgar fractions: 1½ cups is 1.5 cups, ¾ is 0.75, and 2½ is not 1.5', () => {
    const [q] = extractQuantities('1½ cups of rice');
    expect(q!.value).toBeCloseTo(1.5);
    expect(extractQuantities('¾ cup')[0]!.value).toBeCloseTo(0.75);
    expect(sameQuantity(extractQuantities('1.5 cups')[0]!, q!)).toBe(true);
    expect(facts('You need 1.5 cups of rice.', 'Double it: **1½ cups** of rice.')).toBe('pass');
    expect(facts('You need 1.5 cups of rice.', 'You need 2½ cups of rice.')).toBe('fail');
  });
  it('a bare value is judged by what the answer concludes: operands and an unrounded step do not count, the result does', () => {
    expect(worst(compareLabels('$47.10 per month.', '2,048 GB × $0.023 = $47.104, so about **$47.10** per month.', undefined))).toBe('pass');
    expect(worst(compareLabels('$47.10 per month.', '2,048 GB × $0.023 = $47.104, so about **$47.11** per month.', undefined))).toBe('fail');
    expect(worst(compareLabels('$47.10 per month.', '2,000 GB × $0.023 = $46.00 per month.', undefined))).toBe('fail');
    // Without working, every figure still counts; a restatement must round to the figure it restates.
    expect(worst(compareLabels('$47.10 per month.', '$47.10 per month, or $52.00 with requests.', undefined))).toBe('fail');
    expect(worst(compareLabels('$47.10 per month.', '$46.90, so about $47.10 per month.', undefined))).toBe('fail');
  });
});

describe('names and polarity', () => {
  it('"Tuesdays and Thursdays" is mentioned by "Tuesday and Thursday"', () => {
    const e = extractEntities('Staff work in the office on Tuesdays and Thursdays.', new Set()).find((x) => /Tuesdays/.test(x.text));
    expect(mentions('office attendance is required on Tuesday and Thursday', e!)).toBe(true);
    expect(mentions('office attendance is required on Mondays and Fridays', e!)).toBe(false);
  });
  it('"no. 12" is a number, not a negation; "no 12-year-olds" still negates', () => {
    expect(facts('Leave it with the neighbour at number 12.', 'Leave with neighbour at no. 12.')).not.toBe('fail');
    expect(facts('Children aged 12 may enter.', 'No 12-year-olds may enter.')).toBe('fail');
  });
  it('"not … unless X" says what "only if X" says; "… even if X" does not', () => {
    expect(facts("Return shipping isn't refunded unless the item arrived damaged.", 'Return shipping is refunded only if the item arrived damaged.')).toBe('pass');
    expect(facts("Return shipping isn't refunded unless the item arrived damaged.", 'Return shipping is refunded, unless the item arrived damaged.')).toBe('fail');
  });
  it('the two sides of a win swapped fail; the same win in other words passes', () => {
    expect(facts('Lyon won 3-1 against Nantes.', 'Nantes won 3–1 against Lyon.')).toBe('fail');
    expect(facts('Lyon won 3-1 against Nantes.', 'Lyon beat Nantes 3–1 at home.')).toBe('pass');
    expect(facts('Lyon beat Nantes 3-1.', 'Nantes beat Lyon 3-1.')).toBe('fail');
  });
});

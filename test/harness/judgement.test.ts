/**
 * The gate's verdicts against a reviewer's labels: the labelled set (test/harness/judgement/)
 * run through the public CLI — recorded baselines, recorded candidate answers, no judge —
 * and scored per category. The per-category error counts below are the measured ones
 * (docs/parity.md has the table): any regression fails; an improvement updates them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliArgs, loadLabelledSet, scoreReport, writeRunFiles, type JudgementResult, type Pair } from '../../bench/judgement.js';
import { runCli } from '../support/cli.js';

/** Measured errors per category (deterministic layer, default gate: warnings count as passing). */
const MEASURED: Record<string, { pairs: number; falsePass: number; falseFail: number }> = {
  // h4-visa-on-arrival (holdout 4): "get a visa on arrival" vs "apply at an embassy before travelling", no shared wording; warns.
  // h5-deductible-per-year (holdout 5): "applies to each claim" vs "once per year": no term list knows "per claim"; passes.
  // h5-refund-store-credit (holdout 5): "refunded to your original payment method" vs "store credit", no shared wording; warns.
  'flipped-facts': { pairs: 31, falsePass: 3, falseFail: 0 },
  labels: { pairs: 69, falsePass: 0, falseFail: 0 },
  // h4-resume-location-country (holdout 4): "Madrid" → "Madrid, Spain" in a free-form field fails as a changed value.
  'json-wrong-value': { pairs: 81, falsePass: 0, falseFail: 1 },
  // h3-cors-wrong-side (holdout 3): the fix moved from the API to the client, same words; warns.
  // h5-tone-rewrite-drops-consequence (holdout 5): a rewrite drops "or service stops" (no figure, name or negation in it); passes.
  // h5-sql-left-join-no-filter (holdout 5): JOIN … WHERE → LEFT JOIN … ON (every patient returned); only warns (WHERE missing).
  // h6-api-401-vs-403 (holdout 6): 403 explained as a missing key (401's meaning) in other words; low similarity, warns.
  // h6-api-idempotency-not-safe (holdout 6): "only if you sent an Idempotency-Key" vs "yes … always safe"; warns.
  paraphrase: { pairs: 65, falsePass: 6, falseFail: 0 },
  // h4-under-100-as-99-99 (holdout 4): max_price 99.99 for "under $100" fails as a changed argument.
  tools: { pairs: 69, falsePass: 0, falseFail: 1 },
  'json-reordered': { pairs: 29, falsePass: 0, falseFail: 0 },
  // h5-checklist-missing-vaccination (holdout 5): "Bring: vaccination record, food for the whole stay, …" is not read as
  // a list (an item of 5 words), so the dropped item is not seen; passes.
  // h6-timetable-reformatted (holdout 6): the same lessons as a markdown table; its header and rule read as added items.
  lists: { pairs: 33, falsePass: 2, falseFail: 1 },
  negation: { pairs: 27, falsePass: 0, falseFail: 0 },
  numbers: { pairs: 67, falsePass: 0, falseFail: 0 },
  // h6-triage-both-decline-diagnosis (holdout 6): "I can't diagnose that, but I can book you …" reads as an answer,
  // "I'm not able to tell you what the rash is" as a refusal; both decline the same way.
  refusals: { pairs: 27, falsePass: 0, falseFail: 1 },
  summaries: { pairs: 28, falsePass: 0, falseFail: 1 },
  // h4-complete-at-limit (holdout 4): finish_reason length on a complete answer still fails as cut off.
  truncation: { pairs: 26, falsePass: 1, falseFail: 1 },
};


let pairs: Pair[];
let result: JudgementResult;
let exitCode: number;

beforeAll(async () => {
  pairs = loadLabelledSet();
  const files = writeRunFiles(pairs);
  const r = await runCli(cliArgs(files));
  exitCode = r.code;
  result = scoreReport(pairs, JSON.parse(readFileSync(join(files.dir, 'report.json'), 'utf8')));
}, 120_000);

describe('the labelled set', () => {
  it('has at least 150 pairs, each with a reason, covering every category of issue 8', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(150);
    expect(pairs.every((p) => p.reason.length > 10)).toBe(true);
    expect(new Set(pairs.map((p) => p.category))).toEqual(new Set(Object.keys(MEASURED)));
    // Both labels in every category, so false-pass and false-fail rates both mean something.
    for (const c of Object.keys(MEASURED)) {
      const inCat = pairs.filter((p) => p.category === c);
      expect(inCat.some((p) => p.equivalent), c).toBe(true);
      expect(inCat.some((p) => !p.equivalent), c).toBe(true);
    }
  });
  it('marks the pairs written after tuning by holdout batch, each batch with both labels', () => {
    expect(result.holdouts.map((h) => h.batch)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const h of result.holdouts) expect(h.equivalent > 0 && h.equivalent < h.pairs, `batch ${h.batch}`).toBe(true);
  });
  it('runs through the CLI (recorded baseline, recorded candidate) and the gate fails on the wrong answers', () => {
    expect(exitCode).toBe(1);
  });
});

describe('gate accuracy against the labels (deterministic layer, no judge)', () => {
  it('meets the targets: no false pass on structured answers, accuracy ≥ 90%, false-fail ≤ 10%', () => {
    const structuredPasses = result.categories.filter((c) => c.structured).flatMap((c) => c.misses.filter((m) => !m.equivalent).map((m) => m.id));
    expect(structuredPasses).toEqual([]);
    expect(result.structured.falsePass).toBe(0);
    expect(result.overall.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.overall.falseFailRate).toBeLessThanOrEqual(0.1);
  });
  it.each(Object.entries(MEASURED))('%s: no more errors than measured', (category, m) => {
    const c = result.categories.find((x) => x.category === category)!;
    const misses = c.misses.map((x) => `${x.id} (${x.equivalent ? 'equivalent' : 'not equivalent'}, gate ${x.status})`);
    expect(c.pairs).toBe(m.pairs);
    expect(c.falsePass, misses.join('\n')).toBeLessThanOrEqual(m.falsePass);
    expect(c.falseFail, misses.join('\n')).toBeLessThanOrEqual(m.falseFail);
    if (c.structured) expect(c.misses.filter((x) => !x.equivalent), misses.join('\n')).toEqual([]);
  });
});

/**
 * Chooses the comparisons a prompt calls for and runs them: JSON, tool calls, labels and
 * short answers, or free text with fact checks; plus refusal, truncation, finish reason
 * and length on every prompt. Deterministic and local: the optional judge (judge.ts) runs
 * after, and never overrules a failure decided here.
 */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Check, CompareKind, Fixture, SideResult, Thresholds } from '../types.js';
import { contentOf } from '../expectations.js';
import { factChecks, type FactOptions } from './facts.js';
import { compareJsonValues, describeDiff, parseJsonOutput } from './json.js';
import { asksForOrder, compareLabels, instructionText, labelSpecFromRequest } from './labels.js';
import type { CompareOptions } from './options.js';
import { looksLikeRefusal } from './refusal.js';
import { schemaErrors } from './schema.js';
import { compareTools, toolCallsOf } from './tools.js';
import { round, textSimilarity, tokens } from './text.js';
import { truncationOf } from './truncation.js';

type FixtureLike = Pick<Fixture, 'body' | 'expectations'> & Partial<Pick<Fixture, 'compare' | 'tags' | 'metadata' | 'compareOptions'>>;

/** Kind from the request alone; text may still become classification once the baseline is known. */
export function inferKind(fx: FixtureLike): CompareKind {
  if (fx.compare) return fx.compare;
  if (fx.body.tools?.length || fx.expectations.some((e) => e.type === 'tool-call')) return 'tools';
  const rf = (fx.body as { response_format?: { type?: string } }).response_format;
  if (rf?.type === 'json_object' || rf?.type === 'json_schema') return 'json';
  if (fx.expectations.some((e) => e.type === 'is-json' || e.type === 'json-schema')) return 'json';
  if (fx.tags?.includes('classification') || fx.metadata?.kind === 'classification') return 'classification';
  if (labelSpecFromRequest(fx.body)?.task) return 'classification';
  return 'text';
}

export function responseSchema(body: ChatCompletionCreateParams, fx?: Pick<Fixture, 'expectations'>): object | undefined {
  const rf = (body as { response_format?: { type?: string; json_schema?: { schema?: object } } }).response_format;
  if (rf?.type === 'json_schema' && rf.json_schema?.schema) return rf.json_schema.schema;
  const e = fx?.expectations.find((x) => x.type === 'json-schema');
  return e && e.type === 'json-schema' ? e.value : undefined;
}

/**
 * The kind actually compared: a short baseline answer to a free-text prompt is a short
 * answer; a long one to a prompt that only looked label-like is free text.
 */
export function effectiveKind(kind: CompareKind, baseline: SideResult | undefined, fx: Partial<Pick<Fixture, 'compare' | 'tags' | 'metadata'>>, th: Thresholds): CompareKind {
  if (fx.compare || !baseline?.ok) return kind;
  const n = tokens(contentOf(baseline)).length;
  if (kind === 'text') return n > 0 && n <= th.classificationMaxWords ? 'classification' : 'text';
  if (kind === 'classification' && !fx.tags?.includes('classification') && fx.metadata?.kind !== 'classification' && n > 25) return 'text';
  return kind;
}

const STRICT_TAGS = new Set(['extraction', 'extract', 'summarisation', 'summarization', 'summary', 'summarise', 'summarize']);

/** Dropped facts fail for extraction and summarisation prompts (tagged, or the request says so), unless configured. */
export function factOptions(fx: FixtureLike): FactOptions {
  const o = fx.compareOptions ?? {};
  const text = instructionText(fx.body);
  const strict =
    o.facts === 'strict' ||
    (o.facts !== 'lenient' && ((fx.tags ?? []).some((t) => STRICT_TAGS.has(t.toLowerCase())) || /\b(?:summar(?:y|ise|ize|ising|izing)|tl;?dr|extract)\b/i.test(text)));
  const orderMatters = o.order === 'strict' || (o.order !== 'any' && asksForOrder(fx.body));
  const names = new Set((text.match(/(?<![\p{L}\p{N}])\p{Lu}[\p{Ll}'’-]+/gu) ?? []).map((w) => w.toLowerCase()));
  return { strict, orderMatters, vocabulary: new Set(text.match(/(?<![\p{L}\p{N}])\p{Ll}[\p{L}'’-]*/gu) ?? []), names };
}

export function comparePrompt(fx: FixtureLike, kind: CompareKind, baseline: SideResult | undefined, candidate: SideResult, th: Thresholds): Check[] {
  const checks: Check[] = [];
  if (!candidate.ok || !candidate.response) {
    const e = candidate.error;
    return [{ name: 'candidate.error', status: 'fail', reason: `candidate call failed${e?.status ? ` (HTTP ${e.status})` : ''}: ${e?.message ?? 'no response'}` }];
  }
  const base = baseline?.ok ? baseline.response : undefined;
  if (baseline && !baseline.ok) {
    checks.push({ name: 'baseline.error', status: 'warn', reason: `baseline call failed: ${baseline.error?.message ?? 'no response'}; only the candidate's own checks ran` });
  } else if (!baseline) {
    checks.push({ name: 'baseline.missing', status: 'warn', reason: 'no baseline response (no recording for this prompt); only the candidate\'s own checks ran' });
  }
  const bText = base ? contentOf(baseline) : undefined;
  const cText = contentOf(candidate);
  const options = fx.compareOptions ?? {};

  // Refusals first: comparing a refusal's wording with an answer says nothing more.
  const cRefusal = !!candidate.response.choices?.[0]?.message?.refusal || looksLikeRefusal(cText);
  const bRefusal = base ? !!base.choices?.[0]?.message?.refusal || looksLikeRefusal(bText ?? '') : false;
  const hasCalls = toolCallsOf(candidate.response).length > 0;
  if (cRefusal && !hasCalls) {
    checks.push(
      !base
        ? { name: 'refusal', status: 'warn', reason: `candidate refused: "${clip(cText)}"` }
        : bRefusal
          ? { name: 'refusal', status: 'pass', reason: 'both declined the request' }
          : { name: 'refusal', status: 'fail', reason: `candidate refused where the baseline answered: "${clip(cText)}"` },
    );
    return [...checks, ...commonChecks(base, candidate, kind, bText, cText, th, false)];
  }
  if (bRefusal && base && toolCallsOf(base).length === 0) {
    // The migrated app would now answer what it declined before: a behaviour change to review, not parity.
    checks.push({ name: 'refusal', status: 'fail', reason: `baseline refused; candidate answered: "${clip(cText)}"` });
    return [...checks, ...commonChecks(base, candidate, kind, bText, cText, th, false)];
  }

  // Truncation on either side.
  const expectJson = kind === 'json';
  const ct = truncationOf(candidate.response, cText, expectJson && !hasCalls);
  const bt = base ? truncationOf(base, bText ?? '', expectJson) : { truncated: false };
  if (ct.truncated && !bt.truncated) checks.push({ name: 'truncation', status: 'fail', reason: `candidate answer is cut off: ${ct.why}` });
  else if (bt.truncated && !ct.truncated) checks.push({ name: 'truncation', status: 'warn', reason: `baseline answer is cut off (${bt.why}): the comparison is unreliable` });
  else if (bt.truncated && ct.truncated) checks.push({ name: 'truncation', status: 'warn', reason: `both answers are cut off (baseline: ${bt.why}; candidate: ${ct.why})` });
  const facts = { ...factOptions(fx), baselineCut: bt.truncated };

  // A request that asks for an order (a ranking, steps) makes JSON arrays ordered unless a path says otherwise.
  const ordered = facts.orderMatters && !options.order ? { ...options, order: 'strict' as const } : options;
  const jsonCtx = { options: ordered, strictFacts: facts.strict, similarity: th.similarity };
  if (kind === 'tools') {
    checks.push(...compareTools(fx.body, base, candidate.response, jsonCtx));
    const noCalls = !hasCalls && (!base || toolCallsOf(base).length === 0);
    if (noCalls && bText !== undefined) checks.push(...compareFreeText(bText, cText, th, facts));
  } else if (kind === 'json') {
    checks.push(...compareJsonOutputs(fx, bText, cText, th, ordered, facts.strict));
  } else if (kind === 'classification') {
    if (bText !== undefined) {
      checks.push(...compareLabels(bText, cText, labelSpecFromRequest(fx.body)));
      // "No — delivered 45 days ago, past the 30-day window" vs "No, the window is 14 days": when both answers
      // give reasons, the label can agree while the reason states a wrong fact. The facts decide those; the
      // wording of the reason (similarity, a dropped detail) does not.
      if (tokens(bText).length > th.classificationMaxWords && tokens(cText).length > th.classificationMaxWords) {
        checks.push(...factChecks(bText, cText, { ...facts, strict: false }).filter((c) => c.status === 'fail'));
      }
    }
  } else if (bText !== undefined) {
    checks.push(...compareFreeText(bText, cText, th, facts));
  }
  return [...checks, ...commonChecks(base, candidate, kind, bText, cText, th, true)];
}

function commonChecks(
  base: SideResult['response'],
  candidate: SideResult,
  kind: CompareKind,
  bText: string | undefined,
  cText: string,
  th: Thresholds,
  compared: boolean,
): Check[] {
  const checks: Check[] = [];
  const bFinish = base?.choices?.[0]?.finish_reason;
  const cFinish = candidate.response!.choices?.[0]?.finish_reason;
  if (cFinish === 'content_filter') checks.push({ name: 'finish_reason', status: 'fail', reason: 'candidate output was blocked by a content filter' });
  else if (bFinish && cFinish && bFinish !== cFinish && !(kind === 'tools' && [bFinish, cFinish].every((f) => f === 'stop' || f === 'tool_calls')) && ![bFinish, cFinish].includes('length')) {
    checks.push({ name: 'finish_reason', status: 'warn', reason: `finish_reason ${bFinish} → ${cFinish}` });
  } else if (bFinish && cFinish && bFinish === cFinish) checks.push({ name: 'finish_reason', status: 'pass', reason: `both ${cFinish}` });

  const bChoices = base?.choices?.length ?? 0;
  const cChoices = candidate.response!.choices?.length ?? 0;
  if (bChoices > 1 && cChoices !== bChoices) checks.push({ name: 'choices.count', status: 'warn', reason: `baseline returned ${bChoices} choices, candidate ${cChoices}` });
  if (base?.choices?.[0]?.logprobs && !candidate.response!.choices?.[0]?.logprobs) {
    checks.push({ name: 'logprobs', status: 'warn', reason: 'baseline returned logprobs; candidate did not' });
  }
  if (compared && bText && cText && (kind === 'text' || kind === 'classification') && bText.length >= 40) {
    const ratio = round(cText.length / bText.length, 2);
    const out = ratio > th.lengthRatio || ratio < 1 / th.lengthRatio;
    checks.push({ name: 'length.ratio', status: out ? 'warn' : 'pass', score: ratio, reason: `candidate/baseline length ${ratio}×` });
  }
  return checks;
}

export function compareFreeText(bText: string, cText: string, th: Thresholds, facts: FactOptions): Check[] {
  const s = textSimilarity(bText, cText);
  return [
    {
      name: 'text.similarity',
      status: s.score >= th.similarity ? 'pass' : 'warn',
      score: s.score,
      reason: `local similarity ${s.score} (ROUGE-L ${s.rougeL}, char-trigram cosine ${s.charCosine}, token F1 ${s.tokenF1}; threshold ${th.similarity})`,
    },
    ...factChecks(bText, cText, facts),
  ];
}

function compareJsonOutputs(fx: Pick<Fixture, 'body' | 'expectations'>, bText: string | undefined, cText: string, th: Thresholds, options: CompareOptions, strictFacts: boolean): Check[] {
  const checks: Check[] = [];
  const c = parseJsonOutput(cText);
  const b = bText === undefined ? undefined : parseJsonOutput(bText);
  if (!c.ok) {
    checks.push({ name: 'json.valid', status: b && !b.ok ? 'warn' : 'fail', reason: `candidate output is not JSON (${c.error})${b && !b.ok ? '; neither is the baseline' : ''}` });
    return checks;
  }
  if (c.note && !(b?.ok && b.note)) {
    checks.push({ name: 'json.valid', status: 'fail', reason: `candidate JSON is wrapped in ${c.note === 'fenced' ? 'a markdown code fence' : 'extra text'}; JSON.parse in the app would fail` });
  } else {
    checks.push({ name: 'json.valid', status: 'pass', reason: b && !b.ok ? 'candidate is valid JSON (the baseline is not)' : 'both valid JSON' });
  }
  const schema = responseSchema(fx.body, fx);
  if (schema) {
    const errs = schemaErrors(schema, c.value);
    const bErrs = b?.ok ? schemaErrors(schema, b.value) : [];
    checks.push(
      errs.length
        ? { name: 'json.schema', status: bErrs.length ? 'warn' : 'fail', reason: `candidate violates the schema: ${errs.slice(0, 3).join(', ')}${bErrs.length ? ' (so does the baseline)' : ''}` }
        : { name: 'json.schema', status: 'pass', reason: 'candidate is schema-valid' },
    );
  }
  if (b?.ok) {
    const cmp = compareJsonValues(b.value, c.value, { options, schema, strictFacts, similarity: th.similarity });
    const keyDiffs = cmp.diffs.filter((d) => d.kind === 'missing' || d.kind === 'extra');
    const valueDiffs = cmp.diffs.filter((d) => d.kind !== 'missing' && d.kind !== 'extra');
    const statusOf = (ds: typeof cmp.diffs) => (ds.some((d) => d.status === 'fail') ? 'fail' : ds.length ? 'warn' : 'pass');
    const list = (ds: typeof cmp.diffs) => {
      const sorted = [...ds].sort((x, y) => (x.status === 'fail' ? 0 : 1) - (y.status === 'fail' ? 0 : 1));
      return `${sorted.slice(0, 5).map(describeDiff).join('; ')}${ds.length > 5 ? `; +${ds.length - 5} more` : ''}`;
    };
    checks.push({ name: 'json.keys', status: statusOf(keyDiffs), reason: keyDiffs.length ? list(keyDiffs) : 'same keys' });
    const score = round(cmp.agreement);
    checks.push({
      name: 'json.values',
      status: statusOf(valueDiffs),
      score,
      reason: valueDiffs.length ? `${cmp.leaves - cmp.equalLeaves} of ${cmp.leaves} value(s) differ: ${list(valueDiffs)}` : `all ${cmp.leaves} value(s) agree`,
    });
  }
  return checks;
}

function clip(s: string, n = 80): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

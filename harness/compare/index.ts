/**
 * Chooses the comparisons a prompt calls for and runs them: JSON, tool calls,
 * classification label, or free-text similarity, plus finish reason, refusal and length.
 */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Check, CompareKind, Fixture, SideResult, Thresholds } from '../types.js';
import { contentOf } from '../expectations.js';
import { compareJson, parseJsonOutput } from './json.js';
import { schemaErrors } from './schema.js';
import { compareTools, toolCallsOf } from './tools.js';
import { looksLikeRefusal, normaliseLabel, round, textSimilarity, tokens } from './text.js';

/** Kind from the request alone; text may still become classification once the baseline is known. */
export function inferKind(fx: Pick<Fixture, 'body' | 'compare' | 'expectations' | 'tags' | 'metadata'>): CompareKind {
  if (fx.compare) return fx.compare;
  if (fx.body.tools?.length || fx.expectations.some((e) => e.type === 'tool-call')) return 'tools';
  const rf = (fx.body as { response_format?: { type?: string } }).response_format;
  if (rf?.type === 'json_object' || rf?.type === 'json_schema') return 'json';
  if (fx.expectations.some((e) => e.type === 'is-json' || e.type === 'json-schema')) return 'json';
  if (fx.tags.includes('classification') || fx.metadata.kind === 'classification') return 'classification';
  return 'text';
}

export function responseSchema(body: ChatCompletionCreateParams, fx?: Pick<Fixture, 'expectations'>): object | undefined {
  const rf = (body as { response_format?: { type?: string; json_schema?: { schema?: object } } }).response_format;
  if (rf?.type === 'json_schema' && rf.json_schema?.schema) return rf.json_schema.schema;
  const e = fx?.expectations.find((x) => x.type === 'json-schema');
  return e && e.type === 'json-schema' ? e.value : undefined;
}

/** The kind actually compared: short baseline answers to free-text prompts are labels. */
export function effectiveKind(kind: CompareKind, baseline: SideResult | undefined, fx: Pick<Fixture, 'compare'>, th: Thresholds): CompareKind {
  if (kind !== 'text' || fx.compare) return kind;
  const text = contentOf(baseline);
  const n = tokens(text).length;
  return baseline?.ok && n > 0 && n <= th.classificationMaxWords ? 'classification' : 'text';
}

export function comparePrompt(
  fx: Pick<Fixture, 'body' | 'expectations' | 'compare'>,
  kind: CompareKind,
  baseline: SideResult | undefined,
  candidate: SideResult,
  th: Thresholds,
): Check[] {
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

  if (kind === 'tools') {
    checks.push(...compareTools(fx.body, base, candidate.response, th));
    const noCalls = toolCallsOf(candidate.response).length === 0 && (!base || toolCallsOf(base).length === 0);
    if (noCalls && bText !== undefined) checks.push(...compareFreeText(bText, cText, th));
  } else if (kind === 'json') {
    checks.push(...compareJsonOutputs(fx, bText, cText, th));
  } else if (kind === 'classification') {
    if (bText !== undefined) {
      const b = normaliseLabel(bText);
      const c = normaliseLabel(cText);
      const same = b === c;
      // "The sentiment is positive." holds the label but breaks an app that reads it verbatim.
      const wrapped = !same && b.length > 0 && ` ${c} `.includes(` ${b} `);
      checks.push({
        name: 'classification.match',
        status: same ? 'pass' : wrapped ? 'warn' : 'fail',
        score: same ? 1 : 0,
        reason: same
          ? `same label "${clip(cText)}"`
          : wrapped
            ? `candidate "${clip(cText)}" contains the baseline's label "${clip(bText)}" but says more; code that reads the label verbatim would break`
            : `baseline "${clip(bText)}" vs candidate "${clip(cText)}"`,
      });
    }
  } else if (bText !== undefined) {
    checks.push(...compareFreeText(bText, cText, th));
  }

  // Common checks.
  const bFinish = base?.choices?.[0]?.finish_reason;
  const cFinish = candidate.response.choices?.[0]?.finish_reason;
  if (cFinish === 'content_filter') checks.push({ name: 'finish_reason', status: 'fail', reason: 'candidate output was blocked by a content filter' });
  else if (bFinish && cFinish && bFinish !== cFinish && !(kind === 'tools' && [bFinish, cFinish].every((f) => f === 'stop' || f === 'tool_calls'))) {
    checks.push({
      name: 'finish_reason',
      status: 'warn',
      reason: cFinish === 'length' ? `candidate stopped at the token limit (baseline: ${bFinish})` : `finish_reason ${bFinish} → ${cFinish}`,
    });
  } else if (bFinish && cFinish) checks.push({ name: 'finish_reason', status: 'pass', reason: `both ${cFinish}` });

  const cRefusal = !!candidate.response.choices?.[0]?.message?.refusal || looksLikeRefusal(cText);
  const bRefusal = base ? !!base.choices?.[0]?.message?.refusal || looksLikeRefusal(bText ?? '') : false;
  if (cRefusal && !bRefusal) checks.push({ name: 'refusal', status: base ? 'fail' : 'warn', reason: 'candidate refused where the baseline answered' });
  else if (bRefusal && !cRefusal) checks.push({ name: 'refusal', status: 'warn', reason: 'baseline refused; candidate answered' });

  const bChoices = base?.choices?.length ?? 0;
  const cChoices = candidate.response.choices?.length ?? 0;
  if (bChoices > 1 && cChoices !== bChoices) checks.push({ name: 'choices.count', status: 'warn', reason: `baseline returned ${bChoices} choices, candidate ${cChoices}` });

  if (base?.choices?.[0]?.logprobs && !candidate.response.choices?.[0]?.logprobs) {
    checks.push({ name: 'logprobs', status: 'warn', reason: 'baseline returned logprobs; candidate did not' });
  }

  if (bText && cText && (kind === 'text' || kind === 'classification') && bText.length >= 40) {
    const ratio = round(cText.length / bText.length, 2);
    const out = ratio > th.lengthRatio || ratio < 1 / th.lengthRatio;
    checks.push({ name: 'length.ratio', status: out ? 'warn' : 'pass', score: ratio, reason: `candidate/baseline length ${ratio}×` });
  }
  return checks;
}

function compareFreeText(bText: string, cText: string, th: Thresholds): Check[] {
  const s = textSimilarity(bText, cText);
  return [
    {
      name: 'text.similarity',
      status: s.score >= th.similarity ? 'pass' : 'warn',
      score: s.score,
      reason: `local similarity ${s.score} (ROUGE-L ${s.rougeL}, char-trigram cosine ${s.charCosine}, token F1 ${s.tokenF1}; threshold ${th.similarity})`,
    },
  ];
}

function compareJsonOutputs(fx: Pick<Fixture, 'body' | 'expectations'>, bText: string | undefined, cText: string, th: Thresholds): Check[] {
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
    const cmp = compareJson(b.value, c.value);
    checks.push({
      name: 'json.keys',
      status: cmp.sameKeys ? 'pass' : 'warn',
      reason: cmp.sameKeys ? 'same keys' : `keys differ: missing ${cmp.missingKeys.slice(0, 5).join(', ') || '-'}; extra ${cmp.extraKeys.slice(0, 5).join(', ') || '-'}`,
    });
    const score = round(cmp.agreement);
    checks.push({
      name: 'json.values',
      status: score >= th.agreementWarn ? 'pass' : score >= th.agreementFail ? 'warn' : 'fail',
      score,
      reason: cmp.differing.length ? `value agreement ${score}; differing: ${cmp.differing.slice(0, 5).join(', ')}` : `all values agree`,
    });
  }
  return checks;
}

function clip(s: string, n = 60): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

/**
 * Labels and short answers. Whether an answer is a label is decided from the request (a
 * list of allowed labels, "answer with only …", a yes/no question), not from its length
 * alone. Both answers are normalised — case, punctuation, lead-in words ("The answer is
 * 42." = "42"), number formats ("1,250" = "1250.00"), list formats (bullets = numbers =
 * commas) — before comparing; a sentence where the request demands the bare label fails.
 */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Check } from '../types.js';
import { compareLists, parseList } from './lists.js';
import { compatibleDims, extractQuantities, sameQuantity, type Quantity } from './quantities.js';
import { leadingAnswer, stripMarkdown, wordsOf } from './sentences.js';
import { normaliseText } from './text.js';

export interface LabelSpec {
  /** Labels the request allows, normalised; empty when it names none. */
  allowed: string[];
  /**
   * The request makes this a labelling task (allowed labels listed with "one of" / "labels:",
   * a classify/categorise instruction, or a bare answer demanded); a lone "x or y?" question
   * only names the labels a short answer is compared against.
   */
  task: boolean;
  /** The request asks for the bare answer only ("label only", "nothing else", "one word"). */
  bare: boolean;
  /** The request asks for an order (ranking, steps, sorted). */
  ordered: boolean;
}

/** System and user text of the request (the last user turn and every system/developer turn). */
export function instructionText(body: ChatCompletionCreateParams): string {
  const msgs = body.messages ?? [];
  const text = (m: (typeof msgs)[number]) => {
    const c = (m as { content?: unknown }).content;
    return typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (p as { text?: string }).text ?? '').join(' ') : '';
  };
  const sys = msgs.filter((m) => m.role === 'system' || m.role === 'developer').map(text);
  const lastUser = [...msgs].reverse().find((m) => m.role === 'user');
  return [...sys, lastUser ? text(lastUser) : ''].join('\n');
}

// "Answer only from the context" restricts the source, not the form: a RAG prompt, not a bare answer.
const BARE =
  /\b(?:(?:answer|reply|respond|return|output)\s+with\s+(?:the|a|one|your)\s+[\w-]+(?:\s+[\w-]+){0,2}\s+only\b|(?:answer|reply|respond|return|output|give|print|say)\s+(?:with\s+)?(?:only|just)\b(?!\s+(?:from|using|use|based|on|within|with\s+(?:information|facts|details|content|what)|in|according|to|if|when|where|about|what|questions?|the\s+(?:context|provided|given|documents?|information|sources?|text))\b)|only (?:the|a|one|your) (?:\w+ )?(?:label|category|word|number|name|value|answer|letter|queue|code|amount|total|date|class|result|count)\b|(?:label|category|number|name|word|answer|queue|value|amount|total|class|letter) only\b(?!\s+(?:from|using|use|based|on|within|with\s+(?:information|facts|details|content|what)|in|according|to|if|when|where|about|what|questions?|the\s+(?:context|provided|given|documents?|information|sources?|text))\b)|nothing else|no (?:other|extra|additional) (?:text|words)|no explanation|without (?:any )?(?:explanation|other text|extra text)|single word|one word|exactly one (?:word|label))/i;

const ALLOWED = [
  /\b(?:one of|choose (?:one )?(?:from|between|among)|pick (?:one )?from|from the following|one of the following|either)\s*(?:the\s+)?(?:labels?|categories|options|values|queues|classes)?\s*[:\-]?\s*([^\n.]*?(?:,|\bor\b|\/|\|)[^\n.]*?)(?=\.\s|\.$|\n|$|;\s)/gi,
  /\b(?:labels?|categories|options|classes|queues)\s*(?:are|is)?\s*[:\-]\s*([^\n.]*?,[^\n.]*?)(?=\.\s|\.$|\n|$)/gi,
  // "positive or negative?", "low, medium or high?"
  /(?:^|[:\s])((?:[\w-]+\s*,\s*)*[\w-]+\s+or\s+[\w-]+)\s*\?/gi,
];

/** What the request says about the answer's form, or undefined when it asks for nothing label-like. */
export function labelSpecFromRequest(body: ChatCompletionCreateParams): LabelSpec | undefined {
  const text = instructionText(body);
  const allowed = new Set<string>();
  let explicit = false;
  for (const [i, re] of ALLOWED.entries()) {
    for (const m of text.matchAll(re)) {
      const items = m[1]!
        .split(/\s*(?:,|\/|\||\bor\b|\band\b)\s*/i)
        .map((s) => normaliseText(s.replace(/^(?:the|a|an)\s+/i, '')))
        .filter((s) => s && wordsOf(s).length <= 3);
      if (items.length >= 2) {
        for (const it of items) allowed.add(it);
        if (i < ALLOWED.length - 1) explicit = true;
      }
    }
  }
  if (/\b(?:answer|reply|respond)\s+(?:with\s+)?(?:"?yes"?\s*(?:or|\/)\s*"?no"?)\b/i.test(text) || /\byes or no\b/i.test(text)) {
    allowed.add('yes');
    allowed.add('no');
    explicit = true;
  }
  const bare = BARE.test(text);
  if (!bare && allowed.size === 0) return undefined;
  const task = bare || explicit || (allowed.size > 0 && /\b(?:classify|classification|categori[sz]e|label|route|tag|sentiment)\b/i.test(text));
  return { allowed: [...allowed], bare, ordered: asksForOrder(body), task };
}

/** The request asks for an order: a ranking, steps (a procedure is a sequence), a sorted list. */
export function asksForOrder(body: ChatCompletionCreateParams): boolean {
  return /\b(?:rank|ranked|ranking|in order|order of|sorted|sort|sequence|chronological|steps|step[- ]by[- ]step|procedure|top \d+|first to last|highest (?:first|to lowest)|lowest (?:first|to highest)|fastest first|slowest first|most \w+ first|least \w+ first)\b/i.test(instructionText(body));
}

const LEAD_IN =
  /^(?:(?:the\s+)?(?:final\s+)?(?:answer|label|category|classification|result|sentiment|queue|total|sum|count|amount|value|output|language|priority|intent|topic)\s*(?:is|would be|:|-|=)\s*|(?:it(?:'s| is)|this is|that(?:'s| is)|i(?:'d| would) (?:say|classify (?:it|this) as)|classified as|category:)\s+)/i;

/** The answer without markdown, lead-in words and trailing punctuation: "The answer is **42**." → "42". */
export function coreAnswer(text: string): string {
  let t = stripMarkdown(text.trim().split('\n').filter((l) => l.trim()).join(' '));
  for (let i = 0; i < 2; i++) t = t.replace(LEAD_IN, '');
  return t.replace(/^["'“]+|["'”]+$/g, '').replace(/[.!]+$/, '').replace(/^["'“]+|["'”]+$/g, '').trim();
}

function labelsIn(text: string, allowed: string[]): string[] {
  const hay = ` ${normaliseText(text)} `;
  // Longest first, so "very negative" is not also read as "negative".
  const found: string[] = [];
  let rest = hay;
  for (const l of [...allowed].sort((a, b) => b.length - a.length)) {
    if (rest.includes(` ${l} `)) {
      found.push(l);
      rest = rest.split(` ${l} `).join(' ');
    }
  }
  return found;
}

/** "negative (0.91)", "negative: 0.91", "negative, confidence 0.91": a label and a self-reported score between 0 and 1. */
const LABEL_SCORE = /^(.*?[\p{L}][^()]*?)\s*(?:\(\s*|[:,;–—-]\s*|\s+)(?:(?:confidence|score|probability|p)\s*[:=]?\s*)?(0?\.\d+|1(?:\.0+)?|0)\s*\)?$/iu;

export function compareLabels(bText: string, cText: string, spec: LabelSpec | undefined): Check[] {
  // A label with a score on both sides: the label is compared as a label, the score as a model's estimate of its
  // own certainty (within 0.1 warns, like a `confidence` field in JSON; more, or a missing score, fails).
  const sb = LABEL_SCORE.exec(coreAnswer(bText));
  const sc = LABEL_SCORE.exec(coreAnswer(cText));
  if (sb && !/\d/.test(sb[1]!)) {
    if (!sc || /\d/.test(sc[1]!)) return [{ name: 'classification.match', status: 'fail', score: 0, reason: `baseline "${clip(bText)}" gives a label and a score; candidate "${clip(cText)}" does not` }];
    const label = compareLabels(sb[1]!, sc[1]!, spec);
    const [x, y] = [Number(sb[2]), Number(sc[2])];
    const d = Math.abs(x - y);
    const score: Check =
      d < 1e-9
        ? { name: 'classification.score', status: 'pass', reason: `same score ${x}` }
        : { name: 'classification.score', status: d <= 0.1 + 1e-9 ? 'warn' : 'fail', reason: `self-reported score ${x} → ${y}${d <= 0.1 + 1e-9 ? ' (within 0.1)' : ''}` };
    return [...label, score];
  }
  const bare = spec?.bare ?? false;
  const bCore = coreAnswer(bText);
  const cCore = coreAnswer(cText);
  const nb = normaliseText(bCore);
  const nc = normaliseText(cCore);
  const clipB = clip(bText);
  const clipC = clip(cText);
  // The candidate says more than the bare answer the request demands (and the baseline gave).
  const wordy = (answer: string, text: string) => normaliseText(text) !== normaliseText(answer) && normaliseText(stripMarkdown(text)) !== normaliseText(answer);
  const format = (label: string): Check | undefined => {
    if (!bare) return undefined;
    if (wordy(label, cText) && !wordy(label, bText)) {
      return { name: 'classification.format', status: 'fail', reason: `the request asks for the answer only; candidate wraps it: "${clipC}" (baseline "${clipB}")` };
    }
    // The same label in bold, a code span or quotes: formatting, not another label (the labelled
    // set's policy), but code that compares the reply verbatim would miss it — a reviewer should see it.
    if (decorated(cText) && !decorated(bText)) {
      return { name: 'classification.format', status: 'warn', reason: `the request asks for the answer only; candidate formats it: "${clipC}" (baseline "${clipB}"), which a verbatim comparison would not match` };
    }
    return { name: 'classification.format', status: 'pass', reason: 'bare answer as requested' };
  };
  const out = (match: Check, fmt?: Check) => (fmt ? [match, fmt] : [match]);

  // 1. Allowed labels named by the request: which one does each side give?
  if (spec?.allowed.length) {
    const lb = labelsIn(bCore, spec.allowed);
    const lc = labelsIn(cCore, spec.allowed);
    if (lb.length === 1) {
      const l = lb[0]!;
      if (lc.length === 1 && lc[0] === l) {
        // "track-order" for "track_order": the same words, but code matching the label's exact spelling (case aside) misses it.
        if (nb === l && nc === l && separators(bCore) !== separators(cCore)) {
          return [{ name: 'classification.match', status: 'fail', score: 0, reason: `candidate "${clipC}" spells the label differently from the baseline's "${clipB}"; code matching the label misses it` }];
        }
        // "bug report" for the label "bug": the baseline gave a label verbatim, the candidate a phrase that is not one.
        if (nb === l && nc !== l) {
          // "No, it is not overdue.": the label first, then a reason, where the request did not demand the bare label.
          if (!bare && leadsWith(cText, l)) {
            return [{ name: 'classification.match', status: 'warn', score: 0.5, reason: `candidate gives the same label "${l}" and then explains: "${clipC}"; code that reads the answer verbatim would break` }];
          }
          return [{ name: 'classification.match', status: 'fail', score: 0, reason: `candidate "${clipC}" is not one of the allowed labels (${spec.allowed.join(', ')}); baseline "${l}"` }];
        }
        return out({ name: 'classification.match', status: 'pass', score: 1, reason: `same label "${l}"` }, format(l));
      }
      return out({
        name: 'classification.match',
        status: 'fail',
        score: 0,
        reason: lc.length === 0 ? `baseline "${l}"; candidate gives none of the allowed labels: "${clipC}"` : lc.length > 1 ? `baseline "${l}"; candidate names several labels (${lc.join(', ')}): "${clipC}"` : `baseline "${l}" vs candidate "${lc[0]}"`,
      });
    }
  }
  // 2. Yes / no.
  const yb = leadingAnswer(bCore) ?? (['yes', 'no'].includes(nb) ? (nb as 'yes' | 'no') : undefined);
  const yc = leadingAnswer(cCore) ?? (['yes', 'no'].includes(nc) ? (nc as 'yes' | 'no') : undefined);
  if (yb && nb.split(' ').length <= 3) {
    if (yb === yc) return out({ name: 'classification.match', status: 'pass', score: 1, reason: `both answer "${yb}"` }, format(yb));
    return out({ name: 'classification.match', status: 'fail', score: 0, reason: `baseline "${clipB}" vs candidate "${clipC}"` });
  }
  // 3. Numbers: the same amount in any notation.
  const qb = extractQuantities(bCore).filter((q) => !q.soft);
  if (qb.length === 1 && wordsOf(bCore).length <= 4) {
    const qc = conclusions(cCore, extractQuantities(cCore).filter((q) => !q.soft));
    const same = qc.length >= 1 && qc.some((q) => sameQuantity(qb[0]!, q)) && qc.every((q) => sameQuantity(qb[0]!, q) || q.kind !== qb[0]!.kind);
    if (same) {
      // The bare number the request asks for: nothing but the value (currency and unit included) on the candidate side.
      const rest = (t: string) => extractQuantities(t).reduce((acc, q) => acc.replace(q.raw, ' '), stripMarkdown(t)).replace(/\b(?:[A-Z]{3}|USD|EUR|GBP)\b|[$€£¥%.,:;!]/g, ' ').trim();
      const fmt: Check | undefined = !bare
        ? undefined
        : rest(cText) && !rest(bText)
          ? { name: 'classification.format', status: 'fail', reason: `the request asks for the value only; candidate wraps it: "${clipC}" (baseline "${clipB}")` }
          : { name: 'classification.format', status: 'pass', reason: 'bare value as requested' };
      return out({ name: 'classification.match', status: 'pass', score: 1, reason: `same value ${qb[0]!.raw}${bCore === cCore ? '' : ` ("${clipB}" vs "${clipC}")`}` }, fmt);
    }
    return out({ name: 'classification.match', status: 'fail', score: 0, reason: `baseline ${qb[0]!.raw} vs candidate "${clipC}"` });
  }
  // 4. Lists: the same items in any list format.
  const pb = parseList(bText);
  const pc = parseList(cText, { maxInlineWords: 6 });
  if (pb && pc) {
    const cmp = compareLists(pb.items, pc.items);
    if (cmp.missing.length || cmp.extra.length) {
      return [{ name: 'classification.match', status: 'fail', score: 0, reason: `list items differ: missing ${cmp.missing.map((m) => `"${m}"`).join(', ') || '-'}; extra ${cmp.extra.map((m) => `"${m}"`).join(', ') || '-'}` }];
    }
    if (!cmp.sameOrder && spec?.ordered) return [{ name: 'classification.match', status: 'fail', score: 0, reason: 'same items in another order, and the request asks for an order' }];
    return [{ name: 'classification.match', status: 'pass', score: 1, reason: `same ${pb.items.length} items (${pb.format} vs ${pc.format})${cmp.sameOrder ? '' : ', order differs'}` }];
  }
  // 5. Normalised text.
  if (nb === nc) return out({ name: 'classification.match', status: 'pass', score: 1, reason: `same answer "${clip(bCore)}"` }, format(bCore));
  if (nb && ` ${nc} `.includes(` ${nb} `)) {
    if (bare) return [{ name: 'classification.match', status: 'fail', score: 0, reason: `the request asks for the answer only; candidate "${clipC}" wraps the baseline's "${clipB}"` }];
    return [{ name: 'classification.match', status: 'warn', score: 0.5, reason: `candidate "${clipC}" contains the baseline's answer "${clipB}" but says more; code that reads it verbatim would break` }];
  }
  return [{ name: 'classification.match', status: 'fail', score: 0, reason: `baseline "${clipB}" vs candidate "${clipC}"` }];
}

/**
 * The figures an answer concludes with, its working left out: an operand ("2,048 GB × $0.023 = …")
 * and an unrounded result restated rounded ("$47.104, so about $47.10") are steps, not answers.
 * With no working shown, every figure counts.
 */
function conclusions(text: string, qs: Quantity[]): Quantity[] {
  const kept = qs.filter((q, i) => {
    if (q.kind !== 'number') return true;
    if (/^\s*(?:[×*\/÷+=]|[x−]\s)/.test(text.slice(q.end))) return false;
    const next = qs[i + 1];
    if (next?.kind === 'number' && compatibleDims(q.dim, next.dim) && /^[\s,;(*]*(?:so|which is|which rounds to|rounded to|i\.e\.|or|≈|~)?[\s*]*(?:about|approximately|roughly|around)?[\s*]*$/i.test(text.slice(q.end, next.index))) {
      const places = /\.(\d+)/.exec(next.raw)?.[1]?.length ?? 0;
      if (places < (/\.(\d+)/.exec(q.raw)?.[1]?.length ?? 0) && Math.abs(Number(q.value.toFixed(places)) - next.value) < 1e-9) return false;
    }
    return true;
  });
  return kept.length ? kept : qs;
}

/** Emphasis, a code span or quotes around the whole answer: "**billing**", "`sev3`", "\"positive\"". */
function decorated(text: string): boolean {
  const t = text.trim();
  return t !== t.replace(/^[*_`"'\u201c\u201d\u2018\u2019]+|[*_`"'\u201c\u201d\u2018\u2019]+$/g, '');
}

/** The separators inside a label as written: "track_order" → "_", "track-order" → "-", "Track Order" → " ". */
function separators(s: string): string {
  return (s.trim().match(/(?<=[\p{L}\p{N}])[\s_-]+(?=[\p{L}\p{N}])/gu) ?? []).map((x) => (/[_-]/.test(x) ? x.replace(/\s/g, '') : ' ')).join('|');
}

/** The answer opens with the label, then a break (",", "—", ":", ".") and more words: "No, it is not overdue." */
function leadsWith(text: string, label: string): boolean {
  const t = normaliseText(stripMarkdown(text.trim()).split(/\s*[,;:—–.!]\s+|\s+[-–—]\s+/)[0] ?? '');
  return t === label && wordsOf(text).length > wordsOf(label).length;
}

function clip(s: string, n = 60): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

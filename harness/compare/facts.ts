/**
 * Fact checks for free text: similarity alone cannot pass an answer that changes a fact.
 * Numbers (units, separators, percentages), dates and times, names, identifiers, flags and
 * quoted strings, category terms (weekday, month, frequency), list items, and the polarity
 * of clauses that share their content are taken from the baseline and looked for in the
 * candidate. A changed fact fails, with both values — also when the two values are merely
 * swapped between clauses; a dropped one warns (fails when `strict`: extraction and
 * summarisation prompts). Values inside "for example …" clauses are illustrations: a
 * different example only warns.
 */
import type { Check } from '../types.js';
import { compareLists, parseList, sameItem, type ParsedList } from './lists.js';
import { extractQuantities, sameQuantity, compatibleDims, type Quantity } from './quantities.js';
import {
  alignClauses,
  antonymFlips,
  categoryTerms,
  extractEntities,
  leadingAnswer,
  mentions,
  normEntity,
  negationCount,
  splitClauses,
  strongAlignment,
  swappedComparison,
  wordsOf,
  type Alignment,
  type Clause,
  type Entity,
} from './sentences.js';
import { stem, STOPWORDS } from './lexicon.js';

export interface FactOptions {
  /** Dropped facts fail (extraction, summarisation). */
  strict: boolean;
  /** The request asks for an order (ranking, steps): a reordered list fails. */
  orderMatters: boolean;
  /** Words of the request: a capitalised word that also occurs there in lower case is not a name. */
  vocabulary?: Set<string>;
  /** Capitalised words of the request: a sentence-opening word among them is a name ("Priya will …"). */
  names?: Set<string>;
  /** The baseline was cut off (token limit, mid-sentence): its list is incomplete, its last item a fragment. */
  baselineCut?: boolean;
}

interface Ctx {
  b: string;
  c: string;
  bc: Clause[];
  cc: Clause[];
  align: Map<Clause, Alignment>;
  o: FactOptions;
}

export function factChecks(b: string, c: string, o: FactOptions): Check[] {
  const vocabulary = new Set([...(o.vocabulary ?? []), ...lowerWords(b), ...lowerWords(c)]);
  const eb = extractEntities(b, vocabulary, o.names);
  const ec = extractEntities(c, vocabulary, o.names);
  const entityWords = new Set([...eb, ...ec].flatMap((e) => wordsOf(e.text)));
  const bc = splitClauses(b, entityWords);
  const cc = splitClauses(c, entityWords);
  const ctx: Ctx = { b, c, bc, cc, align: alignClauses(bc, cc), o };
  return [...quantityChecks(ctx), entityCheck(ctx, eb, ec), listCheck(ctx), polarityCheck(ctx)].filter((x): x is Check => !!x);
}

/** Words written in lower case somewhere: evidence that their capitalised form is not a name. */
function lowerWords(text: string): string[] {
  return (text.match(/(?<![\p{L}\p{N}])\p{Ll}[\p{L}'’-]*/gu) ?? []).map((w) => w.toLowerCase());
}

function clauseAt(cs: Clause[], index: number): Clause | undefined {
  return cs.find((c) => index >= c.index && index < c.end) ?? [...cs].reverse().find((c) => c.index <= index);
}

function summary(changed: string[], dropped: string[], examples: string[], o: FactOptions, what: string): { status: Check['status']; reason: string } {
  const parts: string[] = [];
  if (changed.length) parts.push(`changed: ${changed.slice(0, 4).join('; ')}`);
  if (dropped.length) parts.push(`missing from the candidate: ${dropped.slice(0, 4).join(', ')}${o.strict ? ' (fails: extraction/summary prompt)' : ''}`);
  if (examples.length) parts.push(`different example values: ${examples.slice(0, 3).join('; ')}`);
  return {
    status: changed.length || (dropped.length && o.strict) ? 'fail' : dropped.length || examples.length ? 'warn' : 'pass',
    reason: parts.length ? `${what} ${parts.join('; ')}` : `every ${what.replace(/:$/, '')} of the baseline is in the candidate`,
  };
}

/** Nearest content words on each side of a value: "revenue rose 12%" → revenue, rose. */
function contextWords(text: string, index: number, end: number): Set<string> {
  const before = wordsOf(text.slice(Math.max(0, index - 40), index)).filter((w) => !/^\d/.test(w)).slice(-3);
  const after = wordsOf(text.slice(end, end + 30)).filter((w) => !/^\d/.test(w)).slice(0, 2);
  return new Set([...before, ...after].filter((w) => w.length > 2).map(stem));
}

function quantityChecks(ctx: Ctx): Check[] {
  const qb = extractQuantities(ctx.b);
  const qc = extractQuantities(ctx.c);
  const inClause = (q: Quantity, cl: Clause | undefined) => !!cl && q.index >= cl.index && q.index < cl.end;
  const out: Check[] = [];
  for (const kind of ['number', 'date'] as const) {
    const isKind = (q: Quantity) => (kind === 'number' ? q.kind === 'number' : q.kind === 'date' || q.kind === 'time');
    const bs = qb.filter(isKind);
    if (!bs.some((q) => !q.soft)) continue;
    const cs = qc.filter(isKind);
    const changed: string[] = [];
    const dropped: Quantity[] = [];
    const examples: string[] = [];
    const used = new Set<number>();
    // A candidate value written exactly as a baseline value is that value: "11 lb" in "11 lb is 24.25 kg" must
    // not also stand in, approximately, for the baseline's "about 4.99 kg" (the same mass, converted).
    const exact = (x: Quantity, y: Quantity) => sameQuantity({ ...x, approx: false }, { ...y, approx: false });
    const same = (q: Quantity, x: Quantity) => sameQuantity(q, x) && (exact(q, x) || !bs.some((y) => y !== q && exact(y, x) && !exact(y, q)));
    for (const q of bs) {
      const cb = clauseAt(ctx.bc, q.index);
      const al = cb ? ctx.align.get(cb) : undefined;
      const comparable = (x: Quantity) => x.kind === q.kind && compatibleDims(x.dim, q.dim);
      const report = (x: Quantity) => {
        const note = `"${q.raw}" → "${x.raw}"`;
        if (cb?.example && clauseAt(ctx.cc, x.index)?.example) examples.push(note);
        else changed.push(note);
      };
      const anywhere = cs.findIndex((x) => same(q, x));
      if (strongAlignment(al)) {
        const here = cs.filter((x) => inClause(x, al.c) && comparable(x));
        if (here.some((x) => same(q, x))) continue;
        // The clause that says the same thing gives another value — changed, or swapped with one said elsewhere.
        const others = here.filter((x) => !x.soft && (anywhere < 0 || !bs.some((y) => inClause(y, cb!) && sameQuantity(y, x))));
        // Prefer a value the baseline never states (the replacement) over one it states elsewhere (the input restated).
        const other = others.find((x) => !bs.some((y) => exact(y, x))) ?? others[0];
        // …unless the value is said in another clause that matches as well, and the aligned clause's value is one the
        // baseline never gives (an added figure, not a swap): "45 days" → "45 days (6 weeks and 3 days)".
        const alsoSaid = anywhere >= 0 && !!other && !bs.some((y) => sameQuantity(y, other)) && sharedContent(cb!, clauseAt(ctx.cc, cs[anywhere]!.index)) >= al.shared;
        // A swap crosses: the clause where the candidate says this value is the one matching the baseline clause
        // that says the other value. Otherwise both values are said where they belong and the alignment was loose.
        const uncrossed =
          anywhere >= 0 && !!other && bs.some((y) => sameQuantity(y, other)) && !bs.some((y) => sameQuantity(y, other) && ctx.align.get(clauseAt(ctx.bc, y.index)!)?.c === clauseAt(ctx.cc, cs[anywhere]!.index));
        if (other && !q.soft && !alsoSaid && !uncrossed) {
          used.add(cs.indexOf(other));
          report(other);
          continue;
        }
      }
      if (anywhere >= 0) {
        used.add(anywhere);
        continue;
      }
      if (q.soft) continue;
      const ctxB = contextWords(ctx.b, q.index, q.end);
      const j = cs.findIndex((x, k) => !used.has(k) && comparable(x) && !bs.some((y) => sameQuantity(y, x)) && [...ctxB].some((w) => contextWords(ctx.c, x.index, x.end).has(w)));
      // The same figure with another, incompatible unit: "2 percentage points" → "2%", "5 GB" → "5 GBP".
      const k = j >= 0 ? -1 : cs.findIndex((x, i) => !used.has(i) && !x.soft && x.kind === q.kind && !compatibleDims(x.dim, q.dim) && numeral(x.raw) === numeral(q.raw) && !bs.some((y) => sameQuantity(y, x)));
      if (j >= 0 || k >= 0) {
        used.add(j >= 0 ? j : k);
        report(cs[j >= 0 ? j : k]!);
      } else dropped.push(q);
    }
    // One amount of a kind dropped and one new amount of the same kind said instead ("$2,550" → "$2,500"): a
    // replacement, not an omission — like a look-alike name. Only for values with a unit or currency.
    const newOnes = cs.filter((x, i) => !used.has(i) && !x.soft && x.kind === 'number' && !bs.some((y) => sameQuantity(y, x)));
    for (const q of [...dropped]) {
      if (q.kind !== 'number' || q.dim === 'plain') continue;
      const ofDim = (x: Quantity) => x.dim === q.dim;
      const nx = newOnes.filter(ofDim);
      if (dropped.filter(ofDim).length === 1 && nx.length === 1) {
        dropped.splice(dropped.indexOf(q), 1);
        changed.push(`"${q.raw}" → "${nx[0]!.raw}"`);
      }
    }
    const s = summary(changed, dropped.map((q) => `"${q.raw}"`), examples, ctx.o, kind === 'number' ? 'numbers:' : 'dates and times:');
    out.push({ name: kind === 'number' ? 'facts.numbers' : 'facts.dates', ...s });
  }
  return out;
}

function sharedContent(a: Clause, b: Clause | undefined): number {
  let n = 0;
  if (b) for (const w of a.content) if (b.content.has(w)) n++;
  return n;
}

/** The figure as written, without its unit: "2 percentage points" → 2, "$1,200" → 1200. */
function numeral(raw: string): number | undefined {
  const m = /\d[\d,]*(?:\.\d+)?/.exec(raw);
  return m ? Number(m[0].replace(/,/g, '')) : undefined;
}

function entityCheck(ctx: Ctx, eb: Entity[], ec: Entity[]): Check | undefined {
  const cats = categoryChanges(ctx);
  if (!eb.some((e) => !e.weak) && !cats.length && !eb.length) return undefined;
  const changed: string[] = [...cats];
  const dropped: string[] = [];
  const usedC = new Set<Entity>();
  const inClause = (e: Entity, cl: Clause) => e.index >= cl.index && e.index < cl.end;
  for (const e of eb) {
    const cb = clauseAt(ctx.bc, e.index);
    const al = cb ? ctx.align.get(cb) : undefined;
    const present = mentions(ctx.c, e);
    if (strongAlignment(al)) {
      // Swapped or replaced where it is said: the matching clause names another entity of the same kind, not this one.
      const here = ec.filter((x) => inClause(x, al.c) && x.kind === e.kind && !usedC.has(x));
      const saysIt = mentions(al.c.raw, e);
      const other = here.find((x) => !mentions(cb!.raw, x) && (!x.weak || al.score >= 0.75) && (!e.weak || (x.weak && al.score >= 0.75)));
      if (!saysIt && other) {
        usedC.add(other);
        changed.push(`"${e.text}" → "${other.text}"`);
        continue;
      }
    }
    if (present || e.weak) continue;
    // Not said, and a look-alike the baseline never names is said instead: "--force-with-lease" → "--force",
    // "Priya Nair" → "Priya Shah". A replacement, not an omission.
    const lookAlike = ec.find((x) => !usedC.has(x) && !x.weak && sameFamily(e, x) && !namesExactly(ctx.b, x) && sharesPart(e, x));
    if (lookAlike) {
      usedC.add(lookAlike);
      changed.push(`"${e.text}" → "${lookAlike.text}"`);
      continue;
    }
    dropped.push(`"${e.text}"`);
  }
  if (!changed.length && !dropped.length && !eb.some((e) => !e.weak)) return undefined;
  return { name: 'facts.entities', ...summary(changed, dropped, [], ctx.o, 'names, identifiers and quoted strings:') };
}

const sameFamily = (a: Entity, b: Entity) => a.kind === b.kind || (['id', 'code'].includes(a.kind) && ['id', 'code'].includes(b.kind));

/** The text names the entity as a whole token ("--force" is not named by "--force-with-lease"). */
function namesExactly(text: string, e: Entity): boolean {
  const esc = e.norm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_-])${esc}(?![\\p{L}\\p{N}_-])`, 'u').test(e.kind === 'code' ? text.normalize('NFKC') : normEntity(text));
}

/** Two entities with a distinctive word in common ("Priya" in "Priya Nair" and "Priya Shah", "force" in two flags). */
function sharesPart(a: Entity, b: Entity): boolean {
  const parts = (e: Entity) => new Set(e.norm.split(/[\s\-_./:~@]+/).filter((p) => p.length >= 3 && !/^\d+$/.test(p) && !STOPWORDS.has(p)));
  const pb = parts(b);
  return [...parts(a)].some((p) => pb.has(p));
}

/** "charged monthly" → "charged annually", "starts in March" → "starts in June": category terms that differ in matching clauses. */
function categoryChanges(ctx: Ctx): string[] {
  const out: string[] = [];
  for (const a of ctx.align.values()) {
    if (!strongAlignment(a)) continue;
    const tb = categoryTerms(a.b);
    const tc = categoryTerms(a.c);
    for (const [cat, terms] of tb) {
      const other = tc.get(cat);
      if (!other) continue;
      const missing = [...terms].filter((t) => !other.has(t));
      const added = [...other].filter((t) => !terms.has(t));
      if (missing.length && added.length) out.push(`"${missing.join(', ')}" → "${added.join(', ')}"`);
    }
  }
  return out;
}

function listCheck(ctx: Ctx): Check | undefined {
  const parsed = parseList(ctx.b);
  // A cut baseline's last item is a fragment ("3. Empty it and"), and what it lists is not the whole list: the
  // items it does give are compared, but a difference only warns, like the truncation itself.
  const lb = parsed && ctx.o.baselineCut ? { ...parsed, items: parsed.items.slice(0, -1) } : parsed;
  if (!lb || lb.items.length < 2) return undefined;
  const check = listItemsCheck(ctx, lb);
  return check && ctx.o.baselineCut && check.status === 'fail' ? { ...check, status: 'warn', reason: `${check.reason} (the baseline is cut off)` } : check;
}

function listItemsCheck(ctx: Ctx, lb: ParsedList): Check | undefined {
  const lc = parseList(ctx.c, { maxInlineWords: 8 });
  const short = lb.items.every((i) => wordsOf(i).length <= 6);
  const lenient = (): Check['status'] => (ctx.o.strict ? 'fail' : 'warn');
  if (lc) {
    const cmp = compareLists(lb.items, lc.items);
    if (cmp.missing.length && cmp.extra.length) {
      return { name: 'facts.list', status: 'fail', reason: `list items changed: ${cmp.missing.map((m) => `"${m}"`).join(', ')} → ${cmp.extra.map((m) => `"${m}"`).join(', ')}` };
    }
    if (cmp.missing.length) {
      return { name: 'facts.list', status: short ? 'fail' : lenient(), reason: `list items missing from the candidate: ${cmp.missing.map((m) => `"${m}"`).join(', ')}` };
    }
    // A list of short items (names, values) is its items: an added one changes the answer; an added tip or step does not.
    if (cmp.extra.length && short && lc.items.every((i) => wordsOf(i).length <= 6)) {
      return { name: 'facts.list', status: 'fail', reason: `the candidate's list adds ${cmp.extra.map((x) => `"${x}"`).join(', ')}` };
    }
    if (!cmp.sameOrder && ctx.o.orderMatters) return { name: 'facts.list', status: 'fail', reason: 'same items in a different order, and the request asks for an order' };
    const fmt = lb.format === lc.format ? '' : ` (${lb.format} vs ${lc.format})`;
    return {
      name: 'facts.list',
      status: 'pass',
      reason: `same ${lb.items.length} item(s)${fmt}${cmp.extra.length ? `; candidate adds ${cmp.extra.map((x) => `"${x}"`).join(', ')}` : ''}${cmp.sameOrder ? '' : '; order differs'}`,
    };
  }
  // Candidate wrote prose: each item must still be said.
  const cWords = new Set(wordsOf(ctx.c).map(stem));
  const missing = lb.items.filter((item) => {
    const ws = wordsOf(item).map(stem).filter((w) => w.length > 2);
    return ws.length > 0 && ws.filter((w) => cWords.has(w)).length / ws.length < 0.6 && !sameItem(item, ctx.c);
  });
  if (missing.length) {
    return { name: 'facts.list', status: short ? 'fail' : lenient(), reason: `list items missing from the candidate: ${missing.map((m) => `"${m}"`).join(', ')}` };
  }
  return { name: 'facts.list', status: 'pass', reason: `every list item is in the candidate (${lb.format} vs prose)` };
}

function polarityCheck(ctx: Ctx): Check | undefined {
  const flips: string[] = [];
  const lb = leadingAnswer(ctx.b);
  const lc = leadingAnswer(ctx.c);
  if (lb && lc && lb !== lc) flips.push(`the answer is "${lb}" in the baseline, "${lc}" in the candidate`);
  for (const a of ctx.align.values()) {
    if (!strongAlignment(a)) continue;
    const nb = negationCount(a.b, a.c);
    const nc = negationCount(a.c, a.b);
    const ant = antonymFlips(a.b, a.c);
    const swap = swappedComparison(a.b, a.c);
    if ((nb + nc + ant.length + (swap ? 1 : 0)) % 2 === 1) {
      const why = swap ? `"… over/than ${swap[0]}" vs "… over/than ${swap[1]}": the two sides swapped` : ant.length ? `"${ant[0]![0]}" vs "${ant[0]![1]}"` : nb > nc ? 'negated in the baseline only' : 'negated in the candidate only';
      flips.push(`"${clip(a.b.text)}" vs "${clip(a.c.text)}" (${why})`);
    }
  }
  if (!flips.length) return ctx.align.size ? { name: 'facts.polarity', status: 'pass', reason: 'no clause says the opposite of the baseline' } : undefined;
  return { name: 'facts.polarity', status: 'fail', reason: `polarity flipped: ${flips.slice(0, 2).join('; ')}` };
}

function clip(s: string, n = 70): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

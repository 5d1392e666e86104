/**
 * How often the parity gate's verdicts agree with a careful reviewer: the labelled set in
 * test/harness/judgement/*.yaml — (request, baseline, candidate, equivalent?) pairs with a
 * one-line reason each — is written out as a fixture file (recorded baselines) and a Batch
 * output file (recorded candidate answers), run through the public CLI
 * (`parity --baseline recorded --candidate recorded --judge off`), and the report's
 * verdicts are scored per category: accuracy, false-pass rate (share of non-equivalent
 * pairs the gate let through) and false-fail rate (share of equivalent pairs it failed).
 *
 * A pair is predicted "equivalent" when its prompt does not fail (pass or warn: what the
 * default gate counts as passing); `strict` figures count warnings as failures (`--strict`).
 *
 *   node dist/bench/judgement.js [--out bench/JUDGEMENT.md]   (also part of `npm run bench`)
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

type Json = Record<string, unknown>;

export interface Pair {
  id: string;
  category: string;
  structured: boolean;
  equivalent: boolean;
  reason: string;
  /**
   * 0: the comparator was tuned on it. N > 0: written in holdout batch N, after the rules were
   * tuned on the earlier pairs, labelled before the gate ran on it (`holdout: true` is batch 1).
   */
  holdout: number;
  body: Json;
  tags: string[];
  compare?: unknown;
  baseline: Json;
  candidate: { ok: true; response: Json } | { ok: false; status: number; message: string };
}

export interface CategoryScore {
  category: string;
  structured: boolean;
  pairs: number;
  equivalent: number;
  accuracy: number;
  falsePass: number;
  falsePassRate: number;
  falseFail: number;
  falseFailRate: number;
  /** Counting warnings as failures (`--strict`). */
  strict: { accuracy: number; falsePassRate: number; falseFailRate: number };
  /** Pairs the gate got wrong, with the reviewer's reason and the gate's first reason. */
  misses: Array<{ id: string; equivalent: boolean; status: string; reason: string; gate: string; holdout: number }>;
}

export interface JudgementResult {
  categories: CategoryScore[];
  overall: Omit<CategoryScore, 'category' | 'structured' | 'misses'>;
  structured: Omit<CategoryScore, 'category' | 'structured' | 'misses'>;
  /** Per holdout batch, the pairs written after the comparator was tuned: an estimate of accuracy on unseen prompts. */
  holdouts: Array<{ batch: number } & Omit<CategoryScore, 'category' | 'structured' | 'misses'>>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root, from bench/ (sources) or dist/bench/ (built). */
export const ROOT = [join(here, '..'), join(here, '..', '..')].find((d) => existsSync(join(d, 'package.json')) && existsSync(join(d, 'test', 'harness', 'judgement')))!;
export const SET_DIR = join(ROOT, 'test', 'harness', 'judgement');

function completion(answer: unknown, model: string): Json {
  const a = (typeof answer === 'string' ? { content: answer } : answer) as { content?: string | null; tool_calls?: Array<{ name: string; arguments: unknown }>; finish_reason?: string; refusal?: string };
  const calls = a.tool_calls?.map((t, i) => ({ id: `call_${i}`, type: 'function', function: { name: t.name, arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments) } }));
  return {
    id: 'chatcmpl-labelled',
    object: 'chat.completion',
    created: 1730000000,
    model,
    choices: [
      {
        index: 0,
        finish_reason: a.finish_reason ?? (calls?.length ? 'tool_calls' : 'stop'),
        logprobs: null,
        message: { role: 'assistant', content: a.content ?? null, refusal: a.refusal ?? null, ...(calls?.length ? { tool_calls: calls } : {}) },
      },
    ],
    usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 },
  };
}

/** Reads every category file of the labelled set. */
export function loadLabelledSet(dir = SET_DIR): Pair[] {
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const doc = parseYaml(readFileSync(join(dir, name), 'utf8')) as { category: string; structured?: boolean; holdout?: boolean | number; defaults?: Json; pairs: Json[] };
    for (const raw of doc.pairs) {
      const p = { ...(doc.defaults ?? {}), ...raw } as Json;
      const id = `${doc.category}/${String(p.id)}`;
      if (seen.has(id)) throw new Error(`${name}: duplicate id ${id}`);
      seen.add(id);
      for (const k of ['id', 'equivalent', 'reason', 'baseline', 'candidate']) if (p[k] === undefined) throw new Error(`${name}: ${id} has no ${k}`);
      const messages: Json[] = [];
      if (p.system) messages.push({ role: 'system', content: p.system });
      if (Array.isArray(p.messages)) messages.push(...(p.messages as Json[]));
      if (p.user) messages.push({ role: 'user', content: p.user });
      const body: Json = { model: 'gpt-4o-mini', temperature: 0, messages, ...((p.body as Json | undefined) ?? {}) };
      const cand = p.candidate as Json | string;
      pairs.push({
        id,
        category: doc.category,
        structured: doc.structured === true,
        equivalent: p.equivalent === true,
        reason: String(p.reason),
        holdout: doc.holdout === true ? 1 : typeof doc.holdout === 'number' ? doc.holdout : 0,
        body,
        tags: (p.tags as string[] | undefined) ?? [],
        ...(p.compare !== undefined ? { compare: p.compare } : {}),
        baseline: completion(p.baseline, 'gpt-4o-mini-2024-07-18'),
        candidate:
          typeof cand === 'object' && cand && 'error' in cand
            ? { ok: false, status: Number((cand.error as Json).status ?? 400), message: String((cand.error as Json).message ?? 'rejected') }
            : { ok: true, response: completion(cand, 'gpt-4o-mini') },
      });
    }
  }
  return pairs;
}

/** Writes the fixture file (Batch input lines with recorded baselines) and the candidate Batch output file. */
export function writeRunFiles(pairs: Pair[], dir = mkdtempSync(join(tmpdir(), 'nova-judgement-'))): { dir: string; fixtures: string; candidates: string } {
  const fixtures = join(dir, 'labelled.jsonl');
  const candidates = join(dir, 'candidate-output.jsonl');
  writeFileSync(
    fixtures,
    pairs.map((p) => JSON.stringify({ custom_id: p.id, method: 'POST', url: '/v1/chat/completions', body: p.body, metadata: { tags: p.tags }, baseline: p.baseline, ...(p.compare !== undefined ? { compare: p.compare } : {}) })).join('\n'),
  );
  writeFileSync(
    candidates,
    pairs
      .map((p, i) =>
        JSON.stringify(
          p.candidate.ok
            ? { id: `batch_req_${i}`, custom_id: p.id, response: { status_code: 200, request_id: `req_${i}`, body: p.candidate.response }, error: null }
            : { id: `batch_req_${i}`, custom_id: p.id, response: { status_code: p.candidate.status, request_id: `req_${i}`, body: { error: { message: p.candidate.message, type: 'invalid_request_error', param: null, code: null } } }, error: null },
        ),
      )
      .join('\n'),
  );
  return { dir, fixtures, candidates };
}

/** The CLI arguments that run the labelled set. */
export function cliArgs(files: { fixtures: string; candidates: string; dir: string }): string[] {
  return ['parity', '--fixtures', files.fixtures, '--baseline', 'recorded', '--candidate', 'recorded', '--candidate-file', files.candidates, '--judge', 'off', '--no-cache', '--no-progress', '--json', join(files.dir, 'report.json'), '--concurrency', '8'];
}

type Rates = Omit<CategoryScore, 'category' | 'structured' | 'misses'>;

function rates(rows: Array<{ equivalent: boolean; status: string }>): Rates {
  const n = rows.length;
  const eq = rows.filter((r) => r.equivalent);
  const neq = rows.filter((r) => !r.equivalent);
  const predicted = (r: { status: string }, strict: boolean) => (strict ? r.status === 'pass' : r.status !== 'fail');
  const calc = (strict: boolean) => {
    const fp = neq.filter((r) => predicted(r, strict)).length;
    const ff = eq.filter((r) => !predicted(r, strict)).length;
    return { fp, ff, accuracy: n ? (n - fp - ff) / n : 1, falsePassRate: neq.length ? fp / neq.length : 0, falseFailRate: eq.length ? ff / eq.length : 0 };
  };
  const d = calc(false);
  const s = calc(true);
  return {
    pairs: n,
    equivalent: eq.length,
    accuracy: d.accuracy,
    falsePass: d.fp,
    falsePassRate: d.falsePassRate,
    falseFail: d.ff,
    falseFailRate: d.falseFailRate,
    strict: { accuracy: s.accuracy, falsePassRate: s.falsePassRate, falseFailRate: s.falseFailRate },
  };
}

/** Scores the `--json` report of a labelled-set run against the labels. */
export function scoreReport(pairs: Pair[], report: { prompts: Array<{ id: string; status: string; reasons: string[] }> }): JudgementResult {
  const byId = new Map(report.prompts.map((p) => [p.id, p]));
  const rows = pairs.map((p) => {
    const r = byId.get(p.id);
    if (!r) throw new Error(`the report has no prompt ${p.id}`);
    return { ...p, status: r.status, gate: r.reasons[0] ?? '' };
  });
  const cats = [...new Set(pairs.map((p) => p.category))].sort();
  const categories = cats.map((category) => {
    const rs = rows.filter((r) => r.category === category);
    return {
      category,
      structured: rs[0]!.structured,
      ...rates(rs),
      misses: rs
        .filter((r) => (r.status !== 'fail') !== r.equivalent)
        .map((r) => ({ id: r.id, equivalent: r.equivalent, status: r.status, reason: r.reason, gate: r.gate, holdout: r.holdout })),
    };
  });
  const batches = [...new Set(rows.map((r) => r.holdout).filter((b) => b > 0))].sort((a, b) => a - b);
  return {
    categories,
    overall: rates(rows),
    structured: rates(rows.filter((r) => r.structured)),
    holdouts: batches.map((batch) => ({ batch, ...rates(rows.filter((r) => r.holdout === batch)) })),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The accuracy table (Markdown), as in docs/parity.md. */
export function renderTable(r: JudgementResult): string {
  const L = ['| category | pairs (equivalent) | accuracy | false-pass | false-fail | strict: accuracy / false-pass / false-fail |', '|---|---:|---:|---:|---:|---:|'];
  const row = (name: string, x: Rates) =>
    `| ${name} | ${x.pairs} (${x.equivalent}) | ${pct(x.accuracy)} | ${pct(x.falsePassRate)} (${x.falsePass}) | ${pct(x.falseFailRate)} (${x.falseFail}) | ${pct(x.strict.accuracy)} / ${pct(x.strict.falsePassRate)} / ${pct(x.strict.falseFailRate)} |`;
  for (const c of r.categories) L.push(row(`${c.category}${c.structured ? ' *' : ''}`, c));
  L.push(row('**structured answers** *', r.structured), row('**overall**', r.overall), ...r.holdouts.map((h) => row(`_holdout batch ${h.batch}_`, h)));
  return `${L.join('\n')}\n\n\\* structured answers (JSON, tools, labels, numbers): target false-pass 0. A holdout row counts the pairs of one batch written after the comparator was tuned on the earlier ones (they are included in the rows above too).\n`;
}

export function renderMisses(r: JudgementResult): string {
  const misses = r.categories.flatMap((c) => c.misses);
  if (!misses.length) return 'No disagreement with the labels.\n';
  return `${misses.map((m) => `- \`${m.id}\`${m.holdout ? ` (holdout ${m.holdout})` : ''} labelled ${m.equivalent ? 'equivalent' : 'not equivalent'}, gate ${m.status.toUpperCase()} — ${m.reason}${m.gate ? ` (gate: ${m.gate.slice(0, 160)})` : ''}`).join('\n')}\n`;
}

/** Runs the set through the CLI binary in a child process, as a user would. */
export async function runJudgementBench(): Promise<{ result: JudgementResult; ms: number }> {
  const { spawnSync } = await import('node:child_process');
  const pairs = loadLabelledSet();
  const files = writeRunFiles(pairs);
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'nova-migrate.js'), ...cliArgs(files)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const ms = Date.now() - started;
  if (r.status !== 0 && r.status !== 1) throw new Error(`parity exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(readFileSync(join(files.dir, 'report.json'), 'utf8'));
  return { result: scoreReport(pairs, report), ms };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outIdx = process.argv.indexOf('--out');
  const { result, ms } = await runJudgementBench();
  const text = `# Parity judgement: the gate against a reviewer's labels\n\n${result.overall.pairs} labelled pairs, deterministic layer only (\`--judge off\`), through the CLI in ${ms} ms.\n\n${renderTable(result)}\n## Disagreements\n\n${renderMisses(result)}`;
  if (outIdx > 0) writeFileSync(process.argv[outIdx + 1]!, text);
  process.stdout.write(text);
}

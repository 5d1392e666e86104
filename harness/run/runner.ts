/**
 * Runs every fixture (× repeats) against the baseline and the candidate: a concurrency
 * limit, retries with exponential backoff and jitter on 429/5xx/timeouts (honouring
 * `retry-after`), a per-request timeout, the cache, and a clean stop on abort (Ctrl-C):
 * finished prompts are kept, unfinished ones are listed as not run.
 */
import { setMaxListeners } from 'node:events';
import type { PriceTable } from '../../proxy/pricing.js';
import { CacheMissError, type ResponseCache } from '../cache.js';
import { comparePrompt, effectiveKind, inferKind } from '../compare/index.js';
import { costOf, usageOf } from '../cost.js';
import { checkExpectations } from '../expectations.js';
import { explainChecks, headerDiffs, mergeDiffs, staticDiffs } from '../nova-diffs.js';
import { adviceFor, combineSamples, sampleStatus } from '../verdict.js';
import type { Check, CompareKind, Fixture, PromptResult, RunSample, SideResult, Thresholds } from '../types.js';
import { DEFAULT_THRESHOLDS } from '../types.js';
import { TargetCallError, type LiveCall, type RecordedSource, type Target } from '../targets/types.js';
import { recordedBaseline } from '../targets/recorded.js';
import type { NovaModel } from '../../proxy/models.js';

export interface ProgressEvent {
  done: number;
  total: number;
  id: string;
  status: RunSample['status'];
}

export interface RunnerOptions {
  fixtures: Fixture[];
  baseline: Target | 'recorded';
  /** A live target, or recorded answers (`--candidate recorded`). */
  candidate: Target | RecordedSource;
  cache: ResponseCache;
  concurrency?: number;
  /** Retries after the first attempt. */
  retries?: number;
  timeoutMs?: number;
  repeat?: number;
  thresholds?: Partial<Thresholds>;
  prices: PriceTable;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Nova capabilities of the candidate model for a request (for static diffs). */
  novaModel?: (model: string) => NovaModel | undefined;
  /** Optional extra comparisons (LLM judge, embeddings). */
  extraChecks?: (ctx: { fixture: Fixture; kind: CompareKind; baseline?: SideResult; candidate: SideResult; repeat: number; signal: AbortSignal }) => Promise<Check[]>;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export interface RunOutcome {
  prompts: PromptResult[];
  interrupted: boolean;
  /** Fixture ids with no completed run. */
  notRun: string[];
  /** Set when the run stopped because a target cannot work at all (credentials, unreachable). */
  fatal?: string;
  /** Replay-mode cache misses. */
  cacheMisses: number;
  startedAt: string;
  finishedAt: string;
}

class StopRun extends Error {}

export async function runParity(o: RunnerOptions): Promise<RunOutcome> {
  const startedAt = new Date().toISOString();
  const repeat = Math.max(1, o.repeat ?? 1);
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const retries = Math.max(0, o.retries ?? 3);
  const timeoutMs = o.timeoutMs ?? 60_000;
  const baseMs = o.backoffBaseMs ?? 500;
  const maxMs = o.backoffMaxMs ?? 20_000;
  const internal = new AbortController();
  // Every in-flight SDK call listens on this signal.
  setMaxListeners(0, internal.signal);
  const onAbort = () => internal.abort();
  if (o.signal?.aborted) internal.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let fatal: string | undefined;
  let cacheMisses = 0;

  const tasks: Array<{ fx: Fixture; rep: number }> = [];
  for (const fx of o.fixtures) for (let rep = 0; rep < repeat; rep++) tasks.push({ fx, rep });
  const samples = new Map<string, RunSample[]>();
  let done = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (internal.signal.aborted) return reject(new StopRun());
      const t = setTimeout(() => {
        internal.signal.removeEventListener('abort', stop);
        resolve();
      }, ms);
      const stop = () => {
        clearTimeout(t);
        reject(new StopRun());
      };
      internal.signal.addEventListener('abort', stop, { once: true });
    });

  async function live(target: Target, fx: Fixture): Promise<{ call?: LiveCall; error?: TargetCallError; attempts: number }> {
    let attempt = 0;
    for (;;) {
      attempt++;
      if (internal.signal.aborted) throw new StopRun();
      try {
        return { call: await target.call(fx.body, { signal: internal.signal, timeoutMs }), attempts: attempt };
      } catch (e) {
        const err = e instanceof TargetCallError ? e : new TargetCallError(String((e as Error)?.message ?? e));
        if (internal.signal.aborted || err.code === 'aborted') throw new StopRun();
        const retryable = err.status === 429 || err.status === 408 || (err.status !== undefined && err.status >= 500) || err.code === 'timeout' || err.code === 'connection';
        const fatalNow = err.status !== undefined ? target.fatal?.(err) : undefined;
        if (fatalNow) {
          fatal ??= fatalNow;
          internal.abort();
          throw new StopRun();
        }
        if (retryable && attempt <= retries) {
          const exp = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
          const wait = err.retryAfterMs !== undefined ? Math.min(maxMs, err.retryAfterMs) : exp / 2 + Math.random() * (exp / 2);
          await sleep(wait);
          continue;
        }
        const fatalLate = target.fatal?.(err);
        if (fatalLate) {
          fatal ??= fatalLate;
          internal.abort();
          throw new StopRun();
        }
        return { error: err, attempts: attempt };
      }
    }
  }

  async function side(target: Target, fx: Fixture, rep: number): Promise<SideResult> {
    const ct = target.cacheTarget(fx.body);
    let cached: CachedCall | undefined;
    try {
      cached = o.cache.get<CachedCall>(fx.body, ct, rep);
    } catch (err) {
      if (!(err instanceof CacheMissError)) throw err;
      cacheMisses++;
      return { ok: false, error: { message: err.message, code: 'cache_miss' }, latencyRecorded: false, fromCache: false, streamed: !!fx.body.stream, attempts: 0, headers: {} };
    }
    // A recorded error replays as the same error (same verdict); a transient one is retried live unless replaying.
    if (cached && 'error' in cached && (o.cache.mode === 'replay' || !cached.transient)) {
      return { ok: false, error: cached.error, latencyRecorded: true, fromCache: true, streamed: !!fx.body.stream, attempts: 0, headers: {} };
    }
    let call = cached && !('error' in cached) ? cached : undefined;
    let attempts = 0;
    if (!call) {
      const r = await live(target, fx);
      attempts = r.attempts;
      if (!r.call) {
        const e = r.error!;
        const error = { message: e.message, ...(e.status !== undefined ? { status: e.status } : {}), ...(e.code ? { code: e.code } : {}) };
        const transient = e.status === undefined || e.status === 408 || e.status === 429 || e.status >= 500;
        o.cache.set<CachedCall>(fx.body, ct, { error, transient }, rep);
        return { ok: false, error, latencyRecorded: false, fromCache: false, streamed: !!fx.body.stream, attempts, headers: {} };
      }
      call = r.call;
      o.cache.set(fx.body, ct, call, rep);
    }
    const pricedModel = target.pricedModel(fx.body, call.headers);
    const usage = usageOf(call.response);
    const costUsd = costOf(pricedModel, call.response, o.prices);
    return {
      ok: true,
      response: call.response,
      ...(call.ttftMs !== undefined ? { ttftMs: call.ttftMs } : {}),
      totalMs: call.totalMs,
      latencyRecorded: !!cached,
      fromCache: !!cached,
      streamed: call.streamed,
      attempts,
      headers: call.headers,
      ...(pricedModel ? { pricedModel } : {}),
      ...(costUsd !== undefined ? { costUsd } : {}),
      ...(usage ? { usage } : {}),
    };
  }

  async function runTask(fx: Fixture, rep: number): Promise<void> {
    const th: Thresholds = { ...DEFAULT_THRESHOLDS, ...o.thresholds, ...fx.thresholds };
    const [b, c] = await Promise.all([
      o.baseline === 'recorded' ? Promise.resolve(recordedBaseline(fx, o.prices)) : side(o.baseline, fx, rep),
      'answer' in o.candidate ? Promise.resolve(o.candidate.answer(fx)) : side(o.candidate, fx, rep),
    ]);
    if (internal.signal.aborted) throw new StopRun();
    const kind = effectiveKind(inferKind(fx), b, fx, th);
    let checks = [...comparePrompt(fx, kind, b, c, th)];
    if (c.ok) checks.push(...checkExpectations(fx.expectations, fx.body, b, c));
    // The judge and embeddings decide what rules cannot: they are not asked once a rule has failed the prompt.
    if (c.ok && o.extraChecks && !checks.some((x) => x.status === 'fail')) {
      let extra: Check[];
      try {
        extra = await o.extraChecks({ fixture: fx, kind, ...(b ? { baseline: b } : {}), candidate: c, repeat: rep, signal: internal.signal });
      } catch (err) {
        if (!(err instanceof CacheMissError)) throw err;
        cacheMisses++;
        extra = [{ name: 'semantic.cache_miss', status: 'warn', reason: err.message }];
      }
      if (internal.signal.aborted) throw new StopRun();
      checks.push(...extra);
      checks = applySemantic(checks, extra);
    }
    const diffs = mergeDiffs(staticDiffs(fx.body, o.novaModel?.(fx.body.model)), headerDiffs(c.headers));
    checks = explainChecks(checks, diffs);
    const sample: RunSample = { repeat: rep, kind, diffs, baseline: b ?? missingBaseline(fx), candidate: c, checks, status: sampleStatus(checks) };
    samples.set(fx.id, [...(samples.get(fx.id) ?? []), sample]);
    done++;
    o.onProgress?.({ done, total: tasks.length, id: fx.id, status: sample.status });
  }

  let next = 0;
  async function worker(): Promise<void> {
    while (!internal.signal.aborted) {
      const t = tasks[next++];
      if (!t) return;
      try {
        await runTask(t.fx, t.rep);
      } catch (err) {
        if (err instanceof StopRun) return;
        throw err;
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }

  const prompts: PromptResult[] = [];
  const notRun: string[] = [];
  for (const fx of o.fixtures) {
    const s = (samples.get(fx.id) ?? []).sort((a, b) => a.repeat - b.repeat);
    if (s.length === 0) {
      notRun.push(fx.id);
      continue;
    }
    prompts.push(toPromptResult(fx, s, repeat));
  }
  return {
    prompts,
    interrupted: !fatal && internal.signal.aborted,
    notRun,
    ...(fatal ? { fatal } : {}),
    cacheMisses,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

/** What the cache holds for a call: the answer, or the error it ended with. */
type CachedCall = LiveCall | { error: { message: string; status?: number; code?: string }; transient: boolean };

/**
 * A passing semantic check (judge, embeddings) clears the warnings it was asked to settle —
 * lexical similarity, length, and facts the baseline gave that the candidate words
 * differently; a judge's embedding-free pass also clears dropped-fact warnings. It never
 * touches a failure: a changed number or a wrong JSON value stays failed.
 */
export function applySemantic(checks: Check[], extra: Check[]): Check[] {
  const judge = extra.find((x) => x.name === 'judge' && x.status === 'pass');
  const embedding = extra.find((x) => x.name === 'embedding.similarity' && x.status === 'pass');
  return checks.map((x) => {
    if (x.status !== 'warn') return x;
    const by = x.name === 'text.similarity' || x.name === 'length.ratio' ? (judge ?? embedding) : x.name.startsWith('facts.') ? judge : undefined;
    return by ? { ...x, status: 'pass' as const, reason: `${x.reason}; settled by ${by.name} (pass)` } : x;
  });
}

function missingBaseline(fx: Fixture): SideResult {
  return { ok: false, error: { message: 'no recorded baseline for this prompt', code: 'no_baseline' }, latencyRecorded: true, fromCache: false, streamed: !!fx.body.stream, attempts: 0, headers: {} };
}

/** `plannedRuns`: the repeats asked for; an interrupted run may have completed fewer. */
export function toPromptResult(fx: Fixture, samples: RunSample[], plannedRuns = samples.length): PromptResult {
  const runs = samples.length;
  const partial = runs < plannedRuns;
  const { status, consistency, flaky } = combineSamples(samples);
  const reasons: string[] = [];
  const seen = new Set<string>();
  for (const s of samples) {
    for (const c of s.checks) {
      if (c.status === 'pass') continue;
      const r = `${c.status === 'fail' ? 'FAIL' : 'WARN'} ${c.name}: ${c.reason}`;
      if (!seen.has(r)) {
        seen.add(r);
        reasons.push(r);
      }
    }
  }
  // Failures first: the first reason is the headline in summaries.
  reasons.sort((a, b) => (a.startsWith('FAIL') ? 0 : 1) - (b.startsWith('FAIL') ? 0 : 1));
  if (flaky) {
    const tally = samples.map((s) => s.status).join(', ');
    reasons.unshift(`FLAKY: outcomes differ across ${partial ? `${runs} of ${plannedRuns}` : runs} runs (${tally})`);
  }
  const diffs = mergeDiffs(...samples.map((s) => s.diffs));
  return {
    id: fx.id,
    file: fx.file,
    line: fx.line,
    tags: fx.tags,
    kind: samples[0]!.kind,
    streamed: !!fx.body.stream,
    request: fx.body,
    diffs,
    samples,
    status,
    reasons,
    advice: adviceFor(samples.flatMap((s) => s.checks)),
    consistency,
    flaky,
    runs,
    plannedRuns,
    partial,
  };
}

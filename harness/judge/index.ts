/**
 * The judge as a check: asks the backend twice (answers in swapped positions), through the
 * response cache like every other call, and turns the two verdicts into one check. It
 * runs on free-text prompts the deterministic checks did not fail (runner.ts), and its cost
 * and latency are measured for the report.
 */
import type { PriceTable } from '../../proxy/pricing.js';
import { estimateCost } from '../../proxy/pricing.js';
import { CacheMissError, type ResponseCache } from '../cache.js';
import { contentOf } from '../expectations.js';
import { distribution, type Distribution } from '../stats.js';
import type { Check, CompareKind, Fixture, SideResult } from '../types.js';
import type { JudgeAnswer, JudgeBackend } from './backends.js';
import { JUDGE_VERSION, judgeUserMessage, parseVerdict, type JudgeChoice, type JudgeVerdict } from './prompt.js';

const STATUS: Record<JudgeChoice, Check['status']> = { same: 'pass', superset: 'pass', 'differs immaterially': 'pass', subset: 'warn', disagrees: 'fail' };

export interface JudgeStats {
  provider: string;
  model: string;
  version: string;
  /** Judge calls made live in this run, and answered from the cache. */
  calls: number;
  cacheHits: number;
  /** Verdicts the cache lacked under `--judge auto --replay` (the judge was skipped for them). */
  skipped: number;
  prompts: number;
  costUsd: number;
  /** Calls whose cost could not be computed (no usage or no price). */
  unpriced: number;
  latency: Distribution;
  verdicts: Record<string, number>;
}

interface CachedAnswer extends JudgeAnswer {
  latencyMs: number;
}

export function judgeCheck(a: JudgeVerdict | undefined, b: JudgeVerdict | undefined, strict: boolean): Check {
  if (!a || !b) return { name: 'judge', status: 'warn', reason: 'the judge gave no valid verdict' };
  if (a.relation !== b.relation) return { name: 'judge', status: 'warn', reason: `judge inconsistent across positions ("${a.relation}" vs "${b.relation}"): review by hand` };
  const facts = [...a.differingFacts, ...b.differingFacts.filter((f) => !a.differingFacts.some((x) => x.fact === f.fact))]
    .slice(0, 4)
    .map((f) => `${f.fact}: "${f.reference}" → "${f.candidate}"`);
  // A dropped fact fails extraction and summarisation prompts, as in the deterministic checks.
  const status = a.relation === 'subset' && strict ? 'fail' : STATUS[a.relation];
  const rel = a.relation === 'same' ? 'is the same as' : a.relation === 'disagrees' ? 'disagrees with' : `is ${a.relation} vs`;
  return {
    name: 'judge',
    status,
    reason: `judge: candidate ${rel} the baseline${facts.length ? `; differing: ${facts.join('; ')}` : ''} — ${a.reasoning.replace(/\s+/g, ' ').slice(0, 200)}`,
  };
}

export function createJudge(opts: {
  backend: JudgeBackend;
  cache: ResponseCache;
  prices: PriceTable;
  /** Cache provider name, e.g. `judge-nova` (`mock-judge-nova` under --mock). */
  provider: string;
  /** Dropped facts fail for this prompt (extraction, summarisation). */
  strict: (fx: Fixture) => boolean;
  /** `--judge auto` replaying a cache without verdicts: skip instead of failing the run. */
  softMisses?: boolean;
}) {
  const { backend, cache } = opts;
  const latencies: number[] = [];
  const stats: Omit<JudgeStats, 'latency'> = { provider: backend.provider, model: backend.model, version: JUDGE_VERSION, calls: 0, cacheHits: 0, skipped: 0, prompts: 0, costUsd: 0, unpriced: 0, verdicts: {} };
  const target = { provider: opts.provider, baseURL: backend.cacheId, model: backend.model };

  async function ask(user: string, signal: AbortSignal): Promise<string> {
    const request = backend.request(user);
    const cached = cache.get<CachedAnswer>(request, target);
    let answer = cached;
    if (answer) stats.cacheHits++;
    else {
      const started = performance.now();
      const a = await backend.ask(user, signal);
      answer = { ...a, latencyMs: performance.now() - started };
      latencies.push(answer.latencyMs);
      stats.calls++;
      cache.set(request, target, answer);
    }
    // Cost counts cached verdicts too: it is what judging this set costs.
    const cost = answer.usage ? estimateCost(backend.model, answer.usage, opts.prices) : undefined;
    if (cost === undefined) stats.unpriced++;
    else stats.costUsd += cost;
    return answer.text;
  }

  async function check(ctx: { fixture: Fixture; kind: CompareKind; baseline?: SideResult; candidate: SideResult; signal: AbortSignal }): Promise<Check[]> {
    if (ctx.kind !== 'text' || !ctx.baseline?.ok) return [];
    const ref = contentOf(ctx.baseline);
    const cand = contentOf(ctx.candidate);
    if (!ref.trim() || !cand.trim()) return [];
    try {
      const [x, y] = await Promise.all([ask(judgeUserMessage(ctx.fixture, ref, cand, true), ctx.signal), ask(judgeUserMessage(ctx.fixture, ref, cand, false), ctx.signal)]);
      stats.prompts++;
      const a = parseVerdict(x);
      const b = parseVerdict(y);
      const c = judgeCheck(a, b, opts.strict(ctx.fixture));
      const key = a && b && a.relation === b.relation ? a.relation : 'inconsistent or invalid';
      stats.verdicts[key] = (stats.verdicts[key] ?? 0) + 1;
      return [c];
    } catch (err) {
      if (err instanceof CacheMissError) {
        if (opts.softMisses) {
          stats.skipped++;
          return [];
        }
        throw err;
      }
      if (ctx.signal.aborted) return [];
      return [{ name: 'judge', status: 'warn', reason: `judge call failed: ${(err as Error).message}` }];
    }
  }

  return { check, stats: (): JudgeStats => ({ ...stats, latency: distribution(latencies) }) };
}

/** Optional embedding similarity (OpenAI embeddings API; off by default, cached). */
import type { ResponseCache } from '../cache.js';
import { CacheMissError } from '../cache.js';
import { contentOf } from '../expectations.js';
import { createClient } from '../targets/openai-compatible.js';
import type { Check, CompareKind, SideResult } from '../types.js';
import { round } from './text.js';

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

export function createEmbeddingCheck(opts: { baseURL: string; apiKey: string; model: string; cache: ResponseCache; provider: string; threshold: number }) {
  const client = createClient({ apiKey: opts.apiKey, baseURL: opts.baseURL });
  const target = { provider: opts.provider, baseURL: opts.baseURL, model: opts.model };
  async function embed(text: string, signal: AbortSignal): Promise<number[] | undefined> {
    const req = { model: opts.model, input: text };
    try {
      const hit = opts.cache.get<number[]>(req, target);
      if (hit) return hit;
    } catch (err) {
      if (err instanceof CacheMissError) return undefined;
      throw err;
    }
    const r = await client.embeddings.create(req, { signal });
    const v = r.data[0]?.embedding as number[] | undefined;
    if (v) opts.cache.set(req, target, v);
    return v;
  }
  return async (ctx: { kind: CompareKind; baseline?: SideResult; candidate: SideResult; signal: AbortSignal }): Promise<Check[]> => {
    if (ctx.kind !== 'text' || !ctx.baseline?.ok) return [];
    try {
      const [a, b] = await Promise.all([embed(contentOf(ctx.baseline), ctx.signal), embed(contentOf(ctx.candidate), ctx.signal)]);
      if (!a || !b) return [{ name: 'embedding.similarity', status: 'warn', reason: 'no embedding (cache miss in --replay)' }];
      const s = round(cosine(a, b));
      return [{ name: 'embedding.similarity', status: s >= opts.threshold ? 'pass' : 'warn', score: s, reason: `embedding cosine ${s} (${opts.model}; threshold ${opts.threshold})` }];
    } catch (err) {
      return [{ name: 'embedding.similarity', status: 'warn', reason: `embedding call failed: ${(err as Error).message}` }];
    }
  };
}

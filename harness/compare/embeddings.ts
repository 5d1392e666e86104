/**
 * Optional embedding similarity for free text (off by default, every call cached):
 * OpenAI embeddings through the `openai` SDK, or Amazon Titan Text Embeddings on Bedrock.
 */
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';
import type { ResponseCache } from '../cache.js';
import { CacheMissError } from '../cache.js';
import { contentOf } from '../expectations.js';
import { createClient } from '../targets/openai-compatible.js';
import type { Check, CompareKind, SideResult } from '../types.js';
import { round } from './text.js';

export const DEFAULT_EMBEDDING_MODELS = { openai: 'text-embedding-3-small', bedrock: 'amazon.titan-embed-text-v2:0' } as const;

export type Embedder = (text: string, signal: AbortSignal) => Promise<number[]>;

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

export function openAIEmbedder(opts: { baseURL: string; apiKey: string; model: string }): Embedder {
  const client = createClient({ apiKey: opts.apiKey, baseURL: opts.baseURL });
  return async (text, signal) => {
    const r = await client.embeddings.create({ model: opts.model, input: text }, { signal });
    const v = r.data[0]?.embedding as number[] | undefined;
    if (!v) throw new Error('no embedding in the response');
    return v;
  };
}

/** Titan Text Embeddings (v2 body shape) through InvokeModel. */
export function bedrockEmbedder(transport: Pick<BedrockTransport, 'invokeModel'>, model: string): Embedder {
  return async (text, signal) => {
    const r = await transport.invokeModel(model, JSON.stringify({ inputText: text.slice(0, 40_000), normalize: true }), { signal });
    const parsed = JSON.parse(new TextDecoder().decode(r.body)) as { embedding?: number[] };
    if (!Array.isArray(parsed.embedding)) throw new Error('no embedding in the response');
    return parsed.embedding;
  };
}

export function createEmbeddingCheck(opts: { embed: Embedder; model: string; cache: ResponseCache; provider: string; baseURL: string; threshold: number }) {
  const target = { provider: opts.provider, baseURL: opts.baseURL, model: opts.model };
  async function embed(text: string, signal: AbortSignal): Promise<number[] | undefined> {
    const req = { model: opts.model, input: text };
    // In --replay a miss throws CacheMissError: the runner counts it like any other miss (exit 2).
    const hit = opts.cache.get<number[]>(req, target);
    if (hit) return hit;
    const v = await opts.embed(text, signal);
    opts.cache.set(req, target, v);
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
      if (err instanceof CacheMissError) throw err;
      return [{ name: 'embedding.similarity', status: 'warn', reason: `embedding call failed: ${(err as Error).message}` }];
    }
  };
}

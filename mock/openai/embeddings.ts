// Deterministic embeddings: hashed bag of words, L2-normalised, so texts that
// share words have a high cosine similarity (enough for the parity harness).
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import { countTokens } from '../synthetic.js';
import { fnv1a } from './ids.js';

export const DEFAULT_DIMENSIONS = 256;

export function embedText(text: string, dims = DEFAULT_DIMENSIONS): number[] {
  const v = new Array<number>(dims).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) {
    const h = fnv1a(w);
    v[h % dims]! += (h & 0x80000000) !== 0 ? -1 : 1; // signed hashing keeps collisions unbiased
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

function inputs(input: EmbeddingCreateParams['input']): string[] {
  if (typeof input === 'string') return [input];
  if (input.length === 0) return [];
  if (typeof input[0] === 'number') return [(input as number[]).map((t) => `t${t}`).join(' ')];
  if (Array.isArray(input[0])) return (input as number[][]).map((ts) => ts.map((t) => `t${t}`).join(' '));
  return input as string[];
}

function toBase64(v: number[]): string {
  return Buffer.from(new Float32Array(v).buffer).toString('base64');
}

export function createEmbeddings(params: EmbeddingCreateParams): CreateEmbeddingResponse {
  const dims = params.dimensions ?? DEFAULT_DIMENSIONS;
  const texts = inputs(params.input);
  const base64 = params.encoding_format === 'base64';
  const tokens = texts.reduce((n, t) => n + countTokens(t), 0);
  return {
    object: 'list',
    model: params.model,
    data: texts.map((t, index) => {
      const vec = embedText(t, dims);
      // The SDK asks for base64 by default and decodes it; the type says number[].
      return { object: 'embedding', index, embedding: (base64 ? toBase64(vec) : vec) as number[] };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

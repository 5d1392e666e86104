/**
 * An OpenAI embeddings request (`EmbeddingCreateParams`) → what the proxy will do, checked
 * completely before anything reaches Bedrock. Pure: model-specific checks (dimensions,
 * input length) happen once the model is resolved, in run-embeddings.ts.
 *
 * - `input`: a string, a list of strings, a token array (integers) or a list of token
 *   arrays. Token arrays are kept as numbers here and decoded later (decode-tokens.ts).
 *   Empty strings, empty lists and lists mixing strings with token arrays are 400s.
 * - At most MAX_INPUTS inputs per request (OpenAI's own limit).
 * - `encoding_format`: `float` (default) or `base64`.
 * - `dimensions`: a positive integer (the model decides which sizes it has).
 * - `embedding_purpose` (extension, Nova Multimodal Embeddings only): Nova's
 *   `embeddingPurpose`, e.g. `TEXT_RETRIEVAL` for search queries.
 * - `user` and unknown keys are accepted and reported as ignored.
 */
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { invalidParam } from '../errors.js';
import { requireModelName } from '../model-name.js';
import { describe, isObj, optInteger, optString, type Obj } from '../translate/validate.js';

export type { EmbeddingCreateParams };

/** OpenAI's limit on inputs per request; each becomes one Bedrock call. */
export const MAX_INPUTS = 2048;
/** Ordinary cl100k_base token IDs (100256 and up are special tokens, never sent by tokenizing clients). */
export const MAX_TOKEN_ID = 100_255;

export const NOVA_EMBEDDING_PURPOSES = [
  'GENERIC_INDEX', 'GENERIC_RETRIEVAL', 'TEXT_RETRIEVAL', 'IMAGE_RETRIEVAL', 'VIDEO_RETRIEVAL',
  'DOCUMENT_RETRIEVAL', 'AUDIO_RETRIEVAL', 'CLASSIFICATION', 'CLUSTERING',
] as const;
export type NovaEmbeddingPurpose = (typeof NOVA_EMBEDDING_PURPOSES)[number];

/** One input as the client sent it: text, or token IDs still to decode. */
export type RawInput = string | number[];

export interface EmbeddingsRequest {
  model: string;
  inputs: RawInput[];
  /** `input` was one string or one token array: error params then say `input`, not `input[0]`. */
  single: boolean;
  dimensions?: number;
  encoding: 'float' | 'base64';
  purpose?: NovaEmbeddingPurpose;
  /** Parameters accepted but not honoured (`x-nova-ignored-params`). */
  ignored: string[];
}

const KNOWN = new Set(['model', 'input', 'dimensions', 'encoding_format', 'user', 'embedding_purpose']);

export function inputParam(req: Pick<EmbeddingsRequest, 'single'>, i: number): string {
  return req.single ? 'input' : `input[${i}]`;
}

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (!isObj(body)) throw invalidParam(null, 'The request body must be a JSON object.');
  const model = requireModelName(body.model);
  const { inputs, single } = parseInput(body.input);
  const dimensions = optInteger(body.dimensions, 'dimensions', 1);
  const encoding = body.encoding_format ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') {
    throw invalidParam('encoding_format', `encoding_format must be "float" or "base64", got ${typeof encoding === 'string' ? JSON.stringify(encoding) : describe(encoding)}`);
  }
  const purpose = parsePurpose(body);
  const ignored: string[] = [];
  if (optString(body.user, 'user')) ignored.push('user');
  // Unknown keys are client-chosen text bound for a response header: encode them.
  for (const key in body) if (!KNOWN.has(key)) ignored.push(encodeURIComponent(key).slice(0, 64));
  return { model, inputs, single, ...(dimensions !== undefined ? { dimensions } : {}), encoding, ...(purpose ? { purpose } : {}), ignored };
}

function parseInput(raw: unknown): { inputs: RawInput[]; single: boolean } {
  if (raw == null) throw invalidParam('input', 'input is required: a string, an array of strings, or token arrays.');
  if (typeof raw === 'string') {
    if (raw === '') throw invalidParam('input', 'input must not be an empty string.');
    return { inputs: [raw], single: true };
  }
  if (!Array.isArray(raw)) throw invalidParam('input', `input must be a string, an array of strings, or token arrays; got ${describe(raw)}`);
  if (raw.length === 0) throw invalidParam('input', 'input must not be an empty array.');
  // A flat list of integers is one token array.
  if (typeof raw[0] === 'number') return { inputs: [tokenArray(raw, 'input')], single: true };
  if (raw.length > MAX_INPUTS) throw invalidParam('input', `input may hold at most ${MAX_INPUTS} items per request, got ${raw.length}; split the batch.`);
  const strings = typeof raw[0] === 'string';
  const inputs = raw.map((item, i): RawInput => {
    const param = `input[${i}]`;
    if (strings) {
      if (typeof item !== 'string') throw invalidParam(param, `${param} must be a string like the other items (input cannot mix strings and token arrays), got ${describe(item)}`);
      if (item === '') throw invalidParam(param, `${param} must not be an empty string.`);
      return item;
    }
    if (!Array.isArray(item)) throw invalidParam(param, `${param} must be a string or a token array (an array of integers), got ${describe(item)}`);
    return tokenArray(item, param);
  });
  return { inputs, single: false };
}

function tokenArray(raw: unknown[], param: string): number[] {
  if (raw.length === 0) throw invalidParam(param, `${param} must not be an empty token array.`);
  for (let j = 0; j < raw.length; j++) {
    const t = raw[j];
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > MAX_TOKEN_ID) {
      throw invalidParam(
        `${param}[${j}]`,
        `${param}[${j}] is not a token of the cl100k_base encoding (integers 0–${MAX_TOKEN_ID}), the only token arrays the proxy can decode; got ${typeof t === 'number' ? t : describe(t)}. Send the text as a string instead.`,
      );
    }
  }
  return raw as number[];
}

function parsePurpose(body: Obj): NovaEmbeddingPurpose | undefined {
  const raw = optString(body.embedding_purpose, 'embedding_purpose');
  if (raw === undefined) return undefined;
  const value = raw.toUpperCase();
  if (!(NOVA_EMBEDDING_PURPOSES as readonly string[]).includes(value)) {
    throw invalidParam('embedding_purpose', `embedding_purpose must be one of ${NOVA_EMBEDDING_PURPOSES.join(', ')}; got ${JSON.stringify(raw)}`);
  }
  return value as NovaEmbeddingPurpose;
}

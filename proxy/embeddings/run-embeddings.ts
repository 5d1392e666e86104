/**
 * One `/v1/embeddings` request: validate and resolve locally, decode token arrays, then one
 * InvokeModel call per input (Bedrock's embeddings models embed one input per call), at most
 * `config.embeddingConcurrency` at a time, answered in input order. Nothing reaches AWS until
 * the whole request is known to be valid, and the first failure cancels the calls left.
 */
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { ChatRuntime } from '../chat/run-chat.js';
import type { RequestScope } from '../chat/request-scope.js';
import type { RequestMetrics } from '../request-metrics.js';
import type { ResolvedEmbeddingModel } from '../models.js';
import { EMBEDDING_MODELS } from '../models.js';
import { invalidParam, OpenAIHttpError, unsupportedParam } from '../errors.js';
import { mapBedrockError } from '../translate/map-error.js';
import { estimateCost } from '../pricing.js';
import { DIALECTS } from './dialects.js';
import { decodeTokens } from './decode-tokens.js';
import { float32Base64 } from './encode.js';
import { mapBounded } from './fan-out.js';
import { inputParam, parseEmbeddingsRequest, type EmbeddingsRequest } from './parse-request.js';

/** The chat runtime serves embeddings too: same transport, resolver, config and prices. */
export type EmbeddingsRuntime = Pick<ChatRuntime, 'transport' | 'resolver' | 'config' | 'prices'>;

export interface EmbeddingsResult {
  /** `embedding` is a base64 string instead of numbers when `encoding_format` is base64. */
  response: CreateEmbeddingResponse;
  headers: Record<string, string>;
}

export async function createEmbeddings(rt: EmbeddingsRuntime, body: unknown, m: RequestMetrics, scope: RequestScope): Promise<EmbeddingsResult> {
  const req = parseEmbeddingsRequest(body);
  const resolved = resolveModel(rt, req.model);
  m.model = req.model;
  m.bedrockModelId = resolved.bedrockId;
  const dialect = DIALECTS[resolved.model.dialect];
  const dimensions = pickDimensions(req, resolved);
  if (req.purpose && !dialect.purposes) {
    throw unsupportedParam('embedding_purpose', `embedding_purpose applies to Nova Multimodal Embeddings only; ${resolved.model.id} has no purpose setting.`);
  }
  const texts = await inputTexts(req, resolved);
  const gone = scope.abortReason();
  if (gone) throw gone;

  const sent = performance.now();
  let results;
  try {
    results = await mapBounded(texts, rt.config.embeddingConcurrency, scope, async (text, i, signal) => {
      let out;
      try {
        out = await rt.transport.invokeModel(resolved.bedrockId, dialect.body(text, dimensions, req.purpose), { signal });
      } catch (err) {
        throw forInput(mapBedrockError(err, { modelId: resolved.bedrockId, operation: 'InvokeModel' }), req, i);
      }
      const embedded = dialect.parse(parseJson(out.body));
      return { vector: embedded.vector, tokens: out.inputTokenCount ?? embedded.inputTokens ?? 0 };
    });
  } catch (err) {
    throw scope.abortReason() ?? mapBedrockError(err, { modelId: resolved.bedrockId, operation: 'InvokeModel' });
  } finally {
    m.bedrockMs = performance.now() - sent;
  }

  let tokens = 0;
  const data = results.map((r, index) => {
    tokens += r.tokens;
    const embedding = req.encoding === 'base64' ? float32Base64(r.vector) : r.vector;
    return { object: 'embedding' as const, index, embedding: embedding as number[] };
  });
  m.inputTokens = tokens;
  m.outputTokens = 0;
  m.costUsd = estimateCost(resolved.bedrockId, { inputTokens: tokens, outputTokens: 0 }, rt.prices);

  const headers: Record<string, string> = { 'x-nova-model': resolved.bedrockId };
  if (req.ignored.length) headers['x-nova-ignored-params'] = req.ignored.join(',');
  if (m.costUsd !== undefined) headers['x-nova-cost-usd'] = m.costUsd.toFixed(8);
  return {
    response: { object: 'list', data, model: req.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
    headers,
  };
}

function resolveModel(rt: EmbeddingsRuntime, name: string): ResolvedEmbeddingModel {
  const resolved = rt.resolver.resolveEmbedding(name);
  if (resolved) return resolved;
  const embeddingNames = Object.entries(rt.resolver.aliases())
    .filter(([alias]) => rt.resolver.resolveEmbedding(alias))
    .map(([alias]) => alias)
    .concat(Object.keys(EMBEDDING_MODELS));
  if (rt.resolver.resolve(name)) {
    throw invalidParam('model', `\`${name}\` is a chat model, not an embeddings model. Embeddings models: ${embeddingNames.join(', ')}.`, 'model_not_supported');
  }
  throw new OpenAIHttpError(404, `The model \`${name}\` does not exist or is not mapped to a Bedrock embeddings model. Embeddings models: ${embeddingNames.join(', ')}; add others to MODEL_MAPPINGS.`, {
    param: 'model',
    code: 'model_not_found',
    type: 'invalid_request_error',
  });
}

/** `dimensions` must be a size the model has: Bedrock's models do not truncate to arbitrary sizes. */
function pickDimensions(req: EmbeddingsRequest, resolved: ResolvedEmbeddingModel): number {
  const { model } = resolved;
  if (req.dimensions === undefined) return model.defaultDimensions;
  if (!model.dimensions.includes(req.dimensions)) {
    throw invalidParam(
      'dimensions',
      `dimensions ${req.dimensions} is not available for \`${req.model}\` (${model.id}); allowed values: ${model.dimensions.join(', ')} (default ${model.defaultDimensions}).`,
      'invalid_value',
    );
  }
  return req.dimensions;
}

async function inputTexts(req: EmbeddingsRequest, resolved: ResolvedEmbeddingModel): Promise<string[]> {
  const { maxInputChars } = resolved.model;
  const texts: string[] = [];
  for (let i = 0; i < req.inputs.length; i++) {
    const raw = req.inputs[i]!;
    const text = typeof raw === 'string' ? raw : await decodeTokens(raw);
    const param = inputParam(req, i);
    if (text.trim() === '') throw invalidParam(param, `${param} holds no text to embed.`);
    if (text.length > maxInputChars) {
      throw invalidParam(
        param,
        `${param} is ${text.length} characters; ${resolved.model.id} takes at most ${maxInputChars} characters (and ${resolved.model.maxInputTokens} tokens) per input. Split the text into smaller chunks.`,
        'context_length_exceeded',
      );
    }
    texts.push(text);
  }
  return texts;
}

/** Bedrock's 4xx answers name no input; in a batch, say which one it was. */
function forInput(e: OpenAIHttpError, req: EmbeddingsRequest, i: number): OpenAIHttpError {
  if (e.status >= 500 || e.status === 429 || e.status === 403 || e.status === 404) return e;
  return new OpenAIHttpError(e.status, req.single ? e.message : `${e.message} (input[${i}])`, {
    type: e.type,
    param: inputParam(req, i),
    code: e.code,
    headers: e.headers,
    cause: e,
  });
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    throw new OpenAIHttpError(502, 'Bedrock: the embeddings response was not valid JSON.', { code: 'upstream_error' });
  }
}

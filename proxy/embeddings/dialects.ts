/**
 * InvokeModel bodies per Bedrock embeddings model: one text in, one vector out.
 *
 * Titan Text Embeddings V2 (`amazon.titan-embed-text-v2:0`): `{inputText, dimensions,
 * normalize}` → `{embedding, embeddingsByType, inputTextTokenCount}`. `normalize: true`
 * because OpenAI's embeddings are unit vectors.
 *
 * Nova Multimodal Embeddings (`amazon.nova-2-multimodal-embeddings-v1:0`): `{schemaVersion,
 * taskType: SINGLE_EMBEDDING, singleEmbeddingParams: {embeddingPurpose, embeddingDimension,
 * text: {truncationMode, value}}}` → `{embeddings: [{embeddingType, embedding}]}`.
 * `truncationMode: NONE`: an over-long input is an error, as at OpenAI, never silently cut.
 * `embeddingPurpose` defaults to GENERIC_INDEX (the purpose Nova documents for indexing
 * any content); clients embedding search queries can send `embedding_purpose`.
 */
import type { EmbeddingModel } from '../models.js';
import { OpenAIHttpError } from '../errors.js';
import type { NovaEmbeddingPurpose } from './parse-request.js';

export interface EmbeddedText {
  vector: number[];
  /** Token count from the body, for models that report it there. */
  inputTokens?: number;
}

export interface EmbeddingDialect {
  /** The InvokeModel body for one text. */
  body(text: string, dimensions: number, purpose: NovaEmbeddingPurpose | undefined): string;
  /** The vector from a parsed response body; throws a 502 if it has none. */
  parse(json: unknown): EmbeddedText;
  /** Whether `embedding_purpose` means anything to this model. */
  purposes: boolean;
}

const NOVA_SCHEMA_VERSION = 'nova-multimodal-embed-v1';
export const DEFAULT_NOVA_PURPOSE: NovaEmbeddingPurpose = 'GENERIC_INDEX';

const titanTextV2: EmbeddingDialect = {
  purposes: false,
  body: (text, dimensions) => JSON.stringify({ inputText: text, dimensions, normalize: true }),
  parse(json) {
    const b = json as { embedding?: unknown; embeddingsByType?: { float?: unknown }; inputTextTokenCount?: unknown } | null;
    const vector = b?.embedding ?? b?.embeddingsByType?.float;
    return {
      vector: checkVector(vector),
      ...(typeof b?.inputTextTokenCount === 'number' ? { inputTokens: b.inputTextTokenCount } : {}),
    };
  },
};

const novaMultimodal: EmbeddingDialect = {
  purposes: true,
  body: (text, dimensions, purpose) =>
    JSON.stringify({
      schemaVersion: NOVA_SCHEMA_VERSION,
      taskType: 'SINGLE_EMBEDDING',
      singleEmbeddingParams: {
        embeddingPurpose: purpose ?? DEFAULT_NOVA_PURPOSE,
        embeddingDimension: dimensions,
        text: { truncationMode: 'NONE', value: text },
      },
    }),
  parse(json) {
    const b = json as { embeddings?: Array<{ embedding?: unknown }> } | null;
    return { vector: checkVector(Array.isArray(b?.embeddings) ? b.embeddings[0]?.embedding : undefined) };
  },
};

export const DIALECTS: Readonly<Record<EmbeddingModel['dialect'], EmbeddingDialect>> = {
  'titan-text-v2': titanTextV2,
  'nova-multimodal': novaMultimodal,
};

function checkVector(v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0 || typeof v[0] !== 'number') {
    throw new OpenAIHttpError(502, 'Bedrock: the embeddings response held no embedding vector.', { code: 'upstream_error' });
  }
  return v as number[];
}

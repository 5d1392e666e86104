/**
 * InvokeModel for the embeddings models, as the fake Bedrock serves it: the request body is
 * checked against each model's documented request schema, and the answer has the real
 * response shape and headers (`x-amzn-bedrock-input-token-count`, invocation latency).
 *
 * - Titan Text Embeddings V2 (`amazon.titan-embed-text-v2:0`), Bedrock user guide
 *   "Amazon Titan Embeddings Text": `{inputText (required, 1–50,000 characters), dimensions
 *   (1024 default | 512 | 256), normalize (default true), embeddingTypes (["float"] default,
 *   "binary")}` → `{embedding, embeddingsByType, inputTextTokenCount}`.
 * - Nova Multimodal Embeddings (`amazon.nova-2-multimodal-embeddings-v1:0`), Nova user guide
 *   "Complete embeddings request and response schema": `{schemaVersion?, taskType:
 *   "SINGLE_EMBEDDING", singleEmbeddingParams: {embeddingPurpose, embeddingDimension?
 *   (3072 default | 1024 | 384 | 256), exactly one of text / image / audio / video}}` →
 *   `{embeddings: [{embeddingType, embedding}]}`; text `value` at most 8,192 characters.
 *   Recorded: ../shared/recorded/bedrock/pydantic/pydantic-ai/tests/cassettes/test_embeddings/.
 *
 * Model-schema errors use the frame of the service's JSON-schema validator
 * ("Malformed input request: #/dimensions: 300 is not a valid enum value, please reformat
 * your input and try again."). Vectors are deterministic hashed bags of words, so texts that
 * share words are close, printed with float32 precision like the service.
 */
import { embedText } from '../openai/embeddings.js';
import { countTokens } from '../synthetic.js';
import type { BedrockError } from './errors.js';

export const TITAN_TEXT_V2 = 'amazon.titan-embed-text-v2:0';
export const NOVA_MULTIMODAL_EMBEDDINGS = 'amazon.nova-2-multimodal-embeddings-v1:0';
export const EMBEDDING_MODEL_IDS = [TITAN_TEXT_V2, NOVA_MULTIMODAL_EMBEDDINGS] as const;

export interface InvokeAnswer {
  /** The JSON response body, already serialised. */
  payload: string;
  inputTokens: number;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function malformed(pointer: string, detail: string): BedrockError {
  return { errorType: 'ValidationException', message: `Malformed input request: ${pointer}: ${detail}, please reformat your input and try again.` };
}

function typeName(v: unknown): string {
  if (v === null) return 'Null';
  if (Array.isArray(v)) return 'JSONArray';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'BigDecimal';
  if (typeof v === 'object') return 'JSONObject';
  return typeof v === 'string' ? 'String' : 'Boolean';
}

/** A small JSON-schema subset: what the two models' schemas use. */
type Rule =
  | { type: 'string'; enum?: readonly string[]; minLength?: number; maxLength?: number }
  | { type: 'integer'; enum?: readonly number[] }
  | { type: 'boolean' }
  | { type: 'array'; items: Rule; minItems?: number }
  | { type: 'object'; properties: Record<string, Rule>; required?: readonly string[]; oneOf?: readonly string[] };

function check(rule: Rule, v: unknown, ptr: string): BedrockError | undefined {
  switch (rule.type) {
    case 'string':
      if (typeof v !== 'string') return malformed(ptr, `expected type: String, found: ${typeName(v)}`);
      if (rule.enum && !rule.enum.includes(v)) return malformed(ptr, `${v} is not a valid enum value`);
      if (rule.minLength !== undefined && v.length < rule.minLength) return malformed(ptr, `expected minLength: ${rule.minLength}, actual: ${v.length}`);
      if (rule.maxLength !== undefined && v.length > rule.maxLength) return malformed(ptr, `expected maxLength: ${rule.maxLength}, actual: ${v.length}`);
      return undefined;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return malformed(ptr, `expected type: Integer, found: ${typeName(v)}`);
      if (rule.enum && !rule.enum.includes(v)) return malformed(ptr, `${v} is not a valid enum value`);
      return undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : malformed(ptr, `expected type: Boolean, found: ${typeName(v)}`);
    case 'array': {
      if (!Array.isArray(v)) return malformed(ptr, `expected type: JSONArray, found: ${typeName(v)}`);
      if (rule.minItems !== undefined && v.length < rule.minItems) return malformed(ptr, `expected minimum item count: ${rule.minItems}, found: ${v.length}`);
      for (let i = 0; i < v.length; i++) {
        const e = check(rule.items, v[i], `${ptr}/${i}`);
        if (e) return e;
      }
      return undefined;
    }
    case 'object': {
      if (!isObj(v)) return malformed(ptr, `expected type: JSONObject, found: ${typeName(v)}`);
      for (const key of Object.keys(v)) if (!(key in rule.properties)) return malformed(ptr, `extraneous key [${key}] is not permitted`);
      for (const key of rule.required ?? []) if (v[key] === undefined) return malformed(ptr, `required key [${key}] not found`);
      if (rule.oneOf) {
        const present = rule.oneOf.filter((k) => v[k] !== undefined);
        if (present.length !== 1) return malformed(ptr, `exactly one of [${rule.oneOf.join(', ')}] must be present, found ${present.length}`);
      }
      for (const [key, sub] of Object.entries(rule.properties)) {
        if (v[key] === undefined) continue;
        const e = check(sub, v[key], `${ptr}/${key}`);
        if (e) return e;
      }
      return undefined;
    }
  }
}

const TITAN_REQUEST: Rule = {
  type: 'object',
  properties: {
    inputText: { type: 'string', minLength: 1, maxLength: 50_000 },
    dimensions: { type: 'integer', enum: [256, 512, 1024] },
    normalize: { type: 'boolean' },
    embeddingTypes: { type: 'array', minItems: 1, items: { type: 'string', enum: ['float', 'binary'] } },
  },
  required: ['inputText'],
};

const S3_LOCATION: Rule = { type: 'object', properties: { uri: { type: 'string', minLength: 1 }, bucketOwner: { type: 'string' } }, required: ['uri'] };
const MEDIA_SOURCE: Rule = { type: 'object', properties: { bytes: { type: 'string', minLength: 1 }, s3Location: S3_LOCATION }, oneOf: ['bytes', 's3Location'] };
// Text from S3 only: inline text travels in `value`, and `bytes` does not apply to text.
const TEXT_SOURCE: Rule = { type: 'object', properties: { s3Location: S3_LOCATION }, required: ['s3Location'] };

const NOVA_REQUEST: Rule = {
  type: 'object',
  properties: {
    schemaVersion: { type: 'string', enum: ['nova-multimodal-embed-v1'] },
    taskType: { type: 'string', enum: ['SINGLE_EMBEDDING', 'SEGMENTED_EMBEDDING'] },
    singleEmbeddingParams: {
      type: 'object',
      properties: {
        embeddingPurpose: {
          type: 'string',
          enum: ['GENERIC_INDEX', 'GENERIC_RETRIEVAL', 'TEXT_RETRIEVAL', 'IMAGE_RETRIEVAL', 'VIDEO_RETRIEVAL', 'DOCUMENT_RETRIEVAL', 'AUDIO_RETRIEVAL', 'CLASSIFICATION', 'CLUSTERING'],
        },
        embeddingDimension: { type: 'integer', enum: [256, 384, 1024, 3072] },
        text: {
          type: 'object',
          properties: { truncationMode: { type: 'string', enum: ['START', 'END', 'NONE'] }, value: { type: 'string', minLength: 1, maxLength: 8_192 }, source: TEXT_SOURCE },
          required: ['truncationMode'],
          oneOf: ['value', 'source'],
        },
        image: {
          type: 'object',
          properties: { detailLevel: { type: 'string', enum: ['STANDARD_IMAGE', 'DOCUMENT_IMAGE'] }, format: { type: 'string', enum: ['png', 'jpeg', 'gif', 'webp'] }, source: MEDIA_SOURCE },
          required: ['format', 'source'],
        },
        audio: { type: 'object', properties: { format: { type: 'string', enum: ['mp3', 'wav', 'ogg'] }, source: MEDIA_SOURCE }, required: ['format', 'source'] },
        video: {
          type: 'object',
          properties: {
            format: { type: 'string', enum: ['mp4', 'mov', 'mkv', 'webm', 'flv', 'mpeg', 'mpg', 'wmv', '3gp'] },
            source: MEDIA_SOURCE,
            embeddingMode: { type: 'string', enum: ['AUDIO_VIDEO_COMBINED', 'AUDIO_VIDEO_SEPARATE'] },
          },
          required: ['format', 'source', 'embeddingMode'],
        },
      },
      required: ['embeddingPurpose'],
      oneOf: ['text', 'image', 'audio', 'video'],
    },
    // The asynchronous API's shape (StartAsyncInvoke); refused below on the synchronous call.
    segmentedEmbeddingParams: { type: 'object', properties: {} },
  },
  required: ['taskType'],
};

export function isEmbeddingModel(modelId: string): boolean {
  return (EMBEDDING_MODEL_IDS as readonly string[]).includes(modelId);
}

/** Checks an InvokeModel body for an embeddings model: the error the service would return, or undefined. */
export function checkEmbeddingsBody(modelId: string, body: unknown): BedrockError | undefined {
  if (modelId === TITAN_TEXT_V2) return check(TITAN_REQUEST, body, '#');
  const e = check(NOVA_REQUEST, body, '#');
  if (e) return e;
  const b = body as Json;
  if (b.taskType !== 'SINGLE_EMBEDDING') return malformed('#/taskType', 'must be SINGLE_EMBEDDING for synchronous invocation; use StartAsyncInvoke for SEGMENTED_EMBEDDING');
  if (b.singleEmbeddingParams === undefined) return malformed('#', 'required key [singleEmbeddingParams] not found');
  return undefined;
}

/** Shortest decimal that reads back as the same float32, as the service prints vectors. */
function f32(v: number): number {
  return Number(Math.fround(v).toPrecision(9));
}

function vectorFor(text: string, dims: number, normalize = true): number[] {
  let v = embedText(text, dims);
  // No words at all (punctuation, emoji): hash the whole text so the vector is not zero.
  if (v.every((x) => x === 0)) v = embedText(`x${text.length}-${[...text].map((c) => c.codePointAt(0)).join('-')}`, dims);
  const scale = normalize ? 1 : Math.sqrt(Math.max(1, countTokens(text)));
  return v.map((x) => f32(x * scale));
}

/** The answer for a body that passed `checkEmbeddingsBody`. */
export function answerEmbeddings(modelId: string, body: unknown): InvokeAnswer {
  if (modelId === TITAN_TEXT_V2) {
    const b = body as { inputText: string; dimensions?: number; normalize?: boolean; embeddingTypes?: string[] };
    const vector = vectorFor(b.inputText, b.dimensions ?? 1024, b.normalize ?? true);
    const types = b.embeddingTypes ?? ['float'];
    const byType: Json = {};
    if (types.includes('float')) byType.float = vector;
    if (types.includes('binary')) byType.binary = vector.map((x) => (x > 0 ? 1 : 0));
    const inputTokens = countTokens(b.inputText);
    return { payload: JSON.stringify({ embedding: vector, embeddingsByType: byType, inputTextTokenCount: inputTokens }), inputTokens };
  }
  const p = (body as { singleEmbeddingParams: Json }).singleEmbeddingParams;
  const dims = (p.embeddingDimension as number | undefined) ?? 3072;
  const text = p.text as { value?: string; source?: { s3Location: { uri: string } } } | undefined;
  if (text) {
    const content = text.value ?? text.source!.s3Location.uri;
    // Nova counts a few tokens of framing per request (the recording: 18 tokens for "Test Nova dimensions").
    const inputTokens = countTokens(content) + 10;
    return { payload: JSON.stringify({ embeddings: [{ embeddingType: 'TEXT', embedding: vectorFor(content, dims) }] }), inputTokens };
  }
  const [kind, media] = (['image', 'audio', 'video'] as const).map((k) => [k, p[k]] as const).find(([, m]) => m !== undefined)!;
  const m = media as { source: { bytes?: string; s3Location?: { uri: string } }; embeddingMode?: string };
  const seed = `${kind} ${m.source.bytes?.slice(0, 256) ?? m.source.s3Location!.uri}`;
  const embeddings =
    kind === 'video' && m.embeddingMode === 'AUDIO_VIDEO_SEPARATE'
      ? [{ embeddingType: 'VIDEO', embedding: vectorFor(`${seed} video`, dims) }, { embeddingType: 'AUDIO', embedding: vectorFor(`${seed} audio`, dims) }]
      : [{ embeddingType: kind === 'video' ? 'AUDIO_VIDEO_COMBINED' : kind.toUpperCase(), embedding: vectorFor(seed, dims) }];
  return { payload: JSON.stringify({ embeddings }), inputTokens: kind === 'image' ? 1 : 10 };
}

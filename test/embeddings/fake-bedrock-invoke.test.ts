/**
 * The fake Bedrock's InvokeModel for the embeddings models, driven by the real AWS SDK: it
 * answers valid bodies in the real response shape with the token-count header, and refuses
 * what the models' documented request schemas refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockRuntimeClient, InvokeModelCommand, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { startFakeBedrock, type FakeBedrock } from '../../mock/fake-bedrock.js';

let fake: FakeBedrock;
let client: BedrockRuntimeClient;
let lastHeaders: Record<string, string> = {};

beforeAll(async () => {
  fake = await startFakeBedrock();
  client = new BedrockRuntimeClient({ endpoint: fake.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, maxAttempts: 1 });
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      lastHeaders = (out.response as { headers: Record<string, string> }).headers;
      return out;
    },
    { step: 'deserialize', name: 'captureHeaders' },
  );
});
afterAll(async () => {
  client?.destroy();
  await fake?.close();
});

async function invoke(modelId: string, body: unknown) {
  const out = await client.send(new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: 'application/json', accept: 'application/json' }));
  return JSON.parse(Buffer.from(out.body).toString('utf8'));
}

async function refusal(modelId: string, body: unknown): Promise<string> {
  const err = await invoke(modelId, body).catch((e) => e);
  expect(err).toBeInstanceOf(ValidationException);
  expect(err.$metadata.httpStatusCode).toBe(400);
  return err.message;
}

const NOVA = 'amazon.nova-2-multimodal-embeddings-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';

describe('fake Bedrock InvokeModel: Nova Multimodal Embeddings', () => {
  it('accepts the recorded request byte for byte and answers in the recorded shape and headers', async () => {
    // pydantic-ai TestBedrock.test_nova_with_dimensions (../shared/recorded/…/test_embeddings/).
    const recorded = '{"taskType": "SINGLE_EMBEDDING", "singleEmbeddingParams": {"embeddingPurpose": "GENERIC_RETRIEVAL", "text": {"value": "Test Nova dimensions", "truncationMode": "NONE"}, "embeddingDimension": 256}}';
    const out = await client.send(new InvokeModelCommand({ modelId: NOVA, body: recorded, contentType: 'application/json', accept: 'application/json' }));
    const body = JSON.parse(Buffer.from(out.body).toString('utf8'));
    expect(Object.keys(body)).toEqual(['embeddings']);
    expect(body.embeddings).toHaveLength(1);
    expect(Object.keys(body.embeddings[0]).sort()).toEqual(['embedding', 'embeddingType']);
    expect(body.embeddings[0].embeddingType).toBe('TEXT');
    expect(body.embeddings[0].embedding).toHaveLength(256);
    // Printed with float32 precision, like the service (e.g. -0.109526575).
    for (const x of body.embeddings[0].embedding) expect(Math.fround(x)).toBe(Math.fround(Number(x.toPrecision(9))));
    expect(out.contentType).toBe('application/json');
    expect(Number(lastHeaders['x-amzn-bedrock-input-token-count'])).toBeGreaterThan(0);
    expect(lastHeaders['x-amzn-bedrock-invocation-latency']).toMatch(/^\d+$/);
    expect(fake.requests.at(-1)!.operation).toBe('InvokeModel');
  });

  it('defaults to 3072 dimensions and embeds images and separate audio/video tracks', async () => {
    const text = await invoke(NOVA, { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', text: { truncationMode: 'END', value: 'hello' } } });
    expect(text.embeddings[0].embedding).toHaveLength(3072);
    const image = await invoke(NOVA, { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', embeddingDimension: 384, image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } } });
    expect(image.embeddings[0].embeddingType).toBe('IMAGE');
    const video = await invoke(NOVA, {
      taskType: 'SINGLE_EMBEDDING',
      singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', embeddingDimension: 256, video: { format: 'mp4', source: { s3Location: { uri: 's3://b/v.mp4' } }, embeddingMode: 'AUDIO_VIDEO_SEPARATE' } },
    });
    expect(video.embeddings.map((e: { embeddingType: string }) => e.embeddingType)).toEqual(['VIDEO', 'AUDIO']);
  });

  it('refuses what the documented schema refuses', async () => {
    const text = { truncationMode: 'NONE', value: 'x' };
    const single = (p: object) => ({ taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', ...p } });
    expect(await refusal(NOVA, single({ text, embeddingDimension: 512 }))).toBe(
      'Malformed input request: #/singleEmbeddingParams/embeddingDimension: 512 is not a valid enum value, please reformat your input and try again.',
    );
    expect(await refusal(NOVA, { singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', text } })).toMatch(/#: required key \[taskType\] not found/);
    expect(await refusal(NOVA, { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { text } })).toMatch(/required key \[embeddingPurpose\] not found/);
    expect(await refusal(NOVA, single({ text: { value: 'x' } }))).toMatch(/#\/singleEmbeddingParams\/text: required key \[truncationMode\]/);
    expect(await refusal(NOVA, single({ text: { truncationMode: 'NONE', value: 'x'.repeat(8193) } }))).toMatch(/expected maxLength: 8192, actual: 8193/);
    expect(await refusal(NOVA, single({ text, image: { format: 'png', source: { bytes: 'AA==' } } }))).toMatch(/exactly one of \[text, image, audio, video\]/);
    expect(await refusal(NOVA, single({}))).toMatch(/exactly one of/);
    expect(await refusal(NOVA, single({ text: { ...text, source: { s3Location: { uri: 's3://b/k' } } } }))).toMatch(/exactly one of \[value, source\]/);
    expect(await refusal(NOVA, single({ text, inputText: 'x' }))).toMatch(/extraneous key \[inputText\] is not permitted/);
    expect(await refusal(NOVA, { taskType: 'SEGMENTED_EMBEDDING', segmentedEmbeddingParams: {} })).toMatch(/SINGLE_EMBEDDING for synchronous/);
    expect(await refusal(NOVA, { inputText: 'titan-style body' })).toMatch(/extraneous key \[inputText\]/);
  });
});

describe('fake Bedrock InvokeModel: Titan Text Embeddings V2', () => {
  it('answers with embedding, embeddingsByType and inputTextTokenCount', async () => {
    const out = await invoke(TITAN, { inputText: 'one two three', dimensions: 256, embeddingTypes: ['float', 'binary'] });
    expect(out.embedding).toHaveLength(256);
    expect(out.embeddingsByType.float).toEqual(out.embedding);
    expect(out.embeddingsByType.binary).toHaveLength(256);
    expect(out.inputTextTokenCount).toBe(Number(lastHeaders['x-amzn-bedrock-input-token-count']));
    expect(Math.hypot(...out.embedding)).toBeCloseTo(1, 5);
    const raw = await invoke(TITAN, { inputText: 'one two three', dimensions: 256, normalize: false });
    expect(Math.hypot(...raw.embedding)).toBeGreaterThan(1.01);
    expect((await invoke(TITAN, { inputText: 'default size' })).embedding).toHaveLength(1024);
  });

  it('gives texts that share words closer vectors', async () => {
    const v = async (t: string) => (await invoke(TITAN, { inputText: t })).embedding as number[];
    const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const [cat, cat2, stock] = await Promise.all([v('the cat sat on the mat'), v('a cat on a mat'), v('quarterly stock earnings report')]);
    expect(dot(cat, cat2)).toBeGreaterThan(dot(cat, stock));
  });

  it('refuses what the documented schema refuses', async () => {
    expect(await refusal(TITAN, { dimensions: 256 })).toBe('Malformed input request: #: required key [inputText] not found, please reformat your input and try again.');
    expect(await refusal(TITAN, { inputText: 'x', dimensions: 1536 })).toMatch(/#\/dimensions: 1536 is not a valid enum value/);
    expect(await refusal(TITAN, { inputText: 'x', normalize: 'yes' })).toMatch(/#\/normalize: expected type: Boolean, found: String/);
    expect(await refusal(TITAN, { inputText: 'x', embeddingTypes: ['int8'] })).toMatch(/#\/embeddingTypes\/0: int8 is not a valid enum value/);
    expect(await refusal(TITAN, { inputText: '' })).toMatch(/expected minLength: 1, actual: 0/);
    expect(await refusal(TITAN, { inputText: 'x'.repeat(50_001) })).toMatch(/expected maxLength: 50000, actual: 50001/);
    expect(await refusal(TITAN, { inputText: 'x', texts: ['y'] })).toMatch(/extraneous key \[texts\]/);
    expect(await refusal(TITAN, { inputText: 42 })).toMatch(/expected type: String, found: Integer/);
  });

  it('refuses unknown models and bodies that are not JSON', async () => {
    const err = await invoke('amazon.titan-embed-text-v9:0', { inputText: 'x' }).catch((e) => e);
    expect(err.name).toMatch(/ResourceNotFoundException|ValidationException/);
    const bad = await client.send(new InvokeModelCommand({ modelId: TITAN, body: '{not json', contentType: 'application/json' })).catch((e) => e);
    expect(bad.$metadata.httpStatusCode).toBe(400);
  });
});

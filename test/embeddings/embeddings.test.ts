/**
 * POST /v1/embeddings through the real openai SDK, the proxy's own Bedrock client (the AWS
 * SDK) and the fake Bedrock, which validates every InvokeModel body against the models'
 * documented schemas. Every response is checked against OpenAI's CreateEmbeddingResponse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { post, startProxyRig, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig();
});
afterAll(async () => rig?.close());

type Sent = { modelId: string; operation: string; body: any; headers: Record<string, unknown> };
const invokes = (): Sent[] => rig.fake.requests.filter((r) => r.operation === 'InvokeModel') as Sent[];

/** The raw JSON the proxy answered, schema-checked; float embeddings only. */
async function rawEmbeddings(body: object) {
  const res = await post(rig.origin, '/v1/embeddings', JSON.stringify(body));
  expect(res.status, res.text).toBe(200);
  expect(validateOpenAI('CreateEmbeddingResponse', res.json)).toEqual([]);
  return res;
}

function decodeBase64Floats(b64: string): number[] {
  const buf = Buffer.from(b64, 'base64');
  const out: number[] = [];
  for (let i = 0; i < buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}

describe('POST /v1/embeddings: inputs and encodings', () => {
  it('embeds one string on Titan Text Embeddings V2 with usage, cost and the list shape', async () => {
    rig.fake.reset();
    const { data, response } = await rig.client.embeddings
      .create({ model: 'text-embedding-3-small', input: 'The quick brown fox', encoding_format: 'float' })
      .withResponse();
    expect(validateOpenAI('CreateEmbeddingResponse', data)).toEqual([]);
    expect(data.object).toBe('list');
    expect(data.model).toBe('text-embedding-3-small');
    expect(data.data).toHaveLength(1);
    expect(data.data[0]!.object).toBe('embedding');
    expect(data.data[0]!.index).toBe(0);
    expect(data.data[0]!.embedding).toHaveLength(1024);
    // Unit vector, as OpenAI's are.
    expect(Math.hypot(...data.data[0]!.embedding)).toBeCloseTo(1, 5);
    const sent = invokes();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.modelId).toBe('amazon.titan-embed-text-v2:0');
    expect(sent[0]!.body).toEqual({ inputText: 'The quick brown fox', dimensions: 1024, normalize: true });
    expect(sent[0]!.headers['content-type']).toBe('application/json');
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage.total_tokens).toBe(data.usage.prompt_tokens);
    expect(response.headers.get('x-nova-model')).toBe('amazon.titan-embed-text-v2:0');
    // Titan V2 is $0.02 per million input tokens.
    expect(Number(response.headers.get('x-nova-cost-usd'))).toBeCloseTo((data.usage.prompt_tokens * 0.02) / 1e6, 10);
  });

  it('serves the SDK default (base64 on the wire, decoded by the SDK) with the same vectors as float', async () => {
    const float = await rig.client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello there', encoding_format: 'float' });
    const byDefault = await rig.client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello there' });
    expect(byDefault.data[0]!.embedding).toHaveLength(1024);
    expect(byDefault.data[0]!.embedding).toEqual(float.data[0]!.embedding.map((x) => Math.fround(x)));
  });

  it('answers encoding_format base64 with little-endian float32 bytes', async () => {
    const res = await post(rig.origin, '/v1/embeddings', JSON.stringify({ model: 'text-embedding-3-small', input: ['alpha beta', 'gamma'], encoding_format: 'base64' }));
    expect(res.status).toBe(200);
    const floats = await rawEmbeddings({ model: 'text-embedding-3-small', input: ['alpha beta', 'gamma'], encoding_format: 'float' });
    for (let i = 0; i < 2; i++) {
      const b64 = res.json.data[i].embedding;
      expect(typeof b64).toBe('string');
      expect(Buffer.from(b64, 'base64').length).toBe(1024 * 4);
      const decoded = decodeBase64Floats(b64);
      expect(decoded).toEqual(floats.json.data[i].embedding.map((x: number) => Math.fround(x)));
    }
    // Schema-checked as the SDK hands it to the application: decoded to numbers.
    const decodedResponse = { ...res.json, data: res.json.data.map((d: any) => ({ ...d, embedding: decodeBase64Floats(d.embedding) })) };
    expect(validateOpenAI('CreateEmbeddingResponse', decodedResponse)).toEqual([]);
  });

  it('fans a batch out one input per call and keeps the input order, even when later calls finish first', async () => {
    rig.fake.reset();
    const input = Array.from({ length: 20 }, (_, i) => `document number ${i} about topic ${i % 3}`);
    // Earlier requests answer later: completion order is the reverse of input order.
    rig.fake.enqueue(...input.map((_, i) => ({ delayMs: (input.length - i) * 5 })));
    const batch = await rig.client.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' });
    expect(validateOpenAI('CreateEmbeddingResponse', batch)).toEqual([]);
    expect(batch.data.map((d) => d.index)).toEqual(input.map((_, i) => i));
    const sent = invokes();
    expect(sent).toHaveLength(20);
    expect(new Set(sent.map((s) => s.body.inputText))).toEqual(new Set(input));
    // Each vector is the one that text gets on its own.
    for (const i of [0, 7, 19]) {
      const single = await rig.client.embeddings.create({ model: 'text-embedding-3-small', input: input[i]!, encoding_format: 'float' });
      expect(batch.data[i]!.embedding).toEqual(single.data[0]!.embedding);
    }
    const tokens = batch.usage.prompt_tokens;
    expect(tokens).toBeGreaterThan(20);
  });

  it('decodes cl100k_base token arrays (what LangChain Python sends) and says which token it cannot decode', async () => {
    rig.fake.reset();
    // tiktoken's cl100k_base encoding of the texts, as a client would send them.
    const texts = ['Tokens from tiktoken, décodés ✓', 'second chunk'];
    const tokens = [[30400, 505, 87272, 5963, 11, 7591, 20720, 5512, 53475], [5686, 12143]];
    const res = await rawEmbeddings({ model: 'text-embedding-ada-002', input: tokens, encoding_format: 'float' });
    expect(res.json.data).toHaveLength(2);
    expect(invokes().map((s) => s.body.inputText)).toEqual(texts);
    // One flat token array is one input.
    await rawEmbeddings({ model: 'text-embedding-3-small', input: [4345, 832], encoding_format: 'float' });
    expect(invokes().at(-1)!.body.inputText).toBe('just one');
    const bad = await post(rig.origin, '/v1/embeddings', JSON.stringify({ model: 'text-embedding-3-small', input: [[9906, 100257]] }));
    expect(bad.status).toBe(400);
    expect(validateOpenAI('ErrorResponse', bad.json)).toEqual([]);
    expect(bad.json.error.param).toBe('input[0][1]');
    expect(bad.json.error.message).toMatch(/cl100k_base/);
  });

  it('maps text-embedding-3-large to Nova Multimodal Embeddings in the recorded request shape, with dimensions and purpose', async () => {
    rig.fake.reset();
    const big = await rig.client.embeddings.create({ model: 'text-embedding-3-large', input: 'Test Nova dimensions', encoding_format: 'float' });
    expect(validateOpenAI('CreateEmbeddingResponse', big)).toEqual([]);
    expect(big.data[0]!.embedding).toHaveLength(3072);
    const small = await rig.client.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'Test Nova dimensions',
      dimensions: 256,
      encoding_format: 'float',
      // @ts-expect-error extension parameter (extra_body in the Python SDK)
      embedding_purpose: 'text_retrieval',
    });
    expect(small.data[0]!.embedding).toHaveLength(256);
    const [first, second] = invokes();
    expect(first!.modelId).toBe('amazon.nova-2-multimodal-embeddings-v1:0');
    expect(first!.body).toEqual({
      schemaVersion: 'nova-multimodal-embed-v1',
      taskType: 'SINGLE_EMBEDDING',
      singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', embeddingDimension: 3072, text: { truncationMode: 'NONE', value: 'Test Nova dimensions' } },
    });
    expect(second!.body.singleEmbeddingParams.embeddingDimension).toBe(256);
    expect(second!.body.singleEmbeddingParams.embeddingPurpose).toBe('TEXT_RETRIEVAL');
    // The token count comes from Bedrock's x-amzn-bedrock-input-token-count header.
    expect(small.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('serves Bedrock model IDs and the unprefixed route used behind API Gateway stages', async () => {
    const client = new OpenAI({ baseURL: rig.origin, apiKey: 'x', maxRetries: 0 });
    const r = await client.embeddings.create({ model: 'amazon.titan-embed-text-v2:0', input: 'direct', dimensions: 512, encoding_format: 'float' });
    expect(r.model).toBe('amazon.titan-embed-text-v2:0');
    expect(r.data[0]!.embedding).toHaveLength(512);
    expect(invokes().at(-1)!.body.dimensions).toBe(512);
  });

  it('reports user and unknown parameters as ignored', async () => {
    const res = await post(rig.origin, '/v1/embeddings', JSON.stringify({ model: 'text-embedding-3-small', input: 'x y', user: 'u-1', foo: 1 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-nova-ignored-params')).toBe('user,foo');
  });
});

describe('POST /v1/embeddings: errors', () => {
  async function expect400(body: object, param: string | null, message: RegExp) {
    const before = invokes().length;
    const res = await post(rig.origin, '/v1/embeddings', JSON.stringify(body));
    expect(res.status, res.text).toBe(400);
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
    expect(res.json.error.param).toBe(param);
    expect(res.json.error.message).toMatch(message);
    // Refused before anything reached Bedrock.
    expect(invokes().length).toBe(before);
    return res.json.error;
  }

  it('refuses bad input forms, naming the parameter', async () => {
    const m = 'text-embedding-3-small';
    await expect400({ model: m }, 'input', /input is required/);
    await expect400({ model: m, input: '' }, 'input', /empty string/);
    await expect400({ model: m, input: [] }, 'input', /empty array/);
    await expect400({ model: m, input: ['a', ''] }, 'input[1]', /empty string/);
    await expect400({ model: m, input: ['a', [1, 2]] }, 'input[1]', /cannot mix/);
    await expect400({ model: m, input: [[1, 2], 'a'] }, 'input[1]', /token array/);
    await expect400({ model: m, input: [1.5] }, 'input[0]', /cl100k_base/);
    await expect400({ model: m, input: {} }, 'input', /got an object/);
    await expect400({ model: m, input: Array.from({ length: 2049 }, () => 'x') }, 'input', /at most 2048/);
    await expect400({ model: m, input: 'x', encoding_format: 'int8' }, 'encoding_format', /"float" or "base64"/);
    await expect400({ model: m, input: 'x', dimensions: 0 }, 'dimensions', /at least 1/);
    await expect400({ model: m, input: '   ' }, 'input', /no text/);
  });

  it('names the allowed dimensions of the model', async () => {
    const err = await rig.client.embeddings.create({ model: 'text-embedding-3-small', input: 'x', dimensions: 1536 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('dimensions');
    expect(err.message).toMatch(/allowed values: 256, 512, 1024 \(default 1024\)/);
    await expect400({ model: 'text-embedding-3-large', input: 'x', dimensions: 512 }, 'dimensions', /256, 384, 1024, 3072/);
  });

  it('refuses inputs longer than the model takes, and embedding_purpose on Titan', async () => {
    const long = 'word '.repeat(2000); // 10,000 characters: fine for Titan, over Nova's documented 8,192
    await expect400({ model: 'text-embedding-3-large', input: ['short', long] }, 'input[1]', /8192 characters/);
    await expect400({ model: 'text-embedding-3-small', input: 'x'.repeat(50_001) }, 'input', /50000 characters/);
    const e = await expect400({ model: 'text-embedding-3-small', input: 'x', embedding_purpose: 'TEXT_RETRIEVAL' }, 'embedding_purpose', /Nova Multimodal Embeddings only/);
    expect(e.code).toBe('unsupported_parameter');
    await expect400({ model: 'text-embedding-3-large', input: 'x', embedding_purpose: 'SEARCH' }, 'embedding_purpose', /GENERIC_INDEX/);
  });

  it('tells chat models from unknown ones', async () => {
    const chat = await expect400({ model: 'gpt-4o', input: 'x' }, 'model', /chat model, not an embeddings model/);
    expect(chat.code).toBe('model_not_supported');
    const err = await rig.client.embeddings.create({ model: 'text-embedding-4', input: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
    expect(err.message).toMatch(/text-embedding-3-small/);
    // And the chat endpoint does not take embeddings models.
    const chatErr = await rig.client.chat.completions.create({ model: 'text-embedding-3-small', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(chatErr).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('maps a Bedrock failure in the middle of a batch and stops sending the rest', async () => {
    rig.fake.reset();
    rig.fake.enqueue({}, { errorType: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' });
    const input = Array.from({ length: 40 }, (_, i) => `text ${i}`);
    const err = await rig.client.embeddings.create({ model: 'text-embedding-3-small', input }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers.get('retry-after')).toBeTruthy();
    expect(err.message).toMatch(/^429 Bedrock: request rate or token quota exceeded/);
    // At most the calls already in flight when the error came back; never the whole batch.
    expect(invokes().length).toBeLessThan(40);
  });
});

describe('POST /v1/embeddings: one call at a time', () => {
  let one: ProxyRig;
  beforeAll(async () => {
    one = await startProxyRig({ embeddingConcurrency: 1 });
  });
  afterAll(async () => one?.close());

  it('says which input Bedrock refused', async () => {
    one.fake.enqueue({}, {}, { errorType: 'ValidationException', message: 'Malformed input request: #/inputText: expected maxLength: 50000, actual: 50001, please reformat your input and try again.' });
    const res = await post(one.origin, '/v1/embeddings', JSON.stringify({ model: 'text-embedding-3-small', input: ['a', 'b', 'c', 'd'] }));
    expect(res.status).toBe(400);
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
    expect(res.json.error.param).toBe('input[2]');
    expect(res.json.error.message).toMatch(/^Bedrock: Malformed input request.*\(input\[2\]\)$/);
    // Sequential: the fourth input was never sent.
    expect(one.fake.requests.filter((r) => r.operation === 'InvokeModel')).toHaveLength(3);
  });

  it('maps an over-long input reported by Bedrock to context_length_exceeded on that input', async () => {
    one.fake.enqueue({ errorType: 'ValidationException', message: '400 Bad Request: Too many input tokens. Max input tokens: 8192, request input token count: 9000' });
    const err = await new OpenAI({ baseURL: `${one.origin}/v1`, apiKey: 'x', maxRetries: 0 }).embeddings.create({ model: 'text-embedding-3-small', input: 'long' }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe('context_length_exceeded');
    expect(err.param).toBe('input');
    expect(err.message).toMatch(/input limit is 8192 tokens/);
  });
});

import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../proxy/embeddings/fan-out.js';
import { float32Base64 } from '../../proxy/embeddings/encode.js';
import { DIALECTS } from '../../proxy/embeddings/dialects.js';
import { parseEmbeddingsRequest } from '../../proxy/embeddings/parse-request.js';
import { OpenAIHttpError } from '../../proxy/errors.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('mapBounded', () => {
  it('keeps item order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, new AbortController().signal, async (n, i) => {
      running++;
      peak = Math.max(peak, running);
      for (let k = 0; k < n; k++) await tick();
      running--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6']);
    expect(peak).toBe(3);
  });

  it('rejects with the first failure, aborts the tasks in flight and starts no more', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const err = await mapBounded([0, 1, 2, 3, 4, 5], 2, new AbortController().signal, async (_n, i, signal) => {
      started.push(i);
      if (i === 1) throw new Error('boom');
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => (aborted.push(i), resolve()), { once: true }));
      return i;
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe('boom');
    expect(started).toEqual([0, 1]);
    expect(aborted).toEqual([0]);
  });

  it("stops when the caller's signal aborts", async () => {
    const ctl = new AbortController();
    const reason = new OpenAIHttpError(504, 'time limit');
    let calls = 0;
    const p = mapBounded([1, 2, 3, 4], 1, ctl.signal, async (_n, _i, signal) => {
      calls++;
      ctl.abort(reason);
      if (signal.aborted) throw new Error('aborted');
      return 0;
    });
    await expect(p).rejects.toThrow();
    expect(calls).toBe(1);
  });
});

describe('float32Base64', () => {
  it('writes little-endian float32, the bytes OpenAI returns', () => {
    // 1.0 = 0x3f800000, -2.0 = 0xc0000000, little-endian.
    expect(Buffer.from(float32Base64([1, -2]), 'base64')).toEqual(Buffer.from([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]));
    expect(float32Base64([0.1])).toBe(Buffer.from(new Float32Array([0.1]).buffer).toString('base64'));
  });
});

describe('embeddings dialects', () => {
  it('builds the Nova request the recorded one was, and reads the recorded response shape', () => {
    // ../shared/recorded/bedrock/pydantic/pydantic-ai/tests/cassettes/test_embeddings/TestBedrock.test_nova_with_dimensions.yaml
    // (the recorded client sent GENERIC_RETRIEVAL and END; the proxy's defaults differ on purpose).
    const nova = DIALECTS['nova-multimodal'];
    expect(JSON.parse(nova.body('Test Nova dimensions', 256, 'GENERIC_RETRIEVAL'))).toEqual({
      schemaVersion: 'nova-multimodal-embed-v1',
      taskType: 'SINGLE_EMBEDDING',
      singleEmbeddingParams: { embeddingPurpose: 'GENERIC_RETRIEVAL', embeddingDimension: 256, text: { truncationMode: 'NONE', value: 'Test Nova dimensions' } },
    });
    expect(nova.parse({ embeddings: [{ embedding: [-0.109526575, 0.022427728], embeddingType: 'TEXT' }] })).toEqual({ vector: [-0.109526575, 0.022427728] });
  });

  it('reads Titan V2 responses, token count included, and refuses bodies without a vector', () => {
    const titan = DIALECTS['titan-text-v2'];
    expect(JSON.parse(titan.body('hi', 512, undefined))).toEqual({ inputText: 'hi', dimensions: 512, normalize: true });
    expect(titan.parse({ embedding: [0.5], embeddingsByType: { float: [0.5] }, inputTextTokenCount: 3 })).toEqual({ vector: [0.5], inputTokens: 3 });
    expect(titan.parse({ embeddingsByType: { float: [0.25] } })).toEqual({ vector: [0.25] });
    expect(() => titan.parse({ message: 'nope' })).toThrow(/no embedding vector/);
    expect(() => DIALECTS['nova-multimodal'].parse({ embeddings: [] })).toThrow(OpenAIHttpError);
  });
});

describe('parseEmbeddingsRequest', () => {
  it('accepts every OpenAI input form', () => {
    expect(parseEmbeddingsRequest({ model: 'm', input: 'a' })).toMatchObject({ inputs: ['a'], single: true, encoding: 'float' });
    expect(parseEmbeddingsRequest({ model: 'm', input: ['a', 'b'] })).toMatchObject({ inputs: ['a', 'b'], single: false });
    expect(parseEmbeddingsRequest({ model: 'm', input: [1, 2] })).toMatchObject({ inputs: [[1, 2]], single: true });
    expect(parseEmbeddingsRequest({ model: 'm', input: [[1], [2, 3]], encoding_format: 'base64', dimensions: 256 })).toMatchObject({
      inputs: [[1], [2, 3]],
      encoding: 'base64',
      dimensions: 256,
    });
    expect(parseEmbeddingsRequest({ model: 'm', input: 'a', embedding_purpose: 'clustering' }).purpose).toBe('CLUSTERING');
  });

  it('refuses what OpenAI refuses, with the parameter path', () => {
    const param = (body: unknown) => {
      try {
        parseEmbeddingsRequest(body);
      } catch (e) {
        return (e as OpenAIHttpError).param;
      }
      return 'accepted';
    };
    expect(param(null)).toBe(null);
    expect(param({ input: 'x' })).toBe('model');
    expect(param({ model: 'm', input: [[1], []] })).toBe('input[1]');
    expect(param({ model: 'm', input: [[1, -1]] })).toBe('input[0][1]');
    expect(param({ model: 'm', input: [1, 'a'] })).toBe('input[1]');
    expect(param({ model: 'm', input: 'x', dimensions: 1.5 })).toBe('dimensions');
    expect(param({ model: 'm', input: 'x', user: 3 })).toBe('user');
  });
});

/**
 * The direct transport's byte-level pieces: request bodies (blobs written as base64 without
 * passing through JSON.stringify, exact-bytes hash) and event-stream decoding (frames split
 * anywhere, exceptions, errors, corruption, unknown members).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { converseBody } from '../../proxy/bedrock/wire-body.js';
import { EventStreamDecoder } from '../../proxy/bedrock/event-stream.js';
import { Base64Source } from '../../proxy/translate/data-url.js';
import { encodeEvent, encodeException } from '../../mock/bedrock/event-stream.js';

const joined = (b: ReturnType<typeof converseBody>) => Buffer.concat(b.chunks);

describe('Converse request bodies', () => {
  it('are the input without modelId, hashed over the exact bytes', () => {
    const input = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user' as const, content: [{ text: 'héllo "x" \u0000' }] }], inferenceConfig: { maxTokens: 5 } };
    const body = converseBody(input);
    const bytes = joined(body);
    expect(JSON.parse(bytes.toString())).toEqual({ messages: input.messages, inferenceConfig: { maxTokens: 5 } });
    expect(body.length).toBe(bytes.length);
    expect(body.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('write blobs as base64: a data-URL source as the client sent it, bytes encoded, in tool results too', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const src = new Base64Source('iVBORw0KGgoAAAANSUhEUg==');
    const input = {
      modelId: 'm',
      messages: [
        {
          role: 'user' as const,
          content: [
            { text: 'look: \u0000 and a fake marker "\\u0000abc:0"' },
            { image: { format: 'png' as const, source: src } },
            { document: { format: 'pdf' as const, name: 'doc', source: { bytes } } },
            { toolResult: { toolUseId: 't1', content: [{ image: { format: 'png' as const, source: { bytes } } }] } },
          ],
        },
      ],
    };
    const body = converseBody(input);
    expect(body.chunks.length).toBeGreaterThan(1);
    const parsed = JSON.parse(joined(body).toString());
    expect(parsed.messages[0].content[0].text).toBe(input.messages[0]!.content[0]!.text);
    expect(parsed.messages[0].content[1].image.source).toEqual({ bytes: 'iVBORw0KGgoAAAANSUhEUg==' });
    expect(parsed.messages[0].content[2].document.source).toEqual({ bytes: Buffer.from(bytes).toString('base64') });
    expect(parsed.messages[0].content[3].toolResult.content[0].image.source).toEqual({ bytes: Buffer.from(bytes).toString('base64') });
    expect(body.sha256).toBe(createHash('sha256').update(joined(body)).digest('hex'));
    expect(body.length).toBe(joined(body).length);
    // The source was never decoded for this.
    expect(Object.getOwnPropertyDescriptor(src, 'bytes')?.get).toBeTypeOf('function');
  });
});

const codec = new EventStreamCodec((b) => Buffer.from(b).toString('utf8'), (s) => Buffer.from(s, 'utf8'));

function decodeAll(chunks: Buffer[]): { events: ConverseStreamOutput[]; error?: Error } {
  const events: ConverseStreamOutput[] = [];
  let error: Error | undefined;
  const d = new EventStreamDecoder({ event: (e) => events.push(e), error: (e) => (error = e) }, { httpStatusCode: 200, requestId: 'req-1' });
  for (const c of chunks) d.push(c);
  return { events, ...(error ? { error } : {}) };
}

const frames = [
  encodeEvent('messageStart', { role: 'assistant' }, 0),
  encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }, 1),
  encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'lo ✓' } }, 2),
  encodeEvent('messageStop', { stopReason: 'end_turn' }, 3),
].map((f) => Buffer.from(f));

describe('event-stream decoding', () => {
  it('yields every event whatever the chunk boundaries', () => {
    const all = Buffer.concat(frames);
    const whole = decodeAll([all]).events;
    expect(whole.map((e) => Object.keys(e)[0])).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'messageStop']);
    expect(whole[2]!.contentBlockDelta!.delta!.text).toBe('lo ✓');
    for (let cut = 1; cut < all.length; cut += 7) {
      expect(decodeAll([all.subarray(0, cut), all.subarray(cut)]).events).toEqual(whole);
    }
    expect(decodeAll([...all].map((b) => Buffer.from([b]))).events).toEqual(whole);
  });

  it('turns exception frames into the errors the SDK throws', () => {
    const r = decodeAll([frames[0]!, Buffer.from(encodeException('throttlingException', 'Too many tokens', { extra: 1 }))]);
    expect(r.events).toHaveLength(1);
    expect(r.error).toMatchObject({ name: 'ThrottlingException', message: 'Too many tokens', extra: 1, $metadata: { requestId: 'req-1' } });
  });

  it('raises error frames and unknown exceptions by their code, skips unknown event members', () => {
    const errorFrame = Buffer.from(codec.encode({ headers: { ':message-type': { type: 'string', value: 'error' }, ':error-code': { type: 'string', value: 'InternalFailure' }, ':error-message': { type: 'string', value: 'boom' } }, body: new Uint8Array() }));
    expect(decodeAll([errorFrame]).error).toMatchObject({ name: 'InternalFailure', message: 'boom' });
    const future = Buffer.from(encodeEvent('someFutureEvent', { x: 1 }));
    expect(decodeAll([future, frames[3]!]).events).toEqual([{ messageStop: { stopReason: 'end_turn', p: expect.any(String) } }]);
    const unknownException = Buffer.from(encodeException('newException' as never, 'later'));
    expect(decodeAll([unknownException]).error).toMatchObject({ name: 'newException' });
  });

  it('refuses corrupted frames', () => {
    const bad = Buffer.from(frames[1]!);
    bad.writeUInt8(bad.readUInt8(bad.length - 6) ^ 0xff, bad.length - 6);
    expect(decodeAll([frames[0]!, bad]).error?.message).toMatch(/checksum/);
  });
});

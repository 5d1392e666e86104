/**
 * The direct transport reads event-stream frames itself (proxy/bedrock/event-frame.ts);
 * `@smithy/eventstream-codec`, the SDK's codec, is the reference. Over generated streams —
 * every header type, known and unknown names, repeated headers, unicode payloads, events,
 * exceptions and error frames, split at random byte boundaries — both must give the same
 * events and the same error; corrupted bytes and malformed headers must fail in both.
 */
import { describe, expect, it } from 'vitest';
import { EventStreamCodec, Int64 } from '@smithy/eventstream-codec';
import type { MessageHeaderValue } from '@smithy/types';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamDecoder } from '../../proxy/bedrock/event-stream.js';
import { streamException } from '../../proxy/bedrock/service-error.js';
import { seededRandom } from '../support/seeded-random.js';

const codec = new EventStreamCodec((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'), (s) => Buffer.from(s, 'utf8'));
const META = { httpStatusCode: 200, requestId: 'req-1' };
const EVENTS = ['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata'];
const EXCEPTIONS = ['internalServerException', 'modelStreamErrorException', 'validationException', 'throttlingException', 'serviceUnavailableException'];

interface Outcome {
  events: ConverseStreamOutput[];
  error?: { name: string; message: string; fields: Record<string, unknown> };
  truncated: boolean;
}

const errorOf = (e: Error) => ({ name: e.name, message: e.message, fields: { ...e } });

function ours(chunks: Buffer[]): Outcome {
  const events: ConverseStreamOutput[] = [];
  let error: Error | undefined;
  const d = new EventStreamDecoder({ event: (e) => events.push(e), error: (e) => (error = e) }, META);
  for (const c of chunks) d.push(c);
  return { events, ...(error ? { error: errorOf(error) } : {}), truncated: error ? false : d.truncated };
}

/**
 * The same stream through the SDK's codec, read the way the SDK's event-stream deserializer
 * reads a decoded message (header values taken when string-typed, as the service sends them).
 */
function reference(bytes: Buffer): Outcome {
  const events: ConverseStreamOutput[] = [];
  const fail = (error: Error): Outcome => ({ events, error: errorOf(error), truncated: false });
  let offset = 0;
  while (bytes.length - offset >= 4) {
    const length = bytes.readUInt32BE(offset);
    if (length < 16) return fail(new Error(`Bedrock event stream: invalid frame length ${length}`));
    if (bytes.length - offset < length) break;
    let msg;
    try {
      msg = codec.decode(new Uint8Array(bytes.subarray(offset, offset + length)));
    } catch (err) {
      return fail(Object.assign(new Error(`Bedrock event stream: ${(err as Error).message}`), { name: 'ModelStreamErrorException' }));
    }
    offset += length;
    const str = (name: string): string | undefined => {
      const h = msg.headers[name];
      return h?.type === 'string' ? h.value : undefined;
    };
    const body = Buffer.from(msg.body).toString('utf8');
    const type = str(':message-type');
    if (type === 'event') {
      const eventType = str(':event-type') ?? '';
      if (!EVENTS.includes(eventType)) continue;
      try {
        events.push({ [eventType]: body === '' ? {} : JSON.parse(body) } as unknown as ConverseStreamOutput);
      } catch {
        return fail(Object.assign(new Error(`Bedrock event stream: the ${eventType} event is not valid JSON`), { name: 'ModelStreamErrorException' }));
      }
      continue;
    }
    if (type === 'exception') {
      const code = str(':exception-type') ?? '';
      return fail(EXCEPTIONS.includes(code) ? streamException(code, body, META) : Object.assign(new Error(body), { name: code }));
    }
    if (type === 'error') {
      const code = str(':error-code') ?? 'InternalServerException';
      return fail(Object.assign(new Error(str(':error-message') ?? code), { name: code, $fault: 'server', $metadata: META }));
    }
    return fail(new Error(`Unrecognizable event type: ${String(str(':event-type'))}`));
  }
  return { events, truncated: offset < bytes.length };
}

type Rng = ReturnType<typeof seededRandom>;

const TEXTS = ['', 'a', 'Hello', 'héllo ✓ 日本語 🌊', '"quoted" \\ back\nslash', 'x'.repeat(300)];

function randomValue(r: Rng): MessageHeaderValue {
  switch (r.int(10)) {
    case 0: return { type: 'boolean', value: r.next() < 0.5 };
    case 1: return { type: 'byte', value: r.int(256) - 128 };
    case 2: return { type: 'short', value: r.int(65536) - 32768 };
    case 3: return { type: 'integer', value: r.int(2 ** 32) - 2 ** 31 };
    case 4: return { type: 'long', value: Int64.fromNumber(r.int(2 ** 40) - 2 ** 39) };
    case 5: return { type: 'binary', value: Uint8Array.from({ length: r.int(40) }, () => r.int(256)) };
    case 6: return { type: 'timestamp', value: new Date(r.int(2 ** 41)) };
    case 7: return { type: 'uuid', value: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' };
    default: return { type: 'string', value: r.pick(TEXTS) };
  }
}

/** One frame: what Bedrock sends, plus the headers a future service version might add. */
function randomFrame(r: Rng): Uint8Array {
  const headers: Record<string, MessageHeaderValue> = {};
  const extra = () => {
    for (let i = r.int(3); i > 0; i--) headers[r.pick([':content-type', 'x-future', ':date', 'a', 'ünïcode-name'])] = randomValue(r);
  };
  extra();
  const kind = r.next();
  let body: string;
  if (kind < 0.8) {
    headers[':message-type'] = { type: 'string', value: 'event' };
    headers[':event-type'] = { type: 'string', value: r.next() < 0.9 ? r.pick(EVENTS) : r.pick(['someFutureEvent', '', 'contentblockdelta']) };
    const json = { contentBlockIndex: r.int(3), delta: { text: r.pick(TEXTS) }, p: 'abcd'.slice(0, r.int(5)) };
    body = r.next() < 0.05 ? '' : r.next() < 0.03 ? '{"truncated":' : JSON.stringify(json);
  } else if (kind < 0.9) {
    headers[':message-type'] = { type: 'string', value: 'exception' };
    headers[':exception-type'] = { type: 'string', value: r.next() < 0.8 ? r.pick(EXCEPTIONS) : 'newException' };
    body = JSON.stringify({ message: r.pick(TEXTS), extra: r.int(10) });
  } else if (kind < 0.96) {
    headers[':message-type'] = { type: 'string', value: 'error' };
    if (r.next() < 0.8) headers[':error-code'] = { type: 'string', value: r.pick(['InternalFailure', 'ServiceUnavailable']) };
    if (r.next() < 0.8) headers[':error-message'] = { type: 'string', value: r.pick(TEXTS) };
    body = '';
  } else {
    // A message type the SDK does not know, or a known header given as another type.
    headers[':message-type'] = r.next() < 0.5 ? { type: 'string', value: 'ping' } : randomValue(r);
    headers[':event-type'] = r.next() < 0.5 ? { type: 'string', value: r.pick(EVENTS) } : randomValue(r);
    body = '{}';
  }
  extra();
  return codec.encode({ headers, body: Buffer.from(body, 'utf8') });
}

function randomStream(r: Rng): Buffer {
  return Buffer.concat(Array.from({ length: 1 + r.int(6) }, () => randomFrame(r)));
}

/** The bytes split at random points, as socket reads split them. */
function split(r: Rng, bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const n = r.next() < 0.3 ? 1 + r.int(3) : 1 + r.int(bytes.length);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

const N = Number(process.env.FUZZ_N ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);

describe('event-stream frames: our reader against the SDK codec', () => {
  it(`gives the same events and errors over ${N} generated streams, however they are split (seed ${SEED})`, () => {
    const r = seededRandom(SEED);
    const seen = { events: 0, errors: new Set<string>(), splits: 0 };
    for (let i = 0; i < N; i++) {
      const bytes = randomStream(r);
      const want = reference(bytes);
      const chunks = split(r, bytes);
      expect(ours([bytes]), `stream ${i}`).toEqual(want);
      expect(ours(chunks), `stream ${i} in ${chunks.length} pieces`).toEqual(want);
      seen.events += want.events.length;
      seen.splits += chunks.length;
      if (want.error) seen.errors.add(want.error.name);
    }
    // The generator reached every outcome it is meant to.
    expect(seen.events).toBeGreaterThan(N);
    expect([...seen.errors].sort()).toEqual(
      expect.arrayContaining(['Error', 'InternalFailure', 'ModelStreamErrorException', 'ThrottlingException', 'ValidationException', 'newException']),
    );
  });

  it('fails where the codec fails on corrupted bytes, with its checksum messages', () => {
    const r = seededRandom(SEED + 1);
    let checksums = 0;
    for (let i = 0; i < N; i++) {
      const bytes = Buffer.from(randomStream(r));
      const how = r.int(3);
      if (how === 0) {
        const at = r.int(bytes.length);
        bytes[at] = bytes[at]! ^ (1 + r.int(255));
      } else if (how === 1) {
        // A frame length off by a little: the frame ends somewhere else.
        bytes.writeUInt32BE(Math.max(0, bytes.readUInt32BE(0) + r.int(9) - 4), 0);
      }
      const cut = how === 2 ? bytes.subarray(0, r.int(bytes.length)) : bytes;
      const want = reference(cut);
      expect(ours(split(r, cut)), `case ${i}`).toEqual(want);
      if (want.error?.message.includes('checksum')) checksums++;
    }
    expect(checksums).toBeGreaterThan(N / 4);
  });

  it('refuses headers with an unknown type tag, as the codec does', () => {
    const frame = Buffer.from(codec.encode({ headers: { ':message-type': { type: 'string', value: 'event' } }, body: Buffer.from('{}') }));
    // The tag byte follows the 1-byte name length and the 13-byte name.
    for (const tag of [10, 42, 255]) {
      const bad = withHeaders(frame, (h) => (h[1 + 13] = tag));
      expect(reference(bad).error?.message).toBe('Bedrock event stream: Unrecognized header type tag');
      expect(ours([bad]).error?.message).toBe('Bedrock event stream: Unrecognized header type tag');
    }
  });

  it('refuses a header that runs past the headers section (stricter than the codec, which reads on into the payload)', () => {
    const frame = Buffer.from(codec.encode({ headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'messageStop' } }, body: Buffer.from('{"stopReason":"end_turn"}') }));
    expect(ours([frame]).events).toEqual([{ messageStop: { stopReason: 'end_turn' } }]);
    const headersLength = frame.readUInt32BE(4);
    for (let cut = 1; cut < 14; cut++) {
      // The same bytes, with the headers section declared shorter (the rest counts as payload).
      const bad = Buffer.from(frame);
      bad.writeUInt32BE(headersLength - cut, 4);
      const fixed = recrc(bad);
      const got = ours([fixed]);
      expect(got.events, `cut ${cut}`).toEqual([]);
      expect(got.error?.name).toBe('ModelStreamErrorException');
    }
    const over = Buffer.from(frame);
    over.writeUInt32BE(frame.length, 4);
    expect(ours([recrc(over)]).error?.message).toMatch(/overrun the message/);
  });
});

/** A copy of a one-frame message with its header bytes edited and both checksums recomputed. */
function withHeaders(frame: Buffer, edit: (headers: Buffer) => void): Buffer {
  const copy = Buffer.from(frame);
  edit(copy.subarray(12, 12 + copy.readUInt32BE(4)));
  return recrc(copy);
}

function recrc(frame: Buffer): Buffer {
  const prelude = crc(frame.subarray(0, 8));
  frame.writeUInt32BE(prelude, 8);
  frame.writeUInt32BE(crc(frame.subarray(0, frame.length - 4)), frame.length - 4);
  return frame;
}

// The reference CRC for the test's own edits: the codec's encoder computes it for a fresh frame.
function crc(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

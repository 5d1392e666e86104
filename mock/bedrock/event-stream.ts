/**
 * Binary `application/vnd.amazon.eventstream` frames as Bedrock sends them for
 * ConverseStream, encoded with the same codec the SDK decodes with.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { StreamExceptionType } from './errors.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The service pads each payload with a `p` member of varying length (so payload sizes do
 * not leak token lengths); clients must ignore it, so the fake sends it too.
 */
function padded(payload: object, seq: number): Uint8Array {
  return fromUtf8(JSON.stringify({ ...payload, p: PADDING.slice(0, 4 + (seq * 7) % (PADDING.length - 4)) }));
}

/** One event frame: `:event-type` is the ConverseStreamOutput member name (messageStart, contentBlockDelta…). */
export function encodeEvent(eventType: string, payload: object, seq = 0): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: padded(payload, seq),
  });
}

/** An in-stream exception frame; the SDK raises it as the matching exception class while iterating. */
export function encodeException(exceptionType: StreamExceptionType, message: string, fields: Record<string, unknown> = {}): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify({ message, ...fields })),
  });
}

/** Decodes frames (for tests and debugging): `{ headers, body }` with the JSON body parsed. */
export function decodeFrames(bytes: Uint8Array): { headers: Record<string, string>; body: unknown }[] {
  const out: { headers: Record<string, string>; body: unknown }[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
    const length = view.getUint32(0);
    const msg = codec.decode(bytes.subarray(offset, offset + length));
    const headers = Object.fromEntries(Object.entries(msg.headers).map(([k, v]) => [k, String(v.value)]));
    out.push({ headers, body: JSON.parse(toUtf8(msg.body)) });
    offset += length;
  }
  return out;
}

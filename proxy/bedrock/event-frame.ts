/**
 * One `application/vnd.amazon.eventstream` frame, read in place: the prelude and message
 * CRC32s checked, every header walked (so a malformed header is refused, as
 * `@smithy/eventstream-codec` refuses it), and only the five headers the proxy acts on
 * turned into strings — the known values as shared constants, so a typical delta frame
 * allocates nothing here but its payload's text.
 *
 * Why not the SDK's codec: per streamed answer it allocated ~23 KB (a header object, a
 * typed-array view and a decoded string per header, DataViews and a CRC object per frame),
 * a sixth of the proxy's allocation per stream and a cause of its GC pauses. It stays the
 * reference: test/bedrock/event-frame.test.ts decodes generated, split, corrupted and
 * malformed frames with both and requires the same events, errors and checksum messages.
 *
 * Frame layout: total length (u32) · headers length (u32) · prelude CRC (u32) · headers ·
 * payload · message CRC (u32, over everything before it). A header is name length (u8) ·
 * name · type tag (u8) · value (fixed size by type, or u16 length + bytes for 6 and 7).
 */
import { crc32 } from 'node:zlib';
import { STREAM_EVENT_MEMBERS, STREAM_EXCEPTION_MEMBERS } from '../translate/stream-members.js';

/** What the proxy reads of one frame: five headers (string-typed values only, as the service sends them) and where the payload is. */
export interface Frame {
  messageType: string | undefined;
  eventType: string | undefined;
  exceptionType: string | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  bodyStart: number;
  bodyEnd: number;
}

/** A frame to fill (one per stream, reused for each of its frames). */
export function emptyFrame(): Frame {
  return { messageType: undefined, eventType: undefined, exceptionType: undefined, errorCode: undefined, errorMessage: undefined, bodyStart: 0, bodyEnd: 0 };
}

export const MIN_FRAME_LENGTH = 16;

const STRING_TAG = 7;
/** Value sizes of the fixed-size types, by tag: bool true/false, byte, short, int, long, (6, 7 sized), timestamp, uuid. */
const FIXED_SIZE = [0, 0, 1, 2, 4, 8, -1, -1, 8, 16];

const NAMES = [':message-type', ':event-type', ':exception-type', ':error-code', ':error-message'].map((s) => Buffer.from(s, 'latin1'));
const FIELDS = ['messageType', 'eventType', 'exceptionType', 'errorCode', 'errorMessage'] as const;

/** Values that arrive on every frame, returned as the same string each time. */
const KNOWN_VALUES = ['event', 'exception', 'error', ...STREAM_EVENT_MEMBERS, ...STREAM_EXCEPTION_MEMBERS].map((s) => ({ s, b: Buffer.from(s, 'latin1') }));

function sameBytes(buf: Buffer, start: number, length: number, known: Buffer): boolean {
  if (length !== known.length) return false;
  for (let i = 0; i < length; i++) if (buf[start + i] !== known[i]) return false;
  return true;
}

function stringValue(buf: Buffer, start: number, length: number): string {
  for (const k of KNOWN_VALUES) if (sameBytes(buf, start, length, k.b)) return k.s;
  return buf.toString('utf8', start, start + length);
}

/**
 * Reads the frame at `buf[start, start + length)` (its length prefix already read) into
 * `out`. Throws on a bad checksum or a malformed header, with the codec's messages for the
 * cases it names.
 */
export function readFrame(buf: Buffer, start: number, length: number, out: Frame): void {
  if (length < MIN_FRAME_LENGTH) throw new Error('Provided message too short to accommodate event stream message overhead');
  const headersLength = buf.readUInt32BE(start + 4);
  const preludeCrc = buf.readUInt32BE(start + 8);
  const messageCrc = buf.readUInt32BE(start + length - 4);
  const prelude = crc32(buf.subarray(start, start + 8));
  if (prelude !== preludeCrc) throw new Error(`The prelude checksum specified in the message (${preludeCrc}) does not match the calculated CRC32 checksum (${prelude})`);
  const whole = crc32(buf.subarray(start + 8, start + length - 4), prelude);
  if (whole !== messageCrc) throw new Error(`The message checksum (${whole}) did not match the expected value of ${messageCrc}`);
  const headersStart = start + 12;
  const headersEnd = headersStart + headersLength;
  const bodyEnd = start + length - 4;
  if (headersEnd > bodyEnd) throw new Error(`Event stream headers (${headersLength} bytes) overrun the message`);
  out.messageType = out.eventType = out.exceptionType = out.errorCode = out.errorMessage = undefined;
  let p = headersStart;
  while (p < headersEnd) {
    const nameLength = buf[p++]!;
    const nameStart = p;
    p += nameLength;
    if (p >= headersEnd) throw new Error('Event stream header overruns the headers section');
    const tag = buf[p++]!;
    let valueStart = p;
    let valueLength: number;
    if (tag === 6 || tag === STRING_TAG) {
      if (p + 2 > headersEnd) throw new Error('Event stream header overruns the headers section');
      valueLength = buf.readUInt16BE(p);
      valueStart = p + 2;
    } else if (tag < FIXED_SIZE.length) {
      valueLength = FIXED_SIZE[tag]!;
    } else {
      throw new Error('Unrecognized header type tag');
    }
    p = valueStart + valueLength;
    if (p > headersEnd) throw new Error('Event stream header overruns the headers section');
    for (let i = 0; i < NAMES.length; i++) {
      if (sameBytes(buf, nameStart, nameLength, NAMES[i]!)) {
        // A repeated header replaces the earlier one, as in the codec's header object.
        out[FIELDS[i]!] = tag === STRING_TAG ? stringValue(buf, valueStart, valueLength) : undefined;
        break;
      }
    }
  }
  out.bodyStart = headersEnd;
  out.bodyEnd = bodyEnd;
}

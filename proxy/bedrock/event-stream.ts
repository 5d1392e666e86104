/**
 * `application/vnd.amazon.eventstream` response bodies → ConverseStream events, one frame at
 * a time as bytes arrive. Frames are split on their length prefix and read in place
 * (event-frame.ts: CRC checks, header parsing); each event's JSON payload is parsed once and
 * handed on as the union member the SDK would yield (`{ contentBlockDelta: {...} }`).
 * Exception frames become the error the SDK would throw.
 */
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { emptyFrame, MIN_FRAME_LENGTH, readFrame } from './event-frame.js';
import { streamException, type ResponseMetadata } from './service-error.js';
import { STREAM_EVENT_MEMBERS, STREAM_EXCEPTION_MEMBERS } from '../translate/stream-members.js';

const EVENT_MEMBERS = new Set<string>(STREAM_EVENT_MEMBERS);
const EXCEPTION_MEMBERS = new Set<string>(STREAM_EXCEPTION_MEMBERS);

export interface EventSink {
  event(e: ConverseStreamOutput): void;
  /** An exception or error frame: the stream is over. */
  error(err: Error): void;
}

export class EventStreamDecoder {
  private pending: Buffer | undefined;
  private failed = false;
  private readonly f = emptyFrame();

  constructor(
    private readonly sink: EventSink,
    private readonly metadata: ResponseMetadata,
  ) {}

  /** Feeds response bytes; emits every frame they complete. */
  push(chunk: Buffer): void {
    if (this.failed) return;
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let offset = 0;
    while (buf.length - offset >= 4) {
      const length = buf.readUInt32BE(offset);
      if (length < MIN_FRAME_LENGTH) return this.fail(new Error(`Bedrock event stream: invalid frame length ${length}`));
      if (buf.length - offset < length) break;
      if (!this.frame(buf, offset, length)) return;
      offset += length;
    }
    // Keep only the incomplete frame (copied, so the socket's chunk can be released).
    if (offset < buf.length) this.pending = Buffer.from(buf.subarray(offset));
  }

  /** True when bytes of an unfinished frame are left over (the stream was cut mid-frame). */
  get truncated(): boolean {
    return this.pending !== undefined && this.pending.length > 0;
  }

  private frame(buf: Buffer, start: number, length: number): boolean {
    const f = this.f;
    try {
      readFrame(buf, start, length, f);
    } catch (err) {
      this.fail(Object.assign(new Error(`Bedrock event stream: ${(err as Error).message}`), { name: 'ModelStreamErrorException' }));
      return false;
    }
    const type = f.messageType;
    if (type === 'event') {
      const eventType = f.eventType ?? '';
      // Members this SDK version does not know are skipped, as its deserializer does.
      if (!EVENT_MEMBERS.has(eventType)) return true;
      let payload: unknown;
      try {
        payload = f.bodyEnd === f.bodyStart ? {} : JSON.parse(buf.toString('utf8', f.bodyStart, f.bodyEnd));
      } catch {
        this.fail(Object.assign(new Error(`Bedrock event stream: the ${eventType} event is not valid JSON`), { name: 'ModelStreamErrorException' }));
        return false;
      }
      this.sink.event({ [eventType]: payload } as unknown as ConverseStreamOutput);
      return true;
    }
    if (type === 'exception') {
      const code = f.exceptionType ?? '';
      const body = buf.toString('utf8', f.bodyStart, f.bodyEnd);
      this.fail(EXCEPTION_MEMBERS.has(code) ? streamException(code, body, this.metadata) : Object.assign(new Error(body), { name: code }));
      return false;
    }
    if (type === 'error') {
      const code = f.errorCode ?? 'InternalServerException';
      const err = Object.assign(new Error(f.errorMessage ?? code), { name: code, $fault: 'server', $metadata: this.metadata });
      this.fail(err);
      return false;
    }
    this.fail(new Error(`Unrecognizable event type: ${String(f.eventType)}`));
    return false;
  }

  private fail(err: Error): void {
    this.failed = true;
    this.pending = undefined;
    this.sink.error(err);
  }
}

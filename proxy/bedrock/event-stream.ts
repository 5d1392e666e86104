/**
 * `application/vnd.amazon.eventstream` response bodies → ConverseStream events, one frame at
 * a time as bytes arrive. Frames are split on their length prefix and decoded (CRC checks,
 * header parsing) by `@smithy/eventstream-codec`, the codec the SDK uses; each event's JSON
 * payload is parsed once and handed on as the union member the SDK would yield
 * (`{ contentBlockDelta: {...} }`). Exception frames become the error the SDK would throw.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { streamException, type ResponseMetadata } from './service-error.js';

// One decoder for every header name, value and payload: no Buffer view per string.
const decoder = new TextDecoder();
const utf8 = (b: Uint8Array): string => decoder.decode(b);
const fromUtf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const codec = new EventStreamCodec(utf8, fromUtf8);

/** ConverseStreamOutput's event and exception members. */
const EVENT_MEMBERS = new Set(['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']);
const EXCEPTION_MEMBERS = new Set(['internalServerException', 'modelStreamErrorException', 'validationException', 'throttlingException', 'serviceUnavailableException']);

export interface EventSink {
  event(e: ConverseStreamOutput): void;
  /** An exception or error frame: the stream is over. */
  error(err: Error): void;
}

export class EventStreamDecoder {
  private pending: Buffer | undefined;
  private failed = false;

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
      if (length < 16) return this.fail(new Error(`Bedrock event stream: invalid frame length ${length}`));
      if (buf.length - offset < length) break;
      if (!this.frame(buf.subarray(offset, offset + length))) return;
      offset += length;
    }
    // Keep only the incomplete frame (copied, so the socket's chunk can be released).
    if (offset < buf.length) this.pending = Buffer.from(buf.subarray(offset));
  }

  /** True when bytes of an unfinished frame are left over (the stream was cut mid-frame). */
  get truncated(): boolean {
    return this.pending !== undefined && this.pending.length > 0;
  }

  private frame(bytes: Buffer): boolean {
    let message;
    try {
      message = codec.decode(bytes);
    } catch (err) {
      this.fail(Object.assign(new Error(`Bedrock event stream: ${(err as Error).message}`), { name: 'ModelStreamErrorException' }));
      return false;
    }
    const h = message.headers;
    const type = h[':message-type']?.value;
    if (type === 'event') {
      const eventType = String(h[':event-type']?.value ?? '');
      // Members this SDK version does not know are skipped, as its deserializer does.
      if (!EVENT_MEMBERS.has(eventType)) return true;
      let payload: unknown;
      try {
        payload = message.body.length === 0 ? {} : JSON.parse(utf8(message.body));
      } catch {
        this.fail(Object.assign(new Error(`Bedrock event stream: the ${eventType} event is not valid JSON`), { name: 'ModelStreamErrorException' }));
        return false;
      }
      this.sink.event({ [eventType]: payload } as unknown as ConverseStreamOutput);
      return true;
    }
    if (type === 'exception') {
      const code = String(h[':exception-type']?.value ?? '');
      const body = utf8(message.body);
      this.fail(EXCEPTION_MEMBERS.has(code) ? streamException(code, body, this.metadata) : Object.assign(new Error(body), { name: code }));
      return false;
    }
    if (type === 'error') {
      const code = String(h[':error-code']?.value ?? 'InternalServerException');
      const err = Object.assign(new Error(String(h[':error-message']?.value ?? code)), { name: code, $fault: 'server', $metadata: this.metadata });
      this.fail(err);
      return false;
    }
    this.fail(new Error(`Unrecognizable event type: ${String(h[':event-type']?.value)}`));
    return false;
  }

  private fail(err: Error): void {
    this.failed = true;
    this.pending = undefined;
    this.sink.error(err);
  }
}

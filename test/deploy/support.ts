/**
 * Test doubles for the Lambda adapter: a scripted Bedrock transport (no network), the
 * runtime's `awslambda` global, and a response stream that records each write with a
 * timestamp, as the Lambda runtime would receive it.
 */
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import type { ConverseCommandOutput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockTransport } from '../../proxy/bedrock/transport.js';
import type { AwsLambdaGlobal, HttpResponsePrelude } from '../../proxy/lambda/handlers.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function loadEvent<T = any>(name: 'rest-v1' | 'function-url-v2'): T {
  return JSON.parse(readFileSync(new URL(`./events/${name}.json`, import.meta.url), 'utf8')) as T;
}

export interface StubBedrockOptions {
  /** Delay between stream events, ms. */
  eventDelayMs?: number;
  text?: string[];
  /** Delay before send() answers (the model's time to respond / to start streaming), ms. */
  latencyMs?: number;
  /** Throw this from send() (a Bedrock service exception shape). */
  error?: Error;
}

/** Answers Converse / ConverseStream with a scripted Nova reply. */
export function stubBedrock(opts: StubBedrockOptions = {}): BedrockTransport & { calls: unknown[] } {
  const text = opts.text ?? ['Hel', 'lo', ' there'];
  const usage = { inputTokens: 12, outputTokens: 3, totalTokens: 15 };
  const calls: unknown[] = [];
  async function answer(input: unknown) {
    calls.push(input);
    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (opts.error) throw opts.error;
  }
  return {
    calls,
    async converse(input) {
      await answer(input);
      const out: ConverseCommandOutput = {
        output: { message: { role: 'assistant', content: [{ text: text.join('') }] } },
        stopReason: 'end_turn',
        usage,
        metrics: { latencyMs: 10 },
        $metadata: {},
      };
      return out;
    },
    async converseStream(input, { signal }) {
      await answer(input);
      const delay = opts.eventDelayMs ?? 0;
      async function* events(): AsyncGenerator<ConverseStreamOutput[]> {
        yield [{ messageStart: { role: 'assistant' } }];
        for (const t of text) {
          if (delay) await sleep(delay);
          if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
          yield [{ contentBlockDelta: { contentBlockIndex: 0, delta: { text: t } } }];
        }
        yield [{ contentBlockStop: { contentBlockIndex: 0 } }, { messageStop: { stopReason: 'end_turn' } }, { metadata: { usage, metrics: { latencyMs: 10 } } }];
      }
      return events();
    },
    async invokeModel() {
      throw Object.assign(new Error('the stub answers Converse only'), { name: 'ValidationException' });
    },
    destroy() {},
  };
}

export interface RecordedWrite {
  at: number;
  data: string;
}

/** What the Lambda runtime hands a streaming handler. */
export class FakeResponseStream extends Writable {
  prelude: HttpResponsePrelude | undefined;
  preludeAt: number | undefined;
  writes: RecordedWrite[] = [];
  ended = false;
  /** Simulate a slow client: callbacks for writes are held until release(). */
  constructor(private readonly highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void) {
    this.writes.push({ at: performance.now(), data: chunk.toString('utf8') });
    cb();
  }
  override _final(cb: (err?: Error | null) => void) {
    this.ended = true;
    cb();
  }
  get body() {
    return this.writes.map((w) => w.data).join('');
  }
}

/** The runtime global: streamifyResponse marks the function; from() records the prelude. */
export function fakeAwsLambda(): AwsLambdaGlobal {
  return {
    streamifyResponse: (fn) => fn,
    HttpResponseStream: {
      from(stream, prelude) {
        const s = stream as FakeResponseStream;
        if (s.prelude) throw new Error('prelude written twice');
        if (s.writes.length) throw new Error('prelude after body bytes');
        s.prelude = prelude;
        s.preludeAt = performance.now();
        return stream;
      },
    },
  };
}

export type StreamingHandler = (event: unknown, stream: Writable, context: unknown) => Promise<void>;

/** Parses an SSE body into its JSON data frames (and [DONE]). */
export function sseFrames(body: string): unknown[] {
  return body
    .split('\n\n')
    .filter((f) => f.startsWith('data: '))
    .map((f) => f.slice(6))
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

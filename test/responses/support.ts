/**
 * A `fetch` that every client under test is given (the openai SDK, the AI SDK, the Agents
 * SDK and LangChain all take one): it passes each request through untouched, passes the
 * response body through a recording transform (the client still reads the stream as it
 * arrives, and cancelling it still reaches the proxy) and keeps what crossed the wire, so a test can check every response and streamed event against the OpenAI
 * spec. Requests are kept for assertions but not schema-checked: they are whatever the
 * real clients send (the AI SDK omits `strict` on function tools, which the spec's shared
 * request/response schema marks required and the API accepts).
 */
import { expect } from 'vitest';
import { validateOpenAI, type OpenAISchemaName } from '../../mock/spec/openai-validator.js';

export interface SseEvent {
  event?: string;
  data: any;
}

export interface Exchange {
  method: string;
  path: string;
  request?: any;
  status: number;
  json?: any;
  events?: SseEvent[];
}

export interface Tap {
  fetch: typeof fetch;
  exchanges: Exchange[];
  /** Parses what each body has passed to its client so far. */
  settled(): Promise<void>;
  /** The exchanges with POST /responses. */
  creates(): Exchange[];
  /** Asserts every response and event matches its OpenAI schema, then forgets the exchanges. */
  assertValid(): Promise<Exchange[]>;
  reset(): void;
}

/** Complete SSE frames only: a stream the client left early ends mid-frame. */
export function parseSse(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  const end = text.lastIndexOf('\n\n');
  for (const block of text.slice(0, end < 0 ? 0 : end).split(/\n\n/)) {
    if (!block.trim()) continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    // Chat Completions streams end with a `[DONE]` sentinel, not JSON.
    if (data.length && !(data.length === 1 && data[0] === '[DONE]')) out.push({ ...(event ? { event } : {}), data: JSON.parse(data.join('\n')) });
  }
  return out;
}

export function createTap(): Tap {
  const exchanges: Exchange[] = [];
  const bodies = new Map<Exchange, { text: () => string; sse: boolean }>();

  const tapFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const bodyText = typeof init?.body === 'string' ? init.body : undefined;
    const res = await fetch(input, init);
    const ex: Exchange = { method, path: url.pathname, status: res.status, ...(bodyText ? { request: JSON.parse(bodyText) } : {}) };
    exchanges.push(ex);
    if (!res.body) return res;
    const decoder = new TextDecoder();
    let text = '';
    const recorded = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          text += decoder.decode(chunk, { stream: true });
          controller.enqueue(chunk);
        },
      }),
    );
    bodies.set(ex, { text: () => text, sse: (res.headers.get('content-type') ?? '').includes('text/event-stream') });
    return new Response(recorded, { status: res.status, statusText: res.statusText, headers: res.headers });
  };

  async function settled() {
    // Let bytes already read by the clients finish passing through.
    await new Promise((r) => setImmediate(r));
    for (const [ex, body] of bodies) {
      const text = body.text();
      if (body.sse) ex.events = parseSse(text);
      else if (text) ex.json = JSON.parse(text);
    }
  }

  return {
    fetch: tapFetch,
    exchanges,
    settled,
    creates: () => exchanges.filter((e) => e.method === 'POST' && /\/responses$/.test(e.path)),
    async assertValid() {
      await settled();
      const seen = exchanges.splice(0);
      for (const ex of seen) bodies.delete(ex);
      for (const ex of seen) checkExchange(ex);
      return seen;
    },
    reset() {
      for (const ex of exchanges) bodies.delete(ex);
      exchanges.length = 0;
    },
  };
}

function expectSchema(schema: OpenAISchemaName, value: unknown, what: string): void {
  const errors = validateOpenAI(schema, value);
  expect(errors, `${what} does not match ${schema}: ${JSON.stringify(value).slice(0, 400)}`).toEqual([]);
}

/** One exchange against the spec: the JSON body, or every event in order. */
export function checkExchange(ex: Exchange): void {
  const what = `${ex.method} ${ex.path}`;
  if (ex.status !== 200) {
    expectSchema('ErrorResponse', ex.json, `${what} error body`);
    return;
  }
  if (/\/chat\/completions$/.test(ex.path)) {
    if (ex.events) ex.events.forEach((e, i) => expectSchema('CreateChatCompletionStreamResponse', e.data, `${what} chunk ${i}`));
    else expectSchema('CreateChatCompletionResponse', ex.json, what);
    return;
  }
  if (/\/embeddings$/.test(ex.path)) {
    expectSchema('CreateEmbeddingResponse', ex.json, what);
    return;
  }
  if (ex.events) {
    ex.events.forEach((e, i) => {
      expectSchema('ResponseStreamEvent', e.data, `${what} event ${i}`);
      expect(e.event, `event line of event ${i}`).toBe(e.data.type);
      expect(e.data.sequence_number, `sequence_number of event ${i}`).toBe(i);
    });
    return;
  }
  if (/\/input_items$/.test(ex.path)) expectSchema('ResponseItemList', ex.json, what);
  else if (ex.method === 'POST' || (ex.method === 'GET' && /\/responses\/[^/]+$/.test(ex.path))) expectSchema('Response', ex.json, what);
}

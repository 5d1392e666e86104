/**
 * The per-stream objects on the hot path stay fast V8 objects. An object literal that
 * declares a getter is kept in dictionary mode (slower lookups on every event, ~450 bytes
 * each), so their state is exposed as data fields kept up to date instead. The per-stream chunk
 * iterator is an instance of one class, so every stream's shares a map.
 */
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import { createStopSequenceBuffer } from '../../proxy/translate/strip-stop.js';
import { createThinkingFilter } from '../../proxy/translate/thinking.js';
import { createStreamTranslator } from '../../proxy/translate/stream-translator.js';
import { openChatStream } from '../../proxy/chat/run-chat.js';

v8.setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

const state = { toolNames: new Map(), stopSequences: ['END'], parallelToolCalls: true, includeUsage: false, ignoredParams: [], adjustedParams: [] };
const create = () => [createStreamTranslator(state as never, { id: 'chatcmpl-1', created: 1, model: 'm' }), createStopSequenceBuffer(['END']), createThinkingFilter()];

describe('hot-path objects', () => {
  it('the check tells a literal with a getter from one without', () => {
    let n = 0;
    const make = () => ({ push: () => n++, get count() { return n; } });
    expect(hasFastProperties(make()) && hasFastProperties(make())).toBe(false);
    expect(hasFastProperties({ push: () => n++, count: 0 })).toBe(true);
  });

  it('stream translator, stop-sequence buffer and thinking filter are fast, however many are made', () => {
    for (let i = 0; i < 5; i++) expect(create().map(hasFastProperties)).toEqual([true, true, true]);
  });

  it('their fields follow their state', () => {
    const stops = createStopSequenceBuffer(['END']);
    expect(stops.push('abc E')).toBe('abc ');
    expect(stops.held).toBe(1);
    expect(stops.flush()).toBe('E');
    expect(stops.held).toBe(0);
    const thinking = createThinkingFilter();
    expect(thinking.passthrough).toBe(false);
    thinking.push('Hello');
    expect(thinking.passthrough).toBe(true);
    const t = createStreamTranslator(state as never, { id: 'chatcmpl-1', created: 1, model: 'm' });
    t.push({ messageStart: { role: 'assistant' } });
    expect(t.finished).toBe(false);
    t.push({ messageStop: { stopReason: 'end_turn' } });
    expect(t.finished).toBe(true);
  });
});

describe('per-stream chunk iterator', () => {
  const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

  it('the check tells generators of one function from generators of a function made per call', () => {
    const perCall = () => ({ async *[Symbol.asyncIterator]() {} })[Symbol.asyncIterator]();
    expect(haveSameMap(perCall(), perCall())).toBe(false);
    async function* shared() {}
    expect(haveSameMap(shared(), shared())).toBe(true);
  });

  it("openChatStream's iterators share one map (a generator declared per call would not: ~0.5 KB each)", async () => {
    const events = [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' } } }, { messageStop: { stopReason: 'end_turn' } }];
    const rt = {
      transport: {
        converseStream: async () =>
          (async function* () {
            yield events;
          })(),
      },
      prices: {},
    };
    const chat = { resolved: { bedrockId: 'amazon.nova-lite-v1:0' }, prepared: { input: {}, state }, meta: { id: 'chatcmpl-1', created: 1, model: 'm' } };
    const scope = { abortReason: () => undefined };
    const open = () => openChatStream(rt as never, chat as never, { startedAt: 0 } as never, scope as never);
    const [a, b] = [(await open())[Symbol.asyncIterator](), (await open())[Symbol.asyncIterator]()];
    expect(haveSameMap(a, b)).toBe(true);
    const text: string[] = [];
    for await (const chunks of { [Symbol.asyncIterator]: () => a }) for (const c of chunks) if (c.choices[0]?.delta.content) text.push(c.choices[0].delta.content);
    expect(text).toEqual(['Hi']);
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createItemIdCodec, MAX_PAYLOAD_BYTES } from '../../proxy/responses/item-ids.js';
import { resolveInput } from '../../proxy/responses/resolve-input.js';
import { OpenAIHttpError } from '../../proxy/errors.js';

const codec = createItemIdCodec('k'.repeat(32));
const other = createItemIdCodec('o'.repeat(32));
const call = { type: 'function_call' as const, call_id: 'tooluse_1', name: 'get_weather', arguments: '{"city":"Paris"}' };

describe('self-describing item ids', () => {
  it('carry a message or a function call, URL-safe', () => {
    const msg = codec.describe('msg', { type: 'message', text: 'Bonjour ✓' });
    expect(msg).toMatch(/^msg_nvd[A-Za-z0-9_-]+$/);
    expect(codec.decode(msg)).toEqual({ kind: 'described', decoded: { prefix: 'msg', item: { type: 'message', text: 'Bonjour ✓' }, carried: [] } });
    const fc = codec.describe('fc', call);
    expect(codec.decode(fc)).toMatchObject({ kind: 'described', decoded: { prefix: 'fc', item: call } });
  });

  it('pending ids verify but carry nothing', () => {
    const id = codec.pending('msg');
    expect(id).toMatch(/^msg_nvp[A-Za-z0-9_-]+$/);
    expect(codec.decode(id)).toEqual({ kind: 'pending', prefix: 'msg' });
    expect(codec.pending('msg')).not.toBe(id);
  });

  it('a carrier describes pending items, dropping the oldest to stay within the bound', () => {
    const a = { id: codec.pending('msg'), item: { type: 'message' as const, text: 'first' } };
    const b = { id: codec.pending('msg'), item: { type: 'message' as const, text: 'second' } };
    const c = codec.describeCarrier({ type: 'reasoning' }, [a, b]);
    expect(c.carried).toBe(2);
    expect(codec.decode(c.id)).toEqual({ kind: 'described', decoded: { prefix: 'rs', item: { type: 'reasoning' }, carried: [a, b] } });

    // Random bytes do not compress: too big together, the newer one is kept.
    const old = { id: codec.pending('msg'), item: { type: 'message' as const, text: randomBytes(7000).toString('base64') } };
    const recent = { id: codec.pending('msg'), item: { type: 'message' as const, text: randomBytes(1500).toString('base64') } };
    const bounded = codec.describeCarrier({ type: 'reasoning' }, [old, recent]);
    expect(bounded.carried).toBe(1);
    expect(bounded.id.length).toBeLessThan(Math.ceil(((MAX_PAYLOAD_BYTES + 16) * 4) / 3) + 10);
    const decoded = codec.decode(bounded.id);
    expect(decoded.kind === 'described' && decoded.decoded.carried.map((e) => e.id)).toEqual([recent.id]);
  });

  it('an item too big for the bound gets a pending id', () => {
    const text = randomBytes(MAX_PAYLOAD_BYTES + 100).toString('base64');
    const id = codec.describe('msg', { type: 'message', text });
    expect(codec.decode(id)).toEqual({ kind: 'pending', prefix: 'msg' });
  });

  it('tells ids of another key or damaged ids from foreign ones', () => {
    const id = codec.describe('msg', { type: 'message', text: 'hi' });
    expect(other.decode(id)).toEqual({ kind: 'bad-signature', prefix: 'msg' });
    const flipped = id.slice(0, -3) + (id.at(-3) === 'A' ? 'B' : 'A') + id.slice(-2);
    expect(codec.decode(flipped).kind).toBe('bad-signature');
    // The tag covers the prefix: an id cannot be relabelled.
    expect(codec.decode(`fc_${id.slice(4)}`).kind).toBe('bad-signature');
    expect(codec.decode('msg_nvd')).toEqual({ kind: 'bad-signature', prefix: 'msg' });
    for (const foreign of ['msg_67ccd3acc8d48190a77525dc6de64b41', 'fc_abc', 'resp_123', 'plain', '']) expect(codec.decode(foreign)).toEqual({ kind: 'foreign' });
  });
});

describe('resolveInput', () => {
  const resolve = (input: unknown, lookup?: (id: string) => any) => resolveInput(input, { codec, ...(lookup ? { lookup } : {}) });
  const reject = (input: unknown, lookup?: (id: string) => any) => {
    try {
      resolve(input, lookup);
    } catch (e) {
      if (e instanceof OpenAIHttpError) return e;
      throw e;
    }
    throw new Error('resolved');
  };

  it('turns a string into one user message', () => {
    expect(resolve('hi')).toEqual([{ item: { type: 'message', role: 'user', content: 'hi' }, path: 'input' }]);
  });

  it('resolves references from ids, from carriers in any order, and from the store', () => {
    const msgId = codec.describe('msg', { type: 'message', text: 'Hello' });
    const pendingMsg = codec.pending('msg');
    const carrier = codec.describeCarrier({ type: 'reasoning' }, [{ id: pendingMsg, item: { type: 'message', text: 'Streamed' } }]).id;
    const fcId = codec.describe('fc', call);
    const out = resolve([
      { id: msgId },
      { type: 'item_reference', id: pendingMsg },
      { type: 'item_reference', id: carrier },
      { type: 'item_reference', id: fcId },
      { type: 'item_reference', id: codec.pending('rs') },
      { type: 'item_reference', id: 'msg_from_store' },
    ], (id) => (id === 'msg_from_store' ? { type: 'message', role: 'assistant', content: 'kept', id } : undefined));
    expect(out.map((p) => p.item)).toEqual([
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [] }], id: msgId },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Streamed', annotations: [] }], id: pendingMsg },
      { type: 'reasoning', id: carrier, summary: [] },
      { ...call, id: fcId },
      expect.objectContaining({ type: 'reasoning' }),
      { type: 'message', role: 'assistant', content: 'kept', id: 'msg_from_store' },
    ]);
    expect(out.map((p) => p.path)).toEqual(['input[0]', 'input[1]', 'input[2]', 'input[3]', 'input[4]', 'input[5]']);
  });

  it('says why a reference does not resolve and what to send instead', () => {
    const pending = reject([{ type: 'item_reference', id: codec.pending('msg') }]);
    expect(pending.param).toBe('input[0].id');
    expect(pending.code).toBe('item_not_found');
    expect(pending.message).toMatch(/streamed before its content was known.*keeps no response store.*store = false.*responseStoreMaxEntries/);
    const key = reject([{ type: 'item_reference', id: other.describe('msg', { type: 'message', text: 'x' }) }]);
    expect(key.message).toMatch(/NOVA_ITEM_ID_KEY/);
    const foreign = reject([{ type: 'item_reference', id: 'msg_openai' }], () => undefined);
    expect(foreign.message).toMatch(/not known to this proxy.*no longer stored/);
  });

  it('checks item shapes and names built-in tool items', () => {
    expect(reject([{ type: 'web_search_call', id: 'ws_1', status: 'completed' }]).message).toMatch(/"web_search_call" items belong to OpenAI's built-in tools/);
    expect(reject([{ role: 'tool', content: 'x' }]).param).toBe('input[0].role');
    expect(reject([{ type: 'function_call', call_id: 'c', name: 'f' }]).param).toBe('input[0].arguments');
    expect(reject([{ type: 'function_call_output', call_id: 'c', output: 5 }]).param).toBe('input[0].output');
    expect(reject([{ type: 'message', role: 'user' }]).param).toBe('input[0].content');
    expect(reject({ role: 'user' }).param).toBe('input');
    expect(reject(['hi']).param).toBe('input[0]');
  });
});

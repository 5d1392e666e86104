/**
 * The optional response store: previous_response_id, GET / DELETE /v1/responses/{id},
 * input_items, store: false, and what a stateless proxy answers instead.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { createTap, type Tap } from './support.js';

// One rig at a time: the rig points the AWS SDK at its fake through the environment.
let rig: ProxyRig;
let tap: Tap;
let client: OpenAI;
afterEach(async () => {
  await tap.assertValid();
});

const lastBedrock = () => rig.fake.requests.at(-1)! as { body: any };

describe('with a response store', () => {
  beforeAll(async () => {
    rig = await startProxyRig({ responseStoreMaxEntries: 50 });
    tap = createTap();
    client = new OpenAI({ baseURL: `${rig.origin}/v1`, apiKey: 'unused', maxRetries: 0, fetch: tap.fetch });
  });
  afterAll(async () => rig?.close());

  it('continues from previous_response_id without resending the conversation', async () => {
    const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'Name a colour.', instructions: 'Be brief.' });
    expect((first as { store?: boolean }).store).toBe(true);
    const second = await client.responses.create({ model: 'gpt-4o-mini', input: 'And another?', previous_response_id: first.id });
    expect(second.previous_response_id).toBe(first.id);
    expect(lastBedrock().body.messages).toEqual([
      { role: 'user', content: [{ text: 'Name a colour.' }] },
      { role: 'assistant', content: [{ text: first.output_text }] },
      { role: 'user', content: [{ text: 'And another?' }] },
    ]);
    // Instructions are not carried over, as with OpenAI.
    expect(lastBedrock().body.system).toBeUndefined();

    const third = await client.responses.create({ model: 'gpt-4o-mini', input: 'One more?', previous_response_id: second.id, stream: true });
    let done: any;
    for await (const e of third) if (e.type === 'response.completed') done = e.response;
    expect(lastBedrock().body.messages).toHaveLength(5);
    const fourth = await client.responses.create({ model: 'gpt-4o-mini', input: 'Last?', previous_response_id: done.id });
    expect(fourth.status).toBe('completed');
    expect(lastBedrock().body.messages).toHaveLength(7);
    expect(lastBedrock().body.messages[6]).toEqual({ role: 'user', content: [{ text: 'Last?' }] });
  });

  it('continues a tool loop from previous_response_id with only the function output', async () => {
    const tools = [{ type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }];
    const first = await client.responses.create({ model: 'gpt-4o', input: 'What is the weather in Paris?', tools });
    const call = first.output.find((o) => o.type === 'function_call')!;
    if (call.type !== 'function_call') throw new Error('no call');
    const second = await client.responses.create({ model: 'gpt-4o', tools, previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: '21C' }] });
    expect(second.output_text.length).toBeGreaterThan(0);
    const msgs = lastBedrock().body.messages;
    expect(msgs[1].content[0].toolUse.name).toBe('get_weather');
    expect(msgs[2].content[0].toolResult.content).toEqual([{ text: '21C' }]);
  });

  it('retrieves, lists the input items of, and deletes a stored response', async () => {
    const res = await client.responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'first' }, { role: 'user', content: [{ type: 'input_text', text: 'second' }] }] });
    const got = await client.responses.retrieve(res.id);
    expect(got.id).toBe(res.id);
    expect(got.output_text).toBe(res.output_text);
    const items = await client.responses.inputItems.list(res.id, { order: 'asc' });
    expect(items.data.map((i) => i.type === 'message' && i.content)).toEqual([[{ type: 'input_text', text: 'first' }], [{ type: 'input_text', text: 'second' }]]);
    const page = await client.responses.inputItems.list(res.id, { limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.has_more).toBe(true);
    expect(page.data[0]!.type === 'message' && page.data[0]!.content).toEqual([{ type: 'input_text', text: 'second' }]);
    await client.responses.delete(res.id);
    const gone = await client.responses.retrieve(res.id).catch((e) => e);
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('does not keep a response sent with store: false', async () => {
    const res = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi', store: false });
    expect((res as { store?: boolean }).store).toBe(false);
    expect(await client.responses.retrieve(res.id).catch((e) => e.status)).toBe(404);
    const follow = await client.responses.create({ model: 'gpt-4o-mini', input: 'x', previous_response_id: res.id }).catch((e) => e);
    expect(follow.status).toBe(400);
    expect(follow.param).toBe('previous_response_id');
  });

  it('resolves references to streamed answers from the store', async () => {
    const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'Say something.' });
    const final = await stream.finalResponse();
    await client.responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Say something.' }, { type: 'item_reference', id: final.output[0]!.id! }, { role: 'user', content: 'More.' }] });
    expect(lastBedrock().body.messages[1]).toEqual({ role: 'assistant', content: [{ text: final.output_text }] });
  });
});

describe('without a response store', () => {
  beforeAll(async () => {
    rig = await startProxyRig({ responseStoreMaxEntries: 0 });
  });
  afterAll(async () => rig?.close());

  it('answers GET with a 404 that says the proxy is stateless', async () => {
    const c = new OpenAI({ baseURL: `${rig.origin}/v1`, apiKey: 'unused', maxRetries: 0, fetch: tap.fetch });
    const res = await c.responses.create({ model: 'gpt-4o-mini', input: 'hi', store: true });
    expect((res as { store?: boolean }).store).toBe(false);
    const err = await c.responses.retrieve(res.id).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.message).toMatch(/stateless/);
    const del = await c.responses.delete(res.id).catch((e) => e);
    expect(del.status).toBe(404);
  });
});

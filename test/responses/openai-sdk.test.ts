/**
 * POST /v1/responses through the real `openai` SDK → the proxy → the real AWS SDK → the
 * fake Bedrock. Every request, response and event that crosses the wire is checked
 * against the OpenAI spec (support.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { startProxyRig, post, type ProxyRig } from '../support/proxy.js';
import { createTap, type Tap } from './support.js';

let rig: ProxyRig;
let tap: Tap;
let client: OpenAI;
beforeAll(async () => {
  // Stateless (Lambda's default): output item ids must carry their items.
  rig = await startProxyRig({ responseStoreMaxEntries: 0 });
  tap = createTap();
  client = new OpenAI({ baseURL: `${rig.origin}/v1`, apiKey: 'unused', maxRetries: 0, fetch: tap.fetch });
});
afterEach(async () => {
  await tap.assertValid();
});
afterAll(async () => rig?.close());

const lastBedrock = () => rig.fake.requests.at(-1)! as { modelId: string; body: any };
const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('responses.create', () => {
  it('answers a string input with a completed response the SDK reads output_text from', async () => {
    const { data, response } = await client.responses.create({ model: 'gpt-4o-mini', input: 'Hello, how are you?', instructions: 'Be brief.' }).withResponse();
    expect(data.id).toMatch(/^resp_/);
    expect(data.object).toBe('response');
    expect(data.status).toBe('completed');
    expect(data.model).toBe('gpt-4o-mini');
    expect(data.instructions).toBe('Be brief.');
    expect(data.output).toHaveLength(1);
    const msg = data.output[0]!;
    expect(msg.type).toBe('message');
    const part = msg.type === 'message' ? msg.content[0] : undefined;
    expect(part?.type === 'output_text' && part.text.length).toBeGreaterThan(0);
    expect(data.output_text).toBe(part?.type === 'output_text' ? part.text : undefined);
    expect(data.usage!.input_tokens).toBeGreaterThan(0);
    expect(data.usage!.total_tokens).toBe(data.usage!.input_tokens + data.usage!.output_tokens);
    expect(data.usage!.input_tokens_details.cached_tokens).toBe(0);
    expect(data.usage!.output_tokens_details.reasoning_tokens).toBe(0);
    expect(response.headers.get('x-nova-model')).toBe('amazon.nova-lite-v1:0');
    expect(Number(response.headers.get('x-nova-cost-usd'))).toBeGreaterThan(0);
    const sent = lastBedrock();
    expect(sent.modelId).toBe('amazon.nova-lite-v1:0');
    expect(sent.body.system).toEqual([{ text: 'Be brief.' }]);
    expect(sent.body.messages).toEqual([{ role: 'user', content: [{ text: 'Hello, how are you?' }] }]);
  });

  it('translates message items with text, images and files, and the sampling parameters', async () => {
    const pdf = Buffer.from('%PDF-1.4 test').toString('base64');
    await client.responses.create({
      model: 'gpt-4o',
      input: [
        { role: 'developer', content: 'Answer in English.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is in these?' },
            { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'auto' },
            { type: 'input_file', filename: 'report.pdf', file_data: `data:application/pdf;base64,${pdf}` },
          ],
        },
      ],
      temperature: 0.3,
      top_p: 0.8,
      max_output_tokens: 300,
    });
    const body = lastBedrock().body;
    expect(body.system).toEqual([{ text: 'Answer in English.' }]);
    const content = body.messages[0].content;
    expect(content[0]).toEqual({ text: 'What is in these?' });
    expect(content[1].image.format).toBe('png');
    expect(Buffer.from(content[1].image.source.bytes, 'base64').equals(Buffer.from(PNG, 'base64'))).toBe(true);
    expect(content[2].document).toMatchObject({ format: 'pdf', name: 'report' });
    expect(body.inferenceConfig).toEqual({ temperature: 0.3, topP: 0.8, maxTokens: 300 });
  });

  it('round-trips a function call with its output sent back inline, as the SDK docs show', async () => {
    const first = await client.responses.create({ model: 'gpt-4o', input: 'What is the weather in Paris?', tools: [weatherTool] });
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    if (call?.type !== 'function_call') throw new Error('no call');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
    expect(lastBedrock().body.toolConfig.tools[0].toolSpec.name).toBe('get_weather');

    const second = await client.responses.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      input: [
        { role: 'user', content: 'What is the weather in Paris?' },
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        { type: 'function_call_output', call_id: call.call_id, output: '{"temp_c": 21}' },
      ],
    });
    expect(second.output_text.length).toBeGreaterThan(0);
    const msgs = lastBedrock().body.messages;
    expect(msgs[1]).toEqual({ role: 'assistant', content: [{ toolUse: { toolUseId: call.call_id, name: 'get_weather', input: { city: 'Paris' } } }] });
    expect(msgs[2]).toEqual({ role: 'user', content: [{ toolResult: { toolUseId: call.call_id, content: [{ text: '{"temp_c": 21}' }] } }] });
  });

  it('serves item_reference without a store: output item ids carry their item', async () => {
    rig.fake.enqueue({
      output: {
        message: {
          role: 'assistant',
          content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 'tooluse_ref1', name: 'get_weather', input: { city: 'Oslo' } } }],
        },
      },
      stopReason: 'tool_use',
    });
    const first = await client.responses.create({ model: 'gpt-4o', input: 'Weather in Oslo?', tools: [weatherTool] });
    expect(first.output.map((o) => o.type)).toEqual(['message', 'function_call']);
    const refs = first.output.map((o) => ({ type: 'item_reference' as const, id: o.id! }));
    await client.responses.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      input: [{ role: 'user', content: 'Weather in Oslo?' }, ...refs, { type: 'function_call_output', call_id: 'tooluse_ref1', output: 'sunny' }],
    });
    expect(lastBedrock().body.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Oslo?' }] },
      { role: 'assistant', content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 'tooluse_ref1', name: 'get_weather', input: { city: 'Oslo' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_ref1', content: [{ text: 'sunny' }] } }] },
    ]);
  });

  it('parses structured output with zod through text.format (responses.parse)', async () => {
    const Person = z.object({ name: z.string(), born: z.number().int() });
    const res = await client.responses.parse({
      model: 'gpt-4o',
      input: 'Who wrote Hamlet? Give name and birth year.',
      text: { format: zodTextFormat(Person, 'person') },
    });
    expect(res.output_parsed).not.toBeNull();
    expect(typeof res.output_parsed!.name).toBe('string');
    expect(Number.isInteger(res.output_parsed!.born)).toBe(true);
    expect(res.text?.format).toMatchObject({ type: 'json_schema', name: 'person' });
    // Nova 1 has no native structured output: the same forced-tool emulation as chat.
    expect(lastBedrock().body.toolConfig.toolChoice).toEqual({ tool: { name: 'json_response' } });
  });

  it('answers json_object as JSON text', async () => {
    const res = await client.responses.create({ model: 'gpt-4o-mini', input: 'List three colours as JSON.', text: { format: { type: 'json_object' } } });
    expect(typeof JSON.parse(res.output_text)).toBe('object');
  });

  it('maps reasoning.effort to Nova 2 reasoning and refuses it for models without reasoning', async () => {
    await client.responses.create({ model: 'amazon.nova-2-lite-v1:0', input: 'Think: 2+2?', reasoning: { effort: 'low' } });
    expect(lastBedrock().body.additionalModelRequestFields).toEqual({ reasoningConfig: { type: 'enabled', maxReasoningEffort: 'low' } });
    const err = await client.responses.create({ model: 'gpt-4o', input: 'x', reasoning: { effort: 'high' } }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('reasoning.effort');
    expect(err.message).toMatch(/does not support reasoning/);
    expect(err.message).not.toMatch(/reasoning_effort/);
  });

  it('returns reasoning items where Nova 2 returns reasoning text', async () => {
    rig.fake.enqueue({
      output: { message: { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'Two plus two is four.' } } }, { text: '4' }] } },
      stopReason: 'end_turn',
    });
    const res = await client.responses.create({ model: 'amazon.nova-2-lite-v1:0', input: '2+2?', reasoning: { effort: 'medium' } });
    expect(res.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(res.output[0]).toMatchObject({ type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'Two plus two is four.' }] });
    expect(res.output_text).toBe('4');
  });

  it('reports max_output_tokens as an incomplete response', async () => {
    rig.fake.enqueue({ output: { message: { role: 'assistant', content: [{ text: 'Once upon a' }] } }, stopReason: 'max_tokens' });
    const res = await client.responses.create({ model: 'gpt-4o', input: 'Tell a story', max_output_tokens: 16 });
    expect(res.status).toBe('incomplete');
    expect(res.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(res.output[0]).toMatchObject({ type: 'message', status: 'incomplete' });
    expect(res.output_text).toBe('Once upon a');
  });

  it('reports a content filter as an incomplete response', async () => {
    rig.fake.enqueue({ output: { message: { role: 'assistant', content: [{ text: 'Sorry.' }] } }, stopReason: 'content_filtered' });
    const res = await client.responses.create({ model: 'gpt-4o', input: 'x' });
    expect(res.status).toBe('incomplete');
    expect(res.incomplete_details).toEqual({ reason: 'content_filter' });
  });

  it('serves the unprefixed route used behind API Gateway stages', async () => {
    const bare = new OpenAI({ baseURL: rig.origin, apiKey: 'x', maxRetries: 0, fetch: tap.fetch });
    const res = await bare.responses.create({ model: 'gpt-3.5-turbo', input: 'hi' });
    expect(res.status).toBe('completed');
    expect(lastBedrock().modelId).toBe('amazon.nova-micro-v1:0');
  });
});

describe('responses.stream', () => {
  it('streams text as output_text deltas in the documented event order', async () => {
    const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'Tell me about the sea in a few words.' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    await tap.settled();
    const events = tap.exchanges.at(-1)!.events!.map((e) => e.data);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...deltas.map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(deltas.length).toBeGreaterThan(1);
    expect(final.output_text).toBe(deltas.join(''));
    expect(final.status).toBe('completed');
    expect(final.usage!.output_tokens).toBeGreaterThan(0);
    const itemId = events[2].item.id;
    expect(events.filter((e) => 'item_id' in e).every((e) => e.item_id === itemId)).toBe(true);
    expect(events.at(-1).response.output[0].id).toBe(itemId);
  });

  it('streams function calls as argument deltas; a reasoning carrier makes the streamed text referenceable', async () => {
    rig.fake.enqueue({
      output: {
        message: {
          role: 'assistant',
          content: [{ text: 'Checking the weather.' }, { toolUse: { toolUseId: 'tooluse_s1', name: 'get_weather', input: { city: 'Lisbon', unit: 'celsius' } } }],
        },
      },
      stopReason: 'tool_use',
    });
    const stream = client.responses.stream({ model: 'gpt-4o', input: 'Weather in Lisbon?', tools: [weatherTool] });
    const argDeltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (e) => argDeltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(argDeltas.length).toBeGreaterThan(1);
    expect(argDeltas.join('')).toBe('{"city":"Lisbon","unit":"celsius"}');
    // message, the carrier (an empty reasoning item describing the message), the call.
    expect(final.output.map((o) => o.type)).toEqual(['message', 'reasoning', 'function_call']);
    expect(final.output[1]).toMatchObject({ type: 'reasoning', summary: [] });
    expect(final.output_text).toBe('Checking the weather.');
    await tap.settled();
    const events = tap.exchanges.at(-1)!.events!.map((e) => e.data);
    const added = events.find((e) => e.type === 'response.output_item.added' && e.item.type === 'function_call');
    const done = events.find((e) => e.type === 'response.output_item.done' && e.item.type === 'function_call');
    expect(added.item).toMatchObject({ call_id: 'tooluse_s1', name: 'get_weather', arguments: '', status: 'in_progress' });
    expect(done.item).toMatchObject({ call_id: 'tooluse_s1', arguments: '{"city":"Lisbon","unit":"celsius"}', status: 'completed' });
    expect(final.output[2]!.id).toBe(done.item.id);

    // All three sent back by reference (AI SDK 5 with store: true) resolve without a store.
    await client.responses.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      input: [
        { role: 'user', content: 'Weather in Lisbon?' },
        ...final.output.map((o) => ({ type: 'item_reference' as const, id: o.id! })),
        { type: 'function_call_output', call_id: 'tooluse_s1', output: '25C' },
      ],
    });
    expect(lastBedrock().body.messages[1]).toEqual({
      role: 'assistant',
      content: [{ text: 'Checking the weather.' }, { toolUse: { toolUseId: 'tooluse_s1', name: 'get_weather', input: { city: 'Lisbon', unit: 'celsius' } } }],
    });
  });

  it('puts no carrier where the client sends items inline (store: false)', async () => {
    rig.fake.enqueue({
      output: { message: { role: 'assistant', content: [{ text: 'One moment.' }, { toolUse: { toolUseId: 'tooluse_s2', name: 'get_weather', input: { city: 'Rome' } } }] } },
      stopReason: 'tool_use',
    });
    const final = await client.responses.stream({ model: 'gpt-4o', input: 'Weather in Rome?', tools: [weatherTool], store: false }).finalResponse();
    expect(final.output.map((o) => o.type)).toEqual(['message', 'function_call']);
  });

  it('forwards each Bedrock delta while Bedrock is still streaming, and aborts Bedrock when the client leaves', async () => {
    rig.fake.enqueue({
      events: [
        { messageStart: { role: 'assistant' } },
        { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_live', name: 'get_weather' } } } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":' } } } },
      ],
      // Bedrock never finishes this call: whatever the client sees was forwarded as it came.
      hang: true,
    });
    const before = rig.fake.aborted;
    const controller = new AbortController();
    const stream = await client.responses.create({ model: 'gpt-4o', input: 'Weather in Paris?', tools: [weatherTool], stream: true }, { signal: controller.signal });
    const seen: any[] = [];
    for await (const e of stream) {
      seen.push(e);
      if (e.type === 'response.function_call_arguments.delta') break;
    }
    expect(seen.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.function_call_arguments.delta']);
    expect(seen.at(-1).delta).toBe('{"city":');
    controller.abort();
    for (let i = 0; i < 100 && rig.fake.aborted === before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(rig.fake.aborted).toBe(before + 1);
    expect(rig.app.inFlight.streams.size).toBe(0);
  });

  it('ends with response.incomplete when the output limit is hit', async () => {
    rig.fake.enqueue({ output: { message: { role: 'assistant', content: [{ text: 'It was a dark and' }] } }, stopReason: 'max_tokens' });
    const stream = client.responses.stream({ model: 'gpt-4o', input: 'story', max_output_tokens: 16 });
    const final = await stream.finalResponse();
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    await tap.settled();
    expect(tap.exchanges.at(-1)!.events!.at(-1)!.data.type).toBe('response.incomplete');
  });

  it('reports a mid-stream failure as error then response.failed, never as completed', async () => {
    rig.fake.enqueue({
      events: [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Once upon' } } }],
      streamError: { type: 'modelStreamErrorException', message: 'The model stopped unexpectedly' },
    });
    const stream = await client.responses.create({ model: 'gpt-4o', input: 'story', stream: true });
    // The SDK hands the events over as they are (as it does with OpenAI's own).
    const seen: any[] = [];
    for await (const e of stream) seen.push(e);
    const types = seen.map((e) => e.type);
    expect(types).toContain('response.output_text.delta');
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    expect(types).not.toContain('response.completed');
    expect(seen.at(-2).message).toMatch(/stopped unexpectedly/);
    await tap.settled();
    const failed = tap.exchanges.at(-1)!.events!.at(-1)!.data;
    expect(failed.response.status).toBe('failed');
    expect(failed.response.error).toMatchObject({ code: 'server_error' });
  });
});

describe('request errors in Responses terms', () => {
  it('refuses built-in tools naming the tool', async () => {
    for (const type of ['web_search', 'file_search', 'code_interpreter', 'computer_use_preview', 'image_generation']) {
      const res = await post(rig.origin, '/v1/responses', JSON.stringify({ model: 'gpt-4o', input: 'x', tools: [weatherTool, { type }] }));
      expect(res.status).toBe(400);
      expect(res.json.error.param).toBe('tools[1]');
      expect(res.json.error.message).toContain(`"${type}"`);
      expect(res.json.error.code).toBe('unsupported_parameter');
    }
    const mcp = await client.responses.create({ model: 'gpt-4o', input: 'x', tools: [{ type: 'mcp', server_label: 'x', server_url: 'https://mcp.example' }] }).catch((e) => e);
    expect(mcp).toBeInstanceOf(OpenAI.BadRequestError);
    expect(mcp.message).toContain('"mcp"');
  });

  it('refuses conversation objects, background and stateless previous_response_id', async () => {
    const conv = await client.responses.create({ model: 'gpt-4o', input: 'x', conversation: 'conv_123' }).catch((e) => e);
    expect(conv.status).toBe(400);
    expect(conv.param).toBe('conversation');
    const prev = await client.responses.create({ model: 'gpt-4o', input: 'x', previous_response_id: 'resp_abc' }).catch((e) => e);
    expect(prev.status).toBe(400);
    expect(prev.param).toBe('previous_response_id');
    expect(prev.message).toMatch(/send the full conversation/i);
    const bg = await client.responses.create({ model: 'gpt-4o', input: 'x', background: true }).catch((e) => e);
    expect(bg.param).toBe('background');
  });

  it('names the Responses field when the pipeline rejects a value', async () => {
    const img = await client.responses
      .create({ model: 'gpt-4o', input: [{ role: 'user', content: [{ type: 'input_text', text: 'x' }, { type: 'input_image', image_url: 'ftp://host/a.png', detail: 'auto' }] }] })
      .catch((e) => e);
    expect(img.status).toBe(400);
    expect(img.param).toBe('input[0].content[1].image_url');
    expect(img.message).toContain('input[0].content[1].image_url');
    const args = await client.responses
      .create({
        model: 'gpt-4o',
        tools: [weatherTool],
        input: [
          { role: 'user', content: 'x' },
          { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{not json' },
          { type: 'function_call_output', call_id: 'c1', output: 'y' },
        ],
      })
      .catch((e) => e);
    expect(args.param).toBe('input[1].arguments');
    const schema = await client.responses
      .create({ model: 'gpt-4o', input: 'x', text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object', properties: { a: { $ref: 'http://elsewhere' } } } } } })
      .catch((e) => e);
    expect(schema.status).toBe(400);
    expect(schema.param).toMatch(/^text\.format\.schema/);
    const orphan = await client.responses.create({ model: 'gpt-4o', input: [{ type: 'function_call_output', call_id: 'nope', output: 'y' }] }).catch((e) => e);
    expect(orphan.param).toBe('input[0].call_id');
    expect(orphan.error.message).toBe('No tool call found for function call output with call_id nope.');
    const unanswered = await client.responses
      .create({ model: 'gpt-4o', tools: [weatherTool], input: [{ type: 'function_call', call_id: 'c9', name: 'get_weather', arguments: '{}' }, { role: 'user', content: 'next' }] })
      .catch((e) => e);
    expect(unanswered.param).toBe('input[1]');
    expect(unanswered.message).toMatch(/No tool output found for function call c9/);
  });

  it('explains item references it cannot resolve', async () => {
    const foreign = await client.responses.create({ model: 'gpt-4o', input: [{ type: 'item_reference', id: 'msg_67ccd3acc8d48190a77525dc6de64b41' }] }).catch((e) => e);
    expect(foreign.status).toBe(400);
    expect(foreign.param).toBe('input[0].id');
    expect(foreign.code).toBe('item_not_found');
    const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'Say something.' });
    const final = await stream.finalResponse();
    const pending = await client.responses.create({ model: 'gpt-4o', input: [{ role: 'user', content: 'a' }, { type: 'item_reference', id: final.output[0]!.id! }, { role: 'user', content: 'b' }] }).catch((e) => e);
    expect(pending.status).toBe(400);
    expect(pending.message).toMatch(/streamed before its content was known/);
    expect(pending.message).toMatch(/store = false/);
  });

  it('reports what it accepts without honouring', async () => {
    const { response } = await client.responses
      .create({
        model: 'gpt-4o',
        input: [{ type: 'reasoning', id: 'rs_1', summary: [] }, { role: 'user', content: 'hi' }],
        truncation: 'auto',
        store: true,
        metadata: { team: 'a' },
        include: ['reasoning.encrypted_content'],
      })
      .withResponse();
    const ignored = response.headers.get('x-nova-ignored-params')!.split(',');
    expect(ignored).toEqual(expect.arrayContaining(['truncation', 'store', 'include', 'input.reasoning']));
    expect(ignored).not.toContain('metadata');
    const { response: r2 } = await client.responses.create({ model: 'gpt-4o', input: 'hi', temperature: 1.5, max_output_tokens: 50_000 }).withResponse();
    expect(r2.headers.get('x-nova-adjusted-params')!.split(',').sort()).toEqual(['max_output_tokens', 'temperature']);
  });
});

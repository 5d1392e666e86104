/**
 * The pure translation functions: Responses request → chat request (and error paths back),
 * chat completion → response object, chat chunks → stream events, and the response store.
 */
import { describe, expect, it } from 'vitest';
import { OpenAIHttpError } from '../../proxy/errors.js';
import { createItemIdCodec } from '../../proxy/responses/item-ids.js';
import { resolveInput } from '../../proxy/responses/resolve-input.js';
import { toChatRequest } from '../../proxy/responses/to-chat.js';
import { responseEcho, statusFor, toResponse } from '../../proxy/responses/to-response.js';
import { createResponseEventStream } from '../../proxy/responses/stream-events.js';
import { createResponseStore } from '../../proxy/responses/response-store.js';
import type { ChatCompletionWithReasoning } from '../../proxy/translate/convert-response.js';
import type { ChatCompletionChunkWithReasoning } from '../../proxy/translate/stream-translator.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

const codec = createItemIdCodec('k'.repeat(32));
const translate = (body: Record<string, unknown>, opts = { stream: false, storeConfigured: false }) =>
  toChatRequest(body, resolveInput(body.input, { codec }), opts);
const reject = (body: Record<string, unknown>): OpenAIHttpError => {
  try {
    translate(body);
  } catch (e) {
    if (e instanceof OpenAIHttpError) return e;
    throw e;
  }
  throw new Error('accepted');
};

describe('toChatRequest', () => {
  it('builds the chat messages: instructions, content parts, an assistant turn of text and calls, outputs', () => {
    const { chat, ignored } = translate({
      model: 'gpt-4o',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Look' }, { type: 'input_image', image_url: 'https://x.test/a.png', detail: 'low' }, { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBE' }] },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { type: 'function_call', call_id: 'c1', name: 'a', arguments: '{}' },
        { type: 'function_call', call_id: 'c2', name: 'b', arguments: '{"x":1}' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'two' }] },
        { type: 'function_call_output', call_id: 'c1', output: 'one' },
        { role: 'developer', content: 'Mind the units.' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'low' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'Checking.' }],
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'a', arguments: '{}' } },
          { id: 'c2', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c2', content: 'two' },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'developer', content: 'Mind the units.' },
    ]);
    expect(ignored).toEqual(['input.reasoning']);
  });

  it('maps tools, tool_choice, text.format, reasoning and the sampling parameters', () => {
    const { chat } = translate({
      model: 'gpt-4o',
      input: 'x',
      tools: [{ type: 'function', name: 'f', description: 'd', parameters: { type: 'object' }, strict: true }],
      tool_choice: { type: 'function', name: 'f' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
      reasoning: { effort: 'low' },
      max_output_tokens: 99,
      temperature: 0.5,
      top_p: 0.9,
      user: 'u1',
    });
    expect(chat).toMatchObject({
      tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      verbosity: 'low',
      reasoning_effort: 'low',
      max_completion_tokens: 99,
      temperature: 0.5,
      top_p: 0.9,
      user: 'u1',
      stream: false,
    });
    const allowed = translate({ model: 'm', input: 'x', tools: [{ type: 'function', name: 'f' }], tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'f' }] } });
    expect(allowed.chat.tool_choice).toEqual({ type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'f' } }] } });
    expect(translate({ model: 'm', input: 'x', stream: true }, { stream: true, storeConfigured: false }).chat.stream_options).toEqual({ include_usage: true });
  });

  it('reports what it accepts without honouring, and refuses what needs OpenAI-side state', () => {
    const { ignored } = translate({ model: 'm', input: 'x', truncation: 'auto', store: true, include: ['reasoning.encrypted_content'], max_tool_calls: 3, reasoning: { summary: 'auto' }, mystery: 1 });
    expect(ignored.sort()).toEqual(['include', 'max_tool_calls', 'mystery', 'reasoning.summary', 'store', 'truncation']);
    expect(translate({ model: 'm', input: 'x', store: true }, { stream: false, storeConfigured: true }).ignored).toEqual([]);
    expect(reject({ model: 'm', input: 'x', conversation: { id: 'conv_1' } }).param).toBe('conversation');
    expect(reject({ model: 'm', input: 'x', background: true }).param).toBe('background');
    expect(reject({ model: 'm', input: 'x', prompt: { id: 'pmpt_1' } }).param).toBe('prompt');
    expect(reject({ model: 'm', input: 'x', include: ['message.output_text.logprobs'] }).param).toBe('include[0]');
    expect(reject({ model: 'm', input: 'x', truncation: 'sometimes' }).param).toBe('truncation');
    // Echoed back in the Response, so held to OpenAI's rules for it.
    expect(reject({ model: 'm', input: 'x', metadata: { a: { url: 'x' } } }).param).toBe('metadata.a');
    expect(reject({ model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'd', strict: true } } })).toMatchObject({ param: 'text.format.schema', code: 'missing_required_parameter' });
    expect(reject({ model: 'm', input: 'x', text: { format: { type: 'json_schema', schema: { type: 'object' } } } }).param).toBe('text.format.name');
    expect(reject({ model: 'm', input: 'x', reasoning: { summary: 'brief' } }).param).toBe('reasoning.summary');
    // service_tier goes on to the chat request's checks; its one Responses-only tier stops here.
    const ultra = translate({ model: 'm', input: 'x', service_tier: 'ultrafast' });
    expect([ultra.chat.service_tier, ultra.ignored]).toEqual([undefined, ['service_tier']]);
    expect(translate({ model: 'm', input: 'x', service_tier: 'flex' }).chat.service_tier).toBe('flex');
    expect(reject({ model: 'm', input: 'x', tool_choice: { type: 'web_search_preview' } }).message).toContain('"web_search_preview"');
    expect(reject({ model: 'm', input: 'x', tools: [{ type: 'custom', name: 'c' }] }).param).toBe('tools[0]');
    expect(reject({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }).param).toBe('input[0].content[0].file_id');
    expect(reject({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x.test/a.pdf' }] }] }).param).toBe('input[0].content[0].file_url');
    expect(reject({ model: 'm', input: [{ type: 'function_call_output', call_id: 'c', output: [{ type: 'input_image', image_url: 'x' }] }, { role: 'user', content: 'x' }] }).param).toBe('input[0].call_id');
  });

  it('pairs calls and outputs the way OpenAI does', () => {
    expect(reject({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }] }).message).toMatch(/No tool output found for function call c/);
    expect(reject({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }, { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }] }).param).toBe('input[1].call_id');
    expect(reject({ model: 'm', input: [{ type: 'reasoning', summary: [] }] }).param).toBe('input');
  });

  it('renames the pipeline\'s chat paths to the request\'s own', () => {
    const { paths } = translate({
      model: 'm',
      instructions: 'sys',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_image', image_url: 'x' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'b' }] },
        { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c', output: 'o' },
      ],
      tools: [{ type: 'function', name: 'f' }],
    });
    expect(paths.param('messages[1].content[1].image_url.url')).toBe('input[0].content[1].image_url');
    expect(paths.param('messages[1].content[0].file.file_data')).toBe('input[0].content[0].file_data');
    expect(paths.param('messages[0].content')).toBe('instructions');
    expect(paths.param('messages[2].content[0]')).toBe('input[1].content[0]');
    expect(paths.param('messages[2].tool_calls[0].function.arguments')).toBe('input[2].arguments');
    expect(paths.param('messages[2].tool_calls[0].id')).toBe('input[2].call_id');
    expect(paths.param('messages[3].tool_call_id')).toBe('input[3].call_id');
    expect(paths.param('messages[3].content')).toBe('input[3].output');
    expect(paths.param('tools[0].function.parameters.properties')).toBe('tools[0].parameters.properties');
    expect(paths.param('tool_choice.function.name')).toBe('tool_choice.name');
    expect(paths.param('tool_choice.allowed_tools.tools[0].function.name')).toBe('tool_choice.tools[0].name');
    expect(paths.param('response_format.json_schema.schema.properties.a')).toBe('text.format.schema.properties.a');
    expect(paths.param('max_completion_tokens')).toBe('max_output_tokens');
    expect(paths.param('reasoning_effort')).toBe('reasoning.effort');
    expect(paths.param('temperature')).toBe('temperature');
    const e = paths.error(new OpenAIHttpError(400, 'messages[1].content[1].image_url.url must be an http(s) URL', { param: 'messages[1].content[1].image_url.url', code: 'x' }));
    expect(e.message).toBe('input[0].content[1].image_url must be an http(s) URL');
    expect(e.param).toBe('input[0].content[1].image_url');
    expect(e.code).toBe('x');
    const str = translate({ model: 'm', input: 'hello' }).paths;
    expect(str.param('messages[0].content')).toBe('input');
  });
});

const meta = { id: 'resp_1', createdAt: 1_700_000_000, model: 'gpt-4o' };
const echo = responseEcho({ model: 'gpt-4o', input: 'x', tools: [{ type: 'function', name: 'f' }], metadata: { a: 'b' } }, false);
function completion(message: Record<string, unknown>, finish: string): ChatCompletionWithReasoning {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message } as never, logprobs: null, finish_reason: finish as never }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } },
  };
}

describe('toResponse', () => {
  it('orders reasoning, message and calls; ids describe the items', () => {
    const r = toResponse(
      completion({ content: 'Let me see.', reasoning_content: 'thinking', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, 'tool_calls'),
      meta,
      echo,
      codec,
    );
    expect(validateOpenAI('Response', r)).toEqual([]);
    expect(r.output.map((o) => o.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(r.output[1]).toMatchObject({ status: 'completed', content: [{ type: 'output_text', text: 'Let me see.', annotations: [], logprobs: [] }] });
    expect(codec.decode(r.output[1]!.id!)).toMatchObject({ kind: 'described', decoded: { item: { type: 'message', text: 'Let me see.' } } });
    expect(codec.decode(r.output[2]!.id!)).toMatchObject({ kind: 'described', decoded: { item: { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' } } });
    expect(r.usage).toEqual({ input_tokens: 10, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 });
    expect(r.metadata).toEqual({ a: 'b' });
    expect(r.tools).toEqual([{ type: 'function', name: 'f', description: null, parameters: null, strict: null }]);
  });

  it('leaves the message out of a tool-call-only turn and keeps an empty answer', () => {
    expect(toResponse(completion({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'tool_calls'), meta, echo, codec).output.map((o) => o.type)).toEqual(['function_call']);
    expect(toResponse(completion({ content: '' }, 'stop'), meta, echo, codec).output).toMatchObject([{ type: 'message', content: [{ text: '' }] }]);
  });

  it('maps finish reasons to status', () => {
    expect(statusFor('stop')).toEqual({ status: 'completed', incomplete_details: null });
    expect(statusFor('tool_calls')).toEqual({ status: 'completed', incomplete_details: null });
    expect(statusFor('length')).toEqual({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(statusFor('content_filter')).toEqual({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });
});

function chunk(delta: Record<string, unknown>, finish: string | null = null): ChatCompletionChunkWithReasoning {
  return { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: delta as never, logprobs: null, finish_reason: finish as never }] };
}
const usageChunk: ChatCompletionChunkWithReasoning = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };

describe('createResponseEventStream', () => {
  const run = (batches: ChatCompletionChunkWithReasoning[][], carriers = true) => {
    const s = createResponseEventStream(meta, echo, codec, { carriers });
    const events = [...s.start(), ...batches.flatMap((b) => s.push(b)), ...s.finish()];
    for (const e of events) expect(validateOpenAI('ResponseStreamEvent', e)).toEqual([]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    return { events, response: s.response() };
  };
  const toolTurn = [
    [chunk({ role: 'assistant', content: '', refusal: null })],
    [chunk({ content: 'Let me ' })],
    [chunk({ content: 'check.' })],
    [chunk({ tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }] })],
    [chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] })],
    [chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] })],
    [chunk({}, 'tool_calls')],
    [usageChunk],
  ];

  it('turns each delta into its event at once, with a carrier between text and call', () => {
    const { events, response } = run(toolTurn);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added', // carrier
      'response.output_item.done',
      'response.output_item.added', // call
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const msgId = response.output[0]!.id!;
    const carrier = codec.decode(response.output[1]!.id!);
    expect(carrier).toMatchObject({ kind: 'described', decoded: { item: { type: 'reasoning' }, carried: [{ id: msgId, item: { type: 'message', text: 'Let me check.' } }] } });
    expect(response.usage).toMatchObject({ input_tokens: 3, output_tokens: 2, total_tokens: 5 });
    expect(response.status).toBe('completed');
  });

  it('puts no carrier when told not to, and none after a final answer', () => {
    expect(run(toolTurn, false).response.output.map((o) => o.type)).toEqual(['message', 'function_call']);
    const { response } = run([[chunk({ content: 'Hi' })], [chunk({}, 'stop')]]);
    expect(response.output.map((o) => o.type)).toEqual(['message']);
  });

  it('streams reasoning text as reasoning_text events and ends incomplete at the length limit', () => {
    const { events, response } = run([[chunk({ reasoning_content: 'hmm' })], [chunk({ content: 'Once' })], [chunk({}, 'length')]]);
    expect(events.map((e) => e.type)).toContain('response.reasoning_text.delta');
    expect(events.at(-1)!.type).toBe('response.incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.output.map((o) => [o.type, 'status' in o ? o.status : undefined])).toEqual([
      ['reasoning', undefined],
      ['message', 'incomplete'],
    ]);
  });

  it('fails with error then response.failed', () => {
    const s = createResponseEventStream(meta, echo, codec, { carriers: true });
    s.start();
    s.push([chunk({ content: 'Hal' })]);
    const events = s.fail(new OpenAIHttpError(429, 'Bedrock: throttled', { code: 'rate_limit_exceeded' }));
    for (const e of events) expect(validateOpenAI('ResponseStreamEvent', e)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['error', 'response.failed']);
    expect(events[0]).toMatchObject({ code: 'rate_limit_exceeded', message: 'Bedrock: throttled' });
    expect(s.response()).toMatchObject({ status: 'failed', error: { code: 'rate_limit_exceeded' } });
  });
});

describe('createResponseStore', () => {
  const entry = (id: string, text = 'x') => ({
    response: { ...toResponse(completion({ content: text }, 'stop'), { ...meta, id }, echo, codec) },
    context: [],
    input: [{ type: 'message' as const, role: 'user' as const, content: 'q', id: `msg_in_${id}` }],
  });

  it('evicts the least recently used beyond the entry bound, with their items', () => {
    const store = createResponseStore({ maxEntries: 2, maxBytes: 1e6, ttlMs: 60_000 });
    store.put(entry('r1'));
    store.put(entry('r2'));
    expect(store.get('r1')).toBeDefined();
    store.put(entry('r3'));
    expect(store.get('r2')).toBeUndefined();
    expect(store.item('msg_in_r2')).toBeUndefined();
    expect(store.item('msg_in_r1')).toMatchObject({ content: 'q' });
    expect(store.conversation('r3')!.map((i) => i.type)).toEqual(['message', 'message']);
  });

  it('keeps nothing bigger than its byte bound and forgets after the TTL', async () => {
    const small = createResponseStore({ maxEntries: 10, maxBytes: 500, ttlMs: 60_000 });
    small.put(entry('big', 'y'.repeat(2000)));
    expect(small.get('big')).toBeUndefined();
    const brief = createResponseStore({ maxEntries: 10, maxBytes: 1e6, ttlMs: 1 });
    brief.put(entry('r'));
    await new Promise((r) => setTimeout(r, 20));
    expect(brief.get('r')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { prepare, reject } from './helpers.js';

const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};
const call = (id: string, name = 'get_weather', args = '{"city":"Paris"}') => ({ id, type: 'function', function: { name, arguments: args } });

describe('system and developer messages', () => {
  it('become system blocks in order, wherever they are; blank ones are dropped', async () => {
    const { input } = await prepare({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }, { type: 'text', text: '  ' }] },
        { role: 'system', content: '   ' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Salut' },
        { role: 'system', content: 'Now in English.' },
        { role: 'user', content: 'Again' },
      ],
    });
    expect(input.system).toEqual([{ text: 'Be brief.' }, { text: 'Answer in French.' }, { text: 'Now in English.' }]);
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'Hi' }] },
      { role: 'assistant', content: [{ text: 'Salut' }] },
      { role: 'user', content: [{ text: 'Again' }] },
    ]);
  });

  it('omits system entirely when every system message is blank', async () => {
    const { input } = await prepare({ messages: [{ role: 'system', content: '' }, { role: 'user', content: 'Hi' }] });
    expect(input).not.toHaveProperty('system');
  });

  it('rejects non-text parts in system messages', async () => {
    const err = await reject({ messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'x' } }] }, { role: 'user', content: 'Hi' }] });
    expect(err.param).toBe('messages[0].content[0].type');
  });
});

describe('conversation structure', () => {
  it('merges consecutive same-role messages', async () => {
    const { input } = await prepare({
      messages: [
        { role: 'user', content: 'one' },
        { role: 'user', content: [{ type: 'text', text: 'two' }, { type: 'text', text: 'three' }] },
        { role: 'assistant', content: 'a' },
        { role: 'assistant', content: [{ type: 'text', text: 'b' }, { type: 'refusal', refusal: 'no' }] },
        { role: 'user', content: 'four' },
      ],
    });
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] },
      { role: 'assistant', content: [{ text: 'a' }, { text: 'b' }, { text: 'no' }] },
      { role: 'user', content: [{ text: 'four' }] },
    ]);
  });

  it('prepends a user turn when the conversation starts with the assistant', async () => {
    const { input } = await prepare({ messages: [{ role: 'system', content: 'S' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'Hi' }] });
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: '(conversation start)' }] },
      { role: 'assistant', content: [{ text: 'Hello!' }] },
      { role: 'user', content: [{ text: 'Hi' }] },
    ]);
  });

  it('sends a start turn when there are only system messages', async () => {
    const { input } = await prepare({ messages: [{ role: 'system', content: 'Tell a joke.' }] });
    expect(input.messages).toEqual([{ role: 'user', content: [{ text: '(conversation start)' }] }]);
    expect(input.system).toEqual([{ text: 'Tell a joke.' }]);
  });

  it('drops empty assistant messages and keeps roles alternating', async () => {
    const { input } = await prepare({
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'two' },
        { role: 'assistant', content: null },
        { role: 'user', content: ' ' },
        { role: 'user', content: 'three' },
      ],
    });
    expect(input.messages).toEqual([{ role: 'user', content: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] }]);
  });

  it('keeps a trailing assistant message as a prefill, trailing whitespace trimmed', async () => {
    const { input } = await prepare({ messages: [{ role: 'user', content: 'List three colours as JSON' }, { role: 'assistant', content: '{"colours": [ \n' }] });
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'List three colours as JSON' }] },
      { role: 'assistant', content: [{ text: '{"colours": [' }] },
    ]);
  });

  it('uses the refusal field when an assistant message has no content', async () => {
    const { input } = await prepare({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, refusal: "I can't help." }, { role: 'user', content: 'ok' }] });
    expect(input.messages![1]).toEqual({ role: 'assistant', content: [{ text: "I can't help." }] });
  });

  it.each([
    [{ messages: [] }, 'messages'],
    [{ messages: 'hi' }, 'messages'],
    [{ messages: undefined }, 'messages'],
    [{ messages: [null] }, 'messages[0]'],
    [{ messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    [{ messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    [{ messages: [{ role: 'user', content: [{ type: 'text', text: 1 }] }] }, 'messages[0].content[0].text'],
    [{ messages: [{ role: 'user', content: [{ type: 'video', video: {} }] }] }, 'messages[0].content[0].type'],
  ])('rejects malformed messages (%j → %s)', async (b, param) => {
    expect((await reject(b)).param).toBe(param);
  });
});

describe('tool calls and results', () => {
  it('translates tool_calls to toolUse and tool messages to one user turn of toolResults (parallel calls)', async () => {
    const { input } = await prepare({
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { role: 'assistant', content: null, tool_calls: [call('call_1'), call('call_2', 'get_weather', '{"city":"Rome"}')] },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '25C' }] },
        { role: 'user', content: 'Thanks. Which is warmer?' },
      ],
    });
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 'call_2', name: 'get_weather', input: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'call_1', content: [{ text: '18C' }] } },
          { toolResult: { toolUseId: 'call_2', content: [{ text: '25C' }] } },
          { text: 'Thanks. Which is warmer?' },
        ],
      },
    ]);
    expect(input.toolConfig?.tools).toHaveLength(1);
  });

  it('keeps assistant text before its tool calls and treats empty arguments as {}', async () => {
    const { input } = await prepare({
      tools: [{ type: 'function', function: { name: 'now' } }],
      messages: [
        { role: 'user', content: 'time?' },
        { role: 'assistant', content: 'Let me check.', tool_calls: [call('c1', 'now', '')] },
        { role: 'tool', tool_call_id: 'c1', content: '' },
      ],
    });
    expect(input.messages!.slice(1)).toEqual([
      { role: 'assistant', content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 'c1', name: 'now', input: {} } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'c1', content: [{ text: '(no output)' }] } }] },
    ]);
  });

  it('maps tool-use IDs Converse would reject, consistently on both sides', async () => {
    const { input } = await prepare({
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [call('call 1/ä')] },
        { role: 'tool', tool_call_id: 'call 1/ä', content: 'ok' },
      ],
    });
    expect(input.messages![1]!.content![0]!.toolUse!.toolUseId).toBe('call_1__');
    expect(input.messages![2]!.content![0]!.toolResult!.toolUseId).toBe('call_1__');
  });

  it('keeps tool-use IDs unique when a client reuses them across turns', async () => {
    const { input } = await prepare({
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [call('call_0')] },
        { role: 'tool', tool_call_id: 'call_0', content: 'a' },
        { role: 'assistant', tool_calls: [call('call_0')] },
        { role: 'tool', tool_call_id: 'call_0', content: 'b' },
      ],
    });
    expect(input.messages!.slice(1).map((m) => m.content![0]!.toolUse?.toolUseId ?? m.content![0]!.toolResult?.toolUseId)).toEqual(['call_0', 'call_0', 'call_0_2', 'call_0_2']);
  });

  it('maps history tool names through the same safe-name mapping as the tools', async () => {
    const { input, state } = await prepare({
      tools: [{ type: 'function', function: { name: 'weather.get', parameters: { type: 'object', properties: {} } } }],
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [call('c1', 'weather.get', '{}')] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    });
    expect(input.toolConfig!.tools![0]!.toolSpec!.name).toBe('weather_get');
    expect(input.messages![1]!.content![0]!.toolUse!.name).toBe('weather_get');
    expect(state.toolNames).toEqual(new Map([['weather_get', 'weather.get']]));
  });

  it('rewrites tool history as text when the request has no tools', async () => {
    const { input } = await prepare({
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [call('call_1')] },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
        { role: 'assistant', content: 'It is 18C.' },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(input).not.toHaveProperty('toolConfig');
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather?' }] },
      { role: 'assistant', content: [{ text: '[called tool get_weather (call ID call_1) with arguments {"city":"Paris"}]' }] },
      { role: 'user', content: [{ text: '[result of tool get_weather (call ID call_1)]\n18C' }] },
      { role: 'assistant', content: [{ text: 'It is 18C.' }] },
      { role: 'user', content: [{ text: 'Thanks' }] },
    ]);
  });

  it('rewrites tool history as text with tool_choice none, and sends no tools', async () => {
    const { input } = await prepare({
      tools: [weatherTool],
      tool_choice: 'none',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', tool_calls: [call('call_1')] },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
      ],
    });
    expect(input).not.toHaveProperty('toolConfig');
    expect(input.messages![1]).toEqual({ role: 'assistant', content: [{ text: '[called tool get_weather (call ID call_1) with arguments {"city":"Paris"}]' }] });
  });

  it('rewrites only the history of tools not offered in this request', async () => {
    const { input } = await prepare({
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [call('c1'), call('c2', 'old_tool', '{"a":1}')] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'c2', content: 'done' },
      ],
    });
    expect(input.messages!.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { toolUse: { toolUseId: 'c1', name: 'get_weather', input: { city: 'Paris' } } },
          { text: '[called tool old_tool (call ID c2) with arguments {"a":1}]' },
        ],
      },
      { role: 'user', content: [{ toolResult: { toolUseId: 'c1', content: [{ text: 'sunny' }] } }, { text: '[result of tool old_tool (call ID c2)]\ndone' }] },
    ]);
    expect(input.toolConfig!.tools!.map((t) => t.toolSpec!.name)).toEqual(['get_weather']);
  });

  it('rejects invalid JSON arguments naming the path', async () => {
    const err = await reject({
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [call('c1'), call('c2', 'get_weather', '{city:')] }],
    });
    expect(err.param).toBe('messages[1].tool_calls[1].function.arguments');
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('rejects arguments that are not a JSON object', async () => {
    const err = await reject({ tools: [weatherTool], messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [call('c1', 'get_weather', '[1]')] }] });
    expect(err.param).toBe('messages[1].tool_calls[0].function.arguments');
  });

  it('rejects a tool message answering no earlier tool call', async () => {
    const err = await reject({
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [call('c1')] },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
        { role: 'tool', tool_call_id: 'c9', content: 'ok' },
      ],
    });
    expect(err.param).toBe('messages[3].tool_call_id');
    expect(err.message).toContain('"c9"');
  });

  it('rejects a tool call left unanswered before the next message', async () => {
    const err = await reject({
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [call('c1'), call('c2')] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' }, { role: 'user', content: 'y' }],
    });
    expect(err.param).toBe('messages[3]');
    expect(err.message).toContain('c2');
  });

  it('rejects custom tool calls as unsupported', async () => {
    const err = await reject({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'x', input: 'y' } }] }] });
    expect(err.param).toBe('messages[1].tool_calls[0]');
    expect(err.code).toBe('unsupported_parameter');
  });
});

describe('legacy functions', () => {
  it('translates functions, function_call and role function messages to tools', async () => {
    const { input } = await prepare({
      functions: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      function_call: { name: 'get_weather' },
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        { role: 'function', name: 'get_weather', content: '-3C' },
      ],
    });
    expect(input.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
      toolChoice: { tool: { name: 'get_weather' } },
    });
    expect(input.messages!.slice(1)).toEqual([
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'call_legacy_1', name: 'get_weather', input: { city: 'Oslo' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'call_legacy_1', content: [{ text: '-3C' }] } }] },
    ]);
  });

  it('rejects a function message with no matching call', async () => {
    const err = await reject({ messages: [{ role: 'user', content: 'x' }, { role: 'function', name: 'f', content: 'r' }] });
    expect(err.param).toBe('messages[1].name');
  });

  it('rejects tools together with functions', async () => {
    expect((await reject({ tools: [weatherTool], functions: [{ name: 'f' }] })).param).toBe('functions');
  });
});

import { describe, expect, it } from 'vitest';
import { validateConverseRequest } from '../../../mock/spec/bedrock-validator.js';
import { NOVA2, PNG, ctxFor, dataUrl, prepare, toWire } from './helpers.js';

describe('outputs the Bedrock validator accepts', () => {
  it('the validator used by every test does reject what Nova rejects', () => {
    const bad = { messages: [{ role: 'assistant', content: [{ text: ' ' }] }] };
    expect(validateConverseRequest('Converse', 'amazon.nova-lite-v1:0', bad)).toMatch(/start with a user message/);
    const toolUseWithoutConfig = {
      messages: [
        { role: 'user', content: [{ text: 'x' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'a', name: 'f', input: {} } }] },
      ],
    };
    expect(validateConverseRequest('Converse', 'amazon.nova-lite-v1:0', toolUseWithoutConfig)).toMatch(/toolConfig field must be defined/);
  });

  it('a request using everything at once', async () => {
    const { input, state } = await prepare(
      {
        messages: [
          { role: 'developer', content: 'You are terse.' },
          { role: 'assistant', content: 'Hello, how can I help?' },
          { role: 'user', content: [{ type: 'text', text: 'What is in this image, and the weather there?' }, { type: 'image_url', image_url: { url: dataUrl('image/png', PNG), detail: 'low' } }] },
          { role: 'assistant', content: '', tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get-weather', arguments: '{"city":"Paris"}' } }, { id: 'call_b', type: 'function', function: { name: 'legacy.lookup', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'call_b', content: 'nothing' },
          { role: 'tool', tool_call_id: 'call_a', content: '' },
          { role: 'system', content: 'Keep it under 20 words.' },
          { role: 'user', content: 'Summarise as JSON.' },
          { role: 'assistant', content: '{"summary": ' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get-weather',
              parameters: { $schema: 'x', title: 'W', type: 'object', properties: { city: { $ref: '#/$defs/City' } }, $defs: { City: { type: 'string', title: 'City' } }, additionalProperties: false },
            },
          },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 's', schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] } } },
        temperature: 1.2,
        top_p: 0.8,
        top_k: 20,
        max_completion_tokens: 100_000,
        stop: ['\n\n'],
        reasoning_effort: 'medium',
        seed: 1,
        stream_options: { include_usage: true },
        parallel_tool_calls: false,
      },
      ctxFor(NOVA2, { bedrockModelId: 'global.amazon.nova-2-lite-v1:0' }),
    );
    expect(toWire(input)).toEqual({
      modelId: 'global.amazon.nova-2-lite-v1:0',
      system: [
        { text: 'You are terse.' },
        { text: 'Keep it under 20 words.' },
        { text: 'Use the other tools as needed; give your final answer only by calling the json_response tool, never as plain text.' },
      ],
      messages: [
        { role: 'user', content: [{ text: '(conversation start)' }] },
        { role: 'assistant', content: [{ text: 'Hello, how can I help?' }] },
        { role: 'user', content: [{ text: 'What is in this image, and the weather there?' }, { image: { format: 'png', source: { bytes: Buffer.from(PNG).toString('base64') } } }] },
        {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 'call_a', name: 'get_weather', input: { city: 'Paris' } } }, { text: '[called tool legacy.lookup (call ID call_b) with arguments {}]' }],
        },
        {
          role: 'user',
          content: [
            { text: '[result of tool legacy.lookup (call ID call_b)]\nnothing' },
            { toolResult: { toolUseId: 'call_a', content: [{ text: '(no output)' }] } },
            { text: 'Summarise as JSON.' },
          ],
        },
        { role: 'assistant', content: [{ text: '{"summary":' }] },
      ],
      inferenceConfig: { temperature: 1, topP: 0.8, maxTokens: 65_536, stopSequences: ['\n\n'] },
      toolConfig: {
        tools: [
          { toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string', title: 'City' } }, title: 'W', additionalProperties: false } } } },
          {
            toolSpec: {
              name: 'json_response',
              description: 'Give your final answer by calling this tool: its input is the answer and must follow the schema.',
              inputSchema: { json: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] } },
            },
          },
        ],
        toolChoice: { any: {} },
      },
      additionalModelRequestFields: { inferenceConfig: { topK: 20 }, reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' } },
    });
    expect(state).toEqual({
      toolNames: new Map([['get_weather', 'get-weather']]),
      jsonTool: 'json_response',
      stopSequences: ['\n\n'],
      parallelToolCalls: false,
      includeUsage: true,
      ignoredParams: ['seed'],
      adjustedParams: ['temperature', 'max_completion_tokens'],
    });
  });
});

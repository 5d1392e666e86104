import { describe, expect, it } from 'vitest';
import { LITE, NOVA2, ctxFor, prepare, reject } from './helpers.js';

const schema = {
  type: 'object',
  title: 'Answer',
  properties: { answer: { type: 'string' }, title: { type: 'string' }, score: { $ref: '#/$defs/Score' } },
  required: ['answer'],
  additionalProperties: false,
  $defs: { Score: { type: 'number', title: 'Score' } },
};
const jsonSchema = { type: 'json_schema', json_schema: { name: 'answer', description: 'The answer', strict: true, schema } };
const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const native = ctxFor({ ...NOVA2, structuredOutput: 'native' });

describe('response_format', () => {
  it('text → nothing', async () => {
    const { input, state } = await prepare({ response_format: { type: 'text' } });
    expect(input).not.toHaveProperty('toolConfig');
    expect(input).not.toHaveProperty('outputConfig');
    expect(state).not.toHaveProperty('jsonTool');
  });

  it('json_schema on a tool-mode model → forced json_response tool with the sanitised schema', async () => {
    const { input, state } = await prepare({ response_format: jsonSchema });
    expect(input.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'json_response',
            description: 'The answer',
            inputSchema: {
              json: { type: 'object', properties: { answer: { type: 'string' }, title: { type: 'string' }, score: { type: 'number', title: 'Score' } }, required: ['answer'], title: 'Answer', additionalProperties: false },
            },
          },
        },
      ],
      toolChoice: { tool: { name: 'json_response' } },
    });
    expect(state.jsonTool).toBe('json_response');
    expect(state.toolNames.size).toBe(0);
    expect(input).not.toHaveProperty('outputConfig');
  });

  it('json_object on a tool-mode model → forced tool with an object schema', async () => {
    const { input, state } = await prepare({ response_format: { type: 'json_object' } });
    expect(input.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'json_response',
            description: 'Give your final answer by calling this tool: its input is the answer, as a JSON object.',
            inputSchema: { json: { type: 'object' } },
          },
        },
      ],
      toolChoice: { tool: { name: 'json_response' } },
    });
    expect(state.jsonTool).toBe('json_response');
  });

  it('json_schema on a native model → outputConfig.textFormat', async () => {
    const { input, state } = await prepare({ response_format: jsonSchema }, native);
    expect(input.outputConfig).toEqual({
      textFormat: {
        type: 'json_schema',
        structure: {
          jsonSchema: {
            schema: JSON.stringify({ type: 'object', title: 'Answer', properties: { answer: { type: 'string' }, title: { type: 'string' }, score: { type: 'number', title: 'Score' } }, required: ['answer'], additionalProperties: false }),
            name: 'answer',
            description: 'The answer',
          },
        },
      },
    });
    expect(input).not.toHaveProperty('toolConfig');
    expect(state).not.toHaveProperty('jsonTool');
  });

  it('json_object on a native model → outputConfig with an object schema', async () => {
    const { input } = await prepare({ response_format: { type: 'json_object' } }, native);
    expect(input.outputConfig!.textFormat!.structure).toEqual({ jsonSchema: { schema: '{"type":"object"}', name: 'json_object' } });
  });

  it('with client tools and tool_choice auto: json tool added, toolChoice any, a system instruction', async () => {
    const { input, state } = await prepare({ response_format: jsonSchema, tools: [weather], messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Hi' }] });
    expect(input.toolConfig!.tools!.map((t) => t.toolSpec!.name)).toEqual(['get_weather', 'json_response']);
    expect(input.toolConfig!.toolChoice).toEqual({ any: {} });
    expect(input.system).toEqual([{ text: 'S' }, { text: 'Use the other tools as needed; give your final answer only by calling the json_response tool, never as plain text.' }]);
    expect(state.jsonTool).toBe('json_response');
  });

  it('with a forced client tool: no json tool, response_format listed as ignored', async () => {
    const { input, state } = await prepare({ response_format: jsonSchema, tools: [weather], tool_choice: 'required' });
    expect(input.toolConfig).toEqual({ tools: [expect.objectContaining({ toolSpec: expect.objectContaining({ name: 'get_weather' }) })], toolChoice: { any: {} } });
    expect(state).not.toHaveProperty('jsonTool');
    expect(state.ignoredParams).toEqual(['response_format']);
  });

  it('with tool_choice none: client tools dropped, json tool forced', async () => {
    const { input, state } = await prepare({ response_format: { type: 'json_object' }, tools: [weather], tool_choice: 'none' });
    expect(input.toolConfig!.tools!.map((t) => t.toolSpec!.name)).toEqual(['json_response']);
    expect(input.toolConfig!.toolChoice).toEqual({ tool: { name: 'json_response' } });
    expect(state.jsonTool).toBe('json_response');
  });

  it('the json tool name never collides with a client tool', async () => {
    const { input, state } = await prepare({
      response_format: jsonSchema,
      tools: [{ type: 'function', function: { name: 'json_response' } }],
    });
    expect(input.toolConfig!.tools!.map((t) => t.toolSpec!.name)).toEqual(['json_response', 'json_response_2']);
    expect(state.jsonTool).toBe('json_response_2');
  });

  it('rejects unknown types and non-object schemas', async () => {
    expect((await reject({ response_format: { type: 'xml' } })).param).toBe('response_format.type');
    expect((await reject({ response_format: { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'array' } } } })).param).toBe('response_format.json_schema.schema');
    expect((await reject({ response_format: 'json' })).param).toBe('response_format');
    expect((await reject({ response_format: { type: 'json_schema', json_schema: { name: 'a', strict: 'yes', schema: { type: 'object' } } } })).param).toBe('response_format.json_schema.strict');
    expect((await reject({ response_format: { type: 'json_schema' } })).param).toBe('response_format.json_schema');
  });

  it('uses the model capability, not the model name', async () => {
    const { input } = await prepare({ response_format: jsonSchema }, ctxFor(LITE));
    expect(input.toolConfig).toBeDefined();
  });
});

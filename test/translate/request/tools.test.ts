import { describe, expect, it } from 'vitest';
import { createToolNameMapper } from '../../../proxy/translate/tool-names.js';
import { sanitizeSchema } from '../../../proxy/translate/json-schema.js';
import { prepare, reject } from './helpers.js';

const fn = (name: string, parameters?: unknown, description?: string) => ({
  type: 'function',
  function: { name, ...(description !== undefined ? { description } : {}), ...(parameters !== undefined ? { parameters } : {}) },
});

describe('tools', () => {
  it('become toolSpecs; empty descriptions omitted; missing parameters become an empty object schema; strict ignored', async () => {
    const { input } = await prepare({
      tools: [
        { type: 'function', function: { name: 'lookup', description: 'Find a thing', strict: true, parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'], additionalProperties: false } } },
        fn('ping', undefined, ''),
      ],
    });
    expect(input.toolConfig).toEqual({
      tools: [
        // additionalProperties is kept: recorded as accepted (test/recorded).
        { toolSpec: { name: 'lookup', description: 'Find a thing', inputSchema: { json: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'], additionalProperties: false } } } },
        { toolSpec: { name: 'ping', inputSchema: { json: { type: 'object', properties: {} } } } },
      ],
    });
  });

  it('uses the schema description when the tool has none', async () => {
    const { input } = await prepare({ tools: [fn('t', { type: 'object', description: 'Does t', properties: {} })] });
    expect(input.toolConfig!.tools![0]!.toolSpec).toEqual({ name: 't', description: 'Does t', inputSchema: { json: { type: 'object', properties: {} } } });
  });

  it('maps names Nova rejects and records only changed names', async () => {
    const { input, state } = await prepare({
      tools: [fn('get-weather'), fn('get_weather'), fn('db.query'), fn('9lives'), fn('x'.repeat(70)), fn('ok_name')],
    });
    expect(input.toolConfig!.tools!.map((t) => t.toolSpec!.name)).toEqual(['get_weather_2', 'get_weather', 'db_query', 'fn_9lives', 'x'.repeat(64), 'ok_name']);
    expect(state.toolNames).toEqual(
      new Map([
        ['get_weather_2', 'get-weather'],
        ['db_query', 'db.query'],
        ['fn_9lives', '9lives'],
        ['x'.repeat(64), 'x'.repeat(70)],
      ]),
    );
  });

  it('rejects duplicate names, custom tools, and bad shapes', async () => {
    expect((await reject({ tools: [fn('a'), fn('a')] })).param).toBe('tools[1].function.name');
    const custom = await reject({ tools: [{ type: 'custom', custom: { name: 'c' } }] });
    expect([custom.param, custom.code]).toEqual(['tools[0]', 'unsupported_parameter']);
    expect((await reject({ tools: {} })).param).toBe('tools');
    expect((await reject({ tools: [{ type: 'function', function: { name: 3 } }] })).param).toBe('tools[0].function.name');
    expect((await reject({ tools: [fn('a', { type: 'array' })] })).param).toBe('tools[0].function.parameters');
  });
});

describe('tool_choice', () => {
  const tools = [fn('get-weather'), fn('other')];
  it.each([
    ['auto', { auto: {} }],
    ['required', { any: {} }],
    [{ type: 'function', function: { name: 'get-weather' } }, { tool: { name: 'get_weather' } }],
  ])('%j → %j', async (choice, expected) => {
    const { input } = await prepare({ tools, tool_choice: choice });
    expect(input.toolConfig!.toolChoice).toEqual(expected);
    expect(input.toolConfig!.tools).toHaveLength(2);
  });

  it('absent → no toolChoice (Converse defaults to auto)', async () => {
    const { input } = await prepare({ tools });
    expect(input.toolConfig).not.toHaveProperty('toolChoice');
  });

  it('none → no toolConfig at all', async () => {
    const { input } = await prepare({ tools, tool_choice: 'none' });
    expect(input).not.toHaveProperty('toolConfig');
  });

  it('allowed_tools restricts the tools sent', async () => {
    const { input } = await prepare({ tools, tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'other' } }] } } });
    expect(input.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'other', inputSchema: { json: { type: 'object', properties: {} } } } }], toolChoice: { any: {} } });
  });

  it('rejects unknown names, bad values and forcing without tools', async () => {
    expect((await reject({ tools, tool_choice: { type: 'function', function: { name: 'nope' } } })).param).toBe('tool_choice.function.name');
    expect((await reject({ tools, tool_choice: 'always' })).param).toBe('tool_choice');
    expect((await reject({ tool_choice: 'required' })).param).toBe('tool_choice');
  });

  it('parallel_tool_calls false is recorded for the response side', async () => {
    expect((await prepare({ tools, parallel_tool_calls: false })).state.parallelToolCalls).toBe(false);
    expect((await prepare({ tools })).state.parallelToolCalls).toBe(true);
    expect((await reject({ parallel_tool_calls: 'no' })).param).toBe('parallel_tool_calls');
  });
});

describe('tool-name mapper', () => {
  it('is stable, unique and reserves our own names', () => {
    const m = createToolNameMapper(['json_response', 'a_b']);
    expect(m.safe('a-b')).toBe('a_b_2');
    expect(m.safe('a-b')).toBe('a_b_2');
    expect(m.safe('a.b')).toBe('a_b_3');
    expect(m.reserve('json_response')).toBe('json_response_2');
    expect(m.safe('_x')).toBe('fn__x');
  });
});

describe('schema sanitising', () => {
  it('inlines $defs/definitions refs and drops keywords Nova may reject, keeping title (recorded as accepted)', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:x',
      title: 'Book',
      type: 'object',
      properties: {
        title: { type: 'string', title: 'Title', examples: ['Dune'] },
        author: { $ref: '#/$defs/Person', description: 'Who wrote it' },
        editors: { type: 'array', items: { $ref: '#/definitions/Person' } },
        meta: { anyOf: [{ $ref: '#/$defs/Person' }, { type: 'null' }], $comment: 'c' },
      },
      required: ['title'],
      $defs: { Person: { title: 'Person', type: 'object', properties: { name: { type: 'string' }, definitions: { type: 'string' } } } },
      definitions: { Person: { type: 'object', properties: { name: { type: 'string' } } } },
    };
    const person = { title: 'Person', type: 'object', properties: { name: { type: 'string' }, definitions: { type: 'string' } } };
    expect(sanitizeSchema(schema, 'p', 'tool')).toEqual({
      schema: {
        type: 'object',
        title: 'Book',
        properties: {
          title: { type: 'string', title: 'Title' },
          author: { ...person, description: 'Who wrote it' },
          editors: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
          meta: { anyOf: [person, { type: 'null' }] },
        },
        required: ['title'],
      },
    });
  });

  it('output mode keeps the top level (except dropped keywords)', () => {
    expect(sanitizeSchema({ title: 'X', $id: 'urn:x', type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false }, 'p', 'output').schema).toEqual({
      title: 'X',
      type: 'object',
      properties: { a: { type: 'integer' } },
      additionalProperties: false,
    });
  });

  it('rejects recursive and remote refs with an explanation', () => {
    const recursive = { type: 'object', properties: { node: { $ref: '#/$defs/Node' } }, $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } } } };
    expect(() => sanitizeSchema(recursive, 'tools[0].function.parameters', 'tool')).toThrow(/recursive/);
    expect(() => sanitizeSchema({ type: 'object', properties: { me: { $ref: '#' } } }, 'p', 'tool')).toThrow(/recursive/);
    expect(() => sanitizeSchema({ type: 'object', properties: { a: { $ref: 'https://x/y.json' } } }, 'p', 'tool')).toThrow(/not a local reference/);
    expect(() => sanitizeSchema({ type: 'object', properties: { a: { $ref: '#/$defs/Missing' } } }, 'p', 'tool')).toThrow(/points to nothing/);
  });

  it('reports recursive refs in tools as a 400 naming the tool parameters', async () => {
    const err = await reject({ tools: [fn('tree', { type: 'object', properties: { n: { $ref: '#/definitions/N' } }, definitions: { N: { type: 'object', properties: { k: { $ref: '#/definitions/N' } } } } })] });
    expect(err.param).toBe('tools[0].function.parameters');
    expect(err.message).toMatch(/recursive/);
  });

  it('does not mutate the client schema', () => {
    const schema = { type: 'object', title: 'T', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { type: 'string', title: 'A' } } };
    const copy = structuredClone(schema);
    sanitizeSchema(schema, 'p', 'tool');
    expect(schema).toEqual(copy);
  });
});

describe('schema expansion limit', () => {
  it('rejects a tiny schema whose $refs expand exponentially', () => {
    const $defs: Record<string, unknown> = { d0: { type: 'string' } };
    for (let i = 1; i <= 22; i++) $defs[`d${i}`] = { type: 'object', properties: { a: { $ref: `#/$defs/d${i - 1}` }, b: { $ref: `#/$defs/d${i - 1}` } } };
    const schema = { type: 'object', properties: { root: { $ref: '#/$defs/d22' } }, $defs };
    expect(JSON.stringify(schema).length).toBeLessThan(3000);
    expect(() => sanitizeSchema(schema, 'tools[0].function.parameters', 'tool')).toThrow(/larger than 20000 nodes/);
    // A normal shared definition still inlines.
    const ok = sanitizeSchema({ type: 'object', properties: { a: { $ref: '#/$defs/x' }, b: { $ref: '#/$defs/x' } }, $defs: { x: { type: 'string' } } }, 'p', 'tool');
    expect(ok.schema.properties).toEqual({ a: { type: 'string' }, b: { type: 'string' } });
  });
});

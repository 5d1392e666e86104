/**
 * Nesting depth and sizes in requests: schemas, `not` chains, tool-call arguments and
 * keyword values nested thousands deep, and huge content-part lists, are 400s naming the
 * parameter and the limit — never a stack overflow (which used to surface as a 500). Both
 * as translation units and through the HTTP proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONTENT_PARTS, MAX_JSON_DEPTH } from '../../../proxy/translate/validate.js';
import { startProxyRig, post, type ProxyRig } from '../../support/proxy.js';
import { validateOpenAI } from '../../../mock/spec/openai-validator.js';
import { prepare, reject } from './helpers.js';

/*
 * Built as JSON text, and parsed: JSON.parse handles any depth, JSON.stringify (and any
 * recursive walk) does not — which is the point of these cases.
 */
const nest = (open: string, inner: string, close: string, levels: number) => open.repeat(levels) + inner + close.repeat(levels);
/** `{type: object, properties: {a: {…}}}` nested `levels` schemas deep. */
const nestedSchemaJson = (levels: number) => nest('{"type":"object","properties":{"a":', '{"type":"string"}', '}}', levels);
const nestedSchema = (levels: number): Record<string, unknown> => JSON.parse(nestedSchemaJson(levels));
const notChain = (levels: number): Record<string, unknown> => JSON.parse(`{"type":"object","properties":{"x":${nest('{"not":', '{"type":"string"}', '}', levels)}}}`);
const nestedValueJson = (levels: number) => nest('{"a":', '1', '}', levels);
const nestedValue = (levels: number): unknown => JSON.parse(nestedValueJson(levels));

const tool = (parameters: unknown) => ({ type: 'function', function: { name: 'f', parameters } });
const toolCallTurn = (args: string) => [
  { role: 'user', content: 'go' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }] },
  { role: 'tool', tool_call_id: 'call_1', content: 'done' },
];

/** The request bodies that used to overflow the stack, each with the parameter its 400 must name. */
const hostile: Array<[string, Record<string, unknown>, RegExp]> = [
  ['a tool schema 3,000 levels deep', { tools: [tool(nestedSchema(3000))] }, /^tools\[0\]\.function\.parameters$/],
  ['a tool schema 10,000 levels deep', { tools: [tool(nestedSchema(10_000))] }, /^tools\[0\]\.function\.parameters$/],
  ['a 3,000-deep not chain', { tools: [tool(notChain(3000))] }, /^tools\[0\]\.function\.parameters$/],
  [
    'a response schema 5,000 levels deep',
    { response_format: { type: 'json_schema', json_schema: { name: 'r', schema: nestedSchema(5000) } } },
    /^response_format\.json_schema\.schema$/,
  ],
  ['an enum value 3,000 levels deep', { tools: [tool({ type: 'object', properties: { e: { enum: [nestedValue(3000)] } } })] }, /^tools\[0\]\.function\.parameters$/],
  ['tool-call arguments 3,000 levels deep', { tools: [tool({})], messages: toolCallTurn(nestedValueJson(3000)) }, /^messages\[1\]\.tool_calls\[0\]\.function\.arguments$/],
  [
    'more content parts in one message than the limit',
    { messages: [{ role: 'user', content: Array.from({ length: MAX_CONTENT_PARTS + 1 }, () => ({ type: 'text', text: 'x' })) }] },
    /^messages\[0\]\.content$/,
  ],
];

describe('depth and size bounds in translation', () => {
  it.each(hostile)('%s → 400 naming the parameter and the limit', async (_label, b, param) => {
    const err = await reject(b);
    expect(err.param).toMatch(param);
    expect(err.message).toMatch(new RegExp(`${MAX_JSON_DEPTH}|${MAX_CONTENT_PARTS}`));
  });

  it('a $ref whose definition is deep is measured where it is inlined', async () => {
    // 96 levels below its root: fits where first inlined (depth 3), not 2 levels deeper.
    const deep = nestedSchema(48);
    const schema = { type: 'object', properties: { shallow: { $ref: '#/$defs/d' }, nested: { type: 'object', properties: { again: { $ref: '#/$defs/d' } } } }, $defs: { d: deep } };
    const err = await reject({ tools: [tool(schema)] });
    expect(err.message).toContain(`nested more than ${MAX_JSON_DEPTH} levels`);
  });

  it('real-world depths pass', async () => {
    const out = await prepare({ tools: [tool(nestedSchema(20))], messages: toolCallTurn(nestedValueJson(40)) });
    expect(out.input.toolConfig?.tools).toHaveLength(1);
  });

  it('many parts across merged messages are fine (no spread push)', async () => {
    const parts = Array.from({ length: MAX_CONTENT_PARTS }, (_, i) => ({ type: 'text', text: `p${i}` }));
    const out = await prepare({ messages: [{ role: 'user', content: 'first' }, { role: 'user', content: parts }, { role: 'user', content: parts }] });
    expect(out.input.messages![0]!.content).toHaveLength(1 + 2 * MAX_CONTENT_PARTS);
  });
});

/** JSON.stringify without recursion, for the deep cases: an explicit stack of values and raw text. */
class Raw {
  constructor(readonly text: string) {}
}
function toJsonText(value: unknown): string {
  let out = '';
  const todo: unknown[] = [value];
  while (todo.length) {
    const v = todo.pop();
    if (v instanceof Raw) out += v.text;
    else if (Array.isArray(v)) {
      out += '[';
      todo.push(new Raw(']'));
      for (let i = v.length - 1; i >= 0; i--) {
        todo.push(v[i]);
        if (i > 0) todo.push(new Raw(','));
      }
    } else if (typeof v === 'object' && v !== null) {
      out += '{';
      todo.push(new Raw('}'));
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        todo.push(entries[i]![1], new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(entries[i]![0])}:`));
      }
    } else out += JSON.stringify(v);
  }
  return out;
}

describe('through the proxy: 400, never 500', () => {
  let rig: ProxyRig;
  beforeAll(async () => {
    rig = await startProxyRig();
  });
  afterAll(async () => rig?.close());

  it.each(hostile)('%s', async (_label, b, param) => {
    const before = rig.fake.requests.length;
    const res = await post(rig.origin, '/v1/chat/completions', toJsonText({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...b }));
    expect(res.status).toBe(400);
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
    expect(res.json.error.param).toMatch(param);
    expect(rig.fake.requests.length).toBe(before);
  });
});

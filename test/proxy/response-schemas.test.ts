/**
 * The response schemas make Fastify serialise faster, never differently: for completions the
 * translation produces (text, tool calls, reasoning, JSON emulation, usage with cache reads)
 * and for objects carrying fields the schemas do not list, the body is exactly JSON.stringify's.
 * The serialisers are the app's: generated ahead of time (scripts/serializers.mjs), and the
 * generated file must be what the script makes from today's schemas.
 */
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import * as schemas from '../../proxy/routes/response-schemas.js';
import { chatCompletionSchema, modelListSchema } from '../../proxy/routes/response-schemas.js';
import { schemaController } from '../../proxy/routes/response-serializers.js';
import { toChatCompletion } from '../../proxy/translate/convert-response.js';
import type { TranslationState } from '../../proxy/translate/types.js';

async function serialised(schema: object, values: unknown[]): Promise<string[]> {
  const app = Fastify({ schemaController });
  let next = 0;
  app.get('/x', { schema: { response: { 200: schema } } }, async () => values[next++]);
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) out.push((await app.inject({ method: 'GET', url: '/x' })).body);
  await app.close();
  return out;
}

const state = (over: Partial<TranslationState> = {}): TranslationState => ({ toolNames: new Map(), stopSequences: ['END'], parallelToolCalls: true, includeUsage: false, ignoredParams: [], adjustedParams: [], ...over });

function outputs(): [ConverseCommandOutput, TranslationState][] {
  const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15, cacheReadInputTokens: 3 };
  const o = (content: object[], stopReason = 'end_turn'): ConverseCommandOutput => ({ $metadata: {}, output: { message: { role: 'assistant', content: content as never } }, stopReason: stopReason as never, usage, metrics: { latencyMs: 1 } });
  return [
    [o([{ text: 'Hello "there" ✓ \u2028 😀 \u0000' }]), state()],
    [o([{ text: 'pre' }, { toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris', n: [1, null, { x: 'é' }] } } }], 'tool_use'), state()],
    [o([{ toolUse: { toolUseId: 't2', name: 'f', input: {} } }, { toolUse: { toolUseId: 't3', name: 'g', input: { a: 1 } } }], 'tool_use'), state()],
    [o([{ reasoningContent: { reasoningText: { text: 'thinking…' } } }, { text: 'answer END' }], 'stop_sequence'), state()],
    [o([{ toolUse: { toolUseId: 't4', name: 'json_response', input: { greeting: 'hi' } } }], 'tool_use'), state({ jsonTool: 'json_response' })],
    [o([{ text: '' }], 'max_tokens'), state()],
  ];
}

describe('response schemas serialise exactly like JSON.stringify', () => {
  it('chat completions from the translation', async () => {
    const completions = outputs().map(([out, st], i) => toChatCompletion(out, st, { id: `chatcmpl-${i}`, created: 1700000000 + i, model: i % 2 ? 'gpt-4o' : 'm "ü"' }));
    const bodies = await serialised(chatCompletionSchema, completions);
    expect(bodies).toEqual(completions.map((c) => JSON.stringify(c)));
  });

  it('objects with fields the schema does not list', async () => {
    const base = toChatCompletion(outputs()[1]![0], state(), { id: 'c', created: 1, model: 'm' });
    const odd = [
      { ...base, system_fingerprint: 'fp', service_tier: 'default' },
      { ...base, choices: [{ ...base.choices[0]!, message: { ...base.choices[0]!.message, annotations: [{ type: 'url' }], audio: null } }] },
      { ...base, usage: { ...base.usage!, completion_tokens_details: { reasoning_tokens: 2 } } },
      { ...base, choices: [{ ...base.choices[0]!, logprobs: { content: [{ token: 'a', logprob: -1 }] } }] },
    ];
    expect(await serialised(chatCompletionSchema, odd)).toEqual(odd.map((c) => JSON.stringify(c)));
  });

  it('the model list', async () => {
    const lists = [{ object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1733184000, owned_by: 'nova-migrate' }, { id: 'amazon.nova-pro-v1:0', object: 'model', created: 1733184000, owned_by: 'amazon', extra: 1 }] }];
    expect(await serialised(modelListSchema, lists)).toEqual(lists.map((l) => JSON.stringify(l)));
  });
});

describe('generated serialisers', () => {
  const script = fileURLToPath(new URL('../../scripts/serializers.mjs', import.meta.url));

  it('the committed file is what the script generates from the schemas today', async () => {
    await expect(promisify(execFile)(process.execPath, [script, '--check'])).resolves.toBeDefined();
  });

  it('a changed schema changes the generated code (so a stale file is caught)', async () => {
    const { generate } = (await import(pathToFileURL(script).href)) as { generate: (s: Record<string, object>) => string };
    const today = generate({ ...schemas });
    expect(generate({ ...schemas, modelSchema: { ...schemas.modelSchema, properties: { ...schemas.modelSchema.properties, extra: { type: 'string' } } } })).not.toBe(today);
  });

  it('a schema without a generated serialiser, or a request-validation schema, fails at start-up', async () => {
    const noSerializer = Fastify({ schemaController });
    noSerializer.get('/x', { schema: { response: { 200: { type: 'object' } } } }, async () => ({}));
    await expect(noSerializer.ready()).rejects.toThrow(/without a generated serialiser/);
    const validated = Fastify({ schemaController });
    validated.post('/y', { schema: { body: { type: 'object' } } }, async () => ({}));
    await expect(validated.ready()).rejects.toThrow(/request-validation schemas are not used/);
  });
});

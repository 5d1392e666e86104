import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { assertOpenAI, OpenAISchemaError, pointerToParam, validateOpenAI } from '../../mock/spec/openai-validator.js';

const goodCompletion: ChatCompletion = {
  id: 'chatcmpl-abc',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello!', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
    {
      index: 1,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  system_fingerprint: 'fp_123',
  service_tier: 'default',
};

const goodChunk: ChatCompletionChunk = {
  id: 'chatcmpl-abc',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }, logprobs: null, finish_reason: null }],
  usage: null,
};

const clone = <T>(v: T): T => structuredClone(v);

describe('validateOpenAI: responses', () => {
  it('accepts a realistic completion (text and tool-call choices)', () => {
    expect(validateOpenAI('CreateChatCompletionResponse', goodCompletion)).toEqual([]);
  });

  it('rejects a bad finish_reason with its JSON path', () => {
    const bad = clone(goodCompletion) as unknown as { choices: { finish_reason: string }[] };
    bad.choices[0]!.finish_reason = 'done';
    const errors = validateOpenAI('CreateChatCompletionResponse', bad);
    expect(errors[0]).toMatch(/^\$\.choices\[0\]\.finish_reason: must be equal to one of the allowed values/);
    expect(errors[0]).toContain('"done"');
  });

  it('rejects a missing message.content (required, nullable) and a non-string tool arguments', () => {
    const bad = clone(goodCompletion) as unknown as { choices: { message: Record<string, unknown> }[] };
    delete bad.choices[0]!.message.content;
    (bad.choices[1]!.message.tool_calls as { function: { arguments: unknown } }[])[0]!.function.arguments = { city: 'Paris' };
    const errors = validateOpenAI('CreateChatCompletionResponse', bad);
    expect(errors).toContain("$.choices[0].message: must have required property 'content'");
    expect(errors.some((e) => e.startsWith('$.choices[1].message.tool_calls[0].function.arguments: must be string'))).toBe(true);
  });

  it('rejects the wrong object type and a non-integer created', () => {
    const bad = { ...clone(goodCompletion), object: 'chat.completion.chunk', created: 1.5 };
    const errors = validateOpenAI('CreateChatCompletionResponse', bad);
    expect(errors.some((e) => e.startsWith('$.object:'))).toBe(true);
    expect(errors.some((e) => e.startsWith('$.created:'))).toBe(true);
  });
});

describe('validateOpenAI: stream chunks', () => {
  it('accepts a tool-call argument fragment and a usage-only chunk', () => {
    expect(validateOpenAI('CreateChatCompletionStreamResponse', goodChunk)).toEqual([]);
    const usageChunk = { ...goodChunk, choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } };
    expect(validateOpenAI('CreateChatCompletionStreamResponse', usageChunk)).toEqual([]);
  });

  it('rejects a tool-call delta without index and a chunk without finish_reason', () => {
    const bad = clone(goodChunk) as unknown as { choices: Record<string, unknown>[] };
    const delta = bad.choices[0]!.delta as { tool_calls: Record<string, unknown>[] };
    delete delta.tool_calls[0]!.index;
    delete bad.choices[0]!.finish_reason;
    const errors = validateOpenAI('CreateChatCompletionStreamResponse', bad);
    expect(errors).toContain("$.choices[0].delta.tool_calls[0]: must have required property 'index'");
    expect(errors).toContain("$.choices[0]: must have required property 'finish_reason'");
  });

  it('rejects a delta role outside the enum', () => {
    const bad = clone(goodChunk);
    (bad.choices[0]!.delta as Record<string, unknown>).role = 'robot';
    expect(validateOpenAI('CreateChatCompletionStreamResponse', bad)[0]).toMatch(/^\$\.choices\[0\]\.delta\.role:/);
  });
});

describe('validateOpenAI: errors and models', () => {
  const goodError = { error: { message: 'Rate limit', type: 'requests', param: null, code: 'rate_limit_exceeded' } };

  it('accepts OpenAI error bodies and rejects ones missing param/code', () => {
    expect(validateOpenAI('ErrorResponse', goodError)).toEqual([]);
    expect(validateOpenAI('ErrorResponse', { error: { message: 'x', type: 'y' } })).toEqual([
      "$.error: must have required property 'param'",
      "$.error: must have required property 'code'",
    ]);
    expect(validateOpenAI('ErrorResponse', { message: 'x' })).toEqual(["$: must have required property 'error'"]);
  });

  it('validates the models list and a model', () => {
    const model = { id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' };
    expect(validateOpenAI('ListModelsResponse', { object: 'list', data: [model] })).toEqual([]);
    expect(validateOpenAI('Model', model)).toEqual([]);
    expect(validateOpenAI('ListModelsResponse', { object: 'list', data: [{ ...model, object: 'engine' }] })[0]).toMatch(/^\$\.data\[0\]\.object:/);
  });
});

describe('validateOpenAI: requests (OpenAPI nullability, discriminators)', () => {
  const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

  it('accepts explicit nulls where the spec says nullable (3.0 `nullable` rewritten by the trim script)', () => {
    const req = { ...base, n: null, max_tokens: null, max_completion_tokens: null, temperature: null, stop: null, seed: null, stream: null };
    expect(validateOpenAI('CreateChatCompletionRequest', req)).toEqual([]);
  });

  it('rejects out-of-range temperature and missing messages', () => {
    expect(validateOpenAI('CreateChatCompletionRequest', { ...base, temperature: 5 })[0]).toBe('$.temperature: must be <= 2 (got 5)');
    expect(validateOpenAI('CreateChatCompletionRequest', { model: 'gpt-4o' })).toEqual(["$: must have required property 'messages'"]);
    expect(validateOpenAI('CreateChatCompletionRequest', { ...base, n: 0 })[0]).toBe('$.n: must be >= 1 (got 0)');
  });

  it('reports the discriminated branch, not every branch', () => {
    const bad = { ...base, messages: [{ role: 'tool', content: 'x' }] }; // tool message without tool_call_id
    expect(validateOpenAI('CreateChatCompletionRequest', bad)).toEqual(["$.messages[0]: must have required property 'tool_call_id'"]);
    const badRole = { ...base, messages: [{ role: 'bot', content: 'x' }] };
    expect(validateOpenAI('CreateChatCompletionRequest', badRole)[0]).toMatch(/^\$\.messages\[0\]: value of tag "role" must be in oneOf/);
  });

  it('puts the most specific error first for non-discriminated unions', () => {
    const bad = { ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] };
    expect(validateOpenAI('CreateChatCompletionRequest', bad)[0]).toBe("$.messages[0].content[0].image_url: must have required property 'url'");
  });
});

describe('assertOpenAI and helpers', () => {
  it('throws an OpenAISchemaError listing the errors', () => {
    expect(() => assertOpenAI('CreateChatCompletionResponse', goodCompletion)).not.toThrow();
    expect(() => assertOpenAI('CreateChatCompletionResponse', {})).toThrow(OpenAISchemaError);
    expect(() => assertOpenAI('CreateChatCompletionResponse', {})).toThrow(/must have required property 'choices'/);
  });

  it('converts JSON pointers to OpenAI param paths', () => {
    expect(pointerToParam('/messages/2/content/0/image_url')).toBe('messages[2].content[0].image_url');
    expect(pointerToParam('')).toBe('');
  });
});

describe('specs/openai-chat.json', () => {
  const spec = JSON.parse(readFileSync(new URL('../../specs/openai-chat.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const text = JSON.stringify(spec);

  it('records its source and keeps structure only', () => {
    expect(spec.$source).toMatchObject({ repository: 'openai/openai-openapi', commit: 'f85dbe223d40', licence: 'MIT', script: 'specs/trim-openai.mjs' });
    expect(text).not.toMatch(/"nullable"|"x-oai|"x-stainless|"example"|"externalDocs"/);
  });

  it('has every $ref target', () => {
    const schemas = (spec.components as { schemas: Record<string, unknown> }).schemas;
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !(r in schemas))).toEqual([]);
  });
});

const sharedSpecs = fileURLToPath(new URL('../../../shared/specs', import.meta.url));
describe.skipIf(!existsSync(join(sharedSpecs, 'openai-openapi.json')))('specs/trim-openai.mjs', () => {
  it('regenerates exactly the committed openai-chat.json from the original', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-openai-'));
    try {
      const out = join(dir, 'openai-chat.json');
      const script = fileURLToPath(new URL('../../specs/trim-openai.mjs', import.meta.url));
      execFileSync(process.execPath, [script, sharedSpecs, out], { stdio: 'pipe' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(new URL('../../specs/openai-chat.json', import.meta.url), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

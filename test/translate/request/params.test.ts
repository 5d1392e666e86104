import { describe, expect, it } from 'vitest';
import { LITE, MICRO, NOVA2, ctxFor, prepare, reject } from './helpers.js';

describe('temperature', () => {
  it.each([
    [0, 0, []],
    [0.7, 0.7, []],
    [1, 1, []],
    [1.5, 1, ['temperature']],
    [2, 1, ['temperature']],
  ])('%s → %s', async (t, expected, adjusted) => {
    const { input, state } = await prepare({ temperature: t });
    expect(input.inferenceConfig).toEqual({ temperature: expected });
    expect(state.adjustedParams).toEqual(adjusted);
  });

  it.each([-0.1, 2.01, '1'])('rejects %j', async (t) => {
    expect((await reject({ temperature: t })).param).toBe('temperature');
  });

  it('null means absent', async () => {
    const { input } = await prepare({ temperature: null, top_p: null, max_tokens: null, stop: null });
    expect(input).not.toHaveProperty('inferenceConfig');
  });
});

describe('inference parameters', () => {
  it('top_p → topP; max_completion_tokens wins over max_tokens', async () => {
    const { input, state } = await prepare({ top_p: 0.9, max_tokens: 100, max_completion_tokens: 200 });
    expect(input.inferenceConfig).toEqual({ topP: 0.9, maxTokens: 200 });
    expect(state.ignoredParams).toEqual(['max_tokens']);
  });

  it('clamps max tokens to the model limit', async () => {
    const { input, state } = await prepare({ max_tokens: 16_384 });
    expect(input.inferenceConfig).toEqual({ maxTokens: LITE.maxOutputTokens });
    expect(state.adjustedParams).toEqual(['max_tokens']);
  });

  it.each([
    [{ top_p: 1.5 }, 'top_p'],
    [{ max_tokens: 0 }, 'max_tokens'],
    [{ max_completion_tokens: 1.5 }, 'max_completion_tokens'],
    [{ stop: 5 }, 'stop'],
    [{ stop: ['a', 3] }, 'stop[1]'],
    [{ top_k: 0 }, 'top_k'],
    [{ top_k: 129 }, 'top_k'],
    [{ top_k: 2.5 }, 'top_k'],
  ])('rejects %j', async (b, param) => {
    expect((await reject(b)).param).toBe(param);
  });

  it('stop → stopSequences and state.stopSequences', async () => {
    const one = await prepare({ stop: 'END' });
    expect(one.input.inferenceConfig).toEqual({ stopSequences: ['END'] });
    expect(one.state.stopSequences).toEqual(['END']);
    const many = await prepare({ stop: ['\n\n', '', 'Q:', 'Q:'] });
    expect(many.input.inferenceConfig).toEqual({ stopSequences: ['\n\n', 'Q:'] });
    expect(many.state.stopSequences).toEqual(['\n\n', 'Q:']);
  });

  it('top_k → additionalModelRequestFields.inferenceConfig.topK', async () => {
    const { input } = await prepare({ top_k: 40 });
    expect(input.additionalModelRequestFields).toEqual({ inferenceConfig: { topK: 40 } });
  });
});

describe('reasoning_effort', () => {
  it.each([
    ['low', 'low', []],
    ['medium', 'medium', []],
    ['high', 'high', []],
    ['xhigh', 'high', ['reasoning_effort']],
  ])('%s → reasoningConfig %s on Nova 2', async (effort, level, adjusted) => {
    const { input, state } = await prepare({ reasoning_effort: effort, top_k: 5 }, ctxFor(NOVA2));
    expect(input.additionalModelRequestFields).toEqual({ inferenceConfig: { topK: 5 }, reasoningConfig: { type: 'enabled', maxReasoningEffort: level } });
    expect(state.adjustedParams).toEqual(adjusted);
  });

  it.each([
    ['none', []],
    ['minimal', ['reasoning_effort']],
  ])('%s does not enable reasoning, on any model (adjusted: %j)', async (effort, adjusted) => {
    for (const model of [NOVA2, MICRO]) {
      const { input, state } = await prepare({ reasoning_effort: effort }, ctxFor(model));
      expect(input).not.toHaveProperty('additionalModelRequestFields');
      expect(state.adjustedParams).toEqual(adjusted);
    }
  });

  // Recorded: Bedrock refuses maxTokens with high effort (test/recorded, amazon-bedrock-nova-2-high-reasoning-validation-error.json).
  it.each([
    [{ reasoning_effort: 'high', max_tokens: 1024 }, undefined, ['max_tokens']],
    [{ reasoning_effort: 'high', max_completion_tokens: 100_000 }, undefined, ['max_completion_tokens']],
    [{ reasoning_effort: 'xhigh', max_completion_tokens: 50, temperature: 0.5 }, { temperature: 0.5 }, ['reasoning_effort', 'max_completion_tokens']],
    [{ reasoning_effort: 'medium', max_tokens: 1024 }, { maxTokens: 1024 }, []],
    [{ reasoning_effort: 'low', max_completion_tokens: 10 }, { maxTokens: 10 }, []],
  ])('%j → inferenceConfig %j, adjusted %j', async (params, inferenceConfig, adjusted) => {
    const { input, state } = await prepare(params, ctxFor(NOVA2));
    expect(input.inferenceConfig).toEqual(inferenceConfig);
    expect(state.adjustedParams).toEqual(adjusted);
  });

  it('rejects reasoning on models without it, naming the model', async () => {
    const err = await reject({ reasoning_effort: 'high' }, ctxFor(LITE));
    expect(err.param).toBe('reasoning_effort');
    expect(err.code).toBe('unsupported_parameter');
    expect(err.message).toBe('amazon.nova-lite-v1:0 does not support reasoning_effort; models that do: amazon.nova-2-lite-v1:0');
  });

  it('rejects unknown values', async () => {
    expect((await reject({ reasoning_effort: 'extreme' }, ctxFor(NOVA2))).param).toBe('reasoning_effort');
  });
});

describe('unsupported and ignored parameters', () => {
  it.each([
    [{ n: 2 }, 'n'],
    [{ logprobs: true }, 'logprobs'],
    [{ top_logprobs: 3 }, 'top_logprobs'],
    [{ audio: { voice: 'alloy', format: 'mp3' } }, 'audio'],
    [{ modalities: ['text', 'audio'] }, 'modalities'],
    [{ prediction: { type: 'content', content: 'x' } }, 'prediction'],
    [{ web_search_options: {} }, 'web_search_options'],
    [{ moderation: { model: 'omni-moderation-latest' } }, 'moderation'],
  ])('%j → 400 unsupported_parameter', async (b, param) => {
    const err = await reject(b);
    expect([err.param, err.code]).toEqual([param, 'unsupported_parameter']);
  });

  it('accepts harmless defaults without listing them', async () => {
    const { state } = await prepare({
      n: 1, logprobs: false, top_logprobs: 0, modalities: ['text'], audio: null, presence_penalty: 0, frequency_penalty: 0,
      store: false, logit_bias: {}, metadata: {}, stream: true, service_tier: 'auto',
    });
    expect(state.ignoredParams).toEqual([]);
  });

  it('lists ignored parameters, including unknown ones', async () => {
    const { input, state } = await prepare({
      seed: 42, user: 'u1', metadata: { a: 'b' }, store: true, service_tier: 'flex', logit_bias: { '50256': -100 },
      presence_penalty: 0.5, frequency_penalty: -0.5, safety_identifier: 's', prompt_cache_key: 'k', prompt_cache_retention: '24h',
      verbosity: 'low', some_vendor_flag: true,
    });
    expect(state.ignoredParams).toEqual([
      'seed', 'user', 'metadata', 'store', 'service_tier', 'logit_bias', 'presence_penalty', 'frequency_penalty',
      'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention', 'verbosity', 'some_vendor_flag',
    ]);
    expect(Object.keys(input).sort()).toEqual(['messages', 'modelId']);
  });

  it('validates ignored parameters as OpenAI does: metadata (16 string values, 64-character keys, 512-character values), service_tier', async () => {
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect((await prepare({ metadata: Object.fromEntries(Object.entries(many).slice(0, 16)) })).state.ignoredParams).toEqual(['metadata']);
    expect(await reject({ metadata: many })).toMatchObject({ param: 'metadata', code: 'object_above_max_properties' });
    expect(await reject({ metadata: { ['k'.repeat(65)]: 'v' } })).toMatchObject({ param: 'metadata', code: 'invalid_value' });
    expect(await reject({ metadata: { a: { url: 'x' } } })).toMatchObject({ param: 'metadata.a', code: 'invalid_type' });
    expect(await reject({ metadata: { a: 1 } })).toMatchObject({ param: 'metadata.a', code: 'invalid_type' });
    expect(await reject({ metadata: { a: 'v'.repeat(513) } })).toMatchObject({ param: 'metadata.a', code: 'string_above_max_length' });
    expect((await reject({ metadata: [] })).param).toBe('metadata');
    for (const tier of ['flex', 'scale', 'priority', 'fast']) expect((await prepare({ service_tier: tier })).state.ignoredParams).toEqual(['service_tier']);
    expect((await reject({ service_tier: 'x' })).param).toBe('service_tier');
    expect((await reject({ service_tier: 'ultrafast' })).param).toBe('service_tier');
    expect((await prepare({ verbosity: 'low' })).state.ignoredParams).toEqual(['verbosity']);
    expect((await reject({ verbosity: 'loud' })).param).toBe('verbosity');
  });

  it('validates the types of ignored parameters', async () => {
    expect((await reject({ seed: 'x' })).param).toBe('seed');
    expect((await reject({ presence_penalty: 3 })).param).toBe('presence_penalty');
    expect((await reject({ n: 0 })).param).toBe('n');
  });

  it('stream_options.include_usage → state.includeUsage', async () => {
    expect((await prepare({ stream: true, stream_options: { include_usage: true } })).state.includeUsage).toBe(true);
    expect((await prepare({})).state.includeUsage).toBe(false);
    expect((await reject({ stream_options: { include_usage: 'yes' } })).param).toBe('stream_options.include_usage');
  });

  it('produces the full state shape', async () => {
    const { input, state } = await prepare({});
    expect(input).toEqual({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
    expect(state).toEqual({ toolNames: new Map(), stopSequences: [], parallelToolCalls: true, includeUsage: false, ignoredParams: [], adjustedParams: [] });
  });
});

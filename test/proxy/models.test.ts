import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  createModelResolver,
  DEFAULT_ALIASES,
  DEFAULT_EMBEDDING_ALIASES,
  EMBEDDING_MODELS,
  NOVA_MODELS,
  parseModelMappings,
  profilePrefixForRegion,
} from '../../proxy/models.js';

describe('model resolution', () => {
  const r = createModelResolver();

  it('maps the default aliases', () => {
    expect(r.resolve('gpt-3.5-turbo')?.bedrockId).toBe('amazon.nova-micro-v1:0');
    expect(r.resolve('gpt-4o-mini')?.bedrockId).toBe('amazon.nova-lite-v1:0');
    expect(r.resolve('gpt-4o')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    expect(r.resolve('chatgpt-4o-latest')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    // nano takes images at OpenAI: Nova Lite does, Nova Micro would refuse them.
    expect(r.resolve('gpt-4.1-nano')?.bedrockId).toBe('amazon.nova-lite-v1:0');
    expect(r.resolve('gpt-4.1-mini')?.bedrockId).toBe('amazon.nova-lite-v1:0');
    // Nova 2 Lite is served only through inference profiles: aliases get the region's one.
    expect(r.resolve('gpt-4.1')?.bedrockId).toBe('us.amazon.nova-2-lite-v1:0');
    for (const name of ['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5.1', 'gpt-5.2-pro', 'gpt-5.4-nano', 'o1', 'o3', 'o3-mini', 'o4-mini', 'codex-mini-latest']) {
      expect(r.resolve(name)?.bedrockId, name).toBe('us.amazon.nova-2-lite-v1:0');
      expect(r.resolve(name)?.model.reasoning, name).toBe(true);
    }
  });

  it('resolves dated snapshots by their family', () => {
    expect(r.resolve('gpt-4o-2024-08-06')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    expect(r.resolve('gpt-4o-mini-2024-07-18')?.bedrockId).toBe('amazon.nova-lite-v1:0');
    expect(r.resolve('gpt-3.5-turbo-0125')?.bedrockId).toBe('amazon.nova-micro-v1:0');
    expect(r.resolve('gpt-4-0125-preview')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    expect(r.resolve('gpt-4.1-2025-04-14')?.bedrockId).toBe('us.amazon.nova-2-lite-v1:0');
    expect(r.resolve('gpt-5-2025-08-07')?.bedrockId).toBe('us.amazon.nova-2-lite-v1:0');
    expect(r.resolve('o3-2025-04-16')?.bedrockId).toBe('us.amazon.nova-2-lite-v1:0');
    expect(r.resolve('gpt-5.4-mini-2026-03-17')?.bedrockId).toBe('us.amazon.nova-2-lite-v1:0');
    expect(r.resolve('gpt-4o-2024-08-06')?.requested).toBe('gpt-4o-2024-08-06');
  });

  it('serves every chat model name in the installed openai SDK except the ones Nova cannot stand in for', () => {
    // The SDK's ChatModel union is the list of names clients send by default; a new SDK adding a family fails here.
    const require = createRequire(import.meta.url);
    // The entry point sits at the package root; the type declarations beside it.
    const dts = readFileSync(join(dirname(require.resolve('openai')), 'resources', 'shared.d.ts'), 'utf8');
    const union = /export type ChatModel = ([^;]+);/.exec(dts)![1]!;
    const names = [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(60);
    // Audio in/out and built-in web search are what these models are for: Nova has neither through Converse.
    const notServed = (n: string) => /audio|search-preview/.test(n);
    const unmapped = names.filter((n) => !notServed(n) && !r.resolve(n));
    expect(unmapped).toEqual([]);
    for (const n of names.filter(notServed)) expect(r.resolve(n), n).toBeUndefined();
  });

  it('points no default alias at an end-of-life model, and reasoning families at a reasoning model', () => {
    for (const [alias, target] of Object.entries(DEFAULT_ALIASES)) {
      const model = NOVA_MODELS[target];
      expect(model, alias).toBeDefined();
      expect(model!.endOfLife, `${alias} → ${target}`).toBeUndefined();
      if (/^(o\d|gpt-5|codex)/.test(alias) && !alias.endsWith('chat-latest')) expect(model!.reasoning, alias).toBe(true);
    }
    expect(NOVA_MODELS['amazon.nova-premier-v1:0']!.endOfLife).toBe('2026-09-14');
  });

  it('resolves embeddings models separately from chat models', () => {
    expect(r.resolveEmbedding('text-embedding-3-small')?.bedrockId).toBe('amazon.titan-embed-text-v2:0');
    expect(r.resolveEmbedding('text-embedding-ada-002')?.bedrockId).toBe('amazon.titan-embed-text-v2:0');
    expect(r.resolveEmbedding('text-embedding-3-large')?.bedrockId).toBe('amazon.nova-2-multimodal-embeddings-v1:0');
    expect(r.resolveEmbedding('amazon.titan-embed-text-v2:0')?.model.dimensions).toEqual([256, 512, 1024]);
    expect(r.resolveEmbedding('amazon.nova-2-multimodal-embeddings-v1:0')?.model.defaultDimensions).toBe(3072);
    // Neither side answers for the other's models.
    expect(r.resolve('text-embedding-3-small')).toBeUndefined();
    expect(r.resolve('amazon.nova-2-multimodal-embeddings-v1:0')).toBeUndefined();
    expect(r.resolveEmbedding('gpt-4o')).toBeUndefined();
    expect(r.resolveEmbedding('amazon.nova-pro-v1:0')).toBeUndefined();
    expect(r.resolveEmbedding('amazon.titan-embed-text-v1')).toBeUndefined();
    // Configurable like chat mappings.
    const o = createModelResolver({ mappings: { 'text-embedding-3-small': 'amazon.nova-2-multimodal-embeddings-v1:0', 'my-embedder': 'amazon.titan-embed-text-v2:0' } });
    expect(o.resolveEmbedding('text-embedding-3-small')?.model.id).toBe('amazon.nova-2-multimodal-embeddings-v1:0');
    expect(o.resolveEmbedding('my-embedder')?.requested).toBe('my-embedder');
    for (const target of Object.values(DEFAULT_EMBEDDING_ALIASES)) expect(EMBEDDING_MODELS[target]).toBeDefined();
  });

  it('gives profile-only models a profile even with inferenceProfile none, and leaves client IDs alone', () => {
    const eu = createModelResolver({ region: 'eu-central-1' });
    expect(eu.resolve('gpt-5')?.bedrockId).toBe('eu.amazon.nova-2-lite-v1:0');
    expect(eu.resolve('gpt-4o')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    // No geography of its own: the global profile.
    expect(createModelResolver({ region: 'sa-east-1' }).resolve('o3')?.bedrockId).toBe('global.amazon.nova-2-lite-v1:0');
    expect(r.resolve('amazon.nova-2-lite-v1:0')?.bedrockId).toBe('amazon.nova-2-lite-v1:0');
  });

  it('passes Nova and inference-profile IDs through unchanged', () => {
    for (const id of ['amazon.nova-lite-v1:0', 'us.amazon.nova-pro-v1:0', 'eu.amazon.nova-micro-v1:0', 'apac.amazon.nova-lite-v1:0', 'global.amazon.nova-2-lite-v1:0']) {
      expect(r.resolve(id)?.bedrockId).toBe(id);
    }
    expect(r.resolve('global.amazon.nova-2-lite-v1:0')?.model.reasoning).toBe(true);
    expect(r.resolve('us.amazon.nova-micro-v1:0')?.model.images).toBe(false);
  });

  it('does not resolve unknown models', () => {
    expect(r.resolve('gpt-5-ultra')).toBeUndefined();
    expect(r.resolve('anthropic.claude-3')).toBeUndefined();
    expect(r.resolve('')).toBeUndefined();
  });

  it('applies mapping overrides over the defaults', () => {
    const o = createModelResolver({ mappings: { 'gpt-4o': 'amazon.nova-premier-v1:0', 'custom-model': 'us.amazon.nova-pro-v1:0' } });
    // Premier has no in-region on-demand throughput: its US profile.
    expect(o.resolve('gpt-4o')?.bedrockId).toBe('us.amazon.nova-premier-v1:0');
    expect(o.resolve('custom-model')?.bedrockId).toBe('us.amazon.nova-pro-v1:0');
    expect(o.resolve('gpt-4o-mini')?.bedrockId).toBe('amazon.nova-lite-v1:0');
  });

  it('resolves aliases to inference profiles when asked, by region for auto', () => {
    const eu = createModelResolver({ inferenceProfile: 'auto', region: 'eu-west-1' });
    expect(eu.resolve('gpt-4o')?.bedrockId).toBe('eu.amazon.nova-pro-v1:0');
    expect(eu.resolve('amazon.nova-pro-v1:0')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    const us = createModelResolver({ inferenceProfile: 'auto', region: 'us-west-2', mappings: { fast: 'amazon.nova-2-lite-v1:0' } });
    expect(us.resolve('gpt-4o-mini')?.bedrockId).toBe('us.amazon.nova-lite-v1:0');
    expect(us.resolve('fast')?.bedrockId).toBe('global.amazon.nova-2-lite-v1:0');
    const apac = createModelResolver({ inferenceProfile: 'apac' });
    expect(apac.resolve('gpt-3.5-turbo')?.bedrockId).toBe('apac.amazon.nova-micro-v1:0');
    // Premier has only a US profile: an explicit EU setting leaves it bare rather than inventing an ID.
    const premier = createModelResolver({ inferenceProfile: 'eu', mappings: { big: 'amazon.nova-premier-v1:0' } });
    expect(premier.resolve('big')?.bedrockId).toBe('amazon.nova-premier-v1:0');
    expect(profilePrefixForRegion('ap-southeast-2')).toBe('apac');
    expect(profilePrefixForRegion('sa-east-1')).toBeUndefined();
  });

  it('lists aliases then Nova IDs', () => {
    const ids = r.listIds();
    expect(ids.slice(0, 3)).toEqual(['gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-4']);
    expect(ids).toContain('amazon.nova-2-lite-v1:0');
    expect(ids).toContain('text-embedding-3-small');
    expect(ids.at(-1)).toBe('amazon.nova-2-multimodal-embeddings-v1:0');
  });

  it('parses MODEL_MAPPINGS in the documented format and rejects bad input', () => {
    expect(parseModelMappings('{"gpt-4o": "amazon.nova-premier-v1:0"}')).toEqual({ 'gpt-4o': 'amazon.nova-premier-v1:0' });
    expect(() => parseModelMappings('{gpt-4o')).toThrow(/MODEL_MAPPINGS is not valid JSON/);
    expect(() => parseModelMappings('["a"]')).toThrow(/must be a JSON object/);
    expect(() => parseModelMappings('{"a": 3}')).toThrow(/"a" must be a model ID/);
  });
});

describe('mapping targets', () => {
  it('accepts Nova IDs, profiles and Bedrock ARNs, and rejects anything that could never resolve', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    const r = createModelResolver({ mappings: { mine: arn } });
    expect(r.resolve('mine')?.bedrockId).toBe(arn);
    // Clients may not send ARNs themselves: only operators map to them.
    expect(r.resolve(arn)).toBeUndefined();
    expect(parseModelMappings(JSON.stringify({ a: arn, b: 'us.amazon.nova-pro-v1:0', c: 'amazon.titan-embed-text-v2:0' }))).toBeTruthy();
    expect(() => parseModelMappings('{"e": "amazon.titan-embed-text-v1"}')).toThrow(/embeddings model \(amazon.titan-embed-text-v2:0/);
    expect(() => parseModelMappings('{"typo": "nova-pro"}')).toThrow(/"typo" maps to "nova-pro", which is not a Nova model ID/);
    expect(() => parseModelMappings('{"x": "anthropic.claude-3-haiku"}')).toThrow(/not a Nova model ID/);
  });
});

import { describe, expect, it } from 'vitest';
import { createModelResolver, parseModelMappings, profilePrefixForRegion } from '../../proxy/models.js';

describe('model resolution', () => {
  const r = createModelResolver();

  it('maps the default aliases', () => {
    expect(r.resolve('gpt-3.5-turbo')?.bedrockId).toBe('amazon.nova-micro-v1:0');
    expect(r.resolve('gpt-4o-mini')?.bedrockId).toBe('amazon.nova-lite-v1:0');
    expect(r.resolve('gpt-4o')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    expect(r.resolve('gpt-4.1-nano')?.bedrockId).toBe('amazon.nova-micro-v1:0');
    expect(r.resolve('gpt-4.1-mini')?.bedrockId).toBe('amazon.nova-lite-v1:0');
    expect(r.resolve('gpt-4.1')?.bedrockId).toBe('amazon.nova-pro-v1:0');
  });

  it('resolves dated snapshots by their family', () => {
    expect(r.resolve('gpt-4o-2024-08-06')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    expect(r.resolve('gpt-4o-mini-2024-07-18')?.bedrockId).toBe('amazon.nova-lite-v1:0');
    expect(r.resolve('gpt-3.5-turbo-0125')?.bedrockId).toBe('amazon.nova-micro-v1:0');
    expect(r.resolve('gpt-4.1-2025-04-14')?.bedrockId).toBe('amazon.nova-pro-v1:0');
    expect(r.resolve('gpt-4o-2024-08-06')?.requested).toBe('gpt-4o-2024-08-06');
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
    expect(o.resolve('gpt-4o')?.bedrockId).toBe('amazon.nova-premier-v1:0');
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
    expect(ids.slice(0, 3)).toEqual(['gpt-3.5-turbo', 'gpt-4o-mini', 'gpt-4o']);
    expect(ids).toContain('amazon.nova-2-lite-v1:0');
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
    expect(parseModelMappings(JSON.stringify({ a: arn, b: 'us.amazon.nova-pro-v1:0' }))).toBeTruthy();
    expect(() => parseModelMappings('{"typo": "nova-pro"}')).toThrow(/"typo" maps to "nova-pro", which is not a Nova model ID/);
    expect(() => parseModelMappings('{"x": "anthropic.claude-3-haiku"}')).toThrow(/not a Nova model ID/);
  });
});

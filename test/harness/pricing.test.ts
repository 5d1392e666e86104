/**
 * The shared price table (proxy/pricing.ts): every entry sourced and dated; Nova 2 Lite by
 * inference profile; cached-input rates; snapshots with their own price; retired models
 * kept for history; embedding models the proxy serves.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, PRICE_GAPS, PRICES_AS_OF, estimateCost, priceFor } from '../../proxy/pricing.js';

const M = 1_000_000;

describe('price table', () => {
  it('every built-in entry carries its source and the date it took effect', () => {
    for (const [model, p] of Object.entries(DEFAULT_PRICES)) {
      expect(p.source, model).toMatch(/^(?:as listed in nova-migrate issue 8 from )?https:\/\//);
      expect(p.asOf, model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.input, model).toBeGreaterThanOrEqual(0);
    }
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
  it('Nova 2 Lite: in-region and geo profiles $0.33/$2.75, the global profile $0.30/$2.50, with cached reads', () => {
    for (const id of ['amazon.nova-2-lite-v1:0', 'us.amazon.nova-2-lite-v1:0', 'eu.amazon.nova-2-lite-v1:0']) {
      expect(priceFor(id), id).toMatchObject({ input: 0.33, output: 2.75 });
    }
    expect(priceFor('global.amazon.nova-2-lite-v1:0')).toMatchObject({ input: 0.3, output: 2.5 });
    expect(estimateCost('global.amazon.nova-2-lite-v1:0', { inputTokens: M, outputTokens: M })).toBeCloseTo(2.8);
    expect(estimateCost('us.amazon.nova-2-lite-v1:0', { inputTokens: M, outputTokens: 0, cachedInputTokens: M })).toBeCloseTo(0.0825);
  });
  it('GPT models: cached-input rates, snapshots with their own price, the gpt-5 family and the o-series', () => {
    expect(priceFor('gpt-4o')).toMatchObject({ input: 2.5, output: 10, cachedInput: 1.25 });
    expect(priceFor('gpt-4o-mini')?.cachedInput).toBe(0.075);
    expect(priceFor('gpt-4.1-mini')?.cachedInput).toBe(0.1);
    expect(priceFor('gpt-4.1-nano')?.cachedInput).toBe(0.025);
    expect(priceFor('gpt-4o-2024-05-13')).toMatchObject({ input: 5, output: 15 });
    expect(priceFor('gpt-4o-2024-08-06')).toMatchObject({ input: 2.5, output: 10 });
    // A snapshot without an entry of its own is priced as its family.
    expect(priceFor('gpt-4.1-2025-04-14')).toEqual(priceFor('gpt-4.1'));
    for (const m of ['gpt-4', 'gpt-4-turbo', 'gpt-4.1', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'o1', 'o3', 'o3-mini', 'o4-mini']) expect(priceFor(m), m).toBeDefined();
    expect(estimateCost('gpt-4o', { inputTokens: M, outputTokens: 0, cachedInputTokens: M / 2 })).toBeCloseTo(1.25 + 0.625);
  });
  it('Nova Premier is end of life 2026-09-14: kept for historic reports, and says so', () => {
    expect(priceFor('us.amazon.nova-premier-v1:0')).toMatchObject({ input: 2.5, output: 12.5, endOfLife: '2026-09-14' });
  });
  it('embedding models the proxy serves: Titan Text Embeddings V2 priced; Nova Multimodal Embeddings marked as not found', () => {
    expect(estimateCost('amazon.titan-embed-text-v2:0', { inputTokens: M, outputTokens: 0 })).toBeCloseTo(0.02);
    expect(priceFor('amazon.nova-2-multimodal-embeddings-v1:0')).toBeUndefined();
    expect(PRICE_GAPS['amazon.nova-2-multimodal-embeddings-v1:0']).toMatch(/no per-token text price found/);
  });
  it('an override table wins over the built-in entry for the exact ID only', () => {
    const table = { ...DEFAULT_PRICES, 'amazon.nova-2-lite-v1:0': { input: 1, output: 1 } };
    expect(priceFor('us.amazon.nova-2-lite-v1:0', table)?.input).toBe(1);
    expect(priceFor('global.amazon.nova-2-lite-v1:0', table)?.input).toBe(0.3);
    expect(priceFor('unknown-model', table)).toBeUndefined();
  });
});

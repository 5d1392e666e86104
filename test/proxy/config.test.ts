import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSafeBinding, loadConfig, DEFAULT_CONFIG } from '../../proxy/config.js';
import { estimateCost, priceFor } from '../../proxy/pricing.js';

describe('config', () => {
  it('uses defaults with an empty environment', () => {
    const c = loadConfig({ env: {} });
    expect(c).toEqual(DEFAULT_CONFIG);
  });

  it('layers file < env < overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nm-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ port: 9000, region: 'eu-west-1', modelMappings: { a: 'amazon.nova-lite-v1:0' }, images: { maxBytes: 1000 } }));
    const c = loadConfig({
      file,
      env: { PORT: '9100', MODEL_MAPPINGS: '{"b":"amazon.nova-pro-v1:0"}', NOVA_PROXY_API_KEYS: 'key-one-123, key-two-456' },
      overrides: { port: 9200 },
    });
    expect(c.port).toBe(9200);
    expect(c.region).toBe('eu-west-1');
    expect(c.modelMappings).toEqual({ a: 'amazon.nova-lite-v1:0', b: 'amazon.nova-pro-v1:0' });
    expect(c.apiKeys).toEqual(['key-one-123', 'key-two-456']);
    expect(c.images.maxBytes).toBe(1000);
    expect(c.images.fetchTimeoutMs).toBe(DEFAULT_CONFIG.images.fetchTimeoutMs);
  });

  it('keepThinking: false by default, from NOVA_KEEP_THINKING or the file, booleans only', () => {
    expect(loadConfig({ env: {} }).keepThinking).toBe(false);
    expect(loadConfig({ env: { NOVA_KEEP_THINKING: 'true' } }).keepThinking).toBe(true);
    expect(() => loadConfig({ env: { NOVA_KEEP_THINKING: 'maybe' } })).toThrow(/NOVA_KEEP_THINKING must be true or false/);
    const dir = mkdtempSync(join(tmpdir(), 'nm-config-'));
    writeFileSync(join(dir, 'k.json'), '{"keepThinking": "yes"}');
    expect(() => loadConfig({ file: join(dir, 'k.json'), env: {} })).toThrow(/keepThinking must be true or false/);
  });

  it('reports bad configuration with actionable messages', () => {
    expect(() => loadConfig({ env: { PORT: 'abc' } })).toThrow(/PORT must be a non-negative number/);
    expect(() => loadConfig({ env: {}, overrides: { port: Number('abc') } })).toThrow(/port must be an integer 0-65535, got something that is not a number/);
    expect(() => loadConfig({ env: {}, overrides: { port: 99999 } })).toThrow(/port must be an integer 0-65535, got 99999/);
    expect(() => loadConfig({ env: { MODEL_MAPPINGS: '{' } })).toThrow(/MODEL_MAPPINGS is not valid JSON/);
    expect(() => loadConfig({ env: { NOVA_INFERENCE_PROFILE: 'mars' } })).toThrow(/inferenceProfile must be one of/);
    expect(() => loadConfig({ env: { NOVA_PROXY_API_KEYS: 'short' } })).toThrow(/at least 8 characters/);
    expect(() => loadConfig({ file: '/nonexistent/x.json', env: {} })).toThrow(/cannot read config file/);
    const dir = mkdtempSync(join(tmpdir(), 'nm-config-'));
    writeFileSync(join(dir, 'bad.json'), '{"prot": 1}');
    expect(() => loadConfig({ file: join(dir, 'bad.json'), env: {} })).toThrow(/unknown key "prot"/);
  });

  it('shares nova-migrate.config.json with the codemods: their section is not the proxy\'s to reject', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nm-config-'));
    writeFileSync(join(dir, 'nova-migrate.config.json'), JSON.stringify({ port: 9100, codemods: { exclude: ['templates/**'] } }));
    const config = loadConfig({ file: join(dir, 'nova-migrate.config.json'), env: {} });
    expect(config.port).toBe(9100);
    expect(config).not.toHaveProperty('codemods');
  });

  it('refuses a non-loopback bind without keys unless told', () => {
    expect(() => assertSafeBinding(loadConfig({ env: {}, overrides: { host: '0.0.0.0' } }))).toThrow(/refusing to listen on 0.0.0.0/);
    expect(() => assertSafeBinding(loadConfig({ env: {}, overrides: { host: '0.0.0.0', allowNoAuth: true } }))).not.toThrow();
    expect(() => assertSafeBinding(loadConfig({ env: { NOVA_PROXY_API_KEYS: 'abcdefgh12' }, overrides: { host: '0.0.0.0' } }))).not.toThrow();
    expect(() => assertSafeBinding(loadConfig({ env: {}, overrides: { host: '127.0.0.1' } }))).not.toThrow();
    expect(() => assertSafeBinding(loadConfig({ env: {}, overrides: { host: '::1' } }))).not.toThrow();
  });
});

describe('pricing', () => {
  it('finds prices for profiles and snapshots', () => {
    expect(priceFor('us.amazon.nova-lite-v1:0')?.input).toBe(0.06);
    expect(priceFor('gpt-4o-2024-08-06')?.output).toBe(10);
    expect(priceFor('gpt-3.5-turbo-0125')?.input).toBe(0.5);
    expect(priceFor('unknown')).toBeUndefined();
  });
  it('bills cached input at the cached rate', () => {
    expect(estimateCost('amazon.nova-pro-v1:0', { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(0.8);
    expect(estimateCost('amazon.nova-pro-v1:0', { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 500_000 })).toBeCloseTo(0.4 + 0.1 + 3.2);
  });
});

describe('hardening settings', () => {
  it('reads the limits and admin keys from the environment', () => {
    const c = loadConfig({
      env: {
        NOVA_PROXY_API_KEYS: 'client-key-1',
        NOVA_PROXY_ADMIN_API_KEYS: 'admin-key-1, admin-key-2',
        NOVA_HEADERS_TIMEOUT_MS: '5000',
        NOVA_REQUEST_READ_TIMEOUT_MS: '30000',
        NOVA_BEDROCK_MAX_RESPONSE_BYTES: '1000000',
        NOVA_METRICS_MAX_PASS_THROUGH_MODELS: '3',
        NOVA_SHUTDOWN_GRACE_MS: '40000',
      },
    });
    expect(c).toMatchObject({
      adminApiKeys: ['admin-key-1', 'admin-key-2'],
      headersTimeoutMs: 5000,
      requestReadTimeoutMs: 30000,
      bedrockMaxResponseBytes: 1_000_000,
      metricsMaxPassThroughModels: 3,
      shutdownGraceMs: 40000,
    });
  });

  it('refuses settings that cannot work', () => {
    expect(() => loadConfig({ env: { NOVA_PROXY_ADMIN_API_KEYS: 'admin-key-1' } })).toThrow(/adminApiKeys need apiKeys/);
    expect(() => loadConfig({ env: { NOVA_PROXY_API_KEYS: 'same-key-12', NOVA_PROXY_ADMIN_API_KEYS: 'same-key-12' } })).toThrow(/both in apiKeys and in adminApiKeys/);
    expect(() => loadConfig({ env: { NOVA_REQUEST_READ_TIMEOUT_MS: '0' } })).toThrow(/requestReadTimeoutMs must be a positive integer/);
    expect(() => loadConfig({ env: {}, overrides: { modelMappings: { 'my model': 'amazon.nova-lite-v1:0' } } })).toThrow(/alias "my model" may only contain visible ASCII/);
  });
});

describe('config model mappings', () => {
  it('rejects unresolvable targets from the config file', () => {
    expect(() => loadConfig({ env: {}, overrides: { modelMappings: { x: 'nova-pro' } } })).toThrow(/modelMappings: "x" maps to "nova-pro"/);
  });
});

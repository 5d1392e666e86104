/**
 * Endpoint resolution of the direct transport against the AWS SDK's own resolver
 * (BedrockRuntimeClient's endpoint ruleset) over regions of every partition, FIPS and
 * dual-stack flags and custom endpoints — the same URL, or the same refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { partition } from '@aws-sdk/core/client';
import { loadEndpointSettings, resolveEndpoint as resolve, type EndpointSettings } from '../../proxy/bedrock/endpoint.js';

const resolveEndpoint = (s: EndpointSettings) => resolve(s, partition);

const REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1', 'ap-northeast-1', 'ca-central-1', 'sa-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1', 'xx-unknown-9'];
const FLAGS = [
  { useFips: false, useDualstack: false },
  { useFips: true, useDualstack: false },
  { useFips: false, useDualstack: true },
  { useFips: true, useDualstack: true },
];

async function sdkEndpoint(region: string, useFips: boolean, useDualstack: boolean, endpoint?: string): Promise<string> {
  const client = new BedrockRuntimeClient({ region, useFipsEndpoint: useFips, useDualstackEndpoint: useDualstack, ...(endpoint ? { endpoint } : {}), credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  try {
    const ep = client.config.endpointProvider({ Region: region, UseFIPS: useFips, UseDualStack: useDualstack, ...(endpoint ? { Endpoint: endpoint } : {}) });
    return ep.url.href.replace(/\/$/, '');
  } catch (err) {
    return `error: ${(err as Error).message}`;
  } finally {
    client.destroy();
  }
}

function ours(region: string, useFips: boolean, useDualstack: boolean, endpoint?: string): string {
  try {
    const ep = resolveEndpoint({ region, useFips, useDualstack, ...(endpoint ? { endpoint } : {}) });
    return `${ep.origin}${ep.basePath}`;
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

describe('endpoint resolution matches the SDK', () => {
  it.each(REGIONS)('%s with every FIPS / dual-stack combination', async (region) => {
    for (const { useFips, useDualstack } of FLAGS) {
      expect(ours(region, useFips, useDualstack), `${region} fips=${useFips} dualstack=${useDualstack}`).toBe(await sdkEndpoint(region, useFips, useDualstack));
    }
  });

  it('custom endpoints, and their refusal with FIPS or dual-stack', async () => {
    for (const endpoint of ['http://127.0.0.1:4566', 'https://vpce-123.bedrock-runtime.us-east-1.vpce.amazonaws.com', 'https://proxy.example.com/bedrock']) {
      for (const { useFips, useDualstack } of FLAGS) {
        expect(ours('us-east-1', useFips, useDualstack, endpoint)).toBe(await sdkEndpoint('us-east-1', useFips, useDualstack, endpoint));
      }
    }
  });

  it('gives the Host header the SDK sends (port only when not the default)', () => {
    expect(resolveEndpoint({ region: 'us-east-1' }).host).toBe('bedrock-runtime.us-east-1.amazonaws.com');
    expect(resolveEndpoint({ region: 'x', endpoint: 'http://127.0.0.1:4566/' }).host).toBe('127.0.0.1:4566');
    expect(resolveEndpoint({ region: 'x', endpoint: 'https://h.example:443/p/' })).toEqual({ origin: 'https://h.example', basePath: '/p', host: 'h.example' });
  });
});

describe('endpoint settings from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads AWS_ENDPOINT_URL_BEDROCK_RUNTIME before AWS_ENDPOINT_URL, and the FIPS / dual-stack flags', async () => {
    process.env.AWS_CONFIG_FILE = '/nonexistent';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent';
    process.env.AWS_ENDPOINT_URL = 'http://general.example:1';
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = 'http://bedrock.example:2';
    expect((await loadEndpointSettings('us-east-1')).endpoint).toBe('http://bedrock.example:2');
    delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    expect((await loadEndpointSettings('us-east-1')).endpoint).toBe('http://general.example:1');
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    expect((await loadEndpointSettings('us-east-1')).endpoint).toBeUndefined();
    delete process.env.AWS_ENDPOINT_URL;
    process.env.AWS_USE_FIPS_ENDPOINT = 'true';
    process.env.AWS_USE_DUALSTACK_ENDPOINT = 'true';
    const s = await loadEndpointSettings('us-east-1');
    expect(s).toMatchObject({ useFips: true, useDualstack: true });
    expect(resolveEndpoint(s).origin).toBe('https://bedrock-runtime-fips.us-east-1.api.aws');
  });

  it('reads endpoint_url from the profile and its services section', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    writeFileSync(
      join(dir, 'config'),
      ['[profile a]', 'endpoint_url = http://profile.example:3', '', '[profile b]', 'services = local', '', '[services local]', 'bedrock_runtime =', '  endpoint_url = http://service.example:4', ''].join('\n'),
    );
    for (const k of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']) delete process.env[k];
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'none');
    process.env.AWS_PROFILE = 'a';
    expect((await loadEndpointSettings('us-east-1')).endpoint).toBe('http://profile.example:3');
    process.env.AWS_PROFILE = 'b';
    expect((await loadEndpointSettings('us-east-1')).endpoint).toBe('http://service.example:4');
  });
});

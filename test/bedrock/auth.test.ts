/**
 * How the direct transport gets credentials: the default chain, except that when the
 * chain's first link (static keys in the environment) is the one that answers, it is taken
 * without loading the rest of the chain — and must give exactly what the chain gives.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const chainCalls = vi.hoisted(() => ({ created: 0 }));
vi.mock('@aws-sdk/credential-providers', async (importOriginal) => {
  const real = await importOriginal<typeof import('@aws-sdk/credential-providers')>();
  return {
    ...real,
    fromNodeProviderChain: (...args: Parameters<typeof real.fromNodeProviderChain>) => {
      chainCalls.created++;
      return real.fromNodeProviderChain(...args);
    },
  };
});

const { resolveAuth, envKeysAnswerTheChain, envCredentials } = await import('../../proxy/bedrock/auth.js');
const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
const { fromEnv } = await import('@aws-sdk/credential-provider-env');

const KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKEN',
  AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
  AWS_ACCOUNT_ID: '123456789012',
};

function sigv4(auth: ReturnType<typeof resolveAuth>) {
  if (auth.kind !== 'sigv4') throw new Error(`expected sigv4, got ${auth.kind}`);
  return auth.credentials;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  chainCalls.created = 0;
});

describe('default credentials', () => {
  it('static keys in the environment: the same credentials as the chain, without loading it', async () => {
    for (const [k, v] of Object.entries(KEYS)) vi.stubEnv(k, v);
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_BEARER_TOKEN_BEDROCK', '');
    const credentials = sigv4(resolveAuth());
    const first = await credentials();
    expect(chainCalls.created).toBe(0);
    expect(await credentials()).toBe(first);
    // What the SDK's own chain resolves in the same environment.
    const fromChain = await fromNodeProviderChain()();
    expect({ ...first }).toEqual({ ...fromChain });
    expect((first as { expiration?: Date }).expiration).toEqual(new Date(KEYS.AWS_CREDENTIAL_EXPIRATION));
  });

  it('what the environment holds, variable by variable: what the SDK’s fromEnv and its chain return', async () => {
    vi.stubEnv('AWS_PROFILE', '');
    const optional = { AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKEN', AWS_CREDENTIAL_EXPIRATION: '2031-05-06T07:08:09.000Z', AWS_CREDENTIAL_SCOPE: 'us-west-2', AWS_ACCOUNT_ID: '210987654321' };
    const names = Object.keys(optional) as (keyof typeof optional)[];
    // Every subset of the optional variables, set or empty (an empty value counts as unset).
    for (let mask = 0; mask < 1 << names.length; mask++) {
      for (const empty of [false, true]) {
        vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
        vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
        names.forEach((n, i) => vi.stubEnv(n, mask & (1 << i) ? optional[n] : empty ? '' : undefined));
        const ours = envCredentials(process.env);
        expect(ours, `mask ${mask} empty ${empty}`).toEqual(await fromEnv()());
        expect(ours, `mask ${mask} empty ${empty}`).toEqual(await fromNodeProviderChain()());
      }
    }
  });

  it('AWS_PROFILE set: the chain decides (it skips the environment keys)', async () => {
    for (const [k, v] of Object.entries(KEYS)) vi.stubEnv(k, v);
    vi.stubEnv('AWS_PROFILE', 'nova-migrate-test-no-such-profile');
    // The chain warns (once per process) that both sources are set; not this test's subject.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/credentials');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    expect(envKeysAnswerTheChain(process.env)).toBe(false);
    const credentials = sigv4(resolveAuth());
    await expect(credentials()).rejects.toThrow();
    expect(chainCalls.created).toBe(1);
  });

  it('no keys in the environment: the chain', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'only-the-secret');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/credentials');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const credentials = sigv4(resolveAuth());
    await expect(credentials()).rejects.toThrow();
    expect(chainCalls.created).toBe(1);
  });

  it('a Bedrock API key wins over both', () => {
    for (const [k, v] of Object.entries(KEYS)) vi.stubEnv(k, v);
    expect(resolveAuth({ env: { AWS_BEARER_TOKEN_BEDROCK: 'token' } })).toEqual({ kind: 'bearer', token: 'token' });
  });
});

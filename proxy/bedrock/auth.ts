/**
 * How requests to Bedrock are authenticated, chosen once the way the AWS SDK chooses:
 *  - a Bedrock API key in `AWS_BEARER_TOKEN_BEDROCK` → `Authorization: Bearer …`;
 *  - otherwise SigV4 with the default credential chain (`fromNodeProviderChain`: env, SSO,
 *    ~/.aws profiles, web identity, container and instance roles). The chain caches what it
 *    resolves and refreshes temporary credentials five minutes before they expire, so a
 *    request pays one resolved promise, never a lookup.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { SigV4Credentials } from './sigv4.js';

export type BedrockAuth = { kind: 'bearer'; token: string } | { kind: 'sigv4'; credentials: () => Promise<SigV4Credentials> };

export interface AuthOptions {
  /** Static credentials or a provider (tests, `--mock`); the default chain otherwise. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Environment to read AWS_BEARER_TOKEN_BEDROCK from (process.env by default). */
  env?: Record<string, string | undefined>;
  /** Bedrock API keys apply to Bedrock only: false for other services. */
  bearer?: boolean;
}

export function resolveAuth(opts: AuthOptions = {}): BedrockAuth {
  const token = opts.bearer === false ? undefined : (opts.env ?? process.env).AWS_BEARER_TOKEN_BEDROCK;
  if (token) return { kind: 'bearer', token };
  const given = opts.credentials;
  if (given && typeof given !== 'function') {
    const fixed = Promise.resolve(given);
    return { kind: 'sigv4', credentials: () => fixed };
  }
  if (given) return { kind: 'sigv4', credentials: () => given() };
  let chain: AwsCredentialIdentityProvider | undefined;
  let loading: Promise<AwsCredentialIdentityProvider> | undefined;
  // Loaded on first use: the providers (SSO, STS…) cost start-up time a static key never needs.
  const load = () =>
    (loading ??= import('@aws-sdk/credential-providers').then((m) => {
      // A CommonJS package: bundled builds (`npm run build`, Lambda) expose its exports on `default`.
      const exports = ('fromNodeProviderChain' in m ? m : (m as unknown as { default: typeof m }).default) as typeof m;
      return (chain = exports.fromNodeProviderChain());
    }));
  const credentials = async (): Promise<SigV4Credentials> => (chain ?? (await load()))();
  return { kind: 'sigv4', credentials };
}

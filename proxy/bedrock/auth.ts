/**
 * How requests to Bedrock are authenticated, chosen once the way the AWS SDK chooses:
 *  - a Bedrock API key in `AWS_BEARER_TOKEN_BEDROCK` → `Authorization: Bearer …`;
 *  - otherwise SigV4 with the default credential chain (`fromNodeProviderChain`: env, SSO,
 *    ~/.aws profiles, web identity, container and instance roles). The chain caches what it
 *    resolves and refreshes temporary credentials five minutes before they expire, so a
 *    request pays one resolved promise, never a lookup.
 *
 * When the chain's first link answers — keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 * and no AWS_PROFILE (which makes the chain skip them) — what that link (the SDK's `fromEnv`)
 * returns is read here, without loading the chain: it would return the same, every time
 * (the environment does not change under us; refreshing re-reads the same values), and
 * loading it — even `fromEnv` alone, which brings @aws-sdk/core — costs the first request
 * ~25 ms. test/bedrock/auth.test.ts holds `envCredentials` equal to both, variable by variable.
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
  // Chosen on first use, when the chain would read the environment.
  let provider: AwsCredentialIdentityProvider | undefined;
  let loading: Promise<AwsCredentialIdentityProvider> | undefined;
  const load = () =>
    (loading ??= (
      envKeysAnswerTheChain(process.env)
        ? // The chain keeps what its first link returns; so does this.
          Promise.resolve(envCredentials(process.env)).then((found) => () => Promise.resolve(found))
        : // Loaded only here: the providers (SSO, STS…) cost start-up time a static key never needs.
          import('@aws-sdk/credential-providers').then((m) => cjsExports(m, 'fromNodeProviderChain').fromNodeProviderChain())
    ).then((p) => (provider = p)));
  const credentials = async (): Promise<SigV4Credentials> => (provider ?? (await load()))();
  return { kind: 'sigv4', credentials };
}

/** A CommonJS package's exports: bundled builds (`npm run build`, Lambda) expose them on `default` only. */
function cjsExports<M extends object>(m: M, name: keyof M): M {
  return name in m ? m : (m as unknown as { default: M }).default;
}

/**
 * The credentials the SDK's `fromEnv` reads (credential-provider-env), field for field —
 * `$source` included, which the SDK uses to report the credential source in its user agent.
 * Only when `envKeysAnswerTheChain`: both keys are set.
 */
export function envCredentials(env: Record<string, string | undefined>): AwsCredentialIdentity {
  const { AWS_SESSION_TOKEN: sessionToken, AWS_CREDENTIAL_EXPIRATION: expiry, AWS_CREDENTIAL_SCOPE: credentialScope, AWS_ACCOUNT_ID: accountId } = env;
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
    ...(sessionToken && { sessionToken }),
    ...(expiry && { expiration: new Date(expiry) }),
    ...(credentialScope && { credentialScope }),
    ...(accountId && { accountId }),
    $source: { CREDENTIALS_ENV_VARS: 'g' },
  } as AwsCredentialIdentity;
}

/** The default chain's first link applies (credential-provider-node's `defaultProvider`: AWS_PROFILE set skips it; fromEnv needs both keys). */
export function envKeysAnswerTheChain(env: Record<string, string | undefined>): boolean {
  return !env.AWS_PROFILE && Boolean(env.AWS_ACCESS_KEY_ID) && Boolean(env.AWS_SECRET_ACCESS_KEY);
}

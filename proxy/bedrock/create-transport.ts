/**
 * The configured Bedrock transport (`bedrockTransport`): `direct` by default, `sdk` for the
 * AWS SDK client. Each is loaded only when chosen, so the process that runs one never pays
 * for importing the other.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ProxyConfig } from '../config.js';
import type { BedrockTransport } from './transport.js';

export type TransportConfig = Pick<
  ProxyConfig,
  'region' | 'bedrockTransport' | 'bedrockMaxAttempts' | 'bedrockConnectTimeoutMs' | 'bedrockReadTimeoutMs' | 'bedrockRetryReadTimeouts'
>;

export interface TransportOverrides {
  /** An endpoint URL instead of the SDK-style resolution (`--mock`). */
  endpoint?: string;
  /** Static credentials or a provider instead of the default chain (`--mock`, tests). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export async function createBedrockTransport(config: TransportConfig, overrides: TransportOverrides = {}): Promise<BedrockTransport> {
  if (config.bedrockTransport === 'sdk') {
    const { createSdkTransport } = await import('./sdk-transport.js');
    return createSdkTransport(config, overrides);
  }
  const { createDirectTransport } = await import('./direct-transport.js');
  return createDirectTransport({
    region: config.region,
    maxAttempts: config.bedrockMaxAttempts,
    connectTimeoutMs: config.bedrockConnectTimeoutMs,
    readTimeoutMs: config.bedrockReadTimeoutMs,
    retryReadTimeouts: config.bedrockRetryReadTimeouts,
    ...overrides,
  });
}

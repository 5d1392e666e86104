/**
 * Where Bedrock Runtime lives, resolved once at start-up the way the AWS SDK resolves it:
 *  - a configured endpoint URL: `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, then `AWS_ENDPOINT_URL`,
 *    then the profile's `services` section (`bedrock_runtime = endpoint_url = …`) and its
 *    `endpoint_url` (all skipped with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`);
 *  - otherwise the service's endpoint rules: `https://bedrock-runtime[-fips].{region}.{dnsSuffix}`,
 *    dual-stack suffix with `AWS_USE_DUALSTACK_ENDPOINT`, FIPS with `AWS_USE_FIPS_ENDPOINT`
 *    (or `use_fips_endpoint` / `use_dualstack_endpoint` in the profile), partition data from
 *    the SDK's own table, and the SDK's errors for combinations the rules refuse.
 * test/bedrock/endpoint.test.ts checks the result against BedrockRuntimeClient's resolver.
 */
import { booleanSelector, CONFIG_PREFIX_SEPARATOR, loadConfig, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, SelectorType } from '@smithy/core/config';

export interface BedrockEndpoint {
  /** Scheme, host and port; requests go to `${origin}${basePath}/model/…`. */
  origin: string;
  /** A custom endpoint's path prefix ('' normally). */
  basePath: string;
  /** The Host header value (host, plus the port when it is not the scheme's default). */
  host: string;
}

/** How a service is named in endpoint settings and hosts. */
export interface ServiceNames {
  /** Host prefix: `bedrock-runtime` → https://bedrock-runtime.{region}.{suffix}. */
  host: string;
  /** Environment suffix: AWS_ENDPOINT_URL_<env>. */
  env: string;
  /** Key in a profile's `services` section. */
  config: string;
}

export const BEDROCK_RUNTIME: ServiceNames = { host: 'bedrock-runtime', env: 'BEDROCK_RUNTIME', config: 'bedrock_runtime' };

export interface EndpointSettings {
  region: string;
  useFips?: boolean;
  useDualstack?: boolean;
  /** A configured endpoint URL (overrides the rules). */
  endpoint?: string;
}

/** Endpoint URL, FIPS and dual-stack settings from the environment and the shared config files (`AWS_PROFILE`). */
export async function loadEndpointSettings(region: string, service: ServiceNames = BEDROCK_RUNTIME): Promise<EndpointSettings> {
  const [useFips, useDualstack, endpoint] = await Promise.all([
    loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS)(),
    loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS)(),
    configuredEndpointUrl(service),
  ]);
  return { region, useFips, useDualstack, ...(endpoint ? { endpoint } : {}) };
}

async function configuredEndpointUrl(service: ServiceNames): Promise<string | undefined> {
  const ignore = await loadConfig({
    environmentVariableSelector: (env) => booleanSelector(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', SelectorType.ENV),
    configFileSelector: (profile) => booleanSelector(profile, 'ignore_configured_endpoint_urls', SelectorType.CONFIG),
    default: false,
  })();
  if (ignore) return undefined;
  return loadConfig<string | undefined>({
    environmentVariableSelector: (env) => env[`AWS_ENDPOINT_URL_${service.env}`] || env.AWS_ENDPOINT_URL || undefined,
    configFileSelector: (profile, config) => {
      if (profile.services) {
        const section = config?.[['services', profile.services].join(CONFIG_PREFIX_SEPARATOR)];
        if (!section) throw new Error(`The services section "${profile.services}" specified in the profile is not present in the shared configuration file.`);
        const url = section[[service.config, 'endpoint_url'].join(CONFIG_PREFIX_SEPARATOR)];
        if (url) return url;
      }
      return profile.endpoint_url || undefined;
    },
    default: undefined,
  })();
}

export interface PartitionInfo {
  dnsSuffix: string;
  dualStackDnsSuffix: string;
  supportsFIPS: boolean;
  supportsDualStack: boolean;
}

/**
 * Resolves the endpoint; the SDK's partition table (which region lives under which DNS
 * suffix) is loaded only when no endpoint URL is configured.
 */
export async function bedrockEndpoint(s: EndpointSettings, service: ServiceNames = BEDROCK_RUNTIME): Promise<BedrockEndpoint> {
  if (s.endpoint) return resolveEndpoint(s, () => undefined as never, service);
  const { partition } = await import('@aws-sdk/core/client');
  return resolveEndpoint(s, partition, service);
}

/**
 * The service's endpoint rules (the SDK's ruleset for bedrock-runtime, which Secrets Manager
 * shares), as a small pure function.
 */
export function resolveEndpoint(s: EndpointSettings, partition: (region: string) => PartitionInfo, service: ServiceNames = BEDROCK_RUNTIME): BedrockEndpoint {
  const h = service.host;
  if (s.endpoint) {
    if (s.useFips) throw new Error('Invalid Configuration: FIPS and custom endpoint are not supported');
    if (s.useDualstack) throw new Error('Invalid Configuration: Dualstack and custom endpoint are not supported');
    return fromUrl(s.endpoint);
  }
  if (!s.region) throw new Error('Invalid Configuration: Missing Region');
  const p = partition(s.region);
  if (s.useFips && s.useDualstack) {
    if (!p.supportsFIPS || !p.supportsDualStack) throw new Error('FIPS and DualStack are enabled, but this partition does not support one or both');
    return fromUrl(`https://${h}-fips.${s.region}.${p.dualStackDnsSuffix}`);
  }
  if (s.useFips) {
    if (!p.supportsFIPS) throw new Error('FIPS is enabled but this partition does not support FIPS');
    return fromUrl(`https://${h}-fips.${s.region}.${p.dnsSuffix}`);
  }
  if (s.useDualstack) {
    if (!p.supportsDualStack) throw new Error('DualStack is enabled but this partition does not support DualStack');
    return fromUrl(`https://${h}.${s.region}.${p.dualStackDnsSuffix}`);
  }
  return fromUrl(`https://${h}.${s.region}.${p.dnsSuffix}`);
}

function fromUrl(raw: string): BedrockEndpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Invalid Bedrock endpoint URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Bedrock endpoint must be an http(s) URL, got ${raw}`);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), host: url.host };
}

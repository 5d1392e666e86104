/**
 * The one BedrockRuntimeClient a process uses. Credentials come from the SDK's default
 * chain (env, SSO, ~/.aws, container/instance role) or a Bedrock API key
 * (`AWS_BEARER_TOKEN_BEDROCK`); the endpoint can be overridden with the SDK's own
 * `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL`.
 *
 * Handler choice: the SDK defaults to NodeHttp2Handler with `disableConcurrentStreams`,
 * i.e. a new HTTP/2 session (TCP + TLS handshake) per request. On the proxy's hot path
 * that handshake costs more than everything the proxy does, so we use NodeHttpHandler
 * with keep-alive agents: connections are pooled and reused across requests and streams.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { ProxyConfig } from './config.js';

export function createBedrockClient(
  config: Pick<ProxyConfig, 'region' | 'bedrockMaxAttempts' | 'bedrockConnectTimeoutMs' | 'bedrockReadTimeoutMs'>,
): BedrockRuntimeClient {
  const agentOptions = { keepAlive: true, maxSockets: 1024, scheduling: 'lifo' as const };
  return new BedrockRuntimeClient({
    region: config.region,
    // Standard retry mode: throttling and transient 5xx are retried with backoff by the SDK.
    maxAttempts: config.bedrockMaxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.bedrockConnectTimeoutMs,
      // Socket inactivity limit: a long generation keeps streaming, so only a stall trips it.
      // (`requestTimeout` would bound the whole exchange; the proxy's requestTimeoutMs does that.)
      socketTimeout: config.bedrockReadTimeoutMs,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  });
}

/**
 * The Bedrock transport on the AWS SDK client. Credentials come from the SDK's default
 * chain (env, SSO, ~/.aws, container/instance role) or a Bedrock API key
 * (`AWS_BEARER_TOKEN_BEDROCK`); the endpoint can be overridden with the SDK's own
 * `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL`.
 *
 * Handler choice: the SDK defaults to NodeHttp2Handler with `disableConcurrentStreams`,
 * i.e. a new HTTP/2 session (TCP + TLS handshake) per request. On the proxy's hot path
 * that handshake costs more than everything the proxy does, so we use NodeHttpHandler
 * with keep-alive agents: connections are pooled and reused across requests and streams.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { ProxyConfig } from '../config.js';
import type { BedrockTransport } from './transport.js';

export type SdkClientConfig = Pick<ProxyConfig, 'region' | 'bedrockMaxAttempts' | 'bedrockConnectTimeoutMs' | 'bedrockReadTimeoutMs'>;

export function createBedrockClient(config: SdkClientConfig): BedrockRuntimeClient {
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

/** The operations the proxy uses, over an SDK client (the process's own, or one a caller built). */
export function sdkTransport(client: Pick<BedrockRuntimeClient, 'send' | 'destroy'>): BedrockTransport {
  return {
    converse: (input, { signal }) => client.send(new ConverseCommand(input), { abortSignal: signal }),
    async converseStream(input, { signal }) {
      const output = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
      if (!output.stream) throw Object.assign(new Error('Bedrock returned no stream.'), { name: 'ModelStreamErrorException' });
      return output.stream;
    },
    async invokeModel(modelId, body, { signal }) {
      const command = new InvokeModelCommand({ modelId, body, contentType: 'application/json', accept: 'application/json' });
      // The token count travels only in a response header, which the SDK's output omits.
      let count: string | undefined;
      command.middlewareStack.add(
        (next) => async (args) => {
          const result = await next(args);
          const headers = (result.response as { headers?: Record<string, string> }).headers;
          count = headers?.['x-amzn-bedrock-input-token-count'];
          return result;
        },
        { step: 'deserialize', name: 'novaInputTokenCount' },
      );
      const out = await client.send(command, { abortSignal: signal });
      return { body: out.body, requestId: out.$metadata.requestId, ...(count ? { inputTokenCount: Number(count) } : {}) };
    },
    destroy: () => client.destroy(),
  };
}

export function createSdkTransport(config: SdkClientConfig): BedrockTransport {
  return sdkTransport(createBedrockClient(config));
}

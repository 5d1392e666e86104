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
import { Readable, Transform, pipeline } from 'node:stream';
import type { ProxyConfig } from '../config.js';
import { ResponseTooLargeError, type BedrockTransport } from './transport.js';

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
    converse(input, { signal, maxResponseBytes }) {
      const command = new ConverseCommand(input);
      if (maxResponseBytes !== undefined) boundBody(command, maxResponseBytes);
      return client.send(command, { abortSignal: signal });
    },
    async converseStream(input, { signal }) {
      const output = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
      if (!output.stream) throw Object.assign(new Error('Bedrock returned no stream.'), { name: 'ModelStreamErrorException' });
      return output.stream;
    },
    async invokeModel(modelId, body, opts) {
      const { signal } = opts;
      const command = new InvokeModelCommand({ modelId, body, contentType: 'application/json', accept: 'application/json' });
      if (opts.maxResponseBytes !== undefined) boundBody(command, opts.maxResponseBytes);
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

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Bounds what the SDK buffers of this command's response: runs between the HTTP handler
 * and the deserializer (which collects the whole body before parsing), refusing a body
 * whose Content-Length is over `limit`, and cutting one that turns out longer while read.
 */
function boundBody(command: ConverseCommand | InvokeModelCommand, limit: number): void {
  // The middleware only touches the raw response, the same for both commands.
  type Next = (args: object) => Promise<{ response: unknown }>;
  const middleware = (next: Next) => async (args: object) => {
    const result = await next(args);
    const response = result.response as RawResponse;
    const meta = { httpStatusCode: response.statusCode, requestId: response.headers?.['x-amzn-requestid'] };
    const body = response.body;
    if (!(body instanceof Readable)) return result;
    const declared = Number(response.headers?.['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      body.destroy();
      throw new ResponseTooLargeError(limit, meta);
    }
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        done(seen > limit ? new ResponseTooLargeError(limit, meta) : null, chunk);
      },
    });
    // pipeline destroys the socket's stream too when the limit trips: nothing more is read.
    response.body = pipeline(body, counter, () => {});
    return result;
  };
  (command.middlewareStack as ConverseCommand['middlewareStack']).addRelativeTo(middleware as never, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'novaBoundedBody',
  });
}

export function createSdkTransport(config: SdkClientConfig): BedrockTransport {
  return sdkTransport(createBedrockClient(config));
}

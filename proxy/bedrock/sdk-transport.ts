/**
 * The Bedrock transport on the AWS SDK client (`bedrockTransport: "sdk"`; the default is the
 * direct transport). Credentials come from the SDK's default chain (env, SSO, ~/.aws,
 * container/instance role) or a Bedrock API key (`AWS_BEARER_TOKEN_BEDROCK`); the endpoint
 * can be overridden with the SDK's own `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL`.
 *
 * Retries follow retry.ts, as on the direct transport: the SDK's standard strategy, no retry
 * of read timeouts on generations, and an immediate retry of a reused keep-alive socket that
 * was reset before answering (the agents below tag those errors).
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
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, MetadataBearer } from '@smithy/types';
import { Agent as HttpAgent, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable, Transform, pipeline } from 'node:stream';
import type { ProxyConfig } from '../config.js';
import { ResponseTooLargeError, type BedrockTransport } from './transport.js';
import type { TransportOverrides } from './create-transport.js';
import { GENERATIONS, isReadTimeout, isStaleSocket, markNoRetry, markStaleSocket } from './retry.js';
import { NovaRetryStrategy } from './retry-strategy.js';
import { nativeSignal } from '../abort-signal.js';

export type SdkClientConfig = Pick<ProxyConfig, 'region' | 'bedrockMaxAttempts' | 'bedrockConnectTimeoutMs' | 'bedrockReadTimeoutMs'> &
  Partial<Pick<ProxyConfig, 'bedrockRetryReadTimeouts'>>;

export function createBedrockClient(config: SdkClientConfig, overrides: TransportOverrides = {}): BedrockRuntimeClient {
  const agentOptions = { keepAlive: true, maxSockets: 1024, scheduling: 'lifo' as const };
  const retryReadTimeouts = config.bedrockRetryReadTimeouts ?? false;
  const client = new BedrockRuntimeClient({
    region: config.region,
    ...(overrides.endpoint ? { endpoint: overrides.endpoint } : {}),
    ...(overrides.credentials ? { credentials: overrides.credentials } : {}),
    maxAttempts: config.bedrockMaxAttempts,
    retryStrategy: new NovaRetryStrategy({ maxAttempts: config.bedrockMaxAttempts, retryReadTimeouts }),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.bedrockConnectTimeoutMs,
      // Socket inactivity limit: a long generation keeps streaming, so only a stall trips it.
      // (`requestTimeout` would bound the whole exchange; the proxy's requestTimeoutMs does that.)
      socketTimeout: config.bedrockReadTimeoutMs,
      httpAgent: tagStaleSockets(new HttpAgent(agentOptions)),
      httpsAgent: tagStaleSockets(new HttpsAgent(agentOptions)),
    }),
  });
  // Inside the retry middleware: sees each attempt's failure before the strategy does.
  client.middlewareStack.addRelativeTo(
    <Output extends MetadataBearer>(next: FinalizeHandler<object, Output>, context: HandlerExecutionContext) =>
      async (args: FinalizeHandlerArguments<object>) => {
        try {
          return await next(args);
        } catch (err) {
          if (isStaleSocket(err)) return next(args);
          if (!retryReadTimeouts && isReadTimeout(err) && GENERATIONS.has(context.commandName ?? '')) markNoRetry(err);
          throw err;
        }
      },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'novaConnectionRules', override: true },
  );
  return client;
}

/**
 * Tags a reset of a reused keep-alive socket that came before any response byte: the
 * upstream closed the idle socket as it was reused, the request never reached it (Node's
 * documented case for `request.reusedSocket`).
 */
function tagStaleSockets<A extends HttpAgent>(agent: A): A {
  const a = agent as A & { addRequest(req: ClientRequest, options: unknown): void };
  const addRequest = a.addRequest;
  a.addRequest = function (this: A, req: ClientRequest, options: unknown) {
    let answered = false;
    req.once('response', () => (answered = true));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!answered && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) markStaleSocket(err);
    });
    return addRequest.call(this, req, options);
  };
  return agent;
}

/** The operations the proxy uses, over an SDK client (the process's own, or one a caller built). */
export function sdkTransport(client: Pick<BedrockRuntimeClient, 'send' | 'destroy'>): BedrockTransport {
  return {
    converse(input, { signal, maxResponseBytes }) {
      const command = new ConverseCommand(input);
      if (maxResponseBytes !== undefined) boundBody(command, maxResponseBytes);
      return client.send(command, { abortSignal: nativeSignal(signal) });
    },
    async converseStream(input, { signal }) {
      const output = await client.send(new ConverseStreamCommand(input), { abortSignal: nativeSignal(signal) });
      if (!output.stream) throw Object.assign(new Error('Bedrock returned no stream.'), { name: 'ModelStreamErrorException' });
      return eachAlone(output.stream);
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
      const out = await client.send(command, { abortSignal: nativeSignal(signal) });
      return { body: out.body, requestId: out.$metadata.requestId, ...(count ? { inputTokenCount: Number(count) } : {}) };
    },
    destroy: () => client.destroy(),
  };
}

/** The SDK yields one event at a time: each is its own batch. */
async function* eachAlone(stream: AsyncIterable<ConverseStreamOutput>): AsyncGenerator<ConverseStreamOutput[]> {
  for await (const e of stream) yield [e];
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

export function createSdkTransport(config: SdkClientConfig, overrides: TransportOverrides = {}): BedrockTransport {
  return sdkTransport(createBedrockClient(config, overrides));
}

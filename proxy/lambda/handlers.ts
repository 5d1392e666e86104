/**
 * The two Lambda entry shapes around the same Fastify app:
 *  - streaming (`awslambda.streamifyResponse`): for a function URL with invoke mode
 *    RESPONSE_STREAM, or API Gateway REST with `responseTransferMode: STREAM` and the
 *    `…/response-streaming-invocations` integration URI. Status and headers go out in the
 *    `HttpResponseStream` prelude, then each body write as it happens.
 *  - buffered: the classic API Gateway proxy integration (REST payload 1.0, HTTP API or
 *    function URL payload 2.0, invoke mode BUFFERED). Streams are collected whole.
 */
import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { OpenAIHttpError } from '../errors.js';
import { dispatch, type BridgeRequest, type ResponseSink } from './http-bridge.js';
import { flattenHeaders, isHttpEvent, isV2, toBridgeRequest, toBufferedResult, type BufferedResult, type LambdaHttpEvent } from './events.js';

export interface HttpResponsePrelude {
  statusCode: number;
  headers?: Record<string, string>;
  /** Function URLs (payload 2.0). */
  cookies?: string[];
  /** API Gateway REST streaming (payload 1.0). */
  multiValueHeaders?: Record<string, string[]>;
}

/** The part of the Node.js runtime's `awslambda` global we use. */
export interface AwsLambdaGlobal {
  streamifyResponse<E = unknown>(fn: (event: E, responseStream: Writable, context: unknown) => Promise<void>): unknown;
  HttpResponseStream: { from(stream: Writable, prelude: HttpResponsePrelude): Writable };
}

export type AppProvider = () => Promise<FastifyInstance>;

/**
 * The app and the request for an event, or the OpenAI-shaped error to answer with before
 * the app can (not an HTTP event, a malformed one, init failed).
 */
async function prepare(event: unknown, getApp: AppProvider): Promise<{ app: FastifyInstance; request: BridgeRequest } | OpenAIHttpError> {
  if (!isHttpEvent(event)) return new OpenAIHttpError(400, 'This function expects an API Gateway or function URL HTTP event.', { code: 'unsupported_event' });
  const request = toBridgeRequest(event);
  if (request instanceof OpenAIHttpError) return request;
  try {
    return { app: await getApp(), request };
  } catch (err) {
    if (err instanceof OpenAIHttpError) return err;
    return new OpenAIHttpError(500, `The proxy failed to start: ${err instanceof Error ? err.message : String(err)}`, { code: 'proxy_init_failed' });
  }
}

/** What the handlers answer when something unforeseen throws: they never throw themselves. */
function unexpected(): OpenAIHttpError {
  return new OpenAIHttpError(500, 'The server had an error while processing your request.', { code: 'lambda_handler_error' });
}

function logUnexpected(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${JSON.stringify({ level: 50, msg: 'lambda handler failed', err: message.slice(0, 2000) })}\n`);
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export function createStreamingHandler(getApp: AppProvider, lambda: AwsLambdaGlobal): unknown {
  return lambda.streamifyResponse<LambdaHttpEvent>(async (event, responseStream) => {
    let out: Writable | undefined;
    let ended = false;
    const answer = (e: OpenAIHttpError) => {
      out = lambda.HttpResponseStream.from(responseStream, { statusCode: e.status, headers: { ...JSON_HEADERS, ...e.headers } });
      ended = true;
      out.end(JSON.stringify(e.toJSON()));
    };
    try {
      const ready = await prepare(event, getApp);
      if (ready instanceof OpenAIHttpError) return answer(ready);
      const sink: ResponseSink = {
        head(statusCode, headers) {
          const flat = flattenHeaders(headers);
          const cookies = flat.cookies.length === 0 ? {} : isV2(event) ? { cookies: flat.cookies } : { multiValueHeaders: { 'set-cookie': flat.cookies } };
          out = lambda.HttpResponseStream.from(responseStream, { statusCode, headers: flat.headers, ...cookies });
        },
        write: (chunk) => out!.write(chunk),
        end() {
          ended = true;
          out!.end();
        },
      };
      const d = dispatch(ready.app, ready.request, sink);
      const onDrain = () => d.drain();
      // The client went away (or the stream broke): abort like a closed socket, which
      // cancels the Bedrock call in the route.
      const onGone = () => {
        if (!ended) d.abort();
      };
      responseStream.on('drain', onDrain);
      responseStream.on('close', onGone);
      responseStream.on('error', onGone);
      try {
        await d.done;
      } finally {
        responseStream.off('drain', onDrain);
        responseStream.off('close', onGone);
        responseStream.off('error', onGone);
      }
    } catch (err) {
      logUnexpected(err);
      try {
        // Before the prelude an answer can still go out; after it, only ending the stream.
        if (!out) answer(unexpected());
        else if (!ended) {
          ended = true;
          out.end();
        }
      } catch (again) {
        logUnexpected(again);
      }
    }
  });
}

export type BufferedHandler = (event: LambdaHttpEvent, context?: unknown) => Promise<BufferedResult>;

export function createBufferedHandler(getApp: AppProvider): BufferedHandler {
  const answer = (e: OpenAIHttpError): BufferedResult => ({
    statusCode: e.status,
    headers: { ...JSON_HEADERS, ...e.headers },
    body: JSON.stringify(e.toJSON()),
    isBase64Encoded: false,
  });
  return async (event) => {
    try {
      const ready = await prepare(event, getApp);
      if (ready instanceof OpenAIHttpError) return answer(ready);
      let statusCode = 500;
      let headers = {};
      const chunks: Buffer[] = [];
      const d = dispatch(ready.app, ready.request, {
        head(s, h) {
          statusCode = s;
          headers = h;
        },
        write(chunk) {
          chunks.push(chunk);
          return true;
        },
        end() {},
      });
      await d.done;
      return toBufferedResult(event, statusCode, headers, Buffer.concat(chunks));
    } catch (err) {
      logUnexpected(err);
      return answer(unexpected());
    }
  };
}

/**
 * Every error Fastify or Node raises about a request — bad JSON, oversize bodies, bad
 * %-encoding, over-long URLs, oversize headers, slow clients, header values that cannot
 * be sent — in OpenAI's shape, so clients get `{"error":{…}}` whatever went wrong and
 * wherever it was caught: the route error handler, Fastify's framework-error hook, or the
 * socket-level client-error handler (which writes a raw response before any request
 * object exists).
 */
import { STATUS_CODES, maxHeaderSize, validateHeaderName, validateHeaderValue } from 'node:http';
import type { Socket } from 'node:net';
import { OpenAIHttpError } from './errors.js';

export interface HttpLimits {
  bodyLimitBytes: number;
  /** Longest path segment a route parameter may hold (`/v1/models/:id`). */
  maxParamLength: number;
  headersTimeoutMs: number;
  requestReadTimeoutMs: number;
}

/** The one 413: states the limit in bytes and MB and the setting that raises it. */
export function requestTooLarge(limitBytes: number): OpenAIHttpError {
  const mb = Number((limitBytes / (1024 * 1024)).toFixed(2));
  return new OpenAIHttpError(413, `Request body too large: the limit is ${limitBytes} bytes (${mb} MB) (config bodyLimitBytes, env NOVA_BODY_LIMIT_BYTES).`, {
    code: 'request_too_large',
    type: 'invalid_request_error',
  });
}

/** Any error raised while receiving, routing, handling or answering a request → OpenAI's shape. */
export function toOpenAIError(err: unknown, limits: HttpLimits): OpenAIHttpError {
  if (err instanceof OpenAIHttpError) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; statusCode?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new OpenAIHttpError(400, `We could not parse the JSON body of your request: ${message.slice(0, 300)}`, { code: 'invalid_json' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return requestTooLarge(limits.bodyLimitBytes);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new OpenAIHttpError(415, 'Unsupported Content-Type: send application/json.', { code: 'unsupported_media_type', type: 'invalid_request_error' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new OpenAIHttpError(400, 'The Content-Length header does not match the body that was sent.', { code: 'invalid_content_length' });
    case 'FST_ERR_BAD_URL':
      return new OpenAIHttpError(400, 'The request URL is not valid: it contains a malformed %-escape.', { code: 'invalid_url' });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new OpenAIHttpError(414, `The request URL is too long: a path segment may hold at most ${limits.maxParamLength} characters.`, { code: 'url_too_long' });
    case 'HPE_HEADER_OVERFLOW':
      return new OpenAIHttpError(431, `Request headers too large: the limit is ${maxHeaderSize} bytes for the request line and all headers together.`, { code: 'headers_too_large' });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new OpenAIHttpError(
        408,
        `The request was not received in time: headers must arrive within ${limits.headersTimeoutMs} ms and the whole request within ${limits.requestReadTimeoutMs} ms.`,
        { code: 'request_timeout', type: 'invalid_request_error' },
      );
    case 'ERR_INVALID_CHAR':
    case 'ERR_HTTP_INVALID_HEADER_VALUE':
    case 'ERR_INVALID_HTTP_TOKEN':
      // Every header built from client input is sanitised: reaching this is a bug of ours.
      return new OpenAIHttpError(500, 'The server could not build the response headers.', { code: 'invalid_response_header' });
  }
  if (typeof e.code === 'string' && e.code.startsWith('HPE_')) {
    return new OpenAIHttpError(400, 'Malformed HTTP request.', { code: 'bad_http_request' });
  }
  const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode <= 599 ? e.statusCode : 500;
  return new OpenAIHttpError(status, status >= 500 ? 'The server had an error while processing your request.' : message.slice(0, 300) || STATUS_CODES[status] || 'Bad request');
}

/** True when Node would send this header as is (no CR/LF, no characters outside latin-1). */
export function isSendableHeader(name: string, value: unknown): boolean {
  try {
    validateHeaderName(name);
    for (const v of Array.isArray(value) ? value : [value]) validateHeaderValue(name, v as string);
    return true;
  } catch {
    return false;
  }
}

/**
 * For errors raised on the socket before Fastify has a request (oversize headers, timeouts,
 * unparseable HTTP): answer in OpenAI's shape unless a response is already under way,
 * then close — the connection is in an unknown state.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket, limits: HttpLimits): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean; statusCode: number } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const e = toOpenAIError(err, limits);
    // A request already being handled (its body trickling in) is logged with this status.
    if (inFlight) inFlight.statusCode = e.status;
    const body = JSON.stringify(e.toJSON());
    socket.write(
      `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

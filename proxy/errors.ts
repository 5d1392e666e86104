/**
 * OpenAI-shaped errors. Everything the proxy rejects or fails on leaves as
 * `{"error":{"message","type","param","code"}}` with the matching HTTP status,
 * so unchanged OpenAI SDKs raise their usual exception classes.
 */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'timeout_error';

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

export class OpenAIHttpError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly param: string | null;
  readonly code: string | null;
  /** Extra response headers, e.g. `retry-after` on 429. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    opts: { type?: OpenAIErrorType; param?: string | null; code?: string | null; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'OpenAIHttpError';
    this.status = status;
    this.type = opts.type ?? errorTypeForStatus(status);
    this.param = opts.param ?? null;
    this.code = opts.code ?? null;
    this.headers = opts.headers ?? {};
  }

  toJSON(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** The OpenAI error type that goes with an HTTP status. */
export function errorTypeForStatus(status: number): OpenAIErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 504) return 'timeout_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** 400 naming the offending request parameter (dotted path, e.g. `messages[2].content`). */
export function invalidParam(param: string | null, message: string, code: string | null = null): OpenAIHttpError {
  return new OpenAIHttpError(400, message, { param, code });
}

/** 400 for a parameter Nova cannot honour; `code: "unsupported_parameter"` like OpenAI's own. */
export function unsupportedParam(param: string, message: string): OpenAIHttpError {
  return new OpenAIHttpError(400, message, { param, code: 'unsupported_parameter' });
}

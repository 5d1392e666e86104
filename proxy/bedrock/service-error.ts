/**
 * Bedrock's error answers as the AWS SDK raises them, so translate/map-error.ts treats both
 * transports alike: an Error whose `name` is the exception name (from `x-amzn-errortype`,
 * else the body's `code` / `__type`, cleaned the way the SDK's REST-JSON protocol cleans
 * it), `message` from the body, the body's other members copied on, `$fault`,
 * `$metadata` (status, request IDs, attempts) and `$response` (status and headers, read
 * for Retry-After). In-stream exceptions and errors get the same treatment.
 */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  cfId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}

export type HeaderMap = Record<string, string>;

export type ServiceError = Error & {
  $fault: 'client' | 'server';
  $metadata: ResponseMetadata;
  $response?: { statusCode: number; headers: HeaderMap };
  [member: string]: unknown;
};

/** `x-amzn-errortype: ThrottlingException:http://internal…` → `ThrottlingException`; `ns#Name` → `Name`. */
export function cleanErrorCode(raw: string): string {
  let v = raw;
  if (v.includes(',')) v = v.split(',')[0]!;
  if (v.includes(':')) v = v.split(':')[0]!;
  if (v.includes('#')) v = v.split('#')[1]!;
  return v;
}

export function responseMetadata(status: number, headers: HeaderMap): ResponseMetadata {
  return {
    httpStatusCode: status,
    requestId: headers['x-amzn-requestid'] ?? headers['x-amzn-request-id'] ?? headers['x-amz-request-id'],
    extendedRequestId: headers['x-amz-id-2'],
    cfId: headers['x-amz-cf-id'],
  };
}

/** An error answer (non-2xx): `bodyText` is the raw body. */
export function serviceError(status: number, headers: HeaderMap, bodyText: string): ServiceError {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = bodyText === '' ? {} : JSON.parse(bodyText);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a load balancer's HTML page, say): the status and headers still say what happened.
  }
  const header = headers['x-amzn-errortype'];
  const codeKey = Object.keys(data).find((k) => k.toLowerCase() === 'code');
  const raw = header ?? (codeKey !== undefined && data[codeKey] !== undefined ? String(data[codeKey]) : typeof data.__type === 'string' ? data.__type : undefined);
  const name = raw === undefined ? 'Unknown' : cleanErrorCode(raw);
  const message = typeof data.message === 'string' ? data.message : typeof data.Message === 'string' ? data.Message : 'UnknownError';
  return makeError(name, message, data, status < 500 ? 'client' : 'server', responseMetadata(status, headers), { statusCode: status, headers });
}

/** An exception event inside an event stream (`:exception-type`, JSON body). */
export function streamException(exceptionType: string, body: string, metadata: ResponseMetadata): ServiceError {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch {
    data = { message: body };
  }
  // The union member is camelCase (`throttlingException`); the exception is its shape name.
  const name = exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
  const message = typeof data.message === 'string' ? data.message : typeof data.Message === 'string' ? data.Message : 'UnknownError';
  const fault = name === 'ValidationException' || name === 'ThrottlingException' ? 'client' : 'server';
  return makeError(name, message, data, fault, metadata);
}

function makeError(name: string, message: string, data: Record<string, unknown>, fault: 'client' | 'server', metadata: ResponseMetadata, response?: ServiceError['$response']): ServiceError {
  const err = new Error(message) as ServiceError;
  err.name = name;
  for (const [k, v] of Object.entries(data)) {
    if (k === 'message' || k === 'Message' || k === '__type' || k === 'name' || k === 'stack' || v === undefined) continue;
    err[k] = v;
  }
  err.$fault = fault;
  err.$metadata = metadata;
  if (response) err.$response = response;
  return err;
}

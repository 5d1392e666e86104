/**
 * API Gateway REST (payload 1.0) and Lambda function URL / HTTP API (payload 2.0) events
 * to a plain request, and a buffered response back to each shape. Only the fields we read
 * are typed; see test/deploy/events/ for recorded-shape samples.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { BridgeRequest } from './http-bridge.js';

export interface RestApiEvent {
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string; identity?: { sourceIp?: string } };
}

export interface HttpV2Event {
  version: '2.0';
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { requestId?: string; http: { method: string; sourceIp?: string } };
}

export type LambdaHttpEvent = RestApiEvent | HttpV2Event;

export function isV2(event: LambdaHttpEvent): event is HttpV2Event {
  return (event as HttpV2Event).version === '2.0' && typeof (event as HttpV2Event).requestContext?.http === 'object';
}

export function isHttpEvent(event: unknown): event is LambdaHttpEvent {
  if (!event || typeof event !== 'object') return false;
  const e = event as Record<string, unknown>;
  return typeof e.httpMethod === 'string' || (e.version === '2.0' && typeof e.rawPath === 'string');
}

export function toBridgeRequest(event: LambdaHttpEvent): BridgeRequest {
  const headers: Record<string, string> = {};
  let method: string;
  let url: string;
  let sourceIp: string | undefined;
  let requestId: string | undefined;
  if (isV2(event)) {
    for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
    if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
    method = event.requestContext.http.method;
    url = event.rawPath + (event.rawQueryString ? `?${event.rawQueryString}` : '');
    sourceIp = event.requestContext.http.sourceIp;
    requestId = event.requestContext.requestId;
  } else {
    if (event.multiValueHeaders) {
      for (const [k, v] of Object.entries(event.multiValueHeaders)) if (v?.length) headers[k.toLowerCase()] = v.join(', ');
    }
    for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined && !(k.toLowerCase() in headers)) headers[k.toLowerCase()] = v;
    method = event.httpMethod;
    const params = new URLSearchParams();
    if (event.multiValueQueryStringParameters) {
      for (const [k, vs] of Object.entries(event.multiValueQueryStringParameters)) for (const v of vs ?? []) params.append(k, v);
    } else {
      for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) params.append(k, v);
    }
    const qs = params.toString();
    url = event.path + (qs ? `?${qs}` : '');
    sourceIp = event.requestContext?.identity?.sourceIp;
    requestId = event.requestContext?.requestId;
  }
  // Correlate our logs with API Gateway's: the app uses x-request-id as its request ID.
  if (requestId && !headers['x-request-id']) headers['x-request-id'] = requestId;
  const body = event.body == null || event.body === '' ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return { method, url, headers, body, sourceIp };
}

// Meaningless or forbidden once API Gateway / the function URL re-frames the response.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export interface FlatHeaders {
  headers: Record<string, string>;
  cookies: string[];
}

export function flattenHeaders(raw: OutgoingHttpHeaders): FlatHeaders {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    if (k === 'set-cookie') cookies.push(...(Array.isArray(v) ? v : [String(v)]));
    else headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return { headers, cookies };
}

export interface BufferedResult {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

const TEXTUAL = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)|[^;]*\+json|[^;]*\+xml)/i;

export function toBufferedResult(event: LambdaHttpEvent, statusCode: number, raw: OutgoingHttpHeaders, body: Buffer): BufferedResult {
  const { headers, cookies } = flattenHeaders(raw);
  const textual = body.length === 0 || TEXTUAL.test(headers['content-type'] ?? '');
  const out: BufferedResult = {
    statusCode,
    headers,
    body: textual ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !textual,
  };
  if (cookies.length) {
    if (isV2(event)) out.cookies = cookies;
    else out.multiValueHeaders = { 'set-cookie': cookies };
  }
  return out;
}

/**
 * API Gateway REST (payload 1.0) and Lambda function URL / HTTP API (payload 2.0) events
 * to a plain request, and a buffered response back to each shape. Only the fields we read
 * are typed; see test/deploy/events/ for recorded-shape samples.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { BridgeRequest } from './http-bridge.js';
import { OpenAIHttpError } from '../errors.js';

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
  return (event as HttpV2Event).version === '2.0';
}

export function isHttpEvent(event: unknown): event is LambdaHttpEvent {
  if (!event || typeof event !== 'object') return false;
  const e = event as Record<string, unknown>;
  return typeof e.httpMethod === 'string' || (e.version === '2.0' && typeof e.rawPath === 'string');
}

const badEvent = (what: string) =>
  new OpenAIHttpError(400, `Malformed ${what}: this function expects API Gateway or function URL HTTP events as AWS sends them.`, { code: 'invalid_event' });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An HTTP method token (RFC 9110), as Node's parser would accept it. */
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/;

/**
 * The event as a plain request, or the OpenAI-shaped error to answer with: events come from
 * AWS, but a test console, a hand-written integration or a bug upstream can send anything,
 * and the function must answer every one of them rather than throw. Optional fields of the
 * wrong type are ignored; a missing method or path, or a body that is not a string, is a 400.
 */
export function toBridgeRequest(event: LambdaHttpEvent): BridgeRequest | OpenAIHttpError {
  const e = event as unknown as Record<string, unknown>;
  const headers: Record<string, string> = {};
  const ctx = isRecord(e.requestContext) ? e.requestContext : {};
  let method: unknown;
  let path: unknown;
  let query = '';
  let sourceIp: unknown;
  if (isV2(event)) {
    const http = isRecord(ctx.http) ? ctx.http : {};
    addHeaders(headers, e.headers);
    const cookies = Array.isArray(e.cookies) ? e.cookies.filter((c): c is string => typeof c === 'string') : typeof e.cookies === 'string' ? [e.cookies] : [];
    if (cookies.length) headers.cookie = cookies.join('; ');
    method = http.method;
    path = e.rawPath;
    if (typeof e.rawQueryString === 'string') query = e.rawQueryString;
    sourceIp = http.sourceIp;
  } else {
    if (isRecord(e.multiValueHeaders)) {
      for (const [k, v] of Object.entries(e.multiValueHeaders)) {
        const values = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
        if (values.length) headers[k.toLowerCase()] = values.join(', ');
      }
    }
    addHeaders(headers, e.headers, true);
    method = e.httpMethod;
    path = e.path;
    const params = new URLSearchParams();
    if (isRecord(e.multiValueQueryStringParameters)) {
      for (const [k, vs] of Object.entries(e.multiValueQueryStringParameters)) {
        for (const v of Array.isArray(vs) ? vs : [vs]) if (typeof v === 'string') params.append(k, v);
      }
    } else if (isRecord(e.queryStringParameters)) {
      for (const [k, v] of Object.entries(e.queryStringParameters)) if (typeof v === 'string') params.append(k, v);
    }
    query = params.toString();
    sourceIp = isRecord(ctx.identity) ? ctx.identity.sourceIp : undefined;
  }
  if (typeof method !== 'string' || !METHOD.test(method)) return badEvent(isV2(event) ? 'event: requestContext.http.method is missing' : 'event: httpMethod is missing');
  if (typeof path !== 'string' || path === '') return badEvent(isV2(event) ? 'event: rawPath is missing' : 'event: path is missing');
  // Correlate our logs with API Gateway's: the app adopts a well-formed x-request-id as its request ID.
  if (typeof ctx.requestId === 'string' && !headers['x-request-id']) headers['x-request-id'] = ctx.requestId;
  if (e.body != null && typeof e.body !== 'string') return badEvent('event: body must be a string');
  const body = e.body == null || e.body === '' ? undefined : Buffer.from(e.body, e.isBase64Encoded === true ? 'base64' : 'utf8');
  const url = (path.startsWith('/') ? path : `/${path}`) + (query ? `?${query}` : '');
  return { method, url, headers, body, sourceIp: typeof sourceIp === 'string' ? sourceIp : undefined };
}

/** String-valued headers, names lower-cased; with `keepExisting`, multi-value ones already there win. */
function addHeaders(out: Record<string, string>, raw: unknown, keepExisting = false): void {
  if (!isRecord(raw)) return;
  for (const [k, v] of Object.entries(raw)) {
    const name = k.toLowerCase();
    if (typeof v === 'string' && !(keepExisting && name in out)) out[name] = v;
  }
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

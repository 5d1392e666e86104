/**
 * Replaying a recorded Bedrock answer byte for byte: status, the headers that describe the body,
 * and the body exactly as recorded (a JSON document, or the raw event-stream frames with their
 * `p` padding and CRCs). Lets a test run the real SDK and the proxy against what the live service
 * really sent rather than against the fake's re-encoding of it.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type http2 from 'node:http2';

export interface RecordedHttpResponse {
  status: number;
  /** Response headers as recorded; hop-by-hop and length headers are recomputed. */
  headers?: Record<string, string>;
  body: Uint8Array | string;
}

/** Headers that belong to the recorded connection, not to the response. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date', 'server-timing']);

export function writeRecorded(res: http.ServerResponse | http2.Http2ServerResponse, recorded: RecordedHttpResponse): void {
  const body = typeof recorded.body === 'string' ? Buffer.from(recorded.body, 'utf8') : Buffer.from(recorded.body);
  const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
  for (const [k, v] of Object.entries(recorded.headers ?? {})) {
    const name = k.toLowerCase();
    if (!HOP_BY_HOP.has(name)) headers[name] = v;
  }
  headers['content-type'] ??= 'application/json';
  if (!headers['content-type'].includes('eventstream')) headers['content-length'] = String(body.length);
  res.writeHead(recorded.status, headers);
  if (res instanceof http.ServerResponse) res.flushHeaders();
  res.end(body);
}

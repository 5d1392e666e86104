/**
 * Server-sent events on a raw Node response. Each call writes one frame batch as it is
 * produced; when the socket's buffer is full we wait for 'drain' so a slow client
 * slows the Bedrock stream down instead of growing memory.
 */
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Disables proxy buffering (nginx, some API gateways) so deltas reach the client at once.
  'x-accel-buffering': 'no',
} as const;

export function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

/** Writes `text`; resolves once the socket can take more. Returns false if the client is gone. */
export async function writeSse(res: ServerResponse, text: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(text)) return true;
  const closed = once(res, 'close').then(() => false);
  return Promise.race([once(res, 'drain').then(() => true), closed]);
}

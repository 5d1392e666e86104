/**
 * Server-sent events on a raw Node response. Each call writes one frame batch as it is
 * produced; when the socket's buffer is full we wait for 'drain' so a slow client
 * slows the Bedrock stream down instead of growing memory — but never past the
 * request's abort signal, so a client that stops reading cannot pin a stream open.
 */
import type { ServerResponse } from 'node:http';

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

/** A frame with an `event:` line, as the Responses API streams (the SDKs read the type from it). */
export function sseEvent(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

/**
 * Writes `text`. True when the socket can take more (synchronously in the common case, so
 * the hot path allocates no promise); false if the client is gone or `signal` aborted
 * while waiting for the buffer to drain.
 */
export function writeSse(res: ServerResponse, text: string, signal: AbortSignal): boolean | Promise<boolean> {
  if (res.destroyed || res.writableEnded || signal.aborted) return false;
  if (res.write(text)) return true;
  return new Promise<boolean>((resolve) => {
    const settle = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onStop);
      signal.removeEventListener('abort', onStop);
      resolve(ok);
    };
    const onDrain = () => settle(true);
    const onStop = () => settle(false);
    res.on('drain', onDrain);
    res.on('close', onStop);
    signal.addEventListener('abort', onStop);
  });
}

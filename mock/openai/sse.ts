// Server-sent events as OpenAI frames them: `data: <json>\n\n`, then `data: [DONE]`.
import type { ServerResponse } from 'node:http';

export function startSse(res: ServerResponse, headers: Record<string, string>): void {
  res.socket?.setNoDelay(true);
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
}

/** Writes each frame separately (own write, own TCP push), pausing `delayMs` between them. */
export async function writeFrames(res: ServerResponse, payloads: unknown[], delayMs: number, closed: () => boolean): Promise<void> {
  for (const p of payloads) {
    if (closed()) return;
    res.write(`data: ${JSON.stringify(p)}\n\n`);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    else await new Promise((r) => setImmediate(r)); // let the frame leave before the next one
  }
  if (closed()) return;
  res.write('data: [DONE]\n\n');
  res.end();
}

/**
 * The pass-through floor: the least a server in the proxy's position can do per request —
 * read the client's request, make one upstream request (undici, keep-alive, the same Pool the
 * direct transport uses) with a fixed Converse body and a Bearer token, and copy the
 * upstream's status and bytes back (JSON as is, event-stream frames as is). No parsing, no
 * translation, no signing, no logging. Every other server in the benchmark is measured
 * against it.
 */
import http from 'node:http';
import type { Dispatcher } from 'undici';
import Pool from 'undici/lib/dispatcher/pool.js';

const CONVERSE_BODY = Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Say hello in five words.' }] }], inferenceConfig: { maxTokens: 64 } }));
const STREAM = Buffer.from('"stream":true');

export async function startFloor(bedrockUrl: string, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new Pool(bedrockUrl, { keepAliveTimeout: 30_000, pipelining: 1 });
  const host = new URL(bedrockUrl).host;
  const headers = ['content-type', 'application/json', 'content-length', String(CONVERSE_BODY.length), 'authorization', 'Bearer floor', 'host', host];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const stream = body.includes(STREAM);
      const handler: Dispatcher.DispatchHandler = {
        onConnect() {},
        onHeaders(status, raw) {
          let type = 'application/json';
          for (let i = 0; i < raw.length; i += 2) if (String(raw[i]).toLowerCase() === 'content-type') type = String(raw[i + 1]);
          res.writeHead(status, { 'content-type': type });
          return true;
        },
        onData(chunk) {
          res.write(chunk);
          return true;
        },
        onComplete() {
          res.end();
        },
        onError() {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        },
      };
      pool.dispatch({ path: `/model/amazon.nova-lite-v1%3A0/${stream ? 'converse-stream' : 'converse'}`, method: 'POST', headers, body: CONVERSE_BODY }, handler);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      await pool.destroy();
    },
  };
}

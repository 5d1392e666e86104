/**
 * ConverseStream events reach the proxy in batches: on the direct transport, the events one
 * network read completed; on the SDK transport, one event each. Either way the events, in
 * order, are the same; a batch is never empty; leaving the iteration early closes the
 * connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { loadConfig } from '../../proxy/config.js';
import { createBedrockTransport } from '../../proxy/bedrock/create-transport.js';
import { encodeEvent } from '../../mock/bedrock/event-stream.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const input = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const delta = (text: string, seq: number) => Buffer.from(encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }, seq));
/** Three writes, with pauses between them: two events, one, then two and the end. */
const WRITES = [
  [Buffer.from(encodeEvent('messageStart', { role: 'assistant' })), delta('a', 1)],
  [delta('b', 2)],
  [delta('c', 3), Buffer.from(encodeEvent('messageStop', { stopReason: 'end_turn' }, 4))],
];

let server: http.Server;
let url: string;
let closed = 0;
beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    req.resume();
    await new Promise((r) => req.on('end', r));
    res.on('close', () => closed++);
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-1' });
    for (const w of WRITES) {
      if (res.destroyed) return;
      res.write(Buffer.concat(w));
      await sleep(40);
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function batches(kind: 'direct' | 'sdk', stopAfter = Infinity): Promise<ConverseStreamOutput[][]> {
  const config = loadConfig({ env: {}, overrides: { bedrockTransport: kind } });
  const t = await createBedrockTransport(config, { endpoint: url, credentials });
  try {
    const out: ConverseStreamOutput[][] = [];
    for await (const batch of await t.converseStream(input, { signal: new AbortController().signal })) {
      out.push(batch);
      if (out.length >= stopAfter) break;
    }
    return out;
  } finally {
    t.destroy();
  }
}

const names = (bs: ConverseStreamOutput[][]) => bs.map((b) => b.map((e) => Object.keys(e)[0]));

describe('ConverseStream batches', () => {
  it('direct: the events of each read together, in order', async () => {
    const got = await batches('direct');
    expect(names(got).flat()).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockDelta', 'messageStop']);
    // Each write arrives in one read; a busy event loop may read two writes at once, never split one.
    const writeEnds = WRITES.map((_, i) => WRITES.slice(0, i + 1).flat().length);
    let seen = 0;
    for (const b of got) {
      expect(b.length).toBeGreaterThan(0);
      seen += b.length;
      expect(writeEnds).toContain(seen);
    }
  });

  it('sdk: one event per batch, the same events', async () => {
    const direct = (await batches('direct')).flat();
    const sdk = await batches('sdk');
    expect(sdk.every((b) => b.length === 1)).toBe(true);
    // The SDK's deserializer also drops the service's `p` padding member, which the translator ignores.
    const unpadded = (es: ConverseStreamOutput[]) => JSON.parse(JSON.stringify(es, (k, v) => (k === 'p' ? undefined : v)));
    expect(unpadded(sdk.flat())).toEqual(unpadded(direct));
  });

  it.each(['direct', 'sdk'] as const)('%s: leaving early closes the connection', async (kind) => {
    const before = closed;
    expect(names(await batches(kind, 1))[0]![0]).toBe('messageStart');
    await expect.poll(() => closed, { timeout: 2000 }).toBe(before + 1);
  });
});

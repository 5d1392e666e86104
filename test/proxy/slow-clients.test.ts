/**
 * Slow and unauthenticated clients over raw sockets: a client must deliver its whole
 * request (headers and body) within the configured time or get an OpenAI-shaped 408 and
 * lose the connection; a client without a valid key loses it as soon as its 401 is out.
 * Limits are small here; the assertions only bound times generously.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

const KEY = 'slow-client-key-1';
const chatBody = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });

interface RawClient {
  socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  /** Writes `text` one byte every `everyMs` until the socket closes. */
  trickle(text: string, everyMs: number): void;
}

function rawClient(origin: string): Promise<RawClient> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    const timers: NodeJS.Timeout[] = [];
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    void closed.then(() => timers.forEach(clearInterval));
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        closed,
        trickle(text, everyMs) {
          let i = 0;
          const t = setInterval(() => {
            if (socket.destroyed || i >= text.length) return clearInterval(t);
            socket.write(text[i++]!);
          }, everyMs);
          timers.push(t);
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** Status line and JSON body of the first response in `raw`. */
function parseResponse(raw: string) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head!)?.[1]);
  const headers = Object.fromEntries(head!.split('\r\n').slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status, headers, json: JSON.parse(rest.join('\r\n\r\n')) };
}

/** Fails the test (instead of hanging it) if the server keeps the connection. */
async function closedWithin(c: RawClient, ms: number): Promise<void> {
  const timeout = new Promise<'open'>((r) => setTimeout(() => r('open'), ms).unref());
  const result = await Promise.race([c.closed.then(() => 'closed' as const), timeout]);
  c.socket.destroy();
  expect(result, 'the server must close the connection').toBe('closed');
}

describe('request time bounds (headers + body)', () => {
  let rig: ProxyRig;
  beforeAll(async () => {
    rig = await startProxyRig({ apiKeys: [KEY], headersTimeoutMs: 300, requestReadTimeoutMs: 600 }, { fake: { latencyMs: 900 } });
  });
  afterAll(async () => rig?.close());

  it('closes a connection that never sends a byte', async () => {
    const c = await rawClient(rig.origin);
    await closedWithin(c, 10_000);
  });

  it('answers 408 and closes when the headers trickle in', async () => {
    const c = await rawClient(rig.origin);
    c.trickle(`GET /v1/models HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${KEY}\r\nx-slow: ${'a'.repeat(500)}\r\n\r\n`, 20);
    await closedWithin(c, 10_000);
    const res = parseResponse(c.received());
    expect(res.status).toBe(408);
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
    expect(res.json.error.code).toBe('request_timeout');
    expect(res.json.error.message).toMatch(/within 300 ms and the whole request within 600 ms/);
  });

  it('answers 408 and closes when an authenticated body trickles in', async () => {
    const c = await rawClient(rig.origin);
    c.socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${KEY}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n`);
    c.trickle(' '.repeat(100_000), 20);
    await closedWithin(c, 10_000);
    const res = parseResponse(c.received());
    expect(res.status).toBe(408);
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
  });

  it('does not bound the answer: a generation slower than the read limit still succeeds', async () => {
    // The fake takes 900 ms to answer; the request itself arrived at once.
    const res = await fetch(`${rig.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: chatBody,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).object).toBe('chat.completion');
  });

  it('keeps idle keep-alive connections usable past the read limit', async () => {
    const c = await rawClient(rig.origin);
    const get = `GET /health HTTP/1.1\r\nhost: x\r\n\r\n`;
    c.socket.write(get);
    await new Promise((r) => setTimeout(r, 900));
    c.socket.write(get);
    await new Promise((r) => setTimeout(r, 200));
    expect(c.received().match(/HTTP\/1\.1 200/g)).toHaveLength(2);
    c.socket.destroy();
  });
});

describe('unauthenticated clients', () => {
  let rig: ProxyRig;
  beforeAll(async () => {
    // A long read limit: only the 401 can be what closes the connection.
    rig = await startProxyRig({ apiKeys: [KEY], requestReadTimeoutMs: 120_000, headersTimeoutMs: 60_000 });
  });
  afterAll(async () => rig?.close());

  it.each([
    ['no key', ''],
    ['a wrong key', 'authorization: Bearer wrong-key-123\r\n'],
  ])('with %s: get their 401 and lose the connection while still trickling a body', async (_label, auth) => {
    const c = await rawClient(rig.origin);
    c.socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${auth}content-type: application/json\r\ncontent-length: 100000\r\n\r\n{`);
    c.trickle(' '.repeat(100_000), 20);
    await closedWithin(c, 10_000);
    const res = parseResponse(c.received());
    expect(res.status).toBe(401);
    expect(res.headers.connection).toBe('close');
    expect(validateOpenAI('ErrorResponse', res.json)).toEqual([]);
  });

  it('a client with a wrong key that sends a whole body at once reads its 401', async () => {
    for (const size of [1_000, 200_000, 5_000_000]) {
      const res = await fetch(`${rig.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-key-123' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(size) }] }),
      });
      expect(res.status, `${size}-byte body`).toBe(401);
      expect(((await res.json()) as any).error.code).toBe('invalid_api_key');
    }
  });
});

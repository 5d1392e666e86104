/**
 * pipeSse, the writer every streamed answer goes through, on a real loopback response:
 * what reaches the client, in what order, and that the iteration is stopped and the
 * response ended whatever happens (the routes' tests cover it end to end).
 */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeSse, type SseWriter } from '../../proxy/sse.js';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

interface Run {
  body: string;
  calls: string[];
  returned: boolean;
}

/** Serves one request through pipeSse and returns what the client read. */
async function run(batches: () => AsyncIterator<string[]>, overrides: Partial<SseWriter<string[]>> = {}, first = ''): Promise<Run> {
  const calls: string[] = [];
  let returned = false;
  let closedOnce!: () => void;
  const closed = new Promise<void>((resolve) => (closedOnce = resolve));
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const it = batches();
    const original = it.return?.bind(it);
    it.return = async (v?: unknown) => {
      returned = true;
      return original ? original(v) : { value: undefined, done: true };
    };
    const scope = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {}, abort: () => void (scope.aborted = true) };
    pipeSse(res, it, scope, {
      frames: (b) => b.map((s) => `data: ${s}\n\n`).join(''),
      end: () => 'data: [DONE]\n\n',
      ended: () => void calls.push('ended'),
      fail: (err) => `data: {"error":${JSON.stringify((err as Error).message)}}\n\n`,
      closed: () => {
        calls.push('closed');
        closedOnce();
      },
      ...overrides,
    }, first);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const body = await res.text();
  await closed;
  return { body, calls, returned };
}

async function* gen(list: string[][], failAfter?: Error) {
  yield* list;
  if (failAfter) throw failAfter;
}

describe('pipeSse', () => {
  it('writes the first frames, each batch, the end; an empty batch writes nothing; ended, then closed once', async () => {
    const r = await run(() => gen([['a', 'b'], [], ['c']]), {}, 'event: start\n\n');
    expect(r.body).toBe('event: start\n\ndata: a\n\ndata: b\n\ndata: c\n\ndata: [DONE]\n\n');
    expect(r.calls).toEqual(['ended', 'closed']);
  });

  it('a failure of the iteration becomes the in-band error, after what was already written; no end', async () => {
    const r = await run(() => gen([['a']], new Error('upstream broke')));
    expect(r.body).toBe('data: a\n\ndata: {"error":"upstream broke"}\n\n');
    expect(r.calls).toEqual(['closed']);
  });

  it('a throw while framing stops the iteration (the upstream call is cancelled) and is reported in-band', async () => {
    const r = await run(() => gen([['a'], ['b'], ['c']]), {
      frames: (b) => {
        if (b[0] === 'b') throw new Error('frame bug');
        return `data: ${b[0]}\n\n`;
      },
    });
    expect(r.body).toBe('data: a\n\ndata: {"error":"frame bug"}\n\n');
    expect(r.returned).toBe(true);
    expect(r.calls).toEqual(['closed']);
  });

  it('a throw in ended() is reported in-band like any failure', async () => {
    const r = await run(() => gen([['a']]), {
      ended: () => {
        throw new Error('store full');
      },
    });
    expect(r.body).toBe('data: a\n\ndata: [DONE]\n\ndata: {"error":"store full"}\n\n');
  });

  it('a writer whose fail() throws still ends the response', async () => {
    const r = await run(() => gen([['a']], new Error('x')), {
      fail: () => {
        throw new Error('bug');
      },
    });
    expect(r.body).toBe('data: a\n\n');
    expect(r.calls).toEqual(['closed']);
  });
});

/**
 * The access line is built by hand on the hot path (access-line.ts); pino is the reference.
 * Every generated field set must come out byte for byte as pino's child logger writes it.
 */
import { describe, expect, it, vi } from 'vitest';
import pino, { type Logger } from 'pino';
import { lineWriter, type AccessFields } from '../../proxy/observability/access-line.js';
import { RequestLogger } from '../../proxy/observability/request-logger.js';
import { seededRandom } from '../support/seeded-random.js';

function capture(options: pino.LoggerOptions = {}): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  // A fixed clock so two lines written at different moments can be compared byte for byte.
  const logger = pino({ level: 'info', timestamp: () => ',"time":1765000000000', ...options }, { write: (s: string) => void lines.push(s) });
  return { logger, lines };
}

const STRINGS = [
  'gpt-4o-mini',
  'amazon.nova-lite-v1:0',
  '',
  'with "quotes" and \\ backslash',
  'tab\there, newline\nthere, \u0001 control',
  'ünïcödé 模型 🚀',
  'x'.repeat(300), // past pino's short-string path
  '</script>\u2028\u2029',
];
const NUMBERS = [0, 1, 12.345, -3, 1e21, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 123456789];

function generate(seed: number): AccessFields {
  const r = seededRandom(seed);
  const maybe = <T>(v: T): T | undefined => (r.next() < 0.5 ? v : undefined);
  return {
    route: r.next() < 0.2 ? null : r.pick(['/v1/chat/completions', '/v1/responses', '/health', r.pick(STRINGS)]),
    method: r.pick(['POST', 'GET', 'DELETE']),
    status: r.pick([200, 400, 401, 404, 500, 503]),
    model: maybe(r.pick(STRINGS)),
    bedrockModelId: maybe(r.pick(STRINGS)),
    stream: r.next() < 0.5,
    latencyMs: r.pick(NUMBERS),
    bedrockMs: maybe(r.pick(NUMBERS)),
    overheadMs: r.pick(NUMBERS),
    ttftMs: maybe(r.pick(NUMBERS)),
    inputTokens: maybe(r.pick(NUMBERS)),
    outputTokens: maybe(r.pick(NUMBERS)),
    cachedInputTokens: maybe(r.pick(NUMBERS)),
    costUsd: maybe(r.pick(NUMBERS)),
    errorType: maybe(r.pick(['invalid_request_error', 'client_closed', r.pick(STRINGS)])),
    apiKeyIndex: maybe(r.int(5)),
    aborted: r.next() < 0.2 ? true : undefined,
  };
}

describe('access line', () => {
  it('is byte for byte what pino writes for the same fields, over 2,000 generated field sets', () => {
    const ours = capture();
    const theirs = capture();
    const write = lineWriter(ours.logger)!;
    expect(write).toBeDefined();
    for (let seed = 1; seed <= 2000; seed++) {
      const f = generate(seed);
      const reqId = seed % 3 === 0 ? `req-${seed}` : 'c0ffee00-0000-4000-8000-00000000000' + (seed % 10);
      write('info', reqId, f, 'request completed');
      theirs.logger.child({ reqId }).info(f, 'request completed');
      expect(ours.lines[seed - 1], `seed ${seed}`).toBe(theirs.lines[seed - 1]);
    }
    // And it is JSON a log pipeline reads.
    for (const l of ours.lines.slice(0, 50)) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('follows the logger: its level, its base bindings, its message key', () => {
    const { logger, lines } = capture({ level: 'info', base: { service: 'nova' }, messageKey: 'message' });
    const write = lineWriter(logger)!;
    const f = generate(7);
    write('debug', 'a', f, 'request completed');
    expect(lines).toHaveLength(0);
    logger.level = 'debug';
    write('debug', 'a', f, 'request completed');
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 20, service: 'nova', reqId: 'a', message: 'request completed' });
    expect(line.pid).toBeUndefined();
  });

  it('gives way to pino where the logger reshapes lines', () => {
    const reshaping: pino.LoggerOptions[] = [
      { mixin: () => ({ extra: 1 }) },
      { formatters: { log: (o) => o } },
      { hooks: { logMethod: (args, method) => method.apply(undefined as never, args) } },
      { hooks: { streamWrite: (s) => s } },
      { nestedKey: 'payload' },
      { redact: ['model'] },
      { serializers: { model: (m: string) => m.toUpperCase() } },
    ];
    for (const options of reshaping) expect(lineWriter(capture(options).logger), JSON.stringify(Object.keys(options))).toBeUndefined();
    const multi = pino({}, pino.multistream([{ stream: { write: () => undefined } }]));
    expect(lineWriter(multi)).toBeUndefined();
    // Fastify's logger when logging is off is not pino.
    expect(lineWriter({ info() {}, child() {} } as never)).toBeUndefined();
  });
});

describe('per-request logger', () => {
  it('makes no pino child until something logs, then one, with the request ID bound', () => {
    const { logger, lines } = capture();
    const child = vi.spyOn(logger, 'child');
    const log = new RequestLogger(logger, { reqId: 'r-1' }, {});
    expect(log.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
    log.info({ a: 1 }, 'one');
    log.error(new Error('boom'));
    log.debug('not at info');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 30, reqId: 'r-1', a: 1, msg: 'one' }),
      expect.objectContaining({ level: 50, reqId: 'r-1', msg: 'boom', err: expect.objectContaining({ message: 'boom' }) }),
    ]);
    // Its own children and level work as pino's do.
    log.child({ part: 'x' }).warn('w');
    expect(JSON.parse(lines[2]!)).toMatchObject({ reqId: 'r-1', part: 'x', msg: 'w' });
    log.level = 'debug';
    log.debug('now');
    expect(JSON.parse(lines[3]!)).toMatchObject({ level: 20, msg: 'now' });
    expect(logger.level).toBe('info');
  });

  it('takes a level given for the request (a route log level)', () => {
    const { logger, lines } = capture();
    const log = new RequestLogger(logger, { reqId: 'r-2' }, { level: 'warn' });
    expect(log.level).toBe('warn');
    log.info('dropped');
    log.warn('kept');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['kept']);
  });
});

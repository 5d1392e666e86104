/**
 * The per-request logger Fastify puts on `request.log`: pino's child (the request ID bound)
 * is made the first time something logs through it. Most requests log nothing but their
 * access line, which plugin.ts writes without a child (access-line.ts); Fastify's default
 * makes a pino child for every request.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString } from 'pino';

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal';
// pino's log functions are overloaded; arguments are passed through as they came.
const forward = (logger: FastifyBaseLogger, level: Level, args: unknown[]) => (logger[level] as (...a: unknown[]) => void).apply(logger, args);

export class RequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bound: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bound, this.options));
  }

  get level(): LevelWithSilentOrString {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }
  set level(level: LevelWithSilentOrString) {
    this.logger.level = level;
  }

  // Prototype methods, not per-instance closures: a request that logs nothing allocates one small object.
  info(...args: unknown[]): void {
    forward(this.logger, 'info', args);
  }
  error(...args: unknown[]): void {
    forward(this.logger, 'error', args);
  }
  warn(...args: unknown[]): void {
    forward(this.logger, 'warn', args);
  }
  debug(...args: unknown[]): void {
    forward(this.logger, 'debug', args);
  }
  trace(...args: unknown[]): void {
    forward(this.logger, 'trace', args);
  }
  fatal(...args: unknown[]): void {
    forward(this.logger, 'fatal', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`. */
export const requestLoggerFactory = (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger =>
  new RequestLogger(logger, bindings, options);

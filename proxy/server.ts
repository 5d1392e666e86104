/**
 * `nova-migrate serve`: listen, print the URL, and shut down gracefully — stop accepting,
 * let open requests finish for `shutdownGraceMs`, then answer what is left: requests still
 * waiting on Bedrock (nothing sent yet) get an OpenAI-shaped 503 with `Retry-After`, which
 * OpenAI SDKs retry (through the load balancer, on another instance); open streams get an
 * error event. Only then are the remaining connections closed.
 */
import type { FastifyInstance } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import type { BedrockTransport } from './bedrock/transport.js';
import { assertSafeBinding, type ProxyConfig } from './config.js';
import { buildApp, shuttingDown } from './app.js';

export interface RunOptions {
  /** Serve from the built-in mock Bedrock (synthetic answers, no AWS). */
  mock?: boolean;
  /** Where to print the banner (stdout by default). */
  out?: (line: string) => void;
  /** A Bedrock transport to use instead of one built from the config (embedding, tests). */
  transport?: BedrockTransport;
  /** Where log lines go (runServer: batched stdout, see serverLogStream). */
  logStream?: DestinationStream;
  /**
   * Called once, after the first response to an API request (`/v1/…`) has been sent: the
   * built `serve` writes its compile cache then, with the request path compiled (a health
   * probe first would leave it out).
   */
  onFirstResponse?: () => void;
  /** What the built `serve` did with its compile cache, logged at debug level. */
  compileCache?: { state: string; file?: string };
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** How long the answers given at the end of the grace period have to reach their clients. */
const ANSWER_MS = 1000;

export async function startServer(config: ProxyConfig, opts: RunOptions = {}): Promise<RunningServer> {
  assertSafeBinding(config);
  let closeMock: (() => Promise<void>) | undefined;
  let transport: BedrockTransport | undefined = opts.transport;
  let ownsTransport = false;
  if (opts.mock) {
    const { startFakeBedrock } = await import('../mock/fake-bedrock.js');
    // A little per-chunk latency so streaming looks and behaves like a real model.
    const fake = await startFakeBedrock({ chunkDelayMs: 20 });
    closeMock = () => fake.close();
    transport = await mockTransport(fake.url, config);
    ownsTransport = true;
  }
  const app = await buildApp(config, { ...(transport ? { transport } : {}), ...(opts.logStream ? { logStream: opts.logStream } : {}) });
  const address = await app.listen({ host: config.host, port: config.port });
  if (opts.compileCache) app.log.debug({ compileCache: opts.compileCache.state, file: opts.compileCache.file }, 'compile cache');
  const first = opts.onFirstResponse;
  if (first) {
    // Listens until the first API request only: later requests pay nothing for it.
    const onRequest = (req: { url?: string }, res: NodeJS.EventEmitter) => {
      if (!req.url?.startsWith('/v1/')) return;
      app.server.off('request', onRequest);
      res.once('finish', () => setImmediate(first));
    };
    app.server.on('request', onRequest);
  }
  const url = address.replace('[::1]', 'localhost');
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      let lastCall: NodeJS.Timeout | undefined;
      const grace = setTimeout(() => {
        // Every request scope, waiting or streaming: the route turns the reason into a 503
        // (headers not sent yet) or an in-stream error event.
        const reason = shuttingDown();
        for (const c of app.inFlight.requests) c.abort(reason);
        for (const c of app.inFlight.streams) c.abort(reason);
        // Those answers close their connections themselves; whatever is left after a moment
        // (a body still uploading) is cut.
        lastCall = setTimeout(() => app.server.closeAllConnections(), ANSWER_MS);
        lastCall.unref();
      }, config.shutdownGraceMs);
      grace.unref();
      // Connections become idle as their streams finish; close them then, not at keep-alive timeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      await app.close();
      clearTimeout(grace);
      clearTimeout(lastCall);
      clearInterval(sweep);
      if (ownsTransport) transport?.destroy();
      await closeMock?.();
    })());
  return { app, url, close };
}

/**
 * Log lines to stdout in batches — a write per ~4 KB, and at most a quarter of a second late —
 * instead of a write per line: one write system call is most of what a request log line
 * costs. Lines are joined here and handed to sonic-boom a batch at a time: its own
 * `minLength` buffering measures each line's UTF-8 length twice as it appends it (~0.6 of
 * the ~3 µs a pino line costs, measured). Written synchronously (pino's default), as a batch
 * is one short system call: an asynchronous write goes through libuv's thread pool and its
 * wake-up, ~3 µs more CPU per line. (Lambda keeps writing line by line: a frozen sandbox would hold buffered lines.)
 */
export function serverLogStream(fd = 1): DestinationStream & { flushSync(): void } {
  const dest = pino.destination({ dest: fd, sync: true });
  let batch = '';
  const flush = () => {
    if (batch === '') return;
    const lines = batch;
    batch = '';
    dest.write(lines);
  };
  setInterval(flush, 250).unref();
  return {
    write(line: string) {
      batch += line;
      if (batch.length >= 4096) flush();
    },
    flushSync() {
      flush();
      dest.flushSync();
    },
  };
}

export async function runServer(config: ProxyConfig, opts: RunOptions = {}): Promise<void> {
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logStream = opts.logStream ?? serverLogStream();
  const server = await startServer(config, { ...opts, logStream });
  // One write: whoever reads the URL line (scripts, tests) has the rest of the banner with it.
  const banner = [
    `nova-migrate proxy listening on ${server.url}`,
    `  OpenAI base URL: ${server.url}/v1   region: ${config.region}   auth: ${config.apiKeys.length ? 'API keys' : 'none'}`,
    ...(opts.mock ? ['  MOCK MODE: answers come from a built-in synthetic Bedrock, not from AWS.'] : []),
  ];
  out(banner.join('\n'));
  const stop = (signal: string) => {
    out(`received ${signal}: finishing open requests (up to ${config.shutdownGraceMs} ms)…`);
    void server.close().then(() => {
      (logStream as { flushSync?: () => void }).flushSync?.();
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** The product's own (configured) transport, pointed at a local fake Bedrock (`--mock`) with dummy credentials. */
async function mockTransport(endpoint: string, config: ProxyConfig): Promise<BedrockTransport> {
  const { createBedrockTransport } = await import('./bedrock/create-transport.js');
  return createBedrockTransport(config, { endpoint, credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' } });
}

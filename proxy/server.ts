/**
 * `nova-migrate serve`: listen, print the URL, and shut down gracefully — stop accepting,
 * let open requests finish for `shutdownGraceMs`, then answer what is left: requests still
 * waiting on Bedrock (nothing sent yet) get an OpenAI-shaped 503 with `Retry-After`, which
 * OpenAI SDKs retry (through the load balancer, on another instance); open streams get an
 * error event. Only then are the remaining connections closed.
 */
import type { FastifyInstance } from 'fastify';
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
  const app = await buildApp(config, transport ? { transport } : {});
  const address = await app.listen({ host: config.host, port: config.port });
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

export async function runServer(config: ProxyConfig, opts: RunOptions = {}): Promise<void> {
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = await startServer(config, opts);
  // One write: whoever reads the URL line (scripts, tests) has the rest of the banner with it.
  const banner = [
    `nova-migrate proxy listening on ${server.url}`,
    `  OpenAI base URL: ${server.url}/v1   region: ${config.region}   auth: ${config.apiKeys.length ? 'API keys' : 'none'}`,
    ...(opts.mock ? ['  MOCK MODE: answers come from a built-in synthetic Bedrock, not from AWS.'] : []),
  ];
  out(banner.join('\n'));
  const stop = (signal: string) => {
    out(`received ${signal}: finishing open requests (up to ${config.shutdownGraceMs} ms)…`);
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** The product's own transport, pointed at a local fake Bedrock (`--mock`) with dummy credentials. */
async function mockTransport(endpoint: string, config: ProxyConfig): Promise<BedrockTransport> {
  const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
  const { sdkTransport } = await import('./bedrock/sdk-transport.js');
  return sdkTransport(new BedrockRuntimeClient({ endpoint, region: config.region, credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' } }));
}

/**
 * `nova-migrate serve`: listen, print the URL, and shut down gracefully — stop accepting,
 * let open streams finish for `shutdownGraceMs`, then abort what is left.
 */
import type { FastifyInstance } from 'fastify';
import type { BedrockTransport } from './bedrock/transport.js';
import { assertSafeBinding, type ProxyConfig } from './config.js';
import { buildApp } from './app.js';
import { OpenAIHttpError } from './errors.js';

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
      const grace = setTimeout(() => {
        const reason = new OpenAIHttpError(503, 'The server is shutting down; retry the request.');
        for (const c of app.inFlight.streams) c.abort(reason);
        // Give the aborted streams a moment to write their error event before the sockets go.
        const deadline = Date.now() + 250;
        const finish = setInterval(() => {
          if (app.inFlight.streams.size > 0 && Date.now() < deadline) return;
          clearInterval(finish);
          app.server.closeAllConnections();
        }, 10);
      }, config.shutdownGraceMs);
      grace.unref();
      // Connections become idle as their streams finish; close them then, not at keep-alive timeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      await app.close();
      clearTimeout(grace);
      clearInterval(sweep);
      if (ownsTransport) transport?.destroy();
      await closeMock?.();
    })());
  return { app, url, close };
}

export async function runServer(config: ProxyConfig, opts: RunOptions = {}): Promise<void> {
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = await startServer(config, opts);
  out(`nova-migrate proxy listening on ${server.url}`);
  out(`  OpenAI base URL: ${server.url}/v1   region: ${config.region}   auth: ${config.apiKeys.length ? 'API keys' : 'none'}`);
  if (opts.mock) out('  MOCK MODE: answers come from a built-in synthetic Bedrock, not from AWS.');
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

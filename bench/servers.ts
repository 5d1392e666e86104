/**
 * Benchmark child processes, one role each, so every server gets its own process (and
 * CPU pinning from the orchestrator):
 *   node dist/bench/servers.js fake  '{"latencyMs":20,"chunkDelayMs":2}'
 *   node dist/bench/servers.js proxy '{"bedrockUrl":"http://127.0.0.1:…"}'
 * Ready: sends `{ url, pid }` over IPC.
 */
import { startFakeBedrock } from '../mock/fake-bedrock.js';

const [role, rawOpts] = process.argv.slice(2);
const opts = JSON.parse(rawOpts ?? '{}') as Record<string, any>;
const ready = (msg: object) => process.send?.({ ...msg, pid: process.pid });

if (role === 'fake') {
  const fake = await startFakeBedrock({ latencyMs: opts.latencyMs ?? 20, chunkDelayMs: opts.chunkDelayMs ?? 0 });
  // The fake records every request for tests; a benchmark sends hundreds of thousands.
  setInterval(() => (fake.requests.length = 0), 500).unref();
  ready({ url: fake.url });
} else if (role === 'proxy') {
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = opts.bedrockUrl;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const { loadConfig } = await import('../proxy/config.js');
  const { buildApp } = await import('../proxy/app.js');
  const { createSdkTransport, sdkTransport } = await import('../proxy/bedrock/sdk-transport.js');
  // As in production: info-level request log lines (to /dev/null here) and Prometheus metrics on.
  const config = loadConfig({
    env: {},
    overrides: { host: '127.0.0.1', port: 0, region: 'us-east-1', logLevel: opts.logLevel ?? 'info', bedrockMaxAttempts: 1, metrics: opts.metrics ?? 'prometheus' },
  });
  let transport = createSdkTransport(config);
  if (opts.leanClient) {
    // Experiment: the SDK client swapped for a minimal one (bench/lean-bedrock.ts).
    const { createLeanBedrockClient } = await import('./lean-bedrock.js');
    transport.destroy();
    transport = sdkTransport(createLeanBedrockClient({ endpoint: opts.bedrockUrl, region: 'us-east-1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }) as never);
  }
  const app = await buildApp(config, { transport });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  ready({ url: address });
} else {
  process.stderr.write(`unknown role ${role}\n`);
  process.exit(2);
}

// Exit normally on signals so `--cpu-prof` profiles get written.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(0));

/**
 * Benchmark child processes, one role each, so every server gets its own process (and
 * CPU pinning from the orchestrator):
 *   servers.mjs fake  '{"latencyMs":0,"chunkDelayMs":0}'
 *   servers.mjs proxy '{"bedrockUrl":"http://127.0.0.1:…","transport":"direct"}'
 *   servers.mjs floor '{"bedrockUrl":"…"}'      pass-through floor (bench/floor.ts)
 *   servers.mjs lean  '{"bedrockUrl":"…"}'      the proxy with the minimal client of bench/lean-bedrock.ts
 * Ready: sends `{ url, pid }` over IPC.
 */
import { startFakeBedrock } from '../mock/fake-bedrock.js';

const [role, rawOpts] = process.argv.slice(2);
const opts = JSON.parse(rawOpts ?? '{}') as Record<string, any>;
const ready = (msg: object) => process.send?.({ ...msg, pid: process.pid });
const exampleCredentials = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

if (role === 'fake') {
  const fake = await startFakeBedrock({
    latencyMs: opts.latencyMs ?? 0,
    chunkDelayMs: opts.chunkDelayMs ?? 0,
    // The fake shares a core with the load generator: keep its per-request work to the protocol.
    verifySignatures: opts.verifySignatures ?? false,
  });
  // A fixed answer of `answerWords` words (two per stream event) instead of the synthetic
  // model's: scripted steps, one per request, topped up as requests consume them.
  const step = opts.answerWords ? { answer: { kind: 'text' as const, text: 'word '.repeat(opts.answerWords).trim(), stopReason: 'end_turn' as const } } : undefined;
  const topUp = (n: number) => {
    if (step) for (let i = 0; i < n; i++) fake.enqueue(step);
  };
  topUp(20_000);
  // The fake records every request for tests; a benchmark sends hundreds of thousands.
  setInterval(() => {
    topUp(fake.requests.length);
    fake.requests.length = 0;
  }, 200).unref();
  ready({ url: fake.url });
} else if (role === 'floor') {
  const { startFloor } = await import('./floor.js');
  ready({ url: (await startFloor(opts.bedrockUrl)).url });
} else if (role === 'proxy' || role === 'lean') {
  Object.assign(process.env, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: opts.bedrockUrl, ...exampleCredentials });
  const { loadConfig } = await import('../proxy/config.js');
  const { buildApp } = await import('../proxy/app.js');
  // As in production: info-level request log lines (to /dev/null here) and Prometheus metrics on.
  const config = loadConfig({
    env: {},
    overrides: {
      host: '127.0.0.1',
      port: 0,
      region: 'us-east-1',
      logLevel: opts.logLevel ?? 'info',
      bedrockMaxAttempts: 1,
      metrics: opts.metrics ?? 'prometheus',
      bedrockTransport: opts.transport === 'sdk' ? 'sdk' : 'direct',
      bodyLimitBytes: 64 * 1024 * 1024,
      images: { maxBytes: 8_000_000 },
    },
  });
  let transport;
  if (role === 'lean') {
    // Experiment: the SDK client swapped for the minimal one of bench/lean-bedrock.ts.
    const { createLeanBedrockClient } = await import('./lean-bedrock.js');
    const { sdkTransport } = await import('../proxy/bedrock/sdk-transport.js');
    transport = sdkTransport(createLeanBedrockClient({ endpoint: opts.bedrockUrl, region: 'us-east-1', accessKeyId: exampleCredentials.AWS_ACCESS_KEY_ID, secretAccessKey: exampleCredentials.AWS_SECRET_ACCESS_KEY }) as never);
  }
  // Log lines as `serve` writes them (batched to stdout, here /dev/null).
  const { serverLogStream } = await import('../proxy/server.js');
  const app = await buildApp(config, { ...(transport ? { transport } : {}), logStream: serverLogStream() });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  ready({ url: address });
} else {
  process.stderr.write(`unknown role ${role}\n`);
  process.exit(2);
}

// Exit normally on signals so `--cpu-prof` profiles get written.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(0));

/**
 * Load generation, run in its own process (pinned apart from the server under test):
 *  - closed-loop clients with per-request timing at microsecond resolution, against an
 *    OpenAI-style endpoint (the proxy, Portkey) or Bedrock directly through the AWS SDK;
 *  - autocannon for throughput at saturation;
 *  - N streams held open at once (for RSS).
 * Started by bench/run.ts: `node dist/bench/load.js '<job json>'`, result over IPC.
 */
import http from 'node:http';
import autocannon from 'autocannon';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export const MODEL = 'amazon.nova-lite-v1:0';
export const PROMPT = 'Say hello in five words.';

export function openaiBody(stream: boolean): string {
  return JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: PROMPT }], max_tokens: 64, stream });
}

export interface Sample {
  latencyMs: number;
  ttftMs: number | undefined;
  ok: boolean;
}

export interface LatencyResult {
  n: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  ttftP50?: number;
  ttftP99?: number;
}

export type Job =
  | { kind: 'openai'; url: string; headers?: Record<string, string>; stream: boolean; concurrency: number; requests: number; warmup: number }
  | { kind: 'sdk'; bedrockUrl: string; stream: boolean; concurrency: number; requests: number; warmup: number }
  | { kind: 'autocannon'; url: string; headers?: Record<string, string>; body: string; connections: number; durationS: number }
  | { kind: 'hold-streams'; url: string; headers?: Record<string, string>; streams: number };

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}

const CONTENT = /"content":"[^"]/;

function openaiRequester(url: string, headers: Record<string, string>, stream: boolean, agent: http.Agent) {
  const body = Buffer.from(openaiBody(stream));
  const target = new URL(url);
  return () =>
    new Promise<Sample>((resolve) => {
      const t0 = performance.now();
      let ttft: number | undefined;
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers } },
        (res) => {
          let seen = '';
          res.on('data', (c: Buffer) => {
            if (stream && ttft === undefined) {
              seen += c.toString('utf8');
              if (CONTENT.test(seen)) ttft = performance.now() - t0;
            }
          });
          res.on('end', () => resolve({ latencyMs: performance.now() - t0, ttftMs: ttft, ok: res.statusCode === 200 }));
          res.on('error', () => resolve({ latencyMs: performance.now() - t0, ttftMs: ttft, ok: false }));
        },
      );
      req.on('error', () => resolve({ latencyMs: performance.now() - t0, ttftMs: ttft, ok: false }));
      req.end(body);
    });
}

function sdkRequester(bedrockUrl: string, stream: boolean, concurrency: number) {
  const client = new BedrockRuntimeClient({
    endpoint: bedrockUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }) }),
  });
  const input = { modelId: MODEL, messages: [{ role: 'user' as const, content: [{ text: PROMPT }] }], inferenceConfig: { maxTokens: 64 } };
  return async (): Promise<Sample> => {
    const t0 = performance.now();
    let ttft: number | undefined;
    try {
      if (stream) {
        const out = await client.send(new ConverseStreamCommand(input));
        for await (const ev of out.stream!) if (ev.contentBlockDelta?.delta?.text && ttft === undefined) ttft = performance.now() - t0;
      } else {
        await client.send(new ConverseCommand(input));
      }
      return { latencyMs: performance.now() - t0, ttftMs: ttft, ok: true };
    } catch {
      return { latencyMs: performance.now() - t0, ttftMs: ttft, ok: false };
    }
  };
}

async function closedLoop(concurrency: number, total: number, fn: () => Promise<Sample>): Promise<{ samples: Sample[]; elapsedMs: number }> {
  let issued = 0;
  const samples: Sample[] = [];
  const t0 = performance.now();
  const worker = async () => {
    while (issued < total) {
      issued++;
      samples.push(await fn());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, elapsedMs: performance.now() - t0 };
}

function summarize(samples: Sample[], elapsedMs: number, stream: boolean): LatencyResult {
  const ok = samples.filter((s) => s.ok);
  const lat = ok.map((s) => s.latencyMs).sort((a, b) => a - b);
  const r: LatencyResult = { n: ok.length, errors: samples.length - ok.length, rps: (samples.length / elapsedMs) * 1000, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99) };
  if (stream) {
    const t = ok.map((s) => s.ttftMs).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    r.ttftP50 = quantile(t, 0.5);
    r.ttftP99 = quantile(t, 0.99);
  }
  return r;
}

export async function runJob(job: Job): Promise<unknown> {
  switch (job.kind) {
    case 'openai':
    case 'sdk': {
      const fn =
        job.kind === 'openai'
          ? openaiRequester(job.url, job.headers ?? {}, job.stream, new http.Agent({ keepAlive: true, maxSockets: job.concurrency }))
          : sdkRequester(job.bedrockUrl, job.stream, job.concurrency);
      // Warm up at full concurrency: both connection pools (client → gateway → fake) then hold
      // `concurrency` sockets, so the measured requests don't pay for connection set-up.
      if (job.warmup) await closedLoop(job.concurrency, Math.max(job.warmup, 2 * job.concurrency), fn);
      const { samples, elapsedMs } = await closedLoop(job.concurrency, job.requests, fn);
      return summarize(samples, elapsedMs, job.stream);
    }
    case 'autocannon': {
      const r = await autocannon({
        url: job.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...job.headers },
        body: job.body,
        connections: job.connections,
        duration: job.durationS,
      });
      return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, total: r.requests.total };
    }
    case 'hold-streams': {
      const agent = new http.Agent({ keepAlive: false, maxSockets: job.streams + 10 });
      const body = Buffer.from(openaiBody(true));
      const target = new URL(job.url);
      let open = 0;
      let done = 0;
      let failed = 0;
      await new Promise<void>((resolveAll) => {
        for (let i = 0; i < job.streams; i++) {
          const req = http.request(
            { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, ...job.headers } },
            (res) => {
              let first = true;
              res.on('data', () => {
                if (first) {
                  first = false;
                  if (++open === job.streams) process.send?.({ allOpen: true });
                }
              });
              res.on('end', () => {
                if (res.statusCode !== 200) failed++;
                if (++done === job.streams) resolveAll();
              });
            },
          );
          req.on('error', () => {
            failed++;
            if (++done === job.streams) resolveAll();
          });
          req.end(body);
        }
      });
      return { open, failed };
    }
  }
}

const isMain = /\/bench\/(out\/)?load\.m?js$/.test(process.argv[1] ?? '');
if (isMain && process.send) {
  const job = JSON.parse(process.argv[2]!) as Job;
  const result = await runJob(job);
  process.send({ result }, () => process.exit(0));
}

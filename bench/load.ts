/**
 * Load generation, run in its own process (pinned apart from the server under test):
 *  - closed loop at N connections: wrk when installed (a C client: the server saturates
 *    before the client does), autocannon otherwise;
 *  - open loop at a fixed rate, two paths in the same round (the gateway under test and
 *    the direct call to the fake it stands in front of), latency counted from each
 *    request's *scheduled* send time, so a slow response delays nothing and hides nothing;
 *  - N streams held open at once (for RSS).
 * Started by bench/run.ts: `node bench/out/load.mjs <job.json>`, result over IPC.
 */
import http from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MODEL = 'amazon.nova-lite-v1:0';
export const PROMPT = 'Say hello in five words.';

export function openaiBody(stream: boolean, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: PROMPT }], max_tokens: 64, stream, ...extra });
}

/** What a client calling Bedrock itself would send (the baseline path: straight to the fake). */
export const CONVERSE_BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: PROMPT }] }], inferenceConfig: { maxTokens: 64 } });

export interface Target {
  url: string;
  headers?: Record<string, string>;
  body: string;
}

export interface ClosedResult {
  requests: number;
  rps: number;
  non2xx: number;
  errors: number;
  tool: 'wrk' | 'autocannon';
}

export interface Percentiles {
  n: number;
  errors: number;
  p50: number;
  p99: number;
}

export interface OpenLoopResult {
  target: Percentiles;
  baseline: Percentiles;
}

export type Job =
  | ({ kind: 'closed'; connections: number; durationS: number } & Target)
  | { kind: 'open'; target: Target; baseline: Target; stream: boolean; rate: number; durationS: number }
  | ({ kind: 'hold-streams'; streams: number } & Target);

export const hasWrk = (): boolean => ['/usr/bin/wrk', '/usr/local/bin/wrk'].some((p) => existsSync(p));

async function closed(job: Extract<Job, { kind: 'closed' }>): Promise<ClosedResult> {
  if (hasWrk()) {
    const dir = mkdtempSync(join(tmpdir(), 'nova-wrk-'));
    const script = join(dir, 'post.lua');
    const headers = { 'Content-Type': 'application/json', ...job.headers };
    writeFileSync(script, [`wrk.method = "POST"`, `wrk.body = ${luaString(job.body)}`, ...Object.entries(headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)].join('\n'));
    const out = await new Promise<string>((resolve, reject) =>
      execFile('wrk', ['-t1', `-c${job.connections}`, `-d${job.durationS}s`, '--timeout', '30s', '-s', script, job.url], { maxBuffer: 1 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
    const seconds = Number(/requests in ([\d.]+)(m?s)/.exec(out)?.[1] ?? job.durationS) / (/requests in [\d.]+ms/.test(out) ? 1000 : 1);
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    return {
      requests,
      rps: requests / seconds,
      non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
      errors: socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
      tool: 'wrk',
    };
  }
  const { default: autocannon } = await import('autocannon');
  const r = await autocannon({ url: job.url, method: 'POST', headers: { 'content-type': 'application/json', ...job.headers }, body: job.body, connections: job.connections, duration: job.durationS });
  return { requests: r.requests.total, rps: r.requests.total / job.durationS, non2xx: r.non2xx, errors: r.errors + r.timeouts, tool: 'autocannon' };
}

function luaString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** First content in a response: an SSE delta with text, or a Converse contentBlockDelta frame. */
const FIRST_CONTENT = /"content":"[^"]|contentBlockDelta/;

function sender(t: Target, stream: boolean, agent: http.Agent) {
  const body = Buffer.from(t.body);
  const url = new URL(t.url);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length), ...t.headers };
  return (scheduled: number) =>
    new Promise<{ ms: number; ok: boolean }>((resolve) => {
      let first: number | undefined;
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers }, (res) => {
        let seen = '';
        res.on('data', (c: Buffer) => {
          if (stream && first === undefined) {
            seen += c.toString('latin1');
            if (FIRST_CONTENT.test(seen)) first = performance.now();
          }
        });
        res.on('end', () => resolve({ ms: (stream ? (first ?? performance.now()) : performance.now()) - scheduled, ok: res.statusCode === 200 && (!stream || first !== undefined) }));
        res.on('error', () => resolve({ ms: performance.now() - scheduled, ok: false }));
      });
      req.on('error', () => resolve({ ms: performance.now() - scheduled, ok: false }));
      req.end(body);
    });
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}

function percentiles(xs: { ms: number; ok: boolean }[]): Percentiles {
  const ok = xs.filter((x) => x.ok).map((x) => x.ms).sort((a, b) => a - b);
  return { n: ok.length, errors: xs.length - ok.length, p50: quantile(ok, 0.5), p99: quantile(ok, 0.99) };
}

/**
 * Both paths at `rate` requests/s each, interleaved half a period apart, for `durationS`.
 * Each request is sent at its scheduled time whatever the others are doing (open loop).
 */
async function open(job: Extract<Job, { kind: 'open' }>): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4096 });
  const sendTarget = sender(job.target, job.stream, agent);
  const sendBaseline = sender(job.baseline, job.stream, agent);
  const period = 1000 / job.rate;
  const total = Math.round(job.rate * job.durationS);
  // Warm both paths' connections and JIT before the measured schedule.
  for (let i = 0; i < 50; i++) await Promise.all([sendTarget(performance.now()), sendBaseline(performance.now())]);
  const target: Promise<{ ms: number; ok: boolean }>[] = [];
  const baseline: Promise<{ ms: number; ok: boolean }>[] = [];
  const t0 = performance.now() + 20;
  for (let i = 0; i < total; i++) {
    for (const [offset, send, out] of [[0, sendTarget, target], [period / 2, sendBaseline, baseline]] as const) {
      const at = t0 + i * period + offset;
      const wait = at - performance.now();
      // A late timer delays both paths alike, and counts: latency runs from `at`.
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      out.push(send(at));
    }
  }
  const [t, b] = await Promise.all([Promise.all(target), Promise.all(baseline)]);
  agent.destroy();
  return { target: percentiles(t), baseline: percentiles(b) };
}

async function holdStreams(job: Extract<Job, { kind: 'hold-streams' }>): Promise<{ open: number; failed: number }> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: job.streams + 10 });
  const body = Buffer.from(job.body);
  const target = new URL(job.url);
  let opened = 0;
  let done = 0;
  let failed = 0;
  await new Promise<void>((resolveAll) => {
    const finish = () => {
      if (++done === job.streams) resolveAll();
    };
    for (let i = 0; i < job.streams; i++) {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, ...job.headers } },
        (res) => {
          let first = true;
          res.on('data', () => {
            if (first) {
              first = false;
              if (++opened === job.streams) process.send?.({ allOpen: true });
            }
          });
          res.on('end', () => {
            if (res.statusCode !== 200) failed++;
            finish();
          });
        },
      );
      req.on('error', () => {
        failed++;
        finish();
      });
      req.end(body);
    }
  });
  return { open: opened, failed };
}

export async function runJob(job: Job): Promise<unknown> {
  switch (job.kind) {
    case 'closed':
      return closed(job);
    case 'open':
      return open(job);
    case 'hold-streams':
      return holdStreams(job);
  }
}

const isMain = /\/bench\/(out\/)?load\.m?js$/.test(process.argv[1] ?? '');
if (isMain && process.send) {
  const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
  const result = await runJob(job);
  process.send({ result }, () => process.exit(0));
}

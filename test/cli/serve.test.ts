import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { fakeBedrockEnv, startFakeBedrock } from '../../mock/fake-bedrock.js';

const bin = fileURLToPath(new URL('../../bin/nova-migrate.js', import.meta.url));

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env, NOVA_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

/** The URL from the banner, once the banner's last line (`until`) has been printed too. */
async function waitForUrl(p: ReturnType<typeof run>, until = /OpenAI base URL/): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const m = /listening on (http:\/\/\S+)/.exec(p.out());
    if (m && until.test(p.out())) return m[1]!;
    if (p.child.exitCode !== null) throw new Error(`exited early: ${p.err()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no URL printed: ${p.out()} ${p.err()}`);
}

function stop(child: ChildProcess) {
  if (child.exitCode === null) child.kill('SIGKILL');
}

describe('nova-migrate serve', () => {
  it('answers --help quickly and lists the options', async () => {
    const started = performance.now();
    const p = run(['serve', '--help']);
    expect(await p.exited).toBe(0);
    expect(p.out()).toMatch(/--port/);
    expect(p.out()).toMatch(/--no-auth|--auth/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('serves with --mock, prints its URL, and finishes an open stream on SIGTERM', async () => {
    const p = run(['serve', '--port', '0', '--mock']);
    try {
      const url = await waitForUrl(p, /MOCK MODE/);
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
      const health = (await (await fetch(`${url}/health`)).json()) as any;
      expect(health.status).toBe('ok');
      expect(health.models['gpt-4o']).toBe('amazon.nova-pro-v1:0');
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'Write a long paragraph about the sea and the ships that sail on it.' }],
      });
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      p.child.kill('SIGTERM');
      let text = '';
      let finish: string | null | undefined;
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        text += r.value.choices[0]?.delta.content ?? '';
        finish ??= r.value.choices[0]?.finish_reason;
      }
      expect(finish).toBe('stop');
      expect(text.length).toBeGreaterThan(10);
      expect(await p.exited).toBe(0);
    } finally {
      stop(p.child);
    }
  });

  // The built server with what a user has: keys in the environment (signatures checked by
  // the fake), metrics on (the default) or off — every lazily loaded part of the bundle.
  it.each(['prometheus', 'off'])('serves a chat completion from Bedrock with keys from the environment, metrics %s', async (metrics) => {
    const fake = await startFakeBedrock();
    const p = run(['serve', '--port', '0'], { ...fakeBedrockEnv(fake), AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined, NOVA_METRICS: metrics });
    try {
      const url = await waitForUrl(p);
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: 'Say hello.' }] });
      expect(completion.choices[0]?.message.content).toBeTruthy();
      expect(fake.requests.length).toBe(1);
      const scrape = await fetch(`${url}/metrics`);
      if (metrics === 'off') expect(scrape.status).toBe(404);
      else expect(await scrape.text()).toContain('nova_proxy_requests_total{model="amazon.nova-lite-v1:0",stream="false",status="200"} 1\n');
    } finally {
      stop(p.child);
      await fake.close();
    }
  });

  it('refuses a public bind without keys, with a clear message and exit 2', async () => {
    const p = run(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/refusing to listen on 0\.0\.0\.0 without API keys/);
    expect(p.err()).not.toMatch(/\n\s+at /);
  });

  it('reports a bad MODEL_MAPPINGS without a stack trace', async () => {
    const p = run(['serve', '--port', '0'], { MODEL_MAPPINGS: '{oops' });
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/MODEL_MAPPINGS is not valid JSON/);
    expect(p.err()).not.toMatch(/\n\s+at /);
  });
});

/**
 * Requests in the steady state create no new V8 maps (hidden classes). An object whose shape
 * is new each time — in V8 11–12, any object that starts as a spread copy (`{ ...a, k }`,
 * `const o = { ...a }; o.k = …`) and then gains a member — costs a map, a descriptor array and an
 * inline-cache miss per request, lives in the old generation until the next full collection,
 * and makes every site that later reads such objects megamorphic. Measured in the server's own
 * process with V8's map log (`--log-maps`), between two marker requests, for each kind of
 * request the proxy serves: the new map transitions per request. The chat request path made
 * seven per request (and as many new maps) before this check (docs/benchmarks.md).
 *
 * On the direct transport (the default): the AWS SDK's client, the other transport, builds
 * its per-request objects by spreading and is not held to this.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeBedrockEnv, startFakeBedrock } from '../../mock/fake-bedrock.js';

const bin = fileURLToPath(new URL('../../bin/nova-migrate.js', import.meta.url));
const WARM = 300;
const MEASURED = 400;

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello.' }], max_tokens: 64, temperature: 0.5, stop: ['END'] };
const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
const workloads: Record<string, { path: string; body: unknown; status?: number; bedrockError?: { errorType: 'ValidationException'; message: string } }> = {
  'chat completion': { path: '/v1/chat/completions', body: chat },
  'chat completion, streamed with usage': { path: '/v1/chat/completions', body: { ...chat, stream: true, stream_options: { include_usage: true } } },
  'chat completion with tools': { path: '/v1/chat/completions', body: { ...chat, tools, tool_choice: 'auto' } },
  'chat completion, json_schema': { path: '/v1/chat/completions', body: { ...chat, response_format: { type: 'json_schema', json_schema: { name: 'greeting', schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false } } } } },
  'response': { path: '/v1/responses', body: { model: 'gpt-4o-mini', input: 'Say hello.', instructions: 'Be brief.', max_output_tokens: 64, store: false } },
  'response, streamed': { path: '/v1/responses', body: { model: 'gpt-4o-mini', input: 'Say hello.', max_output_tokens: 64, stream: true, store: false } },
  'embeddings': { path: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: ['one', 'two'] } },
  // Errors too: a client can make every request one.
  'Bedrock error': { path: '/v1/chat/completions', body: chat, status: 400, bedrockError: { errorType: 'ValidationException', message: 'Malformed input request' } },
};

async function post(origin: string, path: string, body: string): Promise<number> {
  const res = await fetch(origin + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.arrayBuffer();
  return res.status;
}

async function drive(origin: string, path: string, body: string, n: number, status = 200): Promise<void> {
  let i = 0;
  const statuses = new Set<number>();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (i++ < n) statuses.add(await post(origin, path, body));
  }));
  expect([...statuses]).toEqual([status]);
}

describe('steady-state requests create no V8 maps', () => {
  it('for every kind of request', async () => {
    // The fake Bedrock in this process, so that the server's log holds only the proxy's maps.
    const fake = await startFakeBedrock();
    const dir = mkdtempSync(join(tmpdir(), 'nova-map-log-'));
    const log = join(dir, 'v8.log');
    const child = spawn(process.execPath, ['--log-maps', '--no-log-maps-details', `--logfile=${log}`, '--no-logfile-per-isolate', bin, 'serve', '--port', '0'], {
      env: { ...process.env, ...fakeBedrockEnv(fake), NOVA_LOG_LEVEL: 'info', NOVA_COMPILE_CACHE: 'off', NOVA_BEDROCK_TRANSPORT: 'direct' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      let origin: string | undefined;
      for (let i = 0; i < 400 && !origin; i++) {
        origin = /listening on (http:\/\/\S+)/.exec(out)?.[1];
        if (!origin) await new Promise((r) => setTimeout(r, 25));
      }
      expect(origin, out).toBeTruthy();
      const names = Object.keys(workloads);
      for (const [k, name] of names.entries()) {
        const { path, body, status, bedrockError } = workloads[name]!;
        const text = JSON.stringify(body);
        if (bedrockError) for (let i = 0; i < WARM + MEASURED; i++) fake.enqueue({ error: bedrockError });
        await drive(origin!, path, text, WARM, status);
        // A key never seen before: parsing it logs a map transition named after it.
        await post(origin!, '/v1/chat/completions', `{"nova_map_marker_${k}_begin":1}`);
        await drive(origin!, path, text, MEASURED, status);
        await post(origin!, '/v1/chat/completions', `{"nova_map_marker_${k}_end":1}`);
      }
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      const lines = readFileSync(log, 'utf8').split('\n');
      const perRequest: Record<string, number> = {};
      const reasons: Record<string, string> = {};
      for (const [k, name] of names.entries()) {
        const begin = lines.findIndex((l) => l.includes(`nova_map_marker_${k}_begin`));
        const end = lines.findIndex((l) => l.includes(`nova_map_marker_${k}_end`));
        expect(begin, name).toBeGreaterThan(0);
        expect(end, name).toBeGreaterThan(begin);
        const window = lines.slice(begin + 1, end);
        // Transitions to a map not seen before are what an object with a shape of its own per
        // request leaves (`{ ...a, k }`: a transition named k each time). Prototype set-up that
        // V8 and Node do now and then (normalising an object that becomes a prototype, e.g.
        // for a new connection) creates maps too, at a rate that follows time and connections,
        // not requests: it is left out of the count, and shown in the message.
        const transitions = window.filter((l) => l.startsWith('map,Transition,')).length;
        perRequest[name] = Math.round((transitions / MEASURED) * 100) / 100;
        // What they were (a transition's property name, a normalisation…), for the failure message.
        const why = new Map<string, number>();
        for (const l of window) if (l.startsWith('map,')) {
          const f = l.split(',');
          const key = `${f[1]} ${f.at(-1)}`;
          why.set(key, (why.get(key) ?? 0) + 1);
        }
        reasons[name] = [...why].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ×${v}`).join('; ');
      }
      // Below one new transition per four requests: none per request (a transition first
      // taken late in the warm-up may still show).
      const over = Object.fromEntries(Object.entries(perRequest).filter(([, v]) => v > 0.25).map(([n, v]) => [n, `${v} per request: ${reasons[n]}`]));
      expect(over, `new map transitions per request: ${JSON.stringify(perRequest)}`).toEqual({});
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      await fake.close();
    }
  }, 120_000);
});

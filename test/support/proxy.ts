/**
 * Test rig: a fake Bedrock on loopback, the proxy's own Bedrock client pointed at it
 * through the SDK's endpoint variable, the proxy listening on an ephemeral port, and the
 * real `openai` SDK as the client.
 */
import OpenAI from 'openai';
import type { FastifyInstance } from 'fastify';
import { startFakeBedrock } from '../../mock/fake-bedrock.js';
import { buildApp } from '../../proxy/app.js';
import { createSdkTransport } from '../../proxy/bedrock/sdk-transport.js';
import { loadConfig, type ConfigOverrides, type ProxyConfig } from '../../proxy/config.js';

export type FakeBedrock = Awaited<ReturnType<typeof startFakeBedrock>>;

export interface ProxyRig {
  fake: FakeBedrock;
  app: FastifyInstance;
  config: ProxyConfig;
  /** http://127.0.0.1:PORT */
  origin: string;
  client: OpenAI;
  close(): Promise<void>;
}

export async function startProxyRig(
  overrides: ConfigOverrides = {},
  opts: { fake?: Parameters<typeof startFakeBedrock>[0]; env?: Record<string, string> } = {},
): Promise<ProxyRig> {
  const fake = await startFakeBedrock(opts.fake);
  // The product's client, configured only through the SDK's own environment variables.
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  delete process.env.AWS_PROFILE;
  const config = loadConfig({ env: { ...opts.env }, overrides: { logLevel: 'silent', bedrockMaxAttempts: 1, ...overrides } });
  const transport = createSdkTransport(config);
  const app = await buildApp(config, { transport });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: config.apiKeys[0] ?? 'unused', maxRetries: 0 });
  return {
    fake,
    app,
    config,
    origin,
    client,
    async close() {
      await app.close();
      transport.destroy();
      await fake.close();
    },
  };
}

/** Raw HTTP helper for what the SDK would not send (bad JSON, wrong types). */
export async function post(origin: string, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

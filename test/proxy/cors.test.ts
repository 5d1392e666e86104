/**
 * CORS, on only when `corsOrigins` is configured: preflights answered without an API key,
 * allowed origins echoed, others left without CORS headers, the proxy's own headers exposed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { loadConfig } from '../../proxy/config.js';

const KEY = 'cors-test-key-1';
const APP = 'https://app.example.com';
let rig: ProxyRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const preflight = (origin: string, headers = 'authorization,content-type,x-stainless-os') =>
  fetch(`${rig!.origin}/v1/chat/completions`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });
const chat = (origin: string) =>
  fetch(`${rig!.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('CORS', () => {
  it('answers preflights from a configured origin without a key, and marks the answers', async () => {
    rig = await startProxyRig({ corsOrigins: [APP], apiKeys: [KEY] });
    const pre = await preflight(APP);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-stainless-os');
    expect(pre.headers.get('access-control-max-age')).toBe('600');
    const res = await chat(APP);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(res.headers.get('access-control-expose-headers')).toContain('x-nova-cost-usd');
    // The key is still required for the call itself.
    const keyless = await fetch(`${rig.origin}/v1/models`, { headers: { origin: APP } });
    expect(keyless.status).toBe(401);
    expect(keyless.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('gives other origins no CORS headers', async () => {
    rig = await startProxyRig({ corsOrigins: [APP], apiKeys: [KEY] });
    const pre = await preflight('https://evil.example.net');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await chat('https://evil.example.net');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('"*" allows any origin', async () => {
    rig = await startProxyRig({ corsOrigins: ['*'] });
    const pre = await preflight('http://localhost:5173');
    expect([pre.status, pre.headers.get('access-control-allow-origin')]).toEqual([204, '*']);
  });

  it('is off by default: a preflight is refused like any keyless request, answers carry no CORS headers', async () => {
    rig = await startProxyRig({ apiKeys: [KEY] });
    const pre = await preflight(APP);
    expect([pre.status, pre.headers.get('access-control-allow-origin')]).toEqual([401, null]);
    expect((await chat(APP)).headers.get('access-control-allow-origin')).toBeNull();
    await rig.close();
    rig = await startProxyRig();
    const open = await preflight(APP);
    expect([open.status, open.headers.get('access-control-allow-origin')]).toEqual([404, null]);
    expect(((await open.json()) as { error: { code: string } }).error.code).toBe('unknown_url');
  });

  it('configuration: origins only, from the file or NOVA_CORS_ORIGINS', () => {
    expect(loadConfig({ env: { NOVA_CORS_ORIGINS: `${APP}, http://localhost:5173` } }).corsOrigins).toEqual([APP, 'http://localhost:5173']);
    expect(loadConfig({ env: {} }).corsOrigins).toEqual([]);
    for (const bad of [`${APP}/`, `${APP}/path`, 'app.example.com', 'ftp://x.example', '']) {
      expect(() => loadConfig({ env: {}, overrides: { corsOrigins: [bad] } })).toThrow(/corsOrigins \(NOVA_CORS_ORIGINS\) must be/);
    }
  });
});

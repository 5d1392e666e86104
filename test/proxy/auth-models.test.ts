import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI } from '../../mock/spec/openai-validator.js';

describe('API keys', () => {
  let rig: ProxyRig;
  beforeAll(async () => {
    rig = await startProxyRig({ apiKeys: ['sk-team-alpha-0001', 'sk-team-beta-0002'] });
  });
  afterAll(async () => rig?.close());

  it('accepts any configured key', async () => {
    for (const key of ['sk-team-alpha-0001', 'sk-team-beta-0002']) {
      const client = new OpenAI({ baseURL: `${rig.origin}/v1`, apiKey: key, maxRetries: 0 });
      const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
      expect(r.choices).toHaveLength(1);
    }
  });

  it('rejects a wrong or missing key with 401 before calling Bedrock', async () => {
    const before = rig.fake.requests.length;
    const wrong = new OpenAI({ baseURL: `${rig.origin}/v1`, apiKey: 'sk-team-alpha-0002', maxRetries: 0 });
    const err = await wrong.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('invalid_api_key');
    const res = await fetch(`${rig.origin}/v1/models`);
    expect(res.status).toBe(401);
    expect(validateOpenAI('ErrorResponse', await res.json())).toEqual([]);
    expect(rig.fake.requests.length).toBe(before);
  });

  it('leaves /health open for load balancers', async () => {
    const res = await fetch(`${rig.origin}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.auth).toBe('api-key');
    expect(JSON.stringify(body)).not.toContain('sk-team');
  });
});

describe('models', () => {
  let rig: ProxyRig;
  beforeAll(async () => {
    rig = await startProxyRig({}, { env: { MODEL_MAPPINGS: '{"gpt-4o":"amazon.nova-2-lite-v1:0","custom-model":"us.amazon.nova-pro-v1:0"}' } });
  });
  afterAll(async () => rig?.close());

  it('lists aliases and Nova IDs in OpenAI list shape, without calling AWS', async () => {
    const page = await rig.client.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo', 'gpt-5', 'o3', 'custom-model', 'amazon.nova-pro-v1:0', 'text-embedding-3-small', 'amazon.titan-embed-text-v2:0']));
    const raw = await (await fetch(`${rig.origin}/v1/models`)).json();
    expect(validateOpenAI('ListModelsResponse', raw)).toEqual([]);
    const unprefixed = await (await fetch(`${rig.origin}/models`)).json();
    expect(unprefixed).toEqual(raw);
    expect(rig.fake.requests.length).toBe(0);
  });

  it('retrieves one model and 404s unknown ones', async () => {
    const m = await rig.client.models.retrieve('gpt-4o-2024-08-06');
    expect(validateOpenAI('Model', m)).toEqual([]);
    expect(m.id).toBe('gpt-4o-2024-08-06');
    expect((await rig.client.models.retrieve('text-embedding-3-large')).id).toBe('text-embedding-3-large');
    const err = await rig.client.models.retrieve('gpt-9').catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
  });

  it('applies MODEL_MAPPINGS', async () => {
    const { response } = await rig.client.chat.completions.create({ model: 'custom-model', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-nova-model')).toBe('us.amazon.nova-pro-v1:0');
    expect(rig.fake.requests.at(-1)!.modelId).toBe('us.amazon.nova-pro-v1:0');
    const health = (await (await fetch(`${rig.origin}/health`)).json()) as any;
    // Nova 2 Lite is served only through inference profiles: the alias gets the region's.
    expect(health.models['gpt-4o']).toBe('us.amazon.nova-2-lite-v1:0');
  });

  it('resolves aliases to inference profiles with inferenceProfile auto', async () => {
    const auto = await startProxyRig({ inferenceProfile: 'auto', region: 'eu-central-1' }, { fake: { requireInferenceProfile: true } });
    try {
      await auto.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      expect(auto.fake.requests.at(-1)!.modelId).toBe('eu.amazon.nova-lite-v1:0');
    } finally {
      await auto.close();
    }
  });
});

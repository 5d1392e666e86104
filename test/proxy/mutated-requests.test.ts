/**
 * Seeded mutations of valid requests (wrong types, odd values, unknown and unsupported
 * parameters, cut-off bodies, private image addresses) against chat completions, Responses
 * and embeddings, through the real app and the validating fake Bedrock. Whatever arrives:
 * no 5xx; every error is OpenAI's ErrorResponse; every answer and stream event matches
 * OpenAI's spec; and every request the proxy forwarded is one Bedrock accepts (the fake's
 * own validator, run again over what it recorded), so a translation bug cannot hide behind
 * a 400 relayed from upstream.
 *
 * FUZZ_SEED and FUZZ_N run other seeds and more requests (the default run is fixed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyRig, type ProxyRig } from '../support/proxy.js';
import { validateOpenAI, type OpenAISchemaName } from '../../mock/spec/openai-validator.js';
import { checkConverseRequest } from '../../mock/spec/bedrock-validator.js';
import { seededRandom } from '../support/seeded-random.js';

let rig: ProxyRig;
beforeAll(async () => {
  rig = await startProxyRig();
});
afterAll(async () => rig?.close());

const ODD_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1e308, 3.5, '', 'x', '\u0000', '\ud800', 'a'.repeat(3000), [], [null], {}, { a: 1 }, [[[]]],
  'amazon.nova-lite-v1:0', 'gpt-4o', { type: 'text', text: 'hi' }, [{ type: 'text', text: 'hi' }],
  { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
  { type: 'image_url', image_url: { url: 'http://169.254.169.254/latest/meta-data/' } },
  { type: 'image_url', image_url: { url: 'http://127.0.0.1:1/x.png' } },
  { type: 'input_image', image_url: 'http://10.0.0.1/a.png' },
  'data:image/png;base64,!!!', { role: 'user', content: 'x' }, { role: 'tool', content: 'x' },
  { role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{' } }] },
];
const EXTRA_PARAMS = [
  'stream', 'tools', 'tool_choice', 'response_format', 'n', 'logprobs', 'stop', 'temperature', 'max_tokens', 'max_completion_tokens',
  'reasoning_effort', 'stream_options', 'input', 'instructions', 'previous_response_id', 'dimensions', 'encoding_format', 'text',
  'store', 'metadata', 'parallel_tool_calls', 'seed', 'user', 'modalities', 'audio', 'prediction', 'top_logprobs', 'logit_bias',
  'service_tier', 'top_p', 'frequency_penalty', 'presence_penalty', 'truncation', 'include', 'reasoning',
];

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const SEEDS: Record<string, readonly object[]> = {
  '/v1/chat/completions': [
    {
      model: 'amazon.nova-lite-v1:0',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'number' } } } } }],
      stream: false,
      max_tokens: 16,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
    },
    {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'answer in JSON' },
        { role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: PNG, detail: 'low' } }] },
      ],
      stream: true,
      stream_options: { include_usage: true },
      response_format: { type: 'json_object' },
      stop: ['END', 'STOP'],
      temperature: 0.2,
      top_p: 0.9,
      tool_choice: 'none',
      n: 1,
      logprobs: false,
    },
    {
      model: 'amazon.nova-2-lite-v1:0',
      messages: [{ role: 'user', content: 'think' }, { role: 'assistant', content: [{ type: 'text', text: 'ok' }] }, { role: 'user', content: 'more' }],
      reasoning_effort: 'low',
      max_completion_tokens: 64,
      tools: [{ type: 'function', function: { name: 'g', description: 'd', strict: true, parameters: { type: 'object', properties: { q: { type: 'string', enum: ['a', 'b'] } }, required: ['q'], additionalProperties: false } } }],
      tool_choice: { type: 'function', function: { name: 'g' } },
      parallel_tool_calls: false,
    },
    {
      model: 'amazon.nova-pro-v1:0',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'summarise' }, { type: 'file', file: { filename: 'notes.txt', file_data: `data:text/plain;base64,${Buffer.from('hello notes').toString('base64')}` } }] },
        { role: 'assistant', content: 'done', name: 'bot' },
        { role: 'user', content: 'and again', name: 'me' },
      ],
      stream: true,
      max_tokens: 40,
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { id: { $ref: '#/$defs/id' } }, $defs: { id: { type: 'string' } } } } }],
    },
  ],
  '/v1/responses': [
    {
      model: 'amazon.nova-lite-v1:0',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'ok' },
      ],
      instructions: 'brief',
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
      stream: false,
      max_output_tokens: 32,
    },
    {
      model: 'gpt-4.1',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'describe' }, { type: 'input_image', image_url: PNG, detail: 'auto' }] }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a dot', annotations: [] }] }],
      text: { format: { type: 'json_schema', name: 'd', schema: { type: 'object', properties: { d: { type: 'string' } } }, strict: true } },
      stream: true,
      tool_choice: 'auto',
      metadata: { k: 'v' },
      store: false,
    },
    { model: 'amazon.nova-2-lite-v1:0', input: 'plan a trip', reasoning: { effort: 'medium', summary: 'auto' }, include: ['reasoning.encrypted_content'], truncation: 'disabled' },
  ],
  '/v1/embeddings': [
    { model: 'amazon.titan-embed-text-v2:0', input: ['hello', 'world'], dimensions: 256, encoding_format: 'float' },
    { model: 'text-embedding-3-small', input: 'one string', encoding_format: 'base64', user: 'u' },
    { model: 'amazon.titan-embed-text-v2:0', input: [[9906, 1917], [15339]], dimensions: 512 },
    { model: 'amazon.nova-2-multimodal-embeddings-v1:0', input: ['a caption', 'another'], dimensions: 384 },
  ],
};

const ANSWER_SCHEMA: Record<string, OpenAISchemaName> = {
  '/v1/chat/completions': 'CreateChatCompletionResponse',
  '/v1/responses': 'Response',
  '/v1/embeddings': 'CreateEmbeddingResponse',
};
const EVENT_SCHEMA: Record<string, OpenAISchemaName> = {
  '/v1/chat/completions': 'CreateChatCompletionStreamResponse',
  '/v1/responses': 'ResponseStreamEvent',
};

function mutator(seed: number) {
  const { next, pick } = seededRandom(seed);
  const mutate = (v: unknown, depth = 0): unknown => {
    if (depth > 4 || next() < 0.15) return pick(ODD_VALUES);
    if (Array.isArray(v)) {
      const a = v.map((x) => mutate(x, depth + 1));
      if (next() < 0.2) a.push(pick(ODD_VALUES));
      if (next() < 0.1) a.length = 0;
      return a;
    }
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (next() < 0.1) continue;
        o[k] = next() < 0.7 ? x : mutate(x, depth + 1);
      }
      if (next() < 0.3) o[pick(EXTRA_PARAMS)] = pick(ODD_VALUES);
      return o;
    }
    return next() < 0.5 ? v : pick(ODD_VALUES);
  };
  return () => {
    const path = pick(Object.keys(SEEDS));
    let body = JSON.stringify(mutate(pick(SEEDS[path]!)));
    if (next() < 0.05) body = body.slice(0, Math.floor(next() * body.length));
    const contentType = pick(['application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain']);
    return { path, body, contentType };
  };
}

/** What went wrong with one answer, or undefined. */
function judge(path: string, status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  if (status >= 300) {
    let json: { error?: { message?: unknown } };
    try {
      json = JSON.parse(text);
    } catch {
      return `status ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
    }
    const issues = validateOpenAI('ErrorResponse', json);
    if (issues.length) return `status ${status}, not an OpenAI error: ${issues.join('; ')}`;
    if (typeof json.error?.message !== 'string' || json.error.message === '') return `status ${status}, empty error message`;
    return undefined;
  }
  if (contentType.startsWith('text/event-stream')) {
    for (const block of text.split('\n\n')) {
      const data = block.split('\n').find((l) => l.startsWith('data: '))?.slice(6);
      if (data === undefined || data === '[DONE]') continue;
      const event = JSON.parse(data) as { error?: unknown; type?: string };
      // An error after the stream began arrives as an event of its own.
      if (event.error !== undefined && event.type === undefined) {
        const issues = validateOpenAI('ErrorResponse', event);
        if (issues.length) return `in-stream error not OpenAI-shaped: ${issues.join('; ')}`;
        continue;
      }
      const issues = validateOpenAI(EVENT_SCHEMA[path]!, event);
      if (issues.length) return `stream event ${data.slice(0, 120)}: ${issues.slice(0, 3).join('; ')}`;
    }
    return undefined;
  }
  const answer = JSON.parse(text) as { data?: { embedding: unknown }[] };
  // With encoding_format "base64" the API answers each vector as a base64 string of float32s,
  // which OpenAI's spec (number arrays only) does not describe.
  for (const d of path === '/v1/embeddings' ? (answer.data ?? []) : []) {
    if (typeof d.embedding !== 'string') continue;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(d.embedding) || Buffer.from(d.embedding, 'base64').length % 4 !== 0) return `embedding is not base64 float32s: ${d.embedding.slice(0, 40)}`;
    d.embedding = [];
  }
  const issues = validateOpenAI(ANSWER_SCHEMA[path]!, answer);
  return issues.length ? `answer: ${issues.slice(0, 3).join('; ')}` : undefined;
}

describe('mutated requests', () => {
  it('what mutation found: Responses echoes metadata and service_tier, so bad values are 400s, not echoed', async () => {
    const ask = async (extra: object) => {
      const res = await fetch(`${rig.origin}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'amazon.nova-lite-v1:0', input: 'hi', ...extra }) });
      return { status: res.status, body: (await res.json()) as { error?: { param?: string }; metadata?: unknown; service_tier?: unknown } };
    };
    expect(await ask({ metadata: { image_url: { url: 'http://169.254.169.254/' } } })).toMatchObject({ status: 400, body: { error: { param: 'metadata.image_url' } } });
    expect(await ask({ service_tier: 'x' })).toMatchObject({ status: 400, body: { error: { param: 'service_tier' } } });
    const ok = await ask({ metadata: { team: 'search' }, service_tier: 'flex' });
    expect(ok).toMatchObject({ status: 200, body: { metadata: { team: 'search' }, service_tier: 'flex' } });
    expect(validateOpenAI('Response', ok.body)).toEqual([]);
  });

  it('never a 5xx, always OpenAI-shaped answers and errors, never an invalid request forwarded', async () => {
    const nextRequest = mutator(Number(process.env.FUZZ_SEED ?? 20261207));
    const problems: string[] = [];
    const statuses: Record<number, number> = {};
    for (let i = 0; i < Number(process.env.FUZZ_N ?? 300); i++) {
      const { path, body, contentType } = nextRequest();
      const res = await fetch(`${rig.origin}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
      const text = await res.text();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const problem = judge(path, res.status, res.headers.get('content-type') ?? '', text);
      if (problem) problems.push(`${path} ${body.slice(0, 800)}\n  → ${problem}`);
    }
    expect(problems).toEqual([]);
    // The mutations reach every outcome: answers, client errors, and requests forwarded.
    expect(statuses[200]).toBeGreaterThan(30);
    expect(statuses[400]).toBeGreaterThan(100);
    const forwarded = rig.fake.requests.filter((r) => r.operation === 'Converse' || r.operation === 'ConverseStream');
    expect(forwarded.length).toBeGreaterThan(30);
    const refused = forwarded.map((r) => ({ r, e: checkConverseRequest(r.operation as 'Converse', r.modelId, r.body) })).filter((x) => x.e);
    expect(refused.map(({ r, e }) => `${r.operation} ${JSON.stringify(r.body).slice(0, 300)} → ${e!.message}`)).toEqual([]);
  });
});

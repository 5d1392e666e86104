import { describe, expect, it } from 'vitest';
import jscodeshift from 'jscodeshift';
import { scanJs } from '../../codemods/scan/scan-js.js';
import { scanPython } from '../../codemods/scan/scan-py.js';
import type { Site } from '../../codemods/scan/verdicts.js';
import { symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTree, runCli } from './support.js';

const js = (src: string, file = 'x.ts') => scanJs(jscodeshift.withParser(file.endsWith('.ts') ? 'ts' : 'tsx'), src, file);
const brief = (sites: Site[]) => sites.filter((s) => s.confidence !== 'unverified').map((s) => `${s.line} ${s.api} ${s.verdict}${s.model?.value ? ` ${s.model.value}` : ''}${s.features.length ? ` [${s.features.join(',')}]` : ''}`);

describe('scan: JS/TS', () => {
  it('finds clients and calls with models, features and verdicts', () => {
    const sites = js(`import OpenAI from 'openai';
const MODEL = 'gpt-4o-mini';
const client = new OpenAI();
await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }], tools: [], stream: true });
await client.chat.completions.create({ model: 'gpt-4o', messages, logprobs: true });
await client.chat.completions.parse({ model: 'gpt-4o', messages, response_format: zodResponseFormat(S, 's') });
await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
await client.images.generate({ prompt: 'cat' });
await client.audio.transcriptions.create({ file, model: 'whisper-1' });
await client.moderations.create({ input: 'x' });
await client.responses.create({ model: 'gpt-4o', input: 'x' });
await client.beta.assistants.create({ model: 'gpt-4o' });
await client.beta.threads.runs.create('t', { assistant_id: 'a' });
await client.files.create({ file, purpose: 'batch' });
await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: 'f' });
await client.batches.create({ input_file_id: 'f', endpoint: '/v1/chat/completions', completion_window: '24h' });
await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'x' });
await client.models.list();
await client.chat.completions.create({ model: 'gpt-4o', messages, seed: 7, temperature: 1.4, n: 1 });
await client.chat.completions.create({ model: process.env.MODEL, messages, audio: { voice: 'alloy' }, modalities: ['text', 'audio'] });
`);
    expect(brief(sites)).toEqual([
      '3 openai.OpenAI works',
      '4 chat.completions.create works gpt-4o-mini [stream,tools,images]',
      '5 chat.completions.create unsupported gpt-4o [logprobs]',
      '6 chat.completions.parse differences gpt-4o [response_format:json_schema]',
      '7 embeddings.create differences text-embedding-3-small',
      '8 images.generate unsupported',
      '9 audio.transcriptions.create unsupported whisper-1',
      '10 moderations.create unsupported',
      '11 responses.create works gpt-4o',
      '12 beta.assistants.create unsupported gpt-4o',
      '13 beta.threads.runs.create unsupported',
      '14 files.create unsupported',
      '15 fineTuning.jobs.create unsupported gpt-4o-mini',
      '16 batches.create unsupported',
      '17 completions.create unsupported gpt-3.5-turbo-instruct',
      '18 models.list works',
      '19 chat.completions.create differences gpt-4o [temperature>1,seed]',
      '20 chat.completions.create unsupported [audio]',
    ]);
    expect(sites[1]!.model).toEqual({ value: 'gpt-4o-mini', from: 'const MODEL (line 2)' });
    expect(sites[17]!.model).toEqual({ from: 'env MODEL' });
    const fb = js(`import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: process.env.MODEL ?? 'gpt-4o', messages });\n`);
    expect(fb[1]!.model).toEqual({ value: 'gpt-4o', from: 'fallback of env MODEL' });
  });

  it('tells an OpenAI client from an unrelated create()', () => {
    const sites = js(`import OpenAI from 'openai';
import Stripe from 'stripe';
const stripe = new Stripe('k');
await stripe.files.create({ purpose: 'dispute_evidence' });
await db.batches.create({});
export class Svc {
  private ai = new OpenAI();
  constructor(private readonly other: OpenAI) {}
  run() {
    return [this.ai.embeddings.create({ model: 'm', input: 'x' }), this.other.files.list()];
  }
}
export function f(c: OpenAI) { return c.batches.list(); }
`);
    expect(brief(sites)).toEqual(['7 openai.OpenAI works', '10 embeddings.create differences m', '10 files.list unsupported', '13 batches.list unsupported']);
    // Untraced common paths are kept only for the type checker to decide.
    // (`stripe` is built by another library's constructor: not even a candidate.)
    expect(sites.filter((s) => s.confidence === 'unverified').map((s) => s.api)).toEqual(['batches.create']);
  });

  it('follows same-file factories', () => {
    const sites = js(`import OpenAI from 'openai';
function makeClient() {
  return new OpenAI({ maxRetries: 1 });
}
const lazy = () => new OpenAI();
const a = makeClient();
const b = lazy();
await a.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
await b.files.list();
`);
    expect(brief(sites)).toEqual(['3 openai.OpenAI works', '5 openai.OpenAI works', '8 embeddings.create differences text-embedding-3-small', '9 files.list unsupported']);
  });

  it('accepts distinctive paths on untraced receivers as likely', () => {
    const sites = js(`import type OpenAI from 'openai';
import Groq from 'groq-sdk';
export const go = (deps: { ai: any }) => deps.ai.chat.completions.create({ model: 'gpt-4o', messages: [] });
const groq = new Groq();
export const g = groq.chat.completions.create({ model: 'llama3-8b-8192', messages: [] });
`);
    expect(sites.map((s) => [s.api, s.confidence])).toEqual([['chat.completions.create', 'likely']]);
  });

  it('does not count a parameter or local that shadows the import as a client', () => {
    const sites = js(`import OpenAI from 'openai';
export function g(OpenAI: any) { return new OpenAI(); }
export function h() { const OpenAI = class {}; return new OpenAI(); }
export const c = new OpenAI();
`);
    expect(sites.filter((s) => s.kind === 'client').map((s) => s.line)).toEqual([4]);
  });

  it('ignores files without OpenAI imports', () => {
    expect(brief(js(`const client = makeClient(); client.chat.completions.create({});`))).toEqual([]);
    expect(js(`export const x = compute(1);`)).toEqual([]);
  });

  it('takes only real AI SDK provider methods as calls (not Object.prototype names)', () => {
    const sites = js(`import { openai } from '@ai-sdk/openai';
const a = openai.toString();
const b = openai.chatModel('gpt-4o-mini');
`);
    expect(brief(sites).filter((l) => !l.includes('openai(model)'))).toEqual(['3 openai.chatModel works gpt-4o-mini']);
  });

  it('covers LangChain, AI SDK, LlamaIndex and openai v3', () => {
    const sites = js(`import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { openai, createOpenAI } from '@ai-sdk/openai';
import { OpenAI as Llm } from 'llamaindex';
import { Configuration, OpenAIApi } from 'openai';
const chat = new ChatOpenAI({ model: 'gpt-4o', n: 3 });
const emb = new OpenAIEmbeddings();
const m1 = openai('gpt-4o');
const m2 = openai.chat('gpt-4o-mini');
const m3 = openai.embedding('text-embedding-3-small');
const p = createOpenAI({ baseURL: 'https://api.groq.com/openai/v1' });
const m4 = p.chat('llama-3');
const llm = new Llm({ model: 'gpt-4o-mini' });
const api = new OpenAIApi(new Configuration({ apiKey: 'k' }));
await api.createChatCompletion({ model: 'gpt-3.5-turbo', messages: [] });
await api.createEmbedding({ model: 'text-embedding-ada-002', input: 'x' });
`, 'x.tsx');
    expect(brief(sites)).toEqual([
      '5 langchain ChatOpenAI unsupported gpt-4o [n]',
      '6 langchain OpenAIEmbeddings works',
      '7 openai(model) works gpt-4o',
      '8 openai.chat works gpt-4o-mini',
      '9 openai.embedding differences text-embedding-3-small',
      '10 ai-sdk createOpenAI works [baseURL]',
      '11 p.chat differences llama-3',
      '12 llamaindex OpenAI works gpt-4o-mini',
      '13 openai v3 OpenAIApi works',
      '13 openai v3 Configuration works',
      '14 createChatCompletion works gpt-3.5-turbo',
      '15 createEmbedding differences text-embedding-ada-002',
    ]);
  });
});

describe('scan: Python', () => {
  it('finds clients, calls on clients, self attributes, module client and v0 API', () => {
    const sites = scanPython(
      `import openai
from openai import OpenAI, AzureOpenAI
from langchain_openai import ChatOpenAI

MODEL = "gpt-4o"
client = OpenAI()
az = AzureOpenAI(api_version="2024-10-21")

class Bot:
    def __init__(self):
        self.client = OpenAI(base_url="https://api.openai.com/v1")

    def ask(self, q):
        return self.client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": q}}]}], response_format={"type": "json_object"})

client.embeddings.create(model="text-embedding-3-small", input="x")
client.chat.completions.create(model="gpt-4o", messages=[], n=2)
openai.chat.completions.create(model="gpt-4o-mini", messages=[], user="u")
openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
openai.Embedding.create(model="text-embedding-ada-002", input="x")
llm = ChatOpenAI(model="gpt-4o-mini", logprobs=True, use_responses_api=True)
other.files.create(file=f)
def make_client():
    return OpenAI(max_retries=1)
made = make_client()
made.files.list()
from groq import Groq
groq_client = Groq()
groq_client.chat.completions.create(model="llama3-8b-8192", messages=[])
client.chat.completions.create(model=os.getenv("MODEL", "gpt-4o-mini"), messages=[])
client.chat.completions.create(model=cfg.model or "gpt-4o", messages=[])

async def main():
    async with openai.AsyncOpenAI() as ac:
        await ac.batches.create(input_file_id="f")
`,
      'app.py',
    );
    expect(brief(sites)).toEqual([
      '6 openai.OpenAI works',
      '7 openai.AzureOpenAI unsupported [azure]',
      '11 openai.OpenAI works [base_url]',
      '14 chat.completions.create works gpt-4o [response_format:json_object,images]',
      '16 embeddings.create differences text-embedding-3-small',
      '17 chat.completions.create unsupported gpt-4o [n]',
      '18 openai.chat.completions.create differences gpt-4o-mini [user]',
      '19 openai.ChatCompletion.create works gpt-3.5-turbo',
      '20 openai.Embedding.create differences text-embedding-ada-002',
      '21 langchain ChatOpenAI unsupported gpt-4o-mini [logprobs,responses-api]',
      '24 openai.OpenAI works',
      '26 files.list unsupported',
      '30 chat.completions.create works gpt-4o-mini',
      '31 chat.completions.create works gpt-4o',
      '34 openai.OpenAI works',
      '35 batches.create unsupported',
    ]);
    expect(sites[3]!.model).toEqual({ value: 'gpt-4o', from: 'MODEL (line 5)' });
    expect(sites[12]!.model).toEqual({ value: 'gpt-4o-mini', from: 'fallback of env MODEL' });
    expect(sites[13]!.model).toEqual({ value: 'gpt-4o', from: 'fallback of cfg.model' });
    expect(sites[2]!.notes.join(' ')).toContain('hard-coded');
  });
});

describe('scan: TypeScript type information', () => {
  it('confirms factory-made clients and rules out look-alike receivers', async () => {
    const dir = makeTree({
      'src/factory.ts': "import OpenAI from 'openai';\nexport function makeClient(): OpenAI {\n  return new OpenAI();\n}\nexport const registry = { ai: makeClient() };\nexport const MODELS = { chat: 'gpt-4o' } as const;\n",
      'src/use.ts': `import { makeClient, registry, MODELS } from './factory';
const storage = { files: { create: (x: object) => x } };
storage.files.create({});
makeClient().files.create({ file: null as never, purpose: 'batch' });
registry.ai.batches.create({ input_file_id: 'f', endpoint: '/v1/chat/completions', completion_window: '24h' });
registry.ai.chat.completions.create({ model: MODELS.chat, messages: [] });
`,
    });
    // The project's own dependencies: the openai types resolve from here.
    symlinkSync(resolve(import.meta.dirname, '../../node_modules'), join(dir, 'node_modules'));
    const r = await runCli(['scan', '--json', 'src'], dir);
    const report = JSON.parse(r.stdout);
    const calls = report.sites.filter((s: Site) => s.kind === 'call').map((s: Site) => `${s.line} ${s.api} ${s.confidence}`);
    expect(calls).toEqual(['4 files.create certain', '5 batches.create certain', '6 chat.completions.create certain']);
    // makeClient() is followed into factory.ts by the client graph; the checker confirms the rest.
    expect(report.typeCheck).toMatchObject({ files: 1, confirmed: 2, ruledOut: 1, models: 1 });
    expect(report.sites.find((s: Site) => s.line === 6).model).toEqual({ value: 'gpt-4o', from: 'MODELS.chat (type of the expression)' });
    const noTypes = JSON.parse((await runCli(['scan', '--json', '--no-types', 'src'], dir)).stdout);
    // Without types, only what the client graph follows across files is kept (registry.ai is an object property: not followed).
    expect(noTypes.sites.filter((s: Site) => s.kind === 'call').map((s: Site) => `${s.line} ${s.api}`)).toEqual(['4 files.create']);
  }, 60_000);
});

describe('scan: line endings', () => {
  it('reads models and features right in CRLF files with a BOM', () => {
    const sites = js("\uFEFFimport OpenAI from 'openai';\r\nconst c = new OpenAI();\r\nconst M = 'gpt-4o';\r\nawait c.chat.completions.create({\r\n  model: M,\r\n  messages,\r\n  seed: 3,\r\n});\r\n");
    expect(brief(sites)).toEqual(['2 openai.OpenAI works', '4 chat.completions.create differences gpt-4o [seed]']);
    expect(sites[1]!.model).toEqual({ value: 'gpt-4o', from: 'const M (line 3)' });
  });
});

/**
 * A labelled multi-package corpus for the codemods: hand-written minimal reproductions of
 * the shapes real repositories use (clients handed across modules, Azure in its forms,
 * runtimes without process.env, pinned library versions, LangChain legacy imports, autogen,
 * instructor, openai<1 module configuration, templates, ignore comments…). Every client
 * construction carries its expected outcome in a trailing comment:
 *   `site: repoint`          repointed at the proxy
 *   `site: repoint verify`   repointed, and reported as "verify" (the client escapes, or its base URL is read)
 *   `site: leave`            not edited, and reported (manual work / left alone) with the reason
 * `scoreCorpus` compares a rewrite run's findings against the labels.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunReport } from '../../codemods/runner.js';
import { ROUND3 } from './corpus-round3.js';
import { ROUND4 } from './corpus-round4.js';

/** Rounds 1 and 2 (the 96 sites before round 3). */
const EARLIER: Record<string, string> = {
  // ---- web: TypeScript, a client handed across modules ----
  'packages/web/package.json': '{ "name": "web", "dependencies": { "openai": "^4.50.0", "@langchain/openai": "^0.3.0" } }\n',
  'packages/web/src/llm.ts': "import OpenAI from 'openai';\n\nexport const client = new OpenAI(); // site: leave\n",
  'packages/web/src/jobs.ts': "import { client } from './llm.js';\n\nexport const upload = (file: File) => client.files.create({ file, purpose: 'batch' });\n",
  'packages/web/src/chat.ts':
    "import OpenAI from 'openai';\nimport { Service } from './service.js';\n\nconst ai = new OpenAI({ maxRetries: 2 }); // site: repoint\nexport const service = new Service(ai);\n",
  'packages/web/src/service.ts':
    "export class Service {\n  constructor(private client: any) {}\n  ask(q: string) {\n    return this.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n  }\n}\n",
  'packages/web/src/moderate.ts':
    "import OpenAI from 'openai';\nimport { moderateWith } from 'moderation-kit';\n\nconst mod = new OpenAI(); // site: repoint verify\nexport const check = (t: string) => moderateWith(mod, t);\n",
  'packages/web/src/azure.ts':
    "import OpenAI from 'openai';\nimport { OpenAI as LlamaOpenAI } from 'llamaindex';\n\nexport const az = new OpenAI({ baseURL: 'https://acme.openai.azure.com/openai/v1', apiKey: 'k' }); // site: leave\nexport const li = new LlamaOpenAI({ azure: { endpoint: 'https://acme.openai.azure.com' } }); // site: leave\n",
  'packages/web/src/compat.ts':
    "import { createOpenAICompatible } from '@ai-sdk/openai-compatible';\n\nexport const oai = createOpenAICompatible({ name: 'oai', baseURL: 'https://api.openai.com/v1', apiKey: process.env.OPENAI_API_KEY }); // site: repoint\nexport const groq = createOpenAICompatible({ name: 'groq', baseURL: 'https://api.groq.com/openai/v1' }); // site: leave\n",
  'packages/web/src/search.ts':
    "import { openai } from '@ai-sdk/openai'; // site: leave\nimport { generateText } from 'ai';\n\nexport const find = (q: string) => generateText({ model: openai('gpt-4o'), prompt: q, tools: { web_search: openai.tools.webSearch({}) } });\n",
  'packages/web/src/plain-ai.ts':
    "import { createOpenAI } from '@ai-sdk/openai';\nimport { generateText } from 'ai';\n\nconst provider = createOpenAI({}); // site: repoint\nexport const hi = () => generateText({ model: provider('gpt-4o-mini'), prompt: 'hi' });\n",
  'packages/web/src/widget.tsx':
    "'use client';\nimport OpenAI from 'openai';\n\nexport const browser = new OpenAI({ dangerouslyAllowBrowser: true }); // site: repoint\nexport const Widget = () => <div>{String(!!browser)}</div>;\n",
  'packages/web/src/agent.ts':
    "import { createAgent, initChatModel } from 'langchain';\n\nexport const agent = createAgent({ model: 'openai:gpt-4o', tools: [] }); // site: leave\nexport const model = await initChatModel('openai:gpt-4o-mini'); // site: repoint\n",
  'packages/web/src/ignored.ts': "import OpenAI from 'openai';\n\n// nova-migrate-ignore\nexport const kept = new OpenAI(); // site: leave\n",
  'packages/web/src/lc.ts': "import { ChatOpenAI } from '@langchain/openai';\n\nexport const lc = new ChatOpenAI({ temperature: 0 }); // site: repoint\n",
  // ---- old: LangChain JS pinned before the apiKey rename ----
  'packages/old/package.json': '{ "name": "old", "dependencies": { "@langchain/openai": "0.0.14" } }\n',
  'packages/old/src/chat.ts': "import { ChatOpenAI } from '@langchain/openai';\n\nexport const chat = new ChatOpenAI({ temperature: 0 }); // site: repoint\n",
  // ---- edge: Cloudflare Workers (no process.env) ----
  'packages/edge/wrangler.toml': 'name = "edge"\nmain = "src/index.ts"\n',
  'packages/edge/package.json': '{ "name": "edge" }\n',
  'packages/edge/src/index.ts':
    "import OpenAI from 'openai';\n\nconst early = new OpenAI(); // site: leave\n\nexport default {\n  async fetch(request: Request, env: Record<string, string>) {\n    const client = new OpenAI({ apiKey: env.KEY }); // site: repoint\n    const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [] });\n    return new Response(JSON.stringify([r, !!early]));\n  },\n};\n",
  // ---- deno ----
  'packages/deno/deno.json': '{ "imports": {} }\n',
  'packages/deno/main.ts': "import OpenAI from 'npm:openai@4';\n\nconst client = new OpenAI(); // site: repoint\nDeno.serve(async () => new Response(String(await client.models.list())));\n",
  // ---- Python services ----
  'services/api/requirements.txt': 'openai>=1.30\nlangchain-openai==0.1.8\n',
  'services/api/app/__init__.py': '',
  'services/api/app/llm.py': 'from openai import OpenAI\n\nclient = OpenAI()  # site: leave\n',
  'services/api/app/batch.py': 'from app.llm import client\n\n\ndef run(path):\n    return client.batches.create(input_file_id=path, endpoint="/v1/chat/completions", completion_window="24h")\n',
  'services/api/app/agent.py':
    'from openai import OpenAI\nfrom app.helpers import Moderator\n\nmc = OpenAI()  # site: leave\nguard = Moderator(llm_client=mc)\n',
  'services/api/app/helpers.py':
    'class Moderator:\n    def __init__(self, llm_client):\n        self.llm_client = llm_client\n\n    def check(self, text):\n        return self.llm_client.moderations.create(input=text)\n',
  'services/api/app/chat.py':
    'from openai import OpenAI\nfrom app.answer import answer\n\nchat_client = OpenAI(timeout=30)  # site: repoint\n\n\ndef reply(q):\n    return answer(chat_client, q)\n',
  'services/api/app/answer.py': 'def answer(llm, q):\n    return llm.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n',
  'services/api/app/structured.py':
    'import instructor\nfrom openai import OpenAI\n\nic = instructor.from_openai(OpenAI())  # site: repoint\nic2 = instructor.from_openai(OpenAI())  # site: leave\n\n\ndef extract(model, text):\n    return ic.chat.completions.create(model="gpt-4o", response_model=model, messages=[{"role": "user", "content": text}])\n\n\ndef files():\n    return ic2.files.list()\n',
  'services/api/app/legacy_lc.py':
    'from langchain.chat_models import ChatOpenAI\nfrom langchain.llms import OpenAI\n\nchat = ChatOpenAI(temperature=0)  # site: repoint\nllm = OpenAI()  # site: leave\n',
  'services/api/app/dup.py':
    'from langchain_openai import ChatOpenAI\n\nfast = ChatOpenAI(model="gpt-4o-mini")  # site: repoint\nfrom langchain_community.chat_models import ChatOpenAI\n\nslow = ChatOpenAI(model="gpt-4o")  # site: repoint\n',
  'services/api/app/crew.py':
    'from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI(model="gpt-4o")  # site: repoint verify\nif llm.openai_api_base is None:\n    print("default endpoint")\n',
  'services/api/app/teams.py':
    'from autogen_ext.models.openai import OpenAIChatCompletionClient, AzureOpenAIChatCompletionClient\n\nmodel_client = OpenAIChatCompletionClient(model="gpt-4o")  # site: repoint\naz_client = AzureOpenAIChatCompletionClient(model="gpt-4o", azure_deployment="d", api_version="2024-06-01")  # site: leave\n',
  'services/api/app/rag.py':
    'from llama_index.llms.azure_openai import AzureOpenAI\nfrom llama_index.llms.openai import OpenAI\n\nazure_llm = AzureOpenAI(engine="gpt4", api_version="2024-06-01")  # site: leave\nllm = OpenAI(model="gpt-4o")  # site: repoint\n',
  'services/api/app/embed.py': 'from langchain_openai import OpenAIEmbeddings\n\nemb = OpenAIEmbeddings(model="text-embedding-3-small")  # site: repoint\n',
  // ---- openai<1 module-level configuration ----
  'services/legacy/requirements.txt': 'openai==0.28.1\n',
  'services/legacy/bot.py':
    'import os\nimport openai\n\nopenai.api_key = os.environ["OPENAI_API_KEY"]\n\n\ndef ask(q):\n    return openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[{"role": "user", "content": q}])  # site: repoint\n',
  'services/legacy/azure_bot.py':
    'import openai\n\nopenai.api_type = "azure"  # site: leave\nopenai.api_base = "https://acme.openai.azure.com"\n',
  // ---- shapes from real apps: Next.js route handlers and server actions, globalThis singletons,
  // class fields, factories, CommonJS, dynamic import, decorators, casts, re-exports, subclasses,
  // Azure through the plain client; Python aliases, async with, dataclasses, settings, CRLF/BOM/tabs ----
  'packages/next/package.json': "{ \"name\": \"web\", \"dependencies\": { \"openai\": \"^4.50.0\", \"@langchain/openai\": \"^0.3.0\" } }\n",
  'packages/next/app/api/chat/route.ts': "import OpenAI from 'openai';\nimport { NextResponse } from 'next/server';\n\nconst openai = new OpenAI(); // site: repoint\n\nexport async function POST(req: Request) {\n  const { q } = await req.json();\n  const scoped = new OpenAI({ apiKey: process.env.OPENAI_API_KEY }); // site: repoint\n  const r = await scoped.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n  const s = await openai.chat.completions.create({ model: 'gpt-4o', messages: [] });\n  return NextResponse.json([r, s]);\n}\n",
  'packages/next/app/actions.ts': "'use server';\nimport OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: repoint\n\nexport async function ask(q: string) {\n  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n}\n",
  'packages/next/lib/global.ts': "import OpenAI from 'openai';\n\nconst g = globalThis as unknown as { openai?: OpenAI };\nexport const openai = g.openai ?? new OpenAI(); // site: repoint verify\nif (process.env.NODE_ENV !== 'production') g.openai = openai;\n",
  'packages/next/lib/global2.ts': "import OpenAI from 'openai';\n\ndeclare global { var ai: OpenAI | undefined }\nglobalThis.ai ??= new OpenAI({ maxRetries: 1 }); // site: repoint verify\nexport const ai = globalThis.ai;\n",
  'packages/next/lib/class.ts': "import OpenAI from 'openai';\n\nexport class Llm {\n  private client: OpenAI;\n  constructor(key: string) {\n    this.client = new OpenAI({ apiKey: key, organization: 'org' }); // site: repoint\n  }\n  ask(q: string) {\n    return this.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n  }\n}\n",
  'packages/next/lib/factory.ts': "import OpenAI from 'openai';\n\nexport function makeClients() {\n  return {\n    chat: new OpenAI(), // site: repoint verify\n  };\n}\n",
  'packages/next/lib/spread.ts': "import OpenAI from 'openai';\nimport { shared } from './shared-config.js';\n\nconst local = { timeout: 1000 };\nexport const a = new OpenAI({ ...local, apiKey: 'k' }); // site: repoint\nexport const b = new OpenAI({ ...shared, apiKey: 'k' }); // site: leave\n",
  'packages/next/lib/shared-config.ts': "export const shared = { baseURL: 'https://api.groq.com/openai/v1' };\n",
  'packages/next/lib/env-base.ts': "import OpenAI from 'openai';\n\nexport const c = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1' }); // site: leave\n",
  'packages/next/lib/azure.ts': "import OpenAI, { AzureOpenAI } from 'openai';\n\nconst endpoint = process.env.AZURE_ENDPOINT;\nexport const a1 = new AzureOpenAI({ apiVersion: '2024-06-01', deployment: 'gpt4' }); // site: leave\nexport const a2 = new OpenAI({ apiKey: process.env.AZURE_KEY, defaultQuery: { 'api-version': '2024-06-01' }, defaultHeaders: { 'api-key': process.env.AZURE_KEY } }); // site: leave\n",
  'packages/next/lib/reexport.ts': "export { default as OpenAI } from 'openai'; // site: leave\nexport * from 'openai'; // site: leave\n",
  'packages/next/lib/use-reexport.ts': "import { OpenAI } from './reexport.js';\n\nexport const viaReexport = new OpenAI(); // not followed: see reexport.ts\n",
  'packages/next/lib/cjs.cjs': "const { OpenAI } = require('openai');\nconst OpenAIDefault = require('openai').default;\n\nconst a = new OpenAI(); // site: repoint\nconst b = new OpenAIDefault({ maxRetries: 2 }); // site: repoint\nmodule.exports = { ask: (q) => a.chat.completions.create({ model: 'gpt-4o', messages: [] }), b2: () => b.chat.completions.create({ model: 'gpt-4o', messages: [] }) };\n",
  'packages/next/lib/dyn.mts': "export async function make() {\n  const { default: OpenAI } = await import('openai');\n  const c = new OpenAI(); // site: repoint\n  return c.chat.completions.create({ model: 'gpt-4o', messages: [] });\n}\nexport async function make2() {\n  const mod = await import('openai');\n  const c = new mod.OpenAI(); // site: repoint\n  return c.chat.completions.create({ model: 'gpt-4o', messages: [] });\n}\n",
  'packages/next/lib/nest.ts': "import { Injectable } from '@nestjs/common';\nimport OpenAI from 'openai';\n\n@Injectable()\nexport class AiService {\n  private readonly openai = new OpenAI({ apiKey: process.env.KEY }); // site: repoint\n  constructor() {}\n  run() {\n    return this.openai.chat.completions.create({ model: 'gpt-4o', messages: [] });\n  }\n}\n",
  'packages/next/lib/satisfies.ts': "import OpenAI, { type ClientOptions } from 'openai';\n\nconst opts = { apiKey: 'x', maxRetries: 1 } satisfies ClientOptions;\nexport const s1 = new OpenAI(opts); // site: repoint\nexport const s2 = new OpenAI({ apiKey: 'y' } as ClientOptions); // site: repoint\nexport const s3 = new OpenAI(<ClientOptions>{ apiKey: 'z' }); // site: repoint\n",
  'packages/next/lib/generic.ts': "import OpenAI from 'openai';\n\nexport function wrap<T extends OpenAI>(c: T): T { return c; }\nexport const g: OpenAI = new OpenAI(); // site: repoint\nconst t = new OpenAI()!; // site: repoint\nexport const u = (t);\n",
  'packages/next/components/Chat.tsx': "import OpenAI from 'openai';\n\nconst server = new OpenAI(); // site: repoint\nexport default async function Chat() {\n  const r = await server.chat.completions.create({ model: 'gpt-4o', messages: [] });\n  return <div>{r.choices[0]?.message.content}</div>;\n}\n",
  'packages/next/lib/ns.ts': "import * as oai from 'openai';\n\nexport const n = new oai.OpenAI(); // site: repoint\nexport const d = new oai.default(); // site: repoint\n",
  'packages/next/lib/string-key.ts': "import OpenAI from 'openai';\n\nexport const q = new OpenAI({ 'baseURL': 'https://api.groq.com/openai/v1' }); // site: leave\nexport const r = new OpenAI({ [\"baseURL\"]: 'https://api.groq.com/openai/v1' }); // site: leave\n",
  'packages/next/lib/shorthand.ts': "import OpenAI from 'openai';\n\nconst baseURL = process.env.LLM_URL;\nexport const sh = new OpenAI({ baseURL, apiKey: 'k' }); // site: leave\n",
  'packages/next/lib/cond-spread.ts': "import OpenAI from 'openai';\n\nexport const cs = new OpenAI({ apiKey: 'k', ...(process.env.LLM_URL ? { baseURL: process.env.LLM_URL } : {}) }); // site: leave\n",
  'packages/next/lib/lc-config.ts': "import { ChatOpenAI } from '@langchain/openai';\n\nexport const lc = new ChatOpenAI({ model: 'gpt-4o', configuration: { organization: 'org' } }); // site: repoint\nexport const lo = new ChatOpenAI({ model: 'gpt-4o', configuration: { baseURL: 'https://openrouter.ai/api/v1' } }); // site: leave\n",
  'packages/next/lib/comment-last.ts': "import OpenAI from 'openai';\n\nexport const cm = new OpenAI({ // site: repoint\n  apiKey: 'k' // the key\n});\n",
  'packages/next/node_modules/pkg/index.js': "import OpenAI from 'openai';\nexport const nm = new OpenAI();\n",
  'packages/next/lib/undef.ts': "import OpenAI from 'openai';\n\nexport const un = new OpenAI({ apiKey: 'k', baseURL: undefined }); // site: repoint\n",
  'services/shapes/requirements.txt': "openai>=1.30\nlangchain-openai==0.1.8\nllama-index-llms-openai==0.1.0\n",
  'services/shapes/app/__init__.py': "",
  'services/shapes/app/alias.py': "from openai import OpenAI as Client\nimport openai as oa\n\nc = Client()  # site: repoint\nd = oa.OpenAI(base_url=None)  # site: repoint\n",
  'services/shapes/app/asyncwith.py': "from openai import AsyncOpenAI\n\n\nasync def main():\n    async with AsyncOpenAI() as client:  # site: repoint\n        return await client.chat.completions.create(model=\"gpt-4o\", messages=[])\n",
  'services/shapes/app/httpx_client.py': "import httpx\nfrom openai import OpenAI\n\nclient = OpenAI(http_client=httpx.Client(timeout=10))  # site: repoint\n",
  'services/shapes/app/dc.py': "from dataclasses import dataclass, field\nfrom openai import OpenAI\n\n\n@dataclass\nclass Deps:\n    client: OpenAI = field(default_factory=OpenAI)  # site: leave\n    other: OpenAI = field(default_factory=lambda: OpenAI(timeout=5))  # site: repoint\n",
  'services/shapes/app/settings.py': "from pydantic_settings import BaseSettings\nfrom openai import OpenAI\n\n\nclass Settings(BaseSettings):\n    openai_base_url: str = \"https://api.openai.com/v1\"\n\n\nsettings = Settings()\nclient = OpenAI(base_url=settings.openai_base_url)  # site: leave\n",
  'services/shapes/app/envget.py': "import os\nfrom openai import OpenAI\n\na = OpenAI(base_url=os.environ.get(\"OPENAI_BASE_URL\"))  # site: leave\nb = OpenAI(base_url=os.getenv(\"OPENAI_BASE_URL\") or \"https://api.openai.com/v1\")  # site: leave\nc = OpenAI(base_url=f\"https://{os.environ['HOST']}/v1\")  # site: leave\n",
  'services/shapes/app/hints.py': "from typing import Optional\nfrom openai import OpenAI\n\n_client: Optional[OpenAI] = None\n\n\ndef get_client() -> OpenAI:\n    global _client\n    if _client is None:\n        _client = OpenAI(api_key=\"k\",)  # site: repoint\n    return _client\n",
  'services/shapes/app/lc.py': "from langchain_openai import ChatOpenAI\n\nlocal = ChatOpenAI(model=\"llama3\", base_url=\"http://localhost:11434/v1\")  # site: leave\noai = ChatOpenAI(model=\"gpt-4o\", openai_api_base=\"https://api.openai.com/v1\")  # site: repoint\n",
  'services/shapes/app/li.py': "from llama_index.core import Settings\nfrom llama_index.llms.openai import OpenAI\n\nSettings.llm = OpenAI(model=\"gpt-4o-mini\", temperature=0.1)  # site: repoint\n",
  'services/shapes/app/crlf.py': "from openai import OpenAI\r\n\r\nclient = OpenAI(  # site: repoint\r\n    api_key=\"k\",\r\n)\r\n",
  'services/shapes/app/bom.py': "﻿from openai import OpenAI\n\nclient = OpenAI()  # site: repoint\n",
  'services/shapes/app/tabs.py': "from openai import OpenAI\n\n\ndef make():\n\treturn OpenAI(  # site: repoint\n\t\tapi_key=\"k\",\n\t\ttimeout=5\n\t)\n",
  'services/shapes/app/modcfg.py': "import openai\n\nopenai.base_url = \"https://api.openai.com/v1/\"  # site: repoint\nopenai.api_key = \"k\"\n",
  'services/shapes/app/kwargs.py': "import openai\n\nsettings = {\"timeout\": 5}\nclient = openai.OpenAI(**settings)  # site: leave\n",
  'services/shapes/app/comment.py': "from openai import OpenAI\n\nclient = OpenAI(  # site: repoint\n    api_key=\"k\"  # the key\n)\n",
  'services/shapes/app/cached.py': "from functools import lru_cache\nfrom openai import OpenAI\n\n\n@lru_cache\ndef get_client():\n    return OpenAI()  # site: repoint\n",
  'services/shapes/.venv/lib/x.py': "from openai import OpenAI\nclient = OpenAI()\n",
  'packages/next/lib/subclass.ts': "import OpenAI from 'openai';\n\nexport class TracedOpenAI extends OpenAI { // site: leave\n  constructor(key: string) {\n    super({ apiKey: key });\n  }\n}\nexport const Ctor = OpenAI; // site: leave\nexport const providers = { openai: OpenAI }; // site: leave\n",
  'services/shapes/app/subclass.py': "from functools import partial\nfrom openai import OpenAI, AsyncOpenAI\n\n\nclass Traced(OpenAI):  # site: leave\n    def __init__(self, key):\n        super().__init__(api_key=key)\n\n\nmake = partial(AsyncOpenAI, timeout=5)  # site: leave\nif isinstance(make, OpenAI):\n    pass\n",

  // Component files are not parsed: one that mentions OpenAI is listed as skipped.
  'packages/next/components/Chat.vue': '<script setup lang="ts">\nimport OpenAI from "openai";\nconst client = new OpenAI({ dangerouslyAllowBrowser: true });\n</script>\n<template><div /></template>\n',
  'packages/next/components/Plain.svelte': '<script>\n  export let title = "";\n</script>\n<h1>{title}</h1>\n',
  // ---- templates: never parsed, never fail the gate ----
  'templates/{{cookiecutter.name}}/main.py': 'from openai import OpenAI\n\nclient = OpenAI({{ cookiecutter.options }})\n',
  'tools/scaffold/main.py': 'from openai import OpenAI\n{% if use_client %}\nclient = OpenAI()\n{% endif %}\n',
  'nova-migrate.config.json': '{ "codemods": { "exclude": ["vendor/**"] } }\n',
  'vendor/copied.ts': "import OpenAI from 'openai';\nexport const v = new OpenAI();\n",
};

export const CORPUS: Record<string, string> = { ...EARLIER, ...ROUND3, ...ROUND4 };

export type Expect = 'repoint' | 'repoint verify' | 'leave';

export interface Label {
  file: string;
  line: number;
  expect: Expect;
  /** 3 or 4 for rounds 3 and 4 (corpus-round3.ts, corpus-round4.ts), 1 for the earlier rounds. */
  round: number;
}

function roundOf(file: string): number {
  return file in ROUND4 ? 4 : file in ROUND3 ? 3 : 1;
}

export function labels(): Label[] {
  const out: Label[] = [];
  for (const [file, content] of Object.entries(CORPUS)) {
    const round = roundOf(file);
    content.split('\n').forEach((l, i) => {
      const m = /(?:\/\/|#) site: (repoint verify|repoint|leave)\s*$/.exec(l);
      if (m) out.push({ file, line: i + 1, expect: m[1] as Expect, round });
    });
  }
  return out;
}

export function writeCorpus(root: string): void {
  for (const [rel, content] of Object.entries(CORPUS)) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export interface CorpusScore {
  sites: number;
  /** Labelled sites handled as labelled / labelled sites. */
  recall: number;
  /** Sites the tool acted on (edited or reported) as labelled / sites it acted on. */
  precision: number;
  /**
   * Edits that break the app without a report: a `leave` site edited without manual/verify
   * finding, a `verify` site not reported, or a changed file whose inserted code uses a name
   * the file doesn't bind (Python `os.environ` without `import os`).
   */
  silentBreakage: number;
  /** Labelled sites with no edit and no report at all (nor a file-level skip with a reason). */
  silentSkips: number;
  /** scan and rewrite decided differently about a client. */
  disagreements: number;
  errors: number;
  misses: string[];
}

/** Inserted Python code reads `os.environ` / `_os.environ`: the name must be bound by an import. */
function unboundInsertedName(output: string): string | undefined {
  for (const name of ['os', '_os']) {
    if (!new RegExp(`(^|[^\\w.])${name}\\.environ\\.get\\("NOVA_PROXY`).test(output)) continue;
    const bound = name === 'os' ? /^\s*import\s+(?:[\w.]+\s*,\s*)*os\b(?!\s*\.|\s+as)/m : /^\s*import\s+os\s+as\s+_os\b/m;
    if (!bound.test(output)) return name;
  }
  return undefined;
}

/**
 * Scores a rewrite run (dry) and a scan run of the same corpus against the labels; with
 * `round`, only that round's sites and files count.
 */
export function scoreCorpus(rewrite: RunReport, scan: RunReport, round?: number): CorpusScore {
  const all = labels().filter((l) => round === undefined || l.round === round);
  const files = new Set(all.map((l) => l.file));
  const inScope = (file: string) => round === undefined || files.has(file) || roundOf(file) === round;
  const byLine = new Map<string, Set<string>>();
  for (const o of rewrite.files) {
    if (!inScope(o.display)) continue;
    for (const f of o.findings) {
      const k = `${o.display}:${f.line}`;
      const set = byLine.get(k) ?? new Set();
      set.add(f.kind);
      byLine.set(k, set);
    }
    if (o.status === 'parse-error' || o.status === 'error') for (const l of all.filter((x) => x.file === o.display)) byLine.set(`${l.file}:${l.line}`, new Set([...(byLine.get(`${l.file}:${l.line}`) ?? []), 'error']));
  }
  // A file skipped with a reason (generated, minified…) reports every site in it.
  for (const sk of rewrite.skipped) for (const l of all.filter((x) => x.file === sk.display)) byLine.set(`${l.file}:${l.line}`, new Set([...(byLine.get(`${l.file}:${l.line}`) ?? []), 'skipped']));
  let good = 0;
  let silent = 0;
  let silentSkips = 0;
  const misses: string[] = [];
  const labelled = new Set(all.map((l) => `${l.file}:${l.line}`));
  for (const l of all) {
    const kinds = byLine.get(`${l.file}:${l.line}`) ?? new Set();
    const changed = kinds.has('changed');
    const reported = kinds.has('manual') || kinds.has('skipped') || kinds.has('error');
    const ok = l.expect === 'leave' ? !changed && reported && !kinds.has('error') : l.expect === 'repoint' ? changed : changed && kinds.has('verify');
    if (ok) good++;
    else misses.push(`${l.file}:${l.line} expected ${l.expect}, got ${[...kinds].join('+') || 'nothing'}`);
    if (l.expect === 'leave' && changed && !kinds.has('manual') && !kinds.has('verify')) silent++;
    if (l.expect === 'repoint verify' && changed && !kinds.has('verify')) silent++;
    if (!changed && !reported && !kinds.has('verify')) silentSkips++;
  }
  for (const o of rewrite.files) {
    if (!inScope(o.display) || !o.output || !o.display.endsWith('.py')) continue;
    const name = unboundInsertedName(o.output);
    if (name) {
      silent++;
      misses.push(`${o.display}: the output reads ${name}.environ without binding ${name}`);
    }
  }
  // What the tool acted on: every line with an edit or a report about a client.
  let acted = 0;
  let actedRight = 0;
  for (const [k, kinds] of byLine) {
    if (!kinds.has('changed') && !kinds.has('manual') && !kinds.has('skipped')) continue;
    acted++;
    if (labelled.has(k) && !misses.some((m) => m.startsWith(`${k} `))) actedRight++;
  }
  // Agreement: every client scan reports carries the action rewrite took.
  const corpusFile = (abs: string) => Object.keys(CORPUS).find((f) => abs.endsWith(`/${f}`)) ?? abs;
  const rw = new Map(rewrite.clients.filter((c) => inScope(corpusFile(c.path))).map((c) => [c.id, c.action]));
  const sc = scan.clients.filter((c) => inScope(corpusFile(c.path)));
  let disagreements = 0;
  for (const c of sc) if (rw.get(c.id) !== c.action) disagreements++;
  if (sc.length !== rw.size) disagreements += Math.abs(sc.length - rw.size);
  return {
    sites: all.length,
    recall: good / all.length,
    precision: acted ? actedRight / acted : 1,
    silentBreakage: silent,
    silentSkips,
    disagreements,
    errors: rewrite.files.filter((o) => inScope(o.display) && (o.status === 'parse-error' || o.status === 'error')).length,
    misses,
  };
}

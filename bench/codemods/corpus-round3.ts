/**
 * Round 3 of the labelled corpus: shapes common in real repositories that rounds 1–2 did not
 * cover — v1 module-level configuration, `__init__.py` singletons, FastAPI lifespan and
 * `Depends`, Django settings, `with_options`/`withOptions`, conditional Azure-or-OpenAI
 * choices, walrus and `or` singletons, Python 3.12 syntax; React hooks, Next.js edge routes,
 * Hono on Workers, NestJS factory providers, `Object.freeze` configs, template literals,
 * conditional spreads, parameter defaults, `using` and import attributes, generated and
 * long-line files. Labels as in corpus.ts (`site: repoint | repoint verify | leave`).
 * Written before any fix for round 3: the first-run figures are in docs/codemods.md.
 */
const B64 = 'iVBORw0KGgo'.repeat(700);

export const ROUND3: Record<string, string> = {
  // ---------------- Python ----------------
  'services/r3/requirements.txt': 'openai>=1.40\nlangchain-openai==0.2.0\nllama-index-llms-openai==0.2.0\nllama-index-embeddings-openai==0.2.0\ninstructor>=1.3\nfastapi\ndjango\n',
  'services/r3/r3app/__init__.py': 'from openai import OpenAI\n\nclient = OpenAI()  # site: repoint\n',
  'services/r3/r3app/use_init.py':
    'from r3app import client\n\n\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n',
  // openai>=1 module client configured at module level, no `import os` in the file.
  'services/r3/r3app/modv1.py':
    'import openai\n\nopenai.api_key = "sk-test"\n\n\ndef ask(q):\n    return openai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])  # site: repoint\n',
  'services/r3/r3app/modenv.py':
    'import os\nimport openai\n\nopenai.base_url = os.getenv("OPENAI_BASE_URL", "https://api.openai.com/v1/")  # site: leave\n',
  'services/r3/r3app/cached.py':
    'import functools\nfrom openai import OpenAI\n\n\n@functools.lru_cache(maxsize=1)\ndef get_client() -> OpenAI:\n    return OpenAI(max_retries=3)  # site: repoint\n\n\ndef ask(q: str):\n    return get_client().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}])\n',
  'services/r3/r3app/lifespan.py':
    'from contextlib import asynccontextmanager\n\nfrom fastapi import Depends, FastAPI, Request\nfrom openai import AsyncOpenAI\n\n\n@asynccontextmanager\nasync def lifespan(app: FastAPI):\n    app.state.openai = AsyncOpenAI()  # site: repoint\n    yield\n    await app.state.openai.close()\n\n\napp = FastAPI(lifespan=lifespan)\n\n\ndef get_client(request: Request) -> AsyncOpenAI:\n    return request.app.state.openai\n\n\n@app.post("/chat")\nasync def chat(q: str, client: AsyncOpenAI = Depends(get_client)):\n    return await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n',
  'services/r3/r3app/deps.py':
    'from typing import Annotated\n\nfrom fastapi import Depends, FastAPI\nfrom openai import OpenAI\n\napp = FastAPI()\n\n\ndef get_openai() -> OpenAI:\n    return OpenAI(timeout=20)  # site: repoint\n\n\n@app.get("/")\ndef root(client: Annotated[OpenAI, Depends(get_openai)]):\n    return client.chat.completions.create(model="gpt-4o", messages=[])\n',
  'services/r3/r3app/django_services.py':
    'from django.conf import settings\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=settings.OPENAI_API_KEY, organization=settings.OPENAI_ORG)  # site: repoint\n',
  'services/r3/r3app/structured.py':
    'import instructor\nfrom openai import AsyncOpenAI\n\naclient = instructor.from_openai(AsyncOpenAI(api_key="k"), mode=instructor.Mode.JSON)  # site: repoint\n\n\nasync def extract(model, text):\n    return await aclient.chat.completions.create(model="gpt-4o", response_model=model, messages=[{"role": "user", "content": text}])\n',
  'services/r3/r3app/lc_env.py':
    'import os\n\nfrom langchain_openai import ChatOpenAI, OpenAIEmbeddings\n\nllm = ChatOpenAI(model="gpt-4o", base_url=os.getenv("OPENAI_BASE_URL", "https://api.openai.com/v1"))  # site: leave\nemb = OpenAIEmbeddings(model="text-embedding-3-small", dimensions=256)  # site: repoint\n',
  'services/r3/r3app/li_embed.py':
    'from llama_index.core import Settings\nfrom llama_index.embeddings.openai import OpenAIEmbedding\nfrom llama_index.llms.openai import OpenAI\n\nSettings.embed_model = OpenAIEmbedding(model="text-embedding-3-small")  # site: repoint\nSettings.llm = OpenAI(  # site: repoint\n    model="gpt-4o-mini",\n    temperature=0,\n)\n',
  'services/r3/r3app/httpx_proxy.py':
    'from openai import DefaultHttpxClient, OpenAI\n\nclient = OpenAI(http_client=DefaultHttpxClient(proxy="http://corp-proxy:3128"))  # site: repoint\n',
  'services/r3/r3app/annotated.py':
    'from openai import AsyncOpenAI, OpenAI\nimport openai\n\nclient: OpenAI = OpenAI()  # site: repoint\naclient: "AsyncOpenAI" = openai.AsyncClient(timeout=5)  # site: repoint\n',
  'services/r3/r3app/walrus.py':
    'from openai import OpenAI\n\n\ndef models():\n    if (c := OpenAI()) is not None:  # site: repoint\n        return c.models.list()\n',
  'services/r3/r3app/choose.py':
    'import os\n\nfrom openai import AzureOpenAI, OpenAI\n\nuse_azure = bool(os.getenv("AZURE_OPENAI_ENDPOINT"))\nclient = (\n    AzureOpenAI(api_version="2024-06-01", azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"])  # site: leave\n    if use_azure\n    else OpenAI()  # site: repoint\n)\n\n\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n',
  'services/r3/r3app/opts.py':
    'from openai import OpenAI\n\nclient = OpenAI()  # site: repoint\n\n\ndef slow(q):\n    return client.with_options(timeout=120, max_retries=5).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n',
  'services/r3/r3app/opts_files.py':
    'from openai import OpenAI\n\nuploader = OpenAI()  # site: leave\n\n\ndef upload(path):\n    return uploader.with_options(timeout=600).files.create(file=open(path, "rb"), purpose="batch")\n',
  'services/r3/r3app/lazy.py':
    'from openai import OpenAI\n\n_client = None\n\n\ndef client():\n    global _client\n    _client = _client or OpenAI()  # site: repoint\n    return _client\n',
  'services/r3/r3app/modern.py':
    'from openai import OpenAI\n\ntype MaybeClient = OpenAI | None\n\n\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n\n\ndef route(cmd: str, who: str):\n    match cmd.split():\n        case ["ask", *rest]:\n            c = OpenAI()  # site: repoint\n            return c.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"{who!r:>{10}} {" ".join(rest)}"}])\n        case _:\n            return None\n',
  'services/r3/r3app/cls.py':
    'from openai import OpenAI\n\n\nclass Bot:\n    client: OpenAI\n\n    def __init__(self, key: str | None = None) -> None:\n        self.client = OpenAI(api_key=key) if key else OpenAI()  # site: repoint\n\n    def ask(self, q):\n        return self.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n',

  // ---------------- JS/TS ----------------
  'packages/r3/package.json':
    '{ "name": "r3", "dependencies": { "openai": "^4.60.0", "@langchain/openai": "^0.3.0", "@ai-sdk/openai": "^1.0.0", "@llamaindex/openai": "^0.1.0", "hono": "^4.0.0" } }\n',
  'packages/r3/src/hooks/useClient.tsx':
    "'use client';\nimport { useMemo } from 'react';\nimport OpenAI from 'openai';\n\nexport function useOpenAI(apiKey: string) {\n  return useMemo(() => new OpenAI({ apiKey, dangerouslyAllowBrowser: true }), [apiKey]); // site: repoint\n}\n",
  'packages/r3/app/api/edge/route.ts':
    "import OpenAI from 'openai';\n\nexport const runtime = 'edge';\n\nconst openai = new OpenAI(); // site: repoint\n\nexport async function POST(req: Request) {\n  const { messages } = await req.json();\n  const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages, stream: true });\n  return new Response(stream.toReadableStream());\n}\n",
  'packages/r3/src/ai.ts':
    "import { createOpenAI } from '@ai-sdk/openai';\n\nexport const strict = createOpenAI({ baseURL: 'https://api.openai.com/v1', compatibility: 'strict' }); // site: repoint\nexport const keyed = createOpenAI({ compatibility: 'strict', apiKey: process.env.OPENAI_API_KEY }); // site: repoint\nexport const fromEnv = createOpenAI({ baseURL: process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1' }); // site: leave\n",
  'packages/r3/src/lc.ts':
    "import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';\n\nexport const chat = new ChatOpenAI({ model: 'gpt-4o', configuration: { baseURL: process.env.OPENAI_BASE_URL } }); // site: leave\nexport const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small', batchSize: 512 }); // site: repoint\n",
  'packages/r3/src/options.ts':
    "import OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: repoint\nconst slow = client.withOptions({ timeout: 120_000 });\n\nexport const ask = (q: string) => slow.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n",
  'packages/r3/src/options-files.ts':
    "import OpenAI from 'openai';\n\nconst uploader = new OpenAI(); // site: leave\n\nexport const upload = (file: File) => uploader.withOptions({ timeout: 600_000 }).files.create({ file, purpose: 'batch' });\n",
  'packages/r3/src/frozen.ts':
    "import OpenAI from 'openai';\n\nconst config = Object.freeze({ apiKey: process.env.OPENAI_API_KEY, timeout: 30_000 });\nexport const frozen = new OpenAI(config); // site: repoint\nexport const clients = Object.freeze({ main: new OpenAI({ maxRetries: 2 }) }); // site: repoint verify\n",
  'packages/r3/src/template.ts':
    "import OpenAI from 'openai';\n\nexport const literal = new OpenAI({ baseURL: `https://api.openai.com/v1` }); // site: repoint\nexport const built = new OpenAI({ baseURL: `${process.env.LLM_HOST}/v1` }); // site: leave\nexport const chained = (opts?: { baseURL?: string }) => new OpenAI({ baseURL: opts?.baseURL }); // site: leave\n",
  'packages/r3/src/cond-spread.ts':
    "import OpenAI from 'openai';\n\nexport const org = new OpenAI({ apiKey: 'k', ...(process.env.OPENAI_ORG && { organization: process.env.OPENAI_ORG }) }); // site: repoint\nexport const proj = new OpenAI({ ...(process.env.OPENAI_PROJECT ? { project: process.env.OPENAI_PROJECT } : {}), apiKey: 'k' }); // site: repoint\n",
  'packages/r3/src/nest.module.ts':
    "import { Module, Inject, Injectable } from '@nestjs/common';\nimport { ConfigService } from '@nestjs/config';\nimport OpenAI from 'openai';\n\n@Injectable()\nexport class ChatService {\n  constructor(@Inject('OPENAI') private readonly openai: OpenAI) {}\n  ask(q: string) {\n    return this.openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n  }\n}\n\n@Module({\n  providers: [\n    ChatService,\n    {\n      provide: 'OPENAI',\n      useFactory: (cfg: ConfigService) => new OpenAI({ apiKey: cfg.get('OPENAI_API_KEY') }), // site: repoint\n      inject: [ConfigService],\n    },\n  ],\n})\nexport class AiModule {}\n",
  'packages/r3/src/default-export.ts': "import OpenAI from 'openai';\n\nexport default new OpenAI({ maxRetries: 1 }); // site: repoint\n",
  'packages/r3/src/App.jsx':
    "import OpenAI from 'openai';\n\nconst client = new OpenAI({ apiKey: import.meta.env.VITE_OPENAI_KEY, dangerouslyAllowBrowser: true }); // site: repoint\n\nexport default function App() {\n  const go = async () => client.chat.completions.create({ model: 'gpt-4o', messages: [] });\n  return <button onClick={go}>go</button>;\n}\n",
  'packages/r3/src/using.ts':
    "import OpenAI from 'openai';\n\nclass Lock { [Symbol.dispose]() {} }\n\nexport async function run(q: string) {\n  using lock = new Lock();\n  const client = new OpenAI(); // site: repoint\n  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n}\n",
  'packages/r3/src/attrs.ts':
    "import OpenAI from 'openai';\nimport pkg from '../package.json' with { type: 'json' };\n\nexport const client = new OpenAI({ defaultHeaders: { 'x-app': pkg.name } }); // site: repoint\n",
  'packages/r3/src/attrs-assert.mjs':
    "import OpenAI from 'openai';\nimport pkg from '../package.json' assert { type: 'json' };\n\nexport const client = new OpenAI({ defaultHeaders: { 'x-app': pkg.name } }); // site: repoint\n",
  'packages/r3/src/decorated.ts':
    "import OpenAI from 'openai';\n\nfunction logged(_t: unknown, _c: ClassFieldDecoratorContext) {}\n\nexport class Agent {\n  @logged accessor client = new OpenAI(); // site: repoint\n  ask() {\n    return this.client.chat.completions.create({ model: 'gpt-4o', messages: [] });\n  }\n}\n",
  'packages/r3/src/param-default.ts':
    "import OpenAI from 'openai';\n\nexport class Summarizer {\n  constructor(private readonly client: OpenAI = new OpenAI()) {} // site: repoint\n  run(text: string) {\n    return this.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });\n  }\n}\n",
  'packages/r3/src/lazy.ts':
    "import OpenAI from 'openai';\n\nexport class Lazy {\n  #client?: OpenAI;\n  get client() {\n    return (this.#client ??= new OpenAI({ timeout: 10_000 })); // site: repoint\n  }\n}\n",
  'packages/r3/src/choose.ts':
    "import OpenAI, { AzureOpenAI } from 'openai';\n\nexport const client = process.env.AZURE_OPENAI_ENDPOINT\n  ? new AzureOpenAI({ apiVersion: '2024-06-01', endpoint: process.env.AZURE_OPENAI_ENDPOINT }) // site: leave\n  : new OpenAI(); // site: repoint\n",
  'packages/r3/src/llama.ts':
    "import { Settings } from 'llamaindex';\nimport { OpenAI, OpenAIEmbedding } from '@llamaindex/openai';\n\nSettings.llm = new OpenAI({ model: 'gpt-4o-mini' }); // site: repoint\nSettings.embedModel = new OpenAIEmbedding({ model: 'text-embedding-3-small' }); // site: repoint\n",
  'packages/r3/src/module.cjs': "const OpenAI = require('openai');\n\nmodule.exports = new OpenAI({ apiKey: process.env.OPENAI_API_KEY }); // site: repoint\n",
  // A vision example with an image inlined as base64: long lines that are data, not minified code.
  'packages/r3/src/vision.ts':
    `import OpenAI from 'openai';\n\nconst IMAGE = 'data:image/png;base64,${B64}';\n\nconst client = new OpenAI(); // site: repoint\n\nexport const describe = () => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: IMAGE } }] }] });\n`,
  // Generated and minified files are listed as skipped (with the reason), never edited.
  'packages/r3/src/generated/client.ts':
    "// Code generated by openapi-typescript-codegen. DO NOT EDIT.\nimport OpenAI from 'openai';\n\nexport const generated = new OpenAI(); // site: leave\n",
  'packages/r3/public/widget.js':
    `${Array.from({ length: 40 }, (_, i) => `var a${i}=function(t){return t&&t.__esModule?t:{default:t}};`).join('')}import OpenAI from"openai";export const m=new OpenAI({dangerouslyAllowBrowser:!0}); // site: leave\n`,
  // Hono on Workers: the bindings are `c.env`, and no `env` parameter is in scope.
  'packages/r3-worker/wrangler.jsonc': '{ "name": "r3-worker", "main": "src/index.ts" }\n',
  'packages/r3-worker/package.json': '{ "name": "r3-worker", "dependencies": { "openai": "^4.60.0", "hono": "^4.0.0" } }\n',
  'packages/r3-worker/src/index.ts':
    "import { Hono } from 'hono';\nimport OpenAI from 'openai';\n\ntype Bindings = { OPENAI_API_KEY: string };\nconst app = new Hono<{ Bindings: Bindings }>();\n\napp.post('/chat', async (c) => {\n  const openai = new OpenAI({ apiKey: c.env.OPENAI_API_KEY }); // site: leave\n  const r = await openai.chat.completions.create({ model: 'gpt-4o', messages: [] });\n  return c.json(r);\n});\n\nexport default app;\n",
};

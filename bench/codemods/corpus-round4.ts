/**
 * Round 4 of the labelled corpus: paths along which a client reaches calls the proxy doesn't
 * serve (files, batches, fine-tuning, assistants, vector stores, audio, images, moderations,
 * uploads, realtime, evals) that the graph may not follow — unaliased dotted imports,
 * `getattr`, computed members, registries (dicts, Maps, arrays), callbacks, async factories
 * and awaited getters, destructured parameters, prototype methods, `@property` and
 * `cached_property`, streaming-response context managers, re-assigned variables,
 * `export { client as default }`, TypeScript `paths` aliases and workspace packages — and
 * syntax edge cases (nested-quote f-strings, walrus, match, private methods, top-level await).
 * A client whose calls can't all be seen must be reported, never silently repointed.
 * Labels as in corpus.ts. Written before any fix for round 4: first-run figures in
 * docs/codemods.md.
 */
export const ROUND4: Record<string, string> = {
  // ---------------- Python ----------------
  'services/r4/requirements.txt': 'openai>=1.40\nlangsmith\n',
  'services/r4/r4app/__init__.py': '',
  'services/r4/r4app/llm.py': 'from openai import OpenAI\n\nclient = OpenAI()  # site: leave\n',
  'services/r4/r4app/jobs.py':
    'import r4app.llm\n\n\ndef upload(path):\n    return r4app.llm.client.files.create(file=open(path, "rb"), purpose="batch")\n',
  'services/r4/r4app/safe_llm.py': 'from openai import OpenAI\n\nclient = OpenAI()  # site: repoint\n',
  'services/r4/r4app/use_safe.py':
    'import r4app.safe_llm\n\n\ndef ask(q):\n    return r4app.safe_llm.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n',
  'services/r4/r4app/dyn_attr.py':
    'from openai import OpenAI\n\nclient = OpenAI()  # site: leave\nother = OpenAI()  # site: leave\n\n\ndef upload(path):\n    return getattr(client, "files").create(file=open(path, "rb"), purpose="batch")\n\n\ndef call(resource, **kw):\n    return getattr(other, resource).create(**kw)\n',
  'services/r4/r4app/registry.py':
    'from openai import OpenAI\n\nCLIENTS = {"main": OpenAI(), "chat": None}  # site: leave\n\n\ndef submit(file_id):\n    return CLIENTS["main"].batches.create(input_file_id=file_id, endpoint="/v1/chat/completions", completion_window="24h")\n',
  'services/r4/r4app/registry_list.py':
    'from openai import OpenAI\n\nPOOL = [OpenAI(max_retries=1)]  # site: leave\n\n\ndef tune(file_id):\n    return POOL[0].fine_tuning.jobs.create(training_file=file_id, model="gpt-4o-mini")\n',
  'services/r4/r4app/callback.py':
    'from openai import OpenAI\n\nclient = OpenAI()  # site: leave\n\n\ndef with_client(fn):\n    return fn(client)\n\n\ndef speak(text):\n    return with_client(lambda c: c.audio.speech.create(model="tts-1", voice="alloy", input=text))\n',
  'services/r4/r4app/prop.py':
    'from openai import OpenAI\n\n\nclass Uploader:\n    def __init__(self):\n        self._client = OpenAI()  # site: leave\n\n    @property\n    def client(self):\n        return self._client\n\n    def upload(self, path):\n        return self.client.files.create(file=open(path, "rb"), purpose="assistants")\n',
  'services/r4/r4app/prop_safe.py':
    'from openai import OpenAI\n\n\nclass Chat:\n    def __init__(self):\n        self._client = OpenAI()  # site: repoint\n\n    @property\n    def client(self) -> OpenAI:\n        return self._client\n\n    def ask(self, q):\n        return self.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n',
  'services/r4/r4app/cached.py':
    'from functools import cached_property\n\nfrom openai import OpenAI\n\n\nclass Batcher:\n    @cached_property\n    def client(self) -> OpenAI:\n        return OpenAI(timeout=60)  # site: leave\n\n    def submit(self, file_id):\n        return self.client.batches.create(input_file_id=file_id, endpoint="/v1/chat/completions", completion_window="24h")\n',
  'services/r4/r4app/streaming_ctx.py':
    'from openai import OpenAI\n\ntts = OpenAI()  # site: leave\nchat = OpenAI()  # site: repoint\n\n\ndef speak(text, out):\n    with tts.with_streaming_response.audio.speech.create(model="tts-1", voice="alloy", input=text) as r:\n        r.stream_to_file(out)\n\n\ndef ask(q):\n    with chat.with_streaming_response.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}]) as r:\n        return r.parse()\n',
  'services/r4/r4app/rewrapped.py':
    'from langsmith.wrappers import wrap_openai\nfrom openai import OpenAI\n\nc = OpenAI()  # site: leave\nc = wrap_openai(c)\n\n\ndef draw(prompt):\n    return c.images.generate(model="dall-e-3", prompt=prompt)\n',
  'services/r4/r4app/async_factory.py':
    'from openai import AsyncOpenAI\n\n\nasync def get_client() -> AsyncOpenAI:\n    return AsyncOpenAI()  # site: leave\n\n\nasync def make_store(name):\n    client = await get_client()\n    return await client.vector_stores.create(name=name)\n',
  'services/r4/r4app/realtime.py':
    'from openai import AsyncOpenAI\n\nclient = AsyncOpenAI()  # site: leave\n\n\nasync def talk():\n    async with client.beta.realtime.connect(model="gpt-4o-realtime-preview") as conn:\n        await conn.session.update(session={"modalities": ["text"]})\n',
  'services/r4/r4app/syntax.py':
    'from openai import OpenAI\n\nclient = OpenAI()  # site: repoint\n\n\ndef ask(cmd, data):\n    match cmd:\n        case {"q": str(q)} if (n := len(q)) > 0:\n            return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"{data["name"]!s}: {q} ({n})"}])\n        case _:\n            return None\n',
  'services/r4/r4app/evals.py':
    'from openai import OpenAI\n\nclient = OpenAI()  # site: leave\n\n\ndef make_eval(cfg):\n    return client.evals.create(**cfg)\n',

  // ---------------- JS/TS ----------------
  'packages/r4/package.json': '{ "name": "r4", "dependencies": { "openai": "^4.60.0", "langsmith": "^0.2.0" } }\n',
  'packages/r4/tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }\n',
  'packages/r4/src/lib/openai.ts': "import OpenAI from 'openai';\n\nexport const openai = new OpenAI(); // site: leave\n",
  'packages/r4/src/jobs/upload.ts':
    "import { openai } from '@/lib/openai';\n\nexport const upload = (file: File) => openai.files.create({ file, purpose: 'batch' });\n",
  'packages/r4/src/computed.ts':
    "import OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: leave\nconst other = new OpenAI(); // site: leave\n\nexport const upload = (file: File) => client['files'].create({ file, purpose: 'batch' });\nexport const call = (resource: 'files' | 'batches', body: any) => (other as any)[resource].create(body);\n",
  'packages/r4/src/registry.ts':
    "import OpenAI from 'openai';\n\nexport const CLIENTS = { main: new OpenAI() }; // site: leave\n\nexport const submit = (id: string) => CLIENTS.main.batches.create({ input_file_id: id, endpoint: '/v1/chat/completions', completion_window: '24h' });\n",
  'packages/r4/src/map.ts':
    "import OpenAI from 'openai';\n\nconst clients = new Map<string, OpenAI>([['main', new OpenAI()]]); // site: leave\n\nexport const moderate = (input: string) => clients.get('main')!.moderations.create({ input });\n",
  'packages/r4/src/pool.ts':
    "import OpenAI from 'openai';\n\nconst pool = [new OpenAI({ maxRetries: 1 })]; // site: leave\n\nexport const draw = (prompt: string) => pool[0].images.generate({ model: 'dall-e-3', prompt });\n",
  'packages/r4/src/callback.ts':
    "import OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: leave\n\nfunction withClient<T>(fn: (c: OpenAI) => T): T {\n  return fn(client);\n}\n\nexport const speak = (input: string) => withClient((c) => c.audio.speech.create({ model: 'tts-1', voice: 'alloy', input }));\n",
  'packages/r4/src/async-factory.ts':
    "import OpenAI from 'openai';\n\nasync function getClient() {\n  return new OpenAI(); // site: leave\n}\n\nexport async function store(name: string) {\n  const c = await getClient();\n  return c.vectorStores.create({ name });\n}\n",
  'packages/r4/src/getter.ts': "import OpenAI from 'openai';\n\nexport const getOpenAI = async () => new OpenAI({ timeout: 5_000 }); // site: leave\n",
  'packages/r4/src/use-getter.ts':
    "import { getOpenAI } from './getter';\n\nexport const draw = async (prompt: string) => (await getOpenAI()).images.generate({ model: 'dall-e-3', prompt });\n",
  'packages/r4/src/destructured.ts':
    "import OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: leave\n\nfunction upload({ client: c }: { client: OpenAI }, file: File) {\n  return c.files.create({ file, purpose: 'assistants' });\n}\n\nexport const run = (file: File) => upload({ client }, file);\n",
  'packages/r4/src/destructured-safe.ts':
    "import OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: repoint\n\nfunction ask({ client }: { client: OpenAI }, q: string) {\n  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n}\n\nexport const run = (q: string) => ask({ client }, q);\n",
  'packages/r4/src/proto.js':
    "const OpenAI = require('openai');\n\nfunction Transcriber() {\n  this.client = new OpenAI(); // site: leave\n}\n\nTranscriber.prototype.run = function (file) {\n  return this.client.audio.transcriptions.create({ file, model: 'whisper-1' });\n};\n\nmodule.exports = Transcriber;\n",
  'packages/r4/src/proto-safe.js':
    "const OpenAI = require('openai');\n\nfunction Bot() {\n  this.client = new OpenAI(); // site: repoint\n}\n\nBot.prototype.ask = function (q) {\n  return this.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n};\n\nmodule.exports = Bot;\n",
  'packages/r4/src/rewrapped.ts':
    "import OpenAI from 'openai';\nimport { wrapOpenAI } from 'langsmith/wrappers';\n\nlet c = new OpenAI(); // site: leave\nc = wrapOpenAI(c);\n\nexport const moderate = (input: string) => c.moderations.create({ input });\n",
  'packages/r4/src/default-alias.ts': "import OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: leave\n\nexport { client as default };\n",
  'packages/r4/src/use-default-alias.ts':
    "import ai from './default-alias';\n\nexport const start = (bytes: number) => ai.uploads.create({ bytes, filename: 'a.jsonl', mime_type: 'text/jsonl', purpose: 'batch' });\n",
  'packages/r4/src/threads.ts':
    "import OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: leave\n\nexport class Assistant {\n  #api = client.beta;\n  start() {\n    return this.#api.threads.create();\n  }\n}\n",
  'packages/r4/src/modern.mts':
    "import OpenAI from 'openai';\n\nconst client = new OpenAI(); // site: repoint\n\nclass Bot {\n  static #instances = 0;\n  #ask(q: string) {\n    return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n  }\n  run(q: string) {\n    Bot.#instances++;\n    return #ask in this ? this.#ask(q) : null;\n  }\n}\n\nexport const answer = await new Bot().run('hi');\n",
  // A workspace package imported by name from another package.
  'packages/r4-llm/package.json': '{ "name": "@r4/llm", "main": "src/index.ts", "dependencies": { "openai": "^4.60.0" } }\n',
  'packages/r4-llm/src/index.ts': "import OpenAI from 'openai';\n\nexport const llm = new OpenAI(); // site: leave\n",
  'packages/r4-app/package.json': '{ "name": "r4-app", "dependencies": { "@r4/llm": "workspace:*" } }\n',
  'packages/r4-app/src/batch.ts':
    "import { llm } from '@r4/llm';\n\nexport const submit = (id: string) => llm.batches.create({ input_file_id: id, endpoint: '/v1/chat/completions', completion_window: '24h' });\n",
};

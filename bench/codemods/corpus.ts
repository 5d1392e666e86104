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

export const CORPUS: Record<string, string> = {
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
  // ---- templates: never parsed, never fail the gate ----
  'templates/{{cookiecutter.name}}/main.py': 'from openai import OpenAI\n\nclient = OpenAI({{ cookiecutter.options }})\n',
  'tools/scaffold/main.py': 'from openai import OpenAI\n{% if use_client %}\nclient = OpenAI()\n{% endif %}\n',
  'nova-migrate.config.json': '{ "codemods": { "exclude": ["vendor/**"] } }\n',
  'vendor/copied.ts': "import OpenAI from 'openai';\nexport const v = new OpenAI();\n",
};

export type Expect = 'repoint' | 'repoint verify' | 'leave';

export interface Label {
  file: string;
  line: number;
  expect: Expect;
}

export function labels(): Label[] {
  const out: Label[] = [];
  for (const [file, content] of Object.entries(CORPUS)) {
    content.split('\n').forEach((l, i) => {
      const m = /(?:\/\/|#) site: (repoint verify|repoint|leave)\s*$/.exec(l);
      if (m) out.push({ file, line: i + 1, expect: m[1] as Expect });
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
  /** Edits that break the app without a report: a `leave` site edited without manual/verify finding, or a `verify` site not reported. */
  silentBreakage: number;
  /** scan and rewrite decided differently about a client. */
  disagreements: number;
  errors: number;
  misses: string[];
}

/** Scores a rewrite run (dry) and a scan run of the same corpus against the labels. */
export function scoreCorpus(rewrite: RunReport, scan: RunReport): CorpusScore {
  const byLine = new Map<string, Set<string>>();
  for (const o of rewrite.files) {
    for (const f of o.findings) {
      const k = `${o.display}:${f.line}`;
      const set = byLine.get(k) ?? new Set();
      set.add(f.kind);
      byLine.set(k, set);
    }
  }
  const all = labels();
  let good = 0;
  let silent = 0;
  const misses: string[] = [];
  const labelled = new Set(all.map((l) => `${l.file}:${l.line}`));
  for (const l of all) {
    const kinds = byLine.get(`${l.file}:${l.line}`) ?? new Set();
    const changed = kinds.has('changed');
    const reported = kinds.has('manual') || kinds.has('skipped');
    const ok = l.expect === 'leave' ? !changed && reported : l.expect === 'repoint' ? changed : changed && kinds.has('verify');
    if (ok) good++;
    else misses.push(`${l.file}:${l.line} expected ${l.expect}, got ${[...kinds].join('+') || 'nothing'}`);
    if (l.expect === 'leave' && changed && !kinds.has('manual') && !kinds.has('verify')) silent++;
    if (l.expect === 'repoint verify' && changed && !kinds.has('verify')) silent++;
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
  const rw = new Map(rewrite.clients.map((c) => [c.id, c.action]));
  let disagreements = 0;
  for (const c of scan.clients) if (rw.get(c.id) !== c.action) disagreements++;
  if (scan.clients.length !== rewrite.clients.length) disagreements += Math.abs(scan.clients.length - rewrite.clients.length);
  return {
    sites: all.length,
    recall: good / all.length,
    precision: acted ? actedRight / acted : 1,
    silentBreakage: silent,
    disagreements,
    errors: rewrite.counts.errors,
    misses,
  };
}

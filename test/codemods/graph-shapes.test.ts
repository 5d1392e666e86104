/**
 * Client graph shapes that span modules, through the public runner: a client reached through a
 * namespace import or a whole-module require is followed to its uses like a named import.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../codemods/runner.js';
import { defaultRewriteOptions } from '../../codemods/types.js';
import { makeTree } from './support.js';

const rewrite = (files: Record<string, string>) =>
  run({ paths: ['.'], cwd: makeTree(files), rewrite: defaultRewriteOptions(), force: false, jobs: 1, mode: 'rewrite', write: false });
const findings = (r: Awaited<ReturnType<typeof rewrite>>) => r.files.flatMap((o) => o.findings.map((f) => `${o.display}:${f.line} ${f.kind}: ${f.message}`));

describe('client graph across modules', () => {
  it('follows `import * as llm` and `require` of a whole module to the calls made there', async () => {
    const r = await rewrite({
      'src/llm.ts': "import OpenAI from 'openai';\nexport const openai = new OpenAI();\nexport const chat = new OpenAI();\n",
      'src/use.ts': "import * as llm from './llm.js';\nexport const up = (f: File) => llm.openai.files.create({ file: f, purpose: 'batch' });\nexport const ask = () => llm.chat.chat.completions.create({ model: 'gpt-4o', messages: [] });\n",
      'lib/db.cjs': "const OpenAI = require('openai');\nexports.client = new OpenAI();\n",
      'lib/jobs.cjs': "const db = require('./db.cjs');\nmodule.exports = () => db.client.batches.list();\n",
    });
    const lines = findings(r);
    expect(lines).toContainEqual(expect.stringMatching(/^src\/llm\.ts:2 manual: left alone: .*files\.create \(src\/use\.ts:2\)/));
    expect(lines).toContain('src/llm.ts:3 changed: added baseURL and apiKey');
    expect(lines).toContainEqual(expect.stringMatching(/^lib\/db\.cjs:2 manual: left alone: .*batches\.list \(lib\/jobs\.cjs:2\)/));
  }, 30_000);

  it('follows a Python module imported by name to the calls made through it (`from app import llm; llm.client…`)', async () => {
    const r = await rewrite({
      'app/__init__.py': '',
      'app/llm.py': 'from openai import OpenAI\n\nclient = OpenAI()\nchat = OpenAI()\n',
      'app/jobs.py': 'from app import llm\n\n\ndef run(path):\n    return llm.client.files.create(file=open(path, "rb"), purpose="batch")\n',
      'app/ask.py': 'import app.llm as m\n\n\ndef ask(q):\n    return m.chat.chat.completions.create(model="gpt-4o", messages=[])\n\n\ndef up(p):\n    return m.client.files.list()\n',
    });
    const lines = findings(r);
    const client = lines.find((l) => l.startsWith('app/llm.py:3 manual: left alone: '));
    expect(client).toContain('files.create (app/jobs.py:5)');
    expect(client).toContain('files.list (app/ask.py:9)');
    expect(lines).toContain('app/llm.py:4 changed: added base_url and api_key');
  }, 30_000);

  it("does not count another SDK's look-alike calls (Drive, Stripe, Anthropic, Groq files and batches) against the OpenAI client", async () => {
    const r = await rewrite({
      'src/drive.ts':
        "import OpenAI from 'openai';\nimport { google } from 'googleapis';\nimport Stripe from 'stripe';\nconst openai = new OpenAI();\nconst drive = google.drive({ version: 'v3' });\nconst stripe = new Stripe(process.env.STRIPE_KEY!);\nexport const up = (b: any) => drive.files.create(b);\nexport const receipt = (b: any) => stripe.files.create(b);\nexport const ask = () => openai.chat.completions.create({ model: 'gpt-4o', messages: [] });\n",
      'app/both.py':
        'import anthropic\nfrom groq import Groq\nfrom openai import OpenAI\n\nclient = OpenAI()\nclaude = anthropic.Anthropic()\ngroq = Groq()\n\n\ndef run(reqs, f):\n    claude.messages.batches.create(requests=reqs)\n    groq.files.create(file=f, purpose="batch")\n    return client.chat.completions.create(model="gpt-4o", messages=[])\n',
      // Still counted: a registry entry is no look-alike SDK.
      'src/reg.ts': "import OpenAI from 'openai';\nimport { google } from 'googleapis';\nconst CLIENTS: Record<string, any> = { main: new OpenAI() };\nexport const submit = (b: any) => CLIENTS.main.batches.create(b);\nexport const g = google;\n",
    });
    const lines = findings(r);
    expect(lines).toContain('src/drive.ts:4 changed: added baseURL and apiKey');
    expect(lines).toContain('app/both.py:5 changed: added base_url and api_key');
    expect(lines).toContainEqual(expect.stringMatching(/^src\/reg\.ts:3 manual: left alone: .*batches\.create \(src\/reg\.ts:4\)/));
  }, 30_000);

  it('counts an unserved call on a receiver it cannot trace against the clients reaching that file', async () => {
    const r = await rewrite({
      'app/registry.py': 'from openai import OpenAI\n\nCLIENTS = {"main": OpenAI()}\n\n\ndef submit(i):\n    return CLIENTS["main"].batches.create(input_file_id=i, endpoint="/v1/chat/completions", completion_window="24h")\n',
      'app/attr.py': 'from openai import OpenAI\n\nclient = OpenAI()\nother = OpenAI()\n\n\ndef up(p):\n    return getattr(client, "files").create(file=open(p, "rb"), purpose="batch")\n\n\ndef call(name, **kw):\n    return getattr(other, name).create(**kw)\n',
      'app/chat_registry.py': 'from openai import OpenAI\n\nREG = {"chat": OpenAI()}\n\n\ndef ask(q):\n    return REG["chat"].chat.completions.create(model="gpt-4o", messages=[])\n',
      'src/cb.ts': "import OpenAI from 'openai';\nconst client = new OpenAI();\nconst withClient = <T>(fn: (c: OpenAI) => T) => fn(client);\nexport const speak = (input: string) => withClient((c) => c.audio.speech.create({ model: 'tts-1', voice: 'alloy', input }));\n",
      'src/computed.ts': "import OpenAI from 'openai';\nconst other = new OpenAI();\nexport const call = (r: 'files' | 'batches', b: any) => (other as any)[r].create(b);\n",
    });
    const lines = findings(r);
    expect(lines).toContainEqual(expect.stringMatching(/^app\/registry\.py:3 manual: left alone: .*batches\.create \(app\/registry\.py:7\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^app\/attr\.py:3 manual: left alone: .*files\.create \(app\/attr\.py:8\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^app\/attr\.py:4 manual: left alone: .*chosen at run time/));
    expect(lines).toContainEqual(expect.stringMatching(/^src\/cb\.ts:2 manual: left alone: .*audio\.speech\.create \(src\/cb\.ts:4\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^src\/computed\.ts:2 manual: left alone: .*chosen at run time/));
    // A registry whose calls are all served stays repointed, reported as "verify".
    expect(lines).toContain('app/chat_registry.py:3 changed: added base_url and api_key');
    expect(lines).toContainEqual(expect.stringMatching(/^app\/chat_registry\.py:3 verify: /));
  }, 30_000);

  it('follows unaliased dotted Python imports, TypeScript `paths` aliases and workspace packages', async () => {
    const r = await rewrite({
      'py/app/__init__.py': '',
      'py/app/llm.py': 'from openai import OpenAI\n\nclient = OpenAI()\n',
      'py/app/jobs.py': 'import app.llm\n\n\ndef up(p):\n    return app.llm.client.files.create(file=open(p, "rb"), purpose="batch")\n',
      'web/tsconfig.json': '{\n  // aliases\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] }, },\n}\n',
      'web/src/lib/openai.ts': "import OpenAI from 'openai';\nexport const openai = new OpenAI();\nexport const chat = new OpenAI();\n",
      'web/src/jobs.ts': "import { openai, chat } from '@/lib/openai';\nexport const up = (file: File) => openai.files.create({ file, purpose: 'batch' });\nexport const ask = () => chat.chat.completions.create({ model: 'gpt-4o', messages: [] });\n",
      'pkgs/llm/package.json': '{ "name": "@acme/llm", "main": "src/index.ts" }\n',
      'pkgs/llm/src/index.ts': "import OpenAI from 'openai';\nexport const llm = new OpenAI();\n",
      'pkgs/app/package.json': '{ "name": "app", "dependencies": { "@acme/llm": "workspace:*" } }\n',
      'pkgs/app/src/batch.ts': "import { llm } from '@acme/llm';\nexport const list = () => llm.batches.list();\n",
    });
    const lines = findings(r);
    expect(lines).toContainEqual(expect.stringMatching(/^py\/app\/llm\.py:3 manual: left alone: .*files\.create \(py\/app\/jobs\.py:5\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^web\/src\/lib\/openai\.ts:2 manual: left alone: .*files\.create \(web\/src\/jobs\.ts:2\)/));
    expect(lines).toContain('web/src/lib/openai.ts:3 changed: added baseURL and apiKey');
    expect(lines).toContainEqual(expect.stringMatching(/^pkgs\/llm\/src\/index\.ts:2 manual: left alone: .*batches\.list \(pkgs\/app\/src\/batch\.ts:2\)/));
  }, 30_000);
});

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
});

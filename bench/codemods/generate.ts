/**
 * Generates a synthetic monorepo for the codemod benchmark: `total` source files
 * (TS/TSX/JS/Python), `share` of them using OpenAI in the patterns the codemods handle,
 * plus a node_modules folder that must be skipped. Deterministic (seeded).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const OPENAI_TS = [
  (i: number) => `import OpenAI from 'openai';\n\nconst client = new OpenAI();\n\nexport async function ask${i}(q: string) {\n  const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], stream: false });\n  return r.choices[0]?.message.content;\n}\n`,
  (i: number) => `import { OpenAI } from 'openai';\n\nexport class Service${i} {\n  private client = new OpenAI({\n    apiKey: process.env.OPENAI_API_KEY,\n    maxRetries: 3,\n  });\n\n  embed(text: string) {\n    return this.client.embeddings.create({ model: 'text-embedding-3-small', input: text });\n  }\n}\n`,
  (i: number) => `import { ChatOpenAI } from '@langchain/openai';\n\nexport const llm${i} = new ChatOpenAI({ model: 'gpt-4o', temperature: 0 });\n`,
  (i: number) => `import { openai } from '@ai-sdk/openai';\nimport { generateText } from 'ai';\n\nexport const run${i} = () => generateText({ model: openai.chat('gpt-4o'), prompt: 'hi' });\n`,
  (i: number) => `import OpenAI from 'openai';\n\nexport const groq${i} = new OpenAI({ baseURL: 'https://api.groq.com/openai/v1', apiKey: process.env.GROQ_KEY });\n`,
];

const OPENAI_PY = [
  (i: number) => `from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef ask_${i}(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n`,
  (i: number) => `import openai\nfrom langchain_openai import ChatOpenAI\n\nllm_${i} = ChatOpenAI(\n    model="gpt-4o-mini",\n    temperature=0,\n)\n`,
  (i: number) => `from openai import AsyncOpenAI\n\n\nclass Bot${i}:\n    def __init__(self, **kwargs):\n        self.client = AsyncOpenAI(**kwargs)\n`,
];

function plainTs(r: () => number, i: number, tsx: boolean): string {
  const lines: string[] = [`import { readFile } from 'node:fs/promises';`, `import type { Request, Response } from 'express';`, ''];
  const fns = 3 + Math.floor(r() * 6);
  for (let f = 0; f < fns; f++) {
    lines.push(`/** Handles case ${f} of module ${i}. */`);
    lines.push(`export async function handler${i}_${f}(req: Request, res: Response): Promise<void> {`);
    lines.push(`  const body = req.body as { id: string; items: number[] };`);
    lines.push(`  const total = body.items.reduce((a, b) => a + b, 0);`);
    lines.push(`  if (total > ${Math.floor(r() * 1000)}) {`);
    lines.push(`    res.status(400).json({ error: 'too large', id: body.id });`);
    lines.push(`    return;`);
    lines.push(`  }`);
    lines.push(`  const text = await readFile(\`/tmp/\${body.id}.json\`, 'utf8');`);
    lines.push(`  res.json({ total, size: text.length, config: { retries: ${f}, mode: 'fast' } });`);
    lines.push(`}`);
    lines.push('');
  }
  if (tsx) lines.push(`export const View${i} = ({ n }: { n: number }) => <div className="v">{n}</div>;`);
  return lines.join('\n');
}

function plainJs(r: () => number, i: number): string {
  const lines = [`const path = require('node:path');`, ''];
  const fns = 3 + Math.floor(r() * 6);
  for (let f = 0; f < fns; f++) {
    lines.push(`function util${i}_${f}(a, b) {`, `  const p = path.join(a, String(b));`, `  return { p, n: ${f} * b, ok: p.length > ${Math.floor(r() * 50)} };`, `}`, '');
  }
  lines.push(`module.exports = { ${Array.from({ length: fns }, (_, f) => `util${i}_${f}`).join(', ')} };`);
  return lines.join('\n');
}

function plainPy(r: () => number, i: number): string {
  const lines = ['import json', 'import requests', ''];
  const fns = 3 + Math.floor(r() * 6);
  for (let f = 0; f < fns; f++) {
    lines.push('', `def fetch_${i}_${f}(url, retries=${f}):`, `    """Fetch and decode case ${f}."""`, '    for attempt in range(retries + 1):', '        resp = requests.get(url, timeout=10)', '        if resp.ok:', `            return json.loads(resp.text).get("k${f}")`, '    return None', '');
  }
  return lines.join('\n');
}

export interface GeneratedTree {
  root: string;
  files: number;
  openaiFiles: number;
}

export function generateTree(root: string, total = 10_000, share = 0.02, seed = 42): GeneratedTree {
  const r = rng(seed);
  let openaiFiles = 0;
  const write = (rel: string, content: string) => {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  for (let i = 0; i < total; i++) {
    const pkg = `pkg${i % 50}`;
    const kind = r();
    const uses = r() < share;
    if (uses) openaiFiles++;
    if (kind < 0.55) write(`packages/${pkg}/src/mod${i % 7}/file${i}.ts`, uses ? OPENAI_TS[i % OPENAI_TS.length]!(i) : plainTs(r, i, false));
    else if (kind < 0.7) write(`packages/${pkg}/src/ui/view${i}.tsx`, uses ? OPENAI_TS[i % 2]!(i) : plainTs(r, i, true));
    else if (kind < 0.8) write(`packages/${pkg}/lib/util${i}.js`, uses ? `const OpenAI = require('openai');\nmodule.exports = new OpenAI({ timeout: 1000 });\n` : plainJs(r, i));
    else write(`services/svc${i % 20}/app/mod${i}.py`, uses ? OPENAI_PY[i % OPENAI_PY.length]!(i) : plainPy(r, i));
  }
  // Dependencies that must never be walked.
  for (let i = 0; i < 300; i++) write(`node_modules/dep${i}/index.js`, `const OpenAI = require('openai');\nmodule.exports = new OpenAI();\n`);
  write('.gitignore', 'node_modules/\n');
  return { root, files: total, openaiFiles };
}

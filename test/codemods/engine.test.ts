import { describe, expect, it } from 'vitest';
import jscodeshift from 'jscodeshift';
import transform from '../../codemods/transforms/nova-proxy.js';
import modelsTransform from '../../codemods/transforms/nova-models.js';
import { rewriteJsFile } from '../../codemods/js/run.js';
import { rewritePythonSource } from '../../codemods/python/rewrite.js';
import { applyEdits } from '../../codemods/edits.js';
import { defaultRewriteOptions } from '../../codemods/types.js';

function runTransform(t: typeof transform, path: string, source: string, options: Record<string, unknown> = {}) {
  const reports: string[] = [];
  const api = { jscodeshift, j: jscodeshift, stats: () => {}, report: (m: string) => reports.push(m) };
  return { output: t({ path, source }, api as never, options as never), reports };
}

describe('jscodeshift transforms', () => {
  it('default export follows the jscodeshift contract and reads its options', () => {
    const r = runTransform(transform, 'src/a.ts', "import OpenAI from 'openai';\nconst x = <number>(1 as unknown);\nexport const c = new OpenAI();\nexport const g = new OpenAI({ baseURL: 'http://localhost:11434/v1' });\n", { baseUrlEnv: 'MY_URL', baseUrl: 'http://proxy/v1' });
    expect(r.output).toContain("new OpenAI({ baseURL: process.env.MY_URL ?? 'http://proxy/v1', apiKey: process.env.NOVA_PROXY_API_KEY })");
    expect(r.reports).toEqual([expect.stringMatching(/^src\/a\.ts:4:\d+ skipped: openai\.OpenAI: existing baseURL/)]);
    // jscodeshift passes flags as strings
    const forced = runTransform(transform, 'src/a.ts', "import OpenAI from 'openai';\nexport const g = new OpenAI({ baseURL: 'http://localhost:11434/v1' });\n", { force: 'true' });
    expect(forced.output).toContain('NOVA_PROXY_URL');
    expect(runTransform(transform, 'a.js', 'export const x = 1;\n').output).toBeUndefined();
  });

  it('nova-models rewrites model names', () => {
    const r = runTransform(modelsTransform, 'a.ts', "import { openai } from '@ai-sdk/openai';\nexport const m = openai('gpt-4o');\n");
    expect(r.output).toContain("const openai = createOpenAI(");
    expect(r.output).toContain("openai('amazon.nova-pro-v1:0')");
  });
});

describe('safety nets', () => {
  it('refuses output that does not re-parse', () => {
    const opts = defaultRewriteOptions({ apiKeyEnv: 'X)(' });
    expect(() => rewriteJsFile('a.ts', "import OpenAI from 'openai';\nnew OpenAI();\n", opts)).toThrow(/does not re-parse/);
    // Python quotes what it inserts: always valid.
    expect(rewritePythonSource('from openai import OpenAI\nOpenAI()\n', opts).output).toContain('os.environ.get("X)(")');
  });

  it('parse failures are typed as such', () => {
    expect(() => rewriteJsFile('a.ts', 'const = ;', defaultRewriteOptions())).toThrow(expect.objectContaining({ isParseError: true, line: 1 }));
    expect(() => rewritePythonSource('def f(:\n  pass\n', defaultRewriteOptions())).toThrow(expect.objectContaining({ isParseError: true }));
  });

  it('applies same-offset inserts in the order they were made and rejects overlaps', () => {
    expect(applyEdits('ab', [{ start: 1, end: 1, text: 'x' }, { start: 1, end: 1, text: 'y' }])).toBe('axyb');
    expect(() => applyEdits('abcd', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }])).toThrow(/overlapping/);
  });
});

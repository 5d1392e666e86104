import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rewriteNotebook, serialiseNotebook } from '../../codemods/notebook.js';
import { discoverFiles, skipReason } from '../../codemods/files.js';
import { defaultRewriteOptions } from '../../codemods/types.js';
import { git, makeRepo, makeTree, runCli } from './support.js';
import { readFileSync } from 'node:fs';

function notebook(cells: string[][]): string {
  return serialiseNotebook({
    cells: cells.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

describe('notebooks', () => {
  it('rewrites code cells, keeps magics, and is idempotent', () => {
    const nb = notebook([['%pip install openai\n', 'from openai import OpenAI\n', 'client = OpenAI()'], ['!ls\n', 'print(1)']]);
    const r = rewriteNotebook(nb, defaultRewriteOptions());
    expect(r.output).toBeDefined();
    const cells = JSON.parse(r.output!).cells;
    expect(cells[0].source).toEqual([
      '%pip install openai\n',
      'import os\n',
      'from openai import OpenAI\n',
      'client = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))',
    ]);
    expect(cells[1].source).toEqual(['!ls\n', 'print(1)']);
    expect(r.findings[0]).toMatchObject({ kind: 'changed', what: 'cell 1: openai.OpenAI', line: 3 });
    expect(rewriteNotebook(r.output!, defaultRewriteOptions()).output).toBeUndefined();
  });

  it('reports instead of reformatting a notebook not in Jupyter layout', () => {
    const nb = JSON.stringify(JSON.parse(notebook([['from openai import OpenAI\n', 'c = OpenAI()']])));
    const r = rewriteNotebook(nb, defaultRewriteOptions());
    expect(r.output).toBeUndefined();
    expect(r.findings[0]).toMatchObject({ kind: 'manual' });
    expect(r.findings[0]!.message).toContain("isn't Jupyter's");
  });

  it('reports a cell that does not parse and leaves it alone', () => {
    const nb = notebook([['from openai import OpenAI\n', 'c = OpenAI(']]);
    const r = rewriteNotebook(nb, defaultRewriteOptions());
    expect(r.output).toBeUndefined();
    expect(r.findings[0]).toMatchObject({ kind: 'manual', what: 'cell 1' });
  });

  it('treats the code cells as one module: clients in later cells are rewritten, models too', () => {
    const nb = notebook([
      ['%pip install openai\n', 'from openai import OpenAI'],
      ['x = 1\n'],
      ['!ls\n', 'client = OpenAI()\n'],
      ['r = client.chat.completions.create(model="gpt-4o", messages=[])'],
    ]);
    const r = rewriteNotebook(nb, defaultRewriteOptions({ models: 'nova' }));
    expect(r.output).toBeDefined();
    const cells = JSON.parse(r.output!).cells;
    expect(cells[0].source).toEqual(['%pip install openai\n', 'import os\n', 'from openai import OpenAI']);
    expect(cells[1].source).toEqual(['x = 1\n']);
    expect(cells[2].source).toEqual([
      '!ls\n',
      'client = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))\n',
    ]);
    expect(cells[3].source).toEqual(['r = client.chat.completions.create(model="amazon.nova-pro-v1:0", messages=[])']);
    expect(r.findings).toEqual([
      expect.objectContaining({ kind: 'changed', what: 'cell 3: openai.OpenAI', line: 2 }),
      expect.objectContaining({ kind: 'changed', what: 'cell 4: model', line: 1 }),
    ]);
    expect(rewriteNotebook(r.output!, defaultRewriteOptions({ models: 'nova' })).output).toBeUndefined();
  });

  it('leaves a cell that does not parse out and still rewrites the others', () => {
    const nb = notebook([['from openai import OpenAI\n'], ['oops = (\n', 'openai'], ['c = OpenAI()']]);
    const r = rewriteNotebook(nb, defaultRewriteOptions());
    const cells = JSON.parse(r.output!).cells;
    expect(cells[1].source).toEqual(['oops = (\n', 'openai']);
    expect(cells[2].source[0]).toContain('NOVA_PROXY_URL');
    expect(r.findings.map((f) => `${f.kind} ${f.what}`)).toEqual(['manual cell 2', 'changed cell 3: openai.OpenAI']);
  });

  it('scans clients and calls in cells after the import cell', async () => {
    const dir = makeTree({ 'nb.ipynb': notebook([['from openai import OpenAI\n'], ['c = OpenAI()\n', 'c.embeddings.create(model="text-embedding-3-small", input="x")']]) });
    const scan = await runCli(['scan', '--json'], dir);
    expect(JSON.parse(scan.stdout).sites.map((s: { api: string; line: number; verdict: string }) => `${s.api}:${s.line} ${s.verdict}`)).toEqual([
      '[cell 2] openai.OpenAI:1 works',
      '[cell 2] embeddings.create:2 differences',
    ]);
    expect((await runCli(['rewrite', '--check'], dir)).code).toBe(1);
  });

  it('is rewritten and scanned through the CLI', async () => {
    const dir = makeRepo({ 'nb/demo.ipynb': notebook([['from openai import OpenAI\n', 'c = OpenAI()\n', 'c.embeddings.create(model="text-embedding-3-small", input="x")']]) });
    const scan = await runCli(['scan', '--json'], dir);
    expect(JSON.parse(scan.stdout).sites.map((s: { api: string; verdict: string }) => `${s.api} ${s.verdict}`)).toEqual([
      '[cell 1] openai.OpenAI works',
      '[cell 1] embeddings.create differences',
    ]);
    const r = await runCli(['rewrite'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'nb/demo.ipynb'), 'utf8')).toContain('NOVA_PROXY_URL');
    expect(git(dir, 'status', '--porcelain')).toContain('nb/demo.ipynb');
  });
});

describe('file discovery', () => {
  it('walks the tree honouring nested .gitignore files and skip lists', async () => {
    const dir = makeTree({
      '.gitignore': '*.gen.ts\n',
      'a.ts': '',
      'b.gen.ts': '',
      'pkg/.gitignore': 'secret/\n',
      'pkg/c.py': '',
      'pkg/secret/d.py': '',
      'pkg/types.d.ts': '',
      'node_modules/x/index.js': '',
      '.venv/lib/site.py': '',
      'venv/lib/site.py': '',
      '__pycache__/m.py': '',
      'build/out.js': '',
      'dist/out.js': '',
      'README.md': '',
      'nb.ipynb': '{}',
      'src/.hidden/e.mjs': '',
    });
    const { files } = await discoverFiles(['.'], { cwd: dir });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.ts', 'nb.ipynb', 'pkg/c.py', 'src/.hidden/e.mjs']);
    const only = await discoverFiles(['.'], { cwd: dir, include: ['pkg/**'], exclude: ['**/*.ipynb'] });
    expect(only.files.map((f) => f.slice(dir.length + 1))).toEqual(['pkg/c.py']);
    const byName = await discoverFiles(['.'], { cwd: dir, exclude: ['*.py', '*.ipynb'] });
    expect(byName.files.map((f) => f.slice(dir.length + 1))).toEqual(['a.ts', 'src/.hidden/e.mjs']);
    const missing = await discoverFiles(['nope'], { cwd: dir });
    expect(missing.missing).toEqual(['nope']);
  });

  it('spots minified and generated files', () => {
    expect(skipReason('x.min.js', '')).toBe('minified');
    expect(skipReason('x.js', `var a=1;${'b(openai);'.repeat(400)}`)).toBe('minified');
    expect(skipReason('x.ts', '// Code generated by openapi-gen. DO NOT EDIT.\n')).toBe('generated');
    expect(skipReason('x.ts', "import OpenAI from 'openai';\n")).toBeUndefined();
    expect(skipReason('x.ipynb', `{"cells": [{"outputs": [{"data": {"image/png": "${'A'.repeat(5000)}"}}]}]}`)).toBeUndefined();
    // Long lines of data (a base64 image inlined in a vision example) are not minified code…
    const image = `const IMAGE = 'data:image/png;base64,${'iVBORw0KGgo'.repeat(700)}';`;
    expect(skipReason('vision.ts', `import OpenAI from 'openai';\n${image}\nconst client = new OpenAI();\n`)).toBeUndefined();
    // …but minified code holding such a blob still is.
    expect(skipReason('x.js', `${'var a=function(t){return t&&t.x};'.repeat(200)}${image}`)).toBe('minified');
  });
});

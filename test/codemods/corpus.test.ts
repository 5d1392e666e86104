/**
 * The labelled corpus (bench/codemods/corpus.ts): every client construction's expected
 * outcome is written beside it. Recall and precision must be 1, silent breakage 0, and scan
 * and rewrite must agree on every client.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../codemods/runner.js';
import { defaultRewriteOptions } from '../../codemods/types.js';
import { scoreCorpus, writeCorpus } from '../../bench/codemods/corpus.js';
import { git, runCli, tempDir } from './support.js';

describe('labelled corpus', () => {
  const dir = tempDir('nova-corpus-');
  writeCorpus(dir);
  const opts = { paths: ['.'], cwd: dir, rewrite: defaultRewriteOptions(), force: false, jobs: 1 };

  it('recall 1, precision 1, no silent breakage, scan and rewrite agree', async () => {
    const rewrite = await run({ ...opts, mode: 'rewrite', write: false });
    const scan = await run({ ...opts, mode: 'scan', write: false, types: false });
    const score = scoreCorpus(rewrite, scan);
    expect(score.misses).toEqual([]);
    expect(score).toMatchObject({ recall: 1, precision: 1, silentBreakage: 0, silentSkips: 0, disagreements: 0, errors: 0 });
    // Round 3 on its own (its first run, before the fixes, is in docs/codemods.md).
    expect(scoreCorpus(rewrite, scan, 3)).toMatchObject({ recall: 1, precision: 1, silentBreakage: 0, silentSkips: 0, disagreements: 0, errors: 0 });
    // Round 4: clients reaching unserved APIs along paths the graph can't follow are reported.
    expect(scoreCorpus(rewrite, scan, 4)).toMatchObject({ sites: 35, recall: 1, precision: 1, silentBreakage: 0, silentSkips: 0, disagreements: 0, errors: 0 });
    // Templates, component files and config-excluded files are skipped, not errors.
    // Component files that mention OpenAI are listed, never passed over in silence.
    expect(rewrite.skipped.map((s) => `${s.display}: ${s.reason.split(':')[0]}`).sort()).toEqual([
      'packages/next/components/Chat.vue: component file (.vue)',
      'packages/r3/public/widget.js: minified',
      'packages/r3/src/generated/client.ts: generated',
      'templates/{{cookiecutter.name}}/main.py: template',
      'tools/scaffold/main.py: template',
    ]);
    expect(scan.skipped.map((s) => s.display)).toContain('packages/next/components/Chat.vue');
    expect(rewrite.files.some((f) => f.display.startsWith('vendor/'))).toBe(false);
  }, 60_000);

  it('writes what works where each file runs, with the option names its versions know', async () => {
    const r = await run({ ...opts, mode: 'rewrite', write: false });
    const out = (f: string) => r.files.find((o) => o.display === f)?.output ?? '';
    expect(out('packages/web/src/widget.tsx')).toContain('baseURL: process.env.NEXT_PUBLIC_NOVA_PROXY_URL');
    expect(out('packages/web/src/widget.tsx')).not.toContain('NOVA_PROXY_API_KEY');
    expect(out('packages/edge/src/index.ts')).toContain('baseURL: env.NOVA_PROXY_URL');
    expect(out('packages/deno/main.ts')).toContain("Deno.env.get('NOVA_PROXY_URL')");
    expect(out('packages/old/src/chat.ts')).toContain('openAIApiKey: process.env.NOVA_PROXY_API_KEY');
    expect(out('packages/web/src/lc.ts')).toContain('apiKey: process.env.NOVA_PROXY_API_KEY');
    expect(out('packages/web/src/lc.ts')).not.toContain('openAIApiKey');
    expect(out('services/api/app/legacy_lc.py')).toContain('openai_api_base=os.environ.get(');
    expect(out('services/legacy/bot.py')).toContain('openai.api_base = os.environ.get("NOVA_PROXY_URL"');
    // Line endings, byte-order marks and tab indentation are the file's own.
    expect(out('services/shapes/app/crlf.py')).toMatch(/^import os\r\n[^]*base_url=os\.environ\.get\([^\n]*\),\r\n\)\r\n$/);
    expect(out('services/shapes/app/crlf.py').replace(/\r\n/g, '')).not.toContain('\n');
    expect(out('services/shapes/app/bom.py').startsWith('\uFEFFimport os\n')).toBe(true);
    expect(out('services/shapes/app/tabs.py')).toContain('\t\ttimeout=5,\n\t\tbase_url=os.environ.get(');
    // Inserted code only uses names the file binds (the v1 module client gets `import os`).
    expect(out('services/r3/r3app/modv1.py')).toMatch(/^import os\nimport openai\n[^]*\nopenai\.base_url = os\.environ\.get\(/);
    // Options seen through Object.freeze and conditional spreads; a data blob is not minified code.
    expect(out('packages/r3/src/frozen.ts')).toContain("Object.freeze({ apiKey: process.env.OPENAI_API_KEY, timeout: 30_000, baseURL: process.env.NOVA_PROXY_URL");
    expect(out('packages/r3/src/vision.ts')).toContain('const client = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL');
    // Azure driven through the plain client (api-version query) is never edited.
    expect(out('packages/next/lib/azure.ts')).toBe('');
    // The AI SDK default provider stays `openai(model)`: the proxy serves the Responses API.
    expect(out('packages/web/src/plain-ai.ts')).toContain("provider('gpt-4o-mini')");
    // Cross-file: the reason names the call in the other module.
    const llm = r.files.find((o) => o.display === 'packages/web/src/llm.ts')!;
    expect(llm.findings.find((f) => f.kind === 'manual')?.message).toContain('files.create (packages/web/src/jobs.ts:3)');
    const agent = r.files.find((o) => o.display === 'services/api/app/agent.py')!;
    expect(agent.findings.find((f) => f.kind === 'manual')?.message).toContain('moderations.create (services/api/app/helpers.py:6)');
  }, 60_000);

  it('is a usable CI gate: --check passes after the rewrite, --exclude matches outside the working directory', async () => {
    const repo = tempDir('nova-corpus-git-');
    writeCorpus(repo);
    git(repo, 'init', '-q');
    git(repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', 'x');
    git(repo, 'add', '-A');
    git(repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'corpus');
    const elsewhere = tempDir('nova-cwd-');
    const excluded = await runCli(['rewrite', '--check', '--json', '--exclude', '**/widget.tsx', repo], elsewhere);
    expect(JSON.parse(excluded.stdout).wouldChange.some((f: string) => f.endsWith('widget.tsx'))).toBe(false);
    const first = await runCli(['rewrite'], repo);
    expect(first.code).toBe(0);
    const again = await runCli(['rewrite', '--check'], repo);
    expect(again.code).toBe(0);
    expect(readFileSync(join(repo, 'templates/{{cookiecutter.name}}/main.py'), 'utf8')).toContain('{{ cookiecutter.options }}');
  }, 60_000);
});

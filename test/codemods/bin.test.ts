// The built CLI and transforms, run as users run them: `node bin/nova-migrate.js …` and
// `jscodeshift -t dist/codemods/transforms/nova-proxy.js`. Builds into a temporary
// directory (same esbuild settings as scripts/build.mjs) so the shared dist/ is untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { glob } from 'tinyglobby';
import { makeRepo, makeTree, tempDir } from './support.js';

const repoRoot = resolve(import.meta.dirname, '../..');
let out: string;

beforeAll(async () => {
  out = tempDir('nova-codemods-build-');
  // Only what scan/rewrite load (command modules import their heavy code lazily), so work in
  // progress elsewhere in the repository can't break this test.
  const entryPoints = await glob(['{codemods,cli}/**/*.ts', 'proxy/models.ts'], {
    cwd: repoRoot,
    ignore: ['**/*.test.ts', '**/__testfixtures__/**', '**/*.d.ts'],
    absolute: true,
  });
  await build({ absWorkingDir: repoRoot, entryPoints, outbase: repoRoot, outdir: join(out, 'dist'), platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' });
  mkdirSync(join(out, 'bin'));
  copyFileSync(join(repoRoot, 'bin/nova-migrate.js'), join(out, 'bin/nova-migrate.js'));
  copyFileSync(join(repoRoot, 'package.json'), join(out, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(out, 'node_modules'));
}, 60_000);

describe('built CLI', () => {
  it('rewrites through bin/nova-migrate.js, with worker threads', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`src/m${i}.ts`] = `import OpenAI from 'openai';\nexport const c${i} = new OpenAI({ timeout: ${i} });\n`;
    for (let i = 0; i < 20; i++) files[`py/m${i}.py`] = `from openai import OpenAI\nc = OpenAI()\n`;
    const dir = makeRepo(files);
    const check = spawnSync(process.execPath, [join(out, 'bin/nova-migrate.js'), 'rewrite', '--check', '--json', '--jobs', '2'], { cwd: dir, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(1);
    const report = JSON.parse(check.stdout);
    expect(report.workers).toBe(1);
    expect(report.wouldChange).toHaveLength(80);
    const write = spawnSync(process.execPath, [join(out, 'bin/nova-migrate.js'), 'rewrite', '--jobs', '2'], { cwd: dir, encoding: 'utf8' });
    expect(write.status).toBe(0);
    expect(readFileSync(join(dir, 'src/m59.ts'), 'utf8')).toContain('new OpenAI({ timeout: 59, baseURL: process.env.NOVA_PROXY_URL');
    expect(readFileSync(join(dir, 'py/m3.py'), 'utf8')).toContain('import os\n');
    const again = spawnSync(process.execPath, [join(out, 'bin/nova-migrate.js'), 'rewrite', '--check'], { cwd: dir, encoding: 'utf8' });
    expect(again.status).toBe(0);
  }, 60_000);

  it('stops quietly when stdout is closed early (| head -1)', () => {
    const files: Record<string, string> = {};
    // Enough output to overflow the pipe buffer after head has gone.
    for (let i = 0; i < 500; i++) files[`src/m${i}.ts`] = `import OpenAI from 'openai';\nexport const c${i} = new OpenAI();\n`;
    const dir = makeTree(files);
    const bin = join(out, 'bin/nova-migrate.js');
    for (const cmd of ['rewrite --dry-run --jobs 1', 'scan --no-types --jobs 1']) {
      // bash's PIPESTATUS: the command's own exit status, not head's.
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" ${cmd} | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('0');
    }
  }, 120_000); // four CLI runs over 500 files: 13 s alone, past 60 s on the shared machine under load

  it('works as a plain jscodeshift transform', () => {
    const dir = makeTree({
      'a.ts': "import OpenAI from 'openai';\nconst raw = <unknown>JSON.parse('{}');\nexport const c = new OpenAI();\n",
      'b.tsx': "import { AzureOpenAI } from 'openai';\nexport const a = new AzureOpenAI({});\n",
    });
    const res = execFileSync(
      process.execPath,
      [join(repoRoot, 'node_modules/jscodeshift/bin/jscodeshift.js'), '-t', join(out, 'dist/codemods/transforms/nova-proxy.js'), '--extensions=ts,tsx', '--baseUrlEnv=LLM_URL', '.'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(res).toMatch(/b\.tsx:2:\d+ manual: openai\.AzureOpenAI/);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toContain("new OpenAI({ baseURL: process.env.LLM_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY })");
  }, 60_000);
});

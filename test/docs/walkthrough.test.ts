/**
 * docs/migrate.md, run as written. Every ```bash step:<id>``` block is executed by bash, in
 * order, in a temporary git copy of the repository's examples/ (with the repository's
 * node_modules), after two substitutions a reader would not notice: port 8080 becomes a free
 * port (other tests may be listening), and `npx <bin>` runs this checkout's bin directly
 * (what npx would resolve, without its start-up cost). The checks are the stable facts —
 * exit codes, which files changed, the output lines the page shows — not whole outputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeBlocks } from './markdown.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const page = readFileSync(join(root, 'docs/migrate.md'), 'utf8');

interface Step {
  id: string;
  script: string;
  background: boolean;
  line: number;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const steps: Step[] = codeBlocks(page).flatMap((b) => {
  const m = /^(?:bash|sh)\s+step:([\w-]+)(\s+background)?$/.exec(b.info);
  return m ? [{ id: m[1]!, script: b.text, background: Boolean(m[2]), line: b.line }] : [];
});
const shown = new Map(
  codeBlocks(page).flatMap((b) => {
    const m = /^\w+\s+output:([\w-]+)$/.exec(b.info);
    return m ? [[m[1]!, b.text] as const] : [];
  }),
);

/** What each step must leave behind, beyond exit code 0 and the output lines the page shows. */
const checks: Record<string, (r: Result, ctx: Context) => void | Promise<void>> = {
  scan: (r, ctx) => {
    for (const file of ['client.ts', 'assistant.ts', 'title.ts']) expect(r.stdout).toContain(file);
    // The page's table of verdicts, checked against the scanner's own JSON.
    expect(ctx.verdicts('examples/node-app')).toEqual({
      'examples/node-app/src/assistant.ts chat.completions.create': 'works',
      'examples/node-app/src/client.ts openai.OpenAI': 'works',
      'examples/node-app/src/title.ts openai(model)': 'works',
    });
  },
  'dry-run': (_r, ctx) => expect(ctx.changedFiles(), 'a dry run must not write').toEqual([]),
  rewrite: (_r, ctx) => expect(ctx.changedFiles()).toEqual(['examples/node-app/src/client.ts', 'examples/node-app/src/title.ts']),
  check: () => {},
  serve: (r) => expect(r.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/),
  'run-app': async (r, ctx) => {
    expect(r.stdout).toMatch(/^assistant: .+/m);
    expect(r.stdout).toMatch(/^title: .+/m);
    // The app really went through the proxy: its three calls — two streamed chat completions, then
    // the AI SDK's Responses API call — are in the proxy's log, each answered by Nova Lite.
    // `serve` writes log lines in batches, at most a quarter of a second late: wait for them.
    const logged = () =>
      ctx
        .serverOutput()
        .split('\n')
        .filter((l) => l.startsWith('{') && l.includes('"bedrockModelId"'))
        .map((l) => JSON.parse(l) as { route: string; status: number; stream: boolean; bedrockModelId: string });
    for (let i = 0; i < 50 && logged().length < 3; i++) await new Promise((res) => setTimeout(res, 100));
    const calls = logged();
    expect(calls.map((c) => [c.route, c.status, c.stream, c.bedrockModelId])).toEqual([
      ['/v1/chat/completions', 200, true, 'amazon.nova-lite-v1:0'],
      ['/v1/chat/completions', 200, true, 'amazon.nova-lite-v1:0'],
      ['/v1/responses', 200, false, 'amazon.nova-lite-v1:0'],
    ]);
  },
  parity: (_r, ctx) => expect(statSync(join(ctx.dir, 'parity.html')).size).toBeGreaterThan(1000),
  'python-rewrite': (_r, ctx) => {
    expect(ctx.changedFiles()).toContain('examples/python-app/extract_invoice.py');
    // "scan reports the json_schema call as works with differences"
    expect(ctx.verdicts('examples/python-app')).toEqual({
      'examples/python-app/extract_invoice.py openai.OpenAI': 'works',
      'examples/python-app/extract_invoice.py chat.completions.create': 'differences',
    });
    const python = spawnSync('python3', ['--version']);
    if (python.status === 0) {
      const compiled = spawnSync('python3', ['-m', 'py_compile', 'examples/python-app/extract_invoice.py'], { cwd: ctx.dir, encoding: 'utf8' });
      expect(compiled.status, compiled.stderr).toBe(0);
    }
  },
  'python-parity': (r) => expect(`${r.stdout}${r.stderr}`).toMatch(/Verdict: /),
};

interface Context {
  dir: string;
  changedFiles(): string[];
  serverOutput(): string;
  /** `scan --json` of a path in the copy: "file api" → verdict. */
  verdicts(path: string): Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** `npx nova-migrate` → this checkout's bin; `npx <tool>` → node_modules/.bin/<tool>. */
function prelude(): string {
  return [
    'set -eo pipefail',
    `REPO=${JSON.stringify(root)}`,
    'npx() { local bin="$1"; shift; if [ "$bin" = nova-migrate ]; then node "$REPO/bin/nova-migrate.js" "$@"; else "$REPO/node_modules/.bin/$bin" "$@"; fi; }',
    '',
  ].join('\n');
}

/** The page's lines, with `…` standing for anything, each found in the output. */
function missingLines(expected: string, output: string): string[] {
  const lines = output.split('\n').map((l) => l.trimEnd());
  return expected
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && l.trim() !== '…')
    .filter((l) => {
      const pattern = new RegExp(`^${l.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      return !lines.some((line) => pattern.test(line));
    });
}

describe('docs/migrate.md, run as written', () => {
  let dir = '';
  let port = 0;
  let server: ChildProcess | undefined;
  let serverOut = '';
  const env = { ...process.env, NO_COLOR: '1' } as Record<string, string | undefined>;
  // The walkthrough needs no credentials; make sure none from the machine leak into it.
  for (const k of Object.keys(env)) if (/^(OPENAI_|AWS_|NOVA_)/.test(k)) delete env[k];

  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=walkthrough', '-c', 'user.email=walkthrough@example.invalid', ...args], { cwd: dir, encoding: 'utf8' });
  const ctx: Context = {
    get dir() {
      return dir;
    },
    changedFiles: () =>
      git('status', '--porcelain', '--untracked-files=no')
        .stdout.split('\n')
        .filter(Boolean)
        .map((l) => l.slice(3))
        .sort(),
    serverOutput: () => serverOut,
    verdicts: (path) => {
      const scan = spawnSync(process.execPath, [join(root, 'bin/nova-migrate.js'), 'scan', path, '--json'], { cwd: dir, env, encoding: 'utf8' });
      expect(scan.status, scan.stderr).toBe(0);
      const sites = (JSON.parse(scan.stdout) as { sites: { file: string; api: string; verdict: string }[] }).sites;
      return Object.fromEntries(sites.map((s) => [`${s.file} ${s.api}`, s.verdict]));
    },
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nova-walkthrough-'));
    cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true, filter: (src) => !src.includes('node_modules') });
    cpSync(join(root, '.gitignore'), join(dir, '.gitignore'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    expect(git('init', '-q').status).toBe(0);
    expect(git('add', '-A').status).toBe(0);
    expect(git('commit', '-q', '-m', 'examples').status).toBe(0);
    port = await freePort();
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      process.kill(-server.pid!, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) process.kill(-server.pid!, 'SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks its steps, and every step has checks', () => {
    expect(steps.map((s) => s.id)).toEqual(Object.keys(checks));
    for (const id of shown.keys()) expect(steps.map((s) => s.id), `output:${id} shows the output of a step that does not exist`).toContain(id);
  });

  for (const step of steps) {
    it(`step ${step.id} (docs/migrate.md:${step.line})`, async () => {
      const script = prelude() + step.script.replaceAll('8080', String(port));
      let result: Result;
      if (step.background) {
        server = spawn('bash', ['-c', script], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        server.stdout!.on('data', (d) => (serverOut += d));
        server.stderr!.on('data', (d) => (err += d));
        for (let i = 0; i < 600 && !/listening on/.test(serverOut); i++) {
          if (server.exitCode !== null) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        result = { code: server.exitCode ?? 0, stdout: serverOut, stderr: err };
        expect(server.exitCode, `the ${step.id} step exited: ${err}`).toBeNull();
      } else {
        result = await new Promise<Result>((resolve) => {
          const child = spawn('bash', ['-c', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += d));
          child.stderr.on('data', (d) => (stderr += d));
          child.on('close', (code) => resolve({ code, stdout, stderr }));
        });
        expect(result.code, `exit code of step ${step.id}\n${result.stdout}\n${result.stderr}`).toBe(0);
      }
      const expected = shown.get(step.id);
      if (expected) {
        expect(missingLines(expected, `${result.stdout}\n${result.stderr}`), `lines docs/migrate.md shows for ${step.id} but the command did not print`).toEqual([]);
      }
      await checks[step.id]!(result, ctx);
    }, 120_000);
  }
});

describe('the example prompts are what the example app sends', () => {
  it('same system prompt, tools and model as examples/node-app', async () => {
    const { MODEL, SYSTEM_PROMPT, TOOLS } = await import('../../examples/node-app/src/support-prompt.js');
    const { titlePrompt } = await import('../../examples/node-app/src/title.js');
    const records = readFileSync(join(root, 'examples/node-app/prompts/support.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const r of records) {
      expect(r.body.model, r.custom_id).toBe(MODEL);
      const system = r.body.messages.find((m: { role: string }) => m.role === 'system');
      if (system) {
        expect(system.content, r.custom_id).toBe(SYSTEM_PROMPT);
        expect(r.body.tools, r.custom_id).toEqual(TOOLS);
        expect(r.body.stream, `${r.custom_id}: the assistant always streams`).toBe(true);
      } else {
        const [question, reply] = /Customer: (.*)\nAssistant: (.*)$/s.exec(r.body.messages[0].content)!.slice(1);
        expect(r.body.messages[0].content, r.custom_id).toBe(titlePrompt(question!, reply!));
      }
    }
    expect(existsSync(join(root, 'examples/python-app/prompts/invoices.jsonl'))).toBe(true);
  });
});

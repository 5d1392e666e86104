/**
 * Start-up cost as a property of the import graph, not of a stopwatch: the CLI entry must
 * not load the proxy, the parity harness or the codemods (nor their heavy packages) until a
 * command that needs them runs. A module-resolution hook records every module the process
 * loads (node --import); `--help`, `--version`, every command's `--help` and argument
 * errors must stay within the CLI's own files and yargs.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import Module, { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fakeBedrockEnv, startFakeBedrock } from '../../mock/fake-bedrock.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'nova-migrate.js');
const work = mkdtempSync(join(tmpdir(), 'nova-imports-'));
const hooks = join(work, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) appendFileSync(process.env.NOVA_IMPORT_LOG, r.url + '\\n');
  return r;
}
`,
);
const register = join(work, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

let runs = 0;
/** Runs the CLI and returns the repository-relative paths of the modules it loaded. */
function loaded(args: string[], env: Record<string, string> = {}): string[] {
  const log = join(work, `run-${runs++}.log`);
  writeFileSync(log, '');
  spawnSync(process.execPath, ['--import', pathToFileURL(register).href, bin, ...args], {
    cwd: work,
    env: { ...process.env, ...env, NOVA_IMPORT_LOG: log, NOVA_LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => fileURLToPath(url).slice(root.length).replace(/\\/g, '/'));
}

const FORBIDDEN = [/^dist\/proxy\//, /^dist\/harness\//, /^dist\/codemods\//, /node_modules\/(fastify|pino|@aws-sdk|@smithy|undici|openai|jscodeshift|ts-morph|@ast-grep|prom-client)\//];
const forbidden = (files: string[]) => files.filter((f) => FORBIDDEN.some((re) => re.test(f)));

describe('the CLI entry loads only what the command needs', () => {
  it('is tested against the built CLI', () => {
    expect(existsSync(join(root, 'dist', 'cli', 'main.js'))).toBe(true);
  });

  const argvs = [['--help'], ['--version'], ['serve', '--help'], ['parity', '--help'], ['scan', '--help'], ['rewrite', '--help'], ['deploy', '--help'], ['no-such-command'], ['serve', '--port', 'not-a-number', '--no-such-flag']];
  it.each(argvs.map((a) => [a.join(' '), a] as const))(
    'nova-migrate %s loads no proxy, harness or codemod module',
    (_, args) => {
      const files = loaded([...args]);
      expect(files.some((f) => f.startsWith('dist/cli/'))).toBe(true);
      expect(forbidden(files)).toEqual([]);
    },
  );

  it('serve loads the proxy (and neither harness nor codemods) once it runs', () => {
    // Refuses to bind publicly without keys: the proxy's configuration ran, then the command exited.
    const files = loaded(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(files.some((f) => f.startsWith('dist/proxy/'))).toBe(true);
    expect(files.filter((f) => /^dist\/(harness|codemods)\//.test(f))).toEqual([]);
    // A plain command line: parsed by cli/fast-args.ts, yargs never loaded.
    expect(files.filter((f) => /yargs/.test(f))).toEqual([]);
    // One that only yargs can read (a short alias for help) does load it.
    expect(loaded(['serve', '-h']).some((f) => /^dist\/cli\/yargs-cli-/.test(f))).toBe(true);
  });

  it('scan loads the codemods (and neither proxy nor harness) once it runs', () => {
    execFileSync('git', ['init', '-q'], { cwd: work });
    const files = loaded(['scan', '.', '--json']);
    expect(files.some((f) => f.startsWith('dist/codemods/'))).toBe(true);
    expect(files.filter((f) => /^dist\/(harness|proxy)\//.test(f))).toEqual([]);
  });
});

/**
 * Which packages' code ran in a `serve` process, from V8's coverage of the server bundle
 * (one file, whose parts run only when imported): each function that ran, mapped back to
 * its source through the bundle's source map.
 */
function codeThatRan(coverageDir: string): Set<string> {
  const bundle = join(root, 'dist', 'proxy', 'serve-bundle.cjs');
  const text = readFileSync(bundle, 'utf8');
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  // The bundle runs wrapped as a CommonJS module: offsets count the wrapper's opening.
  const prefix = (Module as unknown as { wrapper: string[] }).wrapper[0]!.length;
  const ran = new Set<string>();
  for (const f of readdirSync(coverageDir)) {
    const { result } = JSON.parse(readFileSync(join(coverageDir, f), 'utf8')) as { result: { url: string; functions: { ranges: { startOffset: number; count: number }[] }[] }[] };
    for (const script of result.filter((s) => s.url === pathToFileURL(bundle).href)) {
      for (const fn of script.functions) {
        const offset = fn.ranges[0]!.startOffset - prefix;
        if (fn.ranges[0]!.count === 0 || offset < 0) continue;
        let line = lineStarts.length - 1;
        while (lineStarts[line]! > offset) line--;
        const source = (map.findEntry(line, offset - lineStarts[line]!) as { originalSource?: string }).originalSource;
        if (source) ran.add(source.replace(/\\/g, '/').replace(/.*node_modules\/((@[^/]+\/)?[^/]+)\/.*/, '$1').replace(/^.*?\/(proxy|mock)\//, '$1/'));
      }
    }
  }
  return ran;
}

describe('serve runs what the first request does not need after it', () => {
  const CHAIN = ['@aws-sdk/credential-provider-node', '@aws-sdk/credential-provider-ini', '@aws-sdk/credential-provider-sso', '@aws-sdk/nested-clients'];

  async function serve(request: boolean): Promise<Set<string>> {
    const fake = await startFakeBedrock();
    const coverage = mkdtempSync(join(work, 'coverage-'));
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      cwd: work,
      env: { ...process.env, ...fakeBedrockEnv(fake), AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined, NOVA_METRICS: 'prometheus', NODE_V8_COVERAGE: coverage, NOVA_LOG_LEVEL: 'silent', NOVA_COMPILE_CACHE: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.once('exit', r));
    const until = async (ok: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 400 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 25));
      return ok();
    };
    try {
      expect(await until(() => /OpenAI base URL/.test(out))).toBe(true);
      const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
      if (request) {
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: 'hi' }] }),
        });
        expect(res.status).toBe(200);
        // prom-client is loaded after the first answer; /metrics shows the request once it is.
        const metrics = async () => /^nova_proxy_requests_total\{[^}]*status="200"\} 1$/m.test(await (await fetch(`${url}/metrics`)).text());
        expect(await until(metrics)).toBe(true);
      }
      child.kill('SIGTERM');
      await exited;
    } finally {
      child.kill('SIGKILL');
      await fake.close();
    }
    return codeThatRan(coverage);
  }

  it('the credential chain is in the bundle (so that its absence below means something)', () => {
    const sources = (JSON.parse(readFileSync(join(root, 'dist', 'proxy', 'serve-bundle.cjs.map'), 'utf8')) as { sources: string[] }).sources.join('\n');
    for (const p of [...CHAIN, 'prom-client']) expect(sources).toContain(`node_modules/${p}/`);
  });

  it('listening, before any request: the direct transport has run, prom-client has not', async () => {
    const ran = await serve(false);
    expect(ran).toContain('proxy/bedrock/direct-transport.ts');
    expect(ran).toContain('fastify');
    expect(ran).not.toContain('prom-client');
  });

  it('prom-client once the first request has been answered; never the credential chain with keys in the environment', async () => {
    const ran = await serve(true);
    expect(ran).toContain('prom-client');
    expect(ran).toContain('proxy/routes/chat-completions.ts');
    expect(CHAIN.filter((p) => ran.has(p))).toEqual([]);
  });
});

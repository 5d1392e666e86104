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
  });

  it('scan loads the codemods (and neither proxy nor harness) once it runs', () => {
    execFileSync('git', ['init', '-q'], { cwd: work });
    const files = loaded(['scan', '.', '--json']);
    expect(files.some((f) => f.startsWith('dist/codemods/'))).toBe(true);
    expect(files.filter((f) => /^dist\/(harness|proxy)\//.test(f))).toEqual([]);
  });
});

describe('serve loads what the first request does not need after it', () => {
  it('prom-client once the first request has been answered; never the credential chain with keys in the environment', async () => {
    const fake = await startFakeBedrock();
    const log = join(work, `serve-${runs++}.log`);
    writeFileSync(log, '');
    const child = spawn(process.execPath, ['--import', pathToFileURL(register).href, bin, 'serve', '--port', '0'], {
      cwd: work,
      env: { ...process.env, ...fakeBedrockEnv(fake), AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined, NOVA_METRICS: 'prometheus', NOVA_IMPORT_LOG: log, NOVA_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const files = () => readFileSync(log, 'utf8');
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
      return ok();
    };
    try {
      expect(await until(() => /OpenAI base URL/.test(out))).toBe(true);
      const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
      // Listening, before any request: the transport is loaded, prom-client is not.
      expect(files()).toMatch(/serve-chunks\/direct-transport-/);
      expect(files()).not.toMatch(/serve-chunks\/prometheus-registry-/);
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      expect(await until(() => /serve-chunks\/prometheus-registry-/.test(files()))).toBe(true);
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^nova_proxy_requests_total\{[^}]*status="200"\} 1$/m);
      // The SDK's credential chain (its providers and the SDK clients they carry) stayed
      // unloaded: no loaded file holds its code (a string of credential-provider-node's that
      // minifying keeps, and that is in the build).
      const chain = 'defaultProvider::fromSSO';
      const chunks = join(root, 'dist', 'proxy', 'serve-chunks');
      expect(readdirSync(chunks).some((f) => f.endsWith('.js') && readFileSync(join(chunks, f), 'utf8').includes(chain))).toBe(true);
      const loadedFiles = files().split('\n').filter((u) => u.startsWith('file:'));
      expect(loadedFiles.filter((u) => readFileSync(fileURLToPath(u), 'utf8').includes(chain))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await fake.close();
    }
  });
});

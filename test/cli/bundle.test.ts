/**
 * `npm run build` bundles the CLI entry with yargs and edits two things in the bundled
 * dependencies (scripts/yargs-bundle.mjs): string-width builds its Unicode tables on first
 * use instead of at load, and yargs's locale files and package.json are found from the
 * installed yargs. Neither may change what users see: the bundled CLI's output, byte for
 * byte, must be what the sources print with the installed, unbundled yargs — help text
 * (including wrapped and localised help), errors and exit codes.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'nova-migrate.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(argv: string[], env: Record<string, string>, bundled: boolean): Promise<Run> {
  const args = bundled
    ? [bin, ...argv]
    : ['--import', 'tsx', '--input-type=module', '-e', `const { main } = await import('./cli/main.ts'); await main(${JSON.stringify(argv)});`];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, NOVA_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const cases: [string, string[], Record<string, string>][] = [
  ['--help', ['--help'], {}],
  ['--version', ['--version'], {}],
  ['serve --help', ['serve', '--help'], {}],
  ['scan --help', ['scan', '--help'], {}],
  ['parity --help', ['parity', '--help'], {}],
  ['an unknown command', ['sca'], {}],
  ['a bad option value and an unknown flag', ['serve', '--port', 'x', '--inference-profile', 'nowhere', '--nope'], {}],
  ['--help in German', ['--help'], { LANG: 'de_DE.UTF-8', LC_ALL: '' }],
  ['an error in French', ['serve', '--nope'], { LC_ALL: 'fr_FR.UTF-8' }],
];

describe.concurrent('the bundled CLI prints what the unbundled sources print', () => {
  it.each(cases)('%s', async (_, argv, env) => {
    const [bundled, reference] = await Promise.all([run(argv, env, true), run(argv, env, false)]);
    expect(reference.stdout + reference.stderr).not.toBe('');
    expect(bundled).toEqual(reference);
  });

  it('localises (the locale files are found from the bundle)', async () => {
    const { stdout } = await run(['--help'], { LANG: 'de_DE.UTF-8', LC_ALL: '' }, true);
    expect(stdout).toContain('Kommandos:');
  });
});

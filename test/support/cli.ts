import { main } from '../../cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in-process (optionally in `cwd`), capturing output and the exit code.
 * process.chdir needs vitest's `forks` pool (vitest.config.ts), not `threads`.
 */
export async function runCli(args: string[], cwd?: string): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const origCwd = process.cwd();
  const prevCode = process.exitCode;
  process.exitCode = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    if (cwd) process.chdir(cwd);
    await main(args);
  } finally {
    process.chdir(origCwd);
    process.stdout.write = origOut;
    process.stderr.write = origErr;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = prevCode;
  return { code, stdout: out.join(''), stderr: err.join('') };
}

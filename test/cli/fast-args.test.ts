/**
 * `serve`'s fast path (cli/fast-args.ts) may answer only what yargs would answer: over a
 * generated set of command lines — plain ones, and the spellings yargs converts, rejects or
 * reads differently — every line the fast path parses must parse, through yargs and the
 * same option table, to the same values; and the plain lines a start script has must not
 * all fall back (a fast path that never answers would pass the first check and help nobody).
 */
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { parseKnownArgs } from '../../cli/fast-args.js';
import { serveCommand, serveOptions } from '../../cli/commands/serve.js';

/** What the CLI's yargs set-up gives serve's handler, or the error it reports. */
async function throughYargs(argv: string[]): Promise<Record<string, unknown> | Error> {
  let got: Record<string, unknown> | undefined;
  try {
    await yargs(['serve', ...argv])
      .strict()
      .exitProcess(false)
      .help()
      .version()
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      })
      .command({ ...serveCommand, handler: (a) => void (got = a as Record<string, unknown>) })
      .parseAsync();
  } catch (err) {
    return err as Error;
  }
  return got ?? new Error('no handler call (help or version)');
}

const PLAIN = [
  ['--port', '8080'],
  ['--port=0'],
  ['--host', '0.0.0.0'],
  ['--host=::1'],
  ['--config', 'proxy.json'],
  ['--auth'],
  ['--no-auth'],
  ['--inference-profile', 'us'],
  ['--inference-profile=global'],
  ['--log-prompts'],
  ['--no-log-prompts'],
  ['--bedrock-transport', 'sdk'],
  ['--mock'],
  ['--no-mock'],
];
const TRICKY = [
  ['--port', '0x10'],
  ['--port', '1e3'],
  ['--port', '08080'],
  ['--port', '-1'],
  ['--port', ''],
  ['--port'],
  ['--port', '99999999999999999999'],
  ['--host'],
  ['--host', ''],
  ['--host', '-x'],
  ['--auth=false'],
  ['--auth', 'false'],
  ['--mock=true'],
  ['--inference-profile', 'mars'],
  ['--bedrock-transport', 'SDK'],
  ['-h'],
  ['--help'],
  ['--version'],
  ['--nope'],
  ['extra'],
  ['--'],
  ['--logPrompts'],
  ['--inferenceProfile', 'us'],
  ['--port', '1', '--port', '2'],
  ['--mock', '--no-mock'],
  ['--no-port'],
  ['-p', '80'],
  ['--host="127.0.0.1"'],
  ["--config='proxy.json'"],
  ['--host', '"127.0.0.1"'],
  ['--config', "proxy.json'"],
  ['--config', '-'],
  ['--host', '-'],
];

/** The option a piece sets (`--no-auth` sets auth). */
const optionOf = (piece: string[]) => piece[0]!.replace(/=.*/, '').replace(/^--(no-)?/, '');

/**
 * Deterministic command lines: every single piece, then seeded combinations of 1–4 pieces.
 * `plain`: only plain pieces, no option twice — a line the fast path must answer.
 */
function commandLines(): { argv: string[]; plain: boolean }[] {
  let seed = 20261207;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pool = [...PLAIN, ...TRICKY];
  const line = (pieces: string[][]) => {
    const options = pieces.map(optionOf);
    return { argv: pieces.flat(), plain: pieces.every((p) => PLAIN.includes(p)) && new Set(options).size === options.length };
  };
  const lines = pool.map((p) => line([p]));
  for (let i = 0; i < 400; i++) {
    const n = 1 + Math.floor(next() * 4);
    const from = next() < 0.6 ? PLAIN : pool;
    lines.push(line(Array.from({ length: n }, () => from[Math.floor(next() * from.length)]!)));
  }
  return lines;
}

describe('serve fast path', () => {
  it('every command line it parses, yargs parses to the same values; what it leaves to yargs includes every spelling yargs converts or rejects', async () => {
    let answered = 0;
    let plainLines = 0;
    let plainAnswered = 0;
    const mismatches: string[] = [];
    for (const { argv, plain } of commandLines()) {
      const fast = parseKnownArgs(argv, serveOptions);
      if (plain) {
        plainLines++;
        if (fast) plainAnswered++;
      }
      if (!fast) continue;
      answered++;
      const slow = await throughYargs(argv);
      if (slow instanceof Error) {
        mismatches.push(`${argv.join(' ')}: fast ${JSON.stringify(fast)}, yargs fails: ${slow.message}`);
        continue;
      }
      for (const key of Object.keys(serveOptions)) {
        if (slow[key] !== fast[key]) mismatches.push(`${argv.join(' ')}: ${key} fast=${JSON.stringify(fast[key])} yargs=${JSON.stringify(slow[key])}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    // Plain lines without a repeated option: all answered by the fast path.
    expect(plainAnswered).toBe(plainLines);
  });

  it.each(TRICKY.map((t) => [t.join(' '), t] as const))('leaves %s to yargs', (_, argv) => {
    expect(parseKnownArgs(argv, serveOptions)).toBeUndefined();
  });

  it('gives the handler what yargs gives it for a typical start script', async () => {
    const argv = ['--port', '8080', '--host', '0.0.0.0', '--inference-profile', 'us', '--no-auth'];
    expect(parseKnownArgs(argv, serveOptions)).toEqual({ port: 8080, host: '0.0.0.0', 'inference-profile': 'us', auth: false });
    const slow = (await throughYargs(argv)) as Record<string, unknown>;
    expect(slow).toMatchObject({ port: 8080, host: '0.0.0.0', 'inference-profile': 'us', auth: false });
  });
});

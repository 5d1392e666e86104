/**
 * A command's options parsed without yargs, for the plain command lines a start script has
 * (`serve --port 8080 --host 0.0.0.0`): loading and running yargs is ~35 ms of a server's
 * ~300 ms start. It reads the same option table yargs is given, and answers only when the
 * answer is certainly yargs's own: anything else (help, an unknown or repeated option, a
 * value yargs would convert or reject, `--`, a positional) returns undefined and the CLI
 * goes through yargs, which then parses, validates and reports as it always does.
 * test/cli/fast-args.test.ts holds the two equal over a generated set of command lines.
 */
import { parseArgs } from 'node:util';
import type { Options } from 'yargs';

type Parsed = Record<string, string | number | boolean | undefined>;

// A decimal integer as a user types it; yargs also converts other forms (0x10, 1e3, 08),
// which are left to it.
const PLAIN_NUMBER = /^(0|[1-9][0-9]{0,14})$/;
const QUOTES = new Set(['"', "'", '`']);

export function parseKnownArgs(argv: readonly string[], table: Readonly<Record<string, Options>>): Parsed | undefined {
  const config: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, o] of Object.entries(table)) {
    if (o.type === 'boolean') {
      config[name] = { type: 'boolean' };
      config[`no-${name}`] = { type: 'boolean' };
    } else if (o.type === 'string' || o.type === 'number') config[name] = { type: 'string' };
    else return undefined;
  }
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: false, tokens: true }));
  } catch {
    return undefined;
  }
  const out: Parsed = {};
  for (const [name, o] of Object.entries(table)) if (o.default !== undefined) out[name] = o.default as Parsed[string];
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option') return undefined;
    // Short forms are left to yargs (-h is its help).
    if (!t.rawName.startsWith('--')) return undefined;
    const negated = !(t.name in table);
    const name = negated ? t.name.slice(3) : t.name;
    if (seen.has(name)) return undefined;
    seen.add(name);
    const o = table[name]!;
    if (o.type === 'boolean') {
      out[name] = !negated;
      continue;
    }
    const v = t.value;
    // yargs takes '' and '-' for something else, and strips a value's surrounding quotes
    // (`--host="0.0.0.0"` from a systemd unit): all left to it.
    if (v === undefined || v === '' || v === '-' || QUOTES.has(v[0]!) || QUOTES.has(v[v.length - 1]!)) return undefined;
    if (o.type === 'number') {
      if (!PLAIN_NUMBER.test(v)) return undefined;
      out[name] = Number(v);
    } else out[name] = v;
    if (o.choices && !(o.choices as unknown[]).includes(out[name])) return undefined;
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../../cli/commands/index.js';
import { DEFAULT_CONFIG } from '../../proxy/config.js';
import { commandLineProblem, docPages } from '../../scripts/docs.js';
import { anchors, links, novaMigrateCommands } from './markdown.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (page: string) => readFileSync(join(root, page), 'utf8');
const pages = [...docPages(root), 'examples/README.md', 'fixtures/README.md'].filter((p) => existsSync(join(root, p)));

describe('README and docs pages', () => {
  it('the README stays a landing page: at most 150 lines, with the two fresh-machine commands as they are', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    expect(readme).toContain('\nnpm install && npx nova-migrate parity --fixtures fixtures --mock\nnpm test\n');
  });

  it('every nova-migrate command line in a code block is accepted by the CLI', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const cmd of novaMigrateCommands(read(page))) {
        checked++;
        const problem = await commandLineProblem(commands, cmd.argv);
        if (problem) problems.push(`${page}:${cmd.line}: ${cmd.text}\n    → ${problem.split('\n')[0]}`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the command-line check rejects what the CLI rejects', async () => {
    expect(await commandLineProblem(commands, ['parity', '--fixtures', 'f', '--fail-under', '0.9'])).toMatch(/Unknown argument/i);
    expect(await commandLineProblem(commands, ['scan', '--fail-on', 'sometimes'])).toMatch(/Invalid values/i);
    expect(await commandLineProblem(commands, ['parity', '--fixtures', 'f', '--mock', '--candidate-url', 'http://x'])).toMatch(/--mock/);
    expect(await commandLineProblem(commands, ['serve', '--mock', '--port', '8080'])).toBeUndefined();
  });

  it('relative links point at files that exist, and anchors at headings that exist', () => {
    const problems: string[] = [];
    for (const page of pages) {
      const text = read(page);
      for (const link of links(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) continue; // http:, mailto:…
        const [path, anchor] = link.target.split('#') as [string, string | undefined];
        const file = path === '' ? join(root, page) : normalize(join(root, dirname(page), decodeURIComponent(path)));
        if (!existsSync(file)) {
          problems.push(`${page}:${link.line}: ${link.target}: no such file`);
          continue;
        }
        if (anchor && file.endsWith('.md') && statSync(file).isFile() && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
          problems.push(`${page}:${link.line}: ${link.target}: no heading with that anchor`);
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

describe('docs/proxy.md configuration keys', () => {
  /** DEFAULT_CONFIG with its non-empty plain objects (images) flattened to dotted keys. */
  function flatten(o: Record<string, unknown>, prefix = ''): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
        for (const [kk, vv] of flatten(v as Record<string, unknown>, `${prefix}${k}.`)) out.set(kk, vv);
      } else out.set(`${prefix}${k}`, v);
    }
    return out;
  }
  const render = (v: unknown) => (typeof v === 'string' && v !== '' ? v : JSON.stringify(v));

  it('list every key of proxy/config.ts with its default', () => {
    const text = read('docs/proxy.md');
    const start = text.indexOf('<!-- config-keys');
    expect(start, 'docs/proxy.md lost its <!-- config-keys --> table').toBeGreaterThan(0);
    const rows = new Map<string, string>();
    for (const line of text.slice(start).split('\n').slice(1)) {
      if (!line.startsWith('|')) {
        if (rows.size > 0) break;
        continue;
      }
      const m = /^\| `([\w.]+)` \| `([^`]*)` \|/.exec(line);
      if (m) rows.set(m[1]!, m[2]!);
    }
    const expected = flatten(DEFAULT_CONFIG as unknown as Record<string, unknown>);
    const problems: string[] = [];
    for (const [key, value] of expected) {
      if (!rows.has(key)) problems.push(`${key} is missing from the table`);
      else if (rows.get(key) !== render(value)) problems.push(`${key}: the table says \`${rows.get(key)}\`, DEFAULT_CONFIG has \`${render(value)}\``);
    }
    for (const key of rows.keys()) if (!expected.has(key)) problems.push(`the table lists ${key}, which proxy/config.ts does not have`);
    expect(problems, `docs/proxy.md, Configuration → Keys: ${problems.join('; ')}`).toEqual([]);
  });
});

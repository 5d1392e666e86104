import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../../cli/commands/index.js';
import {
  coverageProblems,
  describeCommands,
  docPages,
  findSections,
  generatedSections,
  markerProblems,
  parseTable,
  type CommandDoc,
} from '../../scripts/docs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RUN = 'run `npm run docs` to regenerate the tables from the code';
const pages = docPages(root).map((page) => ({ page, text: readFileSync(`${root}/${page}`, 'utf8') }));

describe('generated tables in the docs agree with the code', async () => {
  const described = await describeCommands(commands);
  const byName = new Map(described.map((c) => [c.name, c]));
  const generated = await generatedSections(root, commands);

  it('every command has an options table, and every table names a command', () => {
    const found = new Set(pages.flatMap((p) => findSections(p.text).map((s) => s.id)));
    expect(coverageProblems(generated, found)).toEqual([]);
    expect(pages.flatMap((p) => markerProblems(p.text).map((m) => `${p.page}: ${m}`))).toEqual([]);
  });

  it('no command hides options in subcommands the generator does not document', () => {
    // scripts/docs.ts documents top-level commands; a nested command needs the generator extended.
    expect(described.filter((c) => c.subcommands.length > 0).map((c) => `${c.name}: ${c.subcommands.join(', ')}`)).toEqual([]);
  });

  for (const { page, text } of pages) {
    for (const section of findSections(text)) {
      it(`${page}: ${section.id} is up to date`, () => {
        const expected = generated.get(section.id);
        if (expected === undefined) return; // reported by the coverage test
        if (section.kind === 'OPTIONS') {
          const command = byName.get(section.name)!;
          const problems = tableProblems(command, section.body);
          expect(problems, `${page}, options of "nova-migrate ${section.name}": ${problems.join('; ')} — ${RUN}`).toEqual([]);
        }
        expect(section.body, `${page}: the "${section.id}" table differs from the code — ${RUN}`).toBe(expected);
      });
    }
  }

  it('option notes under a table only name options of that command', () => {
    const problems: string[] = [];
    for (const { page, text } of pages) {
      for (const section of findSections(text).filter((s) => s.kind === 'OPTIONS')) {
        const command = byName.get(section.name);
        if (!command) continue;
        const known = new Set(command.options.flatMap((o) => [o.name, ...o.aliases]));
        for (const { option, line } of notedOptions(text, section.id)) {
          if (!known.has(option)) problems.push(`${page}: "${line}" documents ${option}, which "nova-migrate ${section.name}" does not have`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Names what is missing, extra or different, so the failure says more than "strings differ". */
function tableProblems(command: CommandDoc, body: string): string[] {
  const rows = parseTable(body);
  const problems: string[] = [];
  for (const o of command.options) {
    const row = rows.get(o.name);
    if (!row) problems.push(`--${o.name} is missing from the table`);
    else if (row.default !== (o.required ? 'required' : o.default.replace(/\|/g, '\\|'))) {
      problems.push(`--${o.name}: the table says the default is "${row.default}", the CLI says "${o.required ? 'required' : o.default}"`);
    }
  }
  for (const name of rows.keys()) {
    if (!command.options.some((o) => o.name === name)) problems.push(`the table has a row for --${name}, which no longer exists`);
  }
  return problems;
}

/**
 * The bullets that follow a generated options table (up to the next heading) start with the
 * options they describe: `- \`--name\`, \`-n\` — …`.
 */
function notedOptions(text: string, id: string): { option: string; line: string }[] {
  const end = text.indexOf(`<!-- END ${id} -->`);
  const after = text.slice(end).split('\n').slice(1);
  const out: { option: string; line: string }[] = [];
  for (const line of after) {
    if (/^#{1,6}\s/.test(line)) break;
    if (!line.startsWith('- `')) continue;
    const head = line.split(' — ')[0]!;
    for (const m of head.matchAll(/`(?:--(?:\[no-\])?([\w-]+)|-(\w)|\[([\w-]+)(?:\.\.)?\])`/g)) {
      out.push({ option: m[1] ?? m[2] ?? m[3]!, line: line.length > 80 ? `${line.slice(0, 77)}…` : line });
    }
  }
  return out;
}

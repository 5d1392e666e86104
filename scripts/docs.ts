/**
 * The CLI option tables in docs/*.md, generated from the yargs definitions the CLI itself
 * registers (cli/commands/index.ts), and the checks that keep the docs and the CLI in step.
 *
 * `npm run docs` (scripts/docs.mjs) rewrites every table between the markers
 *   <!-- BEGIN OPTIONS: <command> -->  …  <!-- END OPTIONS: <command> -->
 * and test/docs/options.test.ts fails when a table differs from what it would write.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import yargs from 'yargs';
import type { Argv, CommandModule } from 'yargs';
import { NOVA_MODELS } from '../proxy/models.js';

/** One option (or positional) of one command, as yargs knows it after the command's builder ran. */
export interface OptionDoc {
  name: string;
  aliases: string[];
  positional: boolean;
  type: 'boolean' | 'number' | 'string';
  array: boolean;
  choices?: string[];
  required: boolean;
  /** The rendered default: the default value, else the defaultDescription, else ''. */
  default: string;
  description: string;
  deprecated: boolean;
}

export interface CommandDoc {
  name: string;
  /** The command string as registered, e.g. `scan [paths..]`. */
  usage: string;
  describe: string;
  options: OptionDoc[];
  /** Names of commands registered inside this command's builder (not documented by this generator). */
  subcommands: string[];
}

// yargs keeps what a builder declared in getOptions() and the descriptions in its usage
// instance; @types/yargs doesn't declare either, so this is the narrow shape read here.
interface YargsOptionsState {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  default: Record<string, unknown>;
  defaultDescription: Record<string, string | undefined>;
  choices: Record<string, unknown[]>;
  boolean: string[];
  number: string[];
  string: string[];
  array: string[];
  count: string[];
  hiddenOptions: string[];
  demandedOptions: Record<string, unknown>;
  deprecatedOptions: Record<string, unknown>;
}
interface YargsIntrospection {
  getOptions(): YargsOptionsState;
  getInternalMethods(): {
    getUsageInstance(): { getDescriptions(): Record<string, string | undefined> };
    getCommandInstance(): { getCommands(): string[] };
  };
}

const GLOBAL_OPTIONS = new Set(['help', 'version']);

export function commandName(command: CommandModule<any, any>): string {
  const spec = Array.isArray(command.command) ? command.command[0] : command.command;
  return String(spec ?? '').trim().split(/\s+/)[0] ?? '';
}

function commandUsage(command: CommandModule<any, any>): string {
  return String(Array.isArray(command.command) ? command.command[0] : command.command);
}

function positionalNames(usage: string): string[] {
  return [...usage.matchAll(/[<[]([\w-]+)(?:\.\.)?[>\]]/g)].map((m) => m[1]!);
}

/**
 * Runs each command's own builder inside a real yargs instance (as `nova-migrate <command> --help`
 * would, without printing) and reads back what it declared.
 */
export async function describeCommands(commands: readonly CommandModule<any, any>[]): Promise<CommandDoc[]> {
  const docs: CommandDoc[] = [];
  for (const command of commands) {
    const name = commandName(command);
    let state: { options: YargsOptionsState; descriptions: Record<string, string | undefined>; subcommands: string[] } | undefined;
    const probe: CommandModule<any, any> = {
      ...command,
      builder: (y: Argv) => {
        const built = (typeof command.builder === 'function' ? command.builder(y) : y.options(command.builder ?? {})) as Argv;
        const inner = (built ?? y) as unknown as YargsIntrospection;
        const internal = inner.getInternalMethods();
        state = {
          options: inner.getOptions(),
          descriptions: { ...internal.getUsageInstance().getDescriptions() },
          subcommands: [...internal.getCommandInstance().getCommands()],
        };
        return built ?? y;
      },
      handler: () => {},
    };
    await new Promise<void>((resolve) => {
      yargs()
        .command(probe)
        .exitProcess(false)
        .parse([name, '--help'], {}, () => resolve());
    });
    if (!state) throw new Error(`the builder of "${name}" did not run`);
    docs.push({
      name,
      usage: commandUsage(command),
      describe: typeof command.describe === 'string' ? command.describe : '',
      options: optionsOf(state.options, state.descriptions, positionalNames(commandUsage(command))),
      subcommands: state.subcommands,
    });
  }
  return docs;
}

function optionsOf(o: YargsOptionsState, descriptions: Record<string, string | undefined>, positionals: string[]): OptionDoc[] {
  const aliasOf = new Set(Object.values(o.alias).flat());
  const names = Object.keys(o.key).filter((k) => !GLOBAL_OPTIONS.has(k) && !aliasOf.has(k) && !o.hiddenOptions.includes(k));
  // Positionals first, in command-string order; then options in declaration order.
  names.sort((a, b) => rank(a) - rank(b));
  function rank(k: string) {
    const i = positionals.indexOf(k);
    return i >= 0 ? i - positionals.length : 0;
  }
  return names.map((name) => {
    const type = o.boolean.includes(name) ? 'boolean' : o.number.includes(name) || o.count.includes(name) ? 'number' : 'string';
    const value = o.default[name];
    const rendered =
      value === undefined || (Array.isArray(value) && value.length === 0)
        ? (o.defaultDescription[name] ?? '')
        : `\`${Array.isArray(value) ? value.join(' ') : String(value)}\``;
    return {
      name,
      aliases: (o.alias[name] ?? []).filter((a) => a !== name),
      positional: positionals.includes(name),
      type,
      array: o.array.includes(name),
      ...(o.choices[name] ? { choices: o.choices[name]!.map(String) } : {}),
      required: Object.prototype.hasOwnProperty.call(o.demandedOptions, name),
      default: rendered,
      description: (descriptions[name] ?? '').replace(/^__yargsString__:/, ''),
      deprecated: Object.prototype.hasOwnProperty.call(o.deprecatedOptions, name),
    };
  });
}

// ------------------------------------------------------------------------------ rendering

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** The first cell of a row: the canonical spelling first (the test reads it back). */
export function optionLabel(o: OptionDoc): string {
  if (o.positional) return `\`[${o.name}${o.array ? '..' : ''}]\``;
  const negatable = o.type === 'boolean' && o.default === '`true`';
  const main = negatable ? `\`--[no-]${o.name}\`` : `\`--${o.name}\``;
  return [main, ...o.aliases.map((a) => `\`${a.length === 1 ? '-' : '--'}${a}\``)].join(', ');
}

function valueCell(o: OptionDoc): string {
  if (o.choices) return o.choices.map((c) => `\`${c}\``).join(' \\| ');
  if (o.type === 'boolean') return 'flag';
  return o.array ? `${o.type}…` : o.type;
}

function defaultCell(o: OptionDoc): string {
  if (o.required) return 'required';
  return cell(o.default);
}

function descriptionCell(o: OptionDoc): string {
  return cell(`${o.deprecated ? '(deprecated) ' : ''}${o.description}`);
}

export function renderOptionsTable(command: CommandDoc): string {
  const rows = command.options.map((o) => `| ${optionLabel(o)} | ${valueCell(o)} | ${defaultCell(o)} | ${descriptionCell(o)} |`);
  return [
    `<!-- Generated from cli/commands by \`npm run docs\`: change the yargs option definitions, not this table. -->`,
    `\`nova-migrate ${command.usage}\` — ${cell(command.describe)}`,
    '',
    '| option | value | default | description |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

// ------------------------------------------------------------------------------ data tables

const GENERATED_FROM = (source: string) => `<!-- Generated from ${source} by \`npm run docs\`: change the code, not this table. -->`;

function tokens(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : n.toLocaleString('en-US');
}

/** Tables of plain data the proxy serves from, rendered from the code that holds it. */
export function dataTables(root: string): Record<string, string> {
  const models = [
    GENERATED_FROM('proxy/models.ts'),
    '| Nova model ID | images | reasoning (`reasoning_effort`) | `json_schema` | context window | max output tokens | inference profiles | on demand (bare ID) |',
    '|---|---|---|---|---|---|---|---|',
    ...Object.values(NOVA_MODELS).map((m) =>
      [
        `\`${m.id}\`${m.endOfLife ? ` (end of life ${m.endOfLife})` : ''}`,
        m.images ? 'yes' : 'no',
        m.reasoning ? 'yes' : 'no',
        m.structuredOutput === 'native' ? 'native' : 'emulated (tool)',
        tokens(m.contextWindow),
        tokens(m.maxOutputTokens),
        m.profiles.map((p) => `\`${p}.\``).join(' '),
        m.onDemand ? 'yes' : 'no: profiles only',
      ].join(' | '),
    ).map((row) => `| ${row} |`),
  ].join('\n');
  return { 'nova-models': models, 'template-parameters': templateParameters(root) };
}

interface TemplateParameter {
  Type: string;
  Default?: string | number;
  AllowedValues?: (string | number)[];
  MinValue?: number;
  MaxValue?: number;
  Description?: string;
}

/** The Parameters of deploy/template.yaml (the block holds no intrinsic functions, so plain YAML reads it). */
function templateParameters(root: string): string {
  const text = readFileSync(join(root, 'deploy/template.yaml'), 'utf8');
  const block = /^Parameters:\n([\s\S]*?)(?=^\S)/m.exec(text);
  if (!block) throw new Error('deploy/template.yaml has no Parameters section');
  const params = parseYaml(`Parameters:\n${block[1]}`).Parameters as Record<string, TemplateParameter>;
  const values = (p: TemplateParameter) => {
    if (p.AllowedValues) return p.AllowedValues.length > 8 ? `${p.AllowedValues.slice(0, 3).join(', ')} … ${p.AllowedValues.at(-1)}` : p.AllowedValues.map((v) => `\`${v}\``).join(' \\| ');
    if (p.MinValue !== undefined || p.MaxValue !== undefined) return `${p.Type.toLowerCase()}, ${p.MinValue ?? ''}–${p.MaxValue ?? ''}`;
    return p.Type.toLowerCase();
  };
  return [
    GENERATED_FROM('deploy/template.yaml'),
    '| parameter | values | default | description |',
    '|---|---|---|---|',
    ...Object.entries(params).map(([name, p]) => {
      const def = p.Default === undefined ? 'required (set by `deploy`)' : p.Default === '' ? '(empty)' : `\`${p.Default}\``;
      return `| \`${name}\` | ${values(p)} | ${def} | ${cell(p.Description ?? '')} |`;
    }),
  ].join('\n');
}

// ------------------------------------------------------------------------------ markers

/**
 * A generated part of a page: `<!-- BEGIN OPTIONS: serve -->` … `<!-- END OPTIONS: serve -->` for a
 * command's options, `<!-- BEGIN TABLE: nova-models -->` … for a data table. Its id is
 * `OPTIONS: serve` / `TABLE: nova-models`.
 */
export interface GeneratedSection {
  id: string;
  kind: 'OPTIONS' | 'TABLE';
  name: string;
  /** Text between the markers, without the newlines that frame it. */
  body: string;
}

const SECTION = /<!-- BEGIN (OPTIONS|TABLE): ([\w-]+) -->\n([\s\S]*?)\n?<!-- END \1: \2 -->/g;

export function findSections(text: string): GeneratedSection[] {
  return [...text.matchAll(SECTION)].map((m) => ({ id: `${m[1]}: ${m[2]}`, kind: m[1] as 'OPTIONS' | 'TABLE', name: m[2]!, body: m[3]! }));
}

/** Unbalanced or misspelt markers would silently leave a table stale: report them. */
export function markerProblems(text: string): string[] {
  const paired = new Set(findSections(text).map((s) => s.id));
  const problems: string[] = [];
  for (const m of text.matchAll(/<!-- (BEGIN|END) ((?:OPTIONS|TABLE): [\w-]+) -->/g)) {
    if (!paired.has(m[2]!)) problems.push(`"<!-- ${m[1]} ${m[2]} -->" has no matching ${m[1] === 'BEGIN' ? 'END' : 'BEGIN'} marker`);
  }
  return problems;
}

/** The page with every generated section replaced by its current content (unknown ids are left alone). */
export function updateSections(text: string, generated: ReadonlyMap<string, string>): string {
  return text.replace(SECTION, (whole, kind: string, name: string) => {
    const body = generated.get(`${kind}: ${name}`);
    if (body === undefined) return whole;
    return `<!-- BEGIN ${kind}: ${name} -->\n${body}\n<!-- END ${kind}: ${name} -->`;
  });
}

/** Reads rows of a generated table back: option name → default cell. */
export function parseTable(body: string): Map<string, { default: string; row: string }> {
  const rows = new Map<string, { default: string; row: string }>();
  for (const line of body.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const m = /^\| `(?:--(?:\[no-\])?([\w-]+)|\[([\w-]+)(?:\.\.)?\])`/.exec(line);
    if (!m) continue;
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    rows.set(m[1] ?? m[2]!, { default: cells[3] ?? '', row: line });
  }
  return rows;
}

// ------------------------------------------------------------------------------ command lines

/**
 * Parses one `nova-migrate …` command line with the real command definitions (strict, with each
 * command's own checks) without running its handler. Returns the CLI's complaint, if any.
 */
export async function commandLineProblem(commands: readonly CommandModule<any, any>[], argv: string[]): Promise<string | undefined> {
  const cli = yargs().scriptName('nova-migrate').strict().demandCommand(1, 'Choose a command.').exitProcess(false);
  for (const command of commands) cli.command({ ...command, handler: () => {} } as CommandModule<any, any>);
  try {
    return await new Promise<string | undefined>((resolve) => {
      cli.fail((msg, err) => resolve(msg || err?.message || 'invalid'));
      cli.parse(argv, {}, (err) => resolve(err ? err.message : undefined));
    });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

// ------------------------------------------------------------------------------ pages

/** README.md and every page under docs/, relative to the repository root. */
export function docPages(root: string): string[] {
  const pages = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...pages];
}

export interface PageUpdate {
  page: string;
  before: string;
  after: string;
}

/** Everything `npm run docs` writes, by section id. */
export async function generatedSections(root: string, commands: readonly CommandModule<any, any>[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of await describeCommands(commands)) out.set(`OPTIONS: ${c.name}`, renderOptionsTable(c));
  for (const [name, table] of Object.entries(dataTables(root))) out.set(`TABLE: ${name}`, table);
  return out;
}

/** Every page with its generated sections brought up to date (nothing written). */
export async function regenerate(root: string, commands: readonly CommandModule<any, any>[]): Promise<PageUpdate[]> {
  const generated = await generatedSections(root, commands);
  return docPages(root).map((page) => {
    const before = readFileSync(join(root, page), 'utf8');
    return { page, before, after: updateSections(before, generated) };
  });
}

/**
 * Every command (and data table) must have its section on some page, and every section must
 * name something that exists: a new command without a table, or a table for a removed one.
 */
export function coverageProblems(generated: ReadonlyMap<string, string>, found: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const id of generated.keys()) {
    if (found.has(id)) continue;
    const [kind, name] = id.split(': ');
    problems.push(
      kind === 'OPTIONS'
        ? `no options table for "nova-migrate ${name}": add <!-- BEGIN OPTIONS: ${name} --> and <!-- END OPTIONS: ${name} --> to the docs page for it, then run npm run docs`
        : `no "${id}" section in README.md or docs/*.md`,
    );
  }
  for (const id of found) {
    if (!generated.has(id)) problems.push(`a page has a generated section "${id}", which names no command or table: remove it`);
  }
  return problems;
}

import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

interface ScanArgs {
  paths?: string[];
  include?: string[];
  exclude?: string[];
  json?: boolean;
  sarif?: boolean;
  output?: string;
  'fail-on'?: string;
  jobs?: number;
  types?: boolean;
}

export const scanCommand: CommandModule<object, ScanArgs> = {
  command: 'scan [paths..]',
  describe: 'Inventory OpenAI usage (JS/TS and Python) and what the proxy supports',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'Files or directories', defaultDescription: '.' })
      .option('include', { type: 'string', array: true, describe: 'Only files matching these globs (relative to the working directory)' })
      .option('exclude', { type: 'string', array: true, describe: 'Skip files matching these globs' })
      .option('json', { type: 'boolean', describe: 'Machine-readable report', conflicts: 'sarif' })
      .option('sarif', { type: 'boolean', describe: 'SARIF 2.1.0 for code-scanning UIs' })
      .option('output', { alias: 'o', type: 'string', describe: 'Write the JSON/SARIF report to this file instead of stdout' })
      .option('fail-on', {
        type: 'string',
        choices: ['unsupported', 'differences', 'none'],
        describe: 'Exit 1 when a site has this verdict or worse',
        defaultDescription: 'none',
      })
      .option('jobs', { type: 'number', describe: 'Threads (1 = no workers)', defaultDescription: 'auto' })
      .option('types', {
        type: 'boolean',
        default: true,
        describe: "Ask the TypeScript checker (ts-morph) about receivers and model constants the syntactic pass can't resolve; --no-types skips it",
      }),
  handler: async (args) => {
    if (args.jobs !== undefined && (!Number.isInteger(args.jobs) || args.jobs < 1)) throw new UserError('--jobs must be a positive integer');
    for (const k of ['include', 'exclude'] as const) {
      const v = args[k];
      if (v !== undefined && (v.length === 0 || v.some((g) => g.trim() === ''))) throw new UserError(`--${k} needs a glob`);
    }
    if (args.output !== undefined && args.output.trim() === '') throw new UserError('--output needs a file path');
    if (args.output && !args.json && !args.sarif) throw new UserError('--output needs --json or --sarif');
    const { run } = await import('../../codemods/runner.js');
    const { ConfigError } = await import('../../codemods/files.js');
    const { defaultRewriteOptions } = await import('../../codemods/types.js');
    let report;
    try {
      report = await run({
      paths: args.paths ?? [],
      cwd: process.cwd(),
      include: args.include,
      exclude: args.exclude,
      mode: 'scan',
      rewrite: defaultRewriteOptions(),
      write: false,
      force: false,
      jobs: args.jobs,
      types: args.types !== false,
      });
    } catch (err) {
      if (err instanceof ConfigError) throw new UserError(err.message);
      throw err;
    }
    if (report.missing.length) throw new UserError(`no such file or directory: ${report.missing.join(', ')}`);
    const { exitQuietlyOnEpipe, sitesTable, scanSummary, summaryTable, findingsText, scanJson, sarif, baseUrlTable } = await import('../../codemods/report.js');
    exitQuietlyOnEpipe();
    const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
    if (args.json || args.sarif) {
      let doc: object;
      if (args.sarif) {
        const { workTreeRoot } = await import('../../codemods/git.js');
        const cwd = process.cwd();
        doc = sarif(report, await version(), { cwd, root: workTreeRoot(cwd) ?? cwd });
      } else doc = scanJson(report);
      const text = JSON.stringify(doc, null, 2) + '\n';
      if (args.output) {
        const { writeFileSync } = await import('node:fs');
        try {
          writeFileSync(args.output, text);
        } catch (err) {
          throw new UserError(`cannot write ${args.output}: ${(err as Error).message}`);
        }
      } else out(text);
    } else {
      if (report.sites.length) out(sitesTable(report.sites));
      else out('No OpenAI usage found.');
      const notes = findingsText(report);
      if (notes) out(notes);
      out(summaryTable(report));
      if (report.sites.length) out(scanSummary(report.sites));
      const bases = baseUrlTable(report.sites);
      if (bases) out(bases);
      out(
        'Clients built without a base URL can also be pointed at the proxy with no edit: the openai SDKs (Node, Python) and the AI SDK read OPENAI_BASE_URL (LangChain Python: OPENAI_API_BASE). `nova-migrate rewrite` makes it explicit.',
      );
    }
    const failOn = args['fail-on'] ?? 'none';
    const bad = report.sites.some((s) => (failOn === 'unsupported' ? s.verdict === 'unsupported' : failOn === 'differences' ? s.verdict !== 'works' : false));
    if (bad) process.exitCode = 1;
  },
};

async function version(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      return JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')).version as string;
    } catch {
      /* try the next layout (sources vs dist/) */
    }
  }
  return '0.0.0';
}

import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

interface RewriteArgs {
  paths?: string[];
  include?: string[];
  exclude?: string[];
  'dry-run'?: boolean;
  check?: boolean;
  json?: boolean;
  force?: boolean;
  'base-url'?: string;
  'base-url-env'?: string;
  'api-key-env'?: string;
  models?: string;
  embeddings?: boolean;
  'force-partial'?: boolean;
  jobs?: number;
  verbose?: boolean;
  strict?: boolean;
  'allow-dirty'?: boolean;
}

export const rewriteCommand: CommandModule<object, RewriteArgs> = {
  command: 'rewrite [paths..]',
  describe: 'Repoint OpenAI clients (JS/TS and Python) at the proxy',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'Files or directories', defaultDescription: '.' })
      .option('include', { type: 'string', array: true, describe: 'Only files matching these globs (relative to the working directory)' })
      .option('exclude', { type: 'string', array: true, describe: 'Skip files matching these globs' })
      .option('dry-run', { type: 'boolean', describe: 'Write nothing; print a unified diff' })
      .option('check', { type: 'boolean', describe: 'Write nothing; exit 1 if any file would change (CI gate)' })
      .option('json', { type: 'boolean', describe: 'Machine-readable report on stdout' })
      .option('force', { type: 'boolean', describe: 'Replace existing base URLs and touch files with uncommitted changes' })
      .option('base-url', { type: 'string', describe: 'Fallback proxy URL when the variable is unset', defaultDescription: 'http://127.0.0.1:8080/v1' })
      .option('base-url-env', { type: 'string', describe: 'Environment variable read for the proxy URL', defaultDescription: 'NOVA_PROXY_URL' })
      .option('api-key-env', { type: 'string', describe: 'Environment variable read for the proxy API key', defaultDescription: 'NOVA_PROXY_API_KEY' })
      .option('models', { type: 'string', choices: ['keep', 'nova'], describe: 'nova: rewrite literal OpenAI model names to Nova IDs', defaultDescription: 'keep' })
      .option('force-partial', { type: 'boolean', describe: "Repoint clients even when some of their calls aren't served by the proxy (those calls are listed)" })
      .option('embeddings', { type: 'boolean', hidden: true, deprecated: 'embeddings clients are repointed by default now' })
      .option('jobs', { type: 'number', describe: 'Threads (1 = no workers)', defaultDescription: 'auto' })
      .option('verbose', { type: 'boolean', describe: 'List every change, not just manual work and skips' })
      .option('strict', { type: 'boolean', describe: 'With --check: manual work items also fail the gate (exit 1)' })
      .option('allow-dirty', { type: 'boolean', describe: 'Touch files with uncommitted changes (without the rest of --force)' }),
  handler: async (args) => {
    const options = validateRewriteArgs(args);
    const { run } = await import('../../codemods/runner.js');
    const { ConfigError } = await import('../../codemods/files.js');
    let report;
    try {
      report = await run({
      paths: args.paths ?? [],
      cwd: process.cwd(),
      include: args.include,
      exclude: args.exclude,
      mode: 'rewrite',
      rewrite: options,
      write: !args['dry-run'] && !args.check,
      force: args.force === true || args['allow-dirty'] === true,
      jobs: args.jobs,
      });
    } catch (err) {
      if (err instanceof ConfigError) throw new UserError(err.message);
      throw err;
    }
    if (report.missing.length) throw new UserError(`no such file or directory: ${report.missing.join(', ')}`);
    const { exitQuietlyOnEpipe, summaryTable, findingsText, diffs, rewriteJson } = await import('../../codemods/report.js');
    exitQuietlyOnEpipe();
    const out = (s: string) => process.stdout.write(s.endsWith('\n') || s === '' ? s : `${s}\n`);
    const wouldChange = report.files.filter((f) => f.status === 'changed').map((f) => f.display);
    if (args.json) {
      out(JSON.stringify({ ...rewriteJson(report, args['dry-run'] === true), ...(args.check ? { wouldChange } : {}) }, null, 2));
    } else {
      if (args['dry-run']) out(diffs(report));
      if (args.check) for (const f of wouldChange) out(`would change: ${f}`);
      const notes = findingsText(report, args.verbose === true);
      if (notes) out(notes);
      out(summaryTable(report, { check: args.check, dryRun: args['dry-run'] }));
      if (report.counts.changed > 0 && !args.check && !args['dry-run']) {
        out(`Review with 'git diff'. Clients read ${options.baseUrlEnv} (fallback ${options.baseUrl}) and ${options.apiKeyEnv}.`);
      }
      out(
        'Note: the openai SDKs (Node, Python) and the AI SDK also read OPENAI_BASE_URL (LangChain Python: OPENAI_API_BASE); for clients built without a base URL, setting it is the zero-edit alternative.',
      );
    }
    if (report.counts.errors > 0 || report.skipped.some((s) => s.reason.startsWith('uncommitted'))) process.exitCode = 3;
    else if (args.check && (wouldChange.length > 0 || (args.strict && report.counts.manual > 0))) process.exitCode = 1;
  },
};

function validateRewriteArgs(args: RewriteArgs) {
  requireValues(args);
  const ENV = /^[A-Za-z_][A-Za-z0-9_]*$/;
  for (const k of ['base-url-env', 'api-key-env'] as const) {
    const v = args[k];
    if (v !== undefined && !ENV.test(v)) throw new UserError(`--${k} must be an environment variable name, got '${v}'`);
  }
  const url = args['base-url'];
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw new UserError(`--base-url must be an http(s) URL, got '${url}'`);
  }
  if (args.jobs !== undefined && (!Number.isInteger(args.jobs) || args.jobs < 1)) throw new UserError('--jobs must be a positive integer');
  return {
    baseUrl: url ?? 'http://127.0.0.1:8080/v1',
    baseUrlEnv: args['base-url-env'] ?? 'NOVA_PROXY_URL',
    apiKeyEnv: args['api-key-env'] ?? 'NOVA_PROXY_API_KEY',
    force: args.force === true,
    models: (args.models ?? 'keep') as 'keep' | 'nova',
    forcePartial: args['force-partial'] === true,
  };
}

/** `--include` with nothing after it would silently mean "everything". */
function requireValues(args: { include?: string[]; exclude?: string[] }) {
  for (const k of ['include', 'exclude'] as const) {
    const v = args[k];
    if (v !== undefined && (v.length === 0 || v.some((g) => g.trim() === ''))) throw new UserError(`--${k} needs a glob`);
  }
}

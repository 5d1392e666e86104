import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

interface ParityArgs {
  fixtures: string;
  tag?: string[];
  expectations?: string;
  baseline: 'openai' | 'recorded';
  candidate: 'proxy' | 'recorded';
  'candidate-file'?: string;
  'candidate-url'?: string;
  map?: string[];
  config?: string;
  mock?: boolean;
  concurrency: number;
  retries: number;
  'timeout-ms': number;
  repeat: number;
  record?: boolean;
  replay?: boolean;
  cache: boolean;
  'cache-dir'?: string;
  json?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  'min-pass-rate': number;
  strict?: boolean;
  'fail-on': 'fail' | 'warn';
  'require-latency'?: boolean;
  'max-cost-ratio'?: number;
  'max-p95-latency-ratio'?: number;
  'monthly-requests'?: number;
  prices?: string;
  'similarity-threshold'?: number;
  threshold?: string[];
  judge: 'auto' | 'off' | 'openai' | 'nova';
  'judge-model'?: string;
  embeddings: 'off' | 'openai' | 'bedrock';
  'embedding-model'?: string;
  progress: boolean;
  worst: number;
}

export function parseMap(entries: string[] | undefined): Record<string, string> | undefined {
  if (!entries?.length) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries.flatMap((x) => String(x).split(','))) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(e.trim());
    if (!m) throw new UserError(`--map expects alias=model-id (e.g. gpt-4o=amazon.nova-pro-v1:0), got "${e}"`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

const THRESHOLD_KEYS = ['similarity', 'lengthRatio', 'classificationMaxWords'];

export function parseThresholds(entries: string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries ?? []) {
    const m = /^([A-Za-z]+)=([0-9.]+)$/.exec(String(e).trim());
    if (!m || !THRESHOLD_KEYS.includes(m[1]!) || !Number.isFinite(Number(m[2]))) {
      throw new UserError(`--threshold expects key=number with key one of ${THRESHOLD_KEYS.join(', ')}, got "${e}"`);
    }
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

export const parityCommand: CommandModule<object, ParityArgs> = {
  command: 'parity',
  describe: 'Replay prompts against OpenAI (baseline) and Nova through the proxy (candidate); compare, time, cost, and gate',
  builder: (y) =>
    y
      .usage('$0 parity --fixtures DIR|FILE [options]\n\nExit codes: 0 gate passed, 1 gate failed, 2 usage/fixture/credential error, 130 interrupted, other: harness fault.')
      .option('fixtures', { alias: 'f', type: 'string', demandOption: true, describe: 'Fixture directory or file (.jsonl, .json, .yaml)' })
      .option('tag', { type: 'array', string: true, requiresArg: true, describe: 'Run only fixtures with one of these metadata.tags' })
      .option('expectations', { type: 'string', requiresArg: true, describe: 'YAML/JSON file keyed by custom_id ("*" for all): assert, compare, thresholds, tags, weight — no need to edit a Batch file' })
      .option('baseline', { type: 'string', requiresArg: true, choices: ['openai', 'recorded'] as const, default: 'openai' as const, describe: 'openai: call OpenAI (OPENAI_API_KEY, OPENAI_BASE_URL); recorded: use the responses recorded in the fixtures' })
      .option('candidate', { type: 'string', requiresArg: true, choices: ['proxy', 'recorded'] as const, default: 'proxy' as const, describe: 'proxy: call Nova through the proxy; recorded: read answers from --candidate-file' })
      .option('candidate-file', { type: 'string', requiresArg: true, describe: 'Batch output lines produced against the proxy, matched by custom_id (with --candidate recorded)' })
      .option('candidate-url', { type: 'string', requiresArg: true, describe: 'Use a running proxy (base URL) instead of the in-process one (key: env NOVA_PROXY_API_KEY)' })
      .option('map', { type: 'array', string: true, requiresArg: true, describe: 'Model mapping alias=nova-id, e.g. gpt-4o=amazon.nova-pro-v1:0 (default: the proxy configuration)' })
      .option('config', { type: 'string', requiresArg: true, describe: 'Proxy config file for the in-process candidate', defaultDescription: 'nova-migrate.config.json if present' })
      .option('mock', { type: 'boolean', describe: 'Run against built-in mock OpenAI and mock Bedrock (no credentials; every output says MOCK)' })
      .option('concurrency', { type: 'number', default: 4, describe: 'Prompts in flight at once' })
      .option('retries', { type: 'number', default: 3, describe: 'Retries on 429/5xx/timeouts, exponential backoff with jitter' })
      .option('timeout-ms', { type: 'number', default: 60_000, describe: 'Per-request timeout' })
      .option('repeat', { type: 'number', default: 1, describe: 'Run each prompt N times and report consistency' })
      .option('record', { type: 'boolean', describe: 'Call live and (re)write the cache' })
      .option('replay', { type: 'boolean', describe: 'Only use the cache; a miss is an error (exit 2)' })
      .option('cache', { type: 'boolean', default: true, describe: 'Read and write the response cache (--no-cache: always live, write nothing)' })
      .option('cache-dir', { type: 'string', requiresArg: true, describe: 'Cache directory', defaultDescription: '.nova-migrate-cache' })
      .option('json', { type: 'string', requiresArg: true, nargs: 1, describe: 'Write the JSON report to FILE (- for stdout)' })
      .option('junit', { type: 'string', requiresArg: true, nargs: 1, describe: 'Write a JUnit XML report to FILE' })
      .option('markdown', { type: 'string', requiresArg: true, nargs: 1, describe: 'Write a Markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY)' })
      .option('html', { type: 'string', requiresArg: true, nargs: 1, describe: 'Write a self-contained HTML report with charts to FILE' })
      .option('min-pass-rate', { type: 'number', default: 0.9, describe: 'Gate: share of prompts that must pass or warn (0-1)' })
      .option('fail-on', { type: 'string', requiresArg: true, choices: ['fail', 'warn'] as const, default: 'fail' as const, describe: 'warn: prompts that pass only with warnings count as failing in the gate' })
      .option('strict', { type: 'boolean', describe: 'Same as --fail-on warn' })
      .option('require-latency', { type: 'boolean', describe: 'Gate: fail when latency was not measured live on both sides (recorded or cached answers)' })
      .option('max-cost-ratio', { type: 'number', describe: 'Gate: candidate/baseline cost must not exceed this' })
      .option('max-p95-latency-ratio', { type: 'number', describe: 'Gate: candidate/baseline p95 total latency must not exceed this (measured latencies only)' })
      .option('monthly-requests', { type: 'number', describe: 'Project monthly cost at this request volume' })
      .option('prices', { type: 'string', requiresArg: true, describe: 'JSON price table (USD per 1M tokens) merged over the built-in one' })
      .option('similarity-threshold', { type: 'number', describe: 'Free-text similarity below this warns (default 0.5)' })
      .option('threshold', { type: 'array', string: true, requiresArg: true, describe: 'Global comparison threshold key=value (similarity, lengthRatio, classificationMaxWords); fixtures override' })
      .option('judge', { type: 'string', requiresArg: true, choices: ['auto', 'off', 'openai', 'nova'] as const, default: 'auto' as const, describe: 'LLM judge for free text the rules cannot decide (reference equivalence, cached): nova (Bedrock Converse, AWS credentials), openai (OPENAI_API_KEY), auto: what the credentials allow (off with --mock)' })
      .option('judge-model', { type: 'string', requiresArg: true, describe: 'Judge model', defaultDescription: 'amazon.nova-2-lite-v1:0 (nova, with the region\'s inference profile) / gpt-4o (openai)' })
      .option('embeddings', { type: 'string', requiresArg: true, choices: ['off', 'openai', 'bedrock'] as const, default: 'off' as const, describe: 'Embedding similarity for free text (cached): OpenAI embeddings or Titan Text Embeddings on Bedrock' })
      .option('embedding-model', { type: 'string', requiresArg: true, defaultDescription: 'text-embedding-3-small / amazon.titan-embed-text-v2:0', describe: 'Embedding model' })
      .option('progress', { type: 'boolean', default: true, describe: 'Progress bar on stderr (TTY only)' })
      .option('worst', { type: 'number', default: 5, describe: 'How many of the worst prompts to show in the terminal' })
      // yargs reports a missing option value (`--json` with nothing after it) as a YError: a usage error, not a fault.
      .fail((msg, err) => {
        if (err && err.name !== 'YError') throw err;
        throw new UserError(`${msg || err?.message}\nRun 'nova-migrate parity --help' for usage.`);
      })
      .check((a) => {
        if (a.mock && a['candidate-url']) throw new UserError('--mock runs its own candidate; drop --candidate-url (or --mock)');
        if (a.candidate === 'recorded' && !a['candidate-file']) throw new UserError('--candidate recorded needs --candidate-file FILE (Batch output lines produced against the proxy)');
        if (a.candidate !== 'recorded' && a['candidate-file']) throw new UserError('--candidate-file is read only with --candidate recorded');
        if (a.candidate === 'recorded' && a['candidate-url']) throw new UserError('--candidate recorded reads answers from --candidate-file; drop --candidate-url');
        if (a.record && a.replay) throw new UserError('--record and --replay are mutually exclusive');
        if ((a.record || a.replay) && a.cache === false) throw new UserError('--no-cache cannot be combined with --record or --replay');
        for (const k of ['concurrency', 'repeat'] as const) if (!Number.isInteger(a[k]) || a[k] < 1) throw new UserError(`--${k} must be a positive integer`);
        if (!Number.isInteger(a.retries) || a.retries < 0) throw new UserError('--retries must be a non-negative integer');
        if (!(a['timeout-ms'] > 0)) throw new UserError('--timeout-ms must be positive');
        if (!(a['min-pass-rate'] >= 0 && a['min-pass-rate'] <= 1)) throw new UserError('--min-pass-rate must be between 0 and 1');
        // yargs turns a non-number into NaN: every numeric option is checked here, by name.
        for (const k of ['max-cost-ratio', 'max-p95-latency-ratio'] as const) {
          if (a[k] !== undefined && !(Number.isFinite(a[k]) && a[k]! > 0)) throw new UserError(`--${k} must be a positive number, got "${String(a[k])}"`);
        }
        if (a['similarity-threshold'] !== undefined && !(a['similarity-threshold'] >= 0 && a['similarity-threshold'] <= 1)) {
          throw new UserError(`--similarity-threshold must be a number between 0 and 1, got "${String(a['similarity-threshold'])}"`);
        }
        if (a['monthly-requests'] !== undefined && !(Number.isInteger(a['monthly-requests']) && a['monthly-requests'] > 0)) {
          throw new UserError(`--monthly-requests must be a positive integer, got "${String(a['monthly-requests'])}"`);
        }
        if (!Number.isInteger(a.worst) || a.worst < 0) throw new UserError(`--worst must be a non-negative integer, got "${String(a.worst)}"`);
        for (const k of ['tag', 'map', 'threshold'] as const) {
          if (a[k]?.some((v) => String(v).trim() === '')) throw new UserError(`--${k} needs a value`);
        }
        return true;
      }),
  handler: async (args) => {
    const { runParityCommand } = await import('../../harness/parity.js');
    const { ParityUsageError } = await import('../../harness/errors.js');
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts > 1) process.exit(130);
      process.stderr.write('\nnova-migrate: stopping after the requests in flight are cancelled; Ctrl-C again to quit now\n');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    let bar: { start(total: number, v: number, p?: object): void; update(v: number, p?: object): void; stop(): void } | undefined;
    const tty = process.stderr.isTTY === true;
    if (args.progress && tty) {
      const { SingleBar, Presets } = (await import('cli-progress')).default;
      bar = new SingleBar({ format: 'parity |{bar}| {value}/{total} prompts  {last}', hideCursor: true, clearOnComplete: true, stream: process.stderr }, Presets.shades_classic);
    }
    try {
      const result = await runParityCommand({
        fixtures: args.fixtures,
        ...(args.tag ? { tags: args.tag.map(String) } : {}),
        ...(args.expectations ? { expectations: args.expectations } : {}),
        baseline: args.baseline,
        candidate: args.candidate,
        ...(args['candidate-file'] ? { candidateFile: args['candidate-file'] } : {}),
        ...(args['candidate-url'] ? { candidateUrl: args['candidate-url'] } : {}),
        ...(parseMap(args.map) ? { map: parseMap(args.map)! } : {}),
        ...(args.config ? { config: args.config } : {}),
        mock: args.mock === true,
        concurrency: args.concurrency,
        retries: args.retries,
        timeoutMs: args['timeout-ms'],
        repeat: args.repeat,
        ...(args.record ? { cacheMode: 'record' as const } : args.replay ? { cacheMode: 'replay' as const } : args.cache === false ? { cacheMode: 'off' as const } : {}),
        ...(args['cache-dir'] ? { cacheDir: args['cache-dir'] } : {}),
        ...(args.json ? { json: args.json } : {}),
        ...(args.junit ? { junit: args.junit } : {}),
        ...(args.markdown ? { markdown: args.markdown } : {}),
        ...(args.html ? { html: args.html } : {}),
        gate: {
          minPassRate: args['min-pass-rate'],
          maxCostRatio: args['max-cost-ratio'],
          maxP95LatencyRatio: args['max-p95-latency-ratio'],
          failOn: args.strict ? 'warn' : args['fail-on'],
          ...(args['require-latency'] ? { requireLatency: true } : {}),
        },
        ...(args['monthly-requests'] ? { monthlyRequests: args['monthly-requests'] } : {}),
        ...(args.prices ? { prices: args.prices } : {}),
        thresholds: { ...parseThresholds(args.threshold), ...(args['similarity-threshold'] !== undefined ? { similarity: args['similarity-threshold'] } : {}) },
        judge: { provider: args.judge, ...(args['judge-model'] ? { model: args['judge-model'] } : {}) },
        ...(args.embeddings !== 'off' ? { embeddings: { provider: args.embeddings, ...(args['embedding-model'] ? { model: args['embedding-model'] } : {}) } } : {}),
        worst: args.worst,
        color: process.stdout.isTTY === true && !process.env.NO_COLOR,
        signal: controller.signal,
        onNotice: (text) => void process.stderr.write(`${text}\n`),
        onStart: (total) => bar?.start(total, 0, { last: '' }),
        onProgress: (e) => bar?.update(e.done, { last: `${e.status.toUpperCase()} ${e.id}` }),
      });
      bar?.stop();
      if (result.message) process.stderr.write(`nova-migrate: ${result.message}\n`);
      process.exitCode = result.exitCode;
    } catch (err) {
      bar?.stop();
      if (err instanceof ParityUsageError) throw new UserError(err.message);
      throw err;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};

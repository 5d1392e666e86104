/**
 * The whole `parity` pipeline behind the CLI: fixtures → targets (live, recorded, mock) →
 * runner → report → outputs → exit code. Programmatic entry for tests and other tools.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BedrockTransport } from '../proxy/bedrock/transport.js';
import { ResponseCache, type CacheMode } from './cache.js';
import type { PriceTable } from '../proxy/pricing.js';
import type { NovaModel } from '../proxy/models.js';
import { staticDiffs } from './nova-diffs.js';
import { loadPriceTable, PriceFileError, type LoadedPrices } from './cost.js';
import { ParityUsageError } from './errors.js';
import { FixtureError, loadFixtures } from './fixtures/load.js';
import { setSpecValidator } from './fixtures/validate.js';
import { runParity, type ProgressEvent } from './run/runner.js';
import { buildReport, type RunReport } from './summary.js';
import type { RecordedSource, Target } from './targets/types.js';
import type { Check, CompareKind, Fixture, SideResult, Thresholds } from './types.js';
import { DEFAULT_GATE, type GateOptions } from './verdict.js';
import type { JudgeChoiceOption } from './judge/setup.js';
import { renderTerminal } from './report/table.js';
import { renderJson } from './report/json.js';
import { renderJunit } from './report/junit.js';
import { renderMarkdown } from './report/markdown.js';
import { renderHtml } from './report/html.js';

export const EXIT = { PASS: 0, GATE_FAILED: 1, USAGE: 2, INTERRUPTED: 130 } as const;

export interface ParityOptions {
  fixtures: string;
  tags?: string[];
  /** Expectations file keyed by custom_id (assert, compare, thresholds, tags, weight). */
  expectations?: string;
  baseline?: 'openai' | 'recorded';
  /** `proxy` (default): Nova through the proxy; `recorded`: answers from `candidateFile`. */
  candidate?: 'proxy' | 'recorded';
  /** Batch output lines produced against the proxy (`candidate: 'recorded'`). */
  candidateFile?: string;
  candidateUrl?: string;
  candidateApiKey?: string;
  /** alias → Nova model ID. */
  map?: Record<string, string>;
  /** Proxy config file for the in-process candidate. */
  config?: string;
  mock?: boolean;
  concurrency?: number;
  retries?: number;
  timeoutMs?: number;
  repeat?: number;
  cacheMode?: CacheMode;
  cacheDir?: string;
  json?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  gate?: Partial<GateOptions>;
  monthlyRequests?: number;
  prices?: string;
  thresholds?: Partial<Thresholds>;
  /** Default `auto` (see harness/judge/setup.ts). */
  judge?: { provider: JudgeChoiceOption; model?: string };
  embeddings?: { provider: 'openai' | 'bedrock'; model?: string; threshold?: number };
  worst?: number;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  onStart?: (total: number) => void;
  /** Pre-run notices (what Nova ignores or rewrites in the set, the judge in use); the CLI prints them to stderr. */
  onNotice?: (text: string) => void;
  /** Terminal report destination; default stdout. */
  out?: (text: string) => void;
  /** Where the terminal report goes when a file output is `-` (stdout); default stderr. */
  err?: (text: string) => void;
  color?: boolean;
  /** Tests: a Bedrock transport for the in-process candidate, the Nova judge and Bedrock embeddings. */
  transport?: BedrockTransport;
  backoffBaseMs?: number;
}

export interface ParityResult {
  exitCode: number;
  report?: RunReport;
  /** Why the exit code is not the gate's (usage, fatal target error, replay misses, interruption). */
  message?: string;
}

type Endpoint = { baseURL: string; apiKey: string; id: string };
type ExtraCtx = { fixture: Fixture; kind: CompareKind; baseline?: SideResult; candidate: SideResult; repeat: number; signal: AbortSignal };

export async function runParityCommand(o: ParityOptions): Promise<ParityResult> {
  const env = o.env ?? process.env;
  const out = o.out ?? ((t: string) => process.stdout.write(t));
  const notice = o.onNotice ?? ((x: string) => void process.stderr.write(`${x}\n`));
  const cleanups: Array<() => Promise<void>> = [];
  try {
    try {
      const { validateOpenAI } = await import('../mock/spec/openai-validator.js');
      setSpecValidator((schema, value) => validateOpenAI(schema as 'CreateChatCompletionRequest', value));
    } catch {
      setSpecValidator(undefined);
    }
    let fixtures: Fixture[];
    try {
      fixtures = loadFixtures(o.fixtures, { ...(o.tags?.length ? { tags: o.tags } : {}), ...(o.expectations ? { expectations: o.expectations } : {}) });
    } catch (err) {
      if (err instanceof FixtureError) throw new ParityUsageError(`invalid fixture: ${err.message}`);
      throw err;
    }
    if (fixtures.length === 0) throw new ParityUsageError(`no fixtures match the tags ${o.tags?.join(', ')}`);
    let prices: LoadedPrices;
    try {
      prices = loadPriceTable(o.prices);
    } catch (err) {
      if (err instanceof PriceFileError) throw new ParityUsageError(err.message);
      throw err;
    }
    // Before any call: a run must not be lost to an output path (or --record cache dir) it cannot write.
    for (const [flag, path] of [['--json', o.json], ['--junit', o.junit], ['--markdown', o.markdown], ['--html', o.html]] as const) {
      if (path && path !== '-') checkWritableFile(flag, path);
    }
    if (o.cacheMode === 'record') checkWritableDir('--cache-dir', resolve(o.cacheDir ?? '.nova-migrate-cache'));
    const baselineMode = o.baseline ?? 'openai';
    const candidateMode = o.candidate ?? 'proxy';
    const mock = o.mock === true;
    if (candidateMode === 'recorded' && !o.candidateFile) throw new ParityUsageError('--candidate recorded needs --candidate-file FILE (Batch output lines produced against the proxy)');
    if (candidateMode !== 'recorded' && o.candidateFile) throw new ParityUsageError('--candidate-file is read only with --candidate recorded');
    if (candidateMode === 'recorded' && o.candidateUrl) throw new ParityUsageError('--candidate recorded reads answers from --candidate-file; drop --candidate-url');

    let baseline: Target | 'recorded' | undefined = baselineMode === 'recorded' ? 'recorded' : undefined;
    let candidate: Target | RecordedSource | undefined;
    let openaiEndpoint: Endpoint | undefined;
    let novaModel: ((model: string) => NovaModel | undefined) | undefined;
    let configPrices: PriceTable | undefined;
    let mockBedrock: BedrockTransport | undefined;
    let region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';

    if (baselineMode === 'recorded' && !fixtures.some((f) => f.baseline)) {
      throw new ParityUsageError('--baseline recorded: no fixture has a recorded baseline (a "baseline" field or a matching Batch output line)');
    }
    const startMockOpenAI = async () => {
      const { startFakeOpenAI } = await import('../mock/fake-openai.js');
      const fake = await startFakeOpenAI({ latencyMs: 40, chunkDelayMs: 8 });
      cleanups.push(() => fake.close());
      return fake;
    };
    if (mock) {
      if (!baseline) {
        const fake = await startMockOpenAI();
        const { openAITarget } = await import('./targets/openai.js');
        // The fake's port changes every run: cache keys use a stable identity so --mock --record then --mock --replay hits.
        baseline = openAITarget({ apiKey: fake.apiKey, baseURL: fake.url, provider: 'mock-openai', label: 'MOCK OpenAI (synthetic, loopback)', cacheId: 'mock-openai' });
        openaiEndpoint = { baseURL: fake.url, apiKey: fake.apiKey, id: 'mock-openai' };
      }
      const { startFakeBedrock } = await import('../mock/fake-bedrock.js');
      const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
      const { sdkTransport } = await import('../proxy/bedrock/sdk-transport.js');
      const fb = await startFakeBedrock({ chunkDelayMs: 8 });
      cleanups.push(() => fb.close());
      mockBedrock = sdkTransport(new BedrockRuntimeClient({ endpoint: fb.url, region: 'us-east-1', credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' } }));
      const client = mockBedrock;
      cleanups.push(async () => client.destroy());
      if (candidateMode === 'proxy') {
        const built = await buildCandidate(o, env, client, 'mock-nova', 'MOCK Nova via in-process proxy (synthetic Bedrock, loopback)');
        candidate = built.target;
        novaModel = built.novaModel;
        configPrices = built.prices;
        region = built.region ?? region;
      }
    } else {
      if (!baseline) {
        // --replay answers everything from the cache (a miss exits 2 before any call), so no key is needed.
        const apiKey = env.OPENAI_API_KEY ?? (o.cacheMode === 'replay' ? 'nova-migrate-replay-no-key' : undefined);
        if (!apiKey) {
          throw new ParityUsageError(
            'no baseline: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible gateway) to call OpenAI, or use --baseline recorded to replay recorded responses from the fixtures.\n' +
              'The candidate (Nova) needs AWS credentials with bedrock:InvokeModel and AWS_REGION.\n' +
              'No credentials at all? Run with --mock to see a full report from built-in mock services.',
          );
        }
        const { openAITarget } = await import('./targets/openai.js');
        baseline = openAITarget({ apiKey, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) });
      }
      if (candidateMode === 'proxy') {
        const built = await buildCandidate(o, env, o.transport, 'nova');
        candidate = built.target;
        novaModel = built.novaModel;
        configPrices = built.prices;
        region = built.region ?? region;
      }
    }
    if (candidateMode === 'recorded') {
      const config = await proxyConfig(o, env);
      const { createModelResolver } = await import('../proxy/models.js');
      const resolver = createModelResolver({ mappings: config.modelMappings, inferenceProfile: config.inferenceProfile, region: config.region, capabilities: config.capabilities });
      novaModel = (m) => resolver.resolve(m)?.model;
      configPrices = config.prices;
      region = config.region;
      const { loadRecordedAnswers, recordedCandidate, RecordedFileError } = await import('./targets/recorded.js');
      let answers;
      try {
        answers = loadRecordedAnswers(o.candidateFile!, new Set(fixtures.map((f) => f.id)));
      } catch (err) {
        if (err instanceof RecordedFileError) throw new ParityUsageError(err.message);
        throw err;
      }
      // The proxy echoes the requested alias in `model`: price with the Bedrock model the mapping sends it to.
      candidate = {
        label: `recorded Nova answers (${o.candidateFile})`,
        answer: recordedCandidate(answers, { ...prices.table, ...configPrices, ...prices.overrides }, (fx, r) =>
          /^(?:[a-z-]+\.)?amazon\./.test(r.model ?? '') ? r.model : (resolver.resolve(fx.body.model)?.bedrockId ?? r.model),
        ),
      };
    }
    if (!openaiEndpoint && !mock && (env.OPENAI_API_KEY || o.cacheMode === 'replay')) {
      const url = (env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
      openaiEndpoint = { baseURL: url, apiKey: env.OPENAI_API_KEY ?? 'nova-migrate-replay-no-key', id: url };
    }
    cleanups.push(async () => {
      if (typeof baseline === 'object') await baseline.close();
      if (candidate && 'close' in candidate) await candidate.close();
    });

    // --mock is hermetic: no cache unless asked for explicitly.
    const cacheMode: CacheMode = o.cacheMode ?? (mock ? 'off' : 'auto');
    const cacheDir = resolve(o.cacheDir ?? '.nova-migrate-cache');
    const cache = new ResponseCache(cacheDir, cacheMode, notice);
    if (o.candidateUrl && !mock && !o.map && cacheMode !== 'off') {
      notice(
        'note: --candidate-url without --map: the candidate cache is keyed by the fixture\'s model alias, not the Nova model the proxy maps it to. After changing that proxy\'s mapping, refresh with --record (or pass --map).',
      );
    }
    const gate: GateOptions = { ...DEFAULT_GATE, ...stripUndefined(o.gate ?? {}) };
    const repeat = Math.max(1, o.repeat ?? 1);
    // Prices: built-in < the proxy configuration's `prices` < --prices FILE.
    if (configPrices && Object.keys(configPrices).length) {
      prices = { ...prices, table: { ...prices.table, ...configPrices, ...prices.overrides }, source: `${prices.source} + proxy config prices` };
    }

    const extra: Array<(ctx: ExtraCtx) => Promise<Check[]>> = [];
    // ---- the judge
    const { decideJudge, rememberJudge } = await import('./judge/setup.js');
    const decision = decideJudge({
      choice: o.judge?.provider ?? 'auto',
      ...(o.judge?.model ? { model: o.judge.model } : {}),
      mock,
      cacheMode,
      cacheDir,
      inProcessCandidate: candidateMode === 'proxy' && !o.candidateUrl,
      env,
    });
    notice(decision.why);
    let judge: ReturnType<typeof import('./judge/index.js').createJudge> | undefined;
    let judgeMeta: Omit<NonNullable<RunReport['judge']>, 'stats'> | undefined;
    if (decision.provider !== 'off') {
      const { createJudge } = await import('./judge/index.js');
      const { openAIJudge, novaJudge } = await import('./judge/backends.js');
      const { JUDGE_SYSTEM_PROMPT, JUDGE_CHOICES, JUDGE_VERSION } = await import('./judge/prompt.js');
      const { factOptions } = await import('./compare/index.js');
      let backend;
      if (decision.provider === 'openai') {
        let endpoint = openaiEndpoint;
        if (!endpoint && mock) {
          const fake = await startMockOpenAI();
          endpoint = { baseURL: fake.url, apiKey: fake.apiKey, id: 'mock-openai' };
        }
        if (!endpoint) throw new ParityUsageError('--judge openai needs OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible gateway), or use --judge nova');
        const { createClient } = await import('./targets/openai-compatible.js');
        backend = openAIJudge(createClient({ apiKey: endpoint.apiKey, baseURL: endpoint.baseURL }), decision.model!, endpoint.id);
      } else {
        const client = mockBedrock ?? o.transport ?? (await bedrockClientFor(o, env, cleanups));
        const { createModelResolver } = await import('../proxy/models.js');
        // A bare Nova ID gets the inference profile the region needs (Nova 2 Lite: global); an explicit profile ID is kept.
        const modelId = createModelResolver({ mappings: { 'nova-migrate-judge': decision.model! }, inferenceProfile: 'auto', region }).resolve('nova-migrate-judge')?.bedrockId;
        if (!modelId) throw new ParityUsageError(`--judge-model ${decision.model}: not a Nova model ID (amazon.nova-…) or inference profile (us.amazon.nova-…)`);
        backend = novaJudge(client, modelId, mock ? 'mock-bedrock' : `bedrock:${region}`);
      }
      judge = createJudge({
        backend,
        cache,
        prices: prices.table,
        provider: `${mock ? 'mock-' : ''}judge-${backend.provider}`,
        strict: (fx) => factOptions(fx).strict,
        softMisses: (o.judge?.provider ?? 'auto') === 'auto' && cacheMode === 'replay',
      });
      if (cacheMode === 'auto' || cacheMode === 'record') rememberJudge(cacheDir, backend.provider, decision.model!);
      extra.push(judge.check);
      judgeMeta = { provider: backend.provider, model: backend.model, version: JUDGE_VERSION, temperature: 0, systemPrompt: JUDGE_SYSTEM_PROMPT, choices: JUDGE_CHOICES, positionSwap: true };
    }
    // ---- embeddings
    if (o.embeddings) {
      const { createEmbeddingCheck, openAIEmbedder, bedrockEmbedder, DEFAULT_EMBEDDING_MODELS } = await import('./compare/embeddings.js');
      const model = o.embeddings.model ?? DEFAULT_EMBEDDING_MODELS[o.embeddings.provider];
      const threshold = o.embeddings.threshold ?? 0.85;
      if (o.embeddings.provider === 'openai') {
        let endpoint = openaiEndpoint;
        if (!endpoint && mock) {
          const fake = await startMockOpenAI();
          endpoint = { baseURL: fake.url, apiKey: fake.apiKey, id: 'mock-openai' };
        }
        if (!endpoint) throw new ParityUsageError('--embeddings openai needs OPENAI_API_KEY (or --mock)');
        extra.push(createEmbeddingCheck({ embed: openAIEmbedder({ baseURL: endpoint.baseURL, apiKey: endpoint.apiKey, model }), model, cache, provider: `${mock ? 'mock-' : ''}openai-embeddings`, baseURL: endpoint.id, threshold }));
      } else {
        if (mock) throw new ParityUsageError('the mock Bedrock has no embeddings model: use --embeddings openai with --mock');
        const client = o.transport ?? (await bedrockClientFor(o, env, cleanups));
        extra.push(createEmbeddingCheck({ embed: bedrockEmbedder(client, model), model, cache, provider: 'bedrock-embeddings', baseURL: `bedrock:${region}`, threshold }));
      }
    }

    // Before running: what Nova ignores, rejects or rewrites in these requests.
    const tally = new Map<string, string[]>();
    for (const fx of fixtures) {
      for (const d of staticDiffs(fx.body, novaModel?.(fx.body.model))) tally.set(`${d.param} ${d.effect}`, [...(tally.get(`${d.param} ${d.effect}`) ?? []), fx.id]);
    }
    if (tally.size) {
      o.onNotice?.(
        `Nova differences in these requests (reported per prompt; a failure of the check an ignored parameter directly shapes — seed/penalties: text similarity, logit_bias: classification — is a warning, nothing else is excused):\n${[...tally.entries()]
          .map(([k, ids]) => `  ${k}: ${ids.length} prompt(s) (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`)
          .join('\n')}`,
      );
    }
    o.onStart?.(fixtures.length * repeat);
    const outcome = await runParity({
      fixtures,
      baseline: baseline!,
      candidate: candidate!,
      cache,
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      ...(o.retries !== undefined ? { retries: o.retries } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      repeat,
      ...(o.thresholds ? { thresholds: o.thresholds } : {}),
      prices: prices.table,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(novaModel ? { novaModel } : {}),
      ...(extra.length ? { extraChecks: async (ctx) => (await Promise.all(extra.map((f) => f(ctx)))).flat() } : {}),
      ...(o.backoffBaseMs !== undefined ? { backoffBaseMs: o.backoffBaseMs } : {}),
    });
    if (outcome.fatal) return { exitCode: EXIT.USAGE, message: outcome.fatal };
    const judgeStats = judge?.stats();
    if (judgeStats?.skipped) notice(`judge: ${judgeStats.skipped} prompt(s) had no recorded verdict in the cache and were not judged; record them with --record`);

    const report = buildReport(outcome, {
      mock,
      fixtures: o.fixtures,
      baselineLabel: baseline === 'recorded' ? 'recorded OpenAI responses (from fixtures)' : baseline!.label,
      candidateLabel: candidate!.label,
      baselineMode: baselineMode === 'recorded' ? 'recorded' : 'live',
      candidateMode: candidateMode === 'recorded' ? 'recorded' : 'live',
      cacheMode: cacheMode === 'off' ? 'off' : `${cacheMode} (${cacheDir})`,
      repeat,
      prices: { asOf: prices.asOf, source: prices.source, table: prices.table },
      ...(o.monthlyRequests ? { monthlyRequests: o.monthlyRequests } : {}),
      gate,
      weights: new Map(fixtures.map((f) => [f.id, f.weight ?? 1])),
      ...(judgeMeta ? { judge: { ...judgeMeta, stats: judgeStats! } } : {}),
    });
    // A machine-readable report on stdout (`--json -`) keeps stdout clean: the table goes to stderr.
    const stdoutTaken = [o.json, o.junit, o.markdown, o.html].includes('-');
    const terminal = renderTerminal(report, { color: o.color ?? false, worst: o.worst ?? 5 });
    if (stdoutTaken) (o.err ?? ((t: string) => process.stderr.write(t)))(terminal);
    else out(terminal);
    // The terminal report is out first: a failed file write never loses the results.
    const writeErrors = writeOutputs(report, o, out);
    if (writeErrors.length) return { exitCode: EXIT.USAGE, report, message: `could not write ${writeErrors.join('; ')}` };
    if (outcome.cacheMisses > 0) {
      return { exitCode: EXIT.USAGE, report, message: `${outcome.cacheMisses} cache miss(es) in --replay mode: record the missing responses with --record (or run without --replay), then commit ${cacheDir}` };
    }
    if (outcome.interrupted) return { exitCode: EXIT.INTERRUPTED, report, message: `interrupted: ${report.counts.total} prompt(s) reported, ${report.notRun.length} not run` };
    return { exitCode: report.gate.passed ? EXIT.PASS : EXIT.GATE_FAILED, report };
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  }
}

/** The proxy configuration the candidate runs with: config file (or nova-migrate.config.json), environment, --map. */
async function proxyConfig(o: ParityOptions, env: Record<string, string | undefined>) {
  const { loadConfig, ConfigError } = await import('../proxy/config.js');
  const file = o.config ?? (existsSync('nova-migrate.config.json') ? 'nova-migrate.config.json' : undefined);
  try {
    return loadConfig({ ...(file ? { file } : {}), env, overrides: { port: 0, host: '127.0.0.1', logLevel: 'silent', ...(o.map ? { modelMappings: o.map } : {}) } });
  } catch (err) {
    if (err instanceof ConfigError) throw new ParityUsageError(err.message);
    throw err;
  }
}

/** The AWS SDK client with the default credential chain and the configured region (judge, embeddings). */
async function bedrockClientFor(o: ParityOptions, env: Record<string, string | undefined>, cleanups: Array<() => Promise<void>>): Promise<BedrockTransport> {
  const { createSdkTransport } = await import('../proxy/bedrock/sdk-transport.js');
  const client = createSdkTransport(await proxyConfig(o, env));
  cleanups.push(async () => client.destroy());
  return client;
}

async function buildCandidate(
  o: ParityOptions,
  env: Record<string, string | undefined>,
  transport: BedrockTransport | undefined,
  provider: string,
  label?: string,
): Promise<{ target: Target; novaModel?: (model: string) => NovaModel | undefined; prices?: PriceTable; region?: string }> {
  const { createModelResolver } = await import('../proxy/models.js');
  if (o.candidateUrl && !o.mock) {
    const { urlProxyTarget } = await import('./targets/proxy.js');
    const resolver = createModelResolver({ mappings: o.map ?? {} });
    return {
      target: urlProxyTarget({ url: o.candidateUrl, apiKey: o.candidateApiKey ?? env.NOVA_PROXY_API_KEY, ...(o.map ? { mappings: o.map } : {}), provider }),
      novaModel: (m) => resolver.resolve(o.map?.[m] ?? m)?.model,
    };
  }
  const config = await proxyConfig(o, env);
  const { inProcessProxyTarget } = await import('./targets/proxy.js');
  const target = await inProcessProxyTarget(config, { ...(transport ? { transport } : {}), provider, ...(label ? { label } : {}) });
  const resolver = createModelResolver({ mappings: config.modelMappings, inferenceProfile: config.inferenceProfile, region: config.region, capabilities: config.capabilities });
  return { target, novaModel: (m) => resolver.resolve(m)?.model, prices: config.prices, region: config.region };
}

function checkWritableFile(flag: string, path: string): void {
  const file = resolve(path);
  try {
    if (existsSync(file) && statSync(file).isDirectory()) throw new Error('is a directory');
    checkWritableDir(flag, dirname(file));
  } catch (err) {
    if (err instanceof ParityUsageError) throw err;
    throw new ParityUsageError(`${flag} ${path}: cannot write there (${(err as Error).message})`);
  }
}

function checkWritableDir(flag: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new ParityUsageError(`${flag} ${dir}: cannot write there (${(err as Error).message})`);
  }
}

/** Writes every file output; returns the failures (`--flag path: reason`) instead of throwing. */
function writeOutputs(r: RunReport, o: ParityOptions, out: (t: string) => void): string[] {
  const errors: string[] = [];
  const outputs: Array<[string | undefined, () => string]> = [
    [o.json, () => renderJson(r)],
    [o.junit, () => renderJunit(r)],
    [o.markdown, () => renderMarkdown(r, { worst: o.worst ?? 10 })],
    [o.html, () => renderHtml(r)],
  ];
  for (const [path, render] of outputs) {
    if (!path) continue;
    if (path === '-') {
      out(render());
      continue;
    }
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true });
      writeFileSync(path, render());
    } catch (err) {
      errors.push(`${path}: ${(err as Error).message}`);
    }
  }
  return errors;
}

function stripUndefined<T extends object>(v: T): Partial<T> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Partial<T>;
}

/** Rendering run reports: summary tables, per-file notes, unified diffs, JSON and SARIF. */
import Table from 'cli-table3';
import { createTwoFilesPatch } from 'diff';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunReport } from './runner.js';
import type { FileOutcome } from './process.js';
import type { Site } from './scan/verdicts.js';

const table = (head: string[]) => new Table({ head, style: { head: [], border: [] }, wordWrap: true });

export function summaryTable(r: RunReport, opts: { check?: boolean; dryRun?: boolean } = {}): string {
  const t = table(['', 'files']);
  const changedLabel = r.mode === 'scan' ? undefined : opts.check || opts.dryRun ? 'would change' : 'changed';
  t.push(['scanned', r.counts.scanned]);
  t.push(['not mentioning OpenAI (not parsed)', r.counts.prefilteredOut]);
  t.push(['parsed', r.counts.parsed]);
  if (changedLabel) {
    t.push([changedLabel, r.counts.changed]);
    t.push(['unchanged', r.counts.unchanged]);
  }
  const reasons = new Map<string, number>();
  for (const s of r.skipped) reasons.set(s.reason.split(':')[0]!, (reasons.get(s.reason.split(':')[0]!) ?? 0) + 1);
  t.push(['skipped' + (reasons.size ? ` (${[...reasons].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''), r.counts.skipped]);
  if (r.mode === 'rewrite') {
    t.push(['clients left alone (existing base URL, provider, embeddings…)', r.counts.leftAlone]);
    t.push(['manual work items', r.counts.manual]);
    t.push(['to verify (client handed to code not followed, base URL read)', r.counts.verify]);
  }
  if (r.counts.linked) t.push(['read to follow clients across modules', r.counts.linked]);
  t.push(['errors (parse/write)', r.counts.errors]);
  return t.toString();
}

/** Per-file lines: manual work, skips, errors (and changes when verbose). */
export function findingsText(r: RunReport, verbose = false): string {
  const lines: string[] = [];
  for (const o of r.files) {
    if (o.status === 'parse-error' || o.status === 'error') lines.push(`${o.display}${o.errorLine ? `:${o.errorLine}` : ''}: error: ${o.error} (left untouched)`);
    for (const f of o.findings) {
      if (f.kind === 'changed' && !verbose) continue;
      if (f.kind === 'note' && !verbose) continue;
      lines.push(`${o.display}:${f.line}:${f.column}: ${f.kind}: ${f.what}: ${f.message}`);
    }
  }
  for (const s of r.skipped) lines.push(`${s.display}: skipped: ${s.reason}`);
  return lines.join('\n');
}

export function diffOf(o: FileOutcome): string {
  if (o.status !== 'changed' || o.output === undefined) return '';
  const before = readFileSync(o.path, 'utf8');
  return createTwoFilesPatch(`a/${o.display}`, `b/${o.display}`, before, o.output, undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
}

export function diffs(r: RunReport): string {
  return r.files.map(diffOf).join('');
}

/** Each client with the decision scan and rewrite share. */
export function clientsJson(r: RunReport) {
  const loc = (u: { file: string; line: number; column: number }) => `${u.file}:${u.line}:${u.column}`;
  return r.clients.map((d) => ({
    at: loc(d.loc),
    what: d.what,
    action: d.action,
    uses: d.uses.map((u) => ({ at: loc(u), api: u.api, served: u.served, note: u.note })),
    verify: d.verify.map((v) => ('api' in v ? { at: loc(v), api: v.api, note: v.note } : { at: loc(v), passedTo: v.to })),
  }));
}

export function rewriteJson(r: RunReport, withDiffs = false) {
  return {
    mode: r.mode,
    counts: r.counts,
    clients: clientsJson(r),
    files: r.files
      .filter((o) => o.status !== 'unchanged' || o.findings.length > 0)
      .map((o) => ({ file: o.display, status: o.status, error: o.error, findings: o.findings, ...(withDiffs && o.status === 'changed' ? { diff: diffOf(o) } : {}) })),
    skipped: r.skipped,
    missing: r.missing,
    workers: r.workers,
    durationMs: Math.round(r.durationMs),
  };
}

const VERDICT_LABEL = { works: 'works as is', differences: 'works with differences', unsupported: 'not supported' } as const;

export function sitesTable(sites: Site[]): string {
  const width = Math.max(120, Math.min(process.stdout.columns || 180, 240));
  const longest = (f: (s: Site) => string, cap: number) => Math.min(cap, Math.max(10, ...sites.map((s) => f(s).length)) + 2);
  const fixed = [
    longest((s) => `${s.file}:${s.line}`, 48),
    longest((s) => s.api, 34),
    longest((s) => s.model?.value ?? s.model?.from ?? '', 26),
    longest((s) => s.features.join(', '), 24),
    24,
  ];
  const t = new Table({
    head: ['location', 'api', 'model', 'features', 'verdict', 'notes'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [...fixed, Math.max(30, width - fixed.reduce((a, b) => a + b, 0) - 7)],
  });
  for (const s of sites) {
    const loc = `${s.file}:${s.line}`;
    t.push([
      // Keep the end (file name and line) when the path is too long for the column.
      loc.length > fixed[0]! - 2 ? `…${loc.slice(loc.length - (fixed[0]! - 3))}` : loc,
      `${s.api}${s.confidence === 'likely' ? ' (?)' : ''}`,
      s.model ? (s.model.value ? `${s.model.value}${s.model.from !== 'literal' ? ` (${s.model.from})` : ''}` : s.model.from) : '',
      s.features.join(', '),
      VERDICT_LABEL[s.verdict],
      s.notes.join('; '),
    ]);
  }
  return t.toString();
}

/** Clients that already set a base URL: hard-coded ones first (the issue to fix before migrating). */
export function baseUrlTable(sites: Site[]): string | undefined {
  const withBase = sites.filter((s) => s.baseUrl).sort((a, b) => Number(b.baseUrl!.hardCoded) - Number(a.baseUrl!.hardCoded));
  if (withBase.length === 0) return undefined;
  const t = table(['client with a base URL', 'value', 'hard-coded']);
  for (const s of withBase) t.push([`${s.file}:${s.line}`, s.baseUrl!.text, s.baseUrl!.hardCoded ? 'yes' : 'no']);
  return t.toString();
}

export function scanSummary(sites: Site[]): string {
  const t = table(['verdict', 'sites']);
  for (const v of ['works', 'differences', 'unsupported'] as const) t.push([VERDICT_LABEL[v], sites.filter((s) => s.verdict === v).length]);
  const apis = new Map<string, number>();
  for (const s of sites) {
    const api = s.api.replace(/^\[cell \d+\] /, '');
    const key = s.kind === 'client' ? `new ${api}` : `${s.library}: ${api}`;
    apis.set(key, (apis.get(key) ?? 0) + 1);
  }
  const u = table(['client / call', 'sites']);
  for (const [k, v] of [...apis].sort((a, b) => b[1] - a[1])) u.push([k, v]);
  return `${t.toString()}\n${u.toString()}`;
}

export function scanJson(r: RunReport) {
  return {
    counts: r.counts,
    baseUrls: r.sites.filter((s) => s.baseUrl).map((s) => ({ file: s.file, line: s.line, ...s.baseUrl })),
    verdicts: {
      works: r.sites.filter((s) => s.verdict === 'works').length,
      differences: r.sites.filter((s) => s.verdict === 'differences').length,
      unsupported: r.sites.filter((s) => s.verdict === 'unsupported').length,
    },
    sites: r.sites.map(({ depth: _depth, offset: _offset, ...s }) => s),
    clients: clientsJson(r),
    typeCheck: r.types,
    errors: r.files.filter((o) => o.status === 'parse-error' || o.status === 'error').map((o) => ({ file: o.display, line: o.errorLine, error: o.error })),
    skipped: r.skipped,
    workers: r.workers,
    durationMs: Math.round(r.durationMs),
  };
}

const RULES = {
  'nova-migrate/works': { level: 'note', text: 'OpenAI usage that works through the nova-migrate proxy as is' },
  'nova-migrate/differences': { level: 'warning', text: 'OpenAI usage that works through the proxy with differences' },
  'nova-migrate/unsupported': { level: 'error', text: 'OpenAI usage the proxy does not support' },
  'nova-migrate/parse-error': { level: 'error', text: 'File could not be parsed' },
} as const;

/**
 * Where SARIF artifact URIs are anchored: `cwd` is what the report's display paths are
 * relative to, `root` the directory URIs are made relative to (the git work tree's top,
 * else the cwd), so code-scanning UIs can place results when the scan ran in a subdirectory.
 */
export interface SarifBase {
  cwd: string;
  root: string;
}

const SRCROOT = '%SRCROOT%';

function artifactLocation(display: string, base: SarifBase): { uri: string; uriBaseId?: string } {
  const abs = resolve(base.cwd, display);
  const rel = relative(base.root, abs);
  // Outside the root there is nothing to anchor to: an absolute file URI stands alone.
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(sep).join('/').split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, etc.). */
export function sarif(r: RunReport, version: string, base: SarifBase) {
  const ruleIds = Object.keys(RULES) as (keyof typeof RULES)[];
  const results = r.sites.map((s) => {
    const ruleId = `nova-migrate/${s.verdict}` as const;
    return {
      ruleId,
      ruleIndex: ruleIds.indexOf(ruleId),
      level: RULES[ruleId].level,
      message: {
        text: `${s.library} ${s.api}${s.model?.value ? ` (model ${s.model.value})` : ''}: ${VERDICT_LABEL[s.verdict]}${s.notes.length ? ` — ${s.notes.join('; ')}` : ''}`,
      },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(s.file, base), region: { startLine: Math.max(1, s.line), startColumn: Math.max(1, s.column) } } }],
      properties: { features: s.features, api: s.api, library: s.library, confidence: s.confidence },
    };
  });
  for (const o of r.files) {
    if (o.status !== 'parse-error') continue;
    results.push({
      ruleId: 'nova-migrate/parse-error' as never,
      ruleIndex: ruleIds.indexOf('nova-migrate/parse-error'),
      level: 'error',
      message: { text: `could not parse: ${o.error}` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(o.display, base), region: { startLine: Math.max(1, o.errorLine ?? 1), startColumn: 1 } } }],
      properties: { features: [], api: '', library: '', confidence: 'certain' },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nova-migrate',
            version,
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: RULES[id].text }, defaultConfiguration: { level: RULES[id].level } })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(base.root) } },
        results,
      },
    ],
  };
}

/** A directory's file URI; SARIF requires base URIs to end with a slash. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * `nova-migrate scan | head -1`: once the reader has gone, stop quietly (no stack trace)
 * with the exit code the command has set so far.
 */
const guarded = new WeakSet<NodeJS.WriteStream>();
export function exitQuietlyOnEpipe(stream: NodeJS.WriteStream = process.stdout): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(Number(process.exitCode ?? 0));
  });
}

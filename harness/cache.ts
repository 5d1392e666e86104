/**
 * On-disk response cache, plain JSON files a team can commit. The key is a SHA-256 of the
 * canonical OpenAI request (sorted keys, as written in the fixture, before any translation,
 * never auth headers) plus the target (provider, base URL, model) and the repeat index.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type CacheMode = 'auto' | 'record' | 'replay' | 'off';

export interface CacheTarget {
  provider: string;
  baseURL: string;
  model: string;
}

export interface CacheEntry<T = unknown> {
  version: 1;
  key: string;
  target: CacheTarget;
  request: unknown;
  repeat: number;
  recordedAt: string;
  value: T;
}

export class CacheMissError extends Error {
  override name = 'CacheMissError';
}

/** JSON with object keys sorted at every level; `undefined` members dropped like JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

export function cacheKey(request: unknown, target: CacheTarget, repeat = 0): string {
  return createHash('sha256')
    .update(canonicalJson({ request, target, ...(repeat ? { repeat } : {}) }))
    .digest('hex');
}

export class ResponseCache {
  hits = 0;
  misses = 0;
  writes = 0;

  /** Set after a failed write in `auto` mode: the run continues without caching. */
  writesDisabled = false;

  constructor(
    readonly dir: string,
    readonly mode: CacheMode,
    /** Told once when a write fails in `auto` mode. */
    private readonly onWarn?: (text: string) => void,
  ) {}

  private pathFor(target: CacheTarget, key: string): string {
    const provider = target.provider.replace(/[^a-z0-9._-]/gi, '_');
    return join(this.dir, provider, key.slice(0, 2), `${key}.json`);
  }

  /** The cached value, undefined on a miss (or when reads are off); throws CacheMissError in replay mode. */
  get<T>(request: unknown, target: CacheTarget, repeat = 0): T | undefined {
    if (this.mode === 'off' || this.mode === 'record') return undefined;
    const key = cacheKey(request, target, repeat);
    try {
      const entry = JSON.parse(readFileSync(this.pathFor(target, key), 'utf8')) as CacheEntry<T>;
      this.hits++;
      return entry.value;
    } catch {
      this.misses++;
      if (this.mode === 'replay') throw new CacheMissError(`cache miss in --replay mode (${target.provider} ${target.model}, key ${key.slice(0, 12)})`);
      return undefined;
    }
  }

  set<T>(request: unknown, target: CacheTarget, value: T, repeat = 0): void {
    if (this.mode === 'off' || this.mode === 'replay' || this.writesDisabled) return;
    if (this.mode === 'auto') {
      try {
        this.write(request, target, value, repeat);
      } catch (err) {
        this.writesDisabled = true;
        this.onWarn?.(`warning: cannot write the response cache in ${this.dir} (${(err as Error).message}); continuing without caching`);
      }
      return;
    }
    this.write(request, target, value, repeat);
  }

  private write<T>(request: unknown, target: CacheTarget, value: T, repeat: number): void {
    const key = cacheKey(request, target, repeat);
    const file = this.pathFor(target, key);
    mkdirSync(dirname(file), { recursive: true });
    const entry: CacheEntry<T> = { version: 1, key, target, request, repeat, recordedAt: new Date().toISOString(), value };
    // Write then rename: a run interrupted mid-write never leaves a truncated entry.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(entry, null, 2)}\n`);
    renameSync(tmp, file);
    this.writes++;
  }
}

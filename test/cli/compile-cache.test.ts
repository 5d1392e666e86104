/**
 * proxy/compile-cache.ts: a CommonJS bundle loaded through V8's code cache. The cache is
 * code the process will run, so what matters beyond "it gets faster" is when it is NOT
 * read: someone else's directory, a file that is not a plain file, another bundle's cache.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCacheDir, loadBundle } from '../../proxy/compile-cache.js';

const built = fileURLToPath(new URL('../../dist/proxy/compile-cache.js', import.meta.url));
/**
 * Loads in a fresh process: V8 keeps what an isolate compiled in memory and reuses it for
 * the same source without reading the cache, so only a new process shows what the file does.
 */
function loadFresh(file: string, env: Record<string, string>, nodeArgs: string[] = []): { cache: string; sum: number } {
  const code = `import { loadBundle } from ${JSON.stringify(built)}; const b = loadBundle(${JSON.stringify(file)}); process.stdout.write(JSON.stringify({ cache: b.cache, sum: b.exports.sum })); b.saveCache();`;
  return JSON.parse(execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', code], { env: { ...process.env, ...env }, encoding: 'utf8' })) as { cache: string; sum: number };
}

const work = mkdtempSync(join(tmpdir(), 'nova-compile-cache-'));
let n = 0;
/** A bundle of its own (own directory, own cache directory). */
function bundle(source: string) {
  const dir = join(work, String(n++));
  mkdirSync(dir);
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, source);
  const cacheDir = join(dir, 'cache');
  return { file, cacheDir, env: { NOVA_COMPILE_CACHE: cacheDir } };
}
// Enough functions that the cache is not trivially small, called before it is taken.
const SOURCE = `'use strict';
const path = require('node:path');
function add(a, b) { return a + b; }
function twice(f) { return (x) => f(f(x)); }
exports.sum = twice((x) => add(x, 1))(40);
exports.base = path.basename(__filename);
`;
const isPosix = process.platform !== 'win32';

describe('loadBundle', () => {
  it('runs the bundle as CommonJS (require, __filename, exports), writes the cache once, and uses it next time', () => {
    const b = bundle(SOURCE);
    const first = loadBundle<{ sum: number; base: string }>(b.file, b.env);
    expect(first.exports.sum).toBe(42);
    expect(first.exports.base).toBe('bundle.cjs');
    expect(first.cache).toBe('absent');
    expect(existsSync(b.cacheDir)).toBe(false);
    first.saveCache();
    const files = readdirSync(b.cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^bundle\\.cjs-[0-9a-f]{32}-${process.version.replace(/\./g, '\\.')}-${process.arch}-[0-9a-f]+\\.v8cache$`));
    expect(join(b.cacheDir, files[0]!)).toBe(first.cacheFile);
    if (isPosix) {
      expect(statSync(b.cacheDir).mode & 0o777).toBe(0o700);
      expect(statSync(first.cacheFile!).mode & 0o777).toBe(0o600);
    }
    // Used (and so not written again).
    const before = statSync(first.cacheFile!).mtimeMs;
    expect(loadFresh(b.file, b.env)).toEqual({ cache: 'used', sum: 42 });
    expect(statSync(first.cacheFile!).mtimeMs).toBe(before);
    expect(readdirSync(b.cacheDir)).toHaveLength(1);
  });

  it('keys the cache by the source: a changed bundle of the same length does not read the old cache', () => {
    const b = bundle(SOURCE);
    const first = loadBundle(b.file, b.env);
    first.saveCache();
    writeFileSync(b.file, SOURCE.replace('40', '41'));
    const changed = loadBundle<{ sum: number }>(b.file, b.env);
    expect(changed.cache).toBe('absent');
    expect(changed.exports.sum).toBe(43);
    expect(changed.cacheFile).not.toBe(first.cacheFile);
  });

  it('processes with other V8 flags keep a cache of their own instead of overwriting each other\'s', () => {
    const b = bundle(SOURCE);
    const flags = ['--max-old-space-size=512'];
    expect(loadFresh(b.file, b.env).cache).toBe('absent');
    expect(loadFresh(b.file, b.env, flags).cache).toBe('absent');
    expect(readdirSync(b.cacheDir)).toHaveLength(2);
    expect(loadFresh(b.file, b.env).cache).toBe('used');
    expect(loadFresh(b.file, b.env, flags).cache).toBe('used');
  });

  it('with --enable-source-maps the bundle is required as usual (Node maps only what its loaders compile) and no cache is used', () => {
    const b = bundle(SOURCE);
    expect(loadFresh(b.file, b.env, ['--enable-source-maps'])).toEqual({ cache: 'source-maps', sum: 42 });
    expect(existsSync(b.cacheDir)).toBe(false);
  });

  it('a cache V8 refuses (truncated) is reported as rejected, the bundle still runs, and the cache is rewritten', () => {
    const b = bundle(SOURCE);
    const first = loadBundle(b.file, b.env);
    first.saveCache();
    const whole = readFileSync(first.cacheFile!);
    writeFileSync(first.cacheFile!, whole.subarray(0, whole.length >> 1));
    // Rejected, run from source, and written again whole.
    expect(loadFresh(b.file, b.env)).toEqual({ cache: 'rejected', sum: 42 });
    expect(readFileSync(first.cacheFile!).length).toBeGreaterThan(whole.length >> 1);
    expect(loadFresh(b.file, b.env)).toEqual({ cache: 'used', sum: 42 });
  });

  it.runIf(isPosix)('reads nothing from, and writes nothing to, a directory others can write to', () => {
    const b = bundle(SOURCE);
    const first = loadBundle(b.file, b.env);
    first.saveCache();
    chmodSync(b.cacheDir, 0o777);
    const shared = loadBundle(b.file, b.env);
    expect(shared.cache).toBe('absent');
    const mtime = statSync(first.cacheFile!).mtimeMs;
    shared.saveCache();
    expect(statSync(first.cacheFile!).mtimeMs).toBe(mtime);
    chmodSync(b.cacheDir, 0o700);
    expect(loadFresh(b.file, b.env).cache).toBe('used');
  });

  it.runIf(isPosix)('reads no cache file that others can write to, or that is a symbolic link', () => {
    const b = bundle(SOURCE);
    const first = loadBundle(b.file, b.env);
    first.saveCache();
    chmodSync(first.cacheFile!, 0o666);
    expect(loadBundle(b.file, b.env).cache).toBe('absent');
    // A link to a valid cache elsewhere: still not read.
    const c = bundle(SOURCE);
    mkdirSync(c.cacheDir, { mode: 0o700 });
    chmodSync(first.cacheFile!, 0o600);
    const name = first.cacheFile!.slice(b.cacheDir.length + 1);
    symlinkSync(first.cacheFile!, join(c.cacheDir, name));
    expect(loadBundle(c.file, c.env).cache).toBe('absent');
  });

  it('NOVA_COMPILE_CACHE=off: no cache read or written', () => {
    const b = bundle(SOURCE);
    const off = loadBundle<{ sum: number }>(b.file, { NOVA_COMPILE_CACHE: 'off' });
    expect(off.cache).toBe('off');
    expect(off.cacheFile).toBeUndefined();
    off.saveCache();
    expect(off.exports.sum).toBe(42);
    expect(existsSync(b.cacheDir)).toBe(false);
  });

  it('an unwritable cache location only means no cache', () => {
    const b = bundle(SOURCE);
    // A file where the directory should be.
    writeFileSync(b.cacheDir, 'not a directory');
    const l = loadBundle<{ sum: number }>(b.file, b.env);
    expect(l.cache).toBe('absent');
    expect(() => l.saveCache()).not.toThrow();
    expect(l.exports.sum).toBe(42);
  });

  it('defaults to a per-user directory in the system temporary directory', () => {
    const dir = compileCacheDir({});
    expect(dir!.startsWith(tmpdir())).toBe(true);
    if (process.getuid) expect(dir).toMatch(new RegExp(`nova-migrate-compile-cache-${process.getuid()}$`));
    expect(compileCacheDir({ NOVA_COMPILE_CACHE: '/x/y' })).toBe('/x/y');
    expect(compileCacheDir({ NOVA_COMPILE_CACHE: 'off' })).toBeUndefined();
  });
});

describe('the built serve', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));

  it('start-up bundles are ASCII, so Node reads them as one-byte strings (a single non-ASCII character makes the whole file two-byte: slower to read, hash and parse)', () => {
    const cliBundle = readdirSync(join(root, 'dist', 'cli')).filter((f) => f === 'main.js' || /-[A-Z0-9]{8}\.js$/.test(f));
    expect(cliBundle.length).toBeGreaterThan(1);
    for (const f of ['dist/proxy/serve-bundle.cjs', ...cliBundle.map((f) => `dist/cli/${f}`)]) {
      const text = readFileSync(join(root, f), 'utf8');
      const at = text.search(/[^\x00-\x7f]/);
      expect(at === -1 ? '' : `${f}: …${text.slice(Math.max(0, at - 40), at + 10)}…`).toBe('');
    }
  });

  it('the server bundle has no import() (on Node 20 a script compiled from a code cache loses its dynamic-import callback) and runs in strict mode, as the ES modules it is made of', () => {
    expect(readFileSync(join(root, 'dist/proxy/serve-bundle.cjs'), 'utf8')).not.toMatch(/\bimport\(/);
    // A strict function refuses .caller.
    const code = `import { loadBundle } from ${JSON.stringify(built)}; const f = loadBundle(${JSON.stringify(join(root, 'dist/proxy/serve-bundle.cjs'))}).exports.loadConfig; let strict = false; try { void f.caller; } catch { strict = true; } process.stdout.write(String(strict));`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, NOVA_COMPILE_CACHE: 'off' }, encoding: 'utf8' })).toBe('true');
  });

  it('writes its compile cache after the first API response (not a health probe\'s), and the next start uses it', async () => {
    const { spawn } = await import('node:child_process');
    const { fakeBedrockEnv, startFakeBedrock } = await import('../../mock/fake-bedrock.js');
    const fake = await startFakeBedrock();
    const cacheDir = join(work, 'serve-cache');
    const files = () => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith('.v8cache')) : []);
    const running = new Set<import('node:child_process').ChildProcess>();
    /** Starts serve, makes the requests, stops it with SIGTERM (so a pending write would have run) and returns its debug log's cache state. */
    const serve = async (requests: (url: string) => Promise<void>) => {
      const child = spawn(process.execPath, [join(root, 'bin', 'nova-migrate.js'), 'serve', '--port', '0'], {
        env: { ...process.env, ...fakeBedrockEnv(fake), NOVA_COMPILE_CACHE: cacheDir, NOVA_LOG_LEVEL: 'debug' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      running.add(child);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const exited = new Promise((r) => child.once('exit', r));
      for (let i = 0; i < 400 && !/listening on http/.test(out); i++) await new Promise((r) => setTimeout(r, 25));
      await requests(/listening on (http:\/\/\S+)/.exec(out)![1]!);
      child.kill('SIGTERM');
      await exited;
      running.delete(child);
      return (/"compileCache":"([a-z-]+)"/.exec(out) ?? [])[1];
    };
    const chat = async (url: string) => {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
    };
    try {
      // A health probe is not what the cache waits for.
      expect(await serve(async (url) => void (await fetch(`${url}/health`)).text())).toBe('absent');
      expect(files()).toEqual([]);
      expect(await serve(chat)).toBe('absent');
      expect(files()).toHaveLength(1);
      const written = statSync(join(cacheDir, files()[0]!)).mtimeMs;
      const used = await serve(async (url) => {
        await chat(url);
        // What the bundle loads from outside itself on demand (js-tiktoken, for token-array input), in a start that used the cache.
        const emb = await fetch(`${url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'amazon.titan-embed-text-v2:0', input: [[9906, 1917]] }) });
        expect(emb.status).toBe(200);
      });
      expect(used).toBe('used');
      expect(files()).toHaveLength(1);
      expect(statSync(join(cacheDir, files()[0]!)).mtimeMs).toBe(written);
    } finally {
      for (const c of running) c.kill('SIGKILL');
      await fake.close();
    }
  });
});

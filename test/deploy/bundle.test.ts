/**
 * The Lambda package as Lambda would run it: build with deploy/build-lambda.mjs, unzip
 * into an empty directory outside the repo (like /var/task: no node_modules, no
 * package.json), import it in a fresh Node process with the runtime's globals simulated,
 * and handle events. Catches anything the bundle still expects to find on disk.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

/** Reads a zip's entries from its central directory (what Lambda's unzip relies on). */
function unzip(buf: Buffer): Map<string, Buffer> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + csize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    out.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const DRIVER = `
import { Writable } from 'node:stream';
Object.assign(process.env, { AWS_LAMBDA_FUNCTION_NAME: 'bundle-test', AWS_REGION: 'us-east-1', NOVA_ALLOW_NO_AUTH: 'true', NOVA_LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' });
const emf = [];
const origWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = (c, ...r) => (String(c).includes('"_aws"') ? (emf.push(String(c)), true) : origWrite(c, ...r));
globalThis.awslambda = { streamifyResponse: (f) => f, HttpResponseStream: { from(s, p) { s.prelude = p; return s; } } };
const mod = await import(process.argv[2]);
const results = [];
for (const [method, path] of [['GET', '/health'], ['GET', '/nope']]) {
  let body = '';
  const out = new Writable({ write(c, e, cb) { body += c; cb(); } });
  await mod.handler({ version: '2.0', rawPath: path, headers: {}, requestContext: { http: { method, sourceIp: '10.0.0.1' }, requestId: 'req-' + path } }, out, {});
  results.push({ prelude: out.prelude, body: JSON.parse(body) });
}
const buffered = await mod.bufferedHandler({ httpMethod: 'GET', path: '/health', headers: {}, requestContext: { requestId: 'b1' } });
origWrite(JSON.stringify({ results, buffered: { statusCode: buffered.statusCode }, emf: emf.length, streaming: typeof mod.handler === 'function' && mod.handler !== mod.bufferedHandler }));
`;

describe('Lambda bundle (deploy/build-lambda.mjs)', () => {
  it('is small, zips correctly and runs from an empty directory', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'nova-lambda-build-'));
    const mod = (await import(pathToFileURL(join(process.cwd(), 'deploy', 'build-lambda.mjs')).href)) as {
      buildLambda: (o: { outDir: string }) => Promise<{ zipPath: string; zipBytes: number; bundleBytes: number }>;
    };
    const info = await mod.buildLambda({ outDir });
    // Issue 13's budget for the handler file: under 1.3 MB unzipped.
    expect(info.bundleBytes).toBeLessThan(1_331_200);
    expect(info.zipBytes).toBeLessThan(info.bundleBytes);

    const files = unzip(readFileSync(info.zipPath));
    // The handler, and the embeddings tokenizer beside it (loaded only for token-array inputs).
    expect([...files.keys()].sort()).toEqual(['lambda.mjs', 'tokenizer/cl100k_base.mjs', 'tokenizer/lite.mjs']);
    const task = mkdtempSync(join(tmpdir(), 'nova-var-task-'));
    for (const [name, data] of files) {
      mkdirSync(dirname(join(task, name)), { recursive: true });
      writeFileSync(join(task, name), data);
    }
    expect(readdirSync(task).sort()).toEqual(['lambda.mjs', 'tokenizer']);
    const driver = join(mkdtempSync(join(tmpdir(), 'nova-driver-')), 'driver.mjs');
    writeFileSync(driver, DRIVER);
    const stdout = execFileSync(process.execPath, [driver, pathToFileURL(join(task, 'lambda.mjs')).href], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH } });
    const r = JSON.parse(stdout);
    expect(r.streaming).toBe(true);
    expect(r.results[0].prelude.statusCode).toBe(200);
    expect(r.results[0].body).toMatchObject({ status: 'ok', version: JSON.parse(readFileSync('package.json', 'utf8')).version });
    expect(r.results[1].prelude.statusCode).toBe(404);
    expect(r.results[1].body.error).toMatchObject({ type: 'invalid_request_error', code: 'unknown_url' });
    expect(r.buffered.statusCode).toBe(200);
    // EMF lines went to stdout (the 404 counts; /health does not).
    expect(r.emf).toBe(1);
  }, 60_000);
});

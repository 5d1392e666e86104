#!/usr/bin/env node
// Bundles the Lambda entry (proxy/lambda.ts) with esbuild — one minified ESM file, every
// dependency inlined — and writes it into deploy/dist/lambda.zip as `lambda.mjs` (handler
// `lambda.handler`), with the embeddings tokenizer beside it in `tokenizer/` (loaded only
// for inputs given as token arrays).
//
// prom-client stays out: Lambda uses the EMF sink; the Prometheus sink is replaced by a
// stub (an external import would become a static import of a package /var/task lacks).
// So does the AWS SDK transport (`bedrockTransport: "sdk"`): the function calls Bedrock
// through the direct transport, and the SDK client would add ~70 KB to every cold start.
// bowser (a browser user-agent parser the SDK imports lazily, never on Node) is left out.
// Credentials come from the environment, where the Lambda runtime puts the execution role's
// (the default chain's first link, and the one it uses on Lambda): the chain's other
// providers — SSO, profiles, STS web identity, instance metadata — and the SDK clients they
// carry are left out.
//
// Usage: node deploy/build-lambda.mjs [--out DIR] [--sourcemap]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {{ outDir?: string, sourcemap?: boolean, entry?: string }} [opts] */
export async function buildLambda(opts = {}) {
  const outDir = resolve(opts.outDir ?? join(root, 'deploy', 'dist'));
  const entry = opts.entry ?? [join(root, 'proxy', 'lambda.ts'), join(root, 'dist', 'proxy', 'lambda.js')].find((p) => existsSync(p));
  if (!entry) throw new Error('cannot find proxy/lambda.ts or dist/proxy/lambda.js to bundle');
  const started = performance.now();
  // What both bundles (the handler and the tokenizer beside it) are built with.
  const bundleOptions = {
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    legalComments: 'none',
    logLevel: 'warning',
  };
  const result = await build({
    ...bundleOptions,
    entryPoints: { lambda: entry },
    sourcemap: opts.sourcemap ? 'external' : false,
    // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    metafile: true,
    plugins: [inlineVersion, noPrometheus, noSdkTransport, lambdaCredentials, lazyTokenizer, notInBundle(fastifyUnused)],
    external: ['bowser'],
  });
  // The tokenizer (js-tiktoken and its 1 MB cl100k_base table), which decodes embeddings
  // inputs given as token arrays, in files of its own: loaded on the first such request only.
  const tokenizer = await build({
    ...bundleOptions,
    entryPoints: { 'tokenizer/lite': 'js-tiktoken/lite', 'tokenizer/cl100k_base': 'js-tiktoken/ranks/cl100k_base' },
    absWorkingDir: root,
  });
  const files = [...result.outputFiles, ...tokenizer.outputFiles].map((f) => ({ name: f.path.slice(outDir.length + 1), data: Buffer.from(f.contents) }));
  await mkdir(join(outDir, 'tokenizer'), { recursive: true });
  const zip = makeZip(files);
  await mkdir(outDir, { recursive: true });
  for (const f of files) await writeFile(join(outDir, f.name), f.data);
  const zipPath = join(outDir, 'lambda.zip');
  await writeFile(zipPath, zip);
  const info = {
    zipPath,
    zipBytes: zip.length,
    /** lambda.mjs: everything a cold start and an ordinary request load. */
    bundleBytes: files.find((f) => f.name === 'lambda.mjs')?.data.length ?? 0,
    /** Every file in the package, the tokenizer included. */
    packageBytes: files.reduce((n, f) => n + f.data.length, 0),
    files: files.map((f) => f.name),
    sha256: createHash('sha256').update(zip).digest('hex'),
    buildMs: Math.round(performance.now() - started),
    inputs: topInputs(result.metafile),
  };
  await writeFile(join(outDir, 'build-info.json'), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/**
 * proxy/version.ts reads ../package.json at run time; in /var/task there is none. The
 * bundle gets the version as a constant instead.
 */
export const inlineVersion = {
  name: 'inline-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]proxy[\\/]version\.(ts|js)$/ }, async () => {
      const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
      return { contents: `export const VERSION = ${JSON.stringify(version)};`, loader: 'js' };
    });
  },
};

/**
 * What Fastify requires only on use, and this app never uses: its default schema compilers
 * (the app brings its own, proxy/routes/response-serializers.ts: generated serialisers, no
 * request-validation schemas, hence no Ajv) and inject()'s light-my-request.
 */
export const fastifyUnused = ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'light-my-request'];

/** Packages replaced by a module that fails with a clear message if it is ever required (/var/task has no node_modules to find them in). */
export function notInBundle(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'not-in-bundle',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'not-in-bundle' }));
      b.onLoad({ filter: /.*/, namespace: 'not-in-bundle' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in the Lambda bundle`)});`,
        loader: 'js',
      }));
    },
  };
}

/** The Prometheus sink (and prom-client with it) is server-mode only. */
export const noPrometheus = {
  name: 'no-prometheus',
  setup(b) {
    // Matched on the importer too: the plugin imports it as './prometheus.js'.
    b.onResolve({ filter: /prometheus\.js$/ }, (args) =>
      /[\\/]observability[\\/]prometheus\.js$/.test(join(args.resolveDir, args.path)) ? { path: args.path, namespace: 'no-prometheus' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-prometheus' }, () => ({
      contents: "export function createPrometheusSink() { throw new Error('Prometheus metrics are not in the Lambda bundle: use NOVA_METRICS=emf'); }",
      loader: 'js',
    }));
  },
};

/** The SDK transport is server-only; on Lambda `bedrockTransport: "sdk"` fails at init with a clear message. */
export const noSdkTransport = {
  name: 'no-sdk-transport',
  setup(b) {
    b.onResolve({ filter: /sdk-transport\.js$/ }, (args) =>
      /[\\/]bedrock[\\/]sdk-transport\.js$/.test(join(args.resolveDir, args.path)) ? { path: args.path, namespace: 'no-sdk-transport' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-sdk-transport' }, () => ({
      contents:
        "export function createSdkTransport() { throw new Error('The AWS SDK transport is not in the Lambda bundle: use bedrockTransport direct (the default) on Lambda, or run the server.'); }",
      loader: 'js',
    }));
  },
};

/** On Lambda the default chain resolves from the environment: only that provider is bundled. */
export const lambdaCredentials = {
  name: 'lambda-credentials',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-providers$/ }, (args) => ({ path: args.path, namespace: 'lambda-credentials', pluginData: args.resolveDir }));
    b.onLoad({ filter: /.*/, namespace: 'lambda-credentials' }, (args) => ({
      contents: "export { fromEnv as fromNodeProviderChain } from '@aws-sdk/credential-provider-env';",
      loader: 'js',
      resolveDir: args.pluginData,
    }));
  },
};

/** js-tiktoken stays out of lambda.mjs: imported at run time from ./tokenizer/ (built separately above). */
export const lazyTokenizer = {
  name: 'lazy-tokenizer',
  setup(b) {
    b.onResolve({ filter: /^js-tiktoken\/(lite|ranks\/cl100k_base)$/ }, (args) => ({ path: `./tokenizer/${args.path.split('/').pop()}.mjs`, external: true }));
  },
};

/** Largest contributors by package, for size work. */
function topInputs(metafile) {
  const byPkg = new Map();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1] : 'nova-migrate';
    byPkg.set(key, (byPkg.get(key) ?? 0) + input.bytes);
  }
  return [...byPkg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([pkg, bytes]) => ({ pkg, inputBytes: bytes }));
}

// ---- minimal zip writer (deflate, no zip64): enough for a Lambda deployment package.
const crc32 =
  zlib.crc32 ??
  (() => {
    const table = new Int32Array(256).map((_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c;
    });
    return (buf) => {
      let c = -1;
      for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
      return (c ^ -1) >>> 0;
    };
  })();

/** @param {{ name: string, data: Buffer }[]} files */
export function makeZip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  // 1980-01-01 00:00: fixed, so the same bundle gives the same zip (and the same S3 key).
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const deflated = zlib.deflateRawSync(f.data, { level: 9 });
    const useDeflate = deflated.length < f.data.length;
    const body = useDeflate ? deflated : f.data;
    const crc = crc32(f.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(useDeflate ? 8 : 0, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode bits below count
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(useDeflate ? 8 : 0, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100644 << 16) >>> 0), 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const centralBuf = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBuf, end]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const info = await buildLambda({ outDir: outIdx >= 0 ? args[outIdx + 1] : undefined, sourcemap: args.includes('--sourcemap') });
  process.stdout.write(
    `lambda.mjs: ${(info.bundleBytes / 1024).toFixed(0)} KiB, ${(info.packageBytes / 1024).toFixed(0)} KiB in all, zip ${(info.zipBytes / 1024).toFixed(0)} KiB → ${info.zipPath} (${info.buildMs} ms)\n`,
  );
}

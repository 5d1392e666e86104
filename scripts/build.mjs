// Transpiles the TypeScript sources to dist/ without bundling (one output file per
// source file), so `bin/nova-migrate.js` starts from plain JavaScript: no loader, and
// the CLI loads only the modules a command needs. Type checking is `npm run typecheck`.
//
// Then `serve`'s entry (proxy/serve-entry.ts) is bundled with its dependencies into one
// CommonJS file, loaded through V8's code cache (proxy/compile-cache.ts) by the small module
// written over the entry's transpiled copy: Node reads one file instead of several hundred
// modules, and from the second start on compiles almost nothing.
import { build } from 'esbuild';
import { glob } from 'tinyglobby';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { cliImportsAsIs, yargsBundleFixes } from './yargs-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entryPoints = await glob(['{proxy,codemods,harness,cli,mock,bench,deploy}/**/*.ts'], {
  cwd: root,
  ignore: ['**/*.test.ts', '**/__testfixtures__/**', '**/*.d.ts'],
  absolute: true,
});
await build({
  absWorkingDir: root,
  entryPoints,
  outbase: root,
  outdir: join(root, 'dist'),
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});

const { inlineVersion, fastifyUnused } = await import('../deploy/build-lambda.mjs');
// What both start-up bundles (the server's and the CLI entry's) share.
const startupBundle = {
  absWorkingDir: root,
  bundle: true,
  // Smaller source is faster to read and parse at start-up; the linked source map keeps stack traces readable.
  minify: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};
// Chunk names carry content hashes: clear the previous build's (and the server's chunks of builds before it was one file).
await rm(join(root, 'dist', 'proxy', 'serve-chunks'), { recursive: true, force: true });
for (const f of await readdir(join(root, 'dist', 'cli'))) if (/-[A-Z0-9]{8}\.js(\.map)?$/.test(f)) await rm(join(root, 'dist', 'cli', f));
// One CommonJS file, so that proxy/compile-cache.ts can load it through V8's code cache
// (Node 20 has no code cache for ES modules). What is imported on demand (the SDK transport,
// metrics sinks, the credential providers, --mock's fake) is in it too, but runs only when
// imported; with the cache warm, code that never runs costs only its bytes' reading.
await build({
  ...startupBundle,
  format: 'cjs',
  entryPoints: { 'serve-bundle': join(root, 'proxy', 'serve-entry.ts') },
  outdir: join(root, 'dist', 'proxy'),
  outExtension: { '.js': '.cjs' },
  // import() of what stays outside (js-tiktoken) becomes require(): on Node 20 a script
  // compiled from a code cache has lost its dynamic-import callback.
  supported: { 'dynamic-import': false },
  // mock/spec/bedrock-model.ts finds the specs from its own location: the bundle's.
  define: { 'import.meta.url': '__nmBundleUrl' },
  // The banner comes before esbuild's own "use strict", which would then no longer be a directive.
  banner: { js: `"use strict";var __nmBundleUrl=require('node:url').pathToFileURL(__filename).href;` },
  plugins: [inlineVersion],
  // Fastify requires these only when used: the app brings its own schema compilers
  // (proxy/routes/response-serializers.ts) and serve never calls inject(). js-tiktoken's
  // 1 MB table is read on the first embeddings request given token arrays, from the package.
  external: [...fastifyUnused, 'js-tiktoken', 'js-tiktoken/*'],
});
// The CLI imports dist/proxy/serve-entry.js: it becomes the bundle's loader.
await writeFile(
  join(root, 'dist', 'proxy', 'serve-entry.js'),
  `// Written by scripts/build.mjs: serve's bundle, loaded through the compile cache.
import { fileURLToPath } from 'node:url';
import { loadBundle } from './compile-cache.js';
const bundle = loadBundle(fileURLToPath(new URL('./serve-bundle.cjs', import.meta.url)));
export const { loadConfig, ConfigError } = bundle.exports;
/** Writes the compile cache once the server has answered its first API request. */
export const runServer = (config, opts = {}) =>
  bundle.exports.runServer(config, { onFirstResponse: bundle.saveCache, compileCache: { state: bundle.cache, file: bundle.cacheFile }, ...opts });
`,
);

await build({
  ...startupBundle,
  format: 'esm',
  entryPoints: { main: join(root, 'cli', 'main.ts') },
  outdir: join(root, 'dist', 'cli'),
  // yargs in a chunk of its own, which `serve`'s usual command lines never load (cli/fast-args.ts).
  splitting: true,
  // Beside main.js: the handlers' imports of dist/ files are written relative to it.
  chunkNames: '[name]-[hash]',
  plugins: [cliImportsAsIs(root, ['./yargs-cli.js']), yargsBundleFixes],
});

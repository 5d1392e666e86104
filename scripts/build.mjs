// Transpiles the TypeScript sources to dist/ without bundling (one output file per
// source file), so `bin/nova-migrate.js` starts from plain JavaScript: no loader, and
// the CLI loads only the modules a command needs. Type checking is `npm run typecheck`.
//
// Then `serve`'s entry (proxy/serve-entry.ts) is bundled over its transpiled copy, with its
// dependencies: Node loads a handful of files instead of several hundred modules, which is
// most of the server's start-up time. Parts loaded on demand (the SDK transport, metrics
// sinks, the credential providers, --mock's fake) stay separate chunks, loaded when used.
import { build } from 'esbuild';
import { glob } from 'tinyglobby';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { rm } from 'node:fs/promises';
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
// Chunk names carry content hashes: clear the previous build's.
await rm(join(root, 'dist', 'proxy', 'serve-chunks'), { recursive: true, force: true });
// What both start-up bundles (the server's and the CLI entry's) share.
const startupBundle = {
  absWorkingDir: root,
  bundle: true,
  // Smaller source is faster to read and parse at start-up; the linked source map keeps stack traces readable.
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};
await build({
  ...startupBundle,
  entryPoints: { 'serve-entry': join(root, 'proxy', 'serve-entry.ts') },
  outdir: join(root, 'dist', 'proxy'),
  chunkNames: 'serve-chunks/[name]-[hash]',
  splitting: true,
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import{createRequire as __nmCreateRequire}from'node:module';const require=__nmCreateRequire(import.meta.url);" },
  plugins: [inlineVersion],
  // Fastify requires these only when used: the app brings its own schema compilers
  // (proxy/routes/response-serializers.ts) and serve never calls inject(). Left out of the
  // bundle they cost nothing to parse; installed beside it, they still load if ever required.
  external: fastifyUnused,
});

await build({
  ...startupBundle,
  entryPoints: { main: join(root, 'cli', 'main.ts') },
  outdir: join(root, 'dist', 'cli'),
  plugins: [cliImportsAsIs(root), yargsBundleFixes],
});

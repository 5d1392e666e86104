// Transpiles the TypeScript sources to dist/ without bundling (one output file per
// source file), so `bin/nova-migrate.js` starts from plain JavaScript: no loader, and
// the CLI loads only the modules a command needs. Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { glob } from 'tinyglobby';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

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

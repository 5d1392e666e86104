// `npm run docs`: rewrites the generated parts of README.md and docs/*.md — the CLI option
// tables, from the yargs definitions in cli/commands, and the model tables, from
// proxy/models.ts (see scripts/docs.ts). The sources are transpiled first
// (scripts/build.mjs), so the tables describe the code as it is now.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import('./build.mjs');
await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'scripts/docs.ts')],
  outdir: join(root, 'dist/scripts'),
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
const docs = await import(pathToFileURL(join(root, 'dist/scripts/docs.js')).href);
const { commands } = await import(pathToFileURL(join(root, 'dist/cli/commands/index.js')).href);

const problems = [];
const found = new Set();
for (const { page, before, after } of await docs.regenerate(root, commands)) {
  problems.push(...docs.markerProblems(before).map((p) => `${page}: ${p}`));
  for (const s of docs.findSections(after)) found.add(s.id);
  if (after !== before) {
    writeFileSync(join(root, page), after);
    console.log(`updated ${page}`);
  }
}
problems.push(...docs.coverageProblems(await docs.generatedSections(root, commands), found));
for (const p of problems) console.error(p);
if (problems.length) process.exitCode = 1;
else console.log('generated tables are up to date');

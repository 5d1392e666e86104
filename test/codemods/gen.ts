// Dev helper (not a test): writes `<case>.output.*` for fixtures that lack one (all with --all),
// printing them for review before they become the expected output. Run with:
//   npx esbuild test/codemods/gen.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=node_modules/.cache/codemods-gen.mjs && node node_modules/.cache/codemods-gen.mjs
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingLine, transformFixture } from './fixture-support.js';
for (const transform of readdirSync('codemods/__testfixtures__')) {
  const dir = join('codemods/__testfixtures__', transform);
  for (const f of readdirSync(dir).filter((f) => f.includes('.input.'))) {
    const out = join(dir, f.replace('.input.', '.output.'));
    if (existsSync(out) && !process.argv.includes('--all')) continue;
    const r = transformFixture(transform, dir, f);
    writeFileSync(out, r.output ?? readFileSync(join(dir, f), 'utf8'));
    writeFileSync(join(dir, `${f.split('.input.')[0]}.findings.json`), JSON.stringify(r.findings.map(findingLine), null, 2) + '\n');
    console.log(`===== ${transform}/${f}\n${r.output ?? '(unchanged)'}`);
    for (const x of r.findings) console.log(`  ${x.line}:${x.column} ${x.kind} ${x.what}: ${x.message}`);
  }
}

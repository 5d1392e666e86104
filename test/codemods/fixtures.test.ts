import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { findingLine, transformFixture } from './fixture-support.js';

const root = 'codemods/__testfixtures__';

for (const transform of readdirSync(root)) {
  const dir = join(root, transform);
  describe(`fixtures: ${transform}`, () => {
    for (const input of readdirSync(dir).filter((f) => f.includes('.input.'))) {
      const outputFile = join(dir, input.replace('.input.', '.output.'));
      it(input, () => {
        expect(existsSync(outputFile), `missing ${outputFile}`).toBe(true);
        const source = readFileSync(join(dir, input), 'utf8');
        const expected = readFileSync(outputFile, 'utf8');
        const result = transformFixture(transform, dir, input);
        expect(result.output ?? source).toBe(expected);
        // What the run reports (changes, manual work, skips) is part of the contract too.
        const findingsFile = join(dir, `${input.split('.input.')[0]}.findings.json`);
        expect(existsSync(findingsFile), `missing ${findingsFile}`).toBe(true);
        expect(result.findings.map(findingLine)).toEqual(JSON.parse(readFileSync(findingsFile, 'utf8')));
        // Every change is reported, and nothing is reported as changed when the file is untouched.
        expect(result.findings.some((f) => f.kind === 'changed')).toBe(result.output !== undefined);
        // Idempotent: running on the output changes nothing.
        const again = transformFixture(transform, dir, input.replace('.input.', '.output.'), expected);
        expect(again.output).toBeUndefined();
        expect(again.findings.filter((f) => f.kind === 'changed')).toEqual([]);
      });
    }
  });
}

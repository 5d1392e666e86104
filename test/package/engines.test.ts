import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import semver from 'semver';

// What users install with the package must run on every Node version package.json promises:
// a dependency that needs a newer Node (a new major, or a transitive bump such as
// light-my-request 6.8 → cookie 2, Node ≥ 22) fails here instead of in a user's EBADENGINE.
const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } | string[] }>;
};

describe('engines', () => {
  it('declares a Node range that includes the Lambda runtime (nodejs22.x) and this machine', () => {
    expect(semver.validRange(pkg.engines.node)).toBeTruthy();
    expect(semver.satisfies('22.12.0', pkg.engines.node)).toBe(true);
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });

  it('every production dependency supports every Node version the package declares', () => {
    const misfits: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path || entry.dev || Array.isArray(entry.engines)) continue;
      const range = entry.engines?.node;
      if (range && !semver.subset(pkg.engines.node, range)) misfits.push(`${path}@${entry.version} needs node ${range}`);
    }
    expect(misfits).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { anchors, codeBlocks, links, novaMigrateCommands, shellWords } from './markdown.js';

describe('markdown helpers for the docs tests', () => {
  it('anchors follow GitHub: code and punctuation dropped, duplicates numbered', () => {
    const a = anchors('# A\n## `nova-migrate serve`\n## Quick start (no credentials)\n## 8. With a real AWS account\n## Notes\n## Notes\n```\n# not a heading\n```\n');
    expect([...a]).toEqual(['a', 'nova-migrate-serve', 'quick-start-no-credentials', '8-with-a-real-aws-account', 'notes', 'notes-1']);
  });

  it('links outside code only', () => {
    expect(links('see [x](docs/a.md#b) and `[y](no.md)`\n```\n[z](no.md)\n```\n[w](#c)').map((l) => l.target)).toEqual(['docs/a.md#b', '#c']);
  });

  it('code blocks keep their info string', () => {
    expect(codeBlocks('text\n```bash step:scan\nnpx a\n```\n````md\n```\ninner\n```\n````\n')).toEqual([
      { info: 'bash step:scan', lang: 'bash', text: 'npx a', line: 2 },
      { info: 'md', lang: 'md', text: '```\ninner\n```', line: 5 },
    ]);
  });

  it('shell words: quotes, escapes, continuations, and a stop at operators and comments', () => {
    expect(shellWords(`parity --fixtures 'a b' --markdown "$X" # comment`)).toEqual(['parity', '--fixtures', 'a b', '--markdown', '$X']);
    expect(shellWords('scan --json > out.json')).toEqual(['scan', '--json']);
    expect(shellWords('rewrite --dry-run | head')).toEqual(['rewrite', '--dry-run']);
    expect(shellWords('parity \\\n  --mock')).toEqual(['parity', '--mock']);
    expect(shellWords('a=b#c d')).toEqual(['a=b#c', 'd']);
  });

  it('finds nova-migrate invocations in shell and YAML blocks, not in output or comments', () => {
    const md = [
      '```bash',
      'npx nova-migrate scan ./src   # table',
      '# nova-migrate scan is not run here',
      'X=1 npx nova-migrate parity \\',
      '  --fixtures f --mock',
      '```',
      '```yaml',
      '- run: npx nova-migrate rewrite --check',
      '```',
      '```',
      'nova-migrate-proxy-prod: created',
      '```',
    ].join('\n');
    expect(novaMigrateCommands(md).map((c) => c.argv)).toEqual([
      ['scan', './src'],
      ['parity', '--fixtures', 'f', '--mock'],
      ['rewrite', '--check'],
    ]);
  });
});

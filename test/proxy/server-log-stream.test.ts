/**
 * The server's log stream: lines are held until ~4 KB have gathered, a flush, or a quarter
 * of a second, and nothing is lost or reordered on the way to the file descriptor.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverLogStream } from '../../proxy/server.js';

describe('serverLogStream', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nm-log-'));
    dirs.push(dir);
    const path = join(dir, 'out.log');
    return { path, fd: openSync(path, 'w') };
  };

  it('holds lines until 4 KB have gathered, then writes them in one go; flushSync writes the rest', () => {
    const { path, fd } = file();
    const s = serverLogStream(fd);
    const line = `${JSON.stringify({ msg: 'x'.repeat(90) })}\n`;
    let n = 0;
    while ((n + 1) * line.length < 4096) (s.write(line), n++);
    expect(readFileSync(path, 'utf8')).toBe('');
    s.write(line);
    expect(readFileSync(path, 'utf8')).toBe(line.repeat(n + 1));
    s.write('{"tail":"é ✓"}\n');
    s.flushSync();
    expect(readFileSync(path, 'utf8')).toBe(`${line.repeat(n + 1)}{"tail":"é ✓"}\n`);
    closeSync(fd);
  });

  it('writes what it holds within a quarter of a second', async () => {
    const { path, fd } = file();
    const s = serverLogStream(fd);
    s.write('{"one":1}\n');
    expect(readFileSync(path, 'utf8')).toBe('');
    for (let i = 0; i < 40 && readFileSync(path, 'utf8') === ''; i++) await new Promise((r) => setTimeout(r, 25));
    expect(readFileSync(path, 'utf8')).toBe('{"one":1}\n');
    closeSync(fd);
  });
});

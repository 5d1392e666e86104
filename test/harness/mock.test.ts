/**
 * The README quick start: `parity --fixtures fixtures --mock` over the in-process proxy and
 * the fake Bedrock, with the CLI entry point, every output format and the HTML render check.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runParityCommand } from '../../harness/parity.js';
import { runCli } from '../support/cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'parity-mock-'));
// Visible in the default reporter too, so a skipped render check is never silent.
if (!existsSync(CHROMIUM)) console.warn(`[parity] HTML render check SKIPPED: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH or apt-get install -y chromium)`);

const cli = (args: string[]) => runCli(args);

afterEach(() => vi.restoreAllMocks());

describe('parity --mock', () => {
  it('runs the shipped fixtures end to end in seconds, passes the gate and marks every output as mock', async () => {
    const files = { json: join(work, 'r.json'), junit: join(work, 'r.xml'), markdown: join(work, 'r.md'), html: join(work, 'r.html') };
    let printed = '';
    const started = Date.now();
    const r = await runParityCommand({ fixtures: 'fixtures', mock: true, env: {}, ...files, out: (t) => void (printed += t) });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.exitCode).toBe(0);
    const rep = r.report!;
    expect(rep.verdict.decision).toBe('ship');
    expect(rep.mock).toBe(true);
    expect(rep.counts.total).toBeGreaterThanOrEqual(20);
    expect(rep.passRate).toBeGreaterThanOrEqual(0.9);
    // Every kind of comparison ran.
    expect(new Set(rep.prompts.map((p) => p.kind))).toEqual(new Set(['text', 'classification', 'json', 'tools']));
    // Candidate calls went through the proxy: priced with the Bedrock ID it reports.
    expect(rep.prompts.every((p) => p.samples[0]!.candidate.pricedModel?.startsWith('amazon.nova-'))).toBe(true);
    const image = rep.prompts.find((p) => p.tags.includes('image'))!;
    expect(image.samples[0]!.candidate.ok).toBe(true);
    const streamed = rep.prompts.filter((p) => p.streamed);
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.every((p) => p.samples[0]!.candidate.ttftMs! > 0 && p.samples[0]!.baseline.ttftMs! > 0)).toBe(true);
    // `seed` is flagged before the run.
    expect(rep.prompts.find((p) => p.id === 'chat-system-release-notes')!.diffs.map((d) => d.param)).toContain('seed');

    expect(printed).toMatch(/MOCK RUN/);
    expect(printed).toMatch(/This was a mock run/);
    expect(JSON.parse(readFileSync(files.json, 'utf8')).mock).toBe(true);
    expect(readFileSync(files.junit, 'utf8')).toMatch(/<testsuites name="nova-migrate parity \(MOCK\)"/);
    expect(readFileSync(files.markdown, 'utf8')).toMatch(/\(MOCK RUN\)/);
    expect(readFileSync(files.html, 'utf8')).toMatch(/id="mock-banner"/);
  });

  it.skipIf(!existsSync(CHROMIUM))(`the HTML report renders in headless Chromium${existsSync(CHROMIUM) ? '' : ` (SKIPPED: no Chromium at ${CHROMIUM}; set CHROMIUM_PATH or apt-get install chromium)`}`, async () => {
    const html = join(work, 'render.html');
    await runParityCommand({ fixtures: 'fixtures', mock: true, env: {}, html, out: () => {}, tags: ['classification', 'streaming', 'chat'] });
    // A recorded baseline: no live latency on that side.
    const recorded = join(work, 'recorded.html');
    await runParityCommand({ fixtures: 'fixtures', mock: true, baseline: 'recorded', env: {}, html: recorded, out: () => {}, tags: ['classification'] });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      // Self-contained: any network request is a failure.
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (errors.push(`network: ${route.request().url()}`), route.abort())));
      await page.goto(`file://${html}`);
      expect(errors).toEqual([]);
      expect(await page.locator('#mock-banner').isVisible()).toBe(true);
      expect(await page.locator('#verdict').textContent()).toMatch(/SHIP/);
      expect(await page.locator('figure.chart svg').count()).toBe(3);
      const box = await page.locator('figure.chart svg').first().boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(await page.locator('figure.chart circle').count()).toBeGreaterThan(0);
      // Every prompt is expandable, passing ones included, each with a word diff of the two answers.
      const prompts = await page.locator('details.prompt').count();
      expect(prompts).toBeGreaterThan(3);
      expect(await page.locator('details.prompt[data-status="pass"]').count()).toBeGreaterThan(0);
      expect(await page.locator('details.prompt pre.diff').count()).toBe(prompts);
      expect(await page.locator('pre.diff ins, pre.diff del').count()).toBeGreaterThan(0);
      await page.click('button[data-f="open"]');
      expect(await page.locator('details.prompt[open]').count()).toBe(prompts);
      const firstPass = page.locator('details.prompt[data-status="pass"] pre.diff').first();
      expect(await firstPass.isVisible()).toBe(true);
      expect((await firstPass.boundingBox())!.height).toBeGreaterThan(10);
      await page.click('button[data-f="close"]');
      expect(await page.locator('details.prompt[open]').count()).toBe(0);
      await page.click('button[data-f="fail"]');
      expect(await page.locator('details.prompt:visible').count()).toBeLessThan(prompts);

      // Recorded baseline: its latency cells say why there is no number; no empty rows, no baseline strip in the chart.
      await page.goto(`file://${recorded}`);
      expect(errors).toEqual([]);
      const rows = await page.locator('table tr').allTextContents();
      expect(rows.some((t) => /^total p50 \/ p95\s*not measured \(recorded\)/.test(t.trim()))).toBe(true);
      expect(rows.some((t) => /- \/ -/.test(t))).toBe(false);
      expect(await page.locator('figure.chart svg text.lbl', { hasText: 'baseline' }).count()).toBe(1); // the cost chart only
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('parity CLI', () => {
  it('quick start through the CLI entry point exits 0', async () => {
    const r = await cli(['parity', '--fixtures', 'fixtures', '--mock', '--tag', 'classification', '--no-progress']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MOCK RUN[\s\S]*Verdict: SHIP/);
  });
  it('usage errors exit 2 with a message', async () => {
    let r = await cli(['parity']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Missing required argument: fixtures/);
    r = await cli(['parity', '--fixtures', 'fixtures', '--record', '--replay']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mutually exclusive/);
    r = await cli(['parity', '--fixtures', 'fixtures', '--map', 'gpt-4o']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--map expects alias=model-id/);
    r = await cli(['parity', '--fixtures', 'does-not-exist', '--mock']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid fixture: does-not-exist: no such file/);
  });
  it('without credentials: exit 2 saying what is needed', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const r = await cli(['parity', '--fixtures', 'fixtures']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/OPENAI_API_KEY[\s\S]*--baseline recorded[\s\S]*AWS credentials[\s\S]*--mock/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });
});

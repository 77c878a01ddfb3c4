/**
 * Snapshots cross environments: a file saved by the CLI resumes in the page, and the
 * page's download of that machine resumes in the CLI — one Linux boot in all.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { runInGuest } from './helpers.ts';

const run = promisify(execFile);
const AMBER = new URL('../bin/amber.js', import.meta.url).pathname;

test('CLI → page → CLI', async ({ page }, testInfo) => {
  test.setTimeout(400_000);
  const fromCli = testInfo.outputPath('from-cli.amber');
  const fromPage = testInfo.outputPath('from-page.amber');

  // 1. The CLI boots, leaves a file in tmpfs, and saves the machine.
  await run(AMBER, ['run', '--exec', 'echo from-cli > /tmp/c', '--save', fromCli], { timeout: 240_000 });

  // 2. The page resumes that file, adds to it, checkpoints and downloads it.
  await page.goto('/');
  await expect(page.locator('#start')).toBeEnabled({ timeout: 30_000 });
  await page.setInputFiles('#snapshot-file', fromCli);
  await expect
    .poll(async () => `${await page.locator('#state').textContent()}: ${await page.locator('#message').textContent()}`, { timeout: 60_000 })
    .toMatch(/^running: Restored/);
  expect(await runInGuest(page, 'cat /tmp/c; echo from-page > /tmp/p')).toBe('from-cli');
  await page.fill('#snapshot-name', 'cross');
  await page.click('#checkpoint');
  await expect(page.locator('#message')).toContainText("Checkpoint 'cross' saved", { timeout: 60_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#snapshots-panel li.snapshot', { hasText: 'cross' }).locator('button[data-action="download"]').click(),
  ]);
  await download.saveAs(fromPage);

  // 3. The CLI resumes the page's file: both files are there.
  const { stdout } = await run(AMBER, ['run', '--restore', fromPage, '--exec', 'cat /tmp/c /tmp/p'], { timeout: 240_000 });
  expect(stdout).toBe('from-cli\nfrom-page\n');
});

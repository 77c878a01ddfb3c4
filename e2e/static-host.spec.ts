/**
 * The built dist/ on a static host that sends no COOP/COEP headers (e2e/static-server.mjs):
 * the page registers its service worker, reloads once, and is then cross-origin isolated
 * and runs a machine. Without service workers it says plainly why it cannot start.
 */
import { expect, test } from '@playwright/test';
import { terminalText } from './helpers.ts';

test('isolates itself through the service worker and runs a machine', async ({ page }) => {
  const isolated = () => page.evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null).catch(() => false);
  await page.goto('/');
  await expect.poll(isolated, { timeout: 30_000 }).toBe(true);
  await expect(page.locator('#banner')).toBeHidden();
  await expect(page.locator('#message')).toContainText('service worker');

  await expect(page.locator('#start')).toBeEnabled({ timeout: 30_000 });
  await page.selectOption('#image', 'counter-2.elf');
  await page.click('#start');
  await expect.poll(() => terminalText(page), { timeout: 60_000 }).toContain('counter total 200000');
  await expect(page.locator('#state')).toHaveText(/stopped/i);
});

test.describe('without service workers', () => {
  test.use({ serviceWorkers: 'block' });

  test('says why it cannot start', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('#banner')).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('#banner')).toContainText('SharedArrayBuffer is not available');
    await expect(page.locator('#state')).toHaveText(/unavailable/i);
    await expect(page.locator('#start')).toBeDisabled();
  });
});

import { expect, test } from '@playwright/test';

/** Text currently shown by the xterm.js terminal (its DOM rows, as a user sees them). */
async function terminalText(page: import('@playwright/test').Page): Promise<string> {
  return page.evaluate(() => {
    const term = (globalThis as unknown as { amber: { term: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } } }).amber.term;
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  });
}

test('the page is cross-origin isolated and two harts print to the terminal', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.locator('#state')).toHaveText('stopped');

  await page.selectOption('#image', 'counter-2.elf');
  await expect(page.locator('#harts')).toHaveValue('2');
  await page.click('#start');

  await expect.poll(() => terminalText(page), { timeout: 60_000 }).toContain('counter total 200000');
  const text = await terminalText(page);
  expect(text).toContain('hello from hart 0');
  expect(text).toContain('hello from hart 1');
  // The program exits through HTIF once the shared counter is exact: the page says so.
  await expect(page.locator('#state')).toHaveText('stopped');
  await expect(page.locator('#message')).toContainText('powered off');
});

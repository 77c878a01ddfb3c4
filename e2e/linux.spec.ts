/**
 * Linux in the page, on one page shared by the checks in order (a boot costs 5–15 s, much
 * more on a busy machine): boot with 2 harts and run a command, terminal size, pause and
 * resume, stop and start again, reset. The first test (@dist) also runs against the built
 * dist/ through `vite preview` (the 'dist' project in playwright.config.ts).
 */
import { expect, test, type Page } from '@playwright/test';
import { runInGuest, startMachine, typeCommand, terminalSize, terminalText, waitForShell } from './helpers.ts';

test.describe.serial('Linux in a tab', () => {
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  });

  test.afterAll(async () => {
    await page.close();
  });

  test('boots Linux with 2 harts to a shell and runs a command @dist', async ({}, testInfo) => {
    await page.goto('/');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.locator('#state')).toHaveText(/stopped/i);
    await expect(page.locator('#banner')).toBeHidden();

    // Every progress line shown during the boot.
    await page.evaluate(() => {
      const log: string[] = [];
      const text = document.getElementById('progress-text')!;
      new MutationObserver(() => log.push(text.textContent ?? '')).observe(text, { childList: true, characterData: true, subtree: true });
      (globalThis as unknown as { progressLog: string[] }).progressLog = log;
    });
    await startMachine(page, 'linux', 2);
    await expect(page.locator('#state')).toHaveText(/booting/i);
    await expect(page.locator('#progress-row')).toBeVisible();
    await waitForShell(page);
    await expect(page.locator('#progress-row')).toBeHidden();
    const progress = await page.evaluate(() => (globalThis as unknown as { progressLog: string[] }).progressLog);
    expect(progress.some((l) => /^Downloading Image: [\d.]+ of [\d.]+ MiB$/.test(l))).toBe(true);
    expect(progress.some((l) => /^Booting Linux: Linux kernel \(\d+ s\)$/.test(l))).toBe(true);

    const out = await typeCommand(page, 'uname -m; nproc');
    expect(out.split('\n').map((l) => l.trim())).toEqual(['riscv64', '2']);

    // The status panel: two harts, the RAM size, a guest uptime, a chart.
    await expect(page.locator('#status-panel .hart')).toHaveCount(2);
    await expect(page.locator('#status-panel [data-field="ram"]')).toHaveText('256 MiB');
    await expect(page.locator('#status-panel [data-field="uptime"]')).toHaveText(/^\d+:\d\d$/);
    await expect(page.locator('#status-panel canvas')).toHaveCount(1);
    await expect(page.locator('#status')).toContainText('2 harts');

    // Idle at the prompt: the page has told the guest the terminal size (size-sync.ts).
    await expect(page.locator('#guest-size')).toHaveText('guest knows this size', { timeout: 30_000 });

    const shot = testInfo.outputPath('amber-running.png');
    await page.screenshot({ path: shot });
    await testInfo.attach('running page', { path: shot, contentType: 'image/png' });
  });

  test('the guest is told the terminal size, and again after a resize', async () => {
    const size = await terminalSize(page);
    await expect(page.locator('#term-size')).toHaveText(`${size.cols}×${size.rows}`);
    await expect.poll(() => runInGuest(page, 'stty size'), { timeout: 60_000 }).toBe(`${size.rows} ${size.cols}`);

    await page.setViewportSize({ width: 1000, height: 640 });
    await expect.poll(async () => (await terminalSize(page)).cols).toBeLessThan(size.cols);
    const smaller = await terminalSize(page);
    await expect(page.locator('#term-size')).toHaveText(`${smaller.cols}×${smaller.rows}`);
    await expect.poll(() => runInGuest(page, 'stty size'), { timeout: 60_000 }).toBe(`${smaller.rows} ${smaller.cols}`);
    // The exchange that told it stays out of sight.
    expect(await terminalText(page)).not.toContain('stty rows');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('copy from and paste into the terminal', async () => {
    expect(await runInGuest(page, 'echo copy-$((6*7))-me')).toBe('copy-42-me');
    // Select the output line as a mouse would, then Ctrl+Shift+C.
    await page.evaluate(() => {
      const t = (globalThis as unknown as { amber: { term: { select(c: number, r: number, n: number): void; focus(): void; buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } } }).amber.term;
      const buf = t.buffer.active;
      for (let i = buf.length - 1; i >= 0; i--) {
        if (buf.getLine(i)?.translateToString(true) === 'copy-42-me') {
          t.select(0, i, 'copy-42-me'.length);
          break;
        }
      }
      t.focus();
    });
    await page.keyboard.press('Control+Shift+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('copy-42-me');

    // The Paste button types the clipboard into the guest (as Ctrl+Shift+V does).
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((6*7))'));
    await page.click('#paste');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page)).toMatch(/^pasted-42$/m);
  });

  test('pause freezes the guest and resume continues it', async () => {
    await page.locator('#terminal').click();
    await page.keyboard.type('while true; do date; sleep 1; done\n');
    // Two ticks of the loop: it runs.
    const ticks = async () => ((await terminalText(page)).match(/^\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \w+ \d{4}$/gm) ?? []).length;
    await expect.poll(ticks, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

    await page.click('#pause');
    await expect(page.locator('#state')).toHaveText(/paused/i);
    await expect(page.locator('#pause')).toHaveText('Resume');
    // Output the guest wrote just before it parked may still be on its way to the screen.
    await page.waitForTimeout(500);
    const frozen = await terminalText(page);
    const instret = await page.evaluate(() => (globalThis as unknown as { amber: { session: { status(): Promise<{ hart: { instret: number }[] }> } } }).amber.session.status().then((s) => s.hart.map((h) => h.instret)));
    await page.waitForTimeout(3000);
    expect(await terminalText(page)).toBe(frozen);
    const instretLater = await page.evaluate(() => (globalThis as unknown as { amber: { session: { status(): Promise<{ hart: { instret: number }[] }> } } }).amber.session.status().then((s) => s.hart.map((h) => h.instret)));
    expect(instretLater).toEqual(instret);

    await page.click('#pause');
    await expect(page.locator('#state')).toHaveText(/running/i);
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).not.toBe(frozen);

    // Ctrl+C ends the loop; the shell is back.
    await page.locator('#terminal').click();
    await page.keyboard.press('Control+c');
    await expect.poll(async () => (await terminalText(page)).trimEnd(), { timeout: 20_000 }).toMatch(/[#$]$/);
    expect(await runInGuest(page, 'echo still here')).toBe('still here');
  });

  test('stop, then start again without reloading the page', async () => {
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.click('#stop');
    await expect(page.locator('#state')).toHaveText(/stopped/i);
    await expect(page.locator('#message')).toContainText('Stopped');
    await expect(page.locator('#start')).toBeEnabled();
    await expect(page.locator('#image')).toBeEnabled();

    await page.click('#start');
    await expect(page.locator('#state')).toHaveText(/booting/i);
    await waitForShell(page);
    expect(await runInGuest(page, 'nproc')).toBe('2');
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  test('reset power-cycles the same machine', async () => {
    await runInGuest(page, 'echo before > /tmp/marker');
    await page.click('#reset');
    await expect(page.locator('#state')).toHaveText(/booting/i);
    await waitForShell(page);
    // /tmp is a fresh tmpfs: the file written before the reset is gone.
    expect(await runInGuest(page, 'cat /tmp/marker 2>/dev/null || echo fresh; nproc')).toBe('fresh\n2');
    await page.click('#stop');
    await expect(page.locator('#state')).toHaveText(/stopped/i);
  });
});

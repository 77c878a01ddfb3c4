/**
 * The page's snapshots, with one Linux boot: checkpoint a machine with a file in /tmp,
 * reload, resume it from the list (screen and file back); download it, resume the file in a
 * fresh browser context (empty storage) through the file picker; and a non-snapshot upload
 * says why in plain words while the running machine runs on.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { runInGuest, startMachine, terminalText, waitForShell } from './helpers.ts';

const NAME = 'e2e snap';

async function openPage(browser: Browser, opts: { fakeClock?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  // The page's timers on a clock the test can move forward (time still flows as usual); the
  // machine's workers keep real time.
  if (opts.fakeClock) await page.clock.install();
  await page.goto('/');
  await expect(page.locator('#start')).toBeEnabled({ timeout: 30_000 });
  return { context, page };
}

const row = (page: Page, name: string) => page.locator('#snapshots-panel li.snapshot', { hasText: name });

test.describe.serial('snapshots on the page', () => {
  let first: { context: BrowserContext; page: Page };
  let second: { context: BrowserContext; page: Page } | undefined;
  let downloaded = '';

  test.beforeAll(async ({ browser }) => {
    first = await openPage(browser);
  });

  test.afterAll(async () => {
    await second?.context.close();
    await first.context.close();
  });

  test('checkpoint, reload, resume from the list: the file and the screen are back', async () => {
    const { page } = first;
    await startMachine(page, 'linux', 1);
    await waitForShell(page);
    expect(await runInGuest(page, 'echo snap-state > /tmp/s && cat /tmp/s')).toBe('snap-state');

    await page.fill('#snapshot-name', NAME);
    await page.click('#checkpoint');
    await expect(page.locator('#message')).toContainText(`Checkpoint '${NAME}' saved`, { timeout: 60_000 });
    await expect(page.locator('#message')).toContainText(/paused \d+ ms/);
    await expect(row(page, NAME)).toHaveCount(1);
    await expect(page.locator('#storage-use')).toContainText('1 snapshot');
    await expect(page.locator('#state')).toHaveText(/running/i);

    await page.reload();
    await expect(page.locator('#state')).toHaveText(/stopped/i);
    await expect(row(page, NAME)).toHaveCount(1);
    await expect(row(page, NAME)).toContainText('1 hart');
    await expect(row(page, NAME)).toContainText('256 MiB');
    expect((await terminalText(page)).trim()).toBe('');
    await expect(page.locator('#start')).toBeEnabled({ timeout: 30_000 });

    await row(page, NAME).locator('button[data-action="resume"]').click();
    await expect(page.locator('#state')).toHaveText(/running/i, { timeout: 60_000 });
    await expect(page.locator('#message')).toContainText('Restored');
    // The screen as it was: the command that wrote the file is on it.
    expect(await terminalText(page)).toContain('echo snap-state > /tmp/s');
    expect(await runInGuest(page, 'cat /tmp/s')).toBe('snap-state');
  });

  test('download, then resume the file in a fresh browser context', async ({ browser }, testInfo) => {
    const { page } = first;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row(page, NAME).locator('button[data-action="download"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('e2e snap.amber');
    downloaded = testInfo.outputPath('snap.amber');
    await download.saveAs(downloaded);

    second = await openPage(browser, { fakeClock: true });
    const p2 = second.page;
    await expect(p2.locator('#snapshots-panel li.snapshot')).toHaveCount(0);
    await p2.setInputFiles('#snapshot-file', downloaded);
    // State and message together: a failure shows why.
    await expect.poll(async () => `${await p2.locator('#state').textContent()}: ${await p2.locator('#message').textContent()}`, { timeout: 60_000 }).toMatch(/^running: Restored/);
    expect(await terminalText(p2)).toContain('echo snap-state > /tmp/s');
    expect(await runInGuest(p2, 'cat /tmp/s')).toBe('snap-state');
  });

  test('a file that is not a snapshot: a plain error, the machine runs on', async () => {
    const p2 = second!.page;
    await p2.setInputFiles('#snapshot-file', { name: 'notes.amber', mimeType: 'application/octet-stream', buffer: Buffer.from('these are my notes, not a snapshot\n'.repeat(20)) });
    await expect(p2.locator('#message')).toHaveAttribute('data-kind', 'error');
    await expect(p2.locator('#message')).toContainText("Could not resume the file 'notes.amber': This is not an Amber snapshot (.amber) file");
    await expect(p2.locator('#message')).toContainText('The running machine was not changed.');
    await expect(p2.locator('#state')).toHaveText(/running/i);
    expect(await runInGuest(p2, 'echo still-$((40+2)); cat /tmp/s')).toBe('still-42\nsnap-state');

    // The same by drag and drop: a truncated snapshot dropped on the page.
    const head = [...(await import('node:fs')).readFileSync(downloaded).subarray(0, 4096)];
    await p2.evaluate((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'cut.amber'));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, head);
    await expect(p2.locator('#message')).toContainText("Could not resume the file 'cut.amber': The snapshot file is incomplete");
    await expect(p2.locator('#state')).toHaveText(/running/i);
  });

  test('checkpoint with suspend leaves the machine paused; delete removes it from the list', async () => {
    const { page } = first;
    await page.fill('#snapshot-name', 'suspended');
    await page.check('#snapshot-suspend');
    await page.click('#checkpoint');
    await expect(page.locator('#message')).toContainText('stays paused', { timeout: 60_000 });
    await expect(page.locator('#state')).toHaveText(/paused/i);
    await page.click('#pause'); // labelled Resume while paused
    await expect(page.locator('#state')).toHaveText(/running/i);
    expect(await runInGuest(page, 'cat /tmp/s')).toBe('snap-state');
    await expect(row(page, 'suspended')).toHaveCount(1);
    await row(page, 'suspended').locator('button[data-action="delete"]').click();
    await expect(row(page, 'suspended')).toHaveCount(0);
    await expect(row(page, NAME)).toHaveCount(1);
  });

  test('quick save (F2) and quick load (Shift+F2)', async () => {
    const p2 = second!.page;
    await p2.locator('#terminal').click();
    await p2.keyboard.press('F2');
    await expect(p2.locator('#message')).toContainText('Quick save saved', { timeout: 60_000 });
    await expect(row(p2, '[quick]')).toHaveCount(1);
    expect(await runInGuest(p2, 'echo changed > /tmp/s; cat /tmp/s')).toBe('changed');
    // The key went to the page, not to the guest: nothing odd typed into the shell.
    await p2.keyboard.press('Shift+F2');
    await expect.poll(async () => `${await p2.locator('#state').textContent()}: ${await p2.locator('#message').textContent()}`, { timeout: 60_000 }).toMatch(/^running: Restored/);
    expect(await runInGuest(p2, 'cat /tmp/s')).toBe('snap-state');
    // A second quick save replaces the slot.
    await p2.click('#quick-save');
    await expect(p2.locator('#message')).toContainText('Quick save saved', { timeout: 60_000 });
    await expect(row(p2, '[quick]')).toHaveCount(1);
  });

  test('autosave every minute replaces the quick slot and stores only what changed', async () => {
    const p2 = second!.page;
    expect(await runInGuest(p2, 'echo autosaved > /tmp/a; cat /tmp/a')).toBe('autosaved');
    await p2.selectOption('#autosave', '1');
    await p2.clock.fastForward('01:01');
    await expect(p2.locator('#message')).toContainText('Autosave saved', { timeout: 60_000 });
    await p2.selectOption('#autosave', '0');
    await expect(row(p2, '[quick]')).toHaveCount(1);
    // "Autosave saved: <size> (<new> new), …": most chunks are shared with the earlier quick save.
    const [, size, added] = /saved: ([\d.]+ \w+) \(([\d.]+ \w+) new\)/.exec((await p2.locator('#message').textContent()) ?? '') ?? [];
    expect(bytes(added), `${added} new of ${size}`).toBeLessThan(bytes(size) / 2);
    // The slot holds the autosaved state: a later change is undone by a quick load.
    expect(await runInGuest(p2, 'echo later > /tmp/a; cat /tmp/a')).toBe('later');
    await p2.keyboard.press('Shift+F2');
    await expect.poll(async () => `${await p2.locator('#state').textContent()}: ${await p2.locator('#message').textContent()}`, { timeout: 60_000 }).toMatch(/^running: Restored/);
    expect(await runInGuest(p2, 'cat /tmp/a')).toBe('autosaved');
  });

  test('?snapshot=<url> resumes that file instead of booting (a missing base image said plainly)', async ({ browser }) => {
    const third = await openPageAt(browser, '/?snapshot=files/e2e-snap.amber', downloaded, { withoutDisk: true });
    try {
      // First without the base disk image on the host: said plainly, nothing started.
      await expect(third.page.locator('#message')).toContainText("it needs the base disk image 'disk.ext4.gz'", { timeout: 60_000 });
      await expect(third.page.locator('#message')).toHaveAttribute('data-kind', 'error');
      await expect(third.page.locator('#state')).toHaveText(/stopped/i);
      await third.page.unroute('**/images/disk.ext4.gz');
      await third.page.reload();
      await expect.poll(async () => `${await third.page.locator('#state').textContent()}: ${await third.page.locator('#message').textContent()}`, { timeout: 60_000 }).toMatch(/^running: Restored/);
      expect(await runInGuest(third.page, 'cat /tmp/s')).toBe('snap-state');
    } finally {
      await third.context.close();
    }
  });
});

/** "3.8 MiB" → bytes (the page's formatBytes). */
function bytes(text: string): number {
  const [n, unit] = text.split(' ');
  return Number(n) * ({ B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 } as Record<string, number>)[unit];
}

/** A fresh context whose `files/e2e-snap.amber` is served from `file` (and, `withoutDisk`, no base disk image). */
async function openPageAt(browser: Browser, url: string, file: string, opts: { withoutDisk?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  if (opts.withoutDisk) await page.route('**/images/disk.ext4.gz', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.route('**/files/e2e-snap.amber', (route) => route.fulfill({ path: file, contentType: 'application/octet-stream' }));
  await page.goto(url);
  return { context, page };
}

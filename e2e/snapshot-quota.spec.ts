/**
 * A full disk quota while checkpointing, in real Chromium storage: the origin's quota is set
 * through the DevTools protocol (before the page first uses storage: Chromium applies an
 * override only then), so IndexedDB itself refuses the write. The page says so in plain
 * words, keeps nothing of the failed save, the machine runs on, and the snapshot stored
 * before is listed and resumes intact.
 */
import { expect, test, type Page } from '@playwright/test';
import { runInGuest, startMachine, waitForShell } from './helpers.ts';

/** Room for one snapshot of an idle guest (~4 MiB stored), not for a second with 8 MiB of new noise. */
const QUOTA = 10 << 20;

test('a checkpoint that does not fit: a plain message, nothing half-stored, the earlier snapshot intact', async ({ page, baseURL }) => {
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: QUOTA });
  await page.goto('/');
  const row = (name: string) => page.locator('#snapshots-panel li.snapshot', { hasText: name });

  await startMachine(page, 'linux', 1);
  await waitForShell(page);
  expect(await runInGuest(page, 'echo before-quota > /tmp/q && cat /tmp/q')).toBe('before-quota');
  await page.fill('#snapshot-name', 'fits');
  await page.click('#checkpoint');
  await expect(page.locator('#message')).toContainText("Checkpoint 'fits' saved", { timeout: 60_000 });
  const keysAfterFirst = await storedKeys(page);

  // A different machine state: 8 MiB of noise that cannot share chunks with anything.
  expect(await runInGuest(page, 'dd if=/dev/urandom of=/tmp/noise bs=1M count=8 2>/dev/null; echo after-quota > /tmp/q; cat /tmp/q', 120_000)).toBe('after-quota');
  await page.fill('#snapshot-name', 'too big');
  await page.click('#checkpoint');
  await expect(page.locator('#message')).toHaveAttribute('data-kind', 'error', { timeout: 60_000 });
  await expect(page.locator('#message')).toContainText("the browser's storage for this site is full");
  await expect(page.locator('#message')).toContainText('Nothing of it was kept');
  await expect(row('too big')).toHaveCount(0);
  await expect(row('fits')).toHaveCount(1);
  // Nothing of the failed save is left behind in IndexedDB.
  expect(await storedKeys(page)).toEqual(keysAfterFirst);
  await expect(page.locator('#state')).toHaveText(/running/i);
  expect(await runInGuest(page, 'cat /tmp/q')).toBe('after-quota');

  // The snapshot stored before resumes as it was.
  await row('fits').locator('button[data-action="resume"]').click();
  await expect.poll(async () => `${await page.locator('#state').textContent()}: ${await page.locator('#message').textContent()}`, { timeout: 60_000 }).toMatch(/^running: Restored/);
  expect(await runInGuest(page, 'cat /tmp/q')).toBe('before-quota');
});

/** Every key in the snapshot store's IndexedDB database, sorted. */
function storedKeys(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const open = indexedDB.open('amber-snapshots');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const request = db.transaction('store').objectStore('store').getAllKeys();
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return keys.map(String).sort();
  });
}

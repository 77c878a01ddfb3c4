/**
 * The snapshot store in real Chromium IndexedDB (src/snapshot/store.ts, served as TS by the
 * vite dev server): save a small snapshot built by the real writer, list it, reopen it and
 * read it back through openSnapshot, download it as a Blob, share chunks with a second
 * save, and delete — on the page and in a module worker (where the machine runs).
 */
import { expect, test, type Page } from '@playwright/test';

interface Outcome {
  listed: Array<{ id: string; name: string; size: number; harts: number; memoryMiB: number; slot?: string }>;
  size: number;
  sections: string[];
  ramSame: boolean;
  blobSame: boolean;
  secondAdded: number;
  storedAfterTwo: number;
  storedAfterOne: number;
  storedAtEnd: number;
  listedAtEnd: number;
  quickCount: number;
  valueKinds: string[];
  estimate: boolean;
  locks: boolean;
}

/** The whole scenario as one function: run on the page, or (as source text) in a worker. */
async function scenario(dbName: string): Promise<Outcome> {
  // Absolute URLs: a worker made from a blob: URL has no path to resolve against.
  const storeUrl = `${self.location.origin}/src/snapshot/store.ts`;
  const libUrl = `${self.location.origin}/src/snapshot/index.ts`;
  const S = await import(/* @vite-ignore */ storeUrl);
  const F = await import(/* @vite-ignore */ libUrl);
  const MIB = 1 << 20;
  const makeRam = (seed: number, touched: number[] = []): Uint8Array => {
    const ram = new Uint8Array(12 * MIB);
    let x = seed;
    for (let p = 0; p < ram.length / 4096; p++) {
      if (p % 3 === 0) continue;
      const text = `page ${p} of a small machine `.repeat(140);
      for (let i = 0; i < 4096; i++) ram[p * 4096 + i] = text.charCodeAt(i % text.length);
      if (p % 7 === 0) {
        for (let i = 0; i < 4096; i++) {
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
          ram[p * 4096 + i] = x & 0xff;
        }
      }
    }
    for (const p of touched) ram[p * 4096 + 10] ^= 0xff;
    return ram;
  };
  const pieces = (ram: Uint8Array, name: string): AsyncGenerator<Uint8Array> => {
    const w = new F.SnapshotWriter();
    w.addSection({ name: 'machine', version: 1, required: true, encoding: 'json' }, F.encodeJson({ name }));
    w.addSection({ name: 'ram', version: 1, required: true, encoding: 'ram' }, F.encodeRam(ram));
    return w.finish();
  };
  const collect = async (gen: AsyncGenerator<Uint8Array>): Promise<Uint8Array> => F.collectBytes(gen);
  const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

  const store = new S.SnapshotStore({ dbName });
  const info = (name: string) => ({ name, harts: 2, memoryMiB: 12, createdAt: new Date() });
  const ram = makeRam(7);
  const file = await collect(pieces(ram, 'one'));
  const one = await store.save(pieces(ram, 'one'), info('one'));
  const storedAfterOne = (await store.usage()).storedBytes;

  const src = await store.open(one.id);
  const snap = await F.openSnapshot(src);
  await snap.verifyAll();
  const back = new Uint8Array(ram.length);
  await F.decodeRamInto(snap.payloadSource('ram'), back);
  src.close();
  const blob: Blob = await store.blob(one.id);
  const blobBytes = new Uint8Array(await blob.arrayBuffer());

  // Later snapshots of the same machine, pages of one window changed: only that window is new.
  const two = await store.save(pieces(makeRam(7, [5, 600]), 'two'), info('two'), { slot: 'quick' });
  const three = await store.save(pieces(makeRam(7, [6]), 'three'), info('three'), { slot: 'quick' });
  const usage = await store.usage();
  const listed = await store.list();

  // What IndexedDB really holds: chunk values are Blobs (file-backed in Chromium).
  const value = await new Promise<unknown>((resolve, reject) => {
    const req = indexedDB.open(dbName);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const cursor = db.transaction('store').objectStore('store').openCursor(IDBKeyRange.bound('c/', 'c/\uffff'));
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        resolve(cursor.result?.value);
        db.close();
      };
    };
  });

  await store.delete(one.id);
  await store.delete(three.id);
  const end = await store.usage();
  void two;
  return {
    listed: listed.map((s: { id: string; name: string; size: number; harts: number; memoryMiB: number; slot?: string }) =>
      ({ id: s.id, name: s.name, size: s.size, harts: s.harts, memoryMiB: s.memoryMiB, slot: s.slot })),
    size: one.size,
    sections: snap.sections.map((s: { name: string }) => s.name),
    ramSame: same(back, ram) && one.size === file.length,
    blobSame: same(blobBytes, file),
    secondAdded: two.addedBytes,
    storedAfterOne,
    storedAfterTwo: usage.storedBytes,
    storedAtEnd: end.storedBytes,
    listedAtEnd: end.snapshots,
    quickCount: listed.filter((s: { slot?: string }) => s.slot === 'quick').length,
    valueKinds: [Object.prototype.toString.call(value)],
    estimate: !!usage.estimate?.quota,
    locks: !!(globalThis as { navigator?: { locks?: unknown } }).navigator?.locks,
  };
}

async function openOrigin(page: Page): Promise<void> {
  // Any same-origin document will do; the store module itself is one.
  await page.goto('/src/snapshot/store.ts');
  // Warm vite's dependency optimizer: a first import may find deps being re-optimized.
  for (let i = 0; i < 3; i++) {
    const ok = await page.evaluate(async () => {
      try {
        const url = '/src/snapshot/store.ts';
        await import(/* @vite-ignore */ url);
        return true;
      } catch {
        return false;
      }
    });
    if (ok) return;
    await page.reload();
  }
}

function check(r: Outcome): void {
  expect(r.sections).toEqual(['machine', 'ram']);
  expect(r.ramSame).toBe(true);
  expect(r.blobSame).toBe(true);
  expect(r.listed).toHaveLength(2);
  expect(r.listed.map((s) => s.name).sort()).toEqual(['one', 'three']);
  expect(r.listed.every((s) => s.harts === 2 && s.memoryMiB === 12)).toBe(true);
  expect(r.quickCount).toBe(1);
  // Sharing: the quick saves added one changed window (of three) each, not a whole file.
  expect(r.secondAdded).toBeLessThan(r.size * 0.5);
  expect(r.storedAfterTwo).toBeLessThan(r.storedAfterOne + r.size * 0.5);
  expect(r.listedAtEnd).toBe(0);
  expect(r.storedAtEnd).toBe(0);
  expect(r.valueKinds).toEqual(['[object Blob]']);
  expect(r.estimate).toBe(true);
  expect(r.locks).toBe(true);
}

test('snapshot store: save, list, reopen, download and delete in Chromium IndexedDB (page)', async ({ page }) => {
  await openOrigin(page);
  const dbName = `amber-store-e2e-page-${Date.now()}`;
  const r = await page.evaluate(`(${scenario.toString()})(${JSON.stringify(dbName)})`) as Outcome;
  check(r);
  await page.evaluate((name) => new Promise((res) => { const q = indexedDB.deleteDatabase(name); q.onsuccess = q.onerror = q.onblocked = res; }), dbName);
});

test('snapshot store: the same in a module worker (where the machine runs)', async ({ page }) => {
  await openOrigin(page);
  const dbName = `amber-store-e2e-worker-${Date.now()}`;
  const r = await page.evaluate(async ([src, name]) => {
    const code = `self.onmessage = async (e) => { try { self.postMessage({ ok: await (${src})(e.data) }); } catch (err) { self.postMessage({ error: String(err && err.stack || err) }); } };`;
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const worker = new Worker(url, { type: 'module' });
    const reply = await new Promise<{ ok?: unknown; error?: string }>((res) => {
      worker.onmessage = (e) => res(e.data);
      worker.onerror = (e) => res({ error: e.message });
      worker.postMessage(name);
    });
    worker.terminate();
    if (reply.error) throw new Error(reply.error);
    return reply.ok;
  }, [scenario.toString(), dbName] as const) as Outcome;
  check(r);
  await page.evaluate((name) => new Promise((res) => { const q = indexedDB.deleteDatabase(name); q.onsuccess = q.onerror = q.onblocked = res; }), dbName);
});

import { describe, expect, it } from 'vitest';
import { collectBytes, decodeRamInto, openSnapshot, validateRam } from '../../src/snapshot/index.ts';
import { DEFAULT_CHUNK_PAGES } from '../../src/snapshot/encodings.ts';
import { planRestore } from '../../src/snapshot/engine.ts';
import { SnapshotStoreError, STORE_CHUNK_MAX, piecesOfFile } from '../../src/snapshot/store.ts';
import {
  MIB, PAGE, chunkKeys, concatAll, failingAfter, makeCapture, piecesOf, storeWith, syntheticRam, tee, testRegistry, touchPages,
} from './helpers.ts';

const info = (name: string, memoryMiB = 16) => ({ name, harts: 1, memoryMiB, createdAt: '2026-01-01T00:00:00.000Z' });
const noImages = { has: async () => {} };

/** Byte equality without vitest's element-by-element deep equality (slow on MiBs). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('SnapshotStore', () => {
  it('saves, lists, reopens: sections, RAM and the whole file are identical', async () => {
    const { store } = storeWith();
    const ram = syntheticRam(16, 3);
    const file: Uint8Array[] = [];
    const progress: number[] = [];
    const saved = await store.save(tee(piecesOf(makeCapture(ram, 'first')), file), { ...info('first'), thumbnail: 'data:,x' }, (p) => progress.push(p.fileBytes));
    const original = concatAll(file);

    expect(saved.size).toBe(original.length);
    expect(progress.at(-1)).toBe(original.length);
    const list = await store.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: saved.id, name: 'first', harts: 1, memoryMiB: 16, size: original.length, createdAt: '2026-01-01T00:00:00.000Z' });
    expect(list[0].meta).toEqual({ thumbnail: 'data:,x' });
    expect(list[0].fileChecksum).toMatch(/^[0-9a-f]{16}$/);

    const source = await store.open(saved.id);
    expect(source.size).toBe(original.length);
    const snap = await openSnapshot(source);
    const ref = await openSnapshot(original);
    expect(snap.sections.map((s) => s.name)).toEqual(ref.sections.map((s) => s.name));
    expect(snap.fileChecksum.toString(16).padStart(16, '0')).toBe(saved.fileChecksum);
    for (const s of ref.sections) {
      if (s.encoding === 'ram') continue;
      expect(same(await snap.readSection(s.name), await ref.readSection(s.name))).toBe(true);
    }
    await snap.verifyAll();
    const back = new Uint8Array(ram.length).fill(0xee);
    await decodeRamInto(snap.payloadSource('ram'), back);
    expect(same(back, ram)).toBe(true);
    // Byte-for-byte, with reads across chunk boundaries.
    expect(same(await source.read(0, original.length), original)).toBe(true);
    for (const [o, n] of [[0, 1], [15, 40], [original.length - 48, 48], [4000, 9000], [original.length >> 1, original.length >> 2]]) {
      expect(same(await source.read(o, n), original.subarray(o, o + n))).toBe(true);
    }
    // What a restore does with it.
    const plan = await planRestore(source, () => testRegistry(), noImages);
    expect(plan.config.memoryMiB).toBe(16);
    expect(plan.screen).toEqual({ text: 'screen of first' });
    source.close();

    const blob = await store.blob(saved.id);
    expect(blob.size).toBe(original.length);
    expect(same(new Uint8Array(await blob.arrayBuffer()), original)).toBe(true);
    expect(await store.get(saved.id)).toMatchObject({ id: saved.id });
    await expect(store.open('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('zstd chunks are deterministic: the same capture twice adds only the small parts', async () => {
    const { store } = storeWith();
    const ram = syntheticRam(16, 5);
    const a = await store.save(piecesOf(makeCapture(ram, 'a')), info('a'));
    const before = await store.usage();
    const b = await store.save(piecesOf(makeCapture(ram, 'a')), info('b'));
    const after = await store.usage();
    expect(b.size).toBe(a.size);
    expect(after.storedBytes).toBe(before.storedBytes);
    expect(after.chunks).toBe(before.chunks);
    expect(b.addedBytes).toBeLessThan(64 << 10); // headers, JSON, fields, record headers: inline
    expect(after.logicalBytes).toBe(a.size + b.size);
  });

  it('two snapshots of the same machine share all but the changed windows; delete frees only unshared chunks', async () => {
    const { store, inst } = storeWith();
    const ram1 = syntheticRam(32, 9);
    // Three pages in two chunk windows (windows 2 and 6).
    const W = DEFAULT_CHUNK_PAGES;
    const ram2 = touchPages(ram1, [2 * W + 5, 2 * W + W - 1, 6 * W + 1]);
    const fileA: Uint8Array[] = [];
    const fileB: Uint8Array[] = [];
    const a = await store.save(tee(piecesOf(makeCapture(ram1, 'a')), fileA), info('a', 32));
    const u1 = await store.usage();
    const b = await store.save(tee(piecesOf(makeCapture(ram2, 'b')), fileB), info('b', 32));
    const u2 = await store.usage();

    // The difference: the two windows' new chunks, each at most a (compressed) window.
    const refB = await openSnapshot(concatAll(fileB));
    const chunksB = (await validateRam(refB.payloadSource('ram'))).chunks;
    const biggestB = Math.max(...chunksB.map((c) => c.recordLength));
    expect(u1.storedBytes).toBeGreaterThan(a.size * 0.9);
    expect(u2.storedBytes - u1.storedBytes).toBeLessThanOrEqual(2 * biggestB);
    expect(u2.storedBytes - u1.storedBytes).toBeGreaterThan(0);
    expect(u2.storedBytes).toBeLessThan(u1.storedBytes + 0.3 * b.size); // 2 of many windows changed
    expect(u2.chunks - u1.chunks).toBe(2);
    expect(b.addedBytes).toBeLessThan(2 * biggestB + (64 << 10));

    // Delete A: B keeps everything it uses; A's two unshared window chunks go.
    const keysBefore = await chunkKeys(inst);
    const freed = await store.delete(a.id);
    expect(freed.removedChunks).toBe(2);
    expect((await store.list()).map((s) => s.id)).toEqual([b.id]);
    const u3 = await store.usage();
    expect(u3.storedBytes).toBe(u2.storedBytes - freed.freedBytes);
    expect((await chunkKeys(inst)).length).toBe(keysBefore.length - 2);
    const src = await store.open(b.id);
    expect(same(await src.read(0, src.size), concatAll(fileB))).toBe(true);
    await (await openSnapshot(src)).verifyAll();
    src.close();

    // Delete B: nothing left.
    await store.delete(b.id);
    expect(await store.list()).toEqual([]);
    expect(await chunkKeys(inst)).toEqual([]);
    expect((await store.usage()).storedBytes).toBe(0);
  });

  it('a piece stream that fails half-way leaves the list and the chunks as they were', async () => {
    const { store, inst } = storeWith();
    const ram = syntheticRam(32, 11);
    const keep = await store.save(piecesOf(makeCapture(ram, 'keep')), info('keep', 32));
    const keysBefore = await chunkKeys(inst);
    const other = syntheticRam(32, 12); // all-new chunks
    const err = await errorOf(store.save(failingAfter(piecesOf(makeCapture(other, 'x')), 20), info('x', 32)));
    expect((err as Error).message).toBe('codec exploded');
    expect((await store.list()).map((s) => s.id)).toEqual([keep.id]);
    expect(await chunkKeys(inst)).toEqual(keysBefore);
    expect(await store.gc()).toEqual({ removedChunks: 0, freedBytes: 0 });
    // An incomplete file (no trailer) is refused the same way.
    const cut = await errorOf(store.save((async function* () {
      let i = 0;
      for await (const p of piecesOf(makeCapture(other, 'y'))) if (i++ < 30) yield p;
    })(), info('y', 32)));
    expect(cut).toBeInstanceOf(SnapshotStoreError);
    expect((cut as SnapshotStoreError).code).toBe('invalid-file');
    expect(await chunkKeys(inst)).toEqual(keysBefore);
    const src = await store.open(keep.id);
    await (await openSnapshot(src)).verifyAll();
    src.close();
  });

  it('a quota error part-way is reported clearly, removes what the save wrote and leaves the others intact', async () => {
    // Small write batches, so that some commit before the failure.
    const { store, inst } = storeWith({ batchBytes: 1 << 20, estimate: async () => ({ usage: 900 * MIB, quota: 912 * MIB }) });
    const keep = await store.save(piecesOf(makeCapture(syntheticRam(16, 21), 'keep')), info('keep'));
    const keysBefore = await chunkKeys(inst);
    inst.failPutsAfter = inst.stats.puts + 1; // the first write succeeds, its batch (transaction) then aborts
    const ram = syntheticRam(32, 22);
    const err = await errorOf(store.save(piecesOf(makeCapture(ram, 'big')), info('big', 32)));
    expect(err).toBeInstanceOf(SnapshotStoreError);
    expect((err as SnapshotStoreError).code).toBe('quota');
    expect((err as Error).message).toMatch(/^not enough browser storage for this snapshot: needs ~\d+(\.\d)? MiB, 12 MiB free/);
    const needed = Number(/needs ~([\d.]+) MiB/.exec((err as Error).message)![1]);
    const full = await collectBytes(piecesOf(makeCapture(ram, 'big')));
    expect(needed).toBeGreaterThan((full.length / MIB) * 0.8);
    expect(needed).toBeLessThan((full.length / MIB) * 1.1);
    expect((await store.list()).map((s) => s.id)).toEqual([keep.id]);
    expect(await chunkKeys(inst)).toEqual(keysBefore);

    // A failure after some batches were committed: those chunks are removed too.
    inst.failPutsAfter = inst.stats.puts + 4; // a few batches commit, then one fails
    const err2 = await errorOf(store.save(piecesOf(makeCapture(ram, 'big')), info('big', 32)));
    expect((err2 as SnapshotStoreError).code).toBe('quota');
    expect(await chunkKeys(inst)).toEqual(keysBefore);
    inst.failPutsAfter = undefined;

    const src = await store.open(keep.id);
    await (await openSnapshot(src)).verifyAll();
    src.close();
    // With room again it goes in.
    await store.save(piecesOf(makeCapture(ram, 'big')), info('big', 32));
    expect(await store.list()).toHaveLength(2);
  });

  it('a crash part-way leaves orphan chunks, never a listed snapshot; the next gc or save removes them', async () => {
    const { store, inst } = storeWith({ batchBytes: 256 << 10 });
    const keep = await store.save(piecesOf(makeCapture(syntheticRam(16, 31), 'keep')), info('keep'));
    const keysBefore = await chunkKeys(inst);
    // The writes fail after a committed batch, and so does the rollback (the tab "dies").
    inst.failPutsAfter = inst.stats.puts + 4;
    inst.failDeletes = true;
    await errorOf(store.save(piecesOf(makeCapture(syntheticRam(32, 32), 'lost')), info('lost', 32)));
    inst.failPutsAfter = undefined;
    inst.failDeletes = false;
    expect((await store.list()).map((s) => s.id)).toEqual([keep.id]);
    const orphans = (await chunkKeys(inst)).filter((k) => !keysBefore.includes(k));
    expect(orphans.length).toBeGreaterThan(0);
    const r = await store.gc();
    expect(r.removedChunks).toBe(orphans.length);
    expect(await chunkKeys(inst)).toEqual(keysBefore);

    // Same crash, then a save: it sweeps the orphans first.
    inst.failPutsAfter = inst.stats.puts + 4;
    inst.failDeletes = true;
    await errorOf(store.save(piecesOf(makeCapture(syntheticRam(32, 33), 'lost')), info('lost', 32)));
    inst.failPutsAfter = undefined;
    inst.failDeletes = false;
    expect((await chunkKeys(inst)).length).toBeGreaterThan(keysBefore.length);
    const again = await store.save(piecesOf(makeCapture(syntheticRam(16, 31), 'keep')), info('keep again'));
    expect(await chunkKeys(inst)).toEqual(keysBefore); // identical machine: shares everything
    expect((await store.list()).map((s) => s.id).sort()).toEqual([keep.id, again.id].sort());
  });

  it('the quick slot is replaced atomically; the old one is released only after', async () => {
    const { store, inst } = storeWith();
    const other = await store.save(piecesOf(makeCapture(syntheticRam(16, 41), 'manual')), info('manual'));
    const base = syntheticRam(16, 42);
    const q1 = await store.save(piecesOf(makeCapture(base, 'q1')), info('q1'), { slot: 'quick' });
    expect(await store.slot('quick')).toMatchObject({ id: q1.id, slot: 'quick' });
    // A reader of the old quick save (a restore in progress) keeps its bytes while open.
    const reading = await store.open(q1.id);
    const q1Bytes = await reading.read(0, reading.size);
    const q2 = await store.save(piecesOf(makeCapture(touchPages(base, [100, 2000, 3000]), 'q2')), info('q2'), { slot: 'quick' });
    const listed = await store.list();
    expect(listed.map((s) => s.id).sort()).toEqual([other.id, q2.id].sort());
    expect(listed.filter((s) => s.slot === 'quick')).toHaveLength(1);
    expect(await store.slot('quick')).toMatchObject({ id: q2.id });
    await expect(store.open(q1.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(openSnapshot(reading).then((s) => s.verifyAll())).resolves.toBeUndefined();
    expect(same(await reading.read(0, reading.size), q1Bytes)).toBe(true);
    reading.close();
    const r = await store.gc();
    expect(r.removedChunks).toBeGreaterThan(0); // q1's unshared windows, unpinned now

    // A third quick save: still one quick entry, and the store holds only what manual + q3 need.
    const q3 = await store.save(piecesOf(makeCapture(base, 'q3')), info('q3'), { slot: 'quick' });
    expect((await store.list()).map((s) => s.id).sort()).toEqual([other.id, q3.id].sort());
    const keys = await chunkKeys(inst);
    await store.delete(q3.id);
    expect(await store.slot('quick')).toBeUndefined();
    const { freedBytes } = await store.gc();
    expect(freedBytes).toBe(0); // delete already swept
    expect((await chunkKeys(inst)).length).toBeLessThan(keys.length);
    const src = await store.open(other.id);
    await (await openSnapshot(src)).verifyAll();
    src.close();
  });

  it('an imported .amber file (a download, an upload) shares its chunks with the stored snapshots', async () => {
    const { store } = storeWith();
    const ram = syntheticRam(16, 61);
    const file: Uint8Array[] = [];
    const first = await store.save(tee(piecesOf(makeCapture(ram, 'i')), file), info('i'));
    const before = await store.usage();
    const original = concatAll(file);
    // The same file, as a Blob from elsewhere: its pieces are cut where the writer cut them.
    const cut: Uint8Array[] = [];
    for await (const p of piecesOfFile(new Blob([original as Uint8Array<ArrayBuffer>]))) cut.push(p);
    expect(cut.map((p) => p.length)).toEqual(file.map((p) => p.length));
    const imported = await store.save(piecesOfFile(new Blob([original as Uint8Array<ArrayBuffer>])), info('imported'));
    const after = await store.usage();
    expect(imported.size).toBe(first.size);
    expect(imported.fileChecksum).toBe(first.fileChecksum);
    expect(after.storedBytes).toBe(before.storedBytes);
    const src = await store.open(imported.id);
    expect(same(await src.read(0, src.size), original)).toBe(true);
    src.close();
  });

  it('a delete racing a save that shares its chunks leaves the new snapshot whole', async () => {
    const { store } = storeWith();
    const ram = syntheticRam(16, 71);
    const a = await store.save(piecesOf(makeCapture(ram, 'a')), info('a'));
    const saving = store.save(piecesOf(makeCapture(touchPages(ram, [9]), 'b')), info('b'));
    const deleting = store.delete(a.id);
    const [b] = await Promise.all([saving, deleting]);
    expect((await store.list()).map((s) => s.id)).toEqual([b.id]);
    const src = await store.open(b.id);
    await (await openSnapshot(src)).verifyAll();
    src.close();
    expect(await store.gc()).toEqual({ removedChunks: 0, freedBytes: 0 });
  });

  it('a cancelled save keeps nothing; rename changes only the listing', async () => {
    const { store, inst } = storeWith();
    const keep = await store.save(piecesOf(makeCapture(syntheticRam(16, 81), 'keep')), info('keep'));
    const keys = await chunkKeys(inst);
    const ctl = new AbortController();
    let n = 0;
    const err = await errorOf(store.save(piecesOf(makeCapture(syntheticRam(16, 82), 'x')), info('x'), {
      signal: ctl.signal,
      onProgress: () => {
        if (++n === 12) ctl.abort();
      },
    }));
    expect((err as SnapshotStoreError).code).toBe('aborted');
    expect(await chunkKeys(inst)).toEqual(keys);
    const renamed = await store.rename(keep.id, 'kept');
    expect(renamed.name).toBe('kept');
    expect(await store.list()).toEqual([{ ...keep, name: 'kept' }]);
    await expect(store.rename('nope', 'x')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('damaged stored chunks are reported, not returned', async () => {
    const { store, inst } = storeWith();
    const saved = await store.save(piecesOf(makeCapture(syntheticRam(16, 51), 'd')), info('d'));
    const keys = await chunkKeys(inst);
    const { set } = await import('idb-keyval');
    const bad = new Uint8Array(Number(keys[0].split('-')[1])).fill(1);
    await set(keys[0], bad, inst.base);
    const src = await store.open(saved.id);
    await expect(src.read(0, src.size)).rejects.toMatchObject({ code: 'corrupt' });
    src.close();
  });

  it('stores a ~300 MiB file with no value over 8 MiB', async () => {
    const { store, inst } = storeWith({ valueType: 'bytes' });
    const { SnapshotWriter, encodeRam, encodeJson } = await import('../../src/snapshot/index.ts');
    const ram = new Uint8Array(300 * MIB);
    const words = new Uint32Array(ram.buffer);
    let x = 0x12345678;
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    for (let p = 0; p < ram.length / PAGE; p += 16) ram.fill(0, p * PAGE, (p + 1) * PAGE); // some zero pages
    const w = new SnapshotWriter();
    w.addSection({ name: 'machine', version: 1, required: true, encoding: 'json' }, encodeJson({ big: true }));
    // 'none': incompressible RAM stored as it is, fast; windows of 1024 pages (≤ 4 MiB records).
    w.addSection({ name: 'ram', version: 1, required: true, encoding: 'ram' }, encodeRam(ram, { codec: 'none' }));
    const t0 = performance.now();
    const saved = await store.save(w.finish(), info('big', 300));
    const ms = performance.now() - t0;
    expect(saved.size).toBeGreaterThan(280 * MIB);
    expect(inst.stats.maxValue).toBeLessThanOrEqual(STORE_CHUNK_MAX);
    expect(inst.stats.maxValue).toBeLessThanOrEqual(8 * MIB);
    const src = await store.open(saved.id);
    const snap = await openSnapshot(src);
    const summary = await validateRam(snap.payloadSource('ram'));
    expect(summary.pageCount).toBe((300 * MIB) / PAGE - (300 * MIB) / PAGE / 16);
    const back = new Uint8Array(ram.length);
    await decodeRamInto(snap.payloadSource('ram'), back);
    expect(same(back, ram)).toBe(true);
    src.close();
    const blob = await store.blob(saved.id);
    expect(blob.size).toBe(saved.size);
    console.log(`300 MiB save: ${(ms / 1000).toFixed(1)} s, ${inst.stats.puts} values, largest ${inst.stats.maxValue} bytes`);
  });
});

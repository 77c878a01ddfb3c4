import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assemblePaged,
  bytesSource,
  collectBytes,
  compressChunk,
  decodeDiskInto,
  decodeFields,
  decodeJson,
  decodeRamInto,
  encodeDisk,
  encodeFields,
  encodeJson,
  encodeRam,
  encodeRamChunks,
  initCodecs,
  openSnapshot,
  PAGE_SIZE,
  readPagedHeader,
  SnapshotWriter,
  validateDisk,
  validateRam,
  xxh64,
  initHash,
  zstdFrameContentSize,
  type EncodedChunk,
} from '../../src/snapshot/index.ts';
import { nodeFileSource, writeSnapshotFile } from '../../src/snapshot/node-source.ts';
import { codeOf, randomBytes } from './helpers.ts';

const MiB = 1 << 20;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amber-snap-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** RAM with a mix of zero pages, text, random pages and a run across a window boundary. */
function mixedRam(pages: number): Uint8Array {
  const ram = new Uint8Array(pages * PAGE_SIZE);
  const text = new TextEncoder().encode('Linux version 6.12 (amber) #1 SMP riscv64 '.repeat(100));
  for (let p = 0; p < pages; p++) {
    if (p % 7 === 0) ram.set(text.subarray(0, PAGE_SIZE), p * PAGE_SIZE);
    else if (p % 11 === 3) ram.set(randomBytes(PAGE_SIZE, p + 1), p * PAGE_SIZE);
    else if (p % 13 === 5) ram[p * PAGE_SIZE + PAGE_SIZE - 1] = 1; // non-zero only in its last byte
  }
  return ram;
}

const ramPayload = async (ram: Uint8Array, opts = {}) => bytesSource(await collectBytes(encodeRam(ram, opts)));

describe('json and fields encodings', () => {
  it('round-trips json and refuses bad UTF-8 and bad JSON', () => {
    const v = { harts: 2, memoryMiB: 64, bootargs: 'console=ttyS0 é' };
    expect(decodeJson(encodeJson(v))).toEqual(v);
    expect(() => decodeJson(new Uint8Array([0xff, 0xfe]), "section 'machine'")).toThrow("section 'machine': not valid UTF-8");
    expect(() => decodeJson(new TextEncoder().encode('{"a":'))).toThrow(/not valid JSON/);
  });

  it('round-trips typed fields in any order and keeps the type name', () => {
    const values = { ier: [0x0fn], fifo: [1n, 2n, 255n], big: [0xffff_ffff_ffff_ffffn, 0n], empty: [] };
    const bytes = encodeFields('ns16550a', values, { types: { ier: 'u8', fifo: 'u8', big: 'u64' } });
    const d = decodeFields(bytes);
    expect(d.typeName).toBe('ns16550a');
    expect(d.values).toEqual(values);
    expect(d.types).toEqual({ ier: 'u8', fifo: 'u8', big: 'u64', empty: 'u64' });
  });

  it('refuses values that do not fit their type, and malformed payloads', () => {
    expect(() => encodeFields('x', { a: [256n] }, { types: { a: 'u8' } })).toThrow("x: field 'a'[0] = 256 does not fit u8");
    expect(() => encodeFields('x', { a: [-1n] })).toThrow(/does not fit u64/);
    const good = encodeFields('x', { a: [1n, 2n] }, { types: { a: 'u32' } });
    for (let n = 0; n < good.length; n++) {
      expect(() => decodeFields(good.subarray(0, n))).toThrow(/fields payload/);
    }
    const dup = encodeFields('x', { a: [1n] });
    const twice = new Uint8Array([...dup.subarray(0, 4), ...dup.subarray(4, 7), 2, 0, 0, 0, ...dup.subarray(11), ...dup.subarray(11)]);
    expect(() => decodeFields(twice)).toThrow(/appears twice/);
    const badType = dup.slice();
    badType[11 + 3] = 9; // name 'a' (2+1 bytes) then the type code
    expect(() => decodeFields(badType)).toThrow(/unknown type code 9/);
  });
});

describe('ram encoding', () => {
  it('round-trips into a dirty target, with both codecs and several window sizes', async () => {
    const ram = mixedRam(300);
    for (const codec of ['zstd', 'none'] as const) {
      for (const chunkPages of [1, 16, 1024]) {
        const payload = await ramPayload(ram, { codec, chunkPages });
        const summary = await validateRam(payload, { deep: true });
        expect(summary.header).toMatchObject({ kind: 'ram', totalBytes: ram.length, codec });
        const nonZero = Array.from({ length: 300 }, (_, p) => ram.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE).some((b) => b !== 0)).filter(Boolean).length;
        expect(summary.pageCount).toBe(nonZero);
        const target = new Uint8Array(ram.length).fill(0xaa);
        await decodeRamInto(payload, target);
        expect(Buffer.compare(target, ram)).toBe(0);
      }
    }
  });

  it('yields pieces that own exactly their buffers (IndexedDB clones whole buffers)', async () => {
    for (const codec of ['zstd', 'none'] as const) {
      const w = new SnapshotWriter();
      w.addSection({ name: 'ram', version: 1, required: true, encoding: 'ram' }, encodeRam(mixedRam(100), { codec, chunkPages: 16 }));
      for await (const c of w.finish()) expect([c.byteOffset, c.byteLength]).toEqual([0, c.buffer.byteLength]);
    }
  });

  it('encodes RAM that starts at an odd byte offset (no aligned word view)', async () => {
    const ram = mixedRam(40);
    const backing = new Uint8Array(ram.length + 1);
    backing.set(ram, 1);
    const odd = backing.subarray(1);
    const a = await collectBytes(encodeRam(odd, { chunkPages: 8 }));
    const b = await collectBytes(encodeRam(ram, { chunkPages: 8 }));
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('reads from and decodes into views on shared memory', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(64 * PAGE_SIZE));
    shared.set(mixedRam(64));
    const payload = await ramPayload(shared, { chunkPages: 8 });
    const target = new Uint8Array(new SharedArrayBuffer(64 * PAGE_SIZE)).fill(1);
    await decodeRamInto(payload, target);
    expect(Buffer.compare(Buffer.from(target.slice()), Buffer.from(shared.slice()))).toBe(0);
  });

  it('exposes stable content hashes: independent of codec, changed only for the window that changed', async () => {
    const ram = mixedRam(256);
    const collect = async (r: Uint8Array, codec: 'zstd' | 'none') => {
      const seen: EncodedChunk[] = [];
      await collectBytes(encodeRam(r, { codec, chunkPages: 32, onChunk: (c) => seen.push(c) }));
      return seen;
    };
    const a = await collect(ram, 'zstd');
    const b = await collect(ram, 'none');
    expect(a.map((c) => c.contentHash)).toEqual(b.map((c) => c.contentHash));
    expect(a.map((c) => c.window)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The hash is xxh64 of the run list (u32 LE pairs) followed by the pages.
    const c0 = a[0];
    const runs = new Uint8Array(c0.runs.length * 8);
    const dv = new DataView(runs.buffer);
    c0.runs.forEach(([f, n], i) => (dv.setUint32(i * 8, f, true), dv.setUint32(i * 8 + 4, n, true)));
    const pages = new Uint8Array(c0.rawLength);
    let o = 0;
    for (const [f, n] of c0.runs) (pages.set(ram.subarray(f * PAGE_SIZE, (f + n) * PAGE_SIZE), o), (o += n * PAGE_SIZE));
    await initHash();
    expect(c0.contentHash).toBe(xxh64(runs, pages).toString(16).padStart(16, '0'));

    const changed = ram.slice();
    changed[100 * PAGE_SIZE + 5] ^= 0xff; // page 100: window 3
    const c = await collect(changed, 'zstd');
    expect(c.map((x, i) => x.contentHash === a[i].contentHash)).toEqual([true, true, true, false, true, true, true, true]);
    // The chunk list from a stored payload agrees with what the encoder reported.
    const summary = await validateRam(await ramPayload(ram, { chunkPages: 32 }));
    expect(summary.chunks.map((x) => x.contentHash)).toEqual(a.map((x) => x.contentHash));
  });

  it('reassembles a payload from stored chunk records byte for byte', async () => {
    const ram = mixedRam(128);
    const direct = await collectBytes(encodeRam(ram, { chunkPages: 16 }));
    const records: Uint8Array[][] = [];
    for await (const c of encodeRamChunks(ram, { chunkPages: 16 })) records.push(c.record);
    const header = await readPagedHeader(bytesSource(direct));
    const rebuilt = await collectBytes(assemblePaged(header, records));
    expect(Buffer.compare(rebuilt, direct)).toBe(0);
  });

  it('refuses corrupted chunks before writing them, naming the chunk', async () => {
    const ram = mixedRam(64);
    const payload = await collectBytes(encodeRam(ram, { chunkPages: 16 }));
    const { chunks } = await validateRam(bytesSource(payload));
    const c1 = chunks[1];
    const bad = payload.slice();
    bad[c1.recordOffset + c1.recordLength - 3] ^= 0x40; // inside chunk 1's compressed data
    await expect(validateRam(bytesSource(bad))).rejects.toThrow(
      `ram chunk 1 (pages ${c1.runs[0][0]}…31, payload offset ${c1.recordOffset}): record checksum mismatch`,
    );
    expect(await codeOf(validateRam(bytesSource(bad)))).toBe('checksum');
    const target = new Uint8Array(ram.length);
    expect(await codeOf(decodeRamInto(bytesSource(bad), target))).toBe('checksum');
    // Chunk 0 was complete and verified, so it was written; nothing of chunk 1 was.
    expect(Buffer.compare(target.subarray(0, 16 * PAGE_SIZE), ram.subarray(0, 16 * PAGE_SIZE))).toBe(0);
    expect(ram.subarray(16 * PAGE_SIZE, 32 * PAGE_SIZE).some((b) => b !== 0)).toBe(true);
    expect(target.subarray(16 * PAGE_SIZE).every((b) => b === 0)).toBe(true);

    // Every flipped bit anywhere in the payload is found by the cheap validation.
    for (let i = 0; i < payload.length; i += Math.max(1, Math.floor(payload.length / 997))) {
      const b = payload.slice();
      b[i] ^= 1 << (i % 8);
      const code = await codeOf(validateRam(bytesSource(b)));
      expect([i, ['checksum', 'bad-section', 'truncated', 'unsupported-encoding'].includes(code)]).toEqual([i, true]);
    }
    // Truncations and trailing garbage.
    for (const n of [0, 5, 40, c1.recordOffset + 3, payload.length - 24, payload.length - 1]) {
      expect(await codeOf(validateRam(bytesSource(payload.subarray(0, n))))).not.toBe('ok');
    }
    const longer = new Uint8Array(payload.length + 1);
    longer.set(payload);
    expect(await codeOf(validateRam(bytesSource(longer)))).toBe('bad-section');
    // A target of the wrong size is refused before anything is written.
    expect(await codeOf(decodeRamInto(bytesSource(payload), new Uint8Array(ram.length - PAGE_SIZE)))).toBe('invalid-argument');
  });

  it('refuses RAM that is not whole pages, and frames that lie about their size', async () => {
    await expect(collectBytes(encodeRam(new Uint8Array(PAGE_SIZE + 1)))).rejects.toMatchObject({ code: 'invalid-argument' });
    await initCodecs();
    const frame = compressChunk('zstd', new Uint8Array(8192).fill(3));
    expect(zstdFrameContentSize(frame)).toBe(8192);
    expect(zstdFrameContentSize(new Uint8Array([1, 2, 3, 4, 5, 6]))).toBeUndefined();
  });

  it('round-trips a 256 MiB mostly-zero RAM through a file', async () => {
    const ram = new Uint8Array(256 * MiB);
    const marks = [0, 1, 4095, 40_000, 65_535].map((p) => p * PAGE_SIZE);
    for (const [i, at] of marks.entries()) ram.fill(i + 1, at, at + 100);
    ram.set(randomBytes(3 * MiB, 7), 100 * MiB);
    const path = join(dir, 'zero.amber');
    const w = new SnapshotWriter();
    w.addSection({ name: 'ram', version: 1, required: true, encoding: 'ram' }, encodeRam(ram));
    const written = await writeSnapshotFile(path, w.finish());
    expect((await stat(path)).size).toBe(written);
    expect(written).toBeLessThan(4 * MiB);
    const src = await nodeFileSource(path);
    try {
      const snap = await openSnapshot(src);
      await snap.verifyAll();
      const summary = await validateRam(snap.payloadSource('ram'));
      expect(summary.pageCount).toBe(768 + 5);
      const target = new Uint8Array(256 * MiB).fill(0x5a);
      await decodeRamInto(snap.payloadSource('ram'), target);
      expect(Buffer.compare(target, ram)).toBe(0);
    } finally {
      await src.close();
    }
  });

  it('streams a 64 MiB random RAM to a file without holding the file in memory', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const ram = randomBytes(64 * MiB, 42);
    const path = join(dir, 'random.amber');
    gc();
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let pulled = 0;
    let yielded = 0;
    const w = new SnapshotWriter();
    w.addSection(
      { name: 'ram', version: 1, required: true, encoding: 'ram' },
      (async function* () {
        for await (const c of encodeRam(ram)) {
          pulled += c.length;
          // The writer pulls the next payload piece only after handing on the previous one.
          expect(pulled - yielded).toBeLessThanOrEqual(c.length);
          yield c;
        }
      })(),
    );
    const sampled = (async function* () {
      let sinceGc = 0;
      for await (const c of w.finish()) {
        yielded += c.length;
        expect(c.length).toBeLessThanOrEqual(4 * MiB + 64 * 1024);
        sinceGc += c.length;
        if (sinceGc >= 8 * MiB) {
          sinceGc = 0;
          gc();
          peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
        }
        yield c;
      }
    })();
    const written = await writeSnapshotFile(path, sampled);
    expect(written).toBeGreaterThan(64 * MiB); // random data does not compress
    // Never the 64 MiB file: at most half of it, whatever else the test process holds while
    // other suites load the machine (a few chunks in flight measure 10–30 MiB here).
    expect(peak).toBeLessThan(32 * MiB);
    const src = await nodeFileSource(path);
    try {
      const snap = await openSnapshot(src);
      await snap.verifyAll();
      await validateRam(snap.payloadSource('ram'));
      const target = new Uint8Array(64 * MiB);
      await decodeRamInto(snap.payloadSource('ram'), target);
      expect(Buffer.compare(target, ram)).toBe(0);
    } finally {
      await src.close();
    }
  });
});

describe('disk encoding', () => {
  const base = { name: 'rootfs.ext2', sha256: 'ab'.repeat(32), size: 64 * PAGE_SIZE };

  it('round-trips written blocks over a base image, zero blocks included', async () => {
    const baseImage = mixedRam(64);
    const disk = baseImage.slice();
    const written = new Uint8Array(8);
    for (const b of [0, 5, 6, 7, 40, 63]) {
      written[b >> 3] |= 1 << (b & 7);
      disk.fill(b === 6 ? 0 : b + 1, b * PAGE_SIZE, (b + 1) * PAGE_SIZE); // block 6 written with zeros
    }
    const payload = bytesSource(await collectBytes(encodeDisk(disk, { mode: 'delta', base, written, chunkPages: 16 })));
    const summary = await validateDisk(payload, { deep: true });
    expect(summary.header).toMatchObject({ kind: 'disk-delta', base, totalBytes: disk.length });
    expect(summary.pageCount).toBe(6);
    const target = baseImage.slice();
    const decoded = await decodeDiskInto(payload, target);
    expect(Buffer.compare(target, disk)).toBe(0);
    expect(Array.from(decoded.written)).toEqual(Array.from(written));
    expect(await codeOf(validateRam(payload))).toBe('bad-section');
  });

  it('exports a whole disk (portable) and refuses a short bitmap', async () => {
    const disk = mixedRam(40);
    const payload = bytesSource(await collectBytes(encodeDisk(disk, { mode: 'full' })));
    const target = new Uint8Array(disk.length).fill(9);
    const decoded = await decodeDiskInto(payload, target);
    expect(decoded.header.kind).toBe('disk-full');
    expect(decoded.header.base).toBeUndefined();
    expect(Buffer.compare(target, disk)).toBe(0);
    await expect(collectBytes(encodeDisk(disk, { mode: 'delta', base, written: new Uint8Array(1) }))).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});

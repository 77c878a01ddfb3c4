import { describe, expect, it } from 'vitest';
import {
  blobSource,
  bytesSource,
  collectBytes,
  FORMAT_VERSION,
  HEADER_SIZE,
  openSnapshot,
  SnapshotError,
  SnapshotWriter,
  snapshotToBlobParts,
  TRAILER_SIZE,
  FLAG_REQUIRED,
  initHash,
  xxh64,
  type SnapshotErrorCode,
} from '../../src/snapshot/index.ts';
import { codeOf } from './helpers.ts';

const enc = new TextEncoder();

async function smallFile(): Promise<Uint8Array> {
  const w = new SnapshotWriter();
  w.addSection({ name: 'machine', version: 1, required: true, encoding: 'json' }, enc.encode('{"harts":1}'));
  w.addSection({ name: 'empty', version: 1, required: false, encoding: 'raw' }, new Uint8Array(0));
  w.addSection({ name: 'parts', version: 2, required: true, encoding: 'raw' }, [enc.encode('ab'), enc.encode('cd')]);
  w.addSection(
    { name: 'stream', version: 1, required: false, encoding: 'raw' },
    (async function* () {
      yield enc.encode('x'.repeat(1000));
      yield new Uint8Array(0);
      yield enc.encode('y');
    })(),
  );
  return collectBytes(w.finish());
}

describe('container', () => {
  it('round-trips sections of every payload form', async () => {
    const file = await smallFile();
    const snap = await openSnapshot(file);
    expect(snap.formatVersion).toBe(FORMAT_VERSION);
    expect(snap.sections.map((s) => [s.name, s.version, s.required, s.encoding, s.length])).toEqual([
      ['machine', 1, true, 'json', 11],
      ['empty', 1, false, 'raw', 0],
      ['parts', 2, true, 'raw', 4],
      ['stream', 1, false, 'raw', 1001],
    ]);
    expect(new TextDecoder().decode(await snap.readSection('machine'))).toBe('{"harts":1}');
    expect(new TextDecoder().decode(await snap.readSection('parts'))).toBe('abcd');
    expect((await snap.readSection('empty')).length).toBe(0);
    expect((await snap.readSection('stream')).length).toBe(1001);
    await snap.verifyAll();
    await snap.verifySection('stream');
    expect(await codeOf(snap.readSection('nope'))).toBe('missing-section');
  });

  it('reads through a Blob source and produces Blob parts', async () => {
    const w = new SnapshotWriter();
    w.addSection({ name: 'a', version: 1, required: true, encoding: 'raw' }, enc.encode('hello'));
    const blob = new Blob(await snapshotToBlobParts(w.finish()));
    const snap = await openSnapshot(blobSource(blob));
    expect(new TextDecoder().decode(await snap.readSection('a'))).toBe('hello');
    await snap.verifyAll();
    const snap2 = await openSnapshot(blob); // a Blob directly
    expect(snap2.sections.length).toBe(1);
  });

  it('copies payload chunks that view shared memory', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(8)).fill(7);
    const w = new SnapshotWriter();
    w.addSection({ name: 'a', version: 1, required: true, encoding: 'raw' }, shared);
    for await (const c of w.finish()) expect(c.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('refuses bad names, duplicates and use after finish', async () => {
    const w = new SnapshotWriter();
    expect(() => w.addSection({ name: '', version: 1, required: true, encoding: 'raw' }, new Uint8Array())).toThrow(SnapshotError);
    expect(() => w.addSection({ name: 'a b', version: 1, required: true, encoding: 'raw' }, new Uint8Array())).toThrow(/must be/);
    expect(() => w.addSection({ name: 'a', version: 0, required: true, encoding: 'raw' }, new Uint8Array())).toThrow(/version/);
    w.addSection({ name: 'a', version: 1, required: true, encoding: 'raw' }, new Uint8Array());
    expect(() => w.addSection({ name: 'a', version: 1, required: true, encoding: 'raw' }, new Uint8Array())).toThrow(/twice/);
    await collectBytes(w.finish());
    expect(() => w.addSection({ name: 'b', version: 1, required: true, encoding: 'raw' }, new Uint8Array())).toThrow(/after finish/);
  });

  it('refuses a wrong magic and a future format version with a clear message', async () => {
    const file = await smallFile();
    const bad = file.slice();
    bad[0] = 'X'.charCodeAt(0);
    await expect(openSnapshot(bad)).rejects.toMatchObject({ code: 'bad-magic' });
    expect(await codeOf(openSnapshot(enc.encode('PK\x03\x04 a zip file, not a snapshot at all, no no no no no no no')))).toBe('bad-magic');
    expect(await codeOf(openSnapshot(new Uint8Array(0)))).toBe('bad-magic');

    const future = file.slice();
    new DataView(future.buffer).setUint32(8, 3, true);
    await expect(openSnapshot(future)).rejects.toThrow('written by a newer Amber (format v3); this release reads up to v1');
    await expect(openSnapshot(future)).rejects.toMatchObject({ code: 'future-version' });
  });

  it('detects truncation at every offset of the header, index and trailer, and a sample of payload offsets', async () => {
    const file = await smallFile();
    const snap = await openSnapshot(file);
    const payloadStart = snap.sections[0].recordOffset;
    const offsets = new Set<number>();
    for (let n = 0; n <= HEADER_SIZE + 4; n++) offsets.add(n);
    for (let n = snap.indexOffset - 4; n < file.length; n++) offsets.add(n);
    for (let n = payloadStart; n < snap.indexOffset; n += 37) offsets.add(n);
    for (const n of offsets) {
      const code = await codeOf(openSnapshot(file.subarray(0, n)));
      expect([n, code]).toEqual([n, n === 0 ? 'bad-magic' : 'truncated']);
    }
  });

  it('detects every flipped bit with the code of the structure it hits', async () => {
    const file = await smallFile();
    const snap = await openSnapshot(file);
    const trailerAt = file.length - TRAILER_SIZE;
    const expected = (byte: number, bit: number): SnapshotErrorCode[] => {
      if (byte < 8) return ['bad-magic'];
      if (byte < 12) return byte === 8 && bit === 0 ? ['bad-header'] : ['future-version'];
      if (byte < 16) return ['bad-header'];
      if (byte >= trailerAt + 40) return ['truncated']; // the trailer magic: "not finished"
      return ['checksum'];
    };
    for (let byte = 0; byte < file.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = file.slice();
        bad[byte] ^= 1 << bit;
        const code = await codeOf(openSnapshot(bad).then((s) => s.verifyAll()));
        expect([byte, bit, code]).toEqual([byte, bit, expected(byte, bit)[0]]);
      }
    }
    // A payload flip is found by the section read too, naming the section and its offsets.
    const bad = file.slice();
    const parts = snap.section('parts');
    bad[parts.offset + 1] ^= 0x10;
    const s = await openSnapshot(bad);
    await expect(s.readSection('parts')).rejects.toThrow(`section 'parts': payload checksum mismatch (bytes [${parts.offset}, ${parts.offset + 4})`);
    expect(await codeOf(s.readSection('machine'))).toBe('ok');
  });

  it('refuses unknown critical section flags and ignores unknown advisory ones', async () => {
    await initHash();
    /** The file with the first section's flags replaced, every checksum recomputed. */
    const withFlags = async (flags: number): Promise<Uint8Array> => {
      const file = (await smallFile()).slice();
      const snap = await openSnapshot(file);
      const s = snap.sections[0];
      const dv = new DataView(file.buffer);
      const nameLen = new TextEncoder().encode(s.name).length;
      dv.setUint32(s.recordOffset + 4 + 2 + nameLen + 4, flags, true);
      dv.setBigUint64(s.offset - 8, xxh64(file.subarray(s.recordOffset, s.offset - 8)), true);
      dv.setUint32(snap.indexOffset + 12 + 2 + nameLen + 4, flags, true);
      const trailerAt = file.length - TRAILER_SIZE;
      dv.setBigUint64(trailerAt + 16, xxh64(file.subarray(snap.indexOffset, trailerAt)), true);
      dv.setBigUint64(trailerAt + 24, xxh64(file.subarray(0, trailerAt)), true);
      dv.setBigUint64(trailerAt + 32, xxh64(file.subarray(trailerAt, trailerAt + 32)), true);
      return file;
    };
    const advisory = await openSnapshot(await withFlags(FLAG_REQUIRED | (1 << 20)));
    await advisory.verifyAll();
    expect(advisory.sections[0]).toMatchObject({ name: 'machine', required: true, flags: FLAG_REQUIRED | (1 << 20) });
    await expect(openSnapshot(await withFlags(FLAG_REQUIRED | (1 << 3)))).rejects.toThrow(
      "index entry 0 ('machine', at offset",
    );
    expect(await codeOf(openSnapshot(await withFlags(1 << 3)))).toBe('bad-index');
    expect((await openSnapshot(await withFlags(0))).sections[0].required).toBe(false);
  });

  it('reads sources that are windows of a larger buffer', async () => {
    const file = await smallFile();
    const big = new Uint8Array(file.length + 100);
    big.set(file, 50);
    const snap = await openSnapshot(bytesSource(big.subarray(50, 50 + file.length)));
    await snap.verifyAll();
  });
});

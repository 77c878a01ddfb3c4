/**
 * Compatibility: every release must keep reading the snapshot written by format v1.
 * Do not "fix" this test by regenerating the fixture: add a migration instead
 * (docs/snapshot-format.md, "Compatibility rules").
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MachineConfig } from '../../src/machine/config.ts';
import {
  blobSource,
  collectBytes,
  decodeDiskInto,
  decodeRamInto,
  defaultRegistry,
  encodeDisk,
  encodeRam,
  openSnapshot,
  validateDisk,
  validateRam,
  type Snapshot,
} from '../../src/snapshot/index.ts';
import { nodeFileSource } from '../../src/snapshot/node-source.ts';
import * as spec from './fixture-spec.ts';

const registry = () => defaultRegistry().registerDevice('clint', spec.fakeTimerSchema).registerDevice('uart0', spec.fakeUartSchema);

/** Every value the fixture was written with must read back (fields a later schema removed excepted). */
function expectFieldsKept(got: Record<string, bigint[]>, written: Record<string, bigint[]>): void {
  for (const [name, v] of Object.entries(written)) if (name in got) expect([name, got[name]]).toEqual([name, v]);
}

async function checkFixture(snap: Snapshot): Promise<void> {
  await snap.verifyAll();
  const reg = registry();
  expect(reg.check(snap).notes).toEqual([`skipped optional section '${spec.VENDOR_SECTION}' (v1, raw, 9 bytes): not known to this release`]);

  expect(reg.missing(snap)).toEqual([]);
  expect(await reg.readJson<MachineConfig>(snap, 'machine')).toEqual(spec.config);
  expectFieldsKept((await reg.readFields(snap, 'hart/0')).values, spec.hartValues());
  expect((await reg.readFields(snap, 'device/clint')).values).toEqual(spec.timerValues);
  expect((await reg.readFields(snap, 'device/uart0')).values).toEqual(spec.uartValues);
  expectFieldsKept((await reg.readFields(snap, 'clock')).values, spec.clockValues);
  expect(await reg.readJson(snap, 'console/screen')).toEqual(spec.screen);
  expect(await reg.readJson(snap, 'meta')).toMatchObject(spec.meta);

  const ramSummary = await validateRam(snap.payloadSource('ram'), { deep: true });
  expect(ramSummary).toMatchObject({ chunkCount: 2, pageCount: 4 });
  const ram = new Uint8Array(spec.RAM_BYTES).fill(0xee);
  await decodeRamInto(snap.payloadSource('ram'), ram);
  expect(Buffer.compare(ram, spec.ramImage())).toBe(0);

  const diskSummary = await validateDisk(snap.payloadSource('disk/0'));
  expect(diskSummary.header).toMatchObject({ kind: 'disk-delta', base: spec.diskBase });
  const disk = spec.diskBaseImage();
  const decoded = await decodeDiskInto(snap.payloadSource('disk/0'), disk);
  expect(Buffer.compare(disk, spec.diskImage().disk)).toBe(0);
  expect(Array.from(decoded.written.subarray(0, 2))).toEqual(Array.from(spec.diskImage().written));
}

describe('format v1 compatibility fixture', () => {
  it('loads test/snapshot/fixtures/format-v1.amber completely, from a file and from a Blob', async () => {
    const src = await nodeFileSource(fileURLToPath(spec.FIXTURE_PATH));
    try {
      const snap = await openSnapshot(src);
      expect(snap.formatVersion).toBe(1);
      expect(snap.size).toBeLessThan(8192);
      expect(snap.sections.map((s) => s.name)).toEqual([
        'machine', 'hart/0', 'device/clint', 'device/uart0', 'clock', 'ram', 'disk/0', 'console/screen', 'meta', spec.VENDOR_SECTION,
      ]);
      await checkFixture(snap);
    } finally {
      await src.close();
    }
    const bytes = await readFile(spec.FIXTURE_PATH);
    await checkFixture(await openSnapshot(blobSource(new Blob([bytes]))));
  });

  it('keeps the RAM chunk content hashes of v1 (a content-addressed store depends on them)', async () => {
    // The same pages in the same windows must hash the same in every release. The fixture was
    // written with the first releases' 1024-page windows (the default is smaller now).
    const chunkPages = 1024;
    const snap = await openSnapshot(new Uint8Array(await readFile(spec.FIXTURE_PATH)));
    const fromFile = (await validateRam(snap.payloadSource('ram'))).chunks.map((c) => c.contentHash);
    const seen: string[] = [];
    await collectBytes(encodeRam(spec.ramImage(), { chunkPages, onChunk: (c) => seen.push(c.contentHash) }));
    expect(seen).toEqual(fromFile);
    const { disk, written } = spec.diskImage();
    const diskNow: string[] = [];
    await collectBytes(encodeDisk(disk, { mode: 'delta', base: spec.diskBase, written, chunkPages, onChunk: (c) => diskNow.push(c.contentHash) }));
    expect(diskNow).toEqual((await validateDisk(snap.payloadSource('disk/0'))).chunks.map((c) => c.contentHash));
  });
});

describe('inspect', () => {
  it('lists the fixture’s sections with what this release makes of them', async () => {
    const { inspectSnapshot } = await import('../../src/snapshot/index.ts');
    const snap = await openSnapshot(new Uint8Array(await readFile(spec.FIXTURE_PATH)));
    const lines = await inspectSnapshot(snap, registry());
    expect(lines[0]).toMatch(/^Amber snapshot, format v1, \d+ bytes, 10 sections, file xxh64 [0-9a-f]{16}$/);
    expect(lines.find((l) => l.includes('ram '))).toMatch(/ram\s+v1 required ram .* ok$/);
    expect(lines).toContain('      ram: 16777216 bytes, 4 pages stored in 2 zstd chunks');
    expect(lines).toContain(`      disk-delta over rootfs.ext2 (sha256 ${'3'.repeat(16)}…): 65536 bytes, 2 pages stored in 1 zstd chunks`);
    expect(lines.find((l) => l.includes(spec.VENDOR_SECTION))).toMatch(/unknown, optional: skipped$/);
  });
});

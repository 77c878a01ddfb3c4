/** DirectoryImageSource skips re-hashing an unchanged, already verified file — and only that. */
import { chmod, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryImageSource, sha256Hex } from '../../src/machine/node-images.ts';
import { VerifiedImages } from '../../src/machine/verified-images.ts';
import type { ImageRef } from '../../src/machine/config.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amber-verified-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(gzip: boolean) {
  const content = new Uint8Array(64 << 10);
  content.fill(7, 4096, 9000);
  const name = gzip ? 'disk.img.gz' : 'disk.img';
  await writeFile(join(dir, name), gzip ? gzipSync(content) : content);
  const ref: ImageRef = { name, sha256: sha256Hex(content), size: content.length, ...(gzip ? { gzip: true } : {}) };
  const record = join(dir, 'verified.json');
  return { content, name, ref, record };
}

describe('verified image record', () => {
  for (const gzip of [false, true]) {
    it(`records a verified ${gzip ? 'gzip ' : ''}file and refuses it once changed, even with its size and mtime kept`, async () => {
      const { content, name, ref, record } = await setup(gzip);
      const first = await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref);
      expect(Buffer.compare(first, content)).toBe(0);
      await sleep(50); // the record is written in the background
      const entries = JSON.parse(await readFile(record, 'utf8'));
      expect(entries[join(dir, name)].sha256).toBe(ref.sha256);
      // A gzip image with little data is recorded with its content (blocks 1 and 2 of 16).
      expect(entries[join(dir, name)].sparse?.blocks).toEqual(gzip ? [1, 2] : undefined);
      // Unchanged: loads (from the record: for gzip, its content without reading the file) and is the same content.
      const again = await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref);
      expect(Buffer.compare(again, content)).toBe(0);
      // Changed in place, same size, mtime set back: the ctime differs, so it is hashed and refused.
      const path = join(dir, name);
      const before = await stat(path);
      const changed = content.slice();
      changed[5000] = 8;
      await writeFile(path, gzip ? gzipSync(changed, { level: 9 }) : changed);
      if (!gzip) expect((await stat(path)).size).toBe(before.size);
      await utimes(path, before.atime, before.mtime);
      await expect(new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref)).rejects.toThrow(/has sha256/);
    });
  }

  it('does not record a file changed in the last few seconds', async () => {
    const { ref, record } = await setup(false);
    await new DirectoryImageSource(dir, undefined, new VerifiedImages(record)).load(ref);
    await sleep(50);
    await expect(readFile(record, 'utf8')).rejects.toThrow();
  });

  it('ignores a record that others may write', async () => {
    const { name, ref, record } = await setup(false);
    await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref);
    await sleep(50);
    // A forged entry for a different content, in a record writable by the group: not trusted.
    const entries = JSON.parse(await readFile(record, 'utf8'));
    const path = join(dir, name);
    const other = new Uint8Array(64 << 10);
    entries[path].sha256 = sha256Hex(other);
    await writeFile(record, JSON.stringify(entries));
    await chmod(record, 0o666);
    await expect(
      new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load({ ...ref, sha256: sha256Hex(other) }),
    ).rejects.toThrow(/has sha256/);
    // The same forged record, private again, is believed: it is what the record is for (it must be this user's).
    await chmod(record, 0o600);
    await expect(
      new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load({ ...ref, sha256: sha256Hex(other) }),
    ).resolves.toBeInstanceOf(Uint8Array);
  });
});

describe('verified image record with content', () => {
  it('is not used if its recorded content does not hold together', async () => {
    const { content, name, ref, record } = await setup(true);
    await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref);
    await sleep(50);
    const entries = JSON.parse(await readFile(record, 'utf8'));
    const sparse = entries[join(dir, name)].sparse;
    const data = Buffer.from(sparse.data, 'base64');
    data[10] ^= 1;
    sparse.data = data.toString('base64');
    await writeFile(record, JSON.stringify(entries));
    // The damaged content is not used: the file is unpacked (and, still known, not re-hashed).
    const again = await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref);
    expect(Buffer.compare(again, content)).toBe(0);
  });

  it('keeps content only for a mostly empty image', async () => {
    const content = new Uint8Array(2 << 20).fill(1);
    await writeFile(join(dir, 'full.gz'), gzipSync(content));
    const ref: ImageRef = { name: 'full.gz', sha256: sha256Hex(content), size: content.length, gzip: true };
    const record = join(dir, 'verified.json');
    await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref);
    await sleep(50);
    const entry = JSON.parse(await readFile(record, 'utf8'))[join(dir, 'full.gz')];
    expect(entry.sha256).toBe(ref.sha256);
    expect(entry.sparse).toBeUndefined();
    expect(Buffer.compare(await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref), content)).toBe(0);
  });

  it('keeps every non-zero byte, also in a short last block and at odd positions', async () => {
    const record = join(dir, 'verified.json');
    for (const [n, size] of [[0, 3 * 4096 + 5], [1, 5 * 4096 + 2], [2, 4 * 4096]] as const) {
      const content = new Uint8Array(size);
      content[size - 1] = 1; // the very last byte
      content[4096 + 4095] = 2; // the last byte of block 1
      content[2 * 4096 + 1] = 3; // an odd byte of block 2
      const name = `img${n}.gz`;
      await writeFile(join(dir, name), gzipSync(content));
      const ref: ImageRef = { name, sha256: sha256Hex(content), size, gzip: true };
      await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref);
      await sleep(50);
      const entry = JSON.parse(await readFile(record, 'utf8'))[join(dir, name)];
      expect(entry.sparse.blocks).toEqual([1, 2, Math.floor((size - 1) / 4096)]);
      const again = await new DirectoryImageSource(dir, undefined, new VerifiedImages(record, 0)).load(ref);
      expect(Buffer.compare(again, content)).toBe(0);
    }
  });
});

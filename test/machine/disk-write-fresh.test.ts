/** DiskRegion.writeFresh copies only an image's non-zero blocks: the region must equal the image. */
import { describe, expect, it } from 'vitest';
import { DiskRegion, diskExtraBytes, sparseImageBlocks } from '../../src/machine/disk-layout.ts';
import { SharedMachineMemory } from '../../src/machine/shared-memory.ts';

const RAM = 16 << 20;

function image(size: number, seed: number, offset = 0): Uint8Array {
  const buf = new Uint8Array(size + offset).subarray(offset);
  let x = seed;
  for (let b = 0; b * 4096 < size; b++) {
    x = (x * 1103515245 + 12345) >>> 0;
    if (x % 3 === 0) continue; // a zero block
    // One non-zero byte somewhere in the block (also in its last bytes), or a full block.
    if (x % 5 === 0) for (let i = b * 4096; i < Math.min(size, (b + 1) * 4096); i++) buf[i] = (i * 7 + 1) & 0xff;
    else buf[Math.min(size - 1, b * 4096 + ((x >>> 8) % 4096))] = 1 + (x & 0x7f);
  }
  return buf;
}

describe('DiskRegion.writeFresh', () => {
  for (const [size, offset] of [[1 << 20, 0], [(1 << 20) + 4096 * 3 + 7, 0], [300_001, 1], [4099, 0]] as const) {
    it(`copies a ${size}-byte image${offset ? ' at an odd offset' : ''} exactly`, () => {
      for (const seed of [1, 2, 3]) {
        const mem = SharedMachineMemory.create(RAM, diskExtraBytes(size));
        mem.initControl(1, RAM);
        const region = new DiskRegion(mem, RAM, size);
        const img = image(size, seed, offset);
        region.writeFresh(img);
        expect(Buffer.compare(region.bytes(), img)).toBe(0);
      }
    });
  }
  it('leaves zero blocks unwritten', () => {
    const size = 64 * 4096;
    const mem = SharedMachineMemory.create(RAM, diskExtraBytes(size));
    mem.initControl(1, RAM);
    const region = new DiskRegion(mem, RAM, size);
    region.bytes().fill(0xee); // not fresh: the untouched blocks show
    const img = new Uint8Array(size);
    img[5 * 4096 + 100] = 1;
    region.writeFresh(img);
    expect(region.bytes()[5 * 4096 + 100]).toBe(1);
    expect(region.bytes()[5 * 4096]).toBe(0);
    expect(region.bytes()[4 * 4096]).toBe(0xee);
    expect(region.bytes()[6 * 4096]).toBe(0xee);
  });
  it('copies just the listed blocks of an image whose non-zero blocks are known', () => {
    const size = 64 * 4096 + 100; // a short last block
    const mem = SharedMachineMemory.create(RAM, diskExtraBytes(size));
    mem.initControl(1, RAM);
    const region = new DiskRegion(mem, RAM, size);
    const img = new Uint8Array(size);
    img.fill(3, 2 * 4096, 3 * 4096);
    img[64 * 4096 + 99] = 9;
    sparseImageBlocks.set(img, [2, 64]);
    region.writeFresh(img);
    expect(Buffer.compare(region.bytes(), img)).toBe(0);
  });
});

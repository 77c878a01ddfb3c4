/** The same snapshot built in Node and in a browser worker: the files must be byte-identical. */
import { defaultRegistry, encodeRam, SnapshotWriter } from '../../../src/snapshot/index.ts';

export const RAM_BYTES = 32 << 20;

export function workloadWriter(): { writer: SnapshotWriter; ram: Uint8Array } {
  const ram = new Uint8Array(new SharedArrayBuffer(RAM_BYTES));
  for (let p = 0; p < RAM_BYTES / 4096; p += 3) ram.fill(p & 0xff, p * 4096, p * 4096 + 2000);
  const reg = defaultRegistry();
  const writer = new SnapshotWriter();
  writer.addSection(...reg.json('machine', { version: 1, harts: 1 }));
  writer.addSection(reg.meta('ram'), encodeRam(ram));
  return { writer, ram };
}

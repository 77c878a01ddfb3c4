/** Helpers for snapshot engine tests: save to bytes, plan a restore, hash a whole machine. */
import { GUEST_IMAGES, loadManifest } from '../../src/cli/run.ts';
import type { MachineConfig } from '../../src/machine/config.ts';
import { findImageSet, linuxConfig } from '../../src/machine/guest-images.ts';
import { DEVICE_SLOT_SIZE, HART_STATE_SIZE, hartBase } from '../../src/machine/layout.ts';
import { Machine } from '../../src/machine/machine.ts';
import { DirectoryImageSource } from '../../src/machine/node-images.ts';
import { collectBytes } from '../../src/snapshot/source.ts';
import { planRestore, snapshotPieces, type Capture, type RestorePlan } from '../../src/snapshot/engine.ts';
import { hashHex, initHash, xxh64 } from '../../src/snapshot/hash.ts';
import { DiskRegion } from '../../src/machine/disk-layout.ts';

export const images = new DirectoryImageSource(GUEST_IMAGES);

export function linux(harts: number, memoryMiB = 256, deterministic = false): MachineConfig {
  return linuxConfig(findImageSet(loadManifest(), 'linux'), harts, memoryMiB, deterministic);
}

export function snapshotBytes(capture: Capture): Promise<Uint8Array> {
  return collectBytes(snapshotPieces(capture, Machine.registryFor(capture.config)));
}

export function plan(bytes: Uint8Array): Promise<RestorePlan> {
  return planRestore(bytes, Machine.registryFor, { has: async (ref) => void (await images.load(ref)) });
}

/** One hash over everything guest-visible: RAM, every hart's state, every device slot, the disk. */
export async function machineStateHash(m: Machine): Promise<string> {
  await initHash();
  const u8 = m.mem.u8;
  const parts = [m.mem.ramBytes().slice()];
  for (let h = 0; h < m.config.harts; h++) parts.push(u8.slice(hartBase(h), hartBase(h) + HART_STATE_SIZE));
  for (const d of m.board.devices) {
    const slot = d.state.base;
    // Skip the lock word (8 bytes): it is not state.
    parts.push(u8.slice(slot + 8, slot + DEVICE_SLOT_SIZE));
  }
  if (m.config.disk) {
    const disk = new DiskRegion(m.mem, m.mem.ramSize, m.config.disk.size);
    parts.push(disk.region().slice(), disk.bitmap().slice());
  }
  return hashHex(xxh64(...parts));
}

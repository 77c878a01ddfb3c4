/** Snapshot files for the CLI: write a capture to a path, read a path or URL into a restore plan. */
import { openSnapshot } from '../snapshot/container.ts';
import { planRestore, snapshotPieces, type Capture, type RestorePlan } from '../snapshot/engine.ts';
import { inspectSnapshot } from '../snapshot/inspect.ts';
import { MACHINE_SECTION, defaultRegistry } from '../snapshot/sections.ts';
import type { MachineConfig } from '../machine/config.ts';
import { nodeFileSource, writeSnapshotFile } from '../snapshot/node-source.ts';
import { Machine, type ImageSource } from '../machine/machine.ts';
import type { SnapshotInput } from '../snapshot/container.ts';
import { nodePlatform } from '../workers/node-platform.ts';

/** Write `capture` to `path` (through a `.partial` file, renamed when complete). Returns its size. */
export function saveSnapshotFile(capture: Capture, path: string): Promise<number> {
  return writeSnapshotFile(path, snapshotPieces(capture, Machine.registryFor(capture.config)));
}

/** A local path (opened for reading) or an http(s) URL (fetched), as a snapshot input. */
async function openInput(where: string): Promise<{ input: SnapshotInput; close(): Promise<void> }> {
  if (/^https?:\/\//.test(where)) {
    const response = await fetch(where);
    if (!response.ok) throw new Error(`cannot fetch snapshot ${where}: HTTP ${response.status}`);
    return { input: new Uint8Array(await response.arrayBuffer()), close: async () => undefined };
  }
  const file = await nodeFileSource(where);
  return { input: file, close: () => file.close() };
}

/** A validated restore plan, and the file it reads from: close it once the machine is built. */
export type OpenRestorePlan = RestorePlan & { close(): Promise<void> };

/**
 * Read and fully validate a snapshot, and check that its base images are available here. The
 * hart threads of the machine it describes start meanwhile (nodePlatform.prewarmHarts), so that
 * they are ready when the machine is built, and its base disk image is loaded and verified
 * (`images` keeps it for Machine.restore).
 */
export async function loadRestorePlan(where: string, images: ImageSource): Promise<OpenRestorePlan> {
  const { input, close } = await openInput(where);
  try {
    const plan = await planRestore(input, Machine.registryFor, { has: async (ref) => void (await images.load(ref)) }, {
      onConfig: (config) => {
        nodePlatform.prewarmHarts?.(config.harts);
        // The base disk image unpacks and hashes on the thread pool while the rest is checked;
        // the check at the end (images.has) waits for it and reports its failure.
        if (config.disk) images.load(config.disk).catch(() => undefined);
      },
    });
    return Object.assign(plan, { close });
  } catch (err) {
    await close();
    throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `amber inspect`: the sections, versions, sizes and checksums (all verified) and the machine config. */
export async function inspectSnapshotFile(path: string): Promise<string[]> {
  const file = await nodeFileSource(path);
  try {
    const snap = await openSnapshot(file);
    await snap.verifyAll();
    const config = await defaultRegistry().readJson<MachineConfig>(snap, MACHINE_SECTION);
    return [...(await inspectSnapshot(snap, Machine.registryFor(config))), 'all checksums verified'];
  } finally {
    await file.close();
  }
}

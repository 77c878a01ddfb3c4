/**
 * The committed guest image sets (guest/images/manifest.json) and the machine configs
 * they boot. Shared by the CLI and the page.
 */
import type { ImageRef, MachineConfig } from './config.ts';

export interface ManifestFile {
  file: string;
  /** Size and sha256 of the file as stored (and fetched). */
  size: number;
  sha256: string;
  /** The file is gzip-compressed: loaders gunzip it after checking its sha256. */
  gzip?: boolean;
  unpacked?: { size: number; sha256: string };
}

export interface ImageSet {
  name: string;
  title?: string;
  firmware: ManifestFile;
  kernel: ManifestFile;
  initrd?: ManifestFile;
  disk?: ManifestFile;
  bootargs: string;
}

export interface ImageManifest {
  images: ImageSet[];
}

/** The line the guest's init prints once the shell is about to start. */
export const READY_LINE = 'amber: ready';

/** The image a machine sees: for a gzip file, its decompressed contents. */
export function refOf(f: ManifestFile): ImageRef {
  if (f.gzip) {
    if (!f.unpacked) throw new Error(`manifest entry '${f.file}' is gzip but gives no unpacked size and sha256`);
    return { name: f.file, sha256: f.unpacked.sha256, size: f.unpacked.size, gzip: true };
  }
  return { name: f.file, sha256: f.sha256, size: f.size };
}

export function findImageSet(manifest: ImageManifest, name: string): ImageSet {
  const set = manifest.images.find((i) => i.name === name);
  if (!set) {
    throw new Error(`no guest image set named '${name}' (available: ${manifest.images.map((i) => i.name).join(', ')})`);
  }
  return set;
}

export function linuxConfig(set: ImageSet, harts: number, memoryMiB: number, deterministic = false): MachineConfig {
  return {
    version: 1,
    harts,
    memoryMiB,
    boot: {
      kind: 'linux',
      firmware: refOf(set.firmware),
      kernel: refOf(set.kernel),
      initrd: set.initrd && refOf(set.initrd),
      bootargs: set.bootargs,
    },
    disk: set.disk && refOf(set.disk),
    deterministic,
  };
}

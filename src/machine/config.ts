/**
 * A machine is described by one plain, serialisable object. The same object builds a
 * fresh machine and is stored in every snapshot, so a snapshot needs no other input.
 */

/** An image (firmware, kernel, initrd, disk, bare-metal ELF) named by content. */
export interface ImageRef {
  /** File name in the image set, e.g. 'Image'. */
  name: string;
  /** Hex SHA-256 of the contents the machine sees (decompressed, for a gzip file). */
  sha256: string;
  size: number;
  /** The file is stored gzip-compressed; loaders decompress it before checking sha256. */
  gzip?: true;
}

export interface MachineConfig {
  /** Config format version (for snapshots written by older releases). */
  version: 1;
  harts: number;
  memoryMiB: number;
  /** How the machine boots. */
  boot:
    | { kind: 'linux'; firmware: ImageRef; kernel: ImageRef; initrd?: ImageRef; bootargs: string }
    | { kind: 'elf'; elf: ImageRef };
  /** virtio-blk disk backed by this image (written blocks tracked over it). */
  disk?: ImageRef;
  /** mtime from retired instructions (one hart): repeatable runs for exact tests. */
  deterministic: boolean;
}

export const MIN_HARTS = 1;
export const MAX_CONFIG_HARTS = 8;
export const MIN_MEMORY_MIB = 16;
export const MAX_MEMORY_MIB = 1024;

/** Throws with a message naming the first thing wrong with `config`. */
export function validateConfig(config: MachineConfig): void {
  if (config.version !== 1) throw new Error(`machine config version ${config.version} is not supported`);
  if (!Number.isInteger(config.harts) || config.harts < MIN_HARTS || config.harts > MAX_CONFIG_HARTS) {
    throw new Error(`harts must be ${MIN_HARTS}–${MAX_CONFIG_HARTS}, got ${config.harts}`);
  }
  if (!Number.isInteger(config.memoryMiB) || config.memoryMiB < MIN_MEMORY_MIB || config.memoryMiB > MAX_MEMORY_MIB) {
    throw new Error(`memory must be ${MIN_MEMORY_MIB}–${MAX_MEMORY_MIB} MiB, got ${config.memoryMiB}`);
  }
  if (config.deterministic && config.harts !== 1) throw new Error('deterministic mode needs exactly one hart');
}

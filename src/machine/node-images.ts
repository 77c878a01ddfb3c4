/** Images from files, for the Node CLI: by path, or by name in an image directory. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import type { ImageRef } from './config.ts';
import type { ImageSource } from './machine.ts';

/** A Buffer's bytes as a plain Uint8Array view (no copy). */
function asUint8(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An ImageRef describing `bytes` stored under `name`. */
export function imageRefFor(name: string, bytes: Uint8Array): ImageRef {
  return { name, sha256: sha256Hex(bytes), size: bytes.length };
}

/**
 * Reads images by name from `dir` (decompressing gzip-stored ones), refusing any whose content does
 * not match its sha256.
 */
export class DirectoryImageSource implements ImageSource {
  constructor(private readonly dir: string, private readonly preloaded = new Map<string, Uint8Array>()) {}

  /** Make an in-memory image available under its name (e.g. an ELF given by path). */
  add(name: string, bytes: Uint8Array): void {
    this.preloaded.set(name, bytes);
  }

  /** Verified contents by sha256: a restore checks the base disk and then loads it. */
  private readonly verified = new Map<string, Promise<Uint8Array>>();

  load(ref: ImageRef): Promise<Uint8Array> {
    let bytes = this.verified.get(ref.sha256);
    if (!bytes) {
      bytes = this.loadAndVerify(ref);
      this.verified.set(ref.sha256, bytes);
      bytes.catch(() => this.verified.delete(ref.sha256));
    }
    return bytes;
  }

  private async loadAndVerify(ref: ImageRef): Promise<Uint8Array> {
    let bytes = this.preloaded.get(ref.name);
    if (!bytes) {
      try {
        bytes = asUint8(await readFile(join(this.dir, basename(ref.name))));
      } catch {
        throw new Error(`image '${ref.name}' (sha256 ${ref.sha256.slice(0, 12)}…) is not available in ${this.dir}`);
      }
    }
    // One output buffer of the image's size instead of 16 KiB pieces joined at the end (a 32 MiB
    // disk unpacks in about half the time); past the size, zlib grows it as usual.
    if (ref.gzip) bytes = asUint8(gunzipSync(bytes, { chunkSize: Math.min(Math.max(ref.size, 64 << 10), 1 << 30) + 1 }));
    const actual = sha256Hex(bytes);
    if (actual !== ref.sha256) {
      throw new Error(`image '${ref.name}' has sha256 ${actual.slice(0, 12)}…, expected ${ref.sha256.slice(0, 12)}…`);
    }
    return bytes;
  }
}

/** Images from files, for the Node CLI: by path, or by name in an image directory. */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { basename, resolve } from 'node:path';
import { VerifiedImages, fileIdentity, sameIdentity, type FileIdentity } from './verified-images.ts';
import type { ImageRef } from './config.ts';
import type { ImageSource } from './machine.ts';

/** A Buffer's bytes as a plain Uint8Array view (no copy). */
function asUint8(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Unpack gzip data on the libuv thread pool into one output buffer of `size` bytes (instead of
 * 16 KiB pieces joined at the end: a 32 MiB disk unpacks in about half the time). Past the size,
 * zlib goes on with further buffers, joined at the end (the hash check then refuses the image).
 */
function gunzipOffThread(gz: Uint8Array, size: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    const unzip = createGunzip({ chunkSize: Math.min(Math.max(size, 64 << 10), 1 << 30) + 1 });
    unzip.on('data', (b: Buffer) => pieces.push(b));
    unzip.on('error', reject);
    unzip.on('end', () => resolve(asUint8(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces))));
    unzip.end(gz);
  });
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
  constructor(
    private readonly dir: string,
    private readonly preloaded = new Map<string, Uint8Array>(),
    /** Files already verified (unchanged since): their hash is not computed again. `null`: always hash. */
    private readonly known: VerifiedImages | null = new VerifiedImages(),
  ) {}

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
    let file: { path: string; id: FileIdentity } | undefined;
    let known: Promise<boolean | Uint8Array> = Promise.resolve(false);
    const gzip = !!ref.gzip;
    if (!bytes) {
      const path = resolve(this.dir, basename(ref.name));
      try {
        const fh = await open(path);
        try {
          const before = fileIdentity(await fh.stat({ bigint: true }));
          // This very file (same inode, size, mtime, ctime) was hashed before and matched.
          if (this.known) known = this.known.lookup(path, before, ref.sha256, gzip);
          const recorded = await known;
          if (recorded instanceof Uint8Array && recorded.length === ref.size) return recorded; // its content too: no read, no unpacking
          bytes = asUint8(await fh.readFile());
          const after = fileIdentity(await fh.stat({ bigint: true }));
          if (sameIdentity(before, after)) file = { path, id: after };
          else known = Promise.resolve(false); // changed while read: hash it
        } finally {
          await fh.close();
        }
      } catch {
        throw new Error(`image '${ref.name}' (sha256 ${ref.sha256.slice(0, 12)}…) is not available in ${this.dir}`);
      }
    }
    // Unpacking runs on the thread pool (a 32 MiB disk: ~40 ms), so that a restore can read and
    // check the rest of the snapshot meanwhile. Hashing stays here: Web Crypto's digest would
    // run off this thread too, but it copies its input and takes 2-3 times as long (~60 ms).
    if (gzip) {
      try {
        bytes = await gunzipOffThread(bytes, ref.size);
      } catch (e) {
        throw new Error(`image '${ref.name}' does not unpack (gzip: ${(e as Error).message})`);
      }
    }
    if (bytes.length === ref.size && (await known)) return bytes; // verified before, unchanged: no hash
    const actual = sha256Hex(bytes);
    if (actual !== ref.sha256) {
      throw new Error(`image '${ref.name}' has sha256 ${actual.slice(0, 12)}…, expected ${ref.sha256.slice(0, 12)}…`);
    }
    if (file && this.known) void this.known.add(file.path, file.id, actual, gzip, bytes);
    return bytes;
  }
}

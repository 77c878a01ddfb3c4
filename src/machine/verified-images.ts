/**
 * A small record of image files whose content this user has already hashed and found to match,
 * so that loading the same unchanged file again skips the sha256 pass (~25 ms for a 32 MiB disk),
 * and for a mostly empty gzip image (the guest's disk: 16 non-zero 4 KiB blocks of 8192) also the
 * reading and unpacking (~50 ms): its non-zero blocks are kept in the record.
 *
 * An entry names a file by absolute path and its identity as stat reports it — device, inode,
 * size, mtime and ctime in nanoseconds — taken before and after the read (both must agree). Any
 * change to the file changes its ctime, which nothing but the kernel sets, so a changed file no
 * longer matches. A file is only recorded once its ctime is a few seconds old: a write in the same
 * clock tick as the one that was hashed would otherwise keep the same ctime ("racy git").
 *
 * The record is one JSON file in the OS temp directory per user. It is used only if it belongs to
 * this user and nobody else can write to it; anything unreadable is treated as empty.
 */
import type { BigIntStats } from 'node:fs';
import { lstat, readFile, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISK_BLOCK_SIZE, nonZeroBlocks, sparseImageBlocks } from './disk-layout.ts';

/** How old a file's ctime must be before its hash is recorded. */
const RACY_MS = 3_000;
const MAX_ENTRIES = 64;
/** A gzip image whose non-zero 4 KiB blocks add up to at most this is recorded with its content. */
const MAX_SPARSE_BYTES = 1 << 20;
const BLOCK = DISK_BLOCK_SIZE;

export interface FileIdentity {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

interface Entry extends FileIdentity {
  /** sha256 of the image's content (after unpacking, for a gzip file). */
  sha256: string;
  gzip: boolean;
  /**
   * A mostly empty gzip image's content, so that it need not be unpacked again (a 32 MiB disk
   * with 64 KiB of data: ~50 ms of inflating zeros): its size, its non-zero 4 KiB blocks (index
   * list, then their bytes in base64) and the sha256 of those bytes (the record is checked too).
   */
  sparse?: { size: number; blocks: number[]; data: string; dataSha256: string };
}

/** `content`'s non-zero 4 KiB blocks, if they are few enough to record. */
function sparseOf(content: Uint8Array): Entry['sparse'] {
  const blocks = nonZeroBlocks(content);
  if (blocks.length * BLOCK > MAX_SPARSE_BYTES) return undefined;
  const data = Buffer.concat(blocks.map((b) => content.subarray(b * BLOCK, (b + 1) * BLOCK)));
  return { size: content.length, blocks, data: data.toString('base64'), dataSha256: createHash('sha256').update(data).digest('hex') };
}

/** The content a sparse record describes, or undefined if the record does not hold together. */
function fromSparse(sp: NonNullable<Entry['sparse']>): Uint8Array | undefined {
  if (!Number.isSafeInteger(sp.size) || sp.size < 0 || !Array.isArray(sp.blocks) || typeof sp.data !== 'string') return undefined;
  const data = Buffer.from(sp.data, 'base64');
  if (createHash('sha256').update(data).digest('hex') !== sp.dataSha256) return undefined;
  const out = new Uint8Array(sp.size); // zeros
  let from = 0;
  let last = -1;
  for (const b of sp.blocks) {
    if (!Number.isSafeInteger(b) || b <= last || b * BLOCK >= sp.size) return undefined;
    const n = Math.min(BLOCK, sp.size - b * BLOCK);
    if (from + n > data.length) return undefined;
    out.set(data.subarray(from, from + n), b * BLOCK);
    from += n;
    last = b;
  }
  if (from !== data.length) return undefined;
  sparseImageBlocks.set(out, sp.blocks.slice()); // a disk written into fresh memory copies only these
  return out;
}

export function fileIdentity(st: BigIntStats): FileIdentity {
  return { dev: String(st.dev), ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

export function defaultVerifiedImagesPath(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `amber-verified-images-${uid}.json`);
}

export class VerifiedImages {
  private entries: Promise<Record<string, Entry>> | undefined;

  constructor(
    private readonly file: string = defaultVerifiedImagesPath(),
    private readonly racyMs = RACY_MS,
  ) {}

  /**
   * Whether `path`, with this identity, was verified to have content `sha256` (gzip: unpacked):
   * false, true, or the content itself when the record holds it (a mostly empty gzip image).
   */
  async lookup(path: string, id: FileIdentity, sha256: string, gzip: boolean): Promise<boolean | Uint8Array> {
    const e = (await this.read())[path];
    if (!e || e.sha256 !== sha256 || e.gzip !== gzip || !sameIdentity(e, id)) return false;
    return (e.sparse && fromSparse(e.sparse)) ?? true;
  }

  /**
   * Record that `path` with identity `id` holds content `sha256` (just hashed; for a gzip file,
   * pass the unpacked `content` so that a mostly empty one is kept). Best effort.
   */
  add(path: string, id: FileIdentity, sha256: string, gzip: boolean, content?: Uint8Array): Promise<void> {
    if (Number(BigInt(id.ctimeNs) / 1_000_000n) > Date.now() - this.racyMs) return Promise.resolve(); // too recent to trust
    const sparse = gzip && content ? sparseOf(content) : undefined;
    this.writing = this.writing.then(() => this.write(path, { ...id, sha256, gzip, ...(sparse ? { sparse } : {}) })); // one at a time: none is lost
    return this.writing;
  }

  private writing = Promise.resolve();

  private async write(path: string, entry: Entry): Promise<void> {
    try {
      const entries = { ...(await this.read()) };
      delete entries[path];
      entries[path] = entry;
      const keys = Object.keys(entries);
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete entries[k];
      this.entries = Promise.resolve(entries);
      const partial = `${this.file}.${process.pid}.partial`;
      await writeFile(partial, JSON.stringify(entries), { mode: 0o600 });
      await rename(partial, this.file);
    } catch {
      // A record we cannot write only costs a hash next time.
    }
  }

  private read(): Promise<Record<string, Entry>> {
    this.entries ??= (async () => {
      try {
        const st = await lstat(this.file);
        const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
        if (!st.isFile() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return {};
        const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Entry>) : {};
      } catch {
        return {};
      }
    })();
    return this.entries;
  }
}

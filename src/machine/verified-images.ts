/**
 * A small record of image files whose content this user has already hashed and found to match,
 * so that loading the same unchanged file again skips the sha256 pass (~25 ms for a 32 MiB disk).
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How old a file's ctime must be before its hash is recorded. */
const RACY_MS = 3_000;
const MAX_ENTRIES = 64;

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

  /** Whether `path`, with this identity, was verified to have content `sha256` (gzip: unpacked). */
  async has(path: string, id: FileIdentity, sha256: string, gzip: boolean): Promise<boolean> {
    const e = (await this.read())[path];
    return !!e && e.sha256 === sha256 && e.gzip === gzip && sameIdentity(e, id);
  }

  /** Record that `path` with identity `id` holds content `sha256` (just hashed). Best effort. */
  add(path: string, id: FileIdentity, sha256: string, gzip: boolean): Promise<void> {
    if (Number(BigInt(id.ctimeNs) / 1_000_000n) > Date.now() - this.racyMs) return Promise.resolve(); // too recent to trust
    this.writing = this.writing.then(() => this.write(path, id, sha256, gzip)); // one at a time: none is lost
    return this.writing;
  }

  private writing = Promise.resolve();

  private async write(path: string, id: FileIdentity, sha256: string, gzip: boolean): Promise<void> {
    try {
      const entries = { ...(await this.read()) };
      delete entries[path];
      entries[path] = { ...id, sha256, gzip };
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

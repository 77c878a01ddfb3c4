/**
 * The snapshot store: `.amber` files kept in IndexedDB (through idb-keyval), chunked and
 * content-addressed so that snapshots of the same machine share their unchanged data.
 * Platform-neutral: runs in the page's machine worker, on the page itself, and in Node
 * over any IndexedDB implementation (fake-indexeddb in the unit tests).
 *
 * ## Layout (one object store, string keys)
 *
 *   c/<xxh64 hex>-<length>   a chunk: ≤ 4 MiB of file bytes (a Blob, or a Uint8Array)
 *   f/<id>                   a file's layout: { v: 1, segs: (chunk key | inline Uint8Array)[] }
 *   m/<id>                   its listing entry (StoredSnapshot); list() reads only these
 *   s/<slot>                 the id that a named slot ('quick', 'autosave') holds
 *
 * ## Chunking along the file's own records
 *
 * `SnapshotWriter.finish()` yields every RAM/disk chunk record as two pieces: its small
 * header (run list, hashes) and its compressed bytes, which are a pure function of the
 * window's pages (zstd in wasm is deterministic). A piece of ≥ 4 KiB becomes its own
 * content-addressed chunk (split into 4 MiB slices if larger), so an unchanged RAM window
 * is stored once however many snapshots contain it. Smaller pieces (the file header,
 * section headers, JSON and fields payloads, chunk record headers, the index and trailer)
 * are gathered in order and kept inline in the file's layout record (up to 256 KiB per
 * file), beyond that as content-addressed group chunks of ≤ 64 KiB.
 *
 * Keys are xxh64 (the format's own hash, ~1 GB/s in wasm) plus the length. xxh64 is not
 * collision-resistant against crafted input, but a colliding chunk cannot go unnoticed:
 * every byte the store returns is covered by the file's own checksums (chunk record
 * checksums in `validateRam`/`decodeRamInto`, section checksums in `readSection`, the
 * whole-file checksum in `verifyAll`), and each chunk is re-hashed when it is read back.
 *
 * ## Atomicity
 *
 * A save writes all its new chunks first, then `m/<id>` and `f/<id>` (and a slot's
 * `s/<slot>`, removing the snapshot the slot held before) in ONE transaction: a snapshot
 * is either complete and listed or absent. An error part-way (the piece stream throws,
 * a quota error, any failed write) deletes the chunks this save added; a crash leaves
 * them as orphans (chunks no layout record names), which the next save or `gc()` removes.
 * Saves, deletions' sweeps and gc run one at a time under a Web Lock (`navigator.locks`,
 * across tabs and workers of the origin) or, where there is none, a per-process lock,
 * so a sweep never sees a half-written save. `open()` pins the chunks it reads until
 * `close()`, so that replacing or deleting a snapshot that this store instance is
 * reading (a restore from the quick slot while an autosave replaces it) keeps its bytes.
 *
 * ## Use (in the machine worker)
 *
 *   const store = new SnapshotStore();
 *   const { capture } = await machine.checkpoint();
 *   const saved = await store.save(snapshotPieces(capture, Machine.registryFor(capture.config)),
 *     { name, harts: capture.config.harts, memoryMiB: capture.config.memoryMiB, createdAt: capture.meta.createdAt! },
 *     { slot: 'quick', onProgress });                 // slot: optional; 'autosave' works the same way
 *   const source = await store.open(saved.id);        // RandomAccessSource, lazily read
 *   const plan = await planRestore(source, Machine.registryFor, images);   … Machine.restore(plan, …); source.close();
 *   const file = await store.blob(saved.id);          // download: a Blob of the stored chunks
 *   await store.save(piecesOfFile(uploadedFile), info); // an upload, sharing chunks with what is stored
 *
 * Measured in Chromium on a busy 2-core machine (256 MiB file of incompressible RAM, codec
 * 'none'): the writer alone 2.9 s; save() 6.6 s; the same machine saved again 2.6 s (all
 * chunks shared: no store cost beyond hashing); open() + verifyAll() 3.6 s; blob() 0.9 s;
 * deleting both 1.0 s. Uint8Array values ('bytes') were slower on every count than Blobs.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { openSnapshot, TRAILER_SIZE, type SnapshotInput } from './container.ts';
import { validateDisk, validateRam } from './encodings.ts';
import { hashHex, initHash, xxh64 } from './hash.ts';
import type { RandomAccessSource } from './source.ts';

/** Largest chunk value the store writes. */
export const STORE_CHUNK_MAX = 4 << 20;
/** Pieces at least this large become content-addressed chunks of their own. */
export const STORE_SHARE_MIN = 4 << 10;
/** Small pieces are gathered into groups of at most about this size. */
const GROUP_MAX = 64 << 10;
/** Inline bytes a file's layout record may hold before groups become chunks. */
const INLINE_BUDGET = 256 << 10;
/** New chunk bytes per write transaction. */
const BATCH_BYTES = 16 << 20;
/** Chunks a reader keeps decoded (LRU). */
const READ_CACHE_CHUNKS = 6;

const MAGIC_HEAD = 'AMBERSNP';
const MAGIC_TAIL = 'AMBEREND';
const MIB = 1024 * 1024;

const CHUNK = 'c/';
const FILE = 'f/';
const MANIFEST = 'm/';
const SLOT = 's/';
const LAYOUT_VERSION = 1;

export type SnapshotStoreErrorCode =
  /** The browser refused to store more (QuotaExceededError). Nothing of the save was kept. */
  | 'quota'
  /** Another write failure. Nothing of the save was kept. */
  | 'write-failed'
  /** No snapshot with that id (deleted, or never saved). */
  | 'not-found'
  /** A chunk that a stored snapshot names is gone or damaged. */
  | 'corrupt'
  /** What was streamed into save() is not a complete .amber file. */
  | 'invalid-file'
  | 'invalid-argument'
  /** save() was aborted through its signal. */
  | 'aborted';

export class SnapshotStoreError extends Error {
  constructor(
    readonly code: SnapshotStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SnapshotStoreError';
  }
}

/** What the caller tells the store about a snapshot (the listing shows it). */
export interface SnapshotInfo {
  name: string;
  harts: number;
  memoryMiB: number;
  /** When the machine was captured (ISO 8601 string or a Date). */
  createdAt: string | Date;
  /** Anything else the listing should carry (thumbnail data URL, app version, …): structured-cloneable. */
  [key: string]: unknown;
}

/** One stored snapshot, as list() returns it. */
export interface StoredSnapshot {
  id: string;
  name: string;
  harts: number;
  memoryMiB: number;
  /** When the machine was captured (ISO 8601). */
  createdAt: string;
  /** When the store committed it (ISO 8601). */
  savedAt: string;
  /** Size of the .amber file in bytes (what blob() downloads). */
  size: number;
  /** The file's whole-file checksum (xxh64, 16 hex digits, from its trailer). */
  fileChecksum: string;
  /** The slot it occupies ('quick', 'autosave', …), if any. */
  slot?: string;
  /** Chunks it references, and the bytes of those that its save had to add (the rest were shared). */
  chunks: number;
  addedBytes: number;
  /** The other fields of SnapshotInfo. */
  meta: Record<string, unknown>;
}

export interface SaveProgress {
  /** File bytes consumed from the piece stream so far. */
  fileBytes: number;
  /** Of those, bytes in new chunks (queued or written) … */
  newBytes: number;
  /** … and bytes in chunks the store already had (shared with other snapshots). */
  sharedBytes: number;
  /** New chunk bytes committed to IndexedDB so far. */
  writtenBytes: number;
}

export interface SaveOptions {
  /** Store the snapshot in this slot, replacing the one it held (atomically). */
  slot?: string;
  onProgress?: (p: SaveProgress) => void;
  signal?: AbortSignal;
}

export interface StoreUsage {
  /** Snapshots listed. */
  snapshots: number;
  /** Sum of their file sizes (what they would take without sharing). */
  logicalBytes: number;
  /** Chunk values stored, and their bytes (the inline parts of layout records are not counted). */
  chunks: number;
  storedBytes: number;
  /** `navigator.storage.estimate()` for the whole origin, when available. */
  estimate?: { usage?: number; quota?: number };
}

export interface GcResult {
  removedChunks: number;
  freedBytes: number;
}

/** A stored snapshot opened for reading: what openSnapshot / planRestore take. */
export interface StoredSnapshotSource extends RandomAccessSource {
  readonly snapshot: StoredSnapshot;
  /** Release the pin on its chunks (a later sweep may then free them if the snapshot was deleted). */
  close(): void;
}

export interface SnapshotStoreOptions {
  /** IndexedDB database and object store (default 'amber-snapshots' / 'store'). */
  dbName?: string;
  storeName?: string;
  /** An idb-keyval store to use instead (tests wrap one to inject failures). */
  useStore?: UseStore;
  /** Name of the lock that serialises saves and sweeps (default derived from dbName/storeName). */
  lockName?: string;
  /** How chunk values are kept: Blobs (default where Blob exists: file-backed in browsers) or Uint8Arrays. */
  valueType?: 'blob' | 'bytes';
  /** New chunk bytes written per transaction (default 16 MiB). */
  batchBytes?: number;
  /** Free-space probe (default `navigator.storage.estimate`, when there is one). */
  estimate?: () => Promise<{ usage?: number; quota?: number } | undefined>;
}

type Segment = string | Uint8Array;
interface FileLayout {
  v: number;
  segs: Segment[];
}

type ChunkValue = Blob | Uint8Array;

function chunkKey(bytes: Uint8Array): string {
  return `${CHUNK}${hashHex(xxh64(bytes))}-${bytes.length}`;
}

/** Length of a chunk from its key. */
function keyLength(key: string): number {
  const n = Number(key.slice(key.lastIndexOf('-') + 1));
  if (!Number.isSafeInteger(n) || n < 0) throw new SnapshotStoreError('corrupt', `malformed chunk key '${key}'`);
  return n;
}

function segLength(s: Segment): number {
  return typeof s === 'string' ? keyLength(s) : s.length;
}

function prefixRange(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

/** A copy that owns exactly its bytes (structured clone of a view clones its whole buffer). */
function tight(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && !(typeof SharedArrayBuffer !== 'undefined' && b.buffer instanceof SharedArrayBuffer);
  return (whole ? b : b.slice()) as Uint8Array<ArrayBuffer>;
}

function concat(parts: Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function asciiAt(b: Uint8Array, from: number, len: number): string {
  return String.fromCharCode(...b.subarray(from, from + len));
}

function mib(n: number): string {
  return n >= 10 * MIB ? (n / MIB).toFixed(0) : (n / MIB).toFixed(1);
}

function isQuotaError(e: unknown): boolean {
  const err = e as { name?: string; message?: string; inner?: unknown } | undefined;
  if (!err) return false;
  if (err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
  return err.name === 'UnknownError' && /quota|space|disk full/i.test(err.message ?? '');
}

function newId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const r = new Uint8Array(16);
  c.getRandomValues(r);
  return Array.from(r, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * The pieces of an existing `.amber` file (an upload, a file from disk) cut where the writer
 * cut them: the file header, each section's record header, RAM/disk payloads record by
 * record (each chunk's small header, then its compressed bytes), other payloads whole (in
 * ≤ 4 MiB slices), the index and the trailer. Saving these shares every unchanged RAM
 * window with the snapshots already stored. Checks the file's structure and every RAM/disk
 * chunk's record checksum as it goes (call `verifyAll()` first for the whole-file checksum).
 *
 *   await store.save(piecesOfFile(file), { name: file.name, harts, memoryMiB, createdAt });
 */
export async function* piecesOfFile(input: SnapshotInput): AsyncGenerator<Uint8Array> {
  const snap = await openSnapshot(input);
  const src = snap.source;
  const slices = async function* (from: number, to: number): AsyncGenerator<Uint8Array> {
    for (let o = from; o < to; o += STORE_CHUNK_MAX) yield await src.read(o, Math.min(STORE_CHUNK_MAX, to - o));
  };
  yield await src.read(0, 16);
  for (const s of snap.sections) {
    yield await src.read(s.recordOffset, s.offset - s.recordOffset);
    if (s.length === 0) continue;
    if (s.encoding !== 'ram' && s.encoding !== 'disk') {
      yield* slices(s.offset, s.offset + s.length);
      continue;
    }
    const payload = snap.payloadSource(s.name);
    const { chunks } = s.encoding === 'ram' ? await validateRam(payload) : await validateDisk(payload);
    let at = 0; // payload offset written so far
    for (const c of chunks) {
      if (c.recordOffset > at) yield* slices(s.offset + at, s.offset + c.recordOffset); // the payload header
      // CHNK, run count, runs, raw length, stored length, content hash, record checksum.
      const headLength = 32 + 8 * c.runs.length;
      yield await src.read(s.offset + c.recordOffset, headLength);
      yield* slices(s.offset + c.recordOffset + headLength, s.offset + c.recordOffset + c.recordLength);
      at = c.recordOffset + c.recordLength;
    }
    yield* slices(s.offset + at, s.offset + s.length); // the end record
  }
  yield* slices(snap.indexOffset, snap.size - TRAILER_SIZE);
  yield await src.read(snap.size - TRAILER_SIZE, TRAILER_SIZE);
}

async function closeIterator(it: AsyncIterator<Uint8Array> | Iterator<Uint8Array>): Promise<void> {
  try {
    await it.return?.(undefined);
  } catch {
    /* it failed already */
  }
}

/** Process-local locks, for platforms without navigator.locks (Node). */
const localLocks = new Map<string, Promise<unknown>>();

function checkInfo(info: SnapshotInfo): void {
  if (!info || typeof info.name !== 'string') throw new SnapshotStoreError('invalid-argument', 'snapshot info needs a name');
  if (!Number.isInteger(info.harts) || info.harts < 1) throw new SnapshotStoreError('invalid-argument', `snapshot info: harts ${info.harts} must be an integer ≥ 1`);
  if (!Number.isFinite(info.memoryMiB) || info.memoryMiB <= 0) throw new SnapshotStoreError('invalid-argument', `snapshot info: memoryMiB ${info.memoryMiB} must be > 0`);
  const t = info.createdAt instanceof Date ? info.createdAt.getTime() : Date.parse(String(info.createdAt));
  if (!Number.isFinite(t)) throw new SnapshotStoreError('invalid-argument', `snapshot info: createdAt '${String(info.createdAt)}' is not a date`);
}

export class SnapshotStore {
  private readonly useStore: UseStore;
  private readonly lockName: string;
  private readonly valueType: 'blob' | 'bytes';
  private readonly batchBytes: number;
  private readonly estimateFn?: () => Promise<{ usage?: number; quota?: number } | undefined>;
  /** Chunk keys that open sources of this instance are reading: sweeps keep them. */
  private readonly pins = new Map<string, number>();

  constructor(opts: SnapshotStoreOptions = {}) {
    const dbName = opts.dbName ?? 'amber-snapshots';
    const storeName = opts.storeName ?? 'store';
    this.useStore = opts.useStore ?? createStore(dbName, storeName);
    this.lockName = opts.lockName ?? `amber-snapshot-store:${dbName}/${storeName}`;
    this.batchBytes = opts.batchBytes ?? BATCH_BYTES;
    this.valueType = opts.valueType ?? (typeof Blob !== 'undefined' ? 'blob' : 'bytes');
    const storage = (globalThis as { navigator?: { storage?: { estimate?(): Promise<StorageEstimate> } } }).navigator?.storage;
    this.estimateFn = opts.estimate ?? (storage?.estimate ? () => storage.estimate!() : undefined);
  }

  // ── saving ──

  /**
   * Store a `.amber` file as it is streamed (e.g. `snapshotPieces(capture, registry)`).
   * Resolves once the snapshot is committed and listed. On any failure nothing of it
   * stays listed, the chunks it added are removed, and other snapshots are untouched.
   */
  async save(
    pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    info: SnapshotInfo,
    onProgressOrOptions?: ((p: SaveProgress) => void) | SaveOptions,
    options: SaveOptions = {},
  ): Promise<StoredSnapshot> {
    const opts: SaveOptions = typeof onProgressOrOptions === 'function'
      ? { ...options, onProgress: onProgressOrOptions }
      : { ...onProgressOrOptions, ...options };
    checkInfo(info);
    if (opts.slot !== undefined && (typeof opts.slot !== 'string' || opts.slot.length === 0)) {
      throw new SnapshotStoreError('invalid-argument', 'slot must be a non-empty string');
    }
    await initHash();
    return this.exclusive(() => this.saveLocked(pieces, info, opts));
  }

  private async saveLocked(
    pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    info: SnapshotInfo,
    opts: SaveOptions,
  ): Promise<StoredSnapshot> {
    // Orphans of an earlier crashed save go first; what remains is what we can share.
    const { existing } = await this.sweepLocked();
    const known = new Set(existing);
    const added: string[] = [];
    const segs: Segment[] = [];
    const progress: SaveProgress = { fileBytes: 0, newBytes: 0, sharedBytes: 0, writtenBytes: 0 };

    let batch: Array<[string, ChunkValue]> = [];
    let batchBytes = 0;
    let inflight: Promise<void> | undefined;
    let writeError: unknown;

    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let inlineBytes = 0;
    let head = new Uint8Array(0);
    let tail = new Uint8Array(0);

    const startBatch = async (): Promise<void> => {
      if (inflight) await inflight;
      if (writeError) throw writeError;
      if (!batch.length) return;
      const entries = batch;
      const bytes = batchBytes;
      batch = [];
      batchBytes = 0;
      inflight = this.putAll(entries).then(
        () => {
          progress.writtenBytes += bytes;
        },
        (e) => {
          writeError ??= e;
        },
      );
    };

    const addChunk = async (bytes: Uint8Array): Promise<void> => {
      const key = chunkKey(bytes);
      segs.push(key);
      if (known.has(key)) {
        progress.sharedBytes += bytes.length;
        return;
      }
      known.add(key);
      added.push(key);
      progress.newBytes += bytes.length;
      batch.push([key, this.toValue(bytes)]);
      batchBytes += bytes.length;
      if (batchBytes >= this.batchBytes) await startBatch();
    };

    const flushPending = async (): Promise<void> => {
      if (!pendingBytes) return;
      const group = concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      if (inlineBytes + group.length <= INLINE_BUDGET) {
        segs.push(group);
        inlineBytes += group.length;
        progress.newBytes += group.length;
      } else {
        await addChunk(group);
      }
    };

    const checkAbort = (): void => {
      if (opts.signal?.aborted) {
        throw new SnapshotStoreError('aborted', 'the snapshot save was cancelled', { cause: opts.signal.reason });
      }
    };

    const iterator = (Symbol.asyncIterator in pieces
      ? (pieces as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
      : (pieces as Iterable<Uint8Array>)[Symbol.iterator]()) as AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
    let streamDone = false;
    /** The stream's next piece (undefined at its end), after checking for a cancel. */
    const nextPiece = async (): Promise<Uint8Array | undefined> => {
      checkAbort();
      const r = await iterator.next();
      if (r.done) streamDone = true;
      return r.done ? undefined : r.value;
    };
    try {
      for (let piece = await nextPiece(); piece !== undefined; piece = await nextPiece()) {
        if (!(piece instanceof Uint8Array)) throw new SnapshotStoreError('invalid-argument', 'save(): the piece stream must yield Uint8Arrays');
        if (piece.length === 0) continue;
        if (head.length < 16) head = concat([head, piece.subarray(0, 16 - head.length)], Math.min(16, head.length + piece.length));
        tail = piece.length >= TRAILER_SIZE ? piece.slice(piece.length - TRAILER_SIZE) : concat([tail, piece], tail.length + piece.length).slice(-TRAILER_SIZE);
        progress.fileBytes += piece.length;
        if (piece.length >= STORE_SHARE_MIN) {
          await flushPending();
          for (let o = 0; o < piece.length; o += STORE_CHUNK_MAX) await addChunk(piece.subarray(o, o + STORE_CHUNK_MAX));
        } else {
          pending.push(piece.slice());
          pendingBytes += piece.length;
          if (pendingBytes >= GROUP_MAX) await flushPending();
        }
        if (writeError) throw writeError;
        opts.onProgress?.({ ...progress });
      }
      await flushPending();

      if (head.length < 16 || asciiAt(head, 0, 8) !== MAGIC_HEAD || tail.length < TRAILER_SIZE || asciiAt(tail, 40, 8) !== MAGIC_TAIL) {
        throw new SnapshotStoreError('invalid-file', `not a complete .amber file (${progress.fileBytes} bytes: it must start with '${MAGIC_HEAD}' and end with the '${MAGIC_TAIL}' trailer)`);
      }
      await startBatch();
      if (inflight) await inflight;
      if (writeError) throw writeError;

      // Commit: the listing entry, the layout and the slot in one transaction.
      const id = newId();
      const { name, harts, memoryMiB, createdAt, ...meta } = info;
      const fileChecksum = hashHex(new DataView(tail.buffer, tail.byteOffset + 24, 8).getBigUint64(0, true));
      const entry: StoredSnapshot = {
        id,
        name,
        harts,
        memoryMiB,
        createdAt: createdAt instanceof Date ? createdAt.toISOString() : String(createdAt),
        savedAt: new Date().toISOString(),
        size: progress.fileBytes,
        fileChecksum,
        ...(opts.slot !== undefined ? { slot: opts.slot } : {}),
        chunks: segs.filter((s) => typeof s === 'string').length,
        addedBytes: progress.newBytes,
        meta,
      };
      const layout: FileLayout = { v: LAYOUT_VERSION, segs };
      const replaced = await this.commit(entry, layout, opts.slot);
      opts.onProgress?.({ ...progress });
      // The slot's previous snapshot is unlisted now: free what only it used.
      if (replaced) await this.sweepLocked().catch(() => undefined);
      return entry;
    } catch (err) {
      if (inflight) await inflight.catch(() => undefined);
      // Remove what this save added (none of it is referenced: its layout was never committed).
      if (added.length) await this.delKeys(added).catch(() => undefined); // else: orphans, for the next sweep
      if (!(err instanceof SnapshotStoreError) && isQuotaError(err)) {
        // How much would it have needed? Run the rest of the stream through the hash only.
        let more = pendingBytes;
        if (!streamDone) {
          try {
            for (let piece = await nextPiece(); piece !== undefined; piece = await nextPiece()) {
              if (piece.length < STORE_SHARE_MIN) {
                more += piece.length;
                continue;
              }
              for (let o = 0; o < piece.length; o += STORE_CHUNK_MAX) {
                const slice = piece.subarray(o, o + STORE_CHUNK_MAX);
                const key = chunkKey(slice);
                if (!known.has(key)) {
                  known.add(key);
                  more += slice.length;
                }
              }
            }
          } catch {
            /* the estimate stays a lower bound */
          }
        }
        throw await this.quotaError(err, progress.newBytes + more, streamDone);
      }
      if (!streamDone) await closeIterator(iterator);
      if (err instanceof SnapshotStoreError) throw err;
      if (isWriteError(err)) {
        throw new SnapshotStoreError(
          'write-failed',
          `storing the snapshot failed after ${mib(progress.fileBytes)} MiB: ${(err as Error).message || (err as Error).name}. Nothing was kept.`,
          { cause: err },
        );
      }
      throw err; // the piece stream's own error (the engine's, a codec's), as it was
    }
  }

  private async quotaError(err: unknown, needed: number, exact: boolean): Promise<SnapshotStoreError> {
    const free = await this.freeBytes();
    const freeText = free === undefined ? 'free space unknown' : `${mib(free)} MiB free`;
    return new SnapshotStoreError(
      'quota',
      `not enough browser storage for this snapshot: needs ~${mib(needed)} MiB${exact ? '' : ' or more'}, ${freeText}. Nothing of it was kept; delete snapshots to make room.`,
      { cause: err },
    );
  }

  private async freeBytes(): Promise<number | undefined> {
    try {
      const e = await this.estimateFn?.();
      if (e?.quota === undefined || e.usage === undefined) return undefined;
      return Math.max(0, e.quota - e.usage);
    } catch {
      return undefined;
    }
  }

  private toValue(bytes: Uint8Array): ChunkValue {
    return this.valueType === 'blob' ? new Blob([tight(bytes)]) : tight(bytes);
  }

  /** Put entries in one transaction; a failure aborts it (none of them stays). */
  private putAll(entries: Array<[string, ChunkValue]>): Promise<void> {
    return this.useStore('readwrite', (store) => {
      try {
        for (const [k, v] of entries) store.put(v, k);
      } catch (e) {
        try {
          store.transaction.abort();
        } catch {
          /* already finished */
        }
        return Promise.reject(markWrite(e));
      }
      return promisifyRequest(store.transaction).catch((e) => Promise.reject(markWrite(e)));
    });
  }

  private delKeys(keys: string[]): Promise<void> {
    return this.useStore('readwrite', (store) => {
      for (const k of keys) store.delete(k);
      return promisifyRequest(store.transaction);
    });
  }

  /** Commit a save; returns the id of the snapshot the slot held before, if any. */
  private commit(entry: StoredSnapshot, layout: FileLayout, slot?: string): Promise<string | undefined> {
    return this.useStore('readwrite', async (store) => {
      let old: string | undefined;
      try {
        if (slot !== undefined) old = (await promisifyRequest(store.get(SLOT + slot))) as string | undefined;
        store.put(layout, FILE + entry.id);
        store.put(entry, MANIFEST + entry.id);
        if (slot !== undefined) {
          store.put(entry.id, SLOT + slot);
          if (old !== undefined && old !== entry.id) {
            store.delete(MANIFEST + old);
            store.delete(FILE + old);
          }
        }
      } catch (e) {
        try {
          store.transaction.abort();
        } catch {
          /* already finished */
        }
        throw markWrite(e);
      }
      await promisifyRequest(store.transaction).catch((e) => Promise.reject(markWrite(e)));
      return old;
    });
  }

  // ── listing and reading ──

  /** Every complete snapshot, newest first. Reads only the listing entries. */
  async list(): Promise<StoredSnapshot[]> {
    const all = await this.useStore('readonly', (store) => promisifyRequest(store.getAll(prefixRange(MANIFEST)) as IDBRequest<StoredSnapshot[]>));
    return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.savedAt < b.savedAt ? 1 : -1));
  }

  /** One snapshot's listing entry, or undefined. */
  async get(id: string): Promise<StoredSnapshot | undefined> {
    return this.useStore('readonly', (store) => promisifyRequest(store.get(MANIFEST + id) as IDBRequest<StoredSnapshot | undefined>));
  }

  /** The snapshot a slot holds, or undefined. */
  async slot(slot: string): Promise<StoredSnapshot | undefined> {
    return this.useStore('readonly', async (store) => {
      const id = (await promisifyRequest(store.get(SLOT + slot))) as string | undefined;
      return id === undefined ? undefined : ((await promisifyRequest(store.get(MANIFEST + id))) as StoredSnapshot | undefined);
    });
  }

  private async readEntry(id: string): Promise<{ entry: StoredSnapshot; layout: FileLayout }> {
    const [entry, layout] = await this.useStore('readonly', (store) =>
      Promise.all([
        promisifyRequest(store.get(MANIFEST + id) as IDBRequest<StoredSnapshot | undefined>),
        promisifyRequest(store.get(FILE + id) as IDBRequest<FileLayout | undefined>),
      ]),
    );
    if (!entry || !layout) throw new SnapshotStoreError('not-found', `no stored snapshot with id '${id}' (it may have been deleted or replaced)`);
    if (layout.v !== LAYOUT_VERSION) throw new SnapshotStoreError('corrupt', `snapshot '${entry.name}' was stored by a newer release (layout v${layout.v})`);
    return { entry, layout };
  }

  private pin(keys: string[]): void {
    for (const k of keys) this.pins.set(k, (this.pins.get(k) ?? 0) + 1);
  }

  private unpin(keys: string[]): void {
    for (const k of keys) {
      const n = (this.pins.get(k) ?? 1) - 1;
      if (n <= 0) this.pins.delete(k);
      else this.pins.set(k, n);
    }
  }

  /**
   * A stored snapshot as a random-access source, reading chunks lazily (a few kept
   * decoded) and re-hashing each chunk it reads. Pass it to openSnapshot / planRestore;
   * call close() when done.
   */
  async open(id: string): Promise<StoredSnapshotSource> {
    await initHash();
    const { entry, layout } = await this.readEntry(id);
    const segs = layout.segs;
    const starts = new Array<number>(segs.length);
    let size = 0;
    for (let i = 0; i < segs.length; i++) {
      starts[i] = size;
      size += segLength(segs[i]);
    }
    if (size !== entry.size) throw new SnapshotStoreError('corrupt', `snapshot '${entry.name}': its chunks add up to ${size} bytes, the listing says ${entry.size}`);
    const keys = segs.filter((s): s is string => typeof s === 'string');
    this.pin(keys);
    let closed = false;
    const cache = new Map<string, Promise<Uint8Array>>();
    const fetchChunk = (key: string): Promise<Uint8Array> => {
      let p = cache.get(key);
      if (p) {
        cache.delete(key);
        cache.set(key, p); // most recent last
        return p;
      }
      p = this.readChunk(key, entry.name);
      cache.set(key, p);
      p.catch(() => cache.delete(key));
      while (cache.size > READ_CACHE_CHUNKS) cache.delete(cache.keys().next().value!);
      return p;
    };
    const source: StoredSnapshotSource = {
      size,
      snapshot: entry,
      read: async (offset: number, length: number): Promise<Uint8Array> => {
        if (closed) throw new SnapshotStoreError('invalid-argument', `snapshot '${entry.name}': read after close()`);
        if (offset < 0 || length < 0 || offset + length > size) {
          throw new SnapshotStoreError('invalid-argument', `read [${offset}, ${offset + length}) outside a snapshot of ${size} bytes`);
        }
        const out = new Uint8Array(length);
        // Last segment starting at or before offset.
        let lo = 0;
        let hi = segs.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid] <= offset) lo = mid;
          else hi = mid - 1;
        }
        let done = 0;
        for (let i = lo; done < length && i < segs.length; i++) {
          const s = segs[i];
          const from = offset + done - starts[i];
          const n = Math.min(segLength(s) - from, length - done);
          if (n <= 0) continue;
          const bytes = typeof s === 'string' ? await fetchChunk(s) : s;
          out.set(bytes.subarray(from, from + n), done);
          done += n;
        }
        return out;
      },
      close: () => {
        if (closed) return;
        closed = true;
        cache.clear();
        this.unpin(keys);
      },
    };
    return source;
  }

  private async readChunk(key: string, what: string): Promise<Uint8Array> {
    const v = await this.useStore('readonly', (store) => promisifyRequest(store.get(key) as IDBRequest<ChunkValue | undefined>));
    if (v === undefined) throw new SnapshotStoreError('corrupt', `snapshot '${what}': stored chunk ${key} is missing`);
    const bytes = v instanceof Uint8Array ? v : new Uint8Array(await v.arrayBuffer());
    if (bytes.length !== keyLength(key) || chunkKey(bytes) !== key) {
      throw new SnapshotStoreError('corrupt', `snapshot '${what}': stored chunk ${key} is damaged (its bytes hash to ${chunkKey(bytes)})`);
    }
    return bytes;
  }

  /**
   * The .amber file as a Blob for a download: made of the stored chunks (file-backed Blobs
   * in browsers, not copied), never one big buffer.
   */
  async blob(id: string): Promise<Blob> {
    const { entry, layout } = await this.readEntry(id);
    const keys = [...new Set(layout.segs.filter((s): s is string => typeof s === 'string'))];
    const values = new Map<string, Blob>();
    for (let i = 0; i < keys.length; i += 16) {
      const group = keys.slice(i, i + 16);
      const got = await this.useStore('readonly', (store) =>
        Promise.all(group.map((k) => promisifyRequest(store.get(k) as IDBRequest<ChunkValue | undefined>))),
      );
      got.forEach((v, j) => {
        if (v === undefined) throw new SnapshotStoreError('corrupt', `snapshot '${entry.name}': stored chunk ${group[j]} is missing`);
        const b = v instanceof Uint8Array ? new Blob([tight(v)]) : v;
        if (b.size !== keyLength(group[j])) throw new SnapshotStoreError('corrupt', `snapshot '${entry.name}': stored chunk ${group[j]} has ${b.size} bytes`);
        values.set(group[j], b);
      });
    }
    const parts = layout.segs.map((s) => (typeof s === 'string' ? values.get(s)! : tight(s)));
    const blob = new Blob(parts, { type: 'application/octet-stream' });
    if (blob.size !== entry.size) throw new SnapshotStoreError('corrupt', `snapshot '${entry.name}': assembled ${blob.size} bytes, the listing says ${entry.size}`);
    return blob;
  }

  /** Change a snapshot's name in the listing. */
  async rename(id: string, name: string): Promise<StoredSnapshot> {
    if (typeof name !== 'string') throw new SnapshotStoreError('invalid-argument', 'a snapshot name must be a string');
    return this.useStore('readwrite', async (store) => {
      const entry = (await promisifyRequest(store.get(MANIFEST + id))) as StoredSnapshot | undefined;
      if (!entry) throw new SnapshotStoreError('not-found', `no stored snapshot with id '${id}'`);
      const renamed = { ...entry, name };
      store.put(renamed, MANIFEST + id);
      await promisifyRequest(store.transaction);
      return renamed;
    });
  }

  // ── deleting and collecting ──

  /** Remove a snapshot (unlisted at once), then free the chunks no other snapshot uses. */
  async delete(id: string): Promise<GcResult> {
    await this.useStore('readwrite', async (store) => {
      const entry = (await promisifyRequest(store.get(MANIFEST + id))) as StoredSnapshot | undefined;
      store.delete(MANIFEST + id);
      store.delete(FILE + id);
      if (entry?.slot !== undefined) {
        const holder = await promisifyRequest(store.get(SLOT + entry.slot));
        if (holder === id) store.delete(SLOT + entry.slot);
      }
      await promisifyRequest(store.transaction);
    });
    return this.gc();
  }

  /** Remove chunks that no stored snapshot references (orphans of failed or crashed saves, unshared chunks of deleted ones). */
  async gc(): Promise<GcResult> {
    return this.exclusive(async () => {
      const r = await this.sweepLocked();
      return { removedChunks: r.removedChunks, freedBytes: r.freedBytes };
    });
  }

  /** Mark (every layout record's chunks, plus pinned ones) and sweep. Caller holds the lock. */
  private async sweepLocked(): Promise<GcResult & { existing: string[] }> {
    const [layouts, layoutKeys, manifestKeys, chunkKeys] = await this.useStore('readonly', (store) =>
      Promise.all([
        promisifyRequest(store.getAll(prefixRange(FILE)) as IDBRequest<FileLayout[]>),
        promisifyRequest(store.getAllKeys(prefixRange(FILE)) as IDBRequest<string[]>),
        promisifyRequest(store.getAllKeys(prefixRange(MANIFEST)) as IDBRequest<string[]>),
        promisifyRequest(store.getAllKeys(prefixRange(CHUNK)) as IDBRequest<string[]>),
      ]),
    );
    const listed = new Set(manifestKeys.map((k) => k.slice(MANIFEST.length)));
    const live = new Set<string>(this.pins.keys());
    const deadLayouts: string[] = [];
    layouts.forEach((l, i) => {
      const id = layoutKeys[i].slice(FILE.length);
      if (!listed.has(id)) {
        deadLayouts.push(layoutKeys[i]); // never committed that way by this module; tidy it
        return;
      }
      for (const s of l.segs) if (typeof s === 'string') live.add(s);
    });
    const dead = chunkKeys.filter((k) => !live.has(k));
    const freedBytes = dead.reduce((n, k) => n + keyLength(k), 0);
    if (dead.length || deadLayouts.length) await this.delKeys([...dead, ...deadLayouts]);
    return { removedChunks: dead.length, freedBytes, existing: chunkKeys.filter((k) => live.has(k)) };
  }

  /** Bytes used by the store, and the origin's estimate when the platform has one. */
  async usage(): Promise<StoreUsage> {
    const [entries, chunkKeys] = await this.useStore('readonly', (store) =>
      Promise.all([
        promisifyRequest(store.getAll(prefixRange(MANIFEST)) as IDBRequest<StoredSnapshot[]>),
        promisifyRequest(store.getAllKeys(prefixRange(CHUNK)) as IDBRequest<string[]>),
      ]),
    );
    let estimate: StoreUsage['estimate'];
    try {
      const e = await this.estimateFn?.();
      if (e) estimate = { usage: e.usage, quota: e.quota };
    } catch {
      /* no estimate */
    }
    return {
      snapshots: entries.length,
      logicalBytes: entries.reduce((n, e) => n + e.size, 0),
      chunks: chunkKeys.length,
      storedBytes: chunkKeys.reduce((n, k) => n + keyLength(k), 0),
      ...(estimate ? { estimate } : {}),
    };
  }

  /** Run `fn` with the store's exclusive lock (Web Locks across contexts, else per process). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    if (locks?.request) return locks.request(this.lockName, { mode: 'exclusive' }, fn) as Promise<T>;
    const prev = localLocks.get(this.lockName) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    localLocks.set(this.lockName, run.catch(() => undefined));
    return run;
  }
}

/** Errors from IndexedDB writes are tagged so that failSave tells them from the stream's own errors. */
const WRITE_ERROR = Symbol('amber-store-write-error');

function markWrite(e: unknown): unknown {
  const err = e instanceof Object ? e : new Error(String(e));
  try {
    (err as { [WRITE_ERROR]?: true })[WRITE_ERROR] = true;
  } catch {
    /* frozen: still reported, as the stream's error */
  }
  return err;
}

function isWriteError(e: unknown): boolean {
  return e instanceof Object && (e as { [WRITE_ERROR]?: true })[WRITE_ERROR] === true;
}

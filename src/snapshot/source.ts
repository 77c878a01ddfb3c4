/**
 * Random-access byte sources that a snapshot is read from: an in-memory array, a Blob (a
 * browser File, an IndexedDB Blob), a window on another source. The Node file handle source
 * lives in node-source.ts so that this module stays free of Node APIs.
 */
import { concatBytes, ownedBytes } from './binary.ts';
import { SnapshotError } from './errors.ts';

export interface RandomAccessSource {
  readonly size: number;
  /** Exactly `length` bytes from `offset` (callers never ask past `size`). The result is the caller's. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return {
    size: bytes.length,
    async read(offset, length) {
      return bytes.slice(offset, offset + length);
    },
  };
}

/** A Blob or File (browser, Node ≥ 20): reads only the asked range. */
export function blobSource(blob: Blob): RandomAccessSource {
  return {
    size: blob.size,
    async read(offset, length) {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

/** Bytes [offset, offset + length) of `source` as a source of its own. */
export function subSource(source: RandomAccessSource, offset: number, length: number): RandomAccessSource {
  if (offset < 0 || length < 0 || offset + length > source.size) {
    throw new SnapshotError('invalid-argument', `window [${offset}, ${offset + length}) outside a source of ${source.size} bytes`);
  }
  return {
    size: length,
    read(o, n) {
      return source.read(offset + o, n);
    },
  };
}

/**
 * `source` read through a window: a read inside the window last loaded is served from it,
 * any other loads a new window of at least `window` bytes from its offset. A sequential walk of
 * many small records (the chunk headers of a RAM payload) then costs a few large reads instead
 * of several small ones per record — each a system call on a file, a Blob slice in a browser.
 * Holds one window at a time.
 */
export function readAheadSource(source: RandomAccessSource, window = 4 << 20): RandomAccessSource {
  let start = 0;
  let buffer: Uint8Array | undefined;
  return {
    size: source.size,
    async read(offset, length) {
      if (!buffer || offset < start || offset + length > start + buffer.length) {
        buffer = await source.read(offset, Math.min(source.size - offset, Math.max(window, length)));
        start = offset;
      }
      return buffer.slice(offset - start, offset - start + length);
    },
  };
}

/**
 * Read exactly `length` bytes at `offset`, or fail with 'truncated' naming `what`.
 * Also guards against sources that return short reads.
 */
export async function readExactly(source: RandomAccessSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  if (offset < 0 || length < 0 || offset + length > source.size) {
    throw new SnapshotError('truncated', `${what}: bytes [${offset}, ${offset + length}) are past the end of the data (${source.size} bytes)`);
  }
  const b = await source.read(offset, length);
  if (b.length !== length) {
    throw new SnapshotError('truncated', `${what}: read ${b.length} of ${length} bytes at offset ${offset}`);
  }
  return b;
}

/** What a payload may be given as: one array, several, or a (possibly async) stream of arrays. */
export type ByteChunks = Uint8Array | readonly Uint8Array[] | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export async function* iterateChunks(payload: ByteChunks): AsyncGenerator<Uint8Array> {
  if (payload instanceof Uint8Array) {
    yield payload;
    return;
  }
  for await (const chunk of payload as AsyncIterable<Uint8Array>) yield chunk;
}

/** Collect a stream into one array (small payloads, tests). */
export async function collectBytes(chunks: ByteChunks): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of iterateChunks(chunks)) parts.push(c);
  return concatBytes(parts);
}

/**
 * Blob parts for `new Blob(parts)` (a download, one IndexedDB value). Chunks viewing shared
 * memory are copied (Blob rejects them); others are kept as they are, not concatenated.
 */
export async function snapshotToBlobParts(chunks: ByteChunks): Promise<Uint8Array<ArrayBuffer>[]> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const c of iterateChunks(chunks)) parts.push(ownedBytes(c) as Uint8Array<ArrayBuffer>);
  return parts;
}

/** A WritableStream (browser, Node) or anything with `write` (and optionally `close`). */
export type ByteSink = WritableStream<Uint8Array> | { write(chunk: Uint8Array): unknown; close?(): unknown };

/** Write every chunk to `sink` in order, awaiting each write (back-pressure), then close it. */
export async function pipeToSink(chunks: ByteChunks, sink: ByteSink): Promise<void> {
  if (typeof WritableStream !== 'undefined' && sink instanceof WritableStream) {
    const w = sink.getWriter();
    try {
      for await (const c of iterateChunks(chunks)) await w.write(c);
      await w.close();
    } catch (e) {
      await w.abort(e).catch(() => {});
      throw e;
    }
    return;
  }
  const s = sink as { write(chunk: Uint8Array): unknown; close?(): unknown };
  for await (const c of iterateChunks(chunks)) await s.write(c);
  await s.close?.();
}

/**
 * Chunk compression. 'zstd' is Zstandard through `@bokuweb/zstd-wasm` (the reference C
 * library compiled to wasm; its package resolves to a Node build that reads the .wasm file
 * next to it, and to a browser build that fetches it from `new URL('./zstd.wasm',
 * import.meta.url)` — or from the URL / bytes given to initCodecs). 'none' stores chunks
 * as they are. Both work offline.
 *
 * Decompression never trusts a frame: the frame header must declare exactly the expected
 * content size before any output buffer is allocated, and the output must have that size.
 */
import * as zstd from '@bokuweb/zstd-wasm';
import { ownedBytes } from './binary.ts';
import { SnapshotError } from './errors.ts';

export type CodecName = 'zstd' | 'none';
export const CODECS: readonly CodecName[] = ['zstd', 'none'];
/** zstd level used unless a caller asks for another: fast, and most of the ratio of level 3. */
export const DEFAULT_ZSTD_LEVEL = 1;

let zstdReady: Promise<void> | undefined;

export interface CodecInit {
  /**
   * Browser only: where to load zstd.wasm from (a URL, e.g. from a bundler's `?url` import,
   * or the module's bytes). Default: next to the package's own JS.
   */
  zstdWasm?: string | URL | ArrayBuffer | Uint8Array;
}

/** Load the codecs (idempotent; the first call's options win). Encoders and decoders call it. */
export function initCodecs(opts: CodecInit = {}): Promise<void> {
  zstdReady ??= (async () => {
    const where = opts.zstdWasm instanceof URL ? opts.zstdWasm.href : opts.zstdWasm;
    // The Node build ignores the argument; the browser build takes a URL string or bytes.
    await (zstd.init as (path?: unknown) => Promise<void>)(where);
  })().catch((e: unknown) => {
    zstdReady = undefined;
    throw new SnapshotError('unsupported-encoding', `could not load the zstd codec: ${(e as Error).message ?? e}`, { cause: e });
  });
  return zstdReady;
}

export function isCodecName(s: string): s is CodecName {
  return (CODECS as readonly string[]).includes(s);
}

/** Compress one chunk (call initCodecs first). A view on shared memory is fine: it is copied in. */
export function compressChunk(codec: CodecName, data: Uint8Array, level = DEFAULT_ZSTD_LEVEL): Uint8Array {
  if (codec === 'none') {
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    return whole ? ownedBytes(data) : data.slice();
  }
  return zstd.compress(data, level);
}

/** Decompress one chunk that must decode to exactly `expectedLength` bytes; `what` names it in errors. */
export function decompressChunk(codec: CodecName, stored: Uint8Array, expectedLength: number, what: string): Uint8Array {
  if (codec === 'none') {
    if (stored.length !== expectedLength) {
      throw new SnapshotError('bad-section', `${what}: stored ${stored.length} bytes, expected ${expectedLength}`);
    }
    return stored;
  }
  const declared = zstdFrameContentSize(stored);
  if (declared !== expectedLength) {
    throw new SnapshotError(
      'bad-section',
      `${what}: zstd frame declares ${declared === undefined ? 'no valid content size' : `${declared} bytes`}, expected ${expectedLength}`,
    );
  }
  let out: Uint8Array;
  try {
    out = zstd.decompress(stored, { defaultHeapSize: expectedLength });
  } catch (e) {
    throw new SnapshotError('bad-section', `${what}: zstd data does not decode (${(e as Error).message})`, { cause: e });
  }
  if (out.length !== expectedLength) {
    throw new SnapshotError('bad-section', `${what}: decoded to ${out.length} bytes, expected ${expectedLength}`);
  }
  return out;
}

/**
 * The Frame_Content_Size of a zstd frame (RFC 8878 §3.1.1.1), or undefined when the data
 * is not a zstd frame or does not declare its size.
 */
export function zstdFrameContentSize(b: Uint8Array): number | undefined {
  if (b.length < 6 || b[0] !== 0x28 || b[1] !== 0xb5 || b[2] !== 0x2f || b[3] !== 0xfd) return undefined;
  const fhd = b[4];
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd >> 5) & 1;
  if ((fhd >> 3) & 1) return undefined; // reserved bit
  const dictIdBytes = [0, 1, 2, 4][fhd & 3];
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag];
  if (fcsBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  if (at + fcsBytes > b.length) return undefined;
  let v = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) v = v * 256 + b[at + i];
  return fcsBytes === 2 ? v + 256 : v;
}

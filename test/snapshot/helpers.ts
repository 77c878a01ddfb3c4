/** Test helpers for the snapshot format tests. */
import { SnapshotError, type SnapshotErrorCode } from '../../src/snapshot/index.ts';

/** The SnapshotError code a promise rejects with, or 'ok'. Other errors are rethrown. */
export async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<SnapshotErrorCode | 'ok'> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'ok';
  } catch (e) {
    if (e instanceof SnapshotError) return e.code;
    throw e;
  }
}

/** Deterministic pseudo-random bytes (xorshift32), fast enough for tens of MiB. */
export function randomBytes(n: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  const words = new Uint32Array(out.buffer, 0, n >> 2);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < n; i++) out[i] = i & 0xff;
  return out;
}

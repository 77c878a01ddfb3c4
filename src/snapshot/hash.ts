/**
 * xxh64 (XXH64, seed 0, the algorithm of github.com/Cyan4973/xxHash) through the `xxhash-wasm`
 * package: a ~3 KiB wasm module inlined in its JS, so it works offline in Node, workers and
 * vitest alike. Every checksum in the format is this hash, stored as a little-endian u64.
 *
 * The package copies each input into its own wasm memory, which grows to the largest
 * input it ever saw: inputs are fed in slices of at most HASH_SLICE bytes so that hashing
 * a 1 GiB RAM image never grows it past that.
 */
import xxhash from 'xxhash-wasm';

type XxhashApi = Awaited<ReturnType<typeof xxhash>>;

let api: XxhashApi | undefined;
let loading: Promise<XxhashApi> | undefined;

const HASH_SLICE = 4 << 20;

/** Load the hash module (idempotent). Every async entry point of the library calls it. */
export async function initHash(): Promise<void> {
  if (api) return;
  loading ??= xxhash();
  api = await loading;
}

function hashApi(): XxhashApi {
  if (!api) throw new Error('snapshot hash not initialised: await initHash() (or any async snapshot API) first');
  return api;
}

/** Streaming xxh64. `update` accepts views on SharedArrayBuffers too (the bytes are copied into wasm). */
export class Xxh64 {
  private readonly state = hashApi().create64(0n);

  update(data: Uint8Array): this {
    for (let o = 0; o < data.length; o += HASH_SLICE) {
      this.state.update(o === 0 && data.length <= HASH_SLICE ? data : data.subarray(o, o + HASH_SLICE));
    }
    return this;
  }

  digest(): bigint {
    return this.state.digest();
  }
}

/** xxh64 of the concatenation of `parts` (one part or several). Call after initHash(). */
export function xxh64(...parts: Uint8Array[]): bigint {
  if (parts.length === 1 && parts[0].length <= HASH_SLICE) return hashApi().h64Raw(parts[0], 0n);
  const h = new Xxh64();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** 16 lowercase hex digits, the form in which hashes appear in messages, JSON and store keys. */
export function hashHex(h: bigint): string {
  return h.toString(16).padStart(16, '0');
}

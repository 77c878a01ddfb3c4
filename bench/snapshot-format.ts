/**
 * Throughput of the snapshot format in Node: hashing, zstd, and whole RAM encode / validate /
 * decode over a 256 MiB RAM image shaped like a booted guest (zero pages, text, random data).
 *   npx tsx bench/snapshot-format.ts [MiB]
 * Reference (toolchain-notes.md, Chromium): zstd-wasm 170–270 MiB/s, xxh64 5–8 GB/s.
 */
import {
  collectBytes,
  compressChunk,
  decodeRamInto,
  decompressChunk,
  encodeRam,
  initCodecs,
  initHash,
  openSnapshot,
  SnapshotWriter,
  validateRam,
  xxh64,
} from '../src/snapshot/index.ts';

const MiB = 1 << 20;
const size = Number(process.argv[2] ?? 256) * MiB;

function guestLikeRam(bytes: number): Uint8Array {
  const ram = new Uint8Array(bytes);
  const text = new TextEncoder().encode('[    0.000000] Linux version 6.12.0 (amber@build) riscv64 SMP PREEMPT; ');
  let x = 12345;
  for (let p = 0; p < bytes / 4096; p++) {
    const kind = p % 10;
    const at = p * 4096;
    if (kind < 4) continue; // 40 % zero pages
    if (kind < 8) {
      for (let o = 0; o < 4096; o += text.length) ram.set(text.subarray(0, Math.min(text.length, 4096 - o)), at + o);
      ram[at] = p & 0xff;
    } else if (kind === 8) {
      for (let o = 0; o < 4096; o += 8) ram[at + o] = p & 7; // sparse structures
    } else {
      for (let o = 0; o < 4096; o++) ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (ram[at + o] = x & 0xff));
    }
  }
  return ram;
}

const rate = (bytes: number, ms: number) => `${((bytes / MiB) / (ms / 1000)).toFixed(0).padStart(6)} MiB/s`;
async function time<T>(label: string, bytes: number, fn: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const r = await fn();
  const ms = performance.now() - t;
  console.log(`${label.padEnd(44)} ${rate(bytes, ms)}  (${ms.toFixed(0)} ms)`);
  return r;
}

await Promise.all([initHash(), initCodecs()]);
const ram = guestLikeRam(size);
const chunk = ram.subarray(4 * 4096 * 10, 4 * 4096 * 10 + 4 * MiB);
xxh64(chunk);
// A plain copy of the same bytes: the reference that shows how loaded the machine is.
await time('reference: memcpy (Uint8Array.slice), 4 MiB pieces', size, () => { for (let o = 0; o < size; o += 4 * MiB) ram.slice(o, o + 4 * MiB); });
console.log('   reference (toolchain-notes.md, Chromium, idle machine): zstd-wasm 170–270 MiB/s, xxh64 5–8 GB/s');
await time('xxh64, 4 MiB pieces', size, () => { for (let o = 0; o < size; o += 4 * MiB) xxh64(ram.subarray(o, o + 4 * MiB)); });
let stored = compressChunk('zstd', chunk);
await time('zstd level 1 compress (4 MiB chunk x 16)', 64 * MiB, () => { for (let i = 0; i < 16; i++) stored = compressChunk('zstd', chunk); });
await time('zstd decompress (4 MiB chunk x 16)', 64 * MiB, () => { for (let i = 0; i < 16; i++) decompressChunk('zstd', stored, chunk.length, 'bench'); });
console.log(`   ratio on that chunk: ${(stored.length / chunk.length).toFixed(3)}`);

const file = await time(`encodeRam + SnapshotWriter (${size / MiB} MiB RAM)`, size, async () => {
  const w = new SnapshotWriter();
  w.addSection({ name: 'ram', version: 1, required: true, encoding: 'ram' }, encodeRam(ram));
  return collectBytes(w.finish());
});
console.log(`   file: ${(file.length / MiB).toFixed(1)} MiB (${((file.length / size) * 100).toFixed(1)} % of RAM)`);
const snap = await openSnapshot(file);
await time('verifyAll (whole file + sections)', size, () => snap.verifyAll());
await time('validateRam (structure + chunk checksums)', size, () => validateRam(snap.payloadSource('ram')));
const target = new Uint8Array(size);
await time('decodeRamInto', size, () => decodeRamInto(snap.payloadSource('ram'), target));
if (Buffer.compare(target, ram) !== 0) throw new Error('round trip mismatch');

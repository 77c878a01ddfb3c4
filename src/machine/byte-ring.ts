/**
 * A single-producer, single-consumer byte ring in shared memory.
 *
 * Header: [writePos, readPos] as free-running u32 counters; data follows. The producer
 * (a device model, under its lock) writes; the consumer (a host backend) reads. Both
 * ends may sleep on the header words with Atomics.wait / waitAsync.
 */
import { RING_HEADER } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

export class ByteRing {
  private readonly writeIndex: number;
  private readonly readIndex: number;
  private readonly data: number;
  readonly capacity: number;

  /** A ring whose header is at `base` and whose `capacity` data bytes follow it. */
  constructor(private readonly mem: SharedMachineMemory, base: number, capacity: number) {
    this.writeIndex = base >> 2;
    this.readIndex = (base >> 2) + 1;
    this.data = base + RING_HEADER;
    this.capacity = capacity;
    if ((this.capacity & (this.capacity - 1)) !== 0) throw new Error('ring capacity must be a power of two');
  }

  reset(): void {
    Atomics.store(this.mem.i32, this.writeIndex, 0);
    Atomics.store(this.mem.i32, this.readIndex, 0);
  }

  get used(): number {
    return (Atomics.load(this.mem.i32, this.writeIndex) - Atomics.load(this.mem.i32, this.readIndex)) >>> 0;
  }

  get free(): number {
    return this.capacity - this.used;
  }

  /** Append as many of `bytes` as fit; returns how many were written. */
  write(bytes: ArrayLike<number>): number {
    const w = Atomics.load(this.mem.i32, this.writeIndex) >>> 0;
    const n = Math.min(bytes.length, this.free);
    const mask = this.capacity - 1;
    for (let i = 0; i < n; i++) this.mem.u8[this.data + ((w + i) & mask)] = bytes[i];
    Atomics.store(this.mem.i32, this.writeIndex, (w + n) | 0);
    Atomics.notify(this.mem.i32, this.writeIndex);
    return n;
  }

  /** Append one byte, waiting up to `timeoutMs` for room (backpressure, like a slow line). */
  writeByte(byte: number, timeoutMs: number): boolean {
    const deadline = performance.now() + timeoutMs;
    while (this.free === 0) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      const r = Atomics.load(this.mem.i32, this.readIndex);
      Atomics.wait(this.mem.i32, this.readIndex, r, Math.min(left, 10));
    }
    return this.write([byte]) === 1;
  }

  /** Take everything buffered (copied out of shared memory). */
  read(max = this.capacity): Uint8Array {
    const r = Atomics.load(this.mem.i32, this.readIndex) >>> 0;
    const n = Math.min(this.used, max);
    const out = new Uint8Array(n);
    const mask = this.capacity - 1;
    for (let i = 0; i < n; i++) out[i] = this.mem.u8[this.data + ((r + i) & mask)];
    Atomics.store(this.mem.i32, this.readIndex, (r + n) | 0);
    Atomics.notify(this.mem.i32, this.readIndex);
    return out;
  }

  /** Resolve when the producer has written since `seenWritePos`, or after `timeoutMs`. */
  async waitForData(timeoutMs: number): Promise<void> {
    const w = Atomics.load(this.mem.i32, this.writeIndex);
    if (w !== Atomics.load(this.mem.i32, this.readIndex)) return;
    const result = Atomics.waitAsync(this.mem.i32, this.writeIndex, w, timeoutMs);
    if (result.async) await result.value;
  }
}

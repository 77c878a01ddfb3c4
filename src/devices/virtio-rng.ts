/**
 * virtio-rng (device id 4): fills each device-writable buffer the guest offers with random
 * bytes from `crypto.getRandomValues` (in chunks of at most 65536 bytes, its limit; through a
 * private buffer, since browsers refuse views of shared memory). In deterministic mode the
 * bytes come from a xorshift128 generator whose state is in the device state instead, so
 * runs and snapshot round trips repeat exactly.
 */
import { Ctrl, CtrlFlags } from '../machine/layout.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { InterruptSink } from './device.ts';
import { Chain, VirtioMmio, defineVirtioSchema } from './virtio-mmio.ts';

export const VIRTIO_ID_ENTROPY = 4;
export const VIRTIO_RNG_QUEUE_SIZE = 64;
const CHUNK = 65536;
/** Seed of the deterministic generator (any nonzero words). */
const SEED = [0x1234_5678, 0x9abc_def0, 0x0fed_cba9, 0x8765_4321];

export const virtioRngSchema = defineVirtioSchema('virtio-rng', {
  /** xorshift128 state (deterministic mode only). */
  prng: { type: 'u32', count: 4 },
});

export class VirtioRng extends VirtioMmio<typeof virtioRngSchema.fields> {
  readonly deviceId = VIRTIO_ID_ENTROPY;
  readonly deviceTypeFeatures = 0n;
  readonly queueCount = 1;
  private readonly deterministic: boolean;

  constructor(mem: SharedMachineMemory, slot: number, name: string, base: number, irq: number, irqs: InterruptSink) {
    super(mem, slot, virtioRngSchema, name, base, irq, irqs);
    this.deterministic = (mem.ctrl(Ctrl.flags) & CtrlFlags.deterministic) !== 0;
  }

  queueMax(): number {
    return VIRTIO_RNG_QUEUE_SIZE;
  }

  protected deviceReset(): void {
    SEED.forEach((w, i) => this.state.set('prng', w, i));
  }

  configSpace(): Uint8Array {
    return new Uint8Array(0);
  }

  handle(_q: number, chain: Chain): number {
    const total = chain.writable;
    const scratch = new Uint8Array(Math.min(total, CHUNK));
    for (let done = 0; done < total; done += scratch.length) {
      const part = scratch.subarray(0, Math.min(scratch.length, total - done));
      this.fill(part);
      chain.write(this.mem, done, part);
    }
    return total;
  }

  private fill(out: Uint8Array): void {
    if (!this.deterministic) {
      crypto.getRandomValues(out);
      return;
    }
    const s = this.state;
    let x = s.get('prng', 0), y = s.get('prng', 1), z = s.get('prng', 2), w = s.get('prng', 3);
    for (let i = 0; i < out.length; i += 4) {
      const t = x ^ (x << 11);
      x = y; y = z; z = w;
      w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      for (let b = 0; b < 4 && i + b < out.length; b++) out[i + b] = (w >>> (8 * b)) & 0xff;
    }
    s.set('prng', x, 0); s.set('prng', y, 1); s.set('prng', z, 2); s.set('prng', w, 3);
  }
}

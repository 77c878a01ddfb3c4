/**
 * CLINT (SiFive core-local interruptor, as on QEMU virt): per-hart software interrupt
 * (msip) and timer compare (mtimecmp) registers, and the shared mtime.
 *
 * mtime itself is not state: it comes from the machine clock. MTIP is level-triggered
 * (mtime ≥ mtimecmp); writes update it at once, and each hart's runner re-evaluates it
 * between instruction batches (`updateTimer`) and sleeps until the deadline in WFI.
 */
import type { MachineClock } from '../machine/clock.ts';
import { MAX_HARTS } from '../machine/layout.ts';
import { MIP, setMipBits } from '../machine/interrupts.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { AccessSize, Device } from './device.ts';
import { DeviceState, defineSchema } from './state.ts';

export const clintSchema = defineSchema({
  name: 'clint',
  version: 1,
  fields: {
    msip: { type: 'u32', count: MAX_HARTS },
    mtimecmp: { type: 'u64', count: MAX_HARTS },
  },
});

const MSIP_BASE = 0x0;
const MTIMECMP_BASE = 0x4000;
const MTIME = 0xbff8;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

type S = typeof clintSchema.fields;

export class Clint implements Device<S> {
  readonly state: DeviceState<S>;

  constructor(
    private readonly mem: SharedMachineMemory,
    slot: number,
    private readonly clock: MachineClock,
    private readonly hartCount: number,
    readonly name = 'clint',
    readonly base = 0x0200_0000,
    readonly size = 0x10000,
  ) {
    this.state = new DeviceState(mem, slot, clintSchema);
  }

  reset(): void {
    this.state.clear();
    for (let h = 0; h < MAX_HARTS; h++) this.state.set64('mtimecmp', U64_MAX, h);
    this.afterLoad();
  }

  afterLoad(): void {
    for (let h = 0; h < this.hartCount; h++) {
      setMipBits(this.mem, h, MIP.MSIP, (this.state.get('msip', h) & 1) !== 0);
      this.updateTimer(h);
    }
  }

  read(offset: number, size: AccessSize): bigint {
    const [value, shift] = this.register(offset, size);
    const mask = size === 8 ? U64_MAX : (1n << BigInt(size * 8)) - 1n;
    return (value >> BigInt(shift * 8)) & mask;
  }

  write(offset: number, size: AccessSize, value: bigint): void {
    if (offset < MSIP_BASE + 4 * this.hartCount && size === 4 && offset % 4 === 0) {
      const hart = offset >> 2;
      const bit = Number(value & 1n);
      this.state.set('msip', bit, hart);
      setMipBits(this.mem, hart, MIP.MSIP, bit === 1);
      return;
    }
    if (offset >= MTIMECMP_BASE && offset < MTIMECMP_BASE + 8 * this.hartCount) {
      const hart = (offset - MTIMECMP_BASE) >> 3;
      const shift = BigInt(((offset - MTIMECMP_BASE) & 7) * 8);
      const mask = (size === 8 ? U64_MAX : (1n << BigInt(size * 8)) - 1n) << shift;
      const old = this.state.get64('mtimecmp', hart);
      this.state.set64('mtimecmp', (old & ~mask) | ((value << shift) & mask), hart);
      this.updateTimer(hart);
      // The hart may be asleep with the old deadline: let it recompute.
      this.mem.wakeHart(hart);
    }
    // mtime is read-only here: the machine clock is the single source of time.
  }

  /** Set or clear MTIP for `hart` from mtime and its mtimecmp. Lock not needed: a read-only view. */
  updateTimer(hart: number): void {
    const due = this.clock.mtime() >= this.state.get64('mtimecmp', hart);
    setMipBits(this.mem, hart, MIP.MTIP, due);
  }

  /** Host milliseconds until `hart`'s timer fires (Infinity when disarmed). */
  msUntilTimer(hart: number): number {
    const cmp = this.state.get64('mtimecmp', hart);
    if (cmp === U64_MAX) return Infinity;
    return this.clock.msUntil(cmp);
  }

  private register(offset: number, size: AccessSize): [bigint, number] {
    if (offset < MSIP_BASE + 4 * this.hartCount) {
      return [BigInt(this.state.get('msip', offset >> 2)), offset & 3];
    }
    if (offset >= MTIMECMP_BASE && offset < MTIMECMP_BASE + 8 * this.hartCount) {
      return [this.state.get64('mtimecmp', (offset - MTIMECMP_BASE) >> 3), (offset - MTIMECMP_BASE) & 7];
    }
    if (offset >= MTIME && offset + size <= MTIME + 8) return [this.clock.mtime(), offset - MTIME];
    return [0n, 0];
  }
}

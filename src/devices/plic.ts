/**
 * PLIC (`sifive,plic-1.0.0`, as QEMU virt's): 96 interrupt sources (1–95 usable), priorities
 * 0–7, and two contexts per hart: context 2h is hart h's M-mode (drives MEIP), 2h + 1 its
 * S-mode (drives SEIP).
 *
 * Every source is level-triggered. The state keeps each source's input level, so a line
 * still high after `complete` pends again, and a restore re-derives the outputs. Invariant:
 * pending = level ∧ ¬claimed (a claimed source is in service and cannot pend until completed).
 *
 * Locking: devices call `setLevel` holding their own lock; the PLIC then takes its lock
 * (order device → PLIC). The PLIC never calls into a device.
 */
import { MAX_HARTS } from '../machine/layout.ts';
import { MIP, setMipBits } from '../machine/interrupts.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { AccessSize, Device, InterruptSink } from './device.ts';
import { DeviceState, defineSchema } from './state.ts';

/** Number of sources including the reserved source 0 (QEMU VIRT_IRQCHIP_NUM_SOURCES). */
export const PLIC_SOURCES = 96;
/** `riscv,ndev`: the highest source number. */
export const PLIC_NDEV = PLIC_SOURCES - 1;
export const PLIC_MAX_PRIORITY = 7;
const WORDS = PLIC_SOURCES / 32;
const CONTEXTS = 2 * MAX_HARTS;

export const plicSchema = defineSchema({
  name: 'plic',
  version: 1,
  fields: {
    priority: { type: 'u32', count: PLIC_SOURCES },
    /** Pending bits, 32 sources per word. */
    pending: { type: 'u32', count: WORDS },
    /** Claimed (in service) bits. */
    claimed: { type: 'u32', count: WORDS },
    /** Current input level of each source. */
    level: { type: 'u32', count: WORDS },
    /** enable[context * WORDS + word]. */
    enable: { type: 'u32', count: CONTEXTS * WORDS },
    threshold: { type: 'u32', count: CONTEXTS },
    /**
     * Output last driven into mip, one bit per context: mip is touched only on a change, so a
     * software-written mip.SEIP is not cleared by unrelated PLIC activity. Re-derived on load.
     */
    outputs: { type: 'u32' },
  },
});

const PRIORITY_BASE = 0x0;
const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x20_0000;
const CONTEXT_STRIDE = 0x1000;

type S = typeof plicSchema.fields;

export class Plic implements Device<S>, InterruptSink {
  readonly state: DeviceState<S>;
  private readonly contexts: number;

  constructor(
    private readonly mem: SharedMachineMemory,
    slot: number,
    private readonly hartCount: number,
    readonly name = 'plic',
    readonly base = 0xc00_0000,
    readonly size = 0x60_0000,
  ) {
    this.state = new DeviceState(mem, slot, plicSchema);
    this.contexts = 2 * hartCount;
  }

  reset(): void {
    this.state.clear();
    this.update(true);
  }

  afterLoad(): void {
    const s = this.state;
    for (let w = 0; w < WORDS; w++) {
      s.set('pending', s.get('level', w) & ~s.get('claimed', w), w);
    }
    this.update(true);
  }

  /** Raise or lower source `irq`'s input line. Takes the PLIC lock; call with no PLIC lock held. */
  setLevel(irq: number, level: boolean): void {
    if (irq <= 0 || irq >= PLIC_SOURCES) return;
    this.state.locked(() => {
      const s = this.state;
      const w = irq >> 5;
      const bit = 1 << (irq & 31);
      const old = s.get('level', w);
      s.set('level', level ? old | bit : old & ~bit, w);
      const claimed = (s.get('claimed', w) & bit) !== 0;
      const pending = s.get('pending', w);
      s.set('pending', level && !claimed ? pending | bit : pending & ~bit, w);
      this.update();
    });
  }

  read(offset: number, size: AccessSize): bigint {
    if (size === 8) return BigInt(this.readWord(offset) >>> 0) | (BigInt(this.readWord(offset + 4) >>> 0) << 32n);
    const shift = (offset & 3) * 8;
    const mask = size === 4 ? 0xffff_ffff : (1 << (size * 8)) - 1;
    return BigInt(((this.readWord(offset & ~3) >>> shift) & mask) >>> 0);
  }

  write(offset: number, size: AccessSize, value: bigint): void {
    if (size === 8) {
      this.writeWord(offset, Number(value & 0xffff_ffffn));
      this.writeWord(offset + 4, Number((value >> 32n) & 0xffff_ffffn));
      return;
    }
    // Registers are 32-bit: narrower writes are taken as the low bits of the word.
    this.writeWord(offset & ~3, Number(value & 0xffff_ffffn));
  }

  private readWord(offset: number): number {
    const s = this.state;
    if (offset < PENDING_BASE) {
      const src = (offset - PRIORITY_BASE) >> 2;
      return src < PLIC_SOURCES ? s.get('priority', src) : 0;
    }
    if (offset < ENABLE_BASE) {
      const w = (offset - PENDING_BASE) >> 2;
      return w < WORDS ? s.get('pending', w) : 0;
    }
    if (offset < CONTEXT_BASE) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const w = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >> 2;
      return ctx < this.contexts && w < WORDS ? s.get('enable', ctx * WORDS + w) : 0;
    }
    const ctx = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    if (ctx >= this.contexts) return 0;
    switch ((offset - CONTEXT_BASE) % CONTEXT_STRIDE) {
      case 0: return s.get('threshold', ctx);
      case 4: return this.claim(ctx);
      default: return 0;
    }
  }

  private writeWord(offset: number, v: number): void {
    const s = this.state;
    if (offset < PENDING_BASE) {
      const src = (offset - PRIORITY_BASE) >> 2;
      if (src > 0 && src < PLIC_SOURCES) {
        s.set('priority', v & PLIC_MAX_PRIORITY, src); // WARL, as QEMU
        this.update();
      }
      return;
    }
    if (offset < ENABLE_BASE) return; // pending bits are read-only
    if (offset < CONTEXT_BASE) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const w = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >> 2;
      if (ctx < this.contexts && w < WORDS) {
        s.set('enable', w === 0 ? v & ~1 : v, ctx * WORDS + w); // source 0 does not exist
        this.update();
      }
      return;
    }
    const ctx = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    if (ctx >= this.contexts) return;
    switch ((offset - CONTEXT_BASE) % CONTEXT_STRIDE) {
      case 0:
        s.set('threshold', v & PLIC_MAX_PRIORITY, ctx);
        this.update();
        break;
      case 4:
        this.complete(ctx, v >>> 0);
        break;
      default: break;
    }
  }

  /** The best pending source enabled for `ctx` with priority above its threshold (0 = none). */
  private best(ctx: number): number {
    const s = this.state;
    let bestId = 0;
    let bestPrio = s.get('threshold', ctx);
    for (let w = 0; w < WORDS; w++) {
      let bits = s.get('pending', w) & s.get('enable', ctx * WORDS + w);
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const id = w * 32 + b;
        const prio = s.get('priority', id);
        if (prio > bestPrio) {
          bestPrio = prio;
          bestId = id;
        }
      }
    }
    return bestId;
  }

  private claim(ctx: number): number {
    const id = this.best(ctx);
    if (id !== 0) {
      const s = this.state;
      const w = id >> 5;
      const bit = 1 << (id & 31);
      s.set('pending', s.get('pending', w) & ~bit, w);
      s.set('claimed', s.get('claimed', w) | bit, w);
      this.update();
    }
    return id;
  }

  private complete(ctx: number, id: number): void {
    if (id <= 0 || id >= PLIC_SOURCES) return;
    const s = this.state;
    const w = id >> 5;
    const bit = 1 << (id & 31);
    // As the spec says, a completion for a source not enabled for this context is ignored.
    if (!(s.get('enable', ctx * WORDS + w) & bit) || !(s.get('claimed', w) & bit)) return;
    s.set('claimed', s.get('claimed', w) & ~bit, w);
    if (s.get('level', w) & bit) s.set('pending', s.get('pending', w) | bit, w);
    this.update();
  }

  /**
   * Recompute every context's output and drive MEIP/SEIP in the harts' mip on each change
   * (`force`: drive every output, after reset or load).
   */
  private update(force = false): void {
    const old = this.state.get('outputs');
    let outputs = 0;
    for (let ctx = 0; ctx < this.contexts; ctx++) {
      const bit = 1 << ctx;
      const on = this.best(ctx) !== 0;
      if (on) outputs |= bit;
      if (force || ((old & bit) !== 0) !== on) setMipBits(this.mem, ctx >> 1, (ctx & 1) ? MIP.SEIP : MIP.MEIP, on);
    }
    this.state.set('outputs', outputs);
  }

  /** Whether `ctx` currently asserts its interrupt output (for tests and status displays). */
  output(ctx: number): boolean {
    return this.best(ctx) !== 0;
  }

  /** The number of harts this PLIC serves. */
  get harts(): number {
    return this.hartCount;
  }
}

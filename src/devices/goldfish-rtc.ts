/**
 * Goldfish RTC (`google,goldfish-rtc`, QEMU virt's rtc@101000, IRQ 11).
 *
 * Time is nanoseconds since the Unix epoch: the host clock plus a guest-set offset kept in
 * the state, so a `hwclock -w` survives a snapshot. Linux reads TIME_LOW first, which latches
 * the high half for the following TIME_HIGH read. In deterministic mode the host clock is
 * replaced by a fixed epoch plus mtime, so runs stay repeatable.
 *
 * The alarm is kept in state and fires when `poll()` finds it due: the host calls `poll()`
 * from its timers (see `msUntilAlarm`), and every register access polls too.
 */
import { hostEpochMs, type MachineClock } from '../machine/clock.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { AccessSize, Device, InterruptSink } from './device.ts';
import { DeviceState, defineSchema } from './state.ts';

export const goldfishRtcSchema = defineSchema({
  name: 'goldfish-rtc',
  version: 1,
  fields: {
    /** Guest time minus host time, ns (two's complement). */
    offsetNs: { type: 'u64' },
    /** TIME_HIGH as latched by the last TIME_LOW read. */
    timeHighLatch: { type: 'u32' },
    /** Alarm time in guest ns; ALARM_HIGH is held here until ALARM_LOW arms it. */
    alarmNs: { type: 'u64' },
    alarmHigh: { type: 'u32' },
    alarmArmed: { type: 'u8' },
    irqEnabled: { type: 'u8' },
    /** The interrupt status (alarm fired, not yet cleared). */
    irqPending: { type: 'u8' },
  },
});

const TIME_LOW = 0x00;
const TIME_HIGH = 0x04;
const ALARM_LOW = 0x08;
const ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14;
const ALARM_STATUS = 0x18;
const CLEAR_INTERRUPT = 0x1c;

/** Deterministic mode's wall clock at mtime 0: 2025-01-01T00:00:00Z. */
export const DETERMINISTIC_EPOCH_NS = 1_735_689_600n * 1_000_000_000n;

type S = typeof goldfishRtcSchema.fields;

export class GoldfishRtc implements Device<S> {
  readonly state: DeviceState<S>;

  constructor(
    mem: SharedMachineMemory,
    slot: number,
    private readonly clock: MachineClock,
    private readonly irqs: InterruptSink,
    readonly irq = 11,
    readonly name = 'rtc',
    readonly base = 0x10_1000,
    readonly size = 0x1000,
  ) {
    this.state = new DeviceState(mem, slot, goldfishRtcSchema);
  }

  reset(): void {
    this.state.clear();
    this.updateIrq();
  }

  afterLoad(): void {
    this.updateIrq();
  }

  /** The host-side time source, ns since the epoch. */
  hostNs(): bigint {
    if (this.clock.isDeterministic) return DETERMINISTIC_EPOCH_NS + this.clock.mtime() * 100n;
    return BigInt(Math.floor(hostEpochMs() * 1000)) * 1000n;
  }

  /** Guest wall-clock time, ns since the epoch. */
  nowNs(): bigint {
    return BigInt.asUintN(64, this.hostNs() + BigInt.asIntN(64, this.state.get64('offsetNs')));
  }

  read(offset: number, _size: AccessSize): bigint {
    const s = this.state;
    this.poll();
    switch (offset) {
      case TIME_LOW: {
        const now = this.nowNs();
        s.set('timeHighLatch', Number(now >> 32n));
        return now & 0xffff_ffffn;
      }
      case TIME_HIGH: return BigInt(s.get('timeHighLatch'));
      case ALARM_LOW: return s.get64('alarmNs') & 0xffff_ffffn;
      case ALARM_HIGH: return s.get64('alarmNs') >> 32n;
      case IRQ_ENABLED: return BigInt(s.get('irqEnabled'));
      case ALARM_STATUS: return BigInt(s.get('alarmArmed'));
      default: return 0n;
    }
  }

  write(offset: number, _size: AccessSize, value: bigint): void {
    const s = this.state;
    const v = value & 0xffff_ffffn;
    switch (offset) {
      case TIME_LOW: this.setTime((this.nowNs() & ~0xffff_ffffn) | v); break;
      case TIME_HIGH: this.setTime((this.nowNs() & 0xffff_ffffn) | (v << 32n)); break;
      case ALARM_HIGH: s.set('alarmHigh', Number(v)); break;
      case ALARM_LOW:
        // Writing the low half arms the alarm (Linux writes HIGH, then LOW).
        s.set64('alarmNs', (BigInt(s.get('alarmHigh')) << 32n) | v);
        s.set('alarmArmed', 1);
        break;
      case IRQ_ENABLED: s.set('irqEnabled', Number(v & 1n)); this.updateIrq(); break;
      case CLEAR_ALARM: s.set('alarmArmed', 0); break;
      case CLEAR_INTERRUPT: s.set('irqPending', 0); this.updateIrq(); break;
      default: break;
    }
    this.poll();
  }

  /** Fire the alarm if it is due (lock held). */
  poll(): void {
    const s = this.state;
    if (s.get('alarmArmed') && this.nowNs() >= s.get64('alarmNs')) {
      s.set('alarmArmed', 0);
      s.set('irqPending', 1);
      this.updateIrq();
    }
  }

  /** Host milliseconds until the armed alarm is due (Infinity when none). */
  msUntilAlarm(): number {
    if (!this.state.get('alarmArmed')) return Infinity;
    const d = this.state.get64('alarmNs') - this.nowNs();
    return d <= 0n ? 0 : Number(d) / 1e6;
  }

  private setTime(guestNs: bigint): void {
    this.state.set64('offsetNs', BigInt.asUintN(64, guestNs - this.hostNs()));
  }

  private updateIrq(): void {
    const s = this.state;
    this.irqs.setLevel(this.irq, s.get('irqPending') === 1 && s.get('irqEnabled') === 1);
  }
}

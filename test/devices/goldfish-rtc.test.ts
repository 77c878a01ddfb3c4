import { describe, expect, it } from 'vitest';
import { GoldfishRtc } from '../../src/devices/goldfish-rtc.ts';
import { Plic } from '../../src/devices/plic.ts';
import { MachineClock } from '../../src/machine/clock.ts';
import { MIP, readMip } from '../../src/machine/interrupts.ts';
import { makeMemory } from './helpers.ts';

function setup() {
  const mem = makeMemory(1);
  MachineClock.startAt(mem, 0);
  const plic = new Plic(mem, 3, 1);
  plic.state.locked(() => plic.reset());
  const rtc = new GoldfishRtc(mem, 1, new MachineClock(mem), plic);
  rtc.state.locked(() => rtc.reset());
  const rd = (o: number) => rtc.state.locked(() => Number(rtc.read(o, 4)));
  const wr = (o: number, v: number) => rtc.state.locked(() => rtc.write(o, 4, BigInt(v >>> 0)));
  // Route IRQ 11 to hart 0's S context.
  plic.state.locked(() => {
    plic.write(4 * 11, 4, 1n);
    plic.write(0x2080, 4, 1n << 11n);
  });
  return { mem, rtc, rd, wr };
}

/** Linux's goldfish_rtc_read_time: TIME_LOW first (latches the high half), then TIME_HIGH. */
function readNs(rd: (o: number) => number): bigint {
  const low = BigInt(rd(0x00) >>> 0);
  const high = BigInt(rd(0x04) >>> 0);
  return (high << 32n) | low;
}

const hostNs = () => BigInt(Date.now()) * 1_000_000n;
const abs = (x: bigint) => (x < 0n ? -x : x);

describe('goldfish RTC', () => {
  it('reads host time in ns since the epoch', () => {
    const { rd } = setup();
    expect(abs(readNs(rd) - hostNs()) < 1_000_000_000n).toBe(true);
  });

  it('latches TIME_HIGH on the TIME_LOW read', () => {
    const { rtc, rd } = setup();
    const low = rd(0x00);
    const latched = rtc.state.get('timeHighLatch');
    expect(rd(0x04)).toBe(latched);
    expect(low).toBeGreaterThanOrEqual(0);
  });

  it('keeps a guest-set time as an offset from the host clock', () => {
    const { rd, wr, rtc } = setup();
    const target = 1_000_000_000n * 1_000_000_000n; // 2001-09-09
    // Linux's set_time: TIME_HIGH, then TIME_LOW.
    wr(0x04, Number(target >> 32n));
    wr(0x00, Number(target & 0xffff_ffffn));
    const now = readNs(rd);
    expect(now >= target && now - target < 1_000_000_000n).toBe(true);
    // The offset is state, so it survives save/load.
    const saved = rtc.state.save();
    rtc.state.locked(() => rtc.reset());
    expect(abs(readNs(rd) - hostNs()) < 1_000_000_000n).toBe(true);
    rtc.state.locked(() => { rtc.state.load(saved); rtc.afterLoad(); });
    expect(readNs(rd) - target < 2_000_000_000n).toBe(true);
  });

  it('fires an enabled alarm into the PLIC, and clears it on CLEAR_INTERRUPT', () => {
    const { mem, rd, wr, rtc } = setup();
    const at = readNs(rd) + 1_000_000_000n; // one second from now
    wr(0x0c, Number(at >> 32n));
    wr(0x08, Number(at & 0xffff_ffffn));
    wr(0x10, 1);
    expect(rd(0x18)).toBe(1); // ALARM_STATUS: armed
    expect(rd(0x10)).toBe(1);
    expect(BigInt(rd(0x08) >>> 0) | (BigInt(rd(0x0c) >>> 0) << 32n)).toBe(at);
    expect(rtc.msUntilAlarm()).toBeGreaterThan(500);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);

    // Move guest time past the alarm (set the clock forward two seconds).
    const later = readNs(rd) + 2_000_000_000n;
    wr(0x04, Number(later >> 32n));
    wr(0x00, Number(later & 0xffff_ffffn));
    rtc.state.locked(() => rtc.poll());
    expect(rd(0x18)).toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    wr(0x1c, 1);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);

    // CLEAR_ALARM disarms.
    wr(0x0c, 0xffff_ffff);
    wr(0x08, 0);
    expect(rd(0x18)).toBe(1);
    wr(0x14, 1);
    expect(rd(0x18)).toBe(0);
    expect(rtc.msUntilAlarm()).toBe(Infinity);
  });
});

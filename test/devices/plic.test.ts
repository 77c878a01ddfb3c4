import { describe, expect, it } from 'vitest';
import { Plic } from '../../src/devices/plic.ts';
import { MIP, readMip, setMipBits } from '../../src/machine/interrupts.ts';
import type { SharedMachineMemory } from '../../src/machine/shared-memory.ts';
import { makeMemory } from './helpers.ts';

const PRIORITY = (src: number) => 4 * src;
const PENDING = 0x1000;
const ENABLE = (ctx: number) => 0x2000 + 0x80 * ctx;
const THRESHOLD = (ctx: number) => 0x20_0000 + 0x1000 * ctx;
const CLAIM = (ctx: number) => 0x20_0004 + 0x1000 * ctx;

function setup(harts = 2): { mem: SharedMachineMemory; plic: Plic; rd: (o: number) => number; wr: (o: number, v: number) => void } {
  const mem = makeMemory(harts);
  const plic = new Plic(mem, 3, harts);
  plic.state.locked(() => plic.reset());
  const rd = (o: number) => plic.state.locked(() => Number(plic.read(o, 4)));
  const wr = (o: number, v: number) => plic.state.locked(() => plic.write(o, 4, BigInt(v)));
  return { mem, plic, rd, wr };
}

describe('PLIC', () => {
  it('pends a raised line and drives SEIP of the enabled S context, with claim and complete', () => {
    const { mem, plic, rd, wr } = setup();
    wr(PRIORITY(10), 1);
    wr(ENABLE(1), 1 << 10); // hart 0, S-mode
    expect(rd(PRIORITY(10))).toBe(1);
    expect(rd(ENABLE(1))).toBe(1 << 10);

    plic.setLevel(10, true);
    expect(rd(PENDING) & (1 << 10)).not.toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    expect(readMip(mem, 0) & MIP.MEIP).toBe(0);
    expect(readMip(mem, 1) & (MIP.SEIP | MIP.MEIP)).toBe(0);

    expect(rd(CLAIM(1))).toBe(10);
    expect(rd(PENDING) & (1 << 10)).toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
    expect(rd(CLAIM(1))).toBe(0); // nothing else pending

    // Still high at completion: level-triggered, it pends again.
    wr(CLAIM(1), 10);
    expect(rd(PENDING) & (1 << 10)).not.toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    expect(rd(CLAIM(1))).toBe(10);

    // Lowered while in service: after completion nothing pends.
    plic.setLevel(10, false);
    wr(CLAIM(1), 10);
    expect(rd(PENDING)).toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
  });

  it('drops a pending request when the line falls before the claim', () => {
    const { mem, plic, rd, wr } = setup();
    wr(PRIORITY(5), 1);
    wr(ENABLE(1), 1 << 5);
    plic.setLevel(5, true);
    plic.setLevel(5, false);
    expect(rd(PENDING)).toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
    expect(rd(CLAIM(1))).toBe(0);
  });

  it('claims the highest priority first, lowest id on ties, and honours the threshold', () => {
    const { mem, plic, rd, wr } = setup();
    for (const [src, prio] of [[3, 2], [7, 5], [40, 5], [90, 1]]) wr(PRIORITY(src), prio);
    wr(ENABLE(0), (1 << 3) | (1 << 7)); // hart 0, M-mode
    wr(ENABLE(0) + 4, 1 << (40 - 32));
    wr(ENABLE(0) + 8, 1 << (90 - 64));
    for (const src of [3, 7, 40, 90]) plic.setLevel(src, true);
    expect(rd(PENDING)).toBe((1 << 3) | (1 << 7));
    expect(rd(PENDING + 4)).toBe(1 << 8);
    expect(rd(PENDING + 8)).toBe(1 << 26);

    wr(THRESHOLD(0), 2);
    expect(rd(THRESHOLD(0))).toBe(2);
    expect(readMip(mem, 0) & MIP.MEIP).toBe(MIP.MEIP);
    expect(rd(CLAIM(0))).toBe(7);
    expect(rd(CLAIM(0))).toBe(40);
    // 3 (priority 2) and 90 (priority 1) are not above the threshold.
    expect(readMip(mem, 0) & MIP.MEIP).toBe(0);
    expect(rd(CLAIM(0))).toBe(0);
    wr(THRESHOLD(0), 1);
    expect(readMip(mem, 0) & MIP.MEIP).toBe(MIP.MEIP);
    expect(rd(CLAIM(0))).toBe(3);
    wr(THRESHOLD(0), 0);
    expect(rd(CLAIM(0))).toBe(90);
    expect(readMip(mem, 0) & MIP.MEIP).toBe(0);
  });

  it('never signals priority 0 sources, and masks priority and threshold to 3 bits', () => {
    const { mem, plic, rd, wr } = setup();
    wr(ENABLE(1), 1 << 4);
    plic.setLevel(4, true);
    expect(rd(PENDING)).toBe(1 << 4);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
    wr(PRIORITY(4), 0xf);
    expect(rd(PRIORITY(4))).toBe(7);
    wr(THRESHOLD(1), 9);
    expect(rd(THRESHOLD(1))).toBe(1);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    // Source 0 does not exist: its enable bit and priority stay 0.
    wr(ENABLE(1), 0xffff_ffff);
    expect(rd(ENABLE(1))).toBe(0xffff_fffe);
    wr(PRIORITY(0), 3);
    expect(rd(PRIORITY(0))).toBe(0);
  });

  it('routes contexts to harts: 2h is M (MEIP), 2h+1 is S (SEIP)', () => {
    const { mem, plic, wr, rd } = setup(4);
    wr(PRIORITY(1), 1);
    wr(ENABLE(5), 1 << 1); // hart 2, S
    wr(ENABLE(6), 1 << 1); // hart 3, M
    plic.setLevel(1, true);
    expect(readMip(mem, 2) & (MIP.SEIP | MIP.MEIP)).toBe(MIP.SEIP);
    expect(readMip(mem, 3) & (MIP.SEIP | MIP.MEIP)).toBe(MIP.MEIP);
    expect(readMip(mem, 0) & (MIP.SEIP | MIP.MEIP)).toBe(0);
    // Claimed by hart 3: no longer pending for hart 2 either.
    expect(rd(CLAIM(6))).toBe(1);
    expect(readMip(mem, 2) & MIP.SEIP).toBe(0);
    // A completion from a context that does not have the source enabled is ignored.
    wr(CLAIM(0), 1);
    expect(rd(PENDING)).toBe(0);
    wr(CLAIM(6), 1);
    expect(rd(PENDING)).toBe(1 << 1);
    // Contexts beyond the harts read as zero.
    expect(rd(ENABLE(8))).toBe(0);
  });

  it('wakes a sleeping hart when its output rises', () => {
    const { mem, plic, wr } = setup();
    wr(PRIORITY(2), 1);
    wr(ENABLE(1), 1 << 2);
    const before = Atomics.load(mem.i32, mem.wakeIndex(0));
    plic.setLevel(2, true);
    expect(Atomics.load(mem.i32, mem.wakeIndex(0))).toBe(before + 1);
  });

  it('leaves a software-written SEIP alone when its own output does not change', () => {
    const { mem, plic, wr } = setup();
    setMipBits(mem, 0, MIP.SEIP, true);
    wr(PRIORITY(2), 1); // no output change for context 1
    plic.setLevel(9, true);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
  });

  it('re-derives pending bits and outputs from saved levels after a load', () => {
    const { mem, plic, rd, wr } = setup();
    wr(PRIORITY(8), 3);
    wr(ENABLE(1), 1 << 8);
    plic.setLevel(8, true);
    const saved = plic.state.locked(() => plic.state.save());
    plic.state.locked(() => plic.reset());
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
    plic.state.locked(() => {
      plic.state.load(saved);
      plic.afterLoad();
    });
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    expect(rd(CLAIM(1))).toBe(8);
  });
});

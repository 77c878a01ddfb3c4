/**
 * Devices reached through the Board's MMIO entry points (as a hart's mmioLoad/mmioStore do),
 * with the PLIC as every device's interrupt sink.
 */
import { describe, expect, it } from 'vitest';
import { Board, DEVICE_SLOT, VIRT, VIRTIO_SLOT, virtioBase } from '../../src/machine/board.ts';
import { ByteRing } from '../../src/machine/byte-ring.ts';
import { diskExtraBytes } from '../../src/machine/disk-layout.ts';
import { MIP, readMip } from '../../src/machine/interrupts.ts';
import { CONSOLE_OUT_RING, CONSOLE_OUT_RING_SIZE, HartHost, MiB } from '../../src/machine/layout.ts';
import { makeConfig, makeMemory } from './helpers.ts';

const PLIC = VIRT.plic.base;
const UART = VIRT.uart0.base;

function boardWith(harts = 1, disk = 0) {
  const mem = makeMemory(harts, diskExtraBytes(disk));
  const config = makeConfig(harts, 16, disk ? { disk: { name: 'disk.img', sha256: '', size: disk } } : {});
  const board = new Board(mem, config);
  board.resetDevices();
  const ld = (a: number, size: 1 | 2 | 4 | 8 = 4) => Number(board.load(0, a, size));
  const st = (a: number, v: number, size: 1 | 2 | 4 | 8 = 4) => board.store(0, a, size, BigInt(v));
  return { mem, board, ld, st };
}

describe('Board', () => {
  it('maps every device of the virt memory map, with fixed state slots', () => {
    const { board, mem, ld } = boardWith(2, 1 * MiB);
    expect(board.interrupts).toBe(board.plic);
    expect(board.find(VIRT.rtc.base)?.name).toBe('rtc');
    expect(board.find(VIRT.plic.base + 0x20_0004)?.name).toBe('plic');
    expect(board.find(virtioBase(7))).toBe(board.blk);
    expect(board.find(virtioBase(6))).toBe(board.rng);
    expect(board.blk!.state.slot).toBe(DEVICE_SLOT.virtio0 + VIRTIO_SLOT.blk);
    expect(board.plic.state.slot).toBe(DEVICE_SLOT.plic);
    expect(board.rtc.state.slot).toBe(DEVICE_SLOT.rtc);
    const names = board.devices.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    const slots = board.devices.map((d) => d.state.slot);
    expect(new Set(slots).size).toBe(slots.length);

    // virtio slots: magic and version everywhere; device ids 2 (blk, top slot), 4 (rng), 0 (empty).
    for (let i = 0; i < 8; i++) {
      expect(ld(virtioBase(i))).toBe(0x7472_6976);
      expect(ld(virtioBase(i) + 4)).toBe(2);
      expect(ld(virtioBase(i) + 8)).toBe(i === 7 ? 2 : i === 6 ? 4 : 0);
    }
    // An address with no device faults the hart.
    ld(0x3000_0000);
    expect(mem.hostWord(0, HartHost.mmioFault)).toBe(1);
  });

  it('has no blk device and an empty top slot without a disk', () => {
    const { board, ld } = boardWith(1);
    expect(board.blk).toBeUndefined();
    expect(ld(virtioBase(7) + 8)).toBe(0);
    expect(ld(virtioBase(6) + 8)).toBe(4);
  });

  it('UART: THR bytes reach the console ring', () => {
    const { mem, st } = boardWith();
    const ring = new ByteRing(mem, CONSOLE_OUT_RING, CONSOLE_OUT_RING_SIZE);
    for (const ch of 'hi\n') st(UART, ch.charCodeAt(0), 1);
    expect(new TextDecoder().decode(ring.read())).toBe('hi\n');
  });

  it('UART: received bytes set LSR.DR, IIR and the interrupt line, through the PLIC to SEIP', () => {
    const { mem, board, ld, st } = boardWith();
    const irq = VIRT.uart0.irq;
    st(PLIC + 4 * irq, 1); // priority
    st(PLIC + 0x2000 + 0x80 * 1, 1 << irq); // hart 0 S context enable
    st(UART + 1, 0x01, 1); // IER: received data available
    expect(ld(UART + 2, 1) & 0x0f).toBe(0x01); // IIR: no interrupt
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);

    board.uart.state.locked(() => board.uart.receive([0x41, 0x42]));
    expect(ld(UART + 5, 1) & 0x01).toBe(0x01); // LSR.DR
    expect(ld(UART + 2, 1) & 0x0f).toBe(0x04); // IIR: received data
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);

    expect(ld(PLIC + 0x20_0004 + 0x1000)).toBe(irq); // claim
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
    expect(ld(UART, 1)).toBe(0x41);
    expect(ld(UART, 1)).toBe(0x42);
    expect(ld(UART + 5, 1) & 0x01).toBe(0);
    st(PLIC + 0x20_0004 + 0x1000, irq); // complete: the line is low now, nothing pends
    expect(ld(PLIC + 0x1000)).toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);

    // THR-empty interrupt: enabling THRI with THR empty raises the line at once.
    st(UART + 1, 0x02, 1);
    expect(ld(UART + 2, 1) & 0x0f).toBe(0x02);
    expect(ld(PLIC + 0x1000) & (1 << irq)).toBe(0); // reading IIR cleared it again
  });

  it('RTC: TIME_LOW/TIME_HIGH through the bus give host time', () => {
    const { ld } = boardWith();
    const low = ld(VIRT.rtc.base) >>> 0;
    const high = ld(VIRT.rtc.base + 4) >>> 0;
    const ns = BigInt(high) * 2n ** 32n + BigInt(low);
    const hostNs = BigInt(Math.floor(Date.now())) * 1_000_000n;
    const diff = ns > hostNs ? ns - hostNs : hostNs - ns;
    expect(diff < 2_000_000_000n).toBe(true);
  });

  it('resetDevices lowers every interrupt output', () => {
    const { mem, board, st } = boardWith();
    st(PLIC + 4 * 10, 1);
    st(PLIC + 0x2000 + 0x80, 1 << 10);
    st(UART + 1, 0x02, 1);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    board.resetDevices();
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
  });
});

/**
 * The board: QEMU virt's memory map as one table, and the set of device models built
 * from a machine config. Every thread builds the same Board over the same memory; each
 * device's state slot is fixed by its name, never by config order.
 */
import type { AccessSize, Device, InterruptSink } from '../devices/device.ts';
import { noInterrupts } from '../devices/device.ts';
import { Clint } from '../devices/clint.ts';
import { Htif } from '../devices/htif.ts';
import { Ns16550a } from '../devices/ns16550a.ts';
import { Syscon } from '../devices/syscon.ts';
import { MachineClock } from './clock.ts';
import type { MachineConfig } from './config.ts';
import { Ctrl, HartHost } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

/** QEMU virt memory map (hw/riscv/virt.c, virt_memmap[]) and interrupt numbers. */
export const VIRT = {
  bootrom: { base: 0x1000, size: 0x1000 },
  test: { base: 0x10_0000, size: 0x1000 },
  rtc: { base: 0x10_1000, size: 0x1000, irq: 11 },
  clint: { base: 0x200_0000, size: 0x1_0000 },
  plic: { base: 0xc00_0000, size: 0x60_0000 },
  uart0: { base: 0x1000_0000, size: 0x100, irq: 10 },
  virtio: { base: 0x1000_1000, size: 0x1000, count: 8, firstIrq: 1 },
  dram: { base: 0x8000_0000 },
} as const;

/** Fixed state slot of each device instance (see layout.ts DEVICE_SLOTS). */
export const DEVICE_SLOT = {
  test: 0,
  rtc: 1,
  clint: 2,
  plic: 3,
  uart0: 4,
  htif: 5,
  virtio0: 8,
} as const;

export class Board {
  readonly devices: Device[] = [];
  readonly clock: MachineClock;
  readonly clint: Clint;
  readonly uart: Ns16550a;
  readonly interrupts: InterruptSink;
  private lastHit: Device | undefined;

  constructor(readonly mem: SharedMachineMemory, readonly config: MachineConfig) {
    this.clock = new MachineClock(mem);
    this.interrupts = noInterrupts;
    this.clint = new Clint(mem, DEVICE_SLOT.clint, this.clock, config.harts);
    this.uart = new Ns16550a(mem, DEVICE_SLOT.uart0, 'uart0', VIRT.uart0.base, VIRT.uart0.irq, this.interrupts);
    this.devices.push(new Syscon(mem, DEVICE_SLOT.test), this.clint, this.uart);

    const tohostAddr = mem.ctrlPair(Ctrl.tohostLo);
    if (tohostAddr !== 0) {
      const fromhostAddr = mem.ctrlPair(Ctrl.fromhostLo) || tohostAddr + 8;
      const putchar = (byte: number) => this.uart.state.locked(() => this.uart.emit(byte));
      this.devices.push(new Htif(mem, DEVICE_SLOT.htif, tohostAddr, fromhostAddr, putchar));
    }
  }

  /** Power-on state of every device (done once, by the controller). */
  resetDevices(): void {
    for (const d of this.devices) d.state.locked(() => d.reset());
  }

  find(paddr: number): Device | undefined {
    const hit = this.lastHit;
    if (hit && paddr >= hit.base && paddr < hit.base + hit.size) return hit;
    for (const d of this.devices) {
      if (paddr >= d.base && paddr < d.base + d.size) {
        this.lastHit = d;
        return d;
      }
    }
    return undefined;
  }

  /** An MMIO load from `hart`; an access to no device sets the hart's fault word. */
  load(hart: number, paddr: number, size: AccessSize): bigint {
    const d = this.find(paddr);
    if (!d) {
      this.mem.setHostWord(hart, HartHost.mmioFault, 1);
      return 0n;
    }
    d.state.lock();
    try {
      return d.read(paddr - d.base, size);
    } finally {
      d.state.unlock();
    }
  }

  store(hart: number, paddr: number, size: AccessSize, value: bigint): void {
    const d = this.find(paddr);
    if (!d) {
      this.mem.setHostWord(hart, HartHost.mmioFault, 1);
      return;
    }
    d.state.lock();
    try {
      d.write(paddr - d.base, size, value);
    } finally {
      d.state.unlock();
    }
  }
}

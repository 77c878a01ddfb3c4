/**
 * The board: QEMU virt's memory map as one table, and the set of device models built
 * from a machine config. Every thread builds the same Board over the same memory; each
 * device's state slot is fixed by its name, never by config order.
 */
import type { AccessSize, Device, InterruptSink } from '../devices/device.ts';
import { Clint } from '../devices/clint.ts';
import { GoldfishRtc } from '../devices/goldfish-rtc.ts';
import { Htif } from '../devices/htif.ts';
import { Ns16550a } from '../devices/ns16550a.ts';
import { Plic } from '../devices/plic.ts';
import { Syscon } from '../devices/syscon.ts';
import { VirtioBlk } from '../devices/virtio-blk.ts';
import { VirtioEmptySlot } from '../devices/virtio-mmio.ts';
import { VirtioRng } from '../devices/virtio-rng.ts';
import { MachineClock } from './clock.ts';
import type { MachineConfig } from './config.ts';
import { Ctrl, HartHost, MiB } from './layout.ts';
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

/**
 * Fixed state slot of each device instance (see layout.ts DEVICE_SLOTS). The virtio
 * transport at 0x10001000 + 0x1000·i (IRQ 1 + i) is instance `virtio<i>` in slot virtio0 + i.
 */
export const DEVICE_SLOT = {
  test: 0,
  rtc: 1,
  clint: 2,
  plic: 3,
  uart0: 4,
  htif: 5,
  /** virtio0 … virtio7 take slots 8 … 15. */
  virtio0: 8,
} as const;

/**
 * Which virtio transport carries which device. Fixed, so no address depends on config order;
 * it matches QEMU's top-down assignment for `-device virtio-blk-device -device virtio-rng-device`
 * (first device at the highest slot, 0x10008000, IRQ 8).
 */
export const VIRTIO_SLOT = {
  blk: 7,
  rng: 6,
} as const;

export function virtioBase(i: number): number {
  return VIRT.virtio.base + i * VIRT.virtio.size;
}

export class Board {
  readonly devices: Device[] = [];
  readonly clock: MachineClock;
  readonly clint: Clint;
  readonly uart: Ns16550a;
  readonly plic: Plic;
  readonly rtc: GoldfishRtc;
  /** The virtio-blk device, when the config has a disk. */
  readonly blk: VirtioBlk | undefined;
  readonly rng: VirtioRng;
  /** The PLIC: every device raises its line here. */
  readonly interrupts: InterruptSink;
  private lastHit: Device | undefined;

  constructor(readonly mem: SharedMachineMemory, readonly config: MachineConfig) {
    this.clock = new MachineClock(mem);
    // The PLIC comes first in `devices`, so that a reset clears it before the devices that drive it.
    this.plic = new Plic(mem, DEVICE_SLOT.plic, config.harts, 'plic', VIRT.plic.base, VIRT.plic.size);
    this.interrupts = this.plic;
    this.clint = new Clint(mem, DEVICE_SLOT.clint, this.clock, config.harts);
    this.uart = new Ns16550a(mem, DEVICE_SLOT.uart0, 'uart0', VIRT.uart0.base, VIRT.uart0.irq, this.interrupts);
    this.rtc = new GoldfishRtc(mem, DEVICE_SLOT.rtc, this.clock, this.interrupts, VIRT.rtc.irq, 'rtc', VIRT.rtc.base, VIRT.rtc.size);
    this.devices.push(this.plic, new Syscon(mem, DEVICE_SLOT.test), this.rtc, this.clint, this.uart);

    const virtio = (i: number): [slot: number, name: string, base: number, irq: number] =>
      [DEVICE_SLOT.virtio0 + i, `virtio${i}`, virtioBase(i), VIRT.virtio.firstIrq + i];
    const ramBytes = config.memoryMiB * MiB;
    this.blk = config.disk ? new VirtioBlk(mem, ...virtio(VIRTIO_SLOT.blk), this.interrupts, ramBytes, config.disk.size) : undefined;
    this.rng = new VirtioRng(mem, ...virtio(VIRTIO_SLOT.rng), this.interrupts);
    for (let i = 0; i < VIRT.virtio.count; i++) {
      if (i === VIRTIO_SLOT.blk && this.blk) this.devices.push(this.blk);
      else if (i === VIRTIO_SLOT.rng) this.devices.push(this.rng);
      else this.devices.push(new VirtioEmptySlot(mem, DEVICE_SLOT.virtio0 + i, `virtio${i}`, virtioBase(i)));
    }

    // A bare-metal machine always has the HTIF device (so its snapshots have the same
    // sections whatever the program); without a `tohost` symbol it has an empty window.
    if (config.boot.kind === 'elf') {
      const tohostAddr = mem.ctrlPair(Ctrl.tohostLo);
      const fromhostAddr = mem.ctrlPair(Ctrl.fromhostLo) || tohostAddr + 8;
      const putchar = (byte: number) => this.uart.state.locked(() => this.uart.emit(byte));
      this.devices.push(new Htif(mem, DEVICE_SLOT.htif, tohostAddr, fromhostAddr, putchar, tohostAddr ? 16 : 0));
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

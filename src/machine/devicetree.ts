/**
 * The device tree of the virt board, generated from the machine config at boot.
 *
 * It mirrors what `qemu-system-riscv64 -M virt,dumpdtb=… -smp N -m M` produces in every
 * node and property that OpenSBI and Linux read (see the list of deliberate differences
 * below), built from the same board table (`VIRT` in board.ts) that places the devices,
 * so an address can never disagree between the tree and the bus.
 *
 * Differences from QEMU 7.2's tree, on purpose:
 * - no pmu, fw-cfg, flash, platform-bus or PCI host nodes (Amber has none of them);
 * - `riscv,isa` names only what the Amber core implements, and the newer
 *   `riscv,isa-base` / `riscv,isa-extensions` pair is present (Linux ≥ 6.6 prefers it);
 * - `riscv,ndev` is 95 (sources 1–95 of the 96; QEMU ≥ 8 also says 95, 7.2 said 96);
 * - the cpu interrupt controllers carry `#address-cells = <0>` (dtc's interrupt_provider check);
 * - `/aliases/serial0` is present (as in newer QEMU);
 * - nodes are listed in a fixed, readable order; phandles are numbered in creation order.
 */
import { FdtNode, writeFdt } from '../devices/fdt.ts';
import { PLIC_NDEV } from '../devices/plic.ts';
import { VIRT } from './board.ts';
import { TIMEBASE_HZ } from './clock.ts';
import type { MachineConfig } from './config.ts';
import { MiB, PAGE_SIZE } from './layout.ts';

/** What the core implements, in device-tree terms. Extend both lists together with the core. */
export const CPU_ISA = {
  string: 'rv64imafdc_zicsr_zifencei',
  base: 'rv64i',
  extensions: ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zifencei'],
  /** Largest translation mode the core implements ('riscv,sv39' | 'riscv,sv48'). */
  mmuType: 'riscv,sv39',
} as const;

export const UART_CLOCK_HZ = 3_686_400;
/** QEMU virt's PLIC interrupt numbers for each hart's M and S context (mip bit numbers). */
const IRQ_M_EXT = 11;
const IRQ_S_EXT = 9;
const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;

export interface DeviceTreeBootInfo {
  /** Guest physical address range of the initrd ([start, end)), if one is loaded. */
  initrdStart?: number;
  initrdEnd?: number;
  /** Bytes for /chosen/rng-seed (QEMU puts 32 random bytes there); omitted when absent. */
  rngSeed?: Uint8Array;
}

export const STDOUT_PATH = `/soc/serial@${hex(VIRT.uart0.base)}`;

/** Build the DTB for `config`. The result is self-contained; place it with `fdtAddress`. */
export function buildDeviceTree(config: MachineConfig, boot: DeviceTreeBootInfo = {}): Uint8Array {
  const harts = config.harts;
  let nextPhandle = 1;
  const phandle = (): number => nextPhandle++;

  const cpuPhandles = Array.from({ length: harts }, () => phandle());
  const intcPhandles = Array.from({ length: harts }, () => phandle());
  const plicPhandle = phandle();
  const testPhandle = phandle();

  const root = new FdtNode('');
  root.u32('#address-cells', 2).u32('#size-cells', 2);
  root.string('compatible', 'riscv-virtio');
  root.string('model', 'riscv-virtio,qemu');

  // /chosen
  const chosen = root.child('chosen');
  if (config.boot.kind === 'linux' && config.boot.bootargs) chosen.string('bootargs', config.boot.bootargs);
  chosen.string('stdout-path', STDOUT_PATH);
  if (boot.initrdStart !== undefined && boot.initrdEnd !== undefined) {
    chosen.u64('linux,initrd-start', boot.initrdStart);
    chosen.u64('linux,initrd-end', boot.initrdEnd);
  }
  if (boot.rngSeed && boot.rngSeed.length > 0) chosen.bytes('rng-seed', boot.rngSeed.slice());

  root.child('aliases').string('serial0', STDOUT_PATH);

  // /poweroff and /reboot through the sifive,test syscon
  root.child('poweroff').u32('value', 0x5555).u32('offset', 0).u32('regmap', testPhandle).string('compatible', 'syscon-poweroff');
  root.child('reboot').u32('value', 0x7777).u32('offset', 0).u32('regmap', testPhandle).string('compatible', 'syscon-reboot');

  // /memory
  const ramBytes = config.memoryMiB * MiB;
  root.child(`memory@${hex(VIRT.dram.base)}`).string('device_type', 'memory').u64('reg', VIRT.dram.base, ramBytes);

  // /cpus
  const cpus = root.child('cpus');
  cpus.u32('#address-cells', 1).u32('#size-cells', 0).u32('timebase-frequency', TIMEBASE_HZ);
  for (let h = 0; h < harts; h++) {
    const cpu = cpus.child(`cpu@${h}`);
    cpu.u32('phandle', cpuPhandles[h]);
    cpu.string('device_type', 'cpu');
    cpu.u32('reg', h);
    cpu.string('status', 'okay');
    cpu.string('compatible', 'riscv');
    cpu.string('riscv,isa', CPU_ISA.string);
    cpu.string('riscv,isa-base', CPU_ISA.base);
    cpu.string('riscv,isa-extensions', ...CPU_ISA.extensions);
    cpu.string('mmu-type', CPU_ISA.mmuType);
    const intc = cpu.child('interrupt-controller');
    intc.u32('#address-cells', 0);
    intc.u32('#interrupt-cells', 1);
    intc.empty('interrupt-controller');
    intc.string('compatible', 'riscv,cpu-intc');
    intc.u32('phandle', intcPhandles[h]);
  }
  const cluster = cpus.child('cpu-map').child('cluster0');
  for (let h = 0; h < harts; h++) cluster.child(`core${h}`).u32('cpu', cpuPhandles[h]);

  // /soc
  const soc = root.child('soc');
  soc.u32('#address-cells', 2).u32('#size-cells', 2).string('compatible', 'simple-bus').empty('ranges');

  soc.child(`rtc@${hex(VIRT.rtc.base)}`)
    .u32('interrupts', VIRT.rtc.irq)
    .u32('interrupt-parent', plicPhandle)
    .u64('reg', VIRT.rtc.base, VIRT.rtc.size)
    .string('compatible', 'google,goldfish-rtc');

  soc.child(`serial@${hex(VIRT.uart0.base)}`)
    .u32('interrupts', VIRT.uart0.irq)
    .u32('interrupt-parent', plicPhandle)
    .u32('clock-frequency', UART_CLOCK_HZ)
    .u64('reg', VIRT.uart0.base, VIRT.uart0.size)
    .string('compatible', 'ns16550a');

  soc.child(`test@${hex(VIRT.test.base)}`)
    .u32('phandle', testPhandle)
    .u64('reg', VIRT.test.base, VIRT.test.size)
    .string('compatible', 'sifive,test1', 'sifive,test0', 'syscon');

  // Highest slot first, as QEMU lists them (Linux probes in this order).
  for (let i = VIRT.virtio.count - 1; i >= 0; i--) {
    const base = VIRT.virtio.base + i * VIRT.virtio.size;
    soc.child(`virtio_mmio@${hex(base)}`)
      .u32('interrupts', VIRT.virtio.firstIrq + i)
      .u32('interrupt-parent', plicPhandle)
      .u64('reg', base, VIRT.virtio.size)
      .string('compatible', 'virtio,mmio');
  }

  soc.child(`plic@${hex(VIRT.plic.base)}`)
    .u32('phandle', plicPhandle)
    .u32('riscv,ndev', PLIC_NDEV)
    .u64('reg', VIRT.plic.base, VIRT.plic.size)
    .u32('interrupts-extended', ...intcPhandles.flatMap((p) => [p, IRQ_M_EXT, p, IRQ_S_EXT]))
    .empty('interrupt-controller')
    .string('compatible', 'sifive,plic-1.0.0', 'riscv,plic0')
    .u32('#address-cells', 0)
    .u32('#interrupt-cells', 1);

  soc.child(`clint@${hex(VIRT.clint.base)}`)
    .u32('interrupts-extended', ...intcPhandles.flatMap((p) => [p, IRQ_M_SOFT, p, IRQ_M_TIMER]))
    .u64('reg', VIRT.clint.base, VIRT.clint.size)
    .string('compatible', 'sifive,clint0', 'riscv,clint0');

  return writeFdt(root);
}

// ── Placement in guest RAM (hw/riscv/boot.c) ───────────────────────────

/** Room set aside for the DTB at the top of RAM (OpenSBI grows it in place by a few KiB). */
export const MAX_FDT_SIZE = 2 * MiB;
/** Where fw_jump (Debian's OpenSBI generic platform) expects the kernel: DRAM + 2 MiB. */
export const KERNEL_ENTRY = VIRT.dram.base + 2 * MiB;
/**
 * Debian's fw_jump is built with FW_JUMP_FDT_ADDR = DRAM + 0x2200000: fw_base.S copies the
 * DTB it was given in a1 to this address and passes that address to the kernel. The kernel
 * image (including its bss) must therefore end below it, and RAM must reach past it.
 */
export const FW_JUMP_FDT_ADDR = VIRT.dram.base + 0x220_0000;

const alignDown = (x: number, a: number): number => Math.floor(x / a) * a;
const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/**
 * Guest physical address for the DTB, as QEMU's riscv_load_fdt: as high as possible in RAM
 * (below 3 GiB), aligned down to 2 MiB. 256 MiB → 0x8fe00000.
 */
export function fdtAddress(memoryBytes: number, fdtSize = 1): number {
  const dramEnd = VIRT.dram.base + memoryBytes;
  const top = Math.min(dramEnd, 3072 * MiB);
  const addr = alignDown(top - fdtSize, 2 * MiB);
  if (addr < VIRT.dram.base) throw new Error(`no room for a ${fdtSize}-byte device tree in ${memoryBytes} bytes of RAM`);
  return addr;
}

/**
 * Guest physical address for the initrd, as QEMU's riscv_load_initrd: the kernel entry plus
 * half of RAM, at most 128 MiB (256 MiB → 0x88200000). Two guards QEMU lacks: a kernel
 * (`kernelEnd`: end of the loaded image, bss included) larger than that gap pushes the initrd
 * to the next 2 MiB boundary after it; and an initrd that would overlap the 2 MiB where fw_jump
 * copies the DTB (FW_JUMP_FDT_ADDR, e.g. with 64 MiB of RAM) moves just above that window.
 * The caller checks that it ends below `fdtAddress` (or uses `planBoot`).
 */
export function initrdAddress(memoryBytes: number, kernelEnd: number, initrdSize = 0): number {
  const qemu = KERNEL_ENTRY + Math.min(memoryBytes / 2, 128 * MiB);
  let start = Math.max(alignDown(qemu, PAGE_SIZE), alignUp(kernelEnd, 2 * MiB));
  if (start < FW_JUMP_FDT_ADDR + MAX_FDT_SIZE && start + Math.max(initrdSize, 1) > FW_JUMP_FDT_ADDR) {
    start = FW_JUMP_FDT_ADDR + MAX_FDT_SIZE;
  }
  return start;
}

/**
 * Bytes a RISC-V Linux `Image` occupies once running, bss included: the header's image_size
 * (u64 at offset 16) when the header carries its magic ('RSC\x05' at 56), else the file size.
 */
export function kernelImageSize(image: Uint8Array): number {
  if (image.length < 64) return image.length;
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (v.getUint32(56, true) !== 0x0543_5352) return image.length;
  return Math.max(image.length, Number(v.getBigUint64(16, true)));
}

export interface BootPlan {
  /** Where the kernel image is loaded (fw_jump jumps there). */
  kernel: number;
  initrd?: { start: number; end: number };
  /** Where the DTB goes (boot ROM passes it in a1; fw_jump copies it to FW_JUMP_FDT_ADDR). */
  fdt: number;
}

/**
 * How the controller boots Linux with these helpers (verified: OpenSBI 1.1 fw_jump + Linux
 * 6.12 reach the busybox shell on Amber with virtio-blk, virtio-rng, RTC and PLIC):
 *
 *   mem = SharedMachineMemory.create(ram, diskExtraBytes(config.disk?.size ?? 0)); mem.initControl(…)
 *   new DiskRegion(mem, ram, disk.length).loadImage(disk)            // before any Board is built
 *   plan = planBoot(ram, kernelImageSize(kernel), initrd?.length, MAX_FDT_SIZE)
 *   dtb  = buildDeviceTree(config, { initrdStart: plan.initrd?.start, initrdEnd: plan.initrd?.end })
 *   copy firmware → 0x80000000, kernel → plan.kernel, initrd → plan.initrd.start, dtb → plan.fdt
 *   board.resetDevices(); writeBootRom(mem, 0x80000000, plan.fdt)
 *
 * Place kernel, initrd and DTB for a Linux boot through fw_jump, and check that nothing
 * overlaps: the kernel below FW_JUMP_FDT_ADDR, RAM reaching past the fw_jump DTB copy, the
 * initrd between them and the DTB at the top. Throws with the reason when it does not fit.
 */
export function planBoot(memoryBytes: number, kernelBytes: number, initrdBytes: number | undefined, fdtBytes: number): BootPlan {
  const kernelEnd = KERNEL_ENTRY + kernelBytes;
  if (kernelEnd > FW_JUMP_FDT_ADDR) {
    throw new Error(`kernel (${kernelBytes} bytes with bss) runs into 0x${hex(FW_JUMP_FDT_ADDR)}, where fw_jump copies the device tree`);
  }
  if (VIRT.dram.base + memoryBytes < FW_JUMP_FDT_ADDR + MAX_FDT_SIZE) {
    throw new Error(`${memoryBytes / MiB} MiB of RAM does not reach past 0x${hex(FW_JUMP_FDT_ADDR)} (fw_jump's device tree copy)`);
  }
  const fdt = fdtAddress(memoryBytes, fdtBytes);
  if (fdt < FW_JUMP_FDT_ADDR + MAX_FDT_SIZE) throw new Error(`no room for the device tree above fw_jump's copy`);
  if (initrdBytes === undefined) return { kernel: KERNEL_ENTRY, fdt };
  const start = initrdAddress(memoryBytes, kernelEnd, initrdBytes);
  const end = start + initrdBytes;
  if (end > fdt) throw new Error(`initrd (${initrdBytes} bytes at 0x${hex(start)}) runs into the device tree at 0x${hex(fdt)}`);
  return { kernel: KERNEL_ENTRY, initrd: { start, end }, fdt };
}

function hex(n: number): string {
  return n.toString(16);
}

/**
 * A minimal host for the hart core in tests: one shared memory, N core instances in this thread,
 * MMIO recorded (plus a test device and an HTIF exit at TOHOST), programs assembled with
 * riscv64-linux-gnu-as and loaded at DRAM base.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTROL_BASE, CORE_MAX_PAGES, Ctrl, DRAM_GUEST_BASE, HART_HOST_OFFSET, HartHost, LAYOUT_MAGIC, RAM_BASE,
  hartBase, hartStateOffsets, memoryPagesFor, BOOTROM_BASE,
} from '../../src/machine/layout.ts';

export const WASM_PATH = new URL('../../build/wasm/hart.wasm', import.meta.url);
export const DRAM = 0x8000_0000n;
/** HTIF tohost used by test programs (the harness sets CTRL tohost to it). */
export const TOHOST = 0x8010_0000n;
/** A test MMIO device: loads return 0x1234_5678_9abc_def0 >> (8 * (addr & 7)); stores are recorded. */
export const TESTDEV = 0x1000_0000n;
/** Addresses at which the MMIO host reports a fault. */
export const BADDEV = 0x2000_0000n;

export const REASON = { budget: 0, wfi: 1, host: 2, fatal: 3 } as const;

const offsets = new Map(hartStateOffsets().map((f) => [f.name, f.offset]));
export function fieldOffset(name: string, index = 0): number {
  const o = offsets.get(name);
  if (o === undefined) throw new Error(`no hart state field ${name}`);
  return o + 8 * index;
}

let moduleCache: WebAssembly.Module | undefined;
export function coreModule(): WebAssembly.Module {
  moduleCache ??= new WebAssembly.Module(readFileSync(WASM_PATH));
  return moduleCache;
}

/** Assemble RV64GC source (entry at DRAM base) into a flat binary. Cached by content. */
export function assemble(src: string, march = 'rv64gc_zba_zbb'): Uint8Array {
  const dir = join(tmpdir(), 'amber-cpu-tests');
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha1').update(march + '\n' + src).digest('hex').slice(0, 16);
  const bin = join(dir, `${key}.bin`);
  if (!existsSync(bin)) {
    const s = join(dir, `${key}.s`), o = join(dir, `${key}.o`), elf = join(dir, `${key}.elf`);
    writeFileSync(s, `.option norvc\n.text\n.globl _start\n_start:\n${src}\n`);
    execFileSync('riscv64-linux-gnu-as', [`-march=${march}`, '-mabi=lp64d', '-o', o, s]);
    execFileSync('riscv64-linux-gnu-ld', ['-Ttext=0x80000000', '-N', '--no-warn-rwx-segments', '-e', '_start', '-o', elf, o]);
    execFileSync('riscv64-linux-gnu-objcopy', ['-O', 'binary', elf, bin]);
  }
  return new Uint8Array(readFileSync(bin));
}

export interface MmioAccess { kind: 'load' | 'store'; addr: bigint; size: number; value: bigint; hart: number }

export class Machine {
  readonly memory: WebAssembly.Memory;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly harts: Hart[] = [];
  readonly mmio: MmioAccess[] = [];
  exitCode: number | undefined;
  mtimeValue = 0n;

  constructor(opts: { harts?: number; ramMiB?: number } = {}) {
    const ram = (opts.ramMiB ?? 16) * 1024 * 1024;
    this.memory = new WebAssembly.Memory({ initial: memoryPagesFor(ram), maximum: CORE_MAX_PAGES, shared: true });
    this.u8 = new Uint8Array(this.memory.buffer);
    this.dv = new DataView(this.memory.buffer);
    const n = opts.harts ?? 1;
    this.ctrl(Ctrl.magic, LAYOUT_MAGIC);
    this.ctrl(Ctrl.hartCount, n);
    this.ctrl(Ctrl.ramSizeLo, ram);
    this.ctrl(Ctrl.ramSizeHi, 0);
    this.ctrl(Ctrl.tohostLo, Number(TOHOST & 0xffffffffn));
    this.ctrl(Ctrl.tohostHi, Number(TOHOST >> 32n));
    for (let i = 0; i < n; i++) this.harts.push(new Hart(this, i));
  }

  ctrl(word: number, value?: number): number {
    const i32 = new Int32Array(this.memory.buffer);
    if (value !== undefined) Atomics.store(i32, (CONTROL_BASE >> 2) + word, value);
    return Atomics.load(i32, (CONTROL_BASE >> 2) + word);
  }

  /** Guest physical address → wasm address (RAM or boot ROM). */
  host(pa: bigint): number {
    if (pa >= DRAM) return RAM_BASE + Number(pa - DRAM);
    if (pa >= 0x1000n && pa < 0x2000n) return BOOTROM_BASE + Number(pa - 0x1000n);
    throw new Error(`no host mapping for ${pa.toString(16)}`);
  }
  load(bytes: Uint8Array, pa: bigint = DRAM): void { this.u8.set(bytes, this.host(pa)); }
  r64(pa: bigint): bigint { return this.dv.getBigUint64(this.host(pa), true); }
  w64(pa: bigint, v: bigint): void { this.dv.setBigUint64(this.host(pa), BigInt.asUintN(64, v), true); }
  r32(pa: bigint): number { return this.dv.getUint32(this.host(pa), true); }
  w32(pa: bigint, v: number): void { this.dv.setUint32(this.host(pa), v >>> 0, true); }

  mmioLoad(hart: number, addr: bigint, size: number): bigint {
    this.mmio.push({ kind: 'load', addr, size, value: 0n, hart });
    if (addr >= BADDEV && addr < BADDEV + 0x1000n) { this.harts[hart].hostWord(HartHost.mmioFault, 1); return 0n; }
    if (addr >= TESTDEV && addr < TESTDEV + 0x1000n) {
      const v = 0x1234_5678_9abc_def0n >> (8n * (addr & 7n));
      return size === 8 ? v : v & ((1n << BigInt(8 * size)) - 1n);
    }
    if (addr >= TOHOST && addr < TOHOST + 16n) return 0n;
    this.harts[hart].hostWord(HartHost.mmioFault, 1);
    return 0n;
  }
  mmioStore(hart: number, addr: bigint, size: number, value: bigint): void {
    this.mmio.push({ kind: 'store', addr, size, value, hart });
    if (addr === TOHOST) {
      if (value & 1n) {
        this.exitCode = Number(value >> 1n);
        this.harts[hart].hostWord(HartHost.hostRequest, 1);
      }
      return;
    }
    if (addr >= TESTDEV && addr < TESTDEV + 0x1000n) return;
    this.harts[hart].hostWord(HartHost.mmioFault, 1);
  }
}

export class Hart {
  readonly core: { init(id: number): void; reset(pc: bigint): void; run(b: number): number; flushCaches(): void };
  readonly base: number;
  constructor(readonly m: Machine, readonly id: number) {
    this.base = hartBase(id);
    const inst = new WebAssembly.Instance(coreModule(), {
      env: {
        memory: m.memory,
        mmioLoad: (a: bigint, s: number) => m.mmioLoad(id, BigInt.asUintN(64, a), s),
        mmioStore: (a: bigint, s: number, v: bigint) => m.mmioStore(id, BigInt.asUintN(64, a), s, BigInt.asUintN(64, v)),
        mtime: () => m.mtimeValue,
        abort: () => { throw new Error('core abort'); },
      },
    });
    this.core = inst.exports as never;
    this.core.init(id);
    this.core.reset(DRAM);
  }
  hostWord(index: number, value?: number): number {
    const i32 = new Int32Array(this.m.memory.buffer);
    const i = (this.base + HART_HOST_OFFSET) / 4 + index;
    if (value !== undefined) Atomics.store(i32, i, value);
    return Atomics.load(i32, i);
  }
  get(name: string, index = 0): bigint { return this.m.dv.getBigUint64(this.base + fieldOffset(name, index), true); }
  set(name: string, v: bigint, index = 0): void {
    this.m.dv.setBigUint64(this.base + fieldOffset(name, index), BigInt.asUintN(64, v), true);
  }
  x(i: number): bigint { return this.get('x', i); }
  sx(i: number): bigint { return BigInt.asIntN(64, this.get('x', i)); }
  f(i: number): bigint { return this.get('f', i); }
  get pc(): bigint { return this.get('pc'); }
  set pc(v: bigint) { this.set('pc', v); }
  /** Atomically OR bits into mip, as a device would. */
  raiseIrq(bits: bigint): void {
    const u64 = new BigUint64Array(this.m.memory.buffer);
    Atomics.or(u64, (this.base + fieldOffset('mip')) / 8, bits);
  }
  clearIrq(bits: bigint): void {
    const u64 = new BigUint64Array(this.m.memory.buffer);
    Atomics.and(u64, (this.base + fieldOffset('mip')) / 8, ~bits & 0xffff_ffff_ffff_ffffn);
  }
  run(budget: number): number { return this.core.run(budget); }
  /** Run until the program writes TOHOST (or a non-budget reason, or maxInsns). Returns the last reason. */
  runToExit(maxInsns = 1_000_000): number {
    let left = maxInsns;
    while (left > 0 && this.m.exitCode === undefined) {
      const r = this.core.run(Math.min(left, 100_000));
      left -= 100_000;
      if (r !== REASON.budget && r !== REASON.host) return r;
    }
    return REASON.host;
  }
}

/** Load `src` into a fresh one-hart machine and run it to its HTIF exit. */
export function runProgram(src: string, opts: { maxInsns?: number; ramMiB?: number } = {}): { m: Machine; h: Hart } {
  const m = new Machine({ ramMiB: opts.ramMiB });
  m.load(assemble(src));
  const h = m.harts[0];
  h.runToExit(opts.maxInsns ?? 1_000_000);
  return { m, h };
}

/** Assembly snippet: HTIF exit with code in a0 (0 = pass). */
export const EXIT = `
  slli a0, a0, 1
  ori a0, a0, 1
  li t6, ${TOHOST}
  sd a0, 0(t6)
1: j 1b
`;
export { DRAM_GUEST_BASE };

/**
 * Prelude for trap tests: mtvec → `trap_exit`, which exits with a1 = mcause, a2 = mtval, a3 = mepc,
 * a4 = mstatus (code 0). Programs start at `main`.
 */
export const TRAP_PRELUDE = `
  la t0, trap_exit
  csrw mtvec, t0
  j main
trap_exit:
  csrr a1, mcause
  csrr a2, mtval
  csrr a3, mepc
  csrr a4, mstatus
  li a0, 0
  ${EXIT}
`;

/** Enter S-mode (or U with mpp=0) at `label` from M-mode. */
export const enterMode = (label: string, mpp: 0 | 1) => `
  li t0, ${3 << 11}
  csrc mstatus, t0
  li t0, ${mpp << 11}
  csrs mstatus, t0
  la t0, ${label}
  csrw mepc, t0
  mret
`;

/**
 * Typed views over the one shared WebAssembly.Memory, shared by every thread.
 * The memory is created at its final size and never grows, so views stay valid.
 */
import {
  CONTROL_BASE, CORE_MAX_PAGES, Ctrl, HART_HOST_OFFSET, HartHost, LAYOUT_MAGIC, RAM_BASE, hartBase, memoryPagesFor,
} from './layout.ts';

export class SharedMachineMemory {
  readonly memory: WebAssembly.Memory;
  readonly buffer: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly u64: BigUint64Array;
  readonly f64: Float64Array;
  readonly view: DataView;

  constructor(memory: WebAssembly.Memory) {
    this.memory = memory;
    this.buffer = memory.buffer as unknown as SharedArrayBuffer;
    this.u8 = new Uint8Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.u64 = new BigUint64Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    this.view = new DataView(this.buffer);
  }

  /** A fresh shared memory big enough for `ramBytes` of guest RAM and `extraBytes` after it. */
  static create(ramBytes: number, extraBytes = 0): SharedMachineMemory {
    const pages = memoryPagesFor(ramBytes, extraBytes);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: CORE_MAX_PAGES, shared: true });
    return new SharedMachineMemory(memory);
  }

  // ── control words ──
  ctrl(word: number): number {
    return Atomics.load(this.i32, (CONTROL_BASE >> 2) + word);
  }
  setCtrl(word: number, value: number): void {
    Atomics.store(this.i32, (CONTROL_BASE >> 2) + word, value);
  }
  addCtrl(word: number, delta: number): number {
    return Atomics.add(this.i32, (CONTROL_BASE >> 2) + word, delta);
  }
  /** Sleep while control word == expected (worker threads and Node only). */
  waitCtrl(word: number, expected: number, timeoutMs?: number): string {
    return Atomics.wait(this.i32, (CONTROL_BASE >> 2) + word, expected, timeoutMs);
  }
  notifyCtrl(word: number): void {
    Atomics.notify(this.i32, (CONTROL_BASE >> 2) + word);
  }
  ctrlIndex(word: number): number {
    return (CONTROL_BASE >> 2) + word;
  }

  /** A 64-bit control value kept as (lo, lo + 1) words; exact up to 2^53. */
  ctrlPair(lo: number): number {
    return (this.ctrl(lo) >>> 0) + (this.ctrl(lo + 1) >>> 0) * 2 ** 32;
  }
  setCtrlPair(lo: number, value: number): void {
    this.setCtrl(lo, value % 2 ** 32);
    this.setCtrl(lo + 1, Math.floor(value / 2 ** 32));
  }

  get hartCount(): number { return this.ctrl(Ctrl.hartCount); }
  get ramSize(): number { return this.ctrlPair(Ctrl.ramSizeLo); }
  get timeBaseMs(): number { return this.f64[(CONTROL_BASE >> 3) + (Ctrl.timeBaseMs >> 1)]; }
  set timeBaseMs(ms: number) { this.f64[(CONTROL_BASE >> 3) + (Ctrl.timeBaseMs >> 1)] = ms; }

  /** Initialise the control block for a new machine. */
  initControl(hartCount: number, ramBytes: number): void {
    this.u8.fill(0, CONTROL_BASE, CONTROL_BASE + 4096);
    this.setCtrl(Ctrl.hartCount, hartCount);
    this.setCtrlPair(Ctrl.ramSizeLo, ramBytes);
    this.setCtrl(Ctrl.magic, LAYOUT_MAGIC);
  }

  // ── per-hart words ──
  wakeIndex(hart: number): number {
    return (CONTROL_BASE >> 2) + Ctrl.wake0 + hart;
  }
  /** End a WFI or pause sleep of `hart`. */
  wakeHart(hart: number): void {
    Atomics.add(this.i32, this.wakeIndex(hart), 1);
    Atomics.notify(this.i32, this.wakeIndex(hart));
  }
  hostWordIndex(hart: number, word: number): number {
    return (hartBase(hart) + HART_HOST_OFFSET >> 2) + word;
  }
  setHostWord(hart: number, word: number, value: number): void {
    Atomics.store(this.i32, this.hostWordIndex(hart, word), value);
  }
  hostWord(hart: number, word: number): number {
    return Atomics.load(this.i32, this.hostWordIndex(hart, word));
  }
  /** Ask `hart`'s core to return from `run` at its next check (e.g. after power-off). */
  requestHostAttention(hart: number): void {
    this.setHostWord(hart, HartHost.hostRequest, 1);
  }

  // ── guest physical RAM ──
  /** Wasm offset of guest physical address `paddr` in RAM, or -1 if outside RAM. */
  ramOffset(paddr: number, length = 1): number {
    const off = paddr - 0x8000_0000;
    if (off < 0 || off + length > this.ramSize) return -1;
    return RAM_BASE + off;
  }
  ramBytes(): Uint8Array {
    return this.u8.subarray(RAM_BASE, RAM_BASE + this.ramSize);
  }

  /**
   * Note that the host (a device) wrote guest RAM at wasm offsets [offset, offset + length):
   * sets the pages' bits in the RAM dirty bitmap, if the machine has one (src/machine/ram-dirty.ts).
   */
  markRamWritten(offset: number, length: number): void {
    const base = this.ctrl(Ctrl.ramDirtyBase) >>> 0;
    if (base === 0 || length <= 0) return;
    const first = Math.floor((offset - RAM_BASE) / 4096);
    const last = Math.floor((offset - RAM_BASE + length - 1) / 4096);
    for (let p = Math.max(0, first); p <= last; p++) Atomics.or(this.i32, (base >>> 2) + (p >>> 5), 1 << (p & 31));
  }
}

/**
 * The machine controller: builds a machine from its config in a fresh shared memory,
 * starts one thread per hart, and pauses, resumes and stops them through the control
 * block. Console output is pumped from the UART's ring to a listener; input goes to
 * the UART under its lock. The same class runs in Node (CLI) and in the page's
 * machine worker.
 */
import { writeBootRom } from './bootrom.ts';
import { Board } from './board.ts';
import { MachineClock } from './clock.ts';
import { validateConfig, type ImageRef, type MachineConfig } from './config.ts';
import { buildDeviceTree, kernelImageSize, planBoot } from './devicetree.ts';
import { DiskRegion, diskExtraBytes } from './disk-layout.ts';
import { parseElf } from './elf.ts';
import { ByteRing } from './byte-ring.ts';
import {
  BOOTROM_GUEST_BASE, CONSOLE_OUT_RING, CONSOLE_OUT_RING_SIZE, Ctrl, CtrlFlags, DRAM_GUEST_BASE, HS, HartHost, MiB,
  PowerState, hartBase,
} from './layout.ts';
import { SharedMachineMemory } from './shared-memory.ts';
import { maintenanceCore, type CoreExports } from '../workers/core.ts';
import type { HartThread, Platform } from '../workers/platform.ts';
import type { PowerEvent } from './power.ts';

/** Where images come from: files in Node, fetched URLs in the page. Verifies sha256. */
export interface ImageSource {
  load(ref: ImageRef): Promise<Uint8Array>;
}

export type MachineState = 'created' | 'running' | 'paused' | 'stopped';

export interface HartStatus {
  instret: bigint;
  sleeping: boolean;
}

export interface MachineEvents {
  /** Guest console bytes (UART and HTIF). */
  onConsole?(bytes: Uint8Array): void;
  /** The guest powered off, asked for a reboot, exited through HTIF, or the core failed. */
  onPower?(event: PowerEvent, exitCode: number): void;
}

const PAUSE_TIMEOUT_MS = 10_000;
const CONSOLE_POLL_MS = 50;

export class Machine {
  readonly mem: SharedMachineMemory;
  /** Built in load(), once the images have said where HTIF lives. */
  board!: Board;
  private readonly maintenance: CoreExports;
  private threads: HartThread[] = [];
  private stateValue: MachineState = 'created';
  private readonly consoleRing: ByteRing;
  private pendingInput: number[] = [];
  private pumping = false;
  private bootedAt = 0;

  private constructor(
    readonly config: MachineConfig,
    private readonly platform: Platform,
    private readonly module: WebAssembly.Module,
    private readonly events: MachineEvents,
  ) {
    validateConfig(config);
    this.mem = SharedMachineMemory.create(config.memoryMiB * MiB, diskExtraBytes(config.disk?.size ?? 0));
    this.mem.initControl(config.harts, config.memoryMiB * MiB);
    if (config.deterministic) this.mem.setCtrl(Ctrl.flags, CtrlFlags.deterministic);
    this.maintenance = maintenanceCore(module, this.mem.memory);
    this.consoleRing = new ByteRing(this.mem, CONSOLE_OUT_RING, CONSOLE_OUT_RING_SIZE);
  }

  /** Build a powered-on machine (harts reset, images loaded), not yet running. */
  static async create(config: MachineConfig, images: ImageSource, platform: Platform, events: MachineEvents = {}): Promise<Machine> {
    const module = await platform.compileCore();
    const m = new Machine(config, platform, module, events);
    await m.load(images);
    return m;
  }

  get state(): MachineState {
    return this.stateValue;
  }

  private async load(images: ImageSource): Promise<void> {
    const boot = this.config.boot;
    let entry: number;
    let fdtAddr = 0;
    if (boot.kind === 'elf') {
      const elf = parseElf(await images.load(boot.elf));
      for (const seg of elf.segments) this.writeGuest(seg.paddr, seg.fileBytes, seg.memSize);
      const tohost = elf.symbols.get('tohost');
      if (tohost !== undefined) {
        this.mem.setCtrlPair(Ctrl.tohostLo, tohost);
        this.mem.setCtrlPair(Ctrl.fromhostLo, elf.symbols.get('fromhost') ?? tohost + 8);
      }
      entry = elf.entry;
    } else {
      const [firmware, kernel, initrd] = await Promise.all([
        images.load(boot.firmware),
        images.load(boot.kernel),
        boot.initrd ? images.load(boot.initrd) : undefined,
      ]);
      // The DTB's size does not depend on the initrd addresses: build once to plan, then for real.
      const probe = buildDeviceTree(this.config, initrd ? { initrdStart: 0, initrdEnd: 0 } : {});
      const plan = planBoot(this.mem.ramSize, kernelImageSize(kernel), initrd?.length, probe.length);
      const dtb = buildDeviceTree(this.config, plan.initrd ? { initrdStart: plan.initrd.start, initrdEnd: plan.initrd.end } : {});
      this.writeGuest(DRAM_GUEST_BASE, firmware);
      this.writeGuest(plan.kernel, kernel);
      if (initrd && plan.initrd) this.writeGuest(plan.initrd.start, initrd);
      this.writeGuest(plan.fdt, dtb);
      entry = DRAM_GUEST_BASE;
      fdtAddr = plan.fdt;
    }
    if (this.config.disk) {
      const disk = await images.load(this.config.disk);
      new DiskRegion(this.mem, this.mem.ramSize, disk.length).bytes().set(disk);
    }
    this.board = new Board(this.mem, this.config);
    this.board.resetDevices();
    writeBootRom(this.mem, entry, fdtAddr);
    for (let h = 0; h < this.config.harts; h++) {
      this.maintenance.init(h);
      this.maintenance.reset(BigInt(BOOTROM_GUEST_BASE));
    }
    MachineClock.startAt(this.mem, 0);
  }

  /** Copy `bytes` to guest physical `paddr` and zero up to `memSize`; refuses anything outside RAM. */
  private writeGuest(paddr: number, bytes: Uint8Array, memSize = bytes.length): void {
    const off = this.mem.ramOffset(paddr, Math.max(memSize, bytes.length));
    if (off < 0) {
      throw new Error(`image segment at 0x${paddr.toString(16)} (+${memSize} bytes) is outside guest RAM ` +
        `0x${DRAM_GUEST_BASE.toString(16)}–0x${(DRAM_GUEST_BASE + this.mem.ramSize).toString(16)}`);
    }
    this.mem.u8.set(bytes, off);
    this.mem.u8.fill(0, off + bytes.length, off + memSize);
  }

  /** Start every hart thread. */
  async start(): Promise<void> {
    if (this.stateValue !== 'created') throw new Error(`cannot start a machine that is ${this.stateValue}`);
    for (let h = 0; h < this.config.harts; h++) {
      const thread = this.platform.spawnHart({ memory: this.mem.memory, module: this.module, hartId: h, config: this.config });
      thread.done.catch((err) => this.fail(err));
      this.threads.push(thread);
    }
    this.stateValue = 'running';
    this.bootedAt = performance.now();
    void this.watchPower();
    void this.pumpConsole();
  }

  /** Park every hart at an instruction boundary; resolves when all are parked. */
  async pause(): Promise<void> {
    if (this.stateValue !== 'running') return;
    this.mem.setCtrl(Ctrl.pauseRequest, 1);
    for (let h = 0; h < this.config.harts; h++) {
      this.mem.requestHostAttention(h);
      this.mem.wakeHart(h);
    }
    await this.waitFor(() => this.mem.ctrl(Ctrl.parkedCount) >= this.mem.ctrl(Ctrl.liveHarts), Ctrl.parkedCount, PAUSE_TIMEOUT_MS, 'harts to park');
    this.stateValue = 'paused';
  }

  resume(): void {
    if (this.stateValue !== 'paused') return;
    this.mem.setCtrl(Ctrl.pauseRequest, 0);
    for (let h = 0; h < this.config.harts; h++) this.mem.wakeHart(h);
    this.stateValue = 'running';
  }

  /** End every hart thread. The machine cannot run again. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    const wasStarted = this.stateValue !== 'created';
    this.stateValue = 'stopped';
    this.mem.setCtrl(Ctrl.stopRequest, 1);
    for (let h = 0; h < this.config.harts; h++) {
      this.mem.requestHostAttention(h);
      this.mem.wakeHart(h);
    }
    if (wasStarted) {
      try {
        await this.waitFor(() => this.mem.ctrl(Ctrl.liveHarts) === 0, Ctrl.liveHarts, PAUSE_TIMEOUT_MS, 'harts to stop');
      } finally {
        for (const t of this.threads) t.terminate();
        this.drainConsole();
      }
    }
  }

  /** Keyboard → guest. Bytes that do not fit in the UART's buffer wait for the next call. */
  sendInput(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.pendingInput.push(bytes[i]);
    this.flushInput();
  }

  private flushInput(): void {
    if (this.pendingInput.length === 0) return;
    const uart = this.board.uart;
    const taken = uart.state.locked(() => uart.receive(this.pendingInput));
    this.pendingInput.splice(0, taken);
  }

  hartStatus(): HartStatus[] {
    const out: HartStatus[] = [];
    for (let h = 0; h < this.config.harts; h++) {
      out.push({
        instret: this.mem.u64[(hartBase(h) + HS.instret) >> 3],
        sleeping: this.mem.hostWord(h, HartHost.sleeping) === 1,
      });
    }
    return out;
  }

  /** Seconds since start (host time). */
  get uptimeSeconds(): number {
    return this.bootedAt ? (performance.now() - this.bootedAt) / 1000 : 0;
  }

  private drainConsole(): void {
    const bytes = this.consoleRing.read();
    if (bytes.length) this.events.onConsole?.(bytes);
  }

  private async pumpConsole(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    while (this.stateValue !== 'stopped') {
      await this.consoleRing.waitForData(CONSOLE_POLL_MS);
      this.drainConsole();
      this.flushInput();
    }
    this.pumping = false;
  }

  private async watchPower(): Promise<void> {
    const index = this.mem.ctrlIndex(Ctrl.powerState);
    while (this.stateValue !== 'stopped') {
      const value = Atomics.load(this.mem.i32, index);
      if (value !== PowerState.running) {
        this.drainConsole();
        this.events.onPower?.(value as PowerEvent, this.mem.ctrl(Ctrl.exitCode));
        return;
      }
      const r = Atomics.waitAsync(this.mem.i32, index, value, 200);
      if (r.async) await r.value;
    }
  }

  private fail(err: unknown): void {
    console.error('hart thread failed:', err);
    Atomics.compareExchange(this.mem.i32, this.mem.ctrlIndex(Ctrl.powerState), PowerState.running, PowerState.fatal);
    this.mem.notifyCtrl(Ctrl.powerState);
  }

  /** Wait until `done()` holds, sleeping on control word `word` between checks. */
  private async waitFor(done: () => boolean, word: number, timeoutMs: number, what: string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const index = this.mem.ctrlIndex(word);
    while (!done()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      const r = Atomics.waitAsync(this.mem.i32, index, Atomics.load(this.mem.i32, index), Math.min(left, 50));
      if (r.async) await r.value;
    }
  }

  /** Reset the caches of every hart after the host changed hart state or RAM (restore). */
  flushCoreCaches(): void {
    for (let h = 0; h < this.config.harts; h++) {
      this.maintenance.init(h);
      this.maintenance.flushCaches();
    }
  }
}

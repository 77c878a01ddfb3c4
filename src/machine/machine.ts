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
  PowerState, RAM_BASE, hartBase,
} from './layout.ts';
import { SharedMachineMemory } from './shared-memory.ts';
import { RamDirtyMap, ramDirtyBitmapBytes } from './ram-dirty.ts';
import { loadHartState, saveHartState } from './hart-state.ts';
import { registryFor, type Capture, type RestorePlan } from '../snapshot/engine.ts';
import { decodeDiskInto, decodeRamInto, readPagedHeader } from '../snapshot/encodings.ts';
import { RAM_SECTION, diskSection, type SectionRegistry, type SnapshotMeta } from '../snapshot/sections.ts';
import { maintenanceCore, type CoreExports } from '../workers/core.ts';
import type { HartThread, Platform } from '../workers/platform.ts';
import { copyInParallel, copyJobs, copyThreadReady, type CopyJob, type CopyThread } from '../workers/copier.ts';
import { BATCH, hartCore, runBatch } from '../workers/hart-runner.ts';
import type { PowerEvent } from './power.ts';

/** Where images come from: files in Node, fetched URLs in the page. Verifies sha256. */
export interface ImageSource {
  load(ref: ImageRef): Promise<Uint8Array>;
}

export type MachineState = 'created' | 'running' | 'paused' | 'stopped';

export interface CheckpointResult {
  capture: Capture;
  /** How long the guest was held: parking every hart plus copying its state. */
  pauseMs: number;
  /** Of that, how long it took every hart to park. */
  parkMs: number;
  /**
   * A running machine is copied while it runs first (pre-copy), then in the pause only the RAM
   * pages written since: the brief park that starts dirty-page tracking (ms), the pre-copy
   * (ms, the guest running), and the pages the pause copied. 0 when the machine was not running.
   */
  precopyParkMs: number;
  precopyMs: number;
  pausePages: number;
}

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
const HART_START_TIMEOUT_MS = 60_000;
const CONSOLE_POLL_MS = 50;
/** How long a copy thread may take to start, or to finish its part of a pause's copy. */
const COPY_THREAD_TIMEOUT_MS = 10_000;

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
  /** mtime when the harts start: 0 for a fresh boot, the saved value for a restore. */
  private startMtime = 0;
  /** Reset vector targets, kept for snapshots (the boot ROM is not in RAM). */
  private bootEntry = 0;
  private bootFdt = 0;
  /** Core instance for runInline (deterministic tests), created on first use. */
  private inlineCore: CoreExports | undefined;
  /** Checkpoints run one at a time: a second request waits for the first. */
  private checkpointQueue: Promise<unknown> = Promise.resolve();
  /** Threads that copy RAM alongside this one during a checkpoint's pause (started at the first checkpoint). */
  private copyThreads: Promise<CopyThread[]> | undefined;
  /** RAM pages written since the last checkpoint began its copy. */
  private readonly dirty: RamDirtyMap;

  private constructor(
    readonly config: MachineConfig,
    private readonly platform: Platform,
    private readonly module: WebAssembly.Module,
    private readonly events: MachineEvents,
  ) {
    validateConfig(config);
    const ramBytes = config.memoryMiB * MiB;
    const diskBytes = diskExtraBytes(config.disk?.size ?? 0);
    this.mem = SharedMachineMemory.create(ramBytes, diskBytes + ramDirtyBitmapBytes(ramBytes));
    this.mem.initControl(config.harts, ramBytes);
    RamDirtyMap.install(this.mem, RAM_BASE + ramBytes + diskBytes);
    this.dirty = new RamDirtyMap(this.mem);
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

  /**
   * Build a machine from a fully validated snapshot (see planRestore), not yet running.
   * Nothing else is touched: the caller stops its old machine only once this succeeded.
   */
  static async restore(plan: RestorePlan, images: ImageSource, platform: Platform, events: MachineEvents = {}): Promise<Machine> {
    const module = await platform.compileCore();
    const m = new Machine(plan.config, platform, module, events);
    await m.loadSnapshot(plan, images);
    return m;
  }

  /** The section registry for machines of `config` (its devices and their schemas). */
  static registryFor(config: MachineConfig): SectionRegistry {
    // A board over a scratch memory of the machine's size: untouched pages cost no real memory.
    const ramBytes = config.memoryMiB * MiB;
    const mem = SharedMachineMemory.create(ramBytes, diskExtraBytes(config.disk?.size ?? 0));
    mem.initControl(config.harts, ramBytes);
    return registryFor(new Board(mem, config).devices);
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
      new DiskRegion(this.mem, this.mem.ramSize, disk.length).writeFresh(disk); // the memory is fresh: zeros
    }
    this.board = new Board(this.mem, this.config);
    this.board.resetDevices();
    this.bootEntry = entry;
    this.bootFdt = fdtAddr;
    writeBootRom(this.mem, entry, fdtAddr);
    for (let h = 0; h < this.config.harts; h++) {
      this.maintenance.init(h);
      this.maintenance.reset(BigInt(BOOTROM_GUEST_BASE));
    }
  }

  private async loadSnapshot(plan: RestorePlan, images: ImageSource): Promise<void> {
    const control = plan.control;
    // The clock first: devices derive interrupt state from it as they load.
    this.startMtime = Number(plan.clock.mtime[0]);
    this.mem.setCtrlPair(Ctrl.idleTicksLo, Number(plan.clock.idleTicks[0]));
    MachineClock.startAt(this.mem, this.startMtime);
    this.mem.setCtrlPair(Ctrl.tohostLo, Number(control.tohost[0]));
    this.mem.setCtrlPair(Ctrl.fromhostLo, Number(control.fromhost[0]));
    this.board = new Board(this.mem, this.config);
    for (const d of this.board.devices) {
      const values = plan.devices.get(d.name);
      if (!values) throw new Error(`the snapshot has no state for device '${d.name}'`);
      d.state.locked(() => d.state.load(values));
    }
    plan.harts.forEach((values, h) => loadHartState(this.mem, h, values));
    // Devices re-derive their outputs (interrupt lines, mip bits) from the loaded state.
    for (const d of this.board.devices) d.state.locked(() => d.afterLoad?.());

    // This machine's memory is fresh, so all zeros: only stored pages need writing.
    await decodeRamInto(plan.snapshot.payloadSource(RAM_SECTION), this.mem.ramBytes(), { zeroed: true });
    if (this.config.disk) {
      const region = new DiskRegion(this.mem, this.mem.ramSize, this.config.disk.size);
      const payload = plan.snapshot.payloadSource(diskSection(0));
      // This machine's memory is fresh: only the image's non-zero blocks need writing.
      if ((await readPagedHeader(payload)).kind === 'disk-delta') region.writeFresh(await images.load(this.config.disk));
      const { written } = await decodeDiskInto(payload, region.region());
      region.setBitmap(written);
    }
    this.bootEntry = Number(control.entry[0]);
    this.bootFdt = Number(control.fdt[0]);
    writeBootRom(this.mem, this.bootEntry, this.bootFdt);
    this.flushCoreCaches();
  }

  /**
   * Checkpoint: park every hart at an instruction boundary, copy the whole machine, then
   * let it run on (unless `suspend`). Returns the copy and how long the guest was paused.
   * Requests are queued: a second one waits for the first.
   */
  checkpoint(opts: { suspend?: boolean; meta?: SnapshotMeta } = {}): Promise<CheckpointResult> {
    const next = this.checkpointQueue.then(() => this.captureNow(opts));
    this.checkpointQueue = next.catch(() => undefined);
    return next;
  }

  private async captureNow(opts: { suspend?: boolean; meta?: SnapshotMeta }): Promise<CheckpointResult> {
    if (this.stateValue === 'stopped') throw new Error('cannot checkpoint a stopped machine');
    if (this.mem.ctrl(Ctrl.powerState) !== PowerState.running) throw new Error('cannot checkpoint a guest that has powered off');
    const helpersReady = this.copyHelpers();
    const disk = this.config.disk && new DiskRegion(this.mem, this.mem.ramSize, this.config.disk.size);
    const ram = this.mem.ramBytes();
    // The RAM copy is shared so that copy threads can fill parts of it. Of the disk only the
    // written blocks are copied (a delta snapshot stores nothing else); touch those now, while
    // the guest runs, since fresh pages cost a page fault each.
    const ramCopy = new Uint8Array(new SharedArrayBuffer(ram.length));
    const diskCopy = disk && new Uint8Array(disk.region().length);
    if (disk) forEachRun(disk.bitmap(), disk.blocks, (first, count) => touched(diskCopy!.subarray(first * 4096, (first + count) * 4096)));
    const helpers = await helpersReady;
    const wasRunning = this.stateValue === 'running';
    let precopyParkMs = 0;
    let precopyMs = 0;
    if (wasRunning) {
      // Pre-copy, as live migration does: clear the dirty-page bitmap (with every hart parked for
      // a moment, so each drops its TLBs before it stores again), copy all of RAM while the guest
      // runs, and in the pause below copy only the pages written since.
      const t0 = performance.now();
      await this.pause();
      this.dirty.clear();
      this.resume();
      const t1 = performance.now();
      // Zero pages are skipped: the copy is fresh (zeros), and a page written after it was read
      // as zero is in the bitmap. Untouched pages of the copy cost neither time nor memory.
      this.copyInto(copyJobs(this.mem.buffer, ram.byteOffset, ramCopy.buffer as SharedArrayBuffer, 0, ram.length, { skipZeroPages: true }), helpers);
      precopyParkMs = t1 - t0;
      precopyMs = performance.now() - t1;
    }
    const started = performance.now();
    if (wasRunning) await this.pause();
    const parkMs = performance.now() - started;
    try {
      // The guest may have powered off between the check above and the last hart parking.
      if (this.mem.ctrl(Ctrl.powerState) !== PowerState.running) throw new Error('the guest powered off while the checkpoint was being taken');
      this.drainConsole();
      // Timer interrupt bits are derived state, updated lazily between batches: bring them up
      // to date, as a restore will, so a capture equals its own restore bit for bit.
      for (let h = 0; h < this.config.harts; h++) this.board.clint.updateTimer(h);
      const written = disk?.bitmap().slice();
      // All of RAM if nothing ran (a created or paused machine), else the pages written since the pre-copy.
      const jobs: CopyJob[] = [];
      const add = (first: number, count: number) =>
        jobs.push(...copyJobs(this.mem.buffer, ram.byteOffset + first * 4096, ramCopy.buffer as SharedArrayBuffer, first * 4096, count * 4096));
      if (wasRunning) forEachRun(this.dirty.snapshot(), this.dirty.pages, add);
      else add(0, ram.length / 4096);
      this.copyInto(jobs, helpers, () => {
        if (!disk || !written) return;
        const region = disk.region();
        forEachRun(written, disk.blocks, (first, count) => diskCopy!.set(region.subarray(first * 4096, (first + count) * 4096), first * 4096));
      });
      const capture: Capture = {
        config: this.config,
        harts: Array.from({ length: this.config.harts }, (_, h) => saveHartState(this.mem, h)),
        devices: this.board.devices.map((d) => ({ name: d.name, values: d.state.save() })),
        clock: {
          mtime: [this.stateValue === 'created' ? BigInt(this.startMtime) : this.board.clock.mtime()],
          idleTicks: [BigInt(this.mem.ctrlPair(Ctrl.idleTicksLo))],
        },
        control: {
          tohost: [BigInt(this.mem.ctrlPair(Ctrl.tohostLo))],
          fromhost: [BigInt(this.mem.ctrlPair(Ctrl.fromhostLo))],
          entry: [BigInt(this.bootEntry)],
          fdt: [BigInt(this.bootFdt)],
        },
        ram: ramCopy,
        disk: disk && { base: this.config.disk!, bytes: diskCopy!, written: written! },
        meta: { createdAt: new Date().toISOString(), ...opts.meta },
      };
      return { capture, pauseMs: performance.now() - started, parkMs, precopyParkMs, precopyMs, pausePages: jobs.reduce((n, j) => n + j.length / 4096, 0) };
    } finally {
      if (wasRunning && !opts.suspend) this.resume();
    }
  }

  /** Do `jobs` on this thread and the copy threads, after `local()` on this thread. */
  private copyInto(jobs: CopyJob[], helpers: CopyThread[], local?: () => void): void {
    try {
      copyInParallel(jobs, helpers, COPY_THREAD_TIMEOUT_MS, local);
    } catch (err) {
      // This checkpoint fails; the next one starts new copy threads.
      for (const h of helpers) h.terminate();
      this.copyThreads = undefined;
      throw err;
    }
  }

  /** The copy threads (started on first use); none if the platform has none or they fail to start. */
  private copyHelpers(): Promise<CopyThread[]> {
    this.copyThreads ??= (async () => {
      if (!this.platform.spawnCopier) return [];
      const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
      const threads = Array.from({ length: Math.max(1, Math.min(3, cores - 1)) }, () => this.platform.spawnCopier!());
      try {
        await Promise.all(threads.map((t) => copyThreadReady(t, COPY_THREAD_TIMEOUT_MS)));
        return threads;
      } catch (err) {
        console.warn(`checkpoint: copy threads unavailable, copying on one thread (${(err as Error).message})`);
        for (const t of threads) t.terminate();
        return [];
      }
    })();
    return this.copyThreads;
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
    MachineClock.startAt(this.mem, this.startMtime);
    this.stateValue = 'running';
    this.bootedAt = performance.now();
    void this.watchPower();
    void this.pumpConsole();
    // Every hart thread is in its loop before start() returns, so a pause sees them all.
    await this.waitFor(() => this.mem.ctrl(Ctrl.liveHarts) >= this.config.harts || this.mem.ctrl(Ctrl.powerState) !== PowerState.running,
      Ctrl.liveHarts, HART_START_TIMEOUT_MS, 'hart threads to start');
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
    void this.copyThreads?.then((threads) => threads.forEach((t) => t.terminate()));
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
    // Atomics.waitAsync does not keep Node's event loop alive: a timer does, until we are done.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      while (!done()) {
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`timed out waiting for ${what}`);
        const r = Atomics.waitAsync(this.mem.i32, index, Atomics.load(this.mem.i32, index), Math.min(left, 50));
        if (r.async) await r.value;
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  /**
   * Deterministic mode only: run hart 0 in this thread (no worker) until it has retired
   * `instructions` more instructions (exactly, unless it idles with nothing to wake it).
   * The machine must not be started. Used for bit-exact replay tests.
   */
  runInline(instructions: bigint): void {
    if (!this.config.deterministic || this.config.harts !== 1) throw new Error('runInline needs a deterministic one-hart machine');
    if (this.stateValue !== 'created') throw new Error(`runInline needs a machine that was not started (it is ${this.stateValue})`);
    this.inlineCore ??= hartCore(this.module, this.board, 0);
    const instretAt = () => this.mem.u64[(hartBase(0) + HS.instret) >> 3];
    const target = instretAt() + instructions;
    let idle = 0;
    while (instretAt() < target && this.mem.ctrl(Ctrl.powerState) === PowerState.running) {
      const before = instretAt();
      runBatch(this.inlineCore, this.board, 0, Math.min(Number(target - before), BATCH));
      idle = instretAt() === before ? idle + 1 : 0;
      if (idle > 1000) break; // asleep with no timer armed: nothing will ever wake it here
    }
    this.drainConsole();
    this.flushInput();
  }

  /** Reset the caches of every hart after the host changed hart state or RAM (restore). */
  flushCoreCaches(): void {
    for (let h = 0; h < this.config.harts; h++) {
      this.maintenance.init(h);
      this.maintenance.flushCaches();
    }
  }
}

/** Call `visit(first, count)` for each run of set bits among the first `bits` bits of `bitmap` (bit i = byte i >> 3, bit i & 7). */
function forEachRun(bitmap: Uint8Array, bits: number, visit: (first: number, count: number) => void): void {
  let i = 0;
  while (i < bits) {
    const byte = bitmap[i >> 3];
    if (byte === 0 && (i & 7) === 0) { i += 8; continue; }
    if (!(byte & (1 << (i & 7)))) { i++; continue; }
    const first = i;
    while (i < bits && bitmap[i >> 3] & (1 << (i & 7))) i++;
    visit(first, i - first);
  }
}

/** `bytes` with every page written once, so later copies into it take no page faults. */
function touched(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1;
  return bytes;
}

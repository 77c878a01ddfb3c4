/// <reference lib="webworker" />
/**
 * The page's machine worker: owns the one Machine (controller, console pump, power watch)
 * and is driven from the UI through comlink. Hart workers are its children.
 *
 * The API is a set of plain method groups spread into one object (`api` below). To add a
 * feature (snapshots, …), write another group next to them that works on `host` — take the
 * running machine with `host.require()`, swap in a different one with `host.replace()` —
 * and spread it into `api`; `MachineWorkerApi` follows by itself.
 */
import * as Comlink from 'comlink';
import { MachineClock, TIMEBASE_HZ } from '../machine/clock.ts';
import type { MachineConfig } from '../machine/config.ts';
import { FetchImageSource, type ImageProgress } from '../machine/fetch-images.ts';
import { Machine, type MachineEvents, type MachineState } from '../machine/machine.ts';
import type { PowerEvent } from '../machine/power.ts';
import { browserPlatform } from './browser-platform.ts';

/**
 * The page's side, called from this worker: console bytes, power events and progress. Every
 * machine gets a new `machineId` (announced by the 'create' progress step before anything
 * else of it), so the page can drop late events of a machine it has already replaced.
 */
export interface MachineListener {
  console(bytes: Uint8Array, machineId: number): void;
  power(event: PowerEvent, exitCode: number, machineId: number): void;
  progress(p: BootProgress): void;
}

/** Long work during boot: a new machine being built, image downloads and checks, starting the harts. */
export type BootProgress =
  | { stage: 'create'; machineId: number; harts: number; memoryMiB: number; origin: MachineOrigin }
  | ImageProgress
  | { stage: 'start' };

/** How a machine came to be: powered on from its images (the guest boots), or restored mid-run (already up). */
export type MachineOrigin = 'boot' | 'restore';

export interface HartActivity {
  /** Instructions retired since the hart was reset. */
  instret: number;
  /** Parked in WFI right now. */
  sleeping: boolean;
  /** Share of the time since the previous status() call the hart was running (not in WFI), 0–1. */
  busy: number;
}

export interface MachineStatus {
  state: MachineState;
  harts: number;
  memoryMiB: number;
  /** Host seconds since the harts started. */
  hostUptime: number;
  /** Guest seconds since reset: mtime / timebase, what /proc/uptime counts from. */
  guestUptime: number;
  hart: HartActivity[];
}

/** A boot overtaken by stop() or another boot fails with this (name 'AbortError'); the page ignores it. */
function cancelled(): Error {
  const err = new Error('the boot was cancelled');
  err.name = 'AbortError';
  return err;
}

/** How often hart activity (WFI or not) is sampled while a machine runs. */
const ACTIVITY_SAMPLE_MS = 20;

/** Samples each hart's sleeping flag to measure how busy it is between two status() calls. */
class ActivitySampler {
  private timer: ReturnType<typeof setInterval> | undefined;
  private samples = 0;
  private awake: number[] = [];

  start(machine: Machine): void {
    this.stop();
    this.awake = new Array<number>(machine.config.harts).fill(0);
    this.samples = 0;
    this.timer = setInterval(() => {
      if (machine.state !== 'running') return;
      machine.hartStatus().forEach((h, i) => (this.awake[i] += h.sleeping ? 0 : 1));
      this.samples++;
    }, ACTIVITY_SAMPLE_MS);
  }

  /** Busy share per hart since the last take(), then starts over. */
  take(): number[] {
    const busy = this.awake.map((a) => (this.samples ? a / this.samples : 0));
    this.awake.fill(0);
    this.samples = 0;
    return busy;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The one machine this worker runs, the config it was built from, and where it reports. */
class MachineHost {
  private current: Machine | undefined;
  /** Bumped by every boot and stop: a boot that finds it changed was overtaken. */
  private generation = 0;
  private images: FetchImageSource | undefined;
  private imageBaseUrl: string | undefined;
  private readonly activity = new ActivitySampler();
  listener: MachineListener | undefined;
  /** Config of the last machine booted: what reset() builds again. */
  config: MachineConfig | undefined;

  get machine(): Machine | undefined {
    return this.current;
  }

  /** The running (or paused) machine, or an error in plain words. */
  require(): Machine {
    if (!this.current || this.current.state === 'stopped') throw new Error('no machine is running');
    return this.current;
  }

  /** Images from `baseUrl` (default: the last one), cached across boots: a reset does not download again. */
  imageSource(baseUrl = this.imageBaseUrl): FetchImageSource {
    if (baseUrl === undefined) throw new Error('no image location given');
    if (!this.images || baseUrl !== this.imageBaseUrl) this.images = new FetchImageSource(baseUrl);
    this.imageBaseUrl = baseUrl;
    this.images.onProgress = (p) => this.listener?.progress(p);
    return this.images;
  }

  /**
   * Stop the current machine, build a new one for `config` with `create` (given the events
   * to wire into it) and start it. Throws an AbortError if stop() or another replace() came
   * first while `create` ran. `origin` tells the page whether to wait for the guest to boot.
   */
  async replace(config: MachineConfig, create: (events: MachineEvents) => Promise<Machine>, origin: MachineOrigin = 'boot'): Promise<Machine> {
    const generation = ++this.generation;
    await this.stopCurrent();
    this.config = config;
    this.listener?.progress({ stage: 'create', machineId: generation, harts: config.harts, memoryMiB: config.memoryMiB, origin });
    const listener = this.listener;
    const m = await create({
      onConsole: (bytes) => listener?.console(Comlink.transfer(bytes, [bytes.buffer]), generation),
      onPower: (event, code) => listener?.power(event, code, generation),
    });
    if (generation !== this.generation) {
      await m.stop();
      throw cancelled();
    }
    this.current = m;
    this.listener?.progress({ stage: 'start' });
    await m.start();
    this.activity.start(m);
    return m;
  }

  async stop(): Promise<void> {
    this.generation++;
    await this.stopCurrent();
  }

  private async stopCurrent(): Promise<void> {
    const m = this.current;
    this.current = undefined;
    this.activity.stop();
    await m?.stop();
  }

  status(): MachineStatus | undefined {
    const m = this.current;
    if (!m) return undefined;
    const busy = this.activity.take();
    return {
      state: m.state,
      harts: m.config.harts,
      memoryMiB: m.config.memoryMiB,
      hostUptime: m.uptimeSeconds,
      guestUptime: new MachineClock(m.mem).mtimeNumber() / TIMEBASE_HZ,
      hart: m.hartStatus().map((h, i) => ({ instret: Number(h.instret), sleeping: h.sleeping, busy: busy[i] ?? 0 })),
    };
  }
}

const host = new MachineHost();

/** Where console output, power events and progress go: called once by the page. */
const connection = {
  connect(listener: MachineListener): void {
    host.listener = listener;
  },
};

/** Power: build, start, pause, resume, reset and stop the machine. */
const power = {
  /** Build a machine from `config` (images fetched relative to `imageBaseUrl`) and start it. */
  async boot(config: MachineConfig, imageBaseUrl: string): Promise<void> {
    const images = host.imageSource(imageBaseUrl);
    await host.replace(config, (events) => Machine.create(config, images, browserPlatform, events));
  },
  /** Stop and build the last config again: a fresh power-on (also what a guest reboot needs). */
  async reset(): Promise<void> {
    const config = host.config;
    if (!config) throw new Error('nothing has been booted yet');
    const images = host.imageSource();
    await host.replace(config, (events) => Machine.create(config, images, browserPlatform, events));
  },
  async pause(): Promise<void> {
    await host.require().pause();
  },
  resume(): void {
    host.require().resume();
  },
  async stop(): Promise<void> {
    await host.stop();
  },
};

/** The guest console's input side (output arrives through MachineListener.console). */
const consoleIo = {
  sendInput(bytes: Uint8Array): void {
    const m = host.machine;
    if (m && m.state !== 'stopped') m.sendInput(bytes);
  },
};

/** What the status panel shows. */
const info = {
  status(): MachineStatus | undefined {
    return host.status();
  },
};

const api = { ...connection, ...power, ...consoleIo, ...info };

export type MachineWorkerApi = typeof api;
Comlink.expose(api);

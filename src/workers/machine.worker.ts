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
import { planRestore, snapshotPieces } from '../snapshot/engine.ts';
import { isSnapshotError, type SnapshotErrorCode } from '../snapshot/errors.ts';
import type { ConsoleScreen, SnapshotMeta } from '../snapshot/sections.ts';
import { SnapshotStore, SnapshotStoreError, type SaveProgress, type StoredSnapshot, type StoreUsage } from '../snapshot/store.ts';
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
  | {
    stage: 'create'; machineId: number; harts: number; memoryMiB: number; origin: MachineOrigin;
    /** A restored machine: its config, and the terminal screen saved with the snapshot (if any). */
    config?: MachineConfig; screen?: ConsoleScreen;
  }
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
    const m = await this.build(create, generation);
    this.current = m;
    this.listener?.progress({ stage: 'start' });
    await m.start();
    this.activity.start(m);
    return m;
  }

  /**
   * Build a machine wired to the page's listener as machine `generation`; if another
   * replace/adopt/stop came first while it was being built, stop it and throw AbortError.
   */
  private async build(create: (events: MachineEvents) => Promise<Machine>, generation: number): Promise<Machine> {
    const listener = this.listener;
    const m = await create({
      onConsole: (bytes) => listener?.console(Comlink.transfer(bytes, [bytes.buffer]), generation),
      onPower: (event, code) => listener?.power(event, code, generation),
    });
    if (generation !== this.generation) {
      await m.stop();
      throw cancelled();
    }
    return m;
  }

  /**
   * Swap in a machine restored from a snapshot: `create` builds it while the current machine
   * keeps running; only once it is built is the current one stopped. A failure in `create`
   * leaves the running machine as it was.
   */
  async adopt(config: MachineConfig, create: (events: MachineEvents) => Promise<Machine>, screen?: ConsoleScreen): Promise<Machine> {
    const generation = ++this.generation;
    const m = await this.build(create, generation);
    await this.stopCurrent();
    this.config = config;
    this.listener?.progress({ stage: 'create', machineId: generation, harts: config.harts, memoryMiB: config.memoryMiB, origin: 'restore', config, screen });
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

/** What a checkpoint request carries from the page. */
export interface CheckpointRequest {
  name: string;
  /** Leave the machine paused afterwards. */
  suspend?: boolean;
  /** The terminal screen (serialized by the page), saved in the snapshot's 'console/screen' section. */
  screen?: ConsoleScreen;
  /** Save into this store slot (e.g. 'quick'), replacing what it held. */
  slot?: string;
}

export interface CheckpointReport {
  snapshot: StoredSnapshot;
  /** How long the guest was paused for the copy. */
  pauseMs: number;
  /** Time from the request until the snapshot was committed. */
  totalMs: number;
}

export interface RestoreReport {
  config: MachineConfig;
  meta: SnapshotMeta;
  screen?: ConsoleScreen;
  notes: string[];
  ms: number;
}

/** The quick-save slot (also what autosave writes). */
export const QUICK_SLOT = 'quick';

let snapshotStore: SnapshotStore | undefined;
function store(): SnapshotStore {
  snapshotStore ??= new SnapshotStore();
  return snapshotStore;
}

const SNAPSHOT_HINTS: Partial<Record<SnapshotErrorCode, string>> = {
  'bad-magic': 'This is not an Amber snapshot (.amber) file',
  'bad-header': 'This is not a valid Amber snapshot: its header is malformed',
  'future-version': 'This snapshot was made by a newer version of Amber than this page',
  truncated: 'The snapshot file is incomplete (cut short while downloading or copying)',
  checksum: 'The snapshot file is damaged (a checksum does not match)',
  'bad-trailer': 'The snapshot file is damaged',
  'bad-index': 'The snapshot file is damaged',
  'section-version': 'This snapshot holds state from a newer version of Amber than this page',
  'unknown-required-section': 'This snapshot needs a feature this version of Amber does not have',
  'unsupported-encoding': 'This snapshot uses an encoding this version of Amber cannot read',
};

/** An error of a snapshot operation, said for people (the technical detail after a colon). */
function plainSnapshotError(err: unknown, what: string): Error {
  const detail = err instanceof Error ? err.message : String(err);
  let text: string;
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (err instanceof BaseImageMissing) text = `${what}: ${detail}`;
  else if (isSnapshotError(err)) text = `${what}: ${SNAPSHOT_HINTS[err.code] ?? 'The snapshot is not valid'} (${detail}).`;
  else if (err instanceof SnapshotStoreError) {
    text = err.code === 'quota'
      ? `${what}: the browser's storage for this site is full (${detail}). Delete snapshots you no longer need (download them first to keep them), then try again.`
      : err.code === 'not-found' ? `${what}: that snapshot is no longer stored (${detail}).`
        : err.code === 'corrupt' ? `${what}: the stored snapshot is damaged (${detail}).`
          : `${what}: the browser's storage failed (${detail}).`;
  } else if (/allocat|out of memory|Memory\(\)|RangeError/i.test(detail)) {
    text = `${what}: the browser could not reserve the memory for it (${detail}). A resumed machine is built next to the running one: Stop the running machine and try again.`;
  } else text = `${what}: ${detail}`;
  const out = new Error(text);
  out.name = err instanceof Error && err.name !== 'Error' ? err.name : 'SnapshotFailure';
  return out;
}

class BaseImageMissing extends Error {}

/** Validate `input` in full, build the machine it describes, then swap it in for the running one. */
async function restoreFrom(input: Parameters<typeof planRestore>[0], imageBaseUrl: string): Promise<RestoreReport> {
  const started = performance.now();
  const images = host.imageSource(imageBaseUrl);
  const plan = await planRestore(input, (config) => Machine.registryFor(config), {
    has: async (ref) => {
      try {
        await images.load(ref);
      } catch (err) {
        throw new BaseImageMissing(`it needs the base disk image '${ref.name}' (sha256 ${ref.sha256.slice(0, 12)}…), which this site cannot provide (${err instanceof Error ? err.message : String(err)})`);
      }
    },
  }, { onConfig: (config) => browserPlatform.prewarmHarts?.(config.harts) });
  await host.adopt(plan.config, (events) => Machine.restore(plan, images, browserPlatform, events), plan.screen);
  return { config: plan.config, meta: plan.meta, screen: plan.screen, notes: plan.notes, ms: performance.now() - started };
}

/** Snapshots: checkpoint into the browser's store, list, download, delete, and resume. */
const snapshots = {
  /** Pause, copy, resume (unless `suspend`), then stream the .amber file into the store. */
  async checkpoint(req: CheckpointRequest, onProgress?: (p: SaveProgress) => void): Promise<CheckpointReport> {
    const started = performance.now();
    try {
      const m = host.require();
      const { capture, pauseMs } = await m.checkpoint({ suspend: req.suspend, meta: { name: req.name } });
      if (req.screen) capture.screen = req.screen;
      const pieces = snapshotPieces(capture, Machine.registryFor(capture.config));
      const snapshot = await store().save(pieces, {
        name: req.name,
        harts: capture.config.harts,
        memoryMiB: capture.config.memoryMiB,
        createdAt: capture.meta.createdAt ?? new Date().toISOString(),
      }, { slot: req.slot, onProgress: (p) => onProgress?.(p) });
      return { snapshot, pauseMs, totalMs: performance.now() - started };
    } catch (err) {
      throw plainSnapshotError(err, 'The checkpoint failed');
    }
  },
  async listSnapshots(): Promise<StoredSnapshot[]> {
    return store().list();
  },
  async quickSlot(): Promise<StoredSnapshot | undefined> {
    return store().slot(QUICK_SLOT);
  },
  async deleteSnapshot(id: string): Promise<void> {
    try {
      await store().delete(id);
    } catch (err) {
      throw plainSnapshotError(err, 'Could not delete the snapshot');
    }
  },
  /** The .amber file for a download. */
  async snapshotBlob(id: string): Promise<Blob> {
    try {
      return await store().blob(id);
    } catch (err) {
      throw plainSnapshotError(err, 'Could not read the snapshot');
    }
  },
  async storageUsage(): Promise<StoreUsage> {
    return store().usage();
  },
  /** Resume a stored snapshot: the running machine is replaced only if the new one was built. */
  async restoreStored(id: string, imageBaseUrl: string): Promise<RestoreReport> {
    try {
      const source = await store().open(id);
      try {
        return await restoreFrom(source, imageBaseUrl);
      } finally {
        source.close();
      }
    } catch (err) {
      throw plainSnapshotError(err, 'Could not resume the snapshot');
    }
  },
  /** Resume a .amber file (an upload, a drop, a download from a URL). */
  async restoreFile(file: Blob, imageBaseUrl: string): Promise<RestoreReport> {
    try {
      return await restoreFrom(file, imageBaseUrl);
    } catch (err) {
      const name = typeof File !== 'undefined' && file instanceof File ? ` '${file.name}'` : '';
      throw plainSnapshotError(err, `Could not resume the file${name}`);
    }
  },
};

const api = { ...connection, ...power, ...consoleIo, ...info, ...snapshots };

export type MachineWorkerApi = typeof api;
Comlink.expose(api);

/**
 * The snapshot engine: what a checkpoint captures from a paused machine, how a capture
 * becomes a `.amber` file, and how a file is read and fully validated into a restore
 * plan before any running machine is touched.
 *
 * Capture is a copy taken while every hart is parked (the pause the guest feels);
 * compression and writing happen afterwards, while the guest runs on.
 */
import type { FieldValues } from '../devices/state.ts';
import { defineSchema } from '../devices/state.ts';
import type { ImageRef, MachineConfig } from '../machine/config.ts';
import { validateConfig } from '../machine/config.ts';
import { SnapshotWriter, openSnapshot, type Snapshot, type SnapshotInput } from './container.ts';
import { encodeDisk, encodeRam, validateDisk, validateRam, type EncodedChunk } from './encodings.ts';
import { SnapshotError } from './errors.ts';
import {
  CLOCK_SECTION, MACHINE_SECTION, META_SECTION, RAM_SECTION, SCREEN_SECTION, SectionRegistry, defaultRegistry,
  deviceSection, diskSection, hartSection, type ConsoleScreen, type SnapshotMeta,
} from './sections.ts';

/** The machine timer and the few control words that are guest state. */
export const clockSchema = defineSchema({
  name: 'clock',
  version: 1,
  fields: {
    /** mtime at the moment of capture; a restore continues from here. */
    mtime: { type: 'u64' },
    /** Deterministic mode: ticks skipped by idle WFI. */
    idleTicks: { type: 'u64' },
  },
});

export const CONTROL_SECTION = 'control';
export const controlSchema = defineSchema({
  name: 'control',
  version: 1,
  fields: {
    /** HTIF tohost/fromhost guest addresses (bare-metal programs), 0 when absent. */
    tohost: { type: 'u64' },
    fromhost: { type: 'u64' },
    /** What the boot ROM's reset vector jumps to, and the device tree address it passes. */
    entry: { type: 'u64' },
    fdt: { type: 'u64' },
  },
});

export interface DeviceCapture {
  name: string;
  values: FieldValues;
}

export interface DiskCapture {
  base: ImageRef;
  /**
   * The disk's size rounded to 4 KiB blocks, a private copy of the blocks set in `written`
   * (the others are not copied and read as zeros: a delta stores only the written blocks).
   */
  bytes: Uint8Array;
  /** Written-block bitmap (bit i of byte i >> 3 = block i), a private copy. */
  written: Uint8Array;
}

/**
 * Everything a checkpoint copies while the harts are parked: private copies, nothing that the
 * machine goes on writing (`ram` may view a SharedArrayBuffer of its own, which copy threads
 * filled in parallel).
 */
export interface Capture {
  config: MachineConfig;
  harts: FieldValues[];
  devices: DeviceCapture[];
  clock: FieldValues;
  control: FieldValues;
  ram: Uint8Array;
  disk?: DiskCapture;
  meta: SnapshotMeta;
  screen?: ConsoleScreen;
}

/** A snapshot read and validated in full: nothing left to check before loading it. */
export interface RestorePlan {
  config: MachineConfig;
  harts: FieldValues[];
  devices: Map<string, FieldValues>;
  clock: FieldValues;
  control: FieldValues;
  snapshot: Snapshot;
  meta: SnapshotMeta;
  screen?: ConsoleScreen;
  /** Optional sections this release skipped, one line each. */
  notes: string[];
}

/**
 * The registry for a machine's sections: the built-in kinds plus the clock, the control
 * words, and one `device/<name>` per device with that device's own schema.
 */
export function registryFor(devices: ReadonlyArray<{ name: string; state: { schema: import('../devices/state.ts').StateSchema } }>): SectionRegistry {
  const reg = defaultRegistry()
    .registerSchema(CLOCK_SECTION, clockSchema, { replace: true, description: 'machine timer' })
    .registerSchema(CONTROL_SECTION, controlSchema, { description: 'HTIF addresses and the boot ROM targets' });
  for (const d of devices) reg.registerDevice(d.name, d.state.schema);
  return reg;
}

export interface WriteOptions {
  /** Called for each RAM chunk (content-addressed stores; progress). */
  onRamChunk?(chunk: EncodedChunk): void;
}

/** Turn a capture into the pieces of a `.amber` file (streamed; never one big buffer). */
export function snapshotPieces(capture: Capture, registry: SectionRegistry, opts: WriteOptions = {}): AsyncGenerator<Uint8Array> {
  const w = new SnapshotWriter();
  w.addSection(...registry.json(MACHINE_SECTION, capture.config));
  w.addSection(...registry.json(META_SECTION, capture.meta));
  w.addSection(...registry.fields(CLOCK_SECTION, capture.clock));
  w.addSection(...registry.fields(CONTROL_SECTION, capture.control));
  capture.harts.forEach((values, h) => w.addSection(...registry.fields(hartSection(h), values)));
  for (const d of capture.devices) w.addSection(...registry.fields(deviceSection(d.name), d.values));
  w.addSection(registry.meta(RAM_SECTION), encodeRam(capture.ram, { onChunk: opts.onRamChunk }));
  if (capture.disk) {
    const { base, bytes, written } = capture.disk;
    w.addSection(registry.meta(diskSection(0)), encodeDisk(bytes, { mode: 'delta', base, written }));
  }
  if (capture.screen) w.addSection(...registry.json(SCREEN_SECTION, capture.screen));
  return w.finish();
}

/** Where a restore finds base images (the disk a snapshot's delta applies to). */
export interface BaseImageCheck {
  /** Resolves if the image named by `ref` is available; rejects with a clear message otherwise. */
  has(ref: ImageRef): Promise<void>;
}

/**
 * Open a snapshot and check everything a restore will need: structure and checksums,
 * section versions (with migrations), the machine config, every hart and device section
 * against this release's schemas, RAM and disk chunk checksums, and the base images.
 * Throws a SnapshotError naming the first problem; touches no machine.
 */
export async function planRestore(
  input: SnapshotInput,
  registryForConfig: (config: MachineConfig) => SectionRegistry,
  images: BaseImageCheck,
  opts: {
    /**
     * Called with the (valid) machine config as soon as it is read, before the rest is checked:
     * the caller can start work that only needs the config (hart threads) in the meantime.
     */
    onConfig?(config: MachineConfig): void;
  } = {},
): Promise<RestorePlan> {
  const snapshot = await openSnapshot(input);
  const probe = defaultRegistry();
  const config = await probe.readJson<MachineConfig>(snapshot, MACHINE_SECTION);
  try {
    validateConfig(config);
  } catch (err) {
    throw new SnapshotError('bad-section', `section 'machine': ${(err as Error).message}`);
  }
  opts.onConfig?.(config);
  const registry = registryForConfig(config);
  const { notes } = registry.check(snapshot);
  const missing = registry.missing(snapshot);
  if (missing.length) throw new SnapshotError('missing-section', `the snapshot lacks required section(s): ${missing.join(', ')}`);

  const harts: FieldValues[] = [];
  for (let h = 0; h < config.harts; h++) {
    if (!snapshot.has(hartSection(h))) throw new SnapshotError('missing-section', `the snapshot lacks section '${hartSection(h)}' for its ${config.harts} harts`);
    harts.push((await registry.readFields(snapshot, hartSection(h))).values);
  }
  const devices = new Map<string, FieldValues>();
  for (const s of snapshot.sections) {
    if (!s.name.startsWith('device/')) continue;
    if (!registry.lookup(s.name)) continue; // an optional unknown device: check() has noted it
    devices.set(s.name.slice('device/'.length), (await registry.readFields(snapshot, s.name)).values);
  }
  const clock = (await registry.readFields(snapshot, CLOCK_SECTION)).values;
  const control = (await registry.readFields(snapshot, CONTROL_SECTION)).values;
  const meta = snapshot.has(META_SECTION) ? await registry.readJson<SnapshotMeta>(snapshot, META_SECTION) : {};
  const screen = snapshot.has(SCREEN_SECTION) ? await registry.readJson<ConsoleScreen>(snapshot, SCREEN_SECTION) : undefined;

  const ram = await validateRam(snapshot.payloadSource(RAM_SECTION));
  if (ram.header.totalBytes !== config.memoryMiB * 1024 * 1024) {
    throw new SnapshotError('bad-section', `section 'ram' holds ${ram.header.totalBytes} bytes, the machine has ${config.memoryMiB} MiB`);
  }
  if (config.disk) {
    if (!snapshot.has(diskSection(0))) throw new SnapshotError('missing-section', `the machine has a disk but the snapshot lacks '${diskSection(0)}'`);
    const disk = await validateDisk(snapshot.payloadSource(diskSection(0)));
    const base = disk.header.base;
    if (disk.header.kind === 'disk-delta' && (!base || base.sha256 !== config.disk.sha256)) {
      throw new SnapshotError('bad-section', `section '${diskSection(0)}' applies to base image ${base?.sha256.slice(0, 12)}…, the machine's disk is ${config.disk.sha256.slice(0, 12)}…`);
    }
    if (disk.header.kind === 'disk-delta') await images.has(config.disk);
  }
  return { config, harts, devices, clock, control, snapshot, meta, screen, notes };
}

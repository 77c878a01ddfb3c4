/**
 * Device state: declared once as a named, typed, versioned schema, stored in a fixed
 * slot of the shared memory, guarded by a lock word at the start of the slot.
 *
 * The schema is what snapshots write (field names, types and values), what reset
 * clears, and what migrations upgrade. Device models keep no other state: any
 * thread may run a device function, under the device's lock.
 */
import { DEVICE_SLOT_SIZE, deviceSlotBase } from '../machine/layout.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';

export type FieldType = 'u8' | 'u16' | 'u32' | 'u64';
export interface FieldDecl {
  type: FieldType;
  /** Array length; 1 when omitted. */
  count?: number;
}
export type FieldDecls = Record<string, FieldDecl>;

/** Field values as snapshots carry them: every element as a bigint. */
export type FieldValues = Record<string, bigint[]>;

export interface StateSchema<F extends FieldDecls = FieldDecls> {
  /** Section type name, e.g. 'ns16550a'. */
  readonly name: string;
  /** Bumped whenever a field is added, removed or changes meaning. */
  readonly version: number;
  readonly fields: F;
  /**
   * migrations[v] upgrades the named values of version v to version v + 1
   * (e.g. supplies a default for a new field).
   */
  readonly migrations?: Readonly<Record<number, (values: FieldValues) => FieldValues>>;
}

const WIDTH: Record<FieldType, number> = { u8: 1, u16: 2, u32: 4, u64: 8 };
/** The lock word takes the first 8 bytes of every slot. */
const FIELDS_START = 8;

export interface FieldPlacement {
  name: string;
  type: FieldType;
  count: number;
  offset: number;
}

export function defineSchema<F extends FieldDecls>(schema: StateSchema<F>): StateSchema<F> {
  placeFields(schema); // fail early if it does not fit
  return schema;
}

/** Offsets of a schema's fields inside its slot: declaration order, naturally aligned. */
export function placeFields(schema: StateSchema): FieldPlacement[] {
  const out: FieldPlacement[] = [];
  let offset = FIELDS_START;
  for (const [name, decl] of Object.entries(schema.fields)) {
    const width = WIDTH[decl.type];
    const count = decl.count ?? 1;
    offset = Math.ceil(offset / width) * width;
    out.push({ name, type: decl.type, count, offset });
    offset += width * count;
  }
  if (offset > DEVICE_SLOT_SIZE) {
    throw new Error(`device state '${schema.name}' needs ${offset} bytes, a slot has ${DEVICE_SLOT_SIZE}`);
  }
  return out;
}

/** Upgrade values saved under `fromVersion` to the schema's current version. */
export function migrateValues(schema: StateSchema, fromVersion: number, values: FieldValues): FieldValues {
  if (fromVersion > schema.version) {
    throw new Error(`${schema.name} state version ${fromVersion} is newer than this release supports (${schema.version})`);
  }
  let v = values;
  for (let from = fromVersion; from < schema.version; from++) {
    const step = schema.migrations?.[from];
    if (!step) throw new Error(`no migration for ${schema.name} state from version ${from} to ${from + 1}`);
    v = step(v);
  }
  return v;
}

const LOCK_FREE = 0;
const LOCK_HELD = 1;
const LOCK_CONTENDED = 2;

/** A device's state block: typed field access by name, and its lock. */
export class DeviceState<F extends FieldDecls = FieldDecls> {
  readonly base: number;
  private readonly offsets: Record<string, FieldPlacement>;
  private readonly lockIndex: number;

  constructor(
    readonly mem: SharedMachineMemory,
    readonly slot: number,
    readonly schema: StateSchema<F>,
  ) {
    this.base = deviceSlotBase(slot);
    this.offsets = Object.fromEntries(placeFields(schema).map((p) => [p.name, p]));
    this.lockIndex = this.base >> 2;
  }

  /** Byte offset in the shared memory of `field[index]`. */
  addr(field: keyof F & string, index = 0): number {
    const p = this.offsets[field];
    return this.base + p.offset + index * WIDTH[p.type];
  }

  get(field: keyof F & string, index = 0): number {
    const p = this.offsets[field];
    const a = this.base + p.offset + index * WIDTH[p.type];
    switch (p.type) {
      case 'u8': return this.mem.u8[a];
      case 'u16': return this.mem.view.getUint16(a, true);
      case 'u32': return this.mem.u32[a >> 2];
      case 'u64': return Number(this.mem.u64[a >> 3]);
    }
  }

  set(field: keyof F & string, value: number, index = 0): void {
    const p = this.offsets[field];
    const a = this.base + p.offset + index * WIDTH[p.type];
    switch (p.type) {
      case 'u8': this.mem.u8[a] = value; break;
      case 'u16': this.mem.view.setUint16(a, value, true); break;
      case 'u32': this.mem.u32[a >> 2] = value >>> 0; break;
      case 'u64': this.mem.u64[a >> 3] = BigInt(value); break;
    }
  }

  get64(field: keyof F & string, index = 0): bigint {
    return this.mem.u64[this.addr(field, index) >> 3];
  }

  set64(field: keyof F & string, value: bigint, index = 0): void {
    this.mem.u64[this.addr(field, index) >> 3] = BigInt.asUintN(64, value);
  }

  /** Run `fn` holding this device's lock (a futex-style mutex in shared memory). */
  locked<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  lock(): void {
    const i32 = this.mem.i32;
    let c = Atomics.compareExchange(i32, this.lockIndex, LOCK_FREE, LOCK_HELD);
    if (c === LOCK_FREE) return;
    do {
      if (c === LOCK_CONTENDED || Atomics.compareExchange(i32, this.lockIndex, LOCK_HELD, LOCK_CONTENDED) !== LOCK_FREE) {
        Atomics.wait(i32, this.lockIndex, LOCK_CONTENDED, 100);
      }
      c = Atomics.compareExchange(i32, this.lockIndex, LOCK_FREE, LOCK_CONTENDED);
    } while (c !== LOCK_FREE);
  }

  unlock(): void {
    if (Atomics.sub(this.mem.i32, this.lockIndex, 1) !== LOCK_HELD) {
      Atomics.store(this.mem.i32, this.lockIndex, LOCK_FREE);
      Atomics.notify(this.mem.i32, this.lockIndex, 1);
    }
  }

  /** Zero every field (the lock word is left alone). */
  clear(): void {
    this.mem.u8.fill(0, this.base + FIELDS_START, this.base + DEVICE_SLOT_SIZE);
  }

  /** All fields by name, for snapshots and debug dumps. */
  save(): FieldValues {
    const out: FieldValues = {};
    for (const p of Object.values(this.offsets)) {
      const values: bigint[] = [];
      for (let i = 0; i < p.count; i++) {
        values.push(p.type === 'u64' ? this.get64(p.name, i) : BigInt(this.get(p.name, i)));
      }
      out[p.name] = values;
    }
    return out;
  }

  /**
   * Load named values of the current schema version (migrate first). Every field must be
   * present with the declared length: a snapshot that disagrees is refused, not half-loaded.
   */
  load(values: FieldValues): void {
    for (const p of Object.values(this.offsets)) {
      const v = values[p.name];
      if (!v) throw new Error(`${this.schema.name}: field '${p.name}' missing`);
      if (v.length !== p.count) throw new Error(`${this.schema.name}: field '${p.name}' has ${v.length} elements, expected ${p.count}`);
    }
    this.clear();
    for (const p of Object.values(this.offsets)) {
      values[p.name].forEach((x, i) => {
        if (p.type === 'u64') this.set64(p.name, x, i);
        else this.set(p.name, Number(BigInt.asUintN(WIDTH[p.type] * 8, x)), i);
      });
    }
  }
}

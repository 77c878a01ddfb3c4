/**
 * What this release knows about each section: its encoding, whether it is required, its
 * current version and how older versions are upgraded. Data-driven: the engine registers
 * each device instance with its StateSchema (whose `version` and `migrations` are the
 * section's), so adding a device field is a schema change, never a change here.
 *
 * Reading a snapshot with a registry:
 *   const notes = registry.check(snap);                 // refuses unknown required sections
 *   const config = await registry.readJson<MachineConfig>(snap, 'machine');
 *   const uart = await registry.readFields(snap, 'device/uart0');   // migrated, checked
 */
import type { FieldDecls, FieldType, FieldValues, StateSchema } from '../devices/state.ts';
import { migrateValues } from '../devices/state.ts';
import type { MachineConfig } from '../machine/config.ts';
import { HART_STATE_FIELDS } from '../machine/layout.ts';
import type { KnownEncoding, SectionInfo, SectionMeta, Snapshot } from './container.ts';
import { decodeFields, decodeJson, encodeFields, encodeJson } from './encodings.ts';
import { SnapshotError } from './errors.ts';

export interface SectionKind {
  /** A section name ('machine'), or a family ending in '/*' ('hart/*': hart/0, hart/1, …). */
  name: string;
  encoding: KnownEncoding;
  required: boolean;
  /** The version this release writes. */
  version: number;
  /**
   * json and fields sections: migrations[v] turns a decoded payload of version v into one of
   * version v + 1. Other encodings (ram, disk, raw) are read by decoders that understand
   * every version up to `version` themselves.
   */
  migrations?: Readonly<Record<number, (payload: unknown) => unknown>>;
  /** fields sections: the schema the payload must match after migration (names, types, counts). */
  schema?: StateSchema;
  /** One line for `inspect` and the docs. */
  description?: string;
}

export interface CheckResult {
  /** One line per skipped section, for logs and the UI ("skipped optional section 'x' …"). */
  notes: string[];
  /** Optional sections this release does not know (or only in an older version) and skips. */
  skipped: SectionInfo[];
}

export class SectionRegistry {
  private readonly exact = new Map<string, SectionKind>();
  private readonly families = new Map<string, SectionKind>();

  /** Add a kind; `replace` lets the engine swap a default (e.g. a real 'clock' schema). */
  register(kind: SectionKind, opts: { replace?: boolean } = {}): this {
    const family = kind.name.endsWith('/*');
    const map = family ? this.families : this.exact;
    const key = family ? kind.name.slice(0, -1) : kind.name;
    if (map.has(key) && !opts.replace) throw new Error(`section kind '${kind.name}' is already registered`);
    if (!Number.isInteger(kind.version) || kind.version < 1) throw new Error(`section kind '${kind.name}': version must be ≥ 1`);
    map.set(key, kind);
    return this;
  }

  /**
   * Register a fields section whose layout is a StateSchema: the schema's version is the
   * section version and its migrations are the section migrations (nothing is duplicated).
   */
  registerSchema(name: string, schema: StateSchema, opts: { required?: boolean; replace?: boolean; description?: string } = {}): this {
    return this.register(
      {
        name,
        encoding: 'fields',
        required: opts.required ?? true,
        version: schema.version,
        schema,
        description: opts.description ?? `${schema.name} state`,
      },
      opts,
    );
  }

  /** `device/<instance>` for a device instance (Device.name) with its state schema. */
  registerDevice(instance: string, schema: StateSchema, opts: { replace?: boolean } = {}): this {
    return this.registerSchema(`device/${instance}`, schema, { ...opts, description: `device ${instance} (${schema.name})` });
  }

  /** The kind for a section name: an exact entry first, then its family ('hart/3' → 'hart/*'). */
  lookup(name: string): SectionKind | undefined {
    const hit = this.exact.get(name);
    if (hit) return hit;
    const slash = name.lastIndexOf('/');
    return slash > 0 ? this.families.get(name.slice(0, slash + 1)) : undefined;
  }

  kinds(): SectionKind[] {
    return [...this.exact.values(), ...this.families.values()];
  }

  /** The meta to write a section under, with this release's version, flags and encoding. */
  meta(name: string): SectionMeta {
    const k = this.lookup(name);
    if (!k) throw new SnapshotError('invalid-argument', `section '${name}' is not a registered kind`);
    return { name, version: k.version, required: k.required, encoding: k.encoding };
  }

  /**
   * Decide, before anything is restored, whether this release can read every section:
   * unknown required sections, required sections newer than this release, encodings that
   * disagree with the kind, and versions with no migration path are refused; unknown or
   * newer optional sections are skipped with a note.
   */
  check(snapshot: Snapshot): CheckResult {
    const notes: string[] = [];
    const skipped: SectionInfo[] = [];
    for (const s of snapshot.sections) {
      const k = this.lookup(s.name);
      const problem = !k ? 'not known to this release' : this.versionProblem(k, s);
      if (!problem) continue;
      // The file's own flag decides: its writer knew whether older readers may skip it.
      if (s.required) {
        throw new SnapshotError(k ? 'section-version' : 'unknown-required-section', `section '${s.name}' (required) is ${problem}`);
      }
      skipped.push(s);
      notes.push(`skipped optional section '${s.name}' (v${s.version}, ${s.encoding}, ${s.length} bytes): ${problem}`);
    }
    return { notes, skipped };
  }

  /**
   * Required kinds registered by exact name ('machine', 'ram', 'clock', each 'device/<x>')
   * that the snapshot lacks. Families ('hart/*', 'disk/*') depend on the config: the engine
   * checks those against it.
   */
  missing(snapshot: Snapshot): string[] {
    return [...this.exact.values()].filter((k) => k.required && !snapshot.has(k.name)).map((k) => k.name);
  }

  private versionProblem(k: SectionKind, s: SectionInfo): string | undefined {
    if (s.encoding !== k.encoding) return `encoded as '${s.encoding}', this release expects '${k.encoding}'`;
    if (s.version > k.version) return `version ${s.version}; this release reads up to version ${k.version}`;
    if (k.encoding === 'json' || k.encoding === 'fields') {
      for (let v = s.version; v < k.version; v++) {
        if (!this.migration(k, v)) return `version ${s.version}, with no migration from version ${v} to ${v + 1}`;
      }
    }
    return undefined;
  }

  private migration(k: SectionKind, from: number): ((p: unknown) => unknown) | undefined {
    if (k.schema) {
      const step = k.schema.migrations?.[from];
      return step as ((p: unknown) => unknown) | undefined;
    }
    return k.migrations?.[from];
  }

  private kindFor(snapshot: Snapshot, name: string, encoding: KnownEncoding): { kind: SectionKind; info: SectionInfo } {
    const info = snapshot.section(name);
    const kind = this.lookup(name);
    if (!kind) {
      throw new SnapshotError(info.required ? 'unknown-required-section' : 'missing-section', `section '${name}' is not known to this release`);
    }
    if (kind.encoding !== encoding || info.encoding !== encoding) {
      throw new SnapshotError('unsupported-encoding', `section '${name}' is encoded as '${info.encoding}', expected '${encoding}'`);
    }
    const problem = this.versionProblem(kind, info);
    if (problem) throw new SnapshotError('section-version', `section '${name}' is ${problem}`);
    return { kind, info };
  }

  /** Read, verify, parse and migrate a json section to this release's version. */
  async readJson<T = unknown>(snapshot: Snapshot, name: string): Promise<T> {
    const { kind, info } = this.kindFor(snapshot, name, 'json');
    let value = decodeJson(await snapshot.readSection(name), `section '${name}'`);
    for (let v = info.version; v < kind.version; v++) value = this.migration(kind, v)!(value);
    return value as T;
  }

  /**
   * Read, verify, decode and migrate a fields section. With a schema, the result must have
   * exactly the schema's fields, counts and value ranges (as DeviceState.load expects).
   */
  async readFields(snapshot: Snapshot, name: string): Promise<{ typeName: string; values: FieldValues; version: number }> {
    const { kind, info } = this.kindFor(snapshot, name, 'fields');
    const decoded = decodeFields(await snapshot.readSection(name), `section '${name}'`);
    let values = decoded.values;
    if (kind.schema) {
      if (decoded.typeName !== kind.schema.name) {
        throw new SnapshotError('bad-section', `section '${name}' holds '${decoded.typeName}' state, this machine's ${name} is '${kind.schema.name}'`);
      }
      try {
        values = migrateValues(kind.schema, info.version, values);
      } catch (e) {
        throw new SnapshotError('section-version', `section '${name}': ${(e as Error).message}`, { cause: e });
      }
      checkAgainstSchema(name, kind.schema, values);
    } else {
      for (let v = info.version; v < kind.version; v++) values = this.migration(kind, v)!(values) as FieldValues;
    }
    return { typeName: decoded.typeName, values, version: kind.version };
  }

  /** Encode a json section for the writer: [meta, payload] with this release's version. */
  json(name: string, value: unknown): [SectionMeta, Uint8Array] {
    const meta = this.meta(name);
    if (meta.encoding !== 'json') throw new SnapshotError('invalid-argument', `section '${name}' is not a json section`);
    return [meta, encodeJson(value)];
  }

  /** Encode a fields section for the writer, typed by the kind's schema. */
  fields(name: string, values: FieldValues): [SectionMeta, Uint8Array] {
    const meta = this.meta(name);
    const kind = this.lookup(name)!;
    if (meta.encoding !== 'fields') throw new SnapshotError('invalid-argument', `section '${name}' is not a fields section`);
    if (kind.schema) checkAgainstSchema(name, kind.schema, values);
    return [meta, encodeFields(kind.schema?.name ?? name.split('/')[0], values, { schema: kind.schema })];
  }
}

const BITS: Record<FieldType, number> = { u8: 8, u16: 16, u32: 32, u64: 64 };

function checkAgainstSchema(name: string, schema: StateSchema, values: FieldValues): void {
  for (const [field, decl] of Object.entries(schema.fields)) {
    const v = values[field];
    const count = decl.count ?? 1;
    if (!v) {
      throw new SnapshotError(
        'bad-section',
        `section '${name}': field '${field}' is missing (schema ${schema.name} v${schema.version}; a field added to a schema needs a version bump and a migration that supplies it)`,
      );
    }
    if (v.length !== count) throw new SnapshotError('bad-section', `section '${name}': field '${field}' has ${v.length} elements, the schema has ${count}`);
    for (const x of v) {
      if (x < 0n || BigInt.asUintN(BITS[decl.type], x) !== x) {
        throw new SnapshotError('bad-section', `section '${name}': field '${field}' value ${x} does not fit ${decl.type}`);
      }
    }
  }
  const extra = Object.keys(values).filter((f) => !Object.hasOwn(schema.fields, f));
  if (extra.length) {
    throw new SnapshotError('bad-section', `section '${name}': fields ${extra.map((f) => `'${f}'`).join(', ')} are not in schema ${schema.name} v${schema.version} (a migration should have removed them)`);
  }
}

/** A hart's architectural state as a schema (layout.ts HART_STATE_FIELDS: every field u64). */
export const hartStateSchema: StateSchema = {
  name: 'hart',
  version: 1,
  fields: Object.fromEntries(HART_STATE_FIELDS.map((f) => [f.name, { type: 'u64', count: f.count ?? 1 }])) as FieldDecls,
};

/** Sections every machine snapshot can have. Devices are added by the engine (registerDevice). */
export const MACHINE_SECTION = 'machine';
export const RAM_SECTION = 'ram';
export const CLOCK_SECTION = 'clock';
export const SCREEN_SECTION = 'console/screen';
export const META_SECTION = 'meta';
export const hartSection = (hart: number): string => `hart/${hart}`;
export const diskSection = (disk: number): string => `disk/${disk}`;
export const deviceSection = (instance: string): string => `device/${instance}`;

/** The optional 'meta' section. Unknown keys are kept by readers that do not know them. */
export interface SnapshotMeta {
  name?: string;
  /** ISO 8601. */
  createdAt?: string;
  appVersion?: string;
  /** A small image as a data: URL. */
  thumbnail?: string;
  [key: string]: unknown;
}

/** The optional 'console/screen' section: the terminal's serialized screen for the page. */
export interface ConsoleScreen {
  /** @xterm/addon-serialize output (or plain text). */
  text: string;
  cols?: number;
  rows?: number;
}

/**
 * A registry with this release's built-in kinds. `clock` is a free-form fields section
 * until the engine registers its schema with `registerSchema('clock', schema, { replace: true })`.
 */
export function defaultRegistry(): SectionRegistry {
  return new SectionRegistry()
    .register({ name: MACHINE_SECTION, encoding: 'json', required: true, version: 1, description: 'MachineConfig (config.ts), JSON' })
    .registerSchema('hart/*', hartStateSchema, { description: 'hart architectural state (HART_STATE_FIELDS)' })
    .register({ name: RAM_SECTION, encoding: 'ram', required: true, version: 1, description: 'guest RAM, zero pages skipped, zstd chunks' })
    .register({ name: 'disk/*', encoding: 'disk', required: true, version: 1, description: 'virtio-blk disk: written blocks over a base image, or the whole disk' })
    .register({ name: CLOCK_SECTION, encoding: 'fields', required: true, version: 1, description: 'machine timer state' })
    .register({ name: SCREEN_SECTION, encoding: 'json', required: false, version: 1, description: 'terminal screen text for the page' })
    .register({ name: META_SECTION, encoding: 'json', required: false, version: 1, description: 'name, date, app version, thumbnail' });
}

/** The config type the 'machine' section holds (re-exported for readers of this module). */
export type { MachineConfig };

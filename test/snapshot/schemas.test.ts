/**
 * Golden device-state schemas (as QEMU checks `-dump-vmstate` against old releases): every
 * released version of every state schema is recorded in schemas.golden.json.
 *
 * - A schema whose fields differ from the recorded fields of its own version fails: fields
 *   changed without a version bump, so older snapshots would be misread.
 * - Every recorded older version must migrate to the current schema (StateSchema.migrations).
 * - A schema or version not yet recorded passes with a note; record it with
 *     UPDATE_SCHEMA_GOLDEN=1 npx vitest run test/snapshot/schemas.test.ts
 *   (recorded versions are never rewritten).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrateValues, type FieldDecls, type FieldValues, type StateSchema } from '../../src/devices/state.ts';
import { SectionRegistry, hartStateSchema } from '../../src/snapshot/index.ts';

type GoldenFields = Record<string, [type: string, count: number]>;
type Golden = Record<string, Record<string, GoldenFields>>;

const GOLDEN = fileURLToPath(new URL('./schemas.golden.json', import.meta.url));
const update = !!process.env.UPDATE_SCHEMA_GOLDEN;

function isSchema(v: unknown): v is StateSchema {
  const s = v as StateSchema;
  return !!s && typeof s === 'object' && typeof s.name === 'string' && Number.isInteger(s.version) && typeof s.fields === 'object' && s.fields !== null;
}

/** Every StateSchema exported by src/devices, plus the hart state. */
function allSchemas(): StateSchema[] {
  const modules = import.meta.glob('../../src/devices/*.ts', { eager: true }) as Record<string, Record<string, unknown>>;
  const byName = new Map<string, StateSchema>([[hartStateSchema.name, hartStateSchema]]);
  for (const mod of Object.values(modules)) {
    for (const v of Object.values(mod)) {
      if (!isSchema(v)) continue;
      const seen = byName.get(v.name);
      if (seen && seen !== v) throw new Error(`two different state schemas are named '${v.name}'`);
      byName.set(v.name, v);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const shape = (fields: FieldDecls): GoldenFields =>
  Object.fromEntries(Object.entries(fields).map(([n, d]) => [n, [d.type, d.count ?? 1]]));

/** One line per field, so that a diff of the golden file reads like a schema diff. */
function formatGolden(golden: Golden): string {
  const names = Object.keys(golden).sort();
  const body = names.map((name) => {
    const versions = Object.keys(golden[name]).sort((a, b) => Number(a) - Number(b));
    const vs = versions.map((v) => {
      const fields = Object.entries(golden[name][v]).map(([f, t]) => `      ${JSON.stringify(f)}: ${JSON.stringify(t)}`);
      return `    ${JSON.stringify(v)}: {${fields.length ? `\n${fields.join(',\n')}\n    ` : ''}}`;
    });
    return `  ${JSON.stringify(name)}: {\n${vs.join(',\n')}\n  }`;
  });
  return `{\n${body.join(',\n')}\n}\n`;
}

describe('state schema compatibility', () => {
  const golden: Golden = JSON.parse(readFileSync(GOLDEN, 'utf8'));
  const schemas = allSchemas();
  const notes: string[] = [];

  it('finds the device schemas', () => {
    expect(schemas.map((s) => s.name)).toEqual(expect.arrayContaining(['hart', 'ns16550a', 'clint', 'plic']));
  });

  it.each(schemas.map((s) => [s.name, s] as const))('%s: recorded versions unchanged, older versions migrate', (name, schema) => {
    const versions = golden[name] ?? {};
    const recorded = versions[String(schema.version)];
    if (recorded) {
      expect(shape(schema.fields), `schema '${name}' v${schema.version} has fields other than those recorded for v${schema.version}: bump its version and add a migration (docs/snapshot-format.md §6)`).toEqual(recorded);
    } else if (update) {
      golden[name] = { ...versions, [schema.version]: shape(schema.fields) };
    } else {
      notes.push(`schema '${name}' v${schema.version} is not recorded in schemas.golden.json yet`);
    }
    const registry = new SectionRegistry().registerSchema(`x/${name}`, schema);
    for (const [v, fields] of Object.entries(versions)) {
      if (Number(v) >= schema.version) continue;
      const old: FieldValues = Object.fromEntries(Object.entries(fields).map(([f, [, count]]) => [f, Array.from({ length: count }, () => 1n)]));
      const migrated = migrateValues(schema, Number(v), old);
      // registry.fields checks the migrated values against the current schema exactly.
      expect(() => registry.fields(`x/${name}`, migrated), `'${name}' v${v} → v${schema.version}`).not.toThrow();
    }
  });

  it('records new schemas and versions when asked', () => {
    if (update) writeFileSync(GOLDEN, formatGolden(golden));
    for (const n of notes) console.warn(n);
  });
});

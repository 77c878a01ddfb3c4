import { describe, expect, it } from 'vitest';
import type { FieldDecls, FieldValues, StateSchema } from '../../src/devices/state.ts';
import { ns16550aSchema } from '../../src/devices/ns16550a.ts';
import { HART_STATE_FIELDS } from '../../src/machine/layout.ts';
import {
  collectBytes,
  defaultRegistry,
  encodeFields,
  hartSection,
  openSnapshot,
  SectionRegistry,
  SnapshotWriter,
  type SectionMeta,
} from '../../src/snapshot/index.ts';
import { codeOf } from './helpers.ts';

/** A device schema at version 1, and the same device after two releases changed it. */
const fakeV1: StateSchema = { name: 'fake-uart', version: 1, fields: { ier: { type: 'u8' }, lsr: { type: 'u8' }, fifo: { type: 'u8', count: 4 } } };
const fakeV2: StateSchema = {
  name: 'fake-uart',
  version: 2,
  fields: { ier: { type: 'u8' }, lsr: { type: 'u8' }, fifo: { type: 'u8', count: 4 }, fcr: { type: 'u8' } },
  migrations: { 1: (v) => ({ ...v, fcr: [0xc1n] }) },
};
const fakeV3: StateSchema = {
  name: 'fake-uart',
  version: 3,
  fields: { ier: { type: 'u8' }, fifo: { type: 'u8', count: 4 }, fcr: { type: 'u8' }, rxCount: { type: 'u16' } },
  migrations: {
    ...fakeV2.migrations,
    // lsr is now derived: drop it; rxCount is new.
    2: ({ lsr: _lsr, ...rest }) => ({ ...rest, rxCount: [0n] }),
  },
};

async function fileWith(sections: Array<[SectionMeta, Uint8Array]>): Promise<Uint8Array> {
  const w = new SnapshotWriter();
  for (const [meta, payload] of sections) w.addSection(meta, payload);
  return collectBytes(w.finish());
}

const uartValues: FieldValues = { ier: [5n], lsr: [0x60n], fifo: [1n, 2n, 3n, 4n] };

describe('section registry', () => {
  it('migrates a device section from version 1 to 2 and 3 with the schema’s own migrations', async () => {
    const old = defaultRegistry().registerDevice('uart0', fakeV1);
    const file = await fileWith([old.fields('device/uart0', uartValues)]);
    const snap = await openSnapshot(file);
    expect(snap.section('device/uart0')).toMatchObject({ version: 1, required: true, encoding: 'fields' });

    const v2 = defaultRegistry().registerDevice('uart0', fakeV2);
    expect(v2.check(snap).notes).toEqual([]);
    expect(await v2.readFields(snap, 'device/uart0')).toEqual({
      typeName: 'fake-uart',
      version: 2,
      values: { ...uartValues, fcr: [0xc1n] },
    });
    const v3 = defaultRegistry().registerDevice('uart0', fakeV3);
    expect((await v3.readFields(snap, 'device/uart0')).values).toEqual({ ier: [5n], fifo: [1n, 2n, 3n, 4n], fcr: [0xc1n], rxCount: [0n] });
  });

  it('refuses a section newer than this release, or one with no migration path', async () => {
    const file = await fileWith([defaultRegistry().registerDevice('uart0', fakeV2).fields('device/uart0', { ...uartValues, fcr: [1n] })]);
    const snap = await openSnapshot(file);
    const older = defaultRegistry().registerDevice('uart0', fakeV1);
    expect(() => older.check(snap)).toThrow("section 'device/uart0' (required) is version 2; this release reads up to version 1");
    expect(await codeOf(() => older.check(snap))).toBe('section-version');
    expect(await codeOf(older.readFields(snap, 'device/uart0'))).toBe('section-version');

    const v1file = await openSnapshot(await fileWith([defaultRegistry().registerDevice('uart0', fakeV1).fields('device/uart0', uartValues)]));
    const gap = defaultRegistry().registerDevice('uart0', { ...fakeV3, migrations: { 2: fakeV3.migrations![2] } });
    expect(() => gap.check(v1file)).toThrow("section 'device/uart0' (required) is version 1, with no migration from version 1 to 2");
  });

  it('refuses unknown required sections and skips unknown optional ones with a note', async () => {
    const reg = defaultRegistry();
    const file = await fileWith([
      reg.json('machine', { version: 1 }),
      [{ name: 'device/foo', version: 1, required: true, encoding: 'fields' }, encodeFields('foo', {})],
      [{ name: 'gpu/framebuffer', version: 4, required: false, encoding: 'raw' }, new Uint8Array(10)],
    ]);
    const snap = await openSnapshot(file);
    expect(reg.missing(snap)).toEqual(['ram', 'clock']);
    expect(() => reg.check(snap)).toThrow("section 'device/foo' (required) is not known to this release");
    expect(await codeOf(() => reg.check(snap))).toBe('unknown-required-section');

    const file2 = await fileWith([
      reg.json('machine', { version: 1 }),
      [{ name: 'gpu/framebuffer', version: 4, required: false, encoding: 'raw' }, new Uint8Array(10)],
      [{ name: 'meta', version: 9, required: false, encoding: 'json' }, new TextEncoder().encode('{}')],
    ]);
    const result = reg.check(await openSnapshot(file2));
    expect(result.notes).toEqual([
      "skipped optional section 'gpu/framebuffer' (v4, raw, 10 bytes): not known to this release",
      "skipped optional section 'meta' (v9, json, 2 bytes): version 9; this release reads up to version 1",
    ]);
    expect(result.skipped.map((s) => s.name)).toEqual(['gpu/framebuffer', 'meta']);
  });

  it('migrates json sections and refuses mismatched encodings', async () => {
    const reg = defaultRegistry();
    const snap = await openSnapshot(await fileWith([reg.json('meta', { title: 'before', date: 'x' })]));
    const later = defaultRegistry().register(
      { name: 'meta', encoding: 'json', required: false, version: 2, migrations: { 1: (m) => { const { title, ...rest } = m as { title: string }; return { ...rest, name: title }; } } },
      { replace: true },
    );
    expect(await later.readJson(snap, 'meta')).toEqual({ name: 'before', date: 'x' });

    const wrong = await openSnapshot(await fileWith([[{ name: 'machine', version: 1, required: true, encoding: 'raw' }, new Uint8Array(2)]]));
    expect(() => reg.check(wrong)).toThrow("section 'machine' (required) is encoded as 'raw', this release expects 'json'");
    expect(await codeOf(reg.readJson(wrong, 'machine'))).toBe('unsupported-encoding');
  });

  it('checks fields against the schema: type name, missing and extra fields, value ranges', async () => {
    const reg = defaultRegistry().registerDevice('uart0', fakeV1);
    const write = (type: string, values: FieldValues) =>
      fileWith([[{ name: 'device/uart0', version: 1, required: true, encoding: 'fields' }, encodeFields(type, values)]]).then(openSnapshot);
    await expect(reg.readFields(await write('ns16550a', uartValues), 'device/uart0')).rejects.toThrow(
      "section 'device/uart0' holds 'ns16550a' state, this machine's device/uart0 is 'fake-uart'",
    );
    await expect(reg.readFields(await write('fake-uart', { ier: [1n], fifo: [0n, 0n, 0n, 0n] }), 'device/uart0')).rejects.toThrow(
      "field 'lsr' is missing",
    );
    await expect(reg.readFields(await write('fake-uart', { ...uartValues, ghost: [1n] }), 'device/uart0')).rejects.toThrow(/'ghost' are not in schema/);
    await expect(reg.readFields(await write('fake-uart', { ...uartValues, fifo: [1n] }), 'device/uart0')).rejects.toThrow(/has 1 elements, the schema has 4/);
    await expect(reg.readFields(await write('fake-uart', { ...uartValues, ier: [300n] }), 'device/uart0')).rejects.toThrow(/does not fit u8/);
    expect(() => reg.fields('device/uart0', { ier: [1n] })).toThrow(/missing/);
  });

  it('round-trips hart state and a real device schema', async () => {
    const reg = defaultRegistry().registerDevice('uart0', ns16550aSchema);
    const hart: FieldValues = {};
    HART_STATE_FIELDS.forEach((f, i) => (hart[f.name] = Array.from({ length: f.count ?? 1 }, (_, j) => BigInt(i * 1000 + j) << 40n)));
    const uart: FieldValues = {};
    for (const [name, d] of Object.entries(ns16550aSchema.fields as FieldDecls)) uart[name] = Array.from({ length: d.count ?? 1 }, (_, j) => BigInt(j & 0xff));
    const snap = await openSnapshot(await fileWith([reg.fields(hartSection(0), hart), reg.fields(hartSection(1), hart), reg.fields('device/uart0', uart)]));
    expect(reg.check(snap).notes).toEqual([]);
    expect((await reg.readFields(snap, 'hart/1')).values).toEqual(hart);
    expect(await reg.readFields(snap, 'device/uart0')).toMatchObject({ typeName: 'ns16550a', values: uart });
  });

  it('is data-driven: kinds by exact name or family, duplicates refused unless replaced', () => {
    const reg = new SectionRegistry().register({ name: 'disk/*', encoding: 'disk', required: true, version: 1 });
    expect(reg.lookup('disk/0')?.encoding).toBe('disk');
    expect(reg.lookup('disk')).toBeUndefined();
    expect(reg.meta('disk/3')).toEqual({ name: 'disk/3', version: 1, required: true, encoding: 'disk' });
    expect(() => reg.register({ name: 'disk/*', encoding: 'disk', required: true, version: 2 })).toThrow(/already registered/);
    reg.register({ name: 'disk/*', encoding: 'disk', required: true, version: 2 }, { replace: true });
    expect(reg.meta('disk/0').version).toBe(2);
    expect(defaultRegistry().kinds().map((k) => k.name).sort()).toEqual(
      ['clock', 'console/screen', 'disk/*', 'hart/*', 'machine', 'meta', 'ram'],
    );
  });
});

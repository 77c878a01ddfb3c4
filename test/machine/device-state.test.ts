import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DeviceState, defineSchema, migrateValues, placeFields } from '../../src/devices/state.ts';
import { SharedMachineMemory } from '../../src/machine/shared-memory.ts';
import { counterSchema } from './counter-schema.ts';

const BOOTSTRAP = new URL('../../src/workers/node-bootstrap.mjs', import.meta.url);
const LOCK_WORKER = new URL('./lock-worker.ts', import.meta.url).href;

describe('device state blocks', () => {
  const schema = defineSchema({
    name: 'example',
    version: 2,
    fields: { flag: { type: 'u8' }, word: { type: 'u32' }, wide: { type: 'u64', count: 2 }, bytes: { type: 'u8', count: 3 } },
    migrations: { 1: (v) => ({ ...v, bytes: [0n, 0n, 0n] }) },
  });

  it('places fields after the lock word, naturally aligned, in declaration order', () => {
    expect(placeFields(schema).map((p) => [p.name, p.offset])).toEqual([
      ['flag', 8], ['word', 12], ['wide', 16], ['bytes', 32],
    ]);
  });

  it('saves named values and loads them back into a fresh machine', () => {
    const a = new DeviceState(SharedMachineMemory.create(16 << 20), 3, schema);
    a.set('flag', 1);
    a.set('word', 0xdeadbeef);
    a.set64('wide', 0xffff_0000_1234_5678n, 1);
    a.set('bytes', 0xab, 2);
    const saved = a.save();
    expect(saved).toEqual({ flag: [1n], word: [0xdeadbeefn], wide: [0n, 0xffff_0000_1234_5678n], bytes: [0n, 0n, 0xabn] });

    const b = new DeviceState(SharedMachineMemory.create(16 << 20), 3, schema);
    b.load(saved);
    expect(b.save()).toEqual(saved);
  });

  it('refuses values that do not match the schema, leaving the state untouched', () => {
    const s = new DeviceState(SharedMachineMemory.create(16 << 20), 3, schema);
    s.set('word', 42);
    expect(() => s.load({ flag: [0n], word: [1n], wide: [0n] , bytes: [0n, 0n, 0n] })).toThrow(/wide.*1 elements, expected 2/);
    expect(() => s.load({ flag: [0n], word: [1n], wide: [0n, 0n] })).toThrow(/'bytes' missing/);
    expect(s.get('word')).toBe(42);
  });

  it('migrates older versions step by step and refuses newer ones', () => {
    const v1 = { flag: [1n], word: [2n], wide: [3n, 4n] };
    expect(migrateValues(schema, 1, v1)).toEqual({ ...v1, bytes: [0n, 0n, 0n] });
    expect(() => migrateValues(schema, 3, v1)).toThrow(/version 3 is newer/);
  });

  it('its lock serialises updates from several threads', async () => {
    const mem = SharedMachineMemory.create(16 << 20);
    const rounds = 20_000;
    const workers = [0, 1, 2].map(() => new Worker(BOOTSTRAP, { workerData: { entry: LOCK_WORKER } }));
    await Promise.all(workers.map((w) => new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.postMessage({ memory: mem.memory, rounds });
    })));
    await Promise.all(workers.map((w) => w.terminate()));
    const state = new DeviceState(mem, 7, counterSchema);
    expect(state.get('a')).toBe(3 * rounds);
    expect(state.get64('b')).toBe(BigInt(9 * rounds));
  });
});

/** Helpers for the snapshot store tests: real snapshot files, and an IndexedDB wrapper that counts and fails. */
import 'fake-indexeddb/auto';
import { createStore, type UseStore } from 'idb-keyval';
import type { FieldValues } from '../../src/devices/state.ts';
import type { MachineConfig } from '../../src/machine/config.ts';
import { HART_STATE_FIELDS } from '../../src/machine/layout.ts';
import { registryFor, snapshotPieces, type Capture } from '../../src/snapshot/engine.ts';
import { SnapshotStore, type SnapshotStoreOptions } from '../../src/snapshot/store.ts';

let dbCounter = 0;
/** A fresh database name per store, so that tests do not see each other's data. */
export function freshDbName(tag = 'test'): string {
  return `amber-store-${tag}-${process.pid}-${++dbCounter}`;
}

export const MIB = 1 << 20;
export const PAGE = 4096;

/** xorshift32 stream. */
function* xorshift(seed: number): Generator<number> {
  let x = seed >>> 0 || 1;
  for (;;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield x >>> 0;
  }
}

/**
 * A guest-like RAM image: a mix of zero pages, text-like (compressible) pages and random
 * pages, deterministic for a seed.
 */
export function syntheticRam(mib: number, seed = 1): Uint8Array {
  const ram = new Uint8Array(mib * MIB);
  const rnd = xorshift(seed);
  const pool = textPages();
  for (let p = 0; p < ram.length / PAGE; p++) {
    const kind = rnd.next().value % 10;
    const at = p * PAGE;
    if (kind < 3) continue; // zero page
    if (kind < 8) {
      ram.set(pool[rnd.next().value % pool.length], at);
      new DataView(ram.buffer).setUint32(at, rnd.next().value); // not quite the same as its neighbours
    } else {
      const v = new Uint32Array(ram.buffer, at, PAGE / 4);
      for (let i = 0; i < v.length; i++) v[i] = rnd.next().value;
    }
  }
  return ram;
}

let pagePool: Uint8Array[] | undefined;
/** 64 pages of text-like bytes (compressible). */
function textPages(): Uint8Array[] {
  if (pagePool) return pagePool;
  const words = 'the quick brown fox jumps over the lazy dog amber riscv linux snapshot page'.split(' ');
  const rnd = xorshift(99);
  const enc = new TextEncoder();
  pagePool = [];
  for (let i = 0; i < 64; i++) {
    const page = new Uint8Array(PAGE);
    let o = 0;
    while (o < PAGE) {
      const w = enc.encode(words[rnd.next().value % words.length] + (rnd.next().value % 7 === 0 ? '\n' : ' '));
      const n = Math.min(w.length, PAGE - o);
      page.set(w.subarray(0, n), o);
      o += n;
    }
    pagePool.push(page);
  }
  return pagePool;
}

/** Change `count` pages of `ram` (a copy), spread over the image. */
export function touchPages(ram: Uint8Array, pages: number[], seed = 7): Uint8Array {
  const out = ram.slice();
  const rnd = xorshift(seed);
  for (const p of pages) {
    const v = new Uint32Array(out.buffer, p * PAGE, PAGE / 4);
    for (let i = 0; i < v.length; i++) v[i] = rnd.next().value;
  }
  return out;
}

export const testConfig = (memoryMiB: number): MachineConfig => ({
  version: 1,
  harts: 1,
  memoryMiB,
  boot: { kind: 'elf', elf: { name: 'test.elf', sha256: '0'.repeat(64), size: 4096 } },
  deterministic: false,
});

/** A Capture of a machine with no devices: what Machine.checkpoint() returns, minus the devices. */
export function makeCapture(ram: Uint8Array, name = 'test'): Capture {
  const hart: FieldValues = Object.fromEntries(HART_STATE_FIELDS.map((f) => [f.name, new Array<bigint>(f.count ?? 1).fill(0n)]));
  hart.pc = [0x8000_0000n];
  return {
    config: testConfig(ram.length / MIB),
    harts: [hart],
    devices: [],
    clock: { mtime: [123456n], idleTicks: [0n] },
    control: { tohost: [0n], fromhost: [0n], entry: [0x8000_0000n], fdt: [0n] },
    ram,
    meta: { name, createdAt: '2026-01-01T00:00:00.000Z' },
    screen: { text: `screen of ${name}` },
  };
}

export const testRegistry = () => registryFor([]);

/** The capture's file pieces (as the engine streams them). */
export function piecesOf(capture: Capture): AsyncGenerator<Uint8Array> {
  return snapshotPieces(capture, testRegistry());
}

/** Pass pieces through, keeping a copy of the whole file in `into`. */
export async function* tee(pieces: AsyncIterable<Uint8Array>, into: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for await (const p of pieces) {
    into.push(p.slice());
    yield p;
  }
}

export function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Pieces that throw after `n` pieces (an engine failure half-way). */
export async function* failingAfter(pieces: AsyncIterable<Uint8Array>, n: number, error = new Error('codec exploded')): AsyncGenerator<Uint8Array> {
  let i = 0;
  for await (const p of pieces) {
    if (i++ === n) throw error;
    yield p;
  }
}

export interface Instrumented {
  useStore: UseStore;
  base: UseStore;
  stats: { puts: number; maxValue: number; maxKey: string };
  /** Puts that succeed before each further put throws QuotaExceededError (undefined: never). */
  failPutsAfter?: number;
  /** Make deletes throw (a crash before the rollback). */
  failDeletes?: boolean;
}

function valueSize(v: unknown): number {
  if (v instanceof Blob) return v.size;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v && typeof v === 'object') {
    let n = 0;
    for (const x of Object.values(v)) n += valueSize(x);
    if (Array.isArray(v)) for (const x of v) n += typeof x === 'string' ? x.length : 0;
    return n;
  }
  return typeof v === 'string' ? v.length : 8;
}

/** An idb-keyval store that counts puts, records the largest value, and fails on demand. */
export function instrumentedStore(dbName: string): Instrumented {
  const base = createStore(dbName, 'store');
  const inst: Instrumented = {
    base,
    stats: { puts: 0, maxValue: 0, maxKey: '' },
    useStore: (mode, cb) =>
      base(mode, (store) =>
        cb(
          new Proxy(store, {
            get(target, prop) {
              if (prop === 'put') {
                return (value: unknown, key: IDBValidKey) => {
                  if (inst.failPutsAfter !== undefined && inst.stats.puts >= inst.failPutsAfter) {
                    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
                  }
                  inst.stats.puts++;
                  const size = valueSize(value);
                  if (size > inst.stats.maxValue) {
                    inst.stats.maxValue = size;
                    inst.stats.maxKey = String(key);
                  }
                  return target.put(value, key);
                };
              }
              if (prop === 'delete' && inst.failDeletes) {
                return () => {
                  throw new DOMException('the tab crashed', 'UnknownError');
                };
              }
              const x = Reflect.get(target, prop, target);
              return typeof x === 'function' ? x.bind(target) : x;
            },
          }),
        ),
      ),
  };
  return inst;
}

export function storeWith(opts: SnapshotStoreOptions & { dbName?: string } = {}): { store: SnapshotStore; inst: Instrumented } {
  const dbName = opts.dbName ?? freshDbName();
  const inst = instrumentedStore(dbName);
  const store = new SnapshotStore({ lockName: dbName, ...opts, useStore: inst.useStore });
  return { store, inst };
}

/** All chunk keys in the database (straight from IndexedDB). */
export async function chunkKeys(inst: Instrumented): Promise<string[]> {
  const { keys } = await import('idb-keyval');
  return ((await keys(inst.base)) as string[]).filter((k) => k.startsWith('c/')).sort();
}

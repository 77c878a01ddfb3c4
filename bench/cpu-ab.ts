/**
 * A/B of two hart core builds in one process (for a noisy, shared machine): the bench/cpu-loop.ts
 * loops run on both builds in alternating short slices; prints the median MIPS per CPU-second of
 * each and the ratio B/A per loop.
 *
 *   npx tsx bench/cpu-ab.ts A.wasm B.wasm [slices=15] [ms-per-slice=300]
 */
import { readFileSync } from 'node:fs';
import { CONTROL_BASE, CORE_MAX_PAGES, Ctrl, LAYOUT_MAGIC, RAM_BASE, hartBase, hartStateOffsets, memoryPagesFor } from '../src/machine/layout.ts';
import { LOOPS } from './cpu-loop-programs.ts';
import { median } from './common.ts';

const [fileA, fileB] = process.argv.slice(2, 4);
const SLICES = Number(process.argv[4] ?? 15);
const MS = Number(process.argv[5] ?? 300);
const RAM = 16 << 20;
const field = new Map(hartStateOffsets().map((f) => [f.name, f.offset]));

type Core = { run(b: number): number };
function setup(file: string, words: number[]): Core {
  const module = new WebAssembly.Module(readFileSync(file));
  const memory = new WebAssembly.Memory({ initial: memoryPagesFor(RAM), maximum: CORE_MAX_PAGES, shared: true });
  const dv = new DataView(memory.buffer);
  dv.setUint32(CONTROL_BASE + 4 * Ctrl.magic, LAYOUT_MAGIC, true);
  dv.setUint32(CONTROL_BASE + 4 * Ctrl.hartCount, 1, true);
  dv.setUint32(CONTROL_BASE + 4 * Ctrl.ramSizeLo, RAM, true);
  words.forEach((w, i) => dv.setUint32(RAM_BASE + 4 * i, w >>> 0, true));
  const core = new WebAssembly.Instance(module, {
    env: { memory, mmioLoad: () => 0n, mmioStore: () => {}, mtime: () => 0n, abort: () => { throw new Error('abort'); } },
  }).exports as unknown as { init(h: number): void; reset(pc: bigint): void; run(b: number): number };
  core.init(0);
  core.reset(0x8000_0000n);
  const x = hartBase(0) + field.get('x')!;
  dv.setBigUint64(x + 8 * 2, 0x8020_0000n, true);
  dv.setBigUint64(x + 8 * 16, 0x8030_0000n, true);
  dv.setBigUint64(x + 8 * 15, 1n, true);
  for (let i = 0; i < 20; i++) core.run(1_000_000);
  return core;
}
function slice(core: Core): number {
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < MS) { core.run(1_000_000); n += 1_000_000; }
  const cu = process.cpuUsage(c0);
  return n / ((cu.user + cu.system) / 1e6) / 1e6;
}
for (const loop of LOOPS) {
  const a = setup(fileA, loop.words), b = setup(fileB, loop.words);
  const ra: number[] = [], rb: number[] = [];
  for (let i = 0; i < SLICES; i++) {
    if (i % 2) { rb.push(slice(b)); ra.push(slice(a)); } else { ra.push(slice(a)); rb.push(slice(b)); }
  }
  const ma = median(ra), mb = median(rb);
  const ratios = ra.map((x, i) => rb[i] / x);
  const best = (xs: number[]) => Math.max(...xs);
  console.log(`${loop.name.padEnd(28)} A ${ma.toFixed(0).padStart(4)}  B ${mb.toFixed(0).padStart(4)} MIPS/cpu-s   B/A ${(mb / ma).toFixed(3)} (median of pairs ${median(ratios).toFixed(3)}; best A ${best(ra).toFixed(0)} B ${best(rb).toFixed(0)})`);
  if (process.env.AB_VERBOSE) console.log(`  A ${ra.map((x) => x.toFixed(0)).join(' ')}\n  B ${rb.map((x) => x.toFixed(0)).join(' ')}`);
}

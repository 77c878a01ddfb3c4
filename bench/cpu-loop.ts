/**
 * Hart core micro-benchmark: integer loops on one hart, in this thread, straight on the core's
 * exports (no machine, no devices). Prints MIPS against wall time and against this process's CPU
 * time (the second is the steadier number on a loaded machine).
 *
 *   npm run build:wasm && npx tsx bench/cpu-loop.ts [seconds-per-loop]
 *   HART_WASM=/tmp/other.wasm npx tsx bench/cpu-loop.ts 1
 */
import { readFileSync } from 'node:fs';
import { CONTROL_BASE, CORE_MAX_PAGES, Ctrl, LAYOUT_MAGIC, RAM_BASE, hartBase, hartStateOffsets, memoryPagesFor } from '../src/machine/layout.ts';

const SECONDS = Number(process.argv[2] ?? 3);
const RAM = 16 << 20;

import { LOOPS } from './cpu-loop-programs.ts';

const field = new Map(hartStateOffsets().map((f) => [f.name, f.offset]));
// HART_WASM=path runs another build of the core (A/B comparisons on a noisy machine).
const module = new WebAssembly.Module(readFileSync(process.env.HART_WASM ?? new URL('../build/wasm/hart.wasm', import.meta.url)));

for (const loop of LOOPS) {
  const memory = new WebAssembly.Memory({ initial: memoryPagesFor(RAM), maximum: CORE_MAX_PAGES, shared: true });
  const dv = new DataView(memory.buffer);
  dv.setUint32(CONTROL_BASE + 4 * Ctrl.magic, LAYOUT_MAGIC, true);
  dv.setUint32(CONTROL_BASE + 4 * Ctrl.hartCount, 1, true);
  dv.setUint32(CONTROL_BASE + 4 * Ctrl.ramSizeLo, RAM, true);
  loop.words.forEach((w, i) => dv.setUint32(RAM_BASE + 4 * i, w >>> 0, true));
  const core = new WebAssembly.Instance(module, {
    env: { memory, mmioLoad: () => 0n, mmioStore: () => {}, mtime: () => 0n, abort: () => { throw new Error('abort'); } },
  }).exports as unknown as { init(h: number): void; reset(pc: bigint): void; run(b: number): number };
  core.init(0);
  core.reset(0x8000_0000n);
  dv.setBigUint64(hartBase(0) + field.get('x')! + 8 * 2, 0x8020_0000n, true); // sp
  dv.setBigUint64(hartBase(0) + field.get('x')! + 8 * 16, 0x8030_0000n, true); // a6 (int-loop array)
  dv.setBigUint64(hartBase(0) + field.get('x')! + 8 * 15, 1n, true); // a5 (xorshift state ≠ 0)
  // Warm up (V8 tiers the module up after the first calls), then measure.
  for (let i = 0; i < 20; i++) core.run(1_000_000);
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (let i = 0; i < 10; i++) core.run(1_000_000);
    n += 10_000_000;
  }
  const wall = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  const instret = dv.getBigUint64(hartBase(0) + field.get('instret')!, true);
  console.log(`${loop.name.padEnd(28)} ${(n / wall / 1e6).toFixed(0).padStart(5)} MIPS wall  ${(n / cpu / 1e6).toFixed(0).padStart(5)} MIPS/cpu-s  (instret ${instret})`);
}

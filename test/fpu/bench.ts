// FPU micro-benchmark: npx tsx test/fpu/bench.ts   (ns per call, in-wasm loops)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './runner';

const out = join(root, 'build', 'fpu-test', 'bench.wasm');
execFileSync('npx', ['asc', 'test/fpu/as/bench-entry.ts', '--config', 'test/fpu/asconfig.json', '-o', out,
  '--runtime', 'stub', '-O3', '--noAssert'], { cwd: root, stdio: 'inherit' });
const { instance } = await WebAssembly.instantiate(readFileSync(out), { env: { abort() { throw new Error('abort'); } } });
const ex = instance.exports as Record<string, (n: number, rm?: number) => bigint>;
const N = 5_000_000;
for (const name of Object.keys(ex).filter((k) => k.startsWith('b_'))) {
  const rms = name.startsWith('b_native') ? [0] : [0, 1, 4];
  for (const rm of rms) {
    ex[name](N, rm); // warm up
    const t0 = performance.now();
    ex[name](N, rm);
    const dt = performance.now() - t0;
    console.log(`${name.slice(2).padEnd(12)} rm=${rm}  ${((dt * 1e6) / N).toFixed(2)} ns`);
  }
}

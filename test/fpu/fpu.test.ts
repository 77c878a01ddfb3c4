// FPU suite: checks the AssemblyScript FPU (built into build/fpu-test/fpu.wasm by
// test/fpu/build.sh, automatically when missing or stale) bit-exactly, result and fflags,
// against vectors from the qemu-riscv64 oracle (committed in test/fpu/vectors, made by
// test/fpu/gen-vectors.sh, which also cross-checks them against x86-64 SSE).
// When qemu-riscv64 and riscv64-linux-gnu-gcc are present, a further batch is generated
// on the fly (seed: FPU_SEED or a fixed default; size: FPU_N per op and rounding mode).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkLines, loadFpu, root, specs, type Fpu } from './runner';
import { fmaStress } from './stress';

const vecDir = join(root, 'test', 'fpu', 'vectors');
let fpu: Fpu;

beforeAll(async () => {
  fpu = await loadFpu();
});

describe('fpu vectors (qemu-riscv64 oracle, committed)', () => {
  const files = readdirSync(vecDir).filter((f) => f.endsWith('.txt')).sort();
  it('has vectors for every operation', () => {
    const ops = new Set(files.map((f) => f.replace(/\.txt$/, '')));
    for (const op of Object.keys(specs)) expect(ops.has(op), op).toBe(true);
  });
  for (const f of files) {
    it(f.replace(/\.txt$/, ''), () => {
      const { n, bad, badCount } = checkLines(fpu, readFileSync(join(vecDir, f), 'utf8').split('\n'));
      expect(n).toBeGreaterThan(100);
      expect({ badCount, bad }).toEqual({ badCount: 0, bad: [] });
    });
  }
});

describe('fpu f64 fma fast path', () => {
  it('agrees with the integer soft-float fma on hazard-biased inputs', () => {
    const { bad } = fmaStress(fpu, Number(process.env.FPU_STRESS ?? 100000));
    expect(bad).toEqual([]);
  });
});

describe('fpu fast paths vs soft-float twins (in-wasm differential fuzz)', () => {
  const n = Number(process.env.FPU_FUZZ ?? 100000);
  ['f64_add', 'f64_mul', 'f64_div', 'f64_sqrt', 'f64_fma'].forEach((name, op) => {
    it(name, () => {
      const bad = (fpu.fuzz as (op: number, n: number, seed: bigint) => number)(op, n, 20261129n + BigInt(op));
      expect(bad).toBe(0);
    });
  });
  it('f32_round', () => {
    expect((fpu.fuzzRound32 as (n: number, seed: bigint) => number)(n, 77n)).toBe(0);
  });
});

describe('fpu build', () => {
  it('allocates nothing and has no data segments', () => {
    const wat = readFileSync(join(root, 'build', 'fpu-test', 'fpu.wat'), 'utf8');
    expect(wat).not.toMatch(/__new|__alloc|memory\.grow/);
    expect(wat).not.toMatch(/\(data /);
    // no trapping float->int truncations, no unreachable (no throw / abort), no library calls
    expect(wat).not.toMatch(/trunc_f|unreachable|call \$~lib/);
  });
});

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const onTheFly = have('qemu-riscv64') && have('riscv64-linux-gnu-gcc');

describe.runIf(onTheFly)('fpu vectors (qemu-riscv64 oracle, on the fly)', () => {
  it('random batch', () => {
    const out = join(root, 'build', 'fpu-test');
    mkdirSync(out, { recursive: true });
    execFileSync('riscv64-linux-gnu-gcc', ['-static', '-O2', '-o', join(out, 'gen-rv'), join(root, 'test', 'fpu', 'gen.c')]);
    const seed = process.env.FPU_SEED ?? '777';
    const n = process.env.FPU_N ?? '600';
    const text = execFileSync('qemu-riscv64', [join(out, 'gen-rv'), seed, n], { maxBuffer: 1 << 30 }).toString();
    const { n: count, bad, badCount } = checkLines(fpu, text.split('\n'));
    expect(count).toBeGreaterThan(50000);
    expect({ badCount, bad }).toEqual({ badCount: 0, bad: [] });
  });
});

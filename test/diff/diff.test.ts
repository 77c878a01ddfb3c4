// Differential test: a fixed set of generated programs must leave bit-identical register,
// FP and memory state on qemu-riscv64 (reference) and on Amber (runElf).
// Needs riscv64-linux-gnu-gcc and qemu-riscv64 (apt: gcc-riscv64-linux-gnu qemu-user).
// Reproduce a failing seed with the command printed in the failure message.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type Group } from './gen.ts';
import { CC, QEMU, REPO_ROOT, formatDiff, haveElfRunner, type Chunk } from './harness.ts';
import { checkBatch, pool, type CheckOptions, type CheckResult } from './run.ts';

const LENGTH = 200;
const CHUNK = 10;
const G = (s: string) => s.split(',') as Group[];
/** 40 seeds: single groups first (a failure there points at one extension), then everything mixed */
const CASES: { seed: number; groups: Group[] }[] = [
  ...[1, 2, 3, 4, 5, 6].map((seed) => ({ seed, groups: G('int') })),
  ...[7, 8, 9, 10].map((seed) => ({ seed, groups: G('int,m') })),
  ...[11, 12, 13, 14].map((seed) => ({ seed, groups: G('int,a') })),
  ...[15, 16, 17, 18, 19, 20, 21, 22, 23, 24].map((seed) => ({ seed, groups: G('fd') })),
  ...[25, 26, 27, 28].map((seed) => ({ seed, groups: G('int,c') })),
  ...Array.from({ length: 12 }, (_, i) => ({ seed: 29 + i, groups: G('int,m,a,fd,c') })),
];

function haveTool(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tools = haveTool(CC) && haveTool(QEMU);
if (!tools) console.warn(`test/diff: ${CC} or ${QEMU} missing (apt-get install gcc-riscv64-linux-gnu qemu-user)`);
// In CI the toolchain is installed; a missing tool must fail there, not skip.
const skip = !tools && !process.env.CI;

// Amber side: needs src/machine/elf-runner.ts and the core (npm run build:wasm, done by `npm test`).
// Outside CI a missing core skips these cases; in CI it fails them.
const CORE_WASM = join(REPO_ROOT, 'build/wasm/hart.wasm');
const amberReady = haveElfRunner() && (existsSync(CORE_WASM) || !!process.env.CI);
if (!amberReady) console.warn(`test/diff: Amber comparison skipped (no elf-runner or no ${CORE_WASM}: npm run build:wasm)`);

describe.skipIf(skip)('differential: Amber vs qemu-riscv64', () => {
  const results = new Map<number, CheckResult>();
  let t0 = 0;

  beforeAll(async () => {
    expect(tools, `${CC} and ${QEMU} are required`).toBe(true);
    t0 = performance.now();
    // CHUNK seeds per binary: Amber's per-run start-up dominates a 200-instruction program
    const batches: Chunk[][] = [];
    for (let i = 0; i < CASES.length; i += CHUNK) batches.push(CASES.slice(i, i + CHUNK).map(({ seed, groups }) => ({ p: generate(seed, groups, LENGTH) })));
    const opts: CheckOptions = { dut: 'amber', qemuOnly: !amberReady, keep: true, maxInstructions: 5_000_000 };
    await pool(batches, Math.max(2, cpus().length), async (b, i) => {
      const rs = await checkBatch(b, `ci-${i}`, opts);
      for (const [seed, r] of rs) results.set(seed, r);
    });
  }, 180_000);

  afterAll(() => {
    console.log(`test/diff: ${CASES.length} programs of ${LENGTH} instructions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('the generated programs run cleanly on qemu-riscv64 (oracle sanity)', () => {
    const bad = CASES.map(({ seed }) => ({ seed, r: results.get(seed) }))
      .filter(({ r }) => !r || r.status === 'qemu-fail' || r.status === 'build-fail')
      .map(({ seed, r }) => `seed ${seed}: ${r?.status} ${r?.message}`);
    expect(bad).toEqual([]);
  });

  it.skipIf(!amberReady)('the comparator catches a deliberate harness bug (x5 bit flipped on the Amber side)', async () => {
    const chunks = [1, 2].map((seed) => ({ p: generate(seed, G('int'), 20) }));
    const rs = await checkBatch(chunks, 'ci-inject', { dut: 'amber', inject: true, keep: true, maxInstructions: 1_000_000 });
    for (const c of chunks) {
      const r = rs.get(c.p.seed)!;
      expect(r.status).toBe('mismatch');
      expect(r.diffs.map((d) => d.key)).toEqual(['x5']);
    }
  });

  it.skipIf(!amberReady).each(CASES)('seed $seed ($groups) matches bit for bit', ({ seed, groups }) => {
    const r = results.get(seed)!;
    const repro = `npx tsx test/diff/run.ts --seeds ${seed} --groups ${groups.join(',')} --length ${LENGTH}`;
    const msg = [
      `Amber differs from qemu-riscv64 (${r.status}, Amber exit ${r.dut?.code}${r.dut?.note ? ', ' + r.dut.note : ''})`,
      ...r.diffs.slice(0, 6).map((d) => `  ${formatDiff(d)}`),
      r.trap ? `  trap: ${r.trap}` : '',
      `  minimize with: ${repro}`,
    ].filter(Boolean).join('\n');
    expect(r.status, msg).toBe('pass');
  });
});

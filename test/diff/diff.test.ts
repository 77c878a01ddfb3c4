// Differential test: a fixed set of generated programs must leave bit-identical register,
// FP and memory state on qemu-riscv64 (reference) and on Amber (runElf).
// Needs riscv64-linux-gnu-gcc and qemu-riscv64 (apt: gcc-riscv64-linux-gnu qemu-user).
// Reproduce a failing seed with the command printed in the failure message.

import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type Group, type Program } from './gen.ts';
import { CC, QEMU, buildTarget, compareDumps, describe as describeValue, dumpComplete, haveElfRunner, parseDump, runAmber, runQemuUser } from './harness.ts';
import { pool } from './run.ts';

const LENGTH = 200;
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

interface Prepared {
  p: Program;
  bare: string;
  ref: string;
  refOk: boolean;
  refNote: string;
}

describe.skipIf(skip)('differential: Amber vs qemu-riscv64', () => {
  const prepared = new Map<number, Prepared>();
  let t0 = 0;

  beforeAll(async () => {
    expect(tools, `${CC} and ${QEMU} are required`).toBe(true);
    t0 = performance.now();
    const jobs = Math.max(2, cpus().length);
    await pool(CASES, jobs, async ({ seed, groups }) => {
      const p = generate(seed, groups, LENGTH);
      const [linux, bare] = await Promise.all([buildTarget(p, 'linux', `ci-${seed}`), buildTarget(p, 'bare', `ci-${seed}`)]);
      const r = await runQemuUser(linux);
      prepared.set(seed, { p, bare, ref: r.output, refOk: r.code === 0 && dumpComplete(parseDump(r.output)), refNote: `exit ${r.code} ${r.note}` });
    });
  }, 120_000);

  afterAll(() => {
    console.log(`test/diff: ${CASES.length} programs of ${LENGTH} instructions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('the generated programs run cleanly on qemu-riscv64 (oracle sanity)', () => {
    const bad = CASES.filter(({ seed }) => !prepared.get(seed)?.refOk).map(({ seed }) => `seed ${seed}: ${prepared.get(seed)?.refNote}`);
    expect(bad).toEqual([]);
  });

  it.skipIf(!haveElfRunner()).each(CASES)('seed $seed ($groups) matches bit for bit', async ({ seed, groups }) => {
    const pr = prepared.get(seed)!;
    expect(pr.refOk).toBe(true);
    const dut = await runAmber(pr.bare, 5_000_000);
    const diffs = compareDumps(parseDump(pr.ref), parseDump(dut.output));
    const repro = `npx tsx test/diff/run.ts --seeds ${seed} --groups ${groups.join(',')} --length ${LENGTH}`;
    const msg = [
      `Amber differs from qemu-riscv64 (exit ${dut.code}${dut.note ? ', ' + dut.note : ''})`,
      ...diffs.slice(0, 6).map((d) => `  ${d.key}: qemu ${describeValue(d.key, d.ref)}  amber ${describeValue(d.key, d.dut)}`),
      dut.output.includes('cause=') ? `  trap: ${dut.output.trim().replace(/\n/g, ' ')}` : '',
      `  minimize with: ${repro}`,
    ].filter(Boolean).join('\n');
    expect(diffs.length === 0 && dut.code === 0, msg).toBe(true);
  }, 30_000);
});

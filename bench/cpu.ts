/**
 * `npm run bench:cpu` (issue 3): compute-bound guest programs on Amber and on QEMU, in one run.
 *
 * Kernels (bench/programs/kernels.c, built by bench/programs/build.sh): an integer loop, CRC32 over
 * 16 MiB, an n-body step loop in double. Amber runs the bare-metal ELF through `runElf` (the
 * `amber elf` path, hart threads in this process); QEMU runs the Linux-user build of the same
 * kernel source under `qemu-riscv64`. Each guest times its own kernel (Amber: CLINT mtime, which
 * is host wall time; QEMU: clock_gettime) and Amber's guest also reports the minstret delta, so
 * MIPS = kernel instructions / kernel wall time. Whole-process wall and CPU times are printed too.
 * The 2-hart case runs the integer loop on each hart on its own data (QEMU: two processes at once).
 *
 *   npx tsx bench/cpu.ts [rounds=3]
 */
import { runElf } from '../src/machine/elf-runner.ts';
import { fmt, header, load, median, runTimed, table } from './common.ts';

// Machine.stop() waits through Atomics.waitAsync, which does not keep Node's event loop alive:
// without a pending timer the process can end (exit 13) while the last stop() is awaited.
const keepAlive = setInterval(() => {}, 60_000);

const ROUNDS = Number(process.argv[2] ?? 3);
const BUILD = new URL('./programs/build/', import.meta.url).pathname;
const KERNELS = ['int-loop', 'crc32', 'nbody'] as const;
const TARGET_MIPS = 200;

interface Line { name: string; hart: number; ns: number; instret: number; result: string }
function parse(out: string): Line[] {
  return [...out.matchAll(/(\S+) hart=(\d+) ns=(\d+) instret=(\d+) result=(0x[0-9a-f]+)/g)].map((m) => ({
    name: m[1], hart: Number(m[2]), ns: Number(m[3]), instret: Number(m[4]), result: m[5],
  }));
}

interface AmberRun { lines: Line[]; wallMs: number; cpuS: number; instructions: number }
async function amber(elf: string, harts: number, tries = 3): Promise<AmberRun> {
  // The harts print their lines concurrently (the guest locks the console per string, not per
  // line), so two harts finishing together can interleave them: run again rather than fail.
  for (let i = 1; ; i++) {
    try { return await amberOnce(elf, harts); } catch (err) {
      if (i >= tries || !(err instanceof Error) || !err.message.includes('result lines')) throw err;
      console.log(`  (${elf}: hart output interleaved, run again)`);
    }
  }
}
async function amberOnce(elf: string, harts: number): Promise<AmberRun> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runElf(`${BUILD}${elf}`, { harts, timeoutMs: 600_000 });
  const wallMs = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  if (r.exitCode !== 0 || r.timedOut) throw new Error(`${elf}: exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}\n${r.console}`);
  const lines = parse(r.console);
  if (lines.length !== harts) throw new Error(`${elf}: expected ${harts} result lines, got:\n${r.console}`);
  return { lines, wallMs, cpuS: (cu.user + cu.system) / 1e6, instructions: Number(r.instructions) };
}

async function qemu(elf: string, copies = 1) {
  const runs = await Promise.all(Array.from({ length: copies }, () => runTimed(['qemu-riscv64', `${BUILD}${elf}`])));
  for (const r of runs) if (r.code !== 0) throw new Error(`qemu-riscv64 ${elf}: exit ${r.code}`);
  return runs.map((r) => ({ ...r, lines: parse(r.stdout) }));
}

header(`bench:cpu — ${ROUNDS} rounds, medians; Amber: runElf (bare metal, in-process hart threads); QEMU: qemu-riscv64 (Linux user, same kernel source)`);

type Sample = { amberNs: number; amberMips: number; amberMipsCpu: number; amberWall: number; qemuNs: number; qemuWall: number; qemuCpu: number; instret: number; same: boolean; load: string };
const samples = new Map<string, Sample[]>();
const add = (k: string, s: Sample) => samples.set(k, [...(samples.get(k) ?? []), s]);

for (let round = 1; round <= ROUNDS; round++) {
  for (const k of KERNELS) {
    const a = await amber(`${k}-bare-1.elf`, 1);
    const [q] = await qemu(`${k}-linux.elf`);
    const l = a.lines[0];
    add(k, {
      amberNs: l.ns, amberMips: l.instret / (l.ns / 1e3), amberMipsCpu: a.instructions / a.cpuS / 1e6, amberWall: a.wallMs,
      qemuNs: q.lines[0].ns, qemuWall: q.wallMs, qemuCpu: q.cpuS, instret: l.instret, same: q.lines[0].result === l.result, load: load(),
    });
    console.log(`  round ${round} ${k.padEnd(9)} Amber ${fmt(l.ns / 1e6)} ms (${fmt(l.instret / (l.ns / 1e3))} MIPS)  QEMU ${fmt(q.lines[0].ns / 1e6)} ms  load ${load()}`);
  }
  // 2 harts, each on its own data; per-hart MIPS is each hart's instret over its own kernel time.
  const a2 = await amber('int-loop-bare-2.elf', 2);
  const q2 = await qemu('int-loop-linux.elf', 2);
  const perHart = a2.lines.map((l) => l.instret / (l.ns / 1e3));
  add('int-loop ×2 harts', {
    amberNs: Math.max(...a2.lines.map((l) => l.ns)), amberMips: perHart.reduce((x, y) => x + y, 0) / perHart.length,
    amberMipsCpu: a2.instructions / a2.cpuS / 1e6, amberWall: a2.wallMs,
    qemuNs: Math.max(...q2.map((q) => q.lines[0].ns)), qemuWall: Math.max(...q2.map((q) => q.wallMs)), qemuCpu: q2.reduce((s, q) => s + q.cpuS, 0),
    instret: a2.lines[0].instret, same: a2.lines.find((l) => l.hart === 0)?.result === q2[0].lines[0].result, load: load(),
  });
  console.log(`  round ${round} int-loop ×2 harts: per-hart MIPS ${perHart.map((m) => fmt(m)).join(' / ')}  load ${load()}`);
}

console.log();
const rows: (string | number)[][] = [[
  'kernel', 'guest instr/hart', 'Amber kernel ms', 'Amber MIPS/hart', 'MIPS per CPU-s', 'Amber process ms', 'QEMU kernel ms', 'QEMU process ms', 'Amber/QEMU time', 'same result',
]];
for (const [k, s] of samples) {
  const m = (f: (x: Sample) => number) => median(s.map(f));
  rows.push([
    k, fmt(m((x) => x.instret)), fmt(m((x) => x.amberNs / 1e6)), fmt(m((x) => x.amberMips)), fmt(m((x) => x.amberMipsCpu)), fmt(m((x) => x.amberWall)),
    fmt(m((x) => x.qemuNs / 1e6)), fmt(m((x) => x.qemuWall)), `${fmt(m((x) => x.amberNs / x.qemuNs), 1)}×`, s.every((x) => x.same) ? 'yes' : 'NO',
  ]);
}
table(rows);
const one = median(samples.get('int-loop')!.map((x) => x.amberMips));
const two = median(samples.get('int-loop ×2 harts')!.map((x) => x.amberMips));
console.log();
console.log(`integer loop: ${fmt(one)} MIPS per hart (target ≥ ${TARGET_MIPS}: ${one >= TARGET_MIPS ? 'met' : 'MISSED'}); with 2 harts ${fmt(two)} MIPS per hart (scaling ${fmt((2 * two) / one, 2)}× of 2×)`);
console.log(`MIPS per CPU-s = all guest instructions / this process's CPU time (all threads, includes machine set-up): the steadier figure under load.`);
console.log(`Amber/QEMU time = median of (Amber kernel time / QEMU kernel time) per round; QEMU ×2 = two qemu-riscv64 processes at once.`);
console.log(`load average at end: ${load()}`);
clearInterval(keepAlive);

/**
 * `npm run bench:boot` (issue 4): boot the committed Linux image to its ready line on Amber and on
 * QEMU, in one run, several rounds, 1 and 2 harts, 256 MiB RAM.
 *
 * Amber: in this process, `GuestSession.start` (image load + sha256 + gunzip, core compile, hart
 * worker start-up) then `waitForShell` (ready line, then the first prompt). Times are from the
 * `GuestSession.start` call; "before first instruction" is when `start` resolves (every hart
 * thread is in its loop). Node/tsx start-up of this process is not counted.
 * QEMU: `bash guest/run-qemu.sh -smp N -m 256M` (same firmware, kernel, initramfs, disk, RAM,
 * harts, bootargs, CPU restricted to rv64imafdc), timed from process spawn to the ready line on
 * its stdout (includes gunzipping the 32 MiB disk image, as run-qemu.sh does on every start).
 *
 *   npx tsx bench/boot.ts [rounds=3] [harts=1,2]
 */
import { spawn } from 'node:child_process';
import { findImageSet, linuxConfig, READY_LINE } from '../src/machine/guest-images.ts';
import { Machine } from '../src/machine/machine.ts';
import { DirectoryImageSource } from '../src/machine/node-images.ts';
import { GuestSession } from '../src/machine/node-session.ts';
import { GUEST_IMAGES, loadManifest } from '../src/cli/run.ts';
import { fmt, header, load, median, table } from './common.ts';

// Machine.stop() waits through Atomics.waitAsync, which does not keep Node's event loop alive:
// without a pending timer the process can end (exit 13) while the last stop() is awaited.
const keepAlive = setInterval(() => {}, 60_000);

const ROUNDS = Number(process.argv[2] ?? 3);
const HARTS = (process.argv[3] ?? '1,2').split(',').map(Number);
const MEMORY_MIB = 256;
const TIMEOUT_MS = 600_000;
const RUN_QEMU = new URL('../guest/run-qemu.sh', import.meta.url).pathname;

interface Boot { instructions: number; createMs: number; firstInstrMs: number; firstOutputMs: number; readyMs: number; promptMs: number }

// GuestSession.start = Machine.create (images, memory, core compile) then machine.start (hart
// workers). Note when start() is entered, to split the two.
let startEntered = NaN;
const machineStart = Machine.prototype.start;
Machine.prototype.start = function (this: Machine) {
  startEntered = performance.now();
  return machineStart.call(this);
};

async function amberBoot(harts: number): Promise<Boot> {
  const set = findImageSet(loadManifest(), 'linux');
  const images = new DirectoryImageSource(GUEST_IMAGES);
  const t0 = performance.now();
  let firstOutput = NaN;
  const session = await GuestSession.start(linuxConfig(set, harts, MEMORY_MIB), images, () => {
    if (Number.isNaN(firstOutput)) firstOutput = performance.now() - t0;
  });
  const firstInstr = performance.now() - t0;
  const createMs = startEntered - t0;
  try {
    const ready = await session.orStopped(session.console.waitFor(READY_LINE, TIMEOUT_MS));
    const readyMs = performance.now() - t0;
    const instructions = Number(session.machine.hartStatus().reduce((sum, h) => sum + h.instret, 0n));
    await session.orStopped(session.console.waitFor('# ', TIMEOUT_MS, ready));
    return { instructions, createMs, firstInstrMs: firstInstr, firstOutputMs: firstOutput, readyMs, promptMs: performance.now() - t0 };
  } finally {
    await session.stop();
  }
}

function qemuBoot(harts: number): Promise<Boot> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('bash', [RUN_QEMU, '-smp', String(harts), '-m', `${MEMORY_MIB}M`, '-no-reboot'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    let firstOutput = NaN;
    let readyMs = NaN;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try { process.kill(-p.pid!, 'SIGTERM'); } catch { /* already gone */ }
      if (err) reject(err);
      else resolve({ instructions: NaN, createMs: NaN, firstInstrMs: NaN, firstOutputMs: firstOutput, readyMs, promptMs: performance.now() - t0 });
    };
    const timer = setTimeout(() => finish(new Error(`QEMU: no ready line in ${TIMEOUT_MS} ms:\n${out.slice(-2000)}`)), TIMEOUT_MS);
    p.stdout.on('data', (d: Buffer) => {
      if (Number.isNaN(firstOutput)) firstOutput = performance.now() - t0;
      out += d.toString();
      if (Number.isNaN(readyMs) && out.includes(READY_LINE)) readyMs = performance.now() - t0;
      if (!Number.isNaN(readyMs) && out.slice(out.indexOf(READY_LINE)).includes('# ')) finish();
    });
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => finish(new Error(`QEMU exited (${code}) before the ready line:\n${out.slice(-2000)}`)));
  });
}

header(`bench:boot — ${ROUNDS} rounds, medians; ${MEMORY_MIB} MiB RAM; Amber in-process (GuestSession), QEMU virt via guest/run-qemu.sh`);
const results = new Map<number, { amber: Boot[]; qemu: Boot[]; loads: string[] }>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const harts of HARTS) {
    const r = results.get(harts) ?? { amber: [], qemu: [], loads: [] };
    results.set(harts, r);
    const a = await amberBoot(harts);
    const q = await qemuBoot(harts);
    r.amber.push(a);
    r.qemu.push(q);
    r.loads.push(load());
    console.log(`  round ${round}, ${harts} hart(s): Amber ready ${fmt(a.readyMs)} ms (first instruction ${fmt(a.firstInstrMs)} ms), QEMU ready ${fmt(q.readyMs)} ms  load ${load()}`);
  }
}

console.log();
const rows: (string | number)[][] = [['harts', 'Amber: create ms', 'workers up ms', 'before 1st instr ms', 'first output ms', 'ready line ms', 'prompt ms', 'guest Minstr to ready', 'QEMU: first output ms', 'ready line ms', 'Amber/QEMU (ready)', 'load avg (1 min) per round']];
for (const [harts, r] of results) {
  const m = (xs: Boot[], f: (b: Boot) => number) => median(xs.map(f));
  rows.push([
    harts, fmt(m(r.amber, (b) => b.createMs)), fmt(m(r.amber, (b) => b.firstInstrMs - b.createMs)), fmt(m(r.amber, (b) => b.firstInstrMs)), fmt(m(r.amber, (b) => b.firstOutputMs)), fmt(m(r.amber, (b) => b.readyMs)), fmt(m(r.amber, (b) => b.promptMs)), fmt(m(r.amber, (b) => b.instructions / 1e6)),
    fmt(m(r.qemu, (b) => b.firstOutputMs)), fmt(m(r.qemu, (b) => b.readyMs)),
    `${fmt(median(r.amber.map((b, i) => b.readyMs / r.qemu[i].readyMs)), 2)}×`, r.loads.map((l) => l.split(' ')[0]).join(' '),
  ]);
}
table(rows);
console.log(`Amber "create" = Machine.create (images read, sha256-checked, gunzipped; shared memory; core compiled; images written to RAM).`);
console.log(`Amber "workers up" = machine.start until every hart worker is in its loop (worker start-up: a Node worker loading the bundled hart thread, build/node/hart-<hash>.mjs).`);
console.log(`Amber "before 1st instr" = GuestSession.start resolved (create + workers up); with 2 harts hart 0 may print before hart 1 is up.`);
console.log(`guest Minstr to ready = instructions retired by all harts when Amber's ready line arrives (harts idle in WFI retire none).`);
console.log(`load average at end: ${load()}`);
clearInterval(keepAlive);

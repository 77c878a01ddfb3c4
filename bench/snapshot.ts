/**
 * `npm run bench:snapshot` (issue 6): snapshot pause, save, size and restore on booted guests.
 *
 * Part 1 — idle guest, 256 MiB RAM, 2 harts, booted to its shell: rounds of
 *   pause (`checkpoint().pauseMs`, of which `parkMs` parking the harts), total save (checkpoint +
 *   `saveSnapshotFile` writing the .amber file), file size, then rounds of restore-to-running:
 *   `loadRestorePlan` (read + validate the file, check base images) + `GuestSession.resume` +
 *   `run('echo ok')` answering.
 * Part 2 — 1 GiB RAM, 2 harts, ~800 MiB of it written by the guest itself (random data copied
 *   into tmpfs files: `dd` 1 MiB from /dev/urandom, then `cat` copies of it), then one checkpoint
 *   and save: pause time, and the process's peak RSS growth while the file is written (sampled
 *   every 2 ms) next to the file size, to show the writer streams (no whole-file buffer).
 *
 *   npx tsx bench/snapshot.ts [rounds=3] [--skip-1g]
 */
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { findImageSet, linuxConfig } from '../src/machine/guest-images.ts';
import { DirectoryImageSource } from '../src/machine/node-images.ts';
import { GuestSession } from '../src/machine/node-session.ts';
import { GUEST_IMAGES, loadManifest } from '../src/cli/run.ts';
import { loadRestorePlan, saveSnapshotFile } from '../src/cli/snapshot-files.ts';
import { fmt, header, load, median, table } from './common.ts';

// Machine.stop() waits through Atomics.waitAsync, which does not keep Node's event loop alive:
// without a pending timer the process can end (exit 13) while the last stop() is awaited.
const keepAlive = setInterval(() => {}, 60_000);

const args = process.argv.slice(2);
const ROUNDS = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const SKIP_1G = args.includes('--skip-1g');
const MiB = 2 ** 20;
const BOOT_TIMEOUT_MS = 900_000;
const set = findImageSet(loadManifest(), 'linux');
const file = (name: string) => `${tmpdir()}/amber-bench-${process.pid}-${name}.amber`;

async function boot(memoryMiB: number, harts: number): Promise<GuestSession> {
  const t0 = performance.now();
  const session = await GuestSession.start(linuxConfig(set, harts, memoryMiB), new DirectoryImageSource(GUEST_IMAGES));
  await session.waitForShell(BOOT_TIMEOUT_MS);
  await session.run('true');
  console.log(`  booted ${memoryMiB} MiB, ${harts} harts in ${fmt((performance.now() - t0) / 1000, 1)} s  load ${load()}`);
  return session;
}

/** Peak RSS above the value at start, sampled every 2 ms while `fn` runs. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; growth: number; base: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, growth: peak - base, base };
  } finally {
    clearInterval(timer);
  }
}

async function save(session: GuestSession, path: string) {
  const t0 = performance.now();
  const ck = await peakRss(() => session.machine.checkpoint());
  const tCk = performance.now();
  const wr = await peakRss(() => saveSnapshotFile(ck.value.capture, path));
  const tSave = performance.now();
  return {
    pauseMs: ck.value.pauseMs, parkMs: ck.value.parkMs, precopyParkMs: ck.value.precopyParkMs, precopyMs: ck.value.precopyMs,
    pausePages: ck.value.pausePages, checkpointMs: tCk - t0, writeMs: tSave - tCk, saveMs: tSave - t0,
    bytes: wr.value, checkpointRss: ck.growth, writeRss: wr.growth,
  };
}
type Save = Awaited<ReturnType<typeof save>>;

const verdict = (value: number, target: number) => `${value <= target ? 'met' : 'MISSED'}`;

header(`bench:snapshot — ${ROUNDS} rounds, medians`);

// ---- Part 1: 256 MiB, 2 harts, idle at the shell.
const path = file('256m');
const saves: Save[] = [];
const restores: { planMs: number; resumeMs: number; echoMs: number; totalMs: number }[] = [];
{
  const session = await boot(256, 2);
  try {
    for (let r = 1; r <= ROUNDS; r++) {
      await new Promise((res) => setTimeout(res, 1000)); // idle
      const s = await save(session, path);
      saves.push(s);
      console.log(`  save ${r}: pause ${fmt(s.pauseMs, 1)} ms (park ${fmt(s.parkMs, 1)}, ${s.pausePages} pages; pre-copy ${fmt(s.precopyMs)} ms after a ${fmt(s.precopyParkMs, 1)} ms park), save ${fmt(s.saveMs)} ms, ${fmt(s.bytes / MiB, 1)} MiB  load ${load()}`);
    }
  } finally {
    await session.stop();
  }
  for (let r = 1; r <= ROUNDS; r++) {
    const t0 = performance.now();
    const images = new DirectoryImageSource(GUEST_IMAGES);
    const plan = await loadRestorePlan(path, images);
    const t1 = performance.now();
    const restored = await GuestSession.resume(plan, images).finally(() => plan.close());
    const t2 = performance.now();
    try {
      const out = await restored.run('echo ok', 120_000);
      const t3 = performance.now();
      if (out.output.trim() !== 'ok' || out.status !== 0) throw new Error(`restored guest answered ${JSON.stringify(out)}`);
      restores.push({ planMs: t1 - t0, resumeMs: t2 - t1, echoMs: t3 - t2, totalMs: t3 - t0 });
      console.log(`  restore ${r}: ${fmt(t3 - t0)} ms (read+validate ${fmt(t1 - t0)}, build+start ${fmt(t2 - t1)}, echo ok ${fmt(t3 - t2)})  load ${load()}`);
    } finally {
      await restored.stop();
    }
  }
  await rm(path, { force: true });
}

console.log();
console.log('256 MiB RAM, 2 harts, idle guest at its shell');
const ms = (xs: number[]) => median(xs);
const pause = ms(saves.map((s) => s.pauseMs));
const saveMs = ms(saves.map((s) => s.saveMs));
const size = ms(saves.map((s) => s.bytes)) / MiB;
const restore = ms(restores.map((r) => r.totalMs));
table([
  ['figure', 'median', 'target', '', 'rounds'],
  ['pause (checkpoint pauseMs)', `${fmt(pause, 1)} ms`, '≤ 50 ms', verdict(pause, 50), saves.map((s) => fmt(s.pauseMs, 1)).join(' ')],
  ['  of which parking (parkMs)', `${fmt(ms(saves.map((s) => s.parkMs)), 1)} ms`, '', '', saves.map((s) => fmt(s.parkMs, 1)).join(' ')],
  ['  RAM pages copied in the pause', `${ms(saves.map((s) => s.pausePages))}`, '', '', saves.map((s) => s.pausePages).join(' ')],
  ['pre-copy (guest running)', `${fmt(ms(saves.map((s) => s.precopyMs)))} ms`, '', '', saves.map((s) => fmt(s.precopyMs)).join(' ')],
  ['  brief park starting it', `${fmt(ms(saves.map((s) => s.precopyParkMs)), 1)} ms`, '', '', saves.map((s) => fmt(s.precopyParkMs, 1)).join(' ')],
  ['save total (checkpoint + write)', `${fmt(saveMs)} ms`, '≤ 1000 ms', verdict(saveMs, 1000), saves.map((s) => fmt(s.saveMs)).join(' ')],
  ['  checkpoint call', `${fmt(ms(saves.map((s) => s.checkpointMs)))} ms`, '', '', saves.map((s) => fmt(s.checkpointMs)).join(' ')],
  ['  writing the .amber file', `${fmt(ms(saves.map((s) => s.writeMs)))} ms`, '', '', saves.map((s) => fmt(s.writeMs)).join(' ')],
  ['file size', `${fmt(size, 1)} MiB`, '≤ 16 MiB', verdict(size, 16), saves.map((s) => fmt(s.bytes / MiB, 1)).join(' ')],
  ['restore to running (echo ok)', `${fmt(restore)} ms`, '≤ 500 ms', verdict(restore, 500), restores.map((r) => fmt(r.totalMs)).join(' ')],
  ['  loadRestorePlan (read, validate)', `${fmt(ms(restores.map((r) => r.planMs)))} ms`, '', '', restores.map((r) => fmt(r.planMs)).join(' ')],
  ['  GuestSession.resume', `${fmt(ms(restores.map((r) => r.resumeMs)))} ms`, '', '', restores.map((r) => fmt(r.resumeMs)).join(' ')],
  ['  run(echo ok)', `${fmt(ms(restores.map((r) => r.echoMs)))} ms`, '', '', restores.map((r) => fmt(r.echoMs)).join(' ')],
]);
console.log(`load average: ${load()}`);

// ---- Part 2: 1 GiB, most pages written.
if (!SKIP_1G) {
  console.log();
  const session = await boot(1024, 2);
  const big = file('1g');
  try {
    const t0 = performance.now();
    const fill = [
      'mount -o remount,size=900M /tmp',
      'dd if=/dev/urandom of=/tmp/a bs=64k count=16 2>/dev/null',
      'cat /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a > /tmp/b',
      'cat /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b > /tmp/c',
      'cat /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c > /tmp/fill',
      'rm /tmp/b; sync; free -m | head -2 | tail -1',
    ].join(' && ');
    const out = await session.run(fill, 1_800_000);
    if (out.status !== 0) throw new Error(`fill failed: ${out.output}`);
    console.log(`  guest wrote 800 MiB of tmpfs (random 1 MiB block, copied) in ${fmt((performance.now() - t0) / 1000, 1)} s; free -m: ${out.output.trim()}  load ${load()}`);
    const s = await save(session, big);
    const onDisk = (await stat(big)).size;
    console.log();
    console.log('1 GiB RAM, 2 harts, ~800 MiB of tmpfs written with random data');
    table([
      ['figure', 'value', 'target', ''],
      ['pause (checkpoint pauseMs)', `${fmt(s.pauseMs, 1)} ms`, '≤ 200 ms', verdict(s.pauseMs, 200)],
      ['  of which parking (parkMs)', `${fmt(s.parkMs, 1)} ms`, '', ''],
      ['  RAM pages copied in the pause', `${s.pausePages}`, '', ''],
      ['pre-copy (guest running)', `${fmt(s.precopyMs)} ms`, '', ''],
      ['  brief park starting it', `${fmt(s.precopyParkMs, 1)} ms`, '', ''],
      ['save total (checkpoint + write)', `${fmt(s.saveMs)} ms`, '', ''],
      ['file size', `${fmt(onDisk / MiB, 1)} MiB`, '', ''],
      ['RSS growth in checkpoint (RAM copy)', `${fmt(s.checkpointRss / MiB)} MiB`, '≤ RAM (its non-zero pages)', ''],
      ['peak RSS growth while writing', `${fmt(s.writeRss / MiB)} MiB`, '≪ file size (streamed)', s.writeRss < onDisk / 2 ? 'streams' : 'CHECK'],
    ]);
    console.log(`load average: ${load()}`);
  } finally {
    await session.stop();
    await rm(big, { force: true });
  }
}
clearInterval(keepAlive);

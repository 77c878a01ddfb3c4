/**
 * Where restore-to-running time goes (companion to bench/snapshot.ts): boots a 256 MiB, 2-hart
 * guest, saves it, then times each restore step separately — read + validate the file
 * (loadRestorePlan), compile the core, Machine.restore (decode RAM and disk into shared memory),
 * machine.start (spawn the hart workers until every one is in its loop), first command answered.
 *
 *   npx tsx bench/restore-breakdown.ts [rounds=3]
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { findImageSet, linuxConfig } from '../src/machine/guest-images.ts';
import { Machine } from '../src/machine/machine.ts';
import { DirectoryImageSource } from '../src/machine/node-images.ts';
import { GuestSession } from '../src/machine/node-session.ts';
import { GUEST_IMAGES, loadManifest } from '../src/cli/run.ts';
import { loadRestorePlan, saveSnapshotFile } from '../src/cli/snapshot-files.ts';
import { nodePlatform } from '../src/workers/node-platform.ts';
import { GuestConsole } from '../src/machine/guest-shell.ts';
import { fmt, header, load, median, table } from './common.ts';

const keepAlive = setInterval(() => {}, 60_000);
const ROUNDS = Number(process.argv[2] ?? 3);
const path = `${tmpdir()}/amber-bench-${process.pid}-breakdown.amber`;
header('restore breakdown — 256 MiB, 2 harts');
const session = await GuestSession.start(linuxConfig(findImageSet(loadManifest(), 'linux'), 2, 256), new DirectoryImageSource(GUEST_IMAGES));
await session.waitForShell(600_000);
await session.run('true');
await saveSnapshotFile((await session.machine.checkpoint()).capture, path);
await session.stop();

const rows: number[][] = [];
for (let r = 0; r < ROUNDS; r++) {
  const images = new DirectoryImageSource(GUEST_IMAGES);
  const t0 = performance.now();
  const plan = await loadRestorePlan(path, images);
  const t1 = performance.now();
  await nodePlatform.compileCore();
  const t2 = performance.now();
  let machine: Machine | undefined;
  const cons = new GuestConsole((b) => machine?.sendInput(b));
  machine = await Machine.restore(plan, images, nodePlatform, { onConsole: (b) => cons.push(b) });
  await plan.close();
  const t3 = performance.now();
  await machine.start();
  const t4 = performance.now();
  await cons.run('echo ok', 60_000);
  const t5 = performance.now();
  await machine.stop();
  rows.push([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0]);
  console.log(`  round ${r + 1}: ${rows[r].map((x) => fmt(x)).join(' / ')} ms  load ${load()}`);
}
await rm(path, { force: true });
const names = ['loadRestorePlan (read + validate)', 'compile core (cached after 1st)', 'Machine.restore (decode RAM, disk)', 'machine.start (hart workers up)', 'run(echo ok)', 'total'];
table([['step', 'median ms'], ...names.map((n, i) => [n, fmt(median(rows.map((x) => x[i])))])]);
console.log(`load average: ${load()}`);
clearInterval(keepAlive);

/**
 * Checkpoint and resume a running Linux guest: state in tmpfs, a background counter and
 * busy processes on every hart come back in a new machine — also in a new process
 * through the CLI — and a bad snapshot never disturbs the running machine.
 */
import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuestSession } from '../../src/machine/node-session.ts';
import { isSnapshotError } from '../../src/snapshot/errors.ts';
import { images, linux, plan, snapshotBytes } from './helpers.ts';

const run = promisify(execFile);
const AMBER = new URL('../../bin/amber.js', import.meta.url).pathname;
const BOOT_MS = 180_000;
const dir = mkdtempSync(join(tmpdir(), 'amber-snap-'));

describe('resume a checkpointed Linux guest with 4 busy harts', () => {
  let guest: GuestSession;
  let saved: Uint8Array;

  beforeAll(async () => {
    guest = await GuestSession.start(linux(4), images);
    await guest.waitForShell(BOOT_MS);
    // A file in tmpfs, a counter that ticks every 0.2 s, and three busy loops. The counter is
    // written to a new file and renamed, so a reader on another hart never sees it empty.
    const setup = await guest.run(
      'echo kept-in-tmpfs > /tmp/note; ' +
        '(i=0; while true; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; sleep 0.2; done) & ' +
        'for n in 1 2 3; do (while true; do :; done) & done; sleep 2; cat /tmp/count',
      120_000,
    );
    expect(Number(setup.output.trim())).toBeGreaterThan(0);
  }, BOOT_MS + 120_000);

  afterAll(async () => {
    await guest?.stop();
  });

  it('checkpoints without stopping the guest, and the guest runs on', async () => {
    const { capture, pauseMs } = await guest.machine.checkpoint();
    expect(pauseMs).toBeGreaterThan(0);
    saved = await snapshotBytes(capture);
    writeFileSync(join(dir, 'busy.amber'), saved);
    const after = await guest.run('cat /tmp/count', 60_000);
    expect(Number(after.output.trim())).toBeGreaterThan(0);
  });

  it('resumes in a new machine: the file is there and the counter goes on from where it was', async () => {
    const restored = await GuestSession.resume(await plan(saved), images);
    try {
      const r = await restored.run(`cat /tmp/note; nproc; a=$(cat /tmp/count); ${waitForCounterAbove('$a')}; b=$(cat /tmp/count); echo "$a $b"; jobs | grep -c Running`, 120_000);
      const [note, nproc, counts, loops] = r.output.trim().split('\n');
      expect(note).toBe('kept-in-tmpfs');
      expect(nproc).toBe('4');
      const [a, b] = counts.split(' ').map(Number);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(a); // still counting after the restore
      expect(Number(loops)).toBe(4); // the shell's jobs: the counter and the three busy loops
    } finally {
      await restored.stop();
    }
  });

  it('resumes in a new process through `amber run --restore`', async () => {
    // The counter must move on within 20 s of guest time (on a loaded 2-core host the four hart
    // threads share two CPUs with the busy loops, so one tick may take longer than its 0.2 s).
    const check = `cat /tmp/note; a=$(cat /tmp/count); ${waitForCounterAbove('$a')} && echo counting`;
    const result = await run(AMBER, ['run', '--restore', join(dir, 'busy.amber'), '--exec', check], { timeout: 240_000 }).catch(
      (err: { code?: number; stdout?: string; stderr?: string }) => {
        throw new Error(`amber run --restore exited with ${err.code}\nstdout:\n${err.stdout}\nstderr:\n${err.stderr?.slice(-2000)}`);
      },
    );
    expect(result.stdout).toBe('kept-in-tmpfs\ncounting\n');
  });

  it('resumes from a URL through `amber run --restore http://…`, and names a missing one', async () => {
    const server = await serveDirectory(dir);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { stdout } = await run(AMBER, ['run', '--restore', `${base}/busy.amber`, '--exec', 'cat /tmp/note; nproc'], { timeout: 240_000 });
      expect(stdout).toBe('kept-in-tmpfs\n4\n');
      const missing = await run(AMBER, ['run', '--restore', `${base}/gone.amber`, '--exec', 'true'], { timeout: 60_000 }).then(
        () => undefined,
        (err: { code?: number; stderr?: string }) => err,
      );
      expect(missing?.code).not.toBe(0);
      expect(missing?.stderr).toMatch(/gone\.amber.*404/);
    } finally {
      server.close();
    }
  });

  it('refuses bad snapshots with a clear error and leaves the running machine alone', async () => {
    const bad: Array<[string, Uint8Array, RegExp]> = [
      ['truncated', saved.subarray(0, saved.length - 1000), /truncated|trailer|checksum/i],
      ['truncated header', saved.subarray(0, 10), /truncated|too small|short/i],
      ['not a snapshot', readFileSync(new URL('../../programs/build/counter-1.elf', import.meta.url)), /magic|not an Amber snapshot/i],
      ['flipped bit', flip(saved, Math.floor(saved.length / 2)), /checksum/i],
    ];
    for (const [what, bytes, message] of bad) {
      const err = await plan(bytes).then(() => undefined, (e: unknown) => e);
      expect(err, what).toBeInstanceOf(Error);
      expect(isSnapshotError(err), `${what}: ${String(err)}`).toBe(true);
      expect(String((err as Error).message), what).toMatch(message);
    }
    // The guest that was running all along still answers.
    expect((await guest.run('echo still-here', 60_000)).output).toBe('still-here\n');
  });
});

/** A plain HTTP server for the files in `root` (404 for anything else). */
async function serveDirectory(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const stream = createReadStream(file);
    stream.on('open', () => stream.pipe(res));
    stream.on('error', () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Shell: wait (up to 20 s, polling every 0.5 s) until /tmp/count exceeds `value`; status 0 iff it did. */
function waitForCounterAbove(value: string): string {
  return `n=0; while [ $(cat /tmp/count) -le ${value} ] && [ $n -lt 40 ]; do sleep 0.5; n=$((n+1)); done; [ $(cat /tmp/count) -gt ${value} ]`;
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] ^= 0x10;
  return copy;
}

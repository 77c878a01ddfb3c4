/**
 * The `amber run` command as a user drives it: the console on stdin/stdout, `reboot` comes
 * back to a shell, `poweroff` ends the process with 0, --exec exits with the command's status,
 * and on a terminal Ctrl-A s saves a snapshot that resumes, Ctrl-A x quits.
 */
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const AMBER = new URL('../../bin/amber.js', import.meta.url).pathname;
const READY = 'amber: ready';

describe('amber run', () => {
  it('reboots to a new shell on `reboot` and exits 0 on `poweroff`', { timeout: 400_000 }, async () => {
    const child = spawn(AMBER, ['run', '--harts', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const { output, until, exited } = watch(child);
    const readyCount = () => output().split(READY).length - 1;
    try {
      await until(() => readyCount() === 1 && output().slice(output().indexOf(READY)).includes('# '), 'the first shell');
      child.stdin.write('reboot\n');
      await until(() => readyCount() === 2 && output().slice(output().lastIndexOf(READY)).includes('# '), 'the shell after reboot');
      child.stdin.write('poweroff\n');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
  });

  it('--exec prints the command output and exits with its status', { timeout: 300_000 }, async () => {
    const run = promisify(execFile);
    const { stdout } = await run(AMBER, ['run', '--exec', 'uname -m; nproc'], { timeout: 240_000 });
    expect(stdout).toBe('riscv64\n1\n');
    const failed = await run(AMBER, ['run', '--exec', 'echo before; (exit 3)'], { timeout: 240_000 }).then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed?.code).toBe(3);
    expect(failed?.stdout).toBe('before\n');
  });

  it('on a terminal, Ctrl-A s saves a snapshot that resumes, and Ctrl-A x quits', { timeout: 400_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'amber-cli-')), 'interactive.amber');
    // `script` gives amber a pseudo-terminal (raw mode, where Ctrl-A is a command key) and
    // forwards the pipe written here to it.
    const command = `${AMBER} run --harts 1 --save ${file}`;
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const { output, until, exited } = watch(child);
    try {
      await until(() => output().includes(READY) && output().slice(output().indexOf(READY)).includes('# '), 'the shell');
      child.stdin.write('echo typed-before-save > /tmp/mark\r');
      await until(() => output().slice(output().indexOf('typed-before-save')).includes('# '), 'the command to finish');
      child.stdin.write('\x01s');
      await until(() => output().includes(`amber: saved ${file}`), 'the save');
      child.stdin.write('\x01x');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    const { stdout } = await promisify(execFile)(AMBER, ['run', '--restore', file, '--exec', 'cat /tmp/mark'], { timeout: 240_000 });
    expect(stdout).toBe('typed-before-save\n');
  });
});

/** Collect a child's stdout; `until` polls a condition on it (180 s limit, with the output in the error). */
function watch(child: ChildProcessByStdio<Writable, Readable, null>) {
  let out = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const until = async (test: () => boolean, what: string) => {
    const deadline = Date.now() + 180_000;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output ends with:\n${out.slice(-500)}`);
      await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 1000))]);
    }
  };
  return { output: () => out, until, exited };
}

/**
 * The `amber run` command as a user drives it: the console on stdin/stdout, `reboot` comes
 * back to a shell, `poweroff` ends the process with 0, and --exec exits with the command's status.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const AMBER = new URL('../../bin/amber.js', import.meta.url).pathname;
const READY = 'amber: ready';

describe('amber run', () => {
  it('reboots to a new shell on `reboot` and exits 0 on `poweroff`', { timeout: 400_000 }, async () => {
    const child = spawn(AMBER, ['run', '--harts', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
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
    const readyCount = () => out.split(READY).length - 1;
    try {
      await until(() => readyCount() === 1 && out.slice(out.indexOf(READY)).includes('# '), 'the first shell');
      child.stdin.write('reboot\n');
      await until(() => readyCount() === 2 && out.slice(out.lastIndexOf(READY)).includes('# '), 'the shell after reboot');
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
});

/**
 * `amber run`: boot a guest image headless with the console on stdin/stdout, or run one
 * command in it (`--exec`) and exit with that command's status.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MachineConfig } from '../machine/config.ts';
import { findImageSet, linuxConfig, type ImageManifest } from '../machine/guest-images.ts';
import { PowerState } from '../machine/layout.ts';
import { Machine } from '../machine/machine.ts';
import { DirectoryImageSource } from '../machine/node-images.ts';
import { GuestSession, type PowerOutcome } from '../machine/node-session.ts';
import { loadRestorePlan, saveSnapshotFile, type OpenRestorePlan } from './snapshot-files.ts';
import { positiveInt } from './args.ts';

export const GUEST_IMAGES = new URL('../../guest/images/', import.meta.url).pathname;

export const RUN_USAGE = `  amber run [--harts N] [--memory MiB] [--image NAME] [--exec CMD] [--save FILE] [--timeout SECONDS]
  amber run --restore FILE-OR-URL [--exec CMD] [--save FILE]
      boot a guest image (default 'linux'), or resume a snapshot; the console is on stdin/stdout
      (Ctrl-A x quits, Ctrl-A s saves to --save FILE). With --exec, run CMD in the guest shell,
      print its output, save the snapshot if --save is given, power off, exit with CMD's status.`;

const CTRL_A = 0x01;
/** How long a guest may take to power off after `poweroff`. */
const POWEROFF_TIMEOUT_MS = 30_000;

export function loadManifest(dir = GUEST_IMAGES): ImageManifest {
  return JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as ImageManifest;
}

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      harts: { type: 'string', default: '1' },
      memory: { type: 'string', default: '256' },
      image: { type: 'string', default: 'linux' },
      exec: { type: 'string' },
      save: { type: 'string' },
      restore: { type: 'string' },
      timeout: { type: 'string', default: '600' },
    },
  });
  const images = new DirectoryImageSource(GUEST_IMAGES);
  const source: Launch = values.restore
    ? { kind: 'restore', plan: await loadRestorePlan(values.restore, images) }
    : {
        kind: 'boot',
        config: linuxConfig(
          findImageSet(loadManifest(), values.image),
          positiveInt(values.harts, '--harts'),
          positiveInt(values.memory, '--memory'),
        ),
      };
  const timeoutMs = positiveInt(values.timeout, '--timeout') * 1000;
  return values.exec !== undefined
    ? execInGuest(source, images, values.exec, timeoutMs, values.save)
    : interactive(source, images, values.save);
}

/** A fresh boot from a config, or a resume from a validated snapshot. */
type Launch = { kind: 'boot'; config: MachineConfig } | { kind: 'restore'; plan: OpenRestorePlan };

async function launch(source: Launch, images: DirectoryImageSource, onConsole?: (bytes: Uint8Array) => void): Promise<GuestSession> {
  if (source.kind === 'boot') return GuestSession.start(source.config, images, onConsole);
  try {
    return await GuestSession.resume(source.plan, images, onConsole);
  } finally {
    await source.plan.close(); // the machine holds everything it needs now
  }
}

/** Checkpoint `machine` into `path`, telling the user on stderr. */
async function saveTo(machine: Machine, path: string): Promise<void> {
  const { capture, pauseMs } = await machine.checkpoint();
  const bytes = await saveSnapshotFile(capture, path);
  process.stderr.write(`amber: saved ${path} (${(bytes / 2 ** 20).toFixed(1)} MiB, guest paused ${pauseMs.toFixed(0)} ms)\n`);
}

/** Boot, wait for the shell, run `command`, power off; resolves with the command's status. */
async function execInGuest(source: Launch, images: DirectoryImageSource, command: string, timeoutMs: number, save?: string): Promise<number> {
  const session = await launch(source, images);
  try {
    // A restored guest is already at its shell (or wherever it was saved).
    if (source.kind === 'boot') await session.waitForShell(timeoutMs);
    const result = await session.run(command, timeoutMs);
    process.stdout.write(result.output);
    if (save) await saveTo(session.machine, save);
    const outcome = await session.powerOff(POWEROFF_TIMEOUT_MS);
    if (outcome.event === PowerState.fatal) throw new Error('the emulator failed while the guest powered off');
    return result.status;
  } catch (err) {
    process.stderr.write(`${session.console.output.slice(-2000)}\n`);
    throw err;
  } finally {
    await session.stop();
  }
}

/** The console on stdin/stdout until the guest powers off or the user quits (Ctrl-A x). */
async function interactive(source: Launch, images: DirectoryImageSource, save?: string): Promise<number> {
  const stdin = process.stdin;
  const raw = stdin.isTTY === true;
  let machine: Machine | undefined;
  let quit!: (o: PowerOutcome | 'quit') => void;
  let afterCtrlA = false;

  const onInput = (data: Buffer) => {
    const out: number[] = [];
    for (const byte of data) {
      if (raw && afterCtrlA) {
        afterCtrlA = false;
        if (byte === 0x78 /* x */) return quit('quit');
        if (byte === 0x73 /* s */) {
          if (!save) process.stderr.write('\r\namber: no --save FILE given\r\n');
          else if (machine) saveTo(machine, save).catch((err: Error) => process.stderr.write(`\r\namber: save failed: ${err.message}\r\n`));
          continue;
        }
        if (byte !== CTRL_A) out.push(CTRL_A);
        out.push(byte);
      } else if (raw && byte === CTRL_A) {
        afterCtrlA = true;
      } else {
        out.push(byte);
      }
    }
    machine?.sendInput(out);
  };
  if (raw) stdin.setRawMode(true);
  stdin.on('data', onInput);
  stdin.resume();

  try {
    let current = source;
    for (;;) {
      const ended = new Promise<PowerOutcome | 'quit'>((resolve) => (quit = resolve));
      const session = await launch(current, images, (bytes) => process.stdout.write(bytes));
      machine = session.machine;
      void session.powered.then(quit);
      const outcome = await ended;
      await machine.stop();
      if (outcome === 'quit') return 0;
      if (outcome.event === PowerState.reboot) {
        current = { kind: 'boot', config: machine.config }; // a reboot starts the same machine afresh
        continue;
      }
      if (outcome.event === PowerState.fatal) {
        process.stderr.write('\namber: the emulator stopped on an internal error\n');
        return 1;
      }
      return outcome.code;
    }
  } finally {
    stdin.off('data', onInput);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
  }
}

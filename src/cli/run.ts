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
import { nodePlatform } from '../workers/node-platform.ts';
import { positiveInt } from './args.ts';

export const GUEST_IMAGES = new URL('../../guest/images/', import.meta.url).pathname;

export const RUN_USAGE = `  amber run [--harts N] [--memory MiB] [--image NAME] [--exec CMD] [--timeout SECONDS]
      boot a guest image (default 'linux'); the console is on stdin/stdout (Ctrl-A x quits).
      With --exec, run CMD in the guest shell, print its output, power off, exit with its status.`;

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
      timeout: { type: 'string', default: '600' },
    },
  });
  const config = linuxConfig(
    findImageSet(loadManifest(), values.image),
    positiveInt(values.harts, '--harts'),
    positiveInt(values.memory, '--memory'),
  );
  const timeoutMs = positiveInt(values.timeout, '--timeout') * 1000;
  const images = new DirectoryImageSource(GUEST_IMAGES);
  return values.exec !== undefined ? execInGuest(config, images, values.exec, timeoutMs) : interactive(config, images);
}

/** Boot, wait for the shell, run `command`, power off; resolves with the command's status. */
async function execInGuest(config: MachineConfig, images: DirectoryImageSource, command: string, timeoutMs: number): Promise<number> {
  const session = await GuestSession.start(config, images);
  try {
    await session.waitForShell(timeoutMs);
    const result = await session.run(command, timeoutMs);
    process.stdout.write(result.output);
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
async function interactive(config: MachineConfig, images: DirectoryImageSource): Promise<number> {
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
    for (;;) {
      const ended = new Promise<PowerOutcome | 'quit'>((resolve) => (quit = resolve));
      machine = await Machine.create(config, images, nodePlatform, {
        onConsole: (bytes) => process.stdout.write(bytes),
        onPower: (event, code) => quit({ event, code }),
      });
      await machine.start();
      const outcome = await ended;
      await machine.stop();
      if (outcome === 'quit') return 0;
      if (outcome.event === PowerState.reboot) continue;
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

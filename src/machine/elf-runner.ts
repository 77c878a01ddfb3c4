/**
 * Runs a bare-metal ELF as Spike does: every hart starts at its entry in M-mode
 * (through the boot ROM, a0 = mhartid), console and exit through HTIF (or the UART and
 * the syscon finisher). Node only: the ISA tests and the `amber elf` command use it.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { nodePlatform } from '../workers/node-platform.ts';
import { concatBytes } from '../snapshot/binary.ts';
import type { MachineConfig } from './config.ts';
import { PowerState } from './layout.ts';
import { Machine } from './machine.ts';
import { DirectoryImageSource, imageRefFor } from './node-images.ts';
import type { PowerEvent } from './power.ts';

export interface ElfRunOptions {
  harts?: number;
  /** Stop (timedOut) once the harts together retired this many instructions. */
  maxInstructions?: number;
  memoryMiB?: number;
  /** Stop (timedOut) after this much host time. */
  timeoutMs?: number;
  /** Console bytes as they arrive (the CLI streams them to stdout). */
  onConsole?(bytes: Uint8Array): void;
}

export interface ElfRunResult {
  exitCode: number;
  console: string;
  instructions: bigint;
  timedOut: boolean;
}

const POLL_MS = 20;

export async function runElf(path: string, opts: ElfRunOptions = {}): Promise<ElfRunResult> {
  const bytes = new Uint8Array(await readFile(path));
  const ref = imageRefFor(basename(path), bytes);
  const images = new DirectoryImageSource('.');
  images.add(ref.name, bytes);
  const config: MachineConfig = {
    version: 1,
    harts: opts.harts ?? 1,
    memoryMiB: opts.memoryMiB ?? 64,
    boot: { kind: 'elf', elf: ref },
    deterministic: false,
  };

  const chunks: Uint8Array[] = [];
  let power: { event: PowerEvent; code: number } | undefined;
  const machine = await Machine.create(config, images, nodePlatform, {
    onConsole(b) {
      chunks.push(b);
      opts.onConsole?.(b);
    },
    onPower(event, code) {
      power = { event, code };
    },
  });

  await machine.start();
  const started = performance.now();
  let timedOut = false;
  let instructions = 0n;
  while (!power) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    instructions = machine.hartStatus().reduce((sum, h) => sum + h.instret, 0n);
    if ((opts.maxInstructions !== undefined && instructions >= BigInt(opts.maxInstructions)) ||
        (opts.timeoutMs !== undefined && performance.now() - started > opts.timeoutMs)) {
      timedOut = true;
      break;
    }
  }
  await machine.stop();
  instructions = machine.hartStatus().reduce((sum, h) => sum + h.instret, 0n);

  const console = new TextDecoder().decode(concatBytes(chunks));
  let exitCode = -1;
  if (power) exitCode = power.event === PowerState.fatal ? 128 : power.code;
  return { exitCode, console, instructions, timedOut };
}


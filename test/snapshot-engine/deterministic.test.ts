/**
 * Deterministic mode (one hart, time from retired instructions): a snapshot round trip is
 * bit-exact. From a snapshot S taken at a busy shell, running K instructions straight and
 * running them after save → restore give the same whole-machine hash.
 */
import { describe, expect, it } from 'vitest';
import { GuestConsole } from '../../src/machine/guest-shell.ts';
import { READY_LINE } from '../../src/machine/guest-images.ts';
import { Machine } from '../../src/machine/machine.ts';
import { nodePlatform } from '../../src/workers/node-platform.ts';
import { images, linux, machineStateHash, plan, snapshotBytes } from './helpers.ts';

const STEP = 20_000_000n;
const BOOT_LIMIT = 1_000_000_000n;
const K = 30_000_000n;

async function inlineMachine(make: (events: { onConsole(b: Uint8Array): void }) => Promise<Machine>) {
  let machine: Machine | undefined;
  const console = new GuestConsole((bytes) => machine?.sendInput(bytes));
  machine = await make({ onConsole: (b) => console.push(b) });
  return { machine, console };
}

describe('deterministic snapshots', () => {
  it('replay K instructions bit-identically, straight and through save → restore', { timeout: 600_000 }, async () => {
    const config = linux(1, 128, true);
    const { machine: a, console: ca } = await inlineMachine((events) => Machine.create(config, images, nodePlatform, events));
    // Boot to the shell in virtual time.
    let ran = 0n;
    const atShell = () => ca.output.includes(READY_LINE) && ca.output.slice(ca.output.indexOf(READY_LINE)).includes('# ');
    while (!atShell()) {
      expect(ran, `no shell after ${ran} instructions:\n${ca.output.slice(-500)}`).toBeLessThan(BOOT_LIMIT);
      a.runInline(STEP);
      ran += STEP;
    }
    // Give the shell work that touches the disk, the RTC and timers, then freeze it mid-flight.
    ca.type('i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo $i > /mnt/n; done; date; echo finished\n');
    a.runInline(5_000_000n);
    const { capture } = await a.checkpoint();
    const stateS = await machineStateHash(a);
    const bytes = await snapshotBytes(capture);

    a.runInline(K);
    const straight = await machineStateHash(a);
    expect(straight).not.toBe(stateS); // K instructions really changed the machine

    const { machine: b } = await inlineMachine(async (events) => Machine.restore(await plan(bytes), images, nodePlatform, events));
    expect(await machineStateHash(b)).toBe(stateS);
    b.runInline(K);
    expect(await machineStateHash(b)).toBe(straight);
    await a.stop();
    await b.stop();
  });
});


/**
 * A booted guest in Node with its console attached: what `amber run --exec`, the Linux
 * tests and the benchmarks drive. Node only.
 */
import type { MachineConfig } from './config.ts';
import { READY_LINE } from './guest-images.ts';
import { GuestConsole } from './guest-shell.ts';
import { PowerState } from './layout.ts';
import { Machine, type ImageSource, type MachineEvents } from './machine.ts';
import type { RestorePlan } from '../snapshot/engine.ts';
import type { PowerEvent } from './power.ts';
import { nodePlatform } from '../workers/node-platform.ts';

export interface PowerOutcome {
  event: PowerEvent;
  code: number;
}

export class GuestSession {
  readonly console: GuestConsole;
  /** Resolves when the guest powers off, reboots, exits or the emulator fails. */
  readonly powered: Promise<PowerOutcome>;
  private constructor(readonly machine: Machine, console: GuestConsole, powered: Promise<PowerOutcome>) {
    this.console = console;
    this.powered = powered;
  }

  /** Create and start a machine; `onConsole` sees every console byte as it arrives. */
  static start(config: MachineConfig, images: ImageSource, onConsole?: (bytes: Uint8Array) => void): Promise<GuestSession> {
    return GuestSession.launch((events) => Machine.create(config, images, nodePlatform, events), onConsole);
  }

  /** Build a machine from a validated snapshot and start it. */
  static resume(plan: RestorePlan, images: ImageSource, onConsole?: (bytes: Uint8Array) => void): Promise<GuestSession> {
    return GuestSession.launch((events) => Machine.restore(plan, images, nodePlatform, events), onConsole);
  }

  private static async launch(make: (events: MachineEvents) => Promise<Machine>, onConsole?: (bytes: Uint8Array) => void): Promise<GuestSession> {
    let machine: Machine | undefined;
    let power!: (o: PowerOutcome) => void;
    const powered = new Promise<PowerOutcome>((resolve) => (power = resolve));
    const guestConsole = new GuestConsole((bytes) => machine?.sendInput(bytes));
    machine = await make({
      onConsole: (bytes) => {
        guestConsole.push(bytes);
        onConsole?.(bytes);
      },
      onPower: (event, code) => power({ event, code }),
    });
    await machine.start();
    return new GuestSession(machine, guestConsole, powered);
  }

  /** Wait for the init's ready line and then the first shell prompt; fails early if the guest stops. */
  async waitForShell(timeoutMs: number): Promise<void> {
    const ready = await this.orStopped(this.console.waitFor(READY_LINE, timeoutMs));
    await this.orStopped(this.console.waitFor('# ', timeoutMs, ready));
  }

  /** Run one shell command line; resolves with its output and exit status. */
  run(command: string, timeoutMs = 60_000) {
    return this.orStopped(this.console.run(command, timeoutMs));
  }

  /** Type `poweroff` and wait for the guest to power off. */
  async powerOff(timeoutMs = 30_000): Promise<PowerOutcome> {
    this.console.type('poweroff\n');
    return withTimeout(this.powered, timeoutMs, 'the guest to power off');
  }

  stop(): Promise<void> {
    return this.machine.stop();
  }

  /** `p`, unless the guest stops first (then a clear error instead of a long timeout). */
  orStopped<T>(p: Promise<T>): Promise<T> {
    const stopped = this.powered.then((o): never => {
      throw new Error(`the guest stopped (${describePower(o)}); console ends with:\n${this.console.output.slice(-800)}`);
    });
    return Promise.race([p, stopped]);
  }
}

export function describePower(o: PowerOutcome): string {
  switch (o.event) {
    case PowerState.poweroff: return `power-off, code ${o.code}`;
    case PowerState.reboot: return 'reboot';
    case PowerState.fatal: return 'emulator error';
    default: return `exit ${o.code}`;
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    p.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e: unknown) => { clearTimeout(timer); reject(e); },
    );
  });
}

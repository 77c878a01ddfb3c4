/**
 * The page's side of one machine at a time: the state the page shows (stopped, booting,
 * running, paused, error), boot progress, and the calls to the machine worker. Buttons in
 * main.ts call start/stop/togglePause/reset; the view callbacks paint the result.
 */
import * as Comlink from 'comlink';
import type { MachineConfig } from '../machine/config.ts';
import { READY_LINE } from '../machine/guest-images.ts';
import { PowerState } from '../machine/layout.ts';
import type { PowerEvent } from '../machine/power.ts';
import type { BootProgress, MachineListener, MachineOrigin, MachineStatus, MachineWorkerApi } from '../workers/machine.worker.ts';
import type { BootChoice } from './catalog.ts';
import type { GuestTerminal } from './terminal.ts';

export type UiState = 'stopped' | 'booting' | 'running' | 'paused' | 'error';

export interface Progress {
  label: string;
  /** 0–1, or undefined for "busy, no measure". */
  fraction?: number;
}

export interface SessionView {
  state(state: UiState, message: string, kind: 'info' | 'error'): void;
  progress(p: Progress | undefined): void;
  /** A new machine was built: the status panel starts over. */
  machine(harts: number, memoryMiB: number): void;
}

/** Milestones of a Linux boot on the console, in order. */
const LINUX_STAGES: { text: string; label: string }[] = [
  { text: 'OpenSBI', label: 'firmware (OpenSBI)' },
  { text: 'Linux version', label: 'Linux kernel' },
  { text: 'BusyBox', label: 'starting the shell' },
];

const MiB = 1024 * 1024;
const mib = (n: number) => (n / MiB).toFixed(n < 10 * MiB ? 1 : 0);

export class Session {
  state: UiState = 'stopped';
  /** What the current (or last) machine boots. */
  choice: BootChoice | undefined;
  config: MachineConfig | undefined;
  /** The guest printed its ready line (always true for a bare-metal program once started). */
  ready = false;
  private machineId = -1;
  private origin: MachineOrigin = 'boot';
  private pausedFrom: 'booting' | 'running' = 'running';
  private downloads = new Map<string, number>();
  private bootScan = '';
  private bootStage = -1;
  private bootStartedAt = 0;
  private decoder = new TextDecoder();

  constructor(
    readonly worker: Comlink.Remote<MachineWorkerApi>,
    private readonly terminal: GuestTerminal,
    private readonly imageBase: string,
    private readonly view: SessionView,
  ) {
    const listener: MachineListener = {
      console: (bytes, id) => this.onConsole(bytes, id),
      power: (event, code, id) => this.onPower(event, code, id),
      progress: (p) => this.onProgress(p),
    };
    void worker.connect(Comlink.proxy(listener));
  }

  /** Pause makes sense: the harts run (a boot still downloading has none yet). */
  get canPause(): boolean {
    return this.state === 'running' || this.state === 'paused' || (this.state === 'booting' && this.bootStage >= 0);
  }

  /** Whether a machine exists (booting, running or paused). */
  get active(): boolean {
    return this.state === 'booting' || this.state === 'running' || this.state === 'paused';
  }

  async start(choice: BootChoice, harts: number, memoryMiB: number): Promise<void> {
    this.choice = choice;
    this.config = choice.config(harts, memoryMiB);
    const what = `${choice.kind === 'linux' ? 'Linux' : choice.id} on ${harts} hart${harts > 1 ? 's' : ''} with ${memoryMiB} MiB`;
    await this.build(() => this.worker.boot(this.config!, this.imageBase), `Booting ${what}…`);
  }

  /** Power-cycle: the same config built again from scratch. */
  async reset(message = 'Reset: booting the same machine again…'): Promise<void> {
    if (!this.config) return;
    await this.build(() => this.worker.reset(), message);
  }

  async stop(message = 'Stopped.'): Promise<void> {
    this.setState('stopped', message);
    this.view.progress(undefined);
    try {
      await this.worker.stop();
    } catch (err) {
      this.fail(err);
    }
  }

  async togglePause(): Promise<void> {
    try {
      if (this.state === 'paused') {
        await this.worker.resume();
        this.setState(this.pausedFrom, this.pausedFrom === 'booting' ? 'Booting…' : '');
        this.terminal.sizeSync.active = this.pausedFrom === 'running';
      } else if (this.canPause) {
        this.pausedFrom = this.state === 'booting' ? 'booting' : 'running';
        this.terminal.sizeSync.active = false;
        await this.worker.pause();
        this.setState('paused', 'Paused: every hart is parked at an instruction boundary.');
      }
    } catch (err) {
      this.fail(err);
    }
  }

  /** The worker left the machine paused (a checkpoint with suspend): show it paused. */
  async markPaused(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'booting') return;
    this.pausedFrom = this.state;
    this.terminal.sizeSync.active = false;
    this.setState('paused', 'Suspended after the checkpoint: Resume lets it run on.');
  }

  async status(): Promise<MachineStatus | undefined> {
    return this.active ? this.worker.status() : undefined;
  }

  /** Refresh the boot progress line (elapsed seconds). */
  tick(): void {
    if (this.state === 'booting' && this.bootStage >= 0) this.showBootStage();
  }

  /**
   * Run a worker call that builds and starts a new machine (boot, reset, or a later restore
   * from a snapshot): booting state and progress until it runs, errors in plain words.
   * A restored machine (MachineHost.replace with origin 'restore') counts as up at once.
   */
  async build(call: () => Promise<void>, message: string): Promise<void> {
    this.ready = false;
    this.machineId = -1;
    this.bootStage = -1;
    this.terminal.sizeSync.active = false;
    this.setState('booting', message);
    this.view.progress({ label: message });
    try {
      await call();
    } catch (err) {
      // Overtaken by Stop or another boot (see MachineHost.replace).
      if (err instanceof Error && err.name === 'AbortError') return;
      this.view.progress(undefined);
      this.fail(err);
      void this.worker.stop().catch(() => {});
    }
  }

  /**
   * Resume a snapshot (`call` validates it, builds the machine and swaps it in, in the
   * worker). Unlike build(), a failure leaves the running machine and the page's state as
   * they were, and only says why.
   */
  async restore(call: () => Promise<unknown>, message: string): Promise<boolean> {
    this.view.progress({ label: message });
    this.view.state(this.state, message, 'info');
    try {
      await call();
      return true;
    } catch (err) {
      this.view.progress(undefined);
      if (err instanceof Error && err.name === 'AbortError') return false;
      const text = err instanceof Error ? err.message : String(err);
      this.view.state(this.state, `${text}${this.active ? ' The running machine was not changed.' : ''}`, 'error');
      return false;
    }
  }

  private onProgress(p: BootProgress): void {
    switch (p.stage) {
      case 'create':
        // Everything after this belongs to the new machine: a fresh screen.
        this.machineId = p.machineId;
        this.origin = p.origin;
        this.downloads.clear();
        this.bootScan = '';
        this.decoder = new TextDecoder();
        if (p.origin === 'restore' && p.config) {
          this.config = p.config;
          this.choice = restoredChoice(p.config);
        }
        this.terminal.newSession(this.choice?.readyLine, this.choice?.kind === 'elf');
        // A restored machine: the screen as it was when the snapshot was taken.
        if (p.origin === 'restore' && p.screen?.text) this.terminal.term.write(p.screen.text);
        this.view.machine(p.harts, p.memoryMiB);
        break;
      case 'download': {
        this.downloads.set(p.file, p.loaded);
        const files = this.choice?.files ?? [];
        const total = files.reduce((a, f) => a + f.size, 0) || p.total;
        const loaded = [...this.downloads.values()].reduce((a, b) => a + b, 0);
        this.view.progress({ label: `Downloading ${p.file}: ${mib(loaded)} of ${mib(total)} MiB`, fraction: total ? Math.min(1, loaded / total) : undefined });
        break;
      }
      case 'verify':
        this.view.progress({ label: `Checking ${p.file}…` });
        break;
      case 'start':
        this.bootStartedAt = performance.now();
        if (this.origin === 'restore') {
          this.bootStage = LINUX_STAGES.length;
          this.ready = true;
          this.view.progress(undefined);
          this.terminal.sizeSync.markReady();
          this.terminal.sizeSync.active = true;
          this.setState('running', 'Restored: the machine runs on from its snapshot.');
        } else if (this.choice?.readyLine) {
          this.bootStage = 0;
          this.showBootStage();
        } else {
          this.bootStage = 0;
          this.ready = true;
          this.view.progress(undefined);
          this.setState('running', `Running ${this.choice?.id ?? 'the program'}.`);
        }
        break;
    }
  }

  private showBootStage(): void {
    const stage = this.bootStage > 0 ? LINUX_STAGES[this.bootStage - 1].label : 'starting the harts';
    const seconds = Math.round((performance.now() - this.bootStartedAt) / 1000);
    this.view.progress({ label: `Booting Linux: ${stage} (${seconds} s)`, fraction: (this.bootStage + 1) / (LINUX_STAGES.length + 2) });
  }

  private onConsole(bytes: Uint8Array, id: number): void {
    if (id !== this.machineId) return;
    this.terminal.write(bytes);
    if (this.ready || !this.choice?.readyLine) return;
    this.bootScan = (this.bootScan + this.decoder.decode(bytes, { stream: true })).slice(-4096);
    let stage = this.bootStage;
    for (let i = LINUX_STAGES.length - 1; i >= Math.max(0, stage); i--) {
      if (this.bootScan.includes(LINUX_STAGES[i].text)) {
        stage = i + 1;
        break;
      }
    }
    if (stage !== this.bootStage) {
      this.bootStage = stage;
      if (this.state === 'booting') this.showBootStage();
    }
    if (this.bootScan.includes(this.choice.readyLine)) {
      this.ready = true;
      const seconds = ((performance.now() - this.bootStartedAt) / 1000).toFixed(1);
      if (this.state === 'booting') {
        this.view.progress(undefined);
        this.setState('running', `Linux is up (booted in ${seconds} s). Click the terminal to type.`);
        this.terminal.sizeSync.active = true;
      } else if (this.state === 'paused') {
        this.pausedFrom = 'running';
      }
    }
  }

  private onPower(event: PowerEvent, code: number, id: number): void {
    if (id !== this.machineId) return;
    this.terminal.sizeSync.active = false;
    switch (event) {
      case PowerState.reboot:
        void this.reset('The guest rebooted: booting again…');
        return;
      case PowerState.fatal:
        this.setState('error', 'The emulator stopped on an internal error. Details are in the browser\'s developer console; Start boots a fresh machine.');
        break;
      case PowerState.htifExit:
        this.setState('stopped', `The program finished and powered off (exit code ${code}).`);
        break;
      default:
        this.setState('stopped', `The guest powered off${code ? ` (exit code ${code})` : ''}.`);
    }
    this.view.progress(undefined);
    void this.worker.stop().catch(() => {});
  }

  private fail(err: unknown): void {
    this.terminal.sizeSync.active = false;
    this.setState('error', plainError(err, this.config));
  }

  private setState(state: UiState, message: string): void {
    this.state = state;
    this.view.state(state, message, state === 'error' ? 'error' : 'info');
  }
}

/** What the page knows of a machine restored from a snapshot (no catalog entry needed). */
function restoredChoice(config: MachineConfig): BootChoice {
  const linux = config.boot.kind === 'linux';
  return {
    id: 'snapshot',
    label: 'snapshot',
    kind: linux ? 'linux' : 'elf',
    readyLine: linux ? READY_LINE : undefined,
    minMemoryMiB: config.memoryMiB,
    files: [],
    config: () => config,
  };
}

/** An error from the machine worker, said for people. */
export function plainError(err: unknown, config?: MachineConfig): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/allocat|out of memory|Memory\(\)|RangeError/i.test(text) && config) {
    return `The browser could not reserve ${config.memoryMiB} MiB of shared memory for the guest. Pick a smaller RAM size and start again.`;
  }
  if (/could not download|fetch/i.test(text)) return `A guest image could not be downloaded: ${text}. Check the connection and that the site is complete.`;
  if (/sha256|expected \d+/.test(text)) return `A guest image is damaged or out of date (${text}). Reload the page; if it persists, the site's images do not match its manifest.`;
  if (/timed out waiting for harts/.test(text)) return 'The harts did not respond in time (the computer may be very busy). Stop, then start again.';
  return `Something went wrong: ${text}`;
}

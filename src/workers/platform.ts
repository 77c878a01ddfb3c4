/**
 * What the machine controller needs from its host environment: threads for harts and
 * the compiled core. One implementation for the browser, one for Node.
 */
import type { CopyThread } from './copier.ts';
import type { HartStartMessage } from './hart-runner.ts';

export interface HartThread {
  /** Resolves when the thread has ended; rejects with the thread's error. */
  readonly done: Promise<void>;
  terminate(): void;
}

export interface Platform {
  compileCore(): Promise<WebAssembly.Module>;
  spawnHart(msg: HartStartMessage): HartThread;
  /**
   * Start `harts` hart threads ahead of spawnHart (a restore does it while it reads the file):
   * they load their code and wait for their start message. Threads nobody takes do not keep
   * the process alive.
   */
  prewarmHarts?(harts: number): void;
  /** A thread that helps copy memory during a checkpoint's pause (see copier.ts). */
  spawnCopier?(): CopyThread;
}

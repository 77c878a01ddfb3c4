/**
 * What the machine controller needs from its host environment: threads for harts and
 * the compiled core. One implementation for the browser, one for Node.
 */
import type { HartStartMessage } from './hart-runner.ts';

export interface HartThread {
  /** Resolves when the thread has ended; rejects with the thread's error. */
  readonly done: Promise<void>;
  terminate(): void;
}

export interface Platform {
  compileCore(): Promise<WebAssembly.Module>;
  spawnHart(msg: HartStartMessage): HartThread;
}

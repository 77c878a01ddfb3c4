/** Hart threads as module Web Workers, and the core compiled from its own .wasm file. */
import coreUrl from '../../build/wasm/hart.wasm?url';
import { COPY_THREAD_SOURCE, copyThreadOver, type CopyThread } from './copier.ts';
import type { HartStartMessage } from './hart-runner.ts';
import type { HartThread, Platform } from './platform.ts';

let compiled: Promise<WebAssembly.Module> | undefined;
/** Hart workers started ahead of need (prewarmHarts), waiting for their start message. */
const idleHarts: Worker[] = [];
let copyScriptUrl: string | undefined;

function newHartWorker(name: string): Worker {
  return new Worker(new URL('./hart.worker.ts', import.meta.url), { type: 'module', name });
}

export const browserPlatform: Platform = {
  compileCore() {
    compiled ??= WebAssembly.compileStreaming(fetch(coreUrl));
    return compiled;
  },

  prewarmHarts(harts: number) {
    while (idleHarts.length < harts) {
      const worker = newHartWorker('hart');
      // A worker whose script failed to load is dropped; spawnHart then starts a fresh one.
      worker.onerror = () => {
        const i = idleHarts.indexOf(worker);
        if (i >= 0) idleHarts.splice(i, 1);
      };
      idleHarts.push(worker);
    }
  },

  spawnHart(msg: HartStartMessage): HartThread {
    const worker = idleHarts.shift() ?? newHartWorker(`hart${msg.hartId}`);
    const done = new Promise<void>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ type: string; message?: string }>) => {
        if (e.data.type === 'error') reject(new Error(e.data.message));
        else resolve();
      };
      worker.onerror = (e) => reject(new Error(e.message || 'hart worker failed to start'));
    });
    worker.postMessage(msg);
    return { done, terminate: () => worker.terminate() };
  },

  spawnCopier(): CopyThread {
    copyScriptUrl ??= URL.createObjectURL(new Blob([COPY_THREAD_SOURCE], { type: 'text/javascript' }));
    const worker = new Worker(copyScriptUrl, { name: 'copy' });
    const thread = copyThreadOver(worker);
    worker.onerror = thread.ended;
    return thread;
  },
};

/** Hart threads as module Web Workers, and the core compiled from its own .wasm file. */
import coreUrl from '../../build/wasm/hart.wasm?url';
import type { HartStartMessage } from './hart-runner.ts';
import type { HartThread, Platform } from './platform.ts';

let compiled: Promise<WebAssembly.Module> | undefined;

export const browserPlatform: Platform = {
  compileCore() {
    compiled ??= WebAssembly.compileStreaming(fetch(coreUrl));
    return compiled;
  },

  spawnHart(msg: HartStartMessage): HartThread {
    const worker = new Worker(new URL('./hart.worker.ts', import.meta.url), { type: 'module', name: `hart${msg.hartId}` });
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
};

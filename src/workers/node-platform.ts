/** Hart threads as Node worker_threads, and the core compiled from build/wasm. */
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { HartStartMessage } from './hart-runner.ts';
import type { HartThread, Platform } from './platform.ts';

const CORE_WASM = new URL('../../build/wasm/hart.wasm', import.meta.url);
const BOOTSTRAP = new URL('./node-bootstrap.mjs', import.meta.url);
const HART_ENTRY = new URL('./hart.node.ts', import.meta.url).href;

let compiled: Promise<WebAssembly.Module> | undefined;

export const nodePlatform: Platform = {
  compileCore() {
    compiled ??= readFile(CORE_WASM).then(
      (bytes) => WebAssembly.compile(bytes),
      (err) => {
        throw new Error(`cannot read the hart core ${CORE_WASM.pathname}: run 'npm run build:wasm' (${err.message})`);
      },
    );
    return compiled;
  },

  spawnHart(msg: HartStartMessage): HartThread {
    const worker = new Worker(BOOTSTRAP, { workerData: { entry: HART_ENTRY }, name: `hart${msg.hartId}` });
    worker.postMessage(msg);
    const done = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', () => resolve());
    });
    return { done, terminate: () => void worker.terminate() };
  },
};

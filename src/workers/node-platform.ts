/**
 * Hart threads as Node worker_threads, and the core compiled from build/wasm.
 *
 * The hart thread's TypeScript is bundled once per process with esbuild into one ES module
 * (named by its content hash under build/node/), so each thread starts in milliseconds
 * instead of compiling every source file again.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { COPY_THREAD_SOURCE, copyThreadOver, type CopyThread } from './copier.ts';
import type { HartStartMessage } from './hart-runner.ts';
import type { HartThread, Platform } from './platform.ts';

const CORE_WASM = new URL('../../build/wasm/hart.wasm', import.meta.url);
const HART_ENTRY = new URL('./hart.node.ts', import.meta.url);
const BUNDLE_DIR = new URL('../../build/node/', import.meta.url);

let prepared: Promise<WebAssembly.Module> | undefined;
let hartScript: URL | undefined;
/** Hart threads started ahead of need (prewarmHarts), waiting for their start message; unref'd. */
const idleHarts: Worker[] = [];

/**
 * This process's Node flags without tsx's loader: the hart bundle and the copy thread are plain
 * JavaScript, and a thread that loads tsx first starts several times slower.
 */
function threadExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (/^(--require|-r|--import|--loader|--experimental-loader)$/.test(a) && /tsx/.test(args[i + 1] ?? '')) { i++; continue; }
    if (/^(--require|-r|--import|--loader|--experimental-loader)=.*tsx/.test(a)) continue;
    out.push(a);
  }
  return out;
}

function newHartWorker(name: string): Worker {
  return new Worker(hartScript!, { name, execArgv: threadExecArgv() });
}

async function compileCoreFile(): Promise<WebAssembly.Module> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(CORE_WASM));
  } catch (err) {
    throw new Error(`cannot read the hart core ${CORE_WASM.pathname}: run 'npm run build:wasm' (${(err as Error).message})`);
  }
  return WebAssembly.compile(bytes);
}

/** Bundle the hart thread entry into build/node/hart-<hash>.mjs (written once, atomically). */
async function bundleHartThread(): Promise<URL> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(HART_ENTRY)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const file = new URL(`hart-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`, BUNDLE_DIR);
  await mkdir(BUNDLE_DIR, { recursive: true });
  const partial = new URL(`${file.href}.${process.pid}.partial`);
  await writeFile(partial, code);
  await rename(partial, file);
  return file;
}

export const nodePlatform: Platform = {
  compileCore() {
    prepared ??= Promise.all([compileCoreFile(), bundleHartThread()]).then(([module, script]) => {
      hartScript = script;
      return module;
    });
    return prepared;
  },

  prewarmHarts(harts: number) {
    void this.compileCore().then(() => {
      while (idleHarts.length < harts) {
        const worker = newHartWorker('hart');
        worker.unref();
        const drop = () => {
          const i = idleHarts.indexOf(worker);
          if (i >= 0) idleHarts.splice(i, 1);
        };
        worker.once('error', drop);
        worker.once('exit', drop);
        idleHarts.push(worker);
      }
    }, () => undefined);
  },

  spawnHart(msg: HartStartMessage): HartThread {
    if (!hartScript) throw new Error('compileCore() must finish before hart threads start');
    const worker = idleHarts.shift() ?? newHartWorker(`hart${msg.hartId}`);
    worker.removeAllListeners('error').removeAllListeners('exit');
    worker.ref();
    worker.postMessage(msg);
    const done = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', () => resolve());
    });
    return { done, terminate: () => void worker.terminate() };
  },

  spawnCopier(): CopyThread {
    const worker = new Worker(COPY_THREAD_SOURCE, { eval: true, name: 'copy', execArgv: threadExecArgv() });
    worker.unref(); // never what keeps the process alive
    const thread = copyThreadOver(worker);
    worker.on('error', thread.ended);
    worker.once('exit', thread.ended);
    return thread;
  },
};

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
import type { HartStartMessage } from './hart-runner.ts';
import type { HartThread, Platform } from './platform.ts';

const CORE_WASM = new URL('../../build/wasm/hart.wasm', import.meta.url);
const HART_ENTRY = new URL('./hart.node.ts', import.meta.url);
const BUNDLE_DIR = new URL('../../build/node/', import.meta.url);

let prepared: Promise<WebAssembly.Module> | undefined;
let hartScript: URL | undefined;

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

  spawnHart(msg: HartStartMessage): HartThread {
    if (!hartScript) throw new Error('compileCore() must finish before hart threads start');
    const worker = new Worker(hartScript, { name: `hart${msg.hartId}` });
    worker.postMessage(msg);
    const done = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', () => resolve());
    });
    return { done, terminate: () => void worker.terminate() };
  },
};

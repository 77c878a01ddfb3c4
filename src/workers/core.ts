/**
 * The hart core module (build/wasm/hart.wasm): its exports, and instantiation over the
 * machine's shared memory with the host functions it imports (see docs/CONTRACTS.md).
 */
export interface CoreExports {
  init(hartId: number): void;
  reset(pc: bigint): void;
  run(budget: number): number;
  flushCaches(): void;
}

export interface CoreHost {
  mmioLoad(paddr: bigint, size: number): bigint;
  mmioStore(paddr: bigint, size: number, value: bigint): void;
  mtime(): bigint;
}

export function instantiateCore(module: WebAssembly.Module, memory: WebAssembly.Memory, host: CoreHost): CoreExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      mmioLoad: host.mmioLoad,
      mmioStore: host.mmioStore,
      mtime: host.mtime,
      abort(_msg: number, _file: number, line: number, column: number) {
        throw new Error(`hart core aborted at ${line}:${column}`);
      },
    },
  });
  return instance.exports as unknown as CoreExports;
}

/** A core instance for the controller's own use (reset, cache flushes): it never runs guest code. */
export function maintenanceCore(module: WebAssembly.Module, memory: WebAssembly.Memory): CoreExports {
  const refuse = (): never => {
    throw new Error('maintenance core instance must not run guest code');
  };
  return instantiateCore(module, memory, { mmioLoad: refuse, mmioStore: refuse, mtime: refuse });
}

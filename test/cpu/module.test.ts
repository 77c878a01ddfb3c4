import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreModule } from './harness.ts';

describe('hart.wasm module', () => {
  it('has the contract imports and exports (docs/CONTRACTS.md)', () => {
    const mod = coreModule();
    const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}:${i.kind}`).sort();
    expect(imports).toEqual(['env.memory:memory', 'env.mmioLoad:function', 'env.mmioStore:function', 'env.mtime:function']);
    const exports = WebAssembly.Module.exports(mod).filter((e) => e.kind === 'function').map((e) => e.name).sort();
    expect(exports).toEqual(['flushCaches', 'init', 'reset', 'run']);
  });

  it('never allocates and has no mutable static data (several instances share one memory)', () => {
    const wat = readFileSync(new URL('../../build/wasm/hart.wat', import.meta.url), 'utf8');
    expect(wat).not.toMatch(/__new|__alloc|__renew/);
    // Data segments, if any, must be constant tables: the core has none today.
    expect(wat.match(/\(data /g) ?? []).toHaveLength(0);
  });
});

/**
 * The hart core module is safe to instantiate once per thread over one shared memory:
 * it imports that memory, never allocates, and its static data stays below the
 * control block (every instance re-copies its data segments at instantiation).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTROL_BASE, CORE_MAX_PAGES, CORE_MIN_PAGES, HS, LAYOUT_MAGIC, hartBase } from '../../src/machine/layout.ts';
import { SharedMachineMemory } from '../../src/machine/shared-memory.ts';
import { maintenanceCore } from '../../src/workers/core.ts';

const wasm = readFileSync(new URL('../../build/wasm/hart.wasm', import.meta.url));
const wat = readFileSync(new URL('../../build/wasm/hart.wat', import.meta.url), 'utf8');

describe('the hart core module', () => {
  it('imports one shared memory sized from the layout and exports the core interface', () => {
    const module = new WebAssembly.Module(wasm);
    expect(WebAssembly.Module.imports(module)).toContainEqual({ module: 'env', name: 'memory', kind: 'memory' });
    expect(wat).toMatch(new RegExp(`\\(import "env" "memory" \\(memory \\$\\d+ ${CORE_MIN_PAGES} ${CORE_MAX_PAGES} shared\\)\\)`));
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const name of ['init', 'reset', 'run', 'flushCaches']) expect(exports).toContain(name);
  });

  it('never allocates: no managed-object allocation in the code', () => {
    expect(wat).not.toMatch(/\b__new\b|\b__alloc\b|\b__renew\b/);
  });

  it('keeps its static data below the control block', () => {
    const segments = [...wat.matchAll(/\(data \$\S+ \(i32\.const (\d+)\) "((?:[^"\\]|\\.)*)"\)/g)];
    // Every data segment was understood (there may be none at all).
    expect(segments.length).toBe((wat.match(/\(data /g) ?? []).length);
    for (const [, start, text] of segments) {
      const length = text.replace(/\\[0-9a-f]{2}/gi, 'x').replace(/\\./g, 'x').length;
      expect(Number(start) + length).toBeLessThan(CONTROL_BASE);
    }
  });

  it('gives each instance its own hart block: instantiating more does not disturb existing state', () => {
    const mem = SharedMachineMemory.create(16 << 20);
    mem.initControl(8, 16 << 20);
    expect(mem.ctrl(0)).toBe(LAYOUT_MAGIC);
    const module = new WebAssembly.Module(wasm);
    const pcOf = (h: number) => mem.u64[(hartBase(h) + HS.pc) >> 3];
    const first = maintenanceCore(module, mem.memory);
    first.init(0);
    first.reset(0x8000_1234n);
    for (let h = 1; h < 8; h++) {
      const other = maintenanceCore(module, mem.memory);
      other.init(h);
      other.reset(BigInt(0x8000_0000 + h * 0x100));
    }
    // The control block and hart 0 survived seven more instantiations (data segments, start functions).
    expect(mem.ctrl(0)).toBe(LAYOUT_MAGIC);
    expect(pcOf(0)).toBe(0x8000_1234n);
    for (let h = 1; h < 8; h++) {
      expect(pcOf(h)).toBe(BigInt(0x8000_0000 + h * 0x100));
      expect(mem.u64[(hartBase(h) + HS.mhartid) >> 3]).toBe(BigInt(h));
    }
  });
});

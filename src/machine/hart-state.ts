/** A hart's architectural state as named fields (what snapshots carry), over its hart block. */
import type { FieldValues } from '../devices/state.ts';
import { hartBase, hartStateOffsets } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

const FIELDS = hartStateOffsets();

export function saveHartState(mem: SharedMachineMemory, hart: number): FieldValues {
  const base = hartBase(hart);
  const out: FieldValues = {};
  for (const f of FIELDS) {
    const first = (base + f.offset) >> 3;
    out[f.name] = Array.from(mem.u64.subarray(first, first + f.count));
  }
  return out;
}

/** Write named values (already migrated and schema-checked) into the hart block. */
export function loadHartState(mem: SharedMachineMemory, hart: number, values: FieldValues): void {
  const base = hartBase(hart);
  for (const f of FIELDS) {
    const v = values[f.name];
    if (!v || v.length !== f.count) throw new Error(`hart ${hart}: field '${f.name}' missing or of the wrong length`);
    const first = (base + f.offset) >> 3;
    v.forEach((x, i) => (mem.u64[first + i] = BigInt.asUintN(64, x)));
  }
}

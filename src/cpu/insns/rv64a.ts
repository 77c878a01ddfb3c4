// A extension on the shared memory: every AMO is one wasm atomic (or a cmpxchg loop for
// MIN/MAX), so harts in other workers see them. SC is a cmpxchg against the value LR saw
// (as QEMU does). aq/rl are accepted: wasm atomics are sequentially consistent.
import { HS_RESERVATION, HS_RESERVATION_VALID, HS_RESERVATION_VALUE } from '../generated/layout';
import { rd64, wr64 } from '../state';
import { rs1v, rs2v, wrd } from '../isa/entry';
import { amoHost } from '../mem';
import { takeException } from '../trap';

@inline function sext32(v: u32): u64 { return <u64><i64><i32>v; }

export function LR_W(e: usize, pc: u64, npc: u64): u64 {
  const a = rs1v(e);
  const h = amoHost(a, 4, true);
  if (h == 0) return takeException(pc);
  const v = atomic.load<u32>(h);
  wr64(HS_RESERVATION, a); wr64(HS_RESERVATION_VALUE, v); wr64(HS_RESERVATION_VALID, 1);
  wrd(e, sext32(v));
  return npc;
}
export function LR_D(e: usize, pc: u64, npc: u64): u64 {
  const a = rs1v(e);
  const h = amoHost(a, 8, true);
  if (h == 0) return takeException(pc);
  const v = atomic.load<u64>(h);
  wr64(HS_RESERVATION, a); wr64(HS_RESERVATION_VALUE, v); wr64(HS_RESERVATION_VALID, 1);
  wrd(e, v);
  return npc;
}
export function SC_W(e: usize, pc: u64, npc: u64): u64 {
  const a = rs1v(e);
  const h = amoHost(a, 4, false);
  if (h == 0) return takeException(pc);
  let fail: u64 = 1;
  if (rd64(HS_RESERVATION_VALID) != 0 && rd64(HS_RESERVATION) == a) {
    const seen = <u32>rd64(HS_RESERVATION_VALUE);
    if (atomic.cmpxchg<u32>(h, seen, <u32>rs2v(e)) == seen) fail = 0;
  }
  wr64(HS_RESERVATION_VALID, 0);
  wrd(e, fail);
  return npc;
}
export function SC_D(e: usize, pc: u64, npc: u64): u64 {
  const a = rs1v(e);
  const h = amoHost(a, 8, false);
  if (h == 0) return takeException(pc);
  let fail: u64 = 1;
  if (rd64(HS_RESERVATION_VALID) != 0 && rd64(HS_RESERVATION) == a) {
    const seen = rd64(HS_RESERVATION_VALUE);
    if (atomic.cmpxchg<u64>(h, seen, rs2v(e)) == seen) fail = 0;
  }
  wr64(HS_RESERVATION_VALID, 0);
  wrd(e, fail);
  return npc;
}

// AMO kinds
export const AMO_SWAP: u32 = 0, AMO_ADD: u32 = 1, AMO_XOR: u32 = 2, AMO_AND: u32 = 3, AMO_OR: u32 = 4;
export const AMO_MIN: u32 = 5, AMO_MAX: u32 = 6, AMO_MINU: u32 = 7, AMO_MAXU: u32 = 8;

@inline function pick32(k: u32, old: u32, src: u32): u32 {
  if (k == AMO_MIN) return <i32>old < <i32>src ? old : src;
  if (k == AMO_MAX) return <i32>old > <i32>src ? old : src;
  if (k == AMO_MINU) return old < src ? old : src;
  return old > src ? old : src;
}
@inline function pick64(k: u32, old: u64, src: u64): u64 {
  if (k == AMO_MIN) return <i64>old < <i64>src ? old : src;
  if (k == AMO_MAX) return <i64>old > <i64>src ? old : src;
  if (k == AMO_MINU) return old < src ? old : src;
  return old > src ? old : src;
}

export function AMO_W(e: usize, pc: u64, npc: u64, k: u32): u64 {
  const h = amoHost(rs1v(e), 4, false);
  if (h == 0) return takeException(pc);
  const src = <u32>rs2v(e);
  let old: u32;
  switch (k) {
    case AMO_SWAP: old = atomic.xchg<u32>(h, src); break;
    case AMO_ADD: old = atomic.add<u32>(h, src); break;
    case AMO_XOR: old = atomic.xor<u32>(h, src); break;
    case AMO_AND: old = atomic.and<u32>(h, src); break;
    case AMO_OR: old = atomic.or<u32>(h, src); break;
    default: {
      old = atomic.load<u32>(h);
      while (true) {
        const seen = atomic.cmpxchg<u32>(h, old, pick32(k, old, src));
        if (seen == old) break;
        old = seen;
      }
    }
  }
  wrd(e, sext32(old));
  return npc;
}

export function AMO_D(e: usize, pc: u64, npc: u64, k: u32): u64 {
  const h = amoHost(rs1v(e), 8, false);
  if (h == 0) return takeException(pc);
  const src = rs2v(e);
  let old: u64;
  switch (k) {
    case AMO_SWAP: old = atomic.xchg<u64>(h, src); break;
    case AMO_ADD: old = atomic.add<u64>(h, src); break;
    case AMO_XOR: old = atomic.xor<u64>(h, src); break;
    case AMO_AND: old = atomic.and<u64>(h, src); break;
    case AMO_OR: old = atomic.or<u64>(h, src); break;
    default: {
      old = atomic.load<u64>(h);
      while (true) {
        const seen = atomic.cmpxchg<u64>(h, old, pick64(k, old, src));
        if (seen == old) break;
        old = seen;
      }
    }
  }
  wrd(e, old);
  return npc;
}

// F and D: decode-side semantics. Arithmetic is src/cpu/fpu (pure functions on bit patterns);
// here: FS gating, rounding-mode resolution, NaN-boxing, sign injection, moves, loads/stores,
// and accruing the FPU's exception flags into fflags.
import { HS_FCSR, HS_MSTATUS } from '../generated/layout';
import { hb, rd64, wr64 } from '../state';
import { Op } from '../isa/ops';
import { eImm32, eRm, eRdAddr, eRs1Addr, eRs2Addr, rs1v, wrd } from '../isa/entry';
import { MS_FS } from '../consts';
import { fsDirty } from '../csr';
import { memRead, memWrite } from '../mem';
import { excCause, takeException } from '../trap';
import { exitKind, POISON } from '../sched';
import { illegal } from './system';
import * as F from '../fpu/index';
import { fflagsAcc } from '../fpu/flags';

const BOX: u64 = 0xffffffff00000000;
const F32_CANON: u32 = 0x7fc00000;
const F32_SIGN: u32 = 0x80000000;
const F64_SIGN: u64 = 0x8000000000000000;

/** A single-precision operand: improperly NaN-boxed values read as the canonical NaN. */
@inline function unbox(v: u64): u32 { return (v & BOX) == BOX ? <u32>v : F32_CANON; }
@inline function fs1(e: usize): u32 { return unbox(load<u64>(eRs1Addr(e))); }
@inline function fs2(e: usize): u32 { return unbox(load<u64>(eRs2Addr(e))); }
@inline function fs3(e: usize): u32 { return unbox(load<u64>(<usize><u32>eImm32(e))); }
@inline function fd1(e: usize): u64 { return load<u64>(eRs1Addr(e)); }
@inline function fd2(e: usize): u64 { return load<u64>(eRs2Addr(e)); }
@inline function fd3(e: usize): u64 { return load<u64>(<usize><u32>eImm32(e)); }

@inline function setS(e: usize, v: u32): void { store<u64>(eRdAddr(e), BOX | <u64>v); fsDirty(); }
@inline function setD(e: usize, v: u64): void { store<u64>(eRdAddr(e), v); fsDirty(); }
@inline function sext32(v: u32): u64 { return <u64><i64><i32>v; }

@inline function fpOff(): bool { return (rd64(HS_MSTATUS) & MS_FS) == 0; }

/** Resolve an instruction's rm field: DYN (7) takes frm; 5, 6 (and frm ≥ 5) are illegal (-1). */
@inline function resolveRm(rm: u32): i32 {
  const r = rm == 7 ? <u32>(rd64(HS_FCSR) >> 5) & 7 : rm;
  return r >= 5 ? -1 : <i32>r;
}

/** OR the flags the FPU raised into fflags. */
@inline function accrue(): void {
  const fl = fflagsAcc;
  if (fl != 0) { wr64(HS_FCSR, rd64(HS_FCSR) | <u64>fl); fsDirty(); }
}

// ── Loads and stores: no canonicalisation ──
export function FLOAD(e: usize, pc: u64, npc: u64, dbl: bool): u64 {
  if (fpOff()) return illegal(e, pc);
  const a = rs1v(e) + <u64>eImm32(e);
  if (dbl) {
    const v = memRead<u64>(a, pc);
    if (excCause >= 0) return takeException(pc);
    setD(e, v);
  } else {
    const v = memRead<u32>(a, pc);
    if (excCause >= 0) return takeException(pc);
    setS(e, <u32>v);
  }
  return exitKind != 0 ? npc ^ POISON : npc;
}
export function FSTORE(e: usize, pc: u64, npc: u64, dbl: bool): u64 {
  if (fpOff()) return illegal(e, pc);
  const a = rs1v(e) + <u64>eImm32(e);
  if (dbl) memWrite<u64>(a, fd2(e), pc);
  else memWrite<u32>(a, fd2(e), pc);
  if (excCause >= 0) return takeException(pc);
  return exitKind != 0 ? npc ^ POISON : npc;
}

/** Every other F/D instruction. */
export function execFp(e: usize, pc: u64, npc: u64, op: u32): u64 {
  if (fpOff()) return illegal(e, pc);
  // Ops with a rounding mode: resolve it first (reserved rm is an illegal instruction).
  let rm: i32 = 0;
  switch (op) {
    case Op.FSGNJ_S: case Op.FSGNJN_S: case Op.FSGNJX_S: case Op.FMIN_S: case Op.FMAX_S:
    case Op.FEQ_S: case Op.FLT_S: case Op.FLE_S: case Op.FCLASS_S: case Op.FMV_X_W: case Op.FMV_W_X:
    case Op.FSGNJ_D: case Op.FSGNJN_D: case Op.FSGNJX_D: case Op.FMIN_D: case Op.FMAX_D:
    case Op.FEQ_D: case Op.FLT_D: case Op.FLE_D: case Op.FCLASS_D: case Op.FMV_X_D: case Op.FMV_D_X:
      break;
    default:
      rm = resolveRm(eRm(e)); if (rm < 0) return illegal(e, pc); break;
  }
  F.clearFlags();
  switch (op) {
    // single precision
    case Op.FMADD_S: setS(e, F.f32_fma(fs1(e), fs2(e), fs3(e), rm)); break;
    case Op.FMSUB_S: setS(e, F.f32_fma(fs1(e), fs2(e), fs3(e) ^ F32_SIGN, rm)); break;
    case Op.FNMSUB_S: setS(e, F.f32_fma(fs1(e) ^ F32_SIGN, fs2(e), fs3(e), rm)); break;
    case Op.FNMADD_S: setS(e, F.f32_fma(fs1(e) ^ F32_SIGN, fs2(e), fs3(e) ^ F32_SIGN, rm)); break;
    case Op.FADD_S: setS(e, F.f32_add(fs1(e), fs2(e), rm)); break;
    case Op.FSUB_S: setS(e, F.f32_sub(fs1(e), fs2(e), rm)); break;
    case Op.FMUL_S: setS(e, F.f32_mul(fs1(e), fs2(e), rm)); break;
    case Op.FDIV_S: setS(e, F.f32_div(fs1(e), fs2(e), rm)); break;
    case Op.FSQRT_S: setS(e, F.f32_sqrt(fs1(e), rm)); break;
    case Op.FSGNJ_S: setS(e, (fs1(e) & ~F32_SIGN) | (fs2(e) & F32_SIGN)); break;
    case Op.FSGNJN_S: setS(e, (fs1(e) & ~F32_SIGN) | (~fs2(e) & F32_SIGN)); break;
    case Op.FSGNJX_S: setS(e, fs1(e) ^ (fs2(e) & F32_SIGN)); break;
    case Op.FMIN_S: setS(e, F.f32_min(fs1(e), fs2(e))); break;
    case Op.FMAX_S: setS(e, F.f32_max(fs1(e), fs2(e))); break;
    case Op.FCVT_W_S: wrd(e, sext32(<u32>F.f32_to_i32(fs1(e), rm))); break;
    case Op.FCVT_WU_S: wrd(e, sext32(<u32>F.f32_to_u32(fs1(e), rm))); break;
    case Op.FCVT_L_S: wrd(e, <u64>F.f32_to_i64(fs1(e), rm)); break;
    case Op.FCVT_LU_S: wrd(e, F.f32_to_u64(fs1(e), rm)); break;
    case Op.FMV_X_W: wrd(e, sext32(<u32>fd1(e))); break; // a transfer: raw low bits, no unboxing
    case Op.FEQ_S: wrd(e, <u64>F.f32_eq(fs1(e), fs2(e))); break;
    case Op.FLT_S: wrd(e, <u64>F.f32_lt(fs1(e), fs2(e))); break;
    case Op.FLE_S: wrd(e, <u64>F.f32_le(fs1(e), fs2(e))); break;
    case Op.FCLASS_S: wrd(e, <u64>F.f32_classify(fs1(e))); break;
    case Op.FCVT_S_W: setS(e, F.i32_to_f32(<i32>rs1v(e), rm)); break;
    case Op.FCVT_S_WU: setS(e, F.u32_to_f32(<u32>rs1v(e), rm)); break;
    case Op.FCVT_S_L: setS(e, F.i64_to_f32(<i64>rs1v(e), rm)); break;
    case Op.FCVT_S_LU: setS(e, F.u64_to_f32(rs1v(e), rm)); break;
    case Op.FMV_W_X: setS(e, <u32>rs1v(e)); break;
    // double precision
    case Op.FMADD_D: setD(e, F.f64_fma(fd1(e), fd2(e), fd3(e), rm)); break;
    case Op.FMSUB_D: setD(e, F.f64_fma(fd1(e), fd2(e), fd3(e) ^ F64_SIGN, rm)); break;
    case Op.FNMSUB_D: setD(e, F.f64_fma(fd1(e) ^ F64_SIGN, fd2(e), fd3(e), rm)); break;
    case Op.FNMADD_D: setD(e, F.f64_fma(fd1(e) ^ F64_SIGN, fd2(e), fd3(e) ^ F64_SIGN, rm)); break;
    case Op.FADD_D: setD(e, F.f64_add(fd1(e), fd2(e), rm)); break;
    case Op.FSUB_D: setD(e, F.f64_sub(fd1(e), fd2(e), rm)); break;
    case Op.FMUL_D: setD(e, F.f64_mul(fd1(e), fd2(e), rm)); break;
    case Op.FDIV_D: setD(e, F.f64_div(fd1(e), fd2(e), rm)); break;
    case Op.FSQRT_D: setD(e, F.f64_sqrt(fd1(e), rm)); break;
    case Op.FSGNJ_D: setD(e, (fd1(e) & ~F64_SIGN) | (fd2(e) & F64_SIGN)); break;
    case Op.FSGNJN_D: setD(e, (fd1(e) & ~F64_SIGN) | (~fd2(e) & F64_SIGN)); break;
    case Op.FSGNJX_D: setD(e, fd1(e) ^ (fd2(e) & F64_SIGN)); break;
    case Op.FMIN_D: setD(e, F.f64_min(fd1(e), fd2(e))); break;
    case Op.FMAX_D: setD(e, F.f64_max(fd1(e), fd2(e))); break;
    case Op.FCVT_S_D: setS(e, F.f64_to_f32(fd1(e), rm)); break;
    case Op.FCVT_D_S: setD(e, F.f32_to_f64(fs1(e))); break;
    case Op.FCVT_W_D: wrd(e, sext32(<u32>F.f64_to_i32(fd1(e), rm))); break;
    case Op.FCVT_WU_D: wrd(e, sext32(<u32>F.f64_to_u32(fd1(e), rm))); break;
    case Op.FCVT_L_D: wrd(e, <u64>F.f64_to_i64(fd1(e), rm)); break;
    case Op.FCVT_LU_D: wrd(e, F.f64_to_u64(fd1(e), rm)); break;
    case Op.FMV_X_D: wrd(e, fd1(e)); break;
    case Op.FEQ_D: wrd(e, <u64>F.f64_eq(fd1(e), fd2(e))); break;
    case Op.FLT_D: wrd(e, <u64>F.f64_lt(fd1(e), fd2(e))); break;
    case Op.FLE_D: wrd(e, <u64>F.f64_le(fd1(e), fd2(e))); break;
    case Op.FCLASS_D: wrd(e, <u64>F.f64_classify(fd1(e))); break;
    case Op.FCVT_D_W: setD(e, F.i32_to_f64(<i32>rs1v(e), rm)); break;
    case Op.FCVT_D_WU: setD(e, F.u32_to_f64(<u32>rs1v(e), rm)); break;
    case Op.FCVT_D_L: setD(e, F.i64_to_f64(<i64>rs1v(e), rm)); break;
    case Op.FCVT_D_LU: setD(e, F.u64_to_f64(rs1v(e), rm)); break;
    case Op.FMV_D_X: setD(e, rs1v(e)); break;
    default: return illegal(e, pc);
  }
  accrue();
  return npc;
}

// Decoder: instruction bits → a 16-byte entry (isa/entry.ts). Runs only on a decode-cache miss.
// Compressed instructions are first expanded to their 32-bit form (rvc.ts).
import { Op } from './isa/ops';
import { setEntry } from './isa/entry';
import { expandC } from './rvc';
import { hb, X0_SINK } from './state';
import { HS_F } from './generated/layout';

/** Destination integer register → byte offset (x0 writes go to the sink). */
@inline function XD(r: u32): u32 { return r == 0 ? X0_SINK : r << 3; }
/** Source integer register → byte offset (x[0] in the block is always 0). */
@inline function XS(r: u32): u32 { return r << 3; }
/** Float register → byte offset. */
@inline function FR(r: u32): u32 { return HS_F + (r << 3); }

@inline function immI(w: u32): i32 { return (<i32>w) >> 20; }
@inline function immS(w: u32): i32 { return ((<i32>w) >> 25 << 5) | <i32>((w >> 7) & 31); }
@inline function immB(w: u32): i32 {
  return ((<i32>w) >> 31 << 12) | <i32>(((w >> 7) & 1) << 11) | <i32>(((w >> 25) & 0x3f) << 5) | <i32>(((w >> 8) & 0xf) << 1);
}
@inline function immU(w: u32): i32 { return <i32>(w & 0xfffff000); }
@inline function immJ(w: u32): i32 {
  return ((<i32>w) >> 31 << 20) | <i32>(w & 0xff000) | <i32>(((w >> 20) & 1) << 11) | <i32>(((w >> 21) & 0x3ff) << 1);
}

export function decode(raw: u32, e: usize): void {
  let w = raw;
  if ((raw & 3) != 3) {
    w = expandC(raw & 0xffff);
    if (w == 0) { setEntry(e, raw, Op.ILLEGAL, X0_SINK, 0, 0, 0, 0); return; }
  }
  const rd = (w >> 7) & 31, rs1 = (w >> 15) & 31, rs2 = (w >> 20) & 31;
  const f3 = (w >> 12) & 7, f7 = w >> 25;
  let op: u32 = Op.ILLEGAL;
  // Default operand mapping: integer rd/rs1/rs2, I-immediate. Cases override what differs.
  let d = XD(rd), s1 = XS(rs1), s2 = XS(rs2), imm = immI(w);
  switch (w & 0x7f) {
    case 0x37: op = Op.LUI; imm = immU(w); break;
    case 0x17: op = Op.AUIPC; imm = immU(w); break;
    case 0x6f: op = Op.JAL; imm = immJ(w); break;
    case 0x67: if (f3 == 0) op = Op.JALR; break;
    case 0x63: {
      imm = immB(w);
      switch (f3) {
        case 0: op = Op.BEQ; break; case 1: op = Op.BNE; break;
        case 4: op = Op.BLT; break; case 5: op = Op.BGE; break;
        case 6: op = Op.BLTU; break; case 7: op = Op.BGEU; break;
      }
      break;
    }
    case 0x03: {
      switch (f3) {
        case 0: op = Op.LB; break; case 1: op = Op.LH; break; case 2: op = Op.LW; break;
        case 3: op = Op.LD; break; case 4: op = Op.LBU; break; case 5: op = Op.LHU; break;
        case 6: op = Op.LWU; break;
      }
      break;
    }
    case 0x23: {
      imm = immS(w);
      switch (f3) {
        case 0: op = Op.SB; break; case 1: op = Op.SH; break;
        case 2: op = Op.SW; break; case 3: op = Op.SD; break;
      }
      break;
    }
    case 0x13: {
      const f6 = w >> 26, i12 = w >> 20;
      switch (f3) {
        case 0: op = Op.ADDI; break;
        case 2: op = Op.SLTI; break;
        case 3: op = Op.SLTIU; break;
        case 4: op = Op.XORI; break;
        case 6: op = Op.ORI; break;
        case 7: op = Op.ANDI; break;
        case 1:
          if (f6 == 0) { op = Op.SLLI; imm = <i32>((w >> 20) & 63); }
          else if (i12 == 0x600) op = Op.CLZ;
          else if (i12 == 0x601) op = Op.CTZ;
          else if (i12 == 0x602) op = Op.CPOP;
          else if (i12 == 0x604) op = Op.SEXT_B;
          else if (i12 == 0x605) op = Op.SEXT_H;
          break;
        case 5:
          imm = <i32>((w >> 20) & 63);
          if (f6 == 0) op = Op.SRLI;
          else if (f6 == 0x10) op = Op.SRAI;
          else if (f6 == 0x18) op = Op.RORI;
          else if (i12 == 0x287) op = Op.ORC_B;
          else if (i12 == 0x6b8) op = Op.REV8;
          break;
      }
      break;
    }
    case 0x1b: {
      const i12 = w >> 20;
      imm = f3 == 0 ? immI(w) : <i32>rs2;
      switch (f3) {
        case 0: op = Op.ADDIW; break;
        case 1:
          if (f7 == 0) op = Op.SLLIW;
          else if (i12 == 0x600) op = Op.CLZW;
          else if (i12 == 0x601) op = Op.CTZW;
          else if (i12 == 0x602) op = Op.CPOPW;
          else if ((w >> 26) == 0x02) { op = Op.SLLI_UW; imm = <i32>((w >> 20) & 63); }
          break;
        case 5:
          if (f7 == 0) op = Op.SRLIW;
          else if (f7 == 0x20) op = Op.SRAIW;
          else if (f7 == 0x30) op = Op.RORIW;
          break;
      }
      break;
    }
    case 0x33: {
      switch (f7) {
        case 0x00: {
          switch (f3) {
            case 0: op = Op.ADD; break; case 1: op = Op.SLL; break; case 2: op = Op.SLT; break;
            case 3: op = Op.SLTU; break; case 4: op = Op.XOR; break; case 5: op = Op.SRL; break;
            case 6: op = Op.OR; break; case 7: op = Op.AND; break;
          }
          break;
        }
        case 0x20: {
          switch (f3) {
            case 0: op = Op.SUB; break; case 5: op = Op.SRA; break; case 4: op = Op.XNOR; break;
            case 6: op = Op.ORN; break; case 7: op = Op.ANDN; break;
          }
          break;
        }
        case 0x01: {
          switch (f3) {
            case 0: op = Op.MUL; break; case 1: op = Op.MULH; break; case 2: op = Op.MULHSU; break;
            case 3: op = Op.MULHU; break; case 4: op = Op.DIV; break; case 5: op = Op.DIVU; break;
            case 6: op = Op.REM; break; case 7: op = Op.REMU; break;
          }
          break;
        }
        case 0x10: {
          if (f3 == 2) op = Op.SH1ADD; else if (f3 == 4) op = Op.SH2ADD; else if (f3 == 6) op = Op.SH3ADD;
          break;
        }
        case 0x05: {
          if (f3 == 4) op = Op.MIN; else if (f3 == 5) op = Op.MINU;
          else if (f3 == 6) op = Op.MAX; else if (f3 == 7) op = Op.MAXU;
          break;
        }
        case 0x30: { if (f3 == 1) op = Op.ROL; else if (f3 == 5) op = Op.ROR; break; }
      }
      break;
    }
    case 0x3b: {
      switch (f7) {
        case 0x00: { if (f3 == 0) op = Op.ADDW; else if (f3 == 1) op = Op.SLLW; else if (f3 == 5) op = Op.SRLW; break; }
        case 0x20: { if (f3 == 0) op = Op.SUBW; else if (f3 == 5) op = Op.SRAW; break; }
        case 0x01: {
          switch (f3) {
            case 0: op = Op.MULW; break; case 4: op = Op.DIVW; break; case 5: op = Op.DIVUW; break;
            case 6: op = Op.REMW; break; case 7: op = Op.REMUW; break;
          }
          break;
        }
        case 0x04: { if (f3 == 0) op = Op.ADD_UW; else if (f3 == 4 && rs2 == 0) op = Op.ZEXT_H; break; }
        case 0x10: {
          if (f3 == 2) op = Op.SH1ADD_UW; else if (f3 == 4) op = Op.SH2ADD_UW; else if (f3 == 6) op = Op.SH3ADD_UW;
          break;
        }
        case 0x30: { if (f3 == 1) op = Op.ROLW; else if (f3 == 5) op = Op.RORW; break; }
      }
      break;
    }
    case 0x0f: { if (f3 == 0) op = Op.FENCE; else if (f3 == 1) op = Op.FENCE_I; break; }
    case 0x73: {
      if (f3 == 0) {
        if (w == 0x00000073) op = Op.ECALL;
        else if (w == 0x00100073) op = Op.EBREAK;
        else if (w == 0x30200073) op = Op.MRET;
        else if (w == 0x10200073) op = Op.SRET;
        else if (w == 0x10500073) op = Op.WFI;
        else if (f7 == 0x09 && rd == 0) op = Op.SFENCE_VMA;
      } else if (f3 != 4) {
        // CSR ops: imm = csr | rs1/uimm number << 12 (so "rs1 = x0" / "uimm = 0" is visible).
        imm = <i32>((w >> 20) | (rs1 << 12));
        switch (f3) {
          case 1: op = Op.CSRRW; break; case 2: op = Op.CSRRS; break; case 3: op = Op.CSRRC; break;
          case 5: op = Op.CSRRWI; break; case 6: op = Op.CSRRSI; break; default: op = Op.CSRRCI; break;
        }
      }
      break;
    }
    case 0x2f: {
      if (f3 == 2 || f3 == 3) {
        const dw = f3 == 3;
        switch (w >> 27) {
          case 0x02: if (rs2 == 0) op = dw ? Op.LR_D : Op.LR_W; break;
          case 0x03: op = dw ? Op.SC_D : Op.SC_W; break;
          case 0x01: op = dw ? Op.AMOSWAP_D : Op.AMOSWAP_W; break;
          case 0x00: op = dw ? Op.AMOADD_D : Op.AMOADD_W; break;
          case 0x04: op = dw ? Op.AMOXOR_D : Op.AMOXOR_W; break;
          case 0x0c: op = dw ? Op.AMOAND_D : Op.AMOAND_W; break;
          case 0x08: op = dw ? Op.AMOOR_D : Op.AMOOR_W; break;
          case 0x10: op = dw ? Op.AMOMIN_D : Op.AMOMIN_W; break;
          case 0x14: op = dw ? Op.AMOMAX_D : Op.AMOMAX_W; break;
          case 0x18: op = dw ? Op.AMOMINU_D : Op.AMOMINU_W; break;
          case 0x1c: op = dw ? Op.AMOMAXU_D : Op.AMOMAXU_W; break;
        }
      }
      break;
    }
    case 0x07: {
      d = FR(rd);
      if (f3 == 2) op = Op.FLW; else if (f3 == 3) op = Op.FLD;
      break;
    }
    case 0x27: {
      s2 = FR(rs2); imm = immS(w);
      if (f3 == 2) op = Op.FSW; else if (f3 == 3) op = Op.FSD;
      break;
    }
    case 0x43: case 0x47: case 0x4b: case 0x4f: {
      const fmt = (w >> 25) & 3;
      d = FR(rd); s1 = FR(rs1); s2 = FR(rs2);
      imm = <i32>(<u32>hb + FR(w >> 27)); // rs3 as an absolute address
      const k = ((w & 0x7f) - 0x43) >> 2; // 0 madd, 1 msub, 2 nmsub, 3 nmadd
      if (fmt == 0) op = Op.FMADD_S + k;
      else if (fmt == 1) op = Op.FMADD_D + k;
      break;
    }
    case 0x53: {
      d = FR(rd); s1 = FR(rs1); s2 = FR(rs2);
      op = decodeOpFp(f7, f3, rs2);
      // Ops whose destination or source is an integer register.
      switch (op) {
        case Op.FCVT_W_S: case Op.FCVT_WU_S: case Op.FCVT_L_S: case Op.FCVT_LU_S:
        case Op.FMV_X_W: case Op.FEQ_S: case Op.FLT_S: case Op.FLE_S: case Op.FCLASS_S:
        case Op.FCVT_W_D: case Op.FCVT_WU_D: case Op.FCVT_L_D: case Op.FCVT_LU_D:
        case Op.FMV_X_D: case Op.FEQ_D: case Op.FLT_D: case Op.FLE_D: case Op.FCLASS_D:
          d = XD(rd); break;
        case Op.FCVT_S_W: case Op.FCVT_S_WU: case Op.FCVT_S_L: case Op.FCVT_S_LU: case Op.FMV_W_X:
        case Op.FCVT_D_W: case Op.FCVT_D_WU: case Op.FCVT_D_L: case Op.FCVT_D_LU: case Op.FMV_D_X:
          s1 = XS(rs1); break;
      }
      break;
    }
  }
  setEntry(e, raw, op, d, s1, s2, imm, f3);
}

function decodeOpFp(f7: u32, f3: u32, rs2: u32): u32 {
  const dbl = (f7 & 1) != 0;
  const S: u32 = dbl ? 1 : 0; // selects the _D op in each pair below
  switch (f7 & ~1) {
    case 0x00: return S ? Op.FADD_D : Op.FADD_S;
    case 0x04: return S ? Op.FSUB_D : Op.FSUB_S;
    case 0x08: return S ? Op.FMUL_D : Op.FMUL_S;
    case 0x0c: return S ? Op.FDIV_D : Op.FDIV_S;
    case 0x2c: if (rs2 != 0) break; return S ? Op.FSQRT_D : Op.FSQRT_S;
    case 0x10:
      if (f3 == 0) return S ? Op.FSGNJ_D : Op.FSGNJ_S;
      if (f3 == 1) return S ? Op.FSGNJN_D : Op.FSGNJN_S;
      if (f3 == 2) return S ? Op.FSGNJX_D : Op.FSGNJX_S;
      break;
    case 0x14:
      if (f3 == 0) return S ? Op.FMIN_D : Op.FMIN_S;
      if (f3 == 1) return S ? Op.FMAX_D : Op.FMAX_S;
      break;
    case 0x20:
      if (!dbl && rs2 == 1) return Op.FCVT_S_D;
      if (dbl && rs2 == 0) return Op.FCVT_D_S;
      break;
    case 0x60:
      if (rs2 == 0) return S ? Op.FCVT_W_D : Op.FCVT_W_S;
      if (rs2 == 1) return S ? Op.FCVT_WU_D : Op.FCVT_WU_S;
      if (rs2 == 2) return S ? Op.FCVT_L_D : Op.FCVT_L_S;
      if (rs2 == 3) return S ? Op.FCVT_LU_D : Op.FCVT_LU_S;
      break;
    case 0x68:
      if (rs2 == 0) return S ? Op.FCVT_D_W : Op.FCVT_S_W;
      if (rs2 == 1) return S ? Op.FCVT_D_WU : Op.FCVT_S_WU;
      if (rs2 == 2) return S ? Op.FCVT_D_L : Op.FCVT_S_L;
      if (rs2 == 3) return S ? Op.FCVT_D_LU : Op.FCVT_S_LU;
      break;
    case 0x70:
      if (rs2 != 0) break;
      if (f3 == 0) return S ? Op.FMV_X_D : Op.FMV_X_W;
      if (f3 == 1) return S ? Op.FCLASS_D : Op.FCLASS_S;
      break;
    case 0x50:
      if (f3 == 0) return S ? Op.FLE_D : Op.FLE_S;
      if (f3 == 1) return S ? Op.FLT_D : Op.FLT_S;
      if (f3 == 2) return S ? Op.FEQ_D : Op.FEQ_S;
      break;
    case 0x78:
      if (rs2 == 0 && f3 == 0) return S ? Op.FMV_D_X : Op.FMV_W_X;
      break;
  }
  return Op.ILLEGAL;
}

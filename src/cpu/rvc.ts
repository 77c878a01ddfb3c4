// RV64C: every compressed instruction is expanded to the 32-bit instruction the spec defines it as,
// and that word is decoded by the ordinary decoder — one set of semantics for C and non-C.
// Returns 0 (an illegal word) for reserved encodings and the all-zero instruction.

@inline function bit(h: u32, i: u32): u32 { return (h >> i) & 1; }
@inline function bits(h: u32, hi: u32, lo: u32): u32 { return (h >> lo) & ((1 << (hi - lo + 1)) - 1); }
/** Sign-extend the low n bits of v. */
@inline function sx(v: u32, n: u32): i32 { return (<i32>(v << (32 - n))) >> (32 - n); }

@inline function encR(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, opc: u32): u32 {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}
@inline function encI(imm: i32, rs1: u32, f3: u32, rd: u32, opc: u32): u32 {
  return ((<u32>imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}
@inline function encS(imm: i32, rs2: u32, rs1: u32, f3: u32, opc: u32): u32 {
  const u = <u32>imm;
  return (((u >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 31) << 7) | opc;
}
@inline function encB(imm: i32, rs2: u32, rs1: u32, f3: u32): u32 {
  const u = <u32>imm;
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
    | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
@inline function encJ(imm: i32, rd: u32): u32 {
  const u = <u32>imm;
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20)
    | (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}

const OPC_LOAD: u32 = 0x03, OPC_LOAD_FP: u32 = 0x07, OPC_OP_IMM: u32 = 0x13, OPC_OP_IMM32: u32 = 0x1b;
const OPC_STORE: u32 = 0x23, OPC_STORE_FP: u32 = 0x27, OPC_OP: u32 = 0x33, OPC_LUI: u32 = 0x37;
const OPC_OP32: u32 = 0x3b, OPC_JALR: u32 = 0x67, OPC_SYSTEM: u32 = 0x73;

export function expandC(h: u32): u32 {
  const f3 = bits(h, 15, 13);
  const rdp = bits(h, 4, 2) + 8;   // rd' / rs2'
  const rs1p = bits(h, 9, 7) + 8;  // rs1' / rd'
  const rd = bits(h, 11, 7);
  const rs2 = bits(h, 6, 2);
  const imm6 = sx((bit(h, 12) << 5) | bits(h, 6, 2), 6);
  switch (h & 3) {
    case 0: {
      // uimm for C.LW/C.SW and C.LD/C.SD (and C.FLD/C.FSD)
      const uw = <i32>((bits(h, 12, 10) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6));
      const ud = <i32>((bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6));
      switch (f3) {
        case 0: { // C.ADDI4SPN
          const nz = (bits(h, 12, 11) << 4) | (bits(h, 10, 7) << 6) | (bit(h, 6) << 2) | (bit(h, 5) << 3);
          if (nz == 0) return 0; // includes the all-zero instruction
          return encI(<i32>nz, 2, 0, rdp, OPC_OP_IMM);
        }
        case 1: return encI(ud, rs1p, 3, rdp, OPC_LOAD_FP);  // C.FLD
        case 2: return encI(uw, rs1p, 2, rdp, OPC_LOAD);     // C.LW
        case 3: return encI(ud, rs1p, 3, rdp, OPC_LOAD);     // C.LD
        case 5: return encS(ud, rdp, rs1p, 3, OPC_STORE_FP); // C.FSD
        case 6: return encS(uw, rdp, rs1p, 2, OPC_STORE);    // C.SW
        case 7: return encS(ud, rdp, rs1p, 3, OPC_STORE);    // C.SD
        default: return 0;
      }
    }
    case 1: {
      switch (f3) {
        case 0: return encI(imm6, rd, 0, rd, OPC_OP_IMM);                   // C.ADDI (C.NOP, hints)
        case 1: if (rd == 0) return 0; return encI(imm6, rd, 0, rd, OPC_OP_IMM32); // C.ADDIW
        case 2: return encI(imm6, 0, 0, rd, OPC_OP_IMM);                    // C.LI
        case 3: {
          if (rd == 2) { // C.ADDI16SP
            const nz = sx((bit(h, 12) << 9) | (bit(h, 6) << 4) | (bit(h, 5) << 6) | (bits(h, 4, 3) << 7) | (bit(h, 2) << 5), 10);
            if (nz == 0) return 0;
            return encI(nz, 2, 0, 2, OPC_OP_IMM);
          }
          if (imm6 == 0) return 0; // C.LUI with nzimm = 0 is reserved
          return ((<u32>imm6 << 12) & 0xfffff000) | (rd << 7) | OPC_LUI;
        }
        case 4: {
          const shamt = <i32>((bit(h, 12) << 5) | bits(h, 6, 2));
          switch (bits(h, 11, 10)) {
            case 0: return encI(shamt, rs1p, 5, rs1p, OPC_OP_IMM);          // C.SRLI
            case 1: return encI(shamt | 0x400, rs1p, 5, rs1p, OPC_OP_IMM);  // C.SRAI
            case 2: return encI(imm6, rs1p, 7, rs1p, OPC_OP_IMM);           // C.ANDI
            default: {
              const f2 = bits(h, 6, 5);
              if (bit(h, 12) == 0) {
                switch (f2) {
                  case 0: return encR(0x20, rdp, rs1p, 0, rs1p, OPC_OP); // C.SUB
                  case 1: return encR(0, rdp, rs1p, 4, rs1p, OPC_OP);    // C.XOR
                  case 2: return encR(0, rdp, rs1p, 6, rs1p, OPC_OP);    // C.OR
                  default: return encR(0, rdp, rs1p, 7, rs1p, OPC_OP);   // C.AND
                }
              }
              if (f2 == 0) return encR(0x20, rdp, rs1p, 0, rs1p, OPC_OP32); // C.SUBW
              if (f2 == 1) return encR(0, rdp, rs1p, 0, rs1p, OPC_OP32);    // C.ADDW
              return 0;
            }
          }
        }
        case 5: { // C.J
          const off = sx((bit(h, 12) << 11) | (bit(h, 11) << 4) | (bits(h, 10, 9) << 8) | (bit(h, 8) << 10)
            | (bit(h, 7) << 6) | (bit(h, 6) << 7) | (bits(h, 5, 3) << 1) | (bit(h, 2) << 5), 12);
          return encJ(off, 0);
        }
        default: { // C.BEQZ / C.BNEZ
          const off = sx((bit(h, 12) << 8) | (bits(h, 11, 10) << 3) | (bits(h, 6, 5) << 6)
            | (bits(h, 4, 3) << 1) | (bit(h, 2) << 5), 9);
          return encB(off, 0, rs1p, f3 == 6 ? 0 : 1);
        }
      }
    }
    case 2: {
      const lsw = <i32>((bit(h, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6));
      const lsd = <i32>((bit(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6));
      const ssw = <i32>((bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6));
      const ssd = <i32>((bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6));
      switch (f3) {
        case 0: return encI(<i32>((bit(h, 12) << 5) | rs2), rd, 1, rd, OPC_OP_IMM); // C.SLLI
        case 1: return encI(lsd, 2, 3, rd, OPC_LOAD_FP);                            // C.FLDSP
        case 2: if (rd == 0) return 0; return encI(lsw, 2, 2, rd, OPC_LOAD);        // C.LWSP
        case 3: if (rd == 0) return 0; return encI(lsd, 2, 3, rd, OPC_LOAD);        // C.LDSP
        case 4: {
          if (bit(h, 12) == 0) {
            if (rs2 == 0) { if (rd == 0) return 0; return encI(0, rd, 0, 0, OPC_JALR); } // C.JR
            return encR(0, rs2, 0, 0, rd, OPC_OP);                                        // C.MV
          }
          if (rs2 == 0) {
            if (rd == 0) return encI(1, 0, 0, 0, OPC_SYSTEM);  // C.EBREAK
            return encI(0, rd, 0, 1, OPC_JALR);              // C.JALR
          }
          return encR(0, rs2, rd, 0, rd, OPC_OP);            // C.ADD
        }
        case 5: return encS(ssd, rs2, 2, 3, OPC_STORE_FP);   // C.FSDSP
        case 6: return encS(ssw, rs2, 2, 2, OPC_STORE);      // C.SWSP
        default: return encS(ssd, rs2, 2, 3, OPC_STORE);     // C.SDSP
      }
    }
    default: return 0;
  }
}


// Zicsr. The rd = x0 "no read" and rs1 = x0 / uimm = 0 "no write" rules live here, once.
import { eImm32, rdIsX0, rs1v, wrd } from '../isa/entry';
import { csrAllowed, csrAccess, csrOk } from '../csr';
import { leave, EXIT_RESYNC } from '../sched';
import { illegal } from './system';

export const CSR_RW: u32 = 0, CSR_RS: u32 = 1, CSR_RC: u32 = 2;

export function csrInsn(e: usize, pc: u64, npc: u64, kind: u32, isImm: bool): u64 {
  const imm = <u32>eImm32(e);
  const csr = imm & 0xfff;
  const n = (imm >> 12) & 31;               // rs1 number or uimm
  const src: u64 = isImm ? <u64>n : rs1v(e);
  const write = kind == CSR_RW || n != 0;
  if (!csrAllowed(csr, write)) return illegal(e, pc);
  // CSRRW with rd = x0 does not read; our reads have no side effects, but still validate the CSR.
  const old = csrAccess(csr, false, 0);
  if (!csrOk) return illegal(e, pc);
  if (write) {
    const nv = kind == CSR_RW ? src : kind == CSR_RS ? old | src : old & ~src;
    csrAccess(csr, true, nv);
    if (!rdIsX0(e)) wrd(e, old);
    // Mode, translation or interrupt enables may have changed: re-sync the loop.
    return leave(EXIT_RESYNC, npc);
  }
  if (!rdIsX0(e)) wrd(e, old);
  return npc;
}

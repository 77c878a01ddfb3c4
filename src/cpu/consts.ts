// Architectural constants: CSR numbers, status/interrupt bits, trap causes.

// mstatus bits
export const MS_SIE: u64 = 1 << 1;
export const MS_MIE: u64 = 1 << 3;
export const MS_SPIE: u64 = 1 << 5;
export const MS_MPIE: u64 = 1 << 7;
export const MS_SPP: u64 = 1 << 8;
export const MS_MPP_SHIFT: u64 = 11;
export const MS_MPP: u64 = 3 << 11;
export const MS_FS_SHIFT: u64 = 13;
export const MS_FS: u64 = 3 << 13;
export const MS_MPRV: u64 = 1 << 17;
export const MS_SUM: u64 = 1 << 18;
export const MS_MXR: u64 = 1 << 19;
export const MS_TVM: u64 = 1 << 20;
export const MS_TW: u64 = 1 << 21;
export const MS_TSR: u64 = 1 << 22;
export const MS_UXL: u64 = <u64>3 << 32;
export const MS_SXL: u64 = <u64>3 << 34;
export const MS_SD: u64 = <u64>1 << 63;
/** UXL = SXL = 2 (64-bit), read-only. */
export const MS_XL64: u64 = (<u64>2 << 32) | (<u64>2 << 34);

// interrupt bits (mip/mie) and numbers
export const IRQ_SSI: u32 = 1;
export const IRQ_MSI: u32 = 3;
export const IRQ_STI: u32 = 5;
export const IRQ_MTI: u32 = 7;
export const IRQ_SEI: u32 = 9;
export const IRQ_MEI: u32 = 11;
export const MIP_SSIP: u64 = 1 << 1;
export const MIP_MSIP: u64 = 1 << 3;
export const MIP_STIP: u64 = 1 << 5;
export const MIP_MTIP: u64 = 1 << 7;
export const MIP_SEIP: u64 = 1 << 9;
export const MIP_MEIP: u64 = 1 << 11;
/** S-level interrupts: the ones mideleg can delegate and software may write in mip. */
export const S_INTS: u64 = MIP_SSIP | MIP_STIP | MIP_SEIP;
export const ALL_INTS: u64 = S_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP;

// exception causes
export const CAUSE_FETCH_MISALIGNED: u64 = 0;
export const CAUSE_FETCH_ACCESS: u64 = 1;
export const CAUSE_ILLEGAL: u64 = 2;
export const CAUSE_BREAKPOINT: u64 = 3;
export const CAUSE_LOAD_MISALIGNED: u64 = 4;
export const CAUSE_LOAD_ACCESS: u64 = 5;
export const CAUSE_STORE_MISALIGNED: u64 = 6;
export const CAUSE_STORE_ACCESS: u64 = 7;
export const CAUSE_ECALL_U: u64 = 8;
export const CAUSE_ECALL_S: u64 = 9;
export const CAUSE_ECALL_M: u64 = 11;
export const CAUSE_FETCH_PAGE: u64 = 12;
export const CAUSE_LOAD_PAGE: u64 = 13;
export const CAUSE_STORE_PAGE: u64 = 15;
export const CAUSE_INTERRUPT: u64 = <u64>1 << 63;
/** Exceptions medeleg may delegate (not ecall from M, not reserved codes). */
export const MEDELEG_MASK: u64 = 0xb3ff;

// misa: RV64 I M A F D C S U
export const MISA_VALUE: u64 = (<u64>2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

// access kinds (also the TLB kind index)
export const ACC_FETCH: u32 = 0;
export const ACC_LOAD: u32 = 1;
export const ACC_STORE: u32 = 2;

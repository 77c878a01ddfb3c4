// Decoded blocks: a straight run of instructions in one host page, decoded once into consecutive
// entries of a block slot, so the run loop (hart.ts) steps through entries at a fixed stride and
// charges the budget in a register instead of fetching and checking the fetch page per instruction.
//
// Slot layout (BLOCK_BYTES): +0 u32 tag = host address of the first instruction (0 = empty),
// +4 u32 n = number of entries (1..BLOCK_MAX), then n entries of ENTRY_BYTES (isa/entry.ts). Block
// bookkeeping in each entry: byte +6 holds the entry's index in the block in bits 3..7 (above the
// rounding mode); byte +7 is the block loop's dispatch index: the op on every entry but the last;
// on the last, LAST_BASE + op for ops below LAST_OPS (a case that runs the op and leaves the block,
// so the other cases need no last-entry test), LAST_OTHER for any other op (run out of line).
// A block runs until a jump, a system/CSR instruction, an illegal encoding, BLOCK_MAX entries or
// the last halfword of the page (offset 0xffe: a 32-bit instruction there straddles pages and
// always takes the slow fetch path). Conditional branches do not end a block: taken, they leave it.
//
// Validity: every entry still carries the instruction bits it was decoded from, and the loop
// compares them with memory right before executing it, exactly as the old per-instruction cache
// did. Decoding is a pure function of the bits, so a block is correct as long as every instruction
// it has run so far matched; at the first mismatch the loop drops the block's tag and leaves it
// before that instruction (which is then decoded again, as the start of a new block). So
// self-modifying code, other harts' stores, DMA and restores still need no invalidation.
import { BLOCK_MAX, ENTRY_BYTES, BLOCK_BYTES, BLOCK_COUNT, BLOCK_BITS } from './state';
import { dcBase } from './mmu';
import { decode } from './decode';
import { Op } from './isa/ops';

/** Dispatch index (+7) of the last entry: LAST_BASE + op for ops below LAST_OPS, else LAST_OTHER. */
export const LAST_BASE: u32 = <u32>Op.COUNT;
export const LAST_OPS: u32 = 255 - <u32>Op.COUNT;
export const LAST_OTHER: u32 = 255;

/** An entry's index in its block (instructions before it: the budget at an exit). */
@inline export function eIndex(e: usize): i32 { return <i32>load<u8>(e, 6) >> 3; }
/** Is entry e not the last of its block? */
@inline export function notLast(e: usize): bool { return <u32>load<u8>(e, 7) < LAST_BASE; }

/** Slot for a block starting at host address h (Fibonacci hash of the address). */
@inline export function blockSlot(h: usize): usize {
  return dcBase + (<usize>((<u32>h * 0x9E3779B1) >>> (32 - BLOCK_BITS)) & (BLOCK_COUNT - 1)) * BLOCK_BYTES;
}

/** Does this op end a block (control transfer, or an instruction that usually leaves the batch)? */
@inline function endsBlock(op: u32): bool {
  return op == Op.ILLEGAL || op == Op.JAL || op == Op.JALR
    || (op >= <u32>Op.FENCE_I && op <= <u32>Op.CSRRCI);
}

/** Decode the block starting at host address h (page offset < 0xffe) into slot b. */
export function buildBlock(b: usize, h: usize): void {
  const end = (h & ~<usize>0xfff) + 0xffe;
  let x = h;
  let n: u32 = 0;
  let e = b + ENTRY_BYTES;
  while (true) {
    decode(load<u32>(x), e);
    store<u8>(e, <u8>(load<u8>(e, 6) | (n << 3)), 6); // index in the block (the budget at an exit)
    store<u8>(e, load<u8>(e, 4), 7);                 // dispatch index
    n++;
    if (n >= BLOCK_MAX || endsBlock(load<u8>(e, 4))) break;
    x += <usize>load<u8>(e, 5);
    if (x >= end) break;
    e += ENTRY_BYTES;
  }
  const op = <u32>load<u8>(e, 4);
  store<u8>(e, <u8>(op < LAST_OPS ? LAST_BASE + op : LAST_OTHER), 7);
  store<u32>(b, <u32>h);
  store<u32>(b, n, 4);
}

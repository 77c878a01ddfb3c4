/**
 * A minimal ELF64 little-endian RISC-V loader: loadable segments and the symbol table.
 */
export interface ElfSegment {
  paddr: number;
  fileBytes: Uint8Array;
  memSize: number;
}

export interface ElfImage {
  entry: number;
  segments: ElfSegment[];
  symbols: Map<string, number>;
}

const EM_RISCV = 243;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;

export function parseElf(bytes: Uint8Array): ElfImage {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string): never => {
    throw new Error(`not a loadable RISC-V ELF64 file: ${why}`);
  };
  if (bytes.length < 64 || dv.getUint32(0) !== 0x7f454c46) fail('bad magic');
  if (bytes[4] !== 2) fail('not 64-bit');
  if (bytes[5] !== 1) fail('not little-endian');
  if (dv.getUint16(18, true) !== EM_RISCV) fail('machine is not RISC-V');

  const u64 = (o: number) => Number(dv.getBigUint64(o, true));
  const entry = u64(24);
  const phoff = u64(32);
  const shoff = u64(40);
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (p + phentsize > bytes.length) fail('program header outside the file');
    if (dv.getUint32(p, true) !== PT_LOAD) continue;
    const offset = u64(p + 8);
    const paddr = u64(p + 24);
    const filesz = u64(p + 32);
    const memsz = u64(p + 40);
    if (offset + filesz > bytes.length) fail('segment outside the file');
    segments.push({ paddr, fileBytes: bytes.subarray(offset, offset + filesz), memSize: memsz });
  }

  const symbols = new Map<string, number>();
  for (let i = 0; i < shnum; i++) {
    const s = shoff + i * shentsize;
    if (s + shentsize > bytes.length) break;
    if (dv.getUint32(s + 4, true) !== SHT_SYMTAB) continue;
    const symOff = u64(s + 24);
    const symSize = u64(s + 32);
    const strtab = shoff + dv.getUint32(s + 40, true) * shentsize;
    const strOff = u64(strtab + 24);
    for (let o = symOff; o + 24 <= symOff + symSize; o += 24) {
      const nameOff = dv.getUint32(o, true);
      const value = u64(o + 8);
      let end = strOff + nameOff;
      while (end < bytes.length && bytes[end] !== 0) end++;
      const name = new TextDecoder().decode(bytes.subarray(strOff + nameOff, end));
      if (name) symbols.set(name, value);
    }
  }
  return { entry, segments, symbols };
}

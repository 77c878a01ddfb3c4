/**
 * A small flattened-device-tree (DTB, version 17) writer, and a reader for tests and debugging.
 *
 * The tree is built as plain nodes (name, ordered properties, children) and serialised in one
 * pass: header, memory reservation block, structure block, strings block (property names
 * deduplicated). Cell values are big-endian u32, as the format wants.
 */

const FDT_MAGIC = 0xd00d_feed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
const FDT_VERSION = 17;
const FDT_LAST_COMP_VERSION = 16;
const HEADER_SIZE = 40;

export interface FdtProperty {
  name: string;
  value: Uint8Array;
}

export interface FdtReservation {
  address: number;
  size: number;
}

/** One node: its name (with unit address, e.g. `serial@10000000`), properties and children in order. */
export class FdtNode {
  readonly props: FdtProperty[] = [];
  readonly children: FdtNode[] = [];

  constructor(readonly name: string) {}

  /** Add a child node and return it. */
  child(name: string): FdtNode {
    const n = new FdtNode(name);
    this.children.push(n);
    return n;
  }

  /** Raw bytes. */
  bytes(name: string, value: Uint8Array): this {
    if (this.props.some((p) => p.name === name)) throw new Error(`${this.name}: duplicate property ${name}`);
    this.props.push({ name, value });
    return this;
  }

  /** A property with no value (`interrupt-controller;`). */
  empty(name: string): this {
    return this.bytes(name, new Uint8Array(0));
  }

  /** One or more u32 cells. */
  u32(name: string, ...cells: number[]): this {
    return this.bytes(name, cellBytes(cells));
  }

  /** One or more u64 values, each as two cells (high, low). */
  u64(name: string, ...values: number[]): this {
    return this.bytes(name, cellBytes(values.flatMap(split64)));
  }

  /** One string, or a string list (`compatible = "a", "b"`). */
  string(name: string, ...values: string[]): this {
    const parts = values.map((s) => new TextEncoder().encode(s + '\0'));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return this.bytes(name, out);
  }

  /** The named property, or undefined. */
  prop(name: string): FdtProperty | undefined {
    return this.props.find((p) => p.name === name);
  }

  /** Descendant by path relative to this node (`soc/serial@10000000`), or undefined. */
  find(path: string): FdtNode | undefined {
    let n: FdtNode | undefined = this;
    for (const part of path.split('/').filter((s) => s.length > 0)) {
      n = n.children.find((c) => c.name === part);
      if (!n) return undefined;
    }
    return n;
  }
}

/** (high, low) 32-bit halves of a non-negative integer below 2^53. */
export function split64(value: number): [number, number] {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`fdt: ${value} is not a u64 this writer can encode`);
  return [Math.floor(value / 2 ** 32), value % 2 ** 32];
}

function cellBytes(cells: number[]): Uint8Array {
  const out = new Uint8Array(cells.length * 4);
  const view = new DataView(out.buffer);
  cells.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c > 0xffff_ffff) throw new Error(`fdt: cell ${c} out of range`);
    view.setUint32(i * 4, c);
  });
  return out;
}

/** Growable big-endian byte buffer. */
class Writer {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
  }

  u64(v: number): void {
    const [hi, lo] = split64(v);
    this.u32(hi);
    this.u32(lo);
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.reserve(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export interface FdtBlobOptions {
  reservations?: FdtReservation[];
  /** Physical id of the boot CPU (header field). */
  bootCpuId?: number;
}

/** Serialise a tree whose root node is named '' into a DTB (version 17). */
export function writeFdt(root: FdtNode, options: FdtBlobOptions = {}): Uint8Array {
  if (root.name !== '') throw new Error('fdt: the root node has an empty name');
  const strings = new Writer();
  const stringOffsets = new Map<string, number>();
  const enc = new TextEncoder();
  const nameOffset = (name: string): number => {
    let off = stringOffsets.get(name);
    if (off === undefined) {
      off = strings.length;
      strings.bytes(enc.encode(name + '\0'));
      stringOffsets.set(name, off);
    }
    return off;
  };

  const struct = new Writer();
  const emit = (node: FdtNode): void => {
    struct.u32(FDT_BEGIN_NODE);
    struct.bytes(enc.encode(node.name + '\0'));
    struct.align(4);
    for (const p of node.props) {
      struct.u32(FDT_PROP);
      struct.u32(p.value.length);
      struct.u32(nameOffset(p.name));
      struct.bytes(p.value);
      struct.align(4);
    }
    for (const c of node.children) emit(c);
    struct.u32(FDT_END_NODE);
  };
  emit(root);
  struct.u32(FDT_END);

  const rsv = new Writer();
  for (const r of options.reservations ?? []) {
    rsv.u64(r.address);
    rsv.u64(r.size);
  }
  rsv.u64(0);
  rsv.u64(0);

  const offRsv = HEADER_SIZE; // 40: already 8-byte aligned
  const offStruct = offRsv + rsv.length;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;

  const out = new Writer();
  out.u32(FDT_MAGIC);
  out.u32(total);
  out.u32(offStruct);
  out.u32(offStrings);
  out.u32(offRsv);
  out.u32(FDT_VERSION);
  out.u32(FDT_LAST_COMP_VERSION);
  out.u32(options.bootCpuId ?? 0);
  out.u32(strings.length);
  out.u32(struct.length);
  out.bytes(rsv.result());
  out.bytes(struct.result());
  out.bytes(strings.result());
  return out.result();
}

export interface ParsedFdt {
  root: FdtNode;
  reservations: FdtReservation[];
  version: number;
  bootCpuId: number;
  totalSize: number;
}

/** Read a DTB back into nodes (strict: throws on anything malformed). */
export function parseFdt(blob: Uint8Array): ParsedFdt {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const u32 = (o: number): number => {
    if (o + 4 > blob.length) throw new Error(`fdt: read past the end at ${o}`);
    return view.getUint32(o);
  };
  if (u32(0) !== FDT_MAGIC) throw new Error('fdt: bad magic');
  const totalSize = u32(4);
  const offStruct = u32(8);
  const offStrings = u32(12);
  const offRsv = u32(16);
  const version = u32(20);
  const bootCpuId = u32(28);
  const sizeStrings = u32(32);
  const sizeStruct = u32(36);
  if (totalSize > blob.length) throw new Error('fdt: totalsize exceeds the blob');
  if (offStrings + sizeStrings > totalSize || offStruct + sizeStruct > totalSize) throw new Error('fdt: block outside totalsize');

  const reservations: FdtReservation[] = [];
  for (let o = offRsv; ; o += 16) {
    const address = u32(o) * 2 ** 32 + u32(o + 4);
    const size = u32(o + 8) * 2 ** 32 + u32(o + 12);
    if (address === 0 && size === 0) break;
    reservations.push({ address, size });
  }

  const dec = new TextDecoder();
  const cstr = (o: number, end: number): [string, number] => {
    let e = o;
    while (e < end && blob[e] !== 0) e++;
    if (e >= end) throw new Error(`fdt: unterminated string at ${o}`);
    return [dec.decode(blob.subarray(o, e)), e + 1];
  };
  const align4 = (o: number): number => (o + 3) & ~3;

  const structEnd = offStruct + sizeStruct;
  let o = offStruct;
  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  for (;;) {
    const token = u32(o);
    o += 4;
    if (token === FDT_BEGIN_NODE) {
      const [name, next] = cstr(o, structEnd);
      o = align4(next);
      const node = new FdtNode(name);
      if (stack.length === 0) {
        if (root) throw new Error('fdt: second root node');
        root = node;
      } else {
        stack[stack.length - 1].children.push(node);
      }
      stack.push(node);
    } else if (token === FDT_PROP) {
      const len = u32(o);
      const nameoff = u32(o + 4);
      o += 8;
      if (stack.length === 0) throw new Error('fdt: property outside a node');
      if (o + len > structEnd) throw new Error('fdt: property runs past the structure block');
      const [name] = cstr(offStrings + nameoff, offStrings + sizeStrings);
      stack[stack.length - 1].bytes(name, blob.slice(o, o + len));
      o = align4(o + len);
    } else if (token === FDT_END_NODE) {
      if (!stack.pop()) throw new Error('fdt: unbalanced END_NODE');
    } else if (token === FDT_NOP) {
      continue;
    } else if (token === FDT_END) {
      break;
    } else {
      throw new Error(`fdt: bad token ${token} at ${o - 4}`);
    }
    if (o > structEnd) throw new Error('fdt: structure block overrun');
  }
  if (!root || stack.length !== 0) throw new Error('fdt: unterminated tree');
  return { root, reservations, version, bootCpuId, totalSize };
}

/** Property value as u32 cells. */
export function propCells(p: FdtProperty): number[] {
  const v = new DataView(p.value.buffer, p.value.byteOffset, p.value.byteLength);
  return Array.from({ length: p.value.length >> 2 }, (_, i) => v.getUint32(i * 4));
}

/** Property value as a string list. */
export function propStrings(p: FdtProperty): string[] {
  const s = new TextDecoder().decode(p.value);
  return s.endsWith('\0') ? s.slice(0, -1).split('\0') : [s];
}

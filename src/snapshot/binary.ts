/**
 * Little-endian byte writing and reading with explicit sizes. The reader never reads past
 * its window: running out is a SnapshotError naming the structure and the file offset.
 */
import { SnapshotError, type SnapshotErrorCode } from './errors.ts';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** Decode UTF-8, refusing invalid sequences. Copies views on shared memory first (TextDecoder rejects them). */
export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(ownedBytes(bytes));
}

/** `bytes` itself, or a copy when it views a SharedArrayBuffer (which Blob, TextDecoder and IndexedDB reject). */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  return typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer ? bytes.slice() : bytes;
}

export class ByteWriter {
  private buf: Uint8Array;
  // Reserve before touching view/buf: growing replaces both.
  private view: DataView;
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < at + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length += n;
    return at;
  }

  u8(v: number): this {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
    return this;
  }
  u16(v: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
    return this;
  }
  u32(v: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
    return this;
  }
  /** A u64 from a number (offsets, lengths: exact up to 2^53) or a bigint. */
  u64(v: number | bigint): this {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(v), true);
    return this;
  }
  bytes(b: Uint8Array): this {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    return this;
  }
  /** UTF-8 string with a u16 byte-length prefix. */
  str(s: string): this {
    const b = utf8(s);
    if (b.length > 0xffff) throw new RangeError(`string of ${b.length} bytes is too long`);
    return this.u16(b.length).bytes(b);
  }
  /**
   * The bytes written so far, as an array of exactly that size that owns its buffer (so
   * that storing it, e.g. in IndexedDB, never clones unused capacity).
   */
  finish(): Uint8Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }
}

export class ByteReader {
  private readonly view: DataView;
  pos = 0;

  /**
   * @param what    the structure being read, for messages ("index", "section 'ram' header")
   * @param base    file offset of bytes[0], for messages
   * @param code    error code when the structure runs past its end
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
    readonly base = 0,
    readonly code: SnapshotErrorCode = 'bad-section',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** File offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(message: string, code: SnapshotErrorCode = this.code): never {
    throw new SnapshotError(code, `${this.what}: ${message} (at offset ${this.offset})`);
  }

  private take(n: number, field: string): number {
    if (n > this.remaining) this.fail(`${field} needs ${n} bytes, only ${this.remaining} left`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(field = 'u8'): number {
    return this.view.getUint8(this.take(1, field));
  }
  u16(field = 'u16'): number {
    return this.view.getUint16(this.take(2, field), true);
  }
  u32(field = 'u32'): number {
    return this.view.getUint32(this.take(4, field), true);
  }
  u64big(field = 'u64'): bigint {
    return this.view.getBigUint64(this.take(8, field), true);
  }
  /** A u64 that must be a safe integer (offsets, lengths). */
  u64(field = 'u64'): number {
    const at = this.offset;
    const v = this.u64big(field);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new SnapshotError(this.code, `${this.what}: ${field} = ${v} is out of range (at offset ${at})`);
    }
    return Number(v);
  }
  bytesOf(n: number, field = 'bytes'): Uint8Array {
    const at = this.take(n, field);
    return this.bytes.subarray(at, at + n);
  }
  str(field = 'string'): string {
    const n = this.u16(`${field} length`);
    const at = this.offset;
    const b = this.bytesOf(n, field);
    try {
      return fromUtf8(b);
    } catch {
      throw new SnapshotError(this.code, `${this.what}: ${field} is not valid UTF-8 (at offset ${at})`);
    }
  }
  expectMagic(magic: Uint8Array, field: string, code: SnapshotErrorCode = this.code): void {
    const at = this.offset;
    const got = this.bytesOf(magic.length, field);
    if (!equalBytes(got, magic)) {
      throw new SnapshotError(code, `${this.what}: ${field} is '${printable(got)}', expected '${printable(magic)}' (at offset ${at})`);
    }
  }
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} unexpected bytes after the end`);
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function printable(b: Uint8Array): string {
  return Array.from(b, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('');
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

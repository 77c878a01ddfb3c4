/**
 * The snapshot container: one file of named, versioned, checksummed sections with an index
 * and a trailer at the end. Byte-level description: docs/snapshot-format.md.
 *
 *   header   "AMBERSNP" u32 formatVersion u32 headerFlags(0)                       16 bytes
 *   section  "SECT" str name u32 version u32 flags str encoding u64 headerChecksum  (record header)
 *            payload bytes                                                          (length in the index)
 *   ...
 *   index    "AMBERIDX" u32 count, per section: str name u32 version u32 flags str encoding
 *            u64 recordOffset u64 payloadOffset u64 payloadLength u64 payloadChecksum
 *   trailer  u64 indexOffset u64 indexLength u64 indexChecksum u64 fileChecksum
 *            u64 trailerChecksum "AMBEREND"                                         48 bytes
 *
 * All integers little-endian; `str` is a u16 byte length then UTF-8; every checksum is xxh64
 * (seed 0). The writer streams (payloads are pulled lazily, lengths and checksums go to the
 * index at the end); the reader seeks to the trailer and reads only what it is asked for.
 */
import { ByteReader, ByteWriter, equalBytes, ownedBytes, printable, utf8 } from './binary.ts';
import { SnapshotError } from './errors.ts';
import { hashHex, initHash, xxh64, Xxh64 } from './hash.ts';
import { blobSource, bytesSource, iterateChunks, readExactly, subSource, type ByteChunks, type RandomAccessSource } from './source.ts';

export const FILE_MAGIC = utf8('AMBERSNP');
export const INDEX_MAGIC = utf8('AMBERIDX');
export const TRAILER_MAGIC = utf8('AMBEREND');
export const SECTION_MAGIC = utf8('SECT');
/** The format version this release writes, and the newest it reads. */
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 16;
export const TRAILER_SIZE = 48;

/** Section flag: a reader that does not know the section must refuse the file. */
export const FLAG_REQUIRED = 1 << 0;
/**
 * Flags 0–15 change how a section must be read: a reader refuses a set bit it does not know.
 * Flags 16–31 are advisory: unknown ones are ignored. Format v1 defines only FLAG_REQUIRED.
 */
const KNOWN_CRITICAL_FLAGS = FLAG_REQUIRED;
const CRITICAL_FLAGS_MASK = 0xffff;

/** Largest index a reader accepts (a snapshot has tens of sections, not millions). */
const MAX_INDEX_BYTES = 16 << 20;
/** Largest section record header (name and encoding are each ≤ 255 bytes when written). */
const MAX_RECORD_HEADER = 4096;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,199}$/;

/** Encodings this library defines (encodings.ts); other names are legal but opaque to it. */
export type KnownEncoding = 'json' | 'fields' | 'ram' | 'disk' | 'raw';

export interface SectionMeta {
  /** e.g. 'machine', 'hart/0', 'device/uart0', 'ram', 'disk/0', 'clock', 'meta'. */
  name: string;
  /** Version of this section's payload layout (≥ 1); see sections.ts for migrations. */
  version: number;
  /** A reader that does not know this section must refuse the file (else it skips it). */
  required: boolean;
  /** How the payload is encoded: 'json', 'fields', 'ram', 'disk', 'raw'. */
  encoding: KnownEncoding | (string & {});
}

export interface SectionInfo extends SectionMeta {
  /** Raw flag word (bit 0 = required). */
  flags: number;
  /** File offset of the section record (its header). */
  recordOffset: number;
  /** File offset and length of the payload. */
  offset: number;
  length: number;
  /** xxh64 of the payload. */
  checksum: bigint;
}

function checkName(kind: string, s: string): void {
  if (!NAME_PATTERN.test(s)) {
    throw new SnapshotError('invalid-argument', `${kind} '${s}' must be 1–200 characters of A–Z a–z 0–9 . _ - / starting with a letter or digit`);
  }
}

function sectionRecordHeader(meta: SectionMeta, flags: number): Uint8Array {
  const w = new ByteWriter(64).bytes(SECTION_MAGIC).str(meta.name).u32(meta.version).u32(flags).str(meta.encoding);
  const body = w.finish();
  return new ByteWriter(body.length + 8).bytes(body).u64(xxh64(body)).finish();
}

interface PendingSection {
  meta: SectionMeta;
  flags: number;
  payload: ByteChunks;
}

/**
 * Streaming snapshot writer. Add sections (payloads may be async streams, pulled only while
 * the file is being produced), then consume `finish()`: the file comes out as a sequence of
 * chunks (the payload chunks themselves plus small header pieces), never as one allocation.
 *
 *   const w = new SnapshotWriter();
 *   w.addSection({ name: 'machine', version: 1, required: true, encoding: 'json' }, encodeJson(config));
 *   w.addSection({ name: 'ram', version: 1, required: true, encoding: 'ram' }, encodeRam(ramView));
 *   await pipeToSink(w.finish(), fileSink);          // or snapshotToBlobParts(w.finish())
 */
export class SnapshotWriter {
  private readonly pending: PendingSection[] = [];
  private readonly names = new Set<string>();
  private finished = false;
  /** Sections written so far (complete once finish() has been consumed). */
  readonly written: SectionInfo[] = [];
  /** Whole-file size and checksum, set when finish() has been consumed. */
  size = 0;
  fileChecksum = 0n;

  addSection(meta: SectionMeta, payload: ByteChunks): this {
    if (this.finished) throw new SnapshotError('invalid-argument', `addSection('${meta.name}') after finish()`);
    checkName('section name', meta.name);
    checkName(`encoding of section '${meta.name}'`, meta.encoding);
    if (!Number.isInteger(meta.version) || meta.version < 1 || meta.version > 0xffffffff) {
      throw new SnapshotError('invalid-argument', `section '${meta.name}': version ${meta.version} must be an integer ≥ 1`);
    }
    if (this.names.has(meta.name)) throw new SnapshotError('invalid-argument', `section '${meta.name}' added twice`);
    this.names.add(meta.name);
    this.pending.push({ meta: { ...meta }, flags: meta.required ? FLAG_REQUIRED : 0, payload });
    return this;
  }

  /** The file, chunk by chunk. Consume it once; payload streams are read as it goes. */
  async *finish(): AsyncGenerator<Uint8Array> {
    if (this.finished) throw new SnapshotError('invalid-argument', 'finish() called twice');
    this.finished = true;
    await initHash();
    const file = new Xxh64();
    let offset = 0;
    const out = (b: Uint8Array): Uint8Array => {
      file.update(b);
      offset += b.length;
      return b;
    };

    yield out(new ByteWriter(HEADER_SIZE).bytes(FILE_MAGIC).u32(FORMAT_VERSION).u32(0).finish());

    for (const s of this.pending) {
      const recordOffset = offset;
      yield out(sectionRecordHeader(s.meta, s.flags));
      const payloadOffset = offset;
      const h = new Xxh64();
      for await (const raw of iterateChunks(s.payload)) {
        if (raw.length === 0) continue;
        const chunk = ownedBytes(raw);
        h.update(chunk);
        yield out(chunk);
      }
      this.written.push({
        ...s.meta,
        flags: s.flags,
        recordOffset,
        offset: payloadOffset,
        length: offset - payloadOffset,
        checksum: h.digest(),
      });
    }
    this.pending.length = 0;

    const index = new ByteWriter(64 + 64 * this.written.length).bytes(INDEX_MAGIC).u32(this.written.length);
    for (const e of this.written) {
      index.str(e.name).u32(e.version).u32(e.flags).str(e.encoding);
      index.u64(e.recordOffset).u64(e.offset).u64(e.length).u64(e.checksum);
    }
    const indexBytes = index.finish();
    const indexOffset = offset;
    yield out(indexBytes);

    this.fileChecksum = file.digest();
    const trailer = new ByteWriter(TRAILER_SIZE).u64(indexOffset).u64(indexBytes.length).u64(xxh64(indexBytes)).u64(this.fileChecksum);
    trailer.u64(xxh64(trailer.finish())).bytes(TRAILER_MAGIC);
    const t = trailer.finish();
    this.size = offset + t.length;
    yield t;
  }
}

/** What openSnapshot accepts: a random-access source, or bytes / a Blob that it wraps. */
export type SnapshotInput = RandomAccessSource | Uint8Array | Blob;

function toSource(input: SnapshotInput): RandomAccessSource {
  if (input instanceof Uint8Array) return bytesSource(input);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return blobSource(input);
  return input as RandomAccessSource;
}

/** A validated snapshot file. Payloads are read on demand. */
export class Snapshot {
  private readonly byName: Map<string, SectionInfo>;

  constructor(
    readonly source: RandomAccessSource,
    readonly formatVersion: number,
    readonly sections: readonly SectionInfo[],
    /** xxh64 of every byte before the trailer, as the trailer records it. */
    readonly fileChecksum: bigint,
    readonly indexOffset: number,
  ) {
    this.byName = new Map(sections.map((s) => [s.name, s]));
  }

  get size(): number {
    return this.source.size;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The section's index entry; 'missing-section' if the file has none by that name. */
  section(name: string): SectionInfo {
    const s = this.byName.get(name);
    if (!s) throw new SnapshotError('missing-section', `the snapshot has no section '${name}'`);
    return s;
  }

  /**
   * The section's payload as a random-access source, NOT verified: for large payloads
   * (ram, disk) whose encodings carry their own per-chunk checksums. See verifySection().
   */
  payloadSource(name: string): RandomAccessSource {
    const s = this.section(name);
    return subSource(this.source, s.offset, s.length);
  }

  /** The whole payload, checked against its checksum. Meant for small sections. */
  async readSection(name: string): Promise<Uint8Array> {
    const s = this.section(name);
    const payload = await readExactly(this.source, s.offset, s.length, `section '${name}' payload`);
    const got = xxh64(payload);
    if (got !== s.checksum) throw sectionChecksumError(s, got);
    return payload;
  }

  /** Stream the payload through its checksum without keeping it. */
  async verifySection(name: string): Promise<void> {
    const s = this.section(name);
    const h = new Xxh64();
    for (let o = 0; o < s.length; o += VERIFY_SLICE) {
      h.update(await readExactly(this.source, s.offset + o, Math.min(VERIFY_SLICE, s.length - o), `section '${name}' payload`));
    }
    const got = h.digest();
    if (got !== s.checksum) throw sectionChecksumError(s, got);
  }

  /**
   * One pass over the whole file: every section's payload checksum and the whole-file
   * checksum. `onProgress(done, total)` is called after each slice (for progress bars).
   */
  async verifyAll(onProgress?: (done: number, total: number) => void): Promise<void> {
    const file = new Xxh64();
    const feed = async (from: number, to: number, what: string, section?: Xxh64): Promise<void> => {
      for (let o = from; o < to; o += VERIFY_SLICE) {
        const bytes = await readExactly(this.source, o, Math.min(VERIFY_SLICE, to - o), what);
        file.update(bytes);
        section?.update(bytes);
        onProgress?.(o + bytes.length, this.size);
      }
    };
    // The file is contiguous: header, then each record header and payload, then the index.
    await feed(0, HEADER_SIZE, 'file header');
    for (const s of this.sections) {
      await feed(s.recordOffset, s.offset, `section '${s.name}' header`);
      const h = new Xxh64();
      await feed(s.offset, s.offset + s.length, `section '${s.name}' payload`, h);
      const got = h.digest();
      if (got !== s.checksum) throw sectionChecksumError(s, got);
    }
    const covered = this.size - TRAILER_SIZE;
    await feed(this.indexOffset, covered, 'index');
    const got = file.digest();
    if (got !== this.fileChecksum) {
      throw new SnapshotError('checksum', `whole-file checksum mismatch: trailer says ${hashHex(this.fileChecksum)}, bytes [0, ${covered}) hash to ${hashHex(got)}`);
    }
    onProgress?.(this.size, this.size);
  }
}

const VERIFY_SLICE = 4 << 20;

function sectionChecksumError(s: SectionInfo, got: bigint): SnapshotError {
  return new SnapshotError(
    'checksum',
    `section '${s.name}': payload checksum mismatch (bytes [${s.offset}, ${s.offset + s.length}): index says ${hashHex(s.checksum)}, data hashes to ${hashHex(got)})`,
  );
}

/**
 * Open and validate a snapshot's structure: magic, format version, trailer, index and every
 * section record header (all checksummed), all offsets and lengths. Payload checksums are
 * checked when payloads are read (readSection, verifySection, verifyAll, the RAM decoder).
 */
export async function openSnapshot(input: SnapshotInput): Promise<Snapshot> {
  await initHash();
  const source = toSource(input);
  const size = source.size;

  // Header.
  const head = await source.read(0, Math.min(HEADER_SIZE, size));
  const magicPart = head.subarray(0, Math.min(FILE_MAGIC.length, head.length));
  if (!equalBytes(magicPart, FILE_MAGIC.subarray(0, magicPart.length)) || size === 0) {
    throw new SnapshotError('bad-magic', `not an Amber snapshot: the file starts with '${printable(magicPart)}', expected 'AMBERSNP'`);
  }
  if (size < HEADER_SIZE) throw new SnapshotError('truncated', `file is ${size} bytes, shorter than the ${HEADER_SIZE}-byte header`);
  const hr = new ByteReader(head, 'file header', 0, 'bad-header');
  hr.expectMagic(FILE_MAGIC, 'magic', 'bad-magic');
  const formatVersion = hr.u32('format version');
  if (formatVersion > FORMAT_VERSION) {
    throw new SnapshotError('future-version', `written by a newer Amber (format v${formatVersion}); this release reads up to v${FORMAT_VERSION}`);
  }
  if (formatVersion === 0) throw new SnapshotError('bad-header', 'file header: format version 0 does not exist (at offset 8)');
  const headerFlags = hr.u32('header flags');
  if (headerFlags !== 0) throw new SnapshotError('bad-header', `file header: unknown header flags 0x${headerFlags.toString(16)} (at offset 12)`);

  // Trailer.
  if (size < HEADER_SIZE + TRAILER_SIZE) {
    throw new SnapshotError('truncated', `file is ${size} bytes, too short for a header and a trailer (${HEADER_SIZE + TRAILER_SIZE})`);
  }
  const trailerOffset = size - TRAILER_SIZE;
  const trailer = await readExactly(source, trailerOffset, TRAILER_SIZE, 'trailer');
  if (!equalBytes(trailer.subarray(40), TRAILER_MAGIC)) {
    throw new SnapshotError(
      'truncated',
      `the file (${size} bytes) does not end with the 'AMBEREND' trailer: it is truncated or was not completely written (found '${printable(trailer.subarray(40))}' at offset ${trailerOffset + 40})`,
    );
  }
  const tr = new ByteReader(trailer, 'trailer', trailerOffset, 'bad-trailer');
  const trailerSum = xxh64(trailer.subarray(0, 32));
  const indexOffsetBig = tr.u64big('index offset');
  const indexLengthBig = tr.u64big('index length');
  const indexChecksum = tr.u64big('index checksum');
  const fileChecksum = tr.u64big('file checksum');
  const storedTrailerSum = tr.u64big('trailer checksum');
  if (trailerSum !== storedTrailerSum) {
    throw new SnapshotError('checksum', `trailer checksum mismatch at offset ${trailerOffset + 32}: stored ${hashHex(storedTrailerSum)}, computed ${hashHex(trailerSum)}`);
  }
  if (indexOffsetBig < BigInt(HEADER_SIZE) || indexOffsetBig + indexLengthBig !== BigInt(trailerOffset)) {
    throw new SnapshotError(
      'bad-trailer',
      `trailer: index [${indexOffsetBig}, +${indexLengthBig}) must lie between the header and the trailer at ${trailerOffset}`,
    );
  }
  const indexOffset = Number(indexOffsetBig);
  const indexLength = Number(indexLengthBig);
  if (indexLength > MAX_INDEX_BYTES) throw new SnapshotError('bad-trailer', `trailer: index of ${indexLength} bytes is larger than ${MAX_INDEX_BYTES}`);

  // Index.
  const indexBytes = await readExactly(source, indexOffset, indexLength, 'index');
  const indexSum = xxh64(indexBytes);
  if (indexSum !== indexChecksum) {
    throw new SnapshotError('checksum', `index checksum mismatch (index at ${indexOffset}, ${indexLength} bytes): trailer says ${hashHex(indexChecksum)}, computed ${hashHex(indexSum)}`);
  }
  const sections = parseIndex(indexBytes, indexOffset);

  // Section record headers: checksummed, and must agree with the index.
  for (const s of sections) {
    const len = s.offset - s.recordOffset;
    const rec = await readExactly(source, s.recordOffset, len, `section '${s.name}' header`);
    const body = rec.subarray(0, len - 8);
    const stored = new DataView(rec.buffer, rec.byteOffset + len - 8, 8).getBigUint64(0, true);
    const computed = xxh64(body);
    if (stored !== computed) {
      throw new SnapshotError('checksum', `section '${s.name}': record header checksum mismatch (header at offset ${s.recordOffset}, ${len} bytes)`);
    }
    const r = new ByteReader(body, `section '${s.name}' header`, s.recordOffset, 'bad-section');
    r.expectMagic(SECTION_MAGIC, 'record magic');
    const name = r.str('name');
    const version = r.u32('version');
    const flags = r.u32('flags');
    const encoding = r.str('encoding');
    r.end();
    if (name !== s.name || version !== s.version || flags !== s.flags || encoding !== s.encoding) {
      throw new SnapshotError(
        'bad-section',
        `section record at offset ${s.recordOffset} says '${name}' v${version} flags ${flags} '${encoding}', the index says '${s.name}' v${s.version} flags ${s.flags} '${s.encoding}'`,
      );
    }
  }
  return new Snapshot(source, formatVersion, sections, fileChecksum, indexOffset);
}

function parseIndex(bytes: Uint8Array, indexOffset: number): SectionInfo[] {
  const r = new ByteReader(bytes, 'index', indexOffset, 'bad-index');
  r.expectMagic(INDEX_MAGIC, 'index magic');
  const count = r.u32('section count');
  // Each entry takes at least 46 bytes: refuse counts the index cannot hold before allocating.
  if (count * 46 > r.remaining) r.fail(`${count} sections cannot fit in ${r.remaining} bytes`);
  const sections: SectionInfo[] = [];
  const names = new Set<string>();
  let expectedRecord = HEADER_SIZE;
  for (let i = 0; i < count; i++) {
    const at = r.offset;
    const name = r.str(`entry ${i} name`);
    const version = r.u32(`entry ${i} version`);
    const flags = r.u32(`entry ${i} flags`);
    const encoding = r.str(`entry ${i} encoding`);
    const recordOffset = r.u64(`entry ${i} record offset`);
    const offset = r.u64(`entry ${i} payload offset`);
    const length = r.u64(`entry ${i} payload length`);
    const checksum = r.u64big(`entry ${i} checksum`);
    const where = `index entry ${i} ('${name}', at offset ${at})`;
    if (name.length === 0) throw new SnapshotError('bad-index', `${where}: empty section name`);
    if (names.has(name)) throw new SnapshotError('bad-index', `${where}: section name appears twice`);
    names.add(name);
    if (version < 1) throw new SnapshotError('bad-index', `${where}: version 0`);
    const unknownCritical = flags & CRITICAL_FLAGS_MASK & ~KNOWN_CRITICAL_FLAGS;
    if (unknownCritical) throw new SnapshotError('bad-index', `${where}: unknown critical flags 0x${unknownCritical.toString(16)}`);
    if (recordOffset !== expectedRecord) {
      throw new SnapshotError('bad-index', `${where}: record starts at ${recordOffset}, expected ${expectedRecord} (sections are contiguous, in index order)`);
    }
    if (offset <= recordOffset + 8 || offset - recordOffset > MAX_RECORD_HEADER) {
      throw new SnapshotError('bad-index', `${where}: payload offset ${offset} is not just after its record header at ${recordOffset}`);
    }
    if (offset + length > indexOffset) {
      throw new SnapshotError('bad-index', `${where}: payload [${offset}, ${offset + length}) runs past the index at ${indexOffset}`);
    }
    expectedRecord = offset + length;
    sections.push({ name, version, flags, required: (flags & FLAG_REQUIRED) !== 0, encoding, recordOffset, offset, length, checksum });
  }
  r.end();
  if (expectedRecord !== indexOffset) {
    throw new SnapshotError('bad-index', `index: sections end at ${expectedRecord}, but the index starts at ${indexOffset}`);
  }
  return sections;
}

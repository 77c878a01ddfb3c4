/**
 * Section payload encodings (byte layouts in docs/snapshot-format.md):
 *
 * - json    UTF-8 JSON: the machine config, small metadata.
 * - fields  a device's or hart's named field values, each with its type and element count.
 * - ram     page-granular memory: zero pages skipped, non-zero pages grouped by aligned
 *           address window into chunks, each compressed and checksummed on its own.
 * - disk    the same chunk stream over 4 KiB blocks: the written blocks over a base image
 *           named by SHA-256 ('delta'), or every non-zero block ('full', portable export).
 * - raw     bytes as they are (a thumbnail, say).
 *
 * RAM and disk restore in two steps so that a bad file changes nothing: validateRam /
 * validateDisk (structure and every chunk checksum, no decompression) before the machine
 * is touched, then decodeRamInto / decodeDiskInto, which check everything again as they go.
 */
import type { FieldType, FieldValues, StateSchema } from '../devices/state.ts';
import { ByteReader, ByteWriter, fromUtf8, utf8 } from './binary.ts';
import { compressChunk, decompressChunk, DEFAULT_ZSTD_LEVEL, initCodecs, isCodecName, type CodecName } from './codec.ts';
import { SnapshotError } from './errors.ts';
import { hashHex, initHash, xxh64 } from './hash.ts';
import { readAheadSource, readExactly, type RandomAccessSource } from './source.ts';

// ───────────────────────────── json ─────────────────────────────

export function encodeJson(value: unknown): Uint8Array {
  return utf8(JSON.stringify(value));
}

/** Parse a json payload; `what` names the section in errors. */
export function decodeJson<T = unknown>(bytes: Uint8Array, what = 'json payload'): T {
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw new SnapshotError('bad-section', `${what}: not valid UTF-8`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new SnapshotError('bad-section', `${what}: not valid JSON (${(e as Error).message})`);
  }
}

// ───────────────────────────── fields ─────────────────────────────

const FIELDS_MAGIC = utf8('FLDS');
const TYPE_CODE: Record<FieldType, number> = { u8: 1, u16: 2, u32: 3, u64: 4 };
const CODE_TYPE: Record<number, FieldType> = { 1: 'u8', 2: 'u16', 3: 'u32', 4: 'u64' };
const TYPE_BITS: Record<FieldType, number> = { u8: 8, u16: 16, u32: 32, u64: 64 };

export interface DecodedFields {
  /** The state type the values belong to (a schema name such as 'ns16550a', or 'hart'). */
  typeName: string;
  values: FieldValues;
  /** Each field's element type as written. */
  types: Record<string, FieldType>;
}

/**
 * Encode named field values with their types. Types come from `schema` (a device's
 * StateSchema), else from `types`, else u64. Every value must fit its type.
 */
export function encodeFields(
  typeName: string,
  values: FieldValues,
  opts: { schema?: StateSchema; types?: Record<string, FieldType> } = {},
): Uint8Array {
  const names = Object.keys(values);
  const w = new ByteWriter(64 + names.length * 32).bytes(FIELDS_MAGIC).str(typeName).u32(names.length);
  for (const name of names) {
    const type = opts.schema?.fields[name]?.type ?? opts.types?.[name] ?? 'u64';
    const list = values[name];
    const bits = TYPE_BITS[type];
    w.str(name).u8(TYPE_CODE[type]).u32(list.length);
    list.forEach((v, i) => {
      if (typeof v !== 'bigint' || v < 0n || BigInt.asUintN(bits, v) !== v) {
        throw new SnapshotError('invalid-argument', `${typeName}: field '${name}'[${i}] = ${v} does not fit ${type}`);
      }
      if (type === 'u64') w.u64(v);
      else if (type === 'u32') w.u32(Number(v));
      else if (type === 'u16') w.u16(Number(v));
      else w.u8(Number(v));
    });
  }
  return w.finish();
}

export function decodeFields(bytes: Uint8Array, what = 'fields payload'): DecodedFields {
  const r = new ByteReader(bytes, what);
  r.expectMagic(FIELDS_MAGIC, 'fields magic');
  const typeName = r.str('type name');
  const count = r.u32('field count');
  if (count * 7 > r.remaining) r.fail(`${count} fields cannot fit in ${r.remaining} bytes`);
  const values: FieldValues = {};
  const types: Record<string, FieldType> = {};
  for (let i = 0; i < count; i++) {
    const name = r.str(`field ${i} name`);
    if (Object.hasOwn(values, name)) r.fail(`field '${name}' appears twice`);
    const code = r.u8(`field '${name}' type`);
    const type = CODE_TYPE[code];
    if (!type) r.fail(`field '${name}' has unknown type code ${code}`);
    const n = r.u32(`field '${name}' count`);
    const width = TYPE_BITS[type] / 8;
    if (n * width > r.remaining) r.fail(`field '${name}' claims ${n} × ${type}, only ${r.remaining} bytes left`);
    const list: bigint[] = new Array(n);
    for (let j = 0; j < n; j++) {
      list[j] = type === 'u64' ? r.u64big() : BigInt(type === 'u32' ? r.u32() : type === 'u16' ? r.u16() : r.u8());
    }
    values[name] = list;
    types[name] = type;
  }
  r.end();
  return { typeName, values, types };
}

// ───────────────────────────── paged (ram, disk) ─────────────────────────────

/** Page (RAM) and block (disk) size. */
export const PAGE_SIZE = 4096;
/**
 * Default chunk window: 64 pages = 256 KiB of address space. Small enough that a save a
 * minute after another shares most chunks with it (an idle Linux guest writes to most 4 MiB
 * windows within seconds, but to few 256 KiB ones: 0.5 MiB new of 3.7 MiB against 3.4), large
 * enough that zstd compresses as well as with 4 MiB windows.
 */
export const DEFAULT_CHUNK_PAGES = 64;
/** Largest chunk a reader accepts (bounds every allocation a file can cause). */
export const MAX_CHUNK_BYTES = 64 << 20;

const PAGED_MAGIC = utf8('PAGE');
const CHUNK_MAGIC = utf8('CHNK');
const END_MAGIC = utf8('DONE');

/** 'ram': non-zero pages; 'disk-full': non-zero blocks; 'disk-delta': written blocks over `base`. */
export type PagedKind = 'ram' | 'disk-full' | 'disk-delta';

/** A disk image named by content, as MachineConfig's ImageRef. */
export interface BaseImage {
  name: string;
  /** Hex SHA-256 of the image. */
  sha256: string;
  size: number;
}

export interface PagedHeader {
  kind: PagedKind;
  pageSize: number;
  totalBytes: number;
  codec: CodecName;
  /** The image that a 'disk-delta' payload applies to. */
  base?: BaseImage;
  /** Bytes of the header in the payload. */
  headerLength: number;
}

/** One chunk as the encoder produces it: what a content-addressed store keys and keeps. */
export interface EncodedChunk {
  /** Index of the aligned window this chunk covers (first page = window × chunkPages). */
  window: number;
  /** [firstPage, pageCount] runs, ascending. */
  runs: Array<[number, number]>;
  pageCount: number;
  rawLength: number;
  storedLength: number;
  /**
   * xxh64 (hex) of the run list (u32 LE pairs) followed by the uncompressed pages: equal for
   * equal content at equal addresses, whatever the codec or level. Stable across releases.
   */
  contentHash: string;
  /** The complete chunk record (header + stored bytes), ready to write or to store. */
  record: Uint8Array[];
}

export interface ChunkInfo {
  index: number;
  runs: Array<[number, number]>;
  pageCount: number;
  rawLength: number;
  storedLength: number;
  contentHash: string;
  /** Offset and length of the whole record inside the payload. */
  recordOffset: number;
  recordLength: number;
}

export interface EncodePagedOptions {
  codec?: CodecName;
  /** zstd level (default 1). */
  level?: number;
  /** Pages per chunk window (default 1024 = 4 MiB). */
  chunkPages?: number;
  /** Called for every chunk as it is produced (content-addressed stores, progress). */
  onChunk?: (chunk: EncodedChunk) => void;
}

function pagedHeaderBytes(h: Omit<PagedHeader, 'headerLength'>): Uint8Array {
  const w = new ByteWriter(128).bytes(PAGED_MAGIC).u32(h.pageSize).u64(h.totalBytes).str(h.codec).str(h.kind).u32(0);
  w.str(h.base?.name ?? '').str(h.base?.sha256 ?? '').u64(h.base?.size ?? 0);
  const body = w.finish();
  return new ByteWriter(body.length + 8).bytes(body).u64(xxh64(body)).finish();
}

function runsBytes(runs: Array<[number, number]>): Uint8Array {
  const w = new ByteWriter(runs.length * 8);
  for (const [first, count] of runs) w.u32(first).u32(count);
  return w.finish();
}

function chunkContentHash(runs: Uint8Array, raw: Uint8Array): bigint {
  return xxh64(runs, raw);
}

/** Whether page `page` of `data` is all zeros (`words` views the same bytes when aligned). */
function isZeroPage(data: Uint8Array, words: Uint32Array | undefined, page: number): boolean {
  if (words) {
    for (let i = page * (PAGE_SIZE / 4), end = i + PAGE_SIZE / 4; i < end; i++) if (words[i] !== 0) return false;
  } else {
    for (let i = page * PAGE_SIZE, end = i + PAGE_SIZE; i < end; i++) if (data[i] !== 0) return false;
  }
  return true;
}

/**
 * The chunks of a paged payload, in address order. `keep(page, isZero)` decides whether a
 * page is stored (RAM: non-zero pages; delta disks: written blocks, zero or not).
 *
 * `data` may be live shared memory: each kept page is copied out before it is hashed or
 * compressed, so a chunk's hash, record and content always agree. (A consistent snapshot
 * still needs the machine paused, or a copy taken while it was.)
 */
async function* encodeChunks(
  data: Uint8Array,
  keep: (page: number, isZero: () => boolean) => boolean,
  opts: EncodePagedOptions,
): AsyncGenerator<EncodedChunk> {
  const codec = opts.codec ?? 'zstd';
  const level = opts.level ?? DEFAULT_ZSTD_LEVEL;
  const chunkPages = opts.chunkPages ?? DEFAULT_CHUNK_PAGES;
  if (!Number.isInteger(chunkPages) || chunkPages < 1 || chunkPages * PAGE_SIZE > MAX_CHUNK_BYTES) {
    throw new SnapshotError('invalid-argument', `chunkPages ${chunkPages} must be 1–${MAX_CHUNK_BYTES / PAGE_SIZE}`);
  }
  const words = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length / 4) : undefined;
  const totalPages = data.length / PAGE_SIZE;
  for (let window = 0; window * chunkPages < totalPages; window++) {
    const first = window * chunkPages;
    const last = Math.min(totalPages, first + chunkPages);
    let staging: Uint8Array | undefined; // allocated at the window's first kept page
    const runs: Array<[number, number]> = [];
    let fill = 0;
    for (let p = first; p < last; p++) {
      if (!keep(p, () => isZeroPage(data, words, p))) continue;
      staging ??= new Uint8Array((last - first) * PAGE_SIZE);
      staging.set(data.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE), fill);
      fill += PAGE_SIZE;
      const run = runs[runs.length - 1];
      if (run && run[0] + run[1] === p) run[1]++;
      else runs.push([p, 1]);
    }
    if (!staging) continue;
    const raw = staging.subarray(0, fill);
    const rb = runsBytes(runs);
    const content = chunkContentHash(rb, raw);
    const stored = compressChunk(codec, raw, level);
    const head = new ByteWriter(32 + rb.length).bytes(CHUNK_MAGIC).u32(runs.length).bytes(rb);
    head.u32(raw.length).u32(stored.length).u64(content);
    const headBytes = head.finish();
    const recordSum = xxh64(headBytes, stored);
    const record = [new ByteWriter(headBytes.length + 8).bytes(headBytes).u64(recordSum).finish(), stored];
    const chunk: EncodedChunk = {
      window,
      runs,
      pageCount: fill / PAGE_SIZE,
      rawLength: raw.length,
      storedLength: stored.length,
      contentHash: hashHex(content),
      record,
    };
    opts.onChunk?.(chunk);
    yield chunk;
  }
}

/** RAM and full disks store the non-zero pages. */
const nonZero = (_page: number, isZero: () => boolean): boolean => !isZero();

function endRecord(chunkCount: number, pageCount: number): Uint8Array {
  const body = new ByteWriter(16).bytes(END_MAGIC).u32(chunkCount).u64(pageCount).finish();
  return new ByteWriter(24).bytes(body).u64(xxh64(body)).finish();
}

async function* encodePaged(
  header: Omit<PagedHeader, 'headerLength'>,
  chunks: AsyncIterable<EncodedChunk>,
): AsyncGenerator<Uint8Array> {
  yield pagedHeaderBytes(header);
  let chunkCount = 0;
  let pageCount = 0;
  for await (const c of chunks) {
    chunkCount++;
    pageCount += c.pageCount;
    yield* c.record;
  }
  yield endRecord(chunkCount, pageCount);
}

function checkPagedInput(what: string, data: Uint8Array): void {
  if (data.length % PAGE_SIZE !== 0) {
    throw new SnapshotError('invalid-argument', `${what} of ${data.length} bytes is not a whole number of ${PAGE_SIZE}-byte pages`);
  }
}

/**
 * Encode guest RAM: zero pages skipped, the rest in compressed chunks of one aligned window
 * each. `ram` may view a SharedArrayBuffer: each window is copied out before it is examined.
 * The result is a stream: pass it straight to SnapshotWriter.addSection.
 */
export async function* encodeRam(ram: Uint8Array, opts: EncodePagedOptions = {}): AsyncGenerator<Uint8Array> {
  checkPagedInput('RAM', ram);
  await Promise.all([initHash(), initCodecs()]);
  const codec = opts.codec ?? 'zstd';
  yield* encodePaged(
    { kind: 'ram', pageSize: PAGE_SIZE, totalBytes: ram.length, codec },
    encodeChunks(ram, nonZero, opts),
  );
}

export type EncodeDiskOptions = EncodePagedOptions &
  (
    | { mode: 'full' }
    /** Only the blocks whose bit is set in `written` (bit i of byte i>>3 = block i), zero or not. */
    | { mode: 'delta'; base: BaseImage; written: Uint8Array }
  );

/** Encode a disk image: the written blocks over a base image, or every non-zero block. */
export async function* encodeDisk(disk: Uint8Array, opts: EncodeDiskOptions): AsyncGenerator<Uint8Array> {
  checkPagedInput('disk image', disk);
  await Promise.all([initHash(), initCodecs()]);
  const codec = opts.codec ?? 'zstd';
  if (opts.mode === 'full') {
    yield* encodePaged(
      { kind: 'disk-full', pageSize: PAGE_SIZE, totalBytes: disk.length, codec },
      encodeChunks(disk, nonZero, opts),
    );
    return;
  }
  const blocks = disk.length / PAGE_SIZE;
  if (opts.written.length < Math.ceil(blocks / 8)) {
    throw new SnapshotError('invalid-argument', `written-block bitmap has ${opts.written.length} bytes, a ${blocks}-block disk needs ${Math.ceil(blocks / 8)}`);
  }
  if (!/^[0-9a-f]{64}$/.test(opts.base.sha256) || utf8(opts.base.name).length > 255) {
    throw new SnapshotError('invalid-argument', `base image '${opts.base.name}': needs a name of at most 255 bytes and a lowercase hex SHA-256`);
  }
  const written = opts.written.slice(); // a stable copy: the disk may keep being written
  yield* encodePaged(
    { kind: 'disk-delta', pageSize: PAGE_SIZE, totalBytes: disk.length, codec, base: { ...opts.base } },
    encodeChunks(disk, (p) => (written[p >> 3] & (1 << (p & 7))) !== 0, opts),
  );
}

/**
 * Rebuild a paged payload from chunk records kept elsewhere (a content-addressed store):
 * the same bytes encodeRam/encodeDisk produced, given the same header and records in order.
 */
export async function* assemblePaged(
  header: Omit<PagedHeader, 'headerLength'>,
  records: AsyncIterable<Uint8Array[] | Uint8Array> | Iterable<Uint8Array[] | Uint8Array>,
): AsyncGenerator<Uint8Array> {
  await initHash();
  yield pagedHeaderBytes(header);
  let chunkCount = 0;
  let pageCount = 0;
  for await (const rec of records) {
    const parts = rec instanceof Uint8Array ? [rec] : rec;
    // Count the pages from the record's run list.
    const r = new ByteReader(parts[0], `chunk record ${chunkCount}`);
    r.expectMagic(CHUNK_MAGIC, 'chunk magic');
    const runCount = r.u32('run count');
    for (let i = 0; i < runCount; i++) {
      r.u32();
      pageCount += r.u32();
    }
    chunkCount++;
    yield* parts;
  }
  yield endRecord(chunkCount, pageCount);
}

// ── reading ──

/** Read and check a paged payload's header. */
export async function readPagedHeader(source: RandomAccessSource, what = 'paged payload'): Promise<PagedHeader> {
  await initHash();
  const bytes = await readExactly(source, 0, Math.min(source.size, 1024), `${what} header`);
  const r = new ByteReader(bytes, `${what} header`, 0, 'bad-section');
  r.expectMagic(PAGED_MAGIC, 'magic');
  const pageSize = r.u32('page size');
  const totalBytes = r.u64('total bytes');
  const codec = r.str('codec');
  const kind = r.str('kind');
  const flags = r.u32('flags');
  const baseName = r.str('base name');
  const baseSha256 = r.str('base sha256');
  const baseSize = r.u64('base size');
  const bodyLength = r.pos;
  const stored = r.u64big('header checksum');
  if (xxh64(bytes.subarray(0, bodyLength)) !== stored) {
    throw new SnapshotError('checksum', `${what} header: checksum mismatch (payload offset 0, ${bodyLength} bytes)`);
  }
  if (pageSize !== PAGE_SIZE) r.fail(`page size ${pageSize}, this release handles ${PAGE_SIZE}`);
  if (totalBytes % PAGE_SIZE !== 0) r.fail(`total size ${totalBytes} is not a whole number of pages`);
  if (!isCodecName(codec)) throw new SnapshotError('unsupported-encoding', `${what}: codec '${codec}' is not known to this release`);
  if (kind !== 'ram' && kind !== 'disk-full' && kind !== 'disk-delta') {
    throw new SnapshotError('unsupported-encoding', `${what}: kind '${kind}' is not known to this release`);
  }
  if (flags !== 0) r.fail(`unknown flags 0x${flags.toString(16)}`);
  const header: PagedHeader = { kind, pageSize, totalBytes, codec, headerLength: r.pos };
  if (kind === 'disk-delta') header.base = { name: baseName, sha256: baseSha256, size: baseSize };
  return header;
}

interface WalkedChunk extends ChunkInfo {
  stored: Uint8Array;
  runsBytes: Uint8Array;
  content: bigint;
}

/**
 * Walk the chunk records of a paged payload, checking structure and record checksums, and
 * hand each chunk to `visit` (which may decompress it). Checks the end record and that
 * nothing follows it.
 */
async function walkChunks(
  source: RandomAccessSource,
  header: PagedHeader,
  what: string,
  visit: (c: WalkedChunk) => void | Promise<void>,
): Promise<{ chunkCount: number; pageCount: number }> {
  source = readAheadSource(source); // records are read in order: a few large reads, not three per chunk
  const totalPages = header.totalBytes / PAGE_SIZE;
  let pos = header.headerLength;
  let nextPage = 0; // pages before this are behind us
  let chunkCount = 0;
  let pageCount = 0;
  for (;;) {
    const tag = await readExactly(source, pos, 8, `${what} record at payload offset ${pos}`);
    const tr = new ByteReader(tag, `${what} record`, pos);
    if (tag[0] === END_MAGIC[0] && tag[1] === END_MAGIC[1] && tag[2] === END_MAGIC[2] && tag[3] === END_MAGIC[3]) {
      const end = await readExactly(source, pos, 24, `${what} end record`);
      const er = new ByteReader(end, `${what} end record`, pos);
      er.expectMagic(END_MAGIC, 'magic');
      const n = er.u32('chunk count');
      const pages = er.u64('page count');
      const sum = er.u64big('checksum');
      if (xxh64(end.subarray(0, 16)) !== sum) throw new SnapshotError('checksum', `${what} end record: checksum mismatch (payload offset ${pos})`);
      if (n !== chunkCount || pages !== pageCount) {
        throw new SnapshotError('bad-section', `${what} end record: says ${n} chunks / ${pages} pages, found ${chunkCount} / ${pageCount}`);
      }
      if (pos + 24 !== source.size) {
        throw new SnapshotError('bad-section', `${what}: ${source.size - pos - 24} unexpected bytes after the end record (payload offset ${pos + 24})`);
      }
      return { chunkCount, pageCount };
    }
    tr.expectMagic(CHUNK_MAGIC, `chunk ${chunkCount} magic`);
    const runCount = tr.u32('run count');
    if (runCount === 0 || runCount > MAX_CHUNK_BYTES / PAGE_SIZE) tr.fail(`chunk ${chunkCount}: ${runCount} runs`);
    const headLength = 8 + runCount * 8 + 16;
    const rest = await readExactly(source, pos + 8, runCount * 8 + 24, `${what} chunk ${chunkCount} header`);
    const r = new ByteReader(rest, `${what} chunk ${chunkCount} header`, pos + 8);
    const runs: Array<[number, number]> = [];
    let pages = 0;
    for (let i = 0; i < runCount; i++) {
      const first = r.u32('run first page');
      const count = r.u32('run page count');
      if (count === 0 || first < nextPage || first + count > totalPages) {
        r.fail(`run [${first}, +${count}) is empty, out of order or past the last page (${totalPages})`);
      }
      nextPage = first + count;
      pages += count;
      runs.push([first, count]);
    }
    const rawLength = r.u32('raw length');
    const storedLength = r.u32('stored length');
    const content = r.u64big('content hash');
    const recordSum = r.u64big('record checksum');
    if (rawLength !== pages * PAGE_SIZE || rawLength > MAX_CHUNK_BYTES) {
      r.fail(`raw length ${rawLength} does not match ${pages} pages (or exceeds ${MAX_CHUNK_BYTES})`);
    }
    if (storedLength > MAX_CHUNK_BYTES + (MAX_CHUNK_BYTES >> 7) + 1024) r.fail(`stored length ${storedLength} is too large`);
    const storedAt = pos + headLength + 8;
    const stored = await readExactly(source, storedAt, storedLength, `${what} chunk ${chunkCount} data`);
    const headBytes = new Uint8Array(headLength);
    headBytes.set(tag);
    headBytes.set(rest.subarray(0, headLength - 8), 8);
    if (xxh64(headBytes, stored) !== recordSum) {
      throw new SnapshotError(
        'checksum',
        `${what} chunk ${chunkCount} (pages ${runs[0][0]}…${nextPage - 1}, payload offset ${pos}): record checksum mismatch`,
      );
    }
    await visit({
      index: chunkCount,
      runs,
      pageCount: pages,
      rawLength,
      storedLength,
      contentHash: hashHex(content),
      recordOffset: pos,
      recordLength: storedAt + storedLength - pos,
      stored,
      runsBytes: rest.subarray(0, runCount * 8),
      content,
    });
    chunkCount++;
    pageCount += pages;
    pos = storedAt + storedLength;
  }
}

export interface PagedSummary {
  header: PagedHeader;
  chunkCount: number;
  pageCount: number;
  chunks: ChunkInfo[];
}

export interface DecodedDisk extends PagedSummary {
  /** Bit i (byte i>>3, bit i&7) set for every block the payload carried (the delta's written blocks). */
  written: Uint8Array;
}

type PagedWhat = 'ram' | 'disk';

/** Read the header of a ram or disk payload and check that its kind belongs there. */
async function pagedHeaderFor(source: RandomAccessSource, what: PagedWhat): Promise<PagedHeader> {
  const header = await readPagedHeader(source, what);
  if ((header.kind === 'ram') !== (what === 'ram')) {
    throw new SnapshotError('bad-section', `${what}: payload kind is '${header.kind}'`);
  }
  return header;
}

function chunkInfo({ stored: _s, runsBytes: _r, content: _c, ...info }: WalkedChunk): ChunkInfo {
  return info;
}

function checkContent(c: WalkedChunk, raw: Uint8Array, what: string): void {
  if (chunkContentHash(c.runsBytes, raw) !== c.content) {
    throw new SnapshotError('checksum', `${what} chunk ${c.index} (payload offset ${c.recordOffset}): decompressed content does not match its content hash ${c.contentHash}`);
  }
}

async function validatePaged(source: RandomAccessSource, what: PagedWhat, deep: boolean): Promise<PagedSummary> {
  const header = await pagedHeaderFor(source, what);
  if (deep) await initCodecs();
  const chunks: ChunkInfo[] = [];
  const counts = await walkChunks(source, header, what, (c) => {
    if (deep) checkContent(c, decompressChunk(header.codec, c.stored, c.rawLength, `${what} chunk ${c.index}`), what);
    chunks.push(chunkInfo(c));
  });
  return { header, ...counts, chunks };
}

/**
 * Decode into `target`, chunk by chunk, each verified (record checksum, frame size, content
 * hash) before it is written. ram and disk-full: absent pages become zeros; disk-delta:
 * absent blocks are left as the base image has them.
 */
async function decodePaged(source: RandomAccessSource, target: Uint8Array, what: PagedWhat, targetZeroed = false): Promise<DecodedDisk> {
  const header = await pagedHeaderFor(source, what);
  if (target.length !== header.totalBytes) {
    throw new SnapshotError('invalid-argument', `${what}: the snapshot has ${header.totalBytes} bytes, the target has ${target.length}`);
  }
  await initCodecs();
  const zeroGaps = header.kind !== 'disk-delta' && !targetZeroed;
  const written = new Uint8Array(what === 'disk' ? Math.ceil(header.totalBytes / PAGE_SIZE / 8) : 0);
  const chunks: ChunkInfo[] = [];
  let next = 0; // pages before this are written
  const counts = await walkChunks(source, header, what, (c) => {
    const raw = decompressChunk(header.codec, c.stored, c.rawLength, `${what} chunk ${c.index}`);
    checkContent(c, raw, what);
    let src = 0;
    for (const [first, count] of c.runs) {
      if (zeroGaps) target.fill(0, next * PAGE_SIZE, first * PAGE_SIZE);
      target.set(raw.subarray(src, src + count * PAGE_SIZE), first * PAGE_SIZE);
      if (written.length) for (let b = first; b < first + count; b++) written[b >> 3] |= 1 << (b & 7);
      src += count * PAGE_SIZE;
      next = first + count;
    }
    chunks.push(chunkInfo(c));
  });
  if (zeroGaps) target.fill(0, next * PAGE_SIZE);
  return { header, ...counts, chunks, written };
}

/**
 * Check a RAM payload without decompressing: header, every chunk's structure and record
 * checksum, the end record. With `deep`, also decompress each chunk and check its content
 * hash (without writing anywhere). Returns the chunk list (content hashes for a store).
 */
export function validateRam(payload: RandomAccessSource, opts: { deep?: boolean } = {}): Promise<PagedSummary> {
  return validatePaged(payload, 'ram', opts.deep ?? false);
}

/**
 * Decode a RAM payload into `target` (exactly the RAM size; may view shared memory): every
 * page is written, absent pages as zeros. Verifies each chunk (record checksum, size,
 * content hash) before writing it; a failure part-way leaves `target` partly written,
 * which is why the engine runs validateRam first.
 */
export async function decodeRamInto(
  payload: RandomAccessSource,
  target: Uint8Array,
  /** `zeroed`: the target is known to be all zeros (a fresh machine's RAM): absent pages are left untouched, which spares faulting in every page of a fresh memory. */
  opts: { zeroed?: boolean } = {},
): Promise<PagedSummary> {
  const { written: _w, ...summary } = await decodePaged(payload, target, 'ram', opts.zeroed ?? false);
  return summary;
}

/** Check a disk payload as validateRam does a RAM payload. */
export function validateDisk(payload: RandomAccessSource, opts: { deep?: boolean } = {}): Promise<PagedSummary> {
  return validatePaged(payload, 'disk', opts.deep ?? false);
}

/**
 * Decode a disk payload into `target` (exactly the disk size). 'full': every block written,
 * absent ones as zeros. 'delta': `target` must already hold the base image (header.base:
 * the caller checks its SHA-256); only the stored blocks are written. Returns the stored
 * blocks as a bitmap, so the disk backend can go on tracking written blocks.
 */
export function decodeDiskInto(payload: RandomAccessSource, target: Uint8Array): Promise<DecodedDisk> {
  return decodePaged(payload, target, 'disk');
}

/** Chunk records of RAM as content-addressed pieces, without the container (for stores). */
export async function* encodeRamChunks(ram: Uint8Array, opts: EncodePagedOptions = {}): AsyncGenerator<EncodedChunk> {
  checkPagedInput('RAM', ram);
  await Promise.all([initHash(), initCodecs()]);
  yield* encodeChunks(ram, nonZero, opts);
}

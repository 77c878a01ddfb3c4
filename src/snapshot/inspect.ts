/**
 * A human-readable listing of a snapshot for `amber inspect` and debugging: sections with
 * version, flags, encoding, size and checksum, what this release makes of each, and for
 * RAM and disk sections their chunk statistics. Reads only headers and small sections.
 */
import type { Snapshot } from './container.ts';
import { readPagedHeader, validateDisk, validateRam } from './encodings.ts';
import { SnapshotError } from './errors.ts';
import { hashHex } from './hash.ts';
import { defaultRegistry, type SectionRegistry } from './sections.ts';

export async function inspectSnapshot(snap: Snapshot, registry: SectionRegistry = defaultRegistry()): Promise<string[]> {
  const lines = [`Amber snapshot, format v${snap.formatVersion}, ${snap.size} bytes, ${snap.sections.length} sections, file xxh64 ${hashHex(snap.fileChecksum)}`];
  for (const s of snap.sections) {
    const kind = registry.lookup(s.name);
    const status = !kind ? (s.required ? 'UNKNOWN, required: this release cannot restore it' : 'unknown, optional: skipped') : s.version > kind.version ? `newer than this release (v${kind.version})` : 'ok';
    lines.push(`  ${s.name.padEnd(20)} v${s.version} ${s.required ? 'required' : 'optional'} ${s.encoding.padEnd(6)} ${String(s.length).padStart(11)} B  xxh64 ${hashHex(s.checksum)}  ${status}`);
    try {
      if (s.encoding === 'ram' || s.encoding === 'disk') {
        const h = await readPagedHeader(snap.payloadSource(s.name), s.name);
        const v = await (s.encoding === 'ram' ? validateRam : validateDisk)(snap.payloadSource(s.name));
        const base = h.base ? ` over ${h.base.name} (sha256 ${h.base.sha256.slice(0, 16)}…)` : '';
        lines.push(`      ${h.kind}${base}: ${h.totalBytes} bytes, ${v.pageCount} pages stored in ${v.chunkCount} ${h.codec} chunks`);
      }
    } catch (e) {
      lines.push(`      INVALID: ${e instanceof SnapshotError ? `[${e.code}] ` : ''}${(e as Error).message}`);
    }
  }
  return lines;
}

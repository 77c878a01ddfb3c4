/**
 * The one error type of the snapshot format library. `code` says what kind of problem it is
 * (for the UI and for tests); the message names what is wrong: which section, which offset.
 */
export type SnapshotErrorCode =
  /** The file does not start with the Amber magic: not a snapshot. */
  | 'bad-magic'
  /** The file header is malformed (format version 0, unknown header flags). */
  | 'bad-header'
  /** The file was written by a newer Amber whose format this release cannot read. */
  | 'future-version'
  /** The file ends early (or was never finished): no trailer, or data past the end. */
  | 'truncated'
  /** A checksum does not match: header, index, trailer, section payload, chunk or whole file. */
  | 'checksum'
  /** The trailer is inconsistent with the file (offsets, lengths). */
  | 'bad-trailer'
  /** The index is malformed (bounds, overlaps, duplicate names, bad UTF-8). */
  | 'bad-index'
  /** A section's own header or payload structure is malformed. */
  | 'bad-section'
  /** A required section is not known to this release. */
  | 'unknown-required-section'
  /** A section's version is newer than this release supports, or no migration exists. */
  | 'section-version'
  /** A section the caller asked for is not in the file. */
  | 'missing-section'
  /** A section uses an encoding or codec this release does not know. */
  | 'unsupported-encoding'
  /** The caller passed something that cannot be written or decoded into (wrong sizes, bad names). */
  | 'invalid-argument';

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isSnapshotError(e: unknown, code?: SnapshotErrorCode): e is SnapshotError {
  return e instanceof SnapshotError && (code === undefined || e.code === code);
}

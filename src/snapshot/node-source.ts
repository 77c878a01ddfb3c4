/**
 * Node-only helpers: a snapshot file as a random-access source, and writing a snapshot
 * stream to a file. Everything else in src/snapshot runs unchanged in browsers and workers.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { SnapshotError } from './errors.ts';
import { iterateChunks, type ByteChunks, type RandomAccessSource } from './source.ts';

export interface FileSource extends RandomAccessSource {
  close(): Promise<void>;
}

/** Open `path` for random-access reads. Close it when done. */
export async function nodeFileSource(path: string): Promise<FileSource> {
  const fh: FileHandle = await open(path, 'r');
  const { size } = await fh.stat();
  return {
    size,
    async read(offset, length) {
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) throw new SnapshotError('truncated', `${path}: file ended at ${offset + done} while reading ${length} bytes at ${offset}`);
        done += bytesRead;
      }
      return buf;
    },
    close: () => fh.close(),
  };
}

/**
 * Write a snapshot stream (SnapshotWriter.finish()) to `path`, chunk by chunk. The file is
 * written under `path + '.partial'` and renamed when complete, so a crash never leaves a
 * half-written file under the real name. Returns the number of bytes written.
 */
export async function writeSnapshotFile(path: string, chunks: ByteChunks): Promise<number> {
  const partial = `${path}.partial`;
  const fh = await open(partial, 'w');
  let n = 0;
  try {
    for await (const c of iterateChunks(chunks)) {
      let done = 0;
      while (done < c.length) done += (await fh.write(c, done, c.length - done)).bytesWritten;
      n += c.length;
    }
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(partial, { force: true });
    throw e;
  }
  await fh.close();
  await rename(partial, path);
  return n;
}

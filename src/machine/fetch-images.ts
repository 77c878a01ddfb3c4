/** Images fetched over HTTP (the page), verified against their sha256. */
import type { ImageRef } from './config.ts';
import type { ImageSource } from './machine.ts';
import { concatBytes } from '../snapshot/binary.ts';

export async function sha256HexWeb(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a FetchImageSource is doing: bytes arriving for a file, or checking/unpacking it. */
export type ImageProgress =
  | { stage: 'download'; file: string; loaded: number; total: number }
  | { stage: 'verify'; file: string };

export class FetchImageSource implements ImageSource {
  /** Verified images by sha256, so that a reset or reboot does not fetch and unpack again. */
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly baseUrl: string, public onProgress?: (p: ImageProgress) => void) {}

  load(ref: ImageRef): Promise<Uint8Array> {
    const key = `${ref.sha256}:${ref.size}`;
    let bytes = this.cache.get(key);
    if (!bytes) {
      bytes = this.fetchVerified(ref);
      this.cache.set(key, bytes);
      bytes.catch(() => this.cache.delete(key));
    }
    return bytes;
  }

  private async fetchVerified(ref: ImageRef): Promise<Uint8Array> {
    const url = new URL(ref.name, this.baseUrl);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new Error(`could not download '${ref.name}' from ${url} (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!response.ok) throw new Error(`could not download '${ref.name}' from ${url}: HTTP ${response.status} ${response.statusText}`.trim());
    let bytes = await this.readWithProgress(response, ref.name);
    this.onProgress?.({ stage: 'verify', file: ref.name });
    // A host that serves *.gz with Content-Encoding: gzip hands over the unpacked bytes already.
    if (ref.gzip && isGzip(bytes)) bytes = await gunzip(bytes);
    else if (!ref.gzip && ref.name.endsWith('.gz') && !isGzip(bytes)) {
      throw new Error(`the server unpacked '${ref.name}' on the way (Content-Encoding: gzip), but it must arrive as stored: ` +
        'configure the host to serve .gz files as application/gzip without a Content-Encoding');
    }
    if (bytes.length !== ref.size) throw new Error(`image '${ref.name}' is ${bytes.length} bytes, expected ${ref.size}`);
    const actual = await sha256HexWeb(bytes);
    if (actual !== ref.sha256) throw new Error(`image '${ref.name}' has sha256 ${actual.slice(0, 12)}…, expected ${ref.sha256.slice(0, 12)}…`);
    return bytes;
  }

  private async readWithProgress(response: Response, name: string): Promise<Uint8Array> {
    // Content-Length is the transferred size, which may be compressed: never less than what arrived.
    const total = Number(response.headers.get('Content-Length')) || 0;
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    const chunks: Uint8Array[] = [];
    const reader = response.body.getReader();
    let loaded = 0;
    this.onProgress?.({ stage: 'download', file: name, loaded, total });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      this.onProgress?.({ stage: 'download', file: name, loaded, total: Math.max(total, loaded) });
    }
    return concatBytes(chunks);
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Images fetched over HTTP (the page), verified against their sha256. */
import type { ImageRef } from './config.ts';
import type { ImageSource } from './machine.ts';
import { concatBytes } from './bytes.ts';

export async function sha256HexWeb(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class FetchImageSource implements ImageSource {
  constructor(private readonly baseUrl: string, private readonly onProgress?: (name: string, loaded: number, total: number) => void) {}

  async load(ref: ImageRef): Promise<Uint8Array> {
    const url = new URL(ref.name, this.baseUrl);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`image '${ref.name}' could not be fetched from ${url}: HTTP ${response.status}`);
    let bytes = await this.readWithProgress(response, ref.name);
    if (ref.gzip) bytes = await gunzip(bytes);
    if (bytes.length !== ref.size) throw new Error(`image '${ref.name}' is ${bytes.length} bytes, expected ${ref.size}`);
    const actual = await sha256HexWeb(bytes);
    if (actual !== ref.sha256) throw new Error(`image '${ref.name}' has sha256 ${actual.slice(0, 12)}…, expected ${ref.sha256.slice(0, 12)}…`);
    return bytes;
  }

  private async readWithProgress(response: Response, name: string): Promise<Uint8Array> {
    const total = Number(response.headers.get('Content-Length')) || 0;
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    const chunks: Uint8Array[] = [];
    const reader = response.body.getReader();
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      this.onProgress?.(name, loaded, Math.max(total, loaded));
    }
    return concatBytes(chunks);
  }
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}


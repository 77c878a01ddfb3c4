/** Images fetched over HTTP (the page), verified against their sha256. */
import type { ImageRef } from './config.ts';
import type { ImageSource } from './machine.ts';

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
    const bytes = await this.readWithProgress(ref, response);
    const actual = await sha256HexWeb(bytes);
    if (actual !== ref.sha256) throw new Error(`image '${ref.name}' has sha256 ${actual.slice(0, 12)}…, expected ${ref.sha256.slice(0, 12)}…`);
    return bytes;
  }

  private async readWithProgress(ref: ImageRef, response: Response): Promise<Uint8Array> {
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    const out = new Uint8Array(ref.size);
    const reader = response.body.getReader();
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.length > out.length) throw new Error(`image '${ref.name}' is larger than its declared ${ref.size} bytes`);
      out.set(value, loaded);
      loaded += value.length;
      this.onProgress?.(ref.name, loaded, ref.size);
    }
    if (loaded !== ref.size) throw new Error(`image '${ref.name}' is ${loaded} bytes, expected ${ref.size}`);
    return out;
  }
}
